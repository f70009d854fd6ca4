"""Write a graph as open data: Turtle, JSON-LD (compacted with the shipped context), N-Triples.

Outputs are deterministic (sorted, no blank nodes in our data, fixed prefixes) and UTF-8 with
real Japanese characters. Files are written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Graph

from .resources import ontology_dir


def context() -> dict:
    with (ontology_dir() / "context.jsonld").open(encoding="utf-8") as f:
        return json.load(f)["@context"]


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def ntriples(graph: Graph) -> str:
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return "".join(sorted(f"{line}\n" for line in lines if line.strip()))


def jsonld(graph: Graph) -> str:
    """Compact JSON-LD with the local context embedded, so no reader ever fetches it; integers
    and booleans are native JSON values."""
    ctx = context()
    id_key = next((k for k, v in ctx.items() if v == "@id"), "@id")
    document = json.loads(graph.serialize(format="json-ld", context=ctx, auto_compact=False, use_native_types=True))
    nodes = document.get("@graph", [document] if id_key in document else [])
    nodes = sorted((_sorted({k: v for k, v in n.items() if k != "@context"}) for n in nodes), key=lambda n: n[id_key])
    document = {"@context": ctx, "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _sorted(value):
    """RDF values have no order: sort every array so output does not depend on hash seeds."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it: readers never see half a file.
    Text is written as UTF-8 with LF line ends; the file is world-readable (0644): it is published."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600, which a web server could not read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


SERIALISERS = {"kyoyaku.ttl": turtle, "kyoyaku.jsonld": jsonld, "kyoyaku.nt": ntriples}


def write_dataset(graph: Graph, out: Path) -> list[Path]:
    written = []
    for name, serialise in SERIALISERS.items():
        write_atomic(out / name, serialise(graph))
        written.append(out / name)
    return written
