"""The validation report both engines give (shacl.validate): a `Report` — conforms or not, one
`Result` per finding, named by its requirement (the NodeShape), in a fixed order — with its graph
(an sh:ValidationReport) as text and as canonical Turtle; and pySHACL's report graph read into one
(`report_of`)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from ..graph.mapping import new_graph


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
        and the statements are sorted as in the published dumps (graph.serialize.turtle)."""
        import pyoxigraph as ox

        from ..graph.oxterms import default_graph_quads, rdflib_term
        from ..graph.serialize import turtle

        dataset = ox.Dataset(default_graph_quads(self.graph))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        canonical = new_graph()
        for prefix, namespace in self.graph.namespaces():
            canonical.bind(prefix, namespace, override=True)
        for quad in dataset:
            canonical.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
        return turtle(canonical)


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
