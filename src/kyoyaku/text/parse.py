"""Parse the text of a 連携協約 into the model.

The reader walks the document top-down: header (cover lines, title), preamble (parties,
area, legal basis), articles with paragraphs, closing formula, date, signature blocks, and
the 別表 with its sections and rows. What it cannot find becomes a diagnostic with a line
number; input that is not an agreement at all raises `InputError`.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from functools import cache
from pathlib import Path

from ..errors import InputError, UsageError, describe_bytes
from ..resources import mapping_table
from . import municipalities
from .dates import find_era_date
from .layout import Line, clean_lines, is_breadcrumb, raw_lines
from .model import (
    Agreement,
    Appendix,
    AppendixSection,
    Article,
    Diagnostic,
    Initiative,
    Item,
    LapsePeriod,
    Paragraph,
    Party,
    RoleStatement,
    Segment,
    Signature,
    SourceFile,
)

SP = r"[ \u3000]"
DIGITS = "0-9０-９"
KANJI_DIGITS = "〇一二三四五六七八九十百"
DESIGNATIONS = "甲乙丙丁戊己"

PARTY_DEFINITION = re.compile(rf"（以下「(?P<des>[{DESIGNATIONS}])」という。）")
# The area's name starts after a 、 (or at the start), or after the first は of its clause. Only the
# clause's first は may start it: trying every は rescans the clause from each (quadratic).
AREA_DEFINITION = re.compile(r"(?:^|[、，,]|(?<=[。（])[^、，,。（は]*+は)(?P<area>[^、，,。（]+?)（以下「圏域」という。）")
AREA_LEAD_IN = re.compile(r"^.*(?:とする|として)")  # 乙を近隣市町村とする安房南部定住自立圏
NAME_CONNECTIVE = re.compile(r"^(?:とは|及び|並びに|と|、|，|,)+")
# A bracket holds no opening bracket: else each 地方自治法（ of an unclosed run rescans to the end.
LEGAL_BASIS = re.compile(r"地方自治法(?:[（(][^（(）)]*+[）)])?第(?:252|２５２|二百五十二)条の(?:2|２|二)第(?:1|１|一)項")
TEIJU_BASIS = re.compile(r"定住自立圏構想推進要綱")
PREAMBLE_START = re.compile(r"（以下「|\(以下「|締結する")
TITLE_PARTIES = re.compile(r"^(?P<names>.+?)(?:との間における|との間の|との|における|の)")
NAME_SPLIT = re.compile(r"及び|並びに|と|、|・")
ARTICLE = re.compile(
    rf"^第(?P<num>[{DIGITS}{KANJI_DIGITS}]+)条(?:の(?P<sub>[{DIGITS}{KANJI_DIGITS}]+))?(?:{SP}+(?P<text>.*))?$"
)
HEADING = re.compile(r"^[（(](?P<heading>[^（）()]+)[）)]$")
NUMBERED = re.compile(rf"^(?P<num>[{DIGITS}]+){SP}+(?P<text>.+)$")
PAREN_NUMBERED = re.compile(rf"^[（(](?P<num>[{DIGITS}]+)[）)]{SP}*(?P<text>.+)$")
APPENDIX = re.compile(rf"^(?P<number>別表(?:第[{DIGITS}{KANJI_DIGITS}]+)?)")
SIGNATORY_PARTY = re.compile(rf"^(?P<des>[{DESIGNATIONS}]){SP}+(?P<name>\S.*)$")
CLOSING = re.compile(r"証するため|通を作成")
# `who` ends at the first と, and stops at the next declaration: else a run of declarations without と
# rescans the rest of the line from each one (quadratic).
DECLARED = r"(?:連携中枢都市|中心市)宣言を行った"
CORE_CITY_DECLARATION = re.compile(rf"{DECLARED}(?P<who>.(?:(?!{DECLARED})[^と\n])*+)と")
LAPSE = re.compile(rf"起算して(?P<amount>[{DIGITS}{KANJI_DIGITS}]+)(?P<unit>年|月|日)を経過した日")
COUNCIL_RESOLUTION = re.compile(r"議会の議決を経")
TITLE_END = re.compile(r"(協約|協定)書?$")
TITLE_LINK = re.compile(r"に関する|に係る|における|との|の形成")  # words that join a title's two halves
LEADS = "主体的に"
# Roles written inline under each field (instead of a 別表).
INLINE_CONTENT = re.compile(r"^(?:[(（]a[)）]|a)[ \u3000]*取組の?内容$")
INLINE_ROLES = re.compile(r"^(?:[(（]b[)）]|b)[ \u3000]*役割分担$")
# Possessive spaces: giving them back one by one would rescan the rest of the line each time.
INLINE_ROLE = re.compile(r"^(?:i{1,3}|iv|v|[b-f])[ \u3000]++(?P<who>.+?)の役割$")
KANA_LABELS = "アイウエオカキクケコサシスセソタチツテト"
# An item label: (1), (ア) — or ア followed by a space (a bare ア may begin a word: イベント).
ITEM_LABEL = re.compile(
    rf"^(?P<label>[(（](?P<paren>[{DIGITS}]+|[{KANA_LABELS}])[)）]|(?P<kana>[{KANA_LABELS}])(?=[ \u3000]))[ \u3000]*(?P<text>.*)$"
)
ITEM_MARK = re.compile(rf"^(?:[(（][{DIGITS}{KANA_LABELS}]+[)）]|[{KANA_LABELS}](?=[ \u3000])|[{DIGITS}]+)[ \u3000]*")

# Heading keywords → clause kind (first match wins; order matters: 疑義 before 協議).
CLAUSE_KINDS: tuple[tuple[str, str], ...] = (
    ("目的", "purpose"),
    ("基本方針", "basic-policy"),
    ("定義", "definitions"),
    ("ビジョン", "vision"),
    ("疑義", "dispute-resolution"),
    ("役割分担", "initiatives-and-roles"),
    ("連携する取組", "initiatives-and-roles"),
    ("費用", "cost-sharing"),
    ("協議", "consultation"),
    ("会議", "consultation"),
    ("期間", "term"),
    ("失効", "amendment-termination"),
    ("廃止", "amendment-termination"),
    ("変更", "amendment-termination"),
)
UNITS = {"年": "year", "月": "month", "日": "day"}


def clause_kind(heading: str | None) -> str:
    for keyword, kind in CLAUSE_KINDS:
        if heading and keyword in heading:
            return kind
    return "other"


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


@cache
def _mapping(scheme: str = "policy-field") -> dict[str, tuple[str, str]]:
    """区分 → (concept notation, "exact" | "synonym") from the scheme's mapping table."""
    with mapping_table(scheme).open(encoding="utf-8", newline="") as f:
        return {row["category"]: (row["policy_field"], row["match"]) for row in csv.DictReader(f)}


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 (with or without BOM) first, then Shift_JIS (CP932). Neither:
    an InputError on the line of the first byte that does not decode — as UTF-8 when the text
    before it holds UTF-8 characters (a UTF-8 file with a bad byte), else as Shift_JIS."""
    if (nul := data.find(b"\x00")) >= 0:
        raise InputError.at_byte(path, data, nul, "a text file (UTF-8 or Shift_JIS)", "binary data (a NUL byte)")
    errors = []
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            errors.append(e)
            continue
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            name = "utf-8-sig"
        return text, name
    as_utf8, as_shift_jis = errors
    bad = as_utf8 if not data[:as_utf8.start].removeprefix(b"\xef\xbb\xbf").isascii() else as_shift_jis
    encoding = "UTF-8" if bad is as_utf8 else "Shift_JIS"
    raise InputError.at_byte(path, data, bad.start, "a text file in UTF-8 or Shift_JIS",
                             f"{describe_bytes(bad.object[bad.start:bad.end])} (not {encoding})")


# Input limits: far above any agreement (the seed is 8.5 kB, its longest line 163 characters); they
# bound the time and memory a hostile or broken file can cost.
MAX_BYTES = 5_000_000
MAX_BYTES_VARIABLE = "KYOYAKU_MAX_BYTES"
MAX_LINE_CHARS = 100_000
MAX_LINE_CHARS_VARIABLE = "KYOYAKU_MAX_LINE_CHARS"


def input_limit(value: int | None, variable: str, default: int) -> int:
    """A limit given by the caller (a command-line option), else by the environment variable, else the default."""
    source = "the limit"
    if value is None:
        setting = os.environ.get(variable, "").strip()
        if not setting:
            return default
        try:
            value = int(setting)
        except ValueError:
            raise UsageError(f"{variable}={setting!r}: expected a whole number") from None
        source = variable
    if value < 1:
        raise UsageError(f"{source} {value}: expected a whole number of at least 1")
    return value


def check_size(data: bytes, display: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise InputError(display, None, f"a file of at most {max_bytes:,} bytes (raise the limit with --max-bytes "
                         f"or {MAX_BYTES_VARIABLE})", f"more than {max_bytes:,} bytes")


def check_line_lengths(text: str, display: str, max_line_chars: int) -> None:
    if len(text) <= max_line_chars:
        return
    lines = raw_lines(text)  # numbered as the reader numbers them
    if max(map(len, lines)) > max_line_chars:
        number, line = next((n, l) for n, l in enumerate(lines, start=1) if len(l) > max_line_chars)
        raise InputError(display, number, f"lines of at most {max_line_chars:,} characters (raise the limit with "
                         f"{MAX_LINE_CHARS_VARIABLE})", f"a line of {len(line):,} characters")


def parse_file(path: str | Path, max_bytes: int | None = None, max_line_chars: int | None = None) -> Agreement:
    """Parse one agreement text. A file over `max_bytes` or with a line over `max_line_chars` characters
    is an InputError; None takes the limit from the environment (KYOYAKU_MAX_BYTES …), else the default."""
    path = Path(path)
    max_bytes = input_limit(max_bytes, MAX_BYTES_VARIABLE, MAX_BYTES)
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # a larger file is refused without reading it all
    except OSError as e:
        raise InputError(path, None, "a readable file", e.strerror or str(e)) from None
    return parse_bytes(data, name=path.name, display=str(path), max_bytes=max_bytes, max_line_chars=max_line_chars)


def parse_bytes(data: bytes, name: str, display: str | None = None, max_bytes: int | None = None,
                max_line_chars: int | None = None) -> Agreement:
    display = display or name
    max_bytes = input_limit(max_bytes, MAX_BYTES_VARIABLE, MAX_BYTES)
    max_line_chars = input_limit(max_line_chars, MAX_LINE_CHARS_VARIABLE, MAX_LINE_CHARS)
    check_size(data, display, max_bytes)
    text, encoding = decode(data, display)
    check_line_lengths(text, display, max_line_chars)
    source = SourceFile(
        name=name, sha256=hashlib.sha256(data).hexdigest(), byte_size=len(data), encoding=encoding
    )
    return _Reader(text, source, display).read()


class _Reader:
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

    # -- cursor -----------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Line | None:
        i = self.pos + offset
        return self.lines[i] if i < len(self.lines) else None

    def take(self) -> Line:
        line = self.lines[self.pos]
        self.pos += 1
        return line

    def take_sentence(self) -> Line:
        """The next line, joined with the lines that continue it until a sentence ends (。)."""
        first = self.take()
        pieces = [first.text]  # joined once: adding to a string line by line is quadratic
        while not pieces[-1].endswith("。") and (nxt := self.peek()) and not HEADING.match(nxt.text) \
                and not ARTICLE.match(nxt.text):
            pieces.append(self.take().text)
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
        preamble_at = next((i for i, l in enumerate(self.lines) if PREAMBLE_START.search(l.text)
                            and not ARTICLE.match(l.text)), None)
        if preamble_at is None or ARTICLE.match(self.lines[0].text):
            raise InputError(
                self.display,
                self.lines[0].number,
                "a 連携協約 whose preamble names the parties as X（以下「甲」という。）",
                self.lines[0].text[:40],
            )
        self.read_header(preamble_at)
        self.read_preamble(self.take_sentence())
        self.read_articles()
        self.read_closing()
        self.read_signatures()
        self.read_appendices()
        for line in self.lines[self.pos:]:
            self.diagnose("warning", line.number, f"text not understood: {line.text[:40]}")
        self.check_complete()
        return self.agreement

    def read_header(self, preamble_at: int) -> None:
        header = [l for l in self.lines[:preamble_at] if not is_breadcrumb(l.text)]
        self.pos = preamble_at
        if not header:
            self.diagnose("error", self.lines[0].number, "no title before the preamble")
            return
        title_at = max(
            (i for i, l in enumerate(header) if TITLE_END.search(l.text)), default=len(header) - 1
        )
        title = header[title_at]
        text = title.text.lstrip("○〇 \u3000")
        if title_at and not TITLE_LINK.search(text):
            # A title wrapped over two lines: its head is the line before.
            title_at -= 1
            title = header[title_at]
            text = title.text.lstrip("○〇 \u3000") + text
        self.agreement.title = text
        self.agreement.title_line = title.number
        if title_at:
            cover = header[:title_at]
            self.agreement.cover = Segment("\n".join(l.text for l in cover), cover[0].number)
        for line in header[title_at + 1:]:
            if line.text.lstrip("○〇 \u3000") == self.agreement.title or find_era_date(line.text):
                continue  # the title repeated, or the 告示 date line
            self.diagnose("warning", line.number, f"header line not understood: {line.text[:40]}")

    def read_preamble(self, line: Line) -> None:
        a = self.agreement
        a.preamble = Segment(line.text, line.number)
        text = line.text.replace("(以下「", "（以下「").replace("」という。)", "」という。）")
        start = 0
        for order, match in enumerate(PARTY_DEFINITION.finditer(text), start=1):
            name = NAME_CONNECTIVE.sub("", text[start:match.start()]).strip()
            start = match.end()
            a.parties.append(Party(designation=match.group("des"), name=name, order=order, role="partner"))
        if not a.parties:
            self.parties_from_title(line)
        area = AREA_DEFINITION.search(text)
        if area:
            a.area_name = AREA_LEAD_IN.sub("", NAME_CONNECTIVE.sub("", area.group("area"))).strip()
        teiju = TEIJU_BASIS.search(text)
        if teiju or "定住自立圏" in (a.title or "") and "協定" in (a.title or ""):
            a.framework = "teiju-jiritsu"
            a.legal_basis = teiju.group(0) if teiju else None
        elif basis := LEGAL_BASIS.search(text):
            a.legal_basis = basis.group(0)
        else:
            self.diagnose("error", line.number, "the preamble does not cite 地方自治法第252条の2第1項")
        self.resolve_parties(line.number)

    def parties_from_title(self, line: Line) -> None:
        """Agreements that never use 甲/乙 name the parties in the title (A及びBにおける…,
        AとBとの…, AとBとの間における…); each name must also stand in the preamble."""
        found = TITLE_PARTIES.match(self.agreement.title or "")
        names = [n for n in NAME_SPLIT.split(found.group("names")) if n] if found else []
        names = [n for n in names if n in line.text and municipalities.resolve(n).candidates]
        if len(names) < 2:
            self.diagnose("error", line.number, "parties named as X（以下「甲」という。） or in the title (A及びB…)")
        for order, name in enumerate(names, start=1):
            self.agreement.parties.append(Party(designation="", name=name, order=order, role="partner"))

    def party_by(self, who: str) -> Party | None:
        """The party a column or role heading names, by designation (甲) or by name (郡山市)."""
        return self.party_keys.get(who)

    def index_parties(self) -> None:
        """Index the parties by designation and name, and by the title a signature starts with
        (`{name}長`); the first party in order wins, as a scan would find it. Scanning the parties for
        each line costs lines × parties: quadratic for a broken file repeating a party definition."""
        for party in self.agreement.parties:
            bare = party.municipality.name if party.municipality else party.name
            for key in (party.designation, party.name, bare):
                self.party_keys.setdefault(key, party)
            for title in (f"{party.name}長", f"{bare}長"):
                self.mayor_titles.setdefault(title, party)
        self.longest_title = max(map(len, self.mayor_titles), default=0)

    def resolve_parties(self, line_number: int) -> None:
        parties = self.agreement.parties
        results = {p.name: municipalities.resolve(p.name) for p in parties}
        hints = tuple(sorted({r.municipality.prefecture for r in results.values() if r.municipality}))
        for party in parties:
            result = results[party.name]
            if result.municipality is None and len(result.candidates) > 1:
                result = municipalities.resolve(party.name, hints)
            party.municipality = result.municipality
            if result.municipality is None:
                if result.candidates:
                    where = "、".join(f"{m.prefecture}{m.name} ({m.code})" for m in result.candidates)
                    message = f"{party.name} is ambiguous: {where}; write the prefecture"
                else:
                    message = f"{party.name} is not a municipality in the national list"
                self.diagnose("error", line_number, message)
        self.index_parties()

    def read_articles(self) -> None:
        article: Article | None = None
        heading: Line | None = None
        inline: _InlineRoles | None = None
        while (line := self.peek()) is not None:
            if CLOSING.search(line.text) or APPENDIX.match(line.text) or find_era_date_line(line.text):
                break
            self.take()
            nxt = self.peek()
            if HEADING.match(line.text) and nxt and ARTICLE.match(nxt.text):
                heading = line
                continue
            if m := ARTICLE.match(line.text):
                article = self.start_article(m, line, heading)
                heading = None
                inline = _InlineRoles(self, article) if self.inline_roles_ahead() else None
                continue
            if article and nxt and INLINE_CONTENT.match(nxt.text):
                inline = inline or _InlineRoles(self, article)
                inline.start_field(line)
                continue
            if inline and inline.take(line):
                continue
            if article and (m := NUMBERED.match(line.text)):
                self.add_paragraph(article, line, m.group("num"), m.group("text"))
                continue
            if article and article.paragraphs and (m := ITEM_LABEL.match(line.text)):
                self.add_item(article.paragraphs[-1], m, line)
                continue
            if article and article.paragraphs:
                # A hard-wrapped sentence continues the paragraph, or its last item.
                last = article.paragraphs[-1]
                target = last.items[-1] if last.items else last
                tail = self.joined.tail(target, "text")
                self.joined.add(target, "text", ("" if _continues(tail, line.text) else "\n") + line.text)
                continue
            self.diagnose("warning", line.number, f"line outside any article: {line.text[:40]}")
        self.joined.flush()
        if not self.agreement.articles:
            self.diagnose("error", self.here(), "no article (第1条 …) found")

    def add_item(self, paragraph: Paragraph, label: re.Match, line: Line) -> None:
        """An item of the paragraph; its level follows the order in which label kinds first appear
        ((1) then ア then (ア) in the national template, but a paragraph may start with ア); its parent
        is the last item one level up."""
        kinds, last = self.item_levels.setdefault(id(paragraph), ([], {}))
        kind = _item_kind(label.group("label"))
        if kind not in kinds:
            kinds.append(kind)
        level = kinds.index(kind) + 1
        ordinal = len(paragraph.items) + 1
        paragraph.items.append(Item(ordinal=ordinal, label=label.group("label"), level=level,
                                    text=label.group("text"), line=line.number, parent=last.get(level - 1)))
        last[level] = ordinal

    def inline_roles_ahead(self) -> bool:
        """Whether the article just started writes its roles inline (`(a) 取組内容` …)."""
        for i in range(self.pos, len(self.lines)):  # not a slice: copying the rest for each article is quadratic
            line = self.lines[i]
            if ARTICLE.match(line.text) or CLOSING.search(line.text) or APPENDIX.match(line.text):
                return False
            if INLINE_CONTENT.match(line.text):
                return True
        return False

    def start_article(self, m: re.Match, line: Line, heading: Line | None) -> Article:
        ordinal = self.number(m.group("num"), line.number)
        number = str(ordinal) + (f"の{self.number(m.group('sub'), line.number)}" if m.group("sub") else "")
        heading_text = HEADING.match(heading.text).group("heading") if heading else None
        article = Article(
            ordinal=ordinal,
            number=number,
            number_as_written=line.text[: m.start("text")].rstrip(" \u3000") if m.group("text") else line.text,
            heading=heading_text,
            heading_line=heading.number if heading else None,
            line=line.number,
            clause_kind=clause_kind(heading_text),
        )
        if m.group("text"):
            article.paragraphs.append(Paragraph(ordinal=1, number=None, text=m.group("text"), line=line.number))
        self.agreement.articles.append(article)
        return article

    def add_paragraph(self, article: Article, line: Line, number: str, text: str) -> None:
        ordinal = self.number(number, line.number)
        expected = len(article.paragraphs) + 1
        if ordinal != expected:
            self.diagnose("warning", line.number, f"paragraph {number} of 第{article.number}条, expected {expected}")
        article.paragraphs.append(Paragraph(ordinal=ordinal, number=number, text=text, line=line.number))
        if article.clause_kind == "amendment-termination":
            self.read_termination_terms(article, article.paragraphs[-1])

    def read_termination_terms(self, article: Article, paragraph: Paragraph) -> None:
        if m := LAPSE.search(paragraph.text):
            self.agreement.lapse_period = LapsePeriod(
                amount=self.number(m.group("amount"), paragraph.line), unit=UNITS[m.group("unit")],
                article=article.number, paragraph=paragraph.ordinal,
            )

    def read_closing(self) -> None:
        a = self.agreement
        for article in a.articles:
            if article.clause_kind == "amendment-termination":
                for paragraph in article.paragraphs:
                    if a.lapse_period is None:
                        self.read_termination_terms(article, paragraph)
                    if COUNCIL_RESOLUTION.search(paragraph.text):
                        a.notice_requires_council_resolution = True
        declared = CORE_CITY_DECLARATION.search(_article_text(a))
        named = [w for w in NAME_SPLIT.split(declared.group("who"))] if declared else []
        cores = [p for p in (self.party_by(w.strip()) for w in named) if p] or a.parties[:1]
        for party in a.parties:
            party.role = "core-city" if party in cores else "partner"
        line = self.peek()
        if line and CLOSING.search(line.text):
            line = self.take_sentence()
            a.closing = Segment(line.text, line.number)
        else:
            self.diagnose("error", self.here(), "no closing formula (…を証するため…)")
        line = self.peek()
        found = find_era_date_line(line.text) if line else None
        if found:
            self.take()
            a.date_segment = Segment(line.text, line.number)
            a.date_as_written, a.date = found
            if a.date is None:
                self.diagnose("error", line.number, f"the date {found[0]} is incomplete or does not exist")
        else:
            self.diagnose("error", self.here(), "no date line after the closing formula")

    def read_signatures(self) -> None:
        """Signature blocks: an address, the party (甲 水戸市) and/or the title (水戸市長), the name."""
        block: list[Line] = []
        while (line := self.peek()) is not None and not APPENDIX.match(line.text):
            block.append(self.take())
        owner = [self.signatory_of(l.text) for l in block]
        marks: list[tuple[int, Party]] = []
        for i, party in enumerate(owner):
            if party and party not in [p for _, p in marks]:
                marks.append((i, party))
        for k, (i, party) in enumerate(marks):
            start = i - 1 if i > 0 and owner[i - 1] is None and (k == 0 or i - 1 > marks[k - 1][0]) else i
            end = (marks[k + 1][0] - (1 if owner[marks[k + 1][0] - 1] is None else 0)) if k + 1 < len(marks) else len(block)
            lines = [l.text for l in block[start:end]]
            title = next((t for t in lines[i - start:] if re.match(rf"{re.escape(party.name)}長|.{{1,8}}[市町村]長", t)), None)
            name = None
            if title and (" " in title or "\u3000" in title):
                title, name = re.split(r"[ \u3000]", title, maxsplit=1)
            elif title and lines.index(title) + 1 < len(lines):
                name = lines[lines.index(title) + 1]
            self.agreement.signatures.append(
                Signature(
                    party=party.order,
                    designation=party.designation,
                    party_name=party.name,
                    address=lines[0] if start < i else None,
                    title=title,
                    name=name,
                    text="\n".join(lines),
                    line=block[start].number,
                )
            )
        signed = {s.party for s in self.agreement.signatures}
        unsigned = [p.designation or p.name for p in self.agreement.parties if p.order not in signed]
        if unsigned:
            where = block[0].number if block else self.here()
            self.diagnose("error", where, f"no signature of {'、'.join(unsigned)}")

    def signatory_of(self, text: str) -> Party | None:
        if m := SIGNATORY_PARTY.match(text):
            return self.party_by(m.group("des"))
        found = None  # the first party in order whose title the text starts with
        end = text.find("長")
        while 0 <= end < self.longest_title:
            party = self.mayor_titles.get(text[:end + 1])
            if party and (found is None or party.order < found.order):
                found = party
            end = text.find("長", end + 1)
        return found

    def read_appendices(self) -> None:
        while (line := self.peek()) is not None and (m := APPENDIX.match(line.text)):
            self.take()
            appendix = Appendix(
                ordinal=len(self.agreement.appendices) + 1, number=m.group("number"), heading_text=line.text,
                line=line.number,
            )
            self.agreement.appendices.append(appendix)
            self.read_appendix_body(appendix)
        if not self.agreement.appendices and not self.agreement.initiatives:
            self.diagnose("error", self.here(), "no 別表 listing the initiatives and roles")

    def read_appendix_body(self, appendix: Appendix) -> None:
        section: AppendixSection | None = None
        top: AppendixSection | None = None
        columns: list[str] = []
        while (line := self.peek()) is not None and not APPENDIX.match(line.text):
            self.take()
            cells = line.text.split("\t")
            if len(cells) > 1 and cells[0].strip() == "区分":
                columns = [c.strip() for c in cells]
                (section or appendix).table_header = line.text
                continue
            if len(cells) > 1:
                self.add_initiative(appendix, section, columns, cells, line)
                continue
            if m := NUMBERED.match(line.text):
                key = str(self.number(m.group("num"), line.number))
                section = top = AppendixSection(key=key, number=m.group("num"), title=m.group("text"), line=line.number)
                appendix.sections.append(section)
                continue
            if (m := PAREN_NUMBERED.match(line.text)) and top:
                section = AppendixSection(key=f"{top.key}-{self.number(m.group('num'), line.number)}",
                                          number=line.text[: line.text.index(m.group("text"))].rstrip(" \u3000"),
                                          title=m.group("text"), line=line.number, parent=top.key)
                appendix.sections.append(section)
                continue
            self.diagnose("warning", line.number, f"line in the 別表 not understood: {line.text[:40]}")

    def add_initiative(self, appendix: Appendix, section: AppendixSection | None, columns: list[str],
                       cells: list[str], line: Line) -> None:
        role_columns = [(i, p) for i, c in enumerate(columns) if c.endswith("の役割") and (p := self.party_by(c[:-3]))]
        if not columns or "連携する取組" not in columns or not role_columns or len(cells) != len(columns):
            self.diagnose("error", line.number, "a table row with columns 区分 / 連携する取組 / 甲の役割 / 乙の役割")
            return
        roles = [RoleStatement(party=p.order, designation=p.designation, text=cells[i].strip(),
                               leads=LEADS in cells[i], line=line.number) for i, p in role_columns]
        category = cells[0].strip()
        appendix.initiatives.append(
            Initiative(
                number=self.next_initiative_number(),
                section=section.key if section else "",
                category=category,
                description=cells[columns.index("連携する取組")].strip(),
                roles=roles,
                line=line.number,
                **self.policy_fields(category, line),
            )
        )

    def policy_fields(self, category: str, line: Line) -> dict[str, str | None]:
        """A row's national policy field and, in a 定住自立圏 協定, its 定住自立圏 policy area (each
        with "exact" or "synonym"), from the mapping tables; a 区分 a table lacks is a warning."""
        fields: dict[str, str | None] = {}
        schemes = [("policy_field", "policy-field", "national policy field")]
        if self.agreement.framework == "teiju-jiritsu":
            schemes.append(("teiju_policy_field", "teiju-policy-field", "定住自立圏 policy area"))
        for attribute, scheme, what in schemes:
            field, match = _mapping(scheme).get(category, (None, None))
            if field is None:
                self.diagnose("warning", line.number, f"区分 {category} has no {what} in the mapping table")
            fields[attribute], fields[f"{attribute}_match"] = field, match
        return fields

    def check_complete(self) -> None:
        a = self.agreement
        if a.title is None:
            self.diagnose("error", None, "no title")
        if len(a.parties) < 2:
            self.diagnose("error", a.preamble.line if a.preamble else None, "fewer than two parties")


def find_era_date_line(text: str) -> tuple[str, str | None] | None:
    """An era date standing alone on its line (the signing date), not a date cited in a sentence."""
    found = find_era_date(text)
    return found if found and found[0].strip() == text.strip() else None


def _item_kind(label: str) -> str:
    inner = label.strip("()（）")
    if inner == label:
        return "kana"
    return "paren-digit" if unicodedata.normalize("NFKC", inner).isdigit() else "paren-kana"


def _continues(text: str, following: str) -> bool:
    """A line that does not start an item continues the sentence of a hard-wrapped line."""
    return not text.endswith(("。", "：", ":")) and not ITEM_MARK.match(following)


class _Joined:
    """Text read line by line into a field of the model (a wrapped paragraph, an inline role), joined
    once the reader moves on to another field: adding each line to the field would copy the whole
    text each time, quadratic in the lines."""

    def __init__(self):
        self.owner: object | None = None
        self.field = ""
        self.pieces: list[str] = []

    def tail(self, owner: object, field: str) -> str:
        """The end of the field's text so far (its last piece)."""
        return self.pieces[-1] if owner is self.owner and field == self.field else getattr(owner, field)

    def add(self, owner: object, field: str, piece: str) -> None:
        if owner is not self.owner or field != self.field:
            self.flush()
            self.owner, self.field, self.pieces = owner, field, [getattr(owner, field)]
        self.pieces.append(piece)

    def flush(self) -> None:
        if self.owner is None:
            return
        setattr(self.owner, self.field, "".join(self.pieces))
        if isinstance(self.owner, RoleStatement):
            self.owner.leads = LEADS in self.owner.text
        self.owner = None


