"""Amending agreements applied to the agreement they amend (text.consolidate): the text in force
after each, what replaces what, and the problems that stop a version instead of a guess."""

from __future__ import annotations

import pytest

from kyoyaku.text.consolidate import consolidate, match_amended
from kyoyaku.text.parse import parse_bytes, parse_file

from ..conftest import FIXTURES
from .test_amendment import amending_text

AMENDMENTS = FIXTURES / "amendments"


@pytest.fixture(scope="module")
def first():
    return parse_file(AMENDMENTS / "mito-omitama-2023-03-20.txt")


@pytest.fixture(scope="module")
def second():
    return parse_file(AMENDMENTS / "mito-omitama-2024-03-29.txt")


def categories(text):
    return [(r.number, r.section, r.category) for r in text.initiatives]


def test_the_text_in_force_after_an_amendment(seed, first):
    [version], problems = consolidate(seed, [first])
    assert problems == []
    text = version.text
    assert (version.effective, version.amending, version.previous) == ("2023-04-01", first, seed)
    assert text.articles[4].paragraphs[0].text == "甲及び乙は、連携中枢都市圏の取組に関する連絡調整を図るため、毎年度1回以上協議を行うものとする。"
    assert text.articles[5].paragraphs[1].text == \
        "この連携協約は、前項の規定による通告があった日から起算して1年を経過した日にその効力を失うものとする。"
    assert [p.text for p in text.articles[6].paragraphs] == [
        "この連携協約に定めのない事項又はこの連携協約について疑義を生じたときは、甲及び乙が協議の上、決定するものとする。",
        "前項の協議は、甲が招集する。"]
    assert text.initiatives[0].description == \
        "産業活性化コーディネーターの派遣及び創業支援による事業者の経営力強化など、企業や産業の育成・支援に取り組む。"
    rows = categories(text)
    assert len(rows) == 16 and (13, "3-1", "環境") not in rows
    assert rows[11:15] == [(12, "3-1", "災害対策"), (13, "3-2", "地域公共交通"), (14, "3-2", "移住・定住促進"), (15, "3-2", "地産地消")]
    # the amended agreement's model is left as it was
    assert seed.articles[4].paragraphs[0].text.endswith("定期的に協議を行うものとする。") and len(seed.initiatives) == 16
    assert (13, "3-1", "環境") in categories(seed)


def test_each_changed_part_replaces_the_part_of_the_text_before(seed, first):
    [version], _ = consolidate(seed, [first])
    replaced = [(type(new).__name__, old) for new, old in version.replaces]
    assert replaced == [("Paragraph", seed.articles[4].paragraphs[0]), ("Paragraph", seed.articles[5].paragraphs[1]),
                        ("Article", seed.articles[6]), ("Initiative", seed.initiatives[0])]
    made = {id(new): change.number for new, change in ((n, version.made_by[id(n)]) for n, _ in version.replaces)}
    assert sorted(made.values()) == [1, 2, 3, 4]
    inserted = version.text.initiatives[14]
    assert version.made_by[id(inserted)].number == 6 and all(new is not inserted for new, _ in version.replaces)


def test_amendments_apply_in_the_order_they_take_effect(seed, first, second):
    versions, problems = consolidate(seed, [second, first])  # given out of order
    assert problems == []
    assert [(v.effective, v.amending) for v in versions] == [("2023-04-01", first), ("2024-03-29", second)]
    later = versions[1]
    assert later.previous is versions[0].text
    assert [a.number for a in later.text.articles] == ["1", "2", "3", "4", "5", "5の2", "6", "7"]
    assert later.text.articles[5].heading == "情報の共有"
    assert later.text.articles[7].paragraphs[1].text == "前項の協議は、甲が招集する。"  # the first amendment's, kept
    ict = later.text.initiatives[6]
    assert (ict.category, ict.section) == ("高度なICT環境の整備", "2")
    assert "行政のデジタル化の支援" in ict.description
    assert [(type(n).__name__, o) for n, o in later.replaces] == [("Initiative", versions[0].text.initiatives[6])]


def amending(instructions, date="令和5年3月20日", effective="令和5年4月1日", name="amending.txt"):
    text = amending_text(instructions, supplementary=f"この連携協約は、{effective}から施行する。", closing_date=date)
    return parse_bytes(text.encode("utf-8"), name=name), text


def line_of(text, wanted):
    return text.splitlines().index(wanted) + 1


@pytest.mark.parametrize("instruction, message", [
    ("第5条中「毎月」を「毎年度」に改める。", "replace-text 第5条: 「毎月」 is not in its text; no consolidated text is made"),
    ("第9条中「甲」を「乙」に改める。", "replace-text 第9条: 第9条 is not in the text it amends; no consolidated text is made"),
    ("別表3(1)の表観光の項を削る。", ("delete 別表3(1)の表観光の項: no row(s) with the 区分 観光 in section 3-1 of 別表; "
                                 "no consolidated text is made")),
    ("別表第2の表環境の項を削る。", "delete 別表第2の表環境の項: 別表第2 is not in the text it amends; no consolidated text is made"),
    ("第6条第1項を削る。", "delete 第6条第1項: not a change kyoyaku applies to this part; no consolidated text is made"),
])
def test_a_change_that_cannot_be_applied_is_a_problem_naming_its_line_and_no_version(seed, instruction, message):
    agreement, text = amending(["第5条中「定期的に」を「毎年度」に改める。", instruction])
    versions, problems = consolidate(seed, [agreement])
    assert versions == []
    assert [str(p) for p in problems] == [f"amending.txt:{line_of(text, instruction)}: {message}"]


def test_no_version_after_an_amendment_that_cannot_be_applied(seed, second):
    broken, _text = amending(["第5条中「毎月」を「毎年度」に改める。"])
    versions, problems = consolidate(seed, [broken, second])
    assert versions == [] and len(problems) == 1  # the later one builds on the text the first would make


def test_an_irregular_amendment_makes_no_version(seed):
    agreement, _text = amending(["第3条中「別表」を「別表第1」に改め、同条に次の1項を加える。"])
    versions, problems = consolidate(seed, [agreement])
    assert versions == []
    assert [str(p) for p in problems] == [
        "amending.txt:3: not every instruction was read: no consolidated text is made from it or from a later amendment"]


def test_two_amendments_taking_effect_on_one_date_are_a_problem(seed):
    one, _ = amending(["第5条中「定期的に」を「毎年度」に改める。"], name="one.txt")
    two, text = amending(["第4条中「別に」を「毎年度」に改める。"], date="令和5年3月25日", name="two.txt")
    versions, problems = consolidate(seed, [one, two])
    assert [v.amending for v in versions] == [one]
    assert [str(p) for p in problems] == [
        (f"two.txt:{line_of(text, 'この連携協約は、令和5年4月1日から施行する。')}: takes effect on 2023-04-01, the date of "
        "another amendment: the order of the two is not stated")]


def test_the_amended_agreement_is_found_by_its_parties_and_date(seed, first):
    teiju = parse_file(FIXTURES / "family" / "teiju-term.txt")
    assert match_amended(first, [teiju, seed]) is seed
    other_date, _ = amending(["第5条中「定期的に」を「毎年度」に改める。"])
    other_date.amendment.amended_date = "2022-02-22"
    assert match_amended(other_date, [teiju, seed]) is None
    tateyama = parse_file(AMENDMENTS / "tateyama-kyonan-2022-03-25.txt")
    assert match_amended(tateyama, [seed, teiju]) is teiju
