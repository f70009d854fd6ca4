"""The HTTP front of `kyoyaku serve`: the published tree with content negotiation, and the SPARQL
endpoint of the Oxigraph server behind it.

- `/query` is passed to the Oxigraph server (read-only).
- A document (`/agreement/082015-082368/2022-02-21.ttl`, `.jsonld`, `.nt`, `.html`, the dumps, the
  report …) is answered 200 with its media type.
- A resource IRI under the base (`/agreement/082015-082368/2022-02-21`: the agreement, not a
  document about it) is answered 303 See Other to the document in the format the `Accept` header
  prefers (HTML by default); a part of an agreement (`…/2022-02-21/art_3__para_2`) goes to its
  agreement's document, to the part's anchor in the HTML.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
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


def make_server(host: str, port: int, site: Path, sparql: str) -> ThreadingHTTPServer:
    """A server for `site` (the build's output directory) that passes /query to `sparql`."""

    class Handler(_Handler):
        root = site.resolve()
        sparql_url = sparql

    server_class = _IPv6Server if ":" in host else ThreadingHTTPServer
    server = server_class((host, port), Handler)
    server.daemon_threads = True
    return server


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    root: Path
    sparql_url: str
    server_version = "kyoyaku"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._answer(head=False)

    def do_HEAD(self):
        self._answer(head=True)

    def do_POST(self):
        if urlsplit(self.path).path == "/query":
            return self._proxy()
        self._send(405, b"only /query accepts POST\n", "text/plain; charset=utf-8")

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
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in {"accept", "content-type"}}
        request = urllib.request.Request(self.sparql_url + (f"?{split.query}" if split.query else ""),
                                         data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request) as response:
                self._send(response.status, response.read(), response.headers.get("Content-Type"))
        except urllib.error.HTTPError as e:
            self._send(e.code, e.read(), e.headers.get("Content-Type"))

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
