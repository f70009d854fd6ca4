"""The HTTP front of `kyoyaku serve`: the published tree with content negotiation, and the SPARQL
endpoint of the Oxigraph server behind it.

- `/query` is passed to the Oxigraph server (read-only) and its answer streamed to the client in
  chunks as it arrives. An answer cut off — by the query timeout, which this front enforces itself
  because the Oxigraph server does not stop every streaming query, or by the Oxigraph server's own
  timeout, which ends an HTTP 200 with a message in place of the rest of the results — is ended
  without the final chunk, so the client sees an incomplete answer (an error), never short results.
- A GET of /query without a query is answered by the front itself: a browser (Accept: text/html)
  gets the query page (kyoyaku.serve.query_page, its script at /query.js, its examples bound at
  /query/examples/NAME), any other client the SPARQL service description (kyoyaku.serve.service),
  which names the endpoint by its public URL, never the Oxigraph server's own port.
- Each query is read by a SPARQL parser before it goes on (kyoyaku.sparql.query.operation, the parser of
  `kyoyaku query`), and passed to the Oxigraph server as exactly that text: one that would make
  the server fetch over the network (SERVICE; LOAD) is refused with 403, an update with 403, one
  the parser does not read with 400. The server never fetches what a client names.
- Requests are bounded: a body over `max_body` bytes is refused with 413 before it is read; a
  malformed request (a control character or NUL in the path, a path segment no file name can
  have, a Content-Length that is not a number) gets 400, one line, and no traceback in the log.
  HEAD is answered wherever GET is, with the same status and headers.
- The Oxigraph server is an `Upstream`: `kyoyaku serve` restarts it when it crashes or runs a
  query past the timeout (kyoyaku.serve.server.OxigraphServer); the request it failed gets a 5xx in one line.
- Nothing is written through the front: POST elsewhere than /query, PUT, DELETE, PATCH → 405.
- Every answer says `Access-Control-Allow-Origin: *` (CORS), so a page on another origin — a
  dashboard — can query the endpoint and read the documents; a preflight (OPTIONS) is answered 204
  with the methods and request headers allowed (ENDPOINT_METHODS at /query, DOCUMENT_METHODS elsewhere).
- A document (`/agreement/082015-082368/2022-02-21.ttl`, `.jsonld`, `.nt`, `.html`, the dumps, the
  report …) is answered 200 with its media type.
- A vocabulary IRI (`/ns`, whose terms `/ns#Agreement` are fragments of it, `/concept/policy-field`,
  `/concept/policy-field/tourism`, `/ontology/`, the version IRI `/ontology/0.1.0`) is answered 303
  to its document in the format asked for, as a resource is: kyoyaku.publish.ontodoc.vocabulary's
  `vocabulary_path` names it (one rule for the build and serve); an unknown one is 404.
- A resource IRI under the base (`/agreement/082015-082368/2022-02-21`: the agreement, not a
  document about it) is answered 303 See Other to the document in the format the `Accept` header
  prefers (HTML by default); a part of an agreement (`…/2022-02-21/art_3__para_2`) goes to its
  agreement's document, to the part's anchor in the HTML. A format the client asks for that the
  resource has no document in (the catalog has no N-Triples …) is 406, naming the formats.
"""

from __future__ import annotations

import functools
import http.client
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from ..errors import KyoyakuError, UsageError
from ..publish.ontodoc.vocabulary import VOCABULARY, in_vocabulary, vocabulary_path
from ..sparql.http import OXIGRAPH_CANCELLED
from . import query_page as page
from .negotiation import MEDIA_TYPES, preferred_suffix
from .service import SERIALIZATIONS, endpoint_url, service_description

