"""The validation report both engines give (shacl.validate): a `Report` — SHACL's conforms, kyoyaku's
accepted, one
`Result` per finding, named by its requirement (the NodeShape), in a fixed order — with its graph
(an sh:ValidationReport) as text and as canonical Turtle; and pySHACL's report graph read into one
(`report_of`)."""

from __future__ import annotations

from collections import Counter
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


SEVERITIES = ("Violation", "Warning", "Info")


@dataclass
class Report:
    """The results of a validation and their sh:ValidationReport graph.

    Two answers, kept apart: `conforms` is SHACL's (no result at all, of any severity: the report
    graph's sh:conforms), `accepted` is kyoyaku's own decision — no violation — on which the build
    publishes (the warnings and infos go out with the data, in the report) and the commands exit 0."""

    accepted: bool  # as the engine decides it: a violation nested under a Warning shape does not count (pySHACL)
    results: list[Result]
    graph: Graph

    @property
    def conforms(self) -> bool:
        return not self.results

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    def counts(self) -> dict[str, int]:
        """Severity → number of results, every severity named."""
        return {severity: sum(1 for r in self.results if r.severity == severity) for severity in SEVERITIES}

    def by_shape(self) -> list[tuple[str, str, int]]:
        """(severity, requirement's local name, number of results), violations first, then by name."""
        counted = Counter((r.severity, r.shape.rsplit("#", 1)[-1]) for r in self.results)
        return sorted(((sev, shape, n) for (sev, shape), n in counted.items()),
                      key=lambda row: (SEVERITIES.index(row[0]), row[1]))

    def summary(self) -> str:
        """One line: `conforms`, or the counts by severity and by requirement."""
        if self.conforms:
            return "conforms"
        counts = ", ".join(f"{n} {severity.lower()}(s)" for severity, n in self.counts().items())
        shapes = ", ".join(f"{n} × {shape}" for _, shape, n in self.by_shape())
        return f"does not conform: {counts} ({shapes})"

    def verdict(self) -> str:
        """kyoyaku's decision, beside SHACL's answer."""
        if self.accepted:
            return "accepted: no violation (kyoyaku publishes data whose results are warnings or infos only)"
        return f"not accepted: {len(self.violations)} violation(s)"

    def text(self) -> str:
        head = [self.summary()] if self.conforms else [self.summary(), self.verdict()]
        return "\n\n".join(["\n".join(head)] + [r.describe() for r in self.results]) + "\n"

    def json(self) -> str:
        """The report for programs (`kyoyaku validate --format json`)."""
        import json

        return json.dumps({
            "conforms": self.conforms, "accepted": self.accepted, "counts": self.counts(),
            "shapes": [{"severity": sev, "shape": shape, "results": n} for sev, shape, n in self.by_shape()],
            "results": [{"severity": r.severity, "shape": r.shape, "focus": r.focus, "path": r.path, "value": r.value,
                         "messages": r.messages} for r in self.results],
        }, ensure_ascii=False, indent=1) + "\n"

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


def report_of(accepted: bool, report_graph: Graph, shapes: Graph, keep=None) -> Report:
    """pySHACL's report as a Report whose results are named by their requirement (NodeShape) in
    `shapes`; `keep(focus)` filters them (the report graph then holds the kept ones only). `accepted`:
    pySHACL's conforms with allow_warnings (no violation that counts). The graph's sh:conforms is
    SHACL's — false with any result — whatever allow_warnings made it."""
    # Top-level results only: sh:detail results nested under them are part of the same finding.
    nodes = [n for n in report_graph.objects(None, SH.result)
             if keep is None or keep(report_graph.value(n, SH.focusNode))]
    results = sorted((_result(report_graph, node, shapes) for node in nodes), key=result_order)
    if keep is not None:
        accepted = not any(r.severity == "Violation" for r in results)
    return Report(accepted=bool(accepted), results=results, graph=merged_report([(report_graph, nodes)]))


def result_order(r: Result) -> tuple:
    return (r.severity != "Violation", r.shape, r.focus, r.path or "", r.value or "")


def merged_report(parts: list[tuple[Graph, list[Node]]]) -> Graph:
    """One sh:ValidationReport with the given result nodes (and everything below them) of the
    given report graphs."""
    merged = new_graph()
    report = BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    any_result = False
    for graph, nodes in parts:
        for node in nodes:
            merged.add((report, SH.result, node))
            any_result = True
            copy_description(graph, node, merged, set())
    merged.add((report, SH.conforms, Literal(not any_result)))  # SHACL: any result, of any severity
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
