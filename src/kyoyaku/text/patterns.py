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
HEADING = re.compile(r"^[（(](?P<heading>[^（）()]+)[）)]$")
NUMBERED = re.compile(rf"^(?P<num>[{DIGITS}]+){SP}+(?P<text>.+)$")
APPENDIX = re.compile(rf"^(?P<number>別表(?:第[{DIGITS}{KANJI_DIGITS}]+)?)")
CLOSING = re.compile(r"証するため|通を作成")
LEADS = "主体的に"


def find_era_date_line(text: str) -> tuple[str, str | None] | None:
    """An era date standing alone on its line (the signing date), not a date cited in a sentence."""
    found = find_era_date(text)
    return found if found and found[0].strip() == text.strip() else None
