"""Give a tidy agreement text the forms real published copies take (REAL-FORMS: how agreements reach
a user). The invariance tests (tests/text/test_invariance.py) and benchmarks/parse_forms.py share
these transformations: a reader that reads the tidy text must read the same agreement in each of
these forms and in any combination of them.

Each transformation is a pure function `f(text, facts, **parameters) -> text`: the same arguments
give the same text. `FORMS` names them, each with `draw(rng, facts) -> parameters`, which draws its
parameters from a `random.Random` the caller seeds; `transform(text, facts, steps)` applies a list of
(name, parameters). The facts a transformation needs (title, date, framework, the parties' names and
the first party's prefecture) are passed in as `Facts`, never guessed from the text: the caller
takes them from the parse of the tidy text (`facts_of`). Every value a transformation adds (a
notice or bill number, a mayor's name, a department in a breadcrumb) is fictional; nothing is said
about a real municipality beyond what the text and the facts already say.

Where a transformation has to find a part of the text, it looks for it as the tidy forms write it:
the title as a line that starts with `Facts.title`, headings as whole lines in brackets (（目的）),
the closing date as the first line holding an era date after the line of the closing formula
(…を証するため). When the part is not there, that transformation leaves the text as it is.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from .dates import ERA_DATE
from .municipalities import by_code
from .patterns import CLOSING, HEADING

ERAS = (  # (era, first day): the eras an agreement can be dated in
    ("令和", datetime.date(2019, 5, 1)),
    ("平成", datetime.date(1989, 1, 8)),
    ("昭和", datetime.date(1926, 12, 25)),
)
INDENT = " \u3000"
FICTIONAL_MAYOR = "山田\u3000太郎"
GARBAGE_CHARACTERS = "。、・°′″∴㊞＊※,.'`´~_|ABCDEFGHKLMNRSTXＡＢＣＥＨＫＭＯＲＳＴＸ印帯朱"
NAVIGATION_LINKS = ("目次", "閉じる", "ページの先頭へ", "印刷", "前へ", "次へ")
BREADCRUMB = "トップページ > 総務部 > 法務課 > 例規集 > 第2編 行政 > 協定"  # a fictional page's path


@dataclass(frozen=True)
class Facts:
    """What the transformations say about the agreement: its title (as the tidy text writes it on
    its own line), its date, its framework (renkei-chusu | teiju-jiritsu), the parties' names in
    order, and the first party's prefecture (for a 県知事届出 line), each as the parse found them."""

    title: str
    date: datetime.date | None
    framework: str
    parties: tuple[str, ...]
    prefecture: str | None = None


def facts_of(agreement: dict) -> Facts:
    """The Facts of an agreement in the shape of `Agreement.to_dict()` (text.model) — which a
    fixture's expectation (tests/fixtures/*/NAME.expected.json) also has: title, date, framework,
    parties with name and code."""
    parties = agreement["parties"]
    first = by_code(parties[0]["code"]) if parties and parties[0].get("code") else None
    return Facts(
        title=agreement["title"] or "",
        date=datetime.date.fromisoformat(agreement["date"]) if agreement["date"] else None,
        framework=agreement["framework"],
        parties=tuple(p["name"] for p in parties),
        prefecture=first.prefecture if first else None,
    )


def era_date(day: datetime.date, gannen: bool = True) -> str:
    """`day` as an era date with Arabic digits: 令和4年2月21日; the first year 元年 (or 1年)."""
    for era, start in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            written = "元" if year == 1 and gannen else str(year)
            return f"{era}{written}年{day.month}月{day.day}日"
    raise ValueError(f"{day.isoformat()} is before the eras an agreement is dated in")


def spaced(text: str, separator: str) -> str:
    """Letter spacing: every character followed by `separator` but the last (OCR, PDF text)."""
    return separator.join(text)


def title_line_index(lines: list[str], title: str) -> int | None:
    """The index of the first line that starts with the title (indentation aside), else None."""
    if not title:
        return None
    for i, line in enumerate(lines):
        if line.strip(INDENT).startswith(title):
            return i
    return None