CHUNK = 64 * 1024
DEFAULT_MAX_BODY = 1024 * 1024  # bytes of a request body (a query sent by POST): --max-body
MAX_SEGMENT_BYTES = 255  # the longest file name (NAME_MAX): a longer path segment names no document
MAX_PATH_BYTES = 4096  # PATH_MAX
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# SPARQL 1.1 Protocol parameters that choose the dataset; Oxigraph reads them from its store, never
# fetches them (checked: tests/serve/test_serve_front.py). Every other parameter but `query` is dropped.
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
# CORS: what a page on another origin may send (a preflight asks before a POST or an Accept it
# does not take for granted); the data are public and read-only, so any origin may read them
ENDPOINT_METHODS = "GET, POST, OPTIONS"
DOCUMENT_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_REQUEST_HEADERS = "Content-Type, Accept"
PREFLIGHT_MAX_AGE = "86400"  # seconds a browser may remember the preflight's answer
CHECKED_CACHE_CHARS = 8192  # parsed query texts up to this long are remembered (a client repeats its queries)


class Upstream:
    """The SPARQL server behind the front, at a fixed URL. kyoyaku.serve.server.OxigraphServer is the one
    `kyoyaku serve` runs and restarts: same methods."""

    def __init__(self, url: str):
        self.url = url

    def current(self) -> tuple[str, int]:
        """The query URL to send a request to, and the generation of the server behind it (raises
        KyoyakuError when there is none)."""
        return self.url, 0

    def failed(self, generation: int, what: str) -> str:
        """A request to `generation` got no complete answer (`what`: "timeout", "no answer");
        returns what was done about it, as words to end the client's one-line answer ("" for nothing)."""
        return ""


def make_server(host: str, port: int, site: Path, sparql: str | Upstream, query_timeout: float = 60,
                max_body: int = DEFAULT_MAX_BODY, public_url: str | None = None) -> ThreadingHTTPServer:
    """A server for `site` (the build's output directory) that passes /query to `sparql` (a URL, or
    an Upstream), cuts each answer off `query_timeout` seconds after its request arrived, and
    refuses request bodies over `max_body` bytes. Its endpoint is named `public_url` + /query in
    the service description (None: the address the client reached)."""

    class Handler(_Handler):
        root = site.resolve()
        upstream = sparql if isinstance(sparql, Upstream) else Upstream(sparql)
        timeout_s = query_timeout
        max_body_bytes = max_body
        public = public_url
        listening = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    return (_IPv6Server if ":" in host else _Server)((host, port), Handler)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients connecting at once wait instead of being refused (default 5)

    def handle_error(self, request, client_address):
        """One line in the log, never a traceback; a client that went away is not an error."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(f"kyoyaku serve: a request from {client_address[0]} failed: {type(error).__name__}: {error}",
                  file=sys.stderr, flush=True)


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


class Refused(Exception):
    """A request answered with `status` and a one-line reason, before anything goes upstream."""

    def __init__(self, status: int, reason: str):
        self.status = status
        self.reason = reason
        super().__init__(reason)


_parser_lock = threading.Lock()  # rdflib's parser is not known to be thread-safe; it holds the GIL anyway


def refusal(text: str) -> Refused | None:
    """Why a query text must not reach the Oxigraph server, else None: not read by the SPARQL
    parser (400), an update (403), or a SERVICE or LOAD, which the server would run by fetching
    the URL a client names (403)."""
    if len(text) <= CHECKED_CACHE_CHARS:
        return _remembered_refusal(text)
    return _refusal(text)


@functools.lru_cache(maxsize=512)
def _remembered_refusal(text: str) -> Refused | None:
    return _refusal(text)


def _refusal(text: str) -> Refused | None:
    from ..errors import InputError
    from ..sparql.query import Query, operation

    try:
        with _parser_lock:
            parsed = operation(Query("request", Path("query"), "", "", text))
    except InputError as e:
        where = f" (line {e.line})" if e.line else ""
        return Refused(400, f"not a SPARQL 1.1 query: {e.found}{where}")
    except RecursionError:
        return Refused(400, "not a SPARQL 1.1 query this server reads: nested too deeply")
    if parsed.fetches:
        return Refused(403, f"{', '.join(parsed.fetches)}: this server never fetches over the network for a "
                            "client (SERVICE and LOAD are refused)")
    if parsed.form == "UPDATE":
        return Refused(403, f"read-only: SPARQL Update ({', '.join(parsed.updates)}) is refused")
    return None


def _is_file(path: Path) -> bool:
    """Whether a document is there; a name the file system refuses (too long …) names none."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


