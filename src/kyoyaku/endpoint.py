"""Remote SPARQL 1.1 servers: run a query on an endpoint (SPARQLWrapper), push the dataset through
the Graph Store Protocol. Any standard server works (Oxigraph, Jena Fuseki, GraphDB, Virtuoso).

A push puts one named graph per agreement (graph IRI = agreement IRI) and one for everything else
(`REFERENCE_GRAPH`: municipalities, areas, memberships, the law). It compares each graph with the
server's copy and writes only those that differ: first into staging graphs, then all at once with
one SPARQL Update of `MOVE`s, so a push that fails on the way leaves the server's graphs as they
were. Credentials come only from the environment (KYOYAKU_USER, KYOYAKU_PASSWORD).
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import XSD, Graph, Literal, URIRef

from . import __version__
from .errors import EndpointError
from .iris import BASE, split_by_agreement
from .query import Query, Table, bind, python_value

USER_AGENT = f"kyoyaku/{__version__} (+https://w3id.org/kyoyaku/)"
REFERENCE_GRAPH = URIRef(f"{BASE}graph/reference")
RETRIES = 4  # after the first attempt; waits 0.5, 1, 2, 4 s


def run_remote(url: str, query: Query, values: dict[str, str] | None = None, timeout: float = 60) -> Table:
    """Run a SELECT query on a SPARQL endpoint (POST, JSON results); cells as in query.run."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(url, agent=USER_AGENT)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    client.setQuery(bind(query, values or {}))
    try:
        document = client.queryAndConvert()
    except json.JSONDecodeError:
        # the Oxigraph server streams: a query cut by its timeout arrives as a truncated 200
        raise EndpointError(f"{url}: the answer was cut off (the server's query timeout?)") from None
    except (urllib.error.URLError, SPARQLWrapperException, OSError) as e:
        raise EndpointError(f"{url}: {_reason(e)}") from None
    if not isinstance(document, dict) or "head" not in document:
        raise EndpointError(f"{url}: expected SPARQL JSON results, found something else")
    columns = document["head"].get("vars", [])
    rows = [[_cell(binding.get(c)) for c in columns] for binding in document["results"]["bindings"]]
    return Table(columns, rows)


def _cell(term: dict | None):
    if term is None:
        return None
    return python_value(term["value"], term.get("datatype") if term["type"] != "uri" else None)


def _reason(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return f"cannot connect ({error.reason})"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# --- push -----------------------------------------------------------------------------------------


@dataclass
class PushSummary:
    new: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def text(self) -> str:
        return (f"{len(self.new)} graph(s) new, {len(self.replaced)} replaced, "
                f"{len(self.unchanged)} unchanged")


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
         reference: Graph | None = None, timeout: float = 60, wait=time.sleep) -> PushSummary:
    """Make the server hold exactly `data`'s graphs (see the module docstring)."""
    server = _Server(graph_store or _sibling(endpoint, "store"), update or _sibling(endpoint, "update"),
                     timeout, wait)
    summary, changed = PushSummary(), {}
    for iri, graph in graphs_of(data, reference).items():
        theirs = server.get(iri)
        if theirs is None:
            summary.new.append(str(iri))
        elif same_graph(Graph().parse(data=theirs, format="nt"), graph):
            summary.unchanged.append(str(iri))
            continue
        else:
            summary.replaced.append(str(iri))
        changed[iri] = graph.serialize(format="nt")
    if not changed:
        return summary
    run = uuid.uuid4().hex
    staging = {iri: URIRef(f"urn:kyoyaku:staging:{run}:{n}") for n, iri in enumerate(changed)}
    try:
        for iri, text in changed.items():
            server.put(staging[iri], text)
        server.update(" ;\n".join(f"MOVE SILENT GRAPH <{staging[iri]}> TO GRAPH <{iri}>" for iri in changed))
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


def _sibling(endpoint: str, name: str) -> str:
    """Oxigraph's layout: …/query, …/update and …/store side by side."""
    base = endpoint.rstrip("/")
    return (base.rsplit("/", 1)[0] if base.endswith(("/query", "/sparql")) else base) + "/" + name


class _Server:
    def __init__(self, graph_store: str, update: str, timeout: float, wait):
        self.graph_store, self.update_url, self.timeout, self.wait = graph_store, update, timeout, wait
        user, password = os.environ.get("KYOYAKU_USER"), os.environ.get("KYOYAKU_PASSWORD")
        self.auth = ("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()) if user else None

    def get(self, graph: URIRef) -> str | None:
        status, body = self._send("GET", self._graph_url(graph), accept="application/n-triples")
        return None if status == 404 else body.decode("utf-8")

    def put(self, graph: URIRef, ntriples: str) -> None:
        self._send("PUT", self._graph_url(graph), ntriples.encode("utf-8"), "application/n-triples")

    def update(self, text: str) -> None:
        self._send("POST", self.update_url, text.encode("utf-8"), "application/sparql-update")

    def drop_quietly(self, graphs: list[URIRef]) -> None:
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        except EndpointError:
            pass  # the staging graphs are named for this run only; nothing else refers to them

    def _graph_url(self, graph: URIRef) -> str:
        return f"{self.graph_store}?graph={urllib.parse.quote(str(graph), safe='')}"

    def _send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
              accept: str | None = None) -> tuple[int, bytes]:
        headers = {"User-Agent": USER_AGENT}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self.auth:
            headers["Authorization"] = self.auth
        for attempt in range(RETRIES + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as e:
                if e.code == 404 and method == "GET":
                    return 404, b""
                if e.code < 500 or attempt == RETRIES:
                    raise EndpointError(f"{method} {url}: {_reason(e)}") from None
            except (urllib.error.URLError, OSError) as e:
                if attempt == RETRIES:
                    raise EndpointError(f"{method} {url}: {_reason(e)}") from None
            self.wait(0.5 * 2 ** attempt)
        raise AssertionError("unreachable")
