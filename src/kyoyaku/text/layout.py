"""Clean the layout noise of text pulled from PDFs and web pages, keeping each line's number.

Page numbers, form feeds, running heads and breadcrumbs are dropped; OCR letter spacing
(`連 携 協 約`, `第 1 条`) is closed up; a document extracted from a PDF as one line is split back
into its lines (every piece keeps the number of the line it came from). Wrapped sentences are
joined later, by the reader, where it knows a sentence continues.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .dates import ERA_DATE
from .municipalities import split_names

PAGE_NUMBER = re.compile(r"^[-−ー－‐]?[ \u3000]*[0-9０-９]{1,3}[ \u3000]*[-−ー－‐]?$|^[0-9０-９]{1,3}[ \u3000]*/[ \u3000]*[0-9０-９]{1,3}$")
BREADCRUMB = re.compile(r"[>＞›»]")
# Three or more single characters separated by single spaces: OCR letter spacing.
SPACED_OUT = re.compile(r"(?<![^ \u3000\t])(?:[^ \u3000\t][ \u3000]){2,}[^ \u3000\t](?![^ \u3000\t])")
# a page's number in a run of single letters, on a page read as one line (`- 1 - 1 戦略的な観光施策`,
# `令和 2 年 4 月 1 日 - 2 -`): no letter spacing, kept apart from the letters around it
SPACED_PAGE_NUMBER = re.compile(r"([-−ー－‐][ \u3000][0-9０-９][ \u3000][-−ー－‐])")
# a spaced title ends at its 協約書 even when the names after it were spaced on the same line (a cover
# read as one line: `連 携 協 約 書 宮 崎 市 ・ 国 富 町`)
SPACED_TITLE_END = re.compile(r"(?:協約|協定)書(?=.)")
SPACED_CELL = re.compile(r"(?:[^ \u3000][ \u3000])+[^ \u3000]")


INDENT = " \u3000"  # spaces and ideographic spaces before a line's text; not tabs, which part table cells
NUMERAL = "0-9０-９〇一二三四五六七八九十百"
SPACE = r"[ \u3000]"
ARTICLE_MARK = rf"第[{NUMERAL}]+条(?:の[{NUMERAL}]+)?"
DESIGNATION_TOKENS = set("甲乙丙丁戊己")
# A run-on line holds several articles, each introduced by a space: 「。 （目的） 第1条 …」.
RUN_ON_ARTICLE = re.compile(rf"{SPACE}{ARTICLE_MARK}{SPACE}")
# Linear by construction: a space run is matched from its first space only and never given back, and a
# bracket holds no opening bracket (else every space run before `別表（` rescans to the next `）`).
SPACE_RUN = rf"(?<!{SPACE}){SPACE}++"
APPENDIX_BRACKET = r"[（(][^（(）)条]*+条[^（(）)]*+[）)]"  # （第3条関係）, not the (2) of an item after 別表第1
# A 別表's heading inside a run-on line: 別表 (第N), its bracket （第3条関係）, or the 区分 row right after it —
# not a reference to it in an article (`(1) … 別表第1 (2) …`).
APPENDIX_HEADING = rf"別表(?:第[{NUMERAL}]+)?(?:{SPACE}*{APPENDIX_BRACKET}(?:{SPACE}|$)|{SPACE}+(?=区分))"
HEADING_OF_APPENDIX = re.compile(rf"別表(?:第[{NUMERAL}]+)?(?:{SPACE}*{APPENDIX_BRACKET})?")
RUN_ON_APPENDIX = re.compile(rf"{SPACE_RUN}(?={APPENDIX_HEADING})")
APPENDIX_START = re.compile(rf"(?:^|(?<={SPACE})){APPENDIX_HEADING}")
APPENDIX_CITED = re.compile(rf"^別表(?:第[{NUMERAL}]+)?$")  # `(1) … 別表第1`: a 別表 an item cites
APPENDIX_FIRST = re.compile(rf"^{APPENDIX_HEADING}")
TABLE_COLUMN = re.compile(r"^(?:連携する取組|取組の?内容|\S+の役割|\S*費用\S*|備考)$")
SENTENCE_END = re.compile(rf"(?<=。){SPACE}+")
A_SPACE = re.compile(SPACE)
NEXT_SENTENCE = re.compile(rf"。{SPACE}+[^）)」』 \u3000]")  # not `。 )`: a space inside brackets
HEADING_HEAD = re.compile(r"^[（(][^（）()。]{1,40}$")
HEADING_TAIL = re.compile(r"^[^（）()。]{0,40}[）)]$")
HEADING_MIDDLE = re.compile(r"^[^（）()。]{1,40}$")
MAX_HEADING_LINES = 4  # a heading of 40 characters broken at 10
ARTICLE_START = re.compile(rf"^{ARTICLE_MARK}")
RUN_ON_MIN_CHARS = 100
TRAILING_PAGE_NUMBER = re.compile(rf"(?:{SPACE_RUN}[-−ー－‐]?{SPACE}*[0-9０-９]{{1,3}}{SPACE}*[-−ー－‐]?"
                                  rf"|(?<=[）)])[-−ー－‐][0-9０-９]{{1,3}}[-−ー－‐])$")
# In a run-on line, an outline's label after a space starts a line: `… 主体的に取り組む。 (イ) 甲の役割 …`,
# `政策分野 ア 医療 (ア) 取組の内容`.
OUTLINE_LABEL = r"(?:[（(](?:[0-9０-９]{1,2}|[アイウエオカキクケコサシスセソ]|[a-z])[）)]|[アイウエオカキクケコサシスセソ①-⑳])"
OUTLINE_BREAK = re.compile(rf"{SPACE_RUN}(?={OUTLINE_LABEL}{SPACE})")
# Hard breaks: a line is taken for a wrapped one when at least WRAP_SHARE of the lines of WRAP_MIN or
# more characters (a tidy text's share stays below 0.21, a wrapped one's above 0.23) have its length.
WRAP_MIN, WRAP_MIN_LINES, WRAP_SHARE = 14, 4, 0.22
# A line that starts with a label and a space starts an item, a paragraph or an article: it continues
# nothing, whatever the length of the line before it.
STARTS_ITEM = re.compile(rf"^(?:{OUTLINE_LABEL}|[0-9０-９]{{1,2}}|[a-z]|[一二三四五六七八九十]{{1,3}}|{ARTICLE_MARK}){SPACE}")
PARTICLES = "をにはがのとへでもや"  # a title's next line never begins with one
TITLE_ENDING = re.compile(r"(?:協約|協定)書?(?:[（(][^（）()]*[）)])?$")
WHOLE_HEADING = re.compile(r"^[（(][^（）()]+[）)]$")
HEADER_NOTICE = re.compile(rf"日{SPACE}*(?:告示|公告|訓令){SPACE}*第[{NUMERAL}]+号$")  # a 例規集 header: 平成21年12月18日告示第271号
# `奈良市・川西町・三宅町 連携協約`: names, a space, the kind — a title has no space in it
KIND = r"\S{0,10}(?:連携協約|協定)書?"  # the kind a running head ends with: 連携協約, 定住自立圏形成協定
RUNNING_HEAD = re.compile(rf"^[^。\t ]{{1,40}}{SPACE}+{KIND}$")
MAYOR_TITLE = r"[都道府県市町村区]長"  # a mayor's title (伊那市長): the name follows it
MAYOR = re.compile(rf"{MAYOR_TITLE}$")
ARTICLE_CLOSED_UP = re.compile(rf"^(?P<mark>{ARTICLE_MARK})(?=[^ \u3000の])")
BARE_NUMBER = re.compile(r"^[0-9０-９]{1,3}$")
DASHED_PAGE_NUMBER = re.compile(r"^[-−ー－‐][0-9０-９]{1,3}[-−ー－‐]$")
PAGE_FOLLOWER = re.compile(rf"^(?:[（(][^（）()]{{1,40}}[）)]|{ARTICLE_MARK})$")
RUNNING_HEAD_KIND = re.compile(rf"^{KIND}$")
RUNNING_HEAD_FIRST = re.compile(rf"^[^。\t 　]{{1,40}}・[^。\t 　]{{1,40}}{SPACE}+{KIND}{SPACE}+")
A_SPACE_RUN = re.compile(rf"{SPACE}+")
# not a law's number before the article it cites: 地方自治法 （昭和22年法律第67号）第252条の2 (a hard wrap before it)
HEADING_THEN_ARTICLE = re.compile(
    rf"(?P<heading>(?:^|{SPACE})[（(](?![^（）()]*第[{NUMERAL}]+号[）)])[^（）()]{{1,40}}[）)])(?={ARTICLE_MARK})")
SECTION_NUMBER = re.compile(r"^(?:[0-9０-９]{1,2}|[（(][0-9０-９]{1,2}[）)])$")
# In a 別表 on one line whose cells kept their tabs: before a row (a cell, then a tab) or a section's number.
NAME_PART = 4  # a signatory's family or given name: 高橋, 靖, 佐々木
# Tokens that begin a line and need the next token on it: 第3条, a paragraph's number, an item's label, 甲.
GLUED_TO_NEXT = re.compile(rf"^(?:{ARTICLE_MARK}|[0-9０-９]{{1,2}}|{OUTLINE_LABEL}|[a-z]|[ivx]{{1,4}}|"
                           rf"[（(][a-z][）)]|[一二三四五六七八九十]{{1,3}}|第[{NUMERAL}]{{1,3}}|[甲乙丙丁戊己])$")
INLINE_PAGE_NUMBER = re.compile(rf"{SPACE}(?:[-−ー－‐]{SPACE}*[0-9０-９]{{1,3}}{SPACE}*[-−ー－‐]|[0-9０-９]{{1,3}}/[0-9０-９]{{1,3}})"
                                rf"(?={SPACE}|$)")
BREADCRUMB_RUN = re.compile(rf"^(?:[^ \u3000>＞›»]+{SPACE}*[>＞›»]{SPACE}*)+[^ \u3000>＞›»]+{SPACE}+")
# Linear: a run of spaces is taken from its first space only, and never given back.
SPACE_IN_BRACKETS = re.compile(rf"(?<=[（(「『]){SPACE}++|(?<!{SPACE}){SPACE}++(?=[）)」』])")
# A short bracket or quote with no sentence in it, on a run-on line: its spaces are line or page breaks
# that fell inside it (`集積・強化（圏` / `域における…強` / `化）`, `（以下「連携市` / `町」という。）`),
# never a break between two lines.
SHORT_BRACKET = re.compile(r"[（(][^（）()。\n]{1,80}[）)]|「[^「」。\n]{1,14}」")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the file
    text: str  # without trailing whitespace


def close_up(text: str) -> str:
    """Remove OCR letter spacing: in runs of 3+ spaced single characters, or in a table cell
    made only of spaced single characters (区 分)."""
    cells = text.split("\t")
    if len(cells) > 1:
        return "\t".join(A_SPACE.sub("", c) if SPACED_CELL.fullmatch(c) else close_up(c) for c in cells)
    closed = SPACED_OUT.sub(lambda m: " ".join(
        piece if SPACED_PAGE_NUMBER.fullmatch(piece) else SPACED_TITLE_END.sub(r"\g<0> ", A_SPACE.sub("", piece))
        for piece in SPACED_PAGE_NUMBER.split(m.group(0)) if piece.strip(" \u3000")), text)
    # `第 2 条 甲 乙及び…` (OCR's 、 a space) closes up to 第2条甲: the article's number keeps its space
    return ARTICLE_CLOSED_UP.sub(r"\g<mark> ", closed) if closed != text else closed


def raw_lines(text: str) -> list[str]:
    """The file's lines as numbered everywhere (LF, CRLF, CR; a form feed starts a line too)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")


