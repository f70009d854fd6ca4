"""The text of a SHACL-SPARQL constraint (sh:select), read to run it on Oxigraph as pySHACL runs it.

pySHACL runs a constraint once per focus node with $this pre-bound everywhere in the text, like a
constant (rdflib's initBindings). Joining the query with the focus nodes instead, in one run, gives
the same rows when every group that mentions $this binds it by its own triple patterns before
anything else uses it, and no sub-query, VALUES, GRAPH, LIMIT or grouping without $this can lose
it. `ConstraintText` reads the query's structure to tell (`joinable`), and writes the query either
way: `joined(k)`, or `for_focus(iri)` with the IRI written in place of $this.
"""

from __future__ import annotations

import re
from itertools import pairwise

from rdflib import URIRef


class Unsupported(ValueError):
    """The shapes use something this engine does not implement (or where pySHACL's answer is arbitrary)."""


TOKENS = re.compile(r"""(?P<ws>\s+)|(?P<comment>\#[^\n]*)
    |(?P<str>\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)|(?P<var>[?$]\w+)
    |(?P<word>[A-Za-z_][\w\-]*(?::[^\s{}()\[\];,]*)?|:[^\s{}()\[\];,]*)|(?P<other>\S)""", re.VERBOSE)
ENDS_TRIPLES = {"{", "}", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "VALUES"}
AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
PATH_VAR = re.compile(r"([\s{}()])[\$\?]PATH", re.MULTILINE)  # pySHACL's


def is_this(token: tuple[str, str]) -> bool:
    return token[0] == "var" and token[1][1:] == "this"


