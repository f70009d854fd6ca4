"""Remote SPARQL 1.1 servers: run a query on an endpoint, push the dataset through the Graph Store
Protocol. Any standard server works (Oxigraph, Jena Fuseki, GraphDB, Virtuoso).

A push puts one named graph per agreement (graph IRI = agreement IRI) and one for everything else
(`REFERENCE_GRAPH`: municipalities, areas, memberships, the law). It compares each graph with the
server's copy and writes only those that differ: first into staging graphs, then all at once with
one SPARQL Update of `MOVE`s, so a push that fails on the way leaves the server's graphs as they
were. Credentials come only from the environment (KYOYAKU_USER, KYOYAKU_PASSWORD).

A push writes only graphs named by the data (agreements, `REFERENCE_GRAPH`), its staging graphs,
which live under `STAGING`, and its lock, `LOCK`, all in kyoyaku's own IRI space
(`https://w3id.org/kyoyaku/`), where nobody else names graphs. Any other graph — the default graph,
`urn:…`, someone's `http://example.org/…` — is never read, written or dropped.

One push at a time: a push first claims `LOCK` on the server (see `_PushLock`) and holds it to the
end, released also when it fails. A second push finds it held and stops at once, changing nothing
(or waits up to `lock_timeout` seconds for it). Under the lock, every graph under `STAGING` is a
staging graph left by a push that was interrupted (killed, or its server stopped) and is dropped, so
an interrupted push re-run ends with the same quads as one clean push. A lock whose holder is gone —
its process ended on this machine, or no sign of life for `stale_after` seconds (a live push
refreshes its claim every quarter of that) — is removed, with a message, by the next push.

Every request, and the whole answer to it, must arrive within `timeout` seconds: a total deadline,
not a limit per read (a server sending one byte a second would otherwise hold a client forever).
Redirects are followed only within one origin (scheme, host and port), so the credentials, the
query and the data go only to the server they were sent to.
"""

from __future__ import annotations

import base64
import functools
import http.client
import io
import json
import os
import random
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Self

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.exceptions import ParserError

from .. import __version__
from ..errors import EndpointError
from ..graph.iris import BASE, split_by_agreement
from ..serve.front import OXIGRAPH_CANCELLED
from .query import Query, Table, bind, python_value

USER_AGENT = f"kyoyaku/{__version__} (+https://w3id.org/kyoyaku/)"
REFERENCE_GRAPH = URIRef(f"{BASE}graph/reference")
STAGING = f"{BASE}graph/staging/"  # + {run}/{n}: where a push stages the graphs it is about to replace
LOCK = URIRef(f"{BASE}graph/lock")  # the push lock: a graph holding the claim of the push under way
SPARQL_JSON = {"application/sparql-results+json", "application/json"}  # media types of SELECT results
ACCEPT_RESULTS = "application/sparql-results+json, application/json;q=0.9"
FORM = "application/x-www-form-urlencoded"
RETRIES = 4  # after the first attempt; waits 0.5, 1, 2, 4 s
STALE_AFTER = 600.0  # seconds without a sign of life after which a push lock is taken for abandoned


def run_remote(url: str, query: Query, values: dict[str, str] | None = None, timeout: float = 60) -> Table:
    """Run a SELECT query on a SPARQL endpoint (POST, JSON results); cells as in query.run. It is
    always sent as a query (`query=`), which a SPARQL server never runs as an update. Only a SPARQL
    JSON answer is read — never XML, RDF/XML or JSON-LD, whose remote contexts rdflib would fetch —
    and the whole answer must be in within `timeout` seconds."""
    request = _query_request(url, bind(query, values or {}))
    try:
        _, content_type, body = _fetch(request, timeout)
    except _Failure as failure:
        raise EndpointError(f"{url}: {failure.reason}") from None
    return _results(url, content_type, body)


