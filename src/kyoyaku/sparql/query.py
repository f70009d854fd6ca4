"""The query library (queries/*.rq): read a query's header, bind its parameters as RDF terms, run
it on the embedded store, and write the rows as a table, CSV or JSON.

Header of a query file (comment lines before the query):

    # title: 政策分野の網羅表 / Coverage matrix: partner × national policy field
    # answers: For each partner municipality, how many initiatives fall in each national field?
    # param: area iri (optional) — the area (kyo:PartnershipArea) to restrict to

Parameters are bound by a `VALUES` block placed at the start of the query's outer group: the
value is an RDF term written by rdflib (quotes, braces, `#`, newlines stay inside the literal);
it is never pasted into the query text by string formatting.

What a file asks for — a SELECT, another query form, or an update — is read by a SPARQL parser
(`operation`), never by keywords, which a comment or a string may hold.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import XSD, Literal, URIRef

from ..errors import InputError, UsageError
from ..graph import iris
from ..graph.iris import PREFIXES
from ..resources import queries_dir

HEADER = re.compile(r"^#\s*(?P<key>title|answers|param):\s*(?P<value>.*)$")
PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<kind>iri|string|date|integer)(?P<optional>\s+\(optional\))?"
                   r"(?:\s*[—-]\s*(?P<doc>.*))?$")
# SPARQL's IRIREF excludes these and U+0000–U+0020; \s adds the other Unicode spaces (U+2028 …)
IRI_FORBIDDEN = re.compile(r'[\x00-\x20\s<>"{}|^`\\]')


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # iri | string | date | integer
    optional: bool
    doc: str


@dataclass
class Query:
    name: str
    path: Path
    title: str
    answers: str
    text: str
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def is_check(self) -> bool:
        return self.name.startswith("check-")


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str | int | float | bool | None]]


def read_query(path: Path, *, title_required: bool = False) -> Query:
    """A query from a `.rq` file. Its header (`# title:`, `# answers:`, `# param:`) is optional but for the
    shipped library (`title_required`: every library query says what it answers); a query without
    one is named after its file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path, None, "a UTF-8 SPARQL query file", str(e)) from None
    return parse_query(text, path, title_required=title_required)


def parse_query(text: str, origin: Path, name: str | None = None, *, title_required: bool = False) -> Query:
    """A query from its text; `origin` names it in errors (its file, or `<stdin>`, `--query`)."""
    fields: dict[str, str] = {}
    parameters = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        if m := HEADER.match(line):
            if m.group("key") == "param":
                p = PARAM.match(m.group("value").strip())
                if not p:
                    raise InputError(origin, number, "# param: NAME iri|string|date|integer [(optional)] — doc", line)
                parameters.append(Parameter(p.group("name"), p.group("kind"), bool(p.group("optional")),
                                            (p.group("doc") or "").strip()))
            else:
                fields[m.group("key")] = m.group("value").strip()
    name = name or origin.stem
    if "title" not in fields and title_required:
        raise InputError(origin, 1, "a header comment starting with '# title: …'", text.splitlines()[0][:60] if text else "")
    return Query(name, origin, fields.get("title", name), fields.get("answers", ""), text, parameters)


def list_queries(directory: Path | None = None) -> list[Query]:
    """The query library (the shipped queries/, or `directory`): every query has its header."""
    return [read_query(p, title_required=True) for p in sorted((directory or queries_dir()).glob("*.rq"))]


STDIN = "-"  # `kyoyaku query -`: the query's text on standard input


def find_query(name_or_path: str) -> Query:
    """A shipped query by name (coverage-matrix), any .rq file by path, or (`-`) the text on stdin."""
    if name_or_path == STDIN:
        import sys

        return parse_query(sys.stdin.read(), Path("<stdin>"), "stdin")
    path = Path(name_or_path)
    if path.suffix == ".rq":
        if not path.is_file():
            raise InputError(path, None, "an existing .rq file", "no such file")
        return read_query(path)
    shipped = {q.name: q for q in list_queries()}
    if name_or_path not in shipped:
        raise UsageError(f"no query named {name_or_path!r}; `kyoyaku queries` lists them")
    return shipped[name_or_path]


