"""The full dumps (kyoyaku-full.ttl, .jsonld, .nt: the data with the ontology and concept schemes),
each loaded ALONE into tools other than kyoyaku, give what kyoyaku gives: every shipped query the
rows of `kyoyaku query` in pyoxigraph and in rdflib, and pySHACL with the published shapes the
results of `kyoyaku validate`. On the `national` build (tests/conftest.py: what `kyoyaku build`
publishes from the shipped data); each dump is parsed once per module."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal

from kyoyaku.publish.writers import FULL_DUMPS, reference_triples
from kyoyaku.sparql.query import Query, bind, list_queries, python_value, run
from kyoyaku.sparql.store import open_store

from ..conftest import SEED_IRI, B

FORMATS = {".ttl": (ox.RdfFormat.TURTLE, "turtle"), ".jsonld": (ox.RdfFormat.JSON_LD, "json-ld"),
           ".nt": (ox.RdfFormat.N_TRIPLES, "nt")}
QUERIES = list_queries()
KENOU = B + "area/renkei-chusu/082015"  # いばらき県央: the shipped full text's area
KORIYAMA = B + "area/renkei-chusu/072036"  # こおりやま広域: registry records in force on 2020-04-01
# A parameter's value: one of these, else the example its header gives ("e.g. VALUE"; the example of
# fields-across-area is an area of the test corpus, not of the shipped data).
CHOSEN = {("compare-agreements", "a"): SEED_IRI, ("compare-agreements", "b"): SEED_IRI,
          ("fields-across-area", "area"): KENOU}
EXAMPLE = re.compile(r"e\.g\. (\S+?)[),]?(?:\s|$)")
OPTIONAL_AREA = {"agreements-in-force": KORIYAMA}  # else KENOU
# The shipped data have no amending agreement: its query has no rows here (the `amended` build's
# test below has them); the checks must have none.
EMPTY_ON_SHIPPED = {"amendment-fields"} | {q.name for q in QUERIES if q.is_check}


def values_of(query: Query, optional: bool) -> dict[str, str]:
    """The required parameters' values, and with `optional` the optional `area` too."""
    values = {}
    for p in query.parameters:
        if p.optional:
            if optional and p.name == "area":
                values[p.name] = OPTIONAL_AREA.get(query.name, KENOU)
            continue
        example = EXAMPLE.search(p.doc)
        values[p.name] = CHOSEN.get((query.name, p.name)) or example.group(1)
    return values


# Every query with its required parameters; those with an optional area once more with it.
CASES = [(q, values_of(q, False)) for q in QUERIES] + [
    (q, values_of(q, True)) for q in QUERIES if any(p.optional and p.name == "area" for p in q.parameters)]
IDS = [q.name + ("+area" if any(p.optional and p.name in v for p in q.parameters) else "") for q, v in CASES]


def rdflib_rows(graph: Graph, query: Query, values: dict[str, str]) -> tuple[list[str], list[list]]:
    """The query's columns and rows in rdflib, each cell the Python value kyoyaku's table gives."""
    result = graph.query(bind(query, values))

    def cell(term):
        if term is None:
            return None
        if isinstance(term, Literal):
            return python_value(str(term), str(term.datatype) if term.datatype else None)
        return str(term)

    return [str(v) for v in result.vars], [[cell(term) for term in row] for row in result]


@pytest.fixture(scope="module")
def full(national):
    """Each full dump alone: name → (pyoxigraph Store, rdflib Graph), and the build's dist/."""
    dist, _ = national
    loaded = {}
    for name in FULL_DUMPS:
        ox_format, rdflib_format = FORMATS[Path(name).suffix]
        store = ox.Store()
        store.load(path=str(dist / name), format=ox_format)
        loaded[name] = store, Graph().parse(dist / name, format=rdflib_format)
    return dist, loaded


@pytest.fixture(scope="module")
def expected(national):
    """`kyoyaku query`'s rows of every case: the build's kyoyaku.ttl with the ontology and concept
    schemes (its store, as `kyoyaku query` opens it)."""
    _, store = national
    return {i: run(store, query, values) for i, (query, values) in zip(IDS, CASES)}


def test_every_required_parameter_has_a_value_and_the_shipped_data_give_rows(expected):
    assert len(CASES) == len(expected) and {q.name for q, _ in CASES} == {q.name for q in QUERIES}
    assert sorted(i for i, table in expected.items() if not table.rows) == sorted(EMPTY_ON_SHIPPED)


@pytest.mark.parametrize("name", FULL_DUMPS)
@pytest.mark.parametrize(("query", "values"), CASES, ids=IDS)
def test_each_full_dump_alone_in_pyoxigraph_gives_the_rows_of_kyoyaku_query(full, expected, name, query, values):
    _, loaded = full
    store, _ = loaded[name]
    want = expected[IDS[CASES.index((query, values))]]
    got = run(store, query, values)
    assert (got.columns, got.rows) == (want.columns, want.rows)