class ConstraintText:
    def __init__(self, select: str, prologue: str, path: URIRef | None, join: bool = True) -> None:
        from pyshacl.errors import ReportableRuntimeError
        from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

        try:  # what pySHACL refuses (MINUS, VALUES, SERVICE, sub-selects without $this …) is refused here
            SPARQLQueryHelper.check_invalid_sparql(SPARQLQueryHelper.__new__(SPARQLQueryHelper), select)
        except ReportableRuntimeError as e:
            raise Unsupported(f"a SPARQL constraint pySHACL refuses: {e}") from None
        if path is not None:
            select = PATH_VAR.sub(rf"\g<1><{path}>", select)
        elif PATH_VAR.search(select):
            raise Unsupported("$PATH in a SPARQL constraint of a node shape")
        if re.search(r"[?$]failure\b", select):
            raise Unsupported("?failure in a SPARQL constraint")
        self.prologue = prologue
        self.tokens = [(m.lastgroup, m.group()) for m in TOKENS.finditer(select)]
        self.sig = [i for i, t in enumerate(self.tokens) if t[0] not in ("ws", "comment")]
        self.at = 0
        try:
            self.select_at, projection, where, self.where_end, modifiers = self.query()
        except (IndexError, SyntaxError):
            raise Unsupported(f"a SPARQL constraint this engine cannot read: {select}") from None
        self.projects_this = any(is_this(self.tokens[i]) or self.tokens[i][1] == "*" for i in projection)
        self.joinable = join and self.exact(projection, where, modifiers)

    # --- a small recursive reader: groups, and which of their parts bind or use $this ---------------

    def peek(self, ahead: int = 0) -> str:
        at = self.at + ahead
        return self.tokens[self.sig[at]][1].upper() if at < len(self.sig) else ""

    def skip(self) -> None:
        if self.at >= len(self.sig):
            raise SyntaxError("unexpected end")
        self.at += 1

    def query(self):
        if self.peek() != "SELECT":
            raise SyntaxError
        select_at = self.sig[self.at]
        self.at += 1
        start = self.at
        while self.peek() not in ("WHERE", "{"):
            self.skip()
        projection = [self.sig[i] for i in range(start, self.at)]
        self.at += self.peek() == "WHERE"
        where = self.group()
        where_end, start = self.sig[self.at - 1], self.at
        while self.at < len(self.sig) and self.peek() != "}":
            self.at += 1
        return select_at, projection, where, where_end, [self.sig[i] for i in range(start, self.at)]

    def mentions(self, start: int) -> bool:
        return any(is_this(self.tokens[self.sig[i]]) for i in range(start, self.at))

    def group(self) -> list:
        """The elements of a group: (kind, whether it mentions $this, or the nested group(s))."""
        if self.peek() != "{":
            raise SyntaxError
        self.at += 1
        elements = []
        while self.peek() != "}":
            start, word = self.at, self.peek()
            if word == "":
                raise SyntaxError
            if word == "{" and self.peek(1) == "SELECT":
                self.at += 1
                self.query()
                self.at += 1
                elements.append(("opaque", self.mentions(start)))
            elif word == "{":
                chain = [self.group()]
                while self.peek() == "UNION":
                    self.at += 1
                    chain.append(self.group())
                elements.append(("union", chain))
            elif word in ("OPTIONAL", "MINUS"):
                self.at += 1
                elements.append((word, self.group()))
            elif word in ("FILTER", "BIND", "GRAPH", "SERVICE", "VALUES"):
                self.at += 1
                while self.peek() not in ("(", "{"):  # a function name, NOT EXISTS, a graph name …
                    self.skip()
                self.balanced()
                elements.append((word if word in ("FILTER", "BIND") else "opaque", self.mentions(start)))
            elif word == ".":
                self.at += 1
            else:
                depth = 0
                while depth or self.peek() not in ENDS_TRIPLES:
                    depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(self.peek(), 0)
                    self.skip()
                elements.append(("triples", self.mentions(start)))
        self.at += 1
        return elements

    def balanced(self) -> None:
        depth = 0
        while True:
            depth += {"(": 1, "{": 1, ")": -1, "}": -1}.get(self.peek(), 0)
            self.skip()
            if depth == 0:
                return

    def uses(self, group: list) -> bool:
        return any(any(self.uses(g) for g in x) if kind == "union" else
                   self.uses(x) if isinstance(x, list) else x for kind, x in group)

    def binds(self, group: list) -> bool | None:
        """Whether the group's own triple patterns bind $this (None: the group uses it unsafely)."""
        bound = needed = False
        for kind, x in group:
            if kind == "triples":
                bound |= x
            elif kind == "FILTER":  # a filter applies to its whole group
                needed |= x
            elif kind in ("BIND", "opaque"):
                if x and (kind == "opaque" or not bound):
                    return None
            elif kind in ("OPTIONAL", "MINUS"):  # evaluated on their own, then matched on $this
                if self.uses(x) and not (bound and self.binds(x)):
                    return None
            else:  # a group, or groups joined by UNION
                inner = [self.binds(g) if self.uses(g) else False for g in x]
                if any(b is None or (b is False and self.uses(g)) for b, g in zip(inner, x)):
                    return None
                bound |= all(inner)
        return None if needed and not bound else bound

    def exact(self, projection: list, where: list, modifiers: list) -> bool:
        words = [self.tokens[i][1].upper() for i in modifiers]
        if {"LIMIT", "OFFSET", "VALUES"} & set(words):
            return False
        if "GROUP" in words:
            clause = words[words.index("GROUP"):]
            clause = clause[:next((n for n, w in enumerate(clause) if w in ("HAVING", "ORDER")), len(clause))]
            grouped = any(is_this(self.tokens[i]) for i in modifiers[words.index("GROUP"):][:len(clause)])
        else:
            clauses = [self.tokens[i][1].upper() for i in projection + modifiers]
            grouped = not any(a in AGGREGATES and b == "(" for a, b in pairwise(clauses))
        return grouped and self.binds(where) is True

    # --- the query, ready to run -------------------------------------------------------------------

    def joined(self, focus: int) -> str:
        """The query joined with the focus pattern of shape `focus` — a group at the end of its WHERE
        (measured faster there than first) — and ?this projected."""
        before, after = {self.where_end: f" {{ %%FOCUS:{focus}%% }} "}, {}
        if not self.projects_this:
            nxt = self.sig[self.sig.index(self.select_at) + 1]
            after[nxt if self.tokens[nxt][1].upper() in ("DISTINCT", "REDUCED") else self.select_at] = " ?this "
        return self.prologue + "".join(before.get(i, "") + t + after.get(i, "") for i, (_, t) in enumerate(self.tokens))

    def for_focus(self, focus: str) -> str:
        """The query with the focus node's IRI in place of $this: `(<iri> AS ?this)` in the projection
        (in a sub-select's, another variable: the outer ?this stays free), `(<iri>)` in GROUP BY."""
        out, state, depth, selects = [], None, 0, 0
        for kind, text in self.tokens:
            word = text.upper()
            if kind in ("ws", "comment"):
                out.append(text)
                continue
            if word == "SELECT" or (word == "BY" and state == "group?"):
                state, depth = ("projection" if word == "SELECT" else "group"), 0
                selects += word == "SELECT"
            elif word == "GROUP":
                state = "group?"
            elif text in ("(", ")") and state in ("projection", "group"):
                depth += 1 if text == "(" else -1
            elif depth == 0 and ((state == "projection" and word in ("WHERE", "{"))
                                 or (state == "group" and word in ("HAVING", "ORDER", "LIMIT", "OFFSET", "}"))):
                state = None
            if kind == "var" and text[1:] == "this":
                projected = f"(<{focus}> AS ?{'this' if selects == 1 else 'this_in_subquery'})"
                text = {"projection": projected, "group": f"(<{focus}>)"}.get(state if depth == 0 else None,
                                                                              f"<{focus}>")
            out.append(text)
        return self.prologue + "".join(out)
