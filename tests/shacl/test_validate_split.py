"""Validation per agreement (kyoyaku.shacl.pyshacl_engine) reports exactly what whole-graph validation
reports: on every shape fixture at once (valid and invalid, one defect each) and on the national data."""

from rdflib.namespace import SH

from kyoyaku.shacl.pyshacl_engine import REST, owner_finder, units
from kyoyaku.shacl.validate import validate
from kyoyaku.sparql.store import load

from ..conftest import FIXTURES, SEED_IRI


def key(result):
    return (result.severity, result.shape, result.focus, result.path, result.value,
            tuple(sorted(result.messages.items())))


def same_results(data):
    whole, split = validate(data, split=False, engine="pyshacl"), validate(data, split=True, jobs=2, engine="pyshacl")
    assert sorted(map(key, split.results)) == sorted(map(key, whole.results))
    assert split.conforms == whole.conforms
    # the written report has one sh:result per result (details below them may name shapes' blank
    # nodes differently: each process parses the shapes anew)
    assert len(set(split.graph.objects(None, SH.result))) == len(split.results)
    return whole


def test_every_shape_fixture_at_once():
    fixtures = sorted((FIXTURES / "shapes").glob("*/*.ttl"))
    whole = same_results(load(fixtures))
    assert not whole.conforms and len(whole.results) >= len(list((FIXTURES / "shapes" / "invalid").glob("*.ttl")))


def test_the_national_data(national):
    dist, _ = national
    whole = same_results(load([dist / "kyoyaku.ttl"]))
    assert whole.accepted and not whole.conforms and len(whole.results) == 181  # the warnings of tests/test_cli.py


def test_units_own_an_agreement_and_its_parts(seed_graph):
    split = units(seed_graph)
    assert set(split) == {SEED_IRI, REST}
    owner = owner_finder({SEED_IRI})
    assert owner(SEED_IRI + "/annex_1/item_7/role/kou") == SEED_IRI
    assert owner(SEED_IRI + "-other") == REST and owner("https://w3id.org/kyoyaku/municipality/082368") == REST
    assert {str(t[0]) for t in split[REST]} <= {"https://w3id.org/kyoyaku/municipality/082015",
                                                 "https://w3id.org/kyoyaku/municipality/082368"} | {
        str(t[0]) for t in split[REST] if "/area/" in str(t[0]) or "/mapping/" in str(t[0]) or "/law/" in str(t[0])}
