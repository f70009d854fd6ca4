"""Amending agreements, their changes and consolidated versions as kyoyaku build publishes them
(graph.amendments), `kyoyaku render --at`, and the query amendment-fields, on the seed and the
synthetic teiju-term.txt with the fictional amending agreements of tests/fixtures/amendments/."""

from __future__ import annotations

import shutil

import pytest
from rdflib import RDF, XSD, Literal, URIRef

from kyoyaku.graph.iris import DCTERMS, ELI, KYO, PROV
from kyoyaku.graph.render import render
from kyoyaku.sparql.query import find_query, run
from kyoyaku.sparql.store import load, open_store

from ..conftest import AMENDMENTS, FIXTURES, SEED, SEED_IRI, B, cli

FIRST = URIRef(B + "agreement/082015-082368/2023-03-20")
SECOND = URIRef(B + "agreement/082015-082368/2024-03-29")
TEIJU = URIRef(B + "agreement/122050-124630/2020-04-01")
TEIJU_AMENDING = URIRef(B + "agreement/122050-124630/2022-03-25")
SEED_NODE = URIRef(SEED_IRI)
V1 = URIRef(SEED_IRI + "/version/2023-04-01")
V2 = URIRef(SEED_IRI + "/version/2024-03-29")
CK = B + "concept/change-kind/"


@pytest.fixture(scope="module")
def graph(amended):
    dist, _ = amended
    return load([dist / "kyoyaku.nt"])


def date(text):
    return Literal(text, datatype=XSD.date)


def test_an_amending_agreement_is_a_work_of_its_own_that_amends_the_agreement(graph):
    assert set(graph.objects(FIRST, RDF.type)) == {KYO.AmendingAgreement}  # not a kyo:Agreement
    assert (FIRST, ELI.amends, SEED_NODE) in graph
    assert graph.value(FIRST, ELI.date_document) == date("2023-03-20")
    assert graph.value(FIRST, ELI.first_date_entry_in_force) == date("2023-04-01")
    assert str(graph.value(FIRST, ELI.title)) == "いばらき県央地域連携中枢都市圏の形成に関する連携協約の一部を変更する連携協約"
    assert graph.value(FIRST, KYO.area) == URIRef(B + "area/renkei-chusu/082015")
    assert str(graph.value(URIRef(f"{FIRST}/supplementary"), KYO.text)) == "附　則\nこの連携協約は、令和5年4月1日から施行する。"
    assert (TEIJU_AMENDING, ELI.amends, TEIJU) in graph
    assert graph.value(SECOND, ELI.first_date_entry_in_force) == date("2024-03-29")  # 締結の日から
    # every count of agreements stays as it was: two full texts
    assert set(graph.subjects(RDF.type, KYO.Agreement)) == {SEED_NODE, TEIJU}


def test_its_changes_with_kind_target_words_and_line(graph):
    changes = sorted(graph.objects(FIRST, KYO.change), key=lambda c: int(graph.value(c, KYO.ordinal)))
    assert changes == [URIRef(f"{FIRST}/change_{n}") for n in range(1, 7)]
    seen = [(str(graph.value(c, KYO.changeKind)).removeprefix(CK), str(graph.value(c, KYO.target)).removeprefix(SEED_IRI),
             int(graph.value(c, KYO.sourceLine))) for c in changes]
    assert seen == [("replace-text", "/art_5", 5), ("replace-text", "/art_6__para_2", 7), ("replace", "/art_7", 9),
                    ("replace-text", "/annex_1/item_1", 15), ("delete", "/annex_1/item_13", 17),
                    ("insert", "/annex_1/item_15", 19)]
    assert (str(graph.value(changes[0], KYO.oldText)), str(graph.value(changes[0], KYO.newText))) == ("定期的に", "毎年度1回以上")
    assert graph.value(changes[0], KYO.oldText).language == "ja"
    assert str(graph.value(changes[0], KYO.text)) == "第5条中「定期的に」を「毎年度1回以上」に改める。"
    assert str(graph.value(changes[5], KYO.newText)).startswith("地産地消\t圏域内の農産物の直売")
    assert graph.value(changes[4], KYO.newText) is None and graph.value(changes[4], KYO.oldText) is None


