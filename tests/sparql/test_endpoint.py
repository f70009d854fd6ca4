"""The HTTP client of `query --endpoint` and `push` against small stand-in servers on 127.0.0.1:
redirects are followed only within one origin, so credentials never reach another host; every
malformed SPARQL JSON answer is one line and exit 2; `--timeout` is a deadline for the whole answer,
so a server trickling bytes is cut off. (Pushes to real Oxigraph servers: test_server.py,
test_push_interrupted.py, test_push_lock.py.)"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import URIRef

import kyoyaku.sparql.push as push_module
from kyoyaku.cli import main
from kyoyaku.errors import EndpointError
from kyoyaku.sparql.query import find_query
from kyoyaku.sparql.remote import run_remote

from ..conftest import cli

pytestmark = pytest.mark.server
RESULTS = "application/sparql-results+json"
CREDENTIALS = {"KYOYAKU_USER": "city", "KYOYAKU_PASSWORD": "s3cret"}
BASIC = "Basic Y2l0eTpzM2NyZXQ="  # base64("city:s3cret")


class StandIn(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 recording every request (method, path, headers, body) and
    answering with `respond(handler)`, which writes the whole response itself."""

    daemon_threads = True

    def __init__(self, respond):
        self.respond, self.requests = respond, []
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str = "/query", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    def _any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        self.server.respond(self)

    do_GET = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, *args) -> None:
        pass


def answer(status: int, body: bytes = b"", content_type: str = RESULTS, headers: dict | None = None):
    def respond(handler):
        handler.send_response(status)
        for name, value in {"Content-Type": content_type, **(headers or {}), "Content-Length": str(len(body))}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return respond


@pytest.fixture
def stand_ins():
    started = []

    def start(respond) -> StandIn:
        started.append(StandIn(respond))
        return started[-1]

    yield start
    for server in started:
        server.stop()


# --- redirects: credentials stay with their host ------------------------------------------------------

REFUSED = ("the server redirects ({code}) to {target}, another origin (scheme, host, port); kyoyaku does not "
           "follow it, so that credentials and data go only where they were sent: give that URL if you trust it")


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_push_does_not_follow_a_redirect_to_another_host_with_the_credentials(corpus, stand_ins, code):
    """127.0.0.1 redirects every request to localhost: a different origin, though the same machine."""
    dist, _ = corpus
    elsewhere = stand_ins(answer(204))
    redirecting = stand_ins(lambda handler: answer(code, headers={
        "Location": elsewhere.url(handler.path, host="localhost")})(handler))
    done = cli("push", "--endpoint", redirecting.url("/query"), "--data", dist / "kyoyaku.ttl", **CREDENTIALS)
    target = elsewhere.url("/update", host="localhost")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"kyoyaku: POST {redirecting.url('/update')}: {REFUSED.format(code=code, target=target)}\n"
    assert elsewhere.requests == []
    # the lock's claim, refused and not retried, then its withdrawal (in case the claim was made), refused too
    assert [(method, path, headers["Authorization"]) for method, path, headers, _ in redirecting.requests] \
        == [("POST", "/update", BASIC)] * 2
    claim, withdrawal = (body.decode("utf-8") for *_, body in redirecting.requests)
    assert "INSERT {" in claim and withdrawal.startswith("DELETE WHERE")


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_graph_store_get_is_not_redirected_to_another_host(stand_ins, monkeypatch, code):
    monkeypatch.setenv("KYOYAKU_USER", "city")
    monkeypatch.setenv("KYOYAKU_PASSWORD", "s3cret")
    elsewhere = stand_ins(answer(200, b"<urn:s> <urn:p> <urn:o> .\n", "application/n-triples"))
    redirecting = stand_ins(lambda handler: answer(code, headers={
        "Location": elsewhere.url(handler.path, host="localhost")})(handler))
    server = push_module._Server(redirecting.url("/store"), redirecting.url("/update"), 10, lambda s: None,
                              query=redirecting.url("/query"))
    with pytest.raises(EndpointError) as refused:
        server.get(URIRef("https://w3id.org/kyoyaku/graph/reference"))
    graph = "/store?graph=https%3A%2F%2Fw3id.org%2Fkyoyaku%2Fgraph%2Freference"
    assert str(refused.value) == (f"GET {redirecting.url(graph)}: "
                                  + REFUSED.format(code=code, target=elsewhere.url(graph, host="localhost")))
    assert elsewhere.requests == []


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_query_is_not_redirected_to_another_host(stand_ins, code):
    elsewhere = stand_ins(answer(200, b'{"head": {"vars": []}, "results": {"bindings": []}}'))
    redirecting = stand_ins(answer(code, headers={"Location": elsewhere.url("/sparql", host="localhost")}))
    with pytest.raises(EndpointError) as refused:
        run_remote(redirecting.url("/query"), find_query("area-sizes"))
    assert str(refused.value) == (f"{redirecting.url('/query')}: "
                                  + REFUSED.format(code=code, target=elsewhere.url("/sparql", host="localhost")))
    assert elsewhere.requests == []


