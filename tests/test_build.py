"""`build`: all-or-nothing publication."""

import pytest

from kyoyaku.errors import IncompleteError, InputError, NonConformingError, UsageError
from kyoyaku.outputs import BUILD_OUTPUT, mark_owned
from kyoyaku.pipeline import build

from .conftest import SEED


def test_build_writes_the_dataset_and_report(built):
    dist, result = built
    assert sorted(p.name for p in dist.iterdir()) == [
        ".kyoyaku-output", "agreement", "area", "areas.csv", "areas.html", "catalog.html", "catalog.jsonld",
        "catalog.nt", "catalog.ttl", "concept", "context-framed.jsonld", "en", "index.html", "kyoyaku-full.jsonld",
        "kyoyaku-full.jsonld.gz", "kyoyaku-full.nt", "kyoyaku-full.nt.gz", "kyoyaku-full.ttl", "kyoyaku-full.ttl.gz",
        "kyoyaku.jsonld", "kyoyaku.jsonld.gz", "kyoyaku.nt", "kyoyaku.nt.gz", "kyoyaku.ttl", "kyoyaku.ttl.gz",
        "municipalities.html", "municipality", "ns.html", "ns.jsonld", "ns.nt", "ns.ttl", "ontology", "queries",
        "report", "search-index.js",
        "search-index.json", "search.html", "search.js", "texts.html", "validation-report.ttl", "validation-report.txt"]
    assert result.report.conforms and result.report.results == []
    assert (dist / "validation-report.txt").read_text(encoding="utf-8") == "conforms\n"
    assert len(result.agreements) == 1


def test_build_marks_dist_and_its_report_as_its_own(built):
    """The ownership markers: dist/ is kyoyaku build's, dist/report/ kyoyaku report's (its default
    --out), each naming the command and the marker's format."""
    dist, _ = built
    note = "replaces this directory whole; keep nothing of your own in it."
    assert (dist / ".kyoyaku-output").read_text(encoding="utf-8") == (
        f"written-by: kyoyaku build\nformat: 1\nnote: kyoyaku build {note}\n")
    assert (dist / "report" / ".kyoyaku-output").read_text(encoding="utf-8") == (
        f"written-by: kyoyaku report\nformat: 1\nnote: kyoyaku report {note}\n")


def test_incomplete_source_leaves_dist_as_it_was(tmp_path, built):
    _dist, _ = built
    sources = tmp_path / "sources"
    sources.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (sources / "cut.txt").write_text(text[: text.index("別表（第3条関係）")], encoding="utf-8")
    out = tmp_path / "dist"
    out.mkdir()
    (out / "kyoyaku.ttl").write_text("previous", encoding="utf-8")
    mark_owned(out, BUILD_OUTPUT)  # a dist/ kyoyaku build wrote
    with pytest.raises(IncompleteError, match="cut.txt"):
        build(sources, out)
    assert sorted(p.name for p in out.iterdir()) == [".kyoyaku-output", "kyoyaku.ttl"]
    assert (out / "kyoyaku.ttl").read_text(encoding="utf-8") == "previous"


def test_non_conforming_data_are_not_published(tmp_path, monkeypatch):
    """Data that do not conform (simulated by dropping every row's 区分 after mapping) are not
    published: --out is not created and the error carries exit code 1 and the report."""
    import kyoyaku.pipeline as build_module
    from kyoyaku.graph.iris import KYO

    real = build_module.to_graphs

    def without_categories(agreements, sink):
        class Dropping:  # the build's sink (graph.serialize.Lines), less every kyo:category
            def add(self, triple):
                if triple[1] != KYO.category:
                    sink.add(triple)

        real(agreements, Dropping())
        return sink

    monkeypatch.setattr(build_module, "to_graphs", without_categories)
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    with pytest.raises(NonConformingError) as info:
        build(sources, tmp_path / "dist")
    assert info.value.exit_code == 1
    assert "InitiativeCategoryShape" in info.value.report_text
    assert not (tmp_path / "dist").exists()


def test_missing_sources_directory(tmp_path):
    with pytest.raises(InputError, match="no such directory"):
        build(tmp_path / "nothing", tmp_path / "dist")


def test_sources_that_are_a_file_are_not_a_directory(tmp_path):
    """A file given as --sources was reported as 'no such directory', which sends the user looking for
    a typo in a path that exists."""
    sources = tmp_path / "sources.txt"
    sources.write_bytes(SEED.read_bytes())
    with pytest.raises(InputError) as info:
        build(sources, tmp_path / "dist")
    assert str(info.value) == f"{sources}: expected a directory of agreement texts (*.txt, *.html, *.htm, *.pdf, *.png, *.jpg, *.jpeg, *.tif, *.tiff, *.docx), found 'not a directory'"


