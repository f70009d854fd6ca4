"""The command line (`kyoyaku --help`): every command with its options, a description and examples,
listed in the order of the workflow — build, parse, validate, query, report, serve, push — then the
rest (HELP)."""

from __future__ import annotations

import argparse
import textwrap

from .. import __version__
from ..sparql.local import DEFAULT_DATA, DEFAULT_PAGE_ROWS
from . import commands

WIDTH = 78  # descriptions and examples are wrapped to this many columns
SEED = "https://w3id.org/kyoyaku/agreement/082015-082368/2022-02-21"
KENOU = "https://w3id.org/kyoyaku/area/renkei-chusu/082015"

DESCRIPTION = ("連携協約 (partnership agreements) as linked open data: agreement texts read into a model, mapped to "
               "RDF with the area registry, validated against SHACL shapes, published as dumps and a static site, "
               "queried with SPARQL, served, and pushed to SPARQL servers.")
FIRST_SESSION = [
    ("kyoyaku build", "parse, map, validate and publish data/sources (with data/registry) into dist/"),
    ("kyoyaku query coverage-matrix --format csv", "a shipped query on dist/kyoyaku.ttl"),
    ("kyoyaku serve", "dist/ and its SPARQL endpoint on http://127.0.0.1:7878/"),
]

# command → (summary in `kyoyaku --help`, description, examples: (command line, what it does)), in the
# order `kyoyaku --help` lists them
HELP: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "build": (
        "parse, map, validate and publish every source",
        ("Parse every agreement text in --sources, map them to RDF with the area registry, validate the whole "
         "against the SHACL shapes and publish it into --out: the dumps (Turtle, JSON-LD, N-Triples), a page and "
         "documents for every agreement, municipality and area, the report, the ontology and the catalog. All or "
         "nothing: on any error --out is left as it was."),
        [("kyoyaku build", "the shipped texts (data/sources) and registry (data/registry) into dist/"),
         ("kyoyaku build --sources data/sources --out dist --store dist/store",
          "the same, with an on-disk store for `query --store` and `serve --store`")]),
    "parse": (
        "show the parsed model of one agreement text, or a report on a folder of them",
        ("Read one agreement text (UTF-8 or Shift_JIS) into the model and print it as JSON, or as a summary "
         "(--format text); what could not be read is listed on stderr, one line each. Exit 1 when the text lacks "
         "parts an agreement must have. With --report FOLDER, read every agreement text of the folder as "
         "`kyoyaku build` does and print one line per document: what was found, what is missing, which facts "
         "came from a fallback rule, or why it was refused (as a table, --format markdown or json); exit 1 "
         "unless every document is complete."),
        [("kyoyaku parse data/sources/mito-omitama-2022-02-21.txt --format text",
          "title, date, parties, articles, initiatives and signatures of the seed agreement"),
         ("kyoyaku parse --report data/sources", "a line per agreement text of the folder, and a summary")]),
    "validate": (
        "check RDF files against the SHACL shapes",
        ("Check RDF files, with the shipped ontology and concept schemes, against the SHACL shapes "
         "(ontology/shapes.ttl), and run the data-quality checks (queries/check-*.rq). Exit 1 when the data do not "
         "conform or a check returns rows."),
        [("kyoyaku validate dist/kyoyaku.ttl", "the report on the built data, as text"),
         ("kyoyaku validate --engine pyshacl --format turtle dist/kyoyaku.ttl",
          "the same found by the reference engine, as a SHACL validation report in Turtle")]),
    "query": (
        "run a shipped query by name, a .rq file, or a query given inline or on stdin",
        ("Run a SELECT query — a shipped one by name (`kyoyaku queries` lists them), any .rq file, `--query TEXT` or "
         "`-` (standard input) — on the built "
         "data, an on-disk store or a SPARQL endpoint, and print its rows as a table, CSV or JSON. A check-* query "
         "that returns rows exits 1."),
        [("kyoyaku query coverage-matrix --format csv", "partner × national policy field, on dist/kyoyaku.ttl"),
         (f"kyoyaku query coverage-matrix --param area={KENOU}", "the same for one partnership area"),
         ("kyoyaku query --query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'", "any query, given inline")]),
    "report": (
        "figures and a summary page from the built data",
        ("Draw the report from the built data through the shipped queries: the coverage heatmap, the areas, "
         "agreements per year, area sizes and area growth (PNG and SVG), and a summary page (index.html)."),
        [("kyoyaku report --data dist/kyoyaku.ttl --out dist/report", "what `kyoyaku build` writes into dist/report")]),
    "serve": (
        "a read-only SPARQL endpoint over the built data (Oxigraph server)",
        ("Serve the published tree by content negotiation and a read-only SPARQL endpoint (/query) over its data, "
         "on one address, until interrupted. The Oxigraph server behind it is restarted when it stops, runs a "
         "query past --timeout or grows past --max-memory."),
        [("kyoyaku serve", "dist/ and the endpoint http://127.0.0.1:7878/query over dist/kyoyaku.ttl"),
         ("kyoyaku serve --store dist/store --port 8080", "the on-disk store written by `build --store`")]),
    "push": (
        "put the dataset into a SPARQL server's named graphs (Graph Store Protocol)",
        ("Put the dataset into a SPARQL server's named graphs through the Graph Store Protocol: one graph per "
         "agreement and one for the rest, only those that changed, moved into place all at once; one push at a "
         "time. Credentials come from KYOYAKU_USER and KYOYAKU_PASSWORD."),
        [("kyoyaku push --endpoint http://127.0.0.1:7879/query --data dist/kyoyaku.ttl",
          "into an Oxigraph server (its /store and /update beside /query)"),
         (("kyoyaku push --endpoint http://127.0.0.1:8890/sparql --update http://127.0.0.1:8890/sparql "
           "--graph-store http://127.0.0.1:8890/sparql-graph-crud --prune"),
          "into Virtuoso, removing the graphs of agreements the data no longer have")]),
    "queries": (
        "list the shipped queries (name, title, parameters)",
        "List the shipped queries (queries/*.rq): name, title, and parameters as NAME=kind (? when optional).",
        [("kyoyaku queries", "the names `kyoyaku query NAME` takes")]),
    "import-registry": (
        "convert a registry compilation into a folder the build reads",
        ("Convert a registry compilation (areas.csv, areas_summary.csv, optional amendments.csv) into the folder "
         "the build reads (members.csv, areas.csv): amendments applied, every row checked as the build will check "
         "it, all or nothing."),
        [("kyoyaku import-registry data/sources/registry --into data/registry/national",
          "the shipped compilation, imported again after it was updated")]),
    "render": (
        "rebuild an agreement's text from the graph",
        ("Rebuild an agreement's text from the graph alone, part by part in the order of its source lines; with "
         "--at DATE, the text in force on that date (after the amendments that took effect by then)."),
        [(f"kyoyaku render {SEED} --data dist/kyoyaku.ttl", "the seed agreement's text, from the published data"),
         (f"kyoyaku render {SEED} --at 2024-04-01", "the text in force on 1 April 2024")]),
}