def test_the_versions_of_the_amended_agreement(graph):
    assert set(graph.objects(SEED_NODE, KYO.version)) == {V1, V2}
    assert set(graph.objects(V1, RDF.type)) == {KYO.ConsolidatedVersion}
    assert set(graph.objects(V1, ELI.consolidates)) == {SEED_NODE, FIRST}
    assert set(graph.objects(V2, ELI.consolidates)) == {SEED_NODE, FIRST, SECOND}
    assert graph.value(V1, ELI.first_date_entry_in_force) == date("2023-04-01")
    assert graph.value(V1, ELI.date_no_longer_in_force) == date("2024-03-28")  # ELI: its last day in force
    assert graph.value(V2, ELI.date_no_longer_in_force) is None
    assert set(graph.objects(TEIJU, KYO.version)) == {URIRef(f"{TEIJU}/version/2022-04-01")}


def test_changed_parts_replace_the_parts_before_them_and_name_their_change(graph):
    replaces = {(str(new).removeprefix(SEED_IRI), str(old).removeprefix(SEED_IRI))
                for new, old in graph.subject_objects(DCTERMS.replaces) if str(new).startswith(SEED_IRI)}
    assert replaces == {
        ("/version/2023-04-01/art_5__para_1", "/art_5__para_1"),
        ("/version/2023-04-01/art_6__para_2", "/art_6__para_2"),
        ("/version/2023-04-01/art_7", "/art_7"),
        ("/version/2023-04-01/annex_1/item_1", "/annex_1/item_1"),
        # the second amendment replaces a row of the text in force before it: the first version's
        ("/version/2024-03-29/annex_1/item_7", "/version/2023-04-01/annex_1/item_7"),
    }
    inserted = URIRef(f"{V1}/annex_1/item_15")
    assert str(graph.value(inserted, KYO.category)) == "地産地消"
    assert graph.value(inserted, PROV.wasDerivedFrom) == URIRef(f"{FIRST}/change_6")
    assert graph.value(inserted, DCTERMS.replaces) is None  # added, replacing nothing
    assert graph.value(URIRef(f"{V2}/art_5-2"), PROV.wasDerivedFrom) == URIRef(f"{SECOND}/change_1")
    # a version's rows are not the agreement's: the queries count the agreement's own once
    assert graph.value(inserted, KYO.partOfAgreement) is None
    assert len(set(graph.subjects(KYO.partOfAgreement, SEED_NODE))) == 16


def test_render_at_a_date_prints_the_text_in_force(graph):
    own = render(graph, SEED_NODE)
    assert render(graph, SEED_NODE, at="2022-02-21") == own
    assert render(graph, SEED_NODE, at="2023-03-31") == own  # signed on 2023-03-20, in force from 04-01
    expected = (AMENDMENTS / "seed-in-force-2023-04-01.expected").read_text(encoding="utf-8")
    assert render(graph, SEED_NODE, at="2023-04-01") == expected
    assert render(graph, SEED_NODE, at="2024-03-28") == expected
    # the second amendment: an article inserted after 第5条 and one row's text replaced, nothing else
    later = render(graph, SEED_NODE, at="2024-03-29")
    inserted = "（情報の共有）\n第５条の２ 甲及び乙は、連携する取組の実施状況に関する情報を相互に共有するものとする。\n"
    assert later.index(inserted) == later.index("（連携協約の失効）")  - len(inserted)
    assert later.replace(inserted, "").replace("行政のデジタル化の支援など", "社会実験など") == expected


