"""`kyoyaku push` against real Oxigraph servers on 127.0.0.1 with an on-disk store: it never touches
graphs it did not write (the default graph, someone's named graphs, a `urn:kyoyaku:staging:…` look-alike),
it drops the staging graphs a push left behind, a push whose server was killed part-way and
restarted on the same store ends, when re-run, with exactly the quads of one clean push, and a push
whose staging graphs another push dropped fails without changing anything."""

import signal
import subprocess
import urllib.request
import warnings

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

import kyoyaku.sparql.push as push_module
from kyoyaku.errors import EndpointError
from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.sparql.push import graphs_of, push, same_graph, staging_prefix
from kyoyaku.sparql.push_lock import lock_graph
from kyoyaku.sparql.store import load

from ..conftest import OXIGRAPH, cli, free_port, wait_for

STAGING, LOCK = staging_prefix(), lock_graph()  # under the default base: these tests build with the defaults

pytestmark = pytest.mark.server
THEIRS = "http://example.org/theirs"
# someone else's data, synthetic; the last graph only looks like the staging names of older kyoyaku versions
FOREIGN = f"""
<http://example.org/s> <http://example.org/p> "in the default graph" .
GRAPH <{THEIRS}> {{ <http://example.org/s> <http://example.org/p> "theirs" . }}
GRAPH <urn:kyoyaku:staging:theirs> {{ <http://example.org/s> <http://example.org/p> "not kyoyaku's" . }}
"""
MODIFIED = URIRef("http://purl.org/dc/terms/modified")


class Oxigraph:
    """A read-write Oxigraph server on an on-disk store, which can be killed and started again on it."""

    def __init__(self, location):
        self.location, self.process, self.base = location, None, None

    def start(self) -> "Oxigraph":
        port = free_port()
        self.process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(self.location),
                                         "--union-default-graph", "--bind", f"127.0.0.1:{port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(port, self.process)
        self.base = f"http://127.0.0.1:{port}"
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)  # no chance to flush or close anything
        self.process.wait(timeout=10)

    def update(self, text: str) -> None:
        request = urllib.request.Request(f"{self.base}/update", data=text.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=30).close()

    def graphs(self) -> dict[str, Graph]:
        """Every quad on the server, by graph ("" for the default graph)."""
        request = urllib.request.Request(f"{self.base}/store", headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
        dataset = Dataset()
        with warnings.catch_warnings():  # rdflib's own N-Quads parser calls its deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=text, format="nquads")
        return {("" if g.identifier == dataset.default_graph.identifier else str(g.identifier)): Graph() + g
                for g in dataset.graphs() if len(g)}


@pytest.fixture
def servers(tmp_path):
    started = []

    def server(name: str) -> Oxigraph:
        started.append(Oxigraph(tmp_path / name).start())
        return started[-1]

    yield server
    for each in started:
        if each.process.poll() is None:
            each.process.terminate()
            each.process.wait(timeout=10)


def same_quads(a: dict[str, Graph], b: dict[str, Graph]) -> bool:
    """The same graphs with the same triples, up to blank-node names (the ontology's OWL lists)."""
    return a.keys() == b.keys() and all(same_graph(a[name], b[name]) for name in a)


def foreign(graphs: dict[str, Graph]) -> dict[str, Graph]:
    return {name: graph for name, graph in graphs.items() if name in {"", THEIRS, "urn:kyoyaku:staging:theirs"}}


def staging(graphs: dict[str, Graph]) -> list[str]:
    return sorted(name for name in graphs if name.startswith(STAGING))


def modified(data: Graph) -> Graph:
    """The data with one more triple in every agreement's graph: a push replaces all of them."""
    changed = Graph() + data
    for agreement in graphs_of(data):
        changed.add((agreement, MODIFIED, Literal("2026-11-24")))
    return changed


def on_put(monkeypatch, before=lambda n: None, after=lambda n: None) -> list:
    """Wraps push's Graph Store PUT: records each graph written and calls before(n) and after(n)
    around the n-th PUT. Returns the list of graphs, growing as push runs."""
    real_put, calls = push_module._Server.put, []

    def put(self, graph, text):
        calls.append(graph)
        before(len(calls))
        real_put(self, graph, text)
        after(len(calls))

    monkeypatch.setattr(push_module._Server, "put", put)
    return calls


def test_push_leaves_graphs_it_did_not_write_alone(corpus, servers):
    dist, _ = corpus
    data, server = load([dist / "kyoyaku.ttl"]), servers("db")
    server.update(f"INSERT DATA {{ {FOREIGN} }}")
    theirs = foreign(server.graphs())
    assert len(theirs) == 3
    push(data, f"{server.base}/query", reference=reference_graph())
    push(modified(data), f"{server.base}/query", reference=reference_graph())  # every graph replaced
    after = server.graphs()
    assert same_quads(foreign(after), theirs)
    assert len(after) == len(theirs) + len(graphs_of(data)) and staging(after) == []


def test_the_next_push_drops_staging_graphs_left_by_an_interrupted_one(corpus, servers, monkeypatch):
    dist, _ = corpus
    data, server = load([dist / "kyoyaku.ttl"]), servers("db")
    server.update(f"INSERT DATA {{ {FOREIGN} }}")
    theirs = foreign(server.graphs())

    def interrupt(n):
        if n == 4:
            raise KeyboardInterrupt  # Ctrl-C while staging: nothing gets to clean up

    calls = on_put(monkeypatch, before=interrupt)
    with pytest.raises(KeyboardInterrupt):
        push(data, f"{server.base}/query", reference=reference_graph())
    monkeypatch.undo()
    left = staging(server.graphs())
    assert left == sorted(str(g) for g in calls[:3])
    done = cli("push", "--endpoint", f"{server.base}/query", "--data", dist / "kyoyaku.ttl")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"pushed to {server.base}/query: 21 graph(s) new, 0 replaced, 0 unchanged, "
                                  "3 left-over staging graph(s) dropped\n"), done.stdout
    after = server.graphs()
    assert staging(after) == [] and same_quads(foreign(after), theirs)


