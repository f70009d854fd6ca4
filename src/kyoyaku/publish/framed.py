"""An agreement as one nested JSON object, for developers who do not read RDF: `dist/{path}.json`
beside the agreement's `.ttl`, `.jsonld` and `.nt` (publish.site), with its parties (each with its
municipality's name and 団体コード, and its role), its articles with their paragraphs and items, its 別表
with its sections and rows, its dates, area and sources, under short keys (`title`, `date`,
`parties`, `articles` …); texts in language maps (`"title": {"ja": "…"}`), concepts by their short
names (`"role": "core-city"`).

It is still JSON-LD: the context embedded in it (the same one published as `dist/context-framed.jsonld`)
makes it expand to exactly the triples of the agreement's Turtle document — every triple of the
document is written once: in the node of its subject, or, for a node that only points at the one
holding it (an amending agreement's eli:amends), as a reverse key of that node (`amendedBy`, else
JSON-LD's @reverse). tests/publish/test_framed.py checks it with pyld on every agreement of the
shipped build. Keys and class names are terms of the context; a concept key is `@type: @vocab` with
its scheme as a scoped `@vocab`; a municipality's `code` is JSON-LD's @index (no triple: the 団体コード
ends its id, and is its dcterms:identifier in its own document).

The nesting is made here, deterministically, from the document's N-Triples lines, not by a JSON-LD
framing processor: each node is written once, inside the node that holds it — its whole
(eli:is_part_of), else the first node that links to it, reading from the agreement down — and
referred to by its "id" everywhere else; a node nothing in the document reaches is listed under
`included` (JSON-LD's @included). Arrays of nodes follow the text's order (kyo:ordinal, kyo:order,
the party a role statement names, the source line, then the id's numbers); keys follow TERMS.
"""

from __future__ import annotations

import functools
import json
import re
from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD

from ..graph import iris
from ..graph.iris import DCTERMS, ELI, KYO, PREFIXES, PROV, SKOS, TIME
from ..graph.serialize import line_terms
from .jsonld import literal_from_text

SUFFIX = ".json"  # dist/{path}.json, beside the agreement's .ttl, .jsonld and .nt
CONTEXT_FILE = "context-framed.jsonld"  # the context alone, at the top of dist/

ID, TYPE, CODE, INCLUDED, REVERSE = "id", "type", "code", "included", "@reverse"
XSD_STRING, XSD_INTEGER, XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.boolean)
RDF_TYPE = str(RDF.type)
UNKNOWN = 1 << 62  # the order of a node without a number: after those with one
INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")  # the lexical forms a JSON number gives back unchanged


@dataclass(frozen=True)
class Term:
    """A key of the document: the property it stands for, and how its values are written —
    `kind` "@id" (an IRI, or the node itself), "@vocab" (a concept by its name in `scheme`),
    "@language" (texts in a language map), a datatype IRI (the lexical form as a string), or ""
    (plain JSON values); `many`: always an array; `for_class`: only for values of that class
    (eli:has_part is `articles` for an article, `sections` for a 別表 section …)."""

    key: str
    predicate: str
    kind: str = ""
    many: bool = False
    for_class: str = ""
    scheme: str = ""
    reverse: bool = False

    def definition(self) -> dict:
        found: dict = {"@reverse" if self.reverse else "@id": self.predicate}
        if self.kind == "@language":
            found["@container"] = "@language"
        elif self.kind:
            found["@type"] = self.kind
        if self.many and self.kind != "@language":
            found["@container"] = "@set"
        if self.scheme:
            found["@context"] = {"@vocab": self.scheme}
        return found


def _scheme(name: str) -> str:
    """The namespace of a concept scheme's concepts: a concept is `{scheme}/{name}`."""
    return str(iris.concept_scheme(name)) + "/"


