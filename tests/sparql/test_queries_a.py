"""Expected results of the report queries fields-across-area, leadership, leadership-balance,
compare-agreements, clauses-compared and agreements-per-year on the query-test corpus.

Every expected row comes from the facts, not from a run: the seed text
data/sources/mito-omitama-2022-02-21.txt (16 rows of its 別表, all led by 甲 水戸市), the synthetic
texts described in tests/fixtures/corpus/README.md and the registry CSVs of data/registry/ (8 records
of the いばらき県央 連携協約 of 2022-02-21, one of them replaced by the seed's full text, and 8 undated
records of the 茨城県央地域定住自立圏). Field labels are the skos:prefLabel@ja of
ontology/concepts-policy-field.ttl; 区分 map to fields by data/policy-field-mapping.csv.
"""

from __future__ import annotations

import pytest

from kyoyaku.sparql.query import find_query, run

from ..conftest import (
    HIGASHIKAGURA_2021 as HIGASHIKAGURA,
)
from ..conftest import (
    KAMIKAWA_RENKEI as KAMIKAWA,
)
from ..conftest import (
    KAMIKAWA_TEIJU,
    KENOU,
    KENOU_TEIJU,
    B,
)
from ..conftest import (
    SEED_IRI as SEED,
)
from ..conftest import (
    TAKASU_2019 as TAKASU,
)
from ..conftest import (
    TEIJU_2016 as TEIJU,
)

PF = B + "concept/policy-field/"
KASAMA_RECORD = B + "agreement/082015-082163/2022-02-21"

# national policy field → its Japanese label (ontology/concepts-policy-field.ttl)
LABEL = {
    "industry-cluster": "産業クラスターの形成、イノベーション実現、新規創業促進、地域の中堅企業等を核とした戦略産業の育成",
    "local-resources": "地域資源を活用した地域経済の裾野拡大",
    "tourism": "戦略的な観光施策",
    "advanced-medical": "高度な医療サービスの提供",
    "central-hub-transport": "高度な中心拠点の整備・広域的公共交通網の構築",
    "higher-education": "高等教育・研究開発の環境整備",
    "other-urban-functions": "その他、高次の都市機能の集積・強化に係る施策",
    "community-medicine": "地域医療",
    "welfare": "福祉",
    "education-culture-sports": "教育・文化・スポーツ",
    "regional-promotion": "地域振興",
    "disaster-prevention": "災害対策",
    "environment": "環境",
    "public-transport": "地域公共交通",
    "exchange-migration": "地域内外の住民との交流・移住",
    "human-resources": "人材の育成",
}

# 区分 → national field (data/policy-field-mapping.csv), for the 区分 used in the corpus
FIELD = {
    "企業や産業の育成・支援": "industry-cluster",
    "地域資源を活用した産業振興": "local-resources",
    "戦略的な観光施策": "tourism",
    "高度な医療サービスの提供": "advanced-medical",
    "広域的公共交通ネットワークの構築": "central-hub-transport",
    "高等教育の環境整備": "higher-education",
    "高度なICT環境の整備": "other-urban-functions",
    "地域医療": "community-medicine",
    "福祉": "welfare",
    "教育・文化・スポーツ": "education-culture-sports",
    "地域振興": "regional-promotion",
    "災害対策": "disaster-prevention",
    "環境": "environment",
    "地域公共交通": "public-transport",
    "移住・定住促進": "exchange-migration",
    "人材の育成": "human-resources",
}

# The rows of each full text in order: (区分, leading party 甲|乙)
SEED_ROWS = [(category, "甲") for category in [
    "企業や産業の育成・支援", "地域資源を活用した産業振興", "戦略的な観光施策",  # 別表 1
    "高度な医療サービスの提供", "広域的公共交通ネットワークの構築", "高等教育の環境整備", "高度なICT環境の整備",  # 2
    "地域医療", "福祉", "教育・文化・スポーツ", "地域振興", "災害対策", "環境",  # 3 (1)
    "地域公共交通", "移住・定住促進",  # 3 (2)
    "人材の育成",  # 3 (3)
]]
TAKASU_ROWS = [("企業や産業の育成・支援", "甲"), ("戦略的な観光施策", "甲"), ("高度な医療サービスの提供", "甲"),
               ("地域医療", "甲"), ("福祉", "甲"), ("地域公共交通", "甲")]
