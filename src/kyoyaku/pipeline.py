"""`kyoyaku build`: parse every source, map, validate, and publish — all or nothing."""

from __future__ import annotations

import functools
import inspect
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph

from .config import Settings, current, using
from .errors import IncompleteError, NonConformingError, UsageError
from .graph.amendments import add_amendments
from .graph.iris import KYO
from .graph.mapping import agreement_iri, to_graphs
from .graph.serialize import Lines
from .outputs import (
    BUILD_OUTPUT,
    REPORT_OUTPUT,
    STORE_OUTPUT,
    check_out_dir,
    mark_owned,
    out_lock,
    swap_in,
    write_atomic,
)
from .publish import writers as publish
from .registry.load import drop_records, load_registry
from .registry.manifest import (
    MANIFEST_NAME,
    add_source_pages,
    missing_rows,
    read_manifest,
)
from .shacl.validate import Report, validate
from .text.model import Agreement
from .text.parse import parse_file
from .text.sources import check_regular_file, read_folder, skip_reason


@dataclass
class BuildResult:
    agreements: list[Agreement]
    data: Lines  # the published triples (their sorted lines are kyoyaku.nt)
    store: ox.Store  # the same triples in the build's pyoxigraph store (the data alone, in its default graph)
    report: Report
    written: list[Path]
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # the entries of the sources folder not read, each with the reason (skip_reason)
    # one line each: a text without a sources.csv row, an amending agreement whose amended agreement is
    # not among the sources or whose changes could not be applied (graph.amendments)
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def graph(self) -> Graph:
        """The published data as an rdflib Graph, made on first access (the build itself uses none)."""
        return self.data.graph()

    @property
    def record_count(self) -> int:
        """Registry records published beside the full texts."""
        records = self.store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KYO.AgreementRecord)),
                                               ox.DefaultGraph())
        return len({quad.subject for quad in records})


def source_files(sources: Path) -> list[Path]:
    """The agreement sources of `sources` (text.sources.read_folder: by suffix, SOURCE_SUFFIXES, sorted
    by name), each a readable file: one that is not is refused, never skipped, so no source vanishes."""
    files = read_folder(sources).texts
    for path in files:
        check_regular_file(path)
    return files


def skipped_files(sources: Path) -> list[tuple[Path, str]]:
    """The other files of `sources` (a PDF, an image …), each with the reason it is not read; a
    subfolder (data/sources/registry) is no source and not named."""
    return [(path, skip_reason(path)) for path in read_folder(sources).others
            if not path.is_dir() and path.name != MANIFEST_NAME]  # the manifest is read, as the sources' pages


def _guarding_out(build_function):
    """Run `build` with its --out checked (check_out_dir, the sources and registry protected) and
    locked (out_lock) for the whole build, so a second build on the same --out fails at once."""
    signature = inspect.signature(build_function)

    @functools.wraps(build_function)
    def guarded(*args, **kwargs):
        call = signature.bind(*args, **kwargs).arguments
        out = Path(call["out"])
        check_out_dir(out, BUILD_OUTPUT, protected=[Path(call["sources"]), call.get("registry")])
        if call.get("store") is not None:  # refused before anything is built, not after dist/ is published
            from .sparql.store import check_store_location

            check_store_location(Path(call["store"]), [out / "kyoyaku.ttl"])
        with out_lock(out):
            return build_function(*args, **kwargs)

    return guarded


