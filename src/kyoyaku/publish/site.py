"""The published tree mirrors the IRIs, so any static host serves them: for every agreement,
municipality and area `{BASE}{path}` the build writes `dist/{path}.ttl`, `.jsonld`, `.nt` and `.html`,
beside the whole-dataset dumps (and their gzip) at the top.

A resource's document holds the triples about it and its parts (subjects `{iri}` and `{iri}/…`),
the triples that point at it, and the labels of the resources it links to, so it reads on its own.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef

from ..graph import iris
from ..graph.iris import KYO
from ..graph.mapping import new_graph
from ..graph.serialize import ntriples, turtle
from ..outputs import write_atomic
from . import writers as publish

RESOURCE_TYPES = (KYO.Agreement, KYO.Municipality, KYO.PartnershipArea)
FORMATS = {".ttl": turtle, ".jsonld": publish.jsonld, ".nt": ntriples}


def resources(graph: Graph) -> list[URIRef]:
    """The resources that get their own documents, sorted."""
    found = {s for t in RESOURCE_TYPES for s in graph.subjects(RDF.type, t) if iris.site_path(str(s))}
    return sorted(found)


def descriptions(graph: Graph) -> dict[URIRef, Graph]:
    """Each resource's document graph (see the module docstring)."""
    owned = resources(graph)
    owner_of = {str(resource): resource for resource in owned}
    find_owner = iris.owner_finder(set(owner_of))
    by_owner: dict[URIRef, Graph] = defaultdict(new_graph)
    for s, p, o in graph:
        owner = owner_of.get(find_owner(s))
        if owner is not None:
            by_owner[owner].add((s, p, o))
        if isinstance(o, URIRef) and str(o) in owner_of and owner != o:
            by_owner[owner_of[str(o)]].add((s, p, o))  # a link to the resource
    for resource, doc in by_owner.items():
        linked = {n for n in (*doc.subjects(), *doc.objects()) if str(n) in owner_of and n != resource}
        for node in linked:
            for label in graph.objects(node, RDFS.label):
                doc.add((node, RDFS.label, label))
    return {r: by_owner[r] for r in owned}


def write_documents(graph: Graph, out: Path, pages: dict[str, str]) -> list[Path]:
    """`dist/{path}.ttl` and `.jsonld` for every resource, the HTML `pages` (path → text), and a
    gzip of every dump already in `out`; returns the paths written."""
    written = []
    for resource, doc in descriptions(graph).items():
        stem = out / iris.site_path(str(resource))
        for suffix, serialise in FORMATS.items():
            path = stem.with_name(stem.name + suffix)
            write_atomic(path, serialise(doc))
            written.append(path)
    for relative, text in sorted(pages.items()):
        write_atomic(out / relative, text)
        written.append(out / relative)
    for name in publish.SERIALISERS:
        written.append(write_gzip(out / name))
    return written


# Level 6: level 9 took 1.7–2.5 times as long for 2–4 % fewer bytes (benchmarks/gzip_level.py,
# docs/benchmarks.md "Gzip level")
GZIP_LEVEL = 6


def write_gzip(path: Path) -> Path:
    """`path.gz`, byte-identical between runs (no time stamp, no file name in the header)."""
    target = path.with_name(path.name + ".gz")
    write_atomic(target, gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0))
    return target
