"""The `kyoyaku` command: a thin layer over the pipeline modules.

Exit codes: 0 ok; 1 the data do not conform or are incomplete; 2 usage or input error.
Errors are printed as one message, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import re
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

from rdflib import URIRef

from . import __version__
from .errors import KyoyakuError, NonConformingError, ResultError, UsageError

DEFAULT_DATA = Path("dist/kyoyaku.ttl")
DEFAULT_REGISTRY = Path("data/registry")


def cmd_build(args: argparse.Namespace) -> int:
    from collections import Counter

    from .pipeline import build

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
                   store=Path(args.store) if args.store else None)
    summary = result.report.text().split("\n", 1)[0]  # "conforms" or "conforms, 2 warning(s)"
    print(f"built {len(result.agreements)} agreement(s) from full texts and {result.record_count} registry "
          f"record(s), {len(result.graph)} triples; {summary}")
    for path in result.written:
        print(f"  wrote {path}")
    if args.store:
        print(f"  wrote {args.store} (on-disk store)")
    for shape, count in sorted(Counter(r.shape.rsplit("#", 1)[-1] for r in result.report.results).items()):
        print(f"  warning: {count} × {shape} (details in validation-report.txt)")
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from .text.parse import parse_file

    agreement = parse_file(args.file, max_bytes=args.max_bytes)
    if args.format == "json":
        print(json.dumps(agreement.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_parse_summary(agreement))
    errors = [d for d in agreement.diagnostics if d.level == "error"]
    for d in agreement.diagnostics:
        print(f"{args.file}:{d.line or '-'}: {d.level}: {d.message}", file=sys.stderr)
    return 1 if errors else 0


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
    lines += [f"signature: {s.designation} {s.party_name} {s.title} {s.name}" for s in a.signatures]
    lines.append(f"diagnostics: {len(a.diagnostics)}")
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    from .shacl.validate import validate
    from .sparql.query import failed_checks, to_text
    from .sparql.store import load, open_store

    files = args.files or [DEFAULT_DATA]
    # Oxigraph reads the files first: a file it refuses (as `kyoyaku query` would) stops the
    # command before any of the report is printed
    store = open_store(files)
    report = validate(load(files), engine=args.engine)
    failed = failed_checks(store)
    if args.format == "turtle":
        print(report.turtle())
    else:
        print(report.text(), end="")
    for check, table in failed:
        print(f"\ncheck failed: {check.name} — {check.title}\n{to_text(table)}", end="")
    return 0 if report.conforms and not failed else 1


def cmd_queries(args: argparse.Namespace) -> int:
    from .sparql.query import list_queries

    for q in list_queries():
        params = " ".join(f"{p.name}={p.kind}" + ("?" if p.optional else "") for p in q.parameters)
        print(f"{q.name:<32} {q.title}" + (f"  [{params}]" if params else ""))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .sparql.query import find_query, operation, to_csv, to_json, to_text

    values = {}
    for item in args.param:
        name, eq, value = item.partition("=")
        if not eq:
            raise UsageError(f"--param {item!r}: expected NAME=VALUE")
        values[name] = value
    query = find_query(args.query)
    parsed = operation(query)  # parsed: "DELETE" in a comment or a string does not make an update
    if parsed.form == "UPDATE":
        return _update(args, query, parsed, values)
    if parsed.form != "SELECT":
        raise InputError(query.path, None, "a SELECT query (its rows make the table)", parsed.form)
    if args.endpoint:
        from .sparql.remote import run_remote

        if args.data or args.store:
            raise UsageError("--endpoint queries the server's data: leave out --data and --store")
        table = run_remote(args.endpoint, query, values, timeout=args.timeout)
    else:
        from .sparql.isolate import in_child

        _refuse_fetches(query, parsed.fetches)
        # in a child process: an Oxigraph panic (docs/oxigraph-panic.md) aborts the process it runs in
        table = in_child(lambda: _run_local(args, query, values), str(query.path))
    print({"csv": to_csv, "json": to_json, "table": to_text}[args.format](table), end="")
    return 1 if query.is_check and table.rows else 0


def _run_local(args: argparse.Namespace, query, values: dict[str, str]):
    """The query on the --store or --data of `args`; a damaged block met while reading an on-disk
    store's rows is an InputError naming the store, as on opening it."""
    from .sparql.query import run
    from .sparql.store import damaged_store

    store = _store(args)
    try:
        return run(store, query, values)
    except RuntimeError as e:
        if args.store and str(e).startswith("Corruption"):
            raise damaged_store(Path(args.store), e) from None
        raise