def clean_lines(text: str) -> list[Line]:
    """The text's lines without layout noise, each keeping the number of the line it came from:
    indentation and letter spacing removed, page numbers and running heads dropped, hard line
    breaks undone, run-on pages split into their lines, headings broken over two lines joined."""
    lines, before_blank, printed = [], set(), {}
    for number, raw in enumerate(raw_lines(text), start=1):
        spaced = raw.rstrip().lstrip(INDENT)  # indentation (PDF text: every line, or the headings) means nothing
        t = close_up(spaced)
        if t.strip():
            lines.append(Line(number, t))
            if spaced != t:  # OCR's letter spacing closed up: a hard break fell at the line's width as printed,
                printed[number] = raw.lstrip(INDENT)  # the space after its last letter too (`… 2 2 ` / `日`)
        elif lines:
            before_blank.add(lines[-1].number)
    lines = unwrap(drop_page_furniture(lines), before_blank, printed)
    run_on = any(is_run_on(l.text) for l in lines)
    if run_on:  # each page's number ends its line (or was closed up with a bracket before it: `)-1-`)
        lines = appendix_on_one_line([Line(l.number, TRAILING_PAGE_NUMBER.sub("", l.text)) for l in lines])
    return join_broken_headings([Line(l.number, piece) for l in lines
                                 for piece in (split_run_on(l.text) if run_on and (
                                     is_run_on(l.text) or APPENDIX_FIRST.match(l.text)
                                     or A_SPACE.search(l.text) and "\t" not in l.text) else [l.text])
                                 if piece.strip()])


