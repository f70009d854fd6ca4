"""pySHACL, the reference engine (shacl.validate, engine="pyshacl"): the data with the reference
graph in one graph, validated whole — or, for large graphs, per agreement in parallel plus the
rest once.

pySHACL's cost grows faster than the graph it checks (its SPARQL constraints scan the data for each
focus node), so a national build is validated in units: each agreement with its parts (the nodes
whose IRI is the agreement's or starts with it and `/`) together with what its shapes look at one
hop away (the municipalities, area, concepts it points to, and the class hierarchy), and one unit
for everything that belongs to no agreement. A unit reports only the results whose focus node it
owns, so every result is reported once — the same set as the whole graph at once
(tests/shacl/test_validate_split.py checks this on the shape fixtures and the national data).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache

from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SH

from ..graph.iris import owner_finder, split_by_agreement
from ..graph.mapping import new_graph
from .report import Report, merged_report, report_of, result_order
from .shapes import reference_graph, shapes_graph


class _ParseOnceGraph(Graph):
    """pySHACL sends a SPARQL constraint's text to `query` once per focus node — the same text each
    time, $this bound through initBindings — and rdflib parses it anew each time (~0.1 s for the
    longer constraints). Parsing each text once makes national-scale validation ~20× faster."""

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


SPLIT_ABOVE = 30_000  # triples; pySHACL's cost grows faster than the graph (docs/benchmarks.md)


def validate_pyshacl(data: Graph, split: bool | None = None, jobs: int | None = None, progress=None) -> Report:
    """pySHACL on `data` with the reference graph: whole, or — above SPLIT_ABOVE triples, or with
    split=True — per agreement on `jobs` processes (validate_split)."""
    if split is None:
        split = len(data) > SPLIT_ABOVE
    if not split:
        return _validate_graph(_with_reference(data))
    return validate_split(data, jobs=jobs, progress=progress)


def _with_reference(data, reference: Graph | None = None) -> Graph:
    """`data` (a graph, or any iterable of triples) with the reference graph, ready for pySHACL."""
    combined = _ParseOnceGraph()
    for triple in reference if reference is not None else reference_graph():
        combined.add(triple)
    for triple in data:
        combined.add(triple)
    return combined


def _validate_graph(combined: Graph, keep=None) -> Report:
    """pySHACL on a graph that already holds what the shapes need; `keep(focus)` filters results."""
    from pyshacl import validate as pyshacl_validate

    accepted, report_graph, _ = pyshacl_validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=True,
        inplace=True,  # `combined` is ours to keep as it is; a clone would lose _ParseOnceGraph
    )
    return report_of(accepted, report_graph, shapes_graph(), keep)


REST = ""  # the unit of the nodes that belong to no agreement
BATCH = 8  # agreements per task: enough to amortise sending the work to a process


def units(data: Graph) -> dict[str, list[tuple]]:
    """Owner → the triples whose subject it owns."""
    return split_by_agreement(data)


def unit_graph(own: list[tuple], data: Graph, reference: Graph) -> Graph:
    """An agreement's triples, the triples of the nodes they point to, and the class hierarchy."""
    graph = new_graph()
    for triple in own:
        graph.add(triple)
    targets = {o for _, _, o in own if isinstance(o, URIRef)}
    for target in targets:
        for source in (data, reference):
            for triple in source.triples((target, None, None)):
                graph.add(triple)
    for triple in reference.triples((None, RDFS.subClassOf, None)):
        graph.add(triple)
    return graph


# What the worker processes read: set before the pool forks them, so they share it copy-on-write
# instead of receiving each unit through a pipe.
_SHARED: dict = {}


def validate_split(data: Graph, jobs: int | None = None, progress=None) -> Report:
    split = units(data)
    names = [REST] + sorted(set(split) - {REST})
    _SHARED.update(data=data, split=split, agreements=set(split) - {REST}, reference=reference_graph())
    shapes_graph()  # parsed once here, inherited by the workers
    import pyshacl  # noqa: F401 — imported once here, inherited by the workers

    chunks = [names[i:i + BATCH] for i in range(0, len(names), BATCH)]
    reports: list[Report] = []
    workers = min(jobs or os.cpu_count() or 1, len(chunks))
    try:
        if workers <= 1:
            for chunk in chunks:
                reports += _run_chunk(chunk)
                _tick(progress, len(reports), len(names))
        else:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_fork()) as pool:
                for future in as_completed([pool.submit(_run_chunk, chunk) for chunk in chunks]):
                    reports += future.result()
                    _tick(progress, len(reports), len(names))
    finally:
        _SHARED.clear()
    results = sorted((r for report in reports for r in report.results), key=result_order)
    graph = merged_report([(report.graph, list(report.graph.objects(None, SH.result))) for report in reports])
    return Report(accepted=all(report.accepted for report in reports), results=results, graph=graph)


def _fork():
    import multiprocessing

    return multiprocessing.get_context("fork")


def _tick(progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _run_chunk(names: list[str]) -> list[Report]:
    """In a worker: validate each unit, keeping the results whose focus node it owns."""
    data, split, reference = _SHARED["data"], _SHARED["split"], _SHARED["reference"]
    owner = owner_finder(_SHARED["agreements"])
    reports = []
    for name in names:
        if name == REST:
            combined = _with_reference(split[REST])
        else:
            combined = _with_reference(unit_graph(split[name], data, reference), Graph())
        reports.append(_validate_graph(combined, keep=lambda focus, name=name: owner(focus) == name))
    return reports
