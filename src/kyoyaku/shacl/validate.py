"""Check a graph against the project's SHACL shapes: the one entry of the validation stage.

The data are validated together with the concept schemes (so "a policy field from the scheme"
can be checked); each result is reported under the NodeShape — the requirement — it belongs to
(shacl.report). Two engines give the same results: the shapes compiled to SPARQL on Oxigraph
(shacl.sparql_engine, the default) and pySHACL, the reference engine (shacl.pyshacl_engine).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from .report import Report

ENGINES = ("oxigraph", "pyshacl")


def validate(data: Graph | ox.Store, split: bool | None = None, jobs: int | None = None, progress=None,
             engine: str = "oxigraph") -> Report:
    """Validate `data` (with the ontology and concept schemes) against the shapes. `data`: an rdflib
    Graph, or a pyoxigraph Store holding the data alone in its default graph (the build's, validated
    in place: shacl.sparql_engine.validate_data_store; engine "oxigraph" only).

    engine="oxigraph" (the default): the shapes compiled to SPARQL and run on Oxigraph
    (kyoyaku.shacl.sparql_engine) — the same results as pySHACL, far faster (docs/benchmarks.md).
    engine="pyshacl": the reference engine. Above pyshacl_engine.SPLIT_ABOVE triples (or with
    split=True) each agreement is validated on its own graph, in parallel on `jobs` processes, and
    the rest — municipalities, areas, memberships — once: the same results as the whole graph at
    once (tests/shacl/test_validate_split.py). `progress(done, total)` is called as units finish."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r}: expected one of {ENGINES}")
    if engine == "oxigraph":
        from .sparql_engine import validate_data_store, validate_graph

        report = validate_data_store(data) if isinstance(data, ox.Store) else validate_graph(data)
        if progress is not None:
            progress(1, 1)
        return report
    if isinstance(data, ox.Store):
        raise TypeError("the pyshacl engine validates an rdflib Graph, not a pyoxigraph Store")
    from .pyshacl_engine import validate_pyshacl

    return validate_pyshacl(data, split=split, jobs=jobs, progress=progress)
