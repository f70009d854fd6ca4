"""The graph as text, deterministic: Turtle and N-Triples written by pyoxigraph, statements sorted,
the same bytes for the same triples whatever order they were added in. The published dumps
(publish.writers), the per-resource documents (publish.site) and the validation report's Turtle
(shacl.report) are written with these."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, Graph

from .oxterms import TermConverter


def turtle(graph: Graph) -> str:
    """Turtle written by pyoxigraph (rdflib's writer is many times slower). Subjects sorted, <x>
    before its parts <x/…>, each with its triples together and rdf:type (`a`) first, a blank line
    between subjects; @prefix lines, sorted, for the graph's bound prefixes that its IRIs use."""
    converter = TermConverter()
    lines = _lines(graph, converter, _turtle_key())
    return _turtle_text(lines, _used_prefixes(graph.namespaces(), converter.iris()))


def turtle_of_lines(lines: Iterable[str], namespaces: Iterable[tuple[str, str]]) -> str:
    """The Turtle `turtle` writes, for the triples of N-Triples `lines` as `ntriples` writes them
    (each term once, one triple per line) in a graph binding `namespaces` (prefix, namespace)."""
    key = _turtle_key()
    keyed, terms = [], set()
    for line in lines:
        s, p, o = line_terms(line)
        keyed.append((key(s), key(p), key(o), line))
        terms.update((s, p, o))
    keyed.sort()
    iris = {t[1:-1] for t in terms if t[0] == "<"}
    iris.update(t[t.rindex("^^<") + 3:-1] for t in terms if t[0] == '"' and t[-1] == ">")  # datatypes
    return _turtle_text([k[3] for k in keyed], _used_prefixes(namespaces, iris))


def line_terms(line: str) -> tuple[str, str, str]:
    """The subject, predicate and object of an N-Triples line as `ntriples` writes it, each as its
    N-Triples text: neither an IRI nor a blank node holds a space, and the line ends with " .\n"."""
    s_end = line.index(" ")
    p_end = line.index(" ", s_end + 1)
    return line[:s_end], line[s_end + 1:p_end], line[p_end + 1:-3]


def _turtle_key():
    """The sort key of a term's N-Triples text in Turtle: rdf:type first among predicates, and
    <x> before <x/…>."""
    order = {f"<{RDF.type}>": ""}

    def key(text: str) -> str:
        # Without the closing ">" <x> sorts before <x/…>; still one key per term, as an IRI always
        # ends with ">" and a literal or blank node always or never does.
        found = order.get(text)
        if found is None:
            found = order[text] = text.removesuffix(">")
        return found

    return key


def _turtle_text(lines: list[str], prefixes: dict[str, str]) -> str:
    """Turtle of N-Triples `lines` in the order given, with `prefixes` declared."""
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


def _used_prefixes(namespaces: Iterable[tuple[str, str]], iris: set[str]) -> dict[str, str]:
    """The bound prefixes, sorted, that some of `iris` starts with (as rdflib declared), rdf:type
    aside (Turtle writes it `a`)."""
    iris = sorted(iris - {str(RDF.type)})
    used = {}
    for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in namespaces):
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
