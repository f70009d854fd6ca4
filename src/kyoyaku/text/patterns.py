"""The line patterns the parts of the reader share (text.parse): numerals, article and paragraph
numbers, headings, the 別表 heading, the closing formula, and a signing date on its own line.
Patterns one part uses alone live with that part."""

from __future__ import annotations

import re

from .dates import find_era_date

SP = r"[ \u3000]"
DIGITS = "0-9０-９"
KANJI_DIGITS = "〇一二三四五六七八九十百"
DESIGNATIONS = "甲乙丙丁戊己"

NAME_SPLIT = re.compile(r"及び|並びに|と|、|・")
ARTICLE = re.compile(
    rf"^第(?P<num>[{DIGITS}{KANJI_DIGITS}]+)条(?:の(?P<sub>[{DIGITS}{KANJI_DIGITS}]+))?(?:{SP}+(?P<text>.*))?$"
)
HEADING = re.compile(rf"^[（(]{SP}*(?P<heading>[^（）()]+?){SP}*[）)]$")
# An article's heading as OCR leaves it: one of its brackets dropped (`(目的`, `基本方針)`).
HEADING_HALF = re.compile(rf"^(?:[（(]{SP}*(?P<a>[^（）()。、 \u3000]{{1,40}})|(?P<b>[^（）()。、 \u3000]{{1,40}}){SP}*[）)])$")
NUMBERED = re.compile(rf"^(?P<num>[{DIGITS}]+){SP}+(?P<text>.+)$")
# A 別表's heading: 別表, 別表第1, then the line's end, a space or its bracket （第3条関係） — not a
# sentence that begins with the word (別表に掲げるとおりとする, a hard break before it).
APPENDIX = re.compile(rf"^(?P<number>別表(?:第[{DIGITS}{KANJI_DIGITS}]+)?)(?=$|[ \u3000\t（(])")
CLOSING = re.compile(r"証するため|通を作成")
LEADS = "主体的に"


def heading_of(text: str) -> str | None:
    """The heading written above an article, `（目的）`, also with a bracket dropped; the caller
    knows an article follows (a half-bracketed line elsewhere is no heading)."""
    if m := HEADING.match(text) or HEADING_HALF.match(text):
        heading = m.groupdict().get("heading") or m.groupdict().get("a") or m.group("b")
        return re.sub(SP, "", heading)  # a heading holds no space: `（　目　的　）` is letter spacing
    return None


def find_era_date_line(text: str) -> tuple[str, str | None] | None:
    """An era date standing alone on its line (the signing date), not a date cited in a sentence."""
    found = find_era_date(text)
    return found if found and found[0].strip() == text.strip() else None