def mayor_of(name: str) -> str:
    """The title of a municipality's head: 前橋市 → 前橋市長, 大泉町 → 大泉町長."""
    return name + "長"


def others_phrase(names: tuple[str, ...]) -> str:
    """Names joined the way a bill names its partners: A, A及びB, A、B及びC."""
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "及び" + names[-1]


# -- 1. the 例規集 page header --------------------------------------------------------------------
def add_reiki_header(text: str, facts: Facts, *, notice: int = 88, layout: str = "one-line", space: str = "",
                     blank_lines: int = 0, notified: bool = False, repeat_title: bool = True,
                     navigation: tuple[str, ...] = ()) -> str:
    """REAL-FORMS 1, 例規集 page header: `○` title, then the date (the agreement's date) and
    `告示第{notice}号` on one line (`layout="one-line"`, `space` between them) or on two lines with
    `blank_lines` blank lines between (`layout="lines"`); `notified` puts a 「{prefecture}知事届出済」
    line instead of the number. `repeat_title` keeps the text's own title line below the header
    (else it is removed when it is the title alone: the `○` line is then the only title). `navigation` lines come first: the
    page's own links (目次, 閉じる …) or a breadcrumb `トップページ > … > 協定`. A 例規集 page shows the
    agreement only: lines above the title (a cover) are replaced by the header. A text without its
    title line (or without a date in `facts`) is returned unchanged."""
    lines = text.split("\n")
    at = title_line_index(lines, facts.title)
    if at is None or facts.date is None:
        return text
    date = era_date(facts.date)
    number = f"{facts.prefecture or ''}知事届出済" if notified else f"告示第{notice}号"
    if layout == "one-line":
        dated = [date + space + number]
    else:
        dated = [date] + [""] * blank_lines + [number]
    header = list(navigation) + ["○" + facts.title] + dated
    if repeat_title or lines[at].strip(INDENT) != facts.title:
        return "\n".join(header + lines[at:])
    return "\n".join(header + lines[at + 1:])


def draw_reiki_header(rng: random.Random, facts: Facts) -> dict:
    navigation = rng.choice(["none", "links", "breadcrumb"])
    links = tuple(rng.sample(NAVIGATION_LINKS, rng.randint(1, 3))) if navigation == "links" else ()
    return {
        "notice": rng.randint(1, 300),
        "layout": rng.choice(["one-line", "lines"]),
        "space": rng.choice(["", " ", "\u3000"]),
        "blank_lines": rng.randint(0, 2),
        "notified": facts.prefecture is not None and rng.random() < 0.25,
        "repeat_title": rng.random() < 0.7,
        "navigation": (BREADCRUMB,) if navigation == "breadcrumb" else links,
    }


def short_title_of(title: str) -> str:
    """The title without the parties that lead it: 前橋市及び渋川市における連携中枢都市圏形成に係る連携協約
    → 連携中枢都市圏形成に係る連携協約 (after the last における / との / の間における); the title itself
    when it names no parties that way."""
    cut = max((title.rfind(lead) + len(lead) for lead in ("における", "との") if lead in title), default=0)
    return title[cut:] or title


# -- 3. a cover page -----------------------------------------------------------------------------
def add_cover(text: str, facts: Facts, *, short_title: str = "generic", dated: bool = True, style: str = "plain",
              separator: str = " ", names_on_one_line: bool = False, blank_lines: int = 2) -> str:
    """REAL-FORMS 3, a cover page before the title: a short title (`short_title="generic"`:
    連携協約書 / 定住自立圏形成協定書 by framework; `"full"`: the title itself; `"tail"`: the title
    without the parties, `short_title_of`), the agreement's date
    (`dated`), the parties' names (one a line, or joined by ・), then `blank_lines` blank lines.
    `style`: `"plain"`; `"spaced"`, every cover line letter-spaced with `separator`; `"vertical"`, the
    short title one character per line. The cover goes at the top of the text."""
    title = {"full": facts.title, "tail": short_title_of(facts.title)}.get(short_title) or (
        "定住自立圏形成協定書" if facts.framework == "teiju-jiritsu" else "連携協約書")
    names = ["・".join(facts.parties)] if names_on_one_line else list(facts.parties)
    date = [era_date(facts.date)] if dated and facts.date else []
    if style == "vertical":
        cover = list(title) + [""] + date + names
    elif style == "spaced":
        cover = [spaced(line, separator) for line in [title, *date, *names]]
    else:
        cover = [title, *date, *names]
    return "\n".join(cover + [""] * blank_lines) + "\n" + text


