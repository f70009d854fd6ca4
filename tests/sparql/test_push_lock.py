"""One push at a time, against real Oxigraph servers on 127.0.0.1 with an on-disk store: of two
`kyoyaku push` processes started together, one stops with one line naming the lock and its holder
(or, with --lock-timeout, waits for it), and every agreement graph ends holding exactly one push's
version, never a mix; abandoned locks (a stale claim, a holder whose process ended) are removed with
a message; a live push keeps its claim fresh; a push whose claim was taken over moves nothing.

The Oxigraph server (0.5.13, on-disk store) does not serialise two `INSERT … WHERE { FILTER NOT
EXISTS … }` updates: measured with six clients claiming at once, 12 of 60 rounds ended with two
claims. The lock reads its claim back to cope (sparql.push_lock._PushLock); the thread test below claims
from six threads at once, round after round."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from rdflib import Graph, Literal, URIRef

import kyoyaku.sparql.push as push_module
from kyoyaku.errors import EndpointError
from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.sparql import push_lock
from kyoyaku.sparql.push import graphs_of, push, reference_graph_iri, staging_prefix
from kyoyaku.sparql.push_lock import lock_graph
from kyoyaku.sparql.store import load

from ..conftest import KYOYAKU, cli
from .test_push_interrupted import Oxigraph, on_put, same_quads

REFERENCE_GRAPH, STAGING, LOCK = reference_graph_iri(), staging_prefix(), lock_graph()  # under the default base

pytestmark = pytest.mark.server
MODIFIED = URIRef("http://purl.org/dc/terms/modified")
ROUNDS = 20
HOST = socket.gethostname()
OTHER = "0123456789abcdef0123456789abcdef"  # the run id of a push on another machine, synthetic


@pytest.fixture
def server(tmp_path):
    oxigraph = Oxigraph(tmp_path / "db").start()
    yield oxigraph
    oxigraph.process.terminate()
    oxigraph.process.wait(timeout=10)


@pytest.fixture(scope="module")
def data(corpus):
    dist, _ = corpus
    return load([dist / "kyoyaku.ttl"])


def version(data: Graph, label: str) -> Graph:
    """The data with `label` in every agreement's graph (dcterms:modified on the agreement)."""
    marked = Graph() + data
    for agreement in graphs_of(data):
        if agreement != REFERENCE_GRAPH:
            marked.add((agreement, MODIFIED, Literal(label)))
    return marked


def write_version(data: Graph, label: str, folder) -> str:
    path = folder / (label.replace(" ", "-") + ".nt")
    version(data, label).serialize(path, format="nt", encoding="utf-8")
    return str(path)


