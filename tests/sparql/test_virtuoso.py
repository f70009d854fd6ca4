"""`kyoyaku push` and every shipped query against Virtuoso Open Source 7, a second maker's SPARQL 1.1
server (the Oxigraph server's: tests/serve/test_server.py): the data pushed through its Graph Store
Protocol endpoint, the queries sent through the SPARQL Protocol, the same rows as the embedded store."""

from __future__ import annotations

import pytest

from kyoyaku.sparql.query import list_queries, run
from kyoyaku.sparql.remote import run_remote
from kyoyaku.sparql.store import open_store

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
    return done, open_store(files)


def test_push_into_virtuoso(pushed, virtuoso):
    done, _ = pushed
    assert done.stdout.startswith(f"pushed to {virtuoso.endpoint}: "), done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_returns_the_same_rows_on_virtuoso(pushed, virtuoso, query):
    _, store = pushed
    params = {**PARAMS, **PARAMS_OF.get(query.name, {})}
    values = {p.name: params[p.name] for p in query.parameters if not p.optional}
    embedded = run(store, query, values)
    remote = run_remote(virtuoso.endpoint, query, values)
    assert remote.columns == embedded.columns
    assert remote.rows == embedded.rows
    if not query.is_check:
        assert embedded.rows, f"{query.name} returns nothing on the data: the comparison would prove little"
