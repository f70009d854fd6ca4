"""Output directories: how kyoyaku writes what it publishes — whole trees replaced at once, never
half-written, never over a directory it did not write.

Shared by every stage that writes files: `write_atomic` (one file, via a temporary name and a
rename), `write_staged` (one file of a tree being staged for swap_in, as it is), the ownership marker (`Output`, `OWNER_FILE`, `mark_owned`, `check_owned`: a command
replaces only a directory it wrote), `check_out_dir` (no project, current or input directory is
ever an output), `out_lock` (one writer per directory, across processes), `swap_in` (a tree
written beside the output, flushed to disk with `sync_tree`, then exchanged with it atomically) and
`recover_out` / `recover_missing` (what a killed writer left is put back in order).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import UsageError


def write_atomic(path: Path, content: str | bytes | Iterable[str | bytes]) -> None:
    """Write to a temporary file beside `path`, then rename over it: readers never see half a file.
    The content is flushed to disk (fsync) before the rename, so a power loss cannot leave `path`
    naming an empty file; the directory entry is synced by whoever publishes the directory
    (swap_in syncs the whole tree before its rename). Text is written as UTF-8 with LF line
    ends; the file is world-readable (0644): it is published. `content` may be chunks (str or
    bytes) written as they come, for a file too large to hold whole (the national dumps)."""
    with atomic_file(path) as f:
        if isinstance(content, (str, bytes)):
            content = (content,)
        for chunk in content:
            f.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path` through, with write_atomic's guarantees: written under a
    temporary name beside it, flushed to disk, renamed into place when the block ends without
    error (removed, `path` untouched, when it raises); world-readable (0644)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600, which a web server could not read
        os.replace(tmp, path)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        name_unnamed(e, path)
        raise


def write_staged(path: Path, content: str | bytes) -> None:
    """Write a file of a tree that swap_in is about to publish, into its stage, as it is: nobody
    reads the stage before the swap, and swap_in flushes the whole tree (sync_tree) before it, so
    write_atomic's temporary name and fsync would only do that work twice — for the thousands of
    documents and pages of a national build, most of their writing time. As write_atomic: UTF-8
    with LF line ends, world-readable (0644); a name already in the stage is refused."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as f:
            os.fchmod(fd, 0o644)  # whatever the umask
            f.write(data)
    except BaseException as e:  # what is left is removed with the stage
        name_unnamed(e, path)
        raise


def name_unnamed(error: BaseException, path: Path) -> None:
    """A write that fails (a full disk: ENOSPC) raises an OSError naming no file: name the one
    being written, for the one-line message of the command (kyoyaku.cli.main)."""
    if isinstance(error, OSError) and error.filename is None:
        error.filename = str(path)



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
    write_atomic(folder / OWNER_FILE, owner_text(output))


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
