"""No network by surprise: loading RDF or JSON-LD never fetches a document or a context (over HTTP
or from a `file:`), `owl:imports` is never followed, RDF/XML is not read at all, and an endpoint's
answer is read only as SPARQL JSON (never parsed as XML, RDF/XML or JSON-LD).

A listener on 127.0.0.1 records every connection, from this process or from a `kyoyaku`
subprocess, and from Python or Rust (pyoxigraph) code alike; an audit hook records which files
Python opens. Every document here is synthetic (IRIs under https://example.org/synthetic/)."""

from __future__ import annotations

import ipaddress
import json
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph

from kyoyaku.cli import main
from kyoyaku.errors import EndpointError, InputError
from kyoyaku.sparql.query import find_query
from kyoyaku.sparql.remote import run_remote
from kyoyaku.sparql.store import load, open_store

EX = "https://example.org/synthetic/"
CONTEXT = {"@context": {"name": "https://example.org/synthetic/vocab#name"}}


# --- guards and instruments -----------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:  # a host name: resolving it would already ask a DNS server
        return False


@pytest.fixture(autouse=True)
def no_remote_connections(monkeypatch):
    """Any connection or name lookup from this process to something other than the loopback is
    refused and fails the test (pyoxigraph's Rust code is seen by the listeners instead)."""
    attempts = []
    real_connect, real_connect_ex, real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def guard(address):
        if isinstance(address, tuple) and not _is_loopback(str(address[0])):
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: no connection to {address!r}")

    def connect(sock, address):
        guard(address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        guard(address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, port, *args, **kwargs):
        if host is not None:
            guard((host if isinstance(host, str) else host.decode(), port))
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert attempts == [], f"connections beyond the loopback: {attempts}"


def test_the_guard_refuses_a_remote_connection(no_remote_connections):
    with pytest.raises(ConnectionRefusedError, match="test guard"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: never reached anyway
    assert no_remote_connections == [("192.0.2.1", 80)]
    no_remote_connections.clear()  # seen: the fixture's final check is for unexpected ones


class LoopbackServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that records every connection it accepts and every request.
    `answer(handler) -> (status, content type, body)` makes the responses; by default a JSON-LD
    context, as a server of contexts would send."""

    daemon_threads = True

    def __init__(self, answer=None):
        self.connections: list[tuple] = []
        self.requests: list[tuple[str, str, bytes]] = []  # (method, path, body)
        self.answer = answer or (lambda handler: (200, "application/ld+json", json.dumps(CONTEXT).encode()))
        super().__init__(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def verify_request(self, request, client_address) -> bool:
        self.connections.append(client_address)
        return True


class _Handler(BaseHTTPRequestHandler):
    def _respond(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append((self.command, self.path, self.rfile.read(length)))
        status, content_type, body = self.server.answer(self)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _respond

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def listener():
    server = LoopbackServer()
    server.thread.start()
    yield server
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_OPENED: list[str] = []
_WATCHED: list[str] = []  # path fragments whose opening is recorded
_HOOKS: list = []  # audit hooks cannot be removed: added once per session


def _audit(event: str, args: tuple) -> None:
    if _WATCHED and event == "open" and isinstance(args[0], (str, bytes, Path)):
        name = str(args[0])
        if any(fragment in name for fragment in _WATCHED):
            _OPENED.append(name)


@pytest.fixture
def opened():
    """The files whose names hold one of the watched fragments that Python code opened (audit hook:
    added once, inert unless a test watches)."""
    if _audit not in _HOOKS:
        sys.addaudithook(_audit)
        _HOOKS.append(_audit)
    _OPENED.clear()

    def watch(fragment: str) -> list[str]:
        _WATCHED.append(fragment)
        return _OPENED

    yield watch
    _WATCHED.clear()


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def node(**extra) -> dict:
    return {"@id": EX + "node/1", "name": "合成データ (synthetic)", **extra}


# --- JSON-LD contexts -----------------------------------------------------------------------------


def test_rdflib_alone_would_fetch_a_remote_context(tmp_path, listener):
    """Why the guard exists — and proof that the listener sees a fetch when there is one."""
    document = write_json(tmp_path / "remote.jsonld", {"@context": listener.url + "/context.jsonld", **node()})
    graph = Graph().parse(document, format="json-ld")
    assert len(listener.connections) == 1 and listener.requests[0][:2] == ("GET", "/context.jsonld")
    assert [str(o) for o in graph.objects()] == ["合成データ (synthetic)"]


def test_rdflib_alone_would_read_a_file_context(tmp_path, opened):
    context = write_json(tmp_path / "kyoyaku-probe-context.jsonld", CONTEXT)
    document = write_json(tmp_path / "local.jsonld", {"@context": context.as_uri(), **node()})
    seen = opened("kyoyaku-probe-context")
    Graph().parse(document, format="json-ld")
    assert str(context) in seen


def remote_documents(url: str, file_context: Path) -> dict[str, tuple[dict, str, int]]:
    """name → (document, the context reference kyoyaku must refuse, its line in the file)."""
    iri = url + "/context.jsonld"
    embedded = CONTEXT["@context"]
    return {
        "context IRI": ({"@context": iri, **node()}, iri, 2),
        "IRI in a context list": ({"@context": [embedded, iri], **node()}, iri, 6),
        "@import in a context": ({"@context": {"@version": 1.1, "@import": iri}, **node()}, iri, 4),
        "scoped context of a term": ({"@context": {"@version": 1.1, "knows": {"@id": EX + "vocab#knows",
                                                                             "@context": iri}},
                                      **node(knows={"name": "x"})}, iri, 6),
        "context of a node in @graph": ({"@context": embedded, "@graph": [{"@context": iri, **node()}]}, iri, 7),
        "file: IRI": ({"@context": file_context.as_uri(), **node()}, file_context.as_uri(), 2),
        "relative IRI (a file beside it)": ({"@context": file_context.name, **node()}, file_context.name, 2),
    }


@pytest.mark.parametrize("case", list(remote_documents("http://h", Path("/c.jsonld"))))
@pytest.mark.parametrize("reader", [load, open_store], ids=["load", "open_store"])
def test_a_context_reference_is_refused_unfetched(tmp_path, listener, opened, case, reader):
    context = write_json(tmp_path / "kyoyaku-probe-context.jsonld", CONTEXT)
    document, reference, line = remote_documents(listener.url, context)[case]
    path = write_json(tmp_path / "x.jsonld", document)
    seen = opened("kyoyaku-probe-context")
    with pytest.raises(InputError) as refused:
        reader([path])
    assert (refused.value.path, refused.value.line) == (str(path), line)
    assert refused.value.found.endswith(f": {reference}")
    assert "never fetches" in refused.value.expected
    assert listener.connections == [] and seen == []


def test_a_context_on_a_port_with_nothing_listening_is_refused_by_name(tmp_path):
    iri = f"http://127.0.0.1:{closed_port()}/context.jsonld"
    path = write_json(tmp_path / "x.jsonld", {"@context": iri, **node()})
    with pytest.raises(InputError, match="x.jsonld:2: expected a JSON-LD context embedded") as refused:
        load([path])
    assert refused.value.found == f"@context: {iri}"


def test_embedded_contexts_load_as_before(tmp_path):
    document = {"@context": [None, CONTEXT["@context"]], "@graph": [node(), {"@id": EX + "node/2", "name": "二"}]}
    path = write_json(tmp_path / "embedded.jsonld", document)
    names = {(str(s), str(o)) for s, _, o in load([path])}
    assert names == {(EX + "node/1", "合成データ (synthetic)"), (EX + "node/2", "二")}
    store = open_store([path], with_reference=False)
    assert sorted(q.object.value for q in store) == ["二", "合成データ (synthetic)"]


def test_json_nested_beyond_the_recursion_limit_is_an_input_error(tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match="deep.jsonld: expected valid json-ld"):
        load([path])


@pytest.mark.parametrize("command", [["validate"], ["query", "keyword-search", "--param", "keyword=x", "--data"]],
                         ids=["validate", "query --data"])
def test_the_cli_refuses_a_remote_context_with_exit_2(tmp_path, listener, capsys, command):
    iri = listener.url + "/context.jsonld"
    path = write_json(tmp_path / "x.jsonld", {"@context": iri, **node()})
    assert main([*command, str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"kyoyaku: {path}:2: expected a JSON-LD context embedded in the document (kyoyaku never "
                   f"fetches one), found '@context: {iri}'\n")
    assert listener.connections == []


def test_the_installed_command_fetches_nothing_either(tmp_path, listener):
    """The real entry point in its own process (not covered by this process's socket guard)."""
    path = write_json(tmp_path / "x.jsonld", {"@context": [CONTEXT["@context"], listener.url + "/c.jsonld"], **node()})
    done = subprocess.run([sys.executable, "-m", "kyoyaku.cli", "validate", str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 2 and "never fetches" in done.stderr and "Traceback" not in done.stderr
    assert listener.connections == []


def test_a_url_is_never_loaded_as_a_file(listener):
    for reader in (load, open_store):
        with pytest.raises(InputError, match="no such file"):
            reader([listener.url + "/data.ttl"])
    assert listener.connections == []


# --- owl:imports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_owl_imports_is_never_followed(tmp_path, listener, capsys, engine):
    path = tmp_path / "imports.ttl"
    path.write_text(f"<{EX}ontology> <http://www.w3.org/2002/07/owl#imports> <{listener.url}/ontology.ttl> .\n",
                    encoding="utf-8")
    assert main(["validate", "--engine", engine, str(path)]) == 0
    assert capsys.readouterr().out == "conforms\n"
    assert listener.connections == []


# --- XML ------------------------------------------------------------------------------------------


def xxe(secret: Path) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{secret.as_uri()}">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/synthetic/">'
            f'<rdf:Description rdf:about="{EX}x"><ex:p>&e;</ex:p></rdf:Description></rdf:RDF>\n')


@pytest.mark.parametrize("suffix", [".rdf", ".xml", ".owl"])
def test_rdf_xml_is_not_read_at_all(tmp_path, capsys, opened, suffix):
    secret = tmp_path / "kyoyaku-probe-secret.txt"
    secret.write_text("SYNTHETIC-SECRET-7f3a\n", encoding="utf-8")
    path = tmp_path / f"x{suffix}"
    path.write_text(xxe(secret), encoding="utf-8")
    seen = opened("kyoyaku-probe-secret")
    with pytest.raises(InputError, match=rf"x\{suffix}: expected an RDF file \(\.json, \.jsonld, \.nq, \.nt, \.trig, \.ttl\)"):
        load([path])
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "SYNTHETIC-SECRET" not in out + err and seen == []


@pytest.mark.parametrize("content_type,body", [
    ("application/sparql-results+xml", "xxe"),
    ("application/rdf+xml", "xxe"),
    ("application/ld+json", "remote context"),
    ("text/html", "<html><body>not results</body></html>"),
])
def test_an_endpoint_answer_is_read_as_sparql_json_only(tmp_path, opened, content_type, body):
    secret = tmp_path / "kyoyaku-probe-secret.txt"
    secret.write_text("SYNTHETIC-SECRET-7f3a\n", encoding="utf-8")
    contexts = LoopbackServer()  # where a JSON-LD answer's context would be fetched from
    contexts.thread.start()
    text = {"xxe": xxe(secret), "remote context": json.dumps({"@context": contexts.url + "/c.jsonld", **node()})}
    endpoint = LoopbackServer(lambda handler: (200, content_type, text.get(body, body).encode("utf-8")))
    endpoint.thread.start()
    seen = opened("kyoyaku-probe-secret")
    try:
        with pytest.raises(EndpointError) as refused:
            run_remote(endpoint.url + "/query", find_query("area-sizes"))
    finally:
        for server in (contexts, endpoint):
            server.shutdown()
            server.server_close()
    assert str(refused.value) == f"{endpoint.url}/query: expected SPARQL JSON results, found {content_type}"
    assert len(endpoint.requests) == 1 and contexts.connections == [] and seen == []
