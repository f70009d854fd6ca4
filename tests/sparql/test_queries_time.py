"""The queries over time and coverage (agreements-in-force, members-on, area-history, coverage) on what
`kyoyaku build` publishes from the shipped data (the `national` fixture). Expectations are computed
from the registry CSVs as the events make them (test_queries_national.with_events), with values
checked by hand against events.csv pinned beside them."""

from collections import Counter

import pytest

from .test_queries_national import (
    AREAS,
    EVENT_ROWS,
    IRI,
    MEMBER_ROWS,
    B,
    M,
    expected_records,
    key,
    table,
)

KORIYAMA = B + "area/renkei-chusu/072036"
HIROSHIMA = B + "area/renkei-chusu/341002"
ASAHIKAWA = B + "area/renkei-chusu/012041"
KAMIKAWA_CHUBU = B + "area/teiju-jiritsu/012041"
SOUMU = "https://www.soumu.go.jp/main_sosiki/jichi_gyousei/renkeichusutoshiken/index.html"


def ended_areas():
    """The areas an `end` event without a member ends, with the date."""
    return {IRI[key(e)]: e["date"] for e in EVENT_ROWS if e["event"] == "end" and not e["member"]}


# --- coverage -------------------------------------------------------------------------------------


def test_coverage_is_listed_against_stated_per_framework(national):
    ended = ended_areas()
    rows = []
    for framework in ("renkei-chusu", "teiju-jiritsu"):
        areas = {IRI[k] for k in AREAS if k[1] == framework} - set(ended)  # none ended before 2024-04-01 is stated
        cores = {c for a in areas for c in AREAS[next(k for k in AREAS if IRI[k] == a)]["core_code"].split(";") if c}
        members = {(IRI[key(r)], r["member_code"]) for r in MEMBER_ROWS if IRI[key(r)] in areas}
        rows.append([framework, len(areas), len(cores), len(members)])
    result = table(national, "coverage").rows
    assert [[r[0], r[2], r[4], r[6]] for r in result] == rows
    # 35 連携中枢都市圏 of areas.csv and いばらき県央 against 総務省's 38 (2024-04-01); 36 定住自立圏 listed
    # (39 less the three that ended: 上川中部, 高知中央広域, 山形) and no stated total for them
    assert result == [["renkei-chusu", "2024-04-01", 36, 38, 36, 40, 351, 376, SOUMU],
                      ["teiju-jiritsu", None, 36, None, 39, None, 148, None, None]]


# --- agreements-in-force --------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2009-10-07", "2016-04-01", "2022-02-21", "2024-04-01"])
def test_agreements_in_force_are_the_dated_agreements_on_or_before_the_date(national, day):
    # no agreement of the shipped data has an end date (the areas that ended list no agreements), so
    # in force = dated on or before the day; the seed's full text (2022-02-21) replaces its record
    dated = sum(1 for _, date in expected_records().values() if date and date <= day) + (day >= "2022-02-21")
    assert len(table(national, "agreements-in-force", date=day).rows) == dated


def test_agreements_in_force_count_the_amendments_dated_by_then(national):
    def amendments(day):
        return Counter(r[5] for r in table(national, "agreements-in-force", date=day, area=KORIYAMA).rows)

    # こおりやま広域圏: 14 partners of 2019-01-23 and 二本松市 (2019-10-18), each amended on 2020-07-08
    # (events.csv: the page's 16 市町村 less 郡山市); 磐梯町 joined on 2022-02-07
    assert amendments("2020-07-07") == {0: 15}
    assert amendments("2020-07-08") == {1: 15}
    assert amendments("2022-02-07") == {1: 15, 0: 1}
    assert table(national, "agreements-in-force", date="2019-01-22", area=KORIYAMA).rows == []


# --- members-on -----------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [HIROSHIMA, KORIYAMA, B + "area/renkei-chusu/431001"])
@pytest.mark.parametrize("day", ["2019-01-23", "2022-04-01", "2025-12-31"])
def test_members_on_a_date_are_the_members_who_joined_by_then(national, area, day):
    rows = [r for r in MEMBER_ROWS if IRI[key(r)] == area]
    undated = sum(1 for r in rows if not r["agreement_date"])
    expected = sorted([r["agreement_date"], M + r["member_code"]] for r in rows
                       if r["agreement_date"] and r["agreement_date"] <= day)
    result = table(national, "members-on", area=area, date=day).rows
    assert [[since, member] for member, _, since, _ in result] == expected
    assert {u for *_, u in result} <= {undated}


def test_members_of_hiroshima_on_2022_04_01_by_hand(national):
    assert table(national, "members-on", area=HIROSHIMA, date="2022-04-01").rows == [
        [M + "342092", "三次市", "2021-03-30", 1], [M + "322024", "浜田市", "2022-03-30", 1],
        [M + "324485", "美郷町", "2022-03-30", 1], [M + "324493", "邑南町", "2022-03-30", 1]]


def test_members_of_an_area_that_ended_are_gone_after_its_end(national):
    # 上川中部定住自立圏 (known only from events.csv): its core city, undated, and the area ended 2022-03-31
    assert table(national, "members-on", area=KAMIKAWA_CHUBU, date="2022-04-01").rows == []


# --- area-history ---------------------------------------------------------------------------------


def test_area_history_of_koriyama_in_date_order(national):
    rows = table(national, "area-history", area=KORIYAMA).rows
    assert Counter((r[0], r[1]) for r in rows) == {
        ("2019-01-23", "join"): 14, ("2019-10-18", "join"): 1, ("2020-07-08", "amend"): 15, ("2022-02-07", "join"): 1}
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    amend = [r for r in rows if r[1] == "amend"]
    assert {r[3] for r in amend} == {f"{B}agreement/072036-{r[2].rsplit('/', 1)[1]}/2020-07-08" for r in amend}
    assert [r[2] for r in rows if r[0] == "2019-10-18"] == [M + "072109"]  # 二本松市's join
    assert rows[-1] == ["2022-02-07", "join", M + "074071", None, None]  # 磐梯町, not a party of the amendment


def test_area_history_of_a_framework_change_and_an_end(national):
    # 旭川大雪圏域連携中枢都市圏 replaced 上川中部定住自立圏 (連携協約 of 2022-01-12), which was abolished
    # on 2022-03-31 (events.csv)
    assert table(national, "area-history", area=KAMIKAWA_CHUBU).rows == [
        ["2022-01-12", "replaced-by", None, None, ASAHIKAWA],
        ["2022-03-31", "area-end", None, None, None],
        ["2022-03-31", "end", M + "012041", None, None]]
    rows = table(national, "area-history", area=ASAHIKAWA).rows
    assert rows[0] == ["2022-01-12", "framework-change", None, None, KAMIKAWA_CHUBU]
    assert Counter(r[1] for r in rows) == {"framework-change": 1, "join": 8}