def _refuse_fetches(query, fetches: list[str]) -> None:
    """Oxigraph runs a SERVICE or a LOAD by fetching over HTTP: not on local data, by surprise."""
    if fetches:
        raise UsageError(f"{query.path}: {', '.join(fetches)} would fetch over the network; kyoyaku query runs "
                         "on local data only (a SELECT with SERVICE can run on a server: --endpoint URL)")


def _update(args: argparse.Namespace, query, parsed, values: dict[str, str]) -> int:
    """Run an update on the on-disk store of --store, only with --allow-update. The --data files
    are read into memory, never written back; an endpoint's update URL kyoyaku does not know."""
    from .outputs import out_lock
    from .sparql.query import run_update
    from .sparql.store import open_store, read_store

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
    _refuse_fetches(query, parsed.fetches)
    location = Path(args.store)
    read_store(location)  # refuses what is not a store kyoyaku wrote, before anything is written
    with out_lock(location):  # a build swapping in a new store meanwhile would drop the update
        store = open_store([], with_reference=False, location=location / "oxigraph")
        change = run_update(store, query)
        store.flush()
        del store  # closed before the lock is released
    print(f"updated {location}: {change.text()}")
    return 0


def _store(args: argparse.Namespace):
    """The on-disk store of --store (no parsing), else the --data files loaded in memory."""
    from .sparql.store import open_store, read_store

    if args.store:
        if args.data:
            raise UsageError("give --store or --data, not both")
        return read_store(Path(args.store))
    return open_store(args.data or [DEFAULT_DATA])


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve.server import serve

    data = [Path(d) for d in (args.data or [DEFAULT_DATA])]
    site = Path(args.site) if args.site else data[0].parent  # the build output the data come from
    if not (site / "kyoyaku.ttl").is_file():
        if args.site:
            raise UsageError(f"--site {site}: not a directory written by kyoyaku build")
        site = None
    return serve(data, Path(args.store) if args.store else None, host=args.host, port=args.port,
                 public=args.public, timeout_s=args.timeout, site=site, max_body=args.max_body,
                 max_memory_mib=args.max_memory)


