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
        self._seen: dict[Node, object] = {}

    def __call__(self, term: Node):
        converted = self._seen.get(term)
        if converted is None:
            converted = self._seen[term] = _convert(term)
        return converted

    def triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> list:
        return [ox.Triple(self(s), self(p), self(o)) for s, p, o in triples]

    def quads(self, triples: Iterable[tuple[Node, Node, Node]], graph=None) -> list:
        graph = graph if graph is not None else ox.DefaultGraph()
        return [ox.Quad(self(s), self(p), self(o), graph) for s, p, o in triples]


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