def test_a_push_whose_server_was_killed_part_way_can_be_re_run_to_the_same_end(corpus, servers, monkeypatch):
    dist, _ = corpus
    old, server = load([dist / "kyoyaku.ttl"]), servers("db")
    new = modified(old)
    server.update(f"INSERT DATA {{ {FOREIGN} }}")
    push(old, f"{server.base}/query", reference=reference_graph())
    before = server.graphs()


    def kill(n):
        if n == 5:
            server.kill()

    calls = on_put(monkeypatch, after=kill)
    with pytest.raises(EndpointError, match="cannot connect"):
        push(new, f"{server.base}/query", reference=reference_graph(), wait=lambda seconds: None)
    monkeypatch.undo()
    assert len(calls) == 6  # the sixth PUT found the server gone

    server.start()  # the same on-disk store, a new port
    interrupted = server.graphs()
    assert staging(interrupted) == sorted(str(g) for g in calls[:5])  # what the next push must clean up
    # and the lock, whose push (in this process) has ended: the next push removes it at once
    run = calls[0].split("/")[-2]
    assert set(interrupted[str(LOCK)].subjects()) == {URIRef(f"{LOCK}#{run}")}
    assert same_quads({k: v for k, v in interrupted.items() if not k.startswith(STAGING) and k != str(LOCK)}, before)

    heard = []
    summary = push(new, f"{server.base}/query", reference=reference_graph(), log=heard.append)
    assert (len(summary.new), len(summary.replaced), len(summary.unchanged), len(summary.leftovers)) == (0, 21, 0, 5)
    assert len(heard) == 1 and heard[0].startswith(f"removed the push lock {LOCK} of push {run[:12]} (pid ") \
        and heard[0].endswith(": that push, in this process, has ended"), heard

    clean = servers("clean")  # what one push of the same data does to a server holding the same foreign data
    clean.update(f"INSERT DATA {{ {FOREIGN} }}")
    push(new, f"{clean.base}/query", reference=reference_graph())
    assert same_quads(server.graphs(), clean.graphs())
    again = push(new, f"{server.base}/query", reference=reference_graph())
    assert (len(again.unchanged), again.new, again.replaced, again.leftovers) == (21, [], [], [])


def test_a_push_whose_staging_graphs_were_dropped_by_another_fails_and_changes_nothing(corpus, servers, monkeypatch):
    dist, _ = corpus
    data, server = load([dist / "kyoyaku.ttl"]), servers("db")
    push(data, f"{server.base}/query", reference=reference_graph())
    before = server.graphs()

    def lose_them(n):
        if n == 2:  # what a second push started meanwhile does: drop the staging graphs so far
            server.update(" ; ".join(f"DROP GRAPH <{g}>" for g in calls))

    calls = on_put(monkeypatch, after=lose_them)
    with pytest.raises(EndpointError, match="HTTP 500"):  # MOVE from a graph that is gone
        push(modified(data), f"{server.base}/query", reference=reference_graph(), wait=lambda seconds: None)
    assert same_quads(server.graphs(), before)  # MOVE SILENT would have emptied two agreements' graphs
