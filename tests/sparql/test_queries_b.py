"""Report queries and data-quality checks of queries/ (part B), each pinned on the query-test corpus:
the real seed (data/sources/mito-omitama-2022-02-21.txt), the three synthetic texts of
tests/fixtures/corpus/ (see its README) and the real area registry (data/registry/ibaraki-kenou/).

Every expected row is written out from those sources; cell texts are read from the source lines
themselves (a 別表 row is `区分\t連携する取組\t甲の役割\t乙の役割`)."""

import hashlib

import pytest

from kyoyaku.errors import UsageError
from kyoyaku.sparql.query import find_query, run
from kyoyaku.sparql.store import open_store

from ..conftest import (
    CORPUS,
    KAMIKAWA_RENKEI,
    KAMIKAWA_TEIJU,
    KENOU,
    KENOU_TEIJU,
    SEED,
    SEED_IRI,
    TAKASU_2019,
    TEIJU_2016,
    B,
)
from ..conftest import (
    HIGASHIKAGURA_2021 as HIGASHIKAGURA,
)

M = B + "municipality/"
FILES = {
    SEED_IRI: SEED,
    TAKASU_2019: CORPUS / "asahikawa-takasu-2019-04-01.txt",
    HIGASHIKAGURA: CORPUS / "asahikawa-higashikagura-2021-10-01.txt",
    TEIJU_2016: CORPUS / "asahikawa-takasu-teiju-2016-03-25.txt",
}
RENKEI, TEIJU = "連携中枢都市圏", "定住自立圏"
AREA_LABELS = {
    KAMIKAWA_RENKEI: "上川中央連携中枢都市圏",
    KAMIKAWA_TEIJU: "上川中央定住自立圏",
    KENOU: "いばらき県央地域連携中枢都市圏",
    KENOU_TEIJU: "茨城県央地域定住自立圏",
}
# data/registry/ibaraki-kenou/members.csv: the core city and its eight partners, in both areas
MITO = ("082015", "水戸市")
KENOU_PARTNERS = [("082163", "笠間市"), ("082210", "ひたちなか市"), ("082261", "那珂市"), ("082368", "小美玉市"),
                  ("083020", "茨城町"), ("083097", "大洗町"), ("083101", "城里町"), ("083411", "東海村")]
ASAHIKAWA, TAKASU, HIGASHIKAGURA_TOWN = ("012041", "旭川市"), ("014524", "鷹栖町"), ("014532", "東神楽町")


def cells(agreement: str, line: int) -> list[str]:
    """The cells of a 別表 row as written at that line of the agreement's source file."""
    return FILES[agreement].read_text(encoding="utf-8").splitlines()[line - 1].split("\t")


def source_line(agreement: str, line: int) -> str:
    return FILES[agreement].read_text(encoding="utf-8").splitlines()[line - 1]


def sha256(agreement: str) -> str:
    return hashlib.sha256(FILES[agreement].read_bytes()).hexdigest()


def query(corpus, name, **values):
    table = run(corpus[1], find_query(name), values)
    return table


# --- multi-area-municipalities ---------------------------------------------------------------

def test_multi_area_municipalities(corpus):
    table = query(corpus, "multi-area-municipalities")
    assert table.columns == ["municipality", "name", "areas", "frameworks", "area", "area_label", "framework_label"]

    def both(code_name, renkei, teiju):
        code, name = code_name
        return [[M + code, name, 2, 2, renkei, AREA_LABELS[renkei], RENKEI],
                [M + code, name, 2, 2, teiju, AREA_LABELS[teiju], TEIJU]]

    expected = []
    # 旭川市 and 鷹栖町: parties of the 2019 連携協約 and of the 2016 定住自立圏形成協定 (full texts);
    # 東神楽町 is only in the 連携中枢都市圏, so it is not listed
    for m in (ASAHIKAWA, TAKASU):
        expected += both(m, KAMIKAWA_RENKEI, KAMIKAWA_TEIJU)
    # the nine municipalities of いばらき県央 are members of the area and of its predecessor
    for m in sorted([MITO, *KENOU_PARTNERS]):
        expected += both(m, KENOU, KENOU_TEIJU)
    assert table.rows == expected
    assert len(table.rows) == 22


