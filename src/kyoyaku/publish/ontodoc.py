"""The published ontology folder: the Turtle files and JSON-LD context as shipped, and one HTML page
documenting every class, property, concept scheme, concept and SHACL shape.

`ontology_files()` returns what goes under `ontology/` on the published site. The page is written
here rather than by pyLODE: pyLODE 3.4.1 (the last release for Python 3.11) fails on import,
3.3.4 orders union domains differently from run to run, gives the first class an empty id, links
outside the page, and documents neither SKOS schemes (OntPub) nor SHACL shapes.

The page is Japanese first (`<html lang="ja">`, English texts marked `lang="en"`), self-contained
(inline style, no scripts, no external links: IRIs outside the page are shown as CURIEs or text),
and deterministic (everything sorted, no dates). Every term has an `id` anchor: its local name for
terms of the kyo: namespace (`Agreement`, `hasParty`, `AgreementTitleShape`), the path under
`https://w3id.org/kyoyaku/concept/` for concepts (`policy-field/tourism`), and `scheme/` and that
path for concept schemes (`scheme/policy-field`: `framework` is the id of kyo:framework).
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, VANN

from ..resources import ontology_dir

KYO = "https://w3id.org/kyoyaku/ns#"
CONCEPT = "https://w3id.org/kyoyaku/concept/"

# files of the ontology folder that are copied as they are
CONTEXT = "context.jsonld"
INDEX = "index.html"


def ontology_files() -> dict[str, bytes]:
    """Relative path under ontology/ → content: every Turtle file of the shipped ontology folder
    (kyoyaku.ttl, concepts-*.ttl, *shapes*.ttl) and context.jsonld byte for byte, and index.html."""
    folder = ontology_dir()
    files = {path.name: path.read_bytes() for path in sorted(folder.glob("*.ttl"))}
    files[CONTEXT] = (folder / CONTEXT).read_bytes()
    files[INDEX] = index_html(folder).encode("utf-8")
    return dict(sorted(files.items()))


def write_ontology_files(out: Path) -> list[Path]:
    """Write `ontology_files()` into `out` (e.g. dist/ontology), each file atomically."""
    from ..outputs import write_atomic

    written = []
    for name, content in ontology_files().items():
        write_atomic(out / name, content)
        written.append(out / name)
    return written


def index_html(folder: Path | None = None) -> str:
    """The documentation page of the ontology in `folder` (default: the shipped one)."""
    folder = folder or ontology_dir()
    vocabulary = Graph(bind_namespaces="none")
    shapes = Graph(bind_namespaces="none")
    turtle = sorted(folder.glob("*.ttl"))
    for path in turtle:
        (shapes if "shapes" in path.name else vocabulary).parse(path, format="turtle")
    downloads = sorted((path.name for path in turtle), key=_file_order)
    downloads += [CONTEXT] if (folder / CONTEXT).exists() else []
    return _Page(vocabulary, shapes, downloads).render()


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


def _file_order(name: str) -> tuple[int, str]:
    """The ontology first, then the concept schemes, then the shapes."""
    rank = 0 if name == "kyoyaku.ttl" else 2 if "shapes" in name else 1 if name.startswith("concepts-") else 3
    return rank, name


_e = html.escape


def _bilingual(ja: str, en: str) -> str:
    return _e(ja) if ja == en else f'{_e(ja)} / <span lang="en">{_e(en)}</span>'


SEVERITY = {SH.Violation: ("違反", "violation"), SH.Warning: ("警告", "warning"), SH.Info: ("情報", "info")}

# shape predicates shown in their own rows, not in the list of constraint parameters
_SHAPE_META = {SH.message, SH.severity, SH.property, SH.sparql, SH.targetClass, SH.targetNode,
               SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.name, SH.description,
               SH.prefixes, SH.select, SH.path, SH.deactivated, SH.order, SH.group}

_STYLE = """
body{font-family:"Hiragino Sans","Noto Sans CJK JP","Yu Gothic",sans-serif;line-height:1.6;
max-width:60rem;margin:0 auto;padding:1rem;color:#222}
h2{border-bottom:2px solid #446;margin-top:3rem}
h3,h4{margin-bottom:.3rem}
section.term{border-top:1px solid #ccd;padding-top:.5rem;margin-top:1.5rem}
dl{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.2rem 1rem;margin:.5rem 0}
dt{font-weight:bold;color:#446}
dd{margin:0}
dd p{margin:0 0 .3rem}
[lang=en]{color:#444}
h2 [lang=en],h3 [lang=en],h4 [lang=en]{font-weight:normal}
code{font-size:.9em;background:#f3f3f7;padding:0 .2em}
pre{background:#f3f3f7;padding:.5rem;overflow-x:auto}
ul.tree,ul.tree ul{list-style:none;padding-left:1.2rem}
ol.constraints>li{margin-bottom:.8rem}
nav li li{break-inside:avoid}
nav ul ul{columns:18rem;padding-left:1.2rem;margin-bottom:.5rem}
"""


class _Page:
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
        for prop in (SKOS.prefLabel, RDFS.label, SH.name, DCTERMS.title):
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

    # -- the page -------------------------------------------------------------------------------

    def render(self) -> str:
        ontology = sorted((o for o in self.g.subjects(RDF.type, OWL.Ontology) if isinstance(o, URIRef)), key=str)
        title_ja = next((self.label(o, "ja") for o in ontology if self.label(o, "ja")), "連携協約オントロジー")
        title_en = next((self.label(o, "en") for o in ontology if self.label(o, "en")), "kyoyaku ontology")
        sections = [
            self.metadata(ontology),
            self.term_section("classes", "クラス", "Classes", self.classes, self.class_entry),
            self.term_section("object-properties", "オブジェクトプロパティ", "Object properties",
                              self.object_properties, self.property_entry),
            self.term_section("datatype-properties", "データ型プロパティ", "Datatype properties",
                              self.datatype_properties, self.property_entry),
        ]
        if self.other_properties:
            sections.append(self.term_section("other-properties", "その他のプロパティ", "Other properties",
                                              self.other_properties, self.property_entry))
        sections.append(self.concept_section())
        sections.append(self.shape_section())
        sections.append(self.namespace_section())
        body = "\n".join([self.toc(), *sections])
        return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title_ja)} — {_e(title_en)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>{_e(title_ja)} <span lang="en">{_e(title_en)}</span></h1>
</header>
<main>
{body}
</main>
</body>
</html>
"""

    def toc(self) -> str:
        def entries(terms) -> str:
            out = []
            for t in terms:
                ja = self.label(t, "ja")
                name = self.curie(t)
                shown = _e(ja) + (f" <code>{_e(name)}</code>" if name != str(t) else "") if ja else f"<code>{_e(name)}</code>"
                out.append(f'<li><a href="#{_e(self.ids[t])}">{shown}</a></li>')
            return "".join(out)

        parts = [
            ("metadata", "概要", "Overview", ""),
            ("classes", "クラス", "Classes", entries(self.classes)),
            ("object-properties", "オブジェクトプロパティ", "Object properties", entries(self.object_properties)),
            ("datatype-properties", "データ型プロパティ", "Datatype properties", entries(self.datatype_properties)),
        ]
        if self.other_properties:
            parts.append(("other-properties", "その他のプロパティ", "Other properties", entries(self.other_properties)))
        parts += [
            ("concept-schemes", "概念体系", "Concept schemes", entries(self.schemes)),
            ("shapes", "SHACL 形状", "SHACL shapes", entries(self.shapes)),
            ("namespaces", "名前空間", "Namespaces", ""),
        ]
        items = []
        for id_, ja, en, sub in parts:
            inner = f"<ul>{sub}</ul>" if sub else ""
            items.append(f'<li><a href="#{id_}">{_e(ja)} / <span lang="en">{_e(en)}</span></a>{inner}</li>')
        return (f'<nav id="{self._claim("contents")}" aria-label="目次">\n<h2>目次 <span lang="en">Contents</span></h2>\n'
                f"<ul>\n" + "\n".join(items) + "\n</ul>\n</nav>")

    def metadata(self, ontology: list[URIRef]) -> str:
        g = self.g
        blocks = []
        for o in ontology:
            rows = [
                ("IRI", "IRI", self.iri(o)),
                ("説明", "Description", self.paragraphs(self.texts(g, o, DCTERMS.description, RDFS.comment))),
                ("版", "Version", ", ".join(_e(str(v)) for v in sorted(g.objects(o, OWL.versionInfo), key=str))),
                ("ライセンス", "Licence", ", ".join(self.iri(v) for v in sorted(g.objects(o, DCTERMS.license), key=str))),
                ("推奨する接頭辞", "Preferred prefix",
                 ", ".join(f"<code>{_e(str(v))}</code>" for v in sorted(g.objects(o, VANN.preferredNamespacePrefix), key=str))),
                ("名前空間", "Namespace",
                 ", ".join(f"<code>{_e(str(v))}</code>" for v in sorted(g.objects(o, VANN.preferredNamespaceUri), key=str))),
            ]
            blocks.append(self.rows(rows))
        files = "".join(f'<li><a href="{_e(name)}"><code>{_e(name)}</code></a></li>' for name in self.downloads)
        counts = (f"<p>クラス {len(self.classes)}、オブジェクトプロパティ {len(self.object_properties)}、"
                  f"データ型プロパティ {len(self.datatype_properties)}、概念体系 {len(self.schemes)}"
                  f"（概念 {len(self.concepts)}）、SHACL 形状 {len(self.shapes)}。</p>\n"
                  f'<p lang="en">{len(self.classes)} classes, {len(self.object_properties)} object properties, '
                  f"{len(self.datatype_properties)} datatype properties, {len(self.schemes)} concept schemes "
                  f"({len(self.concepts)} concepts), {len(self.shapes)} SHACL shapes.</p>")
        return (f'<section id="{self._claim("metadata")}">\n<h2>概要 <span lang="en">Overview</span></h2>\n'
                + "\n".join(blocks) + f"\n{counts}\n"
                + '<h3>ファイル <span lang="en">Files</span></h3>\n'
                + "<p>オントロジー、概念体系、SHACL 形状（Turtle）と JSON-LD のコンテキスト。</p>\n"
                + '<p lang="en">The ontology, the concept schemes and the SHACL shapes in Turtle, and the JSON-LD context.</p>\n'
                + f"<ul>{files}</ul>\n</section>")

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

    def class_entry(self, term: URIRef) -> str:
        g = self.g
        properties = [*self.object_properties, *self.datatype_properties, *self.other_properties]

        def mentions(prop: URIRef) -> list[URIRef]:
            return [p for p in properties for value in g.objects(p, prop) if term in self._members(value)]

        rows = [
            *self.common_rows(term),
            ("上位クラス", "Subclass of", self.refs(g.objects(term, RDFS.subClassOf))),
            ("同値クラス", "Equivalent to", self.refs(g.objects(term, OWL.equivalentClass))),
            ("素なクラス", "Disjoint with", self.refs(g.objects(term, OWL.disjointWith))),
            ("下位クラス", "Subclasses", self.refs(s for s in g.subjects(RDFS.subClassOf, term) if s in self.ids)),
            ("定義域とするプロパティ", "Properties with this domain", self.refs(mentions(RDFS.domain))),
            ("値域とするプロパティ", "Properties with this range", self.refs(mentions(RDFS.range))),
            ("インスタンスである概念", "Concepts of this class",
             self.refs(c for c in g.subjects(RDF.type, term) if c in self.concepts)),
            ("対象とする SHACL 形状", "SHACL shapes targeting it",
             self.refs(s for s in self.s.subjects(SH.targetClass, term) if s in self.ids)),
            *self.note_rows(term),
        ]
        return self.entry(term, 3, rows)

    def _members(self, node) -> set:
        """A class expression's named classes: itself, or the members of an owl:unionOf."""
        if isinstance(node, URIRef):
            return {node}
        members = self.g.value(node, OWL.unionOf)
        return set(self.list_items(self.g, members) or []) if members is not None else set()

    def property_entry(self, term: URIRef) -> str:
        g = self.g
        kinds = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
        characteristics = [t for t in g.objects(term, RDF.type) if t not in kinds]
        shapes = {self._shape_of(ps) for ps in self.s.subjects(SH.path, term)}
        shapes |= {s for p in (SH.targetSubjectsOf, SH.targetObjectsOf) for s in self.s.subjects(p, term)}
        rows = [
            *self.common_rows(term),
            ("特性", "Characteristics", self.refs(characteristics)),
            ("定義域", "Domain", self.refs(g.objects(term, RDFS.domain))),
            ("値域", "Range", self.refs(g.objects(term, RDFS.range))),
            ("上位プロパティ", "Subproperty of", self.refs(g.objects(term, RDFS.subPropertyOf))),
            ("同値プロパティ", "Equivalent to", self.refs(g.objects(term, OWL.equivalentProperty))),
            ("逆プロパティ", "Inverse of", self.refs(g.objects(term, OWL.inverseOf))),
            ("下位プロパティ", "Subproperties", self.refs(s for s in g.subjects(RDFS.subPropertyOf, term) if s in self.ids)),
            ("値の概念体系", "Values from scheme",
             self.refs(s for s in self.schemes if (s, RDFS.seeAlso, term) in g)),
            ("制約する SHACL 形状", "SHACL shapes constraining it", self.refs(s for s in shapes if s in self.ids)),
            *self.note_rows(term),
        ]
        return self.entry(term, 3, rows)

    def _shape_of(self, node):
        """The named shape a (possibly nested) property shape belongs to."""
        seen = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            parent = next(iter(sorted(self.s.subjects(None, node), key=str)), None)
            if parent is None:
                break
            node = parent
        return node

    # -- concept schemes ----------------------------------------------------------------------

    def concept_section(self) -> str:
        parts = [self.scheme_block(scheme) for scheme in self.schemes]
        if self.scheme_concepts.get(None):
            parts.append(self.scheme_block(None))
        body = "\n".join(parts) or "<p>なし / <span lang=\"en\">none</span></p>"
        return (f'<section id="{self._claim("concept-schemes")}">\n<h2>概念体系 <span lang="en">Concept schemes</span></h2>\n'
                f"{body}\n</section>")

    def scheme_block(self, scheme: URIRef | None) -> str:
        g = self.g
        concepts = self.scheme_concepts.get(scheme, [])
        members = set(concepts)

        def children(c: URIRef) -> list[URIRef]:
            found = {n for n in g.objects(c, SKOS.narrower)} | {n for n in g.subjects(SKOS.broader, c)}
            return sorted((n for n in found if n in members), key=anchor)

        tops = set()
        if scheme is not None:
            tops |= {c for c in g.objects(scheme, SKOS.hasTopConcept)} | {c for c in g.subjects(SKOS.topConceptOf, scheme)}
        has_parent = {n for c in concepts for n in children(c)}
        roots = sorted((c for c in concepts if c in tops or c not in has_parent), key=anchor)

        order: list[URIRef] = []

        def tree(nodes: list[URIRef]) -> str:
            items = []
            for c in nodes:
                if c in order:
                    continue
                order.append(c)
                notation = "".join(f" <code>{_e(str(n))}</code>" for n in sorted(g.objects(c, SKOS.notation), key=str))
                sub = tree(children(c))
                items.append(f"<li>{self.ref(c)}{notation}{sub}</li>")
            return f"<ul>{''.join(items)}</ul>" if items else ""

        hierarchy = tree(roots)
        rest = [c for c in concepts if c not in order]  # only in cycles without a root
        hierarchy += tree(rest)
        hierarchy = hierarchy.replace("<ul>", '<ul class="tree">', 1)
        entries = "\n".join(self.concept_entry(c) for c in order)
        if scheme is None:
            head = f'<section id="{self._claim("other-concepts")}">\n<h3>その他の概念 <span lang="en">Other concepts</span></h3>\n'
            rows = ""
        else:
            head = f'<section class="term" id="{_e(self.ids[scheme])}">\n{self.heading(scheme, 3)}\n'
            rows = self.rows([
                *self.common_rows(scheme),
                ("最上位の概念", "Top concepts", self.refs(tops)),
                ("概念の数", "Number of concepts", str(len(concepts))),
                *self.note_rows(scheme),
            ]) + "\n"
        return (f"{head}{rows}<h4>階層 <span lang=\"en\">Hierarchy</span></h4>\n{hierarchy}\n{entries}\n</section>")

    def concept_entry(self, c: URIRef) -> str:
        g = self.g
        rows = [
            *self.common_rows(c),
            ("種類", "Type", self.refs(t for t in g.objects(c, RDF.type) if t != SKOS.Concept)),
            ("記法", "Notation", ", ".join(f"<code>{_e(str(n))}</code>" for n in sorted(g.objects(c, SKOS.notation), key=str))),
            ("別名", "Alternative labels", self.paragraphs(self.texts(g, c, SKOS.altLabel))),
            ("上位概念", "Broader", self.refs({*g.objects(c, SKOS.broader), *g.subjects(SKOS.narrower, c)})),
            ("下位概念", "Narrower", self.refs({*g.objects(c, SKOS.narrower), *g.subjects(SKOS.broader, c)})),
            ("関連する概念", "Related", self.refs(g.objects(c, SKOS.related))),
            ("完全一致", "Exact match", self.refs(g.objects(c, SKOS.exactMatch))),
            ("近い一致", "Close match", self.refs({*g.objects(c, SKOS.closeMatch), *g.subjects(SKOS.closeMatch, c)})),
            ("より広い一致", "Broad match", self.refs(g.objects(c, SKOS.broadMatch))),
            ("より狭い一致", "Narrow match", self.refs(g.objects(c, SKOS.narrowMatch))),
            *self.note_rows(c),
        ]
        return (f'<section class="term" id="{_e(self.ids[c])}">\n{self.heading(c, 4)}\n'
                f"{self.rows(rows)}\n</section>")

    # -- SHACL shapes -------------------------------------------------------------------------

    def shape_section(self) -> str:
        body = "\n".join(self.shape_entry(s) for s in self.shapes) or "<p>なし / <span lang=\"en\">none</span></p>"
        intro = ("<p>データの検証（<code>kyoyaku validate</code>）に用いる SHACL 形状。各形状と制約は日本語と英語のメッセージを持つ。</p>\n"
                 '<p lang="en">The SHACL shapes the data is validated with (<code>kyoyaku validate</code>); '
                 "every shape and constraint carries a message in Japanese and English.</p>")
        return (f'<section id="{self._claim("shapes")}">\n<h2>SHACL 形状 <span lang="en">SHACL shapes</span></h2>\n'
                f"{intro}\n{body}\n</section>")

    def severity(self, node) -> str:
        value = self.s.value(node, SH.severity)
        if value is None:
            return ""
        ja, en = SEVERITY.get(value, (self.curie(value), self.curie(value)))
        return f'{_e(ja)} / <span lang="en">{_e(en)}</span> {self.ref(value, self.s)}'

    def parameters(self, node) -> str:
        params = []
        for p in sorted(set(self.s.predicates(node)), key=self.curie):
            if p in _SHAPE_META or p in (RDF.type, RDFS.label, RDFS.comment):
                continue
            values = sorted(self.s.objects(node, p), key=lambda o: self._sort_key(self.s, o))
            params.append(f"{self.ref(p, self.s)} " + ", ".join(self.ref(v, self.s) for v in values))
        return "<br>".join(params)

    def sparql(self, node) -> str:
        query = self.s.value(node, SH.select)
        if query is None:
            return ""
        text = textwrap.dedent(str(query).strip("\n")).strip()
        return f"<details><summary>SPARQL</summary><pre><code>{_e(text)}</code></pre></details>"

    def shape_entry(self, shape: URIRef) -> str:
        s = self.s
        targets = []
        for prop, ja, en in ((SH.targetClass, "クラス", "class"), (SH.targetNode, "ノード", "node"),
                             (SH.targetSubjectsOf, "主語", "subjects of"), (SH.targetObjectsOf, "目的語", "objects of")):
            for value in sorted(s.objects(shape, prop), key=lambda o: self._sort_key(s, o)):
                targets.append(f'{_e(ja)} / <span lang="en">{_e(en)}</span> {self.ref(value, s)}')
        for target in sorted(s.objects(shape, SH.target), key=lambda o: str(s.value(o, SH.select))):
            targets.append(f'SPARQL による対象 / <span lang="en">SPARQL target</span>{self.sparql(target)}')
        rows = [
            ("IRI", "IRI", self.iri(shape)),
            ("種類", "Type", self.refs(s.objects(shape, RDF.type), s)),
            ("メッセージ", "Message", self.paragraphs(self.texts(s, shape, SH.message))),
            ("説明", "Description", self.paragraphs(self.texts(s, shape, RDFS.comment, SH.description))),
            ("重大度", "Severity", self.severity(shape) or '違反 / <span lang="en">violation</span>（既定 / <span lang="en">default</span>）'),
            ("対象", "Targets", "<br>".join(targets)),
            ("パス", "Path", self.ref(s.value(shape, SH.path), s) if s.value(shape, SH.path) is not None else ""),
            ("制約", "Parameters", self.parameters(shape)),
        ]
        constraints = []
        for ps in s.objects(shape, SH.property):
            path = s.value(ps, SH.path)
            messages = self.texts(s, ps, SH.message)
            head = (f'<p>パス / <span lang="en">path</span> {self.ref(path, s)}</p>' if path is not None else "")
            parameters = self.parameters(ps)
            inner = [self.constraint_html(sparql) for sparql in s.objects(ps, SH.sparql)]
            body = (head + self.paragraphs(messages)
                    + (f"<p>{self.severity(ps)}</p>" if s.value(ps, SH.severity) is not None else "")
                    + (f"<p>{parameters}</p>" if parameters else "") + "".join(sorted(inner)))
            constraints.append(body)
        for sparql in s.objects(shape, SH.sparql):
            constraints.append(self.constraint_html(sparql))
        constraints.sort(key=lambda h: re.sub(r"<[^>]+>", "", h))
        listing = ""
        if constraints:
            listing = ('<h4>制約 <span lang="en">Constraints</span></h4>\n<ol class="constraints">'
                       + "".join(f"<li>{c}</li>" for c in constraints) + "</ol>")
        return (f'<section class="term" id="{_e(self.ids[shape])}">\n{self.heading(shape, 3, s)}\n'
                f"{self.rows(rows)}\n{listing}\n</section>")

    def constraint_html(self, node) -> str:
        kind = 'SPARQL 制約 / <span lang="en">SPARQL constraint</span>'
        return f"<p>{kind}</p>" + self.paragraphs(self.texts(self.s, node, SH.message)) + self.sparql(node)

    # -- namespaces ---------------------------------------------------------------------------

    def namespace_section(self) -> str:
        rows = "".join(f"<tr><td><code>{_e(prefix)}</code></td><td><code>{_e(ns)}</code></td></tr>"
                       for ns, prefix in sorted(self.prefixes, key=lambda item: (item[1], item[0])))
        return (f'<section id="{self._claim("namespaces")}">\n<h2>名前空間 <span lang="en">Namespaces</span></h2>\n'
                '<table>\n<thead><tr><th>接頭辞 / <span lang="en">prefix</span></th>'
                '<th>名前空間 / <span lang="en">namespace</span></th></tr></thead>\n'
                f"<tbody>{rows}</tbody>\n</table>\n</section>")
