"""Crash-safe builds (issue 9, item 2): the output is swapped in atomically, a build killed at any
point leaves the previous --out intact (or the complete new one), leftovers of killed builds are
cleaned up, two builds cannot write one --out at once, and --out can never be a directory whose
replacement would lose what kyoyaku did not write.

Data: the real seed (tree A) and the seed plus one synthetic text of tests/fixtures/corpus/ (tree B);
the project, home and foreign directories below are synthetic stand-ins made in tmp_path."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kyoyaku.outputs as outputs_module
from kyoyaku.errors import UsageError
from kyoyaku.outputs import BUILD_OUTPUT, mark_owned, recover_out, swap_in
from kyoyaku.pipeline import build
from kyoyaku.sparql.store import save_store

from .conftest import CORPUS, EPOCH, KYOYAKU, SEED, cli

pytestmark = pytest.mark.usefixtures("fixed_date")  # every build here compares byte for byte

SYNTHETIC = CORPUS / "asahikawa-takasu-2019-04-01.txt"


def snapshot(folder: Path) -> dict[str, str]:
    """Every directory and file under `folder` (relative path → "dir" or the file's sha256)."""
    return {str(p.relative_to(folder)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    """Sources A (the seed) and B (the seed + one synthetic text) and the trees `kyoyaku build`
    writes from them: {"A": (sources, dist), "B": (sources, dist)}."""
    work = tmp_path_factory.mktemp("trees")
    made = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name, texts in (("A", [SEED]), ("B", [SEED, SYNTHETIC])):
            sources = work / f"sources-{name}"
            sources.mkdir()
            for text in texts:
                shutil.copy(text, sources / text.name)
            build(sources, work / f"dist-{name}")
            made[name] = (sources, work / f"dist-{name}")
    return made


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def output(root: Path, files: dict[str, str]) -> Path:
    """A tree as `kyoyaku build` leaves it: the files and its ownership marker."""
    tree(root, files)
    mark_owned(root, BUILD_OUTPUT)
    return root


def copy_files(source: Path):
    """A `write` for swap_in: copies `source` into the stage."""
    def write(stage: Path) -> list[str]:
        shutil.copytree(source, stage, dirs_exist_ok=True)
        return sorted(os.listdir(source))
    return write


# --- the swap ---------------------------------------------------------------------------------

def test_swap_exchanges_the_trees_in_one_step(tmp_path, monkeypatch):
    """With renameat2(RENAME_EXCHANGE) there is no rename of `out` away and back: os.rename is
    never called while `out` exists, and nothing but `out` is left beside it."""
    out = output(tmp_path / "site" / "dist", {"kyoyaku.ttl": "old", "agreement/a.ttl": "old a"})
    new = output(tmp_path / "new", {"kyoyaku.ttl": "new", "area/b.ttl": "new b"})
    assert outputs_module._exchange_call() is not None  # Linux with glibc >= 2.28

    def no_rename(*args):
        raise AssertionError(f"two-step rename {args} although the exchange is available")

    monkeypatch.setattr(os, "rename", no_rename)
    written = swap_in(out, BUILD_OUTPUT, copy_files(new))
    assert written == [out / ".kyoyaku-output", out / "area", out / "kyoyaku.ttl"]  # as copy_files returned them
    assert snapshot(out) == snapshot(new)
    assert os.listdir(tmp_path / "site") == ["dist"]


@pytest.mark.parametrize("exchange", ["missing", "unsupported by the file system"])
def test_swap_falls_back_to_two_renames(tmp_path, monkeypatch, exchange):
    """No renameat2 in the C library, or one the file system refuses (EINVAL): two renames, same
    result, nothing left beside `out`."""
    def refused(a, b):
        ctypes.set_errno(errno.EINVAL)
        return -1

    monkeypatch.setattr(outputs_module, "_exchange_call", lambda: None if exchange == "missing" else refused)
    out = output(tmp_path / "site" / "dist", {"kyoyaku.ttl": "old", "agreement/a.ttl": "old a"})
    new = output(tmp_path / "new", {"kyoyaku.ttl": "new"})
    swap_in(out, BUILD_OUTPUT, copy_files(new))
    assert snapshot(out) == snapshot(new)  # agreement/a.ttl gone
    assert os.listdir(tmp_path / "site") == ["dist"]


def test_swap_into_a_new_directory(tmp_path):
    new = output(tmp_path / "new", {"kyoyaku.ttl": "new"})
    swap_in(tmp_path / "site" / "dist", BUILD_OUTPUT, copy_files(new))
    assert snapshot(tmp_path / "site" / "dist") == snapshot(new)
    assert os.listdir(tmp_path / "site") == ["dist"]


def test_failed_write_leaves_out_and_no_leftovers(tmp_path):
    out = output(tmp_path / "site" / "dist", {"kyoyaku.ttl": "old"})

    def fails(stage: Path) -> list[str]:
        (stage / "kyoyaku.ttl").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        swap_in(out, BUILD_OUTPUT, fails)
    assert (out / "kyoyaku.ttl").read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path / "site") == ["dist"]


KILL_AFTER_RENAMING_OUT_AWAY = """
import os, shutil, signal, sys
from pathlib import Path
import kyoyaku.outputs as b
b._exchange_call = lambda: None  # the two-step fallback
rename = os.rename
def rename_then_die(src, dst):
    rename(src, dst)
    if ".old-" in os.fspath(dst):  # `out` renamed away, the new tree not yet in place
        os.kill(os.getpid(), signal.SIGKILL)
os.rename = rename_then_die
new = Path(sys.argv[2])
b.swap_in(Path(sys.argv[1]), b.BUILD_OUTPUT, lambda stage: (shutil.copytree(new, stage, dirs_exist_ok=True), [])[1])
"""

KILL_AFTER_EXCHANGE = """
import os, shutil, signal, sys
from pathlib import Path
import kyoyaku.outputs as b
exchange = b._exchange
def exchange_then_die(stage, out):
    exchange(stage, out)  # the previous tree now waits under the stage's name, to be removed
    os.kill(os.getpid(), signal.SIGKILL)
b._exchange = exchange_then_die
new = Path(sys.argv[2])
b.swap_in(Path(sys.argv[1]), b.BUILD_OUTPUT, lambda stage: (shutil.copytree(new, stage, dirs_exist_ok=True), [])[1])
"""


def test_killed_in_the_gap_of_the_two_step_swap_is_restored(tmp_path):
    """The fallback's one gap: killed after renaming `out` away, before the new tree is in place.
    `out` is missing and `.dist.old-PID` holds it whole; the next writer (recover_out, as every
    build and swap_in runs under the lock) puts it back and removes the half-swapped new tree."""
    site = tmp_path / "site"
    out = output(site / "dist", {"kyoyaku.ttl": "old", "agreement/a.ttl": "old a"})
    before = snapshot(out)
    new = output(tmp_path / "new", {"kyoyaku.ttl": "new"})
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_RENAMING_OUT_AWAY, out, new], check=False, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert not out.exists()
    pid = (site / ".dist.lock").read_text(encoding="ascii").strip()  # the killed writer's
    lock, stage, old = sorted(os.listdir(site))
    assert (lock, stage[:10], old) == (".dist.lock", ".dist.new-", f".dist.old-{pid}")
    assert snapshot(site / old) == before
    recover_out(out)
    assert snapshot(out) == before
    assert os.listdir(site) == ["dist"]


def test_killed_after_the_exchange_leaves_the_new_tree(tmp_path):
    site = tmp_path / "site"
    out = output(site / "dist", {"kyoyaku.ttl": "old"})
    before = snapshot(out)
    new = output(tmp_path / "new", {"kyoyaku.ttl": "new", "area/b.ttl": "b"})
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_EXCHANGE, out, new], check=False, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(out) == snapshot(new)
    [leftover] = [name for name in os.listdir(site) if name.startswith(".dist.new-")]
    assert snapshot(site / leftover) == before
    recover_out(out)
    assert snapshot(out) == snapshot(new)
    assert os.listdir(site) == ["dist"]


