"""Load RDF files into a graph (the embedded store of this release is an rdflib Graph)."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

from .errors import InputError
from .rdf import new_graph

FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig", ".nq": "nquads"}
LINE_IN_MESSAGE = re.compile(r"line (\d+)|:(\d+):")


def rdf_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(path, None, f"an RDF file ({', '.join(sorted(FORMATS))})", path.suffix or "no suffix") from None


def load(paths: list[Path] | list[str], graph: Graph | None = None) -> Graph:
    """Parse every file into one graph; an unreadable file raises InputError naming it."""
    graph = graph if graph is not None else new_graph()
    for path in map(Path, paths):
        fmt = rdf_format(path)
        if not path.is_file():
            raise InputError(path, None, "an existing RDF file", "no such file")
        try:
            graph.parse(path, format=fmt)
        except Exception as e:  # rdflib raises many types; all mean "not valid RDF of this format"
            match = LINE_IN_MESSAGE.search(str(e))
            line = int(next(g for g in match.groups() if g)) if match else None
            raise InputError(path, line, f"valid {fmt}", str(e).splitlines()[0][:200] if str(e) else type(e).__name__) from None
    return graph