def draw_cover(rng: random.Random, facts: Facts) -> dict:
    return {
        "short_title": rng.choice(["generic", "full", "tail"]),
        "dated": rng.random() < 0.8,
        "style": rng.choice(["plain", "spaced", "vertical"]),
        "separator": rng.choice([" ", "\u3000"]),
        "names_on_one_line": rng.random() < 0.3,
        "blank_lines": rng.randint(1, 3),
    }


# -- 4. inside a council bill --------------------------------------------------------------------
def bill_title(facts: Facts) -> str:
    """The bill's title: 「{the other parties}との連携協約の締結について」 (定住自立圏: …との定住自立圏の形成に関する協定…)."""
    what = "定住自立圏の形成に関する協定" if facts.framework == "teiju-jiritsu" else "連携協約"
    return f"{others_phrase(facts.parties[1:])}との{what}の締結について"


def bill_date(facts: Facts, days_before: int) -> datetime.date:
    """The bill is submitted before the agreement is signed: `days_before` days before its date."""
    return facts.date - datetime.timedelta(days=days_before)


def wrap_in_bill(text: str, facts: Facts, *, number: int = 12, days_before: int = 30, attachment: str = "別紙",
                 reason: bool = True, blank_lines: bool = True, space: str = "\u3000") -> str:
    """REAL-FORMS 4, an agreement inside a council bill: `議案第{number}号`, the bill's title
    (`bill_title`), the sentence asking the council's 議決, `{date}提出` (`days_before` days before the
    agreement's date), the first party's mayor with a fictional name (山田 太郎, `space` inside the
    name line), optionally 提案理由 with a sentence, an `attachment` line (別紙, （別紙）, or "" for
    none), then the agreement as it was. `blank_lines` puts a blank line between the bill's lines."""
    if facts.date is None or not facts.parties:
        return text
    others = others_phrase(facts.parties[1:])
    if facts.framework == "teiju-jiritsu":
        ask = (f"定住自立圏の形成に関する協定を別紙のとおり{others}と締結することについて、地方自治法（昭和22年法律第67号）"
               "第96条第2項の規定により、議会の議決を求める。")
    else:
        ask = (f"地方自治法（昭和22年法律第67号）第252条の2第3項の規定により、{others}との間において別紙のとおり"
               "連携協約を締結することについて、議会の議決を求める。")
    mayor = f"{mayor_of(facts.parties[0])}{space}{FICTIONAL_MAYOR.replace(chr(0x3000), space)}"
    bill = [f"議案第{number}号", bill_title(facts), ask, f"{era_date(bill_date(facts, days_before))}提出", mayor]
    if reason:
        what = "協定" if facts.framework == "teiju-jiritsu" else "連携協約"
        bill += ["提案理由", f"{others}との間において{what}を締結するため、この案を提出する。"]
    if attachment:
        bill.append(attachment)
    separator = "\n\n" if blank_lines else "\n"
    return separator.join(bill) + "\n\n" + text


def draw_bill(rng: random.Random, facts: Facts) -> dict:
    return {
        "number": rng.randint(1, 120),
        "days_before": rng.randint(7, 60),
        "attachment": rng.choice(["別紙", "（別紙）", ""]),
        "reason": rng.random() < 0.5,
        "blank_lines": rng.random() < 0.5,
        "space": rng.choice([" ", "\u3000"]),
    }


