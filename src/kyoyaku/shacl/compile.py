"""The SHACL shapes as SPARQL queries for Oxigraph, with pySHACL's semantics (run by kyoyaku.shacl_sparql).

Each constraint of a shape with targets becomes one SELECT whose rows (?this, and the value for a
constraint on values) are its validation results. A shape nested in sh:node, sh:not or
sh:qualifiedValueShape becomes a sub-query: the candidate nodes that fail it, or conform to it.
What only Python decides as pySHACL decides it — lexical forms as rdflib reads them, regular
expressions as `re` matches them, literals as pySHACL orders them — is a `Check` on the distinct
candidate values. Queries refer to what is known only at run time through placeholders:

    %%FOCUS:k%%   the focus nodes of top-level shape k, as ?this
    %%TYPE:n:v%%  ?v is an instance of class n, or of one of its subclasses
    %%BAD:n:v%%   ?v is among the values Check n rejects

Anything else raises Unsupported: a constraint is never skipped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from ..graph.oxterms import rdflib_term
from .constraint_text import ConstraintText, Unsupported

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
NOT_CONSTRAINTS = {SH.path, SH.property, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group,
                   SH.defaultValue, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                   SH.qualifiedValueShapesDisjoint, *TARGETS}
SINGLE = {SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.languageIn, SH.minLength, SH.maxLength, SH["in"]}
MULTI = {SH["class"], SH.hasValue, SH.pattern, SH.minInclusive, SH.minExclusive, SH.maxInclusive,
         SH.maxExclusive, SH.node, SH["not"], SH.qualifiedValueShape, SH.sparql}
UNSUPPORTED = (SH.rule, SH.deactivated, SH.closed, SH.js, SH.expression, SH.equals, SH.disjoint, SH.lessThan,
               SH.lessThanOrEquals, SH.uniqueLang, SH["and"], SH["or"], SH.xone, SH.parameter)
NODE_KINDS = {SH.IRI: "!isIRI(?{v})", SH.BlankNode: "!isBlank(?{v})", SH.Literal: "!isLiteral(?{v})",
              SH.BlankNodeOrIRI: "isLiteral(?{v})", SH.BlankNodeOrLiteral: "isIRI(?{v})",
              SH.IRIOrLiteral: "isBlank(?{v})"}
# → (the SPARQL operator a passing value satisfies, pySHACL's test on compare_literal(value, bound))
RANGES = {SH.minInclusive: (">=", lambda c: c >= 0), SH.minExclusive: (">", lambda c: c > 0),
          SH.maxInclusive: ("<=", lambda c: c <= 0), SH.maxExclusive: ("<", lambda c: c < 0)}
# Literals of these types that Oxigraph reads are read alike by rdflib; only the others need a look
READ_ALIKE = {**dict.fromkeys((XSD.integer, XSD.decimal, XSD.double, XSD.float), "!isNumeric(?{v})"),
              XSD.boolean: "COALESCE(IF(?{v}, false, false), true)"}
DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}  # pySHACL declares these


@dataclass
class Source:
    """What every result of one constraint shares."""
    severity: URIRef
    requirement: str  # the NodeShape it is reported under (as kyoyaku.validate names it)
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


class Compiler:
    def __init__(self, shapes: Graph, join: bool = True) -> None:
        self.g, self.join, self.out = shapes, join, Compiled(shapes)
        self.fresh, self.stack, self.sparql_targets = 0, [], []
        if (None, RDF.type, SH.ConstraintComponent) in shapes:
            raise Unsupported("custom constraint components (sh:ConstraintComponent)")
        for p in UNSUPPORTED:
            if (None, p, None) in shapes:
                raise Unsupported(p.n3(shapes.namespace_manager))

    def var(self, name: str) -> str:
        self.fresh += 1
        return f"{name}{self.fresh}"

    def compile(self) -> Compiled:
        for shape in sorted({s for p in TARGETS for s in self.g.subjects(p, None)}, key=str):
            self.top(shape)
        return self.out

    # --- shapes --------------------------------------------------------------------------------------

    def params(self, shape: Node) -> list[tuple[URIRef, Node]]:
        """The shape's constraint parameters, all of them known."""
        found = []
        for p, o in sorted(self.g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
            if not str(p).startswith(str(SH)) or p in NOT_CONSTRAINTS:
                continue
            if p not in SINGLE | MULTI or (p in SINGLE and len(set(self.g.objects(shape, p))) > 1):
                raise Unsupported(f"{p.n3(self.g.namespace_manager)} (or more than one) on shape {shape}")
            found.append((p, o))
        if ({SH.qualifiedMinCount, SH.qualifiedMaxCount} & set(self.g.predicates(shape))
                and (shape, SH.qualifiedValueShape, None) not in self.g):
            raise Unsupported(f"a qualified count without sh:qualifiedValueShape on {shape}")
        if {(shape, RDF.type, RDFS.Class), (shape, RDF.type, OWL.Class)} & set(self.g.triples((shape, RDF.type, None))):
            raise Unsupported(f"implicit class targets (shape {shape} is a class)")
        return found

    def path(self, shape: Node) -> URIRef | None:
        paths = list(self.g.objects(shape, SH.path))
        if len(paths) > 1 or (paths and not isinstance(paths[0], URIRef)):
            raise Unsupported(f"a path that is not one IRI on shape {shape}")
        if paths and (shape, SH.property, None) in self.g:  # its property shapes would check the values
            raise Unsupported(f"sh:property on a property shape ({shape})")
        return paths[0] if paths else None

    def severity(self, shape: Node) -> URIRef:
        return self.g.value(shape, SH.severity) or SH.Violation

    def messages(self, shape: Node, sparql: bool = False) -> list[Literal]:
        found = sorted(self.g.objects(shape, SH.message))
        if len({m.language or "en" for m in found}) < len(found):  # pySHACL would pick one at random
            raise Unsupported(f"two sh:message in one language on {shape}")
        if sparql and any(re.search(r"\{[?$]", str(m)) for m in found):
            # pySHACL fills them in and drops the language tag: which message wins is then arbitrary
            raise Unsupported(f"{{?var}} in a message of a SPARQL constraint ({shape})")
        return found

    def top(self, shape: Node) -> None:
        """The queries of a shape with targets: its own constraints' and its property shapes'."""
        k = len(self.out.targets)
        self.out.targets.append(self.targets(shape))
        self.sparql_targets.append(sorted(self.g.objects(shape, SH.target)))
        self.out.prologues.append(self.prologue_of(self.sparql_targets[k]))
        for sub in [shape, *sorted(self.g.objects(shape, SH.property), key=str)]:
            path, severity = self.path(sub), self.severity(sub)
            requirement = sub if (sub, RDF.type, SH.NodeShape) in self.g else (
                self.g.value(predicate=SH.property, object=sub) or sub)
            counts = not {severity, self.severity(shape)} & {SH.Warning, SH.Info}
            source = Source(severity, str(requirement), sub, None, path, {}, counts)
            for p, o in self.params(sub):
                if p == SH.sparql:
                    self.sparql(source, k, o)
                    continue
                messages = self.messages(sub)
                if not messages:  # pySHACL writes a generic English message, not reproduced here
                    raise Unsupported(f"shape {sub} has a constraint but no sh:message")
                source.messages = {m.language or "en": str(m) for m in messages}
                for component, text, value, probe in self.rows(sub, p, o, f"%%FOCUS:{k}%%", "this", path):
                    self.out.queries.append(Query(replace(source, component=component), k, text, value, probe))

    def targets(self, shape: Node) -> list[tuple]:
        found = []
        for kind in TARGETS:
            for t in sorted(self.g.objects(shape, kind)):
                if kind == SH.targetClass:
                    t = self.class_index(t)
                elif kind == SH.targetNode:
                    term(t)
                elif kind == SH.target:
                    select = self.g.value(t, SH.select)
                    if select is None or re.search(r"^\s*(PREFIX|BASE)\b", str(select), re.IGNORECASE | re.MULTILINE):
                        raise Unsupported(f"a target other than a sh:SPARQLTarget with a plain sh:select: {t}")
                    t = str(select)
                found.append((kind, t))
        return found

    def class_index(self, cls: Node) -> int:
        if not isinstance(cls, URIRef):
            raise Unsupported(f"a class that is not an IRI: {cls}")
        if cls not in self.out.classes:
            self.out.classes.append(cls)
        return self.out.classes.index(cls)

    def prefixes(self, node: Node) -> dict[str, str]:
        """pySHACL's collect_prefixes: the node's sh:prefixes, with the sh:declare of the ontologies."""
        found = dict(DEFAULT_PREFIXES)
        ontologies = set(self.g.subjects(RDF.type, OWL.Ontology))
        for holder in self.g.objects(node, SH.prefixes):
            declares = set(self.g.objects(holder, SH.declare))
            if holder not in ontologies:
                declares |= {d for o in ontologies for d in self.g.objects(o, SH.declare)}
            seen: dict[str, str] = {}
            for d in declares:
                prefix, namespace = str(self.g.value(d, SH.prefix)), str(self.g.value(d, SH.namespace))
                if seen.setdefault(prefix, namespace) != namespace:
                    raise Unsupported(f"prefix {prefix}: declared with two namespaces")
            found.update(seen)
        return found

    def prologue_of(self, nodes: list) -> str:
        merged: dict[str, str] = {}
        for node in nodes:
            for prefix, namespace in self.prefixes(node).items():
                if merged.setdefault(prefix, namespace) != namespace:
                    raise Unsupported(f"prefix {prefix}: two namespaces in the texts one query combines")
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(merged.items()))

    def sparql(self, source: Source, k: int, constraint: Node) -> None:
        selects = list(self.g.objects(constraint, SH.select))
        if len(selects) != 1:
            raise Unsupported(f"a SPARQL constraint without exactly one sh:select: {constraint}")
        text = ConstraintText(str(selects[0]), self.prologue_of([constraint] + self.sparql_targets[k]),
                              source.path, join=self.join)
        shape_messages, own = self.messages(source.shape, sparql=True), self.messages(constraint, sparql=True)
        # pySHACL writes the constraint's messages, then the shape's, all untagged; kyoyaku.validate
        # gives each the language of the identical declared one: per language, the shape's wins.
        declared: dict[str, str] = {}
        for m in own + shape_messages:
            declared.setdefault(str(m), m.language or "en")
        messages = {declared[str(m)]: str(m) for m in [m for m in own if m not in shape_messages] + shape_messages}
        source = replace(source, component=SH.SPARQLConstraintComponent, messages=messages, constraint=constraint)
        self.out.sparql.append(SparqlQuery(source, k, text, node_level=source.path is None))

    # --- constraints: the candidates (?v, bound by `cand`) that fail them ----------------------------

    def rows(self, shape: Node, p: URIRef, o: Node, cand: str, v: str, path: URIRef | None):
        """For constraint p=o: (component, SELECT projecting ?v [and the value], value variable, probe).

        A probe shows cheaply, from the triples of the path alone, that a constraint has no result,
        so that the query joining it with the focus nodes runs only when it may have some:
        ("scan", path, test on ?o, check): no value fails; ("max", path): no subject has two values;
        ("min", path): every focus node has a value; ("ask", query): the query has no row."""
        if p in (SH.minCount, SH.maxCount, SH.qualifiedValueShape) and path is None:
            raise Unsupported(f"{p.n3(self.g.namespace_manager)} on a node shape ({shape})")
        w = self.var("w") if path else v
        values = f"{cand} . ?{v} <{path}> ?{w}" if path else cand
        one = f"{{ SELECT DISTINCT ?{w} WHERE {{ ?{self.var('s')} <{path}> ?{w} }} }}" if path else cand
        any_value = f"?{self.var('s')} <{path}> ?{w}" if path else None  # the path's values, whoever has them
        project, component = (f"?{v} ?{w}" if path else f"?{v}"), component_of(p)
        if p in (SH.minCount, SH.maxCount):
            n = self.integer(o)
            if p == SH.minCount and n == 1:
                yield component, f"SELECT DISTINCT ?{v} WHERE {{ {cand} . MINUS {{ ?{v} <{path}> ?{w} }} }}", None, (
                    "min", path)
            elif n > 1 or p == SH.maxCount:
                bound = f"OPTIONAL {{ ?{v} <{path}> ?{w} }}" if p == SH.minCount else f"?{v} <{path}> ?{w}"
                yield component, (f"SELECT ?{v} WHERE {{ {cand} . {bound} }} GROUP BY ?{v} "
                                  f"HAVING (COUNT(DISTINCT ?{w}) {'<' if p == SH.minCount else '>'} {n})"), None, (
                    ("max", path) if p == SH.maxCount and n else None)
        elif p == SH.hasValue:
            test = f"MINUS {{ ?{v} <{path}> {term(o)} }}" if path else f"FILTER(!sameTerm(?{v}, {term(o)}))"
            yield component, f"SELECT DISTINCT ?{v} WHERE {{ {cand} . {test} }}", None, None
        elif p in (SH["class"], SH.node, SH["not"]):
            if p == SH.node and (o, SH.path, None) in self.g:
                raise Unsupported(f"sh:node naming a property shape ({o}): pySHACL refuses it")
            if p == SH["class"]:
                test = f"MINUS {{ %%TYPE:{self.class_index(o)}:{w}%% }}"
            elif simple := self.simple(o, w):  # the values that fail (sh:node) or conform (sh:not): a pattern
                test = simple[1] if p == SH.node else simple[0]
            else:
                test = self.failing(o, one, w) if p == SH.node else self.conforming(o, one, w)
            yield (component, f"SELECT DISTINCT {project} WHERE {{ {values} . {test} }}", w,
                   ("ask", f"ASK {{ {any_value} . {test} }}") if path else None)
        elif p == SH.qualifiedValueShape:
            if self.g.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
                raise Unsupported("sh:qualifiedValueShapesDisjoint true")
            simple = self.simple(o, w)
            good = f"?{v} <{path}> ?{w} . {simple[0] if simple else self.conforming(o, one, w)}"
            for bound, op in [(SH.qualifiedMaxCount, ">"), (SH.qualifiedMinCount, "<")]:
                if (n := self.g.value(shape, bound)) is None or (op == "<" and self.integer(n) == 0):
                    continue
                n, component = self.integer(n), component_of(bound)
                if op == "<" and n == 1:
                    yield component, f"SELECT DISTINCT ?{v} WHERE {{ {cand} . MINUS {{ {good} }} }}", None, None
                else:
                    inner = f"OPTIONAL {{ {good} }}" if op == "<" else good
                    yield component, (f"SELECT ?{v} WHERE {{ {cand} . {inner} }} GROUP BY ?{v} "
                                      f"HAVING (COUNT(DISTINCT ?{w}) {op} {n})"), None, None
        elif p == SH.sparql:
            raise Unsupported(f"a SPARQL constraint in a nested shape ({shape})")
        else:
            base, check = self.value_test(shape, p, o, w, any_value if path else cand, path)
            test = f"{base} || %%BAD:{check}:{w}%%" if check is not None else base
            probe = ("scan", path, re.sub(rf"\?{w}\b", "?o", base), check) if path else None
            yield component, f"SELECT DISTINCT {project} WHERE {{ {values} . FILTER({test}) }}", w, probe

    def integer(self, o: Node) -> int:
        if not isinstance(o, Literal) or type(o.value) is not int or o.value < 0:
            raise Unsupported(f"{o!r} is not a non-negative integer")
        return o.value

    def value_test(self, shape: Node, p: URIRef, o: Node, w: str, domain: str, path: URIRef | None):
        """(an expression true when ?w fails p=o in a way SPARQL sees, the Check deciding the rest)."""
        def check(prefilter: str, bad: Callable[[object], bool]) -> int:
            self.out.checks.append(Check(path, w, prefilter,
                                         f"SELECT DISTINCT ?{w} WHERE {{ {domain} . FILTER({prefilter}) }}", bad))
            return len(self.out.checks) - 1

        if p == SH.datatype:
            typed = f"isLiteral(?{w}) && datatype(?{w}) = <{o}>"
            if o == RDF.langString:
                return f"!(isLiteral(?{w}) && lang(?{w}) != \"\")", None
            if o in (XSD.string, RDFS.Literal):
                return f"!({typed})" if o == XSD.string else f"!isLiteral(?{w})", None
            if o == RDFS.Datatype:
                raise Unsupported("sh:datatype rdfs:Datatype")
            maybe = READ_ALIKE.get(o, "true").format(v=w)  # Oxigraph keeps what it cannot read as written
            return f"!({typed})", check(f"{typed} && {maybe}", lambda t: ill_typed(t, o))
        if p == SH.nodeKind:
            if o not in NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {o}")
            return NODE_KINDS[o].format(v=w), None
        if p == SH.languageIn:
            members = list(self.g.items(o))
            if not all(isinstance(x, Literal) and isinstance(x.value, str) for x in members):
                raise Unsupported("sh:languageIn with a member that is not a string")
            wanted, tagged = [str(x).lower() for x in members], f"isLiteral(?{w}) && lang(?{w}) != \"\""
            if "*" in wanted:
                return f"!({tagged})", None
            listed = ", ".join(Literal(x).n3() for x in wanted) or "\"\""  # pySHACL: tag or its first part
            return (f"!({tagged} && (lang(?{w}) IN ({listed}) || LCASE(lang(?{w})) IN ({listed}) || "
                    f"LCASE(STRBEFORE(CONCAT(lang(?{w}), \"-\"), \"-\")) IN ({listed})))"), None
        if p in (SH.minLength, SH.maxLength):
            n, op = self.integer(o), "<" if p == SH.minLength else ">"
            return (f"isBlank(?{w}) || STRLEN(STR(?{w})) {op} {n}" if n or op == ">" else "false"), None
        if p == SH["in"]:
            members = [f"sameTerm(?{w}, {term(x)})" for x in self.g.items(o)]
            return f"!({' || '.join(members) or 'false'})", None
        if p == SH.pattern:
            flags = str(self.g.value(shape, SH.flags) or "").lower()
            regex = re.compile(str(o), (re.IGNORECASE if "i" in flags else 0) | (re.MULTILINE if "m" in flags else 0))
            return f"isBlank(?{w})", check(f"!isBlank(?{w})", lambda t: not regex.search(t.value))
        if p in RANGES:
            if not isinstance(o, Literal):
                raise Unsupported(f"{p.n3(self.g.namespace_manager)} with a value that is not a literal")
            op, passes = RANGES[p]
            # where Oxigraph orders numbers, pySHACL orders them alike; anything else goes to Python
            numeric = isinstance(o.value, (int, float, Decimal)) and not isinstance(o.value, bool)
            maybe = f"COALESCE(!(?{w} {op} {o.n3()}), true)" if numeric else "true"
            return f"!isLiteral(?{w})", check(f"isLiteral(?{w}) && {maybe}", lambda t: not in_range(t, o, passes))
        raise Unsupported(str(p))  # pragma: no cover — params() lets through only what is handled

    # --- nested shapes -------------------------------------------------------------------------------

    def simple(self, shape: Node, w: str) -> tuple[str, str] | None:
        """For a shape of class, hasValue and value tests only: patterns keeping ?w (bound before)
        when it conforms and when it fails — cheaper than `conforming` and `failing`."""
        if self.severity(shape) != SH.Violation or shape in self.stack:
            return None
        if path := self.path(shape):  # a property shape: only sh:hasValue
            params = self.params(shape)
            if not params or any(p != SH.hasValue for p, _ in params):
                return None
            conforms = " . ".join(f"?{w} <{path}> {term(o)}" for _, o in params)
            return conforms, f"MINUS {{ {conforms} }}"
        binding, filters = [], []  # patterns that bind ?w by themselves; tests on it
        for p, o in self.params(shape):
            if p == SH["class"]:
                binding.append(f"%%TYPE:{self.class_index(o)}:{w}%%")
            elif p == SH.hasValue:
                filters.append(f"sameTerm(?{w}, {term(o)})")
            elif p in (SH.nodeKind, SH.languageIn, SH.minLength, SH.maxLength, SH["in"]) or (
                    p == SH.datatype and o in (XSD.string, RDF.langString, RDFS.Literal)):
                filters.append(f"!({self.value_test(shape, p, o, w, '', None)[0]})")
            else:
                return None
        for sub in self.g.objects(shape, SH.property):
            params = self.params(sub)
            if self.severity(sub) != SH.Violation or [p for p, _ in params] != [SH.hasValue]:
                return None
            binding.append(f"?{w} <{self.path(sub)}> {term(params[0][1])}")
        if not binding and not filters:
            return None
        conforms = " . ".join(binding + [f"FILTER({' && '.join(filters) or 'true'})"])
        return conforms, f"MINUS {{ {conforms} }}" if binding else f"FILTER(!({' && '.join(filters)}))"

    def failing(self, shape: Node, cand: str, v: str) -> str:
        """A group pattern binding ?v to the candidates (bound by `cand`) that fail `shape`."""
        if shape in self.stack:
            raise Unsupported(f"recursive shapes ({shape})")
        if self.severity(shape) != SH.Violation:  # pySHACL: a nested warning conforms, or not (sh:node)
            raise Unsupported(f"a nested shape with sh:severity ({shape})")
        path = self.path(shape)
        self.stack.append(shape)
        branches = [text for p, o in self.params(shape) for _, text, _, _ in self.rows(shape, p, o, cand, v, path)]
        branches += [self.failing(sub, cand, v) for sub in self.g.objects(shape, SH.property)]
        self.stack.pop()
        union = " UNION ".join(b if b.startswith("{") else f"{{ {b} }}" for b in branches) or "FILTER(false)"
        return f"{{ SELECT DISTINCT ?{v} WHERE {{ {union} }} }}"

    def conforming(self, shape: Node, cand: str, v: str) -> str:
        return f"{{ SELECT DISTINCT ?{v} WHERE {{ {cand} . MINUS {self.failing(shape, cand, v)} }} }}"