# --- keyword-search --------------------------------------------------------------------------

def keyword_rows(agreement, number, line, where):
    """Expected rows of keyword-search for one 別表 row: `where` lists the matching columns (0-3)."""
    row = cells(agreement, line)
    names = ["区分", "連携する取組", "甲の役割", "乙の役割"]
    return [[agreement, number, row[0], names[i], row[i], line] for i in where]


def test_keyword_search_kanko(corpus):
    table = query(corpus, "keyword-search", keyword="観光")
    assert table.columns == ["agreement", "row", "category", "matched_in", "text", "line"]
    # corpus README: 観光 in asahikawa-takasu-2019-04-01 #2 (区分, 取組, both roles), in
    # asahikawa-higashikagura-2021-10-01 #2 (取組 only); the seed's 戦略的な観光施策 row is #3 (line 71)
    assert table.rows == [
        *keyword_rows(TAKASU_2019, "2", 70, [0, 1, 2, 3]),
        *keyword_rows(HIGASHIKAGURA, "2", 70, [1]),
        *keyword_rows(SEED_IRI, "3", 71, [0, 1, 2, 3]),
    ]
    assert table.rows[0][2:5] == ["戦略的な観光施策", "区分", "戦略的な観光施策"]
    assert table.rows[4][2:5] == ["地域資源を活用した産業振興", "連携する取組",
                                  "農産物のブランド化や観光と連携した販路拡大など、地域資源を活用した産業振興に取り組む。"]


def test_keyword_search_kyukyu(corpus):
    table = query(corpus, "keyword-search", keyword="救急")
    # 救急 in the 連携する取組 of takasu-2019 #3 and #4, higashikagura #4, teiju #1 (whose role
    # texts name 小児救急医療体制 too), and of the seed's 地域医療 row #8 (line 86)
    assert table.rows == [
        *keyword_rows(TEIJU_2016, "1", 45, [1, 2, 3]),
        *keyword_rows(TAKASU_2019, "3", 75, [1]),
        *keyword_rows(TAKASU_2019, "4", 82, [1]),
        *keyword_rows(HIGASHIKAGURA, "4", 82, [1]),
        *keyword_rows(SEED_IRI, "8", 86, [1]),
    ]


def test_keyword_search_ignores_ascii_case_and_other_texts(corpus):
    # the seed's row #7 高度なICT環境の整備 (line 79) has ICT in all four cells; nothing else has
    assert query(corpus, "keyword-search", keyword="ict").rows == keyword_rows(SEED_IRI, "7", 79, [0, 1, 2, 3])
    # 農産物: one row; 連携協約書 is in titles only, never in a row
    assert query(corpus, "keyword-search", keyword="農産物").rows == keyword_rows(HIGASHIKAGURA, "2", 70, [1])
    assert query(corpus, "keyword-search", keyword="連携協約書").rows == []
    # a keyword with SPARQL syntax in it is a literal, not query text
    assert query(corpus, "keyword-search", keyword='") } #').rows == []


def test_keyword_search_needs_its_keyword(corpus):
    with pytest.raises(UsageError):
        query(corpus, "keyword-search")


# --- synonym-mapped-rows ---------------------------------------------------------------------

def test_synonym_mapped_rows(corpus):
    table = query(corpus, "synonym-mapped-rows")
    assert table.columns == ["agreement", "row", "category", "field", "field_label", "line"]
    pf = B + "concept/policy-field/"
    industry = (pf + "industry-cluster", "産業クラスターの形成、イノベーション実現、新規創業促進、地域の中堅企業等を核とした戦略産業の育成")
    resources = (pf + "local-resources", "地域資源を活用した地域経済の裾野拡大")
    higher = (pf + "higher-education", "高等教育・研究開発の環境整備")
    migration = (pf + "exchange-migration", "地域内外の住民との交流・移住")
    hub = (pf + "central-hub-transport", "高度な中心拠点の整備・広域的公共交通網の構築")
    urban = (pf + "other-urban-functions", "その他、高次の都市機能の集積・強化に係る施策")
    # the synonym 区分 of data/policy-field-mapping.csv; the 定住自立圏 has none (all exact)
    assert table.rows == [
        [TAKASU_2019, "1", "企業や産業の育成・支援", *industry, 69],
        [HIGASHIKAGURA, "1", "企業や産業の育成・支援", *industry, 69],
        [HIGASHIKAGURA, "2", "地域資源を活用した産業振興", *resources, 70],
        [HIGASHIKAGURA, "3", "高等教育の環境整備", *higher, 75],
        [HIGASHIKAGURA, "6", "移住・定住促進", *migration, 88],
        [SEED_IRI, "1", "企業や産業の育成・支援", *industry, 69],
        [SEED_IRI, "2", "地域資源を活用した産業振興", *resources, 70],
        [SEED_IRI, "5", "広域的公共交通ネットワークの構築", *hub, 77],
        [SEED_IRI, "6", "高等教育の環境整備", *higher, 78],
        [SEED_IRI, "7", "高度なICT環境の整備", *urban, 79],
        [SEED_IRI, "15", "移住・定住促進", *migration, 97],
    ]
    for agreement, _, category, _, _, line in table.rows:
        assert cells(agreement, line)[0] == category


