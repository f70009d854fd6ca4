"""The SHACL shapes as SPARQL queries for Oxigraph, with pySHACL's semantics (run by shacl.sparql_engine).

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

The compiler walks the shapes here; each constraint's query is written by shacl.constraint_rows,
and the plan it fills is shacl.plan.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rdflib import OWL, RDF, RDFS, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from .constraint_rows import ConstraintRows
from .constraint_text import ConstraintText, Unsupported
from .plan import Compiled, Query, Source, SparqlQuery, term

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
NOT_CONSTRAINTS = {SH.path, SH.property, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group,
                   SH.defaultValue, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                   SH.qualifiedValueShapesDisjoint, *TARGETS}
SINGLE = {SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.languageIn, SH.minLength, SH.maxLength, SH["in"]}
MULTI = {SH["class"], SH.hasValue, SH.pattern, SH.minInclusive, SH.minExclusive, SH.maxInclusive,
         SH.maxExclusive, SH.node, SH["not"], SH.qualifiedValueShape, SH.sparql}
UNSUPPORTED = (SH.rule, SH.deactivated, SH.closed, SH.js, SH.expression, SH.equals, SH.disjoint, SH.lessThan,
               SH.lessThanOrEquals, SH.uniqueLang, SH["and"], SH["or"], SH.xone, SH.parameter)
DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}  # pySHACL declares these


class Compiler(ConstraintRows):
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
        # pySHACL writes the constraint's messages, then the shape's, all untagged; shacl.report
        # gives each the language of the identical declared one: per language, the shape's wins.
        declared: dict[str, str] = {}
        for m in own + shape_messages:
            declared.setdefault(str(m), m.language or "en")
        messages = {declared[str(m)]: str(m) for m in [m for m in own if m not in shape_messages] + shape_messages}
        source = replace(source, component=SH.SPARQLConstraintComponent, messages=messages, constraint=constraint)
        self.out.sparql.append(SparqlQuery(source, k, text, node_level=source.path is None))


def compile_shapes(shapes: Graph, join: bool = True) -> Compiled:
    """The shapes as queries. join=False runs every SPARQL constraint once per focus node, as pySHACL
    does, even where joining it with its focus nodes gives the same rows (for tests)."""
    return Compiler(shapes, join).compile()