def quietly(make):
    """rdflib logs every literal it cannot read; pySHACL has logged those already."""
    logger = logging.getLogger("rdflib.term")
    level, logger.level = logger.level, logging.CRITICAL
    try:
        return make()
    finally:
        logger.level = level


def ill_typed(t, datatype: URIRef) -> bool:
    """pySHACL's sh:datatype test on a literal of that datatype: rdflib reads it, as the right type."""
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    lit = quietly(lambda: Literal(t.value, datatype=datatype))
    return lit.ill_typed is True or not DatatypeConstraintComponent._assert_actual_datatype(None, lit, datatype)


def in_range(t, bound: Literal, passes) -> bool:
    """pySHACL's sh:minInclusive (…) test on a literal."""
    from pyshacl.rdfutil.compare import compare_literal

    lit = quietly(lambda: rdflib_term(t))
    if isinstance(lit.value, str) != isinstance(bound.value, str):
        return False
    try:
        return passes(compare_literal(lit, bound))
    except (TypeError, NotImplementedError):  # what compare_literal raises for values it cannot order
        return False  # pySHACL then reports the value as failing the range, as here


def compile_shapes(shapes: Graph, join: bool = True) -> Compiled:
    """The shapes as queries. join=False runs every SPARQL constraint once per focus node, as pySHACL
    does, even where joining it with its focus nodes gives the same rows (for tests)."""
    return Compiler(shapes, join).compile()
