"""The publisher's settings: the data's base IRI, the publisher, the licence and the site's title.

A build reads them once — `kyoyaku.toml` in the working directory, else `[tool.kyoyaku]` in its
`pyproject.toml`, or the file given with `kyoyaku build --config` (`load_settings`) — and runs
inside `using(settings)`; every stage reads them with `current()`. They live in a context variable,
not a module global, so two builds in one process (the tests, the Python API) never see each
other's settings: outside `using`, `current()` is the defaults, today's values.

Only the DATA follow the base: agreements, municipalities, areas, registry records, the dataset,
the catalog and its distributions, the pages. The VOCABULARY — the ontology namespace, the concept
schemes and concepts, the law provisions the shapes name, the shapes — keeps kyoyaku's own IRIs
(`kyoyaku.graph.iris.VOCABULARY_BASE`) whoever publishes: that is what lets the data of two
publishers be queried together. See docs/configuration.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

DEFAULT_BASE = "https://w3id.org/kyoyaku/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
CONFIG_FILE = "kyoyaku.toml"
PYPROJECT_FILE = "pyproject.toml"
# an absolute http(s) IRI: no spaces, quotes, angle brackets or anything else an N-Triples IRI may not hold
_IRI = re.compile(r'https?://[^\s<>"{}|\\^`]+\Z')


@dataclass(frozen=True)
class Bilingual:
    """A name written in Japanese and in English."""

    ja: str
    en: str


@dataclass(frozen=True)
class Settings:
    """What a publisher sets; each field's default is kyoyaku's own. `publisher_iri` None: the base
    + "project", as kyoyaku names itself."""

    base: str = DEFAULT_BASE
    publisher_name: Bilingual = field(default_factory=lambda: Bilingual("kyoyaku プロジェクト", "kyoyaku project"))
    publisher_iri: str | None = None
    licence: str = CC_BY_4
    site_title: Bilingual = field(default_factory=lambda: Bilingual(
        "連携協約データ", "kyoyaku — Japanese inter-municipal partnership agreements"))

    @property
    def publisher(self) -> str:
        return self.publisher_iri or f"{self.base}project"


DEFAULTS = Settings()
_current: ContextVar[Settings] = ContextVar("kyoyaku_settings", default=DEFAULTS)


def current() -> Settings:
    """The settings of the build under way (the defaults outside one)."""
    return _current.get()


@contextmanager
def using(settings: Settings) -> Iterator[Settings]:
    """Run the block with `settings` as current(); the settings before are back after it."""
    token = _current.set(settings)
    try:
        yield settings
    finally:
        _current.reset(token)


def find_config(directory: Path | str = ".") -> tuple[Path, dict] | None:
    """The configuration of `directory`: (file, its kyoyaku table) from kyoyaku.toml, else from the
    [tool.kyoyaku] table of pyproject.toml; None when neither has one."""
    directory = Path(directory)
    own = directory / CONFIG_FILE
    if own.is_file():
        return own, _read_toml(own)
    project = directory / PYPROJECT_FILE
    if project.is_file():
        table = _read_toml(project).get("tool", {}).get("kyoyaku")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError(project, "tool.kyoyaku", "a table", table)
            return project, table
    return None


def load_settings(path: Path | str | None = None, directory: Path | str = ".") -> Settings:
    """The settings in `path` (a kyoyaku.toml, or a pyproject.toml whose [tool.kyoyaku] table is
    read), else those found in `directory` (find_config), else the defaults. Raises ConfigError."""
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(path, None, "a configuration file (kyoyaku.toml)", "no such file")
        data = _read_toml(path)
        if path.name == PYPROJECT_FILE and "tool" in data:
            table = data.get("tool", {}).get("kyoyaku", {})
            return settings_from(table, path, "tool.kyoyaku.")
        return settings_from(data, path)
    found = find_config(directory)
    if found is None:
        return DEFAULTS
    path, table = found
    return settings_from(table, path, "tool.kyoyaku." if path.name == PYPROJECT_FILE else "")


def _read_toml(path: Path) -> dict:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(path, None, "a TOML file in UTF-8", f"byte 0x{e.object[e.start]:02x}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        at = re.search(r"\(at line (\d+), column \d+\)", message)
        reason = message[:at.start()].strip() if at else message
        raise ConfigError(path, None, "TOML", reason, int(at.group(1)) if at else None) from None


def settings_from(table: dict, path: Path | str, prefix: str = "") -> Settings:
    """Settings from a parsed kyoyaku table (`prefix`: where the table sits in its file, for the messages)."""
    def key(name: str) -> str:
        return prefix + name

    _only(table, {"base", "publisher", "licence", "site_title"}, path, prefix)
    base = _iri(table, "base", path, key("base"), DEFAULTS.base)
    if not base.endswith("/") or "#" in base or "?" in base:
        raise ConfigError(path, key("base"), 'an http(s) IRI ending with "/" (no "#" or "?")', base)
    licence = _iri(table, "licence", path, key("licence"), DEFAULTS.licence)
    publisher = _table(table, "publisher", path, key("publisher"))
    _only(publisher, {"name", "iri"}, path, key("publisher."))
    publisher_iri = _iri(publisher, "iri", path, key("publisher.iri"), None)
    name = _bilingual(publisher, "name", path, key("publisher.name"), DEFAULTS.publisher_name)
    title = _bilingual(table, "site_title", path, key("site_title"), DEFAULTS.site_title)
    return Settings(base=base, publisher_name=name, publisher_iri=publisher_iri, licence=licence, site_title=title)


def _only(table: dict, known: set[str], path, prefix: str) -> None:
    for name in table:
        if name not in known:
            raise ConfigError(path, None, f"only the keys {', '.join(sorted(prefix + k for k in known))}",
                              prefix + name)


def _table(table: dict, name: str, path, key: str) -> dict:
    value = table.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(path, key, "a table", value)
    return value


def _iri(table: dict, name: str, path, key: str, default):
    value = table.get(name, default)
    if value is default:
        return value
    if not isinstance(value, str) or not _IRI.match(value):
        raise ConfigError(path, key, "an absolute http(s) IRI", value)
    return value


def _bilingual(table: dict, name: str, path, key: str, default: Bilingual) -> Bilingual:
    value = _table(table, name, path, key)
    _only(value, {"ja", "en"}, path, key + ".")
    texts = {}
    for lang in ("ja", "en"):
        text = value.get(lang, getattr(default, lang))
        if not isinstance(text, str) or not text.strip() or "\n" in text:
            raise ConfigError(path, f"{key}.{lang}", "a non-empty text on one line", text)
        texts[lang] = text
    return Bilingual(**texts)