def test_render_at_on_the_command_line(amended):
    dist, _ = amended
    data = dist / "kyoyaku.ttl"
    result = cli("render", SEED_IRI, "--data", data, "--at", "2023-04-01")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (AMENDMENTS / "seed-in-force-2023-04-01.expected").read_text(encoding="utf-8")
    before = cli("render", SEED_IRI, "--data", data, "--at", "2022-02-20")
    assert (before.returncode, before.stdout) == (2, "")
    assert before.stderr == f"kyoyaku: {data}: expected a date on or after the agreement's date (2022-02-21), found '2022-02-20'\n"
    malformed = cli("render", SEED_IRI, "--data", data, "--at", "2023/04/01")
    assert (malformed.returncode, malformed.stdout) == (2, "")
    assert malformed.stderr == f"kyoyaku: {data}: expected --at DATE as YYYY-MM-DD, found '2023/04/01'\n"


def test_the_teiju_version_renders_its_new_appendix(graph):
    text = render(graph, TEIJU, at="2022-04-01")
    assert "第5条 甲及び乙は、定住自立圏共生ビジョンの策定及び推進に当たり、毎年度協議を行うものとする。" in text
    tail = text[text.index("別表（第３条関係）"):]
    assert tail.splitlines() == [
        "別表（第３条関係）",
        "1 生活機能の強化に係る政策分野",
        "区分\t連携する取組\t甲の役割\t乙の役割",
        "医療\t地域の医療機関の連携による救急医療体制の確保など、地域医療の充実に取り組む。\t中心市として乙と連携して救急医療体制の確保に主体的に取り組む。\t甲と連携して救急医療体制の確保に取り組む。",
        "福祉\t高齢者の見守りや介護人材の確保など、福祉の充実に取り組む。\t乙と連携して福祉の充実に主体的に取り組む。\t甲と連携して福祉の充実に取り組む。",
        "2 結び付きやネットワークの強化に係る政策分野",
        "区分\t連携する取組\t甲の役割\t乙の役割",
        "地域公共交通\t圏域内を結ぶ公共交通の維持・確保に取り組む。\t乙と連携して公共交通の維持・確保に主体的に取り組む。\t甲と連携して公共交通の維持・確保に取り組む。",
        "3 圏域マネジメント能力の強化に係る政策分野",
        "区分\t連携する取組\t甲の役割\t乙の役割",
        "人材の育成\t合同研修の開催など、圏域の職員の育成に取り組む。\t乙と連携して職員の育成に主体的に取り組む。\t甲と連携して職員の育成に取り組む。",
    ]
    assert URIRef(f"{TEIJU}/version/2022-04-01/annex_1") in set(graph.subjects(DCTERMS.replaces, URIRef(f"{TEIJU}/annex_1")))


PF, TPF = B + "concept/policy-field/", B + "concept/teiju-policy-field/"


def test_amendment_fields_pinned(amended):
    """Each row from the facts: the first seed amendment deletes the 環境 row (environment dropped)
    and inserts 地産地消 (local-production added); the second changes a row's words only (no row);
    the 定住自立圏 amendment's new 別表 drops 産業振興 (no national field; 定住自立圏 産業振興) and adds
    福祉 and 人材の育成 (national welfare, human-resources; 定住自立圏 welfare, human-resources)."""
    dist, _ = amended
    store = open_store([dist / "kyoyaku.ttl"])
    table = run(store, find_query("amendment-fields"), {})
    assert table.columns == ["agreement", "version", "in_force_from", "amending", "change", "field", "field_label"]
    rows = [tuple(row) for row in table.rows]
    seed, teiju = SEED_IRI, str(TEIJU)
    assert rows == [
        (seed, str(V1), "2023-04-01", str(FIRST), "added", PF + "local-production", "地域の生産者や消費者等の連携による地産地消"),
        (seed, str(V1), "2023-04-01", str(FIRST), "dropped", PF + "environment", "環境"),
        (teiju, f"{teiju}/version/2022-04-01", "2022-04-01", str(TEIJU_AMENDING), "added", PF + "human-resources", "人材の育成"),
        (teiju, f"{teiju}/version/2022-04-01", "2022-04-01", str(TEIJU_AMENDING), "added", PF + "welfare", "福祉"),
        (teiju, f"{teiju}/version/2022-04-01", "2022-04-01", str(TEIJU_AMENDING), "added", TPF + "human-resources",
         TEIJU_LABELS["human-resources"]),
        (teiju, f"{teiju}/version/2022-04-01", "2022-04-01", str(TEIJU_AMENDING), "added", TPF + "welfare", "福祉"),
        (teiju, f"{teiju}/version/2022-04-01", "2022-04-01", str(TEIJU_AMENDING), "dropped", TPF + "industry", "産業振興"),
    ]


