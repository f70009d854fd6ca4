"""The core constraints as SPARQL (shacl.compile): for each constraint parameter of a shape, the
SELECT of the candidate values that fail it — counts, values, classes, nested shapes as
sub-queries of the candidates that fail or conform to them — and, where only Python decides as
pySHACL does (lexical forms, regular expressions, literal order), the `Check` that decides."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Literal, Node, URIRef
from rdflib.namespace import SH

from ..graph.oxterms import rdflib_term
from .constraint_text import Unsupported
from .plan import Check, component_of, term

NODE_KINDS = {SH.IRI: "!isIRI(?{v})", SH.BlankNode: "!isBlank(?{v})", SH.Literal: "!isLiteral(?{v})",
              SH.BlankNodeOrIRI: "isLiteral(?{v})", SH.BlankNodeOrLiteral: "isIRI(?{v})",
              SH.IRIOrLiteral: "isBlank(?{v})"}
# → (the SPARQL operator a passing value satisfies, pySHACL's test on compare_literal(value, bound))
RANGES = {SH.minInclusive: (">=", lambda c: c >= 0), SH.minExclusive: (">", lambda c: c > 0),
          SH.maxInclusive: ("<=", lambda c: c <= 0), SH.maxExclusive: ("<", lambda c: c < 0)}
# Literals of these types that Oxigraph reads are read alike by rdflib; only the others need a look
READ_ALIKE = {**dict.fromkeys((XSD.integer, XSD.decimal, XSD.double, XSD.float), "!isNumeric(?{v})"),
              XSD.boolean: "COALESCE(IF(?{v}, false, false), true)"}


class ConstraintRows:
    """The constraints' queries: a part of shacl.compile's Compiler, whose shapes graph (`g`), plan
    (`out`) and shape helpers it uses."""

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
