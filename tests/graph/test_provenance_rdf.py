"""Where each fact came from, in RDF (issue 17, item 2): the kind of place the date was read from
(kyo:dateSource, a concept of concept/date-source), the place itself with its line
(kyo:dateLocation → kyo:SourceLocation with kyo:sourceLine), the public notice (告示) and the council
bill (議案) as nodes of their own with their lines, and each party's line — all through the one
mechanism the graph already had: a node with kyo:sourceLine."""

from __future__ import annotations

import copy

from rdflib import RDF, XSD, Literal, URIRef

from kyoyaku.graph.iris import DCTERMS, ELI, KYO
from kyoyaku.graph.mapping import to_graph

from ..conftest import SEED_IRI, read_from_a_bill

A = URIRef(SEED_IRI)
DATE_SOURCE = "https://w3id.org/kyoyaku/concept/date-source/"


def without_sources(seed):
    """The seed with none of the new facts recorded: what the mapping wrote before them."""
    a = copy.deepcopy(seed)
    a.date_source = a.date_line = None
    for p in a.parties:
        p.line = None
    return a


def test_the_notice_bill_date_source_and_party_lines_as_triples(seed):
    g = to_graph(read_from_a_bill(seed))
    bill, notice, location = URIRef(f"{A}/bill"), URIRef(f"{A}/notice"), URIRef(f"{A}/date-location")
    assert set(g.triples((bill, None, None))) == {
        (bill, RDF.type, KYO.CouncilBill),
        (bill, DCTERMS.identifier, Literal("議案第12号")),
        (bill, DCTERMS.title, Literal("小美玉市との連携協約の締結について", lang="ja")),
        (bill, DCTERMS.dateSubmitted, Literal("2022-02-10", datatype=XSD.date)),
        (bill, KYO.sourceLine, Literal(1)),
    }
    assert set(g.triples((notice, None, None))) == {
        (notice, RDF.type, KYO.PublicNotice),
        (notice, ELI.number, Literal("告示第88号")),
        (notice, KYO.sourceLine, Literal(2)),
    }
    assert set(g.triples((location, None, None))) == {
        (location, RDF.type, KYO.SourceLocation),
        (location, KYO.sourceLine, Literal(3)),
    }
    assert {(p, o) for p, o in g.predicate_objects(A) if p in (KYO.councilBill, KYO.publicNotice, KYO.dateSource,
                                                                KYO.dateLocation)} == {
        (KYO.councilBill, bill), (KYO.publicNotice, notice),
        (KYO.dateSource, URIRef(DATE_SOURCE + "header")), (KYO.dateLocation, location)}
    assert sorted((str(p), int(line)) for p in g.objects(A, KYO.hasParty) for line in g.objects(p, KYO.sourceLine)) == [
        (f"{A}/party/kou", 10), (f"{A}/party/otsu", 10)]
    # the bill is not the agreement: none of its facts sits on the agreement node
    assert (A, DCTERMS.identifier, None) not in g and (A, DCTERMS.dateSubmitted, None) not in g


def test_a_bill_without_a_date_has_no_date_submitted(seed):
    a = read_from_a_bill(seed)
    a.bill.date = None
    g = to_graph(a)
    assert (URIRef(f"{A}/bill"), DCTERMS.dateSubmitted, None) not in g
    assert (URIRef(f"{A}/bill"), DCTERMS.identifier, Literal("議案第12号")) in g


def test_the_seed_graph_is_unchanged_apart_from_where_its_date_and_parties_came_from(seed):
    now, before = set(to_graph(seed)), set(to_graph(without_sources(seed)))
    location = URIRef(f"{A}/date-location")
    assert before <= now
    assert now - before == {
        (A, KYO.dateSource, URIRef(DATE_SOURCE + "closing")),
        (A, KYO.dateLocation, location),
        (location, RDF.type, KYO.SourceLocation),
        (location, KYO.sourceLine, Literal(46)),
        (URIRef(f"{A}/party/kou"), KYO.sourceLine, Literal(10)),
        (URIRef(f"{A}/party/otsu"), KYO.sourceLine, Literal(10)),
    }