def inline_query(text: str) -> Query:
    """`kyoyaku query --query TEXT`: the query given on the command line."""
    return parse_query(text, Path("--query"), "inline")


def term(parameter: Parameter, value: str) -> URIRef | Literal:
    """A parameter value as an RDF term of the declared kind; IRIs may use the kyo:, … prefixes."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a command-line argument that was not UTF-8 (surrogate escapes)
        raise UsageError(f"--param {parameter.name}: expected UTF-8 text, found {value!r}") from None
    if parameter.kind == "iri":
        return URIRef(_iri(parameter, value))
    if parameter.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise UsageError(f"--param {parameter.name}: expected an integer, found {value!r}")
        return Literal(int(value))
    if parameter.kind == "date":
        try:
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            raise UsageError(f"--param {parameter.name}: expected a date YYYY-MM-DD, found {value!r}") from None
    return Literal(value)


# Schemes of IRIs without an authority (`scheme:rest`, no `//`) a parameter may hold. Any other
# `word:rest` is a prefixed name with an unknown prefix or a mistyped IRI: it would match nothing
# and give an empty answer that looks like a real one, so it is refused.
OPAQUE_SCHEMES = {"urn", "mailto", "tag", "did", "info"}
KYOYAKU_KINDS = ("agreement", "area", "municipality", "concept")  # the path segments of kyoyaku's IRIs


def _iri(parameter: Parameter, value: str) -> str:
    """An iri parameter's value as a full IRI: given in full, or as a prefixed name (kyo:Agreement)."""
    option = f"--param {parameter.name}"
    prefix, colon, local = value.partition(":")
    if colon and not local.startswith("//"):
        if prefix in PREFIXES:
            if "/" in local:  # a local name holds no "/": kyo:municipality/082368 is not …/ns#municipality/082368
                hint = (f"the resource is {iris.data_base()}{local}" if prefix == "kyo" else "give the full IRI")
                raise UsageError(f"{option}: {value!r} is not a prefixed name ({prefix}: is <{PREFIXES[prefix]}>, "
                                 f"and a local name has no '/'); {hint}")
            value = str(PREFIXES[prefix]) + local
        elif prefix.lower() not in OPAQUE_SCHEMES:
            base = iris.VOCABULARY_BASE if prefix == "concept" else iris.data_base()
            hint = f"; the resource is {base}{prefix}/{local}" if prefix in KYOYAKU_KINDS else ""
            raise UsageError(f"{option}: expected a full IRI (https://…) or a prefixed name with a known prefix "
                             f"({', '.join(p + ':' for p in PREFIXES)}), found {value!r}{hint}")
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or IRI_FORBIDDEN.search(value):
        raise UsageError(f"{option}: expected an absolute IRI, found {value!r}")
    return value


def bind(query: Query, values: dict[str, str]) -> str:
    """The query text with a VALUES block for the given parameters at the start of its outer group."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise UsageError(f"{query.name} has no parameter {', '.join(unknown)}; it takes: "
                         f"{', '.join(declared) or 'none'}")
    missing = [p.name for p in query.parameters if not p.optional and p.name not in values]
    if missing:
        raise UsageError(f"{query.name} needs --param {' '.join(f'{m}=…' for m in missing)}")
    if not values:
        return query.text
    # one VALUES block per parameter, not one of several variables: the same single solution, but
    # Virtuoso 7 answers some queries (members-on) with no rows when two variables share a block
    block = " ".join(f"VALUES (?{n}) {{ ({term(declared[n], values[n]).n3()}) }}" for n in sorted(values))
    at = _outer_group_start(query.text)
    return query.text[:at] + " " + block + " " + query.text[at:]


def _outer_group_start(text: str) -> int:
    """The offset just after the first `{` that is not inside a comment, string or IRI."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i = text.index(">", i) + 1
            continue
        elif c in "\"'":
            literal = re.compile(rf"{c * 3}.*?{c * 3}|{c}(?:[^{c}\\\n]|\\.)*{c}", re.DOTALL).match(text, i)
            i = literal.end() if literal else i + 1
            continue
        elif c == "{":
            return i + 1
        i += 1
    raise UsageError("the query has no group { … } to bind parameters in")


QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
UPDATE_OPERATIONS = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
                     "Modify": "DELETE/INSERT … WHERE", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
                     "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY"}
FETCHING = {"ServiceGraphPattern": ("SERVICE", "term"), "Load": ("LOAD", "iri")}  # Oxigraph fetches these over HTTP


@dataclass(frozen=True)
class Operation:
    """What a query file asks for, as a SPARQL parser reads it."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    updates: list[str]  # an update's operations in order (DROP, INSERT DATA …)
    fetches: list[str]  # each SERVICE or LOAD, as "SERVICE <iri>"
    ordered: bool = False  # the outer query has an ORDER BY: its rows can be paged
    sliced: bool = False  # the outer query has its own LIMIT or OFFSET


def operation(query: Query) -> Operation:
    """What `query` asks for (`read_operation`), parsed once per text: a page of a query checks it on
    every run."""
    key = (str(query.path), query.text)
    if key not in _OPERATIONS:
        _OPERATIONS[key] = read_operation(query)
    return _OPERATIONS[key]


_OPERATIONS: dict[tuple[str, str], Operation] = {}


def read_operation(query: Query) -> Operation:
    """Parse the query file as a SPARQL 1.1 query, else as an update (rdflib's grammar: it only
    parses). Not through rdflib's `parseQuery`: that first replaces every \\uXXXX in the text by its
    character, so `"\\u0022"`, one string for Oxigraph, becomes three quotes for rdflib —
    the two would not see the same tokens. Without it, a text rdflib accepts reads the same for both."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    try:
        tree = parser.Query.parse_string(query.text, parse_all=True)
        form, updates = QUERY_FORMS[tree[1].name], []
        outer = set(tree[1].keys())  # (CompValue.get answers a missing key with the key's name)
        ordered, sliced = "orderby" in outer, "limitoffset" in outer
    except ParseBaseException as not_query:
        try:
            tree = parser.UpdateUnit.parse_string(query.text, parse_all=True)[0]
        except ParseBaseException as not_update:
            errors = [not_query, not_update]
            try:  # an update's own errors come from its operations: a whole update reports its start
                (parser.Prologue + parser.Update1).parse_string(query.text)
            except ParseBaseException as in_operation:
                errors.append(in_operation)
            error = max(errors, key=lambda e: e.loc)  # the reading that got furthest
            raise InputError(query.path, error.lineno, "a SPARQL 1.1 query (or update)",
                             str(error).split(" (at char")[0].strip()) from None
        form, updates = "UPDATE", [UPDATE_OPERATIONS[request.name] for request in tree.request or []]
        ordered = sliced = False
        if not updates:
            raise InputError(query.path, None, "a SPARQL 1.1 query", "no query, only comments or prefixes")
    fetches = [f"{FETCHING[node.name][0]} {_as_written(node.get(FETCHING[node.name][1]))}"
               for node in _parse_nodes(tree) if node.name in FETCHING]
    return Operation(form, updates, fetches, ordered, sliced)


def _as_written(term) -> str:
    """A SERVICE's or LOAD's IRI as the text has it: <iri>, ?var, or prefix:name (a parse tree keeps a
    prefixed name unresolved)."""
    if getattr(term, "name", None) == "pname":
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    return term.n3()


