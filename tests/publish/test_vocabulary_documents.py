"""Every vocabulary IRI dereferences on the static site (issue 22, item 3): the build writes the
namespace, each concept scheme and concept, the ontology folder, the ontology's version and the
catalog as documents at the IRIs' paths (`{path}.html`, `.ttl`, `.jsonld`, `.nt`, and the English
page at `en/{path}.html`), and the ontology carries its version IRI, creator, dates and licence."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from kyoyaku.publish.ontodoc.vocabulary import vocabulary_path
from kyoyaku.resources import ontology_dir

V = "https://w3id.org/kyoyaku/"  # the vocabulary's base: fixed, whatever the data's
NS = URIRef(V + "ns#")
PROJECT = URIRef(V + "project")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
VERSION_IRI = URIRef(V + "ontology/0.1.0")
FORMATS = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


def parsed(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


def ontology_files() -> list[str]:
    return sorted(p.name for p in ontology_dir().glob("*.ttl"))


def concept_files() -> list[str]:
    return [name for name in ontology_files() if name.startswith("concepts-")]


def schemes_and_concepts() -> dict[str, list[str]]:
    """Scheme IRI → its concepts' IRIs, read from the concept files as shipped."""
    graph = parsed(*concept_files())
    found = {}
    for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
        found[str(scheme)] = sorted(str(c) for c in graph.subjects(RDF.type, SKOS.Concept)
                                    if str(c).startswith(f"{scheme}/"))
    return found


def document(dist, path: str, suffix: str) -> Graph:
    return Graph().parse(dist / f"{path}{suffix}", format=FORMATS[suffix])


@pytest.mark.parametrize(("iri", "path"), [
    (V + "ns", "ns"),
    (V + "ns#Agreement", "ns"),
    (V + "ns#AgreementTitleShape", "ns"),
    (V + "concept/policy-field", "concept/policy-field"),
    (V + "concept/policy-field/tourism", "concept/policy-field/tourism"),
    (V + "ontology/", "ontology/index"),
    (V + "ontology/0.1.0", "ontology/0.1.0"),
    (V + "ontology/kyoyaku.ttl", None),  # a file, not an IRI with documents
    (V + "concept/", None),
    (V + "agreement/082015-082368/2022-02-21", None),  # data: publish.site's
    ("https://example.org/ns", None),
])
def test_vocabulary_path_maps_each_kind_of_vocabulary_iri(iri, path):
    assert vocabulary_path(iri) == path


def test_the_namespace_has_its_documents_and_both_pages(built):
    dist = built[0]
    for name in ("ns.html", "en/ns.html", "ns.ttl", "ns.jsonld", "ns.nt"):
        assert (dist / name).is_file(), name


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_namespace_document_is_the_ontology_and_the_shapes(built, suffix):
    """/ns in each format: exactly the triples of the ontology and of the shapes (every term of the
    namespace is described in the document its IRI dereferences to)."""
    expected = parsed(*(name for name in ontology_files() if not name.startswith("concepts-")))
    got = document(built[0], "ns", suffix)
    assert isomorphic(got, expected)
    ground = [t for t in parsed("kyoyaku.ttl") if not any(isinstance(x, BNode) for x in t)]
    assert len(ground) > 700 and [t for t in ground if t not in got] == []
    assert (NS, OWL.versionIRI, VERSION_IRI) in got


class Ids(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")


@pytest.mark.parametrize("page", ["ns.html", "en/ns.html"])
def test_every_term_of_the_namespace_has_its_anchor_on_the_page(built, page):
    graph = parsed(*(name for name in ontology_files() if not name.startswith("concepts-")))
    terms = {str(s)[len(str(NS)):] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(NS))
             and s != NS}
    ids = Ids((built[0] / page).read_text(encoding="utf-8")).ids
    assert "Agreement" in terms and "AgreementTitleShape" in terms and "hasParty" in terms
    assert terms - ids == set()


def test_every_concept_scheme_and_concept_has_its_documents(built):
    dist = built[0]
    found = schemes_and_concepts()
    assert len(found) == 7 and V + "concept/policy-field/tourism" in found[V + "concept/policy-field"]
    for scheme, concepts in found.items():
        for iri in [scheme, *concepts]:
            path = iri.removeprefix(V)
            for name in (f"{path}.html", f"en/{path}.html", f"{path}.ttl", f"{path}.jsonld", f"{path}.nt"):
                assert (dist / name).is_file(), name


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_scheme_document_is_its_file_and_the_labels_of_what_it_links_to(built, suffix):
    expected = parsed("concepts-policy-field.ttl")
    everything = parsed(*ontology_files())
    outside = {o for o in expected.objects() if isinstance(o, URIRef)} - set(expected.subjects())
    for node in outside:
        for prop in (SKOS.prefLabel, RDFS.label):
            for label in everything.objects(node, prop):
                expected.add((node, prop, label))
    assert (URIRef(V + "ns#policyField"), RDFS.label, Literal("policy field", lang="en")) in expected
    assert isomorphic(document(built[0], "concept/policy-field", suffix), expected)


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_concept_document_holds_its_triples_the_links_to_it_and_the_labels_of_what_it_links_to(built, suffix):
    concepts = parsed(*concept_files())
    tourism = URIRef(V + "concept/policy-field/tourism")
    expected = Graph()
    for p, o in concepts.predicate_objects(tourism):
        expected.add((tourism, p, o))
    for s, p in concepts.subject_predicates(tourism):
        expected.add((s, p, tourism))
    linked = {x for t in list(expected) for x in (t[0], t[2]) if isinstance(x, URIRef)} - {tourism}
    everything = parsed(*ontology_files())
    for node in linked:
        for prop in (SKOS.prefLabel, RDFS.label):
            for label in everything.objects(node, prop):
                expected.add((node, prop, label))
    got = document(built[0], "concept/policy-field/tourism", suffix)
    assert set(got) == set(expected)
    assert (tourism, SKOS.prefLabel, Literal("戦略的な観光施策", lang="ja")) in got
    assert (URIRef(V + "concept/policy-field/economic-growth"), SKOS.narrower, tourism) in got


