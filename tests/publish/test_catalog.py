"""The data catalog (kyoyaku.publish.catalog): DCAT 3 + VoID for a real build, checked against the files it
describes and against ontology/catalog-shapes.ttl, whose requirements are tested with the fixtures in
tests/fixtures/catalog/ the same way tests/shacl/test_validate.py tests shapes.ttl:

    # expect: kyo:DistributionShape dcat:byteSize      (or `-` when the result has no path)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from kyoyaku.graph.iris import BASE, DCTERMS
from kyoyaku.graph.serialize import graph_lines
from kyoyaku.publish import catalog
from kyoyaku.publish.catalog import (
    DCAT,
    SPDX,
    VOID,
    catalog_shapes_graph,
    validate_catalog,
)
from kyoyaku.sparql.store import load

from ..conftest import FIXTURES, SEED_IRI
from ..conftest import curie as curie_of
from ..conftest import expected_result as shape_expectation

CATALOG_FIXTURES = FIXTURES / "catalog"
VALID = sorted((CATALOG_FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((CATALOG_FIXTURES / "invalid").glob("*.ttl"))
BOTH_LANGUAGES = {"ja", "en"}
PREFIXES = {
    "kyo": "https://w3id.org/kyoyaku/ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
DUMPS = ["kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt", "kyoyaku-full.ttl", "kyoyaku-full.jsonld", "kyoyaku-full.nt"]
MODIFIED = date(2024, 5, 1)
ENDPOINT = "https://example.org/kyoyaku/sparql"
IANA = "http://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def published(corpus, tmp_path_factory):
    """A copy of the corpus build with a .gz of each dump beside it (unless the build writes them),
    the data graph, and the catalog written for it: (directory, data, distributions, catalog graph)."""
    dist, _ = corpus
    root = tmp_path_factory.mktemp("catalog") / "dist"
    root.mkdir()
    for name in DUMPS:
        shutil.copy(dist / name, root / name)
        if (dist / f"{name}.gz").is_file():
            shutil.copy(dist / f"{name}.gz", root / f"{name}.gz")
        else:
            (root / f"{name}.gz").write_bytes(gzip.compress((root / name).read_bytes(), mtime=0))
    data = load([root / "kyoyaku.ttl"])
    distributions = [root / n for n in DUMPS] + [root / f"{n}.gz" for n in DUMPS]
    catalog.write_catalog(root, data, distributions, MODIFIED, endpoint=ENDPOINT)
    graph = load([root / "catalog.ttl"])
    return root, data, distributions, graph


def distribution_of(graph: Graph, name: str) -> URIRef:
    return graph.value(predicate=DCAT.downloadURL, object=URIRef(BASE + name), any=False)


# --- the files it describes ---------------------------------------------------------------------


def test_every_dump_and_its_gz_is_a_distribution_of_the_dataset(published):
    _, _, _, g = published
    dataset = URIRef(BASE + "dataset")
    names = [*DUMPS, *(f"{n}.gz" for n in DUMPS)]
    assert set(g.objects(dataset, DCAT.distribution)) == {distribution_of(g, n) for n in names}
    assert set(g.objects(dataset, VOID.dataDump)) == {URIRef(BASE + n) for n in names}
    assert (URIRef(BASE + "catalog"), DCAT.dataset, dataset) in g


@pytest.mark.parametrize("name", [*DUMPS, *(f"{n}.gz" for n in DUMPS)])
def test_size_and_sha256_are_those_of_the_file(published, name):
    root, _, _, g = published
    content = (root / name).read_bytes()
    dist = distribution_of(g, name)
    assert g.value(dist, DCAT.byteSize) == Literal(str(len(content)), datatype=catalog.XSD.nonNegativeInteger)
    assert g.value(dist, DCAT.byteSize).toPython() == len(content)
    checksum = g.value(dist, SPDX.checksum)
    assert isinstance(checksum, URIRef)
    assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
    assert g.value(dist, DCAT.accessURL) == URIRef(BASE + name)


@pytest.mark.parametrize(("name", "media_type"), [("kyoyaku.ttl", "text/turtle"),
                                                  ("kyoyaku.jsonld", "application/ld+json"),
                                                  ("kyoyaku.nt", "application/n-triples"),
                                                  ("kyoyaku-full.ttl", "text/turtle"),
                                                  ("kyoyaku-full.jsonld", "application/ld+json"),
                                                  ("kyoyaku-full.nt", "application/n-triples")])
def test_media_types_and_gzip(published, name, media_type):
    _, _, _, g = published
    plain, packed = distribution_of(g, name), distribution_of(g, f"{name}.gz")
    assert g.value(plain, DCAT.mediaType) == URIRef(IANA + media_type)
    assert g.value(plain, DCAT.compressFormat) is None
    # a .gz is the same format, compressed (DCAT 3, dcat:compressFormat)
    assert g.value(packed, DCAT.mediaType) == URIRef(IANA + media_type)
    assert g.value(packed, DCAT.compressFormat) == URIRef(IANA + "application/gzip")
    assert {t.language for t in g.objects(packed, DCTERMS.title)} == BOTH_LANGUAGES


@pytest.mark.parametrize(("name", "ja", "en"), [
    ("kyoyaku.ttl", "データセット全体（Turtle）", "The whole dataset (Turtle)"),
    ("kyoyaku-full.nt.gz", "データセット全体とオントロジー・概念体系（N-Triples、gzip 圧縮）",
     "The whole dataset with the ontology and concept schemes (N-Triples, gzip-compressed)"),
])
def test_the_titles_say_which_dumps_carry_the_ontology_and_concept_schemes(published, name, ja, en):
    _, _, _, g = published
    assert set(g.objects(distribution_of(g, name), DCTERMS.title)) == {Literal(ja, lang="ja"), Literal(en, lang="en")}


def test_a_file_outside_root_or_of_an_unknown_format_is_refused(published, tmp_path):
    root, data, _, _ = published
    with pytest.raises(ValueError):
        catalog.catalog_graph(root, data, [root / "validation-report.txt"], MODIFIED)
    stray = tmp_path / "kyoyaku.ttl"
    stray.write_text("", encoding="utf-8")
    with pytest.raises(ValueError):
        catalog.catalog_graph(root, data, [stray], MODIFIED)


# --- the dataset --------------------------------------------------------------------------------


def test_dataset_metadata(published):
    _, _, _, g = published
    d = URIRef(BASE + "dataset")
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {t.language for t in g.objects(d, prop)} == BOTH_LANGUAGES, prop
    assert g.value(d, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    rights = " ".join(g.objects(g.value(d, DCTERMS.rights), RDFS.comment))
    assert "政府標準利用規約（第2.0版）" in rights and "Standard Terms of Use (version 2.0)" in rights
    assert g.value(d, DCTERMS.modified) == Literal("2024-05-01", datatype=catalog.XSD.date)
    assert g.value(d, DCTERMS.issued) == g.value(d, DCTERMS.modified)
    publisher = g.value(d, DCTERMS.publisher)
    assert {n.language for n in g.objects(publisher, catalog.FOAF.name)} == BOTH_LANGUAGES
    assert {k.language for k in g.objects(d, DCAT.keyword)} == BOTH_LANGUAGES
    assert g.value(d, DCTERMS.conformsTo) == URIRef("https://w3id.org/kyoyaku/ns#")
    assert g.value(d, DCAT.landingPage) == URIRef(BASE)


def test_issued_can_be_given(published):
    root, data, distributions, _ = published
    g = catalog.catalog_graph(root, data, distributions[:1], MODIFIED, issued=date(2023, 1, 2))
    d = URIRef(BASE + "dataset")
    assert g.value(d, DCTERMS.issued) == Literal("2023-01-02", datatype=catalog.XSD.date)
    assert g.value(d, DCTERMS.modified) == Literal("2024-05-01", datatype=catalog.XSD.date)


# --- VoID ---------------------------------------------------------------------------------------


def test_void_triples_is_the_size_of_the_data(published):
    _, data, _, g = published
    assert g.value(URIRef(BASE + "dataset"), VOID.triples).toPython() == len(data) > 500


def test_vocabularies_are_the_namespaces_the_data_uses(published):
    _, data, _, g = published
    vocabularies = {str(v) for v in g.objects(URIRef(BASE + "dataset"), VOID.vocabulary)}
    assert vocabularies >= {
        "http://data.europa.eu/eli/ontology#", "https://w3id.org/kyoyaku/ns#", "http://www.w3.org/ns/org#",
        "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#",
    }
    used = {str(p) for p in data.predicates()} | {str(c) for c in data.objects(None, RDF.type)}
    assert all(any(term.startswith(v) for v in vocabularies) for term in used)
    assert all(any(term.startswith(v) for term in used) for v in vocabularies)
    assert catalog.vocabularies(data) == sorted(vocabularies)


def test_example_resources_are_the_seed_one_of_its_municipalities_and_its_area(published):
    _, data, _, g = published
    examples = set(g.objects(URIRef(BASE + "dataset"), VOID.exampleResource))
    assert examples == {URIRef(SEED_IRI), URIRef(BASE + "municipality/082015"),
                        URIRef(BASE + "area/renkei-chusu/082015")}
    for example in examples:
        assert (example, RDF.type, None) in data


def test_class_partitions_count_the_entities_of_each_class(published):
    _, data, _, g = published
    partitions = {g.value(p, VOID["class"]): g.value(p, VOID.entities).toPython()
                  for p in g.objects(URIRef(BASE + "dataset"), VOID.classPartition)}
    kyo = catalog.KYO
    assert partitions[kyo.Agreement] == len(set(data.subjects(RDF.type, kyo.Agreement)))
    assert partitions == {c: len(set(data.subjects(RDF.type, c))) for c in set(data.objects(None, RDF.type))}


def test_sparql_endpoint_only_when_given(published):
    root, data, distributions, g = published
    assert g.value(URIRef(BASE + "dataset"), VOID.sparqlEndpoint) == URIRef(ENDPOINT)
    without = catalog.catalog_graph(root, data, distributions, MODIFIED)
    assert without.value(URIRef(BASE + "dataset"), VOID.sparqlEndpoint) is None


# --- validity and determinism -------------------------------------------------------------------


def test_the_catalog_conforms_to_the_catalog_shapes(published):
    _, _, _, g = published
    report = validate_catalog(g)
    assert report.conforms, report.text()
    assert report.results == [], report.text()


def test_the_catalog_has_no_blank_nodes(published):
    _, _, _, g = published
    assert not [t for t in g if any(isinstance(n, BNode) for n in t)]


def test_catalog_files_are_byte_identical_across_runs_and_hash_seeds(published, tmp_path):
    root, _, _, _ = published
    script = ("import sys; from datetime import date; from pathlib import Path; "
              "from kyoyaku.publish.catalog import write_catalog; from kyoyaku.sparql.store import load; "
              f"r = Path(sys.argv[1]); names = {DUMPS!r}; "
              "write_catalog(r, load([r / 'kyoyaku.ttl']), [r / n for n in names] + [r / (n + '.gz') for n in names], "
              f"date(2024, 5, 1), endpoint={ENDPOINT!r})")
    outputs = []
    for seed in ("1", "2"):
        copy = tmp_path / f"run{seed}"
        shutil.copytree(root, copy)
        for name in ("catalog.ttl", "catalog.jsonld"):
            (copy / name).unlink()
        subprocess.run([sys.executable, "-c", script, str(copy)], check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": ""})
        outputs.append({n: (copy / n).read_bytes() for n in ("catalog.ttl", "catalog.jsonld")})
    assert outputs[0] == outputs[1] == {n: (root / n).read_bytes() for n in ("catalog.ttl", "catalog.jsonld")}


def test_json_ld_is_the_turtle_with_an_embedded_context(published):
    root, _, _, g = published
    document = json.loads((root / "catalog.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == catalog.CONTEXT  # embedded: nothing to fetch
    assert "@import" not in document["@context"]
    assert isomorphic(Graph().parse(root / "catalog.jsonld", format="json-ld"), g)
    keys = {k for node in document["@graph"] for k in node}
    assert {"dcat:distribution", "dcat:downloadURL", "dcat:byteSize", "dcterms:title", "void:triples",
            "spdx:checksum", "spdx:checksumValue"} <= keys
    assert not [k for k in keys if k.startswith("http")]
    dataset = next(n for n in document["@graph"] if n["id"] == BASE + "dataset")
    assert dataset["void:triples"] == g.value(URIRef(BASE + "dataset"), VOID.triples).toPython()
    assert {"id": "http://purl.org/dc/terms/"} in dataset["void:vocabulary"]  # full IRIs, not "dcterms:"


def test_japanese_is_written_as_characters(published):
    root, _, _, _ = published
    for name in ("catalog.ttl", "catalog.jsonld"):
        text = (root / name).read_text(encoding="utf-8")
        assert "連携協約" in text and "\\u" not in text, name


# --- the shapes, with the fixtures --------------------------------------------------------------


def curie(iri: str) -> str:
    return curie_of(iri, PREFIXES)


def expected_result(fixture: Path) -> tuple[str, str | None, str]:
    return shape_expectation(fixture, PREFIXES)


@cache
def report_of(fixture: Path):
    return validate_catalog(load([fixture]))


def node_shapes() -> list[URIRef]:
    return sorted(catalog_shapes_graph().subjects(RDF.type, SH.NodeShape))


def languages(node) -> set[str]:
    return {m.language for m in catalog_shapes_graph().objects(node, SH.message) if isinstance(m, Literal)}


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
def test_valid_fixture_conforms_without_results(fixture):
    report = report_of(fixture)
    assert report.conforms and report.results == [], report.text()


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_violates_exactly_its_requirement(fixture):
    shape, path, severity = expected_result(fixture)
    report = report_of(fixture)
    assert report.conforms == (severity != "Violation"), report.text()
    assert report.results, f"{curie(shape)} did not fire:\n{report.text()}"
    assert {(r.shape, r.path, r.severity) for r in report.results} == {(shape, path, severity)}, report.text()


def test_every_catalog_node_shape_is_expected_by_an_invalid_fixture():
    expected = {expected_result(f)[0] for f in INVALID}
    shapes = {str(s) for s in node_shapes()}
    assert sorted(map(curie, shapes - expected)) == [], "NodeShapes without an invalid fixture"
    assert sorted(map(curie, expected - shapes)) == [], "fixtures expect shapes that catalog-shapes.ttl does not define"


@pytest.mark.parametrize("shape", node_shapes(), ids=curie)
def test_node_shape_is_named_labelled_and_explained_in_ja_and_en(shape):
    g = catalog_shapes_graph()
    assert isinstance(shape, URIRef) and str(shape).startswith(PREFIXES["kyo"])
    assert {label.language for label in g.objects(shape, RDFS.label)} >= BOTH_LANGUAGES
    assert languages(shape) >= BOTH_LANGUAGES, f"{curie(shape)} needs sh:message @ja and @en"
    for prop in g.objects(shape, SH.property):
        assert languages(prop) >= BOTH_LANGUAGES, f"property shape {g.value(prop, SH.path)} of {curie(shape)}"


def test_every_message_is_tagged_ja_or_en():
    untagged = [str(m) for m in catalog_shapes_graph().objects(None, SH.message) if m.language not in BOTH_LANGUAGES]
    assert untagged == []


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_each_violation_explains_itself_in_ja_and_en(fixture):
    for violation in report_of(fixture).violations:
        assert set(violation.messages) == BOTH_LANGUAGES, violation.describe()
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", violation.messages["ja"]), violation.describe()
        assert re.match(r"[A-Z][a-z]* ", violation.messages["en"]), violation.describe()


# --- the statistics, from the build's store -------------------------------------------------------


def rdflib_statistics(data: Graph) -> tuple:
    """The oracle: VoID's figures as kyoyaku computed them on the rdflib graph before the store."""
    classes: dict[str, set] = {}
    for subject, cls in data.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            classes.setdefault(str(cls), set()).add(subject)
    terms = {str(p) for p in data.predicates(unique=True)}
    terms |= {str(c) for c in data.objects(None, RDF.type) if isinstance(c, URIRef)}
    return (len(data), len(set(data.subjects(unique=True))), len(set(data.objects(unique=True))),
            sorted({str(p) for p in data.predicates(unique=True)}),
            {cls: len(members) for cls, members in sorted(classes.items())},
            sorted({catalog.namespace_of(t) for t in terms} - {""}))


