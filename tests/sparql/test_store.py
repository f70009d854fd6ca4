"""Reading RDF files and on-disk stores (kyoyaku.sparql.store): what rdflib (validate, render, push) and
Oxigraph (query, serve, validate's checks) refuse, each as one line naming the file and, where there
is one, the line — the same rule for both readers, and never an empty graph taken for data."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess

import pytest

from kyoyaku.cli import main
from kyoyaku.errors import InputError
from kyoyaku.sparql.store import (
    OXIGRAPH_MAX_TOKEN,
    load,
    open_store,
    read_store,
    save_store,
)

from ..conftest import KYOYAKU, SEED

PREFIX = "@prefix ex: <http://example.org/> .\n"
ALL = "# title: every triple\nSELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://example.org/')) }\n"


@pytest.fixture
def every_triple(tmp_path):
    query = tmp_path / "all.rq"
    query.write_text(ALL, encoding="utf-8")
    return query


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == "", "nothing is printed before the error"
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    return captured.err


def nested(depth: int, opening: str, closing: str) -> str:
    return f"{PREFIX}ex:a ex:p {opening * depth}ex:b{closing * depth} .\n"


@pytest.mark.parametrize("opening, closing, triples", [("[ ex:p ", " ]", 10_001), ("( ", " )", 20_001),
                                                       ("[ ex:p ( ", " ) ]", 30_001)],
                         ids=["blank-nodes", "collections", "both"])
def test_validate_and_query_read_the_same_deep_nesting(tmp_path, every_triple, capsys, opening, closing, triples):
    """rdflib (validate, render) recursed out of its stack near 120 levels, which Oxigraph (query)
    read: 10,000 levels are read by both, into the same triples."""
    deep = tmp_path / "deep.ttl"
    deep.write_text(nested(10_000, opening, closing), encoding="utf-8")
    assert len(load([deep])) == triples == len(open_store([deep], with_reference=False))
    assert main(["validate", str(deep)]) == 0
    assert capsys.readouterr() == ("conforms\n", "")
    assert main(["query", str(every_triple), "--data", str(deep), "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 2  # the header, and ex:a ex:p _:b


def test_deep_turtle_after_other_data_keeps_no_half_parse(tmp_path):
    """rdflib gives up half-way through the file: what it had added is dropped before Oxigraph
    reads the file."""
    first = tmp_path / "first.ttl"
    first.write_text(PREFIX + "ex:x ex:p ex:y .\n", encoding="utf-8")
    deep = tmp_path / "deep.ttl"
    deep.write_text(nested(10_000, "[ ex:p ", " ]"), encoding="utf-8")
    for files in ([deep], [first, deep]):
        assert len(load(files)) == 10_001 + len(files) - 1


def test_deep_json_ld_is_refused_alike_by_validate_and_query(tmp_path, every_triple, capsys):
    """JSON-LD goes through rdflib for both commands (Oxigraph's JSON-LD is not used)."""
    deep = tmp_path / "deep.jsonld"  # written as text: json.dumps itself recurses
    deep.write_text('{"@context": {}, ' + '"http://example.org/p": {' * 5_000 + '"@id": "http://example.org/z"'
                    + "}" * 5_001, encoding="utf-8")
    expected = f"kyoyaku: {deep}: expected valid json-ld, found 'nesting too deep for the parser'\n"
    for command in (["validate", str(deep)], ["query", str(every_triple), "--data", str(deep)]):
        assert main(command) == 2
        assert one_error_line(capsys) == expected


def test_a_literal_over_16_mib_is_one_line_in_validate_query_and_serve(tmp_path, every_triple, capsys):
    """Oxigraph raised MemoryError (a traceback, exit 1) on a token over its 16 MiB buffer."""
    big = tmp_path / "big.ttl"
    big.write_text(f'{PREFIX}ex:a ex:p "small" .\nex:a ex:q "{"x" * (OXIGRAPH_MAX_TOKEN + 1)}" .\n', encoding="utf-8")
    expected = (f"kyoyaku: {big}:3: expected literals and IRIs of at most 16,777,216 bytes (16 MiB, Oxigraph's "
                "limit), found 'a longer one'\n")
    for command in (["validate", str(big)], ["query", str(every_triple), "--data", str(big)]):
        assert main(command) == 2
        assert one_error_line(capsys) == expected
    with pytest.raises(InputError) as serving:  # `serve --data` loads the files so, into its store
        open_store([big], location=tmp_path / "store")
    assert f"kyoyaku: {serving.value}\n" == expected


@pytest.mark.parametrize("name, content, found", [
    ("empty.ttl", "", "expected RDF data (turtle, at least one triple), found '0 triples'"),
    ("prefixes.ttl", PREFIX + "# only a comment\n", "expected RDF data (turtle, at least one triple), found '0 triples'"),
    ("empty.nt", "\n", "expected RDF data (nt, at least one triple), found '0 triples'"),
    ("named.trig", PREFIX + "ex:g { ex:a ex:p ex:b . }\n",
     "expected RDF data (trig, at least one triple in the default graph), found '0 triples'"),
    ("named.nq", "<http://example.org/a> <http://example.org/p> <http://example.org/b> <http://example.org/g> .\n",
     "expected RDF data (nquads, at least one triple in the default graph), found '0 triples'"),
    ("empty.jsonld", '{"@context": {"ex": "http://example.org/"}}',
     "expected RDF data (json-ld, at least one triple), found '0 triples'"),
])
def test_a_file_without_triples_is_refused_not_reported_as_conforming(tmp_path, every_triple, capsys, name, content,
                                                                       found):
    """`validate` said `conforms` and `query` gave 0 rows, exit 0, on a file with no data at all."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    for command in (["validate", str(path)], ["query", str(every_triple), "--data", str(path)]):
        assert main(command) == 2
        assert one_error_line(capsys) == f"kyoyaku: {path}: {found}\n"


def test_the_json_that_parse_writes_is_not_rdf(tmp_path, capsys):
    assert main(["parse", str(SEED)]) == 0
    parsed = tmp_path / "parsed.json"
    parsed.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["validate", str(parsed)]) == 2
    assert one_error_line(capsys) == (f"kyoyaku: {parsed}: expected RDF data (JSON-LD: JSON with @context, @id …), "
                                      "found 'JSON that is not JSON-LD, 0 triples'\n")


def test_a_second_file_repeating_the_first_is_data_not_an_empty_file(tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text(PREFIX + "ex:a ex:p ex:b .\n", encoding="utf-8")
    copy = tmp_path / "b.ttl"
    shutil.copy(path, copy)
    assert len(load([path, copy])) == 1
    empty = tmp_path / "c.ttl"
    empty.write_text(PREFIX, encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.ttl: expected RDF data \(turtle, at least one triple\), found '0 triples'"):
        load([path, empty])
    with pytest.raises(InputError, match=r"c\.ttl: expected RDF data"):
        open_store([path, empty], with_reference=False)


def test_a_turtle_syntax_error_keeps_the_parsers_reason(tmp_path):
    """rdflib's message starts with "at line 3 of <>:", the reason on the next line: only the first
    line was kept."""
    path = tmp_path / "syntax.ttl"
    path.write_text(PREFIX + 'ex:a ex:p "x" .\nex:b ex:p ex:c ex:d .\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load([path])
    assert str(info.value) == (f"{path}:3: expected valid turtle, found \"expected '.' or '}}' or ']' at end of "
                               "statement, at: ex:d .\"")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An on-disk store of the seed's graph, as `kyoyaku build --store` writes it."""
    from kyoyaku.graph.mapping import to_graph
    from kyoyaku.publish.writers import write_dataset
    from kyoyaku.text.parse import parse_file

    work = tmp_path_factory.mktemp("store")
    write_dataset(to_graph(parse_file(SEED)), work)
    return save_store([work / "kyoyaku.ttl"], work / "store")


def truncate_a_table(database):
    table = min(database.glob("*.sst"))
    table.write_bytes(table.read_bytes()[:100])


def remove_a_table(database):
    min(database.glob("*.sst")).unlink()


def garble_the_manifest(database):
    next(database.glob("MANIFEST-*")).write_bytes(bytes(range(256)) * 2)


@pytest.mark.parametrize("damage", [truncate_a_table, remove_a_table, garble_the_manifest])
def test_a_damaged_store_is_one_line_exit_2(store, tmp_path, damage):
    """Oxigraph raised RuntimeError ("Corruption: …", a traceback, exit 1) on opening the store. In
    a child process with bounded memory: a store opened despite its damage can make Oxigraph's
    queries allocate without end instead of failing."""
    damaged = tmp_path / "store"
    shutil.copytree(store, damaged)
    damage(damaged / "oxigraph")

    def bounded():
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    done = subprocess.run([*KYOYAKU, "query", "area-sizes", "--store", str(damaged)], capture_output=True, text=True,
                          timeout=120, check=False, preexec_fn=bounded)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"kyoyaku: {damaged}: expected a readable Oxigraph store (a damaged one is rebuilt "
                                  "by `kyoyaku build --store`), found 'Corruption: ")
    assert done.stderr.count("\n") == 1
    with pytest.raises(InputError, match="found 'Corruption: "):
        read_store(damaged)


