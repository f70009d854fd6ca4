"""The reference the per-resource documents are checked against: each resource's document built as
an rdflib graph from the whole graph, as publish.site built them before it cut them out of the
sorted N-Triples lines (rdflib stays the oracle), and the store those lines are read with; and the
triples another JSON-LD processor (pyld) reads from a document."""

from __future__ import annotations

import json
from collections import defaultdict

import pyoxigraph as ox
from pyld import jsonld
from rdflib import RDF, RDFS, Graph, URIRef

from kyoyaku.graph import iris
from kyoyaku.graph.mapping import new_graph
from kyoyaku.graph.oxterms import default_graph_quads
from kyoyaku.graph.serialize import ntriples
from kyoyaku.publish.site import RESOURCE_TYPES


def store_of(graph: Graph) -> ox.Store:
    """An in-memory pyoxigraph store of `graph`'s triples (in its default graph)."""
    store = ox.Store()
    store.extend(default_graph_quads(graph))
    return store


def lines_of(graph: Graph) -> list[str]:
    """The graph's sorted N-Triples lines, as the build writes kyoyaku.nt."""
    return ntriples(graph).splitlines(keepends=True)


def reference_descriptions(graph: Graph) -> dict[URIRef, Graph]:
    """Each resource's document graph: the triples whose subject it owns (iris.owner_finder), the
    triples pointing at it, and rdfs:label of the resources it links to."""
    found = {s for t in RESOURCE_TYPES for s in graph.subjects(RDF.type, t) if iris.site_path(str(s))}
    owner_of = {str(resource): resource for resource in found}
    find_owner = iris.owner_finder(set(owner_of))
    by_owner: dict[URIRef, Graph] = defaultdict(new_graph)
    for s, p, o in graph:
        owner = owner_of.get(find_owner(s))
        if owner is not None:
            by_owner[owner].add((s, p, o))
        if isinstance(o, URIRef) and str(o) in owner_of and owner != o:
            by_owner[owner_of[str(o)]].add((s, p, o))
    for resource, doc in by_owner.items():
        linked = {n for n in (*doc.subjects(), *doc.objects()) if str(n) in owner_of and n != resource}
        for node in linked:
            for label in graph.objects(node, RDFS.label):
                doc.add((node, RDFS.label, label))
    return {r: by_owner[r] for r in sorted(found)}


def expanded(document: str) -> Graph:
    """The triples a JSON-LD processor (pyld: expand, then to RDF) reads from `document`; nothing is
    fetched (pyld's default loader is never reached: the context is embedded)."""
    def no_loader(url, options=None):
        raise AssertionError(f"the document asked to fetch {url}")

    quads = jsonld.to_rdf(json.loads(document), {"format": "application/n-quads", "documentLoader": no_loader})
    return Graph().parse(data=quads, format="nt")