@pytest.mark.parametrize("code", [307, 308])
def test_a_write_redirected_within_its_origin_is_sent_again_whole(stand_ins, monkeypatch, code):
    """307 and 308 keep the method and the body: followed on the same scheme, host and port."""
    monkeypatch.setenv("KYOYAKU_USER", "city")
    monkeypatch.setenv("KYOYAKU_PASSWORD", "s3cret")

    def respond(handler):
        if handler.path == "/update":
            answer(code, headers={"Location": "/dataset/update"})(handler)
        else:
            answer(204)(handler)

    server = stand_ins(respond)
    push_module._Server(server.url("/store"), server.url("/update"), 10, lambda s: None).update("CLEAR GRAPH <urn:g>")
    assert [(method, path, headers.get("Authorization"), body) for method, path, headers, body in server.requests] == [
        ("POST", "/update", BASIC, b"CLEAR GRAPH <urn:g>"), ("POST", "/dataset/update", BASIC, b"CLEAR GRAPH <urn:g>")]


@pytest.mark.parametrize("code", [301, 302, 303])
def test_a_write_redirected_as_a_get_is_refused(stand_ins, code):
    """urllib would send a POST on as a GET without its body: an update would silently do nothing."""
    server = stand_ins(answer(code, headers={"Location": "/elsewhere"}))
    with pytest.raises(EndpointError) as refused:
        push_module._Server(server.url("/store"), server.url("/update"), 10, lambda s: None).update("CLEAR ALL")
    assert str(refused.value) == (f"POST {server.url('/update')}: the server redirects ({code}) a POST to "
                                  f"{server.url('/elsewhere')}, which would send it on as a GET without its body: "
                                  "give that URL instead")
    assert [path for _, path, _, _ in server.requests] == ["/update"]


def test_a_query_redirected_within_its_origin_is_answered(stand_ins):
    rows = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "x"}}]}}'
    server = stand_ins(lambda handler: (answer(308, headers={"Location": "/sparql"}) if handler.path == "/query"
                                        else answer(200, rows))(handler))
    assert run_remote(server.url("/query"), find_query("area-sizes")).rows == [["x"]]
    assert [(method, path) for method, path, _, _ in server.requests] == [("POST", "/query"), ("POST", "/sparql")]
    assert server.requests[0][3] == server.requests[1][3]  # the query went along


# --- malformed SPARQL JSON: one line, exit 2 ------------------------------------------------------------

