"""The SHACL shapes (ontology/shapes.ttl) against the fixtures in tests/fixtures/shapes/.

valid/*.ttl conform without a single result. Each invalid/*.ttl is a minimal agreement with exactly
one defect and a header line naming the requirement it breaks and the result path:

    # expect: kyo:AgreementTitleShape eli:title      (or `-` when the result has no path)
    # expect: kyo:IncompleteTextShape kyo:incomplete Warning   (a warning-level requirement)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SH

from kyoyaku.shacl.report import Report, Result
from kyoyaku.shacl.shapes import shapes_graph
from kyoyaku.shacl.validate import validate
from kyoyaku.sparql.store import load

from ..conftest import FIXTURES
from ..conftest import curie as curie_of
from ..conftest import expected_result as shape_expectation

SHAPE_FIXTURES = FIXTURES / "shapes"
VALID = sorted((SHAPE_FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((SHAPE_FIXTURES / "invalid").glob("*.ttl"))

PREFIXES = {
    "kyo": "https://w3id.org/kyoyaku/ns#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
BOTH_LANGUAGES = {"ja", "en"}


def expectation(fixture: Path) -> tuple[str, str | None]:
    """(shape IRI, result path IRI or None) from the fixture's `# expect:` line."""
    shape, path, _ = expected_result(fixture)
    return shape, path


def expected_result(fixture: Path) -> tuple[str, str | None, str]:
    return shape_expectation(fixture, PREFIXES)


@cache
def report_of(fixture: Path) -> Report:
    return validate(load([fixture]))


def key(result: Result) -> tuple:
    return (result.severity, result.shape, result.focus, result.path, result.value)


def node_shapes() -> list[URIRef]:
    return sorted(shapes_graph().subjects(RDF.type, SH.NodeShape))


def curie(iri: str) -> str:
    return curie_of(iri, PREFIXES)


def languages(node) -> set[str]:
    return {m.language for m in shapes_graph().objects(node, SH.message) if isinstance(m, Literal)}


def sparql_constraints(shape) -> list:
    return list(shapes_graph().objects(shape, SH.sparql))


# --- valid fixtures -----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
def test_valid_fixture_conforms_without_results(fixture):
    report = report_of(fixture)
    assert report.conforms, report.text()
    assert report.results == [], report.text()


def test_seed_agreement_as_mapped_now_has_no_results(seed_graph):
    """The seed straight from the parser and mapping (not the fixture copy): zero results."""
    report = validate(seed_graph)
    assert report.conforms, report.text()
    assert report.results == [], report.text()


def test_seed_fixture_is_the_current_mapping(seed_graph):
    from kyoyaku.graph.serialize import turtle

    text = (SHAPE_FIXTURES / "valid" / "seed.ttl").read_text(encoding="utf-8")
    body = text[text.index("@prefix"):]
    assert body == turtle(seed_graph), "regenerate tests/fixtures/shapes/valid/seed.ttl (command in its header)"


def test_the_valid_fixtures_include_the_seed_and_a_hand_written_agreement():
    names = {p.name for p in VALID}
    assert "seed.ttl" in names and "minimal.ttl" in names


# --- invalid fixtures ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_violates_exactly_its_requirement(fixture):
    shape, path, severity = expected_result(fixture)
    report = report_of(fixture)
    found = [r for r in report.results if r.severity == severity]
    # any result makes the data non-conforming (SHACL); only a violation makes kyoyaku refuse them
    assert not report.conforms and list(report.graph.objects(None, SH.conforms)) == [Literal(False)]
    assert report.accepted == (severity != "Violation"), report.text()
    assert any(r.shape == shape and r.path == path for r in found), f"{curie(shape)} did not fire:\n{report.text()}"
    others = [r for r in report.results if r.shape != shape]
    assert others == [], f"{fixture.name} has one defect, but other shapes fired too:\n{report.text()}"
    assert {(r.shape, r.path, r.severity) for r in report.results} == {(shape, path, severity)}, report.text()


def test_every_node_shape_is_expected_by_an_invalid_fixture():
    expected = {expectation(f)[0] for f in INVALID}
    shapes = {str(s) for s in node_shapes()}
    assert sorted(map(curie, shapes - expected)) == [], "NodeShapes without an invalid fixture"
    assert sorted(map(curie, expected - shapes)) == [], "fixtures expect shapes that shapes.ttl does not define"


