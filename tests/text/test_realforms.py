"""The transformations of kyoyaku.text.realforms make the forms they name, exactly.

The invariance test (test_invariance.py) trusts these functions to give a copy a human reads as the
same agreement; here each one is checked on a short synthetic text (fictional wording, real names)
against the exact text it must give, and the ones that only move whitespace are checked to keep
every other character of every fixture.
"""

from __future__ import annotations

import datetime
import random
import re

import pytest

from kyoyaku.text.realforms import (
    FORMS,
    Facts,
    add_cover,
    add_reiki_header,
    ascii_brackets,
    bill_title,
    bracket_spaces,
    date_style,
    dated_title,
    drop_closing_date,
    era_date,
    flatten,
    garbage_before,
    hard_wraps,
    indent,
    kanji_numeral,
    letter_space,
    ocr_punctuation,
    page_breaks,
    short_title_of,
    transform,
    wrap_in_bill,
)

from .test_invariance import DOCUMENTS

TITLE = "前橋市及び渋川市における連携中枢都市圏形成に係る連携協約"
FACTS = Facts(title=TITLE, date=datetime.date(2020, 3, 27), framework="renkei-chusu", parties=("前橋市", "渋川市"),
              prefecture="群馬県")
TEXT = (
    f"{TITLE}\n"
    "\n"
    "前橋市（以下「甲」という。）及び渋川市（以下「乙」という。）は、次のとおり連携協約を締結する。\n"
    "\n"
    "（目的）\n"
    "第1条 この連携協約は、圏域を形成することを目的とする。\n"
    "\n"
    "この連携協約の締結を証するため、本書2通を作成し、各1通を保有する。\n"
    "\n"
    "令和2年3月27日\n"
    "\n"
    "甲 前橋市\n"
    "\n"
    "別表（第1条関係）\n"
    "区分\t連携する取組\t甲の役割\t乙の役割\n"
    "地域医療\t救急医療に取り組む。\t主体的に取り組む。\t連携して取り組む。\n"
)


def lines(text):
    return text.split("\n")


def test_era_dates():
    assert era_date(datetime.date(2022, 2, 21)) == "令和4年2月21日"
    assert era_date(datetime.date(2019, 5, 1)) == "令和元年5月1日"
    assert era_date(datetime.date(2019, 5, 1), gannen=False) == "令和1年5月1日"
    assert era_date(datetime.date(2019, 4, 30)) == "平成31年4月30日"
    assert era_date(datetime.date(1989, 1, 8)) == "平成元年1月8日"
    assert [kanji_numeral(n) for n in (1, 4, 10, 12, 20, 21, 30, 31)] == ["一", "四", "十", "十二", "二十", "二十一", "三十", "三十一"]


def test_reiki_header_on_one_line_with_the_title_repeated():
    out = add_reiki_header(TEXT, FACTS, notice=88, layout="one-line", space="")
    assert lines(out)[:4] == ["○" + TITLE, "令和2年3月27日告示第88号", TITLE, ""]
    assert out.endswith(TEXT)


def test_reiki_header_on_lines_with_navigation_and_without_the_repeated_title():
    out = add_reiki_header(TEXT, FACTS, notice=5, layout="lines", blank_lines=2, repeat_title=False,
                           navigation=("トップページ > 総務部 > 協定",))
    assert lines(out)[:8] == ["トップページ > 総務部 > 協定", "○" + TITLE, "令和2年3月27日", "", "", "告示第5号", "",
                              lines(TEXT)[2]]
    assert out.count(TITLE) == 1


def test_reiki_header_replaces_a_cover_and_can_say_notified_to_the_prefecture():
    covered = "連携協約書\n前橋市\n渋川市\n\n" + TEXT
    out = add_reiki_header(covered, FACTS, layout="one-line", space=" ", notified=True, navigation=("目次", "閉じる"))
    assert lines(out)[:5] == ["目次", "閉じる", "○" + TITLE, "令和2年3月27日 群馬県知事届出済", TITLE]
    assert "連携協約書\n前橋市" not in out