HEAD_N = '{"head": {"vars": ["n"]}, '
DEEP = 100_000
MALFORMED = {  # shape: (body, the message after "{url}: ")
    "bindings as strings": (HEAD_N + '"results": {"bindings": ["a", "b"]}}',
                            'expected SPARQL JSON results whose results.bindings[0] is an object, found "a"'),
    "a binding without value": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal"}}]}}',
                                ("expected an RDF term (type uri, literal or bnode, a string value) at "
                                "results.bindings[0].n, found a JSON object")),
    "a value that is a number": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": 3}}]}}',
                                 ("expected an RDF term (type uri, literal or bnode, a string value) at "
                                 "results.bindings[0].n, found a JSON object")),
    "a term that is a string": (HEAD_N + '"results": {"bindings": [{"n": "x"}]}}',
                                ("expected an RDF term (type uri, literal or bnode, a string value) at "
                                'results.bindings[0].n, found "x"')),
    "an unknown term type": (HEAD_N + '"results": {"bindings": [{"n": {"type": "triple", "value": "x"}}]}}',
                             ("expected an RDF term (type uri, literal or bnode, a string value) at "
                             "results.bindings[0].n, found a JSON object")),
    "head.vars not a list": ('{"head": {"vars": "n"}, "results": {"bindings": []}}',
                             'expected SPARQL JSON results whose head.vars is a list of variable names, found "n"'),
    "head.vars holding numbers": ('{"head": {"vars": [1, 2]}, "results": {"bindings": []}}',
                                  ("expected SPARQL JSON results whose head.vars is a list of variable names, "
                                  "found a JSON array")),
    "bindings not a list": (HEAD_N + '"results": {"bindings": {"n": 1}}}',
                            "expected SPARQL JSON results whose results.bindings is a list, found a JSON object"),
    "results not an object": (HEAD_N + '"results": []}',
                              "expected SPARQL JSON results of a SELECT, found something else"),
    "an ASK's answer": ('{"head": {}, "boolean": true}', "expected SPARQL JSON results of a SELECT, found something else"),
    "a JSON array": ("[1, 2, 3]", "expected SPARQL JSON results of a SELECT, found something else"),
    "deep nesting": (HEAD_N + '"results": {"bindings": [' + "[" * DEEP + "]" * DEEP + "]}}",
                     "expected SPARQL JSON results, found JSON nested too deeply to read"),
    "a huge JSON number": (HEAD_N + '"results": {"bindings": []}, "n": ' + "7" * 5000 + "}",
                           ("expected SPARQL JSON results, found JSON Python cannot read "
                           "(Exceeds the limit (4300 digits) for integer string conversion)")),
    "a huge xsd:integer": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": "' + "7" * 5000
                           + '", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}',
                           "expected an integer of at most 4300 digits at results.bindings[0].n, found one of 5000"),
    "xsd:integer not a number": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": "abc", '
                                 '"datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}',
                                 'expected an xsd:integer value at results.bindings[0].n, found "abc"'),
    "xsd:decimal not a number": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": "1,5", '
                                 '"datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]}}',
                                 'expected an xsd:decimal value at results.bindings[0].n, found "1,5"'),
    "a datatype that is not a string": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": "1", '
                                        '"datatype": 5}}]}}',
                                        ("expected an RDF term (type uri, literal or bnode, a string value) at "
                                        "results.bindings[0].n, found a JSON object")),
    "invalid JSON": (HEAD_N + '"results": {"bindings": [}}', ("expected SPARQL JSON results, found invalid JSON at "
                     "line 1, column 52: Expecting value")),
    "not UTF-8": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": "\xff"}}]}}',
                  "expected SPARQL JSON results in UTF-8, found the byte 0xff at offset 87"),
    "cut off": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": "x"}',
                "the answer was cut off (the server's query timeout?)"),
    "cut off by Oxigraph's timeout": (HEAD_N + '"results": {"bindings": [{"n": {"type": "literal", "value": "x"}}, '
                                      "The SPARQL operation has been cancelled",
                                      "the answer was cut off (the server's query timeout?)"),
}


@pytest.mark.parametrize("shape", list(MALFORMED))
def test_a_malformed_answer_is_one_line_and_exit_2(stand_ins, capsys, shape):
    text, message = MALFORMED[shape]
    body = text.encode("latin-1") if shape == "not UTF-8" else text.encode("utf-8")
    server = stand_ins(answer(200, body))
    with pytest.raises(EndpointError) as refused:
        run_remote(server.url(), find_query("area-sizes"))
    assert str(refused.value) == f"{server.url()}: {message}"
    assert main(["query", "area-sizes", "--endpoint", server.url(), "--format", "csv"]) == 2
    assert capsys.readouterr() == ("", f"kyoyaku: {server.url()}: {message}\n")