def _parse_nodes(tree):
    """Every node (rdflib CompValue) of a parse tree, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, (ParseResults, list)):
            stack.extend(node)


@dataclass(frozen=True)
class Page:
    """Which rows of a listing to return: `limit` rows (None: all) after the first `offset`, in the
    query's own ORDER BY, so the pages of an ordered query concatenate to its rows. On the embedded
    store the page is cut from the ordered solutions as they are read (`run`): only its rows are
    converted to Python values, and the answer is never slower than the whole listing — Oxigraph
    sorts every solution either way, and a LIMIT in the query text made it choose slower plans
    (keyword-search 125 → 203 ms at 1,000 agreements). An endpoint gets LIMIT and OFFSET in the
    query (`paged`), so the rows not asked for are never sent."""

    limit: int | None = None
    offset: int = 0

    def __post_init__(self):
        def whole(value) -> bool:
            return isinstance(value, int) and not isinstance(value, bool)

        if self.limit is not None and (not whole(self.limit) or self.limit < 1):
            raise UsageError(f"limit: expected a whole number of rows, at least 1 (or None: all), found {self.limit!r}")
        if not whole(self.offset) or self.offset < 0:
            raise UsageError(f"offset: expected a whole number of rows, at least 0, found {self.offset!r}")

    @classmethod
    def parse(cls, limit: str | None, offset: str | None, default_limit: int | None = None) -> Page:
        """A page from the command line's texts: --limit N or all, --offset M (whole numbers)."""
        def number(option: str, text: str, least: int) -> int:
            if not (text.isascii() and text.isdigit()) or int(text) < least:
                raise UsageError(f"{option}: expected a whole number of rows, at least {least}"
                                 f"{' (or all)' if option == '--limit' else ''}, found {text!r}")
            return int(text)

        if limit is None:
            count = default_limit
        else:
            count = None if limit == "all" else number("--limit", limit, 1)
        return cls(count, 0 if offset is None else number("--offset", offset, 0))

    @property
    def whole(self) -> bool:
        return self.limit is None and self.offset == 0

    def clause(self, extra: int = 0) -> str:
        """LIMIT/OFFSET to append after the query (`extra` rows more: to learn whether more follow)."""
        parts = [] if self.limit is None else [f"LIMIT {self.limit + extra}"]
        return " ".join(parts + ([f"OFFSET {self.offset}"] if self.offset else []))


def check_pageable(query: Query, page: Page | None) -> None:
    """Refuse (UsageError) a page of a query without an outer ORDER BY — its pages would not be
    stable — or with a LIMIT or OFFSET of its own. Other forms than SELECT are refused elsewhere."""
    if page is None or page.whole:
        return
    parsed = operation(query)
    if parsed.form != "SELECT":
        return
    if parsed.sliced:
        raise UsageError(f"{query.path}: the query has its own LIMIT or OFFSET; leave out --limit and --offset "
                         "(or give --limit all)")
    if not parsed.ordered:
        raise UsageError(f"{query.path}: --limit and --offset page a query by its ORDER BY, and this one has none "
                         "(its pages would not be stable); give --limit all, or add an ORDER BY")


def paged(query: Query, text: str, page: Page | None, extra: int = 0) -> str:
    """The bound query text `text` cut to `page` by LIMIT and OFFSET (for an endpoint: the rows not
    asked for are not sent), after check_pageable."""
    check_pageable(query, page)
    return text if page is None or page.whole else f"{text}\n{page.clause(extra)}\n"


