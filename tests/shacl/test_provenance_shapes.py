"""The shapes of where facts came from (kyo:DateSourceShape, kyo:FactLineShape, kyo:PublicNoticeShape,
kyo:CouncilBillShape) on the mapping itself: the seed read as a 例規集 page inside a council bill
conforms in both engines, and the same agreement with a bill that lost its line fails exactly
kyo:FactLineShape on kyo:sourceLine, in both engines alike."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kyoyaku.graph.iris import KYO
from kyoyaku.graph.mapping import to_graph
from kyoyaku.shacl.validate import validate

from ..conftest import SEED_IRI, read_from_a_bill


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_the_seed_read_from_a_bill_conforms(seed, engine):
    report = validate(to_graph(read_from_a_bill(seed)), engine=engine)
    assert report.conforms and report.results == [], report.text()


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_a_bill_without_its_line_fails_the_fact_line_requirement(seed, engine):
    graph = to_graph(read_from_a_bill(seed))
    bill = URIRef(f"{SEED_IRI}/bill")
    graph.remove((bill, KYO.sourceLine, None))
    report = validate(graph, engine=engine)
    assert not report.conforms
    assert [(r.shape, r.focus, r.path) for r in report.results] == [
        (str(KYO.FactLineShape), str(bill), str(KYO.sourceLine))]


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_every_kind_of_origin_a_reader_writes_conforms_and_another_does_not(seed, engine):
    """kyo:SourceOriginShape on the mapping: a PDF's page and box, a page alone (a line the PDF reader
    inferred, without a box), an image's box, a TIFF page's box and an element path all conform; a
    line number is no place in the file."""
    import copy

    a = copy.deepcopy(seed)
    kinds = ["page=1&viewrect=56.7,120.3,483.5,11.8", "page=2", "xywh=10,20,300,40", "page=3&xywh=10,20,300,40",
             "body/div[3]/p[8]", "body/tbl[1]/tr[3]"]
    a.source.line_origins = [kinds[n % len(kinds)] for n in range(200)]
    report = validate(to_graph(a), engine=engine)
    assert report.conforms and report.results == [], report.text()
    a.source.line_origins[a.title_line - 1] = "line 8"
    report = validate(to_graph(a), engine=engine)
    assert [(r.shape, r.focus, r.path) for r in report.results] == [
        (str(KYO.SourceOriginShape), SEED_IRI, str(KYO.sourceOrigin))]
