"""`kyoyaku push` and every shipped query against Virtuoso Open Source 7, a second maker's SPARQL 1.1
server (the Oxigraph server's: tests/serve/test_server.py): the data pushed through its Graph Store
Protocol endpoint, the queries sent through the SPARQL Protocol, the same rows as the embedded store."""

from __future__ import annotations

import pytest

from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.sparql.push import agreement_graphs_prefix, graphs_of, staging_prefix
from kyoyaku.sparql.query import inline_query, list_queries, run
from kyoyaku.sparql.remote import run_remote
from kyoyaku.sparql.store import load, open_store

from ..conftest import cli
from ..serve.test_server import PARAMS, PARAMS_OF
from .virtuoso import Virtuoso

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def virtuoso():
    server = Virtuoso()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pushed(corpus, national, virtuoso):
    """The corpus and the national build pushed into Virtuoso with `kyoyaku push`, and the embedded
    store over the same files (every report query has rows on them)."""
    files = [corpus[0] / "kyoyaku.ttl", national[0] / "kyoyaku.ttl"]
    done = cli("push", "--endpoint", virtuoso.endpoint, "--graph-store", virtuoso.graph_store,
               "--update", virtuoso.endpoint, "--data", *files)
    assert done.returncode == 0, done.stderr
    return done, open_store(files), files


def test_push_into_virtuoso_without_a_warning(pushed, virtuoso):
    """Virtuoso's default graph shows its named graphs: no warning (an Oxigraph server's without
    --union-default-graph does not: tests/sparql/test_push_prune.py)."""
    done, _, files = pushed
    graphs = len(graphs_of(load(files), reference_graph()))
    assert done.stdout.startswith(f"pushed to {virtuoso.endpoint}: {graphs} graph(s) new, 0 replaced, 0 unchanged\n")
    assert done.stderr == ""


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_returns_the_same_rows_on_virtuoso(pushed, virtuoso, query):
    _, store, _ = pushed
    params = {**PARAMS, **PARAMS_OF.get(query.name, {})}
    values = {p.name: params[p.name] for p in query.parameters if not p.optional}
    embedded = run(store, query, values)
    remote = run_remote(virtuoso.endpoint, query, values)
    assert remote.columns == embedded.columns
    assert remote.rows == embedded.rows
    if not query.is_check:
        assert embedded.rows, f"{query.name} returns nothing on the data: the comparison would prove little"


def graph_names(endpoint: str) -> set[str]:
    """The server's named graphs but Virtuoso's own (listing those too takes Virtuoso 7 over a minute)."""
    table = run_remote(endpoint, inline_query(
        'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (!STRSTARTS(STR(?g), "http://www.openlinksw.com/")'
        ' && !STRSTARTS(STR(?g), "http://localhost") && !STRSTARTS(STR(?g), "http://www.w3.org/"))}'))
    return {g for g, in table.rows}


def test_push_prunes_only_its_own_stale_graphs_and_drops_left_over_staging_on_virtuoso(pushed, virtuoso):
    """A foreign graph, a stale agreement graph and a left-over staging graph: a push keeps the
    stale one (and says so), drops the staging one; --prune --quiet removes the stale one, silently."""
    done, _, files = pushed
    graphs = int(done.stdout.split(": ", 1)[1].split(" ")[0])
    stale, theirs, left = f"{agreement_graphs_prefix()}082015-999999/2099-01-01", "http://example.org/theirs", f"{staging_prefix()}x/0"
    virtuoso.update(f"INSERT DATA {{ GRAPH <{stale}> {{ <{stale}> <urn:p> 1 }} GRAPH <{theirs}> {{ <urn:s> <urn:p> 2 }} "
                    f"GRAPH <{left}> {{ <urn:s> <urn:p> 3 }} }}")
    push_args = ["push", "--endpoint", virtuoso.endpoint, "--graph-store", virtuoso.graph_store,
                 "--update", virtuoso.endpoint, "--data", *files]
    kept = cli(*push_args)
    assert (kept.returncode, kept.stderr) == (0, "")
    assert kept.stdout == (f"pushed to {virtuoso.endpoint}: 0 graph(s) new, 0 replaced, {graphs} unchanged, "
                           "1 no longer in the data kept (--prune removes them), 1 left-over staging graph(s) dropped\n")
    assert {stale, theirs} <= graph_names(virtuoso.endpoint) and left not in graph_names(virtuoso.endpoint)
    pruned = cli(*push_args, "--prune", "--quiet")
    assert (pruned.returncode, pruned.stdout, pruned.stderr) == (0, "", "")
    names = graph_names(virtuoso.endpoint)
    assert stale not in names and theirs in names
    assert len([g for g in names if g.startswith(agreement_graphs_prefix())]) == graphs - 1  # all but the reference graph
