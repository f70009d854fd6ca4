"""The sources manifest (data/sources/sources.csv; kyoyaku.registry.manifest): each full text's
official page, published as dcterms:source of the agreement and of its source file, shown on the
agreement page; a malformed manifest stops the build with its line, a text without a row is a warning."""

import shutil
from datetime import date

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kyoyaku.graph.iris import DCTERMS
from kyoyaku.pipeline import build
from kyoyaku.registry.manifest import SourcePages, read_manifest
from kyoyaku.text.sources import read_folder

from ..conftest import ROOT, SEED, SEED_IRI, cli

SOURCES = ROOT / "data" / "sources"
REGISTRY = ROOT / "data" / "registry" / "ibaraki-kenou"
MITO_PAGE = URIRef("https://www.city.mito.lg.jp/site/central-area-of-ibaraki-prefecture-renkei-chusu/")
NAKA_PAGE = URIRef("https://www.city.naka.lg.jp/gyousei/ijyu-teijyu/page008428.html")
SEED_NOTE = ("The area's official page on 水戸市's site (いばらき県央地域連携中枢都市圏), the source the area registry "
             "(data/registry/ibaraki-kenou/members.csv) gives for this agreement. No page of this agreement's own "
             "text is recorded, and no retrieval date.")
HEADER = "file,source_url,retrieved,note\n"


def sources_with(tmp_path, manifest: str | None):
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    if manifest is not None:
        (folder / "sources.csv").write_text(manifest, encoding="utf-8")
    return folder


def test_the_shipped_manifest_gives_the_seed_its_page():
    assert read_manifest(SOURCES, read_folder(SOURCES).texts) == {
        SEED.name: SourcePages(SEED.name, (MITO_PAGE,), None, SEED_NOTE)}


def test_the_manifest_is_never_read_as_an_agreement_text():
    folder = read_folder(SOURCES)
    assert [p.name for p in folder.texts] == [SEED.name]
    assert SOURCES / "sources.csv" in folder.others


def test_a_row_with_several_pages_and_a_date(tmp_path):
    folder = sources_with(tmp_path, HEADER + f"{SEED.name},{MITO_PAGE} {NAKA_PAGE},2024-05-01,\n")
    assert read_manifest(folder, read_folder(folder).texts) == {
        SEED.name: SourcePages(SEED.name, (MITO_PAGE, NAKA_PAGE), date(2024, 5, 1), "")}


def test_the_seed_and_its_source_file_carry_the_manifest_page(tmp_path):
    folder = sources_with(tmp_path, HEADER + f"{SEED.name},{MITO_PAGE},2024-05-01,seen on the area page\n")
    g = build(folder, tmp_path / "dist").graph
    seed, source_file = URIRef(SEED_IRI), URIRef(SEED_IRI + "/source")
    assert set(g.triples((seed, DCTERMS.source, None))) == {(seed, DCTERMS.source, MITO_PAGE)}
    assert set(g.triples((source_file, DCTERMS.source, None))) == {(source_file, DCTERMS.source, MITO_PAGE)}
    assert set(g.triples((source_file, DCTERMS.date, None))) == {
        (source_file, DCTERMS.date, Literal(date(2024, 5, 1)))}
    assert set(g.triples((source_file, SKOS.editorialNote, None))) == {
        (source_file, SKOS.editorialNote, Literal("seen on the area page", lang="en"))}


def test_the_replaced_records_pages_are_kept_beside_the_manifest_page(tmp_path):
    result = build(SOURCES, tmp_path / "dist", registry=REGISTRY)
    seed, source_file = URIRef(SEED_IRI), URIRef(SEED_IRI + "/source")
    assert set(result.graph.objects(seed, DCTERMS.source)) == {MITO_PAGE, NAKA_PAGE}
    assert set(result.graph.objects(source_file, DCTERMS.source)) == {MITO_PAGE}
    assert result.warnings == [] and result.report.accepted


def test_the_agreement_page_shows_the_official_page(tmp_path):
    build(SOURCES, tmp_path / "dist")
    html = (tmp_path / "dist" / "agreement" / "082015-082368" / "2022-02-21.html").read_text(encoding="utf-8")
    assert (f'<dt>公開元のページ <span class="en" lang="en">Published at</span></dt><dd><a href="{MITO_PAGE}">'
            f'{MITO_PAGE}</a></dd>') in html
    assert f'<li><a href="{MITO_PAGE}">{MITO_PAGE}</a></li>' in html  # 出典と注記 Sources and notes


def test_a_text_without_a_row_is_a_warning_line(tmp_path):
    folder = sources_with(tmp_path, None)
    done = cli("build", "--sources", folder, "--out", tmp_path / "dist", "--no-registry", "--quiet")
    assert done.returncode == 0
    assert done.stderr == (f"{folder / SEED.name}: warning: no row in sources.csv, so no official source page "
                           "is published for it\n")


@pytest.mark.parametrize(("manifest", "line", "expected"), [
    ("file,source_url,note\n", 1, "expected a CSV header with file, note, retrieved, source_url, found 'no column retrieved'"),
    (HEADER + f"{SEED.name},{MITO_PAGE},2022-02-30,\n", 2,
     "expected retrieved: an ISO date YYYY-MM-DD, or nothing, found '2022-02-30'"),
    (HEADER + f"{SEED.name},{MITO_PAGE},21 Feb 2022,\n", 2,
     "expected retrieved: an ISO date YYYY-MM-DD, or nothing, found '21 Feb 2022'"),
    (HEADER + f"{SEED.name},{MITO_PAGE},,\nmissing.txt,{MITO_PAGE},,\n", 3,
     "expected file: the name of an agreement text in the sources folder, found 'missing.txt'"),
    (HEADER + f"{SEED.name},ftp://example.org/a.pdf,,\n", 2,
     "expected source_url: one or more http(s) URLs, found 'ftp://example.org/a.pdf'"),
    (HEADER + f"{SEED.name},,,\n", 2, "expected source_url: one or more http(s) URLs, found 'nothing'"),
    (HEADER + f"{SEED.name},{MITO_PAGE},,\n{SEED.name},{NAKA_PAGE},,\n", 3,
     f"expected file: one row per file ({SEED.name} has an earlier row), found '{SEED.name}'"),
])
def test_a_malformed_manifest_exits_2_with_one_line_and_writes_nothing(tmp_path, manifest, line, expected):
    folder = sources_with(tmp_path, manifest)
    done = cli("build", "--sources", folder, "--out", tmp_path / "dist", "--no-registry", "--quiet")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"kyoyaku: {folder / 'sources.csv'}:{line}: {expected}\n"
    assert not (tmp_path / "dist").exists()
