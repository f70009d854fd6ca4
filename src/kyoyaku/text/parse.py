"""Parse the text of a 連携協約 into the model.

The reader walks the document top-down: header (cover lines, title), preamble (parties,
area, legal basis), articles with paragraphs, closing formula, date, signature blocks, and
the 別表 with its sections and rows. What it cannot find becomes a diagnostic with a line
number; input that is not an agreement at all raises `InputError`.

This module holds the entry points and the reader's cursor; the bytes are decoded and bounded by
text.decode, and each part of the document is read by its own module: text.header (header,
preamble, parties), text.articles (articles, paragraphs, items, inline roles), text.closing
(closing formula, date, signatures), text.appendix (別表). text.patterns holds the line patterns
they share.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import InputError
from .amendment import AmendmentReader, is_amending_title
from .appendix import AppendixReader
from .articles import ArticleReader, _Joined
from .closing import ClosingReader
from .decode import (
    MAX_BYTES_VARIABLE,
    MAX_DOCUMENT_BYTES,
    MAX_LINE_CHARS,
    MAX_LINE_CHARS_VARIABLE,
    check_line_lengths,
    check_size,
    input_limit,
)
from .formats import default_max_bytes, read_source
from .front import TITLE, Front, is_title, read_front
from .header import LEGAL_BASIS, PARTY_DEFINITION, TEIJU_BASIS, HeaderReader, compact
from .layout import Line, clean_lines
from .model import Agreement, Appendix, Diagnostic, Party, SourceFile
from .patterns import APPENDIX, ARTICLE, HEADING, find_era_date_line, heading_of

AGREEMENT_WORD = re.compile(r"連携協約|協定")

MAX_NUMERAL_LENGTH = 100  # no agreement counts that far; int() and str() refuse 4,300 digits


def to_int(number: str) -> int:
    """Arabic (half- or full-width) or kanji numerals to int; ValueError when they are no number
    (十十) or longer than MAX_NUMERAL_LENGTH."""
    number = unicodedata.normalize("NFKC", number)
    if len(number) > MAX_NUMERAL_LENGTH:
        raise ValueError(f"a numeral of {len(number):,} characters")
    if number.isdigit():
        return int(number)
    from kanjize import kanji2number

    return kanji2number(number.replace("〇", "零"))


def parse_file(path: str | Path, max_bytes: int | None = None, max_line_chars: int | None = None) -> Agreement:
    """Parse one agreement text (UTF-8 or Shift_JIS) into an Agreement (text.model): header,
    parties, articles, 別表, closing and signatures, each with its source line, and in
    `.diagnostics` what could not be read (level "error" for parts an agreement must have, else
    "warning"). Input that is no agreement at all, or unreadable, raises InputError (kyoyaku.errors).

    A file over `max_bytes` or with a line over `max_line_chars` characters is an InputError; None
    takes the limit from the environment (KYOYAKU_MAX_BYTES, KYOYAKU_MAX_LINE_CHARS), else the
    default (a text's or page's MAX_BYTES, a PDF's, an image's or a Word document's MAX_DOCUMENT_BYTES)."""
    path = Path(path)
    largest = input_limit(max_bytes, MAX_BYTES_VARIABLE, MAX_DOCUMENT_BYTES)  # the larger default
    try:
        with path.open("rb") as f:
            data = f.read(largest + 1)  # a larger file is refused without reading it all
    except OSError as e:
        raise InputError(path, None, "a readable file", e.strerror or str(e)) from None
    return parse_bytes(data, name=path.name, display=str(path), max_bytes=max_bytes, max_line_chars=max_line_chars)


def parse_bytes(data: bytes, name: str, display: str | None = None, max_bytes: int | None = None,
                max_line_chars: int | None = None) -> Agreement:
    display = display or name
    max_bytes = input_limit(max_bytes, MAX_BYTES_VARIABLE, default_max_bytes(data))
    max_line_chars = input_limit(max_line_chars, MAX_LINE_CHARS_VARIABLE, MAX_LINE_CHARS)
    check_size(data, display, max_bytes)
    read = read_source(data, display)  # a text, or an HTML page's lines (text.formats)
    check_line_lengths(read.text, display, max_line_chars)
    source = SourceFile(name=name, sha256=hashlib.sha256(data).hexdigest(), byte_size=len(data),
                        encoding=read.encoding, media_type=read.media_type, line_origins=read.origins)
    agreement = _Reader(read.text, source, display).read()
    agreement.diagnostics.extend(read.diagnostics)  # the reader's doubts (OCR), after the text's
    return agreement


class _Reader(HeaderReader, ArticleReader, ClosingReader, AppendixReader, AmendmentReader):
    """The reader: a cursor over the cleaned lines and the agreement being filled. Each part of the
    document is read by its own mixin (text.header, text.articles, text.closing, text.appendix; an
    amending agreement's instructions: text.amendment)."""

    amending = False  # an amending agreement (text.amendment)
    fragment = False  # an amending instruction's content, read by read_fragment

    def __init__(self, text: str, source: SourceFile, display: str):
        self.lines = clean_lines(text)
        self.pos = 0
        self.display = display
        self.agreement = Agreement(source=source)
        self.initiative_count = 0  # kept here: counting agreement.initiatives for each row is quadratic
        self.joined = _Joined()  # wrapped lines of the paragraph or inline role being read
        self.party_keys: dict[str, Party] = {}  # filled by index_parties
        self.mayor_titles: dict[str, Party] = {}
        self.longest_title = 0
        # per paragraph (by id): item label kinds in order of first appearance, last item ordinal per level
        self.item_levels: dict[int, tuple[list[str], dict[int, int]]] = {}
        self.groups: dict[str, list[Party]] = {}  # a collective name (連携町村) → its parties
        self.fallback_dates: list[tuple[str, tuple[str, int]]] = []  # (date_source, (date, line))
        self.closing_date_problem: tuple[int | None, str] = (None, "no date")

    # -- cursor -----------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Line | None:
        i = self.pos + offset
        return self.lines[i] if i < len(self.lines) else None

    def take(self) -> Line:
        line = self.lines[self.pos]
        self.pos += 1
        return line

    def take_sentence(self, ends: re.Pattern | None = None) -> Line:
        """The next line, joined with the lines that continue it until a sentence ends (。, or the
        words `ends` finds at the end of a line when OCR dropped the 。)."""
        first = self.take()
        pieces = [first.text]  # joined once: adding to a string line by line is quadratic
        while not pieces[-1].endswith("。") and not (ends and ends.search(pieces[-1])) \
                and (nxt := self.peek()) and not HEADING.match(nxt.text) \
                and not ARTICLE.match(nxt.text) and not find_era_date_line(nxt.text):
            pieces.append(self.take().text)
        while (nxt := self.peek()) and nxt.text.strip() in ("。", "．"):
            pieces.append(self.take().text)  # the 。 a hard break put on a line of its own
        return Line(first.number, "".join(pieces))

    def here(self) -> int | None:
        """The line where the reader stands: the next line, or the last one when the text ended."""
        line = self.peek() or (self.lines[-1] if self.lines else None)
        return line.number if line else None

    def number(self, numeral: str, line: int) -> int:
        """An article, paragraph or section number, or a period: a numeral that is none is an InputError."""
        try:
            return to_int(numeral)
        except ValueError:
            shown = numeral if len(numeral) <= 20 else f"{numeral[:20]}… ({len(numeral):,} characters)"
            raise InputError(self.display, line, f"a number in Arabic or kanji numerals (12, 十二) of at most "
                             f"{MAX_NUMERAL_LENGTH} digits", shown) from None

    def next_initiative_number(self) -> int:
        self.initiative_count += 1
        return self.initiative_count

    def diagnose(self, level: str, line: int | None, message: str) -> None:
        self.agreement.diagnostics.append(Diagnostic(level, line, message))

    # -- document ---------------------------------------------------------------------------
    def read(self) -> Agreement:
        if not self.lines:
            raise InputError(self.display, None, "the text of a 連携協約", "an empty file")
        if (title_at := self.amending_title_at()) is not None:
            self.read_amending(title_at)
            return self.agreement
        body_at = self.body_start()
        front = read_front(self.lines[:body_at])
        self.check_is_agreement(front, body_at)
        self.read_header(front)
        self.read_preamble(front.preamble)
        self.pos = body_at
        self.read_articles()
        self.read_closing()
        self.read_signatures()
        self.read_appendices()
        for line in self.lines[self.pos:]:
            self.diagnose("warning", line.number, f"text not understood: {line.text[:40]}")
        self.settle_date()
        self.check_complete()
        return self.agreement

    def amending_title_at(self) -> int | None:
        """The line of an amending agreement's title (…の一部を変更する連携協約) above its first
        article or 別表, followed by a sentence that changes an agreement (…を次のように変更する);
        None for any other text (a 例規集 page of a consolidated text naming its amendments in a
        history line is no amending agreement)."""
        for i, line in enumerate(self.lines):
            if ARTICLE.match(line.text) or APPENDIX.match(line.text):
                return None
            if is_title(line.text) and is_amending_title(TITLE.match(line.text).group("title")) \
                    and any("変更する" in l.text and "。" in l.text for l in self.lines[i + 1:i + 12]):
                return i
        return None

    def read_fragment(self, lines: list[Line], kind: str) -> Agreement:
        """An amending instruction's content read as the parts it holds (`kind`: articles, appendix —
        a whole 別表, with or without its heading — or rows of a 別表 table, under the amended
        table's usual header when the content has none), with this agreement's parties; its
        diagnostics become this reader's."""
        child = _Reader.__new__(_Reader)
        child.__dict__.update(self.__dict__)  # the parties and their indices
        child.lines, child.pos, child.fragment = lines, 0, True
        child.agreement = Agreement(source=self.agreement.source, framework=self.agreement.framework,
                                    parties=self.agreement.parties)
        child.initiative_count = 0
        child.joined = _Joined()
        child.item_levels = {}
        if kind == "articles":
            child.read_articles()
        elif kind == "appendix" and lines and APPENDIX.match(lines[0].text):
            child.read_appendices()
        else:
            if kind == "rows" and not any(l.text.split("\t")[0].strip() == "区分" for l in lines):
                roles = [f"{p.designation or p.name}の役割" for p in self.agreement.parties]
                child.lines = [Line(lines[0].number, "\t".join(["区分", "連携する取組", *roles])), *lines]
            appendix = Appendix(ordinal=1, number="", heading_text="", line=lines[0].number)
            child.agreement.appendices.append(appendix)
            child.read_appendix_body(appendix)
        for line in child.lines[child.pos:]:
            child.diagnose("warning", line.number, f"line of the new text not understood: {line.text[:40]}")
        self.agreement.diagnostics += child.agreement.diagnostics
        return child.agreement

    def body_start(self) -> int:
        """Where the articles begin: the first 第N条, or the heading above it."""
        for i, line in enumerate(self.lines):
            if ARTICLE.match(line.text):
                return i - 1 if i and heading_of(self.lines[i - 1].text) else i
        return len(self.lines)

    def check_is_agreement(self, front: Front, body_at: int) -> None:
        """Refuse only what is not an agreement. The evidence: a title naming a 協約 or 協定, or a
        preamble defining the parties or citing the law (地方自治法第252条の2, 定住自立圏構想推進要綱);
        and articles, or a preamble. A copy that starts at 第1条 is one when its articles name the
        連携協約 or 協定. A recognisable agreement with parts missing is read as far as it goes."""
        preamble = "".join(l.text for l in front.preamble)
        has_preamble = bool(PARTY_DEFINITION.search(preamble) or LEGAL_BASIS.search(compact(preamble))
                            or TEIJU_BASIS.search(preamble))
        has_articles = body_at < len(self.lines)
        body_names_it = body_at == 0 and any(AGREEMENT_WORD.search(l.text) for l in self.lines[:50])
        if (front.title or has_preamble or body_names_it) and (has_articles or has_preamble):
            return
        if front.bill:
            expected = f"the agreement attached to the council bill {front.bill.number} (its title and articles)"
        else:
            expected = ("a 連携協約 or 定住自立圏形成協定: a title or a preamble naming it "
                        "(地方自治法第252条の2第1項, 定住自立圏構想推進要綱), and its articles (第1条 …)")
        first = self.lines[0]
        raise InputError(self.display, first.number, expected, first.text[:40])

    def check_complete(self) -> None:
        a = self.agreement
        if a.title is None:
            self.diagnose("error", None, "no title")
        if len(a.parties) < 2:
            self.diagnose("error", a.preamble.line if a.preamble else None, "fewer than two parties")