def test_cover_plain_spaced_and_vertical():
    assert lines(add_cover(TEXT, FACTS, short_title="tail", blank_lines=1))[:6] == [
        "連携中枢都市圏形成に係る連携協約", "令和2年3月27日", "前橋市", "渋川市", "", TITLE]
    assert lines(add_cover(TEXT, FACTS, style="spaced", separator=" ", dated=False, names_on_one_line=True,
                           blank_lines=1))[:4] == ["連 携 協 約 書", "前 橋 市 ・ 渋 川 市", "", TITLE]
    vertical = add_cover(TEXT, FACTS, style="vertical", blank_lines=2)
    assert lines(vertical)[:10] == ["連", "携", "協", "約", "書", "", "令和2年3月27日", "前橋市", "渋川市", ""]
    assert vertical.endswith("\n" + TEXT)
    assert short_title_of("鹿児島市と日置市との連携中枢都市圏形成に係る連携協約書") == "連携中枢都市圏形成に係る連携協約書"
    assert short_title_of("いばらき県央地域連携中枢都市圏の形成に関する連携協約書") == "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"


def test_bill_around_the_agreement():
    out = wrap_in_bill(TEXT, FACTS, number=12, days_before=36, attachment="別紙", reason=False, blank_lines=False,
                       space="\u3000")
    assert lines(out)[:7] == [
        "議案第12号",
        "渋川市との連携協約の締結について",
        ("地方自治法（昭和22年法律第67号）第252条の2第3項の規定により、渋川市との間において別紙のとおり連携協約を締結する"
         "ことについて、議会の議決を求める。"),
        "令和2年2月20日提出",
        "前橋市長\u3000山田\u3000太郎",
        "別紙",
        "",
    ]
    assert out.endswith("\n" + TEXT)
    three = Facts(TITLE, FACTS.date, "teiju-jiritsu", ("前橋市", "渋川市", "榛東村", "吉岡町"))
    assert bill_title(three) == "渋川市、榛東村及び吉岡町との定住自立圏の形成に関する協定の締結について"
    assert "提案理由" in wrap_in_bill(TEXT, three, reason=True)


def test_drop_closing_date_removes_only_the_date_after_the_closing_formula():
    out = drop_closing_date(TEXT)
    assert "令和2年3月27日" not in out
    assert lines(out)[7:10] == ["この連携協約の締結を証するため、本書2通を作成し、各1通を保有する。", "", "甲 前橋市"]
    no_date = TEXT.replace("令和2年3月27日\n\n", "")
    assert drop_closing_date(no_date) == no_date


def test_dated_title_and_date_styles():
    assert lines(dated_title(TEXT, FACTS))[0] == TITLE + "（令和2年3月27日締結）"
    assert lines(dated_title(TEXT, FACTS, bracket="()", word=""))[0] == TITLE + "(令和2年3月27日)"
    assert "令和二年三月二十七日" in date_style(TEXT, style="kanji")
    assert "令和２年３月２７日" in date_style(TEXT, style="fullwidth")
    assert "令和 2 年 3 月 27 日" in date_style(TEXT, style="spaced")
    assert date_style("令和元年5月1日 令和2年 月 日", style="kanji") == "令和元年五月一日 令和2年 月 日"


def test_indent_every_line_or_the_headings():
    assert indent("a\n\n（目的）\n第1条 b", character="\u3000", width=1) == "\u3000a\n\n\u3000（目的）\n\u3000第1条 b"
    assert indent("a\n（目的）\n第1条 b", character=" ", width=3, headings_only=True) == "a\n   （目的）\n第1条 b"


def test_letter_spacing_title_headings_and_article_numbers():
    out = letter_space(TEXT, FACTS, separator=" ", title=True, headings=True, article_numbers=True)
    assert lines(out)[0] == " ".join(TITLE)
    assert lines(out)[4:6] == ["（ 目 的 ）", "第 1 条 この連携協約は、圏域を形成することを目的とする。"]
    assert letter_space("（ 目的 ）", FACTS) == "（ 目的 ）"  # spaced already


