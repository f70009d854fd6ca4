"""SPARQL safety: parameters are bound as RDF terms, so no value can change a query (embedded store
and endpoint alike); `kyoyaku query` tells queries from updates with a SPARQL parser and runs an
update only with --allow-update, on an on-disk store; a SERVICE or LOAD never fetches locally.

The store here is synthetic (IRIs under https://example.org/synthetic/): one agreement whose 別表
rows hold the awkward characters in their text, shaped like kyoyaku's data so that the shipped
`keyword-search` query runs on it unchanged."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from kyoyaku.cli import main
from kyoyaku.errors import InputError, UsageError
from kyoyaku.sparql.query import (
    Parameter,
    Query,
    bind,
    find_query,
    operation,
    run,
    run_update,
)
from kyoyaku.sparql.remote import run_remote
from kyoyaku.sparql.store import open_store, read_store, save_store

from .. import test_no_network as loopback
from ..test_no_network import LoopbackServer

# fixtures shared with test_no_network: a recording server on 127.0.0.1, and the autouse guard
# against connections beyond the loopback
listener = loopback.listener
no_remote_connections = loopback.no_remote_connections

EX = "https://example.org/synthetic/"
KYO = "https://w3id.org/kyoyaku/ns#"
ELI = "http://data.europa.eu/eli/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Values that would end a literal, a group or the query if pasted into its text, or that a naive
# escaping would turn into other characters. Each is the text of one synthetic row.
AWKWARD = ['say "hi"', "it's", "a } b", "a { b", "# not a comment", "a > b", "a < b", "back\\slash",
           "two\nlines", "carriage\rreturn", "tab\there", "nul\x00byte", "line\u2028separator",
           "観光振興", '"""', "'''", "\\u0022", "ends with a backslash \\"]
# Attempts to break out of the literal (or the IRI): none may add a pattern or change the store.
INJECTIONS = ['x" } ; DROP ALL ; SELECT * { "', 'x" ) } UNION { ?initiative ?p ?text } #',
              'x""" ) } UNION { ?s ?p ?o } #', "x' ) } UNION { ?s ?p ?o } #", 'x\n" ) } UNION { ?s ?p ?o }\n#',
              '\\u0022 ) } UNION { ?s ?p ?o } #', 'x\\" ) } UNION { ?s ?p ?o } #', 'x> ) } UNION { ?s ?p ?o } #']
ROWS = [f"synthetic row {n}: {value}" for n, value in enumerate(AWKWARD, start=1)] + ["synthetic row: plain"]
AGREEMENT = EX + "agreement/1"


def synthetic_quads() -> list[ox.Quad]:
    def triple(s, p, o):
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o)

    quads = [triple(AGREEMENT, RDF_TYPE, ox.NamedNode(KYO + "Agreement")),
             triple(EX + "地域/1", RDFS_LABEL, ox.Literal("合成圏域 (synthetic area)", language="ja"))]
    for n, text in enumerate(ROWS, start=1):
        row = f"{AGREEMENT}/annex_1/item_{n}"
        quads += [triple(row, RDF_TYPE, ox.NamedNode(KYO + "Initiative")),
                  triple(row, ELI + "is_part_of", ox.NamedNode(AGREEMENT)),
                  triple(row, ELI + "number", ox.Literal(str(n))),
                  triple(row, KYO + "description", ox.Literal(text, language="ja")),
                  # as the mapping states them on every row (kyo:InitiativeAgreementShape, kyo:InitiativeSearchTextShape)
                  triple(row, KYO + "partOfAgreement", ox.NamedNode(AGREEMENT)),
                  triple(row, KYO + "searchText", ox.Literal(text.lower())),
                  triple(row, KYO + "sourceLine", ox.Literal(str(10 + n), datatype=ox.NamedNode(
                      "http://www.w3.org/2001/XMLSchema#integer")))]
    return quads