def test_cleanup_touches_only_kyoyakus_own_names(tmp_path):
    """Beside `out` only `.dist.new-*` and `.dist.old-*` directories go; files, other names,
    other outputs' leftovers and symlinks (even with our names) stay, and what they point to too."""
    site = tmp_path / "site"
    out = tree(site / "dist", {"kyoyaku.ttl": "current"})
    tree(site / ".dist.new-k2j4_x9a", {"kyoyaku.ttl": "half written"})
    tree(site / ".dist.old-4242", {"kyoyaku.ttl": "previous"})
    kept = {
        ".dist.new-notes.txt": "a file, not a directory",
        ".dist.new-x.keep/notes.txt": "not our pattern",
        ".report.new-abc/notes.txt": "another output's",
        "dist.new-abc/notes.txt": "no leading dot",
        "notes.txt": "the user's",
    }
    tree(site, kept)
    foreign = tree(tmp_path / "foreign", {"keep.txt": "keep me"})
    (site / ".dist.new-link").symlink_to(foreign, target_is_directory=True)
    recover_out(out)
    assert sorted(os.listdir(site)) == sorted(
        [".dist.new-link", ".dist.new-notes.txt", ".dist.new-x.keep", ".report.new-abc", "dist", "dist.new-abc",
         "notes.txt"])
    assert all((site / name).read_text(encoding="utf-8") == text for name, text in kept.items())
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "kyoyaku.ttl").read_text(encoding="utf-8") == "current"


