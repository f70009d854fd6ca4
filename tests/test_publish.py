"""Published files: formats agree, output is deterministic, Japanese is written as characters."""

import json
import subprocess
import sys

from rdflib import Graph
from rdflib.compare import isomorphic

from kyoyaku import publish


def test_turtle_json_ld_and_ntriples_are_isomorphic(built):
    dist, result = built
    graphs = {fmt: Graph().parse(dist / name, format=fmt)
              for name, fmt in (("kyoyaku.ttl", "turtle"), ("kyoyaku.jsonld", "json-ld"), ("kyoyaku.nt", "nt"))}
    assert len(graphs["turtle"]) == len(result.graph) > 500
    assert isomorphic(graphs["turtle"], graphs["json-ld"])
    assert isomorphic(graphs["turtle"], graphs["nt"])
    assert isomorphic(graphs["turtle"], result.graph)


def test_japanese_is_written_as_characters(built):
    dist, _ = built
    for name in ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt"):
        text = (dist / name).read_text(encoding="utf-8")
        assert "小美玉市" in text and "\\u" not in text, name


def test_json_ld_is_compact_with_the_local_context(built):
    dist, _ = built
    doc = json.loads((dist / "kyoyaku.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == publish.context()  # embedded: nothing to fetch
    agreement = next(n for n in doc["@graph"] if n["id"].endswith("/agreement/082015-082368/2022-02-21"))
    assert agreement["date"] == "2022-02-21"
    assert agreement["title"] == {"@language": "ja", "@value": "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"}
    assert len(agreement["parties"]) == 2


def test_ntriples_are_sorted(built):
    dist, _ = built
    lines = (dist / "kyoyaku.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


def test_outputs_do_not_depend_on_the_hash_seed(tmp_path, built):
    """Two builds in fresh interpreters with different hash seeds give byte-identical files."""
    dist, _ = built
    script = ("import sys; from pathlib import Path; from kyoyaku.build import build; "
              "build(Path(sys.argv[1]), Path(sys.argv[2]))")
    from .conftest import ROOT

    for seed in ("1", "2"):
        out = tmp_path / f"dist{seed}"
        subprocess.run([sys.executable, "-c", script, str(ROOT / "data" / "sources"), str(out)], check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": "", "SOURCE_DATE_EPOCH": "1795046400"})
    for name in ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt", "validation-report.ttl"):
        first = (tmp_path / "dist1" / name).read_bytes()
        assert first == (tmp_path / "dist2" / name).read_bytes() == (dist / name).read_bytes(), name
    # the whole published tree: documents, pages, figures, ontology, catalog (dated by SOURCE_DATE_EPOCH)
    tree = {p.relative_to(tmp_path / "dist1"): p.read_bytes() for p in (tmp_path / "dist1").rglob("*") if p.is_file()}
    assert len(tree) > 20
    for relative, content in tree.items():
        assert (tmp_path / "dist2" / relative).read_bytes() == content, relative
    assert sorted(p.relative_to(tmp_path / "dist2") for p in (tmp_path / "dist2").rglob("*") if p.is_file()) \
        == sorted(tree)
    assert "\"2026-11-19\"" in (tmp_path / "dist1" / "catalog.ttl").read_text(encoding="utf-8")


def test_write_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    publish.write_atomic(target, "新しい内容")
    assert target.read_text(encoding="utf-8") == "新しい内容"
    assert target.stat().st_mode & 0o777 == 0o644  # published: a web server must be able to read it
    publish.write_atomic(target, b"\x1f\x8b bytes")
    assert target.read_bytes() == b"\x1f\x8b bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
