"""`kyoyaku serve` for people and for pages on other origins (issue 22, item 4): CORS headers on
every answer and the preflight (OPTIONS), HEAD on every path, the service description naming the
public URL (never the Oxigraph server's own port), and the query page a browser gets at /query."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from html import escape
from pathlib import Path

import pytest
from rdflib import Graph, Namespace

import kyoyaku.serve
from kyoyaku.sparql.query import bind, find_query, list_queries, run

from ..conftest import B, cli, free_port
from ..publish.browser import chromium_browser  # noqa: F401 (the fixture)
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


# --- the query page ---------------------------------------------------------------------------------

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # Chromium's


def test_a_browser_gets_the_query_page_with_every_shipped_query(served):
    status, headers, body = fetch(served.port, "GET", "/query", {"Accept": BROWSER_ACCEPT})
    assert (status, headers["content-type"], headers["vary"]) == (200, "text/html; charset=utf-8", "Accept")
    page = body.decode("utf-8")
    assert '<html lang="ja">' in page
    assert '<h1>SPARQL 問い合わせ <span class="en" lang="en">SPARQL query</span></h1>' in page
    for shipped in list_queries():
        japanese, _, english = shipped.title.partition(" / ")
        assert (f'<button type="button" class="example" data-example="{shipped.name}">{escape(japanese)} '
                f'<span class="en" lang="en">{escape(english)}</span></button>') in page, shipped.name
        for parameter in shipped.parameters:
            assert (f'<input id="param-{shipped.name}-{parameter.name}" name="{parameter.name}" '
                    f'data-kind="{parameter.kind}"{"" if parameter.optional else " required"}') in page
    # nothing from elsewhere: the one script is serve's own
    assert re.findall(r'<script[^>]*src="([^"]*)"', page) == ["query.js"]
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page) and "<link" not in page


def test_the_page_script_is_served_by_serve(served):
    status, headers, body = fetch(served.port, "GET", "/query.js")
    assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    assert body == (Path(kyoyaku.serve.__file__).parent / "query_page.js").read_bytes()
    assert "http" not in re.sub(r"//.*", "", body.decode("utf-8"))  # nothing fetched from another address


def test_an_example_is_bound_as_kyoyaku_query_binds_it(served):
    municipality = B + "municipality/082015"
    status, headers, body = fetch(served.port, "GET", "/query/examples/agreements-of-municipality?"
                                  + urllib.parse.urlencode({"municipality": municipality}))
    assert (status, headers["content-type"]) == (200, "application/sparql-query; charset=utf-8")
    assert body.decode("utf-8") == bind(find_query("agreements-of-municipality"), {"municipality": municipality})
    status, _, body = fetch(served.port, "GET", "/query/examples/agreements-of-municipality?municipality=082015")
    assert (status, body) == (400, b"--param municipality: expected an absolute IRI, found '082015'\n")
    status, _, body = fetch(served.port, "GET", "/query/examples/agreements-of-municipality")
    assert (status, body) == (400, b"agreements-of-municipality needs --param municipality=\xe2\x80\xa6\n")
    status, _, body = fetch(served.port, "GET", "/query/examples/no-such-query")
    assert (status, body) == (404, b"no shipped query named 'no-such-query'\n")


def cell_text(value) -> str:
    """A value of the embedded store's table as the page's table shows it."""
    return "" if value is None else str(value)


def run_in_page(browser_page, name: str, values: dict[str, str]) -> None:
    """Pick the shipped query `name` on the page, fill its parameters, run it, wait for the rows."""
    browser_page.click(f'button.example[data-example="{name}"]')
    for parameter, value in values.items():
        browser_page.fill(f"#param-{name}-{parameter}", value)
    browser_page.click("#run")
    browser_page.wait_for_function("() => { const status = document.getElementById('status');"
                                   " return status.className === 'error' || / rows$/.test(status.textContent); }")


@pytest.mark.parametrize("name, values", [
    ("area-sizes", {}),
    ("agreements-of-municipality", {"municipality": B + "municipality/082368"}),
])
def test_a_shipped_query_run_in_a_browser_shows_the_embedded_stores_rows(served, corpus, name, values,
                                                                          chromium_browser):  # noqa: F811
    expected = run(corpus[1], find_query(name), values)
    assert expected.rows  # a table with rows, not an empty one that matches anything
    browser_page = chromium_browser.new_page()
    try:
        browser_page.goto(f"http://127.0.0.1:{served.port}/query")
        run_in_page(browser_page, name, values)
        assert browser_page.text_content("#status") == f"{len(expected.rows)} 行 / {len(expected.rows)} rows"
        assert browser_page.eval_on_selector_all("#results th", "cells => cells.map(c => c.textContent)") \
            == expected.columns
        shown = browser_page.eval_on_selector_all(
            "#results tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
        assert shown == [[cell_text(v) for v in row] for row in expected.rows]
        links = browser_page.eval_on_selector_all(
            "#results tbody a", "links => links.map(a => [a.getAttribute('href'), a.textContent])")
        iris = [v for row in expected.rows for v in row if isinstance(v, str) and v.startswith("https://w3id.org/")]
        assert links and [href for href, _ in links] == iris and all(href == text for href, text in links)
        if values:  # the box shows the query that ran, with its parameters bound
            assert browser_page.input_value("#query-text") == bind(find_query(name), values)
        with browser_page.expect_download() as download:
            browser_page.click("#download-csv")
        assert Path(download.value.path()).read_bytes() == query_csv(served.port, bind(find_query(name), values))
        with browser_page.expect_download() as download:
            browser_page.click("#download-json")
        answer = json.loads(Path(download.value.path()).read_bytes())
        assert answer["head"]["vars"] == expected.columns and len(answer["results"]["bindings"]) == len(expected.rows)
    finally:
        browser_page.close()


def query_csv(port: int, text: str) -> bytes:
    status, _, body = fetch(port, "POST", "/query", {"Content-Type": FORM, "Accept": "text/csv"},
                            urllib.parse.urlencode({"query": text}).encode())
    assert status == 200
    return body


def test_a_bad_parameter_is_shown_on_the_page_in_one_line(served, chromium_browser):  # noqa: F811 (the fixture)
    browser_page = chromium_browser.new_page()
    try:
        browser_page.goto(f"http://127.0.0.1:{served.port}/query")
        browser_page.click('button.example[data-example="agreements-of-municipality"]')
        browser_page.fill("#param-agreements-of-municipality-municipality", "082368")
        browser_page.click("#run")
        browser_page.wait_for_selector("#status.error")
        assert browser_page.text_content("#status") == "--param municipality: expected an absolute IRI, found '082368'"
        assert browser_page.inner_html("#results") == ""
    finally:
        browser_page.close()



# --- HEAD on every path -------------------------------------------------------------------------------

SEED_PATH = "/agreement/082015-082368/2022-02-21"


@pytest.mark.parametrize("target, accept, status", [
    ("/kyoyaku.ttl", None, 200),
    ("/", None, 200),
    (SEED_PATH + ".html", None, 200),
    (SEED_PATH, "text/turtle", 303),
    (SEED_PATH, "image/png", 406),
    ("/no/such/thing", None, 404),
    ("/query", BROWSER_ACCEPT, 200),
    ("/query", "text/turtle", 200),
    ("/query", "application/ld+json", 200),
    ("/query", "image/png", 406),
    ("/query?" + urllib.parse.urlencode({"query": COUNT}), "text/csv", 200),
    ("/query?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}), None, 400),
    ("/query.js", None, 200),
    ("/query/examples/area-sizes", None, 200),
    ("/query/examples/agreements-of-municipality", None, 400),
    ("/query/examples/no-such-query", None, 404),
], ids=["dump", "index", "document", "resource 303", "resource 406", "not found", "query page", "description",
        "description JSON-LD", "description 406", "query", "bad query", "script", "example", "example 400",
        "example 404"])
def test_head_has_the_headers_of_get_and_no_body(served, target, accept, status):
    got = request(served.port, "GET", target, accept=accept)
    head = request(served.port, "HEAD", target, accept=accept)
    assert got[0] == head[0] == status and head[2] == b"", (got[:2], head)
    assert got[2] != b"" or status == 303  # GET has the body HEAD leaves out (a 303 has none)
    assert {k: v for k, v in head[1].items() if k != "date"} == {k: v for k, v in got[1].items() if k != "date"}