# -- 1. the closing date missing -----------------------------------------------------------------
def drop_closing_date(text: str, facts: Facts | None = None) -> str:
    """REAL-FORMS 1, the closing date missing from the copy: the date line after the closing formula
    (…を証するため…) is removed, with one blank line after it. Meaningful only with a transformation
    that gives the date elsewhere (a 例規集 header, a cover, a bill): alone, the copy has no date."""
    lines = text.split("\n")
    closing = next((i for i, line in enumerate(lines) if CLOSING.search(line)), None)
    if closing is None:
        return text
    for i in range(closing + 1, len(lines)):
        line = lines[i].strip(INDENT)
        if not line:
            continue
        match = ERA_DATE.search(line)
        if match and match.group(0) == line:
            blank_after = i + 1 < len(lines) and not lines[i + 1].strip(INDENT)
            return "\n".join(lines[:i] + lines[i + 1 + blank_after:])
        return text  # the line after the closing formula is no date: nothing to drop
    return text


def draw_nothing(rng: random.Random, facts: Facts) -> dict:
    return {}


# -- 6. titles and dates in other places ---------------------------------------------------------
def dated_title(text: str, facts: Facts, *, bracket: str = "（）", word: str = "締結") -> str:
    """REAL-FORMS 6, a title that carries the date: the first line that is the title alone gets
    `（{date}{word}）` at its end (`bracket`: （） or ()), the agreement's date."""
    if facts.date is None:
        return text
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if facts.title and line.strip(INDENT) == facts.title), None)
    if at is None:
        return text
    lines[at] = f"{lines[at]}{bracket[0]}{era_date(facts.date)}{word}{bracket[1]}"
    return "\n".join(lines)


def draw_dated_title(rng: random.Random, facts: Facts) -> dict:
    return {"bracket": rng.choice(["（）", "()"]), "word": rng.choice(["締結", ""])}


KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_numeral(n: int) -> str:
    """1–99 in kanji as dates write them: 4 → 四, 10 → 十, 21 → 二十一."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else KANJI_DIGITS[tens] + "十")) + ("" if ones == 0 else KANJI_DIGITS[ones])


def date_style(text: str, facts: Facts | None = None, *, style: str = "kanji") -> str:
    """REAL-FORMS 6, dates in every form: every era date of the text (the agreement's and the ones
    it cites) rewritten with kanji numerals (`令和四年二月二十一日`), full-width digits
    (`令和４年２月２１日`) or spaces between the parts (`令和 4 年 2 月 21 日`); 元年 stays 元年. A
    date whose month or day is blank is left as it is."""
    def rewrite(match: re.Match) -> str:
        parts = [match.group(k) for k in ("year", "month", "day")]
        if not all(parts) or not all(p.isascii() and p.isdigit() or p == "元" for p in parts):
            return match.group(0)
        if style == "kanji":
            parts = [p if p == "元" else kanji_numeral(int(p)) for p in parts]
        elif style == "fullwidth":
            parts = [p.translate(FULL_WIDTH_DIGITS) for p in parts]
        if style == "spaced":
            return f"{match.group('era')} {parts[0]} 年 {parts[1]} 月 {parts[2]} 日"
        return f"{match.group('era')}{parts[0]}年{parts[1]}月{parts[2]}日"

    return ERA_DATE.sub(rewrite, text)


FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def draw_date_style(rng: random.Random, facts: Facts) -> dict:
    return {"style": rng.choice(["kanji", "fullwidth", "spaced"])}


# -- 5. PDF and OCR text -------------------------------------------------------------------------
def is_heading(line: str) -> bool:
    return bool(HEADING.match(line.strip(INDENT)))


def indent(text: str, facts: Facts | None = None, *, character: str = "\u3000", width: int = 1,
           headings_only: bool = False) -> str:
    """REAL-FORMS 5, indentation: every non-blank line (or only the heading lines, （目的）) led by
    `width` × `character` (an ASCII space or U+3000)."""
    lead = character * width
    return "\n".join(
        lead + line if line.strip(INDENT) and (not headings_only or is_heading(line)) else line
        for line in text.split("\n")
    )


def draw_indent(rng: random.Random, facts: Facts) -> dict:
    character = rng.choice([" ", "\u3000"])
    return {"character": character, "width": rng.randint(1, 14 if character == " " else 3),
            "headings_only": rng.random() < 0.3}


def letter_space(text: str, facts: Facts, *, separator: str = " ", title: bool = True, headings: bool = True,
                 article_numbers: bool = False) -> str:
    """REAL-FORMS 5, letter spacing: the title line(s) (`title`), the heading lines (`headings`,
    `（ 目 的 ）`) and the article numbers (`article_numbers`, `第 1 条`) spaced with `separator`. A
    title or heading with a space in it already is left as it is."""
    out = []
    for line in text.split("\n"):
        body = line.strip(INDENT)
        lead = line[: len(line) - len(line.lstrip(INDENT))]
        spaced_already = " " in body or "\u3000" in body  # spacing it again is no form a copy takes
        if not spaced_already and ((title and facts.title and body == facts.title) or (headings and is_heading(body))):
            line = lead + spaced(body, separator)
        elif article_numbers:
            match = re.match(r"第([0-9０-９]+)条(の[0-9０-９]+)?(?=[ \u3000])", body)
            if match:
                line = lead + spaced(match.group(0), separator) + body[match.end():]
        out.append(line)
    return "\n".join(out)


def draw_letter_space(rng: random.Random, facts: Facts) -> dict:
    title, headings = rng.choice([(True, False), (False, True), (True, True)])
    return {"separator": rng.choice([" ", "\u3000"]), "title": title, "headings": headings,
            "article_numbers": rng.random() < 0.3}


def ascii_brackets(text: str, facts: Facts | None = None, *, headings_only: bool = False) -> str:
    """REAL-FORMS 1 and 5, ASCII parentheses: （ ） written ( ) everywhere, or only in heading lines
    (`(目的)`)."""
    table = str.maketrans("（）", "()")
    if not headings_only:
        return text.translate(table)
    return "\n".join(line.translate(table) if is_heading(line) else line for line in text.split("\n"))


def draw_ascii_brackets(rng: random.Random, facts: Facts) -> dict:
    return {"headings_only": rng.random() < 0.3}


def bracket_spaces(text: str, facts: Facts | None = None, *, space: str = " ", every: int = 1,
                   quotes: bool = False) -> str:
    """REAL-FORMS 5, spaces inside brackets (PDF text): `( 以下「甲」という。)`, `（ 目的 ）`. A
    `space` inside every `every`-th pair of brackets, after the opening one and before its closing
    one (round brackets, ASCII or full-width; also 「」 when `quotes`)."""
    opening, closing = ("（(「", "）)」") if quotes else ("（(", "）)")
    out, count, open_spaced = [], 0, []  # open_spaced: for each bracket still open, whether it was spaced
    for ch in text:
        if ch in closing and open_spaced and open_spaced.pop():
            out.append(space)
        out.append(ch)
        if ch in opening:
            count += 1
            open_spaced.append(count % every == 0)
            if open_spaced[-1]:
                out.append(space)
    return "".join(out)


def draw_bracket_spaces(rng: random.Random, facts: Facts) -> dict:
    return {"space": rng.choice([" ", "\u3000"]), "every": rng.randint(1, 3), "quotes": rng.random() < 0.3}


def hard_wraps(text: str, facts: Facts | None = None, *, width: int = 28) -> str:
    """REAL-FORMS 5, PDF hard line breaks: every line longer than `width` characters is broken
    every `width` characters, inside words and sentences (`連携中枢都` / `市圏`). 別表 rows (lines
    with tabs) are left whole: their tab structure is what a table is."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width or "\t" in line:
            out.append(line)
        else:
            out.extend(line[i:i + width] for i in range(0, len(line), width))
    return "\n".join(out)