HIGASHIKAGURA_ROWS = [("企業や産業の育成・支援", "甲"), ("地域資源を活用した産業振興", "乙"), ("高等教育の環境整備", "甲"),
                      ("地域医療", "甲"), ("教育・文化・スポーツ", "甲"), ("移住・定住促進", "甲")]
TEIJU_ROWS = [("地域医療", "甲"), ("地域公共交通", "甲"), ("人材の育成", "乙")]

# (甲, 乙) of each full text
PARTIES = {SEED: ("水戸市", "小美玉市"), TAKASU: ("旭川市", "鷹栖町"), HIGASHIKAGURA: ("旭川市", "東神楽町"),
           TEIJU: ("旭川市", "鷹栖町")}
ROWS = {SEED: SEED_ROWS, TAKASU: TAKASU_ROWS, HIGASHIKAGURA: HIGASHIKAGURA_ROWS, TEIJU: TEIJU_ROWS}


def table(corpus, name, **params):
    _, store = corpus
    return run(store, find_query(name), params)


def test_the_expected_rows_agree_with_the_readme_counts():
    # 16 seed rows; corpus: 15 rows, 13 led by 甲 and 2 by 乙
    assert len(SEED_ROWS) == 16
    corpus_rows = TAKASU_ROWS + HIGASHIKAGURA_ROWS + TEIJU_ROWS
    assert len(corpus_rows) == 15
    assert sum(lead == "乙" for _, lead in corpus_rows) == 2


# fields-across-area -------------------------------------------------------------------------------

def test_fields_across_area_kamikawa_two_full_texts(corpus):
    result = table(corpus, "fields-across-area", area=KAMIKAWA)
    assert result.columns == ["field", "field_label", "agreements", "full_texts", "coverage"]
    both = ["community-medicine", "industry-cluster"]  # 地域医療, 企業や産業の育成・支援
    some = sorted(["tourism", "advanced-medical", "welfare", "public-transport",  # only 鷹栖町
                   "local-resources", "higher-education", "education-culture-sports", "exchange-migration"])
    expected = ([[PF + f, LABEL[f], 2, 2, "all"] for f in both]
                + [[PF + f, LABEL[f], 1, 2, "some"] for f in some])
    assert result.rows == expected


def test_fields_across_area_kenou_counts_the_full_text_only_not_the_records(corpus):
    # the area has the seed's full text and 7 registry records: only the full text counts
    result = table(corpus, "fields-across-area", area=KENOU)
    assert result.rows == [[PF + f, LABEL[f], 1, 1, "all"] for f in sorted(LABEL)]
    assert len(result.rows) == 16


def test_fields_across_area_teiju_areas(corpus):
    assert table(corpus, "fields-across-area", area=KAMIKAWA_TEIJU).rows == [
        [PF + f, LABEL[f], 1, 1, "all"] for f in ["community-medicine", "human-resources", "public-transport"]]
    # records only (undated 定住自立圏形成協定): no full text, no field
    assert table(corpus, "fields-across-area", area=KENOU_TEIJU).rows == []


# leadership -------------------------------------------------------------------------------------------

def test_leadership_every_row_with_its_leader(corpus):
    result = table(corpus, "leadership")
    assert result.columns == ["agreement", "row", "category", "field_label", "leaders", "leader_designations"]
    expected = []
    for agreement in sorted(ROWS):  # TEIJU (2016), TAKASU (2019), HIGASHIKAGURA (2021), SEED (082015…)
        kou, otsu = PARTIES[agreement]
        for number, (category, lead) in enumerate(ROWS[agreement], start=1):
            expected.append([agreement, number, category, LABEL[FIELD[category]],
                             kou if lead == "甲" else otsu, lead])
    assert result.rows == expected
    assert len(result.rows) == 31
    assert [r[:3] + r[4:] for r in result.rows if r[5] == "乙"] == [
        [TEIJU, 3, "人材の育成", "鷹栖町", "乙"],
        [HIGASHIKAGURA, 2, "地域資源を活用した産業振興", "東神楽町", "乙"],
    ]


# leadership-balance ---------------------------------------------------------------------------------

