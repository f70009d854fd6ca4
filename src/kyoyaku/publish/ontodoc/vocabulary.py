"""The vocabulary's IRIs as documents of the published tree, so that every one of them dereferences
on any static host as the data's IRIs do (publish.site): the IRI `{VOCABULARY}{path}` has its
documents at `{path}.html`, `.ttl`, `.jsonld` and `.nt`, and its English page at `en/{path}.html`.

- the namespace `…/ns` (and every term `…/ns#Term`, a fragment of it): `ns.*` — the ontology and
  every other term of the namespace, the SHACL shapes (kyo:…Shape) included; on the page each term
  has its local name as anchor (`ns.html#Agreement`);
- each concept scheme `…/concept/{scheme}`: `concept/{scheme}.*` — the scheme and its concepts;
- each concept `…/concept/{scheme}/{notation}`: `concept/{scheme}/{notation}.*` — its triples, the
  triples pointing at it and the labels of what it links to;
- the ontology folder `…/ontology/` and the version IRI `…/ontology/{version}`: `ontology/index.*`
  and `ontology/{version}.*` — the whole vocabulary (ontology, concept schemes, shapes) as one
  document; the HTML is the ontology's documentation page (publish.ontodoc), in both.

`vocabulary_path` is the one mapping from a vocabulary IRI to its document's path (kyoyaku serve
uses it too). The vocabulary stays at https://w3id.org/kyoyaku/ (iris.KYO) whatever base the data
are published under. Blank nodes (the shapes', the unions of the ontology) are labelled by the
canonical labelling of rdflib.compare, so the documents are byte-identical from build to build.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from functools import cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SH, SKOS

from ...graph import iris
from ...graph.iris import KYO, PREFIXES
from ...graph.serialize import graph_lines, ntriples, turtle
from ...resources import ontology_dir
from ..pages.html import Page, document, e, heading, lang_text
from ..pages.index import marked
from ..pages.language import (
    ENGLISH,
    JAPANESE,
    both,
    english,
    english_path,
    t,
    writing_in,
)

DCAT = Namespace("http://www.w3.org/ns/dcat#")
NAMESPACE = str(KYO)  # https://w3id.org/kyoyaku/ns#
VOCABULARY = NAMESPACE.removesuffix("ns#")  # the vocabulary's base: fixed, whatever the data's base
NAMESPACE_PATH = "ns"
CONCEPTS = "concept/"
ONTOLOGY_FOLDER = "ontology/"
ONTOLOGY_INDEX = "ontology/index"
DOCUMENTATION = "ontology/index.html"  # the full documentation page (publish.ontodoc)
VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")  # MAJOR.MINOR.PATCH: docs/versioning.md
PREFIX_MAP = {**{prefix: str(ns) for prefix, ns in PREFIXES.items()}, "foaf": str(FOAF),
              "vann": "http://purl.org/vocab/vann/", "dcat": "http://www.w3.org/ns/dcat#",
              "void": "http://rdfs.org/ns/void#", "spdx": "http://spdx.org/rdf/terms#"}


def vocabulary_path(iri: str) -> str | None:
    """The path of the documents of a vocabulary IRI, without the suffix a format adds, or None for
    an IRI that is not the vocabulary's: …/ns and …/ns#Agreement → ns; …/concept/policy-field →
    concept/policy-field; …/concept/policy-field/tourism → concept/policy-field/tourism;
    …/ontology/ → ontology/index; …/ontology/0.1.0 → ontology/0.1.0 (whether the documents exist is
    the published tree's to say)."""
    if not iri.startswith(VOCABULARY):
        return None
    path = iri[len(VOCABULARY):].split("#", 1)[0]
    if path == NAMESPACE_PATH:
        return path
    if path.startswith(CONCEPTS) and len(path) > len(CONCEPTS) and not path.endswith("/"):
        return path
    if path == ONTOLOGY_FOLDER:
        return ONTOLOGY_INDEX
    if path.startswith(ONTOLOGY_FOLDER) and VERSION.fullmatch(path[len(ONTOLOGY_FOLDER):]):
        return path
    return None


def in_vocabulary(iri: str) -> bool:
    """Whether an IRI lies in the vocabulary's part of the IRI space (…/ns, …/ns/…, …/ns#…,
    …/concept/…, …/ontology/…), where only what `vocabulary_path` names has documents."""
    if not iri.startswith(VOCABULARY):
        return False
    path = iri[len(VOCABULARY):]
    return path == NAMESPACE_PATH or path.startswith((f"{NAMESPACE_PATH}/", f"{NAMESPACE_PATH}#", CONCEPTS,
                                                      ONTOLOGY_FOLDER))


# -- the graphs ---------------------------------------------------------------------------------


def _parsed(names: list[str]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for name_ in names:
        graph.parse(ontology_dir() / name_, format="turtle")
    return graph


@cache
def _files() -> tuple[str, ...]:
    return tuple(sorted(path.name for path in ontology_dir().glob("*.ttl")))


@cache
def namespace_graph() -> Graph:
    """The namespace's document: the ontology and the shapes (every file but the concept schemes),
    blank nodes labelled canonically."""
    return to_canonical_graph(_parsed([f for f in _files() if not f.startswith("concepts-")]))


@cache
def vocabulary_graph() -> Graph:
    """Everything the ontology folder holds: the ontology, the concept schemes and the shapes."""
    return to_canonical_graph(_parsed(list(_files())))


@cache
def concepts_graph() -> Graph:
    return _parsed([f for f in _files() if f.startswith("concepts-")])


def ontology_version() -> str:
    """The ontology's owl:versionInfo (ontology/kyoyaku.ttl)."""
    return str(namespace_graph().value(URIRef(NAMESPACE), OWL.versionInfo))


def version_path() -> str | None:
    """The path of the ontology's owl:versionIRI's documents (ontology/0.1.0), if it has one."""
    version = namespace_graph().value(URIRef(NAMESPACE), OWL.versionIRI)
    return vocabulary_path(str(version)) if version is not None else None


def schemes() -> list[URIRef]:
    g = concepts_graph()
    return sorted(s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if vocabulary_path(str(s)))


def concepts_of(scheme: URIRef) -> list[URIRef]:
    """The concepts whose IRIs lie under the scheme's (`{scheme}/{notation}`)."""
    g = concepts_graph()
    return sorted(c for c in set(g.subjects(RDF.type, SKOS.Concept)) if str(c).startswith(f"{scheme}/"))


def _labels_of(graph: Graph, nodes: set) -> Iterator[tuple]:
    source = vocabulary_graph()
    for node in nodes:
        for prop in (SKOS.prefLabel, RDFS.label):
            for label in source.objects(node, prop):
                yield node, prop, label


def scheme_graph(scheme: URIRef) -> Graph:
    """A scheme's document: its triples and its concepts'."""
    g = concepts_graph()
    out = Graph(bind_namespaces="none")
    for node in [scheme, *concepts_of(scheme)]:
        for p, o in g.predicate_objects(node):
            out.add((node, p, o))
    linked = {o for o in out.objects() if isinstance(o, URIRef)} - set(out.subjects())
    for triple in _labels_of(out, linked):
        out.add(triple)
    return out


def concept_graph(concept: URIRef) -> Graph:
    """A concept's document: its triples, the triples pointing at it, the labels of what it links to."""
    g = concepts_graph()
    out = Graph(bind_namespaces="none")
    for p, o in g.predicate_objects(concept):
        out.add((concept, p, o))
    for s, p in g.subject_predicates(concept):
        out.add((s, p, concept))
    linked = ({o for o in out.objects() if isinstance(o, URIRef)} | set(out.subjects())) - {concept}
    for triple in _labels_of(out, linked):
        out.add(triple)
    return out


# -- the files ----------------------------------------------------------------------------------


def _documents(graph: Graph) -> dict[str, str]:
    """Suffix → the document of `graph` in that format, each written as the data's are."""
    from .. import writers

    lines = graph_lines(graph, PREFIX_MAP)
    return {".ttl": turtle(lines), ".jsonld": writers.jsonld(lines), ".nt": ntriples(lines)}


def vocabulary_files(documentation: str) -> dict[str, str]:
    """Relative path → text of every vocabulary document the published tree holds besides the
    ontology folder's own files (ontodoc.ontology_files): `documentation` is the ontology page,
    published again at the version IRI's path."""
    files: dict[str, str] = {}

    def add(path: str, graph: Graph, page=None) -> None:
        for suffix, text in _documents(graph).items():
            files[path + suffix] = text
        if page is not None:
            for language, at in ((JAPANESE, f"{path}.html"), (ENGLISH, english_path(f"{path}.html"))):
                with writing_in(language):
                    files[at] = page(Page(None, at))

    add(NAMESPACE_PATH, namespace_graph(), namespace_page)
    for scheme in schemes():
        add(vocabulary_path(str(scheme)), scheme_graph(scheme), lambda page, s=scheme: scheme_page(page, s))
        for concept in concepts_of(scheme):
            add(vocabulary_path(str(concept)), concept_graph(concept), lambda page, c=concept: concept_page(page, c))
    add(ONTOLOGY_INDEX, vocabulary_graph())
    if (versioned := version_path()) is not None:
        add(versioned, vocabulary_graph())
        files[f"{versioned}.html"] = documentation
    return dict(sorted(files.items()))


# -- the pages ----------------------------------------------------------------------------------

# predicate → (Japanese, English) name on the pages; others are shown as their CURIE
PREDICATE_NAMES = {
    RDF.type: ("種類", "Type"), RDFS.label: ("ラベル", "Label"), SKOS.prefLabel: ("ラベル", "Label"),
    RDFS.comment: ("説明", "Description"), SKOS.definition: ("定義", "Definition"),
    DCTERMS.description: ("説明", "Description"), DCTERMS.title: ("題名", "Title"),
    SKOS.notation: ("記法", "Notation"), SKOS.altLabel: ("別名", "Alternative labels"),
    SKOS.broader: ("上位概念", "Broader"), SKOS.narrower: ("下位概念", "Narrower"),
    SKOS.inScheme: ("概念体系", "In scheme"), SKOS.topConceptOf: ("最上位の概念である体系", "Top concept of"),
    SKOS.hasTopConcept: ("最上位の概念", "Top concepts"), RDFS.subClassOf: ("上位クラス", "Subclass of"),
    RDFS.subPropertyOf: ("上位プロパティ", "Subproperty of"), RDFS.domain: ("定義域", "Domain"),
    RDFS.range: ("値域", "Range"), OWL.versionInfo: ("版", "Version"), OWL.versionIRI: ("版の IRI", "Version IRI"),
    DCTERMS.creator: ("作成者", "Creator"), DCTERMS.created: ("作成日", "Created"),
    DCTERMS.modified: ("更新日", "Modified"), DCTERMS.license: ("ライセンス", "Licence"),
    DCTERMS.source: ("出典", "Source"), RDFS.seeAlso: ("関連", "See also"),
    SKOS.editorialNote: ("編集上の注記", "Editorial notes"), SKOS.scopeNote: ("適用範囲の注記", "Scope notes"),
    SKOS.note: ("注記", "Notes"), SKOS.exactMatch: ("完全一致", "Exact match"),
    SKOS.closeMatch: ("近い一致", "Close match"), RDFS.isDefinedBy: ("定義する語彙", "Defined by"),
    SH.targetClass: ("対象クラス", "Target class"), SH.severity: ("重大度", "Severity"),
    SH.message: ("メッセージ", "Message"),
    # the catalog's (catalog_page)
    DCTERMS.publisher: ("公開者", "Publisher"), DCTERMS.issued: ("公開日", "Issued"),
    DCTERMS.language: ("言語", "Language"), DCTERMS.conformsTo: ("準拠する語彙", "Conforms to"),
    DCTERMS.rights: ("権利", "Rights"), DCTERMS.spatial: ("地理的範囲", "Spatial coverage"),
    FOAF.homepage: ("ホームページ", "Home page"), DCAT.dataset: ("データセット", "Dataset"),
    DCAT.keyword: ("キーワード", "Keywords"), DCAT.theme: ("テーマ", "Theme"),
    DCAT.landingPage: ("案内ページ", "Landing page"), DCAT.downloadURL: ("ダウンロード URL", "Download URL"),
    DCAT.accessURL: ("アクセス URL", "Access URL"), DCAT.mediaType: ("メディア型", "Media type"),
    DCAT.byteSize: ("バイト数", "Size in bytes"), DCAT.compressFormat: ("圧縮形式", "Compression"),
}
TERM_ROWS = (RDF.type, RDFS.comment, SKOS.definition, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
             SH.targetClass, SH.severity, SH.message)
ONTOLOGY_ROWS = (DCTERMS.description, OWL.versionInfo, OWL.versionIRI, DCTERMS.creator, DCTERMS.created,
                 DCTERMS.modified, DCTERMS.license)
# the namespace page's sections: (id, Japanese, English, the rdf:types of their terms)
SECTIONS = (
    ("classes", "クラス", "Classes", (OWL.Class, RDFS.Class)),
    ("object-properties", "オブジェクトプロパティ", "Object properties", (OWL.ObjectProperty,)),
    ("datatype-properties", "データ型プロパティ", "Datatype properties", (OWL.DatatypeProperty,)),
    ("other-properties", "その他のプロパティ", "Other properties", (OWL.AnnotationProperty, RDF.Property)),
    ("shapes", "SHACL 形状", "SHACL shapes", (SH.NodeShape, SH.PropertyShape)),
)


def label_html(text) -> str:
    """A label or title as HTML: escaped, and on an English page each run of Japanese in it marked
    `lang="ja"` (an English label may quote a Japanese name: 「… guidelines (連携中枢都市圏構想推進要綱)」)."""
    return marked(str(text))


def _curie(iri: URIRef) -> str:
    text = str(iri)
    for prefix, namespace in sorted(PREFIX_MAP.items(), key=lambda item: -len(item[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _label(node, graph: Graph | None = None) -> str | None:
    """The node's label in the page's language (else the other's), as plain text."""
    graph = graph if graph is not None else vocabulary_graph()
    found = {}
    for prop in (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name):
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                found.setdefault(value.language, value)
    order = (ENGLISH, JAPANESE) if english() else (JAPANESE, ENGLISH)
    return next((found[lang] for lang in (*order, None) if lang in found), None)


def _href(page: Page, iri: URIRef) -> str | None:
    """A link from `page` to the page of a vocabulary IRI (ns terms: their anchor on ns.html)."""
    path = vocabulary_path(str(iri))
    if path is None or path == ONTOLOGY_INDEX:
        return None
    if path == NAMESPACE_PATH:
        local = str(iri)[len(NAMESPACE):] if str(iri).startswith(NAMESPACE) else ""
        return page.href(f"{path}.html") + (f"#{local}" if local else "")
    if path.startswith(ONTOLOGY_FOLDER):
        return _documentation_href(page, f"{path}.html")
    return page.href(f"{path}.html")


def _documentation_href(page: Page, target: str = DOCUMENTATION) -> str:
    """A link to the ontology's documentation: one page, in both languages, under ontology/ on
    either language's site (Page.href would send an English page to en/ontology/…)."""
    return posixpath.relpath(target, posixpath.dirname(page.path) or ".")


def _file_href(page: Page, iri: URIRef) -> str | None:
    """A relative link to a published file of the data's base (a dump named by the catalog)."""
    path = iris.site_path(str(iri))
    return page.href(path) if path and "." in posixpath.basename(path) else None


def _value(page: Page, graph: Graph, node) -> str:
    if isinstance(node, Literal):
        if not node.language:
            return f"<code>{e(node)}</code>"
        # English on the English page, its quoted Japanese terms marked; else the language marked
        return marked(str(node)) if english() and node.language == ENGLISH else lang_text(node)
    if isinstance(node, URIRef):
        href = _href(page, node) or _file_href(page, node)
        label = _label(node, graph) or _label(node)
        curie = _curie(node)
        if label and href:  # a term of the vocabulary: its label, and its CURIE when it has one (kyo:…)
            shown = label_html(label) + (f" <code>{e(curie)}</code>" if curie != str(node) else "")
        elif label:  # named where it is defined, but without a document of its own (the project)
            return f"{label_html(label)} <code>{e(curie)}</code>" if str(node).startswith(VOCABULARY) else \
                f'<a href="{e(node)}">{label_html(label)}</a>'
        else:
            shown = f"<code>{e(curie)}</code>"
        if href:
            return f'<a href="{e(href)}">{shown}</a>'
        return f'<a href="{e(node)}">{shown}</a>' if str(node).startswith(("http://", "https://")) else shown
    items = graph.value(node, OWL.unionOf)
    if items is not None:
        return "(" + " ∪ ".join(_value(page, graph, i) for i in Collection(graph, items)) + ")"
    return ""


def _values(page: Page, graph: Graph, node, prop) -> str:
    """The values of `prop`, sorted: its texts first — on the English page the English ones (all when
    there is none), on the Japanese page the Japanese ones with the others after —, then the rest."""
    values = list(graph.objects(node, prop))
    texts = [v for v in values if isinstance(v, Literal) and v.language]
    if english() and any(v.language == ENGLISH for v in texts):
        texts = [v for v in texts if v.language == ENGLISH]
    texts.sort(key=lambda v: (v.language != JAPANESE, v.language, str(v)))
    others = sorted({_value(page, graph, v) for v in values if not (isinstance(v, Literal) and v.language)} - {""})
    return "<br>".join([_value(page, graph, v) for v in texts] + others)


def _rows(page: Page, graph: Graph, node, props) -> str:
    """A facts list of `props`: named in the page's languages (PREDICATE_NAMES), else by CURIE."""
    items = []
    for p in props:
        value = _values(page, graph, node, p)
        term = both(*(e(n) for n in PREDICATE_NAMES[p])) if p in PREDICATE_NAMES else f"<code>{e(_curie(p))}</code>"
        if value:  # as html.facts writes them, with the predicates it has no names for as CURIEs
            items.append(f"<dt>{term}</dt><dd>{value}</dd>")
    return f'<dl class="facts">\n{chr(10).join(items)}\n</dl>'


def _all_rows(page: Page, graph: Graph, node, leave_out: set = frozenset()) -> str:
    """Every property of `node` but its labels and `leave_out`, in the order of PREDICATE_NAMES,
    then the others by CURIE."""
    props = set(graph.predicates(node)) - {SKOS.prefLabel, RDFS.label} - set(leave_out)
    order = {p: i for i, p in enumerate(PREDICATE_NAMES)}
    return _rows(page, graph, node, sorted(props, key=lambda p: (order.get(p, len(order)), _curie(p))))


def _formats(page: Page, path: str, iri: str) -> str:
    links = ", ".join(f'<a href="{e(page.href(path + suffix))}">{kind}</a>'
                      for suffix, kind in ((".ttl", "Turtle"), (".jsonld", "JSON-LD"), (".nt", "N-Triples")))
    documentation = both("オントロジーの説明（全体）", "the ontology's documentation (all of it)")
    return f"""<section>
{heading(2, "機械可読データ", "Machine-readable data")}
<ul>
<li>IRI: <code>{e(iri)}</code></li>
<li>{both("この文書", "this document")}: {links}</li>
<li><a href="{e(_documentation_href(page))}">{documentation}</a></li>
</ul>
</section>"""


def _head(page: Page, path: str) -> str:
    return (f'<link rel="alternate" type="text/turtle" href="{e(page.href(path + ".ttl"))}">\n'
            f'<link rel="alternate" type="application/ld+json" href="{e(page.href(path + ".jsonld"))}">\n')


def _title(node, graph: Graph | None = None) -> str:
    label = _label(node, graph)
    return str(label) if label is not None else _curie(node)


def namespace_page(page: Page) -> str:
    """The namespace's page: the ontology's metadata, then every term with its anchor."""
    g = namespace_graph()
    ontology = URIRef(NAMESPACE)
    sections = [f'<section id="ontology">\n{heading(2, "概要", "Overview")}\n{_rows(page, g, ontology, ONTOLOGY_ROWS)}\n</section>']
    toc = []
    for id_, ja, en, types in SECTIONS:
        terms = sorted({s for kind in types for s in g.subjects(RDF.type, kind)
                        if isinstance(s, URIRef) and str(s).startswith(NAMESPACE) and s != ontology})
        if id_ == "other-properties":
            listed = {s for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, kind)}
            terms = [s for s in terms if s not in listed]
        if not terms:
            continue
        toc.append(f'<li><a href="#{id_}">{both(e(ja), e(en))}</a> ({len(terms)})</li>')
        entries = []
        for term in terms:
            local = str(term)[len(NAMESPACE):]
            more = f'<p><a href="{e(_documentation_href(page))}#{e(local)}">{t("詳しい説明", "Full documentation")}</a></p>'
            entries.append(f'<section id="{e(local)}">\n<h3>{label_html(_title(term, g))} <code>kyo:{e(local)}</code></h3>\n'
                           f"{_rows(page, g, term, TERM_ROWS)}\n{more}\n</section>")
        sections.append(f'<section id="{id_}">\n{heading(2, ja, en)}\n' + "\n".join(entries) + "\n</section>")
    title = _title(ontology, g)
    body = (f"<h1>{label_html(title)}</h1>\n<p>{both('名前空間', 'Namespace')} <code>{e(NAMESPACE)}</code></p>\n"
            f'<nav aria-label="{t("目次", "Contents")}"><ul>{"".join(toc)}</ul></nav>\n'
            + _formats(page, NAMESPACE_PATH, NAMESPACE.removesuffix("#")) + "\n" + "\n".join(sections))
    return document(page, title, body, [e(t("語彙", "Vocabulary"))], head=_head(page, NAMESPACE_PATH),
                    source=_source(NAMESPACE_PATH))


def scheme_page(page: Page, scheme: URIRef) -> str:
    g = concepts_graph()
    path = vocabulary_path(str(scheme))

    def tree(nodes: list[URIRef], seen: set) -> str:
        items = []
        for c in nodes:
            if c in seen:
                continue
            seen.add(c)
            children = sorted({*g.objects(c, SKOS.narrower), *g.subjects(SKOS.broader, c)})
            notation = "".join(f" <code>{e(n)}</code>" for n in sorted(g.objects(c, SKOS.notation), key=str))
            items.append(f'<li><a href="{e(page.href(vocabulary_path(str(c)) + ".html"))}">{label_html(_title(c))}</a>'
                         f"{notation}{tree(children, seen)}</li>")
        return f"<ul>{''.join(items)}</ul>" if items else ""

    members = concepts_of(scheme)
    tops = sorted(c for c in members if not ({*g.objects(c, SKOS.broader), *g.subjects(SKOS.narrower, c)} & set(members)))
    seen: set = set()
    hierarchy = tree(tops, seen) + tree([c for c in members if c not in seen], seen)
    props = sorted(set(g.predicates(scheme)) - {SKOS.prefLabel, RDFS.label, SKOS.hasTopConcept},
                   key=lambda p: (list(PREDICATE_NAMES).index(p) if p in PREDICATE_NAMES else 99, _curie(p)))
    title = _title(scheme)
    body = (f"<h1>{label_html(title)}</h1>\n{_rows(page, g, scheme, props)}\n<section>\n"
            f"{heading(2, '概念', 'Concepts')}\n<p>{both(f'{len(members)} の概念', f'{len(members)} concepts')}</p>\n"
            f"{hierarchy}\n</section>\n{_formats(page, path, str(scheme))}")
    return document(page, title, body, [f'<a href="{e(page.href(NAMESPACE_PATH + ".html"))}">{t("語彙", "Vocabulary")}</a>',
                                        label_html(title)], head=_head(page, path), source=_source(path))


def concept_page(page: Page, concept: URIRef) -> str:
    g = concepts_graph()
    path = vocabulary_path(str(concept))
    scheme = URIRef(posixpath.dirname(str(concept)))
    title = _title(concept)
    body = f"<h1>{label_html(title)}</h1>\n{_all_rows(page, g, concept)}\n{_formats(page, path, str(concept))}"
    crumbs = [f'<a href="{e(page.href(NAMESPACE_PATH + ".html"))}">{t("語彙", "Vocabulary")}</a>',
              f'<a href="{e(page.href(vocabulary_path(str(scheme)) + ".html"))}">{label_html(_title(scheme))}</a>', label_html(title)]
    return document(page, title, body, crumbs, head=_head(page, path), source=_source(path))


def _source(path: str) -> tuple[str, str, str]:
    """What the page's footer names: the vocabulary document it was made from."""
    return f"{path}.ttl", "語彙", "the vocabulary"

