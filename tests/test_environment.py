"""Failures of the machine rather than of the input — a sources folder that cannot be listed, an
output on a read-only or forbidden file system, a full disk — and rdflib's own warnings: one line
on stderr each, exit 2 for the failures, and the previous output untouched. The CLI runs in-process
(kyoyaku.cli.main) so that the failure can be simulated where the test runs as root, which ignores
permission bits, or where no small file system can be mounted."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kyoyaku.cli import main

from .conftest import SEED

AS_ROOT = os.geteuid() == 0


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    return folder


def build_args(sources: Path, out: Path) -> list[str]:
    return ["build", "--sources", str(sources), "--no-registry", "--out", str(out), "--quiet"]


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its content."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_disk_full_while_writing_a_figure_is_one_line_and_keeps_dist(sources, tmp_path, capsys, monkeypatch):
    """ENOSPC raised by the figure writer (as a full disk raises it from write(): an OSError naming
    no file) was a traceback, exit 1."""
    from matplotlib.figure import Figure

    from kyoyaku.publish import figures

    out = tmp_path / "site" / "dist"
    assert main(build_args(sources, out)) == 0
    before = tree(out)
    capsys.readouterr()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    # Both writers of a figure: the PNG is encoded from the canvas (figures.png_bytes), the SVG saved.
    monkeypatch.setattr(Figure, "savefig", disk_full)
    monkeypatch.setattr(figures, "png_bytes", disk_full)
    assert main(build_args(sources, out)) == 2
    line = error_line(capsys)
    stage = re.escape(str(out.parent / ".dist.new-"))
    assert re.fullmatch(rf"kyoyaku: {stage}\w+/report/coverage\.png: No space left on device\n", line), line
    assert tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["dist"]  # no stage left behind


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS], ids=["EACCES", "EROFS"])
def test_out_in_a_directory_that_cannot_be_written_is_one_line(sources, tmp_path, capsys, monkeypatch, code):
    """Simulated: the test runs as root, which may write a 0555 directory (see the test below for
    the real thing). os.open is where the build first writes beside --out (its lock file)."""
    parent = tmp_path / "read-only"
    parent.mkdir()
    real_open = os.open

    def refusing(path, *args, **kwargs):
        if str(path).startswith(str(parent)):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    assert main(build_args(sources, parent / "dist")) == 2
    assert error_line(capsys) == f"kyoyaku: {parent}/.dist.lock: {os.strerror(code)}\n"
    assert list(parent.iterdir()) == []


@pytest.mark.skipif(AS_ROOT, reason="root writes a 0555 directory: the test above simulates it")
def test_out_in_a_read_only_directory_is_one_line(sources, tmp_path, capsys):
    parent = tmp_path / "read-only"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        assert main(build_args(sources, parent / "dist")) == 2
        assert error_line(capsys) == f"kyoyaku: {parent}/.dist.lock: Permission denied\n"
    finally:
        parent.chmod(0o755)


def test_a_sources_folder_that_cannot_be_listed_is_one_line(sources, tmp_path, capsys, monkeypatch):
    """Simulated (running as root lists any folder): listing the folder fails with EACCES."""
    real_iterdir = Path.iterdir

    def refusing(self):
        if self == sources:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refusing)
    assert main(build_args(sources, tmp_path / "dist")) == 2
    assert error_line(capsys) == (f"kyoyaku: {sources}: expected a directory of agreement texts (*.txt, *.html, *.htm, *.pdf, *.png, *.jpg, *.jpeg, *.tif, *.tiff, *.docx) this user "
                                  "can list, found 'Permission denied'\n")
    assert not (tmp_path / "dist").exists()


@pytest.mark.skipif(AS_ROOT, reason="root lists a 0000 directory: the test above simulates it")
def test_a_sources_folder_without_permissions_is_one_line(sources, tmp_path, capsys):
    sources.chmod(0)
    try:
        assert main(build_args(sources, tmp_path / "dist")) == 2
        assert "this user can list, found 'Permission denied'" in error_line(capsys)
    finally:
        sources.chmod(0o755)


def test_other_os_errors_are_defects_and_keep_their_traceback(sources, tmp_path, monkeypatch):
    """Only failures of the machine (EACCES, EROFS, ENOSPC …) become one line: an OSError of
    another kind is a defect of kyoyaku, and must show where it happened."""
    import kyoyaku.pipeline

    def broken(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "somewhere")

    monkeypatch.setattr(kyoyaku.pipeline, "to_graphs", broken)
    with pytest.raises(FileNotFoundError):
        main(build_args(sources, tmp_path / "dist"))


def test_rdflib_warnings_are_one_kyoyaku_line_each(tmp_path):
    """rdflib logged an ill-typed literal with a whole traceback on stderr, and warned of an odd
    boolean in two lines of its own (message, and its source line)."""
    data = tmp_path / "ill-typed.ttl"
    data.write_text('@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    'ex:a ex:n "abc"^^xsd:integer , "abc"^^xsd:integer ; ex:m "x1"^^xsd:decimal ;'
                    ' ex:b "yes"^^xsd:boolean .\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kyoyaku.cli", "validate", str(data)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert (done.returncode, done.stdout) == (0, "conforms\n")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert sorted(done.stderr.splitlines()) == [
        f'kyoyaku: warning: "abc"^^<{xsd}integer> is not a valid value of its datatype; kept as written',
        f'kyoyaku: warning: "x1"^^<{xsd}decimal> is not a valid value of its datatype; kept as written',
        "kyoyaku: warning: Parsing weird boolean, 'yes' does not map to True or False",
    ]


def test_oxigraphs_disk_full_is_one_line(sources, tmp_path, capsys, monkeypatch):
    """Oxigraph's OSErrors carry no errno, only the system's message (measured on a full tmpfs: this
    one, from `build --store` on it). Its other OSErrors stay defects with a traceback."""
    import kyoyaku.sparql.store

    message = (f"IO error: No space left on device: While appending to file: {tmp_path}/.store.new-x/oxigraph/"
               "000012.sst: No space left on device")

    def disk_full(*args, **kwargs):
        raise OSError(message)

    monkeypatch.setattr(kyoyaku.sparql.store, "open_store", disk_full)
    assert main(["query", "area-sizes", "--data", str(tmp_path / "data.ttl")]) == 2
    assert error_line(capsys) == f"kyoyaku: {message}\n"

    def other(*args, **kwargs):
        raise OSError("Invalid argument: the database is in an unexpected state")

    monkeypatch.setattr(kyoyaku.sparql.store, "open_store", other)
    with pytest.raises(OSError, match="unexpected state"):
        main(["query", "area-sizes", "--data", str(tmp_path / "data.ttl")])


@pytest.mark.parametrize("inside", [True, False], ids=["store-in-dist", "store-beside-dist"])
def test_a_store_that_cannot_be_written_leaves_dist_as_it_was(sources, tmp_path, capsys, monkeypatch, inside):
    """`build --store` swapped the new dist/ in first and wrote the store after it: a full disk
    during the store left the new dist/ beside the old store. The store is now written before the
    swap (into the tree itself when it lies inside --out), so a failure leaves both as they were."""
    import kyoyaku.sparql.store

    out = tmp_path / "site" / "dist"
    store = out / "store" if inside else tmp_path / "site" / "store"
    assert main([*build_args(sources, out), "--store", str(store)]) == 0
    before, store_before = tree(out), tree(store)
    capsys.readouterr()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kyoyaku.sparql.store, "write_store_tree", disk_full)
    assert main([*build_args(sources, out), "--store", str(store)]) == 2
    assert "No space left on device" in error_line(capsys)
    assert tree(out) == before and tree(store) == store_before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".dist.new-")) == []


def test_a_store_inside_dist_is_published_with_it_and_queried(sources, tmp_path, capsys):
    out = tmp_path / "dist"
    for _ in range(2):  # the second build replaces dist/ and its store in one swap
        assert main([*build_args(sources, out), "--store", str(out / "store")]) == 0
    capsys.readouterr()
    assert main(["query", "area-sizes", "--store", str(out / "store"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("area,")
