"""The documented terms of the ontology page (publish.ontodoc) and how a term is written on it:
its anchor (`anchor`), CURIE, labels, a link to it or its text, literals, and the rows of an entry.
`PageBase` is the base of the page class the sections are mixed into."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SH, SKOS

from ...graph.iris import KYO as KYO_NAMESPACE
from ...graph.iris import VOCABULARY_BASE

KYO = str(KYO_NAMESPACE)
CONCEPT = f"{VOCABULARY_BASE}concept/"


def anchor(iri: URIRef | str) -> str:
    """The id of a term on the page: its local name in kyo:, its path under concept/ for concepts."""
    text = str(iri)
    if text.startswith(KYO) and len(text) > len(KYO):
        return text[len(KYO):]
    if text.startswith(CONCEPT) and len(text) > len(CONCEPT):
        path = text[len(CONCEPT):]
        # a scheme (concept/framework) must not take the id of a kyo: term (kyo:framework)
        return path if "/" in path else f"scheme/{path}"
    return re.sub(r"[^A-Za-z0-9_.:/-]+", "-", text.split("://", 1)[-1]).strip("-")


_e = html.escape


def _bilingual(ja: str, en: str) -> str:
    return _e(ja) if ja == en else f'{_e(ja)} / <span lang="en">{_e(en)}</span>'


class PageBase:
    """The vocabulary and shapes graphs, the terms documented on the page and their ids, and how
    each is written."""

    def __init__(self, vocabulary: Graph, shapes: Graph, downloads: list[str]):
        self.g = vocabulary
        self.s = shapes
        self.downloads = downloads
        namespaces = {str(ns): prefix for graph in (vocabulary, shapes) for prefix, ns in graph.namespaces()}
        namespaces.setdefault(str(SH), "sh")
        # longest namespace first, so the most specific prefix wins
        self.prefixes = sorted(namespaces.items(), key=lambda item: (-len(item[0]), item[1]))
        g = vocabulary

        def typed(*classes: URIRef) -> list[URIRef]:
            found = {s for c in classes for s in g.subjects(RDF.type, c) if isinstance(s, URIRef)}
            return sorted(found, key=anchor)

        self.classes = typed(OWL.Class, RDFS.Class)
        self.object_properties = typed(OWL.ObjectProperty)
        self.datatype_properties = typed(OWL.DatatypeProperty)
        listed = set(self.object_properties) | set(self.datatype_properties)
        self.other_properties = [p for p in typed(OWL.AnnotationProperty, RDF.Property) if p not in listed]
        self.schemes = typed(SKOS.ConceptScheme)
        self.shapes = sorted({s for c in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, c)
                              if isinstance(s, URIRef)}, key=anchor)

        # concepts and the one scheme section each is documented in
        concepts: set[URIRef] = set(typed(SKOS.Concept))
        membership: dict[URIRef, set[URIRef]] = defaultdict(set)
        for c, scheme in [*g.subject_objects(SKOS.inScheme), *g.subject_objects(SKOS.topConceptOf)]:
            membership[c].add(scheme)
        for scheme, c in g.subject_objects(SKOS.hasTopConcept):
            membership[c].add(scheme)
        concepts |= {c for c in membership if isinstance(c, URIRef)}
        concepts -= set(self.schemes)
        self.scheme_concepts: dict[URIRef | None, list[URIRef]] = defaultdict(list)
        for c in sorted(concepts, key=anchor):
            home = sorted((s for s in membership[c] if s in self.schemes), key=anchor)
            self.scheme_concepts[home[0] if home else None].append(c)
        self.concepts = sorted(concepts, key=anchor)

        documented = [*self.classes, *self.object_properties, *self.datatype_properties,
                      *self.other_properties, *self.schemes, *self.concepts, *self.shapes]
        self.ids: dict[URIRef, str] = {}
        self.used_ids: set[str] = set()
        for term in documented:
            if term not in self.ids:
                self.ids[term] = self._claim(anchor(term))

    # -- ids, names and references ------------------------------------------------------------

    def _claim(self, id_: str) -> str:
        if not id_ or id_ in self.used_ids or re.search(r"\s", id_):
            raise ValueError(f"the ontology page would have a duplicate or invalid id {id_!r}")
        self.used_ids.add(id_)
        return id_

    def curie(self, iri: URIRef) -> str:
        text = str(iri)
        for ns, prefix in self.prefixes:
            local = text[len(ns):]
            if text.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.\-]*", local) and not local.endswith("."):
                return f"{prefix}:{local}"
        return text

    def graph_of(self, node) -> Graph:
        return self.s if node in self.shapes or isinstance(node, BNode) and (node, None, None) in self.s else self.g

    def label(self, node, lang: str, graph: Graph | None = None) -> str | None:
        graph = graph if graph is not None else self.graph_of(node)
        for prop in (SKOS.prefLabel, RDFS.label, SH.name, DCTERMS.title, FOAF.name):
            values = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == lang)
            if values:
                return values[0]
        return None

    def ref(self, node, graph: Graph | None = None) -> str:
        """A reference to a node: a link to its anchor when it is on this page, a CURIE otherwise."""
        graph = graph if graph is not None else self.g
        if isinstance(node, URIRef):
            if node in self.ids:
                name = self.curie(node)
                ja = self.label(node, "ja")
                if node in self.concepts or node in self.schemes:
                    shown = _e(ja or name)
                    title = name
                else:
                    shown = f"<code>{_e(name)}</code>"
                    title = ja or name
                return f'<a href="#{_e(self.ids[node])}" title="{_e(title)}">{shown}</a>'
            return f'<code title="{_e(str(node))}">{_e(self.curie(node))}</code>'
        if isinstance(node, Literal):
            return self.literal(node)
        items = self.list_items(graph, node)
        if items is not None:
            return "( " + " ".join(self.ref(i, graph) for i in items) + " )"
        for prop, sign in ((OWL.unionOf, " ∪ "), (OWL.intersectionOf, " ∩ ")):
            members = graph.value(node, prop)
            if members is not None:
                return "(" + sign.join(self.ref(m, graph) for m in self.list_items(graph, members) or []) + ")"
        return self.nested(graph, node)

    @staticmethod
    def list_items(graph: Graph, node) -> list | None:
        if node == RDF.nil:
            return []
        if (node, RDF.first, None) not in graph:
            return None
        return list(Collection(graph, node))

    def nested(self, graph: Graph, node, depth: int = 0) -> str:
        """A blank node written out as [ p o ; … ] with its objects as references."""
        if depth > 4:
            return "[ … ]"
        parts = []
        for p in sorted(set(graph.predicates(node)), key=self.curie):
            values = sorted(graph.objects(node, p), key=lambda o: self._sort_key(graph, o))
            shown = ", ".join(self.nested(graph, o, depth + 1) if isinstance(o, BNode) and
                              self.list_items(graph, o) is None else self.ref(o, graph) for o in values)
            parts.append(f"{self.ref(p, graph)} {shown}")
        return "[ " + " ; ".join(parts) + " ]"

    def _sort_key(self, graph: Graph, node) -> str:
        return re.sub(r"<[^>]+>", "", self.ref(node, graph))

    @staticmethod
    def literal(value: Literal) -> str:
        if value.language and value.language != "ja":
            return f'<span lang="{_e(value.language)}">“{_e(str(value))}”</span>'
        if value.language == "ja" or value.datatype is None:
            return f"“{_e(str(value))}”"
        return f"<code>{_e(str(value))}</code>"

    # -- texts ----------------------------------------------------------------------------------

    @staticmethod
    def texts(graph: Graph, node, *props: URIRef) -> list[Literal]:
        """Literal values, Japanese first, then untagged, English, other languages; sorted within."""
        order = {"ja": 0, None: 1, "en": 2}
        values = {o for p in props for o in graph.objects(node, p) if isinstance(o, Literal)}
        return sorted(values, key=lambda o: (order.get(o.language, 3), o.language or "", str(o)))

    def labels(self, term: URIRef) -> str:
        """All labels, when the heading (one label per language) does not show them all."""
        values = self.texts(self.g, term, RDFS.label, SKOS.prefLabel)
        languages = [v.language for v in values]
        return self.paragraphs(values) if len(languages) != len(set(languages)) else ""

    @staticmethod
    def paragraphs(values: list[Literal]) -> str:
        out = []
        for v in values:
            lang = f' lang="{_e(v.language)}"' if v.language and v.language != "ja" else ""
            out.append(f"<p{lang}>{_e(str(v))}</p>")
        return "".join(out)

    def heading(self, node, level: int, graph: Graph | None = None, curie: bool = True) -> str:
        graph = graph if graph is not None else self.graph_of(node)
        ja, en = self.label(node, "ja", graph), self.label(node, "en", graph)
        name = self.curie(node)
        parts = [_e(ja or en or name)]
        if en and ja:
            parts.append(f'<span lang="en">{_e(en)}</span>')
        if curie and name != str(node):
            parts.append(f"<code>{_e(name)}</code>")
        return f"<h{level}>{' '.join(parts)}</h{level}>"

    @staticmethod
    def rows(rows: list[tuple[str, str, str]]) -> str:
        """<dl> of (Japanese term, English term, HTML value) rows, empty values left out."""
        items = [f"<dt>{_bilingual(ja, en)}</dt><dd>{value}</dd>" for ja, en, value in rows if value]
        return "<dl>\n" + "\n".join(items) + "\n</dl>"

    def refs(self, nodes, graph: Graph | None = None) -> str:
        graph = graph if graph is not None else self.g
        shown = sorted({self.ref(n, graph) for n in nodes}, key=lambda h: re.sub(r"<[^>]+>", "", h))
        return ", ".join(shown)

    def iri(self, node) -> str:
        return f"<code>{_e(str(node))}</code>"

    # -- entries --------------------------------------------------------------------------------

    def term_section(self, id_: str, ja: str, en: str, terms: list[URIRef], entry) -> str:
        body = "\n".join(entry(t) for t in terms) or "<p>なし / <span lang=\"en\">none</span></p>"
        return f'<section id="{self._claim(id_)}">\n<h2>{_e(ja)} <span lang="en">{_e(en)}</span></h2>\n{body}\n</section>'

    def entry(self, term: URIRef, level: int, rows: list[tuple[str, str, str]]) -> str:
        return (f'<section class="term" id="{_e(self.ids[term])}">\n{self.heading(term, level)}\n'
                f"{self.rows(rows)}\n</section>")

    def common_rows(self, term: URIRef) -> list[tuple[str, str, str]]:
        g = self.g
        return [
            ("IRI", "IRI", self.iri(term)),
            ("ラベル", "Labels", self.labels(term)),
            ("説明", "Description", self.paragraphs(self.texts(g, term, RDFS.comment, SKOS.definition,
                                                                 DCTERMS.description))),
        ]

    def note_rows(self, term: URIRef) -> list[tuple[str, str, str]]:
        g = self.g
        return [
            ("注記", "Note", self.paragraphs(self.texts(g, term, SKOS.scopeNote, SKOS.note, SKOS.example))),
            ("参照", "See also", self.refs(g.objects(term, RDFS.seeAlso))),
            ("出典", "Source", self.refs(g.objects(term, DCTERMS.source))),
            ("編集注記", "Editorial note", self.paragraphs(self.texts(g, term, SKOS.editorialNote))),
        ]
