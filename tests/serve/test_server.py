"""Stores and endpoints against real Oxigraph servers on 127.0.0.1: `kyoyaku serve` (loopback by
default, read-only, its query timeout, streaming, concurrent clients), `query --endpoint` (same rows
as the embedded store, for every shipped query), `push` (named graphs, idempotent, all or nothing;
interrupted pushes: tests/sparql/test_push_interrupted.py) and a server that is down or silent."""

import http.client
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import kyoyaku.sparql.push as push_module
from kyoyaku.errors import EndpointError
from kyoyaku.serve import front as conneg
from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.sparql.push import graphs_of, push, reference_graph_iri
from kyoyaku.sparql.query import find_query, list_queries, run
from kyoyaku.sparql.remote import run_remote
from kyoyaku.sparql.store import load, open_store

from ..conftest import (
    HIGASHIKAGURA_2021,
    KENOU,
    KYOYAKU,
    OXIGRAPH,
    ROOT,
    SEED_IRI,
    TAKASU_2019,
    B,
    cli,
    free_port,
    wait_for,
)

REFERENCE_GRAPH = reference_graph_iri()  # under the default base: these tests build with the defaults

pytestmark = pytest.mark.server

# a value for every parameter of the shipped queries, on the corpus (tests/fixtures/corpus/)
PARAMS = {
    "municipality": B + "municipality/082368",
    "a": TAKASU_2019,
    "b": HIGASHIKAGURA_2021,
    "area": KENOU,
    "keyword": "観光",
    "node": SEED_IRI + "/annex_1/item_7",
    "date": "2022-02-21",
}
PARAMS_OF = {"nearest-areas": {"municipality": B + "municipality/152137"}}  # 燕市: its areas overlap others


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
    of its named graphs, as docs/commands/push.md tells users to configure it."""
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


def test_serve_refuses_a_timeout_under_one_second():
    done = cli("serve", "--timeout", "0", "--port", free_port())
    assert done.returncode == 2 and done.stderr == "kyoyaku: --timeout 0: expected a whole number of seconds, at least 1\n"


@pytest.mark.parametrize("port", ["99999", "-1", "0"])
def test_serve_refuses_a_port_out_of_range(port):
    done = cli("serve", "--port", port)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", f"kyoyaku: --port {port}: expected a port number from 1 to 65535\n")


@pytest.mark.parametrize("option, unit", [("--max-body", "bytes"), ("--max-memory", "MiB")])
def test_serve_refuses_a_limit_under_one(option, unit):
    done = cli("serve", option, "0", "--port", free_port())
    assert (done.returncode, done.stderr) == (2, f"kyoyaku: {option} 0: expected a whole number of {unit}, at least 1\n")


def test_build_store_is_served_and_queried_without_parsing(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "seed.txt").write_bytes((ROOT / "data" / "sources" /
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
    assert len(agreements) == 4 + 1 + 15  # the four full texts, the amending agreement and the いばらき県央 records but the seed's
    seed = graphs[URIRef(SEED_IRI)]
    assert all(str(s) == SEED_IRI or str(s).startswith(SEED_IRI + "/") for s in seed.subjects())
    assert (URIRef(SEED_IRI + "/annex_1/item_7"), None, None) in seed
    assert (URIRef(B + "municipality/082368"), None, None) in graphs[REFERENCE_GRAPH]
    assert sum(len(g) for g in graphs.values()) == len(data)


def test_push_twice_leaves_exactly_the_same_triples(corpus, writable):
    dist, _ = corpus
    first = cli("push", "--endpoint", f"{writable}/query", "--data", dist / "kyoyaku.ttl")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"pushed to {writable}/query: 21 graph(s) new, 0 replaced, 0 unchanged")
    after_first = dump(writable)
    second = cli("push", "--endpoint", f"{writable}/query", "--data", dist / "kyoyaku.ttl")
    assert second.stdout.startswith(f"pushed to {writable}/query: 0 graph(s) new, 0 replaced, 21 unchanged")
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
    assert (summary.new, summary.replaced, len(summary.unchanged)) == ([], [SEED_IRI], 20)
    body = urllib.request.urlopen(f"{writable}/store?graph={urllib.parse.quote(SEED_IRI, safe='')}").read()
    assert "訂正された題" in body.decode("utf-8")


def test_a_failed_push_leaves_the_servers_graphs_as_they_were(corpus, writable, monkeypatch):
    dist, _ = corpus
    data = load([dist / "kyoyaku.ttl"])
    push(data, f"{writable}/query", reference=reference_graph())
    before = dump(writable)
    for agreement in graphs_of(data):
        data.add((agreement, URIRef("http://purl.org/dc/terms/modified"), Literal("2026-11-24")))
    real_put, calls = push_module._Server.put, []

    def failing_put(self, graph, text):
        calls.append(graph)
        if len(calls) == 5:
            raise EndpointError("simulated failure while staging")
        real_put(self, graph, text)

    monkeypatch.setattr(push_module._Server, "put", failing_put)
    with pytest.raises(EndpointError, match="simulated failure"):
        push(data, f"{writable}/query", reference=reference_graph())
    assert dump(writable) == before  # no graph replaced, no staging graph left behind


def test_push_retries_server_errors_with_back_off(corpus, writable, monkeypatch):
    dist, _ = corpus
    real_open, failures, waits = urllib.request.OpenerDirector.open, [], []

    def flaky(opener, request, *args, **kwargs):  # push sends each request through an opener of its own
        if request.get_method() == "PUT" and len(failures) < 2:
            failures.append(request.full_url)
            raise urllib.error.HTTPError(request.full_url, 503, "Service Unavailable", {}, None)
        return real_open(opener, request, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", flaky)
    summary = push(load([dist / "kyoyaku.ttl"]), f"{writable}/query", reference=reference_graph(), wait=waits.append)
    assert len(summary.new) == 21 and waits == [0.5, 1.0] and len(failures) == 2


def test_push_to_a_server_that_is_down_is_one_line_and_exit_2(corpus):
    dist, _ = corpus
    started = time.monotonic()
    done = cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--data", dist / "kyoyaku.ttl")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "cannot connect" in done.stderr
    assert time.monotonic() - started > 7  # it retried with back-off (0.5 + 1 + 2 + 4 s) before giving up


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("KYOYAKU_USER", "city")
    monkeypatch.setenv("KYOYAKU_PASSWORD", "s3cret")
    server = push_module._Server("http://127.0.0.1:1/store", "http://127.0.0.1:1/update", 1, lambda s: None)
    assert server.auth == "Basic Y2l0eTpzM2NyZXQ="  # base64("city:s3cret")
    monkeypatch.delenv("KYOYAKU_USER")
    assert push_module._Server("http://127.0.0.1:1/store", "", 1, lambda s: None).auth is None


def test_graph_equality_ignores_blank_node_names_and_decimal_forms():
    a = Graph().parse(data='<urn:s> <urn:p> "2.0"^^<http://www.w3.org/2001/XMLSchema#decimal> . '
                           '<urn:s> <urn:q> [ <urn:r> "x" ] .', format="turtle")
    b = Graph().parse(data='<urn:s> <urn:p> "2"^^<http://www.w3.org/2001/XMLSchema#decimal> . '
                           '<urn:s> <urn:q> [ <urn:r> "x" ] .', format="turtle")
    c = Graph().parse(data='<urn:s> <urn:p> "3"^^<http://www.w3.org/2001/XMLSchema#decimal> . '
                           '<urn:s> <urn:q> [ <urn:r> "x" ] .', format="turtle")
    assert push_module.same_graph(a, b) and not push_module.same_graph(a, c)


# --- serve: loopback, read-only, timeout, streaming, load --------------------------------------------

# deliberately slow queries: cross joins of the data with itself (6,634 triples: 44 M and 292 G rows)
CROSS_JOIN_2 = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y }"
CROSS_JOIN_3 = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
COUNT_CROSS_JOIN_3 = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
FORM = "application/x-www-form-urlencoded"
IMPATIENT_S = 3


@pytest.fixture(scope="module")
def impatient(national):
    """`kyoyaku serve --timeout 3` with its defaults otherwise (host), over the shipped data."""
    dist, _ = national
    port = free_port()
    process = subprocess.Popen([*KYOYAKU, "serve", "--data", str(dist / "kyoyaku.ttl"), "--port", str(port),
                                "--timeout", str(IMPATIENT_S)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.startswith(f"SPARQL endpoint: http://127.0.0.1:{port}/query"), line + process.stderr.read()
    yield process, port
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode == 0


def listening_addresses(pid: int) -> list[tuple[str, int]]:
    """The (address, port) of every TCP socket listening in the process `pid` and its descendants."""
    pids, inodes = [pid], set()
    while pids:
        current = pids.pop()
        for task in Path(f"/proc/{current}/task").iterdir():
            pids += [int(child) for child in (task / "children").read_text().split()]
        for fd in Path(f"/proc/{current}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[len("socket:["):-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state, inode = row.split()[1], row.split()[3], row.split()[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                address, port = local.split(":")
                raw = bytes.fromhex(address)  # each 32-bit word in host (little-endian) order
                ip = ipaddress.ip_address(b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4)))
                found.append((str(ip), int(port, 16)))
    return found


def test_serve_listens_on_loopback_only_by_default(impatient):
    process, port = impatient
    addresses = listening_addresses(process.pid)
    assert len(addresses) == 2, addresses  # the front, and the Oxigraph server behind it
    assert {ip for ip, _ in addresses} == {"127.0.0.1"} and port in {p for _, p in addresses}


def http_answer(url: str, method: str = "GET", body: str | None = None, content_type: str | None = None,
                accept: str | None = None) -> tuple[int, bytes]:
    headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
    request = urllib.request.Request(url, data=body.encode("utf-8") if body is not None else None, method=method,
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


INSERT = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
WRITES = [  # every way a client could try to write through `kyoyaku serve`
    ("POST", "/query", INSERT, "application/sparql-update"),
    ("POST", "/query", urllib.parse.urlencode({"update": INSERT}), FORM),
    ("POST", "/query", urllib.parse.urlencode({"query": INSERT}), FORM),
    ("GET", "/query?" + urllib.parse.urlencode({"update": INSERT}), None, None),
    ("GET", "/query?" + urllib.parse.urlencode({"query": INSERT}), None, None),
    ("POST", "/update", INSERT, "application/sparql-update"),
    ("POST", "/update", urllib.parse.urlencode({"update": INSERT}), FORM),
    ("GET", "/update?" + urllib.parse.urlencode({"update": INSERT}), None, None),
    ("POST", "/store?default", "<urn:x:s> <urn:x:p> <urn:x:o> .", "text/turtle"),
    ("PUT", "/store?default", "<urn:x:s> <urn:x:p> <urn:x:o> .", "text/turtle"),
    ("PUT", "/query", "<urn:x:s> <urn:x:p> <urn:x:o> .", "text/turtle"),
    ("DELETE", "/store?default", None, None),
    ("PATCH", "/query", INSERT, "application/sparql-update"),
]


def test_updates_are_refused_and_the_data_stay_as_they_were(served):
    base = served.removesuffix("/query")
    every_quad = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    count = urllib.parse.urlencode({"query": every_quad})
    before = http_answer(f"{served}?{count}", accept="text/csv")
    assert before[0] == 200 and int(before[1].split()[1]) > 6000
    for method, path, body, content_type in WRITES:
        status, text = http_answer(base + path, method, body, content_type)
        assert 400 <= status < 500, (method, path, content_type, status, text)
    assert http_answer(f"{served}?{count}", accept="text/csv") == before
    ask = urllib.parse.urlencode({"query": "ASK { { <urn:x:s> ?p ?o } UNION { GRAPH ?g { <urn:x:s> ?p ?o } } }"})
    assert http_answer(f"{served}?{ask}", accept="application/sparql-results+json")[1].replace(b" ", b"") \
        == b'{"head":{},"boolean":false}'


def test_a_large_answer_streams_and_is_cut_off_at_the_timeout(impatient):
    _, port = impatient
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    began = time.monotonic()
    connection.request("POST", "/query", urllib.parse.urlencode({"query": CROSS_JOIN_3}),
                       {"Content-Type": FORM, "Accept": "text/csv"})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
    first = response.read1(64 * 1024)
    first_at, received = time.monotonic() - began, len(first)
    with pytest.raises(http.client.IncompleteRead):  # cut off: the last chunk never comes
        while (piece := response.read1(64 * 1024)) and time.monotonic() < began + IMPATIENT_S + 10:
            received += len(piece)
    ended_at = time.monotonic() - began
    connection.close()
    assert first.startswith(b"a,b,c\r\n") and first.count(b"\r\n") > 2 and first_at < 1.5, (first, first_at)
    assert IMPATIENT_S <= ended_at < IMPATIENT_S + 7 and received > 1_000_000, (ended_at, received)


@pytest.mark.parametrize("text, error", [
    pytest.param(CROSS_JOIN_3, "the answer was cut off", id="streamed, never cut by Oxigraph"),
    pytest.param(CROSS_JOIN_2, "the answer was cut off", id="streamed, cut by Oxigraph with an HTTP 200"),
    pytest.param(COUNT_CROSS_JOIN_3, "HTTP 504", id="silent until done"),  # last: Oxigraph computes on for ~15 s
])
def test_a_query_over_the_timeout_is_an_error_not_short_results(impatient, tmp_path, text, error):
    _, port = impatient
    query = tmp_path / "slow.rq"
    query.write_text(f"# title: synthetic slow query, a cross join\n{text}\n", encoding="utf-8")
    began = time.monotonic()
    done = cli("query", query, "--endpoint", f"http://127.0.0.1:{port}/query", "--format", "csv")
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1, done
    assert error in done.stderr and time.monotonic() - began < IMPATIENT_S + 15


class _Upstream(BaseHTTPRequestHandler):
    """A stand-in for the Oxigraph server: one 200 answer in chunks, in the way `behaviour` says."""
    protocol_version = "HTTP/1.1"
    behaviour = "complete"
    ROWS = b'{"head":{"vars":["n"]},"results":{"bindings":['

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        pieces = {"complete": [self.ROWS, b"]}}"], "cancelled": [self.ROWS, conneg.OXIGRAPH_CANCELLED],
                  "silent": [self.ROWS]}[self.behaviour]
        for piece in pieces:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        if self.behaviour == "silent":
            time.sleep(4)  # past the front's timeout, well within the test's
        self.wfile.write(b"0\r\n\r\n")


@pytest.mark.parametrize("behaviour", ["complete", "cancelled", "silent"])
def test_the_front_turns_an_answer_cut_short_into_an_incomplete_one(tmp_path, behaviour):
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), type("Upstream", (_Upstream,), {"behaviour": behaviour}))
    front = conneg.make_server("127.0.0.1", 0, tmp_path, f"http://127.0.0.1:{upstream.server_port}/query",
                               query_timeout=1)
    for server in (upstream, front):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    began = time.monotonic()
    try:
        status, body = http_answer(f"http://127.0.0.1:{front.server_port}/query", "POST", "query=ASK{}", FORM)
    except http.client.IncompleteRead as e:
        status, body = "incomplete", e.partial
    took = time.monotonic() - began
    front.shutdown(), upstream.shutdown()
    front.server_close(), upstream.server_close()
    if behaviour == "complete":
        assert (status, body) == (200, _Upstream.ROWS + b"]}}") and took < 1
    else:  # what a client would otherwise take for an answer with no rows
        assert status == "incomplete" and body.startswith(_Upstream.ROWS), (status, body)
        assert took < 1 if behaviour == "cancelled" else 1 <= took < 3


def load_benchmark():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import serve_load

    return serve_load


def test_concurrent_clients_get_the_embedded_stores_answers(both, served):
    """The short version of benchmarks/serve_load.py: 8 clients × every shipped query × 2 rounds."""
    _, store = both
    serve_load = load_benchmark()
    work = serve_load.jobs(PARAMS, PARAMS_OF, store)
    load = serve_load.run_load(served, work, clients=8, rounds=2, budget=120)
    assert load.errors == [] and load.skipped == 0
    assert len(load.latencies) == 8 * 2 * len(work) == 8 * 2 * len(list_queries())
    assert sum(1 for job in work if job.expected.rows) == len([q for q in list_queries() if not q.is_check])
