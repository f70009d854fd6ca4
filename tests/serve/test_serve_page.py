"""`kyoyaku serve` for people and for pages on other origins (issue 22, item 4): CORS headers on
every answer and the preflight (OPTIONS), HEAD on every path, the service description naming the
public URL (never the Oxigraph server's own port), and the query page a browser gets at /query."""

from __future__ import annotations

import http.client
import re
import urllib.parse

import pytest
from rdflib import Graph, Namespace

from ..conftest import cli, free_port
from .test_serve_front import FORM, Served, dechunk, request

pytestmark = pytest.mark.server
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ORIGIN = "Origin: https://dashboard.example\r\n"  # a page on another origin


@pytest.fixture(scope="module")
def served(corpus, tmp_path_factory):
    """`kyoyaku serve` over the corpus data and its site, default public URL."""
    log = tmp_path_factory.mktemp("serve-page") / "stderr.txt"
    server = Served(["--data", str(corpus[0] / "kyoyaku.ttl")], log)
    yield server
    server.stop()


# --- CORS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_endpoint_answers_other_origins(served, corpus, method):
    if method == "GET":
        answer = request(served.port, "GET", "/query?" + urllib.parse.urlencode({"query": COUNT}), accept="text/csv",
                         extra=ORIGIN)
    else:
        answer = request(served.port, "POST", "/query", urllib.parse.urlencode({"query": COUNT}).encode(), FORM,
                         "text/csv", extra=ORIGIN)
    status, headers, body = answer
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert dechunk(body) == f"n\r\n{len(corpus[1])}\r\n".encode()


def test_a_refusal_is_readable_from_another_origin(served):
    status, headers, body = request(served.port, "POST", "/query", b"query=SELECT", FORM, extra=ORIGIN)
    assert status == 400 and headers["access-control-allow-origin"] == "*" and body.count(b"\n") == 1


def test_the_preflight_allows_a_post_with_its_content_type(served):
    status, headers, body = request(served.port, "OPTIONS", "/query", extra=ORIGIN
                                    + "Access-Control-Request-Method: POST\r\n"
                                    + "Access-Control-Request-Headers: content-type, accept\r\n")
    assert (status, body) == (204, b"")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
    assert headers["access-control-allow-headers"] == "Content-Type, Accept"
    assert headers["access-control-max-age"] == "86400"


def test_documents_are_readable_from_another_origin(served):
    status, headers, _ = request(served.port, "GET", "/kyoyaku.ttl", extra=ORIGIN)
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    status, headers, body = request(served.port, "OPTIONS", "/kyoyaku.ttl", extra=ORIGIN)
    assert (status, body, headers["access-control-allow-methods"]) == (204, b"", "GET, HEAD, OPTIONS")


# --- the service description names the public URL ------------------------------------------------

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def fetch(port: int, method: str, target: str, headers: dict[str, str] | None = None,
          body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """A request as an HTTP client sends it (Host: 127.0.0.1:PORT unless given): status, headers
    (names in lower case), body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def described_endpoints(port: int, accept: str | None, host: str | None = None) -> tuple[list[str], str]:
    """The sd:endpoint values of the description at /query, and the description's text."""
    status, headers, body = fetch(port, "GET", "/query", {**({"Accept": accept} if accept else {}),
                                                          **({"Host": host} if host else {})})
    assert status == 200, body
    kind = headers["content-type"].split(";")[0]
    graph = Graph().parse(data=body.decode("utf-8"), format={"text/turtle": "turtle", "application/n-triples": "nt",
                                                             "application/ld+json": "json-ld"}[kind])
    assert (None, SD.feature, SD.BasicFederatedQuery) not in graph  # SERVICE is refused: not claimed
    return sorted(str(o) for o in graph.objects(None, SD.endpoint)), body.decode("utf-8")


@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle", "application/n-triples", "application/ld+json"])
def test_the_service_description_names_the_address_serve_listens_on(served, accept):
    endpoints, text = described_endpoints(served.port, accept)
    assert endpoints == [f"http://127.0.0.1:{served.port}/query"]
    ports = set(re.findall(r"127\.0\.0\.1:(\d+)", text))
    assert ports == {str(served.port)}  # never the Oxigraph server's own port


def test_the_service_description_names_the_host_the_client_reached(served):
    endpoints, _ = described_endpoints(served.port, "text/turtle", host=f"localhost:{served.port}")
    assert endpoints == [f"http://localhost:{served.port}/query"]


def test_public_url_names_the_endpoint_behind_a_proxy(corpus, tmp_path):
    server = Served(["--data", str(corpus[0] / "kyoyaku.ttl"), "--public-url", "https://data.example.org/kyoyaku/"],
                    tmp_path / "log.txt")
    try:
        lines = [server.process.stdout.readline() for _ in range(2)]
        assert lines[1] == "public URL: https://data.example.org/kyoyaku/query (named in the service description)\n"
        endpoints, text = described_endpoints(server.port, "text/turtle", host=f"127.0.0.1:{server.port}")
        assert endpoints == ["https://data.example.org/kyoyaku/query"] and "127.0.0.1" not in text
    finally:
        server.stop()


@pytest.mark.parametrize("url", ["data.example.org", "ftp://data.example.org/", "https://data.example.org/?a=1",
                                 "https://", "https://data.example.org/#top"])
def test_a_public_url_that_is_not_one_is_exit_2_in_one_line(url):
    result = cli("serve", "--public-url", url, "--port", str(free_port()))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"kyoyaku: --public-url {url}: expected an http:// or https:// URL without query or "
                             "fragment, e.g. https://example.org/kyoyaku\n"), result.stderr
