"""A publisher's own base: `kyoyaku build` of the shipped data in a directory whose kyoyaku.toml sets
another base IRI, publisher, licence and site title. No file of dist/ — dumps, documents, pages,
CSVs, catalog, context, search index, report, ontology — names an IRI of the default base but the
vocabulary's, the data's IRIs are under the new base, and the catalog and pages name the publisher,
licence and title (docs/configuration.md)."""

from __future__ import annotations

import gzip
import re
import shutil

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from kyoyaku.graph.iris import VOCABULARY_BASE

from .conftest import EPOCH, ROOT, SEED, cli
from .test_config import FULL, OTHER

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VOID = Namespace("http://rdfs.org/ns/void#")
PUBLISHER = URIRef("https://www.city.example.lg.jp/")
LICENCE = URIRef("https://www.digital.go.jp/resources/open_data/public_data_license_v1.0")
# What stays at the default base whoever publishes the data: the vocabulary (its namespace `ns`, the concepts,
# the law's provisions, the ontology and the shapes) and its creator, the kyoyaku project (`project`, the
# dcterms:creator of the ontology and of every concept scheme, with its homepage, the bare base). The catalog's
# publisher is the configured one (test_the_catalog_names_the_publisher_licence_and_base, below).
VOCABULARY = ("ns", "concept/", "law/", "ontology/", "shapes", "project")
DEFAULT_BASE_OUTSIDE_VOCABULARY = re.compile(
    re.escape(VOCABULARY_BASE).encode() + b"(?!" + b"|".join(re.escape(v).encode() for v in VOCABULARY)
    + b'|[>"<])')


@pytest.fixture(scope="module")
def other_dist(tmp_path_factory):
    """The shipped seed and registry built in a directory with a kyoyaku.toml (the CLI finds it)."""
    work = tmp_path_factory.mktemp("other-base")
    (work / "kyoyaku.toml").write_text(FULL, encoding="utf-8")
    sources = work / "sources"
    sources.mkdir()
    shutil.copy(SEED, sources / SEED.name)
    done = cli("build", "--sources", sources, "--registry", ROOT / "data" / "registry", "--out", work / "dist",
               "--quiet", cwd=work, SOURCE_DATE_EPOCH=EPOCH)
    assert done.returncode == 0, done.stderr
    return work / "dist"


def texts(dist):
    """(path, bytes) of every file of the tree, a .gz decompressed."""
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield path.relative_to(dist).as_posix(), gzip.decompress(data) if path.suffix == ".gz" else data


def test_no_file_names_the_default_base_outside_the_vocabulary(other_dist):
    leaks = {}
    for name, data in texts(other_dist):
        found = [data[m.start():m.start() + 60].decode("utf-8", "replace")
                 for m in DEFAULT_BASE_OUTSIDE_VOCABULARY.finditer(data)]
        if found:
            leaks[name] = found[:3]
    assert leaks == {}
    names = {name for name, _ in texts(other_dist)}
    # the kinds of file checked above are all there
    assert {"kyoyaku.ttl", "kyoyaku.nt.gz", "kyoyaku.jsonld", "catalog.ttl", "catalog.jsonld", "index.html",
            "search-index.json", "search-index.js", "ontology/context.jsonld", "areas.csv",
            "agreement/082015-082368/2022-02-21.jsonld", "municipality/082015.html", "report/index.html",
            "validation-report.ttl"} <= names


def test_the_datas_iris_are_under_the_new_base(other_dist):
    nt = (other_dist / "kyoyaku.nt").read_text(encoding="utf-8")
    iris = set(re.findall(r"<([^>]+)>", nt))
    ours = {i for i in iris if i.startswith(OTHER)}
    assert {f"{OTHER}agreement/082015-082368/2022-02-21", f"{OTHER}municipality/082015",
            f"{OTHER}area/renkei-chusu/082015", f"{OTHER}agreement/082015-082368/2022-02-21/art_3"} <= ours
    kyoyakus = {i for i in iris if i.startswith(VOCABULARY_BASE)}
    assert {i[len(VOCABULARY_BASE):].split("/")[0].split("#")[0] for i in kyoyakus} == {"ns", "concept", "law"}
    # the published documents sit at the same paths under the tree as under the default base
    assert (other_dist / "agreement" / "082015-082368" / "2022-02-21.html").is_file()
    assert (other_dist / "area" / "renkei-chusu" / "082015.ttl").is_file()
    document = Graph().parse(other_dist / "municipality" / "082015.ttl")
    assert (URIRef(f"{OTHER}municipality/082015"), None, None) in document