@_guarding_out
def build(sources: Path | str, out: Path | str, allow_incomplete: bool = False, registry: Path | str | None = None,
          sparql_endpoint: str | None = None, quiet: bool = True, max_bytes: int | None = None,
          store: Path | str | None = None, settings: Settings | None = None) -> BuildResult:
    """Build the dataset, all or nothing, as `kyoyaku build` does: every agreement source (text.sources:
    a text, an HTML page, a PDF, a scan, a Word document; each read by its content: text.formats) in
    `sources` parsed, mapped to RDF with the area
    registry (`registry`, e.g. data/registry: a folder of members.csv + areas.csv, or folders of them;
    None: the full texts only — its records of agreements that have a full text are replaced by the
    full text, which keeps their source pages; `sources`/sources.csv, if there, gives each text its
    official page: registry.manifest), validated, and published into
    `out` (e.g. dist), which is replaced whole — or left as it was when anything fails.

    Returns a BuildResult: the parsed agreements, the graph, the validation report and the paths
    written. Raises IncompleteError when a text lacks parts an agreement must have (unless
    `allow_incomplete`), NonConformingError when the data do not conform, InputError and UsageError
    (kyoyaku.errors) for unreadable input and an output kyoyaku may not replace.

    `sparql_endpoint`: the public endpoint serving the data, if any, for the catalog
    (void:sparqlEndpoint). Progress bars on a terminal unless `quiet`. `max_bytes`: the size limit of a
    source (kyoyaku.text.parse.parse_file). `store`: also write the published data as an on-disk store
    there (write_store_beside). `settings`: the base IRI, publisher, licence and site title
    (kyoyaku.config.load_settings); None: those in force (kyoyaku.config.current(), the defaults
    unless the caller runs inside kyoyaku.config.using)."""
    with using(settings or current()):
        return _build(sources, out, allow_incomplete, registry, sparql_endpoint, quiet, max_bytes, store)


def _build(sources: Path | str, out: Path | str, allow_incomplete: bool, registry: Path | str | None,
           sparql_endpoint: str | None, quiet: bool, max_bytes: int | None, store: Path | str | None) -> BuildResult:
    from .progress import PhaseClock, bar, quiet_scope

    clock = PhaseClock()  # KYOYAKU_TIMINGS=1: each phase's time on stderr
    sources, out = Path(sources), Path(out)
    registry = Path(registry) if registry is not None else None
    files = source_files(sources)
    manifest = read_manifest(sources, files)
    agreements = []
    with bar(len(files), "parse", quiet) as parsing, quiet_scope(quiet):  # quiet: a scan's OCR bar too
        for path in files:
            agreements.append(parse_file(path, max_bytes=max_bytes))
            parsing.update()
    clock.mark("parse")
    problems = [
        f"{a.source.name}:{d.line or '-'}: {d.message}"
        for a in agreements
        for d in a.diagnostics
        if d.level == "error"
    ]
    if problems and not allow_incomplete:
        raise IncompleteError("incomplete or unreadable agreements (use --allow-incomplete to publish anyway):\n  "
                              + "\n  ".join(problems))
    full_texts = [a for a in agreements if a.amendment is None]
    data = to_graphs(full_texts, Lines())  # N-Triples texts, no rdflib Graph: graph.serialize.Lines
    amendment_warnings = add_amendments(data, agreements)  # amending agreements and the versions they make
    for agreement in agreements:
        if (pages := manifest.get(agreement.source.name)) is not None:
            add_source_pages(data, agreement_iri(agreement), pages)
    if registry is not None:
        data.update(drop_records(load_registry(registry), {agreement_iri(a) for a in agreements}))
    oxstore = data.store()  # the one store of the build: validation, the pages, the report, the catalog
    clock.mark("map")
    with bar(0, "validate", quiet) as checking:
        def advance(done: int, total: int) -> None:
            checking.total = total
            checking.update(done - checking.n)

        report = validate(oxstore, progress=advance)
    clock.mark("validate")
    if not report.accepted:  # violations: nothing is published (warnings and infos go out in the report)
        raise NonConformingError(f"the data do not conform; {out} left as it was", report.text())
    with bar(len(WRITE_STEPS), "write", quiet) as writing:
        def write(stage: Path) -> list[str]:
            def step(name: str) -> None:
                writing.update()
                clock.mark(name)

            names = _write(stage, data, oxstore, report, sparql_endpoint, step)
            if store is not None:
                write_store_beside(stage, out, Path(store))
                clock.mark("store")
            return names

        written = swap_in(out, BUILD_OUTPUT, write)
    clock.mark("finish")  # the validation report written, the tree swapped in
    return BuildResult(agreements, data, oxstore, report, written, skipped_files(sources),
                       missing_rows(files, manifest) + amendment_warnings)


