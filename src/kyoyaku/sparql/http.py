"""One HTTP exchange with a remote SPARQL server, for `query --endpoint` (sparql.remote) and `push`
(sparql.push): `fetch` sends a request and reads its whole answer, or raises `Failure` saying why
in one line.

Every request, and the whole answer to it, must arrive within `timeout` seconds: a total deadline,
not a limit per read (a server sending one byte a second would otherwise hold a client forever).
Redirects are followed only within one origin (scheme, host and port), so the credentials, the
query and the data go only to the server they were sent to.
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from .. import __version__

USER_AGENT = f"kyoyaku/{__version__} (+https://w3id.org/kyoyaku/)"
# what the Oxigraph server writes at the end of an HTTP 200 it cuts off at its --timeout-s
OXIGRAPH_CANCELLED = b"The SPARQL operation has been cancelled"


class Failure(Exception):
    """A request that got no usable answer: `reason` says why in one line; `transient` whether
    trying again may help (5xx answers, connection errors, timeouts); `status` the HTTP status."""

    def __init__(self, reason: str, transient: bool = False, status: int | None = None):
        super().__init__(reason)
        self.reason, self.transient, self.status = reason, transient, status


def fetch(request: urllib.request.Request, timeout: float) -> tuple[int, str, bytes]:
    """Send `request`; (status, Content-Type, body) of its 2xx answer, else Failure. Connecting,
    sending and reading every byte of the answer (redirects included) must end within `timeout`
    seconds: each socket operation may only take the time left."""
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_DeadlineHTTPHandler(deadline), _DeadlineHTTPSHandler(deadline),
                                         _SameOriginRedirects())
    try:
        with opener.open(request) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as e:
        e.close()
        raise Failure(f"HTTP {e.code} {e.reason}", transient=e.code >= 500, status=e.code) from None
    except http.client.IncompleteRead:
        # the Oxigraph server streams: a query cut by its timeout arrives through `kyoyaku serve` as a
        # 200 whose chunked body stops short
        raise Failure("the answer was cut off (the server's query timeout?)", transient=True) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        reason = e.reason if isinstance(e, urllib.error.URLError) else e
        if isinstance(reason, TimeoutError) or time.monotonic() >= deadline:
            raise Failure(f"timed out: no complete answer within {timeout:g} s", transient=True) from None
        if isinstance(e, urllib.error.URLError):
            raise Failure(f"cannot connect ({e.reason})", transient=True) from None
        raise Failure(first_line(e), transient=True) from None


def first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left


class _DeadlineSocket:
    """A connected socket (plain or TLS) each of whose blocking operations may take only the time
    left before `deadline`. http.client sends with sendall and reads only through makefile("rb")."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock, self._deadline = sock, deadline

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendall(self, data) -> None:
        self._sock.settimeout(_time_left(self._deadline))
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb", buffering=None, **kwargs) -> io.BufferedReader:
        # the socket's own raw reader keeps it open until the answer is read, as makefile does
        return io.BufferedReader(_DeadlineReader(self._sock.makefile("rb", buffering=0), self._sock, self._deadline))


class _DeadlineReader(io.RawIOBase):
    def __init__(self, raw, sock: socket.socket, deadline: float):
        self._raw, self._sock, self._deadline = raw, sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(_time_left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineConnection:
    """Mixed into http.client's connections: connect within the time left, then hand the socket
    (after the TLS handshake, for HTTPS) to _DeadlineSocket."""

    def __init__(self, *args, deadline: float, **kwargs):
        self.deadline = deadline
        super().__init__(*args, **kwargs)

    def connect(self) -> None:
        self.timeout = _time_left(self.deadline)
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class _DeadlineHTTP(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _DeadlineHTTPS(_DeadlineConnection, http.client.HTTPSConnection):
    pass


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float):
        super().__init__()
        self.deadline = deadline

    def http_open(self, request):
        return self.do_open(functools.partial(_DeadlineHTTP, deadline=self.deadline), request)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float):
        super().__init__()
        self.deadline = deadline

    def https_open(self, request):
        return self.do_open(functools.partial(_DeadlineHTTPS, deadline=self.deadline), request, context=self._context)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(scheme)


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """urllib follows a redirect anywhere and copies the request's headers, Authorization included,
    to the new host. Here a redirect to another origin (scheme, host, port) is refused, not followed
    without the credentials: the request may be a write, and the user named the server to write to.
    Within the origin, 307 and 308 are followed with the same method and body; 301, 302 and 303,
    which urllib turns into a GET without the body, only for a GET."""

    def redirect_request(self, request, fp, code, msg, headers, new_url):
        method = request.get_method()
        if _origin(new_url) != _origin(request.full_url):
            fp.close()
            raise Failure(f"the server redirects ({code}) to {new_url}, another origin (scheme, host, port); "
                           "kyoyaku does not follow it, so that credentials and data go only where they were "
                           "sent: give that URL if you trust it")
        if code in (307, 308):
            return urllib.request.Request(new_url, data=request.data, headers=dict(request.header_items()),
                                          origin_req_host=request.origin_req_host, unverifiable=True, method=method)
        if method in ("GET", "HEAD"):
            return super().redirect_request(request, fp, code, msg, headers, new_url)
        fp.close()
        raise Failure(f"the server redirects ({code}) a {method} to {new_url}, which would send it on as a "
                       "GET without its body: give that URL instead")
