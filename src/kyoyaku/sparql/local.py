"""Queries on local data — the published RDF files, or the on-disk store `build --store` wrote — as
`kyoyaku query` runs them and as the Python API's `kyoyaku.run_query` does: the data opened
(`open_data`), a SELECT run on them (`run_local`), an update run on an on-disk store
(`update_store`). Nothing is fetched: a query that would make Oxigraph fetch over HTTP (SERVICE,
LOAD) is refused (`refuse_fetches`).

The engine's modules are imported when first used: the command line imports this module on every
run.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError

DEFAULT_DATA = Path("dist/kyoyaku.ttl")  # what `kyoyaku build` publishes by default, read by the other commands
DEFAULT_PAGE_ROWS = 1000  # `kyoyaku query` prints at most this many rows unless --limit says otherwise


def open_data(data: list[Path] | list[str] | None = None, store: Path | str | None = None):
    """The on-disk store at `store` (written by `kyoyaku build --store`: opened read-only, no
    parsing), else the RDF files `data` (default: dist/kyoyaku.ttl) loaded in memory with the
    shipped ontology and concept schemes."""
    from .store import open_store, read_store

    if store:
        if data:
            raise UsageError("give --store or --data, not both")
        return read_store(Path(store))
    return open_store(data or [DEFAULT_DATA])


def refuse_fetches(query, fetches: list[str]) -> None:
    """Oxigraph runs a SERVICE or a LOAD by fetching over HTTP: not on local data, by surprise.
    `fetches`: what the query's parse found (sparql.query.operation)."""
    if fetches:
        raise UsageError(f"{query.path}: {', '.join(fetches)} would fetch over the network; kyoyaku query runs "
                         "on local data only (a SELECT with SERVICE can run on a server: --endpoint URL)")


def run_local(query, values: dict[str, str] | None = None, data: list[Path] | list[str] | None = None,
              store: Path | str | None = None, page=None, extra: int = 0):
    """The SELECT `query` (sparql.query.Query) with `values` bound, on the data of `open_data`; its
    Table (only the rows of `page`, a sparql.query.Page, and `extra` more). A damaged block met while
    reading an on-disk store's rows is an InputError naming the store, as on opening it."""
    from .query import run
    from .store import damaged_store

    opened = open_data(data, store)
    try:
        return run(opened, query, values or {}, page, extra)
    except RuntimeError as e:
        if store and str(e).startswith("Corruption"):
            raise damaged_store(Path(store), e) from None
        raise


def update_store(location: Path, query):
    """Run the SPARQL update `query` on the on-disk store at `location` (written by `kyoyaku build
    --store`), under the store's lock — a build swapping in a new store meanwhile would drop the
    update; the store is refused, before anything is written, unless kyoyaku wrote it. Returns the
    Change (sparql.query.run_update)."""
    from ..outputs import out_lock
    from .query import run_update
    from .store import open_store, read_store

    read_store(location)  # refuses what is not a store kyoyaku wrote, before anything is written
    with out_lock(location):
        opened = open_store([], with_reference=False, location=location / "oxigraph")
        change = run_update(opened, query)
        opened.flush()
        del opened  # closed before the lock is released
    return change
