"""Remote SPARQL 1.1 servers: run a query on an endpoint (SPARQLWrapper), push the dataset through
the Graph Store Protocol. Any standard server works (Oxigraph, Jena Fuseki, GraphDB, Virtuoso).

A push puts one named graph per agreement (graph IRI = agreement IRI) and one for everything else
(`REFERENCE_GRAPH`: municipalities, areas, memberships, the law). It compares each graph with the
server's copy and writes only those that differ: first into staging graphs, then all at once with
one SPARQL Update of `MOVE`s, so a push that fails on the way leaves the server's graphs as they
were. Credentials come only from the environment (KYOYAKU_USER, KYOYAKU_PASSWORD).

A push writes only graphs named by the data (agreements, `REFERENCE_GRAPH`) and its staging graphs,
which live under `STAGING`, in kyoyaku's own IRI space (`https://w3id.org/kyoyaku/`), where nobody
else names graphs: every graph there is taken for a staging graph left by a push that was
interrupted (killed, or its server stopped) and dropped by the next push. Any other graph — the
default graph, `urn:…`, someone's `http://example.org/…` — is never read, written or dropped, so an
interrupted push re-run ends with the same quads as one clean push. Two pushes to one server must
not run at once: the second drops the first's staging graphs, which makes the first fail (its
`MOVE`s then find no source), leaving the second's result.
"""

from __future__ import annotations

import base64
import http.client
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
STAGING = f"{BASE}graph/staging/"  # + {run}/{n}: where a push stages the graphs it is about to replace
SPARQL_JSON = {"application/sparql-results+json", "application/json"}  # media types of SELECT results
RETRIES = 4  # after the first attempt; waits 0.5, 1, 2, 4 s


def run_remote(url: str, query: Query, values: dict[str, str] | None = None, timeout: float = 60) -> Table:
    """Run a SELECT query on a SPARQL endpoint (POST, JSON results); cells as in query.run. It is
    always sent as a query (`query=`), which a SPARQL server never runs as an update. Only a JSON
    answer is read: SPARQLWrapper's `convert` would parse whatever the server's Content-Type
    claims — XML, RDF/XML, or JSON-LD, whose remote contexts rdflib fetches."""
    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(url, agent=USER_AGENT)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    client.setQuery(bind(query, values or {}))
    # setQuery guesses the form from the first keyword after the comment lines it strips, and it
    # misses every other one of several: "# answers: … DELETE …" on a query's second line made it
    # send the query as an update (`update=`).
    client.queryType = SELECT
    try:
        response = client.query().response
        content_type = response.headers.get("Content-Type", "")
        body = response.read()
        if content_type.split(";")[0].strip().lower() not in SPARQL_JSON:
            raise EndpointError(f"{url}: expected SPARQL JSON results, found {content_type or 'no Content-Type'}")
        document = json.loads(body)
    except (ValueError, http.client.IncompleteRead):  # ValueError: JSON, or UTF-8, cut short
        # the Oxigraph server streams: a query cut by its timeout arrives as a truncated 200 (and
        # through `kyoyaku serve`, as a 200 whose chunked body stops short)
        raise EndpointError(f"{url}: the answer was cut off (the server's query timeout?)") from None
    except (urllib.error.URLError, SPARQLWrapperException, OSError) as e:
        raise EndpointError(f"{url}: {_reason(e)}") from None
    if not isinstance(document, dict) or not {"head", "results"} <= document.keys():  # an ASK's: "boolean"
        raise EndpointError(f"{url}: expected SPARQL JSON results of a SELECT, found something else")
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
         reference: Graph | None = None, timeout: float = 60, wait=time.sleep) -> PushSummary:
    """Make the server hold exactly `data`'s graphs (see the module docstring)."""
    server = _Server(graph_store or _sibling(endpoint, "store"), update or _sibling(endpoint, "update"),
                     timeout, wait, query=endpoint)
    summary, changed = PushSummary(), {}
    leftovers = server.graphs_under(STAGING)
    if leftovers:
        server.update(_drops(leftovers))
        summary.leftovers = [str(g) for g in leftovers]
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
    staging = {iri: URIRef(f"{STAGING}{run}/{n}") for n, iri in enumerate(changed)}
    try:
        for iri, text in changed.items():
            server.put(staging[iri], text)
        # not MOVE SILENT: that empties the target when its staging graph is gone (dropped by another
        # push); plain MOVE fails the whole request instead, and the server's graphs stay as they were
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


class _Server:
    def __init__(self, graph_store: str, update: str, timeout: float, wait, query: str | None = None):
        self.graph_store, self.update_url, self.timeout, self.wait = graph_store, update, timeout, wait
        self.query_url = query
        user, password = os.environ.get("KYOYAKU_USER"), os.environ.get("KYOYAKU_PASSWORD")
        self.auth = ("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()) if user else None

    def get(self, graph: URIRef) -> str | None:
        status, body = self._send("GET", self._graph_url(graph), accept="application/n-triples")
        return None if status == 404 else body.decode("utf-8")

    def put(self, graph: URIRef, ntriples: str) -> None:
        self._send("PUT", self._graph_url(graph), ntriples.encode("utf-8"), "application/n-triples")

    def update(self, text: str) -> None:
        self._send("POST", self.update_url, text.encode("utf-8"), "application/sparql-update")

    def graphs_under(self, prefix: str) -> list[URIRef]:
        """The named graphs whose IRI starts with `prefix` (a SPARQL query: the Graph Store Protocol
        cannot list graphs)."""
        query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
        _, body = self._send("POST", self.query_url, urllib.parse.urlencode({"query": query}).encode("ascii"),
                             "application/x-www-form-urlencoded", accept="application/sparql-results+json")
        try:
            rows = json.loads(body)["results"]["bindings"]
            return sorted(URIRef(row["g"]["value"]) for row in rows)
        except (ValueError, KeyError, TypeError):
            raise EndpointError(f"{self.query_url}: expected SPARQL JSON results listing graphs, "
                                f"found {body[:60]!r}") from None

    def drop_quietly(self, graphs: list[URIRef]) -> None:
        try:
            self.update(_drops(graphs))
        except EndpointError:
            pass  # left behind: the next push drops every graph under STAGING

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