DATE = str(XSD.date)
# In the order a document lists them. A predicate may have several keys, told apart by the class of
# the node they hold (for_class); the last of them, without a class, is for any other value.
TERMS = (
    Term("title", str(ELI.title), "@language"),
    Term("date", str(ELI.date_document), DATE),
    Term("dateAsWritten", str(KYO.dateAsWritten)),
    Term("inForceFrom", str(ELI.first_date_entry_in_force), DATE),
    Term("lastDayInForce", str(ELI.date_no_longer_in_force), DATE),
    Term("framework", str(KYO.framework), "@vocab", scheme=_scheme("framework")),
    Term("area", str(KYO.area), "@id"),
    Term("parties", str(KYO.hasParty), "@id", many=True),
    Term("name", str(RDFS.label), "@language"),
    Term("designation", str(KYO.designation), "@language"),
    Term("nameAsWritten", str(KYO.nameAsWritten), "@language"),
    Term("role", str(KYO.role), "@vocab", scheme=_scheme("party-role")),
    Term("municipality", str(KYO.municipality), "@id"),
    Term("order", str(KYO.order)),
    Term("number", str(ELI.number)),
    Term("clauseKind", str(KYO.clauseKind), "@vocab", scheme=_scheme("clause-kind")),
    Term("text", str(KYO.text), "@language"),
    Term("articles", str(ELI.has_part), "@id", many=True, for_class=str(KYO.Article)),
    Term("paragraphs", str(ELI.has_part), "@id", many=True, for_class=str(KYO.Paragraph)),
    Term("items", str(ELI.has_part), "@id", many=True, for_class=str(KYO.Item)),
    Term("appendices", str(ELI.has_part), "@id", many=True, for_class=str(KYO.Appendix)),
    Term("sections", str(ELI.has_part), "@id", many=True, for_class=str(KYO.AppendixSection)),
    Term("rows", str(ELI.has_part), "@id", many=True, for_class=str(KYO.Initiative)),
    Term("parts", str(ELI.has_part), "@id", many=True),
    Term("category", str(KYO.category), "@language"),
    Term("description", str(KYO.description), "@language"),
    Term("roles", str(KYO.roleStatement), "@id", many=True),
    Term("party", str(KYO.party), "@id"),
    Term("leads", str(KYO.leads)),
    Term("ledBy", str(KYO.ledBy), "@id"),
    Term("policyField", str(KYO.policyField), "@vocab", scheme=_scheme("policy-field")),
    Term("policyFieldMatch", str(KYO.policyFieldMatch)),
    Term("teijuPolicyField", str(KYO.teijuPolicyField), "@vocab", scheme=_scheme("teiju-policy-field")),
    Term("teijuPolicyFieldMatch", str(KYO.teijuPolicyFieldMatch)),
    Term("tableHeader", str(KYO.tableHeader)),
    Term("cover", str(KYO.cover), "@id"),
    Term("preamble", str(KYO.preamble), "@id"),
    Term("closingFormula", str(KYO.closingFormula), "@id"),
    Term("dateStatement", str(KYO.dateStatement), "@id"),
    Term("dateLocation", str(KYO.dateLocation), "@id"),
    Term("dateSource", str(KYO.dateSource), "@vocab", scheme=_scheme("date-source")),
    Term("signatures", str(KYO.signature), "@id", many=True),
    Term("signatoryTitle", str(KYO.signatoryTitle)),
    Term("signatoryName", str(KYO.signatoryName)),
    Term("address", str(KYO.address)),
    Term("basedOn", str(ELI.based_on), "@id"),
    Term("lapsePeriod", str(KYO.lapsePeriod), "@id"),
    Term("numericDuration", str(TIME.numericDuration), str(XSD.decimal)),
    Term("unit", str(TIME.unitType), "@vocab", scheme=str(TIME)),
    Term("noticeRequiresCouncilResolution", str(KYO.noticeRequiresCouncilResolution)),
    Term("publicNotice", str(KYO.publicNotice), "@id"),
    Term("councilBill", str(KYO.councilBill), "@id"),
    Term("dateSubmitted", str(DCTERMS.dateSubmitted), DATE),
    Term("amends", str(ELI.amends), "@id"),
    Term("amendedBy", str(ELI.amends), "@id", many=True, reverse=True),
    Term("versions", str(KYO.version), "@id", many=True),
    Term("consolidates", str(ELI.consolidates), "@id"),
    Term("incomplete", str(KYO.incomplete)),
    Term("parseDiagnostics", str(KYO.parseDiagnostic), many=True),
    Term("sourceFile", str(PROV.wasDerivedFrom), "@id", for_class=str(KYO.SourceFile)),
    Term("derivedFrom", str(PROV.wasDerivedFrom), "@id"),
    Term("fileName", str(KYO.fileName)),
    Term("sha256", str(KYO.sha256)),
    Term("byteSize", str(KYO.byteSize)),
    Term("encoding", str(KYO.encoding)),
    Term("format", str(DCTERMS["format"])),
    Term("retrieved", str(DCTERMS.date), DATE),
    Term("source", str(DCTERMS.source), "@id", many=True),
    Term("note", str(SKOS.editorialNote), "@language"),
    Term("seeAlso", str(RDFS.seeAlso), "@id", many=True),
    Term("policyFieldMapping", str(KYO.policyFieldMapping), "@id"),
    Term("partOf", str(ELI.is_part_of), "@id"),
    Term("agreement", str(KYO.partOfAgreement), "@id"),
    Term("ordinal", str(KYO.ordinal)),
    Term("sourceLine", str(KYO.sourceLine)),
    Term("sourceOrigin", str(KYO.sourceOrigin)),
    Term("searchText", str(KYO.searchText)),
)
# The classes a "type" names by their short name (any other by its prefixed name, e.g. "kyo:Change")
CLASSES = {str(c): c.split("#")[-1] for c in (
    KYO.Agreement, KYO.AgreementRecord, KYO.AmendingAgreement, KYO.ConsolidatedVersion, KYO.Article,
    KYO.Paragraph, KYO.Item, KYO.Appendix, KYO.AppendixSection, KYO.Initiative, KYO.RoleStatement, KYO.Party,
    KYO.Signature, KYO.Municipality, KYO.PartnershipArea, KYO.TextSegment, KYO.SourceFile, KYO.SourceLocation,
    KYO.PublicNotice, KYO.CouncilBill, TIME.Duration)}