def _query_request(url: str, text: str) -> urllib.request.Request:
    """The SPARQL Protocol request for a SELECT query, as SPARQLWrapper makes it (POST, the query
    URL-encoded as `query=`, JSON results accepted). It is sent by _fetch, not by SPARQLWrapper,
    whose own sending has a limit per read only and follows redirects to any host."""
    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

    client = SPARQLWrapper(url, agent=USER_AGENT)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery(text)
    # setQuery guesses the form from the first keyword after the comment lines it strips, and it
    # misses every other one of several: "# answers: … DELETE …" on a query's second line made it
    # send the query as an update (`update=`).
    client.queryType = SELECT
    request = client._createRequest()
    request.add_header("Accept", ACCEPT_RESULTS)  # SPARQLWrapper's also names JavaScript types
    return request


# --- one HTTP exchange: a total deadline, redirects within one origin --------------------------------


class _Failure(Exception):
    """A request that got no usable answer: `reason` says why in one line; `transient` whether
    trying again may help (5xx answers, connection errors, timeouts); `status` the HTTP status."""

    def __init__(self, reason: str, transient: bool = False, status: int | None = None):
        super().__init__(reason)
        self.reason, self.transient, self.status = reason, transient, status


def _fetch(request: urllib.request.Request, timeout: float) -> tuple[int, str, bytes]:
    """Send `request`; (status, Content-Type, body) of its 2xx answer, else _Failure. Connecting,
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
        raise _Failure(f"HTTP {e.code} {e.reason}", transient=e.code >= 500, status=e.code) from None
    except http.client.IncompleteRead:
        # the Oxigraph server streams: a query cut by its timeout arrives through `kyoyaku serve` as a
        # 200 whose chunked body stops short
        raise _Failure("the answer was cut off (the server's query timeout?)", transient=True) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        reason = e.reason if isinstance(e, urllib.error.URLError) else e
        if isinstance(reason, TimeoutError) or time.monotonic() >= deadline:
            raise _Failure(f"timed out: no complete answer within {timeout:g} s", transient=True) from None
        if isinstance(e, urllib.error.URLError):
            raise _Failure(f"cannot connect ({e.reason})", transient=True) from None
        raise _Failure(_first_line(e), transient=True) from None


def _first_line(error: Exception) -> str:
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
            raise _Failure(f"the server redirects ({code}) to {new_url}, another origin (scheme, host, port); "
                           "kyoyaku does not follow it, so that credentials and data go only where they were "
                           "sent: give that URL if you trust it")
        if code in (307, 308):
            return urllib.request.Request(new_url, data=request.data, headers=dict(request.header_items()),
                                          origin_req_host=request.origin_req_host, unverifiable=True, method=method)
        if method in ("GET", "HEAD"):
            return super().redirect_request(request, fp, code, msg, headers, new_url)
        fp.close()
        raise _Failure(f"the server redirects ({code}) a {method} to {new_url}, which would send it on as a "
                       "GET without its body: give that URL instead")


# --- SPARQL JSON results ---------------------------------------------------------------------------

_TERM_TYPES = {"uri", "literal", "bnode", "typed-literal"}  # typed-literal: the 2008 Note's, still sent by some
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN")
# the lexical spaces (XML Schema 1.1 Part 2) of the numeric and boolean types: a cell of one of these
# types holds a number or a truth value, so a value outside its lexical space is a broken answer
_LEXICAL = {
    **{str(XSD[name]): _INTEGER for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")},
    str(XSD.decimal): _DECIMAL, str(XSD.double): _DOUBLE, str(XSD.float): _DOUBLE,
    str(XSD.boolean): re.compile(r"true|false|1|0"),
}


def _results(url: str, content_type: str, body: bytes) -> Table:
    """The table of a SELECT's SPARQL JSON results; anything else is one EndpointError line saying
    what was expected and where it was not found."""
    if content_type.split(";")[0].strip().lower() not in SPARQL_JSON:
        raise EndpointError(f"{url}: expected SPARQL JSON results, found {content_type or 'no Content-Type'}")
    try:
        document = json.loads(body)
    except RecursionError:
        raise EndpointError(f"{url}: expected SPARQL JSON results, found JSON nested too deeply to read") from None
    except json.JSONDecodeError as e:
        text = e.doc.rstrip()
        # the Oxigraph server streams: a query its --timeout-s cuts arrives as a 200 whose body stops
        # short, ending with OXIGRAPH_CANCELLED; other cut answers stop at the end of the text
        if e.pos >= len(text) or text.endswith(OXIGRAPH_CANCELLED.decode("ascii")):
            raise EndpointError(f"{url}: the answer was cut off (the server's query timeout?)") from None
        raise EndpointError(f"{url}: expected SPARQL JSON results, found invalid JSON at line {e.lineno}, "
                            f"column {e.colno}: {e.msg}") from None
    except UnicodeDecodeError as e:
        if e.end >= len(body):  # a character cut in two at the end
            raise EndpointError(f"{url}: the answer was cut off (the server's query timeout?)") from None
        raise EndpointError(f"{url}: expected SPARQL JSON results in UTF-8, found the byte "
                            f"0x{body[e.start]:02x} at offset {e.start}") from None
    except ValueError as e:  # a number past Python's limits (sys.get_int_max_str_digits)
        raise EndpointError(f"{url}: expected SPARQL JSON results, found JSON Python cannot read "
                            f"({_first_line(e).split(':')[0]})") from None
    head, results = (document.get("head"), document.get("results")) if isinstance(document, dict) else (None, None)
    if not isinstance(head, dict) or not isinstance(results, dict):  # an ASK's: "boolean", no "results"
        raise EndpointError(f"{url}: expected SPARQL JSON results of a SELECT, found something else")
    columns, bindings = head.get("vars"), results.get("bindings")
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise EndpointError(f"{url}: expected SPARQL JSON results whose head.vars is a list of variable names, "
                            f"found {_brief(columns)}")
    if not isinstance(bindings, list):
        raise EndpointError(f"{url}: expected SPARQL JSON results whose results.bindings is a list, "
                            f"found {_brief(bindings)}")
    rows = []
    for n, binding in enumerate(bindings):
        if not isinstance(binding, dict):
            raise EndpointError(f"{url}: expected SPARQL JSON results whose results.bindings[{n}] is an object, "
                                f"found {_brief(binding)}")
        rows.append([_cell(url, f"results.bindings[{n}].{c}", binding.get(c)) for c in columns])
    return Table(columns, rows)


def _cell(url: str, where: str, term) -> str | int | float | bool | None:
    if term is None:
        return None
    if not (isinstance(term, dict) and term.get("type") in _TERM_TYPES and isinstance(term.get("value"), str)
            and isinstance(term.get("datatype", ""), str)):
        raise EndpointError(f"{url}: expected an RDF term (type uri, literal or bnode, a string value) at {where}, "
                            f"found {_brief(term)}")
    value, datatype = term["value"], (term.get("datatype") if term["type"] != "uri" else None)
    lexical = _LEXICAL.get(datatype)
    if lexical and not lexical.fullmatch(value):
        raise EndpointError(f"{url}: expected an xsd:{datatype.rsplit('#', 1)[-1]} value at {where}, "
                            f"found {_brief(value)}")
    if lexical is _INTEGER and len(value.lstrip("+-")) > sys.get_int_max_str_digits() > 0:
        raise EndpointError(f"{url}: expected an integer of at most {sys.get_int_max_str_digits()} digits at "
                            f"{where}, found one of {len(value.lstrip('+-'))}")
    try:
        return python_value(value, datatype)
    except (ValueError, TypeError, ArithmeticError) as e:
        raise EndpointError(f"{url}: expected a {datatype} value at {where}, found {_brief(value)} "
                            f"({_first_line(e)})") from None


def _brief(value) -> str:
    """A JSON value as a one-line message shows it: at most 60 characters."""
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a JSON object" if isinstance(value, dict) else "a JSON array"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


# --- push -----------------------------------------------------------------------------------------


@dataclass
class PushSummary:
    new: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # staging graphs of an interrupted push, dropped

    def text(self) -> str:
        dropped = f", {len(self.leftovers)} left-over staging graph(s) dropped" if self.leftovers else ""
        return (f"{len(self.new)} graph(s) new, {len(self.replaced)} replaced, "
                f"{len(self.unchanged)} unchanged{dropped}")


def graphs_of(data: Graph, reference: Graph | None = None) -> dict[URIRef, Graph]:
    """The dataset split into named graphs: each agreement with its parts (IRIs under the
    agreement's: `agreement/{codes}/{date}/…`), and the reference graph with the rest (plus
    `reference`, e.g. the ontology and concept schemes the queries use for labels)."""
    graphs: dict[URIRef, Graph] = {}
    for owner, triples in sorted(split_by_agreement(data).items(), key=lambda item: (not item[0], item[0])):
        graph = graphs.setdefault(URIRef(owner) if owner else REFERENCE_GRAPH, Graph())
        for triple in triples:
            graph.add(triple)
    for triple in reference if reference is not None else ():
        graphs[REFERENCE_GRAPH].add(triple)
    return graphs


def push(data: Graph, endpoint: str, graph_store: str | None = None, update: str | None = None,
         reference: Graph | None = None, timeout: float = 60, wait=time.sleep, lock_timeout: float = 0,
         stale_after: float = STALE_AFTER, log=lambda message: None) -> PushSummary:
    """Make the server hold exactly `data`'s graphs (see the module docstring). `timeout`: seconds
    for each request and its whole answer; `lock_timeout`: seconds to wait for another push's lock
    (0: fail at once); `stale_after`: seconds without a sign of life after which a lock is taken for
    abandoned; `log(message)` hears of waiting and of abandoned locks removed."""
    server = _Server(graph_store or _sibling(endpoint, "store"), update or _sibling(endpoint, "update"),
                     timeout, wait, query=endpoint)
    with _PushLock(server, lock_timeout, stale_after, log) as lock:
        summary, changed = PushSummary(), {}
        leftovers = server.graphs_under(STAGING)  # under the lock: no other push is staging now
        if leftovers:
            server.update(_drops(leftovers))
            summary.leftovers = [str(g) for g in leftovers]
        for iri, graph in graphs_of(data, reference).items():
            theirs = server.get(iri)
            if theirs is None:
                summary.new.append(str(iri))
            elif same_graph(theirs, graph):
                summary.unchanged.append(str(iri))
                continue
            else:
                summary.replaced.append(str(iri))
            changed[iri] = graph.serialize(format="nt")
        if not changed:
            return summary
        staging = {iri: URIRef(f"{STAGING}{lock.run}/{n}") for n, iri in enumerate(changed)}
        try:
            for iri, text in changed.items():
                server.put(staging[iri], text)
            lock.confirm()
            # not MOVE SILENT: that empties the target when its staging graph is gone (dropped by
            # another push); plain MOVE fails the whole request instead, and the graphs stay as they were
            server.update(" ;\n".join(f"MOVE GRAPH <{staging[iri]}> TO GRAPH <{iri}>" for iri in changed))
        except EndpointError:
            server.drop_quietly(list(staging.values()))
            raise
    return summary


def same_graph(a: Graph, b: Graph) -> bool:
    """Equal up to blank-node names (the ontology's OWL lists) and a server's canonical literal
    forms (Oxigraph returns the decimal 2.0 as "2")."""
    from rdflib.compare import isomorphic

    return len(a) == len(b) and isomorphic(_canonical(a), _canonical(b))


def _canonical(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal and isinstance(o.value, Decimal):
            o = Literal(format(o.value.normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def _drops(graphs: list[URIRef]) -> str:
    return " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)


def _sibling(endpoint: str, name: str) -> str:
    """Oxigraph's layout: …/query, …/update and …/store side by side."""
    base = endpoint.rstrip("/")
    return (base.rsplit("/", 1)[0] if base.endswith(("/query", "/sparql")) else base) + "/" + name


# --- the push lock ---------------------------------------------------------------------------------

_L = f"{LOCK}#"  # the lock's few terms; a claim is the node <LOCK#{run}> in the graph LOCK
_ACTIVE_RUNS: set[str] = set()  # the pushes of this process holding or taking the lock
_STEPS = 20  # tries in a row that find the lock neither free nor held (see _PushLock._acquire)
_POLL = 1.0  # seconds between looks at a lock held by another push, while waiting for it


def _this_machine() -> tuple[str, str]:
    """(host name, boot id): a claim made on this machine, since it last booted, has both. Without a
    boot id (not Linux) a holder's process is never looked up: only its silence makes a lock stale."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip()
    except OSError:
        boot = ""
    return socket.gethostname(), boot


@dataclass(frozen=True)
class _Claim:
    run: str
    host: str
    machine: str
    pid: int | None
    since: str
    refreshed: str  # the lexical form as the server wrote it (NOW()), compared as is when removed
    age: float | None  # seconds since `refreshed`, by the server's clock; None when it cannot be read

    def describe(self) -> str:
        process = f"pid {self.pid} on " if self.pid is not None else ""
        return f"push {self.run[:12]} ({process}{self.host or 'an unknown host'}), since {self.since or 'an unknown time'}"


class _PushLock:
    """The push lock: a claim in the graph `LOCK` on the server, made with one SPARQL Update
    `INSERT { claim } WHERE { FILTER NOT EXISTS { any claim } }`, then read back.

    The claim stands only when the read finds it alone. A server need not run that update
    atomically with respect to another one — the Oxigraph server with an on-disk store does not:
    two pushes claiming at the same moment both insert, in about one round in five — so two claims
    may both be there. Each claimant then sees the other's claim beside its own, withdraws its own,
    waits a random moment and claims again. What this relies on, on any server: each update is
    all or nothing, and a read sees every update answered before it was sent. Then at most one
    push proceeds: of two claimants, the one whose read came second sees both claims.

    A live holder refreshes its claim (`refreshed`, the server's NOW()) every quarter of
    `stale_after` from a thread, and checks that it still holds the lock before moving its graphs
    into place. A claim is taken for abandoned, and removed (conditionally on its `refreshed`, so a
    refresh in between keeps it), when not refreshed for `stale_after` seconds by the server's clock,
    or when it was made on this machine (same host name and boot) by a process that has ended, or
    by a push of this process that has ended."""

    def __init__(self, server: _Server, lock_timeout: float, stale_after: float, log):
        self.server, self.lock_timeout, self.stale_after, self.log = server, lock_timeout, stale_after, log
        self.run = uuid.uuid4().hex
        self.claim = URIRef(f"{_L}{self.run}")
        self.host, self.machine = _this_machine()
        self._stop = threading.Event()
        self._heart: threading.Thread | None = None

    def __enter__(self) -> Self:
        _ACTIVE_RUNS.add(self.run)
        try:
            self._acquire()
        except BaseException:
            self._withdraw_quietly()
            _ACTIVE_RUNS.discard(self.run)
            raise
        self._heart = threading.Thread(target=self._beat, name="kyoyaku push lock", daemon=True)
        self._heart.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._heart:
            self._heart.join()
        self._withdraw_quietly()
        _ACTIVE_RUNS.discard(self.run)  # only now: meanwhile, a push of this process takes the claim for live

    def confirm(self) -> None:
        """Raise EndpointError unless this push's claim is still there (not removed as abandoned)."""
        claims = self._claims()
        if not any(c.run == self.run for c in claims):
            taker = next((c.describe() for c in claims), "another push")
            raise EndpointError(f"{self.server.query_url}: the push lock {LOCK} was taken over by {taker}, while "
                                "this push staged its graphs (its claim was not refreshed in time); nothing was "
                                "moved into place: run the push again")

    def _acquire(self) -> None:
        started, waiting_for = time.monotonic(), None
        steps = 0  # claims made and withdrawn, abandoned claims removed, claims not found: each bounded
        while True:
            self.server.update(self._claim_update())
            claims = self._claims()
            others = [c for c in claims if c.run != self.run]
            if claims and not others:
                return
            steps += 1
            if steps > _STEPS:
                raise EndpointError(f"{self.server.query_url}: could not take the push lock {LOCK} in {_STEPS} "
                                    "tries: " + ("claims kept meeting another push's at the same moment" if others
                                                 else f"the claim written to {self.server.update_url} never "
                                                 "showed in the query endpoint's answers (one server?)"))
            if len(claims) > len(others):  # claimed at the same moment as another push: withdraw, try again
                self.server.update(self._withdraw_update())
                time.sleep(random.uniform(0.05, 0.5))
                continue
            abandoned = [(c, why) for c in others if (why := self._abandoned(c))]
            for claim, why in abandoned:
                self.server.update(self._removal_update(claim))
                self.log(f"removed the push lock {LOCK} of {claim.describe()}: {why}")
            if abandoned or not others:
                continue
            steps = 0  # held by a live push: waiting is bounded by lock_timeout instead
            holder = min(others, key=lambda c: c.since)
            left = self.lock_timeout - (time.monotonic() - started)
            if left <= 0:
                waited = f", still held after waiting {self.lock_timeout:g} s" if self.lock_timeout else ""
                raise EndpointError(f"{self.server.query_url}: another push holds the lock {LOCK}: "
                                    f"{holder.describe()}{waited}; nothing was changed"
                                    + ("" if self.lock_timeout else " (to wait for it: --lock-timeout SECONDS)"))
            if waiting_for != holder.run:
                self.log(f"waiting up to {self.lock_timeout:g} s for the push lock {LOCK}, held by {holder.describe()}")
                waiting_for = holder.run
            time.sleep(min(_POLL, left))

    def _abandoned(self, claim: _Claim) -> str | None:
        """Why `claim` is taken for abandoned, or None when its push may be alive."""
        if claim.host == self.host and claim.machine == self.machine and self.machine and claim.pid:
            if claim.pid == os.getpid():
                if claim.run not in _ACTIVE_RUNS:
                    return "that push, in this process, has ended"
            elif claim.pid > 0 and _process_ended(claim.pid):
                return f"its process ({claim.pid}) on this machine has ended"
        if claim.age is not None and claim.age > self.stale_after:
            return f"no sign of life for {claim.age:.0f} s (over --lock-stale {self.stale_after:g} s)"
        return None

    def _claims(self) -> list[_Claim]:
        table = self.server.select(f"""
            PREFIX lock: <{_L}>
            SELECT ?run ?host ?machine ?pid ?since ?refreshed (NOW() AS ?now) WHERE {{
              GRAPH <{LOCK}> {{
                ?claim lock:run ?run .
                OPTIONAL {{ ?claim lock:host ?host }} OPTIONAL {{ ?claim lock:machine ?machine }}
                OPTIONAL {{ ?claim lock:pid ?pid }} OPTIONAL {{ ?claim lock:since ?since }}
                OPTIONAL {{ ?claim lock:refreshed ?refreshed }}
              }}
            }}""")
        claims: dict[str, _Claim] = {}
        for run, host, machine, pid, since, refreshed, now in table.rows:
            claim = _Claim(str(run), str(host or ""), str(machine or ""), pid if isinstance(pid, int) else None,
                           str(since or ""), str(refreshed or ""), _seconds_between(refreshed, now))
            known = claims.get(claim.run)
            if known is None or (claim.age is not None and (known.age is None or claim.age < known.age)):
                claims[claim.run] = claim  # refreshed twice (a refresh meeting a removal): the latest counts
        return sorted(claims.values(), key=lambda c: c.run)

    def _claim_update(self) -> str:
        return f"""PREFIX lock: <{_L}>
            INSERT {{ GRAPH <{LOCK}> {{
              <{self.claim}> lock:run {Literal(self.run).n3()} ; lock:host {Literal(self.host).n3()} ;
                lock:machine {Literal(self.machine).n3()} ; lock:pid {os.getpid()} ;
                lock:version {Literal(__version__).n3()} ; lock:since ?now ; lock:refreshed ?now .
            }} }}
            WHERE {{ FILTER NOT EXISTS {{ GRAPH <{LOCK}> {{ ?claim lock:run ?run }} }} BIND (NOW() AS ?now) }}"""

    def _withdraw_update(self) -> str:
        return f"DELETE WHERE {{ GRAPH <{LOCK}> {{ <{self.claim}> ?p ?o }} }}"

    def _removal_update(self, claim: _Claim) -> str:
        return f"""PREFIX lock: <{_L}>
            DELETE {{ GRAPH <{LOCK}> {{ ?claim ?p ?o }} }}
            WHERE {{ GRAPH <{LOCK}> {{ ?claim lock:run {Literal(claim.run).n3()} ; ?p ?o .
                     OPTIONAL {{ ?claim lock:refreshed ?refreshed }} }}
                     FILTER (COALESCE(STR(?refreshed), "") = {Literal(claim.refreshed).n3()}) }}"""

    def _refresh_update(self) -> str:
        return f"""PREFIX lock: <{_L}>
            DELETE {{ GRAPH <{LOCK}> {{ <{self.claim}> lock:refreshed ?before }} }}
            INSERT {{ GRAPH <{LOCK}> {{ <{self.claim}> lock:refreshed ?now }} }}
            WHERE {{ GRAPH <{LOCK}> {{ <{self.claim}> lock:run ?run ; lock:refreshed ?before }} BIND (NOW() AS ?now) }}"""

    def _beat(self) -> None:
        while not self._stop.wait(self.stale_after / 4):
            try:  # one attempt, not retried for minutes: releasing the lock waits for this thread
                self.server.update(self._refresh_update(), retries=0)
            except EndpointError:
                pass  # the server is away for now: confirm() finds out whether the claim survived

    def _withdraw_quietly(self) -> None:
        try:
            self.server.update(self._withdraw_update())
        except EndpointError:
            pass  # the server is gone: the claim is removed as abandoned by the next push


def _process_ended(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # someone else's process, or no pid at all
    return False


def _seconds_between(earlier, later) -> float | None:
    """Seconds from one xsd:dateTime lexical form to another, None when either cannot be read."""
    try:
        start, end = (datetime.fromisoformat(str(t)) for t in (earlier, later))
        return (end - start).total_seconds()
    except (TypeError, ValueError):
        return None


class _Server:
    def __init__(self, graph_store: str, update: str, timeout: float, wait, query: str | None = None):
        self.graph_store, self.update_url, self.timeout, self.wait = graph_store, update, timeout, wait
        self.query_url = query
        user, password = os.environ.get("KYOYAKU_USER"), os.environ.get("KYOYAKU_PASSWORD")
        self.auth = ("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()) if user else None

    def get(self, graph: URIRef) -> Graph | None:
        """The server's copy of `graph`, None when it has none."""
        url = self._graph_url(graph)
        status, _, body = self._send("GET", url, accept="application/n-triples")
        if status == 404:
            return None
        try:
            return Graph().parse(data=body.decode("utf-8"), format="nt")
        except (ParserError, UnicodeDecodeError) as e:
            raise EndpointError(f"GET {url}: expected N-Triples, found {_first_line(e)[:80]}") from None

    def put(self, graph: URIRef, ntriples: str) -> None:
        self._send("PUT", self._graph_url(graph), ntriples.encode("utf-8"), "application/n-triples")

    def update(self, text: str, retries: int = RETRIES) -> None:
        self._send("POST", self.update_url, text.encode("utf-8"), "application/sparql-update", retries=retries)

    def select(self, query: str) -> Table:
        _, content_type, body = self._send("POST", self.query_url, urllib.parse.urlencode({"query": query}).encode(
            "ascii"), FORM, accept=ACCEPT_RESULTS)
        return _results(self.query_url, content_type, body)

    def graphs_under(self, prefix: str) -> list[URIRef]:
        """The named graphs whose IRI starts with `prefix` (a SPARQL query: the Graph Store Protocol
        cannot list graphs)."""
        table = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}')
        return sorted(URIRef(str(g)) for g, in table.rows)

    def drop_quietly(self, graphs: list[URIRef]) -> None:
        try:
            self.update(_drops(graphs))
        except EndpointError:
            pass  # left behind: the next push drops every graph under STAGING

    def _graph_url(self, graph: URIRef) -> str:
        return f"{self.graph_store}?graph={urllib.parse.quote(str(graph), safe='')}"

    def _send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
              accept: str | None = None, retries: int = RETRIES) -> tuple[int, str, bytes]:
        """(status, Content-Type, body); 404 to a GET is an answer, any other failure is retried with
        back-off when it may pass (5xx, connection errors, timeouts), then EndpointError."""
        headers = {"User-Agent": USER_AGENT}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self.auth:
            headers["Authorization"] = self.auth
        for attempt in range(retries + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                return _fetch(request, self.timeout)
            except _Failure as failure:
                if failure.status == 404 and method == "GET":
                    return 404, "", b""
                if not failure.transient or attempt == retries:
                    raise EndpointError(f"{method} {url}: {failure.reason}") from None
            self.wait(0.5 * 2 ** attempt)
        raise AssertionError("unreachable")
