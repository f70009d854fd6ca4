"""The graph as text, deterministic: Turtle and N-Triples written by pyoxigraph, statements sorted,
the same bytes for the same triples whatever order they were added in. The published dumps
(publish.writers), the per-resource documents (publish.site) and the validation report's Turtle
(shacl.report) are written with these.

The build maps into `Lines` (a sink with `add((s, p, o))`, as graph.mapping adds to a graph): each
triple kept as the N-Triples texts of its terms, from which the sorted lines (`sorted_lines`, the
bytes of kyoyaku.nt), the Turtle and the build's pyoxigraph store (`Lines.store`) are made."""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from .iris import PREFIXES

RDF_TYPE = f"<{RDF.type}>"
# The characters an N-Triples string escapes (as pyoxigraph writes it: \n, \", \uXXXX …)
NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')


class Lines:
    """Triples kept as the N-Triples texts of their terms, exactly as pyoxigraph writes each term
    (so the lines are those of kyoyaku.nt), once each ("x" and "x"^^xsd:string are one term, as in
    RDF). A sink for graph.mapping: `add((s, p, o))` with rdflib terms (or pyoxigraph terms).
    Cheaper than an rdflib Graph by far: no index of rdflib terms, only plain strings."""

    def __init__(self, prefixes: Mapping[str, str] | None = None) -> None:
        self.subjects: dict[str, dict[tuple[str, str], None]] = {}  # subject → {(predicate, object)}
        self.prefixes = {p: str(ns) for p, ns in (PREFIXES if prefixes is None else prefixes).items()}
        self._languages: dict[str, str] = {}
        self._sorted: list[str] | None = None  # sorted_lines(), made once: the dumps, the store, the pages read it

    def add(self, triple: tuple) -> None:
        self._sorted = None
        s, p, o = triple
        s = f"<{s}>" if type(s) is URIRef else self.text(s)
        rest = (f"<{p}>" if type(p) is URIRef else self.text(p), f"<{o}>" if type(o) is URIRef else self.text(o))
        found = self.subjects.get(s)
        if found is None:
            self.subjects[s] = {rest: None}
        else:
            found[rest] = None

    def add_line(self, line: str) -> None:
        """A triple given as its N-Triples line, as `ntriples` writes it (publish.site's documents)."""
        self._sorted = None
        s, p, o = line_terms(line)
        found = self.subjects.get(s)
        if found is None:
            self.subjects[s] = {(p, o): None}
        else:
            found[(p, o)] = None

    def update(self, triples: Iterable[tuple]) -> None:
        for triple in triples:
            self.add(triple)

    def text(self, term) -> str:
        """The N-Triples text of an rdflib (or pyoxigraph) term, as str() of the pyoxigraph term."""
        kind = type(term)
        if kind is Literal:
            value = str.__str__(term)
            quoted = f'"{value}"' if NEEDS_ESCAPE.search(value) is None else str(ox.Literal(value))
            language = term.language
            if language:
                suffix = self._languages.get(language)
                if suffix is None:  # pyoxigraph writes tags in lower case
                    suffix = self._languages[language] = str(ox.Literal("", language=language))[2:]
                return quoted + suffix
            datatype = term.datatype
            return quoted if datatype is None or datatype == XSD.string else f"{quoted}^^<{datatype}>"
        if isinstance(term, URIRef):
            return f"<{term}>"
        if isinstance(term, BNode):
            return f"_:{term}"
        if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
            return str(term)
        raise TypeError(f"not an RDF term: {term!r}")

    def __len__(self) -> int:
        return sum(map(len, self.subjects.values()))

    def sorted_lines(self) -> list[str]:
        """One line per triple, sorted: kyoyaku.nt's lines. Made once until a triple is added, and
        shared: a caller must not change the list."""
        # Sorting by subject first then by (predicate, object) orders the lines as sorting them
        # would: no term's text is the start of another's but "x" of "x"@ja or _:b1 of _:b12, and
        # "@", "^" or a label character sorts after the space that ends a term in a line.
        if self._sorted is None:
            self._sorted = [f"{s} {p} {o} .\n" for s in sorted(self.subjects) for p, o in sorted(self.subjects[s])]
        return self._sorted

    def turtle_lines(self) -> list[str]:
        """The lines in Turtle's order: subjects sorted, <x> before its parts <x/…>, each with its
        triples together and rdf:type (`a`) first."""
        def key(text: str) -> str:
            # Without the closing ">" <x> sorts before <x/…>; still one key per term, as an IRI always
            # ends with ">" and a literal or blank node always or never does.
            return "" if text == RDF_TYPE else text.removesuffix(">")

        def pair_key(pair: tuple[str, str]) -> tuple[str, str]:
            return key(pair[0]), key(pair[1])

        return [f"{s} {p} {o} .\n" for s in sorted(self.subjects, key=key)
                for p, o in sorted(self.subjects[s], key=pair_key)]

    def iris(self) -> set[str]:
        """Every IRI of the triples, literals' datatypes included."""
        terms = {s for s in self.subjects}
        for pairs in self.subjects.values():
            for p, o in pairs:
                terms.add(p)
                terms.add(o)
        found = set()
        for text in terms:
            if text.startswith("<"):
                found.add(text[1:-1])
            elif text.endswith(">") and text.startswith('"'):
                found.add(text[text.rindex("^^<") + 3:-1])
        return found

    def store(self) -> ox.Store:
        """A new in-memory pyoxigraph store holding the triples (in its default graph)."""
        store = ox.Store()
        store.bulk_load("".join(self.sorted_lines()).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return store

    def graph(self) -> Graph:
        """The triples as an rdflib Graph (graph.mapping.new_graph's prefixes), for the Python API."""
        from .mapping import new_graph
        from .oxterms import rdflib_term

        graph = new_graph()
        terms: dict = {}  # each distinct term converted once; pyoxigraph terms hash fast, rdflib's do not
        add = graph.add
        enabled = gc.isenabled()
        gc.disable()  # millions of small objects and no cycles, as in graph.mapping.to_graphs
        try:
            for quad in ox.parse("".join(self.sorted_lines()).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
                triple = []
                for term in quad.triple:
                    found = terms.get(term)
                    if found is None:
                        found = terms[term] = rdflib_term(term)
                    triple.append(found)
                add(tuple(triple))
        finally:
            if enabled:
                gc.enable()
        return graph


def graph_lines(graph: Graph | Iterable, prefixes: Mapping[str, str] | None = None) -> Lines:
    """The triples of an rdflib graph (or an iterable of rdflib triples) as Lines; the prefixes are
    the graph's bound ones."""
    if prefixes is None and isinstance(graph, Graph):
        prefixes = dict(graph.namespaces())
    lines = Lines(prefixes if prefixes is not None else {})
    lines.update(graph)
    return lines


def sorted_lines(data: Lines | Graph) -> list[str]:
    """The sorted N-Triples lines of `data` (a build's Lines, or an rdflib graph)."""
    return (data if isinstance(data, Lines) else graph_lines(data)).sorted_lines()


def turtle(graph: Graph | Lines) -> str:
    """Turtle written by pyoxigraph (rdflib's writer is many times slower). Subjects sorted, <x>
    before its parts <x/…>, each with its triples together and rdf:type (`a`) first, a blank line
    between subjects; @prefix lines, sorted, for the graph's bound prefixes that its IRIs use."""
    lines = graph if isinstance(graph, Lines) else graph_lines(graph)
    prefixes = _used_prefixes(lines.prefixes, lines.iris() - {str(RDF.type)})  # `a` needs no rdf: prefix
    # pyoxigraph reads the sorted lines and writes them as Turtle in the same order: faster than
    # making its Triple objects one by one in Python. `lenient`: it wrote these terms itself.
    triples = ox.parse("".join(lines.turtle_lines()).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    start = 0
    while body.startswith(b"@prefix ", start):  # pyoxigraph's own prefix lines, in its own order
        start = body.index(b"\n", start) + 1
    # Literals are written with \n escapes, so " .\n" only ends a statement, i.e. a subject's block.
    body = body[start:].replace(b" .\n", b" .\n\n")[:-1].decode("utf-8")
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in prefixes.items())
    return f"{header}\n{body}" if header and body else body


def turtle_of_lines(lines: Iterable[str], namespaces: Iterable[tuple[str, str]]) -> str:
    """The Turtle `turtle` writes, for the triples of N-Triples `lines` as `ntriples` writes them
    (each term once, one triple per line) in a graph binding `namespaces` (prefix, namespace)."""
    data = Lines(dict(namespaces))
    for line in lines:
        data.add_line(line)
    return turtle(data)


def line_terms(line: str) -> tuple[str, str, str]:
    """The subject, predicate and object of an N-Triples line as `ntriples` writes it, each as its
    N-Triples text: neither an IRI nor a blank node holds a space, and the line ends with " .\n"."""
    s_end = line.index(" ")
    p_end = line.index(" ", s_end + 1)
    return line[:s_end], line[s_end + 1:p_end], line[p_end + 1:-3]


def _used_prefixes(bound: Mapping[str, str], iris: set[str]) -> dict[str, str]:
    """The bound prefixes, sorted, that some of `iris` starts with (as rdflib declared)."""
    iris = sorted(iris)
    used = {}
    for prefix, namespace in sorted((prefix, str(namespace)) for prefix, namespace in bound.items()):
        i = bisect_left(iris, namespace)  # the first IRI >= namespace starts with it if any does
        if i < len(iris) and iris[i].startswith(namespace):
            used[prefix] = namespace
    return used


def ntriples(graph: Graph | Lines) -> str:
    """One triple per line, lines sorted, each term as pyoxigraph writes it."""
    return "".join(sorted_lines(graph))


__all__ = ["Lines", "graph_lines", "line_terms", "ntriples", "sorted_lines", "turtle", "turtle_of_lines"]
