from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kyoyaku.graph.mapping import to_graph
from kyoyaku.text.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt"
SEED_IRI = "https://w3id.org/kyoyaku/agreement/082015-082368/2022-02-21"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def seed():
    return parse_file(SEED)


@pytest.fixture(scope="session")
def seed_graph(seed):
    return to_graph(seed)


def shuffled(graph):
    """The same triples added to a new graph in another (seeded) order: output must not depend on it."""
    import random

    from kyoyaku.graph.mapping import new_graph

    triples = list(graph)
    random.Random(8).shuffle(triples)
    copy = new_graph()
    for triple in triples:
        copy.add(triple)
    return copy


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One `kyoyaku build` of the shipped sources, shared by the tests that read dist/."""
    from kyoyaku.pipeline import build

    work = tmp_path_factory.mktemp("build")
    sources = work / "sources"
    shutil.copytree(ROOT / "data" / "sources", sources)
    result = build(sources, work / "dist")
    return work / "dist", result


CORPUS = FIXTURES / "corpus"
# IRIs of the corpus's agreements and areas (tests/fixtures/corpus/README.md, data/registry/)
B = "https://w3id.org/kyoyaku/"
TAKASU_2019 = B + "agreement/012041-014524/2019-04-01"
HIGASHIKAGURA_2021 = B + "agreement/012041-014532/2021-10-01"
TEIJU_2016 = B + "agreement/012041-014524/2016-03-25"
KAMIKAWA_RENKEI = B + "area/renkei-chusu/012041"
KAMIKAWA_TEIJU = B + "area/teiju-jiritsu/012041"
KENOU = B + "area/renkei-chusu/082015"
KENOU_TEIJU = B + "area/teiju-jiritsu/082015"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The query-test corpus: the real seed, the three synthetic texts of tests/fixtures/corpus/
    (two areas around 旭川市, see its README) and the real いばらき県央 registry, built
    with `kyoyaku build`. Returns (dist directory, Oxigraph store over dist/kyoyaku.ttl)."""
    from kyoyaku.pipeline import build
    from kyoyaku.sparql.store import open_store

    work = tmp_path_factory.mktemp("corpus")
    sources = work / "sources"
    sources.mkdir()
    for path in [SEED, *sorted(CORPUS.glob("*.txt"))]:
        shutil.copy(path, sources / path.name)
    registry = work / "registry"  # the いばらき県央 compilation only: the national one has its own tests
    shutil.copytree(ROOT / "data" / "registry" / "ibaraki-kenou", registry / "ibaraki-kenou")
    result = build(sources, work / "dist", registry=registry)
    assert result.report.conforms, result.report.text()
    return work / "dist", open_store([work / "dist" / "kyoyaku.ttl"])


NATIONAL = ROOT / "data" / "registry" / "national"
REGISTRY_SOURCE = ROOT / "data" / "sources" / "registry"  # the compilation national/ is imported from


@pytest.fixture(scope="session")
def national(tmp_path_factory):
    """What `kyoyaku build` publishes from the shipped data: the seed's full text and the whole
    registry (data/registry: national + いばらき県央). Returns (dist directory, Oxigraph store)."""
    from kyoyaku.pipeline import build
    from kyoyaku.sparql.store import open_store

    work = tmp_path_factory.mktemp("national")
    sources = work / "sources"
    sources.mkdir()
    shutil.copy(SEED, sources / SEED.name)
    result = build(sources, work / "dist", registry=ROOT / "data" / "registry")
    assert result.report.conforms, result.report.text()
    return work / "dist", open_store([work / "dist" / "kyoyaku.ttl"])


@pytest.fixture(scope="session")
def corpus_graph(corpus):
    """The corpus build's published triples as an rdflib graph (read-only: tests share it)."""
    from kyoyaku.sparql.store import load

    dist, _ = corpus
    return load([dist / "kyoyaku.nt"])


@pytest.fixture(scope="session")
def national_graph(national):
    """The national build's published triples as an rdflib graph (read-only: tests share it)."""
    from kyoyaku.sparql.store import load

    dist, _ = national
    return load([dist / "kyoyaku.nt"])
