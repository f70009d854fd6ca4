"""`kyoyaku build`: parse every source, map, validate, and publish — all or nothing."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import inspect
import os
import re
import shutil
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rdflib import RDF, Graph

from .errors import IncompleteError, InputError, NonConformingError, UsageError
from .graph.iris import KYO
from .graph.mapping import agreement_iri, to_graphs
from .publish import writers as publish
from .registry.load import drop_records, load_registry
from .shacl.validate import Report, validate
from .text.model import Agreement
from .text.parse import parse_file

SOURCE_SUFFIXES = {".txt"}


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
    try:
        files = sorted(p for p in sources.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
    except OSError as e:
        raise InputError(sources, None, "a directory of agreement texts (*.txt) this user can list",
                         e.strerror or str(e)) from None
    for path in files:  # a *.txt that is not a readable file is refused, never skipped: no source vanishes
        if problem := _not_a_file(path):
            raise InputError(path, None, "an agreement text: a regular file, or a symlink to one", problem)
    if not files:
        raise InputError(sources, None, "at least one agreement text (*.txt)", "none")
    return files


def _not_a_file(path: Path) -> str | None:
    """What `path` is when it is not a regular file (or a symlink to one), else None."""
    try:
        mode = path.stat().st_mode
    except OSError as e:
        if e.errno == errno.ENOENT and path.is_symlink():
            return f"a dangling symlink (to {os.readlink(path)})"
        if e.errno == errno.ELOOP:
            return "a symlink loop"
        return e.strerror or str(e)
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISDIR: "a directory", stat.S_ISCHR: "a device", stat.S_ISBLK: "a device",
             stat.S_ISFIFO: "a named pipe", stat.S_ISSOCK: "a socket"}
    return next((kind for test, kind in kinds.items() if test(mode)), "not a regular file")


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
def build(sources: Path, out: Path, allow_incomplete: bool = False, registry: Path | None = None,
          sparql_endpoint: str | None = None, quiet: bool = True, max_bytes: int | None = None,
          store: Path | None = None) -> BuildResult:
    """Full texts from `sources` plus the area registry (`registry`, e.g. data/registry; its
    records of agreements that have a full text are replaced by the full text). `sparql_endpoint`:
    the public endpoint serving the data, if any, for the catalog (void:sparqlEndpoint). Progress
    bars on a terminal unless `quiet`. `max_bytes`: the size limit of a source (kyoyaku.parse.parse_file).
    `store`: also write the published data as an on-disk store there (write_store_beside)."""
    from .progress import bar

    files = source_files(sources)
    agreements = []
    with bar(len(files), "parse", quiet) as parsing:
        for path in files:
            agreements.append(parse_file(path, max_bytes=max_bytes))
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
        def write(stage: Path) -> list[str]:
            names = _write(stage, graph, report, sparql_endpoint, writing.update)
            if store is not None:
                write_store_beside(stage, out, Path(store))
            return names

        written = swap_in(out, BUILD_OUTPUT, write)
    return BuildResult(agreements, graph, report, written)


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


def _write(stage: Path, graph: Graph, report: Report, sparql_endpoint: str | None = None,
           step=lambda: None) -> list[str]:
    """The published tree (README "Publishing"): dumps and their gzip, a document per resource in
    Turtle, JSON-LD, N-Triples and HTML, the report figures, the ontology, the catalog."""
    from .publish import catalog, ontodoc, site
    from .publish.pages import site_pages
    from .publish.report import write_report
    from .sparql.store import open_store

    dumps = publish.write_dataset(graph, stage)
    step()
    written = dumps + site.write_documents(graph, stage, site_pages(graph))
    gzipped = [p for p in written if p.suffix == ".gz"]
    step()
    write_report(open_store([stage / "kyoyaku.ttl"]), stage / "report")
    mark_owned(stage / "report", REPORT_OUTPUT)  # so `kyoyaku report` may replace dist/report, its default --out
    step()
    ontodoc.write_ontology_files(stage / "ontology")
    step()
    described = catalog.catalog_graph(stage, graph, dumps + gzipped, publication_date(), sparql_endpoint)
    checked = catalog.validate_catalog(described)
    if not checked.conforms:  # a defect of kyoyaku, not of the data: stop before anything is published
        raise NonConformingError("the dataset's catalog does not meet ontology/catalog-shapes.ttl", checked.text())
    catalog.write_catalog_graph(stage, described)
    step()
    publish.write_atomic(stage / "validation-report.ttl", report.turtle())
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


PROJECT_FILES = ("pyproject.toml", ".git")  # a directory holding one is a project, never an output


@dataclass(frozen=True)
class Output:
    """A directory that a command replaces whole: the command, as its ownership marker names it,
    and the option by which the user names the directory."""

    command: str
    option: str
    example: str  # a directory to suggest instead


BUILD_OUTPUT = Output("kyoyaku build", "--out", "dist")
REPORT_OUTPUT = Output("kyoyaku report", "--out", "dist/report")
STORE_OUTPUT = Output("kyoyaku build --store", "--store", "dist/store")
REGISTRY_OUTPUT = Output("kyoyaku import-registry", "--into", "data/registry/national")

# The ownership marker: a directory is replaced only if it is new, empty, or holds this file naming
# the same command. Only kyoyaku writes it (mark_owned, into every tree swap_in publishes). A file
# name alone proves nothing: the project's own ontology/ holds a kyoyaku.ttl and a web root an
# index.html. An output of a kyoyaku from before the marker has none and is refused like any other
# directory: kyoyaku cannot tell it from one it did not write.
OWNER_FILE = ".kyoyaku-output"
OWNER_FORMAT = "1"
OWNER_MAX_BYTES = 4096  # a marker is three short lines; a larger file is not one


def owner_text(output: Output) -> str:
    """The marker's content: the command and the marker's format, no date (outputs are byte-identical)."""
    return (f"written-by: {output.command}\nformat: {OWNER_FORMAT}\n"
            f"note: {output.command} replaces this directory whole; keep nothing of your own in it.\n")


def mark_owned(folder: Path, output: Output) -> None:
    """Mark `folder` as written by `output.command`, which may replace it."""
    publish.write_atomic(folder / OWNER_FILE, owner_text(output))


def _marker_fields(folder: Path) -> dict[str, str] | None:
    """The fields of `folder`'s ownership marker, or None when it has none (or something else by that name)."""
    marker = folder / OWNER_FILE
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        with marker.open("rb") as f:
            text = f.read(OWNER_MAX_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if len(text) > OWNER_MAX_BYTES:
        return None
    fields = dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    return fields if "written-by" in fields and "format" in fields else None


def check_owned(out: Path, output: Output) -> None:
    """Refuse to replace `out` unless it is missing, an empty directory, or marked as written by
    `output.command` (OWNER_FILE, in the format this kyoyaku writes)."""
    real = out.resolve()
    if not os.path.lexists(real):
        return
    if not real.is_dir():
        raise UsageError(f"{out} exists and is not a directory, which {output.command} would replace; "
                         f"choose another {output.option}")
    if not any(real.iterdir()):
        return
    fields = _marker_fields(real)
    if fields is None:
        raise UsageError(f"{out} exists and was not written by {output.command} (no {OWNER_FILE} marker in it); "
                         f"choose another {output.option}, or remove the folder yourself if an older kyoyaku wrote it")
    if fields["format"] != OWNER_FORMAT:
        raise UsageError(f"{out} has a {OWNER_FILE} marker of format {fields['format']!r}, which this kyoyaku does not "
                         f"know; choose another {output.option}")
    if fields["written-by"] != output.command:
        raise UsageError(f"{out} was written by {fields['written-by']}, not by {output.command}; "
                         f"choose another {output.option}")


def check_out_dir(out: Path, output: Output, protected: list[Path | None] = ()) -> None:
    """Refuse an output directory whose replacement would lose what kyoyaku did not write: a
    project directory, the current directory or one above it, the `protected` inputs (sources,
    registry) or a directory holding them, or any directory not marked as `output.command`'s own
    (check_owned). A symlink is judged by the directory it points to."""
    real = out.resolve()
    command, option = output.command, output.option
    example = f"{option} (e.g. {output.example})"
    for name in PROJECT_FILES:
        if (real / name).exists():
            raise UsageError(f"{out} is a project directory (it holds {name}) and was not written by {command}; "
                             f"choose another {example}")
    if real == Path.cwd().resolve() or real in Path.cwd().resolve().parents:
        raise UsageError(f"{out} is the current directory or one above it, which {command} would replace whole; "
                         f"choose another {example}")
    for inputs in (Path(p).resolve() for p in protected if p is not None):
        if real == inputs or real in inputs.parents:
            raise UsageError(f"{out} is or holds the input {inputs}, which {command} would replace whole; "
                             f"choose another {option}")
    check_owned(out, output)


# Kyoyaku's own names beside an output directory OUT: the lock `.OUT.lock`, trees being written or
# being deleted `.OUT.new-*` (always removable) and, only while the two-step swap runs, the previous
# tree `.OUT.old-*` (put back when OUT is missing). Nothing else beside OUT is ever touched.
_HELD_LOCKS: set[Path] = set()


def _own_name(out: Path, kind: str) -> re.Pattern:
    return re.compile(rf"\.{re.escape(out.name)}\.{kind}-[A-Za-z0-9_]+")


@contextmanager
def out_lock(out: Path):
    """Hold the lock of `out` (flock on `.{name}.lock` beside it, released by the kernel even when
    the process is killed), after putting back what a killed writer left (recover_out). Another
    process holding it: UsageError at once. Re-entrant within a process (build, then swap_in)."""
    out = out.resolve()
    if out in _HELD_LOCKS:
        yield
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise UsageError(f"another kyoyaku build is writing {out} (pid {holder}); wait for it to finish, "
                             "or stop that process if it hangs, then run again") from None
        try:
            if os.path.samestat(os.fstat(fd), os.stat(lock)):
                break
        except FileNotFoundError:
            pass
        os.close(fd)  # the previous holder removed this lock file after we opened it: take the new one
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    _HELD_LOCKS.add(out)
    try:
        _recover(out)
        yield
    finally:
        _HELD_LOCKS.discard(out)
        lock.unlink(missing_ok=True)  # still locked: whoever opened it meanwhile sees the inode change, retries
        os.close(fd)


def recover_out(out: Path) -> None:
    """Put `out` back in order after a killed writer (under its lock): see _recover."""
    with out_lock(out):
        pass


def recover_missing(out: Path) -> None:
    """For readers: when `out` is missing because a two-step swap was killed in its gap (systems
    without an atomic exchange), put the previous tree back; otherwise touch nothing."""
    out = out.resolve()
    if not os.path.lexists(out) and out.parent.is_dir() and any(
            _own_name(out, "old").fullmatch(p.name) for p in out.parent.iterdir()):
        recover_out(out)


def _recover(out: Path) -> None:
    """Restore the previous tree if a two-step swap was killed between its renames (`out` missing,
    `.{name}.old-*` complete), then remove the leftovers of killed writers. Only directories with
    kyoyaku's own names beside `out` are touched."""
    old = [p for p in out.parent.iterdir() if _own_name(out, "old").fullmatch(p.name) and _is_real_dir(p)]
    if old and not os.path.lexists(out):
        newest = max(old, key=lambda p: p.stat().st_mtime)
        os.rename(newest, out)
        old.remove(newest)
    new = [p for p in out.parent.iterdir() if _own_name(out, "new").fullmatch(p.name) and _is_real_dir(p)]
    for leftover in old + new:
        shutil.rmtree(leftover, ignore_errors=True)


def _is_real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def swap_in(out: Path, output: Output, write) -> list[Path]:
    """Write the whole output into a fresh directory beside `out` (`write(stage)` returns the names
    written), mark it as `output.command`'s (mark_owned), flush it to disk (sync_tree), then swap
    it in atomically, under the lock of `out`: a failed, interrupted or killed writer — or a power
    loss — leaves the previous `out` as it was, or the complete new one. `out` is checked under the
    lock (check_owned): a directory the command did not write is never replaced."""
    out = out.resolve()
    with out_lock(out):
        check_owned(out, output)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        try:
            names = write(stage)
            mark_owned(stage, output)
            os.chmod(stage, 0o755)
            sync_tree(stage)
            if os.path.lexists(out):
                _exchange(stage, out)  # `stage` now holds the previous tree
            else:
                os.rename(stage, out)
            sync_directory(out.parent)  # the rename itself
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return [out / n for n in names]


def sync_tree(root: Path) -> None:
    """fsync every file and directory under `root` (and `root`), children before their directory:
    after a power loss the renamed tree then has its files' contents, not empty or partial files."""
    for folder, _, files in os.walk(root, topdown=False):
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        sync_directory(Path(folder))


def sync_directory(folder: Path) -> None:
    """fsync a directory: its entries (renames, new files) reach the disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


RENAME_EXCHANGE = 2  # Linux renameat2 flag (macOS renamex_np calls it RENAME_SWAP, same value)
AT_FDCWD = -100  # Linux: paths relative to the working directory


@functools.cache
def _exchange_call():
    """The C library's atomic exchange of two paths, or None where it has none."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if hasattr(libc, "renameat2"):  # Linux, glibc 2.28+
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
    if hasattr(libc, "renamex_np"):  # macOS
        renamex_np = libc.renamex_np
        renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: renamex_np(a, b, RENAME_EXCHANGE)
    return None


def _exchange(stage: Path, out: Path) -> None:
    """Swap the two directories in one step, so `out` always exists; where the system or the file
    system cannot, in two renames whose one gap _recover repairs (the previous tree waits as
    `.{name}.old-*` until the new one is in place, then becomes `stage`, to be removed)."""
    call = _exchange_call()
    if call is not None:
        if call(os.fsencode(stage), os.fsencode(out)) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(out))
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    try:
        os.rename(stage, out)
    except BaseException:
        os.rename(old, out)
        raise
    os.rename(old, stage)