def write_store_beside(stage: Path, out: Path, store: Path) -> None:
    """The on-disk store of the tree being published in `stage` (to replace `out`), written before
    that tree is swapped in, so a store that cannot be written leaves `out` as it was: inside `out`
    (`dist/store`), it is written into the stage and published with it in the one swap; elsewhere,
    it is swapped in on its own just before."""
    from .sparql.store import save_store, write_store_tree

    out, store = out.resolve(), store.resolve()
    if out in store.parents:
        folder = stage / store.relative_to(out)
        folder.mkdir(parents=True)
        write_store_tree([stage / "kyoyaku.ttl"], folder)
        mark_owned(folder, STORE_OUTPUT)
    else:
        save_store([stage / "kyoyaku.ttl"], store)


WRITE_STEPS = ("dumps", "documents and pages", "report", "ontology", "catalog")


def _write(stage: Path, data: Lines, store: ox.Store, report: Report, sparql_endpoint: str | None = None,
           step=lambda name: None) -> list[str]:
    """The published tree (docs/commands/build.md, "What it writes"): dumps and their gzip, a
    document per resource in Turtle, JSON-LD, N-Triples and HTML, the report figures, the ontology,
    the catalog — from `data` (the dumps: its lines keep every literal as mapped) and `store` (the
    same triples, queried: the report, the catalog's statistics). `step(name)` after each of WRITE_STEPS."""
    from .publish import catalog, ontodoc, site
    from .publish.downloads import query_files, table_files, write_files
    from .publish.ontodoc.catalog_page import write_catalog_documents
    from .publish.pages import page_texts
    from .publish.pages.language import english_path
    from .publish.report import SITE_PAGE, write_report
    from .publish.search import search_files
    from .shacl.sparql_engine import reference_added

    dumps = publish.write_dataset(data, stage) + publish.write_full_dataset(data, stage)
    step("dumps")
    # the documents are cut out of the sorted lines, read back from kyoyaku.nt as they come (never
    # all in memory; the store would write "2.0" as "2"), the pages and the documents' links and
    # labels read the store (the data alone, no ontology)
    with (stage / "kyoyaku.nt").open(encoding="utf-8", newline="\n") as sorted_lines:
        written = dumps + site.write_documents(store, sorted_lines, stage, page_texts(store))
    write_files(stage, search_files(store), table_files(store))  # the search page and index, the tables' CSVs
    gzipped = [p for p in written if p.suffix == ".gz"]
    step("documents and pages")
    with reference_added(store):  # the queries read labels and the policy-field hierarchy, as `kyoyaku report`
        write_report(store, stage / "report", english_page=stage / english_path(SITE_PAGE))  # en/report/index.html
        write_files(stage, query_files(store))  # queries/NAME.csv: the queries read labels too
    mark_owned(stage / "report", REPORT_OUTPUT)  # so `kyoyaku report` may replace dist/report, its default --out
    step("report")
    ontodoc.write_vocabulary(stage)  # ontology/, and the vocabulary's IRIs as documents: ns.*, concept/…
    step("ontology")
    described = catalog.catalog_graph(stage, store, dumps + gzipped, publication_date(), sparql_endpoint)
    checked = catalog.validate_catalog(described)
    if not checked.accepted:  # a defect of kyoyaku, not of the data: stop before anything is published
        raise NonConformingError("the dataset's catalog does not meet ontology/catalog-shapes.ttl", checked.text())
    catalog.write_catalog_graph(stage, described)
    write_catalog_documents(stage, described)  # catalog.nt and its page: the catalog's IRI answers in every format
    step("catalog")
    write_atomic(stage / "validation-report.ttl", report.turtle())
    write_atomic(stage / "validation-report.txt", report.text())
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
