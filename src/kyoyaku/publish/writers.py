"""Write a graph as open data: Turtle, JSON-LD (compacted with the shipped context), N-Triples.

Outputs are deterministic (sorted, no blank nodes in our data, fixed prefixes) and UTF-8 with
real Japanese characters. Files are written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph

from ..graph.oxterms import TermConverter
from ..outputs import write_atomic
from ..resources import ontology_dir


def context() -> dict:
    with (ontology_dir() / "context.jsonld").open(encoding="utf-8") as f:
        return json.load(f)["@context"]


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


def jsonld(graph: Graph) -> str:
    """Compact JSON-LD with the local context embedded, so no reader ever fetches it; integers
    and booleans are native JSON values; nodes sorted by id and every array sorted
    (kyoyaku.jsonld: the document rdflib's serializer gives, ~6× faster — tests/test_jsonld.py)."""
    from .jsonld import compact

    return compact(graph, context())


def _sorted(value):
    """RDF values have no order: sort every array so output does not depend on hash seeds."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


SERIALISERS = {"kyoyaku.ttl": turtle, "kyoyaku.jsonld": jsonld, "kyoyaku.nt": ntriples}


def write_dataset(graph: Graph, out: Path) -> list[Path]:
    written = []
    for name, serialise in SERIALISERS.items():
        write_atomic(out / name, serialise(graph))
        written.append(out / name)
    return written
