"""Clean the layout noise of text pulled from PDFs and web pages, keeping each line's number.

Page numbers, form feeds, running heads and breadcrumbs are dropped; OCR letter spacing
(`連 携 協 約`, `第 1 条`) is closed up. Wrapped sentences are joined later, by the reader, where
it knows a sentence continues.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

PAGE_NUMBER = re.compile(r"^[-−ー－‐]?[ \u3000]*[0-9０-９]{1,3}[ \u3000]*[-−ー－‐]?$|^[0-9０-９]{1,3}[ \u3000]*/[ \u3000]*[0-9０-９]{1,3}$")
BREADCRUMB = re.compile(r"[>＞›»]")
# Three or more single characters separated by single spaces: OCR letter spacing.
SPACED_OUT = re.compile(r"(?<![^ \u3000\t])(?:[^ \u3000\t][ \u3000]){2,}[^ \u3000\t](?![^ \u3000\t])")
SPACED_CELL = re.compile(r"(?:[^ \u3000][ \u3000])+[^ \u3000]")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the file
    text: str  # without trailing whitespace


def close_up(text: str) -> str:
    """Remove OCR letter spacing: in runs of 3+ spaced single characters, or in a table cell
    made only of spaced single characters (区 分)."""
    cells = text.split("\t")
    if len(cells) > 1:
        return "\t".join(re.sub(r"[ \u3000]", "", c) if SPACED_CELL.fullmatch(c) else close_up(c) for c in cells)
    return SPACED_OUT.sub(lambda m: re.sub(r"[ \u3000]", "", m.group(0)), text)


def clean_lines(text: str) -> list[Line]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    lines = [Line(i, close_up(t.rstrip())) for i, t in enumerate(raw, start=1) if t.strip()]
    is_page_number = [bool(PAGE_NUMBER.match(l.text.strip())) for l in lines]
    counts = Counter(l.text for l in lines)
    near_page_break = {
        i + d for i, page in enumerate(is_page_number) if page for d in (-2, -1, 1, 2) if 0 <= i + d < len(lines)
    }
    kept = []
    for i, line in enumerate(lines):
        if is_page_number[i]:
            continue
        if counts[line.text] > 1 and i in near_page_break and "\t" not in line.text:
            continue  # a running head repeated on every page
        kept.append(line)
    return kept


def is_breadcrumb(text: str) -> bool:
    return len(BREADCRUMB.findall(text)) >= 2 or text.strip() in {"印刷", "ページを印刷", "このページを印刷する"}
