"""Japanese era dates (令和4年2月21日, 平成元年, 令和四年二月二十一日) to ISO dates, via japanera."""

from __future__ import annotations

import re
import unicodedata

YEAR = r"[0-9０-９]{1,2}|元|[一二三四五六七八九十]{1,3}"
MONTH = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
DAY = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,4}"
# Possessive (*+): a run of spaces is never given back, so a long run costs one pass (with a plain `*`
# the two runs around an absent month or day split the run every possible way: quadratic).
SP = r"[ \u3000]*+"
ERA_DATE = re.compile(
    rf"(?P<era>令和|平成|昭和){SP}(?P<year>{YEAR}){SP}年{SP}(?P<month>{MONTH})?{SP}月{SP}(?P<day>{DAY})?{SP}日"
)


def to_iso(era: str, year: str, month: str, day: str) -> str | None:
    """The ISO date of one era date, or None when it does not exist (e.g. 平成32年, 2月30日) or its
    parts are not the numerals ERA_DATE reads (as NFKC makes them: half-width digits)."""
    from japanera import EraDate  # imported lazily: it builds its era tables on import

    if not all(re.fullmatch(form, part) for form, part in ((YEAR, year), (MONTH, month), (DAY, day))):
        return None
    digits = all(part.isdigit() for part in (year.replace("元", "1"), month, day))
    fmt = "%-K%-y年%-m月%-d日" if digits else "%-K%-n年%-m月%-d日"
    if not digits:
        year = year if not year.isdigit() else _to_kanji(int(year))
        month = month if not month.isdigit() else _to_kanji(int(month))
        day = day if not day.isdigit() else _to_kanji(int(day))
    try:
        found = EraDate.strptime(f"{era}{year}年{month}月{day}日", fmt)
    except ValueError:
        return None
    return found[0].isoformat() if found else None


def _to_kanji(n: int) -> str:
    from kanjize import number2kanji

    return number2kanji(n)


def find_era_date(text: str) -> tuple[str, str | None] | None:
    """The first era date in `text`: (as written, ISO date or None when the day is blank or the
    date does not exist). None when the text holds no era date."""
    match = ERA_DATE.search(text)
    if not match:
        return None
    written = match.group(0)
    month, day = match.group("month"), match.group("day")
    if not month or not day:
        return written, None
    norm = [unicodedata.normalize("NFKC", match.group(k)) for k in ("year", "month", "day")]
    return written, to_iso(match.group("era"), *norm)