def appendix_on_one_line(lines: list[Line]) -> list[Line]:
    """A text whose pages are lines: the 別表 from its heading to the end as one line (it may run
    over several pages), so that its rows are read whole whatever page they began on."""
    for k, line in enumerate(lines):
        if found := APPENDIX_START.search(line.text):
            head = line.text[:found.start()]
            tail = " ".join(RUNNING_HEAD_FIRST.sub("", TRAILING_PAGE_NUMBER.sub("", piece)) for piece in
                            [line.text[found.start():].strip(), *(l.text for l in lines[k + 1:])])
            return [*lines[:k], *([Line(line.number, head)] if head.strip() else []), Line(line.number, tail)]
    return lines


def drop_page_furniture(lines: list[Line]) -> list[Line]:
    """Without page numbers, and without running heads: a line repeated next to page numbers and
    nowhere else (an outline repeats `(ア) 取組の内容` everywhere, a page break beside one or not)."""
    is_page_number = [bool(PAGE_NUMBER.match(l.text.strip())) for l in lines]
    counts = Counter(l.text for l in lines)
    near_page_break = {
        i + d for i, page in enumerate(is_page_number) if page for d in (-2, -1, 1, 2) if 0 <= i + d < len(lines)
    }
    away_from_breaks = {l.text for i, l in enumerate(lines) if i not in near_page_break}
    kept = []
    for i, line in enumerate(lines):
        if is_page_number[i]:
            continue
        if counts[line.text] > 1 and line.text not in away_from_breaks and not is_content(line.text):
            continue  # a running head repeated on every page
        if i in near_page_break and RUNNING_HEAD.match(line.text):
            continue  # a running head seen once (two pages): the parties' names and the kind, spaced apart
        kept.append(line)
    return kept


