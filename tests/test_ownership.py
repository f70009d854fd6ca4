"""Never delete what kyoyaku did not write (issue 15, item 1): every command that replaces a
directory — `build --out`, `build --store`, `report --out`, `import-registry --into` — replaces
it only when it is new, empty, or holds the ownership marker `.kyoyaku-output` naming that same
command; anything else is exit 2 with one line naming the directory and the option, and nothing
is written or deleted.

The project is a copy of the repository's own folders (ontology/ holds a kyoyaku.ttl, data/registry/
the hand-made ibaraki-kenou/) in tmp_path; the web root, the foreign kyoyaku.ttl and the hand-made
registry beside them are synthetic stand-ins."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kyoyaku.cli import main
from kyoyaku.errors import UsageError
from kyoyaku.outputs import BUILD_OUTPUT, OWNER_FILE, REPORT_OUTPUT, mark_owned, swap_in
from kyoyaku.pipeline import build

from .conftest import EPOCH, ROOT
from .test_build_safety import snapshot, tree

pytestmark = pytest.mark.usefixtures("fixed_date")

COMMANDS = {  # command → (its arguments with the directory it would replace as {dir}, the option naming it)
    "kyoyaku build": (["build", "--out", "{dir}", "--quiet"], "--out"),
    "kyoyaku build --store": (["build", "--out", "dist", "--store", "{dir}", "--quiet"], "--store"),
    "kyoyaku report": (["report", "--data", "{data}", "--out", "{dir}"], "--out"),
    "kyoyaku import-registry": (["import-registry", "--into", "{dir}"], "--into"),
}
NOT_WRITTEN = ("exists and was not written by {command} (no .kyoyaku-output marker in it); choose another {option}, "
               "or remove the folder yourself if an older kyoyaku wrote it")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project's folders, with a web root, a folder holding a kyoyaku.ttl kyoyaku did
    not write and a hand-made registry beside them."""
    root = tmp_path_factory.mktemp("ownership") / "project"
    for name in ("ontology", "queries", "docs", "data"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    tree(root / "www", {"index.html": "<!DOCTYPE html><title>my site</title>\n", "style.css": "body {}\n"})
    tree(root / "my-export", {"kyoyaku.ttl": "# my own notes, not kyoyaku's\n"})
    shutil.copytree(ROOT / "data" / "registry" / "ibaraki-kenou", root / "my-registry")
    return root


@pytest.fixture(scope="module")
def data(built):
    """A dataset for `kyoyaku report --data`, outside the project."""
    dist, _ = built
    return dist / "kyoyaku.ttl"


def run(args: list[str], directory: str, data: Path, capsys) -> tuple[int, str, str]:
    code = main([a.format(dir=directory, data=data) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("directory", [
    "ontology",  # holds kyoyaku.ttl, the name the old check took as proof
    "queries",
    "docs",
    "data/registry/ibaraki-kenou",  # the hand-made registry shipped in the project
    "www",  # a web root: index.html, the name the old report check took as proof
    "my-export",  # a kyoyaku.ttl kyoyaku did not write
    "my-registry",  # a hand-made registry: members.csv + areas.csv
])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_directory_kyoyaku_did_not_write_is_refused(project, data, monkeypatch, capsys, command, directory):
    args, option = COMMANDS[command]
    monkeypatch.chdir(project)
    before = snapshot(project)
    code, out, err = run(args, directory, data, capsys)
    assert (code, out) == (2, "")
    assert err == f"kyoyaku: {directory} {NOT_WRITTEN.format(command=command, option=option)}\n"
    assert snapshot(project) == before  # nothing written, nothing deleted, no lock file left


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, data):
    """The outputs of each command in one folder: dist/ (kyoyaku build, with dist/report/), store/
    (build --store), report/ (kyoyaku report) and national/ (import-registry)."""
    site = tmp_path_factory.mktemp("outputs")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        env.chdir(ROOT)  # the default sources, registry and compilation
        assert main(["build", "--out", str(site / "dist"), "--store", str(site / "store"), "--quiet"]) == 0
        assert main(["report", "--data", str(data), "--out", str(site / "report")]) == 0
        assert main(["import-registry", "--into", str(site / "national")]) == 0
    return site


@pytest.mark.parametrize(("command", "directory", "owner"), [
    ("kyoyaku report", "dist", "kyoyaku build"),  # would turn the published site into 11 report files
    ("kyoyaku import-registry", "dist", "kyoyaku build"),
    ("kyoyaku build --store", "dist", "kyoyaku build"),
    ("kyoyaku build", "dist/report", "kyoyaku report"),
    ("kyoyaku build", "store", "kyoyaku build --store"),
    ("kyoyaku report", "store", "kyoyaku build --store"),
    ("kyoyaku build", "national", "kyoyaku import-registry"),
    ("kyoyaku import-registry", "report", "kyoyaku report"),
])
def test_an_output_of_another_command_is_refused(outputs, data, monkeypatch, capsys, command, directory, owner):
    args, option = COMMANDS[command]
    monkeypatch.chdir(ROOT)
    before = snapshot(outputs)
    code, out, err = run(args, str(outputs / directory), data, capsys)
    assert (code, out) == (2, "")
    assert err == f"kyoyaku: {outputs / directory} was written by {owner}, not by {command}; choose another {option}\n"
    assert snapshot(outputs) == before


@pytest.mark.parametrize(("command", "directory", "same_as"), [
    ("kyoyaku build", "dist", "dist"),
    ("kyoyaku report", "dist/report", "report"),  # kyoyaku report's default --out, inside a build's dist/
    ("kyoyaku report", "report", "report"),
    ("kyoyaku import-registry", "national", "national"),
])
def test_each_command_replaces_its_own_output(outputs, data, monkeypatch, capsys, command, directory, same_as,
                                              tmp_path):
    args, _ = COMMANDS[command]
    target = tmp_path / "copy"
    shutil.copytree(outputs / directory, target)
    (target / "stale.txt").write_text("left by an earlier run", encoding="utf-8")
    monkeypatch.chdir(ROOT)
    code, _, err = run(args, str(target), data, capsys)
    assert (code, err) == (0, "")
    assert not (target / "stale.txt").exists()
    assert snapshot(target) == snapshot(outputs / same_as)


def test_build_store_replaces_its_own_store(outputs, monkeypatch, capsys, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(outputs / "store", store)
    (store / "stale.txt").write_text("left by an earlier run", encoding="utf-8")
    monkeypatch.chdir(ROOT)
    code = main(["build", "--out", str(tmp_path / "dist"), "--store", str(store), "--quiet"])
    assert (code, capsys.readouterr().err) == (0, "")
    assert sorted(p.name for p in store.iterdir()) == [".kyoyaku-output", "kyoyaku-store.txt", "oxigraph"]


def test_an_output_of_an_older_kyoyaku_is_refused(outputs, tmp_path, monkeypatch, capsys):
    """A dist/ written before the marker existed cannot be told from one kyoyaku did not write: refused,
    and the message says to remove it by hand."""
    legacy = tmp_path / "dist"
    shutil.copytree(outputs / "dist", legacy)
    (legacy / OWNER_FILE).unlink()
    before = snapshot(tmp_path)
    monkeypatch.chdir(ROOT)
    code, _, err = run(COMMANDS["kyoyaku build"][0], str(legacy), Path(), capsys)
    assert code == 2
    assert err == f"kyoyaku: {legacy} {NOT_WRITTEN.format(command='kyoyaku build', option='--out')}\n"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("marker", "message"), [
    ("written-by: kyoyaku build\nformat: 2\n",
     "has a .kyoyaku-output marker of format '2', which this kyoyaku does not know; choose another --out"),
    ("kyoyaku build\n", "exists and was not written by kyoyaku build (no .kyoyaku-output marker in it)"),
    ("written-by: kyoyaku build\n", "exists and was not written by kyoyaku build (no .kyoyaku-output marker in it)"),
    ("written-by: kyoyaku build\nformat: 1\n" + "x" * 5000, "exists and was not written by kyoyaku build"),
])
def test_a_marker_kyoyaku_cannot_read_is_refused(tmp_path, marker, message):
    out = tree(tmp_path / "dist", {"kyoyaku.ttl": "keep", OWNER_FILE: marker})
    before = snapshot(out)
    with pytest.raises(UsageError, match=f"^{re.escape(f'{out} {message}')}"):
        build(tmp_path / "sources", out)
    assert snapshot(out) == before


def test_a_marker_that_is_a_symlink_proves_nothing(tmp_path):
    marker = tmp_path / "marker"
    marker.write_text("written-by: kyoyaku build\nformat: 1\n", encoding="utf-8")
    out = tree(tmp_path / "dist", {"notes.txt": "keep"})
    (out / OWNER_FILE).symlink_to(marker)
    with pytest.raises(UsageError, match="no .kyoyaku-output marker in it"):
        build(tmp_path / "sources", out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_an_empty_or_missing_directory_may_be_written(tmp_path):
    def write(stage: Path) -> list[str]:
        (stage / "a.txt").write_text("a", encoding="utf-8")
        return ["a.txt"]

    (tmp_path / "empty").mkdir()
    for name in ("empty", "missing"):
        assert swap_in(tmp_path / name, REPORT_OUTPUT, write) == [tmp_path / name / "a.txt"]
        assert sorted(p.name for p in (tmp_path / name).iterdir()) == [OWNER_FILE, "a.txt"]


def test_swap_in_checks_ownership_itself_under_the_lock(tmp_path):
    """The one place that replaces directories refuses on its own, whoever calls it, before it
    writes anything: a web root stays, and the write function never runs."""
    www = tree(tmp_path / "www", {"index.html": "<title>mine</title>\n"})
    before = snapshot(tmp_path)
    called = []
    with pytest.raises(UsageError, match=f"^{www} exists and was not written by kyoyaku report"):
        swap_in(www, REPORT_OUTPUT, called.append)
    assert called == []
    assert snapshot(tmp_path) == before
    mark_owned(www, BUILD_OUTPUT)  # kyoyaku build's, not kyoyaku report's
    with pytest.raises(UsageError, match=f"^{www} was written by kyoyaku build, not by kyoyaku report"):
        swap_in(www, REPORT_OUTPUT, called.append)
    assert called == []


def test_a_file_is_never_replaced_by_a_directory(tmp_path, monkeypatch, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("keep", encoding="utf-8")
    monkeypatch.chdir(ROOT)
    code, _, err = run(COMMANDS["kyoyaku import-registry"][0], str(notes), Path(), capsys)
    assert code == 2
    assert err == f"kyoyaku: {notes} exists and is not a directory, which kyoyaku import-registry would replace; " \
                  "choose another --into\n"
    assert notes.read_text(encoding="utf-8") == "keep"