# --- killing a real build ---------------------------------------------------------------------

def test_killing_the_build_at_random_points_keeps_out_whole(tmp_path, trees):
    """`kyoyaku build` SIGKILLed after 8 seeded random delays spread over a build's duration (each
    build writes the other tree than the one in --out, so every outcome is visible): --out is always
    byte-identical to the tree before the kill or to the complete new one, both of which `kyoyaku
    validate` accepts, and the next build clears what the killed ones left. ~30 s."""
    site = tmp_path / "site"
    out = copy_tree(trees["A"][1], site / "dist")
    expected = {name: snapshot(dist) for name, (_, dist) in trees.items()}
    for name, (_, dist) in trees.items():
        checked = cli("validate", dist / "kyoyaku.ttl")
        assert (checked.returncode, checked.stdout) == (0, "conforms\n"), (name, checked.stderr)

    def start(target: str) -> subprocess.Popen:
        return subprocess.Popen([*KYOYAKU, "build", "--sources", trees[target][0], "--no-registry", "--out", out,
                                 "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)  # its own process group: the kill takes any helper too

    began = time.monotonic()
    complete = start("B")
    assert complete.wait(timeout=300) == 0, complete.stderr.read()
    duration = time.monotonic() - began
    assert snapshot(out) == expected["B"]

    rng = random.Random(9)
    outcomes = []
    for slot in range(8):
        before = "A" if snapshot(out) == expected["A"] else "B"
        target = "B" if before == "A" else "A"
        running = start(target)
        try:
            finished = running.wait(timeout=duration * (slot + rng.random()) / 8)
            assert finished == 0, running.stderr.read()
        except subprocess.TimeoutExpired:
            os.killpg(running.pid, signal.SIGKILL)
            running.wait()
        running.stderr.close()
        after = snapshot(out)
        assert after in (expected[before], expected[target]), f"kill {slot}: --out is neither tree"
        outcomes.append((running.returncode, "swapped" if after == expected[target] else "kept"))
    assert (-signal.SIGKILL, "kept") in outcomes, outcomes  # some kills did land mid-build

    checked = cli("validate", out / "kyoyaku.ttl")
    assert (checked.returncode, checked.stdout) == (0, "conforms\n"), checked.stderr
    last = start("A")
    assert last.wait(timeout=300) == 0, last.stderr.read()
    last.stderr.close()
    assert snapshot(out) == expected["A"]
    assert os.listdir(site) == ["dist"]  # the killed builds' stages and lock file are gone


# --- power loss -------------------------------------------------------------------------------

def test_the_whole_stage_is_on_disk_before_it_is_published(tmp_path, trees, monkeypatch):
    """A power loss cannot leave empty or partial files under the published name: every file and
    directory of the stage is fsynced before the rename that publishes it (into a new --out, then
    exchanged with the previous one), and the parent directory after it. A power loss cannot be
    simulated, so the fsync calls are recorded (by the path of their file descriptor) and compared
    with the tree at the moment of the rename."""
    synced: list[str] = []
    fsync = os.fsync

    def recording_fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    published = []  # (stage, every path in it, what was synced by then)

    def before(publish):
        def recorded(stage, out):
            if Path(stage).name.startswith(f".{Path(out).name}.new-"):  # the stage, not a lock or leftover
                tree_paths = {str(stage)} | {str(p) for p in Path(stage).rglob("*")}
                published.append((Path(out), tree_paths, set(synced), len(synced)))
            return publish(stage, out)
        return recorded

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "rename", before(os.rename))
    monkeypatch.setattr(outputs_module, "_exchange", before(outputs_module._exchange))
    out = tmp_path / "site" / "dist"
    build(trees["A"][0], out)  # into a new directory: os.rename
    build(trees["B"][0], out)  # over the previous tree: the exchange
    assert [p[0] for p in published] == [out, out]
    for _, tree_paths, synced_before, count in published:
        assert len(tree_paths) > 50  # the files and directories of a whole dist/
        assert tree_paths - synced_before == set()
        assert str(out.parent) in synced[count:]  # the rename itself reaches the disk


def test_write_atomic_syncs_the_content_before_the_rename(tmp_path, monkeypatch):
    from kyoyaku.outputs import write_atomic

    events = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))),
                                                 fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", os.fspath(a))), replace(a, b))[1])
    write_atomic(tmp_path / "out.txt", "内容")
    [(first, temporary), (second, renamed)] = events
    assert (first, second, temporary) == ("fsync", "replace", renamed)
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "内容"


