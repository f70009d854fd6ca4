"""Amending agreements read into structured changes (text.amendment), on the fictional texts of
tests/fixtures/amendments/ (README there) and on forms of them that hypothesis varies."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyoyaku.text.parse import parse_bytes, parse_file

from ..conftest import FIXTURES, SEED, cli

AMENDMENTS = FIXTURES / "amendments"
FIRST = AMENDMENTS / "mito-omitama-2023-03-20.txt"


def target(kind, written, article=None, paragraph=None, appendix=None, section=None, row=None):
    return {"kind": kind, "as_written": written, "article": article, "paragraph": paragraph, "appendix": appendix,
            "section": section, "row": row}


def test_the_changes_of_an_amending_agreement_as_parse_shows_them():
    result = cli("parse", FIRST)
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["title"] == "いばらき県央地域連携中枢都市圏の形成に関する連携協約の一部を変更する連携協約"
    assert (parsed["date"], [p["code"] for p in parsed["parties"]]) == ("2023-03-20", ["082015", "082368"])
    assert parsed["articles"] == [] and parsed["initiatives"] == []
    amendment = parsed["amendment"]
    assert amendment["amends"] == {"title": "いばらき県央地域連携中枢都市圏の形成に関する連携協約", "date": "2022-02-21",
                                   "date_as_written": "令和4年2月21日", "line": 3}
    assert [(c["number"], c["kind"], c["target"], c["old_text"], c["new_text"], c["line"])
            for c in amendment["changes"]] == [
        (1, "replace-text", target("article", "第5条", article="5"), "定期的に", "毎年度1回以上", 5),
        (2, "replace-text", target("paragraph", "第6条第2項", article="6", paragraph=2), "2年", "1年", 7),
        (3, "replace", target("article", "第7条", article="7"), None, None, 9),
        (4, "replace-text", target("row", "別表1の表企業や産業の育成・支援の項", appendix="別表", section="1",
                                   row="企業や産業の育成・支援"),
         "産業活性化コーディネーターの派遣", "産業活性化コーディネーターの派遣及び創業支援", 15),
        (5, "delete", target("row", "別表3(1)の表環境の項", appendix="別表", section="3-1", row="環境"), None, None, 17),
        (6, "insert", target("row", "別表3(2)の表移住・定住促進の項", appendix="別表", section="3-2", row="移住・定住促進"),
         None, None, 19),
    ]
    assert [(s["line"], s["text"]) for s in amendment["changes"][2]["content"]] == [
        (11, "（疑義の解決）"),
        (12, "第7条 この連携協約に定めのない事項又はこの連携協約について疑義を生じたときは、甲及び乙が協議の上、決定するものとする。"),
        (13, "2 前項の協議は、甲が招集する。"),
    ]
    assert amendment["changes"][0]["text"] == "第5条中「定期的に」を「毎年度1回以上」に改める。"
    assert (amendment["effective"], amendment["effective_as_written"], amendment["effective_line"]) == \
        ("2023-04-01", "令和5年4月1日", 24)
    assert amendment["supplementary"] == {"text": "附　則\nこの連携協約は、令和5年4月1日から施行する。", "line": 23}
    assert amendment["regular"] is True
    # the only diagnostic: the core city, which an amending agreement does not declare
    assert result.stderr == (f"{FIRST}:3: info: core city taken to be the first party, 水戸市: no 連携中枢都市宣言 "
                             "or 中心市宣言 names one\n")


def test_the_new_text_of_an_instruction_is_read_into_articles_and_rows():
    amendment = parse_file(FIRST).amendment
    article = amendment.changes[2].articles[0]
    assert (article.number, article.heading, [p.text for p in article.paragraphs]) == (
        "7", "疑義の解決", ["この連携協約に定めのない事項又はこの連携協約について疑義を生じたときは、甲及び乙が協議の上、決定するものとする。",
                          "前項の協議は、甲が招集する。"])
    [row] = amendment.changes[5].initiatives
    assert (row.category, row.policy_field, row.policy_field_match, row.line) == ("地産地消", "local-production", "synonym", 21)
    assert [(r.designation, r.leads) for r in row.roles] == [("甲", True), ("乙", False)]


def test_a_teiju_amendment_with_a_reikishu_header_and_its_whole_appendix_replaced():
    agreement = parse_file(AMENDMENTS / "tateyama-kyonan-2022-03-25.txt")
    amendment = agreement.amendment
    assert (agreement.framework, agreement.notice, agreement.date) == ("teiju-jiritsu", "告示第31号", "2022-03-25")
    assert (amendment.amended_title, amendment.amended_date) == ("館山市と鋸南町との定住自立圏形成協定書", "2020-04-01")
    assert [(c.kind, c.target.kind, c.target.as_written) for c in amendment.changes] == [
        ("replace-text", "article", "第５条"), ("replace", "appendix", "別表")]
    [appendix] = amendment.changes[1].appendices
    assert [s.key for s in appendix.sections] == ["1", "2", "3"]
    assert [(r.section, r.category, r.teiju_policy_field) for r in appendix.initiatives] == [
        ("1", "医療", "medical"), ("1", "福祉", "welfare"), ("2", "地域公共交通", "public-transport"),
        ("3", "人材の育成", "human-resources")]
    assert (amendment.effective, amendment.effective_as_written) == ("2022-04-01", "令和４年４月１日")


def test_an_amendment_that_takes_effect_on_signing_takes_the_date_it_is_signed():
    agreement = parse_file(AMENDMENTS / "mito-omitama-2024-03-29.txt")
    amendment = agreement.amendment
    assert (amendment.effective, amendment.effective_as_written, amendment.effective_line) == ("2024-03-29", None, 15)
    insert, replace = amendment.changes
    assert (insert.kind, insert.target.article, [a.number for a in insert.articles]) == ("insert", "5", ["5の2"])
    assert (replace.kind, replace.target.section, replace.target.row) == ("replace", "2", "高度なＩＣＴ環境の整備")


def test_an_ordinary_agreement_has_no_amendment():
    seed = parse_file(SEED)
    assert seed.amendment is None and "amendment" not in seed.to_dict()


def amending_text(instructions: list[str], supplementary: str = "この連携協約は、令和5年4月1日から施行する。",
                  preamble_date: str = "令和4年2月21日", header: bool = False, closing_date: str = "令和5年3月20日") -> str:
    title = "いばらき県央地域連携中枢都市圏の形成に関する連携協約の一部を変更する連携協約"
    lines = [f"○{title}", f"{closing_date}告示第12号", ""] if header else [title, ""]
    lines += [(f"水戸市（以下「甲」という。）と小美玉市（以下「乙」という。）とは、{preamble_date}に締結したいばらき県央地域"
              "連携中枢都市圏の形成に関する連携協約の一部を次のように変更する。"), ""]
    lines += [*instructions, "", "附　則", supplementary, "",
              "この連携協約の締結を証するため、本書2通を作成し、甲及び乙が記名押印の上、各1通を保有する。", "", closing_date, "",
              "甲 水戸市", "水戸市長", "高橋 靖", "", "乙 小美玉市", "小美玉市長", "島田 穰一"]
    return "\n".join(lines) + "\n"


def parse_text(text: str):
    return parse_bytes(text.encode("utf-8"), name="amending.txt")


def test_an_instruction_not_understood_is_a_warning_naming_its_line_and_no_consolidation():
    text = amending_text(["第5条中「定期的に」を「毎年度」に改める。",
                          "第3条中「別表」を「別表第1」に改め、同条に次の1項を加える。",
                          "2 前項の別表第1は、毎年度見直す。"])
    agreement = parse_text(text)
    line = text.splitlines().index("第3条中「別表」を「別表第1」に改め、同条に次の1項を加える。") + 1
    assert [(d.level, d.line, d.message) for d in agreement.diagnostics if d.level == "warning"] == [
        ("warning", line, ("amending instruction not understood (and the 1 line(s) after it): "
                          "第3条中「別表」を「別表第1」に改め、同条に次の1項を加える。; no consolidated text is made"))]
    assert agreement.amendment.regular is False
    assert [c.kind for c in agreement.amendment.changes] == ["replace-text"]  # the instruction read is kept


def test_a_supplementary_provision_not_understood_is_a_warning():
    text = amending_text(["第5条中「定期的に」を「毎年度」に改める。"], supplementary="この連携協約は、別に定める日から施行する。")
    agreement = parse_text(text)
    line = text.splitlines().index("この連携協約は、別に定める日から施行する。") + 1
    assert [(d.line, d.message) for d in agreement.diagnostics if d.level == "warning"] == [
        (line, ("附則 not understood: この連携協約は、別に定める日から施行する。 (expected この連携協約は、令和5年4月1日から施行する, "
               "…から効力を生ずる, 締結の日から施行する)"))]
    assert (agreement.amendment.effective, agreement.amendment.regular) == (None, False)


def test_a_preamble_that_names_no_agreement_is_an_error():
    text = amending_text(["第5条中「定期的に」を「毎年度」に改める。"]).replace("令和4年2月21日に締結した", "")
    agreement = parse_text(text)
    assert [(d.line, d.message) for d in agreement.diagnostics if d.level == "error"] == [
        (3, "the agreement amended: its date and title in the preamble (令和4年2月21日に締結した…の一部を次のように変更する)")]


def full_width(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


KANJI = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 21: "二十一"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(digits=st.sampled_from(["half", "full"]), era_kanji=st.booleans(), header=st.booleans(),
       spacing=st.sampled_from(["附則", "附　則", "附 則"]),
       takes_effect=st.sampled_from(["から施行する。", "から効力を生ずる。", "から適用する。"]),
       article=st.integers(min_value=1, max_value=7), pairs=st.integers(min_value=1, max_value=3))
def test_the_forms_of_an_instruction_do_not_change_what_is_read(digits, era_kanji, header, spacing, takes_effect,
                                                                  article, pairs):
    """The same changes and dates, whatever the width of the digits, era dates in kanji, a 例規集
    header, the letter spacing of 附則, the words that make it take effect, and how many word pairs
    one instruction replaces."""
    words = [(f"語{k}", f"新語{k}") for k in range(pairs)]
    number = str(article) if digits == "half" else full_width(str(article))
    instruction = f"第{number}条中" + "、".join(f"「{old}」を「{new}」に" for old, new in words) + "改める。"
    effective = "令和五年四月一日" if era_kanji else ("令和5年4月1日" if digits == "half" else "令和５年４月１日")
    preamble_date = "令和四年二月二十一日" if era_kanji else "令和4年2月21日"
    text = amending_text([instruction], supplementary=f"この連携協約は、{effective}{takes_effect}",
                         preamble_date=preamble_date, header=header).replace("附　則", spacing)
    agreement = parse_text(text)
    amendment = agreement.amendment
    assert [d for d in agreement.diagnostics if d.level != "info"] == []
    assert (amendment.amended_date, amendment.effective, amendment.regular) == ("2022-02-21", "2023-04-01", True)
    assert [(c.number, c.kind, c.target.kind, c.target.article, c.old_text, c.new_text) for c in amendment.changes] == [
        (k + 1, "replace-text", "article", str(article), old, new) for k, (old, new) in enumerate(words)]
    assert {c.line for c in amendment.changes} == {text.splitlines().index(instruction) + 1}
    assert agreement.date == "2023-03-20" and (agreement.notice == "告示第12号") == header


@settings(max_examples=30, deadline=None)
@given(section=st.sampled_from([("1", None, "1", "企業や産業の育成・支援"), ("3", "1", "3-1", "環境"),
                                 ("3", "2", "3-2", "移住・定住促進")]),
       joiner=st.sampled_from(["", "の"]), table=st.sampled_from(["の表", ""]), width=st.sampled_from(["half", "full"]),
       kind=st.sampled_from(["を削る。", "中「取り組む」を「取り組むものとする」に改める。"]))
def test_the_forms_of_a_row_reference_name_the_same_row(section, joiner, table, width, kind):
    """別表3(1)の表環境の項, 別表の3の(1)環境の項, 別表３（１）の表…: one row of one section."""
    top, sub, key, row = section
    written = top + (f"{joiner}（{sub}）" if sub else "")
    written = written if width == "half" else unicodedata.normalize("NFKC", written).translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    instruction = f"別表{joiner}{written}{table}{row}の項{kind}"
    agreement = parse_text(amending_text([instruction]))
    [change] = agreement.amendment.changes
    assert (change.target.kind, change.target.appendix, change.target.section, change.target.row) == ("row", "別表", key, row)
    assert change.kind == ("delete" if kind == "を削る。" else "replace-text")


def test_the_text_summary_lists_the_changes():
    result = cli("parse", FIRST, "--format", "text")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    start = lines.index("amends:   いばらき県央地域連携中枢都市圏の形成に関する連携協約 (2022-02-21); in force from 2023-04-01")
    assert lines[start + 1:start + 7] == ["   1 replace-text 第5条", "   2 replace-text 第6条第2項", "   3 replace 第7条",
                                          "   4 replace-text 別表1の表企業や産業の育成・支援の項",
                                          "   5 delete 別表3(1)の表環境の項", "   6 insert 別表3(2)の表移住・定住促進の項"]
