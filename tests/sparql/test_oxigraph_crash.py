"""An Oxigraph panic (a Rust panic aborts the process that runs the engine; the one found: ORDER BY
over literals of different types, docs/oxigraph-panic.md) is one line and exit 2 in `kyoyaku
query`, which runs the embedded engine in a child process (kyoyaku.sparql.isolate); the reproduction in
the docs still aborts the installed pyoxigraph and `oxigraph` command. `kyoyaku serve` restarting
its Oxigraph server after such a panic: tests/serve/test_serve_front.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kyoyaku.errors import EngineError, InputError
from kyoyaku.sparql.isolate import KNOWN_CRASHES, crash_reason, in_child
from kyoyaku.sparql.query import find_query, run
from kyoyaku.sparql.store import open_store, save_store

from ..conftest import FIXTURES, OXIGRAPH, cli

PANIC = FIXTURES / "oxigraph-panic"
ORDER_MIXED = PANIC / "order-mixed.rq"
TOTAL_ORDER = "user-provided comparison function does not correctly implement a total order"


def crash_line(query: Path) -> str:
    meaning = KNOWN_CRASHES["does not correctly implement a total order"]
    return f"kyoyaku: {query}: Oxigraph stopped while running this query (Oxigraph panicked: {TOTAL_ORDER} — {meaning})\n"


@pytest.fixture(scope="module")
def corpus_store(corpus, tmp_path_factory):
    dist, _ = corpus
    return save_store([dist / "kyoyaku.ttl"], tmp_path_factory.mktemp("crash") / "store")


def test_a_query_that_crashes_oxigraph_is_one_line_and_exit_2_on_a_store(corpus_store):
    done = cli("query", ORDER_MIXED, "--store", corpus_store)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", crash_line(ORDER_MIXED))


def test_a_query_that_crashes_oxigraph_is_one_line_and_exit_2_on_data_files(corpus):
    dist, _ = corpus
    done = cli("query", ORDER_MIXED, "--data", dist / "kyoyaku.ttl", "--format", "csv")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", crash_line(ORDER_MIXED))


def test_the_same_query_ordered_by_string_runs(corpus_store, tmp_path):
    by_string = tmp_path / "order-by-str.rq"
    by_string.write_text(ORDER_MIXED.read_text(encoding="utf-8").replace("ORDER BY ?c", "ORDER BY STR(?c)"),
                         encoding="utf-8")
    done = cli("query", by_string, "--store", corpus_store, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["c"] + sorted([str(n) for n in range(1, 30)] + ["15"])


def test_a_query_in_a_child_gives_the_rows_of_one_run_here(corpus):
    _, store = corpus
    query = find_query("area-summary")
    dist, _ = corpus
    here = run(store, query)
    there = in_child(lambda: run(open_store([dist / "kyoyaku.ttl"]), query), str(query.path))
    assert there == here and len(here.rows) > 1


def test_an_error_in_the_child_is_raised_here_as_it_was():
    def fails():
        raise InputError(Path("a.rq"), 3, "a SELECT query", "ASK")

    with pytest.raises(InputError) as info:
        in_child(fails, "a.rq")
    assert (str(info.value), info.value.line) == ("a.rq:3: expected a SELECT query, found 'ASK'", 3)


def test_a_child_that_dies_is_an_engine_error_naming_how():
    with pytest.raises(EngineError) as info:
        in_child(lambda: os.abort(), "q.rq")
    assert str(info.value) == "q.rq: Oxigraph stopped while running this query (killed by SIGABRT)"


@pytest.mark.parametrize("stderr, reason", [
    pytest.param(f"\nthread '<unnamed>' (12800) panicked at /rustc/58cf/library/core/src/slice/sort/shared/"
                 f"smallsort.rs:854:5:\n{TOTAL_ORDER}\nstack backtrace:\n   0: __rustc::rust_begin_unwind\n",
                 f"Oxigraph panicked: {TOTAL_ORDER} — {KNOWN_CRASHES['does not correctly implement a total order']}",
                 id="Rust 1.73 and later"),
    pytest.param("thread 'main' panicked at 'index out of bounds', src/eval.rs:10:5\n",
                 "Oxigraph panicked: 'index out of bounds', src/eval.rs:10:5", id="older Rust"),
    pytest.param("memory allocation of 68719476736 bytes failed\n",
                 "Oxigraph panicked: memory allocation of 68719476736 bytes failed", id="out of memory"),
    pytest.param("", "killed by SIGKILL", id="killed"),
])
def test_crash_reason_is_one_line(stderr, reason):
    assert crash_reason(stderr, -9) == reason


def test_the_reproduction_still_aborts_pyoxigraph():
    """The reproduction of docs/oxigraph-panic.md, on the installed pyoxigraph: when this fails, an
    upgrade fixed the bug — say so in the docs."""
    script = ("import sys, pyoxigraph as ox\n"
              "store = ox.Store()\n"
              "store.load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)\n"
              "print(list(store.query('SELECT ?c WHERE { ?s ?p ?c } ORDER BY ?c')))\n")
    done = subprocess.run([sys.executable, "-c", script, str(PANIC / "mixed-literals.ttl")], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == -6 and TOTAL_ORDER in done.stderr and done.stdout == "", done


def test_the_reproduction_still_aborts_the_oxigraph_command(tmp_path):
    loaded = subprocess.run([str(OXIGRAPH), "load", "--location", str(tmp_path / "db"), "--file",
                             str(PANIC / "mixed-literals.ttl")], capture_output=True, text=True, timeout=60, check=False)
    assert loaded.returncode == 0, loaded.stderr
    done = subprocess.run([str(OXIGRAPH), "query", "--location", str(tmp_path / "db"), "--results-format", "csv",
                           "--query", "SELECT ?c WHERE { ?s ?p ?c } ORDER BY ?c"], capture_output=True, text=True, check=False,
                          timeout=60)
    assert done.returncode == -6 and TOTAL_ORDER in done.stderr and done.stdout == "", done
