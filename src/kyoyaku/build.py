"""`kyoyaku build`: parse every source, map, validate, and publish — all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph

from . import publish
from .errors import IncompleteError, InputError, NonConformingError, UsageError
from .iris import KYO
from .model import Agreement
from .parse import parse_file
from .rdf import agreement_iri, new_graph, to_graph
from .registry import drop_records, load_registry
from .validate import Report, validate

SOURCE_SUFFIXES = {".txt"}
MARKER = "kyoyaku.ttl"  # a directory holding it was written by kyoyaku build


@dataclass
class BuildResult:
    agreements: list[Agreement]
    graph: Graph
    report: Report
    written: list[Path]

    @property
    def record_count(self) -> int:
        """Registry records published beside the full texts."""
        return len(set(self.graph.subjects(RDF.type, KYO.AgreementRecord)))


def source_files(sources: Path) -> list[Path]:
    if not sources.is_dir():
        raise InputError(sources, None, "a directory of agreement texts (*.txt)", "no such directory")
    files = sorted(p for p in sources.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
    if not files:
        raise InputError(sources, None, "at least one agreement text (*.txt)", "none")
    return files


def build(sources: Path, out: Path, allow_incomplete: bool = False, registry: Path | None = None) -> BuildResult:
    """Full texts from `sources` plus the area registry (`registry`, e.g. data/registry; its
    records of agreements that have a full text are replaced by the full text)."""
    check_out_dir(out)
    agreements = [parse_file(path) for path in source_files(sources)]
    problems = [
        f"{a.source.name}:{d.line or '-'}: {d.message}"
        for a in agreements
        for d in a.diagnostics
        if d.level == "error"
    ]
    if problems and not allow_incomplete:
        raise IncompleteError("incomplete or unreadable agreements (use --allow-incomplete to publish anyway):\n  "
                              + "\n  ".join(problems))
    graph = new_graph()
    for agreement in agreements:
        to_graph(agreement, graph)
    if registry is not None:
        records = drop_records(load_registry(registry), {agreement_iri(a) for a in agreements})
        for triple in records:
            graph.add(triple)
    report = validate(graph)
    if not report.conforms:
        raise NonConformingError(f"the data do not conform; {out} left as it was", report.text())
    written = swap_in(out, lambda stage: _write(stage, graph, report))
    return BuildResult(agreements, graph, report, written)


def _write(stage: Path, graph: Graph, report: Report) -> list[str]:
    files = publish.write_dataset(graph, stage)
    publish.write_atomic(stage / "validation-report.ttl", report.graph.serialize(format="turtle"))
    publish.write_atomic(stage / "validation-report.txt", report.text())
    return [p.name for p in files] + ["validation-report.ttl", "validation-report.txt"]


def check_out_dir(out: Path, marker: str = MARKER, command: str = "kyoyaku build") -> None:
    """Refuse to replace a directory kyoyaku did not write (the project root, a home folder …):
    one that `command` wrote holds its `marker` file."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / marker).exists())):
        raise UsageError(f"{out} exists and was not written by {command}; choose another --out")


def swap_in(out: Path, write) -> list[Path]:
    """Write the whole output into a fresh directory beside `out`, then swap it in, so a failed
    or interrupted build never leaves a half-written `out`."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        names = write(stage)
        os.chmod(stage, 0o755)
        if out.exists():
            os.replace(out, old)
        os.replace(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return [out / n for n in names]
