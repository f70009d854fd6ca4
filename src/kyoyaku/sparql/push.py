"""`kyoyaku push`: the dataset put into a remote SPARQL 1.1 server's named graphs through the Graph
Store Protocol. Any standard server works (Oxigraph, Jena Fuseki, GraphDB, Virtuoso).

A push puts one named graph per agreement (graph IRI = agreement IRI) and one for everything else
(`reference_graph_iri()`: municipalities, areas, memberships, the law). It compares each graph with the
server's copy and writes only those that differ: first into staging graphs, then all at once with
one SPARQL Update of `MOVE`s, so a push that fails on the way leaves the server's graphs as they
were. Credentials come only from the environment (KYOYAKU_USER, KYOYAKU_PASSWORD).

A push writes only graphs named by the data (agreements, `reference_graph_iri()`), its staging graphs,
which live under `staging_prefix()`, and its lock, `push_lock.lock_graph()`, all in the data's own
IRI space (the build's base, `https://w3id.org/kyoyaku/` by default: kyoyaku.config), where nobody
else names graphs. With `prune`, it also drops the agreement graphs (under `agreement_graphs_prefix()`)
that the data no longer have. Any other graph — the default graph, `urn:…`, someone's
`http://example.org/…` — is never read, written or dropped.

The shipped queries read the default graph, so they need a server whose default graph shows the
named graphs (their union): a push checks that its lock's claim, written into a named graph, shows
in the default graph, and warns when it does not (`PushSummary.warnings`).

One push at a time: see sparql.push_lock. Every request goes through sparql.http (a total
deadline, redirects within one origin).
"""

from __future__ import annotations

import base64
import os
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.exceptions import ParserError

from ..errors import EndpointError
from ..graph.iris import data_base, split_by_agreement
from .http import USER_AGENT, Failure, fetch, first_line
from .push_lock import STALE_AFTER, _PushLock, lock_graph
from .query import Table
from .remote import ACCEPT_RESULTS, results_table

FORM = "application/x-www-form-urlencoded"
RETRIES = 4  # after the first attempt; waits 0.5, 1, 2, 4 s


def reference_graph_iri() -> URIRef:
    """The graph of everything that is not an agreement's, under the data's base."""
    return URIRef(f"{data_base()}graph/reference")


def agreement_graphs_prefix() -> str:
    """How every agreement's graph IRI (its IRI) starts, under the data's base: what prune may drop."""
    return f"{data_base()}agreement/"


def staging_prefix() -> str:
    """Where a push stages the graphs it is about to replace: + {run}/{n}, under the data's base."""
    return f"{data_base()}graph/staging/"


@dataclass
class PushSummary:
    new: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # staging graphs of an interrupted push, dropped
    removed: list[str] = field(default_factory=list)  # agreement graphs the data no longer have, dropped (prune)
    stale: list[str] = field(default_factory=list)  # the same, kept (no prune)
    warnings: list[str] = field(default_factory=list)  # one line each

    def text(self) -> str:
        dropped = f", {len(self.leftovers)} left-over staging graph(s) dropped" if self.leftovers else ""
        removed = f", {len(self.removed)} removed" if self.removed else ""
        stale = f", {len(self.stale)} no longer in the data kept (--prune removes them)" if self.stale else ""
        return (f"{len(self.new)} graph(s) new, {len(self.replaced)} replaced, "
                f"{len(self.unchanged)} unchanged{removed}{stale}{dropped}")


def graphs_of(data: Graph, reference: Graph | None = None) -> dict[URIRef, Graph]:
    """The dataset split into named graphs: each agreement with its parts (IRIs under the
    agreement's: `agreement/{codes}/{date}/…`), and the reference graph with the rest (plus
    `reference`, e.g. the ontology and concept schemes the queries use for labels)."""
    graphs: dict[URIRef, Graph] = {}
    reference_iri = reference_graph_iri()
    for owner, triples in sorted(split_by_agreement(data).items(), key=lambda item: (not item[0], item[0])):
        graph = graphs.setdefault(URIRef(owner) if owner else reference_iri, Graph())
        for triple in triples:
            graph.add(triple)
    for triple in reference if reference is not None else ():
        graphs[reference_iri].add(triple)
    return graphs


