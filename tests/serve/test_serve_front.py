"""`kyoyaku serve` stays up and fetches nothing (issue 15): its Oxigraph server is restarted after a
query made it panic, after a query ran past the timeout (its work stops, its memory does not keep
growing), when it outgrows --max-memory, and when `build --store` replaces the store; the front
refuses SERVICE and LOAD before the Oxigraph server sees them (a listener on 127.0.0.1 receives
nothing); requests are bounded (--max-body → 413) and malformed ones get 400 without a traceback;
HEAD works wherever GET does. Raw sockets: http.client cannot send malformed requests."""

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from kyoyaku.serve.front import refusal
from kyoyaku.sparql.store import save_store

from ..conftest import FIXTURES, KYOYAKU, SEED_IRI, free_port

SEED_PATH = SEED_IRI.removeprefix("https://w3id.org/kyoyaku/")  # its documents in the site: SEED_PATH.html …

pytestmark = pytest.mark.server
FORM = "application/x-www-form-urlencoded"
TIMEOUT_S = 3
MAX_BODY = 4096
ORDER_MIXED = (FIXTURES / "oxigraph-panic" / "order-mixed.rq").read_text(encoding="utf-8")
TOTAL_ORDER = "Oxigraph panicked: user-provided comparison function does not correctly implement a total order"
# sorts the cross join of the data with itself: no answer before the sort ends, hundreds of MB a second
SORTED_CROSS_JOIN = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c"
# Slow but small: a count over the same cross join holds one counter, so it meets the timeout and never
# --max-memory (the sorted join outgrew 4 GiB before 3 s on a fast machine: a race, not a timeout)
COUNTED_CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class Served:
    """A running `kyoyaku serve`, its port and its log (stderr, in a file: readable at any time)."""

    def __init__(self, args: list[str], log: Path):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen([*KYOYAKU, "serve", *args, "--port", str(self.port)],
                                        stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
        line = self.process.stdout.readline()
        assert line.startswith(f"SPARQL endpoint: http://127.0.0.1:{self.port}/query"), line + log.read_text()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.communicate(timeout=30)
        assert self.process.returncode == 0

    def oxigraph_pids(self) -> list[int]:
        """The Oxigraph server processes running under it now."""
        children = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            children += [int(pid) for pid in (task / "children").read_text().split()]
        return [pid for pid in children if "oxigraph" in Path(f"/proc/{pid}/cmdline").read_bytes().decode()]

    def logged(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


def exchange(port: int, raw: bytes, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes as one request (it must ask `Connection: close`); the status, headers (names
    in lower case) and body of the answer, read to the end of the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(raw)
        received = b""
        while piece := connection.recv(65536):
            received += piece
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def request(port: int, method: str, target: str, body: bytes | None = None, content_type: str | None = None,
            accept: str | None = None, extra: str = "") -> tuple[int, dict[str, str], bytes]:
    headers = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if content_type:
        headers += f"Content-Type: {content_type}\r\n"
    if accept:
        headers += f"Accept: {accept}\r\n"
    if body is not None:
        headers += f"Content-Length: {len(body)}\r\n"
    return exchange(port, (headers + extra + "\r\n").encode("latin-1") + (body or b""))


def dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size, _, rest = body.partition(b"\r\n")
        if int(size, 16) == 0:
            return out
        out, body = out + rest[:int(size, 16)], rest[int(size, 16) + 2:]
    raise AssertionError("no last chunk: the answer is incomplete")


def query(port: int, text: str, accept: str = "text/csv") -> tuple[int, bytes]:
    status, headers, body = request(port, "POST", "/query", urllib.parse.urlencode({"query": text}).encode(), FORM,
                                    accept)
    return status, dechunk(body) if headers.get("transfer-encoding") == "chunked" else body


@pytest.fixture(scope="module")
def stores(corpus, tmp_path_factory):
    """Two on-disk stores (`build --store` writes them with save_store): the corpus, the national data."""
    work = tmp_path_factory.mktemp("serve-front")
    return save_store([corpus[0] / "kyoyaku.ttl"], work / "corpus-store"), work


@pytest.fixture(scope="module")
def served(stores, corpus, tmp_path_factory):
    """`kyoyaku serve --store` over the corpus (its site too), --timeout 3, --max-body 4096."""
    store, _ = stores
    log = tmp_path_factory.mktemp("serve-log") / "stderr.txt"
    server = Served(["--store", str(store), "--site", str(corpus[0]), "--timeout", str(TIMEOUT_S),
                     "--max-body", str(MAX_BODY), "--max-memory", "4096"], log)
    yield server
    server.stop()


def count_answer(built) -> bytes:
    """The CSV answer to COUNT on a build (conftest corpus or national): its store's size."""
    _, store = built
    return f"n\r\n{len(store)}\r\n".encode()


# --- one query must not take the endpoint down (issue 15, item 2) -----------------------------------


def test_after_a_query_that_crashes_oxigraph_the_next_query_answers(served, corpus):
    before = served.oxigraph_pids()
    status, body = query(served.port, ORDER_MIXED)
    assert status == 502 and body.count(b"\n") == 1 and body.endswith(b": it was restarted\n"), body
    assert body.startswith(b"the SPARQL server did not answer: ") and TOTAL_ORDER.encode() in body
    assert query(served.port, COUNT) == (200, count_answer(corpus))
    assert len(before) == 1 and served.oxigraph_pids() not in ([], before)
    assert any(line.startswith(f"kyoyaku serve: the Oxigraph server stopped ({TOTAL_ORDER}")
               and line.endswith(": restarted the Oxigraph server") for line in served.logged()), served.logged()


def resident_mib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1)) // 1024


def test_a_query_past_the_timeout_stops_and_its_memory_with_it(served, corpus):
    (before,) = served.oxigraph_pids()
    status, body = query(served.port, COUNTED_CROSS_JOIN)
    assert (status, body) == (504, f"the query timed out; a query ran past the timeout ({TIMEOUT_S} s): "
                                   "it was restarted\n".encode())
    (after,) = served.oxigraph_pids()
    assert after != before and not Path(f"/proc/{before}").exists()  # the sorting process is gone
    first = resident_mib(after)
    time.sleep(1)
    assert first < 200 and resident_mib(after) - first < 20, (first, resident_mib(after))
    assert query(served.port, COUNT) == (200, count_answer(corpus))


def test_the_oxigraph_server_is_restarted_above_max_memory(stores, corpus, tmp_path):
    store, _ = stores
    server = Served(["--store", str(store), "--timeout", "120", "--max-memory", "200"], tmp_path / "log.txt")
    try:
        began = time.monotonic()
        status, body = query(server.port, SORTED_CROSS_JOIN)
        assert status == 502 and time.monotonic() - began < 60, (status, body)
        assert re.fullmatch(rb"the SPARQL server did not answer: .*; the Oxigraph server used \d+ MiB, over "
                            rb"--max-memory 200: it was restarted\n", body), body
        assert query(server.port, COUNT) == (200, count_answer(corpus))
    finally:
        server.stop()


def test_serve_store_follows_a_store_a_later_build_replaced(stores, corpus, national, tmp_path):
    _, work = stores
    store = save_store([corpus[0] / "kyoyaku.ttl"], work / "replaced-store")
    server = Served(["--store", str(store)], tmp_path / "log.txt")
    try:
        assert query(server.port, COUNT) == (200, count_answer(corpus))
        save_store([national[0] / "kyoyaku.ttl"], store)  # what `kyoyaku build --store` does
        expected = (200, count_answer(national))
        deadline = time.monotonic() + 20
        while query(server.port, COUNT) != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        assert query(server.port, COUNT) == expected
        assert f"kyoyaku serve: {store} was replaced by a new `kyoyaku build --store`: restarted the Oxigraph " \
               "server" in server.logged()
    finally:
        server.stop()


# --- no request forgery (item 3) ---------------------------------------------------------------------


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that counts the connections it receives: it must receive none."""
    accepted = []
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.settimeout(0.2)
        stop = threading.Event()

        def accept():
            while not stop.is_set():
                try:
                    connection, _ = sock.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                accepted.append(connection.recv(200))
                connection.close()

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", accepted
        time.sleep(0.5)  # a fetch on its way would arrive by now
        stop.set()
        thread.join()


def fetching_requests(url: str) -> list[tuple[str, str, bytes | None, str | None]]:
    """Every way found to make the server fetch `url`: SERVICE in its forms and places, and LOAD."""
    service = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    texts = [
        service,
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{url[:-len('sparql')]}> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"LOAD <{url}>",
    ]
    found = []
    for text in texts:
        found += [("GET", "/query?" + urllib.parse.urlencode({"query": text}), None, None),
                  ("POST", "/query", urllib.parse.urlencode({"query": text}).encode(), FORM),
                  ("POST", "/query", text.encode(), "application/sparql-query"),
                  ("HEAD", "/query?" + urllib.parse.urlencode({"query": text}), None, None)]
    found += [
        ("POST", "/query", urllib.parse.urlencode({"update": f"LOAD <{url}>"}).encode(), FORM),
        ("POST", "/query", f"LOAD <{url}>".encode(), "application/sparql-update"),
        ("GET", "/query?" + urllib.parse.urlencode([("query", "ASK {}"), ("query", service)]), None, None),
        ("POST", "/query?" + urllib.parse.urlencode({"query": service}), b"query=ASK%7B%7D", FORM),
        ("POST", "/query?" + urllib.parse.urlencode({"query": service}), b"ASK {}", "application/sparql-query"),
    ]
    return found


def test_nothing_that_would_make_the_server_fetch_reaches_it(served, listener):
    url, accepted = listener
    for method, target, body, content_type in fetching_requests(url):
        status, _, answer = request(served.port, method, target, body, content_type)
        assert status in {400, 403}, (method, target, body, status, answer)
        if method != "HEAD":
            assert answer.count(b"\n") == 1, answer
    status, _, answer = request(served.port, "GET", "/query?" + urllib.parse.urlencode(
        {"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"}))
    assert (status, answer) == (403, f"SERVICE <{url}>: this server never fetches over the network for a client "
                                      "(SERVICE and LOAD are refused)\n".encode())
    assert accepted == []


def test_dataset_iris_are_graph_names_never_fetched(served, listener):
    url, accepted = listener
    for params in ({"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"},
                   {"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
                   {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url},
                   {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url}):
        status, _, body = request(served.port, "GET", "/query?" + urllib.parse.urlencode(params), accept="text/csv")
        assert status == 200 and dechunk(body).count(b"\r\n") == 1, (params, body)  # the header, no rows
    assert accepted == []


@pytest.mark.parametrize("text, status", [
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("# SERVICE <http://127.0.0.1:1/> in a comment\nSELECT * WHERE { ?s ?p ?o }", None),
    ('SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:1/> { }" }', None),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 403),
    ("PREFIX r: <http://127.0.0.1:1/> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }", 403),
    ("PREFIX r: <http://127.0.0.1:1/> LOAD r:data", 403),
    ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 400),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403),
    ("SELECT * WHERE { ?s ?p ", 400),
    ("", 400),
    ("SELECT * WHERE " + "{ " * 2000 + "}" * 2000, 400),
])
def test_which_query_texts_are_refused(text, status):
    refused = refusal(text)
    assert (refused.status if refused else None) == status
    if refused:
        assert "\n" not in refused.reason


# --- limits: body size, malformed requests, HEAD (item 6) --------------------------------------------


def test_a_body_over_max_body_is_refused_before_it_is_read(served):
    # only the headers are sent: the answer must not wait for the body
    status, _, body = exchange(served.port, f"POST /query HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                                            f"{FORM}\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n".encode(), timeout=10)
    assert (status, body) == (413, f"the body is {MAX_BODY + 1} bytes; this server takes at most {MAX_BODY}\n".encode())
    status, _, body = exchange(served.port, b"POST /query HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                                            b"application/sparql-query\r\nContent-Length: 500000000\r\n\r\n", timeout=10)
    assert status == 413


def test_a_body_up_to_max_body_is_answered(served):
    text = f"# {'x' * (MAX_BODY - 100)}\nASK {{ ?s ?p ?o }}"
    assert len(text.encode()) <= MAX_BODY
    status, _, body = request(served.port, "POST", "/query", text.encode(), "application/sparql-query",
                              "application/sparql-results+json")
    assert status == 200 and dechunk(body).replace(b" ", b"") == b'{"head":{},"boolean":true}'


@pytest.mark.parametrize("raw, status, reason", [
    (b"GET /a%00b HTTP/1.1\r\n", 400, b"a control character in the path\n"),
    (b"GET /query%00 HTTP/1.1\r\n", 400, b"a control character in the path\n"),
    (b"GET /a\x00b HTTP/1.1\r\n", 400, b"a control character in the path\n"),
    (b"GET /" + b"a" * 256 + b" HTTP/1.1\r\n", 400, b"a path segment longer than 255 bytes\n"),
    (b"GET /agreement/" + b"%E6%B0%B4" * 86 + b".html HTTP/1.1\r\n", 400, b"a path segment longer than 255 bytes\n"),
    (b"GET /" + b"a/" * 2100 + b" HTTP/1.1\r\n", 414, b"the path is longer than 4096 bytes\n"),
    (b"POST /query HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: -1\r\n", 400,
     b"Content-Length: expected one whole number of bytes\n"),
    (b"POST /query HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n", 400,
     b"Content-Length: expected one whole number of bytes\n"),
    (b"POST /query HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 6\r\nContent-Length: 7\r\n",
     400, b"Content-Length: expected one whole number of bytes\n"),
    (b"POST /query HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 99999999999999999999999\r\n",
     413, b"the body is 99999999999999999999999 bytes; this server takes at most 4096\n"),
    (b"POST /query HTTP/1.1\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n", 411,
     b"send the body with a Content-Length (Transfer-Encoding is not accepted)\n"),
    (b"POST /query HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n", 415,
     (b"a query comes as application/sparql-query or as application/x-www-form-urlencoded (query=\xe2\x80\xa6), "
      b"not text/plain\n")),
], ids=["NUL escaped", "NUL in /query", "NUL raw", "segment 256", "segment 258 in UTF-8", "path 4200",
        "length -1", "length abc", "two lengths", "length huge", "chunked", "not a query"])
def test_a_malformed_request_is_400_in_one_line_without_a_traceback(served, raw, status, reason):
    answer = exchange(served.port, raw + b"Host: x\r\nConnection: close\r\n\r\nASK {}", timeout=10)
    assert (answer[0], answer[2]) == (status, reason)
    assert request(served.port, "GET", "/kyoyaku.ttl")[0] == 200  # and the server goes on
    assert not [line for line in served.logged() if "Traceback" in line or "a request from" in line], served.logged()


def test_a_segment_of_255_bytes_is_just_not_found(served):
    assert request(served.port, "GET", "/" + "a" * 255)[:3:2] == (404, b"not found\n")


@pytest.mark.parametrize("target, accept, status", [
    ("/kyoyaku.ttl", None, 200),
    ("/", None, 200),
    ("/" + SEED_PATH, "text/turtle", 303),
    ("/no/such/thing", None, 404),
    ("/" + SEED_PATH, "image/png", 406),
    ("/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), "application/sparql-results+json", 200),
    ("/query?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}), None, 400),
])
def test_head_answers_as_get_does_without_the_body(served, target, accept, status):
    got = request(served.port, "GET", target, accept=accept)
    head = request(served.port, "HEAD", target, accept=accept)
    assert got[0] == head[0] == status and head[2] == b"", head
    for name in ("content-type", "content-length", "location", "transfer-encoding"):
        assert head[1].get(name) == got[1].get(name), name


def test_head_keeps_the_connection_usable(served):
    """A HEAD answer with a body would be read as the start of the next answer."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as connection:
        connection.sendall(b"HEAD /no/such/thing HTTP/1.1\r\nHost: x\r\n\r\n"
                           b"GET /no/such/thing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = b""
        while piece := connection.recv(65536):
            received += piece
    # the HEAD answer's headers are followed at once by the next answer
    assert received.count(b"HTTP/1.1 404 ") == 2 and b"\r\n\r\nHTTP/1.1 404 " in received, received
    assert received.endswith(b"\r\n\r\nnot found\n"), received


def test_the_front_logs_no_traceback(served):
    assert not [line for line in served.logged() if "Traceback" in line], served.logged()
    assert os.path.getsize(served.log) < 10_000
