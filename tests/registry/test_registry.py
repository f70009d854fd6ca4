"""The いばらき県央 compilation of the area registry (data/registry/ibaraki-kenou/): areas,
memberships and agreement records, all sourced. The national one: tests/registry/test_registry_national.py."""

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kyoyaku.errors import InputError
from kyoyaku.graph.iris import DCTERMS, ELI, KYO, ORG
from kyoyaku.pipeline import build
from kyoyaku.registry.load import drop_records, load_registry

from ..conftest import ROOT, SEED, SEED_IRI

REGISTRY = ROOT / "data" / "registry" / "ibaraki-kenou"
B = "https://w3id.org/kyoyaku/"
KENOU = URIRef(B + "area/renkei-chusu/082015")
TEIJU = URIRef(B + "area/teiju-jiritsu/082015")
PARTNERS = ["082163", "082210", "082261", "082368", "083020", "083097", "083101", "083411"]


@pytest.fixture(scope="module")
def registry():
    return load_registry(REGISTRY)


def test_ibaraki_kenou_area_and_its_predecessor(registry):
    assert registry.value(KENOU, RDFS.label) == Literal("いばらき県央地域連携中枢都市圏", lang="ja")
    assert registry.value(TEIJU, RDFS.label) == Literal("茨城県央地域定住自立圏", lang="ja")
    assert registry.value(KENOU, DCTERMS.replaces) == TEIJU
    assert registry.value(TEIJU, KYO.formedInFiscalYear) == Literal(2016)
    for area in (KENOU, TEIJU):
        assert registry.value(area, KYO.coreCity) == URIRef(B + "municipality/082015")
        members = sorted(str(m).rsplit("/", 1)[1] for m in registry.objects(area, ORG.hasMember))
        assert members == sorted(["082015", *PARTNERS])
        assert registry.value(area, KYO.statedMemberCount) == Literal(9)


def test_eight_dated_records_of_2022_02_21_and_eight_undated_teiju_records(registry):
    records = set(registry.subjects(RDF.type, KYO.AgreementRecord))
    assert len(records) == 16
    dated = {r for r in records if registry.value(r, ELI.date_document) is not None}
    assert sorted(str(r) for r in dated) == [f"{B}agreement/082015-{c}/2022-02-21" for c in PARTNERS]
    assert {registry.value(r, KYO.area) for r in dated} == {KENOU}
    undated = records - dated
    assert sorted(str(r) for r in undated) == [f"{B}agreement/082015-{c}/undated-teiju-jiritsu" for c in PARTNERS]
    assert {registry.value(r, KYO.area) for r in undated} == {TEIJU}


def test_every_area_membership_and_record_has_a_source_page(registry):
    nodes = (set(registry.subjects(RDF.type, KYO.PartnershipArea)) | set(registry.subjects(RDF.type, ORG.Membership))
             | set(registry.subjects(RDF.type, KYO.AgreementRecord)))
    assert len(nodes) == 2 + 18 + 16
    for node in nodes:
        sources = {str(s) for s in registry.objects(node, DCTERMS.source)}
        assert sources and all(s.startswith("https://www.city.") for s in sources), node
    assert all(n.language == "en" for n in registry.objects(None, SKOS.editorialNote))


def test_municipality_names_come_from_the_national_list(registry):
    assert registry.value(URIRef(B + "municipality/083411"), RDFS.label) == Literal("東海村", lang="ja")


def test_a_full_text_replaces_its_record(registry):
    seed = URIRef(SEED_IRI)
    assert (seed, RDF.type, KYO.AgreementRecord) in registry
    kept = drop_records(registry, {seed})
    # of the record, only its source pages stay: they become the full text's (same IRI)
    assert {t for t in kept if str(t[0]).startswith(SEED_IRI)} == {
        (seed, DCTERMS.source, URIRef("https://www.city.mito.lg.jp/site/central-area-of-ibaraki-prefecture-renkei-chusu/")),
        (seed, DCTERMS.source, URIRef("https://www.city.naka.lg.jp/gyousei/ijyu-teijyu/page008428.html"))}
    assert len(set(kept.subjects(RDF.type, KYO.AgreementRecord))) == 15


