"""Where each fact came from, in the JSON of `kyoyaku parse --format json` (Agreement.to_dict): the
line of every fact, `date_source`, the notice and the council bill (issue 17, item 2)."""

from __future__ import annotations

import copy
import json

from kyoyaku.text.model import Bill

from ..conftest import SEED, cli

# The keys the JSON had before lines were added, with the seed's values (they must not change).
SEED_FACTS = {
    "title": "いばらき県央地域連携中枢都市圏の形成に関する連携協約書",
    "area": "いばらき県央地域連携中枢都市圏",
    "date": "2022-02-21",
    "date_as_written": "令和4年2月21日",
    "legal_basis": "地方自治法（昭和22年法律第67号）第252条の2第1項",
}


def test_the_seed_json_gives_the_line_of_every_top_level_fact(seed):
    d = seed.to_dict()
    assert {k: d[k] for k in SEED_FACTS} == SEED_FACTS
    assert (d["title_line"], d["date_line"], d["date_source"], d["closing_line"]) == (8, 46, "closing", 44)
    # the area and the legal basis are read from the preamble, which starts at line 10
    assert (d["area_line"], d["legal_basis_line"]) == (10, 10)
    assert (d["notice"], d["notice_line"], d["bill"]) == (None, None, None)


def test_the_seed_json_gives_the_lines_of_headings_appendices_roles_and_the_lapse_period(seed):
    d = seed.to_dict()
    assert [(a["number"], a["heading_line"], a["line"]) for a in d["articles"]] == [
        ("1", 12, 14), ("2", 16, 18), ("3", 20, 22), ("4", 26, 28), ("5", 30, 32), ("6", 34, 36), ("7", 40, 42)]
    assert [(ap["number"], ap["line"], ap["table_header"]) for ap in d["appendices"]] == [("別表", 64, None)]
    first = d["initiatives"][0]
    assert (first["line"], [(r["designation"], r["line"]) for r in first["roles"]]) == (69, [("甲", 69), ("乙", 69)])
    assert [r["line"] for i in d["initiatives"] for r in i["roles"]] == [i["line"] for i in d["initiatives"] for _ in (0, 1)]
    # 第6条第2項 states the two years
    assert d["lapse_period"] == {"amount": 2, "unit": "year", "article": "6", "paragraph": 2, "line": 38}


def test_party_lines_notice_and_bill_as_the_reader_records_them(seed):
    a = copy.deepcopy(seed)
    a.parties[0].line, a.parties[1].line = 10, 10
    a.notice, a.notice_line = "告示第88号", 2
    a.bill = Bill(number="議案第12号", title="小美玉市との連携協約の締結について", date="2022-02-10", line=1)
    a.date_source, a.date_line = "header", 3
    d = a.to_dict()
    assert [(p["name"], p["line"]) for p in d["parties"]] == [("水戸市", 10), ("小美玉市", 10)]
    assert (d["notice"], d["notice_line"]) == ("告示第88号", 2)
    assert d["bill"] == {"number": "議案第12号", "title": "小美玉市との連携協約の締結について", "date": "2022-02-10", "line": 1}
    assert (d["date_source"], d["date_line"]) == ("header", 3)


def test_a_line_the_reader_recorded_for_the_legal_basis_or_area_wins_over_the_preamble(seed):
    a = copy.deepcopy(seed)
    a.legal_basis_line, a.area_line = 11, 2
    d = a.to_dict()
    assert (d["legal_basis_line"], d["area_line"]) == (11, 2)
    a.legal_basis, a.area_name = None, None  # an absent fact has no line
    d = a.to_dict()
    assert (d["legal_basis_line"], d["area_line"]) == (None, None)


def test_the_command_prints_the_lines():
    done = cli("parse", "--format", "json", SEED)
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)
    assert [d[k] for k in ("title_line", "date_line", "closing_line", "legal_basis_line")] == [8, 46, 44, 10]
    assert d["articles"][0]["heading_line"] == 12
