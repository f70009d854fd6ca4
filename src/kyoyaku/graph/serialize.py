"""The graph as text, deterministic: Turtle and N-Triples written by pyoxigraph, statements sorted,
the same bytes for the same triples whatever order they were added in. The published dumps
(publish.writers), the per-resource documents (publish.site) and the validation report's Turtle
(shacl.report) are written with these.

The build maps into `Lines` (a sink with `add((s, p, o))`, as graph.mapping adds to a graph): each
triple kept as the N-Triples texts of its terms, from which the sorted lines (`sorted_lines`, the
bytes of kyoyaku.nt), the Turtle and the build's pyoxigraph store (`Lines.store`) are made."""

from __future__ import annotations

import gc
import io
import re
import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping

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
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}  # each (predicate, object) once
        self._sorted: list[str] | None = None  # sorted_lines(), made once when asked for

    def add(self, triple: tuple) -> None:
        self._sorted = None
        s, p, o = triple
        self._keep(f"<{s}>" if type(s) is URIRef else self.text(s), f"<{p}>" if type(p) is URIRef else self.text(p),
                   f"<{o}>" if type(o) is URIRef else self.text(o))

    def add_line(self, line: str) -> None:
        """A triple given as its N-Triples line, as `ntriples` writes it (publish.site's documents)."""
        self._sorted = None
        self._keep(*line_terms(line))

    def _keep(self, s: str, p: str, o: str) -> None:
        """The triple of these term texts, interned (sys.intern): one str per distinct term text,
        however many triples hold it — a national build has millions of triples over a few hundred
        thousand distinct terms — and one tuple per distinct (predicate, object): a fifth as many."""
        s = intern(s)
        rest = (intern(p), intern(o))
        rest = self._pairs.setdefault(rest, rest)
        found = self.subjects.get(s)
        if found is None:
            self.subjects[s] = {rest: None}
        else:
            found[rest] = None

    def update(self, triples: Iterable[tuple]) -> None:
        for triple in triples:
            self.add(triple)

    def extended(self, triples: Iterable[tuple]) -> Lines:
        """A copy with `triples` added, this one unchanged: the copy shares the (predicate, object)
        sets of the subjects the triples do not touch (the whole data, when they are the ontology's)."""
        copy = Lines(self.prefixes)
        copy.subjects = dict(self.subjects)
        copy._languages, copy._pairs = self._languages, self._pairs  # caches of interned texts: shared
        for s, p, o in triples:
            subject = f"<{s}>" if type(s) is URIRef else copy.text(s)
            if copy.subjects.get(subject) is not None and copy.subjects[subject] is self.subjects.get(subject):
                copy.subjects[subject] = dict(self.subjects[subject])
            copy._keep(subject, f"<{p}>" if type(p) is URIRef else copy.text(p),
                       f"<{o}>" if type(o) is URIRef else copy.text(o))
        return copy

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
        shared: a caller must not change the list. The build reads `lines()` instead, which holds
        no list of them."""
        if self._sorted is None:
            self._sorted = list(self.lines())
        return self._sorted

    def lines(self) -> Iterator[str]:
        """The lines of `sorted_lines`, made one subject at a time as they are read (the whole
        list, at 10,000 agreements, would be gigabytes)."""
        # Sorting by subject first then by (predicate, object) orders the lines as sorting them
        # would: no term's text is the start of another's but "x" of "x"@ja or _:b1 of _:b12, and
        # "@", "^" or a label character sorts after the space that ends a term in a line.
        if self._sorted is not None:
            yield from self._sorted
            return
        subjects = self.subjects
        for s in sorted(subjects):
            yield from [f"{s} {p} {o} .\n" for p, o in sorted(subjects[s])]

    def turtle_lines(self) -> Iterator[str]:
        """The lines in Turtle's order, made as they are read: subjects sorted, <x> before its
        parts <x/…>, each with its triples together and rdf:type (`a`) first."""
        def key(text: str) -> str:
            # Without the closing ">" <x> sorts before <x/…>; still one key per term, as an IRI always
            # ends with ">" and a literal or blank node always or never does.
            return "" if text == RDF_TYPE else text.removesuffix(">")

        def pair_key(pair: tuple[str, str]) -> tuple[str, str]:
            return key(pair[0]), key(pair[1])

        subjects = self.subjects
        for s in sorted(subjects, key=key):
            yield from [f"{s} {p} {o} .\n" for p, o in sorted(subjects[s], key=pair_key)]

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
        # read from the lines as they are made: never the whole dataset's text in memory
        store.bulk_load(LineReader(self.lines()), format=ox.RdfFormat.N_TRIPLES)
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
            for quad in ox.parse(LineReader(self.lines()), format=ox.RdfFormat.N_TRIPLES):
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


intern = sys.intern

CHUNK_LINES = 4096  # lines encoded at a time when streamed (a few hundred kilobytes)


def encoded_chunks(lines: Iterable[str], size: int = CHUNK_LINES) -> Iterator[bytes]:
    """`lines` as UTF-8 bytes, `size` lines at a time: their text streamed, never joined whole."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