def test_documents_and_pages_are_flushed_once_with_the_stage(tmp_path, trees, monkeypatch):
    """The thousands of documents and pages of a national build are written into the stage as they
    are (outputs.write_staged) and flushed once, by the sync of the whole stage before the swap, not
    also one by one as they are written (write_atomic: twice the fsyncs, most of their writing time)."""
    from collections import Counter

    synced = Counter()
    fsync = os.fsync

    def recording_fsync(fd):
        synced[os.readlink(f"/proc/self/fd/{fd}")] += 1
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    build(trees["A"][0], tmp_path / "dist")
    published = [p for folder in ("agreement", "municipality", "area", "en/agreement", "en/municipality", "en/area")
                 for p in (tmp_path / "dist" / folder).rglob("*.*")]  # en/: the English pages
    # their files' fsyncs (the folders are synced too), temporary names included
    in_folders = [path for path in synced if re.search(r"/(agreement|municipality|area)/.*\.(ttl|jsonld|json|nt|html|csv)(\.\w+)?$", path)]
    assert len(published) >= 16  # 4 resources × 4 files
    # each synced once, under its own name (write_atomic synced a temporary name first)
    assert sorted(in_folders) == sorted({path for path in in_folders if not Path(path).name.startswith(".")})
    assert len(in_folders) == len([p for p in published if p.is_file()])


