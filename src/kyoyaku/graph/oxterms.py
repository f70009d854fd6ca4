"""rdflib terms as pyoxigraph terms: the bridge between the graph the build maps (rdflib) and the
Rust code that loads, checks and writes it fast (pyoxigraph)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TermConverter:
    """Converts rdflib terms, each distinct term once (a graph repeats its predicates, classes and
    linked resources thousands of times)."""

    def __init__(self) -> None:
        self._seen: dict[Node, tuple[object, str]] = {}

    def __call__(self, term: Node):
        converted = self._seen.get(term)  # here and in text(): one call less per triple
        return (converted or self.with_text(term))[0]

    def with_text(self, term: Node) -> tuple[object, str]:
        """The pyoxigraph term and its N-Triples text: a plain string, cheap to sort and compare
        (rdflib term comparisons are slow), the same for terms equal in RDF."""
        converted = self._seen.get(term)
        if converted is None:
            ox_term = _convert(term)
            converted = self._seen[term] = (ox_term, str(ox_term))
        return converted

    def text(self, term: Node) -> str:
        converted = self._seen.get(term)
        return (converted or self.with_text(term))[1]

    def iris(self) -> set[str]:
        """Every IRI among the terms converted so far, literals' datatypes included."""
        found = {str(t) for t in self._seen if isinstance(t, URIRef)}
        found.update(str(t.datatype) for t in self._seen if isinstance(t, Literal) and t.datatype is not None)
        return found

    def triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> list:
        return [ox.Triple(self(s), self(p), self(o)) for s, p, o in triples]


def _convert(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def ox_triples(triples: Iterable[tuple[Node, Node, Node]]) -> list:
    """pyoxigraph Triples for rdflib triples (e.g. a Graph), in the order given."""
    return TermConverter().triples(triples)


def rdflib_term(term) -> Node:
    """A pyoxigraph term as the rdflib term it stands for (plain literals without a datatype, as rdflib parses them)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value != XSD_STRING:
            return Literal(term.value, datatype=URIRef(term.datatype.value))
        return Literal(term.value)
    raise TypeError(f"not an RDF term: {term!r}")


def default_graph_quads(triples: Iterable[tuple[Node, Node, Node]]) -> list:
    """Quads in the default graph for rdflib triples, for Store.extend: `Quad(s, p, o)` without a
    graph argument costs a quarter of `Quad(s, p, o, DefaultGraph())`, and the term cache is read
    inline (twice as fast as going through TermConverter, measured at 1,000 agreements)."""
    seen: dict = {}
    get, quad = seen.get, ox.Quad
    out = []
    append = out.append
    for s, p, o in triples:
        a = get(s)
        if a is None:
            a = seen[s] = _convert(s)
        b = get(p)
        if b is None:
            b = seen[p] = _convert(p)
        c = get(o)
        if c is None:
            c = seen[o] = _convert(o)
        append(quad(a, b, c))
    return out
