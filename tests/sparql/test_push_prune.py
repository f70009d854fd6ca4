"""`kyoyaku push --prune` and the default-graph warning against real Oxigraph servers on 127.0.0.1
(Virtuoso's: tests/sparql/test_virtuoso.py): prune removes only kyoyaku's agreement graphs that the
data no longer have, never a foreign graph; a server whose default graph does not show the named
graphs gets one warning line on stderr, also with --quiet."""

import subprocess

import pytest

from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.sparql.push import agreement_graphs_prefix, graphs_of
from kyoyaku.sparql.store import load

from ..conftest import OXIGRAPH, cli, free_port, wait_for
from .test_push_interrupted import FOREIGN, THEIRS, foreign, same_quads, servers  # noqa: F401 (fixture)

pytestmark = pytest.mark.server
STALE = f"{agreement_graphs_prefix()}082015-999999/2099-01-01"  # an agreement graph of an earlier build


def test_prune_removes_only_the_stale_agreement_graph(corpus, servers):  # noqa: F811
    dist, _ = corpus
    server = servers("db")
    server.update(f"INSERT DATA {{ {FOREIGN} GRAPH <{STALE}> {{ <{STALE}> <urn:p> 1 }} }}")
    theirs = foreign(server.graphs())
    graphs = len(graphs_of(load([dist / "kyoyaku.ttl"]), reference_graph()))
    kept = cli("push", "--endpoint", f"{server.base}/query", "--data", dist / "kyoyaku.ttl")
    assert (kept.returncode, kept.stderr) == (0, "")
    assert kept.stdout.startswith(f"pushed to {server.base}/query: {graphs} graph(s) new, 0 replaced, 0 unchanged, "
                                  "1 no longer in the data kept (--prune removes them)\n"), kept.stdout
    assert STALE in server.graphs()
    pruned = cli("push", "--endpoint", f"{server.base}/query", "--data", dist / "kyoyaku.ttl", "--prune")
    assert (pruned.returncode, pruned.stderr) == (0, "")
    assert pruned.stdout == (f"pushed to {server.base}/query: 0 graph(s) new, 0 replaced, {graphs} unchanged, "
                             f"1 removed\n  removed: {STALE}\n")
    after = server.graphs()
    assert STALE not in after and same_quads(foreign(after), theirs)
    assert set(after) - set(theirs) == {str(g) for g in graphs_of(load([dist / "kyoyaku.ttl"]))}


def test_quiet_prints_nothing(corpus, servers):  # noqa: F811
    dist, _ = corpus
    server = servers("db")
    done = cli("push", "--endpoint", f"{server.base}/query", "--data", dist / "kyoyaku.ttl", "--quiet")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.fixture
def without_union(tmp_path):
    """An Oxigraph server whose default graph is its own graph, not the union of the named ones."""
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(tmp_path / "db"), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, process)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize("quiet", [[], ["--quiet"]], ids=["", "quiet"])
def test_a_server_without_the_union_default_graph_is_warned_of(corpus, without_union, quiet):
    dist, _ = corpus
    endpoint = f"{without_union}/query"
    done = cli("push", "--endpoint", endpoint, "--data", dist / "kyoyaku.ttl", *quiet)
    assert done.returncode == 0
    assert done.stderr == (f"kyoyaku: warning: {endpoint} does not show its named graphs in its default graph, which "
                           "the shipped queries read: they will find nothing there (make the default graph the union "
                           "of the named graphs: oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph "
                           "true)\n")
    assert (done.stdout == "") == bool(quiet)
