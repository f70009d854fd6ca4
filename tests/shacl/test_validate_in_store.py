"""Validation in the build's own store (shacl.sparql_engine.validate_data_store): the same report
as validating the rdflib graph, and the store holds the data alone again afterwards."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDFS, URIRef

from kyoyaku.graph.oxterms import default_graph_quads
from kyoyaku.graph.serialize import graph_lines
from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.shacl.sparql_engine import (
    reference_added,
    validate_data_store,
    validate_graph,
)
from kyoyaku.shacl.validate import validate
from kyoyaku.sparql.store import load

from ..conftest import FIXTURES
from .test_shacl_sparql import synthetic_graph, with_faults

INVALID = sorted((FIXTURES / "shapes" / "invalid").glob("*.ttl"))


def quads(store: ox.Store) -> set:
    return set(store)


def same_report_in_store(graph):
    expected = validate_graph(graph)
    store = graph_lines(graph).store()
    before = quads(store)
    got = validate(store)
    assert got.results == expected.results and got.conforms == expected.conforms
    assert got.turtle() == expected.turtle() and got.text() == expected.text()
    assert quads(store) == before  # the ontology and concept schemes taken out again
    return got


def test_the_seed(seed_graph):
    assert same_report_in_store(seed_graph).results == []


def test_the_invalid_shape_fixtures_at_once():
    report = same_report_in_store(load(INVALID))
    assert not report.conforms and len(report.results) >= len(INVALID)


def test_synthetic_agreements_with_faults():
    graph, iris = synthetic_graph()
    report = same_report_in_store(with_faults(graph, iris))
    assert not report.conforms


def test_a_triple_the_data_share_with_the_reference_stays_in_the_data(seed_graph):
    """The data may state a triple the ontology states too: it is not taken out with the ontology."""
    shared = next((s, p, o) for s, p, o in reference_graph() if isinstance(s, URIRef) and p == RDFS.label)
    graph = graph_lines(seed_graph)
    graph.add(shared)
    store = graph.store()
    before = quads(store)
    with reference_added(store):
        assert len(store) == len(before) + len(set(default_graph_quads(reference_graph()))) - 1
    assert quads(store) == before
    validate_data_store(store)
    assert quads(store) == before


def test_the_reference_is_taken_out_when_the_block_fails(seed_graph):
    store = graph_lines(seed_graph).store()
    before = quads(store)
    with pytest.raises(RuntimeError), reference_added(store):
        assert len(store) > len(before)
        raise RuntimeError("stop")
    assert quads(store) == before


def test_the_pyshacl_engine_refuses_a_store(seed_graph):
    with pytest.raises(TypeError, match="pyshacl engine validates an rdflib Graph"):
        validate(graph_lines(seed_graph).store(), engine="pyshacl")