def cmd_push(args: argparse.Namespace) -> int:
    from .shacl.shapes import reference_graph
    from .sparql.push import push
    from .sparql.store import load

    summary = push(load(args.data or [DEFAULT_DATA]), args.endpoint, args.graph_store, args.update,
                   reference=reference_graph(), timeout=args.timeout, lock_timeout=args.lock_timeout,
                   stale_after=args.lock_stale, log=lambda message: print(f"kyoyaku: {message}", file=sys.stderr))
    print(f"pushed to {args.endpoint}: {summary.text()}")
    for label, graphs in (("new", summary.new), ("replaced", summary.replaced)):
        for graph in graphs:
            print(f"  {label}: {graph}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .publish.report import report

    for path in report([Path(d) for d in (args.data or [DEFAULT_DATA])], Path(args.out)):
        print(f"wrote {path}")
    return 0


def cmd_import_registry(args: argparse.Namespace) -> int:
    from .registry.importer import import_registry

    result = import_registry(Path(args.source), Path(args.into))
    print(f"imported {result.areas} area(s) and {result.member_rows} member row(s) ({result.dated_rows} dated), "
          f"{result.amendments} amendment(s) applied")
    for path in result.written:
        print(f"  wrote {path}")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from .graph.render import render
    from .sparql.store import load

    print(render(load([args.data]), URIRef(args.agreement), source=args.data), end="")
    return 0


def add_max_bytes(p: argparse.ArgumentParser) -> None:
    """The size limit of source files, shared by the commands that parse them (kyoyaku.parse.parse_file)."""

    def positive(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"expected a whole number of bytes, at least 1, found {text!r}")
        return int(text)

    p.add_argument("--max-bytes", type=positive, metavar="N", help="refuse source files larger than N bytes "
                   "(default: $KYOYAKU_MAX_BYTES, else 5000000)")


def seconds(at_least: float):
    """An argparse type: a number of seconds, at least `at_least`."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not value >= at_least or value == float("inf"):
            raise argparse.ArgumentTypeError(f"expected a number of seconds, at least {at_least:g}, found {text!r}")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kyoyaku", description="連携協約 (partnership agreements) as linked open data")
    p.add_argument("--version", action="version", version=f"kyoyaku {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    qs = sub.add_parser("queries", help="list the shipped queries (name, title, parameters)")
    qs.set_defaults(run=cmd_queries)
    q = sub.add_parser("query", help="run a shipped query by name, or a .rq file")
    q.add_argument("query", help="query name (see `kyoyaku queries`) or path to a .rq file")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter (as an RDF term of its declared kind); repeatable")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files to query (default: {DEFAULT_DATA})")
    q.add_argument("--store", metavar="PATH", help="query the on-disk store written by `build --store PATH`")
    q.add_argument("--endpoint", metavar="URL", help="query a SPARQL 1.1 endpoint instead (POST, JSON results)")
    q.add_argument("--timeout", type=int, default=60, help="seconds the whole answer may take (default: 60)")
    q.add_argument("--allow-update", action="store_true", help="run a SPARQL update (INSERT, DELETE, DROP …) "
                   "on the on-disk store of --store PATH; without it, updates are refused")
    q.set_defaults(run=cmd_query)

    sv = sub.add_parser("serve", help="a read-only SPARQL endpoint over the built data (Oxigraph server)")
    sv.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files to serve (default: {DEFAULT_DATA})")
    sv.add_argument("--store", metavar="PATH", help="serve the on-disk store written by `build --store PATH`")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sv.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    sv.add_argument("--public", action="store_true", help="allow a non-loopback --host")
    sv.add_argument("--site", metavar="DIR", help="the published tree to serve by content negotiation "
                                                  "(default: the build output holding --data, e.g. dist)")
    sv.add_argument("--timeout", type=int, default=60, help="query timeout in seconds (default: 60)")
    sv.add_argument("--max-body", type=int, default=1024 * 1024, metavar="BYTES",
                    help="refuse request bodies (queries sent by POST) larger than this, with 413 (default: 1048576)")
    sv.add_argument("--max-memory", type=int, default=1024, metavar="MIB", help="restart the Oxigraph server "
                    "when its resident memory passes this many MiB (default: 1024)")
    sv.set_defaults(run=cmd_serve)

    ps = sub.add_parser("push", help="put the dataset into a SPARQL server's named graphs (Graph Store Protocol)")
    ps.add_argument("--endpoint", required=True, metavar="URL", help="the server's SPARQL query endpoint")
    ps.add_argument("--graph-store", metavar="URL", help="its Graph Store Protocol URL (default: …/store "
                                                         "beside the endpoint, as Oxigraph has it)")
    ps.add_argument("--update", metavar="URL", help="its SPARQL Update endpoint (default: …/update beside it)")
    ps.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files to push (default: {DEFAULT_DATA})")
    ps.add_argument("--timeout", type=int, default=60, help="seconds for each request, its whole answer "
                    "included (default: 60)")
    ps.add_argument("--lock-timeout", type=seconds(0), default=0, metavar="SECONDS", help="wait up to SECONDS "
                    "for another push to the server to finish (default: 0, stop at once)")
    ps.add_argument("--lock-stale", type=seconds(1), default=600, metavar="SECONDS", help="take the lock of a "
                    "push with no sign of life for SECONDS as abandoned, and remove it (default: 600)")
    ps.set_defaults(run=cmd_push)

    rp = sub.add_parser("report", help="figures and a summary page from the built data")
    rp.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files (default: {DEFAULT_DATA})")
    rp.add_argument("--out", default="dist/report", help="output directory (default: dist/report)")
    rp.set_defaults(run=cmd_report)

    b = sub.add_parser("build", help="parse, map, validate and publish every source")
    b.add_argument("--sources", default="data/sources", help="directory of agreement texts (default: data/sources)")
    b.add_argument("--registry", help="the area registry: a folder of members.csv + areas.csv, or folders "
                                      "of them (default: data/registry, when it exists)")
    b.add_argument("--no-registry", action="store_true", help="publish the full texts only")
    b.add_argument("--out", default="dist", help="output directory (default: dist)")
    b.add_argument("--allow-incomplete", action="store_true", help="publish agreements with missing parts")
    b.add_argument("--store", metavar="PATH", help="also write the data as an on-disk store (for query/serve --store)")
    b.add_argument("--sparql-endpoint", metavar="URL", help="the public SPARQL endpoint of the data, for the catalog")
    b.add_argument("--quiet", action="store_true", help="no progress bars (they show on a terminal only, "
                                                         "for steps longer than a second)")
    add_max_bytes(b)
    b.set_defaults(run=cmd_build)

    ir = sub.add_parser("import-registry", help="convert a registry compilation into a folder the build reads")
    ir.add_argument("source", nargs="?", default="data/sources/registry",
                    help="areas.csv + areas_summary.csv [+ amendments.csv] (default: data/sources/registry)")
    ir.add_argument("--into", default="data/registry/national",
                    help="the folder to (re)write (default: data/registry/national)")
    ir.set_defaults(run=cmd_import_registry)

    pa = sub.add_parser("parse", help="show the parsed model of one agreement text")
    pa.add_argument("file")
    pa.add_argument("--format", choices=("json", "text"), default="json")
    add_max_bytes(pa)
    pa.set_defaults(run=cmd_parse)

    v = sub.add_parser("validate", help="check RDF files against the SHACL shapes")
    v.add_argument("files", nargs="*", help=f"RDF files (default: {DEFAULT_DATA})")
    v.add_argument("--format", choices=("text", "turtle"), default="text")
    v.add_argument("--engine", choices=("oxigraph", "pyshacl"), default="oxigraph",
                   help="oxigraph: the shapes compiled to SPARQL (fast; the default); pyshacl: the reference engine")
    v.set_defaults(run=cmd_validate)

    r = sub.add_parser("render", help="rebuild an agreement's text from the graph")
    r.add_argument("agreement", metavar="AGREEMENT_IRI")
    r.add_argument("--data", default=str(DEFAULT_DATA), help=f"RDF file (default: {DEFAULT_DATA})")
    r.set_defaults(run=cmd_render)
    return p


# Failures of the machine, not of kyoyaku or its input: a full disk, a read-only file system, a
# directory this user may not write … One line naming the path, exit 2. Any other OSError is a
# defect of kyoyaku (bad input is an InputError where it is read) and keeps its traceback.
ENVIRONMENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO,
                      errno.EMFILE, errno.ENFILE}
RDFLIB_ILL_TYPED = re.compile(r"Failed to convert Literal lexical form to value\. Datatype=(?P<datatype>\S+),")


@contextmanager
def library_warnings_as_lines():
    """rdflib reports what it finds odd in the data by logging — with a traceback, for a literal
    that is not of its datatype — or by `warnings` (two lines, one of them rdflib's own source).
    While a command runs, each distinct one is one `kyoyaku: warning: …` line on stderr."""
    shown: set[str] = set()

    def show(text: str) -> None:
        text = " ".join(text.split())[:300]
        if text not in shown:
            shown.add(text)
            print(f"kyoyaku: warning: {text}", file=sys.stderr)

    class OneLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            reason = record.exc_info[1] if record.exc_info else None
            if m := RDFLIB_ILL_TYPED.match(message):
                # the text itself is a local of rdflib's converting function, which logged this
                lexical = record.exc_info[2].tb_frame.f_locals.get("lexical") if record.exc_info[2] else None
                literal = f"{json.dumps(str(lexical), ensure_ascii=False)}^^" if lexical is not None else "a literal typed "
                message = f"{literal}<{m['datatype']}> is not a valid value of its datatype; kept as written"
            elif reason is not None:
                message = f"{message}: {reason}"
            show(message)

    logger = logging.getLogger("rdflib")
    handler, propagate = OneLine(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.showwarning = lambda message, *_, **__: show(str(message))
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with library_warnings_as_lines():
            return args.run(args)
    except NonConformingError as e:
        print(e.report_text, end="", file=sys.stdout)
        print(f"kyoyaku: {e}", file=sys.stderr)
        return e.exit_code
    except (ResultError, KyoyakuError) as e:
        print(f"kyoyaku: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("kyoyaku: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly, as other CLI tools do
        sys.stdout = None
        return 0
    except OSError as e:
        if not environment_failure(e):
            raise
        if e.errno is None:  # Oxigraph's: its message names the file
            print(f"kyoyaku: {str(e).splitlines()[0]}", file=sys.stderr)
            return 2
        # a failed write names no file where its OSError came from a plain write(): then name the output
        where = e.filename or next((str(v) for v in (getattr(args, k, None) for k in ("out", "into", "store")) if v),
                                   "the output")
        print(f"kyoyaku: {where}: {e.strerror or e}", file=sys.stderr)
        return 2


def environment_failure(error: OSError) -> bool:
    """Whether `error` is a failure of the machine (ENVIRONMENT_ERRNOS). Oxigraph's OSErrors carry
    no errno, only the system's message: "IO error: No space left on device: While appending to
    file: …/000012.sst: No space left on device"."""
    if error.errno is not None:
        return error.errno in ENVIRONMENT_ERRNOS
    return str(error).startswith("IO error: ") and any(os.strerror(code) in str(error) for code in ENVIRONMENT_ERRNOS)


if __name__ == "__main__":
    sys.exit(main())