def test_the_catalog_names_the_publisher_licence_and_base(other_dist):
    catalog = Graph().parse(other_dist / "catalog.ttl")
    dataset, home = URIRef(f"{OTHER}dataset"), URIRef(OTHER)
    assert set(catalog.objects(URIRef(f"{OTHER}catalog"), DCTERMS.publisher)) == {PUBLISHER}
    assert set(catalog.objects(dataset, DCTERMS.publisher)) == {PUBLISHER}
    assert set(catalog.objects(PUBLISHER, FOAF.name)) == {Literal("例市", lang="ja"), Literal("Example City", lang="en")}
    assert set(catalog.objects(dataset, DCTERMS.license)) == {LICENCE}
    assert set(catalog.objects(None, DCTERMS.license)) == {LICENCE}  # the catalog and every distribution too
    assert set(catalog.objects(dataset, VOID.uriSpace)) == {Literal(OTHER)}
    assert set(catalog.objects(dataset, DCAT.landingPage)) == {home}
    assert URIRef(f"{OTHER}kyoyaku.ttl") in set(catalog.objects(dataset, VOID.dataDump))
    rights = set(catalog.objects(URIRef(f"{OTHER}dataset#rights"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    assert Literal(f"This dataset is published under the terms of {LICENCE}.", lang="en") in rights


def test_the_pages_carry_the_site_title(other_dist):
    index = (other_dist / "index.html").read_text(encoding="utf-8")
    assert "<title>トップ | 例市の連携協約</title>" in index
    assert "<h1>例市の連携協約 " in index
    english = (other_dist / "en" / "index.html").read_text(encoding="utf-8")
    assert "<title>Home | Partnership agreements of Example City</title>" in english
    page = (other_dist / "agreement" / "082015-082368" / "2022-02-21.html").read_text(encoding="utf-8")
    assert ('<a href="../../index.html">例市の連携協約</a> <span class="en" lang="en">Partnership agreements of '
            'Example City</span>') in page
    assert "連携協約データ" not in page and "kyoyaku — Japanese" not in page


def test_report_alone_reads_the_same_configuration(other_dist, tmp_path):
    """`kyoyaku report` run where the kyoyaku.toml is redraws the build's report page: the site's
    title, and each area linked to its page (an IRI under the base)."""
    work = other_dist.parent
    done = cli("report", "--data", other_dist / "kyoyaku.ttl", "--out", tmp_path / "report", cwd=work,
               SOURCE_DATE_EPOCH=EPOCH)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert page == (other_dist / "report" / "index.html").read_text(encoding="utf-8")
    assert "例市の連携協約" in page and '<a href="../area/renkei-chusu/082015.html">' in page


def test_query_for_a_spreadsheet_gives_the_codes_of_municipalities_under_the_base(other_dist):
    """`kyoyaku query --excel` where the kyoyaku.toml is: the municipalities' IRIs are recognised under
    the new base, and their 団体コード follow them, as in the build's dist/queries/ CSV."""
    done = cli("query", "multi-area-municipalities", "--data", other_dist / "kyoyaku.ttl", "--format", "csv",
               "--excel", cwd=other_dist.parent)
    assert done.returncode == 0, done.stderr
    header = done.stdout.lstrip("\ufeff").splitlines()[0]
    assert header == "市町村,市町村の団体コード,名称,圏域数,枠組み数,圏域,圏域名,枠組み名"
    expected = (other_dist / "queries" / "multi-area-municipalities.csv").read_bytes().decode("utf-8")
    assert done.stdout.replace("\r\n", "\n") == expected.replace("\r\n", "\n")
