"""Stores and endpoints against real Oxigraph servers on 127.0.0.1: `kyoyaku serve` (read-only),
`query --endpoint` (same rows as the embedded store, for every shipped query), `push` (named
graphs, idempotent, all or nothing) and a server that is down or silent."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kyoyaku import endpoint
from kyoyaku.endpoint import REFERENCE_GRAPH, graphs_of, push, run_remote
from kyoyaku.errors import EndpointError
from kyoyaku.query import find_query, list_queries, run
from kyoyaku.store import load, open_store
from kyoyaku.validate import reference_graph

from .conftest import HIGASHIKAGURA_2021, KENOU, SEED_IRI, TAKASU_2019, B

pytestmark = pytest.mark.server
KYOYAKU = [sys.executable, "-m", "kyoyaku.cli"]
OXIGRAPH = Path(sys.executable).parent / "oxigraph"

# a value for every parameter of the shipped queries, on the corpus (tests/fixtures/corpus/)
PARAMS = {
    "municipality": B + "municipality/082368",
    "a": TAKASU_2019,
    "b": HIGASHIKAGURA_2021,
    "area": KENOU,
    "keyword": "観光",
    "node": SEED_IRI + "/annex_1/item_7",
}
PARAMS_OF = {"nearest-areas": {"municipality": B + "municipality/152137"}}  # 燕市: its areas overlap others


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


@pytest.fixture(scope="module")
def both(corpus, national):
    """The corpus and the national build together: every report query has rows on them."""
    files = [corpus[0] / "kyoyaku.ttl", national[0] / "kyoyaku.ttl"]
    return files, open_store(files)


@pytest.fixture(scope="module")
def served(both):
    """`kyoyaku serve` over the corpus and national data; stopped with Ctrl-C (SIGINT) at the end."""
    files, _ = both
    port = free_port()
    process = subprocess.Popen([*KYOYAKU, "serve", "--data", *map(str, files), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line == f"SPARQL endpoint: http://127.0.0.1:{port}/query (read-only; Ctrl-C stops it)\n", \
        line + process.stderr.read()
    site = process.stdout.readline()
    assert site == f"documents: http://127.0.0.1:{port}/ (from {files[0].parent}, by content negotiation)\n"
    yield f"http://127.0.0.1:{port}/query"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0 and out == "stopped\n", (out, err)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


@pytest.fixture
def writable(tmp_path):
    """A read-write Oxigraph server (what `push` writes to), its base URL; queries read the union
    of its named graphs, as the README tells users to configure it."""
    if not OXIGRAPH.is_file():
        pytest.fail(f"the Oxigraph server binary is missing ({OXIGRAPH}): pip install oxigraph")
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(tmp_path / "db"), "--union-default-graph",
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, process)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def dump(base: str) -> set[str]:
    """Every quad on the server, as N-Quads lines."""
    request = urllib.request.Request(f"{base}/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request) as response:
        return set(response.read().decode("utf-8").splitlines()) - {""}


def cli(*args, **env):
    return subprocess.run([*KYOYAKU, *map(str, args)], capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, **env})


# --- serve and query --endpoint --------------------------------------------------------------------


@pytest.mark.parametrize("query", [q for q in list_queries()], ids=lambda q: q.name)
def test_every_query_returns_the_same_rows_on_the_endpoint(both, served, query):
    _, store = both
    params = {**PARAMS, **PARAMS_OF.get(query.name, {})}
    values = {p.name: params[p.name] for p in query.parameters if not p.optional}
    embedded = run(store, query, values)
    remote = run_remote(served, query, values)
    assert remote.columns == embedded.columns
    assert remote.rows == embedded.rows
    if not query.is_check:
        assert embedded.rows, f"{query.name} returns nothing on the corpus: the comparison would prove little"


def test_cli_query_through_the_endpoint(served):
    done = cli("query", "area-summary", "--endpoint", served, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "いばらき県央地域連携中枢都市圏,連携中枢都市圏,水戸市,9,9,8,1,茨城県央地域定住自立圏" in done.stdout


def test_the_served_endpoint_is_read_only(served):
    request = urllib.request.Request(served.replace("/query", "/update"), method="POST",
                                     data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                     headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request)
    assert info.value.code in {403, 404, 405}


def test_serve_refuses_a_public_address_without_public():
    done = cli("serve", "--host", "0.0.0.0", "--port", free_port())
    assert done.returncode == 2 and "--public" in done.stderr and done.stderr.count("\n") == 1


def test_build_store_is_served_and_queried_without_parsing(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "seed.txt").write_bytes((Path(__file__).parent.parent / "data" / "sources" /
                                        "mito-omitama-2022-02-21.txt").read_bytes())
    built = cli("build", "--sources", sources, "--no-registry", "--out", tmp_path / "dist",
                "--store", tmp_path / "store")
    assert built.returncode == 0 and "(on-disk store)" in built.stdout, built.stderr
    from_store = cli("query", "leadership-balance", "--store", tmp_path / "store", "--format", "csv")
    from_file = cli("query", "leadership-balance", "--data", tmp_path / "dist" / "kyoyaku.ttl", "--format", "csv")
    assert from_store.returncode == 0 and from_store.stdout == from_file.stdout and "小美玉市" in from_store.stdout
    port = free_port()
    process = subprocess.Popen([*KYOYAKU, "serve", "--store", str(tmp_path / "store"), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith(f"SPARQL endpoint: http://127.0.0.1:{port}/query")
        remote = cli("query", "leadership-balance", "--endpoint", f"http://127.0.0.1:{port}/query", "--format", "csv")
        assert remote.stdout == from_file.stdout
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert process.returncode == 0


def test_a_server_that_is_down_is_one_line_and_exit_2():
    done = cli("query", "leadership", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "cannot connect" in done.stderr


def test_a_server_that_does_not_answer_times_out():
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        done = cli("query", "leadership", "--endpoint", url, "--timeout", "2")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "timed out" in done.stderr, done.stderr
    assert time.monotonic() - started < 30


# --- push --------------------------------------------------------------------------------------------


def test_graphs_of_puts_each_agreement_with_its_parts_and_the_rest_in_the_reference_graph(corpus):
    dist, _ = corpus
    data = load([dist / "kyoyaku.ttl"])
    graphs = graphs_of(data)
    agreements = {s for s in graphs if s != REFERENCE_GRAPH}
    assert len(agreements) == 4 + 15  # the four full texts and the いばらき県央 records but the seed's
    seed = graphs[URIRef(SEED_IRI)]
    assert all(str(s) == SEED_IRI or str(s).startswith(SEED_IRI + "/") for s in seed.subjects())
    assert (URIRef(SEED_IRI + "/annex_1/item_7"), None, None) in seed
    assert (URIRef(B + "municipality/082368"), None, None) in graphs[REFERENCE_GRAPH]
    assert sum(len(g) for g in graphs.values()) == len(data)


def test_push_twice_leaves_exactly_the_same_triples(corpus, writable):
    dist, _ = corpus
    first = cli("push", "--endpoint", f"{writable}/query", "--data", dist / "kyoyaku.ttl")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"pushed to {writable}/query: 20 graph(s) new, 0 replaced, 0 unchanged")
    after_first = dump(writable)
    second = cli("push", "--endpoint", f"{writable}/query", "--data", dist / "kyoyaku.ttl")
    assert second.stdout.startswith(f"pushed to {writable}/query: 0 graph(s) new, 0 replaced, 20 unchanged")
    assert dump(writable) == after_first
    # the server holds the data and the reference data, each triple in its named graph
    data, reference = load([dist / "kyoyaku.ttl"]), reference_graph()
    assert len(after_first) == len(data) + len(reference)
    seed_graph = f"<{SEED_IRI}> ."
    assert sum(1 for line in after_first if line.endswith(seed_graph)) == len(graphs_of(data)[URIRef(SEED_IRI)])


def test_pushed_data_answers_the_queries_as_the_embedded_store_does(corpus, writable):
    dist, store = corpus
    push(load([dist / "kyoyaku.ttl"]), f"{writable}/query", reference=reference_graph())
    for name in ("area-summary", "leadership-balance", "coverage-matrix"):
        query = find_query(name)
        assert run_remote(f"{writable}/query", query).rows == run(store, query).rows, name


def test_push_replaces_only_what_changed(corpus, writable):
    dist, _ = corpus
    data = load([dist / "kyoyaku.ttl"])
    push(data, f"{writable}/query", reference=reference_graph())
    title = URIRef("http://data.europa.eu/eli/ontology#title")
    data.set((URIRef(SEED_IRI), title, Literal("訂正された題", lang="ja")))
    summary = push(data, f"{writable}/query", reference=reference_graph())
    assert (summary.new, summary.replaced, len(summary.unchanged)) == ([], [SEED_IRI], 19)
    body = urllib.request.urlopen(f"{writable}/store?graph={urllib.parse.quote(SEED_IRI, safe='')}").read()
    assert "訂正された題" in body.decode("utf-8")


def test_a_failed_push_leaves_the_servers_graphs_as_they_were(corpus, writable, monkeypatch):
    dist, _ = corpus
    data = load([dist / "kyoyaku.ttl"])
    push(data, f"{writable}/query", reference=reference_graph())
    before = dump(writable)
    for agreement in graphs_of(data):
        data.add((agreement, URIRef("http://purl.org/dc/terms/modified"), Literal("2026-11-24")))
    real_put, calls = endpoint._Server.put, []

    def failing_put(self, graph, text):
        calls.append(graph)
        if len(calls) == 5:
            raise EndpointError("simulated failure while staging")
        real_put(self, graph, text)

    monkeypatch.setattr(endpoint._Server, "put", failing_put)
    with pytest.raises(EndpointError, match="simulated failure"):
        push(data, f"{writable}/query", reference=reference_graph())
    assert dump(writable) == before  # no graph replaced, no staging graph left behind


def test_push_retries_server_errors_with_back_off(corpus, writable, monkeypatch):
    dist, _ = corpus
    real_urlopen, failures, waits = urllib.request.urlopen, [], []

    def flaky(request, timeout=None):
        if request.get_method() == "PUT" and len(failures) < 2:
            failures.append(request.full_url)
            raise urllib.error.HTTPError(request.full_url, 503, "Service Unavailable", {}, None)
        return real_urlopen(request, timeout=timeout)

    monkeypatch.setattr(urllib.request, "urlopen", flaky)
    summary = push(load([dist / "kyoyaku.ttl"]), f"{writable}/query", reference=reference_graph(), wait=waits.append)
    assert len(summary.new) == 20 and waits == [0.5, 1.0] and len(failures) == 2


def test_push_to_a_server_that_is_down_is_one_line_and_exit_2(corpus):
    dist, _ = corpus
    started = time.monotonic()
    done = cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--data", dist / "kyoyaku.ttl")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "cannot connect" in done.stderr
    assert time.monotonic() - started > 7  # it retried with back-off (0.5 + 1 + 2 + 4 s) before giving up


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("KYOYAKU_USER", "city")
    monkeypatch.setenv("KYOYAKU_PASSWORD", "s3cret")
    server = endpoint._Server("http://127.0.0.1:1/store", "http://127.0.0.1:1/update", 1, lambda s: None)
    assert server.auth == "Basic Y2l0eTpzM2NyZXQ="  # base64("city:s3cret")
    monkeypatch.delenv("KYOYAKU_USER")
    assert endpoint._Server("http://127.0.0.1:1/store", "", 1, lambda s: None).auth is None


def test_graph_equality_ignores_blank_node_names_and_decimal_forms():
    a = Graph().parse(data='<urn:s> <urn:p> "2.0"^^<http://www.w3.org/2001/XMLSchema#decimal> . '
                           '<urn:s> <urn:q> [ <urn:r> "x" ] .', format="turtle")
    b = Graph().parse(data='<urn:s> <urn:p> "2"^^<http://www.w3.org/2001/XMLSchema#decimal> . '
                           '<urn:s> <urn:q> [ <urn:r> "x" ] .', format="turtle")
    c = Graph().parse(data='<urn:s> <urn:p> "3"^^<http://www.w3.org/2001/XMLSchema#decimal> . '
                           '<urn:s> <urn:q> [ <urn:r> "x" ] .', format="turtle")
    assert endpoint.same_graph(a, b) and not endpoint.same_graph(a, c)
