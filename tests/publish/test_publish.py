"""Published files: formats agree, output is deterministic, Japanese is written as characters."""

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kyoyaku import outputs
from kyoyaku.graph import serialize
from kyoyaku.graph.iris import ELI, KYO
from kyoyaku.graph.mapping import new_graph
from kyoyaku.graph.oxterms import ox_triples
from kyoyaku.publish import writers as publish

from ..conftest import shuffled


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


def tree_files(root):
    """Every file under `root`, walked (relative path → bytes), and every directory."""
    paths = sorted(root.rglob("*"))
    return ({p.relative_to(root): p.read_bytes() for p in paths if p.is_file()},
            [p.relative_to(root) for p in paths if p.is_dir()])


@pytest.mark.parametrize("registry", ["default", "none"])
def test_outputs_do_not_depend_on_the_hash_seed(tmp_path, built, registry):
    """Two `kyoyaku build`s in fresh interpreters with different hash seeds give byte-identical
    trees: the default build (the shipped sources and registry, whose validation report has 94
    warnings, i.e. blank nodes) and the full texts alone. Every file under dist/ is compared —
    dumps, documents, pages, figures, ontology, catalog (dated by SOURCE_DATE_EPOCH), the
    validation report, the ownership markers — and the directories."""
    from ..conftest import ROOT

    args = [sys.executable, "-m", "kyoyaku.cli", "build", "--quiet"] + (["--no-registry"] if registry == "none" else [])
    for seed in ("1", "2"):
        subprocess.run([*args, "--out", str(tmp_path / f"dist{seed}")], check=True, cwd=ROOT,
                       env={"PYTHONHASHSEED": seed, "PATH": "", "SOURCE_DATE_EPOCH": "1795046400"})
    files, folders = tree_files(tmp_path / "dist1")
    assert len(files) >= 50 and len(folders) > 5
    assert tree_files(tmp_path / "dist2") == (files, folders)
    report = (tmp_path / "dist1" / "validation-report.ttl").read_text(encoding="utf-8")
    if registry == "default":
        assert report.count("a sh:ValidationResult ;") == 184 and "_:c14n0 " in report
    else:  # the same as the in-process build of the shared fixture
        dist, _ = built
        for name in ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt", "validation-report.ttl"):
            assert files[Path(name)] == (dist / name).read_bytes(), name
    assert "\"2026-11-19\"" in (tmp_path / "dist1" / "catalog.ttl").read_text(encoding="utf-8")


def test_write_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    outputs.write_atomic(target, "新しい内容")
    assert target.read_text(encoding="utf-8") == "新しい内容"
    assert target.stat().st_mode & 0o777 == 0o644  # published: a web server must be able to read it
    outputs.write_atomic(target, b"\x1f\x8b bytes")
    assert target.read_bytes() == b"\x1f\x8b bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def reads_back(graph: Graph) -> tuple[str, str]:
    """Turtle and N-Triples of `graph`, after checking that each parses back as the same graph."""
    ttl, nt = serialize.turtle(graph), serialize.ntriples(graph)
    assert isomorphic(Graph().parse(data=ttl, format="turtle"), graph)
    assert isomorphic(Graph().parse(data=nt, format="nt"), graph)
    return ttl, nt


def test_turtle_and_ntriples_read_back_as_the_seed_graph(seed_graph):
    ttl, nt = reads_back(seed_graph)
    assert len(nt.splitlines()) == len(seed_graph) > 500
    assert "小美玉市" in ttl and "小美玉市" in nt


def test_turtle_reads_well(seed_graph):
    ttl = serialize.turtle(seed_graph)
    header, body = ttl.split("\n\n", 1)
    # only the bound prefixes the IRIs use, sorted; rdf:type is written `a`, so no rdf: prefix
    assert header.splitlines() == [f"@prefix {p}: <{ns}> ." for p, ns in (
        ("dcterms", "http://purl.org/dc/terms/"), ("eli", "http://data.europa.eu/eli/ontology#"),
        ("kyo", "https://w3id.org/kyoyaku/ns#"), ("owl", "http://www.w3.org/2002/07/owl#"),
        ("prov", "http://www.w3.org/ns/prov#"), ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("time", "http://www.w3.org/2006/time#"), ("xsd", "http://www.w3.org/2001/XMLSchema#"))]
    blocks = body.split("\n\n")
    subjects = [block.split(" ", 1)[0] for block in blocks]
    assert len(subjects) == len(set(subjects)) == len(set(seed_graph.subjects()))  # one block per subject
    assert subjects[0] == "<https://w3id.org/kyoyaku/agreement/082015-082368/2022-02-21>"  # before its parts
    assert subjects == sorted(subjects, key=lambda s: s.removesuffix(">"))
    agreement = blocks[0].splitlines()
    assert agreement[0] == subjects[0] + " a kyo:Agreement ;"  # `a` first
    assert '\teli:date_document "2022-02-21"^^xsd:date ;' in agreement
    assert '\teli:title "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"@ja ;' in agreement
    assert "\\u" not in ttl and ttl.endswith(" .\n") and not ttl.endswith("\n\n")