def test_write_staged_writes_a_new_file_readable_by_all(tmp_path, monkeypatch):
    from kyoyaku.outputs import write_staged

    old_umask = os.umask(0o077)
    try:
        write_staged(tmp_path / "a" / "b.ttl", "内容")
    finally:
        os.umask(old_umask)
    assert (tmp_path / "a" / "b.ttl").read_bytes() == "内容".encode()
    assert (tmp_path / "a" / "b.ttl").stat().st_mode & 0o777 == 0o644
    with pytest.raises(FileExistsError) as info:  # a stage never holds the name already
        write_staged(tmp_path / "a" / "b.ttl", "other")
    assert info.value.filename == str(tmp_path / "a" / "b.ttl")


# --- the lock ---------------------------------------------------------------------------------

HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"%d\\n" % os.getpid())
print("locked", flush=True)
time.sleep(120)
"""


def test_second_build_fails_at_once_while_another_holds_the_lock(tmp_path, trees):
    site = tmp_path / "site"
    out = copy_tree(trees["A"][1], site / "dist")
    before = snapshot(out)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, site / ".dist.lock"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        refused = cli("build", "--sources", trees["B"][0], "--no-registry", "--out", out)
        assert refused.returncode == 2
        assert refused.stderr == (f"kyoyaku: another kyoyaku build is writing {out} (pid {holder.pid}); wait for "
                                  "it to finish, or stop that process if it hangs, then run again\n")
        assert snapshot(out) == before
        assert sorted(os.listdir(site)) == [".dist.lock", "dist"]
        # before anything is read: sources that do not exist are not even looked at
        with pytest.raises(UsageError, match=f"pid {holder.pid}"):
            build(tmp_path / "no sources", out)
    finally:
        holder.kill()  # SIGKILL: the kernel releases the flock
        holder.wait()
        holder.stdout.close()
    build(trees["B"][0], out)
    assert snapshot(out) == snapshot(trees["B"][1])
    assert os.listdir(site) == ["dist"]


def test_two_builds_at_once(tmp_path, trees):
    """A real first build holds the lock from its start: a second one started meanwhile is
    refused naming the first's pid, and the first completes its tree."""
    site = tmp_path / "site"
    out = copy_tree(trees["A"][1], site / "dist")
    first = subprocess.Popen([*KYOYAKU, "build", "--sources", trees["B"][0], "--no-registry", "--out", out,
                              "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lock = site / ".dist.lock"
    deadline = time.monotonic() + 120
    while first.poll() is None and time.monotonic() < deadline:
        if lock.exists() and lock.read_text(encoding="ascii").strip() == str(first.pid):
            break
        time.sleep(0.01)
    with pytest.raises(UsageError, match=rf"another kyoyaku build is writing {out} \(pid {first.pid}\)"):
        build(trees["A"][0], out)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    first.stderr.close()
    assert snapshot(out) == snapshot(trees["B"][1])
    assert os.listdir(site) == ["dist"]


def test_store_is_written_under_the_same_lock(tmp_path, trees):
    site = tmp_path / "site"
    store = site / "store"
    site.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, site / ".store.lock"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(UsageError, match=f"is writing {store} \\(pid {holder.pid}\\)"):
            save_store([trees["A"][1] / "kyoyaku.ttl"], store)
        assert not store.exists()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    save_store([trees["A"][1] / "kyoyaku.ttl"], store)
    assert sorted(os.listdir(store)) == [".kyoyaku-output", "kyoyaku-store.txt", "oxigraph"]
    assert sorted(os.listdir(site)) == ["store"]


# --- what --out may be ------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    """A synthetic project checkout: pyproject.toml, .git, data/sources with the seed, data/registry."""
    root = tree(tmp_path / "project", {"pyproject.toml": "[project]\nname = 'synthetic'\n",
                                       ".git/HEAD": "ref: refs/heads/main\n", "data/registry/README.md": "registry\n"})
    (root / "data" / "sources").mkdir()
    shutil.copy(SEED, root / "data" / "sources" / SEED.name)
    return root


HERE = "is the current directory or one above it, which kyoyaku build would replace whole"
PROJECT = "is a project directory (it holds pyproject.toml) and was not written by kyoyaku build"
INPUT = "is or holds the input"
FOREIGN = "exists and was not written by kyoyaku build"


@pytest.mark.parametrize(("cwd", "out", "message"), [
    ("project", ".", PROJECT),
    ("project/data", "..", PROJECT),
    ("project/data/sources", "..", HERE),
    ("project/data/sources", "../../..", HERE),
    ("home", ".", HERE),
    (".", "project", PROJECT),
    (".", "project/data/sources", INPUT),
    (".", "project/data", INPUT),
    (".", "project/data/registry", INPUT),
    (".", "home", FOREIGN),
    (".", "link-to-home", FOREIGN),
])
def test_refused_outputs_are_left_untouched(tmp_path, project, monkeypatch, cwd, out, message):
    home = tree(tmp_path / "home", {".bashrc": "alias ll='ls -l'\n", "Documents/letter.txt": "keep me\n"})
    (tmp_path / "link-to-home").symlink_to(home, target_is_directory=True)
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path / cwd)
    with pytest.raises(UsageError, match=re.escape(f"{out} {message}")):
        build(project / "data" / "sources", Path(out), registry=project / "data" / "registry")
    assert snapshot(tmp_path) == before
    assert (tmp_path / "link-to-home").is_symlink()


def test_project_checkout_without_pyproject_is_refused_by_its_git(tmp_path):
    checkout = tree(tmp_path / "checkout", {".git/HEAD": "ref: refs/heads/main\n"})
    with pytest.raises(UsageError, match=r"is a project directory \(it holds \.git\)"):
        build(tmp_path / "sources", checkout)
    assert snapshot(checkout) == {".git": "dir", ".git/HEAD": hashlib.sha256(b"ref: refs/heads/main\n").hexdigest()}


@pytest.mark.parametrize("out", [".", "data", "data/sources"])
def test_cli_refuses_out_in_the_project(project, out):
    """`kyoyaku build --out .` (or a directory holding the sources) in a project: exit 2, one
    line naming the directory, nothing written or deleted, not even a lock file."""
    before = snapshot(project.parent)
    refused = cli("build", "--out", out, cwd=project)
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"kyoyaku: {out} ") and refused.stderr.count("\n") == 1
    assert "Traceback" not in refused.stderr
    assert snapshot(project.parent) == before


