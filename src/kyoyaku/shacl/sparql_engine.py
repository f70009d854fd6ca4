"""A fast SHACL engine for the project's shapes: the shapes compiled to SPARQL, run on Oxigraph.

`validate_graph(data)` reports exactly what pySHACL reports through
`kyoyaku.shacl.validate.validate(data, engine="pyshacl", split=False)` — the same results
(severity, requirement, focus node, path, value, ja/en messages) and conformance — for every shape
feature `ontology/shapes.ttl` uses (tests/shacl/test_shacl_sparql.py compares the two on every
fixture, the seed, the corpus, the national data and synthetic agreements); a shapes graph using
anything else is refused when compiled (Unsupported). pySHACL stays the reference engine. How: kyoyaku.shacl.compile (the shapes as
queries, with shacl.constraint_rows and shacl.plan) and kyoyaku.shacl.constraint_text (SPARQL
constraints joined with their focus nodes, or not).

    validate_graph(data)            data (rdflib) + the ontology and concept schemes, in a new store
    validate_data_store(store)      a pyoxigraph Store of the data alone (the build's): the ontology
                                    and concept schemes added for the run and taken out after
    validate_store(store[, plan])   a pyoxigraph Store that already holds both
    compile_shapes(shapes)          the plan for another shapes graph
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from ..graph.mapping import new_graph
from ..graph.oxterms import default_graph_quads, rdflib_term
from .compile import compile_shapes
from .constraint_text import Unsupported
from .plan import Compiled, Source
from .report import Report, Result, copy_description, result_order
from .shapes import reference_graph, shapes_graph

__all__ = ["Unsupported", "compile_shapes", "compiled", "load_store", "reference_added", "validate_data_store",
           "validate_graph", "validate_store"]

PLACEHOLDER = re.compile(r"%%(FOCUS|TYPE|BAD):(\d+)(?::(\w+))?%%")
RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@cache
def compiled() -> Compiled:
    """The project's shapes (ontology/shapes.ttl), compiled once per process."""
    return compile_shapes(shapes_graph())


@cache
def _reference_quads() -> list:
    return default_graph_quads(reference_graph())


def load_store(data: Graph) -> ox.Store:
    """An in-memory store with `data`, the ontology and the concept schemes (in the default graph)."""
    store = ox.Store()
    store.extend(_reference_quads())
    store.extend(default_graph_quads(data))
    return store


def validate_graph(data: Graph, plan: Compiled | None = None) -> Report:
    """What pySHACL reports (kyoyaku.shacl.validate.validate(data, engine="pyshacl", split=False)),
    computed on Oxigraph."""
    return validate_store(load_store(data), plan)


@contextmanager
def reference_added(store: ox.Store) -> Iterator[ox.Store]:
    """`store` (the data alone, in its default graph) with the ontology and concept schemes added
    for the time of the block, as validation and the report's queries need them; then taken out
    again, so the store holds the data alone as before: only the triples the data did not already
    have are added, and those are the ones removed."""
    added = [quad for quad in _reference_quads() if quad not in store]
    store.extend(added)
    try:
        yield store
    finally:
        for quad in added:
            store.remove(quad)


def validate_data_store(store: ox.Store, plan: Compiled | None = None) -> Report:
    """What validate_graph reports for the data `store` holds (the data alone: the build's store),
    without copying them: the ontology and concept schemes are added for the run (reference_added)."""
    with reference_added(store):
        return validate_store(store, plan)


def validate_store(store: ox.Store, plan: Compiled | None = None) -> Report:
    """Validate what `store` holds (data, ontology and concept schemes in its default graph)."""
    run = _Run(store, plan or compiled())
    found = run.core() + run.sparql()
    results = sorted((result for result, _, _ in found), key=result_order)
    accepted = not any(source.counts for _, source, _ in found)
    return Report(accepted=accepted, results=results, graph=report_graph(found, run.plan.shapes))


