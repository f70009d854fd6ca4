"""kyoyaku.shacl.sparql_engine — the shapes compiled to SPARQL on Oxigraph — reports exactly what pySHACL
reports through kyoyaku.shacl.validate.validate(…, split=False): the same Result lists (severity,
requirement, focus, path, value, ja/en messages) and conformance, on every shape fixture alone and
all together, the seed, the corpus, the national data and synthetic agreements with faults; the
same holds for a zoo of SHACL features beyond the project's shapes; shapes it cannot check are
refused when compiled."""

from __future__ import annotations

import sys
from decimal import Decimal
from functools import cache

import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from kyoyaku.shacl.report import report_of
from kyoyaku.shacl.shapes import shapes_graph
from kyoyaku.shacl.sparql_engine import (
    Unsupported,
    compile_shapes,
    compiled,
    load_store,
    validate_graph,
    validate_store,
)
from kyoyaku.shacl.validate import validate
from kyoyaku.sparql.store import load

from ..conftest import FIXTURES, ROOT

SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*/*.ttl"))
INVALID = [f for f in SHAPE_FIXTURES if f.parent.name == "invalid"]
KYO = Namespace("https://w3id.org/kyoyaku/ns#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
TIME = Namespace("http://www.w3.org/2006/time#")
DCTERMS = Namespace("http://purl.org/dc/terms/")


def same_as_pyshacl(data: Graph, plan=None):
    expected = validate(data, split=False, engine="pyshacl")
    got = validate_graph(data, plan)
    assert got.results == expected.results
    assert got.conforms == expected.conforms
    return got


# --- the project's shapes ------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_shape_fixture(fixture):
    same_as_pyshacl(load([fixture]))


def test_all_invalid_fixtures_in_one_graph():
    report = same_as_pyshacl(load(INVALID))
    assert not report.conforms and len(report.results) >= len(INVALID)


def test_every_fixture_at_once_with_each_sparql_constraint_run_per_focus_node():
    """The project's SPARQL constraints are joined with their targets (one query each); run per focus
    node, as pySHACL runs them, they give the same results."""
    assert all(q.text.joinable for q in compiled().sparql)
    per_focus = compile_shapes(shapes_graph(), join=False)
    assert not any(q.text.joinable for q in per_focus.sparql)
    data = load(SHAPE_FIXTURES)
    same_as_pyshacl(data, per_focus)
    same_as_pyshacl(data)


def test_the_seed(seed_graph):
    assert same_as_pyshacl(seed_graph).results == []


@pytest.mark.parametrize("built", ["corpus", "national"])
def test_a_built_dataset_as_graph_and_as_store(built, request):
    """The corpus and the national data: from an rdflib graph, and from the Oxigraph store the
    fixture opened on the published Turtle (with the ontology and concept schemes)."""
    dist, store = request.getfixturevalue(built)
    data = load([dist / "kyoyaku.ttl"])
    expected = same_as_pyshacl(data)
    from_store = validate_store(store)
    assert from_store.results == expected.results and from_store.conforms == expected.conforms
    if built == "national":
        assert len(expected.results) == 181  # the warnings of tests/test_cli.py


# --- synthetic agreements with faults ------------------------------------------------------------


@cache
def synthetic_graph() -> tuple[Graph, list[str]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    from kyoyaku.graph.mapping import agreement_iri, new_graph, to_graph

    agreements = synthetic.agreements(30)
    graph = new_graph()
    for agreement in agreements:
        to_graph(agreement, graph)
    return graph, [agreement_iri(a) for a in agreements]


def first(graph: Graph, agreement: str, cls: URIRef, **where) -> URIRef:
    """The first node of class `cls` that is part of the agreement (and has the given values)."""
    nodes = sorted(s for s in graph.subjects(RDF.type, cls) if str(s).startswith(agreement + "/")
                   and all((s, KYO[p], o) in graph for p, o in where.items()))
    return nodes[0]


def with_faults(graph: Graph, a: list[str]) -> Graph:
    g = Graph()
    for triple in graph:
        g.add(triple)
    A = [URIRef(x) for x in a]
    g.remove((A[0], ELI.date_document, None))
    hei = URIRef(a[1] + "/party/hei")  # a third party that does not sign
    for p, o in [(RDF.type, KYO.Party), (KYO.role, URIRef("https://w3id.org/kyoyaku/concept/party-role/partner")),
                 (KYO.municipality, g.value(URIRef(a[2] + "/party/otsu"), KYO.municipality)),
                 (KYO.designation, Literal("丙", lang="ja"))]:
        g.add((hei, p, o))
    g.add((A[1], KYO.hasParty, hei))
    g.set((min(s for s in g.subjects(KYO.text, None) if str(s).startswith(a[2] + "/")), KYO.sourceLine, Literal(0)))
    g.set((first(g, a[3], KYO.RoleStatement), KYO.leads, Literal("yes")))
    g.remove((first(g, a[4], KYO.Initiative), KYO.policyField, None))
    municipality = g.value(URIRef(a[5] + "/party/otsu"), KYO.municipality)
    code = str(g.value(municipality, DCTERMS.identifier))
    g.set((municipality, DCTERMS.identifier, Literal(code[:5] + str((int(code[5]) + 1) % 10))))
    g.set((first(g, a[6], KYO.Article), KYO.text, Literal("第1条 本文")))
    g.add((A[7], ELI.title, Literal("二つ目の題名", lang="ja")))
    g.set((first(g, a[8], KYO.Article, ordinal=Literal(2)), KYO.ordinal, Literal(99)))
    g.set((A[9], ELI.date_document, Literal("2020-02-30", datatype=XSD.date)))
    g.set((URIRef(a[10] + "/lapse-period"), TIME.numericDuration, Literal(Decimal(-3))))
    g.set((URIRef(a[11] + "/party/otsu"), KYO.role, URIRef("https://w3id.org/kyoyaku/concept/party-role/unknown")))
    g.set((URIRef(a[12] + "/party/otsu"), KYO.municipality, g.value(URIRef(a[12] + "/party/kou"), KYO.municipality)))
    g.remove((first(g, a[13], KYO.Article, ordinal=Literal(1)), RDF.type, KYO.Article))
    g.set((first(g, a[14], KYO.Article), KYO.text, Literal("本文", lang="ja-JP")))
    g.set((first(g, a[14], KYO.Initiative), KYO.description, Literal("text", lang="en")))
    g.set((first(g, a[15], KYO.Signature), KYO.signatoryName, Literal("架空 太郎", lang="ja")))
    return g


def test_synthetic_agreements_with_faults():
    graph, iris = synthetic_graph()
    assert same_as_pyshacl(graph).results == []
    report = same_as_pyshacl(with_faults(graph, iris))
    fired = {r.shape.rsplit("#", 1)[-1] for r in report.results}
    assert fired >= {
        "AgreementDateShape", "AgreementSignaturesShape", "InitiativeRoleStatementsShape", "SourceLineShape",
        "RoleStatementShape", "InitiativeMappedShape", "MunicipalityCheckDigitShape", "TextLanguageShape",
        "AgreementTitleShape", "ArticleNumberingShape", "LapsePeriodShape", "PartyShape",
        "AgreementDistinctMunicipalitiesShape", "SignatureShape"}, sorted(fired)


# --- the report graph ----------------------------------------------------------------------------


def test_the_report_graph_has_one_complete_sh_result_per_result():
    report = validate_graph(load(INVALID))
    graph = report.graph
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(root, SH.conforms) == Literal(report.conforms)
    nodes = list(graph.objects(root, SH.result))
    assert len(nodes) == len(report.results)
    for node in nodes:
        for p in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent):
            assert graph.value(node, p) is not None, p
        assert {m.language for m in graph.objects(node, SH.resultMessage)} == {"ja", "en"}
    # read back as kyoyaku.shacl.validate reads pySHACL's report: the same results, paths and values included
    assert report_of(report.accepted, graph, shapes_graph()).results == report.results
    for p, field in ((SH.resultPath, "path"), (SH.value, "value")):
        with_it = sum(1 for n in nodes if graph.value(n, p) is not None)
        assert with_it == sum(1 for r in report.results if getattr(r, field) is not None), p


def test_a_conforming_report():
    report = validate_store(load_store(load([FIXTURES / "shapes" / "valid" / "minimal.ttl"])))
    assert report.conforms and report.results == []
    assert (None, SH.conforms, Literal(True)) in report.graph
    assert not list(report.graph.objects(None, SH.result))


# --- beyond the project's shapes -----------------------------------------------------------------

ZOO_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/zoo#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "A thing."@en , "物"@ja ;
    sh:property [ sh:path ex:code ; sh:maxLength 2 ; sh:pattern "^a" ; sh:flags "i" ;
                  sh:in ( "a1" "A2" "abc" ) ; sh:message "Code."@en ] ;
    sh:property [ sh:path ex:size ; sh:minExclusive 0 ; sh:maxInclusive 10 ; sh:datatype xsd:integer ;
                  sh:message "Size."@en ] ;
    sh:property [ sh:path ex:born ; sh:datatype xsd:date ; sh:maxExclusive "2000-01-01"^^xsd:date ;
                  sh:message "Born."@en ] ;
    sh:property [ sh:path ex:friend ; sh:node ex:PersonShape ; sh:nodeKind sh:IRI ; sh:message "Friend."@en ] ;
    sh:property [ sh:path ex:tag ; sh:minCount 2 ; sh:maxCount 3 ; sh:languageIn ( "en" "ja" ) ;
                  sh:message "Tag."@en ] ;
    sh:property [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Wheel ] ; sh:qualifiedMinCount 2 ;
                  sh:qualifiedMaxCount 2 ; sh:message "Parts."@en ] ;
    sh:property [ sh:path ex:part ; sh:not [ sh:class ex:Broken ] ; sh:message "Not broken."@en ] ;
    sh:property [ sh:path ex:owner ; sh:hasValue ex:alice ; sh:message "Owner."@en ] ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "Too many tags."@en ; sh:select \"\"\"
        SELECT $this ?value WHERE {
            { SELECT $this (COUNT(?t) AS ?value) WHERE { $this <http://example.org/zoo#tag> ?t } GROUP BY $this }
            FILTER (?value > 2)
        }\"\"\" ] .
ex:PersonShape a sh:NodeShape ; sh:class ex:Person ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:FriendShape a sh:NodeShape ; sh:targetObjectsOf ex:friend ; sh:nodeKind sh:IRI ; sh:message "An IRI."@en .
ex:SpecialShape a sh:NodeShape ; sh:targetNode ex:x2 , ex:alice ; sh:class ex:Person ; sh:in ( ex:alice ex:x2 ) ;
    sh:message "Special."@en .
ex:WarnShape a sh:NodeShape ; sh:targetSubjectsOf ex:size ; sh:severity sh:Warning ; sh:message "Warn."@en ;
    sh:property [ sh:path ex:size ; sh:maxCount 0 ; sh:message "No size."@en ] .
"""
ZOO_DATA = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/zoo#> .
ex:t1 a ex:Thing ; ex:code "a1" , "Abc" , "zz" ; ex:size 0 , 5 , "7" ;
    ex:born "1999-12-31"^^xsd:date , "2001-01-01"^^xsd:date , "1999-02-30"^^xsd:date ;
    ex:friend ex:bob , ex:carol , "dave" , _:b1 ; ex:tag "x"@en , "y"@ja , "z"@fr , "w" ;
    ex:part ex:w1 , ex:w2 , ex:w3 ; ex:owner ex:bob .
ex:t2 a ex:Thing ; ex:tag "only"@en ; ex:part ex:w1 ; ex:owner ex:alice .
ex:Sub rdfs:subClassOf ex:Thing .
ex:t3 a ex:Sub ; ex:tag "a"@en , "b"@en-GB ; ex:part ex:w1 , ex:w4 ; ex:owner ex:alice .
ex:bob a ex:Person ; ex:name "Bob" .  ex:carol a ex:Person .  _:b1 a ex:Person ; ex:name "B" .
ex:alice a ex:Person ; ex:name "Alice" .
ex:w1 a ex:Wheel .  ex:w2 a ex:Wheel , ex:Broken .  ex:w3 a ex:Spoke .  ex:w4 a ex:Wheel .
"""


def pyshacl_report(data: Graph, shapes: Graph):
    from pyshacl import validate as pyshacl_validate

    accepted, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                           allow_infos=True, advanced=True)
    return report_of(accepted, report, shapes)


UNDER_A_WARNING = "@prefix ex: <http://example.org/zoo#> . ex:t9 ex:size 3 . ex:x2 a ex:Person . ex:alice a ex:Person ."


@pytest.mark.parametrize("data", [ZOO_DATA, UNDER_A_WARNING], ids=["zoo", "violation-under-a-warning-shape"])
def test_a_zoo_of_shacl_features(data):
    shapes, graph = Graph().parse(data=ZOO_SHAPES, format="turtle"), Graph().parse(data=data, format="turtle")
    plan = compile_shapes(shapes)
    assert [q.text.joinable for q in plan.sparql] == [False]  # a sub-select: run per focus node
    expected = pyshacl_report(graph, shapes)
    got = validate_graph(graph, plan)
    assert got.results == expected.results and (got.conforms, got.accepted) == (expected.conforms, expected.accepted)
    assert expected.results  # each data set breaks something
    assert not expected.conforms  # SHACL: any result, of any severity
    if data == UNDER_A_WARNING:  # pySHACL: a shape of severity Warning is accepted whatever its property shapes say
        assert expected.accepted and [r.severity for r in expected.results] == ["Violation"]


@pytest.mark.parametrize(("select", "joinable"), [
    ("SELECT $this WHERE { $this ex:p ?x FILTER NOT EXISTS { $this ex:q ?x } }", True),
    ("SELECT $this ?value WHERE { $this ex:p ?x OPTIONAL { $this ex:q ?value } }", True),
    ("SELECT $this WHERE { { $this ex:p ?x } UNION { $this ex:q ?x } }", True),
    ("SELECT $this WHERE { $this ex:p ?x } GROUP BY $this HAVING (COUNT(?x) > 1)", True),
    ("SELECT ?value WHERE { $this ex:p ?value }", True),  # ?this is added to the projection
    ("SELECT $this WHERE { ?x ex:p ?y OPTIONAL { $this ex:q ?y } }", False),  # $this first bound inside
    ("SELECT $this WHERE { { $this ex:p ?x } UNION { ?y ex:q ?x } }", False),  # unbound in one branch
    ("SELECT $this WHERE { ?x ex:p ?y FILTER (?y = $this) }", False),
    ("SELECT $this WHERE { BIND ($this AS ?x) $this ex:p ?y }", False),
    ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:p ?x }", False),  # one group whatever the focus
    ("SELECT $this WHERE { $this ex:p ?x } GROUP BY ?x", False),
    ("SELECT $this WHERE { $this ex:p ?x } LIMIT 1", False),
    (("SELECT $this ?n WHERE { $this ex:p ?x { SELECT $this (COUNT(?y) AS ?n) WHERE { $this ex:q ?y } "
      "GROUP BY $this } }"), False),
])
def test_a_sparql_constraint_is_joined_with_its_focus_nodes_only_where_that_is_exact(select, joinable):
    from kyoyaku.shacl.constraint_text import ConstraintText

    assert ConstraintText(select, "", None).joinable == joinable


UNSUPPORTED = {
    "closed": "ex:S sh:targetClass ex:C ; sh:closed true ; sh:message 'm' .",
    "or": "ex:S sh:targetClass ex:C ; sh:or ( [ sh:class ex:D ] [ sh:class ex:E ] ) ; sh:message 'm' .",
    "unique-lang": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:uniqueLang true ; sh:message 'm' ] .",
    "inverse-path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ; "
                    "sh:message 'm' ] .",
    "sequence-path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ; "
                     "sh:message 'm' ] .",
    "no-message": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "two-messages-in-one-language": "ex:S sh:targetClass ex:C ; sh:class ex:D ; sh:message 'a'@en , 'b'@en .",
    "nested-warning": "ex:S sh:targetClass ex:C ; sh:message 'm' ; sh:property [ sh:path ex:p ; sh:message 'm' ; "
                      "sh:node [ sh:class ex:D ; sh:severity sh:Warning ; sh:property [ sh:path ex:q ; "
                      "sh:minCount 1 ] ] ] .",
    "nested-sparql": "ex:S sh:targetClass ex:C ; sh:message 'm' ; sh:node [ sh:sparql [ sh:select "
                     "'SELECT $this WHERE { $this ?p ?o }' ] ] .",
    "recursion": "ex:S sh:targetClass ex:C ; sh:message 'm' ; sh:node ex:T . ex:T sh:property [ sh:path ex:p ; "
                 "sh:node ex:T ; sh:minCount 1 ] .",
    "sparql-with-minus": "ex:S sh:targetClass ex:C ; sh:message 'm' ; sh:sparql [ sh:select "
                         "'SELECT $this WHERE { $this ?p ?o MINUS { $this a ex:D } }' ] .",
    "custom-component": "ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:max ] . "
                        "ex:S sh:targetClass ex:C ; sh:message 'm' .",
    "deactivated": "ex:S sh:targetClass ex:C ; sh:deactivated true ; sh:class ex:D ; sh:message 'm' .",
    "equals": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:message 'm' ] .",
}


@pytest.mark.parametrize("shape", UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_shapes_using_an_unsupported_feature_are_refused(shape):
    shapes = Graph().parse(data=f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
                                f"{shape}", format="turtle")
    with pytest.raises(Unsupported):
        compile_shapes(shapes)


def test_the_project_shapes_compile():
    plan = compiled()
    assert len(plan.targets) == len(set(shapes_graph().subjects(RDF.type, SH.NodeShape)))
    assert plan.queries and len(plan.sparql) == len(set(shapes_graph().objects(None, SH.sparql)))