def test_serve_on_a_damaged_store_is_one_line_before_anything_listens(store, tmp_path, capsys):
    """`serve --store` reported the Oxigraph server's failure at start with a line of its Rust
    backtrace ("the Oxigraph server stopped at start: 6: _start"): the store is opened here first."""
    damaged = tmp_path / "store"
    shutil.copytree(store, damaged)
    truncate_a_table(damaged / "oxigraph")
    assert main(["serve", "--store", str(damaged), "--port", "1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"kyoyaku: {damaged}: expected a readable Oxigraph store (a damaged one is rebuilt by "
                          "`kyoyaku build --store`), found 'Corruption: ")
    assert err.count("\n") == 1


def test_a_damaged_block_met_while_reading_rows_is_the_same_one_line(store, monkeypatch, capsys):
    """A store can open and then fail while a query reads a damaged block (flipped bits: RocksDB's
    "block checksum mismatch", raised as RuntimeError from the row iterator): the same one line as a
    store that does not open, not a traceback. The query runs in a forked child, which inherits the
    patch."""
    import kyoyaku.sparql.query

    def damaged(*args, **kwargs):
        raise RuntimeError("Corruption: block checksum mismatch: stored = 1, computed = 2 in 000049.sst")

    monkeypatch.setattr(kyoyaku.sparql.query, "run", damaged)
    assert main(["query", "area-sizes", "--store", str(store)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"kyoyaku: {store}: expected a readable Oxigraph store (a damaged one is rebuilt by `kyoyaku "
                   "build --store`), found 'Corruption: block checksum mismatch: stored = 1, computed = 2 in "
                   "000049.sst'\n")


def test_a_literal_of_the_wrong_type_is_kept_as_written_in_query_results(tmp_path, every_triple, capsys):
    """query.python_value raised ValueError on "abc"^^xsd:integer: legal RDF, though ill-typed."""
    path = tmp_path / "ill-typed.ttl"
    path.write_text(PREFIX + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                    'ex:a ex:integer "abc"^^xsd:integer ; ex:padded " 12 "^^xsd:integer ; ex:double "1e3"^^xsd:double ;'
                    ' ex:decimal "1,5"^^xsd:decimal ; ex:one "1"^^xsd:boolean ; ex:yes "yes"^^xsd:boolean .\n',
                    encoding="utf-8")
    assert main(["query", str(every_triple), "--data", str(path), "--format", "json"]) == 0
    rows = {row["p"].rsplit("/", 1)[1]: row["o"] for row in json.loads(capsys.readouterr().out)}
    assert rows == {"integer": "abc", "padded": 12, "double": 1000.0, "decimal": "1,5", "one": True, "yes": "yes"}