def test_every_new_term_is_defined_bilingually_and_aligned(seed):
    from rdflib import RDFS, Graph

    from kyoyaku.resources import ontology_dir

    onto = Graph().parse(ontology_dir() / "kyoyaku.ttl")
    prov = "http://www.w3.org/ns/prov#"
    for term, parent in ((KYO.SourceLocation, URIRef(prov + "Entity")), (KYO.PublicNotice, ELI.LegalResource),
                         (KYO.CouncilBill, DCTERMS.BibliographicResource)):
        assert (term, RDFS.subClassOf, parent) in onto, term
    for term, parent in ((KYO.dateLocation, URIRef(prov + "wasDerivedFrom")), (KYO.publicNotice, DCTERMS.relation),
                         (KYO.councilBill, DCTERMS.relation)):
        assert (term, RDFS.subPropertyOf, parent) in onto, term
    for term in (KYO.dateSource, KYO.dateLocation, KYO.publicNotice, KYO.councilBill, KYO.SourceLocation,
                 KYO.PublicNotice, KYO.CouncilBill):
        assert {o.language for o in onto.objects(term, RDFS.label)} == {"ja", "en"}, term
        assert {o.language for o in onto.objects(term, RDFS.comment)} == {"ja", "en"}, term


def test_every_date_source_is_a_concept_of_its_scheme():
    from rdflib.namespace import SKOS

    from kyoyaku.shacl.shapes import reference_graph
    from kyoyaku.text.model import DATE_SOURCES

    ref = reference_graph()
    scheme = URIRef(DATE_SOURCE.rstrip("/"))
    assert set(ref.subjects(SKOS.inScheme, scheme)) == {URIRef(DATE_SOURCE + s) for s in DATE_SOURCES}
    for s in DATE_SOURCES:
        assert {o.language for o in ref.objects(URIRef(DATE_SOURCE + s), SKOS.prefLabel)} == {"ja", "en"}, s


def test_each_cited_line_of_an_html_page_says_its_element(seed):
    """A page's agreement cites, beside each line number, the element the line came from
    (kyo:sourceOrigin); the same text read as plain text cites none."""
    from kyoyaku.text.formats import read_source
    from kyoyaku.text.parse import parse_bytes

    from ..conftest import SEED
    from ..text.pages import reiki_page, text_of

    markup = reiki_page(text_of(SEED)).encode("utf-8")
    page = parse_bytes(markup, name="seed.html")
    origins = page.source.line_origins
    assert origins == read_source(markup, "seed.html").origins
    g = to_graph(page)
    cited = {(s, int(line)) for s, line in g.subject_objects(KYO.sourceLine)}
    placed = {s: str(o) for s, o in g.subject_objects(KYO.sourceOrigin)}
    assert len(cited) == 81 and set(placed) == {s for s, _ in cited}
    assert all(placed[s] == origins[line - 1] for s, line in cited)
    assert placed[A] == origins[page.title_line - 1] == "body/div[3]/p[8]"  # line 8: blank lines are paragraphs too
    assert placed[URIRef(f"{A}/art_1")].startswith("body/div[3]/p[")
    # the 別表's rows: each its table row (tables of five sections, a header row each)
    assert [placed[URIRef(f"{A}/annex_1/item_{n}")] for n in (1, 3, 4, 16)] == [
        "body/div[3]/table[1]/tbody/tr[2]", "body/div[3]/table[1]/tbody/tr[4]", "body/div[3]/table[2]/tbody/tr[2]",
        "body/div[3]/table[5]/tbody/tr[2]"]
    assert not any(True for _ in to_graph(seed).subject_objects(KYO.sourceOrigin))