def test_symlinked_out_replaces_the_tree_it_points_to(tmp_path, trees):
    """--out a symlink to a directory kyoyaku wrote (e.g. a web server's folder): the tree there
    is replaced, the symlink stays, leftovers and lock go beside the tree, not the link."""
    served = copy_tree(trees["A"][1], tmp_path / "www" / "kyoyaku")
    link = tmp_path / "dist"
    link.symlink_to(served, target_is_directory=True)
    build(trees["B"][0], link)
    assert link.is_symlink() and link.resolve() == served
    assert snapshot(served) == snapshot(trees["B"][1])
    assert os.listdir(tmp_path / "www") == ["kyoyaku"]


def test_store_may_not_hold_its_input(tmp_path, trees):
    site = copy_tree(trees["A"][1], tmp_path / "site")
    before = snapshot(tmp_path)
    with pytest.raises(UsageError, match=re.escape(f"{site} is or holds the input")):
        save_store([site / "kyoyaku.ttl"], site)
    assert snapshot(tmp_path) == before


def test_reader_restores_a_store_killed_in_the_gap(tmp_path, trees):
    """`kyoyaku query --store` after a two-step swap was killed in its gap (the store renamed away
    as `.store.old-PID`, nothing in its place): the reader puts it back and opens it."""
    from kyoyaku.sparql.store import read_store

    site = tmp_path / "site"
    store = save_store([trees["A"][1] / "kyoyaku.ttl"], site / "store")
    before = snapshot(store)
    store.rename(site / ".store.old-4242")
    opened = read_store(store)
    assert len(opened) > 0
    del opened
    assert snapshot(store) == before
    assert os.listdir(site) == ["store"]