def examples(pairs: list[tuple[str, str]], heading: str = "examples") -> str:
    """Example command lines, each with what it does on the line below it."""
    lines = [f"{heading}:"]
    for command_line, what in pairs:
        lines += [f"  {command_line}", *textwrap.wrap(what, WIDTH, initial_indent=" " * 6, subsequent_indent=" " * 6)]
    return "\n".join(lines)


def command(sub, name: str, run) -> argparse.ArgumentParser:
    """The subcommand `name` (its texts from HELP), running `run(args)`."""
    summary, description, example = HELP[name]
    p = sub.add_parser(name, help=summary, description=textwrap.fill(description, WIDTH), epilog=examples(example),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(run=run)
    return p


def add_max_bytes(p: argparse.ArgumentParser) -> None:
    """The size limit of source files, shared by the commands that parse them (kyoyaku.text.parse.parse_file)."""

    def positive(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"expected a whole number of bytes, at least 1, found {text!r}")
        return int(text)

    p.add_argument("--max-bytes", type=positive, metavar="N", help="refuse source files larger than N bytes "
                   "(default: $KYOYAKU_MAX_BYTES, else 5000000 for a text or page, 100000000 for a PDF, "
                   "an image or a Word document)")


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
    p = argparse.ArgumentParser(prog="kyoyaku", description=textwrap.fill(DESCRIPTION, WIDTH),
                                epilog=examples(FIRST_SESSION, "a first session, in a checkout") + "\n\n"
                                "`kyoyaku COMMAND --help` describes a command, with examples.",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"kyoyaku {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands, in workflow order")

    b = command(sub, "build", commands.cmd_build)
    b.add_argument("--sources", default="data/sources", help="directory of agreement texts (default: data/sources)")
    b.add_argument("--registry", help="the area registry: a folder of members.csv + areas.csv, or folders "
                                      "of them (default: data/registry, when it exists)")
    b.add_argument("--no-registry", action="store_true", help="publish the full texts only")
    b.add_argument("--out", default="dist", help="output directory (default: dist)")
    b.add_argument("--allow-incomplete", action="store_true", help="publish agreements with missing parts")
    b.add_argument("--store", metavar="PATH", help="also write the data as an on-disk store (for query/serve --store)")
    b.add_argument("--sparql-endpoint", metavar="URL", help="the public SPARQL endpoint of the data, for the catalog")
    b.add_argument("--config", metavar="FILE", help="the base IRI, publisher, licence and site title (default: "
                   "kyoyaku.toml, else [tool.kyoyaku] in pyproject.toml, in the working directory; docs/configuration.md)")
    b.add_argument("--quiet", action="store_true", help="no progress bars (they show on a terminal only, "
                                                         "for steps longer than a second)")
    add_max_bytes(b)

    pa = command(sub, "parse", commands.cmd_parse)
    pa.add_argument("file", nargs="?", help="the agreement text to read")
    pa.add_argument("--report", metavar="FOLDER", help="instead of FILE: report on every agreement text (*.txt, *.html, *.htm, *.pdf, *.docx) "
                                                       "of FOLDER, one line each")
    pa.add_argument("--format", choices=("json", "text", "markdown"),
                    help="FILE: json (the default) or text; --report: text (the default: an aligned table), "
                         "markdown or json")
    add_max_bytes(pa)

    v = command(sub, "validate", commands.cmd_validate)
    v.add_argument("files", nargs="*", help=f"RDF files (default: {DEFAULT_DATA})")
    v.add_argument("--format", choices=("text", "summary", "json", "turtle"), default="text",
                   help="text: the summary, kyoyaku's decision and each result; summary: those two lines only; "
                   "json: for programs; turtle: the SHACL validation report graph")
    v.add_argument("--engine", choices=("oxigraph", "pyshacl"), default="oxigraph",
                   help="oxigraph: the shapes compiled to SPARQL (fast; the default); pyshacl: the reference engine")

    q = command(sub, "query", commands.cmd_query)
    q.add_argument("query", nargs="?", help="query name (see `kyoyaku queries`), path to a .rq file (its header "
                   "is optional), or - to read the query from standard input")
    q.add_argument("--query", dest="query_text", metavar="TEXT", help="the query itself, instead of a name or file")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter (as an RDF term of its declared kind); repeatable")
    q.add_argument("--format", choices=["table", "csv", "json", "xlsx"], default="table",
                   help="xlsx: an Excel workbook (Japanese column names, codes as text) written to --out FILE")
    q.add_argument("--out", metavar="FILE", help="with --format xlsx: the workbook to write")
    q.add_argument("--excel", action="store_true", help="with --format csv: CSV for Excel in Japan (UTF-8 with BOM, "
                   "CRLF, Japanese column names, a 団体コード column beside each municipality)")
    q.add_argument("--limit", metavar="N|all", help=f"at most N rows, in the query's ORDER BY (default: "
                   f"{DEFAULT_PAGE_ROWS:,}; a line on stderr says when more follow); all: every row")
    q.add_argument("--offset", metavar="M", help="skip the first M rows (default: 0): --offset 1000 is the second "
                   "page of 1,000")
    q.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files to query (default: {DEFAULT_DATA})")
    q.add_argument("--store", metavar="PATH", help="query the on-disk store written by `build --store PATH`")
    q.add_argument("--endpoint", metavar="URL", help="query a SPARQL 1.1 endpoint instead (POST, JSON results)")
    q.add_argument("--timeout", type=int, default=60, help="seconds the whole answer may take (default: 60)")
    q.add_argument("--allow-update", action="store_true", help="run a SPARQL update (INSERT, DELETE, DROP …) "
                   "on the on-disk store of --store PATH; without it, updates are refused")

    rp = command(sub, "report", commands.cmd_report)
    rp.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files (default: {DEFAULT_DATA})")
    rp.add_argument("--out", default="dist/report", help="output directory (default: dist/report)")
    rp.add_argument("--config", metavar="FILE", help="the site's title and the data's base IRI, as `build --config` "
                    "(default: kyoyaku.toml, else [tool.kyoyaku] in pyproject.toml)")

    sv = command(sub, "serve", commands.cmd_serve)
    sv.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files to serve (default: {DEFAULT_DATA})")
    sv.add_argument("--store", metavar="PATH", help="serve the on-disk store written by `build --store PATH`")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sv.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    sv.add_argument("--public", action="store_true", help="allow a non-loopback --host")
    sv.add_argument("--public-url", metavar="URL", help="the URL clients reach serve at (e.g. behind a proxy), "
                    "named in the service description (default: http://HOST:PORT as the client reached it)")
    sv.add_argument("--site", metavar="DIR", help="the published tree to serve by content negotiation "
                                                  "(default: the build output holding --data, e.g. dist)")
    sv.add_argument("--timeout", type=int, default=60, help="query timeout in seconds (default: 60)")
    sv.add_argument("--max-body", type=int, default=1024 * 1024, metavar="BYTES",
                    help="refuse request bodies (queries sent by POST) larger than this, with 413 (default: 1048576)")
    sv.add_argument("--max-memory", type=int, default=1024, metavar="MIB", help="restart the Oxigraph server "
                    "when its resident memory passes this many MiB (default: 1024)")

    ps = command(sub, "push", commands.cmd_push)
    ps.add_argument("--endpoint", required=True, metavar="URL", help="the server's SPARQL query endpoint")
    ps.add_argument("--graph-store", metavar="URL", help="its Graph Store Protocol URL (default: …/store "
                                                         "beside the endpoint, as Oxigraph has it)")
    ps.add_argument("--update", metavar="URL", help="its SPARQL Update endpoint (default: …/update beside it)")
    ps.add_argument("--data", nargs="+", metavar="FILE", help=f"RDF files to push (default: {DEFAULT_DATA})")
    ps.add_argument("--config", metavar="FILE", help="the data's base IRI, under which the push names its own "
                    "graphs, as `build --config` (default: kyoyaku.toml, else [tool.kyoyaku] in pyproject.toml)")
    ps.add_argument("--timeout", type=int, default=60, help="seconds for each request, its whole answer "
                    "included (default: 60)")
    ps.add_argument("--lock-timeout", type=seconds(0), default=0, metavar="SECONDS", help="wait up to SECONDS "
                    "for another push to the server to finish (default: 0, stop at once)")
    ps.add_argument("--lock-stale", type=seconds(1), default=600, metavar="SECONDS", help="take the lock of a "
                    "push with no sign of life for SECONDS as abandoned, and remove it (default: 600)")
    ps.add_argument("--prune", action="store_true", help="also remove the agreement graphs on the server that "
                    "the data no longer have (only kyoyaku's agreement graphs, never any other)")
    ps.add_argument("--quiet", action="store_true", help="print nothing but errors and warnings")

    command(sub, "queries", commands.cmd_queries)

    ir = command(sub, "import-registry", commands.cmd_import_registry)
    ir.add_argument("source", nargs="?", default="data/sources/registry",
                    help="areas.csv + areas_summary.csv [+ amendments.csv] (default: data/sources/registry)")
    ir.add_argument("--into", default="data/registry/national",
                    help="the folder to (re)write (default: data/registry/national)")

    r = command(sub, "render", commands.cmd_render)
    r.add_argument("agreement", metavar="AGREEMENT_IRI")
    r.add_argument("--data", default=str(DEFAULT_DATA), help=f"RDF file (default: {DEFAULT_DATA})")
    r.add_argument("--at", metavar="DATE", help="the text in force on DATE (YYYY-MM-DD): the agreement's own before "
                                                 "its first amendment takes effect, the consolidated version after")
    return p
