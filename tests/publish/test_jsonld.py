"""kyoyaku.publish.jsonld.compact (behind publish.writers.jsonld) writes the document rdflib's serializer gives, byte
for byte, and the document reads back as the same graph. rdflib_jsonld below is the oracle."""

import json
from datetime import date
from decimal import Decimal

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kyoyaku.graph.iris import BASE, KYO
from kyoyaku.graph.mapping import new_graph
from kyoyaku.graph.serialize import graph_lines, ntriples
from kyoyaku.publish import writers as publish
from kyoyaku.publish.jsonld import compact

from ..conftest import SEED_IRI, shuffled
from .reference_documents import reference_descriptions

CONTEXT = publish.context()


def rdflib_jsonld(graph: Graph) -> str:
    """The oracle: the document kyoyaku wrote with rdflib's serializer before kyoyaku.publish.jsonld."""
    ctx = publish.context()
    id_key = next((k for k, v in ctx.items() if v == "@id"), "@id")
    document = json.loads(graph.serialize(format="json-ld", context=ctx, auto_compact=False, use_native_types=True))
    nodes = document.get("@graph", [document] if id_key in document else [])
    nodes = sorted((publish._sorted({k: v for k, v in n.items() if k != "@context"}) for n in nodes),
                   key=lambda n: n[id_key])
    return json.dumps({"@context": ctx, "@graph": nodes}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
EX = Namespace("http://example.org/vocab/")
A = URIRef(BASE + "agreement/000001-000002/2022-02-21")


def same_as_rdflib(graph: Graph) -> str:
    ours = compact(graph, CONTEXT)
    assert ours == rdflib_jsonld(graph)
    return ours


def reads_back(graph: Graph, text: str) -> None:
    """The context is embedded, so parsing fetches nothing."""
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)


def test_the_seed_graph(seed_graph):
    reads_back(seed_graph, same_as_rdflib(seed_graph))


def test_the_corpus_and_the_national_graph(corpus, corpus_graph, national, national_graph):
    for (dist, _), graph in ((corpus, corpus_graph), (national, national_graph)):
        text = same_as_rdflib(graph)
        assert text == (dist / "kyoyaku.jsonld").read_text(encoding="utf-8")  # what the build wrote
        reads_back(graph, text)


def test_every_resource_document(corpus_graph, national_graph):
    for graph in (corpus_graph, national_graph):
        documents = reference_descriptions(graph)
        assert len(documents) > 30
        for doc in documents.values():
            reads_back(doc, same_as_rdflib(doc))


def typed_literals() -> Graph:
    """Every datatype the data and the catalog use, with and without a term coercing to it,
    a plain string, strings JSON must escape, and values that land in sorted arrays."""
    g = new_graph()
    d = URIRef(f"{A}/lapse-period")
    triples = [
        (A, RDF.type, KYO.Agreement),
        (A, RDF.type, KYO.SomeUnknownClass),
        (A, RDF.type, EX.Outside),
        (A, ELI.date_document, Literal(date(2022, 2, 21))),  # term "date" coerces to xsd:date
        (A, ELI.date_document, Literal("令和4年2月21日")),  # … but not a plain string
        (A, URIRef("http://purl.org/dc/terms/created"), Literal("2022-02-21", datatype=XSD.date)),
        (A, KYO.dateAsWritten, Literal("令和4年2月21日")),  # plain, no language
        (A, ELI.title, Literal("連携協約書", lang="ja")),
        (A, ELI.title, Literal("Partnership agreement", lang="en")),
        (A, KYO.noticeRequiresCouncilResolution, Literal(True)),
        (A, KYO.leads, Literal(False)),
        (A, KYO.order, Literal(2)),
        (A, KYO.sourceLine, Literal(10)),
        (A, KYO.sourceLine, Literal(2)),
        (A, KYO.sourceLine, Literal(1)),  # sorted as JSON text: 1, 10, 2
        (A, KYO.byteSize, Literal("8545", datatype=XSD.nonNegativeInteger)),
        (A, KYO.sha256, Literal("ddc16e36", datatype=XSD.hexBinary)),
        (A, KYO.encoding, Literal("utf-8", datatype=XSD.string)),
        (A, EX.ratio, Literal(2.5)),  # xsd:double
        (A, EX.when, Literal("2022-02-21T10:00:00+09:00", datatype=XSD.dateTime)),
        (A, EX["count"], Literal(7)),
        (A, KYO.text, Literal('引用 "quoted" \\ back\nslash\ttab \x01 control 🙂', lang="ja")),
        (A, KYO.lapsePeriod, d),
        (d, RDF.type, TIME.Duration),
        (d, TIME.numericDuration, Literal("2.0", datatype=XSD.decimal)),  # term coerces to xsd:decimal
        (d, TIME.numericDuration, Literal(Decimal(3))),
        (d, TIME.unitType, TIME.unitYear),  # @id term: compact IRI
        (d, KYO.order, URIRef(BASE + "concept/x")),  # untyped term with an IRI value
        (d, URIRef("http://purl.org/dc/terms/source"), Literal("not an IRI")),  # @id term, literal
        (d, ORG.hasMember, URIRef(BASE + "municipality/082015")),
        (d, ORG.hasMember, URIRef("http://example.org/a!b")),
        (d, ORG.hasMember, URIRef("http://example.org/a")),
        (d, EX["odd!local"], Literal("x")),
    ]
    for t in triples:
        g.add(t)
    return g