@pytest.fixture(scope="module")
def data_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.nt"
    path.write_bytes(ox.serialize([q.triple for q in synthetic_quads()], format=ox.RdfFormat.N_TRIPLES))
    return path


@pytest.fixture(scope="module")
def store(data_file):
    return open_store([data_file], with_reference=False)


def probe(text: str, *parameters: tuple[str, str], path: Path = Path("probe.rq")) -> Query:
    return Query("probe", path, "probe", "", text, [Parameter(n, kind, False, "") for n, kind in parameters])


def keyword_rows(table) -> list[str]:
    return [row[table.columns.index("text")] for row in table.rows]


# --- parameters are RDF terms ---------------------------------------------------------------------


@pytest.mark.parametrize("value", AWKWARD + INJECTIONS)
def test_a_string_value_is_one_literal_with_exactly_its_characters(store, value):
    echo = probe("SELECT ?echo ?length ?type WHERE { BIND (?v AS ?echo) BIND (STRLEN(?v) AS ?length) "
                 "BIND (DATATYPE(?v) AS ?type) }", ("v", "string"))
    assert operation(Query("bound", echo.path, "", "", bind(echo, {"v": value}), [])).form == "SELECT"
    assert run(store, echo, {"v": value}).rows == [[value, len(value), XSD_STRING]]


@pytest.mark.parametrize("value", AWKWARD)
def test_keyword_search_finds_exactly_the_rows_holding_the_value(store, value):
    found = keyword_rows(run(store, find_query("keyword-search"), {"keyword": value}))
    assert found == [text for text in ROWS if value.lower() in text.lower()]
    assert f"synthetic row {AWKWARD.index(value) + 1}: {value}" in found


@pytest.mark.parametrize("value", INJECTIONS)
def test_an_injection_attempt_finds_nothing_and_changes_nothing(store, value):
    before = len(store)
    assert run(store, find_query("keyword-search"), {"keyword": value}).rows == []
    assert len(store) == before == len(synthetic_quads())


def test_an_iri_value_is_one_iri_term(store):
    query = probe(f"SELECT ?label WHERE {{ ?area <{RDFS_LABEL}> ?label }}", ("area", "iri"))
    assert run(store, query, {"area": EX + "地域/1"}).rows == [["合成圏域 (synthetic area)"]]
    assert run(store, query, {"area": EX + "地域/2"}).rows == []


@pytest.mark.parametrize("value", [EX + "a> } UNION { ?s ?p ?o } #", "kyo:Agreement> } UNION { ?s ?p ?o } #",
                                   EX + "a b", EX + "a\tb", EX + "a\nb", EX + "a\rb", EX + "a\x00b", EX + "a\x01b",
                                   EX + "a\u2028b", EX + "a\u3000b", EX + "a{b", EX + "a}b", EX + 'a"b', EX + "a\\b",
                                   EX + "a<b", EX + "a|b", EX + "a^b", EX + "a`b", EX + "\\u003E", "no scheme", ""])
def test_an_iri_value_that_could_leave_its_brackets_is_a_usage_error(store, value):
    query = probe(f"SELECT ?label WHERE {{ ?area <{RDFS_LABEL}> ?label }}", ("area", "iri"))
    with pytest.raises(UsageError, match="--param area: expected an absolute IRI"):
        run(store, query, {"area": value})


@pytest.mark.parametrize("kind", ["string", "iri", "date", "integer"])
def test_a_value_that_is_not_utf8_is_a_usage_error(store, kind):
    """A command-line argument with bytes that are not UTF-8 arrives with surrogate escapes."""
    with pytest.raises(UsageError, match="--param v: expected UTF-8 text"):
        run(store, probe("SELECT ?v WHERE { }", ("v", kind)), {"v": "abc\udcff"})


# --- the same binding on an endpoint --------------------------------------------------------------


