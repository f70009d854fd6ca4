"""The lines above the first article sorted into what they are (text.front): bill, cover, title,
the header's date and notice, the preamble."""

import pytest

from kyoyaku.text.front import read_front
from kyoyaku.text.layout import clean_lines

TITLE = "前橋市と渋川市との連携中枢都市圏形成に係る連携協約書"
PREAMBLE = "前橋市（以下「甲」という。）と渋川市（以下「乙」という。）とは、次のとおり連携協約を締結する。"


def front(text):
    return read_front(clean_lines(text))


@pytest.mark.parametrize(("first", "number"), [
    ("議案第12号", "議案第12号"), ("議案 第 １２ 号", "議案第12号"), ("第12号議案", "第12号議案"), ("市議案第3号", "市議案第3号")])
def test_a_bill_is_read_apart_from_the_agreement(first, number):
    found = front(f"{first}\n\n渋川市との連携協約の締結について\n地方自治法第252条の2第3項の規定により、議会の議決を求める。\n"
                  f"令和2年2月20日提出\n前橋市長　山田　太郎\n別紙\n{TITLE}\n{PREAMBLE}\n")
    assert (found.bill.number, found.bill.title, found.bill.date, found.bill.line) == (
        number, "渋川市との連携協約の締結について", "2020-02-20", 1)
    assert found.bill_date == ("令和2年2月20日", 5)
    assert (found.title, found.title_line) == (TITLE, 8)
    assert [l.text for l in found.preamble] == [PREAMBLE]
    assert found.cover == []


@pytest.mark.parametrize("header", [
    "○{t}\n令和3年4月1日告示第88号\n{t}\n", "○{t}\n\n令和3年4月1日\n\n告示第８８号\n\n{t}\n",
    "目次\n閉じる\nトップページ > 総務部 > 協定\n○{t}\n令和3年4月1日 告示 第88号\n"])
def test_a_reiki_header_gives_title_date_and_notice(header):
    found = front(header.format(t=TITLE) + PREAMBLE + "\n")
    assert found.title == TITLE
    assert found.header_date[0] == "令和3年4月1日" and found.cover_date is None
    assert found.notice[0] == "告示第88号"
    assert [l.text for l in found.preamble] == [PREAMBLE]


def test_a_cover_gives_its_date_and_a_title_one_character_per_line_is_one_line():
    found = front("連\n携\n協\n約\n書\n\n令和2年3月27日\n\n前橋市\n渋川市\n\n" + TITLE + "\n" + PREAMBLE + "\n")
    assert found.title == TITLE and found.cover_date == ("令和2年3月27日", 7)
    assert [l.text for l in found.cover] == ["連携協約書", "前橋市", "渋川市"]
    assert found.header_date is None and found.notice is None


def test_a_title_carrying_its_date_or_marked_as_a_draft():
    found = front(f"{TITLE[:-1]}（令和3年9月30日締結）\n{PREAMBLE}\n")
    assert found.title == TITLE[:-1] and found.title_date == ("令和3年9月30日", 1)
    assert front(f"{TITLE}（案）\n{PREAMBLE}\n").title == TITLE


def test_a_title_broken_inside_a_word_is_joined_and_noise_before_the_preamble_set_aside():
    found = front(f"{TITLE[:-3]}\n{TITLE[-3:]}\n{PREAMBLE}\n")
    assert (found.title, found.title_line) == (TITLE, 1)
    found = front(f"@@ ;: ii\n{PREAMBLE}\n")
    assert found.title is None and [l.text for l in found.not_understood] == ["@@ ;: ii"]
