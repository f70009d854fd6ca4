"""The sources manifest: `sources.csv` in the sources folder names, for each full text, the
official page it was published on (docs/commands/build.md, "The sources manifest"). Its pages are
published as `dcterms:source` of the agreement and of its source file (`A/source`).

Columns: `file` (an agreement text of the folder, by name), `source_url` (one or more http(s)
URLs, space-separated, as the registry's), `retrieved` (ISO date the file was retrieved, or empty
when not known), `note`. A malformed manifest stops the build (InputError naming the line); a file
without a row is only a warning (`missing_rows`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..graph.iris import DCTERMS, SKOS
from .load import ISO_DATE, _Row, _sources, read_csv

MANIFEST_NAME = "sources.csv"
MANIFEST_COLUMNS = {"file", "source_url", "retrieved", "note"}


@dataclass(frozen=True)
class SourcePages:
    """One row of the manifest: where the file `file` was published."""

    file: str
    urls: tuple[URIRef, ...]
    retrieved: date | None
    note: str


def read_manifest(folder: Path, texts: list[Path]) -> dict[str, SourcePages]:
    """The manifest of the sources folder `folder` by file name ({} when it has none); `texts` are
    the folder's agreement texts, the only names a row may give."""
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    names = {p.name for p in texts}
    rows: dict[str, SourcePages] = {}
    for row in read_csv(path, MANIFEST_COLUMNS):
        name = row["file"]
        if name not in names:
            raise row.fail("file: the name of an agreement text in the sources folder", name or "nothing")
        if name in rows:
            raise row.fail(f"file: one row per file ({name} has an earlier row)", name)
        rows[name] = SourcePages(name, tuple(_sources(row)), _retrieved(row), row["note"])
    return rows


def _retrieved(row: _Row) -> date | None:
    value = row["retrieved"]
    if not value:
        return None
    try:
        if ISO_DATE.match(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise row.fail("retrieved: an ISO date YYYY-MM-DD, or nothing", value)


def missing_rows(texts: list[Path], manifest: dict[str, SourcePages]) -> list[str]:
    """One warning line per agreement text without a manifest row: its official page is not published."""
    return [f"{path}: warning: no row in {MANIFEST_NAME}, so no official source page is published for it"
            for path in texts if path.name not in manifest]


def add_source_pages(g: Graph, agreement: URIRef, pages: SourcePages) -> None:
    """The manifest row of the agreement's file: its pages as `dcterms:source` of the agreement and of
    its source file (`A/source`, graph.mapping.add_source), the note on the source file."""
    source_file = URIRef(f"{agreement}/source")
    for url in pages.urls:
        g.add((agreement, DCTERMS.source, url))
        g.add((source_file, DCTERMS.source, url))
    if pages.retrieved is not None:
        g.add((source_file, DCTERMS.date, Literal(pages.retrieved)))
    if pages.note:
        g.add((source_file, SKOS.editorialNote, Literal(pages.note, lang="en")))
