"""Write a graph as open data, the dumps of the published tree: Turtle and N-Triples (written by
graph.serialize), JSON-LD compacted with the shipped context (publish.jsonld).

Outputs are deterministic (sorted, no blank nodes in our data, fixed prefixes) and UTF-8 with
real Japanese characters. Files are written to a temporary name and renamed into place
(outputs.write_atomic).
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from ..graph.serialize import (
    Lines,
    encoded_chunks,
    graph_lines,
    ntriples,
    turtle,
    write_turtle,
)
from ..outputs import atomic_file, write_atomic
from ..resources import ontology_dir


def context() -> dict:
    with (ontology_dir() / "context.jsonld").open(encoding="utf-8") as f:
        return json.load(f)["@context"]


def jsonld(graph: Graph | Lines) -> str:
    """Compact JSON-LD with the local context embedded, so no reader ever fetches it; integers
    and booleans are native JSON values; nodes sorted by id and every array sorted
    (publish.jsonld: the document rdflib's serializer gives, ~6× faster — tests/publish/test_jsonld.py).
    The build's Lines keep each literal as written, where a store would give "2.0"^^xsd:decimal
    back as "2"."""
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
# The same dumps with the ontology and every concept scheme in them: what a tool other than kyoyaku
# loads alone (the labels of the frameworks and policy fields, the classes the queries and shapes use).
FULL_STEM = "kyoyaku-full"
FULL_DUMPS = tuple(name.replace("kyoyaku.", f"{FULL_STEM}.") for name in SERIALISERS)


def write_dataset(graph: Graph | Lines, out: Path, stem: str = "kyoyaku") -> list[Path]:
    """The three dumps of `graph` (an rdflib Graph, or the build's Lines) into `out` as `{stem}.ttl`,
    `.jsonld` and `.nt`, each the bytes of its SERIALISERS function, streamed to its file: each is
    written as it is made, never whole in memory (at 10,000 agreements each is a gigabyte or more)."""
    from .jsonld import compact_chunks

    lines = graph if isinstance(graph, Lines) else graph_lines(graph)
    with atomic_file(out / f"{stem}.ttl") as f:
        write_turtle(lines, f)
    write_atomic(out / f"{stem}.jsonld", compact_chunks(lines, context()))
    write_atomic(out / f"{stem}.nt", encoded_chunks(lines.lines()))
    return [out / f"{stem}{Path(name).suffix}" for name in SERIALISERS]


def write_full_dataset(graph: Graph | Lines, out: Path) -> list[Path]:
    """The FULL_DUMPS: `graph` with the ontology and concept schemes (reference_triples)."""
    lines = graph if isinstance(graph, Lines) else graph_lines(graph)
    return write_dataset(lines.extended(reference_triples()), out, FULL_STEM)


def reference_triples() -> list[tuple]:
    """The ontology and concept schemes of ontology/ (shacl.shapes.reference_graph) as pyoxigraph
    triples, their blank nodes (the ontology's OWL lists) labelled canonically by RDFC-1.0: the same
    labels every build, so the full dumps are byte-identical."""
    import pyoxigraph as ox

    from ..graph.oxterms import default_graph_quads
    from ..shacl.shapes import reference_graph

    dataset = ox.Dataset(default_graph_quads(reference_graph()))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [(q.subject, q.predicate, q.object) for q in dataset]