def test_ntriples_lines_are_sorted_and_as_pyoxigraph_writes_them(seed_graph):
    nt = serialize.ntriples(seed_graph)
    lines = nt.splitlines()
    assert nt.endswith(" .\n") and lines == sorted(lines) and len(lines) == len(set(lines))
    written = ox.serialize(ox_triples(seed_graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    assert lines == sorted(written.splitlines())
    assert "小美玉市" in nt and "\\u" not in nt


def test_the_same_triples_in_another_order_give_the_same_bytes(seed_graph):
    other_order = shuffled(seed_graph)
    assert serialize.turtle(other_order) == serialize.turtle(seed_graph)
    assert serialize.ntriples(other_order) == serialize.ntriples(seed_graph)


def test_the_national_graph_reads_back(national):
    """The graph of the national build as rdflib's JSON-LD writer published it (a writer that is not
    under test, and another insertion order): the build's Turtle and N-Triples hold it, and
    writing it again gives the same files."""
    dist, _ = national
    graph = new_graph()  # the prefixes the build binds
    for triple in Graph().parse(dist / "kyoyaku.jsonld", format="json-ld"):
        graph.add(triple)
    assert len(graph) > 5000
    ttl, nt = reads_back(graph)
    assert ttl == (dist / "kyoyaku.ttl").read_text(encoding="utf-8")
    assert nt == (dist / "kyoyaku.nt").read_text(encoding="utf-8")


def test_literals_and_blank_nodes():
    a = URIRef("https://w3id.org/kyoyaku/agreement/000001-000002/2022-02-21")
    node = BNode("b0")
    g = new_graph()
    for triple in [
        (a, RDF.type, KYO.Agreement),
        (a, ELI.date_document, Literal(date(2022, 2, 21))),
        (a, KYO.sourceLine, Literal(8)),
        (a, KYO.leads, Literal(False)),
        (a, KYO.share, Literal(Decimal("0.50"))),
        (a, KYO.page, Literal("https://www.city.mito.lg.jp/", datatype=XSD.anyURI)),
        (a, KYO.text, Literal("第1条 .\n「甲」と\t\"乙\" \\ ;", lang="ja")),  # " .\n" ends no statement here
        (a, KYO.text, Literal("plain")),
        (a, KYO.lapsePeriod, node),
        (node, KYO["count"], Literal(2)),
    ]:
        g.add(triple)
    ttl, nt = reads_back(g)
    for written in ('"2022-02-21"^^xsd:date', "kyo:sourceLine 8 ;", "kyo:leads false ;", "kyo:share 0.50 ;",
                    '"https://www.city.mito.lg.jp/"^^xsd:anyURI', '"plain"',
                    '"第1条 .\\n「甲」と\\t\\"乙\\" \\\\ ;"@ja', "_:b0 kyo:count 2 ."):
        assert written in ttl, written
    assert f'<{KYO.share}> "0.50"^^<{XSD.decimal}> .\n' in nt
    # an explicit xsd:string is the same RDF term as the plain literal, and is written as one
    g.add((a, KYO.note, Literal("x", datatype=XSD.string)))
    assert '"x"' in serialize.turtle(g) and "XMLSchema#string" not in serialize.ntriples(g)


@pytest.mark.parametrize("kind", ["graph", "lines"])
def test_the_streamed_dumps_are_the_whole_string_serialisations(seed_graph, tmp_path, kind):
    """write_dataset streams each dump to its file (never the whole text in memory): the bytes are
    those of the whole-string writers, for an rdflib graph and for the build's Lines."""
    data = seed_graph if kind == "graph" else serialize.graph_lines(seed_graph)
    written = publish.write_dataset(data, tmp_path)
    assert [p.name for p in written] == list(publish.SERIALISERS)
    for name, serialise in publish.SERIALISERS.items():
        assert (tmp_path / name).read_bytes() == serialise(seed_graph).encode("utf-8"), name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary name left


def test_the_json_ld_chunks_are_one_node_each_and_join_to_the_document(seed_graph):
    from kyoyaku.publish.jsonld import compact_chunks

    chunks = list(compact_chunks(serialize.graph_lines(seed_graph), publish.context()))
    document = json.loads("".join(chunks))
    assert "".join(chunks) == publish.jsonld(seed_graph)
    assert len(chunks) == len(document["@graph"]) + 1  # a chunk per node, and the end
    assert list(compact_chunks(Graph(), publish.context())) == [publish.jsonld(Graph())]


def test_write_atomic_writes_chunks_as_they_come_and_nothing_if_they_fail(tmp_path):
    target = tmp_path / "out.nt"
    outputs.write_atomic(target, iter(["内", b"\xe5\xae\xb9", "\n"]))
    assert target.read_text(encoding="utf-8") == "内容\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"

    def failing():
        yield "half "
        raise ValueError("the source went away")

    with pytest.raises(ValueError, match="went away"):
        outputs.write_atomic(target, failing())
    assert target.read_text(encoding="utf-8") == "内容\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]  # the temporary file removed


def test_the_gzip_compressed_piece_by_piece_is_gzip_compress(tmp_path, monkeypatch):
    import gzip

    from kyoyaku.publish import site

    monkeypatch.setattr(site, "GZIP_CHUNK", 5)  # pieces cut anywhere, in a character too
    dump = tmp_path / "kyoyaku.nt"
    dump.write_bytes(("<http://example.org/s> <http://example.org/p> \"協約\" .\n" * 50).encode("utf-8"))
    packed = site.write_gzip(dump).read_bytes()
    assert packed == gzip.compress(dump.read_bytes(), compresslevel=site.GZIP_LEVEL, mtime=0)


def test_the_json_ld_is_the_same_when_its_cache_of_iri_texts_is_emptied_after_every_node(seed_graph, monkeypatch):
    """publish.jsonld keeps the JSON texts of at most IRI_CACHE_SIZE IRIs (a national dump's parts would
    hold hundreds of MB): emptied as often as can be, the document is the same."""
    from kyoyaku.publish import jsonld

    expected = publish.jsonld(serialize.graph_lines(seed_graph))
    monkeypatch.setattr(jsonld, "IRI_CACHE_SIZE", 0)
    assert publish.jsonld(serialize.graph_lines(seed_graph)) == expected == publish.jsonld(seed_graph)
