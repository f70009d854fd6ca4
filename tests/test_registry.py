"""The いばらき県央 compilation of the area registry (data/registry/ibaraki-kenou/): areas,
memberships and agreement records, all sourced. The national one: tests/test_registry_national.py."""

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kyoyaku.build import build
from kyoyaku.errors import InputError
from kyoyaku.iris import DCTERMS, ELI, KYO, ORG
from kyoyaku.registry import drop_records, load_registry

from .conftest import ROOT, SEED, SEED_IRI

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
    assert not any(str(s).startswith(SEED_IRI) for s in kept.subjects())
    assert len(set(kept.subjects(RDF.type, KYO.AgreementRecord))) == 15


def test_build_publishes_the_seed_as_full_text_with_the_other_records(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    result = build(sources, tmp_path / "dist", registry=REGISTRY)
    g, seed = result.graph, URIRef(SEED_IRI)
    assert (seed, RDF.type, KYO.AgreementRecord) not in g and g.value(seed, DCTERMS.source) is None
    assert g.value(seed, KYO.area) == KENOU and len(set(g.subjects(RDF.type, KYO.AgreementRecord))) == 15
    assert result.report.conforms
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