def test_refuses_a_foreign_output_directory(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="not written by kyoyaku"):
        build(sources, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_rebuild_replaces_the_previous_output(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    out = tmp_path / "dist"
    build(sources, out)
    (out / "stale.txt").write_text("from an older build", encoding="utf-8")
    build(sources, out)
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "sources"]  # no temp dirs left


def test_allow_incomplete_publishes_with_the_missing_parts_stated(tmp_path):
    """The seed cut off after its date (no signatures, no 別表): refused by default; with
    --allow-incomplete published, marked kyo:incomplete with what is missing, and the validation
    report carries one warning (kyo:IncompleteTextShape) instead of violations."""
    from rdflib import Graph, Literal

    from kyoyaku.graph.iris import KYO

    from .conftest import SEED_IRI

    sources = tmp_path / "sources"
    sources.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (sources / "cut.txt").write_text(text[: text.index("令和4年2月21日") + len("令和4年2月21日\n")], encoding="utf-8")
    with pytest.raises(IncompleteError, match="no signature of 甲、乙"):
        build(sources, tmp_path / "refused")
    assert not (tmp_path / "refused").exists()

    result = build(sources, tmp_path / "dist", allow_incomplete=True)
    assert result.report.accepted and not result.report.conforms
    assert [(r.severity, r.shape.rsplit("#", 1)[1]) for r in result.report.results] == [
        ("Warning", "IncompleteTextShape")]
    published = Graph().parse(tmp_path / "dist" / "kyoyaku.ttl")
    from rdflib import URIRef

    agreement = URIRef(SEED_IRI)
    assert (agreement, KYO.incomplete, Literal(True)) in published
    assert sorted(map(str, published.objects(agreement, KYO.parseDiagnostic))) == [
        "line 46: no signature of 甲、乙", "line 46: no 別表 listing the initiatives and roles"]
    assert "1 warning(s)" in (tmp_path / "dist" / "validation-report.txt").read_text(encoding="utf-8")


def _not_a_file(folder, kind):
    """Make `folder / f"{kind}.txt"` an entry that is not a readable regular file."""
    import os

    path = folder / f"{kind}.txt"
    if kind == "dangling":
        path.symlink_to(folder / "gone.txt")
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "device":
        path.symlink_to("/dev/null")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    return path


@pytest.mark.parametrize("kind, found", [("dangling", "a dangling symlink (to {folder}/gone.txt)"),
                                         ("loop", "a symlink loop"), ("device", "a device"),
                                         ("fifo", "a named pipe"), ("directory", "a directory")])
def test_a_source_that_is_not_a_readable_file_is_refused_not_skipped(tmp_path, kind, found):
    """A dangling, looping or device symlink `*.txt` used to vanish from the build without a word."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    path = _not_a_file(sources, kind)
    with pytest.raises(InputError) as info:
        build(sources, tmp_path / "dist")
    assert str(info.value) == (f"{path}: expected an agreement text: a regular file, or a symlink to one, "
                               f"found {found.format(folder=sources)!r}")
    assert not (tmp_path / "dist").exists()


def test_a_symlink_to_a_source_is_a_source(tmp_path):
    from kyoyaku.pipeline import source_files

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "seed.txt").symlink_to(SEED)
    assert source_files(sources) == [sources / "seed.txt"]


def test_timings_name_each_phase_on_stderr_only_when_asked(tmp_path, monkeypatch, capsys):
    """KYOYAKU_TIMINGS=1 (benchmarks/national.py's real build): one line per phase, in order, with
    the phase's peak memory; unset: none. Only the shape is checked, never a time (the peak:
    tests/test_progress.py)."""
    import re

    from kyoyaku.pipeline import WRITE_STEPS

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    monkeypatch.setenv("KYOYAKU_TIMINGS", "1")
    build(sources, tmp_path / "timed")
    lines = capsys.readouterr().err.splitlines()
    found = [re.fullmatch(r"kyoyaku: timing ([a-z ]+) \d+\.\d{3} s, peak (\d+) B", line) for line in lines]
    assert all(found), lines
    assert [m.group(1) for m in found] == ["parse", "map", "validate", *WRITE_STEPS, "finish"]
    monkeypatch.delenv("KYOYAKU_TIMINGS")
    build(sources, tmp_path / "untimed")
    assert capsys.readouterr().err == ""


def test_the_build_result_holds_the_published_triples_in_its_store_and_as_a_graph(built):
    """The build keeps one store (BuildResult.store: the data alone) and its sorted lines
    (BuildResult.data); BuildResult.graph, for notebooks, is the rdflib Graph made from them on
    first access."""
    import dataclasses

    import pyoxigraph as ox
    from rdflib import RDF, Graph

    from kyoyaku.graph.iris import KYO

    dist, result = built
    published = (dist / "kyoyaku.nt").read_text(encoding="utf-8")
    assert "".join(result.data.sorted_lines()) == published
    expected = ox.Store()
    expected.bulk_load(published.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert set(result.store) == set(expected)  # no ontology or concept scheme left in it
    result = dataclasses.replace(result)  # a fresh one: the shared fixture's graph may have been asked for already
    assert "graph" not in vars(result)  # not made until asked for
    graph = result.graph
    assert isinstance(graph, Graph) and result.graph is graph
    assert set(graph) == set(Graph().parse(data=published, format="nt"))
    assert result.record_count == len(set(graph.subjects(RDF.type, KYO.AgreementRecord)))  # 0: no registry here
