"""Roles written as nested outlines (text.outline): the field heading is the category, whatever the
label systems and however deep the outline; a table 別表 or a list of definitions is no outline."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyoyaku.text.layout import INDENT, PAGE_NUMBER, Line, clean_lines
from kyoyaku.text.outline import (
    OutlineRole,
    read_label,
    read_outline,
    read_outline_span,
)

from ..conftest import FIXTURES, SEED

FORMS = FIXTURES / "forms"
LEADS = "主体的に"


def cleaned(name: str) -> list[Line]:
    return clean_lines((FORMS / f"{name}.txt").read_text(encoding="utf-8"))


def unwrapped(name: str) -> list[Line]:
    """The file's lines without indentation, blank lines and page numbers, and nothing else removed
    (layout.clean_lines also drops lines it takes for running heads)."""
    text = (FORMS / f"{name}.txt").read_text(encoding="utf-8")
    return [Line(n, t.strip().lstrip(INDENT)) for n, t in enumerate(text.split("\n"), start=1)
            if t.strip() and not PAGE_NUMBER.match(t.strip())]


def after(lines: list[Line], start: str) -> list[Line]:
    """The lines after the first one starting with `start` (a 別表 heading, or 第3条 whose first
    sentence is its line)."""
    i = next(i for i, line in enumerate(lines) if line.text.startswith(start))
    return lines[i + 1:]


def expected(name: str) -> list[dict]:
    return json.loads((FORMS / f"{name}.expected.json").read_text(encoding="utf-8"))["initiatives"]


# fixture → the lines to read (the body of its 別表 or of its 第3条), and the parties each role names:
# who as written → the parties' designations ("" for a name), a group or a role word standing for parties.
def from_appendix(lines):
    """The lines from the 別表's heading on (its body may share the heading's line)."""
    return lines[next(i for i, line in enumerate(lines) if line.text.startswith("別表")):]


OUTLINES = {
    "outline-circled-numbers": (lambda: after(cleaned("outline-circled-numbers"), "別表"), {}),
    "outline-field-sub-items": (lambda: after(cleaned("outline-field-sub-items"), "別表"), {}),
    "outline-full-names": (lambda: after(cleaned("outline-full-names"), "別表"),
                           {"福井市": [""], "永平寺町": [""]}),
    "outline-kanji-labels": (lambda: after(cleaned("outline-kanji-labels"), "別表"), {}),
    "outline-latin-roman": (lambda: after(cleaned("outline-latin-roman"), "第3条"), {}),
    "outline-teiju-viewpoints": (lambda: after(cleaned("outline-teiju-viewpoints"), "別表"), {}),
    "outline-three-parties": (lambda: after(cleaned("outline-three-parties"), "第3条"), {}),
    "parties-core-city-only": (lambda: after(cleaned("parties-core-city-only"), "第3条"),
                               {"中心市": [""], "須坂市": [""]}),
    "combo-reiki-teiju-no-closing-date": (lambda: after(cleaned("combo-reiki-teiju-no-closing-date"), "第3条"), {}),
    "combo-title-masked-group-outline": (lambda: after(cleaned("combo-title-masked-group-outline"), "第3条"),
                                         {"福島市": [""], "連携市町": ["", ""]}),
    # its first sentence is wrapped over two lines: the second is text before the first item
    "combo-pdf-breaks-indent-outline": (lambda: after(unwrapped("combo-pdf-breaks-indent-outline"), "第3条"), {}),
    # one line per PDF page: the items of 第3条 share their page's line
    "pdf-page-per-line": (lambda: after(cleaned("pdf-page-per-line"), "第3条"), {}),
    # the whole 別表, heading included, is one line of the file (layout splits it at its labels)
    "combo-page-per-line-title-date-viewpoints": (
        lambda: from_appendix(cleaned("combo-page-per-line-title-date-viewpoints")), {}),
}


@pytest.mark.parametrize("name", sorted(OUTLINES))
def test_fixture_outlines_give_the_expected_initiatives(name):
    lines, parties = OUTLINES[name]
    got = read_outline(lines())
    want = expected(name)
    assert [i.category for i in got] == [i["category"] for i in want]
    for initiative, wanted in zip(got, want, strict=True):
        assert initiative.description and initiative.description.endswith("。"), initiative
        roles = [(designation, LEADS in role.text) for role in initiative.roles
                 for designation in parties.get(role.who, [role.who])]
        assert roles == [(r["designation"], r["leads"]) for r in wanted["roles"]], initiative


def test_sub_items_each_an_initiative_under_their_field():
    got = read_outline(after(cleaned("outline-field-sub-items"), "別表"))
    first, second = got[:2]
    assert (first.category, first.section, first.line) == ("地域医療", "1-1", 43)
    assert first.description == "休日及び夜間の救急患者を受け入れる病院群輪番制を維持する。"
    assert first.roles == [OutlineRole("甲", "乙と連携して病院群輪番制の維持に主体的に取り組む。", 45),
                           OutlineRole("乙", "甲と連携して病院群輪番制の維持に取り組む。", 46)]
    assert [(h.label, h.title, h.key, h.line) for h in first.headings] == [
        ("(1)", "地域医療", "1", 42), ("ア", "救急医療体制の確保", "1-1", 43)]
    assert (second.category, second.section, second.line) == ("地域医療", "1-2", 47)
    assert second.description == "小児科の夜間診療体制について情報を共有し、受診の案内を共同で行う。"
    assert [i.section for i in got] == ["1-1", "1-2", "2-1", "3-1", "3-2", "4-1"]


def test_text_on_the_lines_after_the_label():
    got = read_outline(after(cleaned("outline-latin-roman"), "第3条"))
    assert [(i.category, i.section) for i in got] == [
        ("地域資源を活用した産業振興", "1-1"), ("地域資源を活用した産業振興", "1-2"),
        ("教育・文化・スポーツ", "2-1"), ("災害対策", "3-1")]
    assert got[1].description == "創業を希望する者を対象とする相談窓口を共同で開設する。"
    assert got[1].roles == [OutlineRole("甲", "乙と連携して創業支援に主体的に取り組む。", 24),
                            OutlineRole("乙", "甲と連携して創業支援に主体的に取り組む。", 26)]
    assert got[3].roles[1] == OutlineRole("乙", "甲と連携して避難所の相互利用の体制整備に取り組む。", 42)


def test_kanji_and_digit_labels():
    got = read_outline(after(cleaned("outline-kanji-labels"), "別表"))
    assert [(i.category, i.section, i.line) for i in got] == [
        ("医療", "1", 41), ("産業振興", "2", 48), ("地域公共交通", "3", 55), ("宣言中心市等における人材の育成", "4", 62)]
    assert got[3].description == "甲及び乙の職員を対象とする合同研修を実施する。"
    assert got[3].roles == [OutlineRole("甲", "合同研修を企画し、乙と連携して実施する。", 65),
                            OutlineRole("乙", "甲と連携して合同研修の実施に協力する。", 67)]


def test_viewpoint_headings_are_not_fields():
    got = read_outline(after(cleaned("outline-teiju-viewpoints"), "別表"))
    assert [(i.category, i.section) for i in got] == [
        ("医療", "1-1-1"), ("医療", "1-1-2"), ("教育", "1-2-1"), ("産業振興", "1-3-1"),
        ("地域公共交通", "2-1-1"), ("ICTインフラ整備", "2-2-1"), ("宣言中心市等における人材の育成", "3-1-1")]
    assert [(h.label, h.title, h.key) for h in got[4].headings] == [
        ("第2", "結びつきやネットワークの強化に係る政策分野", "2"), ("1", "地域公共交通", "2-1"),
        ("(1)", "広域バス路線の維持", "2-1-1")]
    assert got[4].roles == [OutlineRole("甲", "乙と連携して広域バス路線の維持に主体的に取り組む。", 81),
                            OutlineRole("乙", "甲と連携して広域バス路線の維持に主体的に取り組む。", 83)]
    assert got[4].line == 78


def test_viewpoint_above_the_field_with_the_items_under_the_field():
    got = read_outline(after(cleaned("parties-core-city-only"), "第3条"))
    assert [(i.category, i.section, i.line) for i in got] == [("医療", "1-1", 14), ("福祉", "1-2", 21), ("地産地消", "2-1", 29)]
    assert [r.who for r in got[0].roles] == ["中心市", "須坂市"]


def test_wrapped_text_is_joined_and_the_next_paragraph_ends_the_outline():
    got = read_outline(after(unwrapped("combo-pdf-breaks-indent-outline"), "第3条"))
    assert got[0].description == "新幹線駅と市街地や観光地を結ぶ二次交通の情報を一体的に発信し、周遊観光を推進する。"
    assert got[0].roles == [OutlineRole("甲", "乙と連携して周遊観光の推進に主体的に取り組む。", 27),
                            OutlineRole("乙", "甲と連携して周遊観光の推進に主体的に取り組む。", 29)]
    assert got[-1].category == "地域の生産者や消費者等の連携による地産地消"
    # `2 甲及び乙は、…` (paragraph 2 of 第3条) and the articles after it are not part of the last role
    assert got[-1].roles[-1] == OutlineRole("乙", "甲と連携して地元食材の活用に主体的に取り組む。", 52)


def test_items_sharing_one_line():
    got = read_outline(after(cleaned("pdf-page-per-line"), "第3条"))
    assert [(i.category, i.section, i.line) for i in got] == [
        ("医療", "1-1", 1), ("子育て支援", "1-2", 1), ("地域公共交通", "2-1", 1), ("宣言中心市等における人材の育成", "3-1", 2)]
    assert got[0].description == "休日における在宅当番医制度の運営を共同で行い、初期救急医療体制を維持する。"
    assert got[3].roles == [OutlineRole("甲", "合同研修を企画し、乙と連携して実施する。", 2),
                            OutlineRole("乙", "甲と連携して合同研修の実施に協力する。", 2)]


def test_a_group_role_is_kept_as_written():
    got = read_outline(after(cleaned("combo-title-masked-group-outline"), "第3条"))
    assert [[r.who for r in i.roles] for i in got] == [["福島市", "連携市町"]] * 3
    assert got[1].roles[1] == OutlineRole("連携市町", "福島市と連携して周遊観光の推進に主体的に取り組む。", 25)


def test_role_groups_under_a_roles_heading():
    """`(a) 取組内容` / `(b) 役割分担` / `i 甲の役割`: the roles belong to the field above (b)."""
    lines = after(clean_lines((FIXTURES / "family" / "roles-inline-a-b-i-ii.txt").read_text(encoding="utf-8")), "第3条")
    got = read_outline(lines)
    assert [(i.category, i.section) for i in got] == [
        ("産業振興", "1-1"), ("観光", "1-2"), ("高度な医療サービスの提供", "2-1"), ("地域公共交通", "3-1")]
    assert got[0].description == "農林水産物の高付加価値化に向けた六次産業化の取組を支援する。"
    assert got[0].roles == [OutlineRole("甲", "乙と連携して六次産業化の支援に主体的に取り組む。", 18),
                            OutlineRole("乙", "甲と連携して六次産業化の支援に取り組む。", 20)]


def test_no_outline_in_a_table_or_in_plain_items():
    seed = clean_lines(SEED.read_text(encoding="utf-8"))
    assert read_outline(after(seed, "別表")) == []  # tab-separated rows under numbered headings
    assert read_outline(after(seed, "第1条")) == []  # the whole agreement from 第1条 on
    items = clean_lines((FIXTURES / "family" / "articles-sub-number-items.txt").read_text(encoding="utf-8"))
    # (2) 連携する取組 第4条に規定する取組をいう。 is a definition, not a description with roles
    assert read_outline(after(items, "第2条")) == []
    assert read_outline(after(items, "第3条の2")) == []
    assert read_outline([Line(1, "(1) 医療"), Line(2, "ア 病院の運営"), Line(3, "イ 救急の体制")]) == []
    assert read_outline([]) == []


def test_article_and_closing_lines_end_the_outline():
    lines = [Line(1, "(1) 医療"), Line(2, "ア 取組の内容 病院を運営する。"), Line(3, "イ 甲の役割 運営する。"),
             Line(4, "（費用負担）"), Line(5, "第4条 費用は協議して定める。"), Line(6, "(2) 福祉"),
             Line(7, "ア 乙の役割 協力する。")]
    got, end = read_outline_span(lines)
    assert [(i.category, [(r.who, r.text) for r in i.roles]) for i in got] == [("医療", [("甲", "運営する。")])]
    assert end == 3  # the heading of 第4条
    closing = [*lines[:3], Line(9, "この連携協約の締結を証するため、本書2通を作成し、…"), *lines[5:]]
    assert read_outline_span(closing)[1] == 3
    assert read_outline_span(lines[:3]) == (got, 3)
    notes = [*lines[:3], Line(8, "備考"), Line(9, "1 この表の取組は、毎年度見直す。")]
    assert read_outline_span(notes) == (got, 3)
    assert read_outline_span([Line(5, "第4条 費用は協議して定める。"), *lines[:3]]) == ([], 0)


def test_where_an_inline_outline_ends_in_its_article():
    lines = after(cleaned("outline-three-parties"), "第3条")
    got, end = read_outline_span(lines)
    assert len(got) == 3
    assert (lines[end].number, lines[end].text[:10]) == (28, "2 甲、乙及び丙は、")
    lines = after(cleaned("outline-latin-roman"), "第3条")
    assert lines[read_outline_span(lines)[1]].text.startswith("2 甲及び乙は、前項に規定する取組を")


def test_a_list_inside_a_role_is_part_of_its_text():
    lines = [Line(1, "(1) 医療"), Line(2, "ア 取組の内容"), Line(3, "病院を運営する。"), Line(4, "イ 甲の役割"),
             Line(5, "次の事務を行う。"), Line(6, "(ア) 運営費の負担"), Line(7, "(イ) 医師の派遣"), Line(8, "ウ 乙の役割"),
             Line(9, "協力する。"), Line(10, "(2) 福祉"), Line(11, "ア 取組の内容 相談窓口を置く。"), Line(12, "イ 甲の役割 置く。")]
    got = read_outline(lines)
    assert [i.category for i in got] == ["医療", "福祉"]
    assert got[0].roles == [OutlineRole("甲", "次の事務を行う。\n(ア) 運営費の負担\n(イ) 医師の派遣", 4),
                            OutlineRole("乙", "協力する。", 8)]


def test_fields_with_and_without_sub_items_in_one_outline():
    """A kind of label continues its own list wherever it is open: ① under a field, and ① again
    under the sub-items of the next field."""
    lines = [Line(n, t) for n, t in enumerate([
        "1 医療", "① 取組の内容 病院を運営する。", "② 甲の役割 運営する。", "③ 乙の役割 協力する。",
        "2 観光", "ア 周遊観光", "① 取組の内容 ルートを造成する。", "② 甲の役割 造成する。",
        "イ 受入環境", "① 取組の内容 案内を統一する。", "② 乙の役割 統一する。"], start=1)]
    got = read_outline(lines)
    assert [(i.category, i.section, i.line, i.description, [(r.who, r.text, r.line) for r in i.roles]) for i in got] == [
        ("医療", "1", 1, "病院を運営する。", [("甲", "運営する。", 3), ("乙", "協力する。", 4)]),
        ("観光", "2-1", 6, "ルートを造成する。", [("甲", "造成する。", 8)]),
        ("観光", "2-2", 9, "案内を統一する。", [("乙", "統一する。", 11)]),
    ]


@pytest.mark.parametrize("text, kind, ordinal", [
    ("(1) 医療", ("digit", "paren"), 1), ("（１２） 医療", ("digit", "paren"), 12), ("3 医療", ("digit", "bare"), 3),
    ("3. 医療", ("digit", "period"), 3), ("3）医療", ("digit", "half"), 3), ("③取組の内容", ("circled", "circled"), 3),
    ("㉑ 取組", ("circled", "circled"), 21), ("一 医療", ("kanji", "bare"), 1), ("十二 医療", ("kanji", "bare"), 12),
    ("（二十）医療", ("kanji", "paren"), 20), ("第2 結びつき", ("dai", "bare"), 2), ("第三 圏域", ("dai", "bare"), 3),
    ("ウ 乙の役割", ("kana", "bare"), 3), ("(エ) 丙の役割", ("kana", "paren"), 4), ("ｱ 医療", ("kana", "bare"), 1),
    ("b 甲の役割", ("latin-lower", "bare"), 2), ("(c) 乙", ("latin-lower", "paren"), 3), ("Ｂ 福祉", ("latin-upper", "bare"), 2),
    ("iv 丙の役割", ("roman-lower", "bare"), 4), ("(ii) 甲", ("roman-lower", "paren"), 2), ("Ⅲ 産業", ("roman-upper", "bare"), 3),
    ("i 取組の内容", ("roman-lower", "bare"), 1), ("x 取組", ("roman-lower", "bare"), 10),
])
def test_labels(text, kind, ordinal):
    label = read_label(text)
    assert (label.kind, label.ordinal) == (kind, ordinal)
    assert text[label.end:] in {"医療", "結びつき", "圏域", "乙の役割", "丙の役割", "甲の役割", "乙", "福祉", "甲",
                                "産業", "取組の内容", "取組"}


@pytest.mark.parametrize("text", ["イベントを開催する。", "一部を負担する。", "1.5倍に増やす。", "第1条 目的", "十十 医療",
                                  "iiii 甲", "iv甲", "（目的）", "ab 医療", "医療"])
def test_not_labels(text):
    assert read_label(text) is None


def test_a_lone_i_after_h_is_a_letter():
    previous = {("latin-lower", "bare"): 8}
    assert read_label("i 福祉", 0, previous).kind == ("latin-lower", "bare")
    assert read_label("i 福祉", 0, {("latin-lower", "bare"): 2}).kind == ("roman-lower", "bare")
    assert read_label("v 福祉", 0, {("latin-lower", "paren"): 21}).kind == ("roman-lower", "bare")  # another form


# --- relabelling: the same outline written with any label systems reads the same ---------------------

def _kanji(n: int) -> str:
    digits = "一二三四五六七八九"
    return ("" if n < 10 else ("十" if n < 20 else digits[n // 10 - 1] + "十")) + (digits[n % 10 - 1] if n % 10 else "")


def _roman(n: int) -> str:
    return ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"][n - 1]


KANA = "アイウエオカキクケコサシス"
# label kind → how its n-th label is written (each a distinct kind of label)
LABEL_STYLES = {
    "(1)": lambda n: f"({n})", "1": lambda n: f"{n} ", "1.": lambda n: f"{n}.", "1)": lambda n: f"{n}）",
    "①": lambda n: chr(0x2460 + n - 1), "一": lambda n: f"{_kanji(n)} ", "(一)": lambda n: f"（{_kanji(n)}）",
    "第1": lambda n: f"第{n} ", "ア": lambda n: f"{KANA[n - 1]} ", "(ア)": lambda n: f"（{KANA[n - 1]}）",
    "a": lambda n: f"{chr(96 + n)} ", "(a)": lambda n: f"({chr(96 + n)})", "A": lambda n: f"{chr(64 + n)} ",
    "i": lambda n: f"{_roman(n)} ", "(i)": lambda n: f"({_roman(n)})", "I": lambda n: f"{_roman(n).upper()} ",
}
VIEWPOINTS = ["生活機能の強化に係る政策分野", "結びつきやネットワークの強化に係る政策分野", "圏域マネジメント能力の強化に係る政策分野"]
FIELDS = ["地域医療", "福祉", "戦略的な観光施策", "地域公共交通", "人材の育成", "災害対策", "教育・文化・スポーツ"]
SUBS = ["救急医療体制の確保", "小児医療の充実", "周遊観光の推進", "路線バスの維持・確保"]
SENTENCES = ["休日の救急医療体制を共同で確保する。", "乙と連携して周遊観光の推進に主体的に取り組む。",
             "甲と連携して路線バスの維持に取り組む。", "合同研修を企画し、乙と連携して実施する。",
             "ファミリー・サポート・センターの相互利用を進める。", "イベントを共同で開催し、一体的に情報を発信する。"]
WHO = ["甲", "乙", "丙", "連携町村", "中心市"]


@st.composite
def outlines(draw):
    """A random outline as nested dicts: optional 視点 groups, fields, optional sub-items, each entry
    (field or sub-item) with its description and roles, each text on the label's line, on the next
    line, or wrapped over two lines."""
    def texts():
        sentence = draw(st.sampled_from(SENTENCES))
        where = draw(st.sampled_from(["same", "next", "wrapped"]))
        cut = draw(st.integers(1, len(sentence) - 2))
        return sentence, where, cut

    def entry():
        parties = draw(st.lists(st.sampled_from(WHO), min_size=1, max_size=3, unique=True))
        return {"description": texts(), "roles": [(who, texts()) for who in parties]}

    def fields():
        return [{"title": draw(st.sampled_from(FIELDS)),
                 "subs": draw(st.one_of(st.none(), st.lists(st.sampled_from(SUBS), min_size=1, max_size=3))),
                 } for _ in range(draw(st.integers(1, 4)))]

    groups = [{"title": v, "fields": fields()} for v in VIEWPOINTS[: draw(st.integers(1, 3))]] \
        if draw(st.booleans()) else [{"title": None, "fields": fields()}]
    for group in groups:
        for f in group["fields"]:
            f["entries"] = [(s, entry()) for s in f["subs"]] if f["subs"] else [(None, entry())]
    return groups


def render(groups, styles: list[str]) -> tuple[list[Line], list[tuple]]:
    """The outline's lines, each level labelled in its style, and the initiatives it holds:
    (category, section, description, [(who, text, line)])."""
    lines: list[str] = []
    want = []

    def add(level: int, n: int, text: str) -> int:
        lines.append(LABEL_STYLES[styles[level]](n) + text)
        return len(lines)

    def add_text(level: int, n: int, head: str, body: tuple) -> tuple[str, int]:
        sentence, where, cut = body
        if where == "same":
            line = add(level, n, f"{head} {sentence}")
        elif where == "next":
            line = add(level, n, head)
            lines.append(sentence)
        else:
            line = add(level, n, f"{head} {sentence[:cut]}")
            lines.append(sentence[cut:])
        return sentence, line

    for g, group in enumerate(groups, start=1):
        top = 0
        if group["title"]:
            add(0, g, group["title"])
            top = 1
        for f, fld in enumerate(group["fields"], start=1):
            add(top, f, fld["title"])
            for s, (sub, entry) in enumerate(fld["entries"], start=1):
                level = top + 1
                path = [g] if group["title"] else []
                path.append(f)
                if sub:
                    add(level, s, sub)
                    level += 1
                    path.append(s)
                description, _ = add_text(level, 1, "取組の内容", entry["description"])
                roles = []
                for r, (who, body) in enumerate(entry["roles"], start=2):
                    text, line = add_text(level, r, f"{who}の役割", body)
                    roles.append((who, text, line))
                want.append((fld["title"], "-".join(map(str, path)), description, roles))
    return [Line(n, t) for n, t in enumerate(lines, start=1)], want


@settings(max_examples=300, deadline=None)
@given(groups=outlines(), styles=st.permutations(sorted(LABEL_STYLES)))
def test_relabelled_outlines_read_the_same(groups, styles):
    lines, want = render(groups, styles[:4])
    got = read_outline(lines)
    assert [(i.category, i.section, i.description, [(r.who, r.text, r.line) for r in i.roles]) for i in got] == want
    # the same outline in the national template's labels: the same initiatives, line for line
    template, _ = render(groups, ["(1)", "ア", "(ア)", "a"])
    assert [(i.category, i.section, i.description, i.roles) for i in read_outline(template)] == \
        [(i.category, i.section, i.description, i.roles) for i in got]