def is_content(text: str) -> bool:
    """A line that is the agreement's even when it repeats at page breaks, never a running head: a date,
    an article, item or paragraph, a table row, a sentence (a head is no sentence; a wrapped one's end
    may repeat)."""
    return bool(ERA_DATE.fullmatch(text.strip()) or STARTS_ITEM.match(text)) or "\t" in text or text.endswith("。")


def unwrap(lines: list[Line], before_blank: set[int] = frozenset(), printed: dict[int, str] | None = None) -> list[Line]:
    """Undo the hard line breaks of PDF text: where most long lines have one length (the width the
    PDF broke them at), a line of that length that does not end a sentence continues on the next
    line. Table rows (tabs), headings （目的）, lines ending in a title (…協約書) and lines before a
    blank line (`before_blank`: their numbers) are never joined. `printed`: the lines (by number) whose
    OCR letter spacing was closed up since, as printed: the breaks fell at the printed widths, and a
    spaced title broken in the middle (`大 分 市 と … の 形 成` / `に 関 す る 連 携 協 約 書`) is closed up
    across the break."""
    printed = printed or {}

    def width_of(line: Line) -> int:
        return len(printed.get(line.number, line.text))

    # Hard breaks are found on the lines as read (spaced dates counted at their printed width made
    # false ones); a text that has them was broken at the printed width, spaces and all.
    as_read = wrap_width(lines)
    if as_read is None:
        return lines
    width = wrap_width(lines, width_of) or as_read
    out: list[Line] = []
    i = 0
    while i < len(lines):
        j = i  # lines[i..j] make one line
        while j + 1 < len(lines) and (is_wrapped(lines[j].text, width, width_of(lines[j]))
                                      or ends_in_sentence(lines[j], lines[j + 1], width, width_of(lines[j]))) \
                and "\t" not in lines[j + 1].text \
                and lines[j].number not in before_blank and not STARTS_ITEM.match(lines[j + 1].text):
            j += 1
        text = lines[i].text
        for before, line in zip(lines[i:j], lines[i + 1:j + 1], strict=True):
            text += spaced_on(line.text, printed.get(before.number, before.text), printed.get(line.number, line.text))
        out.append(Line(lines[i].number, text))
        i = j + 1
    return out


