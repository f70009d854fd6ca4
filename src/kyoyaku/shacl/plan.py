"""What compiling the shapes gives (shacl.compile), the plan the SPARQL engine runs
(shacl.sparql_engine): per top-level shape its targets, per constraint a `Query` (or a
`SparqlQuery`) with the `Source` its results share, and the `Check`s Python decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from .constraint_text import ConstraintText, Unsupported


@dataclass
class Source:
    """What every result of one constraint shares."""
    severity: URIRef
    requirement: str  # the NodeShape it is reported under (as shacl.report names it)
    shape: Node  # sh:sourceShape
    component: URIRef | None
    path: URIRef | None
    messages: dict[str, str]  # language → message
    counts: bool  # a violation here makes the data non-conforming (pySHACL: not under a Warning shape)
    constraint: Node | None = None  # sh:sourceConstraint (SPARQL constraints)


@dataclass
class Query:
    source: Source
    focus: int
    text: str  # SELECT ?this [?value] …
    value: str | None  # the variable holding sh:value
    probe: tuple | None  # how to see cheaply that the query has no row (Compiler.rows)


@dataclass
class SparqlQuery:
    source: Source
    focus: int
    text: ConstraintText
    node_level: bool  # a row without ?value reports the focus node as sh:value


@dataclass
class Check:
    path: URIRef | None  # the candidates are values of this path (else those of `domain`)
    var: str
    prefilter: str  # true on ?var for every candidate that may be bad
    domain: str  # SELECT DISTINCT ?var …: the candidates passing the prefilter
    bad: Callable[[object], bool]  # on a pyoxigraph term


@dataclass
class Compiled:
    shapes: Graph
    targets: list[list[tuple]] = field(default_factory=list)  # per top-level shape: (kind, class index | node | select)
    prologues: list[str] = field(default_factory=list)  # per top-level shape: its SPARQL targets' PREFIX lines
    classes: list[URIRef] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    sparql: list[SparqlQuery] = field(default_factory=list)


def component_of(parameter: URIRef) -> URIRef:
    """sh:minCount → sh:MinCountConstraintComponent."""
    name = parameter[len(str(SH)):]
    return URIRef(f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent")


def term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"a blank node as a constant in a constraint: {node}")