@pytest.mark.parametrize("name", FULL_DUMPS)
@pytest.mark.parametrize(("query", "values"), CASES, ids=IDS)
def test_each_full_dump_alone_in_rdflib_gives_the_rows_of_kyoyaku_query(full, expected, name, query, values):
    _, loaded = full
    _, graph = loaded[name]
    want = expected[IDS[CASES.index((query, values))]]
    assert rdflib_rows(graph, query, values) == (want.columns, want.rows)


def test_the_data_only_dump_alone_lacks_the_labels_the_full_one_has(national, full):
    """Why the full dumps exist: kyoyaku.ttl alone in pyoxigraph has no concept labels, so the
    coverage matrix (its fields named by the policy-field scheme) has no rows."""
    dist, loaded = full
    _, with_reference = national
    alone = ox.Store()
    alone.load(path=str(dist / "kyoyaku.ttl"), format=ox.RdfFormat.TURTLE)
    coverage = next(q for q in QUERIES if q.name == "coverage-matrix")
    assert run(alone, coverage).rows == []
    assert run(loaded["kyoyaku-full.ttl"][0], coverage).rows == run(with_reference, coverage).rows != []


@pytest.mark.parametrize("name", FULL_DUMPS)
def test_a_full_dump_is_the_data_dump_and_the_ontology_and_concept_schemes(full, name):
    """kyoyaku-full.X holds exactly the triples of kyoyaku.X and those of ontology/ (the concept
    schemes and the ontology, shapes aside), nothing else."""
    dist, loaded = full
    store, _ = loaded[name]
    data = ox.Store()
    data.load(path=str(dist / name.replace("kyoyaku-full.", "kyoyaku.")), format=FORMATS[Path(name).suffix][0])
    reference = ox.Dataset(ox.Quad(s, p, o) for s, p, o in reference_triples())

    def ground(quads):
        return {q.triple for q in quads if not any(isinstance(t, ox.BlankNode) for t in q.triple)}

    assert ground(store) == ground(data) | ground(reference)
    assert len(store) == len(data) + len(reference)  # the blank nodes (the ontology's OWL lists) too


def test_amendment_fields_on_the_full_dumps_of_a_build_with_amending_agreements(amended):
    """The one shipped query without rows on the shipped data, where it has some."""
    dist, _ = amended
    query = next(q for q in QUERIES if q.name == "amendment-fields")
    want = run(open_store([dist / "kyoyaku.ttl"]), query)
    assert want.rows
    for name in FULL_DUMPS:
        ox_format, rdflib_format = FORMATS[Path(name).suffix]
        store = ox.Store()
        store.load(path=str(dist / name), format=ox_format)
        assert run(store, query).rows == want.rows, name
        assert rdflib_rows(Graph().parse(dist / name, format=rdflib_format), query, {}) == (want.columns, want.rows), name


def test_pyshacl_on_the_full_dump_alone_gives_the_results_of_kyoyaku_validate(full, capsys):
    """Plain pySHACL — the published shapes, no ontology graph, no inference; advanced=True because
    the shapes use SHACL-AF's sh:SPARQLTarget — on kyoyaku-full.ttl alone: the results of
    `kyoyaku validate` on kyoyaku.ttl (which adds the ontology and concept schemes itself), and
    SHACL's conforms (false: there are warnings). The JSON-LD and N-Triples dumps are the same graph
    in rdflib (next test), so pySHACL's results on them are these too (checked by hand: 181 each)."""
    import pyshacl

    from kyoyaku.cli import main
    from kyoyaku.shacl.report import report_of

    dist, loaded = full
    assert main(["validate", str(dist / "kyoyaku.ttl"), "--format", "json"]) == 0
    want = json.loads(capsys.readouterr().out)
    shapes = Graph().parse(dist / "ontology" / "shapes.ttl", format="turtle")
    conforms, report_graph, _ = pyshacl.validate(loaded["kyoyaku-full.ttl"][1], shacl_graph=shapes, advanced=True)
    got = json.loads(report_of(conforms, report_graph, shapes).json())
    assert got["results"] == want["results"] and len(want["results"]) == 181
    assert conforms is want["conforms"] is False
    assert got["counts"] == want["counts"] == {"Violation": 0, "Warning": 181, "Info": 0}


@pytest.mark.parametrize("name", ["kyoyaku-full.jsonld", "kyoyaku-full.nt"])
def test_the_full_dumps_are_one_graph_in_rdflib(full, name):
    from rdflib.compare import isomorphic

    _, loaded = full
    assert isomorphic(loaded[name][1], loaded["kyoyaku-full.ttl"][1])