def select(base: str, text: str) -> list[dict[str, str]]:
    request = urllib.request.Request(f"{base}/query", data=urllib.parse.urlencode({"query": text}).encode("ascii"),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.loads(response.read())["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in rows]


def markers(base: str) -> dict[str, list[str]]:
    """Each agreement graph on the server → the version labels it holds."""
    found: dict[str, list[str]] = {}
    for row in select(base, f"SELECT ?g ?v WHERE {{ GRAPH ?g {{ ?g <{MODIFIED}> ?v }} }}"):
        found.setdefault(row["g"], []).append(row["v"])
    return {graph: sorted(labels) for graph, labels in found.items()}


def sizes(base: str) -> dict[str, int]:
    rows = select(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in rows}


def claim(server: Oxigraph, host: str = "elsewhere.example", machine: str = "another-boot", pid: int = 4242,
          refreshed: str | None = None) -> str:
    """A claim of the lock as another push makes it; returns its `since` as the server wrote it."""
    stamp = f'"{refreshed}"^^<http://www.w3.org/2001/XMLSchema#dateTime>' if refreshed else "?now"
    server.update(f"""PREFIX lock: <{LOCK}#>
        INSERT {{ GRAPH <{LOCK}> {{ <{LOCK}#{OTHER}> lock:run "{OTHER}" ; lock:host "{host}" ;
            lock:machine "{machine}" ; lock:pid {pid} ; lock:since {stamp} ; lock:refreshed {stamp} }} }}
        WHERE {{ BIND (NOW() AS ?now) }}""")
    return select(server.base, f"SELECT ?t WHERE {{ GRAPH <{LOCK}> {{ ?c <{LOCK}#since> ?t }} }}")[0]["t"]


def lock_claims(base: str) -> list[str]:
    return sorted(row["run"] for row in select(base, f"SELECT ?run WHERE {{ GRAPH <{LOCK}> {{ ?c <{LOCK}#run> ?run }} }}"))


def held_by(endpoint_url: str, pid: int, host: str = HOST) -> str:
    """The pattern of the one line a push stops with when another holds the lock."""
    return (rf"kyoyaku: {re.escape(endpoint_url)}: another push holds the lock {re.escape(LOCK)}: push [0-9a-f]{{12}} "
            rf"\(pid {pid} on {re.escape(host)}\), since \S+; nothing was changed "
            r"\(to wait for it: --lock-timeout SECONDS\)\n")


def push_together(base: str, files: list[str], *options) -> list[tuple[int, int, str, str]]:
    """Start one `kyoyaku push` per file at once; (pid, exit code, stdout, stderr) of each."""
    pushes = [subprocess.Popen([*KYOYAKU, "push", "--endpoint", f"{base}/query", "--data", path, *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for path in files]
    results = []
    for process in pushes:
        out, err = process.communicate(timeout=180)
        results.append((process.pid, process.returncode, out, err))
    return results


def test_of_two_pushes_at_once_one_stops_cleanly_and_no_graph_is_mixed(data, server, tmp_path):
    agreements = [str(g) for g in graphs_of(data) if g != REFERENCE_GRAPH]
    expected_sizes = {str(g): len(graph) + (str(g) in agreements) for g, graph in graphs_of(data, reference_graph()).items()}
    overlapped = 0
    for n in range(ROUNDS):
        labels = [f"round {n} version {v}" for v in "AB"]
        results = push_together(server.base, [write_version(data, label, tmp_path) for label in labels])
        assert sorted(code for _, code, _, _ in results) in ([0, 0], [0, 2]), results
        for (pid, code, out, err), (other_pid, *_) in zip(results, reversed(results)):
            if code == 2:
                assert out == "" and re.fullmatch(held_by(f"{server.base}/query", other_pid), err), (n, err)
            else:
                assert err == "" and out.startswith(f"pushed to {server.base}/query: "), (n, out, err)
        found = markers(server.base)
        assert len({label for labels_found in found.values() for label in labels_found}) == 1, (n, found)
        (label,) = found[agreements[0]]
        assert found == {agreement: [label] for agreement in agreements}, n  # one version, everywhere
        assert label in [labels[i] for i, (_, code, _, _) in enumerate(results) if code == 0]
        assert sizes(server.base) == expected_sizes, n  # nothing else: no staging graph, no lock left
        overlapped += sorted(code for _, code, _, _ in results) == [0, 2]
    assert overlapped > 0, "the two pushes never ran at the same time: the test proved nothing"
    assert same_quads(server.graphs(), {str(g): graph for g, graph in graphs_of(version(data, label),
                                                                                 reference_graph()).items()})


def test_with_lock_timeout_the_second_push_waits_and_both_succeed(data, server, tmp_path):
    agreements = [str(g) for g in graphs_of(data) if g != REFERENCE_GRAPH]
    waited = 0
    for n in range(5):
        labels = [f"round {n} version {v}" for v in "AB"]
        results = push_together(server.base, [write_version(data, label, tmp_path) for label in labels],
                                "--lock-timeout", "120")
        assert [code for _, code, _, _ in results] == [0, 0], results
        waiters = [i for i, (_, _, _, err) in enumerate(results) if err]
        assert len(waiters) <= 1, results
        label = markers(server.base)[agreements[0]][0]
        assert markers(server.base) == {agreement: [label] for agreement in agreements}
        if waiters:
            (i,) = waiters
            other_pid = results[1 - i][0]
            assert re.fullmatch(rf"kyoyaku: waiting up to 120 s for the push lock {re.escape(LOCK)}, held by push "
                                rf"[0-9a-f]{{12}} \(pid {other_pid} on {re.escape(HOST)}\), since \S+\n", results[i][3])
            assert label == labels[i]  # the one that waited pushed last
            waited += 1
    assert waited > 0, "no push ever waited for the other: the test proved nothing"


def test_a_push_finding_a_live_lock_stops_at_once_and_changes_nothing(data, server, tmp_path):
    push(data, f"{server.base}/query", reference=reference_graph())
    before = server.graphs()
    since = claim(server)
    newer = write_version(data, "newer", tmp_path)
    done = cli("push", "--endpoint", f"{server.base}/query", "--data", newer)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"kyoyaku: {server.base}/query: another push holds the lock {LOCK}: push {OTHER[:12]} "
                           f"(pid 4242 on elsewhere.example), since {since}; nothing was changed (to wait for it: "
                           "--lock-timeout SECONDS)\n")
    waited = cli("push", "--endpoint", f"{server.base}/query", "--data", newer, "--lock-timeout", "1.5")
    assert waited.returncode == 2 and waited.stderr.splitlines() == [
        (f"kyoyaku: waiting up to 1.5 s for the push lock {LOCK}, held by push {OTHER[:12]} (pid 4242 on "
        f"elsewhere.example), since {since}"),
        (f"kyoyaku: {server.base}/query: another push holds the lock {LOCK}: push {OTHER[:12]} (pid 4242 on "
        f"elsewhere.example), since {since}, still held after waiting 1.5 s; nothing was changed")]
    after = server.graphs()
    assert lock_claims(server.base) == [OTHER]
    assert same_quads({g: graph for g, graph in after.items() if g != str(LOCK)}, before)


def test_a_stale_lock_is_removed_with_a_message(data, server, tmp_path):
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    since = claim(server, refreshed=an_hour_ago)
    newer = write_version(data, "newer", tmp_path)
    kept = cli("push", "--endpoint", f"{server.base}/query", "--data", newer, "--lock-stale", "7200")
    assert kept.returncode == 2 and "another push holds the lock" in kept.stderr and lock_claims(server.base) == [OTHER]
    done = cli("push", "--endpoint", f"{server.base}/query", "--data", newer)  # --lock-stale 600
    assert done.returncode == 0 and done.stdout.startswith(f"pushed to {server.base}/query: 21 graph(s) new")
    assert re.fullmatch(rf"kyoyaku: removed the push lock {re.escape(LOCK)} of push {OTHER[:12]} \(pid 4242 on "
                        rf"elsewhere\.example\), since {re.escape(since)}: no sign of life for 36\d\d s "
                        r"\(over --lock-stale 600 s\)\n", done.stderr), done.stderr
    assert lock_claims(server.base) == []
    assert {tuple(labels) for labels in markers(server.base).values()} == {("newer",)}


def test_the_lock_of_a_push_whose_process_ended_on_this_machine_is_removed_at_once(data, server, tmp_path):
    host, machine = push_lock._this_machine()
    if not machine:
        pytest.skip("no boot id on this system: a holder's process is never looked up, only its silence counts")
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    since = claim(server, host=host, machine=machine, pid=ended.pid)  # refreshed just now
    done = cli("push", "--endpoint", f"{server.base}/query", "--data", write_version(data, "newer", tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == (f"kyoyaku: removed the push lock {LOCK} of push {OTHER[:12]} (pid {ended.pid} on {host}), "
                           f"since {since}: its process ({ended.pid}) on this machine has ended\n")
    assert lock_claims(server.base) == []


def test_a_live_push_keeps_its_lock_fresh(data, server, tmp_path, monkeypatch):
    """A push stays longer than --lock-stale between two requests; its claim, refreshed from a
    thread, is not taken for abandoned by a push started meanwhile."""
    staging, go_on, outcome = threading.Event(), threading.Event(), {}

    def hold(n):
        if n == 2:
            staging.set()
            assert go_on.wait(timeout=120)

    on_put(monkeypatch, before=hold)

    def first():
        try:
            outcome["summary"] = push(version(data, "first"), f"{server.base}/query", stale_after=1.0)
        except EndpointError as e:  # reported below
            outcome["error"] = e

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert staging.wait(timeout=60)
        time.sleep(2)  # the claim is now older than --lock-stale 1: only its refreshing keeps it
        second = cli("push", "--endpoint", f"{server.base}/query", "--data", write_version(data, "second", tmp_path),
                     "--lock-stale", "1")
        claims = select(server.base, f"SELECT ?since ?refreshed WHERE {{ GRAPH <{LOCK}> {{ ?c <{LOCK}#since> ?since ; "
                                     f"<{LOCK}#refreshed> ?refreshed }} }}")
    finally:
        go_on.set()
        thread.join(timeout=60)
    assert second.returncode == 2 and re.fullmatch(held_by(f"{server.base}/query", os.getpid()),
                                                   second.stderr), second.stderr
    (claimed,) = claims
    assert claimed["refreshed"] > claimed["since"]
    assert "error" not in outcome and len(outcome["summary"].new) == 21
    assert {tuple(labels) for labels in markers(server.base).values()} == {("first",)}
    assert lock_claims(server.base) == []


def test_a_push_whose_lock_was_taken_over_moves_nothing(data, server, monkeypatch):
    push(data, f"{server.base}/query", reference=reference_graph())
    before = server.graphs()

    def take_over(n):
        if n == 2:  # what a push that took this one for abandoned does: remove its claim, make its own
            server.update(f"DELETE WHERE {{ GRAPH <{LOCK}> {{ ?c ?p ?o }} }}")
            taken["since"] = claim(server)

    taken = {}
    on_put(monkeypatch, after=take_over)
    with pytest.raises(EndpointError) as lost:
        push(version(data, "lost"), f"{server.base}/query", reference=reference_graph())
    assert str(lost.value) == (f"{server.base}/query: the push lock {LOCK} was taken over by push {OTHER[:12]} "
                               f"(pid 4242 on elsewhere.example), since {taken['since']}, while this push staged its "
                               "graphs (its claim was not refreshed in time); nothing was moved into place: run the "
                               "push again")
    after = server.graphs()
    assert lock_claims(server.base) == [OTHER]  # the new holder's claim stays
    assert same_quads({g: graph for g, graph in after.items() if g != str(LOCK)}, before)  # staging dropped too


def test_claims_made_at_the_same_moment_let_one_push_through_at_a_time(server):
    """Six threads claim the lock at once, ten rounds: never two holders at a time, and in each round
    one gets through (the server writes two claims in some rounds: see the module docstring)."""
    graph_store = push_module._Server(f"{server.base}/store", f"{server.base}/update", 30, time.sleep,
                                   query=f"{server.base}/query")
    guard, holders, most, through, refusals = threading.Lock(), [0], [0], [], []
    for n in range(10):
        start = threading.Barrier(6)

        def attempt(start=start, n=n):
            start.wait()
            try:
                with push_lock._PushLock(graph_store, lock_timeout=0, stale_after=600, log=print):
                    with guard:
                        holders[0] += 1
                        most[0] = max(most[0], holders[0])
                    time.sleep(0.1)
                    with guard:
                        holders[0] -= 1
                    through.append(n)
            except EndpointError as e:
                refusals.append(str(e))

        threads = [threading.Thread(target=attempt) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert n in through, refusals
    assert most[0] == 1
    assert len(through) + len(refusals) == 60
    assert all(" another push holds the lock " in refusal for refusal in refusals), refusals
    assert lock_claims(server.base) == [] and not [g for g in sizes(server.base) if g.startswith(STAGING)]


@pytest.mark.parametrize("option, value, least", [("--lock-timeout", "-1", "0"), ("--lock-timeout", "soon", "0"),
                                                  ("--lock-stale", "0.5", "1"), ("--lock-stale", "inf", "1"),
                                                  ("--lock-stale", "nan", "1")])
def test_lock_options_take_a_number_of_seconds(capsys, option, value, least):
    from kyoyaku.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["push", "--endpoint", "http://127.0.0.1:9/query", option, value])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (f"kyoyaku push: error: argument {option}: expected a number "
                                                        f"of seconds, at least {least}, found {value!r}")
