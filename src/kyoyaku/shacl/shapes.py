"""What validation checks against (shacl.validate): the project's shapes (ontology/shapes.ttl) and
the reference graph the data are checked with — the ontology and every concept scheme shipped in
ontology/ — each parsed once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from ..graph.mapping import new_graph
from ..resources import ontology_dir

SHAPES_FILE = "shapes.ttl"


@cache
def shapes_graph() -> Graph:
    g = new_graph()
    g.parse(ontology_dir() / SHAPES_FILE, format="turtle")
    return g


@cache
def reference_graph() -> Graph:
    """The ontology and every concept scheme shipped in ontology/."""
    g = new_graph()
    for path in sorted(Path(ontology_dir()).glob("*.ttl")):
        if not path.name.endswith(SHAPES_FILE):  # shapes.ttl, catalog-shapes.ttl: requirements, not data
            g.parse(path, format="turtle")
    return g
