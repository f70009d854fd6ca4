from __future__ import annotations

import copy
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kyoyaku.graph.mapping import to_graph
from kyoyaku.text.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt"
SEED_IRI = "https://w3id.org/kyoyaku/agreement/082015-082368/2022-02-21"
FIXTURES = Path(__file__).parent / "fixtures"
KYOYAKU = [sys.executable, "-m", "kyoyaku.cli"]  # the command, in a subprocess
OXIGRAPH = Path(sys.executable).parent / "oxigraph"  # the Oxigraph server installed with the package
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH: every build of one source set is byte-identical, even across midnight


@pytest.fixture(scope="session")
def seed():
    return parse_file(SEED)


@pytest.fixture(scope="session")
def seed_graph(seed):
    return to_graph(seed)


def read_from_a_bill(seed):
    """The seed as a 例規集 page inside a council bill would give it: bill on line 1, notice on line 2,
    the date from the header on line 3, both parties named on line 10 (a copy; the seed is shared)."""
    from kyoyaku.text.model import Bill

    a = copy.deepcopy(seed)
    a.bill = Bill(number="議案第12号", title="小美玉市との連携協約の締結について", date="2022-02-10", line=1)
    a.notice, a.notice_line = "告示第88号", 2
    a.date_source, a.date_line = "header", 3
    a.parties[0].line, a.parties[1].line = 10, 10
    return a


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


AMENDMENTS = FIXTURES / "amendments"
# The `amended` build's sources (also docs/screenshots.py's, for the amending and version pages)
AMENDED_SOURCES = [SEED, FIXTURES / "family" / "teiju-term.txt", *sorted(AMENDMENTS.glob("*-20??-??-??.txt"))]


@pytest.fixture(scope="session")
def amended(tmp_path_factory):
    """The seed and the synthetic teiju-term.txt built with the fictional amending agreements of
    tests/fixtures/amendments/ (no registry). Returns (dist directory, BuildResult)."""
    from kyoyaku.pipeline import build

    work = tmp_path_factory.mktemp("amended")
    sources = work / "sources"
    sources.mkdir()
    for path in AMENDED_SOURCES:
        shutil.copy(path, sources / path.name)
    result = build(sources, work / "dist")
    assert result.report.accepted, result.report.text()
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
    assert result.report.accepted, result.report.text()
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
    assert result.report.accepted, result.report.text()
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


def cli(*args, cwd: Path | None = None, **env) -> subprocess.CompletedProcess:
    """`kyoyaku ARGS…` in a subprocess (in `cwd`, with `env` added to the environment)."""
    return subprocess.run([*KYOYAKU, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300,
                          check=False, env={**os.environ, **env})


@pytest.fixture
def fixed_date(monkeypatch):
    """SOURCE_DATE_EPOCH=EPOCH: the catalog's date is fixed, so builds compare byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # inherited by the subprocesses too


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited at start"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no server on 127.0.0.1:{port}")


# Shape fixtures (tests/fixtures/shapes/, tests/fixtures/catalog/): each invalid one names the result it
# must produce in a line `# expect: <shape> <path or -> [Warning]`, in CURIEs of the test's prefixes.
EXPECT = re.compile(r"^# expect: (\S+) (\S+)(?: (Warning))?$", re.MULTILINE)


def expand(curie: str, prefixes: dict[str, str]) -> str:
    prefix, colon, local = curie.partition(":")
    assert colon and prefix in prefixes, f"{curie!r} is not a CURIE with one of the prefixes {sorted(prefixes)}"
    return prefixes[prefix] + local


def curie(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def expected_result(fixture: Path, prefixes: dict[str, str]) -> tuple[str, str | None, str]:
    """(shape IRI, result path IRI or None, severity) from the fixture's `# expect:` line."""
    headers = EXPECT.findall(fixture.read_text(encoding="utf-8"))
    assert len(headers) == 1, f"{fixture.name}: needs exactly one line '# expect: <shape> <path or -> [Warning]'"
    shape, path, severity = headers[0]
    return expand(shape, prefixes), None if path == "-" else expand(path, prefixes), severity or "Violation"


def load_benchmark(name: str):
    """The module benchmarks/NAME.py, loaded by path: benchmarks/ stays off sys.path."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(f"kyoyaku_benchmarks_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