def run(store, query: Query, values: dict[str, str] | None = None, page: Page | None = None,
        extra: int = 0) -> Table:
    """Run a SELECT query on an Oxigraph store; cells are Python values (str, int, float, bool).
    (Oxigraph's `query` runs queries only: an update is a syntax error there.) `page`: only these
    rows (and `extra` more, to learn whether more follow)."""
    check_pageable(query, page)
    try:
        solutions = store.query(bind(query, values or {}))
    except SyntaxError as e:
        raise InputError(query.path, None, "a valid SPARQL 1.1 query", str(e).splitlines()[0]) from None
    if not hasattr(solutions, "variables"):  # ASK gives a boolean, CONSTRUCT and DESCRIBE triples
        raise InputError(query.path, None, "a SELECT query (its rows make the table)", type(solutions).__name__)
    columns = [v.value for v in solutions.variables]
    # Each distinct term is converted once: results repeat terms (agreements, fields, labels), and
    # hashing a term costs a fraction of reading its value and datatype (4–5× faster on 16,000 rows).
    cache: dict = {}

    def cell(term):
        try:
            return cache[term]
        except KeyError:
            value = cache[term] = _python(term)
            return value

    if page is not None and not page.whole:  # the page's rows only are converted (Page: why not LIMIT)
        end = None if page.limit is None else page.offset + page.limit + extra
        solutions = itertools.islice(solutions, page.offset, end)
    rows = [list(map(cell, solution)) for solution in solutions]  # a solution yields its terms in column order
    return Table(columns, rows)


@dataclass(frozen=True)
class Change:
    added: int
    removed: int
    total: int

    def text(self) -> str:
        return f"{self.added} quad(s) added, {self.removed} removed; the store holds {self.total}"


def run_update(store, query: Query) -> Change:
    """Run a SPARQL update on a writable Oxigraph store — one transaction, all or nothing — and
    count the quads it added and removed (compared by their hashes, not copies of the quads: about
    0.1 s per 100,000 quads and about 60 bytes each)."""
    before = {hash(quad) for quad in store}
    try:
        store.update(query.text)
    except SyntaxError as e:
        raise InputError(query.path, None, "a valid SPARQL 1.1 update", str(e).splitlines()[0]) from None
    after = {hash(quad) for quad in store}
    return Change(len(after - before), len(before - after), len(after))


def _python(term) -> str | int | float | bool | None:
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    return python_value(term.value, datatype.value if datatype is not None else None)


# The lexical forms of the numeric and boolean XSD types (ASCII digits only, as XSD has them; the
# types collapse surrounding whitespace). A literal whose text is not one — "abc"^^xsd:integer, legal
# RDF though ill-typed — keeps its text as written in the cell.
XSD_LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
    "double": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"),
}
XSD_KINDS = {"integer": "integer", "int": "integer", "long": "integer", "nonNegativeInteger": "integer",
             "decimal": "decimal", "double": "double", "float": "double"}
XSD_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}


def python_value(value: str, datatype: str | None) -> str | int | float | bool:
    """A literal's lexical value as the Python value a table cell holds (IRIs stay strings), for
    embedded results and endpoint (SPARQL JSON) results alike. An ill-typed literal stays its text."""
    kind = datatype.rsplit("#", 1)[-1] if datatype else None
    if kind in XSD_KINDS and XSD_LEXICAL[XSD_KINDS[kind]].fullmatch(value.strip()):
        return int(value) if XSD_KINDS[kind] == "integer" else float(value)
    if kind == "boolean":
        return XSD_BOOLEAN.get(value.strip(), value)
    return value


def failed_checks(store) -> list[tuple[Query, Table]]:
    """The data-quality queries (queries/check-*.rq) that return rows, with their rows."""
    results = [(check, run(store, check)) for check in list_queries() if check.is_check]
    return [(check, table) for check, table in results if table.rows]


def to_csv(table: Table) -> str:
    """CSV that pandas.read_csv reads as is: a header of variable names, empty cells for unbound."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])
    return out.getvalue()


def to_json(table: Table) -> str:
    """One JSON object per row (pandas.read_json / a dashboard reads it as records)."""
    records = [dict(zip(table.columns, map(_json_value, row))) for row in table.rows]
    return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _json_value(value):
    """JSON has no NaN or infinity: an xsd:double NaN or INF is written as its SPARQL text."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return value


def to_text(table: Table) -> str:
    """An aligned table for the terminal (Japanese characters count as two columns)."""
    cells = [table.columns] + [["" if v is None else str(v) for v in row] for row in table.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(table.columns))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
