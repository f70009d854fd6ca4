"""The national registry: importing the compilation (data/sources/registry/ → data/registry/national/)
and what the build publishes from it. Query results on it: tests/sparql/test_queries_national.py."""

import csv
import shutil
import subprocess
import sys

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kyoyaku.errors import InputError, UsageError
from kyoyaku.graph.iris import DCTERMS, ELI, KYO, ORG
from kyoyaku.registry.importer import import_registry
from kyoyaku.registry.load import load_registry
from kyoyaku.shacl.validate import validate
from kyoyaku.sparql.store import load

from ..conftest import FIXTURES, NATIONAL, REGISTRY_SOURCE

B = "https://w3id.org/kyoyaku/"
TOYAMA_GOSEI = URIRef(B + "area/renkei-chusu/unstated-core-162027")
YAMAGUCHI = URIRef(B + "area/renkei-chusu/352039-352021")
INABA_TAJIMA = URIRef(B + "area/renkei-chusu/312011")
UBE, YAMAGUCHI_CITY = "352021", "352039"


@pytest.fixture(scope="module")
def graph():
    return load_registry(NATIONAL)


def rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def copy_source(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(REGISTRY_SOURCE, source)
    return source


def rewrite(path, edit):
    data = rows(path)
    edit(data)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(data[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)


# --- the import -----------------------------------------------------------------------------------


def test_the_compilation_has_65_areas_473_member_rows_251_dated():
    members, areas = rows(REGISTRY_SOURCE / "areas.csv"), rows(REGISTRY_SOURCE / "areas_summary.csv")
    assert (len(areas), len(members), sum(1 for r in members if r["agreement_date"])) == (65, 473, 251)
    assert sorted(r["framework"] for r in areas).count("teiju-jiritsu") == 30


def test_the_shipped_folder_is_exactly_what_the_import_writes(tmp_path):
    """Files and ownership marker: the shipped national/ is the import's own output, so the default
    `kyoyaku import-registry` (--into data/registry/national) may replace it."""
    result = import_registry(REGISTRY_SOURCE, tmp_path / "national")
    assert (result.areas, result.member_rows, result.dated_rows, result.amendments) == (65, 473, 251, 7)
    assert sorted(p.name for p in (tmp_path / "national").iterdir()) == sorted(p.name for p in NATIONAL.iterdir()) \
        == [".kyoyaku-output", "areas.csv", "events.csv", "members.csv", "stated_totals.csv"]
    for name in ("members.csv", "areas.csv", "events.csv", "stated_totals.csv", ".kyoyaku-output"):
        assert (tmp_path / "national" / name).read_bytes() == (NATIONAL / name).read_bytes(), name
    again = import_registry(REGISTRY_SOURCE, tmp_path / "national")  # re-import over its own output
    assert again.written == result.written


def test_the_default_import_replaces_a_copy_of_the_shipped_folder(tmp_path):
    """`kyoyaku import-registry` with its defaults, in a copy of the project's data/: the shipped
    national/ (marked as the import's) is rewritten, byte for byte the same."""
    data = tmp_path / "data"
    shutil.copytree(REGISTRY_SOURCE, data / "sources" / "registry")
    shutil.copytree(NATIONAL, data / "registry" / "national")
    done = subprocess.run([sys.executable, "-m", "kyoyaku.cli", "import-registry"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    for path in NATIONAL.iterdir():
        assert (data / "registry" / "national" / path.name).read_bytes() == path.read_bytes(), path.name


def test_rows_keep_their_order_values_and_notes_apart_from_the_amendments():
    source, converted = rows(REGISTRY_SOURCE / "areas.csv"), rows(NATIONAL / "members.csv")
    amended = {(r["area_name"], r["member"]) for r in rows(REGISTRY_SOURCE / "amendments.csv")}
    assert [(r["area_name"], r["member"]) for r in source] == [(r["area_name"], r["member"]) for r in converted]
    for before, after in zip(source, converted, strict=True):
        if (before["area_name"], before["member"]) in amended:
            assert after["note"].startswith(before["note"]) and "amended on import:" in after["note"]
            continue
        assert {k: v for k, v in after.items() if k != "agreement_core_code"} == before
        assert after["agreement_core_code"] == ""


def test_amendments_fill_the_code_of_shinonsen_and_name_ube_as_the_dated_agreements_core_city():
    converted = {(r["area_name"], r["member"]): r for r in rows(NATIONAL / "members.csv")}
    shinonsen = converted[("因幡・但馬麒麟のまち連携中枢都市圏", "新温泉町")]
    assert (shinonsen["member_code"], shinonsen["member_prefecture"]) == ("285862", "兵庫県")
    assert "amended on import: member_code (empty) → 285862" in shinonsen["note"]
    yamaguchi = [r for (area, _), r in converted.items() if area == "山口県央連携都市圏域"]
    assert sorted(r["agreement_core_code"] for r in yamaguchi) == ["", ""] + [UBE] * 5


def test_a_bad_source_row_names_the_compilation_file_and_line(tmp_path):
    source = copy_source(tmp_path)
    rewrite(source / "areas.csv", lambda data: data[4].update(member_code="999999"))
    with pytest.raises(InputError) as info:
        import_registry(source, tmp_path / "out")
    assert f"{source / 'areas.csv'}:6" in str(info.value) and "member_code" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_a_count_that_disagrees_with_the_rows_stops_the_import(tmp_path):
    source = copy_source(tmp_path)
    rewrite(source / "areas_summary.csv", lambda data: data[0].update(members_listed="13"))
    with pytest.raises(InputError) as info:
        import_registry(source, tmp_path / "out")
    assert f"{source / 'areas_summary.csv'}:2" in str(info.value) and "12 rows of 新潟広域都市圏" in str(info.value)


def test_an_amendment_must_match_one_row_and_give_its_reason(tmp_path):
    source = copy_source(tmp_path)
    out = tmp_path / "out"
    import_registry(source, out)
    before = (out / "members.csv").read_bytes()
    rewrite(source / "amendments.csv", lambda data: data[0].update(member="新温泉村"))
    with pytest.raises(InputError) as info:
        import_registry(source, out)
    assert "amendments.csv:2" in str(info.value) and "0 rows" in str(info.value)
    assert (out / "members.csv").read_bytes() == before  # nothing written on failure
    rewrite(source / "amendments.csv", lambda data: data[0].update(member="新温泉町", reason=""))
    with pytest.raises(InputError, match="amendments.csv:2: expected the reason"):
        import_registry(source, out)


def test_the_import_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(UsageError, match="notes exists and was not written by kyoyaku import-registry"):
        import_registry(REGISTRY_SOURCE, tmp_path / "notes")
    assert (tmp_path / "notes" / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_cli_import_registry(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "kyoyaku.cli", "import-registry", *map(str, args)],
                              capture_output=True, text=True, check=False)

    done = run(REGISTRY_SOURCE, "--into", tmp_path / "national")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported 65 area(s) and 473 member row(s) (251 dated), 7 amendment(s) applied")
    missing = run(tmp_path / "nothing", "--into", tmp_path / "national")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "nothing" in missing.stderr


# --- the graph ------------------------------------------------------------------------------------


def test_areas_memberships_and_records(graph):
    # 65 areas of areas.csv and 8 named only in events.csv (each with its core city as its one member);
    # 473 member rows, and 3 members only join events name (嬬恋村 in 上田, 吉富町 in 北九州 and 九州周防灘)
    assert len(set(graph.subjects(RDF.type, KYO.PartnershipArea))) == 65 + 8
    assert len(set(graph.subjects(RDF.type, ORG.Membership))) == 473 + 8 + 3
    records = set(graph.subjects(RDF.type, KYO.AgreementRecord))
    # 473 member rows less 68 core-city rows (two in each of 山口県央, 上十三・十和田湖, 北信 and 中海),
    # the 6 of とやま呉西 and the 14 of two-core areas that do not say with which core city
    # (上十三・十和田湖 8, 北信 4, 中海 2)
    # ... and the records of the 3 joins (one dated: 吉富町 in 九州周防灘, 2020-01-17)
    assert len(records) == 385 + 3
    # 5 undated rows take the date of their join event (山形 2, 有明 3)
    assert sum(1 for r in records if graph.value(r, ELI.date_document) is not None) == 235 + 5 + 1


def test_every_fact_traces_to_its_rows_source_page(graph):
    by_member = {}
    for row in rows(NATIONAL / "members.csv"):
        by_member.setdefault(row["member_code"], set()).update(row["source_url"].split())
    for row in rows(NATIONAL / "events.csv"):  # a join's page, and an area's known only from events
        for code in [row["member_code"]] * (row["event"] == "join") + row["core_code"].split(";"):
            by_member.setdefault(code, set()).update(row["source_url"].split())
    for node in set(graph.subjects(RDF.type, ORG.Membership)) | set(graph.subjects(RDF.type, KYO.AgreementRecord)):
        member = graph.value(node, ORG.member) or graph.value(URIRef(f"{node}/party/p2"), KYO.municipality)
        code = str(member).rsplit("/", 1)[1]
        sources = {str(s) for s in graph.objects(node, DCTERMS.source)}
        assert sources and sources <= by_member[code], node
    for area in graph.subjects(RDF.type, KYO.PartnershipArea):
        assert set(graph.objects(area, DCTERMS.source)), area


def test_the_compilers_notes_are_kept(graph):
    noted = [r for r in rows(NATIONAL / "members.csv") if r["note"]]
    membership_notes = [o for m in graph.subjects(RDF.type, ORG.Membership) for o in graph.objects(m, SKOS.editorialNote)]
    # and the memberships of the 3 members only join events name, with the join's note
    assert len(membership_notes) == len(noted) + 3 == 473 + 3
    assert any("COUNT MISMATCH" in str(n) for n in membership_notes)


def test_toyama_gosei_states_no_core_city_so_it_has_members_and_no_records(graph):
    assert graph.value(TOYAMA_GOSEI, RDFS.label) == Literal("とやま呉西圏域", lang="ja")
    assert graph.value(TOYAMA_GOSEI, KYO.coreCity) is None
    assert len(set(graph.objects(TOYAMA_GOSEI, ORG.hasMember))) == 6
    assert not list(graph.subjects(KYO.area, TOYAMA_GOSEI))
    joined = {graph.value(m, KYO.memberSince) for m in graph.subjects(ORG.organization, TOYAMA_GOSEI)}
    assert joined == {Literal("2016-10-03", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))}


def test_yamaguchi_has_two_core_cities_and_ubes_five_dated_agreements(graph):
    cores = sorted(str(c).rsplit("/", 1)[1] for c in graph.objects(YAMAGUCHI, KYO.coreCity))
    assert cores == [UBE, YAMAGUCHI_CITY]
    records = sorted(str(r) for r in graph.subjects(KYO.area, YAMAGUCHI))
    partners = ["325015", "352047", "352063", "352136", "352161"]
    assert records == [f"{B}agreement/{UBE}-{code}/2017-03-30" for code in partners]


def test_shinonsen_is_a_member_from_hyogo(graph):
    shinonsen = URIRef(B + "municipality/285862")
    assert (INABA_TAJIMA, ORG.hasMember, shinonsen) in graph
    assert graph.value(shinonsen, KYO.prefectureName) == Literal("兵庫県", lang="ja")


def test_members_of_two_areas_of_one_framework_are_warned_with_both_areas(national):
    dist, _ = national
    report = validate(load([dist / "kyoyaku.ttl"]))
    found = sorted((r.focus.removeprefix(B + "area/"), r.value.removeprefix(B + "area/"))
                   for r in report.results if r.shape == str(KYO.MemberOfTwoAreasShape))
    renkei = [
        # 二本松市, 本宮市 and 大玉村: ふくしま田園中枢都市圏 (福島市) and こおりやま広域圏 (郡山市)
        ("072010/member/072109", "072036"), ("072036/member/072109", "072010"),
        ("072010/member/072141", "072036"), ("072036/member/072141", "072010"),
        ("072010/member/073229", "072036"), ("072036/member/073229", "072010"),
        # 井原市 and 笠岡市: 備後圏域 (福山市) and 高梁川流域 (倉敷市); 総社市 and 早島町: 岡山 and 高梁川流域;
        # 竹原市: 備後圏域 and 広島中央地域 (呉市)
        ("342076/member/332071", "332020"), ("332020/member/332071", "342076"),
        ("342076/member/332054", "332020"), ("332020/member/332054", "342076"),
        ("331007/member/332089", "332020"), ("332020/member/332089", "331007"),
        ("331007/member/334235", "332020"), ("332020/member/334235", "331007"),
        ("342076/member/342033", "342025"), ("342025/member/342033", "342076"),
    ]
    teiju = [
        # 小坂町: 上十三・十和田湖 (十和田市・三沢市) and the 定住自立圏 of 大館市 (052043)
        ("022063-022071/member/053031", "052043"), ("052043/member/053031", "022063-022071"),
        # 三川町 and 庄内町: the 定住自立圏 of 鶴岡市 (062031) and of 酒田市 (062049)
        ("062031/member/064262", "062049"), ("062049/member/064262", "062031"),
        ("062031/member/064289", "062049"), ("062049/member/064289", "062031"),
        # 東御市: the 定住自立圏 of 上田市 (202037) and of 佐久市 (202177)
        ("202037/member/202193", "202177"), ("202177/member/202193", "202037"),
        # 志布志市: the 定住自立圏 of 都城市 (452025) and of 鹿屋市 (462039)
        ("452025/member/462217", "462039"), ("462039/member/462217", "452025"),
    ]
    assert found == sorted([(f"renkei-chusu/{m}", f"renkei-chusu/{a}") for m, a in renkei]
                           + [(f"teiju-jiritsu/{m}", f"teiju-jiritsu/{a}") for m, a in teiju])
    assert report.accepted and not report.conforms  # warnings only


def test_the_two_areas_warning_fixture_flags_both_memberships():
    fixture = FIXTURES / "shapes" / "invalid" / "member-of-two-areas-warning.ttl"
    base = "https://example.org/kyoyaku-test/member-of-two-areas-warning/"
    results = [(r.focus, r.value) for r in validate(load([fixture])).results]
    assert sorted(results) == [(base + "area/member/082368", base + "other-area"),
                               (base + "other-area/member/082368", base + "area")]


def test_import_registry_refuses_a_nul_naming_file_and_line(tmp_path, capsys):
    """A NUL byte in the compilation was imported into members.csv (exit 0)."""
    from kyoyaku.cli import main

    source = tmp_path / "compilation"
    shutil.copytree(REGISTRY_SOURCE, source)
    lines = (source / "areas.csv").read_bytes().split(b"\n")
    lines[6] = lines[6].replace(b",https://", b",\x00https://", 1)
    (source / "areas.csv").write_bytes(b"\n".join(lines))
    assert main(["import-registry", str(source), "--into", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (f"kyoyaku: {source / 'areas.csv'}:7: expected text without control characters, "
                                       "found 'U+0000'\n")
    assert not (tmp_path / "out").exists()