@pytest.fixture
def endpoint(store):
    """A SPARQL endpoint on 127.0.0.1 over the synthetic store: it runs each `query=` it receives
    (and refuses anything else, e.g. `update=`), recording the requests."""

    def answer(handler):
        form = urllib.parse.parse_qs(handler.server.requests[-1][2].decode("utf-8"))
        if "query" not in form or "update" in form:
            return 400, "text/plain", b"queries only"
        solutions = store.query(form["query"][0])
        return 200, "application/sparql-results+json", solutions.serialize(format=ox.QueryResultsFormat.JSON)

    server = LoopbackServer(answer)
    server.thread.start()
    yield server
    server.shutdown()
    server.server_close()


def sent_queries(server) -> list[str]:
    """The `query=` of each request, which must not have an `update=`."""
    forms = [urllib.parse.parse_qs(body.decode("utf-8")) for _, _, body in server.requests]
    assert not [form for form in forms if "update" in form]
    return [query for form in forms for query in form["query"]]


def test_run_remote_binds_the_same_way_and_finds_the_same_rows(store, endpoint):
    keyword_search = find_query("keyword-search")
    for value in AWKWARD + INJECTIONS:
        remote = run_remote(endpoint.url + "/query", keyword_search, {"keyword": value})
        assert remote.rows == run(store, keyword_search, {"keyword": value}).rows, value
    assert sent_queries(endpoint) == [bind(keyword_search, {"keyword": value}) for value in AWKWARD + INJECTIONS]


def test_a_select_whose_comments_mention_delete_is_sent_as_a_query(tmp_path, endpoint):
    """SPARQLWrapper alone took this for an update: it strips only every other comment line."""
    text = "# title: 合成 / synthetic\n# answers: which rows would a DELETE remove?\n# DROP ALL\nSELECT ?n WHERE { }\n"
    path = tmp_path / "select.rq"
    path.write_text(text, encoding="utf-8")
    assert main(["query", str(path), "--endpoint", endpoint.url + "/query", "--format", "csv"]) == 0
    assert sent_queries(endpoint) == [text]


# --- queries and updates --------------------------------------------------------------------------

UPDATES = {
    "INSERT DATA": f"INSERT DATA {{ <{EX}a> <{EX}p> 'x' }}",
    "DELETE DATA": f"DELETE DATA {{ <{EX}a> <{EX}p> 'x' }}",
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "DELETE/INSERT … WHERE": f"PREFIX ex: <{EX}>\ndelete {{ ?s ?p ?o }} insert {{ ?s ex:p 1 }} where {{ ?s ?p ?o }}",
    "DROP": "drop all",
    "CLEAR": "CLEAR DEFAULT",
    "LOAD": "LOAD <http://127.0.0.1:9/synthetic.ttl>",
    "CREATE": f"CREATE GRAPH <{EX}g>",
    "ADD": f"ADD DEFAULT TO <{EX}g>",
    "MOVE": f"MOVE DEFAULT TO <{EX}g>",
    "COPY": f"COPY DEFAULT TO <{EX}g>",
}
HEADER = "# title: 合成 / synthetic\n# answers: nothing real\n"


def query_file(tmp_path: Path, body: str, name: str = "q.rq") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("operation_name", list(UPDATES))
def test_every_update_is_refused_without_allow_update(tmp_path, data_file, capsys, operation_name):
    # hidden after a comment line that is itself a query
    path = query_file(tmp_path, "# SELECT * WHERE { ?s ?p ?o }\n" + UPDATES[operation_name])
    assert main(["query", str(path), "--data", str(data_file)]) == 2
    assert capsys.readouterr().err == (f"kyoyaku: {path} is a SPARQL update ({operation_name}): kyoyaku query runs "
                                       "it only with --allow-update, on an on-disk store (--store PATH)\n")