# --- provenance ------------------------------------------------------------------------------

def provenance(corpus, node):
    table = query(corpus, "provenance", node=node)
    assert table.columns == ["node", "agreement", "file_name", "sha256", "line", "text"]
    return table.rows


@pytest.mark.parametrize("agreement, part, line, text", [
    # 第6条第2項 (seed line 38): its text without the number
    (SEED_IRI, "/art_6__para_2", 38, source_line(SEED_IRI, 38).removeprefix("2 ")),
    # 甲's role in the seed's 戦略的な観光施策 row (line 71)
    (SEED_IRI, "/annex_1/item_3/role/kou", 71, cells(SEED_IRI, 71)[2]),
    # 乙's signature block (lines 56–62, written without the blank lines)
    (SEED_IRI, "/signature/otsu", 56, "小美玉市堅倉835番地\n乙 小美玉市\n小美玉市長\n島田 穰一"),
    # the agreement itself: its title line
    (SEED_IRI, "", 8, "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"),
    # the cover (lines 3–6)
    (SEED_IRI, "/cover", 3, "いばらき県央地域連携中枢都市圏\nの形成に関する連携協約書\n水戸市・小美玉市"),
    # a row: its 連携する取組 (teiju #3, line 55)
    (TEIJU_2016, "/annex_1/item_3", 55, cells(TEIJU_2016, 55)[1]),
    # an article: its heading (teiju 第6条 （協定の期間）, line 20)
    (TEIJU_2016, "/art_6", 20, "協定の期間"),
    # a section: its title (teiju 1, line 42)
    (TEIJU_2016, "/annex_1/sec_1", 42, "生活機能の強化に係る政策分野"),
    # 乙's role in higashikagura #2, the one it leads (line 70)
    (HIGASHIKAGURA, "/annex_1/item_2/role/otsu", 70, "甲と連携して地域資源を活用した産業振興に主体的に取り組む。"),
])
def test_provenance_of_text_nodes(corpus, agreement, part, line, text):
    assert provenance(corpus, agreement + part) == [
        [agreement + part, agreement, FILES[agreement].name, sha256(agreement), line, text]]


def test_provenance_of_nodes_without_a_line(corpus):
    # the lapse period hangs off the agreement; it has no line or text of its own
    part = "/lapse-period"
    assert provenance(corpus, SEED_IRI + part) == [
        [SEED_IRI + part, SEED_IRI, "mito-omitama-2022-02-21.txt", sha256(SEED_IRI), None, None]]


def test_provenance_of_a_party_and_of_the_place_the_date_was_read(corpus):
    # a party has the line where the preamble names it; the date's place the closing date's line
    for part, line in (("/party/otsu", 10), ("/date-location", 46)):
        assert provenance(corpus, SEED_IRI + part) == [
            [SEED_IRI + part, SEED_IRI, "mito-omitama-2022-02-21.txt", sha256(SEED_IRI), line, None]]


def test_provenance_of_a_registry_record(corpus):
    # 水戸市 × 笠間市 is known from the registry only: the record has no source file
    record = B + "agreement/082015-082163/2022-02-21"
    assert provenance(corpus, record) == [[record, record, None, None, None, None]]
    assert provenance(corpus, record + "/party/p2") == [[record + "/party/p2", record, None, None, None, None]]


