"""The SPARQL service description `kyoyaku serve` gives at its endpoint (a GET of /query without a
query, SPARQL 1.1 Service Description): it names the endpoint by its public URL — the one clients
use, given by `serve --public-url` or else the address the client reached — never the port of the
Oxigraph server behind the front, and it claims no feature the front refuses (SERVICE)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rdflib import RDF, Graph, Namespace, URIRef

from ..errors import UsageError

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
# what the Oxigraph server answers in (its own description lists these)
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "N-Triples", "N-Quads", "Turtle", "TriG", "N3", "RDF_XML")
SERIALIZATIONS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}  # a negotiated suffix → rdflib's format
ENDPOINT_PATH = "/query"
HOST_HEADER = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def public_base(url: str) -> str:
    """`--public-url URL` checked: an http(s) URL without query or fragment, its trailing / dropped."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment \
            or any(c.isspace() for c in url):
        raise UsageError(f"--public-url {url}: expected an http:// or https:// URL without query or fragment, "
                         "e.g. https://example.org/kyoyaku")
    return url.rstrip("/")


def endpoint_url(public: str | None, host_header: str | None, listening: str) -> str:
    """The endpoint's URL as clients see it: under `public` (--public-url) when given, else at the
    host the client asked for (its Host header, when it is one), else at the address listened on."""
    if public:
        return public + ENDPOINT_PATH
    host = host_header.strip() if host_header else ""
    return f"http://{host if HOST_HEADER.fullmatch(host) else listening}{ENDPOINT_PATH}"


def service_description(endpoint: str, suffix: str) -> bytes:
    """The description of the endpoint at `endpoint`, as Turtle, N-Triples or JSON-LD (`suffix`)."""
    graph = Graph(bind_namespaces="none")
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.feature, SD.EmptyGraphs))
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    return graph.serialize(format=SERIALIZATIONS[suffix], encoding="utf-8")