class _Run:
    """One validation: the placeholders of the plan filled in from the store, then every query run."""

    def __init__(self, store: ox.Store, plan: Compiled) -> None:
        self.store, self.plan = store, plan
        self.classes = self.subclasses()
        self.focus = [self.focus_pattern(targets) for targets in plan.targets]
        self.focus_any = [self.focus_pattern(targets, distinct=False) for targets in plan.targets]
        self.scans: dict[URIRef, dict] = {}
        self.bad: dict[int, list[str]] = {}

    def query(self, text: str):
        focus = re.search(r"%%FOCUS:(\d+)%%", text)
        if focus and not text.startswith("PREFIX"):  # the PREFIX lines the shape's SPARQL targets need
            text = self.plan.prologues[int(focus.group(1))] + text
        return self.store.query(PLACEHOLDER.sub(self.fill, text))

    def fill(self, match: re.Match) -> str:
        kind, n, var = match.group(1), int(match.group(2)), match.group(3)
        if kind == "FOCUS":
            return self.focus[n]
        if kind == "TYPE":
            classes = self.classes[n]
            if len(classes) == 1:
                return f"?{var} a {classes[0]}"
            return f"?{var} a ?t{n}_{var} . VALUES ?t{n}_{var} {{ {' '.join(classes)} }}"
        terms = self.bad_values(n)
        return "(" + " || ".join(f"sameTerm(?{var}, {t})" for t in terms) + ")" if terms else "false"

    def bad_values(self, n: int) -> list[str]:
        """The candidate values Check n rejects (in SPARQL syntax), found when first needed."""
        if n not in self.bad:
            check = self.plan.checks[n]
            if check.path is not None and self.scan(check.path)[("check", n)] == 0:
                self.bad[n] = []  # no value of the path even needs a look
            else:
                rows = self.query(check.domain)
                self.bad[n] = sorted(str(row[check.var]) for row in rows if check.bad(row[check.var]))
        return self.bad[n]

    def subclasses(self) -> list[list[str]]:
        """Each class of the plan with its subclasses (SHACL instances include theirs)."""
        if not self.plan.classes:
            return []
        values = " ".join(f"<{c}>" for c in self.plan.classes)
        found: dict[str, set] = {}
        for row in self.store.query(f"SELECT ?c ?s WHERE {{ VALUES ?c {{ {values} }} ?s {RDFS_SUBCLASS}* ?c }}"):
            if isinstance(row["s"], ox.NamedNode):
                found.setdefault(row["c"].value, set()).add(str(row["s"]))
        return [sorted(found.get(str(c), {f"<{c}>"})) for c in self.plan.classes]

    def focus_pattern(self, targets: list, distinct: bool = True) -> str:
        """A group pattern binding ?this to each focus node of a shape, once (or at least once)."""
        if len(targets) == 1 and targets[0][0] == SH.targetClass and len(self.classes[targets[0][1]]) == 1:
            return f"?this a {self.classes[targets[0][1]][0]}"
        patterns = []
        for kind, target in targets:
            if kind == SH.targetClass:
                patterns.append(PLACEHOLDER.sub(self.fill, f"%%TYPE:{target}:this%%"))
            elif kind == SH.targetSubjectsOf:
                patterns.append(f"?this <{target}> []")
            elif kind == SH.targetObjectsOf:
                patterns.append(f"[] <{target}> ?this")
            elif kind == SH.targetNode:
                patterns.append(f"VALUES ?this {{ {target.n3()} }}")
            else:  # a SPARQL target's sh:select, as a sub-query
                patterns.append(f"{{ {target} }}")
        union = " UNION ".join(f"{{ {p} }}" for p in patterns)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}" if distinct else union

    def core(self) -> list:
        found = []
        for q in self.plan.queries:
            if q.probe is not None and self.clear(q.probe, q.focus):
                continue
            for row in self.query(q.text):
                value = row[q.value] if q.value else None
                found.append(_result(q.source, row["this"], q.source.path, value))
        return found

    # Most constraints hold on most data: before joining a constraint with its focus nodes, one pass
    # over the triples of its path (shared by all constraints on that path) shows whether it can fail.

    def clear(self, probe: tuple, focus: int) -> bool:
        """Whether the probe proves that the constraint has no result."""
        kind, subject = probe[0], probe[1]
        if kind == "ask":
            return not self.query(subject).__bool__()
        scan = self.scan(subject)
        if kind == "scan":
            return scan[probe[2]] == 0 and (probe[3] is None or not self.bad_values(probe[3]))
        if kind == "max":  # no subject has two values
            return scan["n"] == scan["d"]
        covered = self.query(f"{self.plan.prologues[focus]}SELECT (COUNT(DISTINCT ?this) AS ?u) WHERE {{ "
                             f"{{ {self.focus_any[focus]} }} UNION {{ ?this <{subject}> [] }} }}")
        return int(next(iter(covered))["u"].value) == scan["d"]  # every focus node has a value

    def scan(self, path: URIRef) -> dict:
        """Over the triples of `path`: their number, their subjects', and for each test of the plan
        on its values how many fail it (None: a test could not be evaluated)."""
        if path not in self.scans:
            tests = {q.probe[2]: q.probe[2] for q in self.plan.queries if q.probe and q.probe[:2] == ("scan", path)}
            tests |= {("check", n): re.sub(rf"\?{c.var}\b", "?o", c.prefilter)
                      for n, c in enumerate(self.plan.checks) if c.path == path}
            keys = sorted(tests, key=str)
            sums = "".join(f" (SUM(IF({tests[key]}, 1, 0)) AS ?b{i})" for i, key in enumerate(keys))
            counted = any(q.probe[:2] in (("max", path), ("min", path)) for q in self.plan.queries if q.probe)
            subjects = "(COUNT(DISTINCT ?s) AS ?d)" if counted else ""
            row = next(iter(self.query(f"SELECT (COUNT(*) AS ?n) {subjects}{sums} WHERE {{ ?s <{path}> ?o }}")))
            number = {name: int(row[name].value) if row[name] is not None else None
                      for name in ["n", "d"] + [f"b{i}" for i in range(len(keys))]}
            self.scans[path] = {"n": number["n"], "d": number["d"], **{k: number[f"b{i}"] for i, k in enumerate(keys)}}
        return self.scans[path]

    def sparql(self) -> list:
        """SPARQL constraints, with pySHACL's reading of their rows (?this, ?path, ?value, duplicates)."""
        found = []
        for sq in self.plan.sparql:
            text, seen = sq.text, set()
            if text.joinable:
                runs = [(None, self.query(text.joined(sq.focus)))]
            else:
                runs = [(focus, self.query(text.for_focus(_iri(focus)))) for focus in self.focus_nodes(sq.focus)]
            for focus, rows in runs:
                variables = rows.variables
                for row in rows:
                    bound = {v.value: row[v] for v in variables if row[v] is not None}
                    this = bound.pop("this", None)
                    node = focus if focus is not None else this
                    if not text.projects_this:
                        this = None
                    path, value = bound.pop("path", None), bound.pop("value", None)
                    key = (node, this, path, value, frozenset(bound.items()))
                    if (this is None and path is None and value is None) or key in seen:
                        continue  # pySHACL skips such rows, and repeated ones
                    seen.add(key)
                    if value is None and sq.node_level:
                        value = node
                    found.append(_result(sq.source, this or node, path or sq.source.path, value))
        return found

    def focus_nodes(self, k: int) -> list:
        return [row["this"] for row in self.query(f"SELECT DISTINCT ?this WHERE {{ %%FOCUS:{k}%% }}")]