def test_brackets_ascii_and_spaced():
    assert lines(ascii_brackets(TEXT))[2] == "前橋市(以下「甲」という。)及び渋川市(以下「乙」という。)は、次のとおり連携協約を締結する。"
    assert lines(ascii_brackets(TEXT, headings_only=True))[2:5] == lines(TEXT)[2:4] + ["(目的)"]
    assert bracket_spaces("（以下「甲」という。）（目的）", space=" ") == "（ 以下「甲」という。 ）（ 目的 ）"
    assert bracket_spaces("（以下「甲」という。）（目的）", space=" ", every=2, quotes=True) == "（以下「 甲 」という。）（目的）"


def test_ocr_punctuation_in_sentences_only():
    sentence = "前橋市（以下「甲」という。）及び渋川市は、締結する。"
    assert ocr_punctuation(sentence, punctuation="space") == "前橋市（以下「甲」という ）及び渋川市は 締結する "
    assert ocr_punctuation(sentence, every=2, punctuation="drop", quotes="drop") == "前橋市（以下 甲 という。）及び渋川市は締結する。"
    assert ocr_punctuation(sentence, punctuation="space", quotes="variants").startswith("前橋市（以下『甲』という ）")
    row = "地域医療\t救急医療に、取り組む。"
    assert ocr_punctuation(row) == row


def test_hard_wraps_leave_table_rows_whole():
    out = hard_wraps("あいうえおかきくけこさし\n区分\tあいうえおかきくけこさし", width=5)
    assert out == "あいうえお\nかきくけこ\nさし\n区分\tあいうえおかきくけこさし"


def test_page_breaks_with_numbers_and_running_heads():
    out = page_breaks("a\nb\n\nc\nd\ne", FACTS, every=2, number_style="- {n} -", running_head=True)
    assert out == "a\nb\n\n- 1 -\n\n前橋市・渋川市 連携協約\n\n\nc\nd\n\n- 2 -\n\n前橋市・渋川市 連携協約\n\ne\n\n- 3 -\n"
    assert page_breaks("a\nb\nc", FACTS, every=2, number_style="{n}/{total}", running_head=False) == "a\nb\n\n1/2\n\nc\n\n2/2\n"


def test_flatten_the_document_or_each_page():
    assert flatten("（目的）\n\n\u3000第1条 a。\n区分\t取組") == "（目的） 第1条 a。 区分\t取組\n"
    assert flatten("a\nb\nc\n\nd\te", pages=2, page_numbers=True, cells="spaces") == "a b - 1 -\nc d e - 2 -\n"


def test_garbage_before_the_first_line():
    assert garbage_before(TEXT, tokens=(("°", "。"), ("ＡＢ",))) == "° 。\nＡＢ\n" + TEXT


def test_every_form_is_a_pure_function_of_its_arguments():
    for name, form in FORMS.items():
        parameters = form.draw(random.Random(name), FACTS)
        assert parameters == form.draw(random.Random(name), FACTS), name
        assert transform(TEXT, FACTS, [(name, parameters)]) == transform(TEXT, FACTS, [(name, parameters)]), name


WHITESPACE = re.compile(r"[ \u3000\t\n]")
ONLY_WHITESPACE = ("indent", "hard_wraps", "flatten", "letter_space", "bracket_spaces")


@pytest.mark.parametrize("name", ONLY_WHITESPACE)
def test_forms_that_only_move_whitespace_keep_every_other_character(name):
    for doc in DOCUMENTS.values():
        for seed in range(3):
            parameters = FORMS[name].draw(random.Random(seed), doc.facts)
            out = FORMS[name].apply(doc.text, doc.facts, **parameters)
            assert WHITESPACE.sub("", out) == WHITESPACE.sub("", doc.text), (name, doc.name, parameters)


def test_ascii_brackets_change_nothing_but_brackets():
    for doc in DOCUMENTS.values():
        assert ascii_brackets(doc.text) == doc.text.replace("（", "(").replace("）", ")")