class _Handler(BaseHTTPRequestHandler):
    root: Path
    upstream: Upstream
    timeout_s: float
    max_body_bytes: int
    public: str | None
    listening: str
    server_version = "kyoyaku"
    protocol_version = "HTTP/1.1"  # chunked answers: a streamed result that stops short is seen as incomplete
    timeout = 120  # seconds a client may leave its connection idle, or stop reading, before it is closed

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._guarded(self._answer)

    do_HEAD = do_GET

    def do_POST(self):
        self._guarded(self._post)

    def do_PUT(self):
        self._guarded(lambda: self._refuse_method("read-only: nothing is written through this server"))

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self):
        self._guarded(self._preflight)

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")  # every answer, refusals too: a dashboard reads why
        super().end_headers()

    def _preflight(self) -> None:
        """A CORS preflight (or any OPTIONS): what may be sent here, no body."""
        methods = ENDPOINT_METHODS if urlsplit(self.path).path == "/query" else DOCUMENT_METHODS
        self.send_response(204)
        for name, value in (("Allow", methods), ("Access-Control-Allow-Methods", methods),
                            ("Access-Control-Allow-Headers", ALLOWED_REQUEST_HEADERS),
                            ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE), ("Content-Length", "0")):
            self.send_header(name, value)
        self.end_headers()

    def _guarded(self, answer) -> None:
        """Answer the request, or a refusal in one line (the connection then closes: a body left
        unread must not be taken for the next request)."""
        try:
            self._check_target()
            answer()
        except Refused as refused:
            self.close_connection = True
            extra = {"Allow": "GET, HEAD, POST, OPTIONS"} if refused.status == 405 else None
            self._send(refused.status, f"{refused.reason}\n".encode(), "text/plain; charset=utf-8", extra=extra)

    def _refuse_method(self, reason: str) -> None:
        raise Refused(405, reason)

    def _post(self) -> None:
        if urlsplit(self.path).path != "/query":
            raise Refused(405, "only /query accepts POST")
        self._endpoint()

    def _check_target(self) -> None:
        """400 (414) for a path no document can have: a control character (NUL …), a segment longer
        than a file name can be, more bytes than a path can have."""
        path = unquote(urlsplit(self.path).path)
        if CONTROL.search(path):
            raise Refused(400, "a control character in the path")
        encoded = path.encode("utf-8", errors="surrogateescape")
        if len(encoded) > MAX_PATH_BYTES:
            raise Refused(414, f"the path is longer than {MAX_PATH_BYTES} bytes")
        if any(len(segment) > MAX_SEGMENT_BYTES for segment in encoded.split(b"/")):
            raise Refused(400, f"a path segment longer than {MAX_SEGMENT_BYTES} bytes")

    def _answer(self) -> None:
        head = self.command == "HEAD"
        path = unquote(urlsplit(self.path).path)
        if path == "/query":
            return self._endpoint()
        if path == page.SCRIPT_PATH:
            return self._send(200, page.QUERY_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        if path.startswith(page.EXAMPLES_PATH):
            return self._example(path[len(page.EXAMPLES_PATH):])
        relative = path.lstrip("/") or "index.html"
        target = (self.root / relative).resolve()
        if self.root not in target.parents and target != self.root:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8")
        if _is_file(target):
            body = target.read_bytes()
            return self._send(200, b"" if head else body, MEDIA_TYPES.get(target.suffix, "application/octet-stream"),
                              length=len(body))
        document, fragment = self._document_of(relative)
        if document is None:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8")
        suffix = preferred_suffix(self.headers.get("Accept"))
        if suffix is None or not _is_file(self.root / f"{document}{suffix}"):
            return self._send(406, b"available: text/html, text/turtle, application/ld+json, application/n-triples\n",
                              "text/plain; charset=utf-8", extra={"Vary": "Accept"})
        location = "/" + document + suffix + (f"#{fragment}" if fragment and suffix == ".html" else "")
        self._send(303, b"", None, extra={"Location": location, "Vary": "Accept"})

    def _document_of(self, relative: str) -> tuple[str | None, str | None]:
        """The document stem of a resource path, and the anchor of a part within it. A vocabulary IRI
        (…/ns, …/concept/policy-field/tourism, …/ontology/) has the one document vocabulary_path
        names, or none; a data IRI its own, or its nearest ancestor's (a part of an agreement)."""
        if in_vocabulary(VOCABULARY + relative):
            stem = vocabulary_path(VOCABULARY + relative)
            return (stem, None) if stem is not None and _is_file(self.root / f"{stem}.html") else (None, None)
        if _is_file(self.root / f"{relative}.html"):
            return relative, None
        head, _, _ = relative.rpartition("/")
        while head:
            if _is_file(self.root / f"{head}.html"):
                return head, relative[len(head) + 1:]
            head, _, _ = head.rpartition("/")
        return None, None

    def _body(self) -> bytes:
        """The request's body, read only when it has a valid Content-Length of at most max_body bytes."""
        if self.headers.get("Transfer-Encoding"):
            raise Refused(411, "send the body with a Content-Length (Transfer-Encoding is not accepted)")
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b""
        if len(lengths) > 1 or not re.fullmatch(r"[0-9]+", lengths[0].strip()):
            raise Refused(400, "Content-Length: expected one whole number of bytes")
        length = int(lengths[0])
        if length > self.max_body_bytes:
            raise Refused(413, f"the body is {length} bytes; this server takes at most {self.max_body_bytes}")
        body = self.rfile.read(length)
        if len(body) < length:
            raise Refused(400, f"the body ended after {len(body)} of its {length} bytes")
        return body

    def _query(self) -> tuple[str | None, list[tuple[str, str]]]:
        """The query text of the request (None for a GET without one) and its dataset parameters, as
        the SPARQL 1.1 Protocol sends them (URL, form body, or an application/sparql-query body) —
        or Refused: several queries, an update, a text that must not reach the server (`refusal`)."""
        try:
            fields = parse_qsl(urlsplit(self.path).query, keep_blank_values=True, errors="strict")
            if self.command == "POST":
                kind = self.headers.get_content_type()
                body = self._body()
                if kind == FORM:
                    fields += parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
                elif kind == SPARQL_QUERY:
                    fields.append(("query", body.decode("utf-8")))
                elif kind == SPARQL_UPDATE:
                    raise Refused(403, "read-only: SPARQL Update is refused")
                else:
                    raise Refused(415, f"a query comes as {SPARQL_QUERY} or as {FORM} (query=…), not {kind}")
        except UnicodeDecodeError:
            raise Refused(400, "the query is not UTF-8") from None
        if any(name == "update" for name, _ in fields):
            raise Refused(403, "read-only: SPARQL Update is refused")
        texts = [value for name, value in fields if name == "query"]
        if len(texts) > 1:
            raise Refused(400, "one query per request (several query= parameters)")
        dataset = [(name, value) for name, value in fields if name in DATASET_PARAMETERS]
        if not texts:
            if self.command == "POST":
                raise Refused(400, f"no query: send query=… ({FORM}) or an {SPARQL_QUERY} body")
            return None, dataset
        refused = refusal(texts[0])
        if refused is not None:
            raise refused
        return texts[0], dataset

    def _endpoint(self) -> None:
        """/query: a query goes to the Oxigraph server; without one, the service description."""
        text, dataset = self._query()
        if text is None:
            return self._describe()
        self._proxy(text, dataset)

    def _example(self, name: str) -> None:
        """A shipped query with the parameters of the request bound (the query page's examples)."""
        try:
            values = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True, errors="strict"))
        except UnicodeDecodeError:
            raise Refused(400, "the parameters are not UTF-8") from None
        try:
            text = page.example_text(name, values)
        except UsageError as e:
            raise Refused(400, str(e)) from None
        if text is None:
            return self._send(404, f"no shipped query named {name!r}\n".encode(), "text/plain; charset=utf-8")
        self._send(200, text.encode("utf-8"), f"{SPARQL_QUERY}; charset=utf-8")

    def _describe(self) -> None:
        """The query page for a browser; else the service description, naming the endpoint by its public URL, in the format asked for."""
        suffix = preferred_suffix(self.headers.get("Accept"), default=".ttl")
        if suffix == ".html":  # a browser: the query page
            return self._send(200, page.query_page(), MEDIA_TYPES[suffix], extra={"Vary": "Accept"})
        if suffix not in SERIALIZATIONS:
            return self._send(406, b"available: text/html, text/turtle, application/n-triples, application/ld+json\n",
                              "text/plain; charset=utf-8", extra={"Vary": "Accept"})
        body = service_description(endpoint_url(self.public, self.headers.get("Host"), self.listening), suffix)
        self._send(200, body, MEDIA_TYPES[suffix], extra={"Vary": "Accept"})

    def _proxy(self, text: str, dataset: list[tuple[str, str]]) -> None:
        deadline = time.monotonic() + self.timeout_s
        try:
            url, generation = self.upstream.current()
        except KyoyakuError as e:
            return self._send(503, f"the SPARQL server is not running: {e}\n".encode(), "text/plain; charset=utf-8")
        upstream = urlsplit(url)
        target = upstream.path + (f"?{urlencode(dataset)}" if dataset else "")
        headers = {"Accept": self.headers["Accept"]} if self.headers.get("Accept") else {}
        method, body = "POST", text.encode("utf-8")  # exactly the text that was checked, whatever way it came
        headers["Content-Type"] = f"{SPARQL_QUERY}; charset=utf-8"
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=self.timeout_s)
        try:
            connection.request(method, target, body=body, headers=headers)
            stream = connection.sock  # kept: the connection forgets it once the answer says it will close
            response = connection.getresponse()
        except TimeoutError:
            note = self.upstream.failed(generation, "timeout")
            return self._send(504, f"the query timed out{note}\n".encode(), "text/plain; charset=utf-8")
        except (OSError, http.client.HTTPException) as e:
            note = self.upstream.failed(generation, "no answer")
            return self._send(502, f"the SPARQL server did not answer: {e}{note}\n".encode(),
                              "text/plain; charset=utf-8")
        try:
            ending = self._relay(response, stream, deadline)
        finally:
            connection.close()
        if ending in {"timeout", "no answer"}:
            self._end_now()  # the client sees the incomplete answer before the server is dealt with
            self.upstream.failed(generation, ending)

    def _relay(self, response: http.client.HTTPResponse, stream: socket.socket, deadline: float) -> str:
        """Pass the answer on as it arrives; one that does not end well within the deadline is left
        without its last chunk (HTTP/1.0 clients: the connection closes either way). Returns how it
        ended: "complete", "timeout", "cancelled" (by Oxigraph's own timeout), "no answer" (the
        server stopped sending) or "client gone"."""
        chunked = self.request_version != "HTTP/1.0"
        self.send_response(response.status)
        if response.headers.get("Content-Type"):
            self.send_header("Content-Type", response.headers["Content-Type"])
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return "complete"
        ending = self._stream(response, stream, deadline, chunked)
        if ending != "complete":
            self.close_connection = True
        return ending

    def _stream(self, response: http.client.HTTPResponse, stream: socket.socket, deadline: float,
                chunked: bool) -> str:
        tail = b""
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                stream.settimeout(remaining)
                piece = response.read1(CHUNK)
            except TimeoutError:
                return "timeout"
            except (OSError, http.client.HTTPException):
                return "no answer"
            try:
                if not piece:
                    if tail.rstrip().endswith(OXIGRAPH_CANCELLED):
                        return "cancelled"
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                    return "complete"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            except OSError:
                return "client gone"
            tail = (tail + piece)[-2 * len(OXIGRAPH_CANCELLED):]
        return "timeout"

    def _end_now(self) -> None:
        """Close the client's side of the connection at once: it sees the answer end here."""
        try:
            self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _send(self, status: int, body: bytes, content_type: str | None, length: int | None = None,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