def test_well_formed_answers_still_read_as_before(stand_ins):
    xsd = "http://www.w3.org/2001/XMLSchema#"
    bindings = [{"n": {"type": "literal", "value": "-12", "datatype": xsd + "integer"},
                 "d": {"type": "literal", "value": "2.5", "datatype": xsd + "decimal"},
                 "b": {"type": "literal", "value": "true", "datatype": xsd + "boolean"},
                 "i": {"type": "uri", "value": "https://w3id.org/kyoyaku/municipality/082015"},
                 "l": {"type": "literal", "value": "水戸市", "xml:lang": "ja"}},
                {"n": {"type": "typed-literal", "value": "7" * 4300, "datatype": xsd + "integer"},
                 "d": {"type": "literal", "value": "INF", "datatype": xsd + "double"}}]
    body = json.dumps({"head": {"vars": ["n", "d", "b", "i", "l"]}, "results": {"bindings": bindings}})
    server = stand_ins(answer(200, body.encode("utf-8"), "application/sparql-results+json; charset=utf-8"))
    table = run_remote(server.url(), find_query("area-sizes"))
    assert table.columns == ["n", "d", "b", "i", "l"]
    assert table.rows == [[-12, 2.5, True, "https://w3id.org/kyoyaku/municipality/082015", "水戸市"],
                          [int("7" * 4300), float("inf"), None, None, None]]


# --- --timeout is a deadline for the whole answer ---------------------------------------------------------


def trickle(where: str):
    """An answer that never ends: one byte a second, in the headers or in the body."""

    def respond(handler):
        head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                b"Content-Length: 1000000\r\n\r\n")
        body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [' + b" " * 1_000_000
        stream = (head + body) if where == "headers" else body
        if where == "body":
            handler.wfile.write(head)
        for byte in stream[:120]:  # two minutes at most: the client must be gone long before
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return  # the client hung up
            time.sleep(1)

    return respond


@pytest.mark.parametrize("where", ["headers", "body"])
def test_query_timeout_is_a_deadline_for_the_whole_answer(stand_ins, where):
    server = stand_ins(trickle(where))
    began = time.monotonic()
    done = cli("query", "area-sizes", "--endpoint", server.url(), "--timeout", 2)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"kyoyaku: {server.url()}: timed out: no complete answer within 2 s\n"
    assert time.monotonic() - began < 100  # bounded: the trickle alone lasts two minutes


def test_each_push_request_has_a_deadline_for_its_whole_answer(stand_ins):
    server = stand_ins(trickle("body"))
    waits = []
    graph_store = push_module._Server(server.url("/store"), server.url("/update"), 1, waits.append)
    with pytest.raises(EndpointError) as timed_out:
        graph_store.get(URIRef("https://w3id.org/kyoyaku/graph/reference"))
    assert str(timed_out.value) == (f"GET {server.url('/store')}?graph=https%3A%2F%2Fw3id.org%2Fkyoyaku%2Fgraph"
                                    "%2Freference: timed out: no complete answer within 1 s")
    assert waits == [0.5, 1, 2, 4] and len(server.requests) == 5  # each attempt had its own second


def test_a_graph_store_answer_that_is_not_n_triples_is_one_line(stand_ins):
    server = stand_ins(answer(200, b"<html>not N-Triples</html>\n", "application/n-triples"))
    graph_store = push_module._Server(server.url("/store"), server.url("/update"), 10, lambda s: None)
    with pytest.raises(EndpointError) as refused:
        graph_store.get(URIRef("urn:g"))
    assert str(refused.value) == (f"GET {server.url('/store')}?graph=urn%3Ag: expected N-Triples, found Invalid line: "
                                  "<html>not N-Triples</html>")