def test_leadership_balance(corpus):
    result = table(corpus, "leadership-balance")
    assert result.columns == ["agreement", "party", "designation", "municipality_name", "role", "leads", "rows"]
    assert result.rows == [
        [TEIJU, TEIJU + "/party/kou", "甲", "旭川市", "core-city", 2, 3],
        [TEIJU, TEIJU + "/party/otsu", "乙", "鷹栖町", "partner", 1, 3],
        [TAKASU, TAKASU + "/party/kou", "甲", "旭川市", "core-city", 6, 6],
        [TAKASU, TAKASU + "/party/otsu", "乙", "鷹栖町", "partner", 0, 6],
        [HIGASHIKAGURA, HIGASHIKAGURA + "/party/kou", "甲", "旭川市", "core-city", 5, 6],
        [HIGASHIKAGURA, HIGASHIKAGURA + "/party/otsu", "乙", "東神楽町", "partner", 1, 6],
        [SEED, SEED + "/party/kou", "甲", "水戸市", "core-city", 16, 16],
        [SEED, SEED + "/party/otsu", "乙", "小美玉市", "partner", 0, 16],
    ]
    # consistent with the row lists above
    for agreement, rows in ROWS.items():
        kou, otsu = [r for r in result.rows if r[0] == agreement]
        assert kou[5] == sum(lead == "甲" for _, lead in rows) and otsu[5] == sum(lead == "乙" for _, lead in rows)
        assert kou[6] == otsu[6] == len(rows)


# compare-agreements ---------------------------------------------------------------------------------

def expected_comparison(rows_a, rows_b):
    by_field_a = {FIELD[c]: c for c, _ in rows_a}
    by_field_b = {FIELD[c]: c for c, _ in rows_b}
    out = []
    for f in sorted(set(by_field_a) | set(by_field_b)):
        a, b = by_field_a.get(f, ""), by_field_b.get(f, "")
        status = "only-b" if not a else "only-a" if not b else "same-wording" if a == b else "different-wording"
        out.append([PF + f, LABEL[f], a, b, status])
    return out


def test_compare_the_two_renkei_agreements_of_kamikawa(corpus):
    result = table(corpus, "compare-agreements", a=TAKASU, b=HIGASHIKAGURA)
    assert result.columns == ["field", "field_label", "category_a", "category_b", "status"]
    assert result.rows == [
        [PF + "advanced-medical", LABEL["advanced-medical"], "高度な医療サービスの提供", "", "only-a"],
        [PF + "community-medicine", "地域医療", "地域医療", "地域医療", "same-wording"],
        [PF + "education-culture-sports", "教育・文化・スポーツ", "", "教育・文化・スポーツ", "only-b"],
        [PF + "exchange-migration", LABEL["exchange-migration"], "", "移住・定住促進", "only-b"],
        [PF + "higher-education", LABEL["higher-education"], "", "高等教育の環境整備", "only-b"],
        [PF + "industry-cluster", LABEL["industry-cluster"], "企業や産業の育成・支援", "企業や産業の育成・支援", "same-wording"],
        [PF + "local-resources", LABEL["local-resources"], "", "地域資源を活用した産業振興", "only-b"],
        [PF + "public-transport", "地域公共交通", "地域公共交通", "", "only-a"],
        [PF + "tourism", "戦略的な観光施策", "戦略的な観光施策", "", "only-a"],
        [PF + "welfare", "福祉", "福祉", "", "only-a"],
    ]
    assert result.rows == expected_comparison(TAKASU_ROWS, HIGASHIKAGURA_ROWS)


def test_compare_swapped_swaps_the_sides(corpus):
    result = table(corpus, "compare-agreements", a=HIGASHIKAGURA, b=TAKASU)
    assert result.rows == expected_comparison(HIGASHIKAGURA_ROWS, TAKASU_ROWS)


def test_compare_seed_with_the_teiju_agreement_and_with_itself(corpus):
    result = table(corpus, "compare-agreements", a=SEED, b=TEIJU)
    assert result.rows == expected_comparison(SEED_ROWS, TEIJU_ROWS)
    assert [r[0].removeprefix(PF) for r in result.rows if r[4] == "same-wording"] == [
        "community-medicine", "human-resources", "public-transport"]
    assert sum(r[4] == "only-a" for r in result.rows) == 13
    assert table(corpus, "compare-agreements", a=SEED, b=SEED).rows == [
        [PF + f, LABEL[f], c, c, "same-wording"] for f, c in sorted((FIELD[c], c) for c, _ in SEED_ROWS)]