def test_provenance_of_a_node_outside_any_agreement(corpus):
    assert provenance(corpus, M + "082015") == []
    assert provenance(corpus, B + "no/such/node") == []


# --- area-summary ----------------------------------------------------------------------------

def test_area_summary(corpus):
    table = query(corpus, "area-summary")
    assert table.columns == ["area", "area_label", "framework_label", "core_city_name", "members", "stated_members",
                             "agreements", "full_texts", "predecessor_label"]
    assert table.rows == [
        # 旭川市, 鷹栖町, 東神楽町 as parties of the two synthetic 連携協約 (no registry, no stated total)
        [KAMIKAWA_RENKEI, "上川中央連携中枢都市圏", RENKEI, "旭川市", 3, None, 2, 2, None],
        # nine members (areas.csv: 9 stated); the seed full text + 7 records; replaces the 定住自立圏
        [KENOU, "いばらき県央地域連携中枢都市圏", RENKEI, "水戸市", 9, 9, 8, 1, "茨城県央地域定住自立圏"],
        [KAMIKAWA_TEIJU, "上川中央定住自立圏", TEIJU, "旭川市", 2, None, 1, 1, None],
        # nine members, eight undated records, no full text
        [KENOU_TEIJU, "茨城県央地域定住自立圏", TEIJU, "水戸市", 9, 9, 8, 0, None],
    ]


# --- agreements-of-municipality --------------------------------------------------------------

def test_agreements_of_mito(corpus):
    table = query(corpus, "agreements-of-municipality", municipality=M + "082015")
    assert table.columns == ["agreement", "date", "framework_label", "area_label", "other_party", "other_party_name",
                             "kind"]
    # the eight undated 定住自立圏 records first, then the eight 連携協約 of 2022-02-21 (小美玉市: full text)
    expected = [[f"{B}agreement/082015-{code}/undated-teiju-jiritsu", None, TEIJU, AREA_LABELS[KENOU_TEIJU],
                 M + code, name, "record"] for code, name in KENOU_PARTNERS]
    expected += [[f"{B}agreement/082015-{code}/2022-02-21", "2022-02-21", RENKEI, AREA_LABELS[KENOU], M + code, name,
                  "full text" if code == "082368" else "record"] for code, name in KENOU_PARTNERS]
    assert table.rows == expected


def test_agreements_of_omitama(corpus):
    table = query(corpus, "agreements-of-municipality", municipality="https://w3id.org/kyoyaku/municipality/082368")
    assert table.rows == [
        [B + "agreement/082015-082368/undated-teiju-jiritsu", None, TEIJU, "茨城県央地域定住自立圏", M + "082015", "水戸市",
         "record"],
        [SEED_IRI, "2022-02-21", RENKEI, "いばらき県央地域連携中枢都市圏", M + "082015", "水戸市", "full text"],
    ]


def test_agreements_of_asahikawa_and_its_partners(corpus):
    def rows(code):
        return query(corpus, "agreements-of-municipality", municipality=M + code).rows

    assert rows("012041") == [
        [TEIJU_2016, "2016-03-25", TEIJU, "上川中央定住自立圏", M + "014524", "鷹栖町", "full text"],
        [TAKASU_2019, "2019-04-01", RENKEI, "上川中央連携中枢都市圏", M + "014524", "鷹栖町", "full text"],
        [HIGASHIKAGURA, "2021-10-01", RENKEI, "上川中央連携中枢都市圏", M + "014532", "東神楽町", "full text"],
    ]
    assert rows("014524") == [
        [TEIJU_2016, "2016-03-25", TEIJU, "上川中央定住自立圏", M + "012041", "旭川市", "full text"],
        [TAKASU_2019, "2019-04-01", RENKEI, "上川中央連携中枢都市圏", M + "012041", "旭川市", "full text"],
    ]
    assert rows("014532") == [
        [HIGASHIKAGURA, "2021-10-01", RENKEI, "上川中央連携中枢都市圏", M + "012041", "旭川市", "full text"],
    ]
    # a municipality with no agreement in the corpus (札幌市)
    assert rows("011002") == []


# --- data-quality checks ---------------------------------------------------------------------