@pytest.mark.parametrize("path", ["ontology/index", "ontology/0.1.0"])
@pytest.mark.parametrize("suffix", FORMATS)
def test_the_ontology_folder_and_the_version_iri_are_the_whole_vocabulary(built, path, suffix):
    assert isomorphic(document(built[0], path, suffix), parsed(*ontology_files()))


def test_the_version_iri_has_the_documentation_page(built):
    dist = built[0]
    assert (dist / "ontology/0.1.0.html").read_bytes() == (dist / "ontology/index.html").read_bytes()


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".nt"])
def test_the_catalog_answers_in_every_format(built, suffix):
    dist = built[0]
    ttl = Graph().parse(dist / "catalog.ttl", format="turtle")
    assert isomorphic(Graph().parse(dist / f"catalog{suffix}", format=FORMATS[suffix]), ttl)
    for page in ("catalog.html", "en/catalog.html"):
        assert (dist / page).is_file()


def test_the_catalog_pages_show_the_dataset_and_every_download(built):
    dist = built[0]
    text = (dist / "en/catalog.html").read_text(encoding="utf-8")
    assert '<h1>kyoyaku data catalog</h1>' in text
    for dump in ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt", "kyoyaku.ttl.gz"):
        assert f'href="../{dump}"' in text, dump


def test_the_ontology_carries_its_version_creator_dates_and_licence():
    graph = parsed("kyoyaku.ttl")
    assert set(graph.objects(NS, OWL.versionIRI)) == {VERSION_IRI}
    assert set(graph.objects(NS, OWL.versionInfo)) == {Literal("0.1.0")}
    assert set(graph.objects(NS, DCTERMS.creator)) == {PROJECT}
    assert set(graph.objects(NS, DCTERMS.created)) == {Literal("2026-11-24", datatype=XSD.date)}
    assert set(graph.objects(NS, DCTERMS.modified)) == {Literal("2026-12-04", datatype=XSD.date)}
    assert set(graph.objects(NS, DCTERMS.license)) == {CC_BY_4}
    assert set(graph.objects(PROJECT, FOAF.name)) == {Literal("kyoyaku プロジェクト", lang="ja"),
                                                      Literal("kyoyaku project", lang="en")}
    # the version IRI is the ontology's version: ontology/{owl:versionInfo}
    assert str(VERSION_IRI).rsplit("/", 1)[1] == "0.1.0"


def test_every_concept_scheme_carries_the_ontology_version_creator_and_licence():
    graph = parsed(*concept_files())
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 7
    for scheme in schemes:
        assert set(graph.objects(scheme, OWL.versionInfo)) == {Literal("0.1.0")}, scheme
        assert set(graph.objects(scheme, DCTERMS.creator)) == {PROJECT}, scheme
        assert set(graph.objects(scheme, DCTERMS.license)) == {CC_BY_4}, scheme


def test_the_vocabulary_documents_are_the_same_bytes_in_every_process():
    """Blank nodes (the shapes', the ontology's unions) are labelled canonically: another process,
    another hash seed, the same bytes."""
    script = ("import hashlib, json, sys; from kyoyaku.publish.ontodoc.vocabulary import vocabulary_files; "
              "sys.stdout.write(json.dumps({p: hashlib.sha256(t.encode()).hexdigest() "
              "for p, t in vocabulary_files('page').items()}))")
    runs = [json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                                      env={"PYTHONHASHSEED": seed}).stdout) for seed in ("1", "2")]
    assert runs[0] == runs[1] and "ns.ttl" in runs[0] and hashlib.sha256(b"page").hexdigest() == \
        runs[0]["ontology/0.1.0.html"]


def test_the_ontology_page_shows_the_version_creator_dates_and_licence():
    from kyoyaku.publish.ontodoc import index_html

    page = index_html()
    rows = ['<dt>版 / <span lang="en">Version</span></dt><dd>0.1.0</dd>',
            '<dt>版の IRI / <span lang="en">Version IRI</span></dt><dd><code>https://w3id.org/kyoyaku/ontology/0.1.0</code></dd>',
            '<dt>作成者 / <span lang="en">Creator</span></dt><dd>kyoyaku プロジェクト / <span lang="en">kyoyaku project</span> '
            + '<code>https://w3id.org/kyoyaku/project</code></dd>',
            '<dt>作成日 / <span lang="en">Created</span></dt><dd>2026-11-24</dd>',
            '<dt>更新日 / <span lang="en">Modified</span></dt><dd>2026-12-04</dd>',
            '<dt>ライセンス / <span lang="en">Licence</span></dt><dd><code>https://creativecommons.org/licenses/by/4.0/</code></dd>']
    for row in rows:
        assert row in page, row


def test_each_term_links_to_its_entry_in_the_full_documentation(built):
    dist = built[0]
    documented = Ids((dist / "ontology/index.html").read_text(encoding="utf-8")).ids
    targets = re.findall(r'href="ontology/index.html#([^"]+)"', (dist / "ns.html").read_text(encoding="utf-8"))
    assert len(targets) == len(set(targets)) > 140 and set(targets) - documented == set()
    assert "AgreementTitleShape" in targets and "Agreement" in targets