def spaced_on(text: str, before: str, as_printed: str) -> str:
    """A continuation line's text, its spacing closed up when a letter-spaced run goes on across the break:
    the run's last letters may be too few to be closed up on their own (`… 形 成 協` / `定 書`)."""
    before = before.rstrip(" \u3000")
    if len(before) >= 2 and before[-2] in " \u3000" and (len(as_printed) == 1 or as_printed[1:2] in (" ", "\u3000")):
        return close_up("_ _ " + as_printed)[2:]  # two spaced letters ahead make any run long enough
    return text


def ends_in_sentence(line: Line, following: Line, width: int, printed: int) -> bool:
    """A full line (`printed` long) ending in 協約 that the next line's particle continues (`…次のとおり連携協約` /
    `を締結する。`): a sentence, not a title."""
    return printed == width and bool(TITLE_ENDING.search(line.text)) and following.text[:1] in PARTICLES


def wrap_width(lines: list[Line], length=lambda line: len(line.text)) -> int | None:
    """The length most long lines share (their `length`), when enough of them share it to be a PDF's hard breaks."""
    long = [length(l) for l in lines if length(l) >= WRAP_MIN and "\t" not in l.text]
    if len(long) < WRAP_MIN_LINES:
        return None
    width, count = Counter(long).most_common(1)[0]
    return width if count >= WRAP_MIN_LINES and count >= WRAP_SHARE * len(long) else None


def is_wrapped(text: str, width: int, printed: int | None = None) -> bool:
    """A line as long as the breaks' width (`printed`: its length as printed, else its own) that
    does not end a sentence, a title or a heading: the next line continues it."""
    return (len(text) if printed is None else printed) == width and "\t" not in text and not text.endswith(("。", "．")) \
        and not TITLE_ENDING.search(text) and not WHOLE_HEADING.match(text) and not HEADER_NOTICE.search(text)