def test_a_select_that_mentions_updates_in_comments_and_strings_runs(tmp_path, data_file, capsys):
    path = query_file(tmp_path, f"# DELETE WHERE {{ ?s ?p ?o }} ; DROP ALL\nPREFIX kyo: <{KYO}>\n"
                                "SELECT ?text WHERE { ?row kyo:description ?text "
                                "FILTER (?text != 'DROP ALL' && ?text != \"\"\"INSERT DATA { }\"\"\") } ORDER BY ?text")
    assert main(["query", str(path), "--data", str(data_file), "--format", "json"]) == 0
    assert [r["text"] for r in json.loads(capsys.readouterr().out)] == sorted(ROWS)


@pytest.mark.parametrize("text,form", [("ASK { ?s ?p ?o }", "ASK"), ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
                                       (f"DESCRIBE <{EX}a>", "DESCRIBE")])
def test_other_query_forms_are_input_errors(tmp_path, data_file, store, capsys, text, form):
    path = query_file(tmp_path, text)
    assert main(["query", str(path), "--data", str(data_file)]) == 2
    assert capsys.readouterr().err == f"kyoyaku: {path}: expected a SELECT query (its rows make the table), found '{form}'\n"
    with pytest.raises(InputError, match="expected a SELECT query"):  # run() itself, from Python
        run(store, probe(text))


def test_invalid_sparql_names_the_file_and_line(tmp_path, capsys):
    path = query_file(tmp_path, "PREFIX ex: <https://example.org/synthetic/>\nSELECT * WHERE {\n  ?s ex:p\n}")
    assert main(["query", str(path)]) == 2
    assert capsys.readouterr().err == (f"kyoyaku: {path}:5: expected a SPARQL 1.1 query (or update), "
                                       "found \"Expected SelectQuery, found '?'\"\n")
    update = query_file(tmp_path, "INSERT DATA {\n  <https://example.org/synthetic/a> <https://example.org/synthetic/p>\n}", "u.rq")
    with pytest.raises(InputError) as refused:
        operation(Query("u", update, "", "", update.read_text(encoding="utf-8"), []))
    assert (refused.value.line, refused.value.found) == (4, "Expected InsertData, found '<'")


ON_DISK_ONLY = ("an update changes an on-disk store (--store PATH, written by `kyoyaku build --store PATH`); "
                "data files (--data) are only read, never changed")


@pytest.mark.parametrize("extra,message", [
    (["--data", "DATA"], ON_DISK_ONLY),
    ([], ON_DISK_ONLY),
    (["--endpoint", "http://127.0.0.1:9/query"],
     "kyoyaku query sends an endpoint queries only, never updates (use the server's own update endpoint)"),
    (["--store", "STORE", "--param", "x=1"], "updates take no --param"),
], ids=["--data", "default data", "--endpoint", "--param"])
def test_allow_update_runs_on_an_on_disk_store_only(tmp_path, data_file, capsys, extra, message):
    path = query_file(tmp_path, UPDATES["DROP"])
    before = data_file.read_bytes()
    argv = [a.replace("DATA", str(data_file)).replace("STORE", str(tmp_path / "store")) for a in extra]
    assert main(["query", str(path), "--allow-update", *argv]) == 2
    assert capsys.readouterr().err == f"kyoyaku: {path} is a SPARQL update (DROP): {message}\n"
    assert data_file.read_bytes() == before


@pytest.fixture
def disk_store(tmp_path, data_file) -> Path:
    return save_store([data_file], tmp_path / "store")