def test_typed_literals_and_plain_strings():
    g = typed_literals()
    text = same_as_rdflib(g)
    node = {n["id"]: n for n in json.loads(text)["@graph"]}[str(A)]
    assert node["noticeRequiresCouncilResolution"] is True and node["sourceLine"] == [1, 10, 2]
    assert node["dateAsWritten"] == "令和4年2月21日"
    # doubles and xsd:string are written as JSON values (as rdflib does) and read back otherwise
    for t in [(A, EX.ratio, Literal(2.5)), (A, KYO.encoding, Literal("utf-8", datatype=XSD.string))]:
        g.remove(t)
    reads_back(g, compact(g, CONTEXT))


def test_an_empty_graph():
    assert compact(new_graph(), CONTEXT) == rdflib_jsonld(new_graph())


def test_an_iterable_of_triples(seed_graph):
    triples = list(seed_graph)
    assert compact(triples + triples[:10], CONTEXT) == compact(seed_graph, CONTEXT)


def test_output_does_not_depend_on_insertion_order(seed_graph):
    assert compact(shuffled(seed_graph), CONTEXT) == compact(seed_graph, CONTEXT)


def test_a_graph_with_removed_triples_has_no_empty_nodes(seed_graph):
    """rdflib's memory store keeps empty entries for subjects whose triples were all removed."""
    g = new_graph()
    g += seed_graph
    cover = URIRef(SEED_IRI + "/cover")
    g.remove((cover, None, None))
    text = same_as_rdflib(g)
    assert str(cover) not in {n["id"] for n in json.loads(text)["@graph"]}


def test_values_rdflib_would_drop_are_kept():
    """rdflib overwrites a falsy first value (0, false, "") when a second follows, and drops the
    triples of a blank node that is the value of an "@id"-typed term (here "parties") and of the
    blank nodes below it; this writer keeps them."""
    g = new_graph()
    b, c = BNode(), BNode()
    for t in [(A, KYO.order, Literal(0)), (A, KYO.order, Literal(3)), (A, KYO.leads, Literal(False)),
              (A, KYO.leads, Literal(True)), (A, KYO.hasParty, b), (b, KYO.party, c), (c, KYO.order, Literal(1))]:
        g.add(t)
    reads_back(g, compact(g, CONTEXT))


# Small random graphs drawn from the context's own terms.

