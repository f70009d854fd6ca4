"""The HTTP front of `kyoyaku serve`: the published tree with content negotiation, and the SPARQL
endpoint of the Oxigraph server behind it.

- `/query` is passed to the Oxigraph server (read-only) and its answer streamed to the client in
  chunks as it arrives. An answer cut off — by the query timeout, which this front enforces itself
  because the Oxigraph server does not stop every streaming query, or by the Oxigraph server's own
  timeout, which ends an HTTP 200 with a message in place of the rest of the results — is ended
  without the final chunk, so the client sees an incomplete answer (an error), never short results.
- Nothing is written through the front: POST elsewhere than /query, PUT, DELETE, PATCH → 405.
- A document (`/agreement/082015-082368/2022-02-21.ttl`, `.jsonld`, `.nt`, `.html`, the dumps, the
  report …) is answered 200 with its media type.
- A resource IRI under the base (`/agreement/082015-082368/2022-02-21`: the agreement, not a
  document about it) is answered 303 See Other to the document in the format the `Accept` header
  prefers (HTML by default); a part of an agreement (`…/2022-02-21/art_3__para_2`) goes to its
  agreement's document, to the part's anchor in the HTML.
"""

from __future__ import annotations

import http.client
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".gz": "application/gzip",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
CHUNK = 64 * 1024
# what the Oxigraph server writes at the end of an HTTP 200 it cuts off at its --timeout-s
OXIGRAPH_CANCELLED = b"The SPARQL operation has been cancelled"
# Accept media type → the document suffix that answers it
NEGOTIATED = {"text/html": ".html", "application/xhtml+xml": ".html", "text/turtle": ".ttl",
              "application/ld+json": ".jsonld", "application/json": ".jsonld", "application/n-triples": ".nt"}


def preferred_suffix(accept: str | None) -> str | None:
    """The suffix of the best format for an Accept header (q-values honoured; */* and none → HTML);
    None when nothing acceptable is available."""
    if not accept:
        return ".html"
    choices = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        suffix = NEGOTIATED.get(media.lower()) or (".html" if media in {"*/*", "text/*"} else None)
        if suffix and q > 0:
            choices.append((-q, position, suffix))
    return min(choices)[2] if choices else None


def make_server(host: str, port: int, site: Path, sparql: str, query_timeout: float = 60) -> ThreadingHTTPServer:
    """A server for `site` (the build's output directory) that passes /query to `sparql` and cuts
    each answer off `query_timeout` seconds after its request arrived."""

    class Handler(_Handler):
        root = site.resolve()
        sparql_url = sparql
        timeout_s = query_timeout

    return (_IPv6Server if ":" in host else _Server)((host, port), Handler)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients connecting at once wait instead of being refused (default 5)


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    root: Path
    sparql_url: str
    timeout_s: float
    server_version = "kyoyaku"
    protocol_version = "HTTP/1.1"  # chunked answers: a streamed result that stops short is seen as incomplete
    timeout = 120  # seconds a client may leave its connection idle, or stop reading, before it is closed

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._answer(head=False)

    def do_HEAD(self):
        self._answer(head=True)

    def do_POST(self):
        if urlsplit(self.path).path == "/query":
            return self._proxy()
        self._refuse("only /query accepts POST")

    def do_PUT(self):
        self._refuse("read-only: nothing is written through this server")

    do_DELETE = do_PATCH = do_PUT

    def _refuse(self, reason: str) -> None:
        self.close_connection = True  # the request's body was not read: it must not be taken for the next request
        self._send(405, f"{reason}\n".encode(), "text/plain; charset=utf-8", extra={"Allow": "GET, HEAD, POST"})

    def _answer(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/query":
            return self._proxy()
        relative = path.lstrip("/") or "index.html"
        target = (self.root / relative).resolve()
        if self.root not in target.parents and target != self.root:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8")
        if target.is_file():
            body = target.read_bytes()
            return self._send(200, b"" if head else body, MEDIA_TYPES.get(target.suffix, "application/octet-stream"),
                              length=len(body))
        document, fragment = self._document_of(relative)
        if document is None:
            return self._send(404, b"not found\n", "text/plain; charset=utf-8")
        suffix = preferred_suffix(self.headers.get("Accept"))
        if suffix is None:
            return self._send(406, b"available: text/html, text/turtle, application/ld+json, application/n-triples\n",
                              "text/plain; charset=utf-8")
        location = "/" + document + suffix + (f"#{fragment}" if fragment and suffix == ".html" else "")
        self._send(303, b"", None, extra={"Location": location, "Vary": "Accept"})

    def _document_of(self, relative: str) -> tuple[str | None, str | None]:
        """The document stem of a resource path, and the anchor of a part within it."""
        if (self.root / f"{relative}.html").is_file():
            return relative, None
        head, _, _ = relative.rpartition("/")
        while head:
            if (self.root / f"{head}.html").is_file():
                return head, relative[len(head) + 1:]
            head, _, _ = head.rpartition("/")
        return None, None

    def _proxy(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in {"accept", "content-type"}}
        query = urlsplit(self.path).query
        upstream = urlsplit(self.sparql_url)
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=self.timeout_s)
        try:
            connection.request(self.command, upstream.path + (f"?{query}" if query else ""), body=body,
                               headers=headers)
            stream = connection.sock  # kept: the connection forgets it once the answer says it will close
            response = connection.getresponse()
        except TimeoutError:
            return self._send(504, b"the query timed out\n", "text/plain; charset=utf-8")
        except (OSError, http.client.HTTPException) as e:
            return self._send(502, f"the SPARQL server did not answer: {e}\n".encode(), "text/plain; charset=utf-8")
        try:
            self._relay(response, stream, deadline)
        finally:
            connection.close()

    def _relay(self, response: http.client.HTTPResponse, stream: socket.socket, deadline: float) -> None:
        """Pass the answer on as it arrives; one that does not end well within the deadline is left
        without its last chunk (HTTP/1.0 clients: the connection closes either way)."""
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
            return
        tail = b""
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                stream.settimeout(remaining)
                piece = response.read1(CHUNK)
                if not piece:
                    if tail.rstrip().endswith(OXIGRAPH_CANCELLED):
                        break
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                    return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                tail = (tail + piece)[-2 * len(OXIGRAPH_CANCELLED):]
        except (OSError, http.client.HTTPException):
            pass  # the server stopped answering in time, or the client went away
        self.close_connection = True

    def _send(self, status: int, body: bytes, content_type: str | None, length: int | None = None,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()
        self.wfile.write(body)