def test_build_publishes_the_seed_as_full_text_with_the_other_records(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    result = build(sources, tmp_path / "dist", registry=REGISTRY)
    g, seed = result.graph, URIRef(SEED_IRI)
    assert (seed, RDF.type, KYO.AgreementRecord) not in g and (seed, SKOS.editorialNote, None) not in g
    assert set(g.objects(seed, DCTERMS.source)) == {  # the record's pages kept (no sources.csv in this folder)
        URIRef("https://www.city.mito.lg.jp/site/central-area-of-ibaraki-prefecture-renkei-chusu/"),
        URIRef("https://www.city.naka.lg.jp/gyousei/ijyu-teijyu/page008428.html")}
    assert g.value(seed, KYO.area) == KENOU and len(set(g.subjects(RDF.type, KYO.AgreementRecord))) == 15
    assert result.report.accepted and not result.report.conforms  # the undated records: warnings
    assert {r.shape.rsplit("#", 1)[1] for r in result.report.results} == {"AgreementRecordDateShape"}


@pytest.mark.parametrize("column,value,expected", [
    ("member_code", "999999", "member_code: a 6-digit code in the national list"),
    ("agreement_date", "2022/02/21", "agreement_date: an ISO date YYYY-MM-DD"),
    ("framework", "kouiki", "framework renkei-chusu or teiju-jiritsu"),
    ("source_url", "", "source_url: one or more http(s) URLs"),
])
def test_a_bad_row_names_its_file_and_line(tmp_path, column, value, expected):
    import csv
    import shutil

    folder = tmp_path / "registry" / "bad"
    shutil.copytree(REGISTRY, folder)
    rows = list(csv.DictReader((folder / "members.csv").open(encoding="utf-8")))
    rows[2][column] = value  # the third data row: line 4 of the file
    with (folder / "members.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    if column == "framework":
        expected = "an area (name and framework) listed in areas.csv"
    with pytest.raises(InputError) as info:
        load_registry(tmp_path / "registry")
    assert "members.csv:4" in str(info.value) and expected in str(info.value)


def test_an_empty_registry_folder_is_refused(tmp_path):
    """`--registry` at an empty folder published 0 records, exit 0."""
    empty = tmp_path / "registry"
    empty.mkdir()
    with pytest.raises(InputError) as info:
        load_registry(empty)
    assert str(info.value) == (f"{empty}: expected a registry folder (members.csv + areas.csv, "
                               "data/registry/README.md) or a folder of them, found 'no members.csv and no sub-folder'")


def test_the_raw_compilation_is_refused_with_how_to_import_it(tmp_path):
    """`--registry data/sources/registry` (what import-registry reads) published 0 records, exit 0."""
    compilation = ROOT / "data" / "sources" / "registry"
    for directory in (compilation, compilation.parent):  # the compilation itself, or a folder holding it
        with pytest.raises(InputError) as info:
            load_registry(directory)
        assert str(info.value) == (
            f"{compilation}: expected a registry folder (members.csv + areas.csv), found 'a registry compilation "
            f"(areas.csv + areas_summary.csv): convert it first with `kyoyaku import-registry {compilation} "
            "--into FOLDER` and give FOLDER'")


def test_a_sub_folder_without_members_and_a_registry_without_areas_are_refused(tmp_path):
    registry = tmp_path / "registry"
    (registry / "notes").mkdir(parents=True)
    with pytest.raises(InputError, match=r"notes: expected a registry folder: members\.csv \+ areas\.csv .*"
                                         r"found 'no members\.csv'"):
        load_registry(registry)
    headers_only = tmp_path / "headers-only"
    headers_only.mkdir()
    for name in ("members.csv", "areas.csv"):
        header = (REGISTRY / name).read_text(encoding="utf-8").splitlines()[0]
        (headers_only / name).write_text(header + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_registry(headers_only)
    assert str(info.value) == (f"{headers_only / 'areas.csv'}: expected at least one area row "
                               "(data/registry/README.md), found 'none'")


@pytest.mark.parametrize("insert, expected", [
    (b"\x00", "expected text without control characters, found 'U+0000'"),
    (b"\xff", "expected a UTF-8 CSV file, found 'byte 0xff (not UTF-8)'"),
], ids=["nul", "not-utf-8"])
def test_a_nul_or_a_bad_byte_names_the_line(tmp_path, insert, expected):
    """import-registry took a NUL into a note; an encoding error named no line."""
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "areas.csv").write_bytes((REGISTRY / "areas.csv").read_bytes())
    lines = (REGISTRY / "members.csv").read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b",", b"," + insert, 1)
    (folder / "members.csv").write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as info:
        load_registry(folder)
    assert str(info.value) == f"{folder / 'members.csv'}:5: {expected}"
