"""Load RDF files: into an rdflib Graph (validation, rendering) or into an embedded Oxigraph store
(queries: 10–16× faster to load and 40× to over 1,000× faster to query than rdflib, measured in
docs/stores.md) — in memory, or on disk (`--store PATH`: written once, then reopened without parsing)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from ..errors import InputError
from ..graph.mapping import new_graph
from ..outputs import STORE_OUTPUT, check_out_dir, recover_missing, swap_in

FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig", ".nq": "nquads"}
# rdflib parses these through a store with named graphs, which new_graph()'s store is not
NEEDS_NAMED_GRAPHS = {"json-ld", "trig", "nquads"}
QUAD_FORMATS = {"trig", "nquads"}  # rdflib reads their default graph only, and the shipped queries query it
CONTEXT_KEYS = ("@context", "@import")  # JSON-LD keys whose string values name a context to fetch
LINE_IN_MESSAGE = re.compile(r"line (\d+)|:(\d+):")
# rdflib's Turtle parser recurses on each level of `[ … ]` and `( … )` and runs out of Python's
# stack near 120 levels; Oxigraph's reads any depth (a million levels measured). Where rdflib gives
# up, Oxigraph reads the file for it (_parse), so validate and render read what query reads.
NESTING_FORMATS = {"turtle", "trig"}
# Oxigraph's parsers hold one token (a literal, an IRI) in a buffer of at most this many bytes.
OXIGRAPH_MAX_TOKEN = 16 * 1024 * 1024


def rdf_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(path, None, f"an RDF file ({', '.join(sorted(FORMATS))})", path.suffix or "no suffix") from None


def load(paths: list[Path] | list[str], graph: Graph | None = None) -> Graph:
    """Parse every file into one graph; an unreadable file raises InputError naming it. Nothing is
    fetched: a path is a local file, never a URL, and JSON-LD must embed its contexts."""
    graph = graph if graph is not None else new_graph()
    for path in map(Path, paths):
        fmt = rdf_format(path)
        if not path.is_file():
            raise InputError(path, None, "an existing RDF file", "no such file")
        json_ld_keywords = _refuse_context_references(path) if fmt == "json-ld" else True
        # into a graph of its own unless `graph` is empty: a parse failing half-way leaves no
        # triple behind (Oxigraph then reads the file afresh), and an empty file is seen at once
        parsed = graph if _is_empty(graph) and fmt not in NEEDS_NAMED_GRAPHS else (
            Graph() if fmt in NEEDS_NAMED_GRAPHS else new_graph())
        try:
            _parse(parsed, path, fmt)
        except InputError:
            raise
        except Exception as e:  # noqa: BLE001 — rdflib raises many types; all mean "not valid RDF of this format"
            raise _invalid(path, fmt, e) from None
        if _is_empty(parsed):
            raise _no_triples(path, fmt, json_ld_keywords)
        if parsed is not graph:
            graph += parsed
    return graph


def _parse(graph: Graph, path: Path, fmt: str) -> None:
    """rdflib's parser, or Oxigraph's where rdflib's recursion runs out (NESTING_FORMATS); only the
    default graph of TriG, as rdflib reads it."""
    try:
        graph.parse(path, format=fmt)
        return
    except RecursionError:
        if fmt not in NESTING_FORMATS:
            raise
    import pyoxigraph as ox

    from ..graph.oxterms import rdflib_term

    graph.remove((None, None, None))  # what rdflib added before it gave up
    for quad in ox.parse(path=str(path), format=getattr(ox.RdfFormat, OXIGRAPH_FORMATS[fmt])):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))


def _is_empty(graph: Graph) -> bool:
    return next(iter(graph.triples((None, None, None))), None) is None  # len() would count every triple


def _no_triples(path: Path, fmt: str, json_ld_keywords: bool = True) -> InputError:
    """A file that parses to no triple: an empty file, only prefixes or comments, or plain JSON (such
    as `kyoyaku parse` writes) read as JSON-LD — never data that a command should treat as empty."""
    if not json_ld_keywords:
        return InputError(path, None, "RDF data (JSON-LD: JSON with @context, @id …)",
                          "JSON that is not JSON-LD, 0 triples")
    where = " in the default graph" if fmt in QUAD_FORMATS else ""  # the graph kyoyaku reads and queries
    return InputError(path, None, f"RDF data ({fmt}, at least one triple{where})", "0 triples")


def _refuse_context_references(path: Path) -> bool:
    """rdflib's JSON-LD parser fetches every context named by IRI — `"@context": "…"` at any depth,
    alone or in a list, or `"@import"` in a context — over the network or from any local file
    (`file:`, or a relative IRI). kyoyaku never fetches: such a reference is an InputError naming
    it. Its own documents embed their contexts (dist/*.jsonld). Returns whether the document has
    a JSON-LD keyword (`@…` key) at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        nodes = [json.loads(text)]
    except (OSError, ValueError, RecursionError) as e:  # ValueError: not UTF-8, or not JSON
        raise _invalid(path, "json-ld", e) from None
    keywords = False
    while nodes:  # a loop, not recursion: JSON may nest deeper than Python's recursion limit
        node = nodes.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                keywords = keywords or key.startswith("@")
                references = value if isinstance(value, list) else [value]
                for reference in (r for r in references if isinstance(r, str) and key in CONTEXT_KEYS):
                    at = text.find(json.dumps(reference, ensure_ascii=False))  # for the line number
                    raise InputError(path, text.count("\n", 0, at) + 1 if at >= 0 else None,
                                     "a JSON-LD context embedded in the document (kyoyaku never fetches one)",
                                     f"{key}: {reference}")
                nodes.append(value)
        elif isinstance(node, list):
            nodes.extend(node)
    return keywords


def _invalid(path: Path, fmt: str, error: Exception) -> InputError:
    """A parser's exception as an InputError naming the file, the line when the parser says it, and
    the parser's reason: rdflib's Turtle errors put the line first ("at line 3 of <>:"), the reason
    ("Bad syntax (…)") and the text at the error on the lines after it."""
    match = LINE_IN_MESSAGE.search(str(error))
    line = int(next(g for g in match.groups() if g)) if match else None
    if isinstance(error, RecursionError):  # JSON-LD: rdflib's parser for validate and query alike
        found = "nesting too deep for the parser"
    elif isinstance(error, BadSyntax) and hasattr(error, "_why"):  # its reason and text are not public
        at = error._str[error._i:].decode("utf-8", "replace").splitlines()
        found = f"{error._why}, at: {at[0][:60] if at else 'the end'}"
    else:
        lines = str(error).splitlines()
        found = lines[0][:200] if lines else type(error).__name__
    return InputError(path, line, f"valid {fmt}", found)


OXIGRAPH_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "trig": "TRIG", "nquads": "N_QUADS"}


def open_store(paths: list[Path] | list[str], with_reference: bool = True, location: Path | None = None):
    """An Oxigraph store with the files (and the shipped ontology and concept schemes, which queries
    use for labels and the policy-field hierarchy) in its default graph: in memory, or written to
    the directory `location`."""
    import pyoxigraph as ox

    from ..resources import ontology_dir

    try:
        store = ox.Store(str(location)) if location is not None else ox.Store()
    except OSError as e:  # e.g. another process writes it (its lock)
        raise InputError(location, None, "an Oxigraph store this process can write", str(e).splitlines()[0]) from None
    files = [Path(p) for p in paths]
    if with_reference:
        files += sorted(p for p in ontology_dir().glob("*.ttl") if not p.name.endswith("shapes.ttl"))
    for path in files:
        fmt = rdf_format(path)
        if not path.is_file():
            raise InputError(path, None, "an existing RDF file", "no such file")
        try:
            if fmt == "json-ld":  # through rdflib, which uses the embedded context and never fetches one
                store.bulk_load(load([path]).serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            else:  # by path: Oxigraph streams the file instead of holding it in memory
                rdf_format_ox = getattr(ox.RdfFormat, OXIGRAPH_FORMATS[fmt])
                quads = ox.parse(path=str(path), format=rdf_format_ox)  # read up to the first default-graph triple
                if next((q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)), None) is None:
                    raise _no_triples(path, fmt)
                store.bulk_load(path=str(path), format=rdf_format_ox)
        except (SyntaxError, ValueError) as e:
            raise _invalid(path, fmt, e) from None
        except MemoryError:  # Oxigraph's message names neither the file nor the line
            raise InputError(path, _line_longer_than(path, OXIGRAPH_MAX_TOKEN),
                             f"literals and IRIs of at most {OXIGRAPH_MAX_TOKEN:,} bytes (16 MiB, Oxigraph's limit)",
                             "a longer one") from None
    return store


def _line_longer_than(path: Path, limit: int) -> int | None:
    """The number of the first line of `path` longer than `limit` bytes (None: none is; a longer
    token then spans lines, as a long string may)."""
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if len(line) > limit:
                return number
    return None


STORE_MARKER = "kyoyaku-store.txt"  # tells readers (and people) what the directory is; ownership: outputs.OWNER_FILE


def check_store_location(location: Path, paths: list[Path] | list[str]) -> None:
    """Refuse a --store that kyoyaku may not replace (outputs.check_out_dir): checked by `kyoyaku
    build` before it writes anything, and again by save_store."""
    check_out_dir(location, STORE_OUTPUT, protected=[Path(p) for p in paths])


def save_store(paths: list[Path] | list[str], location: Path) -> Path:
    """Write the files (and the reference data) as an on-disk Oxigraph store at `location`, all or
    nothing: built beside it and swapped in under its lock (outputs.swap_in), so a reader never sees
    half a store and two writers never interleave."""
    check_store_location(location, paths)
    swap_in(location, STORE_OUTPUT, lambda stage: write_store_tree(paths, stage))
    return location


def write_store_tree(paths: list[Path] | list[str], folder: Path) -> list[str]:
    """The files of an on-disk store of `paths` (and the reference data) in `folder`; their names."""
    store = open_store(paths, location=folder / "oxigraph")
    store.optimize()
    store.flush()
    del store  # closes the database before the directory is moved
    (folder / STORE_MARKER).write_text("an Oxigraph store written by kyoyaku; open it with --store\n",
                                       encoding="utf-8")
    return ["oxigraph", STORE_MARKER]


def read_store(location: Path):
    """An on-disk store written by save_store, opened read-only (no parsing)."""
    import pyoxigraph as ox

    recover_missing(location)
    if not (location / STORE_MARKER).is_file():
        raise InputError(location, None, "an on-disk store written by `kyoyaku build --store`", "none there")
    try:
        return ox.Store.read_only(str(location / "oxigraph"))
    except (OSError, RuntimeError) as e:  # RuntimeError: the database found its files damaged ("Corruption: …")
        raise damaged_store(location, e) from None


def damaged_store(location: Path, error: Exception) -> InputError:
    """The error for a store whose files the database finds damaged, on opening it or later, while
    a query reads a damaged block ("Corruption: block checksum mismatch")."""
    return InputError(location, None, "a readable Oxigraph store (a damaged one is rebuilt by "
                      "`kyoyaku build --store`)", str(error).splitlines()[0][:300])
