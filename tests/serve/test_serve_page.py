"""`kyoyaku serve` for people and for pages on other origins (issue 22, item 4): CORS headers on
every answer and the preflight (OPTIONS), HEAD on every path, the service description naming the
public URL (never the Oxigraph server's own port), and the query page a browser gets at /query."""

from __future__ import annotations

import urllib.parse

import pytest

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