KEY_ORDER = {key: i for i, key in enumerate([ID, TYPE, CODE, *dict.fromkeys(t.key for t in TERMS)])}


@functools.cache
def context() -> dict:
    """The JSON-LD context of the framed documents: the keys (TERMS), the class names, "code" (a
    municipality's 団体コード, JSON-LD's @index: a note for the reader, no triple) and the prefixes
    of the properties without a key. Shared: not to be changed."""
    found: dict = {"@version": 1.1, ID: "@id", TYPE: "@type", CODE: "@index", INCLUDED: "@included"}
    found.update((prefix, str(namespace)) for prefix, namespace in PREFIXES.items())
    found.update((name, iri) for iri, name in CLASSES.items())
    found.update((t.key, t.definition()) for t in TERMS)
    return found


def context_document() -> str:
    """`dist/context-framed.jsonld`: the context the framed documents embed, on its own."""
    return json.dumps({"@context": context()}, ensure_ascii=False, indent=2) + "\n"


def is_agreement(resource: str, lines: Collection[str]) -> bool:
    """Whether the document's `lines` type `resource` kyo:Agreement (a full text or a registry record)."""
    return f"<{resource}> <{RDF_TYPE}> <{KYO.Agreement}> .\n" in lines


def document(resource: str, lines: Iterable[str]) -> str:
    """The framed JSON-LD of `resource` from its document's N-Triples `lines` (publish.site.documents)."""
    return json.dumps(_Framer(resource, lines).frame(), ensure_ascii=False, indent=2) + "\n"


# How a term is chosen: (predicate, class of the value, reverse) → Term, the class "" for any other
_BY_PREDICATE = {(t.predicate, t.for_class, t.reverse): t for t in reversed(TERMS)}
_PREFIXES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))
_TERM_NAMES = {t.key for t in TERMS} | set(CLASSES.values()) | set(PREFIXES) | {ID, TYPE, CODE, INCLUDED}


def _compact_iri(iri: str) -> str:
    """`kyo:Change` for an IRI under a prefix of the context (the longest), else the IRI."""
    for namespace, prefix in _PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


