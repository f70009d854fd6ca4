"""The publisher's settings (kyoyaku.config): where they are read from, which file wins, what a bad
value says, and that a build's settings never outlive it."""

from __future__ import annotations

import pytest

from kyoyaku import config
from kyoyaku.config import Bilingual, Settings, current, load_settings, using
from kyoyaku.errors import ConfigError
from kyoyaku.graph import iris

from .conftest import ROOT, cli

OTHER = "https://data.example.lg.jp/renkei/"
FULL = f"""base = "{OTHER}"
licence = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"

[publisher]
iri = "https://www.city.example.lg.jp/"
name = {{ ja = "例市", en = "Example City" }}

[site_title]
ja = "例市の連携協約"
en = "Partnership agreements of Example City"
"""
FULL_SETTINGS = Settings(base=OTHER, publisher_name=Bilingual("例市", "Example City"),
                         publisher_iri="https://www.city.example.lg.jp/",
                         licence="https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
                         site_title=Bilingual("例市の連携協約", "Partnership agreements of Example City"))


def test_the_defaults_are_kyoyakus_own(tmp_path):
    """No configuration: the values kyoyaku published under before the settings existed."""
    assert load_settings(directory=tmp_path) == config.DEFAULTS
    assert config.DEFAULTS.base == "https://w3id.org/kyoyaku/" == iris.VOCABULARY_BASE
    assert config.DEFAULTS.publisher == "https://w3id.org/kyoyaku/project"
    assert config.DEFAULTS.licence == "https://creativecommons.org/licenses/by/4.0/"
    assert config.DEFAULTS.publisher_name == Bilingual("kyoyaku プロジェクト", "kyoyaku project")
    assert config.DEFAULTS.site_title == Bilingual("連携協約データ", "kyoyaku — Japanese inter-municipal partnership agreements")


def test_kyoyaku_toml_sets_every_field(tmp_path):
    (tmp_path / "kyoyaku.toml").write_text(FULL, encoding="utf-8")
    assert load_settings(directory=tmp_path) == FULL_SETTINGS


def test_pyproject_tool_table_sets_them(tmp_path):
    table = FULL.replace("[publisher]", "[tool.kyoyaku.publisher]").replace("[site_title]", "[tool.kyoyaku.site_title]")
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.kyoyaku]\n{table}', encoding="utf-8")
    assert load_settings(directory=tmp_path) == FULL_SETTINGS
    assert load_settings(tmp_path / "pyproject.toml") == FULL_SETTINGS  # given with --config


def test_a_pyproject_without_the_table_leaves_the_defaults(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_settings(directory=tmp_path) == config.DEFAULTS


def test_kyoyaku_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "kyoyaku.toml").write_text(f'base = "{OTHER}"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.kyoyaku]\nbase = "https://other.example.org/"\n'
                                             'licence = "https://example.org/licence"\n', encoding="utf-8")
    settings = load_settings(directory=tmp_path)
    assert settings.base == OTHER
    assert settings.licence == config.DEFAULTS.licence  # nothing of pyproject.toml is mixed in


def test_unset_fields_keep_their_defaults_and_the_publisher_follows_the_base(tmp_path):
    (tmp_path / "kyoyaku.toml").write_text(f'base = "{OTHER}"\n[site_title]\nja = "例市の連携協約"\n', encoding="utf-8")
    settings = load_settings(directory=tmp_path)
    assert settings == Settings(base=OTHER, site_title=Bilingual("例市の連携協約", config.DEFAULTS.site_title.en))
    assert settings.publisher == f"{OTHER}project"


def test_a_given_file_is_read_instead_of_the_working_directorys(tmp_path):
    (tmp_path / "kyoyaku.toml").write_text('base = "https://ignored.example.org/"\n', encoding="utf-8")
    given = tmp_path / "elsewhere.toml"
    given.write_text(FULL, encoding="utf-8")
    assert load_settings(given, directory=tmp_path) == FULL_SETTINGS