def test_agreements_validated_together_give_each_ones_own_results():
    """$this is pre-bound in every SPARQL constraint, including inside GROUP BY, OPTIONAL and
    FILTER NOT EXISTS: validating all fixtures (and the seed) in one graph gives exactly the union of
    their separate results, no more (a query seeing other agreements) and no fewer."""
    fixtures = VALID + INVALID
    separately = {key(r) for f in fixtures for r in report_of(f).results}
    together = {key(r) for r in validate(load(fixtures)).results}
    assert together == separately


# --- messages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", node_shapes(), ids=curie)
def test_node_shape_is_named_labelled_and_explained_in_ja_and_en(shape):
    g = shapes_graph()
    assert isinstance(shape, URIRef) and str(shape).startswith(PREFIXES["kyo"])
    assert {label.language for label in g.objects(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))} >= BOTH_LANGUAGES
    assert languages(shape) >= BOTH_LANGUAGES, f"{curie(shape)} needs sh:message @ja and @en"
    for constraint in sparql_constraints(shape):
        assert languages(constraint) >= BOTH_LANGUAGES, f"a SPARQL constraint of {curie(shape)} lacks a ja/en sh:message"
    for prop in g.objects(shape, SH.property):
        sparql = sparql_constraints(prop)
        for constraint in sparql:
            assert languages(constraint) >= BOTH_LANGUAGES, f"a SPARQL constraint of {curie(shape)} lacks a ja/en sh:message"
        # a property shape that only holds SPARQL constraints is explained by them
        assert languages(prop) >= BOTH_LANGUAGES or (sparql and not languages(prop)), (
            f"property shape {g.value(prop, SH.path)} of {curie(shape)} needs sh:message @ja and @en"
        )


def test_every_message_is_tagged_ja_or_en():
    untagged = [str(m) for m in shapes_graph().objects(None, SH.message) if m.language not in BOTH_LANGUAGES]
    assert untagged == []


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_each_violation_explains_itself_in_ja_and_en(fixture):
    for violation in report_of(fixture).violations:
        assert set(violation.messages) == BOTH_LANGUAGES, violation.describe()
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", violation.messages["ja"]), violation.describe()
        assert re.match(r"[A-Z][a-z]* ", violation.messages["en"]), violation.describe()  # an English sentence


def test_docs_list_every_shape():
    import runpy

    from ..conftest import ROOT

    documented = (ROOT / "docs" / "shapes.md").read_text(encoding="utf-8")
    for shape in node_shapes():
        assert f"`{curie(str(shape))}`" in documented, shape
    generate = runpy.run_path(str(ROOT / "docs" / "generate_shapes_md.py"))["shapes_md"]
    assert documented == generate(), "regenerate docs/shapes.md: python docs/generate_shapes_md.py"


def test_the_report_in_turtle_is_byte_identical_whatever_its_blank_node_labels(national_graph):
    """validation-report.ttl (issue 15, item 8): the report's blank nodes — the report, its 94
    results, the shape nodes copied under them — are written with canonical labels (RDFC-1.0) and
    the statements sorted, so the same results give the same bytes: the same report graph with
    every blank node renamed and the triples added in another order, and a second validation."""
    import random

    from rdflib import BNode, Graph
    from rdflib.compare import isomorphic

    report = validate(national_graph)
    text = report.turtle()
    assert len(report.results) == 181
    assert text.count("a sh:ValidationResult ;") == 181 and text.count("a sh:ValidationReport ;") == 1
    assert isomorphic(Graph().parse(data=text, format="turtle"), report.graph)
    renamed: dict = {}
    triples = [tuple(renamed.setdefault(t, BNode()) if isinstance(t, BNode) else t for t in triple)
               for triple in report.graph]
    random.Random(15).shuffle(triples)
    relabelled = Graph()
    for prefix, namespace in report.graph.namespaces():
        relabelled.bind(prefix, namespace)
    for triple in triples:
        relabelled.add(triple)
    assert set(relabelled.subjects()).isdisjoint(report.graph.subjects())
    assert Report(report.accepted, report.results, relabelled).turtle() == text
    assert validate(national_graph).turtle() == text