class LineReader(io.RawIOBase):
    """A binary file over text lines made lazily (`encoded_chunks`), for pyoxigraph to parse or
    bulk-load as it reads: the lines are never all in memory at once."""

    def __init__(self, lines: Iterable[str], size: int = CHUNK_LINES) -> None:
        self._chunks = encoded_chunks(lines, size)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


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
    out = io.BytesIO()
    write_turtle(graph, out)
    return out.getvalue().decode("utf-8")


def write_turtle(graph: Graph | Lines, output) -> None:
    """The bytes of `turtle(graph)` written to `output` (a binary file) as they are made: the
    triples streamed through pyoxigraph's parser and writer, never the whole text in memory."""
    lines = graph if isinstance(graph, Lines) else graph_lines(graph)
    prefixes = _used_prefixes(lines.prefixes, lines.iris() - {str(RDF.type)})  # `a` needs no rdf: prefix
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in prefixes.items()).encode("utf-8")
    # pyoxigraph reads the sorted lines and writes them as Turtle in the same order: faster than
    # making its Triple objects one by one in Python. `lenient`: it wrote these terms itself.
    triples = ox.parse(LineReader(lines.turtle_lines()), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    blocks = TurtleBlocks(output, header)
    ox.serialize(triples, output=blocks, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    blocks.close()


class TurtleBlocks:
    """What pyoxigraph's Turtle writer writes into it goes to `output` reshaped, chunk by chunk:
    pyoxigraph's own @prefix lines (in its own order) replaced by `header` (ours, sorted) and a
    blank line, and a blank line after each subject's block (its " .\n"; literals are written
    with \n escapes, so " .\n" only ends a statement), none after the last. Only whole lines are
    reshaped: a chunk's unfinished line waits for the next chunk. `close()` when the writer is done."""

    def __init__(self, output, header: bytes) -> None:
        self.output, self.header = output, header
        self.unfinished = b""  # the start of a line whose end has not come yet
        self.in_prefixes = True
        self.held = b""  # the last byte of the text so far: the final blank line's, not written
        self.started = False

    def write(self, data) -> int:
        text = self.unfinished + bytes(data)
        end = text.rfind(b"\n") + 1
        self.unfinished = text[end:]
        self._reshape(text[:end])
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._reshape(self.unfinished)
        self.unfinished = b""
        self.held = b""  # dropped: no blank line after the last block

    def _reshape(self, text: bytes) -> None:
        if self.in_prefixes:
            start = 0
            while text.startswith(b"@prefix ", start):
                start = text.index(b"\n", start) + 1
            text = text[start:]
            if not text:
                return
            self.in_prefixes = False
        text = self.held + text.replace(b" .\n", b" .\n\n")
        if len(text) > 1:
            if not self.started:
                self.started = True
                self.output.write(self.header + b"\n" if self.header else b"")
            self.output.write(text[:-1])
        self.held = text[-1:]


def lines_of(lines: Iterable[str], namespaces: Iterable[tuple[str, str]]) -> Lines:
    """The triples of N-Triples `lines` as `ntriples` writes them (each term once, one triple per
    line) as Lines binding `namespaces` (prefix, namespace): what `turtle` and publish.jsonld read."""
    data = Lines(dict(namespaces))
    for line in lines:
        data.add_line(line)
    return data


def turtle_of_lines(lines: Iterable[str], namespaces: Iterable[tuple[str, str]]) -> str:
    """The Turtle `turtle` writes, for the triples of N-Triples `lines` (lines_of)."""
    return turtle(lines_of(lines, namespaces))


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


__all__ = ["LineReader", "Lines", "encoded_chunks", "graph_lines", "line_terms", "lines_of", "ntriples", "sorted_lines",
           "turtle", "turtle_of_lines", "write_turtle"]