def _properties() -> list[URIRef]:
    """The IRI of every property term in the context (terms naming classes start upper case)."""
    prefixes = {k: v for k, v in CONTEXT.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    found = set()
    for name, definition in CONTEXT.items():
        ref = definition.get("@id") if isinstance(definition, dict) else definition
        if name[0].islower() and name not in prefixes and isinstance(ref, str) and ":" in ref:
            pfx, local = ref.split(":", 1)
            found.add(URIRef(prefixes[pfx] + local))
    return sorted(found)


PREDICATES = _properties() + [ORG.hasMember, EX.other]
CLASSES = [KYO.Agreement, KYO.Party, KYO.Municipality, TIME.Duration, EX.Outside]
SUBJECTS = [A, URIRef(f"{A}/party/kou"), URIRef(BASE + "municipality/082015"), URIRef(BASE + "area/x")]

iris = st.sampled_from(SUBJECTS + [TIME.unitYear, URIRef("http://example.org/thing")])
literals = st.one_of(
    st.builds(Literal, st.text(min_size=1, max_size=8), lang=st.sampled_from(["ja", "en"])),
    st.builds(Literal, st.text(min_size=1, max_size=8)),
    st.builds(Literal, st.integers(min_value=1, max_value=10**12)),
    st.just(Literal(True)),
    st.builds(Literal, st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))),
)
triples = st.one_of(
    st.tuples(st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES), st.one_of(iris, literals)),
    st.tuples(st.sampled_from(SUBJECTS), st.just(RDF.type), st.sampled_from(CLASSES)),
)


def _graph(ts) -> Graph:
    g = new_graph()
    for t in ts:
        g.add(t)
    return g


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(triples, max_size=25))
def test_random_graphs_read_back_and_match_rdflib(ts):
    """No falsy values and no blank nodes here: rdflib loses some of those (see above)."""
    g = _graph(ts)
    reads_back(g, same_as_rdflib(g))


falsy_or_blank = st.one_of(
    st.sampled_from([Literal(0), Literal(False), Literal("")]),
    st.builds(BNode, st.sampled_from(["b1", "b2"])),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    triples,
    st.tuples(st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES), falsy_or_blank),
    st.tuples(st.builds(BNode, st.sampled_from(["b1", "b2"])), st.sampled_from(PREDICATES), st.one_of(iris, literals)),
), max_size=25))
def test_random_graphs_with_falsy_values_and_blank_nodes_read_back(ts):
    g = _graph(ts)
    reads_back(g, compact(g, CONTEXT))


def test_a_context_with_a_default_language(monkeypatch):
    """Not the project's context: publish.jsonld is pointed at one with "@language"."""
    context = {**CONTEXT, "@language": "ja"}
    monkeypatch.setattr(publish, "context", lambda: context)
    g = typed_literals()
    assert compact(g, context) == rdflib_jsonld(g)


def _as_read_from_n_triples(graph: Graph) -> Graph:
    """The graph as its N-Triples lines say it: "x"^^xsd:string is the plain "x"."""
    return Graph(bind_namespaces="none").parse(data=ntriples(graph), format="nt")


def test_the_build_lines_and_pyoxigraph_triples_give_the_document_rdflib_gives(seed_graph):
    """The build writes kyoyaku.jsonld from its Lines (N-Triples texts, graph.serialize) — the seed
    has "2.0"^^xsd:decimal, kept as is — and from pyoxigraph's triples if given those."""
    expected = rdflib_jsonld(seed_graph)
    assert compact(graph_lines(seed_graph), CONTEXT) == expected
    assert compact(ox.parse(ntriples(seed_graph).encode(), format=ox.RdfFormat.N_TRIPLES), CONTEXT) == expected
    assert publish.jsonld(graph_lines(seed_graph)) == expected


def test_typed_literals_and_escapes_from_the_build_lines():
    g = typed_literals()
    g.add((A, KYO.text, Literal("\x00 nul \x7f del \x08 bs \x0c ff \r cr \u2028 ls", lang="ja")))
    expected = rdflib_jsonld(_as_read_from_n_triples(g))
    assert compact(graph_lines(g), CONTEXT) == expected
    assert compact(ox.parse(ntriples(g).encode(), format=ox.RdfFormat.N_TRIPLES), CONTEXT) == expected
    reads_back(_as_read_from_n_triples(g), expected)