CHECKS = ["check-area-core-city", "check-role-per-party", "check-record-and-full-text"]


@pytest.mark.parametrize("name", CHECKS)
def test_checks_pass_on_the_corpus(corpus, name):
    check = find_query(name)
    assert check.is_check and check.parameters == []
    assert run(corpus[1], check).rows == []


@pytest.fixture
def broken(corpus):
    """A fresh store over the corpus build, to be damaged by one test."""
    return open_store([corpus[0] / "kyoyaku.ttl"])


PREFIXES = """PREFIX kyo: <https://w3id.org/kyoyaku/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def test_check_area_core_city_finds_a_wrong_core_city(broken):
    # 上川中央連携中枢都市圏 said to have 鷹栖町 as its core city: both its agreements' 甲 (旭川市) mismatch
    broken.update(PREFIXES + f"""
        DELETE DATA {{ <{KAMIKAWA_RENKEI}> kyo:coreCity <{M}012041> }} ;
        INSERT DATA {{ <{KAMIKAWA_RENKEI}> kyo:coreCity <{M}014524> }}""")
    table = run(broken, find_query("check-area-core-city"))
    assert table.columns == ["agreement", "area", "party", "municipality", "name"]
    assert table.rows == [
        [TAKASU_2019, KAMIKAWA_RENKEI, TAKASU_2019 + "/party/kou", M + "012041", "旭川市"],
        [HIGASHIKAGURA, KAMIKAWA_RENKEI, HIGASHIKAGURA + "/party/kou", M + "012041", "旭川市"],
    ]


def test_check_area_core_city_finds_a_record_with_the_wrong_core_party(broken):
    # a registry record whose core-city party is 笠間市 instead of 水戸市
    record = B + "agreement/082015-082163/2022-02-21"
    broken.update(PREFIXES + f"""
        DELETE DATA {{ <{record}/party/p1> kyo:municipality <{M}082015> }} ;
        INSERT DATA {{ <{record}/party/p1> kyo:municipality <{M}082163> }}""")
    assert run(broken, find_query("check-area-core-city")).rows == [
        [record, KENOU, record + "/party/p1", M + "082163", "笠間市"]]


def test_check_role_per_party_finds_a_missing_role(broken):
    # drop 乙's role from the seed's row #16 (人材の育成, line 102), and 甲's from teiju #3
    seed_row, teiju_row = SEED_IRI + "/annex_1/item_16", TEIJU_2016 + "/annex_1/item_3"
    broken.update(PREFIXES + f"""
        DELETE DATA {{
          <{seed_row}> kyo:roleStatement <{seed_row}/role/otsu> .
          <{teiju_row}/role/kou> kyo:party <{TEIJU_2016}/party/kou> .
        }}""")
    table = run(broken, find_query("check-role-per-party"))
    assert table.columns == ["initiative", "agreement", "party", "line"]
    assert table.rows == [
        [teiju_row, TEIJU_2016, TEIJU_2016 + "/party/kou", 55],
        [seed_row, SEED_IRI, SEED_IRI + "/party/otsu", 102],
    ]


def test_check_role_per_party_finds_a_role_for_the_wrong_party(broken):
    # 乙's role statement of takasu-2019 #1 points at 甲: the row has no role for 乙
    row = TAKASU_2019 + "/annex_1/item_1"
    broken.update(PREFIXES + f"""
        DELETE DATA {{ <{row}/role/otsu> kyo:party <{TAKASU_2019}/party/otsu> }} ;
        INSERT DATA {{ <{row}/role/otsu> kyo:party <{TAKASU_2019}/party/kou> }}""")
    assert run(broken, find_query("check-role-per-party")).rows == [[row, TAKASU_2019, TAKASU_2019 + "/party/otsu", 69]]


def test_check_record_and_full_text_finds_a_record_not_replaced(broken):
    # the seed still typed as a registry record although its full text was added
    broken.update(PREFIXES + f"INSERT DATA {{ <{SEED_IRI}> a kyo:AgreementRecord }}")
    table = run(broken, find_query("check-record-and-full-text"))
    assert table.columns == ["agreement", "source", "file_name"]
    assert table.rows == [[SEED_IRI, SEED_IRI + "/source", "mito-omitama-2022-02-21.txt"]]
