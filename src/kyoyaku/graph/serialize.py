"""The graph as text, deterministic: Turtle and N-Triples written by pyoxigraph, statements sorted,
the same bytes for the same triples whatever order they were added in. The published dumps
(publish.writers), the per-resource documents (publish.site) and the validation report's Turtle
(shacl.report) are written with these."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

import pyoxigraph as ox
from rdflib import RDF, Graph

from .oxterms import TermConverter


def turtle(graph: Graph) -> str:
    """Turtle written by pyoxigraph (rdflib's writer is many times slower). Subjects sorted, <x>
    before its parts <x/…>, each with its triples together and rdf:type (`a`) first, a blank line
    between subjects; @prefix lines, sorted, for the graph's bound prefixes that its IRIs use."""
    converter = TermConverter()
    order = {converter.text(RDF.type): ""}

    def key(text: str) -> str:
        # Without the closing ">" <x> sorts before <x/…>; still one key per term, as an IRI always
        # ends with ">" and a literal or blank node always or never does.
        found = order.get(text)
        if found is None:
            found = order[text] = text.removesuffix(">")
        return found

    lines = _lines(graph, converter, key)
    prefixes = _used_prefixes(graph, converter.iris() - {str(RDF.type)})  # `a` needs no rdf: prefix
    # pyoxigraph reads the sorted lines and writes them as Turtle in the same order: faster than
    # making its Triple objects one by one in Python. `lenient`: it wrote these terms itself.
    triples = ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    start = 0
    while body.startswith(b"@prefix ", start):  # pyoxigraph's own prefix lines, in its own order
        start = body.index(b"\n", start) + 1
    # Literals are written with \n escapes, so " .\n" only ends a statement, i.e. a subject's block.
    body = body[start:].replace(b" .\n", b" .\n\n")[:-1].decode("utf-8")
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in prefixes.items())
    return f"{header}\n{body}" if header and body else body


def _used_prefixes(graph: Graph, iris: set[str]) -> dict[str, str]:
    """The graph's bound prefixes, sorted, that some of `iris` starts with (as rdflib declared)."""
    iris = sorted(iris)
    used = {}
    for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in graph.namespaces()):
        i = bisect_left(iris, namespace)  # the first IRI >= namespace starts with it if any does
        if i < len(iris) and iris[i].startswith(namespace):
            used[prefix] = namespace
    return used


def ntriples(graph: Graph) -> str:
    """One triple per line, lines sorted, each term as pyoxigraph writes it."""
    return "".join(_lines(graph, TermConverter()))


def _lines(graph: Graph, converter: TermConverter, key=None) -> list[str]:
    """The graph's triples as N-Triples lines, each term as pyoxigraph writes it, once each (e.g.
    "x" and "x"^^xsd:string are one term), sorted by subject, predicate and object: by the `key` of
    their texts if given, else as the lines themselves would sort. The keys are plain strings, fast
    to sort, unlike rdflib terms."""
    text = converter.text
    by_subject = defaultdict(dict)
    for s, p, o in graph:
        s_text, p_text, o_text = text(s), text(p), text(o)
        rest = (key(p_text), key(o_text)) if key else (p_text, o_text)
        by_subject[s_text][rest] = f"{s_text} {p_text} {o_text} .\n"
    # Without a key, sorting by subject first then by (predicate, object) orders the lines as
    # sorting them would: no term's text is the start of another's but "x" of "x"@ja or _:b1 of
    # _:b12, and "@", "^" or a label character sorts after the space that ends a term in a line.
    return [lines[k] for s in sorted(by_subject, key=key) for lines in (by_subject[s],) for k in sorted(lines)]