ENDS_WITH_SLASH = ': expected base to be an http(s) IRI ending with "/" (no "#" or "?"), found \''
BAD = [
    ('base = "https://data.example.lg.jp/renkei"\n',
     ENDS_WITH_SLASH + "https://data.example.lg.jp/renkei'"),
    ('base = "https://data.example.lg.jp/ns#/"\n',
     ENDS_WITH_SLASH + "https://data.example.lg.jp/ns#/'"),
    ('base = "data.example.lg.jp/"\n',
     ": expected base to be an absolute http(s) IRI, found 'data.example.lg.jp/'"),
    ("base = 5\n", ": expected base to be an absolute http(s) IRI, found '5'"),
    ('licence = "CC BY 4.0"\n', ": expected licence to be an absolute http(s) IRI, found 'CC BY 4.0'"),
    ('[publisher]\niri = "urn:x"\n', ": expected publisher.iri to be an absolute http(s) IRI, found 'urn:x'"),
    ('[publisher]\nname = { ja = "", en = "Example City" }\n',
     ": expected publisher.name.ja to be a non-empty text on one line"),
    ('publisher = "例市"\n', ": expected publisher to be a table, found '例市'"),
    ('site_title = "例市"\n', ": expected site_title to be a table, found '例市'"),
    ('[site_title]\nfr = "Accords"\n',
     ": expected only the keys site_title.en, site_title.ja, found 'site_title.fr'"),
    ('bsae = "https://data.example.lg.jp/"\n',
     ": expected only the keys base, licence, publisher, site_title, found 'bsae'"),
    ('base = "https://data.example.lg.jp/"\nlicence = \n',
     ":2: expected TOML, found 'Invalid value'"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[f"bad-{i}" for i in range(len(BAD))])
def test_a_bad_configuration_names_the_file_and_key(tmp_path, text, message):
    (tmp_path / "kyoyaku.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(directory=tmp_path)
    assert str(raised.value) == f"{tmp_path / 'kyoyaku.toml'}{message}"


def test_a_bad_tool_table_is_named_by_its_place_in_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kyoyaku]\nbase = "ftp://x/"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(directory=tmp_path)
    assert str(raised.value) == (f"{tmp_path / 'pyproject.toml'}: expected tool.kyoyaku.base to be an absolute "
                                 "http(s) IRI, found 'ftp://x/'")


def test_build_with_a_bad_configuration_exits_2_in_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "kyoyaku.toml").write_text('base = "https://data.example.lg.jp/renkei"\n', encoding="utf-8")
    done = cli("build", "--sources", ROOT / "data" / "sources", "--no-registry", "--out", tmp_path / "dist",
               "--quiet", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ('kyoyaku: kyoyaku.toml: expected base to be an http(s) IRI ending with "/" (no "#" or "?"), '
                           "found 'https://data.example.lg.jp/renkei'\n")
    assert done.stdout == ""
    assert not (tmp_path / "dist").exists()


def test_build_config_option_names_a_missing_file(tmp_path):
    done = cli("build", "--config", tmp_path / "nowhere.toml", "--out", tmp_path / "dist", "--quiet", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, f"kyoyaku: {tmp_path / 'nowhere.toml'}: expected a configuration file (kyoyaku.toml), found 'no such file'\n")
    assert not (tmp_path / "dist").exists()


def test_settings_are_current_only_inside_using():
    other = Settings(base=OTHER)
    assert current() == config.DEFAULTS
    with using(other):
        assert iris.data_base() == OTHER
        assert str(iris.municipality("082015")) == f"{OTHER}municipality/082015"
        assert str(iris.concept("framework", "renkei-chusu")) == "https://w3id.org/kyoyaku/concept/framework/renkei-chusu"
        assert str(iris.KYO.Agreement) == "https://w3id.org/kyoyaku/ns#Agreement"
        assert iris.site_path(f"{OTHER}area/renkei-chusu/082015") == "area/renkei-chusu/082015"
        assert iris.site_path("https://w3id.org/kyoyaku/area/renkei-chusu/082015") is None
        with using(config.DEFAULTS):
            assert iris.data_base() == "https://w3id.org/kyoyaku/"
        assert iris.data_base() == OTHER
    assert current() == config.DEFAULTS
    assert str(iris.municipality("082015")) == "https://w3id.org/kyoyaku/municipality/082015"


def test_a_failed_build_leaves_no_settings_behind(tmp_path):
    """The settings are the build's alone: after a build under another base — here one that fails —
    the process is back at the defaults."""
    from kyoyaku.errors import KyoyakuError
    from kyoyaku.pipeline import build

    with pytest.raises(KyoyakuError):
        build(tmp_path / "no-sources", tmp_path / "dist", settings=Settings(base=OTHER))
    assert current() == config.DEFAULTS
