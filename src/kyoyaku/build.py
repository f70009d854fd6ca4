"""`kyoyaku build`: parse every source, map, validate, and publish — all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rdflib import RDF, Graph

from . import publish
from .errors import IncompleteError, InputError, NonConformingError, UsageError
from .iris import KYO
from .model import Agreement
from .parse import parse_file
from .rdf import agreement_iri, to_graphs
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


def build(sources: Path, out: Path, allow_incomplete: bool = False, registry: Path | None = None,
          sparql_endpoint: str | None = None, quiet: bool = True) -> BuildResult:
    """Full texts from `sources` plus the area registry (`registry`, e.g. data/registry; its
    records of agreements that have a full text are replaced by the full text). `sparql_endpoint`:
    the public endpoint serving the data, if any, for the catalog (void:sparqlEndpoint). Progress
    bars on a terminal unless `quiet`."""
    from .progress import bar

    check_out_dir(out)
    files = source_files(sources)
    agreements = []
    with bar(len(files), "parse", quiet) as parsing:
        for path in files:
            agreements.append(parse_file(path))
            parsing.update()
    problems = [
        f"{a.source.name}:{d.line or '-'}: {d.message}"
        for a in agreements
        for d in a.diagnostics
        if d.level == "error"
    ]
    if problems and not allow_incomplete:
        raise IncompleteError("incomplete or unreadable agreements (use --allow-incomplete to publish anyway):\n  "
                              + "\n  ".join(problems))
    graph = to_graphs(agreements)
    if registry is not None:
        records = drop_records(load_registry(registry), {agreement_iri(a) for a in agreements})
        for triple in records:
            graph.add(triple)
    with bar(0, "validate", quiet) as checking:
        def advance(done: int, total: int) -> None:
            checking.total = total
            checking.update(done - checking.n)

        report = validate(graph, progress=advance)
    if not report.conforms:
        raise NonConformingError(f"the data do not conform; {out} left as it was", report.text())
    with bar(len(WRITE_STEPS), "write", quiet) as writing:
        written = swap_in(out, lambda stage: _write(stage, graph, report, sparql_endpoint, writing.update))
    return BuildResult(agreements, graph, report, written)


WRITE_STEPS = ("dumps", "documents and pages", "report", "ontology", "catalog")


def _write(stage: Path, graph: Graph, report: Report, sparql_endpoint: str | None = None,
           step=lambda: None) -> list[str]:
    """The published tree (README "Publishing"): dumps and their gzip, a document per resource in
    Turtle, JSON-LD, N-Triples and HTML, the report figures, the ontology, the catalog."""
    from . import catalog, ontodoc, site
    from .pages import site_pages
    from .report import write_report
    from .store import open_store

    dumps = publish.write_dataset(graph, stage)
    step()
    written = dumps + site.write_documents(graph, stage, site_pages(graph))
    gzipped = [p for p in written if p.suffix == ".gz"]
    step()
    write_report(open_store([stage / "kyoyaku.ttl"]), stage / "report")
    step()
    ontodoc.write_ontology_files(stage / "ontology")
    step()
    described = catalog.catalog_graph(stage, graph, dumps + gzipped, publication_date(), sparql_endpoint)
    checked = catalog.validate_catalog(described)
    if not checked.conforms:  # a defect of kyoyaku, not of the data: stop before anything is published
        raise NonConformingError("the dataset's catalog does not meet ontology/catalog-shapes.ttl", checked.text())
    catalog.write_catalog_graph(stage, described)
    step()
    publish.write_atomic(stage / "validation-report.ttl", report.graph.serialize(format="turtle"))
    publish.write_atomic(stage / "validation-report.txt", report.text())
    return sorted(p.name for p in stage.iterdir())


def publication_date() -> date:
    """dcterms:modified of the catalog: SOURCE_DATE_EPOCH (the reproducible-builds convention) when
    set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r}: expected seconds since 1970") from None
    return datetime.now(tz=UTC).date()


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