def _iri(node) -> str:
    if not isinstance(node, ox.NamedNode):
        raise Unsupported(f"a SPARQL constraint run per focus node on a blank node ({node})")
    return node.value


def _result(source: Source, focus, path, value) -> tuple[Result, Source, tuple]:
    """A result as shacl.report reads it from pySHACL's report, with what the report graph needs."""
    iri = path.value if isinstance(path, ox.NamedNode) else str(path) if isinstance(path, URIRef) else None
    result = Result(severity=str(source.severity).rsplit("#", 1)[-1], shape=source.requirement, focus=focus.value,
                    path=iri, value=value.value if value is not None else None, messages=dict(source.messages))
    return result, source, (focus, path, value)


def report_graph(found: list, shapes: Graph) -> Graph:
    """An sh:ValidationReport with one sh:result per result (blank-node shapes copied in, as pySHACL
    does); sh:conforms is false with any result, of any severity (SHACL 1.0, 3.6.1)."""
    graph = new_graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not found)))
    copied: set = set()
    for result, source, (focus, path, value) in found:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, rdflib_term(focus)))
        if path is not None:
            graph.add((node, SH.resultPath, path if isinstance(path, URIRef) else rdflib_term(path)))
        if value is not None:
            graph.add((node, SH.value, rdflib_term(value)))
        graph.add((node, SH.resultSeverity, source.severity))
        graph.add((node, SH.sourceShape, source.shape))
        graph.add((node, SH.sourceConstraintComponent, source.component))
        if source.constraint is not None:
            graph.add((node, SH.sourceConstraint, source.constraint))
        for language, message in sorted(result.messages.items()):
            graph.add((node, SH.resultMessage, Literal(message, lang=language)))
        for described in (source.shape, source.constraint):
            if isinstance(described, BNode) and described not in copied:
                copy_description(shapes, described, graph, copied)
    return graph

