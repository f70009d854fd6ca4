"""Check a graph against the project's SHACL shapes with pySHACL (the reference engine).

The data are validated together with the concept schemes (so "a policy field from the scheme"
can be checked); each result is reported under the NodeShape — the requirement — it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from ..graph.mapping import new_graph
from ..resources import ontology_dir

SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class Result:
    severity: str  # Violation | Warning | Info
    shape: str  # the requirement (NodeShape IRI)
    focus: str
    path: str | None
    value: str | None
    messages: dict[str, str]  # language → message

    def describe(self) -> str:
        lines = [f"{self.severity}: {self.shape.rsplit('#', 1)[-1]}"]
        for lang in ("ja", "en"):
            if lang in self.messages:
                lines.append(f"  {self.messages[lang]}")
        lines.append(f"  focus: {self.focus}")
        if self.path:
            lines.append(f"  path:  {self.path}")
        if self.value:
            lines.append(f"  value: {self.value}")
        return "\n".join(lines)


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    graph: Graph

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    def text(self) -> str:
        head = "conforms" if self.conforms else f"does not conform: {len(self.violations)} violation(s)"
        warnings = len(self.results) - len(self.violations)
        if warnings:
            head += f", {warnings} warning(s)"
        return "\n\n".join([head] + [r.describe() for r in self.results]) + "\n"

    def turtle(self) -> str:
        """The report graph as Turtle, byte-identical for the same results: its blank nodes (the
        report, each result, the shapes' nodes copied under them) get their canonical labels by
        W3C RDF Dataset Canonicalization (RDFC-1.0, computed by Oxigraph) instead of random ones,
        and the statements are sorted as in the published dumps (publish.turtle)."""
        import pyoxigraph as ox

        from ..graph.oxterms import default_graph_quads, rdflib_term
        from ..publish.writers import turtle

        dataset = ox.Dataset(default_graph_quads(self.graph))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        canonical = new_graph()
        for prefix, namespace in self.graph.namespaces():
            canonical.bind(prefix, namespace, override=True)
        for quad in dataset:
            canonical.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
        return turtle(canonical)


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
ENGINES = ("oxigraph", "pyshacl")


def validate(data: Graph, split: bool | None = None, jobs: int | None = None, progress=None,
             engine: str = "oxigraph") -> Report:
    """Validate `data` (with the ontology and concept schemes) against the shapes.

    engine="oxigraph" (the default): the shapes compiled to SPARQL and run on Oxigraph
    (kyoyaku.shacl_sparql) — the same results as pySHACL, far faster (docs/benchmarks.md).
    engine="pyshacl": the reference engine. Above SPLIT_ABOVE triples (or with split=True) each
    agreement is validated on its own graph, in parallel on `jobs` processes, and the rest —
    municipalities, areas, memberships — once: the same results as the whole graph at once
    (tests/test_validate_split.py). `progress(done, total)` is called as units finish."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r}: expected one of {ENGINES}")
    if engine == "oxigraph":
        from .sparql_engine import validate_graph

        report = validate_graph(data)
        if progress is not None:
            progress(1, 1)
        return report
    if split is None:
        split = len(data) > SPLIT_ABOVE
    if not split:
        return _validate_graph(_with_reference(data))
    from .pyshacl_engine import validate_split

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

    conforms, report_graph, _ = pyshacl_validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=True,
        inplace=True,  # `combined` is ours to keep as it is; a clone would lose _ParseOnceGraph
    )
    return report_of(conforms, report_graph, shapes_graph(), keep)


def report_of(conforms: bool, report_graph: Graph, shapes: Graph, keep=None) -> Report:
    """pySHACL's report as a Report whose results are named by their requirement (NodeShape) in
    `shapes`; `keep(focus)` filters them (the report graph then holds the kept ones only)."""
    # Top-level results only: sh:detail results nested under them are part of the same finding.
    nodes = [n for n in report_graph.objects(None, SH.result)
             if keep is None or keep(report_graph.value(n, SH.focusNode))]
    results = sorted((_result(report_graph, node, shapes) for node in nodes), key=result_order)
    if keep is not None:
        report_graph = merged_report([(report_graph, nodes)])
        conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=bool(conforms), results=results, graph=report_graph)


def result_order(r: Result) -> tuple:
    return (r.severity != "Violation", r.shape, r.focus, r.path or "", r.value or "")


def merged_report(parts: list[tuple[Graph, list[Node]]]) -> Graph:
    """One sh:ValidationReport with the given result nodes (and everything below them) of the
    given report graphs."""
    merged = new_graph()
    report = BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    violation = False
    for graph, nodes in parts:
        for node in nodes:
            merged.add((report, SH.result, node))
            violation |= graph.value(node, SH.resultSeverity) == SH.Violation
            copy_description(graph, node, merged, set())
    merged.add((report, SH.conforms, Literal(not violation)))
    return merged


def copy_description(source: Graph, node: Node, target: Graph, copied: set) -> None:
    """`node`'s triples in `source`, and those of the blank nodes below it, into `target`
    (`copied`: the nodes already copied, updated)."""
    todo = [node]
    while todo:
        subject = todo.pop()
        if subject in copied:
            continue
        copied.add(subject)
        for _, p, o in source.triples((subject, None, None)):
            target.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def _result(report: Graph, node: Node, shapes: Graph) -> Result:
    source = report.value(node, SH.sourceShape)
    requirement = source
    if not (source, RDF.type, SH.NodeShape) in shapes:
        requirement = shapes.value(predicate=SH.property, object=source) or source
    severity = report.value(node, SH.resultSeverity)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    messages = _messages(report, node, shapes)
    return Result(
        severity=str(severity).rsplit("#", 1)[-1],
        shape=str(requirement),
        focus=str(report.value(node, SH.focusNode)),
        path=str(path) if isinstance(path, URIRef) else None,
        value=str(value) if value is not None else None,
        messages=messages,
    )


def _messages(report: Graph, node: Node, shapes: Graph) -> dict[str, str]:
    """The result's messages by language. pySHACL drops the language tag of SPARQL-constraint
    messages, so an untagged message takes the tag of the identical sh:message in the shapes."""
    declared: dict[str, str] = {}
    for owner in (report.value(node, SH.sourceConstraint), report.value(node, SH.sourceShape)):
        for m in shapes.objects(owner, SH.message) if owner is not None else ():
            declared.setdefault(str(m), m.language or "en")
    messages: dict[str, str] = {}
    for m in report.objects(node, SH.resultMessage):
        if isinstance(m, Literal):
            messages[m.language or declared.get(str(m), "en")] = str(m)
    return messages