TEIJU_LABELS = {"human-resources": "宣言中心市等における人材の育成"}


def test_an_amending_agreement_without_the_agreement_it_amends_is_published_with_a_warning(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(FIXTURES / "amendments" / "mito-omitama-2023-03-20.txt", sources)
    shutil.copy(FIXTURES / "family" / "teiju-term.txt", sources)
    result = cli("build", "--sources", sources, "--out", tmp_path / "dist", "--no-registry", "--quiet")
    assert result.returncode == 0, result.stderr
    assert ("mito-omitama-2023-03-20.txt:3: warning: the agreement it amends (令和4年2月21日, 水戸市・小美玉市) is not "
            "among the sources: published without a consolidated version") in result.stderr.splitlines()
    assert result.stdout.startswith("built 1 agreement(s) from full texts, 1 amending agreement(s) and 0 registry record(s)")
    graph = load([tmp_path / "dist" / "kyoyaku.nt"])
    assert (FIRST, ELI.amends, SEED_NODE) in graph  # the IRI its preamble names, though no text of it is here
    assert graph.value(URIRef(f"{FIRST}/change_5"), KYO.target) == URIRef(SEED_IRI + "/annex_1")  # no row number known
    assert list(graph.subjects(RDF.type, KYO.ConsolidatedVersion)) == []


def test_a_change_that_cannot_be_applied_is_a_build_warning_and_no_version(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SEED, sources)
    text = (AMENDMENTS / "mito-omitama-2023-03-20.txt").read_text(encoding="utf-8")
    (sources / "broken.txt").write_text(text.replace("第5条中「定期的に」", "第5条中「毎月」"), encoding="utf-8")
    result = cli("build", "--sources", sources, "--out", tmp_path / "dist", "--no-registry", "--quiet")
    assert result.returncode == 0, result.stderr
    assert ("broken.txt:5: warning: replace-text 第5条: 「毎月」 is not in its text; no consolidated text is made"
            in result.stderr.splitlines())
    graph = load([tmp_path / "dist" / "kyoyaku.nt"])
    assert (URIRef(SEED_IRI), KYO.version, None) not in graph
    assert (FIRST, RDF.type, KYO.AmendingAgreement) in graph


def test_every_kyo_term_of_amendments_is_defined_bilingually_and_every_kind_is_in_its_scheme(graph):
    from rdflib import RDFS, Graph
    from rdflib.namespace import SKOS

    from kyoyaku.resources import ontology_dir
    from kyoyaku.shacl.shapes import reference_graph

    onto = Graph().parse(ontology_dir() / "kyoyaku.ttl")
    terms = {KYO.AmendingAgreement, KYO.ConsolidatedVersion, KYO.Change, KYO.change, KYO.changeKind, KYO.target,
             KYO.oldText, KYO.newText, KYO.version, KYO.supplementaryProvisions}
    used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(KYO))}
    assert terms <= used
    for term in terms:
        assert {o.language for o in onto.objects(term, RDFS.label)} >= {"ja", "en"}, term
        assert {o.language for o in onto.objects(term, RDFS.comment)} >= {"ja", "en"}, term
    reference = reference_graph()
    kinds = set(graph.objects(None, KYO.changeKind))
    assert {str(k).removeprefix(CK) for k in kinds} == {"replace-text", "replace", "insert", "delete"}
    for kind in kinds:
        assert (kind, SKOS.inScheme, URIRef(B + "concept/change-kind")) in reference
