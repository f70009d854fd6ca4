"""One function per command (`kyoyaku COMMAND`): it calls the stage that does the work and prints
what it gives. Each imports the stage when it runs: `kyoyaku --help` loads none of them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import UsageError
from ..sparql.local import DEFAULT_DATA

DEFAULT_REGISTRY = Path("data/registry")


def cmd_build(args: argparse.Namespace) -> int:

    from ..config import load_settings
    from ..pipeline import build

    settings = load_settings(args.config)  # a bad file fails here, before anything is read or written
    if args.no_registry:
        registry = None
    elif args.registry:
        registry = Path(args.registry)
        if not registry.is_dir():
            raise UsageError(f"{registry}: no registry directory")
    else:  # the default folder is optional: a project may publish full texts only
        registry = DEFAULT_REGISTRY if DEFAULT_REGISTRY.is_dir() else None
    if args.sparql_endpoint and not args.sparql_endpoint.startswith(("https://", "http://")):
        raise UsageError(f"--sparql-endpoint {args.sparql_endpoint!r}: expected an http(s) URL")
    result = build(Path(args.sources), Path(args.out), allow_incomplete=args.allow_incomplete, registry=registry,
                   sparql_endpoint=args.sparql_endpoint, quiet=args.quiet, max_bytes=args.max_bytes,
                   store=Path(args.store) if args.store else None, settings=settings)
    for path, reason in result.skipped:
        print(f"kyoyaku: skipped {path}: {reason}", file=sys.stderr)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    summary = build_summary(result.report)
    amending = sum(1 for a in result.agreements if a.amendment is not None)
    amending_text = f", {amending} amending agreement(s)" if amending else ""
    print(f"built {len(result.agreements) - amending} agreement(s) from full texts{amending_text} and "
          f"{result.record_count} registry record(s), {len(result.data)} triples; {summary}")  # the Lines: no rdflib Graph made to count
    for path in result.written:
        print(f"  wrote {path}")
    if args.store:
        print(f"  wrote {args.store} (on-disk store)")
    for severity, shape, count in result.report.by_shape():
        print(f"  {severity.lower()}: {count} × {shape} (details in validation-report.txt)")
    return 0


def build_summary(report) -> str:
    """The end of the build's line: `conforms`, or SHACL's answer with kyoyaku's decision — the
    counts by requirement follow on lines of their own."""
    if report.conforms:
        return "conforms"
    counts = ", ".join(f"{n} {severity.lower()}(s)" for severity, n in report.counts().items() if n)
    return f"does not conform (sh:conforms false): {counts}; " + ("accepted: no violation" if report.accepted else "not accepted")


def cmd_parse(args: argparse.Namespace) -> int:
    from ..text.parse import parse_file

    if (args.file is None) == (args.report is None):
        raise UsageError("parse: expected an agreement text FILE, or --report FOLDER (not both)")
    if args.report is not None:
        return _corpus_report(args)
    if args.format == "markdown":
        raise UsageError("parse --format markdown: only with --report FOLDER (FILE: json or text)")
    agreement = parse_file(args.file, max_bytes=args.max_bytes)
    if args.format in (None, "json"):
        print(json.dumps(agreement.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_parse_summary(agreement))
    errors = [d for d in agreement.diagnostics if d.level == "error"]
    for d in agreement.diagnostics:
        print(f"{args.file}:{d.line or '-'}: {d.level}: {d.message}", file=sys.stderr)
    return 1 if errors else 0


def _corpus_report(args: argparse.Namespace) -> int:
    from ..text.corpus import corpus_report, render

    report = corpus_report(Path(args.report), max_bytes=args.max_bytes)
    print(render(report, args.format or "text"), end="")
    return 0 if report.all_complete else 1


def _parse_summary(a) -> str:
    lines = [
        f"title:    {a.title}",
        f"date:     {a.date} ({a.date_as_written})",
        f"area:     {a.area_name}",
        "parties:  " + "; ".join(f"{p.designation} {p.name} {p.code} {p.role}" for p in a.parties),
        f"articles: {len(a.articles)}",
    ]
    lines += [f"  第{ar.number}条 （{ar.heading}） {ar.clause_kind}, {len(ar.paragraphs)} paragraph(s)" for ar in a.articles]
    lines.append(f"initiatives: {len(a.initiatives)}")
    lines += [f"  {i.number:>2} [{i.section}] {i.category} → {i.policy_field}" for i in a.initiatives]
    if (amendment := a.amendment) is not None:
        lines.append(f"amends:   {amendment.amended_title} ({amendment.amended_date}); in force from "
                     f"{amendment.effective}{'' if amendment.regular else '; not every instruction read'}")
        lines += [f"  {c.number:>2} {c.kind} {c.target.as_written}" for c in amendment.changes]
    lines += [f"signature: {s.designation} {s.party_name} {s.title} {s.name}" for s in a.signatures]
    lines.append(f"diagnostics: {len(a.diagnostics)}")
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..shacl.validate import validate
    from ..sparql.query import failed_checks, to_text
    from ..sparql.store import load, open_store

    files = args.files or [DEFAULT_DATA]
    # Oxigraph reads the files first: a file it refuses (as `kyoyaku query` would) stops the
    # command before any of the report is printed
    store = open_store(files)
    report = validate(load(files), engine=args.engine)
    failed = failed_checks(store)
    if args.format == "turtle":
        print(report.turtle())
    elif args.format == "json":
        print(report.json(), end="")
    elif args.format == "summary":
        print("\n".join([report.summary()] + ([] if report.conforms else [report.verdict()])))
    else:
        print(report.text(), end="")
    for check, table in failed:
        print(f"\ncheck failed: {check.name} — {check.title}\n{to_text(table)}", end="")
    return 0 if report.accepted and not failed else 1


def cmd_queries(args: argparse.Namespace) -> int:
    from ..sparql.query import list_queries

    for q in list_queries():
        params = " ".join(f"{p.name}={p.kind}" + ("?" if p.optional else "") for p in q.parameters)
        print(f"{q.name:<32} {q.title}" + (f"  [{params}]" if params else ""))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..sparql.query import (
        find_query,
        inline_query,
        operation,
        to_csv,
        to_json,
        to_text,
    )

    values = {}
    for item in args.param:
        name, eq, value = item.partition("=")
        if not eq:
            raise UsageError(f"--param {item!r}: expected NAME=VALUE")
        values[name] = value
    if (args.query is None) == (args.query_text is None):
        raise UsageError("give a query: a name, a .rq file or - (stdin), or --query TEXT — one of them")
    query = inline_query(args.query_text) if args.query_text is not None else find_query(args.query)
    parsed = operation(query)  # parsed: "DELETE" in a comment or a string does not make an update
    if parsed.form == "UPDATE":
        if args.limit is not None or args.offset is not None:
            raise UsageError(f"{query.path} is a SPARQL update: --limit and --offset page the rows of a SELECT")
        return _update(args, query, parsed, values)
    if parsed.form != "SELECT":
        raise InputError(query.path, None, "a SELECT query (its rows make the table)", parsed.form)
    if args.excel and args.format != "csv":
        raise UsageError(f"--excel writes CSV for a spreadsheet: give --format csv with it (not --format {args.format})")
    if (args.format == "xlsx") != (args.out is not None):
        raise UsageError("--format xlsx writes a workbook to --out FILE: give both, or neither")
    page = _page(args, query, parsed)
    more = 0 if page.limit is None else 1  # one row beyond the page says whether another page follows
    if args.endpoint:
        from ..sparql.remote import run_remote

        if args.data or args.store:
            raise UsageError("--endpoint queries the server's data: leave out --data and --store")
        table = run_remote(args.endpoint, query, values, timeout=args.timeout, page=page, extra=more)
    else:
        from ..sparql.isolate import in_child
        from ..sparql.local import refuse_fetches, run_local

        refuse_fetches(query, parsed.fetches)
        # in a child process: an Oxigraph panic (docs/oxigraph-panic.md) aborts the process it runs in
        table = in_child(lambda: run_local(query, values, args.data, args.store, page, more), str(query.path))
    following = page.limit is not None and len(table.rows) > page.limit
    if following:
        del table.rows[page.limit:]
    if args.format == "xlsx" or args.excel:
        from ..config import load_settings, using
        from ..sparql.spreadsheet import excel_table

        with using(load_settings()):  # the municipalities' IRIs, given their 団体コード, are under the data's base
            table = excel_table(table)
    if args.format == "xlsx":
        from ..outputs import write_atomic
        from ..sparql.spreadsheet import xlsx_bytes

        write_atomic(Path(args.out), xlsx_bytes(table))
    elif args.excel:  # bytes: the BOM and CRLF as they are, whatever the platform's newline
        from ..sparql.spreadsheet import excel_csv

        sys.stdout.flush()
        sys.stdout.buffer.write(excel_csv(table))
        sys.stdout.buffer.flush()
    else:
        print({"csv": to_csv, "json": to_json, "table": to_text}[args.format](table), end="")
    if following:
        first, last = page.offset + 1, page.offset + page.limit
        print(f"kyoyaku: {query.name}: rows {first:,}–{last:,} shown and more follow: --offset {last} for the "
              "next page, --limit all for every row", file=sys.stderr)
    return 1 if query.is_check and table.rows else 0


def _page(args: argparse.Namespace, query, parsed):
    """The rows --limit and --offset ask for. By default the first DEFAULT_PAGE_ROWS rows of a query
    with an ORDER BY; a query without one (or with its own LIMIT) is printed whole unless a page is
    asked for, which is then refused (sparql.query.paged)."""
    from ..sparql.local import DEFAULT_PAGE_ROWS
    from ..sparql.query import Page

    asked = args.limit is not None or args.offset is not None
    default = DEFAULT_PAGE_ROWS if parsed.ordered and not parsed.sliced else None
    page = Page.parse(args.limit, args.offset, default)
    if asked:
        from ..sparql.query import check_pageable

        check_pageable(query, page)  # refuses a page of a query without ORDER BY, or with its own LIMIT
    return page


def _update(args: argparse.Namespace, query, parsed, values: dict[str, str]) -> int:
    """Run an update on the on-disk store of --store, only with --allow-update. The --data files
    are read into memory, never written back; an endpoint's update URL kyoyaku does not know."""
    from ..sparql.local import refuse_fetches, update_store

    update = f"{query.path} is a SPARQL update ({', '.join(parsed.updates)})"
    if not args.allow_update:
        raise UsageError(f"{update}: kyoyaku query runs it only with --allow-update, on an on-disk store "
                         "(--store PATH)")
    if args.endpoint:
        raise UsageError(f"{update}: kyoyaku query sends an endpoint queries only, never updates "
                         "(use the server's own update endpoint)")
    if args.data or not args.store:
        raise UsageError(f"{update}: an update changes an on-disk store (--store PATH, written by "
                         "`kyoyaku build --store PATH`); data files (--data) are only read, never changed")
    if values:
        raise UsageError(f"{update}: updates take no --param")
    refuse_fetches(query, parsed.fetches)
    location = Path(args.store)
    change = update_store(location, query)
    print(f"updated {location}: {change.text()}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serve.server import serve

    data = [Path(d) for d in (args.data or [DEFAULT_DATA])]
    site = Path(args.site) if args.site else data[0].parent  # the build output the data come from
    if not (site / "kyoyaku.ttl").is_file():
        if args.site:
            raise UsageError(f"--site {site}: not a directory written by kyoyaku build")
        site = None
    return serve(data, Path(args.store) if args.store else None, host=args.host, port=args.port,
                 public=args.public, timeout_s=args.timeout, site=site, max_body=args.max_body,
                 max_memory_mib=args.max_memory, public_url=args.public_url)


def cmd_push(args: argparse.Namespace) -> int:
    from ..config import load_settings, using
    from ..shacl.shapes import reference_graph
    from ..sparql.push import push
    from ..sparql.store import load

    def log(message: str) -> None:
        if not args.quiet:
            print(f"kyoyaku: {message}", file=sys.stderr)

    with using(load_settings(args.config)):  # the graphs it names are under the data's base, as the build's
        summary = push(load(args.data or [DEFAULT_DATA]), args.endpoint, args.graph_store, args.update,
                       reference=reference_graph(), timeout=args.timeout, lock_timeout=args.lock_timeout,
                       stale_after=args.lock_stale, log=log, prune=args.prune)
    for warning in summary.warnings:  # also with --quiet: the data pushed would not answer the queries
        print(f"kyoyaku: warning: {warning}", file=sys.stderr)
    if args.quiet:
        return 0
    print(f"pushed to {args.endpoint}: {summary.text()}")
    for label, graphs in (("new", summary.new), ("replaced", summary.replaced), ("removed", summary.removed)):
        for graph in graphs:
            print(f"  {label}: {graph}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..config import load_settings, using
    from ..publish.report import report

    with using(load_settings(args.config)):  # the pages' title, and which IRIs have a page on the site
        written = report([Path(d) for d in (args.data or [DEFAULT_DATA])], Path(args.out))
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_import_registry(args: argparse.Namespace) -> int:
    from ..registry.importer import import_registry

    result = import_registry(Path(args.source), Path(args.into))
    print(f"imported {result.areas} area(s) and {result.member_rows} member row(s) ({result.dated_rows} dated), "
          f"{result.amendments} amendment(s) applied, {result.events} event(s)")
    for line in result.disagreements:
        print(f"  events disagree: {line}")
    for path in result.written:
        print(f"  wrote {path}")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from rdflib import URIRef

    from ..graph.render import render
    from ..sparql.store import load

    print(render(load([args.data]), URIRef(args.agreement), source=args.data, at=args.at), end="")
    return 0