def join_broken_headings(lines: list[Line]) -> list[Line]:
    """An article's heading broken by a PDF's line ends (`（連携する取組並びに甲及び乙の役割分` / `担）`,
    then 第3条) → one line."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        end = next((j for j in range(i + 1, min(i + 1 + MAX_HEADING_LINES, len(lines)))
                    if not HEADING_MIDDLE.match(lines[j].text) or HEADING_TAIL.match(lines[j].text)), None)
        if HEADING_HEAD.match(line.text) and end is not None and HEADING_TAIL.match(lines[end].text) \
                and end + 1 < len(lines) and ARTICLE_START.match(lines[end + 1].text):
            out.append(Line(line.number, "".join(l.text for l in lines[i:end + 1])))
            i = end + 1
            continue
        out.append(line)
        i += 1
    return out

def is_breadcrumb(text: str) -> bool:
    return len(BREADCRUMB.findall(text)) >= 2 or text.strip() in {"印刷", "ページを印刷", "このページを印刷する"}


def is_run_on(text: str) -> bool:
    """A page or a whole document on one line: several articles, or many sentences."""
    return len(RUN_ON_ARTICLE.findall(text)) >= 2 or (
        len(text) > RUN_ON_MIN_CHARS and bool(NEXT_SENTENCE.search(text)) and "\t" not in text)


def split_run_on(text: str) -> list[str]:
    """A whole document, or a page, on one line (PDF text) → its lines. The spaces of such a line
    are the line breaks it lost (Japanese sentences have none), so the line is cut at its spaces,
    except where a space belongs inside a line: after 第N条, a paragraph number or an item's label,
    between 甲 and a name, after a mayor's title (the name follows), inside a date or brackets. Each
    別表 is read as a table (split_table). The reader joins a sentence cut this way again."""
    text = SPACE_IN_BRACKETS.sub("", TRAILING_PAGE_NUMBER.sub("", text))  # （ 目的 ）, ( 以下「甲」という。 )
    text = SHORT_BRACKET.sub(lambda m: A_SPACE_RUN.sub("", m.group(0)), text)
    if APPENDIX_FIRST.match(text):  # a page that starts with the 別表 (or several)
        return [line for part in RUN_ON_APPENDIX.split(text) for line in split_table(part)]
    body, *appendices = RUN_ON_APPENDIX.split(text)
    body = BREADCRUMB_RUN.sub("", INLINE_PAGE_NUMBER.sub(" ", body))
    body = RUNNING_HEAD_FIRST.sub("", body)  # a page's running head: `伊万里市・有田町 定住自立圏形成協定 …`
    body = ERA_DATE.sub(lambda m: A_SPACE.sub("", m.group(0)), body)  # 令和4年 2月 21日 is one token
    body = HEADING_THEN_ARTICLE.sub(r"\g<heading> ", body)  # （目的）第1条: letter spacing closed up across the break
    lines: list[list[str]] = []  # each line's tokens, joined once: adding to a string is quadratic
    glue = False  # the token before asks for the next one on its line
    name_tokens = 0  # the tokens of a name still expected after a mayor's title
    tokens = without_running_heads(A_SPACE_RUN.split(body.strip()))
    tokens = [t for k, t in enumerate(tokens)  # a bare page number: before a heading, an article or a date, no paragraph's
              if not DASHED_PAGE_NUMBER.match(t) and not (  # －2－ at the head of a page: always a page's number
                  BARE_NUMBER.match(t) and k + 1 < len(tokens)
                  and (PAGE_FOLLOWER.match(tokens[k + 1]) or ERA_DATE.fullmatch(tokens[k + 1])))]
    for k, token in enumerate(tokens):
        cited = bool(APPENDIX_CITED.match(token)) and not APPENDIX_FIRST.match(" ".join(tokens[k:k + 2]))
        if lines and (glue or cited or name_tokens and len(token) <= NAME_PART):
            lines[-1].append(token)
            name_tokens = name_tokens - 1 if name_tokens and not glue else 0
        else:
            lines.append([token])
            name_tokens = 0
        glue = bool(GLUED_TO_NEXT.match(token))
        if MAYOR.search(token):
            name_tokens = 2
    return [" ".join(line) for line in lines] + [row for appendix in appendices for row in split_table(appendix)]


def without_running_heads(tokens: list[str]) -> list[str]:
    """The tokens of a run-on text without the running heads its pages carried: the parties' names
    joined by ・, then the kind (`飯田市・高森町 定住自立圏形成協定`)."""
    kept: list[str] = []
    skip = False
    for k, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        if "・" in token and k + 1 < len(tokens) and RUNNING_HEAD_KIND.match(tokens[k + 1]) \
                and (names := split_names(token)) and len(names) >= 2:
            skip = True
            continue
        kept.append(token)
    return kept


def split_signatures(tokens: list[str]) -> list[str]:
    """`北見市〇〇町1番地 甲 北見市 北見市長 佐藤 一郎 …` → address / `甲 北見市` / `北見市長 佐藤 一郎`."""
    lines, i = [], 0

    def before_designation(j: int) -> bool:
        return j + 1 < len(tokens) and tokens[j + 1] in DESIGNATION_TOKENS

    while i < len(tokens):
        if tokens[i] in DESIGNATION_TOKENS and i + 1 < len(tokens):
            lines.append(f"{tokens[i]} {tokens[i + 1]}")
            i += 2
        elif MAYOR.search(tokens[i]):
            j = i + 1
            while j < len(tokens) and not before_designation(j) and tokens[j] not in DESIGNATION_TOKENS \
                    and not tokens[j].endswith("長"):
                j += 1
            lines.append(" ".join(tokens[i:j]))
            i = j
        else:
            lines.append(tokens[i])
            i += 1
    return lines


def table_rows_by_tabs(text: str) -> list[str]:
    """Rows of a 別表 on one line whose cells kept their tabs: a row has as many tabs as its header
    row (区分\t…), so a space after its last cell starts the next row, a header row or a section
    heading (`1 圏域全体の…`); a space inside a cell stays (`SDG s`)."""
    rows: list[list[str]] = []  # each row's tokens, joined once
    row_tabs: list[int] = []  # the tabs in each row so far
    tabs = None  # of the current table's header row
    for token in without_running_heads(A_SPACE_RUN.split(text.strip())):
        full = bool(rows) and tabs is not None and row_tabs[-1] >= tabs
        starts_row = token.startswith("区分\t") or "\t" in token and (not rows or full or not row_tabs[-1])
        ends_row = SECTION_NUMBER.match(token) and rows and row_tabs[-1] and (tabs is None or full)
        if rows and not starts_row and not ends_row:
            rows[-1].append(token)
            row_tabs[-1] += token.count("\t")
            continue
        rows.append([token])
        row_tabs.append(token.count("\t"))
        if token.startswith("区分\t"):
            tabs = token.count("\t")
    return [" ".join(row) for row in rows]


# A column of short phrases, not sentences (甲の費用負担: 事業費の3分の2, なし): one token a cell when the
# cells became spaces, where the others run to their 。
PHRASE_COLUMN = re.compile(r"費用|負担|金額|備考")


MAX_HEADING_PIECES = 4  # a section heading broken by hard wraps: `結びつきやネットワークの` / `強化に係る政策分野`


def section_heading_end(tokens: list[str], start: int) -> int:
    """Where the section heading that starts at tokens[start] ends. It is one token, unless the
    tokens up to the next header row (区分) or section number are a heading broken by hard wraps
    (none ends a sentence): then all of them. Without either close by, the next tokens are a row."""
    j = start + 1
    while j < len(tokens) and j - start < MAX_HEADING_PIECES and not tokens[j - 1].endswith("。"):
        if tokens[j] == "区分" or SECTION_NUMBER.match(tokens[j]):
            return j
        j += 1
    return start + 1


def split_table(text: str) -> list[str]:
    """A 別表 on one line → its heading, then a line per header row (区分 and the columns), per
    section heading (`1 圏域全体の…`, `(1) …`) and per row, cells joined by tabs. Cells that kept
    their tabs start a row after a space; cells that became spaces are read by their columns: the
    区分, then one cell per column, each ending in 。. Text that is no table (an outline) is cut
    at its sentences and labels."""
    found = HEADING_OF_APPENDIX.match(text)
    heading, rest = (A_SPACE.sub("", found.group(0)), text[found.end():]) if found else (text.partition(" ")[::2])
    rest = INLINE_PAGE_NUMBER.sub(" ", rest).strip()
    if "\t" in rest:  # the cells kept their tabs
        return [heading, *table_rows_by_tabs(rest)]
    tokens = without_running_heads(rest.split())
    rest = " ".join(tokens)
    if not any(t == "区分" and TABLE_COLUMN.match(n) for t, n in pairwise(tokens)):  # no table (an outline?)
        return [heading, *(piece for sentence in SENTENCE_END.split(rest) for piece in OUTLINE_BREAK.split(sentence))] \
            if rest else [heading]
    lines, columns, phrases, i = [heading], 0, (), 0
    while i < len(tokens):
        token = tokens[i]
        if token == "区分":
            j = i + 1
            while j < len(tokens) and TABLE_COLUMN.match(tokens[j]):
                j += 1
            lines.append("\t".join(tokens[i:j]))
            columns, i = j - i, j
            phrases = tuple(bool(PHRASE_COLUMN.search(name)) for name in tokens[i - columns:i])
        elif SECTION_NUMBER.match(token) and i + 1 < len(tokens) and not tokens[i + 1].endswith("。"):
            j = section_heading_end(tokens, i + 1)
            lines.append(f"{token} {''.join(tokens[i + 1:j])}")
            i = j
        elif columns > 1:
            cells, i = [token], i + 1
            while len(cells) < columns and i < len(tokens):
                cell = [tokens[i]]
                i += 1
                while not phrases[len(cells)] and not cell[-1].endswith("。") and i < len(tokens) and tokens[i] != "区分":
                    cell.append(tokens[i])
                    i += 1
                cells.append("".join(cell))
            if len(cells) == columns and all(c.endswith("。") or phrases[k] for k, c in enumerate(cells) if k):
                lines.append("\t".join(cells))
            else:  # no row: what follows the table (a page's links: ページの先頭へ 閉じる)
                lines += cells
        else:
            lines.append(token)
            i += 1
    return lines
