"""The query half of kyoyaku's public Python API (`kyoyaku.open_store`, `kyoyaku.run_query`; the
package exports them with `kyoyaku.parse_file`, `kyoyaku.corpus_report` and `kyoyaku.build`, see
kyoyaku/__init__.py and docs/api.md): the published data opened and queried as `kyoyaku query`
does, rows as plain Python values a `pandas.DataFrame` takes directly."""

from __future__ import annotations

import os
from pathlib import Path


class Rows(list):
    """The rows of a SELECT: a list of dicts, column → value, the keys in the query's column order;
    an unbound variable is None. `columns` holds the columns, also when there is no row, so
    `pandas.DataFrame(rows, columns=rows.columns)` has them either way (`pandas.DataFrame(rows)`
    alone is enough when there are rows)."""

    def __init__(self, columns: list[str], records: list[dict]):
        super().__init__(records)
        self.columns = list(columns)


def open_store(data=None, *, store=None):
    """An Oxigraph store (`pyoxigraph.Store`) of the published data, to query: the RDF files `data`
    (a path or a list of paths; default dist/kyoyaku.ttl), loaded in memory with the shipped
    ontology and concept schemes that the queries use for labels — or `store`, the on-disk store
    `kyoyaku build --store PATH` wrote, opened read-only without parsing. Give one of the two.

    Pass it to `run_query(…, store=…)` to run several queries without loading the data again, or
    use its own `query` method (SPARQL 1.1). Raises InputError (kyoyaku.errors) naming a file that
    cannot be read, UsageError when both are given."""
    from .sparql.local import open_data

    return open_data(_paths(data), store)


def run_query(query=None, *, text=None, data=None, store=None, params=None, limit=None, offset=0) -> Rows:
    """Run a SELECT query and return its rows (Rows: a list of dicts in column order, with
    `.columns`); `pandas.DataFrame(rows, columns=rows.columns)` makes a table of them.

    `query`: the name of a shipped query (`kyoyaku queries` lists them, e.g. "coverage-matrix") or
    the path of a .rq file; or, instead, `text`: the query itself (as `kyoyaku query --query TEXT`;
    a header of `# param:` lines declares parameters there too). Give one of the two. `params`: values of its declared parameters, name → text (an IRI,
    string, date or integer as the query's header declares; IRIs may be prefixed names such as
    kyo:Agreement). The data: the RDF files `data` (a path or a list; default dist/kyoyaku.ttl),
    the on-disk store at path `store` (written by `kyoyaku build --store`), or a store returned by
    `open_store` (`store=`, reused as it is).

    Cells are Python values: IRIs and strings as str, numbers as int or float, booleans as bool.
    As with `kyoyaku query`, a query that is not a SELECT (an update, ASK, CONSTRUCT) is an
    InputError and a query that would fetch over the network (SERVICE, LOAD) a UsageError. On files
    or an on-disk store the query runs in a child process, so that an Oxigraph crash is an
    EngineError instead of the end of this process (docs/oxigraph-panic.md); on a store from
    `open_store` it runs here.

    `limit`, `offset`: only `limit` rows (None, the default: all) after the first `offset`, in the
    query's ORDER BY; the pages of a query concatenate to its rows. A page of a query without an
    outer ORDER BY, or with its own LIMIT or OFFSET, is a UsageError."""
    from .errors import InputError, UsageError
    from .sparql.isolate import in_child
    from .sparql.local import refuse_fetches, run_local
    from .sparql.query import (
        Page,
        check_pageable,
        find_query,
        operation,
        parse_query,
        run,
    )

    if (query is None) == (text is None):
        raise UsageError("give a query: a name or a .rq file, or text= the query itself — one of them")
    found = find_query(str(query)) if text is None else parse_query(text, Path("<text>"), "text")
    parsed = operation(found)
    if parsed.form != "SELECT":
        raise InputError(found.path, None, "a SELECT query (its rows make the table)", parsed.form)
    refuse_fetches(found, parsed.fetches)
    values = {name: str(value) for name, value in (params or {}).items()}
    page = Page(limit, offset)
    check_pageable(found, page)  # a page of a query without ORDER BY, or with its own LIMIT, is refused here
    if store is not None and not isinstance(store, (str, os.PathLike)):  # a store from open_store
        table = run(store, found, values, page)
    else:
        paths = _paths(data)
        table = in_child(lambda: run_local(found, values, paths, store, page), str(found.path))
    return Rows(table.columns, [dict(zip(table.columns, row)) for row in table.rows])


def _paths(data) -> list[Path] | None:
    """`data` as a list of paths: one path, or several."""
    if data is None:
        return None
    if isinstance(data, (str, os.PathLike)):
        return [Path(data)]
    return [Path(p) for p in data]
