"""Queries on a remote SPARQL 1.1 endpoint (`kyoyaku query --endpoint`): a query of the library sent
as SPARQLWrapper sends it, through kyoyaku's own transport (sparql.http: a total deadline,
redirects within one origin), and its SPARQL JSON results read into a `Table` as strictly as the
embedded store's: anything else is one EndpointError line. Any standard server works (Oxigraph,
Jena Fuseki, GraphDB, Virtuoso).
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request

from rdflib import XSD

from ..errors import EndpointError
from .http import OXIGRAPH_CANCELLED, USER_AGENT, Failure, fetch, first_line
from .query import Page, Query, Table, bind, paged, python_value

SPARQL_JSON = {"application/sparql-results+json", "application/json"}  # media types of SELECT results
ACCEPT_RESULTS = "application/sparql-results+json, application/json;q=0.9"


def run_remote(url: str, query: Query, values: dict[str, str] | None = None, timeout: float = 60,
               page: Page | None = None, extra: int = 0) -> Table:
    """Run a SELECT query on a SPARQL endpoint (POST, JSON results); cells as in query.run. It is
    always sent as a query (`query=`), which a SPARQL server never runs as an update. Only a SPARQL
    JSON answer is read — never XML, RDF/XML or JSON-LD, whose remote contexts rdflib would fetch —
    and the whole answer must be in within `timeout` seconds."""
    request = _query_request(url, paged(query, bind(query, values or {}), page, extra))
    try:
        _, content_type, body = fetch(request, timeout)
    except Failure as failure:
        raise EndpointError(f"{url}: {failure.reason}") from None
    return results_table(url, content_type, body)


def _query_request(url: str, text: str) -> urllib.request.Request:
    """The SPARQL Protocol request for a SELECT query, as SPARQLWrapper makes it (POST, the query
    URL-encoded as `query=`, JSON results accepted). It is sent by fetch, not by SPARQLWrapper,
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


def results_table(url: str, content_type: str, body: bytes) -> Table:
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
                            f"({first_line(e).split(':')[0]})") from None
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
                            f"({first_line(e)})") from None


def _brief(value) -> str:
    """A JSON value as a one-line message shows it: at most 60 characters."""
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a JSON object" if isinstance(value, dict) else "a JSON array"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"
