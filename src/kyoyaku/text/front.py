"""The lines before an agreement's first article, sorted into what they are (text.parse).

Real copies put many things above the articles: a 例規集 page's navigation, its `○` title, the date
and the notice number (告示第88号), the title repeated; a PDF's cover (a short title, the date, the
parties' names, perhaps one character per line) and seal noise; a council bill (議案) whose
attachment the agreement is. `read_front` finds in them the bill, the cover, the agreement's own
title (with a date it may carry in brackets), the header's date and notice, and the preamble's
lines. It reads only; the reader (text.header) turns what it finds into the agreement's facts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import islice

from .dates import ERA_DATE, find_era_date
from .layout import MAYOR_TITLE, Line, is_breadcrumb
from .model import Bill
from .municipalities import split_names

SP = r"[ \u3000]"
NUMERAL = "0-9０-９一二三四五六七八九十百千〇"
BILL_NUMBER = re.compile(rf"^(?:(?:市|町|村)?議案{SP}*第{SP}*[{NUMERAL}]+{SP}*号|第{SP}*[{NUMERAL}]+{SP}*号{SP}*議案)")
BILL_TITLE = re.compile(r"^.*?(?:の締結|の変更|の廃止)?について")
SUBMITTED = re.compile(r"提出|提案")
# A title ends in 協約 or 協定 (書), perhaps followed by the date it was made in brackets.
TITLE = re.compile(
    rf"^[○〇◯]?{SP}*(?P<title>\S.*?(?:協約|協定)書?)(?:{SP}*[（(]案[）)])?"
    rf"(?:{SP}*[（(]{SP}*(?P<date>(?:令和|平成|昭和)[^（）()]*?日){SP}*(?:締結|調印|施行|告示)?{SP}*[）)])?{SP}*$"
)
SIGNATORY = re.compile(rf"{MAYOR_TITLE}(?:{SP}|$)")  # 伊那市長 山田 太郎: a bill's signature, no title's head
TITLE_DATE_ALONE = re.compile(
    rf"^[（(]{SP}*(?P<date>(?:令和|平成|昭和)[^（）()]*?日){SP}*(?:締結|調印|施行)?{SP}*[）)]$")
NOTICE = re.compile(rf"(?:告示|公告|訓令|規程|達){SP}*第{SP}*[{NUMERAL}]+{SP}*号")
HEADER_MARK = re.compile(r"告示|公告|届出|公布|施行")
NAVIGATION = frozenset({
    "目次", "閉じる", "印刷", "ページを印刷", "このページを印刷する", "ページの先頭へ", "戻る", "前へ", "次へ",
    "ホーム", "トップページ", "本文へ", "沿革", "本文", "全文表示", "改正文", "附則", "別記",
})
LAST_CHARACTER = re.compile(r"^書(?:[（(][^（）()]*[）)])?$")  # `…連携協約` / `書`: the title's last character alone
TITLE_TAIL = 20  # the most of a title a PDF's line end carries over to the next line
MAX_TITLE_CHARS = 120
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々〆ヶ、・○〇]")
TITLE_SHARE = 0.9  # a title's head is Japanese but for a ・ or a digit  # a longer line is a sentence that happens to end in 協定


@dataclass
class Front:
    bill: Bill | None = None
    bill_lines: list[Line] = field(default_factory=list)
    title: str | None = None
    title_line: int | None = None
    title_date: tuple[str, int] | None = None  # (as written, line)
    header_date: tuple[str, int] | None = None
    cover_date: tuple[str, int] | None = None
    bill_date: tuple[str, int] | None = None  # the date the bill was submitted (提出)
    notice: tuple[str, int] | None = None
    cover: list[Line] = field(default_factory=list)
    preamble: list[Line] = field(default_factory=list)
    not_understood: list[Line] = field(default_factory=list)


def read_front(lines: list[Line]) -> Front:
    """Sort the lines before the first article (see the module's docstring)."""
    front = Front()
    lines = join_broken_title([l for l in join_vertical(lines) if not is_navigation(l.text)])
    start = read_bill(lines, front)
    lines = lines[start:]
    titles = [i for i, l in enumerate(lines) if is_title(l.text)]
    if titles:
        at = titles[-1]
        found = TITLE.match(lines[at].text)
        title, title_line = found.group("title"), lines[at].number
        while at and continues_into(lines[at - 1], lines[at]) and len(title) < MAX_TITLE_CHARS:
            at -= 1  # a title wrapped over lines: its head is on the lines right above
            title, title_line = lines[at].text.lstrip("○〇◯ \u3000") + title, lines[at].number
        half = len(title) // 2
        if len(title) % 2 == 0 and title[:half] == title[half:]:
            title = title[:half]  # the title and its repetition run together (letter spacing closed up across them)
        front.title, front.title_line = title, title_line
        if found.group("date"):
            front.title_date = (found.group("date"), title_line)
        before, after = lines[:at], lines[titles[-1] + 1:]
        if after and not front.title_date and (dated := TITLE_DATE_ALONE.match(after[0].text)):
            front.title_date = (dated.group("date"), after[0].number)  # the title's bracket broken off
            after = after[1:]
    else:
        before, after = [], lines
    marked = any(l.text.startswith(("○", "〇", "◯")) for l in lines)
    for position, part in (("before", before), ("after", after)):
        for line in part:
            if read_header_line(line, front, cover=position == "before" and not marked):
                continue
            if position == "before":
                front.cover.append(line)
            elif same_title(line.text, front.title):
                continue
            else:
                front.preamble.append(line)
    front.preamble = sentence_lines(front.preamble, front)
    return front


def continues_into(line: Line, title: Line) -> bool:
    """Whether `line` is the head of the title that goes on in `title`: right above it (no blank
    line between; or a piece of the same run-on line), not marked ○ below (a ○ starts a title), and no title, date, notice, sentence,
    list of the parties' names, bill attachment mark or noise of its own."""
    text = line.text
    return title.number - 1 <= line.number <= title.number and not title.text.startswith(("○", "〇", "◯")) \
        and not is_title(text) and not ERA_DATE.search(text) and not NOTICE.search(text) \
        and not is_header_line(text) and "。" not in text and text.strip("（）() \u3000") != "別紙" \
        and is_japanese(text, TITLE_SHARE) and len(text) >= len(title.text) // 2 \
        and split_names(text.replace("・", "、")) is None and not SIGNATORY.search(text)


MAX_BILL_TITLE_LINES = 4


def bill_title(lines: list[Line]) -> str:
    """The bill's title: its first line, or its first lines up to …について when a hard wrap broke it
    (`聖籠町との連携中枢都市圏形成に係る連携協約の` / `締結について`)."""
    if not lines:
        return ""
    title = lines[0].text.strip()
    for k in range(1, min(MAX_BILL_TITLE_LINES, len(lines))):
        if "について" in title or "。" in title:
            break
        title += lines[k].text.strip()
    return title if "について" in title else lines[0].text.strip()


def read_bill(lines: list[Line], front: Front) -> int:
    """The council bill at the top, if there is one: its number, title and date of submission.
    Returns where the agreement's own lines start: the first title after the bill's date."""
    # among the first lines with Japanese in them: not counting the noise an OCR'd scan has above
    # (`'R ※ Ｒ BS`, each a line once the page was read as one line)
    first = list(islice((i for i, l in enumerate(lines) if is_japanese(l.text)), 5))
    at = next((i for i in first if BILL_NUMBER.match(normal(lines[i].text))), None)
    if at is None:
        return 0
    number = BILL_NUMBER.match(normal(lines[at].text)).group(0)
    rest = lines[at + 1:]
    title = bill_title([l for l in rest if not find_era_date(l.text)])
    if about := BILL_TITLE.match(title):
        title = about.group(0)  # …の締結について, without the sentence a lost line break ran into it
    dated = next((i for i, l in enumerate(rest) if find_era_date(l.text) and
                  (SUBMITTED.search(l.text) or ERA_DATE.fullmatch(l.text.strip()))), None)
    found = find_era_date(rest[dated].text) if dated is not None else None
    front.bill = Bill(number=number, title=title, date=found[1] if found else None, line=lines[at].number)
    if found:
        front.bill_date = (found[0], rest[dated].number)
    after = (dated + 1) if dated is not None else 0
    end = next((i for i in range(after, len(rest)) if is_title(rest[i].text)), len(rest))
    while after < end < len(rest) and continues_into(rest[end - 1], rest[end]):
        end -= 1  # the agreement's title wrapped: its head is the agreement's too
    front.bill_lines = lines[:at + 1] + rest[:end]
    return at + 1 + end


def read_header_line(line: Line, front: Front, cover: bool) -> bool:
    """A 例規集 header's date or notice line (令和3年4月1日告示第88号, 県知事届出), or a cover's date."""
    text = line.text
    notice = NOTICE.search(text)
    if notice and front.notice is None:
        front.notice = (notice_number(notice.group(0)), line.number)
    date = ERA_DATE.search(text)
    # a date line, not a sentence citing a date: short, and no notice dated by it (平成20年12月26日付け
    # 総行応第39号, a piece of the preamble cut at a hard wrap)
    if date and len(text) - len(date.group(0)) <= 24 and not text.startswith("付", date.end()):
        slot = "cover_date" if cover and not notice and not HEADER_MARK.search(text) else "header_date"
        if getattr(front, slot) is None:
            setattr(front, slot, (date.group(0), line.number))
        return True
    return bool(notice) or is_header_line(text)


def is_header_line(text: str) -> bool:
    return bool(HEADER_MARK.search(text)) and len(text) <= 30


def sentence_lines(lines: list[Line], front: Front) -> list[Line]:
    """The preamble: the lines after the title that make a sentence. Lines of noise before it
    (a stamp read by OCR, a page's heading) are set aside as not understood."""
    start = next((i for i, l in enumerate(lines) if is_prose(l.text)), len(lines))
    while 0 < start < len(lines) and lines[start - 1].number == lines[start].number and is_japanese(lines[start - 1].text):
        start -= 1  # a sentence of a run-on line cut at its spaces (OCR read its 、 as spaces): `今治市` `(以下 甲 という)`
    front.not_understood += lines[:start]
    return lines[start:]


def is_prose(text: str) -> bool:
    """Mostly Japanese characters, and long enough to begin a sentence."""
    return len(text) >= 6 and is_japanese(text)


def is_japanese(text: str, share: float = 0.5) -> bool:
    """At least `share` of the characters (spaces aside) are kanji or kana: no stamp read by OCR."""
    letters = text.replace(" ", "").replace("\u3000", "")
    japanese = sum(1 for c in letters if JAPANESE.match(c))
    return japanese > 0 and japanese >= share * len(letters)


def is_title(text: str) -> bool:
    """A line that names the agreement: not the end of the preamble's sentence cut at a hard wrap
    (`（昭和22年法律第67号）第252条の2第1項の規定に基づき、次のとおり連携協約` / `を締結する。`)."""
    return len(text) <= MAX_TITLE_CHARS and bool(TITLE.match(text)) and "。" not in text \
        and not text.startswith(("（", "(")) and "基づき、" not in text


def same_title(text: str, title: str | None) -> bool:
    return bool(title) and (m := TITLE.match(text)) is not None and m.group("title") == title


def is_navigation(text: str) -> bool:
    return is_breadcrumb(text) or text.strip() in NAVIGATION


def join_vertical(lines: list[Line]) -> list[Line]:
    """A title written one character per line (a cover's 協/定/書) → one line."""
    out: list[Line] = []
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None and len(line.text.strip()) == 1:
            run.append(line)
            continue
        if len(run) >= 3:
            out.append(Line(run[0].number, "".join(l.text.strip() for l in run)))
        else:
            out += run
        run = []
        if line is not None:
            out.append(line)
    return out


def join_broken_title(lines: list[Line]) -> list[Line]:
    """A title broken inside a word by a PDF's line end (`…連携協` / `約書`) → one line."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        if following and len(following) <= TITLE_TAIL and not line.text.endswith("。") \
                and (not is_title(line.text) and not is_title(following) or LAST_CHARACTER.match(following)) \
                and is_title(line.text + following):
            out.append(Line(line.number, line.text + lines[i + 1].text))
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def notice_number(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def normal(text: str) -> str:
    return re.sub(SP, "", unicodedata.normalize("NFKC", text)) if text else text