class _Framer:
    """One document's nodes (its subjects' lines), nested: frame() gives the JSON object."""

    def __init__(self, resource: str, lines: Iterable[str]):
        self.root = f"<{resource}>"
        self.pairs: dict[str, list[tuple[str, str]]] = {}  # subject → its (predicate, object) texts, in line order
        for line in sorted(lines):  # whatever order they come in: the same document
            s, p, o = line_terms(line)
            self.pairs.setdefault(s, []).append((p, o))
        self.types = {s: [o[1:-1] for p, o in pairs if p[1:-1] == RDF_TYPE] for s, pairs in self.pairs.items()}
        self.municipalities = str(iris.municipality(""))
        part_of = f"<{ELI.is_part_of}>"
        self.whole: dict[str, str] = {}  # node → its whole: the node it is eli:is_part_of, when that is in the document
        for s, pairs in self.pairs.items():
            wholes = sorted(o for p, o in pairs if p == part_of and o in self.pairs and o != s)
            if wholes and s != self.root:
                self.whole[s] = wholes[0]
        self.children: dict[str, list[tuple[str, str, bool]]] = {}  # node → (child, predicate, reverse), as placed
        self.placed: set[str] = set()

    # -- which node holds which

    def frame(self) -> dict:
        """The root node with every node of the document nested in it or under `included`."""
        roots = [self.root]
        self._place_from(self.root)
        while len(self.placed) < len(self.pairs):
            if not self._place_by_reverse_link():
                left = sorted(s for s in self.pairs if s not in self.placed)
                orphan = next((s for s in left if self.whole.get(s) not in left), left[0])
                roots.append(orphan)
                self._place_from(orphan)
        node = self._node(self.root, skip=None)
        included = [self._node(r, skip=None) for r in roots[1:]]
        if included:
            node[INCLUDED] = sorted(included, key=self._node_order_of_object)
        return {"@context": context(), **node}

    def _place_from(self, start: str) -> None:
        """Place `start` and, breadth first, every node it reaches: a node is held by its whole
        (eli:is_part_of), else by the first node that links to it."""
        self.placed.add(start)
        queue = deque([start])
        while queue:
            holder = queue.popleft()
            found = []
            for p, o in self.pairs.get(holder, []):
                if o in self.pairs and o not in self.placed and self.whole.get(o, holder) == holder:
                    found.append((o, p, False))
                    self.placed.add(o)
            for part, whole in sorted(self.whole.items()):
                if whole == holder and part not in self.placed:  # a part only pointing up at its whole
                    found.append((part, f"<{ELI.is_part_of}>", True))
                    self.placed.add(part)
            self.children.setdefault(holder, []).extend(found)
            queue.extend(child for child, _, _ in found)

    def _place_by_reverse_link(self) -> bool:
        """Place one node that links to a placed node (an amending agreement's eli:amends) under it,
        and all it reaches; False if there is none."""
        for s in sorted(self.pairs):
            if s in self.placed or s in self.whole:
                continue
            for p, o in self.pairs[s]:
                if o in self.placed and o != s:
                    self.children.setdefault(o, []).append((s, p, True))
                    self._place_from(s)
                    return True
        return False

    # -- writing a node

    def _node(self, s: str, skip: tuple[str, str] | None) -> dict:
        """The node object of subject `s`, its children nested; `skip`: the (predicate, object) its
        holder writes as a reverse key."""
        node: dict = {ID: s[1:-1] if s.startswith("<") else s}
        if s.startswith(f"<{self.municipalities}") and "/" not in s[len(self.municipalities) + 1:-1]:
            node[CODE] = s[len(self.municipalities) + 1:-1]
        nested = {(p, child): child for child, p, reverse in self.children.get(s, []) if not reverse}
        values: dict[str, list] = {}
        for p, o in self.pairs.get(s, []):
            if (p, o) == skip:
                continue
            if p[1:-1] == RDF_TYPE:
                values.setdefault(TYPE, []).append(CLASSES.get(o[1:-1]) or _compact_iri(o[1:-1]))
                continue
            term = self._term(p[1:-1], o, reverse=False)
            if (p, o) in nested:
                term, value = term or _compact_iri(p[1:-1]), self._node(o, skip=None)
            else:
                term, value = self._value(p[1:-1], o, term)
            values.setdefault(term.key if isinstance(term, Term) else term, []).append((term, value))
        reverse_block: dict[str, list] = {}
        for child, p, reverse in self.children.get(s, []):
            if not reverse:
                continue
            term = self._term(p[1:-1], child, reverse=True)
            value = self._node(child, skip=(p, s))
            if term is None:  # no key for this reverse link: JSON-LD's @reverse, keyed as forward
                forward = self._term(p[1:-1], child, reverse=False)
                reverse_block.setdefault(forward.key if forward else _compact_iri(p[1:-1]), []).append(value)
            else:
                values.setdefault(term.key, []).append((term, value))
        for key in sorted(values, key=lambda k: (KEY_ORDER.get(k, len(KEY_ORDER)), k)):
            if key == TYPE:
                node[TYPE] = sorted(values[TYPE])
                continue
            terms = [t for t, _ in values[key]]
            node[key] = self._collect(terms[0], [v for _, v in values[key]])
        if reverse_block:
            node[REVERSE] = {k: sorted(v, key=self._node_order_of_object) for k, v in sorted(reverse_block.items())}
        return node

    def _term(self, predicate: str, o: str, reverse: bool) -> Term | None:
        for cls in self.types.get(o, []):
            found = _BY_PREDICATE.get((predicate, cls, reverse))
            if found is not None:
                return found
        return _BY_PREDICATE.get((predicate, "", reverse))

    def _collect(self, term, values: list):
        """The value of a key: a language map, an array (sorted) or a single value."""
        if isinstance(term, Term) and term.kind == "@language":
            by_language: dict[str, list] = {}
            for language, text in values:
                by_language.setdefault(language, []).append(text)
            return {lang: texts[0] if len(texts) == 1 else sorted(texts) for lang, texts in sorted(by_language.items())}
        if len(values) == 1 and not (isinstance(term, Term) and term.many):
            return values[0]
        return sorted(values, key=self._order_of_value)

    def _value(self, predicate: str, o: str, term: Term | None):
        """(the key: its Term, or a prefixed name for a value its term cannot hold; the JSON value)."""
        if o.startswith(("<", "_:")):
            iri = o[1:-1] if o.startswith("<") else o
            if term is not None and term.kind == "@vocab":
                name = iri[len(term.scheme):] if iri.startswith(term.scheme) else ""
                # a name that a key, a class or a prefix also is would be read as that: the whole IRI
                return term, name if name and name not in _TERM_NAMES and ":" not in name and "/" not in name else iri
            if term is not None and term.kind == "@id":
                return term, iri
            return (term or _compact_iri(predicate)), {ID: iri}
        literal, _ = literal_from_text(o)
        text, language, datatype = str(literal), literal.language, literal.datatype or XSD_STRING
        if term is not None and term.kind == "@language":
            if language:
                return term, (language, text)
            if datatype == XSD_STRING:
                return term, ("@none", text)
            term = None  # a typed literal has no place in a language map
        if term is not None and term.kind not in ("", "@id", "@vocab", "@language") and term.kind == datatype and not language:
            return term, text
        key = term if term is not None and term.kind == "" else _compact_iri(predicate)
        if language:
            return key, {"@value": text, "@language": language}
        if datatype == XSD_STRING:
            return key, text
        if datatype == XSD_INTEGER and INTEGER.fullmatch(text):
            return key, int(text)
        if datatype == XSD_BOOLEAN and text in ("true", "false"):
            return key, text == "true"
        return key, {"@value": text, "@type": _compact_iri(datatype)}

    # -- order

    def _node_order_of_object(self, node: dict) -> tuple:
        return self._node_order(f"<{node[ID]}>" if not node[ID].startswith("_:") else node[ID])

    def _node_order(self, s: str) -> tuple:
        """The text's order: ordinal or order, the order of the party a role statement names, the
        source line, then the id with its numbers compared as numbers."""
        party = next((o for p, o in self.pairs.get(s, []) if p == f"<{KYO.party}>"), None)
        return (min(self._number_of(s, KYO.ordinal), self._number_of(s, KYO.order)),
                self._number_of(party, KYO.order) if party else UNKNOWN,
                self._number_of(s, KYO.sourceLine), _natural(s))

    def _number_of(self, s: str, predicate) -> int:
        """The integer value of `predicate` on `s`, UNKNOWN (after every number) if it has none."""
        for p, o in self.pairs.get(s, []):
            if p == f"<{predicate}>" and not o.startswith("<"):
                text = str(literal_from_text(o)[0])
                if INTEGER.fullmatch(text):
                    return int(text)
        return UNKNOWN

    def _order_of_value(self, value) -> tuple:
        if isinstance(value, dict) and ID in value and len(value) > 1:
            return (0, self._node_order_of_object(value), "")
        return (1, (), json.dumps(value, ensure_ascii=False, sort_keys=True))


def _natural(text: str) -> tuple:
    """`art_10` after `art_9`: runs of digits compared as numbers."""
    return tuple((0, int(run), "") if run.isdigit() else (1, 0, run) for run in re.findall(r"\d+|\D+", text))