def test_compare_with_a_record_has_only_a_rows(corpus):
    # a registry record has no text, hence no rows: every field of the seed is only-a
    result = table(corpus, "compare-agreements", a=SEED, b=KASAMA_RECORD)
    assert result.rows == expected_comparison(SEED_ROWS, [])


def test_compare_different_wording(corpus):
    """No two agreements of the corpus word a shared field differently (README: not built in), so a
    copy of the store gets one made-up row: 観光 (a synonym of tourism) in the 定住自立圏."""
    from kyoyaku.sparql.store import open_store

    dist, _ = corpus
    store = open_store([dist / "kyoyaku.ttl"])
    store.update(f"""
        PREFIX kyo: <https://w3id.org/kyoyaku/ns#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        INSERT DATA {{
          <{TEIJU}/annex_1/item_99> a kyo:Initiative ;
              eli:is_part_of <{TEIJU}/annex_1/sec_3> ;
              kyo:partOfAgreement <{TEIJU}> ;  # as the mapping writes every row (kyo:InitiativeAgreementShape)
              eli:number "99" ;
              kyo:category "観光"@ja ;
              kyo:policyField <{PF}tourism> .
        }}""")
    rows = run(store, find_query("compare-agreements"), {"a": TAKASU, "b": TEIJU}).rows
    assert rows == [
        [PF + "advanced-medical", LABEL["advanced-medical"], "高度な医療サービスの提供", "", "only-a"],
        [PF + "community-medicine", "地域医療", "地域医療", "地域医療", "same-wording"],
        [PF + "human-resources", "人材の育成", "", "人材の育成", "only-b"],
        [PF + "industry-cluster", LABEL["industry-cluster"], "企業や産業の育成・支援", "", "only-a"],
        [PF + "public-transport", "地域公共交通", "地域公共交通", "地域公共交通", "same-wording"],
        [PF + "tourism", "戦略的な観光施策", "戦略的な観光施策", "観光", "different-wording"],
        [PF + "welfare", "福祉", "福祉", "", "only-a"],
    ]


# clauses-compared -----------------------------------------------------------------------------------

def test_clauses_compared(corpus):
    result = table(corpus, "clauses-compared")
    assert result.columns == ["agreement", "framework", "lapse_period", "lapse_unit",
                              "notice_requires_council_resolution", "cost_sharing_heading", "consultation_heading"]
    assert result.rows == [
        # 定住自立圏: no 失効 article (第6条 is 協定の期間), so no lapse period and no council resolution
        [TEIJU, "teiju-jiritsu", None, None, False, "費用負担", "協議"],
        [TAKASU, "renkei-chusu", 2.0, "year", True, "費用負担", "定期的な協議"],
        [HIGASHIKAGURA, "renkei-chusu", 1.0, "year", True, "費用分担", "連絡会議"],
        # seed: 第4条（費用負担）, 第5条（定期的な協議）, 第6条第2項 起算して2年, 第6条 あらかじめ議会の議決を経て
        [SEED, "renkei-chusu", 2.0, "year", True, "費用負担", "定期的な協議"],
    ]


# agreements-per-year --------------------------------------------------------------------------------

def test_agreements_per_year(corpus):
    result = table(corpus, "agreements-per-year")
    assert result.columns == ["year", "framework", "framework_label", "agreements", "full_texts", "records"]
    assert result.rows == [
        [2016, "teiju-jiritsu", "定住自立圏", 1, 1, 0],     # 旭川市×鷹栖町 定住自立圏形成協定
        [2019, "renkei-chusu", "連携中枢都市圏", 1, 1, 0],  # 旭川市×鷹栖町
        [2021, "renkei-chusu", "連携中枢都市圏", 1, 1, 0],  # 旭川市×東神楽町
        # the eight 連携協約 of 2022-02-21: the seed's full text replaces the 小美玉市 record
        [2022, "renkei-chusu", "連携中枢都市圏", 8, 1, 7],
        # the 茨城県央地域定住自立圏: eight records, no date stated
        [None, "teiju-jiritsu", "定住自立圏", 8, 0, 8],
    ]


@pytest.mark.parametrize("name", ["fields-across-area", "leadership", "leadership-balance", "compare-agreements",
                                  "clauses-compared", "agreements-per-year"])
def test_headers(name):
    query = find_query(name)
    assert " / " in query.title and query.answers
    assert "FILTER NOT EXISTS" not in query.text.upper().replace("\n", " ")
    assert "ORDER BY" in query.text
