"""The shapes of where facts came from (kyo:DateSourceShape, kyo:FactLineShape, kyo:PublicNoticeShape,
kyo:CouncilBillShape) on the mapping itself: the seed read as a 例規集 page inside a council bill
conforms in both engines, and the same agreement with a bill that lost its line fails exactly
kyo:FactLineShape on kyo:sourceLine, in both engines alike."""

from __future__ import annotations

import copy

import pytest
from rdflib import URIRef

from kyoyaku.graph.iris import KYO
from kyoyaku.graph.mapping import to_graph
from kyoyaku.shacl.validate import validate
from kyoyaku.text.model import Bill

from ..conftest import SEED_IRI


def read_from_a_bill(seed):
    a = copy.deepcopy(seed)
    a.bill = Bill(number="議案第12号", title="小美玉市との連携協約の締結について", date="2022-02-10", line=1)
    a.notice, a.notice_line = "告示第88号", 2
    a.date_source, a.date_line = "header", 3
    a.parties[0].line, a.parties[1].line = 10, 10
    return a


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