@pytest.mark.parametrize("built", ["corpus", "national"])
def test_the_statistics_from_the_store_are_those_of_the_rdflib_graph(built, request):
    dist, _ = request.getfixturevalue(built)
    data = load([dist / "kyoyaku.nt"])
    store = graph_lines(data).store()
    found = catalog.statistics(store)
    assert (found.triples, found.distinct_subjects, found.distinct_objects, found.predicates, found.class_entities,
            catalog.vocabularies(store)) == rdflib_statistics(data)
    assert found.triples > 500 and len(found.class_entities) > 5


def test_the_catalog_of_the_store_is_the_catalog_of_the_graph(published):
    root, data, distributions, g = published
    from_store = catalog.catalog_graph(root, graph_lines(data).store(), distributions, MODIFIED, endpoint=ENDPOINT)
    from_graph = catalog.catalog_graph(root, data, distributions, MODIFIED, endpoint=ENDPOINT)
    assert catalog.turtle(from_store) == catalog.turtle(from_graph)
    assert set(from_store) == set(g)  # what write_catalog wrote


def test_example_resources_without_the_seed():
    """No seed agreement: the first agreement by IRI, its municipality and area (the store's queries)."""
    g = Graph()
    first, second = URIRef(BASE + "agreement/a"), URIRef(BASE + "agreement/b")
    kyo = catalog.KYO
    for agreement, code in ((second, "012041"), (first, "082015")):
        party, municipality, area = (URIRef(f"{agreement}/party/p1"), URIRef(BASE + f"municipality/{code}"),
                                     URIRef(BASE + f"area/renkei-chusu/{code}"))
        for triple in [(agreement, RDF.type, kyo.Agreement), (agreement, kyo.hasParty, party),
                       (party, kyo.municipality, municipality), (municipality, RDF.type, kyo.Municipality),
                       (agreement, kyo.area, area), (area, RDF.type, kyo.PartnershipArea)]:
            g.add(triple)
    assert catalog.example_resources(graph_lines(g).store()) == [
        first, URIRef(BASE + "municipality/082015"), URIRef(BASE + "area/renkei-chusu/082015")]