def test_allow_update_changes_the_store_and_says_what_changed(tmp_path, disk_store, capsys):
    total = len(read_store(disk_store))
    update = query_file(tmp_path, f"PREFIX kyo: <{KYO}>\nDELETE {{ ?row kyo:description ?text }}\n"
                                  "INSERT { ?row kyo:description 'synthetic: replaced' ; kyo:category 'synthetic' }\n"
                                  "WHERE { ?row kyo:description ?text FILTER (CONTAINS(?text, 'plain')) }")
    assert main(["query", str(update), "--store", str(disk_store), "--allow-update"]) == 0
    assert capsys.readouterr().out == f"updated {disk_store}: 2 quad(s) added, 1 removed; the store holds {total + 1}\n"
    select = query_file(tmp_path, f"PREFIX kyo: <{KYO}>\nSELECT ?text WHERE {{ ?row kyo:category ?c ; "
                                  "kyo:description ?text }", "select.rq")
    assert main(["query", str(select), "--store", str(disk_store), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "text\nsynthetic: replaced\n"
    assert not (tmp_path / ".store.lock").exists()  # the store's lock was held, and let go


def test_a_store_kyoyaku_did_not_write_is_not_updated(tmp_path, capsys):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    path = query_file(tmp_path, UPDATES["DROP"])
    assert main(["query", str(path), "--store", str(foreign), "--allow-update"]) == 2
    assert capsys.readouterr().err == (f"kyoyaku: {foreign}: expected an on-disk store written by "
                                       "`kyoyaku build --store`, found 'none there'\n")
    assert list(foreign.iterdir()) == []


def test_run_update_counts_what_it_added_and_removed():
    scratch = ox.Store()
    scratch.extend(synthetic_quads())
    change = run_update(scratch, probe(f"PREFIX eli: <{ELI}>\nDELETE {{ ?row eli:number ?n }} "
                                       "INSERT { ?row eli:number ?n } WHERE { ?row eli:number ?n }"))
    assert (change.added, change.removed, change.total) == (0, 0, len(synthetic_quads()))
    change = run_update(scratch, probe(f"DELETE WHERE {{ <{AGREEMENT}/annex_1/item_1> ?p ?o }}"))
    # a row's 7 triples: type, is_part_of, number, description, partOfAgreement, searchText, sourceLine
    assert (change.added, change.removed, change.total) == (0, 7, len(synthetic_quads()) - 7)
    assert change.text() == f"0 quad(s) added, 7 removed; the store holds {len(synthetic_quads()) - 7}"


# --- SERVICE and LOAD fetch: never on local data ----------------------------------------------------


def test_service_is_refused_on_local_data(tmp_path, data_file, listener, capsys):
    path = query_file(tmp_path, f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}")
    assert main(["query", str(path), "--data", str(data_file)]) == 2
    assert capsys.readouterr().err == (f"kyoyaku: {path}: SERVICE <{listener.url}/sparql> would fetch over the "
                                       "network; kyoyaku query runs on local data only (a SELECT with SERVICE can "
                                       "run on a server: --endpoint URL)\n")
    assert listener.connections == []


def test_service_by_a_prefixed_name_is_refused_on_local_data(tmp_path, data_file, listener, capsys):
    path = query_file(tmp_path, f"PREFIX remote: <{listener.url}/>\nSELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}")
    assert main(["query", str(path), "--data", str(data_file)]) == 2
    assert capsys.readouterr().err.startswith(f"kyoyaku: {path}: SERVICE remote:sparql would fetch over the network;")
    assert listener.connections == []


def test_load_is_refused_even_with_allow_update(tmp_path, disk_store, listener, capsys):
    total = len(read_store(disk_store))
    path = query_file(tmp_path, f"LOAD <{listener.url}/synthetic.ttl>")
    assert main(["query", str(path), "--store", str(disk_store), "--allow-update"]) == 2
    assert f"LOAD <{listener.url}/synthetic.ttl> would fetch over the network" in capsys.readouterr().err
    assert listener.connections == [] and len(read_store(disk_store)) == total


def test_oxigraph_alone_would_fetch_a_service(listener):
    """Why SERVICE is refused: pyoxigraph's engine calls the service over HTTP."""
    with pytest.raises(RuntimeError, match="Content-Type returned by service"):  # the listener's: not results
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"))
    assert len(listener.connections) == 1
