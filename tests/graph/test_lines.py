"""graph.serialize.Lines, the sink the build maps into: the same triples as the rdflib mapping (each
term's text as pyoxigraph writes it), and the same store, dumps and documents."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Literal, URIRef

from kyoyaku.graph.mapping import new_graph, to_graph, to_graphs
from kyoyaku.graph.oxterms import TermConverter, default_graph_quads
from kyoyaku.graph.serialize import Lines, ntriples, sorted_lines, turtle
from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES, SEED, read_from_a_bill

TEXTS = [SEED, *(path for path in [*sorted((FIXTURES / "family").glob("*.txt")), *sorted((FIXTURES / "forms").glob("*.txt"))]
               if not path.name.startswith("not-agreement-"))]  # the texts the parser refuses
EX = "http://example.org/"


def converter_lines(graph) -> list[str]:
    """The oracle: each triple through pyoxigraph's own terms (graph.oxterms), str() of each, sorted."""
    text = TermConverter().text
    return sorted({f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in graph})


def graph_store(graph) -> ox.Store:
    """The store validation used to copy the rdflib graph into (shacl.sparql_engine.load_store)."""
    store = ox.Store()
    store.extend(default_graph_quads(graph))
    return store


def store_triples(store: ox.Store) -> set:
    return {quad.triple for quad in store}


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_the_mapping_into_lines_gives_the_triples_of_the_rdflib_mapping(path):
    agreement = parse_file(path)
    graph, lines = to_graph(agreement), to_graph(agreement, Lines())
    assert lines.sorted_lines() == converter_lines(graph)
    assert len(lines) == len(graph)
    assert store_triples(lines.store()) == store_triples(graph_store(graph))
    assert turtle(lines) == turtle(graph)


def test_every_text_at_once_and_a_read_from_a_bill(seed):
    agreements = [parse_file(path) for path in TEXTS] + [read_from_a_bill(seed)]
    graph, lines = to_graphs(agreements), to_graphs(agreements, Lines())
    assert lines.sorted_lines() == converter_lines(graph)
    assert "".join(lines.sorted_lines()) == ntriples(graph)


@pytest.mark.parametrize("term", [
    Literal('a "quoted" \\ back\nslash\ttab\r\x00\x08\x0c\x1f\x7f end'),
    Literal("改行\nあり", lang="ja"),
    Literal("upper-case tag", lang="EN-gb"),
    Literal("x", datatype=XSD.string),
    Literal("2.0", datatype=XSD.decimal),
    Literal("\u2028 line separator"),
    Literal(7),
    Literal(True),
    URIRef(EX + "a/ü?q=1#f"),
    BNode("b1"),
], ids=repr)
def test_each_term_is_written_as_pyoxigraph_writes_it(term):
    lines = Lines()
    lines.add((URIRef(EX + "s"), URIRef(EX + "p"), term))
    assert lines.sorted_lines() == [f"<{EX}s> <{EX}p> {TermConverter().text(term)} .\n"]


def test_a_plain_string_and_an_xsd_string_are_one_triple():
    lines = Lines()
    lines.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("x")))
    lines.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("x", datatype=XSD.string)))
    assert lines.sorted_lines() == [f'<{EX}s> <{EX}p> "x" .\n'] and len(lines) == 1


def test_the_lines_keep_a_decimal_as_mapped_where_the_store_canonicalises_it(seed_graph, seed):
    """The seed's lapse period is "2.0"^^xsd:decimal (graph.mapping: the form Turtle's shorthand
    writes). The dumps come from the lines, which keep it; Oxigraph's store keeps the value only
    and gives it back as "2" — so nothing is written from the store."""
    lines = to_graph(seed, Lines())
    decimal = f'"2.0"^^<{XSD.decimal}>'
    assert any(line.endswith(f" {decimal} .\n") for line in sorted_lines(lines))
    assert "time:numericDuration 2.0 ;" in turtle(lines)
    stored = [q.object for q in lines.store() if q.predicate == ox.NamedNode("http://www.w3.org/2006/time#numericDuration")]
    assert [str(o) for o in stored] == [f'"2"^^<{XSD.decimal}>']


def test_an_empty_sink():
    lines = Lines()
    assert lines.sorted_lines() == [] and len(lines.store()) == 0 and turtle(lines) == ""


def test_the_rdflib_graph_made_from_the_lines_is_the_mapped_graph(seed_graph, seed):
    made = to_graph(seed, Lines()).graph()
    assert set(made) == set(seed_graph)
    assert dict(made.namespaces()) == dict(new_graph().namespaces())


def test_the_sorted_lines_are_made_again_after_an_addition():
    lines = Lines()
    lines.add((URIRef(EX + "b"), URIRef(EX + "p"), Literal("x")))
    first = lines.sorted_lines()
    assert lines.sorted_lines() is first
    lines.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("y")))
    assert lines.sorted_lines() == [f'<{EX}a> <{EX}p> "y" .\n', f'<{EX}b> <{EX}p> "x" .\n']