def draw_hard_wraps(rng: random.Random, facts: Facts) -> dict:
    return {"width": rng.randint(16, 45)}


def page_breaks(text: str, facts: Facts, *, every: int = 20, number_style: str = "- {n} -",
                running_head: bool = True) -> str:
    """REAL-FORMS 5, page numbers and running heads between pages: after every `every` non-blank
    lines a page ends with its number (`number_style`: `- {n} -`, `{n}`, `{n}/{total}`) and the
    next page starts with a running head (the parties' names joined by ・ and the kind of agreement:
    `前橋市・渋川市 連携協約`) when `running_head`. The last page gets its number too."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip(INDENT)]
    ends = set(filled[every - 1::every]) - {filled[-1]} if filled else set()
    total = len(ends) + 1
    kind = "定住自立圏形成協定" if facts.framework == "teiju-jiritsu" else "連携協約"
    head = f"{'・'.join(facts.parties)} {kind}"
    out, page = [], 1
    for i, line in enumerate(lines):
        out.append(line)
        if i in ends:
            out += ["", number_style.format(n=page, total=total), ""] + ([head, ""] if running_head else [])
            page += 1
    while out and not out[-1].strip(INDENT):
        out.pop()
    out += ["", number_style.format(n=page, total=total), ""]
    return "\n".join(out)


def draw_page_breaks(rng: random.Random, facts: Facts) -> dict:
    return {"every": rng.randint(6, 30), "number_style": rng.choice(["- {n} -", "{n}", "{n}/{total}", "－{n}－"]),
            "running_head": rng.random() < 0.6}


def flatten(text: str, facts: Facts | None = None, *, pages: int = 0, page_numbers: bool = False,
            cells: str = "tabs") -> str:
    """REAL-FORMS 5, a whole document (`pages=0`) or each page of `pages` non-blank lines on one
    line: the non-blank lines joined by a space, headings inline (`… （目的） 第1条 …`), blank lines
    gone; `page_numbers` ends each page's line with ` - n -`; `cells="spaces"` turns the 別表's tabs
    into spaces as a PDF text layer does."""
    lines = [line.strip(INDENT) for line in text.split("\n") if line.strip(INDENT)]
    if cells == "spaces":
        lines = [line.replace("\t", " ") for line in lines]
    groups = [lines] if pages <= 0 else [lines[i:i + pages] for i in range(0, len(lines), pages)]
    out = []
    for n, group in enumerate(groups, start=1):
        out.append(" ".join(group) + (f" - {n} -" if page_numbers and pages > 0 else ""))
    return "\n".join(out) + "\n"


def draw_flatten(rng: random.Random, facts: Facts) -> dict:
    whole = rng.random() < 0.5
    return {"pages": 0 if whole else rng.randint(10, 40), "page_numbers": not whole and rng.random() < 0.6,
            "cells": rng.choice(["tabs", "spaces"])}


TABLE_IN_LINE = re.compile(r"(?<=[ \u3000])別表(?:第[0-9０-９一二三四五六七八九十]+)?[（(]")
OCR_QUOTES = (("『", "』"), ("〔", "〕"), ("｢", "｣"), ("L", "」"), ("「", "J"))


def ocr_punctuation(text: str, facts: Facts | None = None, *, every: int = 1, punctuation: str = "space",
                    quotes: str = "keep") -> str:
    """REAL-FORMS 5, OCR that drops punctuation or misreads 「」: in the sentences (lines ending with
    。, not a title, heading or 別表 row, whose words are facts), every `every`-th 、 and 。 becomes a
    space (`punctuation="space"`) or is lost (`"drop"`); the quotes around a party's designation
    (`（以下「甲」という。）`) are lost (`quotes="drop"`: `( 以下 甲 という )`) or read as other
    characters (`"variants"`: 『甲』, 〔乙〕, ｢丙｣, L甲」, 「乙J — in turn)."""
    lines, count = [], 0
    for line in text.split("\n"):
        if line.rstrip().endswith("。") and "\t" not in line:  # sentences; not titles, headings or 別表 cells
            table = TABLE_IN_LINE.search(line)  # a document on one line: its 別表 is no sentence either
            line, rest = (line[:table.start()], line[table.start():]) if table else (line, "")
            out = []
            for ch in line:
                if ch in "、。":
                    count += 1
                    if count % every == 0:
                        out.append(" " if punctuation == "space" else "")
                        continue
                out.append(ch)
            line = "".join(out) + rest
        lines.append(line)
    text = "\n".join(lines)
    if quotes == "keep":
        return text
    turn = iter(range(10**9))

    def requote(match: re.Match) -> str:
        opening, closing = ("", "") if quotes == "drop" else OCR_QUOTES[next(turn) % len(OCR_QUOTES)]
        space = " " if quotes == "drop" else ""
        return f"{match.group(1)}{space}{opening}{match.group(2)}{closing}{space}{match.group(3)}"

    return re.sub(r"(以下)「([^「」\n]{1,12})」(という)", requote, text)


def draw_ocr_punctuation(rng: random.Random, facts: Facts) -> dict:
    return {"every": rng.randint(1, 3), "punctuation": rng.choice(["space", "drop"]),
            "quotes": rng.choice(["keep", "drop", "variants"])}


def garbage_before(text: str, facts: Facts | None = None, *, tokens: tuple[tuple[str, ...], ...] = (("°", "。"),)) -> str:
    """REAL-FORMS 5, garbage before the title from a seal, a logo or a stamp: one line per tuple of
    `tokens` (stray punctuation, Latin letters, ㊞, 印 …; see `draw_garbage`), tokens separated by a
    space, above the first line."""
    return "\n".join(" ".join(line) for line in tokens) + "\n" + text


def draw_garbage(rng: random.Random, facts: Facts) -> dict:
    return {"tokens": tuple(
        tuple("".join(rng.choice(GARBAGE_CHARACTERS) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 5)))
        for _ in range(rng.randint(1, 3))
    )}


@dataclass(frozen=True)
class Form:
    """A transformation, how its parameters are drawn, and its layer. Combinations apply the layers
    in order, any order within a layer: 0, a date added to the title line; 1, a cover above it; 2, a
    例規集 header or a bill around them; 3, the closing date dropped (these find their lines as the
    tidy text writes them); 4, characters; 5, lines; 6, one line."""

    apply: Callable[..., str]
    draw: Callable[[random.Random, Facts], dict]
    layer: int


FORMS: dict[str, Form] = {
    "dated_title": Form(dated_title, draw_dated_title, 0),
    "cover": Form(add_cover, draw_cover, 1),
    "reiki_header": Form(add_reiki_header, draw_reiki_header, 2),
    "bill": Form(wrap_in_bill, draw_bill, 2),
    "drop_closing_date": Form(drop_closing_date, draw_nothing, 3),
    "date_style": Form(date_style, draw_date_style, 4),
    "ocr_punctuation": Form(ocr_punctuation, draw_ocr_punctuation, 4),
    "ascii_brackets": Form(ascii_brackets, draw_ascii_brackets, 4),
    "bracket_spaces": Form(bracket_spaces, draw_bracket_spaces, 4),
    "letter_space": Form(letter_space, draw_letter_space, 4),
    "hard_wraps": Form(hard_wraps, draw_hard_wraps, 5),
    "page_breaks": Form(page_breaks, draw_page_breaks, 5),
    "indent": Form(indent, draw_indent, 5),
    "garbage_before": Form(garbage_before, draw_garbage, 5),
    "flatten": Form(flatten, draw_flatten, 6),
}


def transform(text: str, facts: Facts, steps: list[tuple[str, dict]]) -> str:
    """`text` with each (name, parameters) of `steps` applied in the order given."""
    for name, parameters in steps:
        text = FORMS[name].apply(text, facts, **parameters)
    return text