class _InlineRoles:
    """Roles written inline in an article: a field heading, then `(a) 取組内容` text, then
    `(b) 役割分担` with `i 甲の役割` / `ii 乙の役割` texts (or `a 取組の内容` / `b 甲の役割` …)."""

    def __init__(self, reader: _Reader, article: Article):
        self.reader = reader
        self.article = article
        self.current: Initiative | None = None
        self.target: str | RoleStatement | None = None  # "description" or the role being read
        self.section = ""

    def start_field(self, line: Line) -> None:
        category = ITEM_MARK.sub("", line.text).strip()
        self.current = Initiative(number=self.reader.next_initiative_number(), section=self.section,
                                  category=category, description="", roles=[], line=line.number,
                                  **self.reader.policy_fields(category, line))
        self.article.initiatives.append(self.current)
        self.target = None

    def take(self, line: Line) -> bool:
        """Consume a line that belongs to the inline roles; False hands it back to the reader."""
        text = line.text
        if NUMBERED.match(text):
            self.current, self.target = None, None  # the article's next paragraph
            return False
        if label := ITEM_LABEL.match(text):
            # A group heading such as (2) 高次の都市機能の集積・強化: the next fields belong to it.
            self.section = label.group("label").strip("()（）")
            self.current, self.target = None, None
            return True
        if self.current is None:
            return False
        if INLINE_CONTENT.match(text):
            self.target = "description"
            return True
        if INLINE_ROLES.match(text):
            self.target = None
            return True
        if m := INLINE_ROLE.match(text):
            party = self.reader.party_by(m.group("who"))
            if party is None:
                self.reader.diagnose("error", line.number, f"a role of a party, found {m.group('who')}の役割")
                return True
            self.target = RoleStatement(party=party.order, designation=party.designation, text="", leads=False,
                                        line=line.number)
            self.current.roles.append(self.target)
            return True
        if self.target == "description":
            self.reader.joined.add(self.current, "description", text)
            return True
        if isinstance(self.target, RoleStatement):
            self.reader.joined.add(self.target, "text", text)  # sets `leads` when joined
            return True
        return False


def _article_text(agreement: Agreement) -> str:
    return "\n".join(t for a in agreement.articles for p in a.paragraphs for t in (p.text, *(i.text for i in p.items)))