def push(data: Graph, endpoint: str, graph_store: str | None = None, update: str | None = None,
         reference: Graph | None = None, timeout: float = 60, wait=time.sleep, lock_timeout: float = 0,
         stale_after: float = STALE_AFTER, log=lambda message: None, prune: bool = False) -> PushSummary:
    """Make the server hold exactly `data`'s graphs (see the module docstring). `timeout`: seconds
    for each request and its whole answer; `lock_timeout`: seconds to wait for another push's lock
    (0: fail at once); `stale_after`: seconds without a sign of life after which a lock is taken for
    abandoned; `log(message)` hears of waiting and of abandoned locks removed; `prune`: also drop the
    agreement graphs the data no longer have (in the same update that moves the changed ones in)."""
    server = _Server(graph_store or _sibling(endpoint, "store"), update or _sibling(endpoint, "update"),
                     timeout, wait, query=endpoint)
    with _PushLock(server, lock_timeout, stale_after, log) as lock:
        summary, changed = PushSummary(), {}
        if not server.shows_in_default_graph(lock.claim, lock.run):
            summary.warnings.append(
                f"{endpoint} does not show its named graphs in its default graph, which the shipped queries read: "
                "they will find nothing there (make the default graph the union of the named graphs: "
                "oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true)")
        staging_graphs = staging_prefix()
        leftovers = server.graphs_under(staging_graphs)  # under the lock: no other push is staging now
        if leftovers:
            server.update(_drops(leftovers))
            summary.leftovers = [str(g) for g in leftovers]
        graphs = graphs_of(data, reference)
        gone = [g for g in server.graphs_under(agreement_graphs_prefix()) if g not in graphs]
        if prune:
            summary.removed = [str(g) for g in gone]
        else:
            summary.stale, gone = [str(g) for g in gone], []
        for iri, graph in graphs.items():
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
            if gone:
                server.update(_drops(gone))
            return summary
        staging = {iri: URIRef(f"{staging_graphs}{lock.run}/{n}") for n, iri in enumerate(changed)}
        try:
            for iri, text in changed.items():
                server.put(staging[iri], text)
            lock.confirm()
            # not MOVE SILENT: that empties the target when its staging graph is gone (dropped by
            # another push); plain MOVE fails the whole request instead, and the graphs stay as they were
            server.update(" ;\n".join([*(f"MOVE GRAPH <{staging[iri]}> TO GRAPH <{iri}>" for iri in changed),
                                        *([_drops(gone)] if gone else [])]))
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
            raise EndpointError(f"GET {url}: expected N-Triples, found {first_line(e)[:80]}") from None

    def put(self, graph: URIRef, ntriples: str) -> None:
        self._send("PUT", self._graph_url(graph), ntriples.encode("utf-8"), "application/n-triples")

    def update(self, text: str, retries: int = RETRIES) -> None:
        self._send("POST", self.update_url, text.encode("utf-8"), "application/sparql-update", retries=retries)

    def select(self, query: str) -> Table:
        _, content_type, body = self._send("POST", self.query_url, urllib.parse.urlencode({"query": query}).encode(
            "ascii"), FORM, accept=ACCEPT_RESULTS)
        return results_table(self.query_url, content_type, body)

    def graphs_under(self, prefix: str) -> list[URIRef]:
        """The named graphs whose IRI starts with `prefix` (a SPARQL query: the Graph Store Protocol
        cannot list graphs). `GRAPH ?g { ?s ?p ?o }`, not `GRAPH ?g { }`: Virtuoso 7 answers the empty
        pattern with no graph at all."""
        table = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                            f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }}')
        return sorted(URIRef(str(g)) for g, in table.rows)

    def shows_in_default_graph(self, subject: URIRef, run: str) -> bool:
        """Whether the triple `subject` lock:run `run`, written into the named graph lock_graph(), is in the
        default graph too (the default graph is the union of the named graphs)."""
        table = self.select(f"SELECT ?run WHERE {{ <{subject}> <{lock_graph()}#run> ?run }}")
        return [str(r) for r, in table.rows] == [run]

    def drop_quietly(self, graphs: list[URIRef]) -> None:
        try:
            self.update(_drops(graphs))
        except EndpointError:
            pass  # left behind: the next push drops every graph under staging_prefix()

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
                return fetch(request, self.timeout)
            except Failure as failure:
                if failure.status == 404 and method == "GET":
                    return 404, "", b""
                if not failure.transient or attempt == retries:
                    raise EndpointError(f"{method} {url}: {failure.reason}") from None
            self.wait(0.5 * 2 ** attempt)
        raise AssertionError("unreachable")
