"""Parse the text of a 連携協約 into the model.

The reader walks the document top-down: header (cover lines, title), preamble (parties,
area, legal basis), articles with paragraphs, closing formula, date, signature blocks, and
the 別表 with its sections and rows. What it cannot find becomes a diagnostic with a line
number; input that is not an agreement at all raises `InputError`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import municipalities
from .dates import find_era_date
from .errors import InputError
from .model import (
    Agreement,
    Appendix,
    AppendixSection,
    Article,
    Diagnostic,
    Initiative,
    LapsePeriod,
    Paragraph,
    Party,
    RoleStatement,
    Segment,
    Signature,
    SourceFile,
)
from .resources import policy_field_mapping

SP = r"[ \u3000]"
DIGITS = "0-9０-９"
KANJI_DIGITS = "〇一二三四五六七八九十百"
DESIGNATIONS = "甲乙丙丁戊己"

PARTY_DEFINITION = re.compile(rf"（以下「(?P<des>[{DESIGNATIONS}])」という。）")
AREA_DEFINITION = re.compile(r"(?:^|[、，,は])(?P<area>[^、，,。（]+?)（以下「圏域」という。）")
NAME_CONNECTIVE = re.compile(r"^(?:とは|及び|並びに|と|、|，|,)+")
LEGAL_BASIS = re.compile(r"地方自治法(?:（[^）]*）)?第252条の2第1項")
ARTICLE = re.compile(
    rf"^第(?P<num>[{DIGITS}{KANJI_DIGITS}]+)条(?:の(?P<sub>[{DIGITS}{KANJI_DIGITS}]+))?(?:{SP}+(?P<text>.*))?$"
)
HEADING = re.compile(r"^[（(](?P<heading>[^（）()]+)[）)]$")
NUMBERED = re.compile(rf"^(?P<num>[{DIGITS}]+){SP}+(?P<text>.+)$")
PAREN_NUMBERED = re.compile(rf"^[（(](?P<num>[{DIGITS}]+)[）)]{SP}*(?P<text>.+)$")
APPENDIX = re.compile(rf"^(?P<number>別表(?:第[{DIGITS}{KANJI_DIGITS}]+)?)")
SIGNATORY_PARTY = re.compile(rf"^(?P<des>[{DESIGNATIONS}]){SP}+(?P<name>\S.*)$")
CLOSING = re.compile(r"証するため|通を作成")
CORE_CITY_DECLARATION = re.compile(rf"連携中枢都市宣言を行った(?P<des>[{DESIGNATIONS}])")
LAPSE = re.compile(rf"起算して(?P<amount>[{DIGITS}{KANJI_DIGITS}]+)(?P<unit>年|月|日)を経過した日")
COUNCIL_RESOLUTION = re.compile(r"議会の議決を経")
LEADS = "主体的に"

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


def to_int(number: str) -> int:
    """Arabic (half- or full-width) or kanji numerals to int."""
    number = unicodedata.normalize("NFKC", number)
    if number.isdigit():
        return int(number)
    from kanjize import kanji2number

    return kanji2number(number.replace("〇", "零"))


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the file
    text: str  # without trailing whitespace


@cache
def _mapping() -> dict[str, tuple[str, str]]:
    with policy_field_mapping().open(encoding="utf-8", newline="") as f:
        return {row["category"]: (row["policy_field"], row["match"]) for row in csv.DictReader(f)}


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 (with or without BOM) first, then Shift_JIS (CP932)."""
    if b"\x00" in data:
        raise InputError(path, None, "a text file (UTF-8 or Shift_JIS)", "binary data")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            name = "utf-8-sig"
        return text, name
    raise InputError(path, None, "a text file in UTF-8 or Shift_JIS", "undecodable bytes")


def parse_file(path: str | Path) -> Agreement:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(path, None, "a readable file", e.strerror or str(e)) from None
    return parse_bytes(data, name=path.name, display=str(path))


def parse_bytes(data: bytes, name: str, display: str | None = None) -> Agreement:
    display = display or name
    text, encoding = decode(data, display)
    source = SourceFile(
        name=name, sha256=hashlib.sha256(data).hexdigest(), byte_size=len(data), encoding=encoding
    )
    return _Reader(text, source, display).read()


class _Reader:
    def __init__(self, text: str, source: SourceFile, display: str):
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.lines = [Line(i, t.rstrip()) for i, t in enumerate(raw, start=1) if t.strip()]
        self.pos = 0
        self.display = display
        self.agreement = Agreement(source=source)

    # -- cursor -----------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Line | None:
        i = self.pos + offset
        return self.lines[i] if i < len(self.lines) else None

    def take(self) -> Line:
        line = self.lines[self.pos]
        self.pos += 1
        return line

    def diagnose(self, level: str, line: int | None, message: str) -> None:
        self.agreement.diagnostics.append(Diagnostic(level, line, message))

    # -- document ---------------------------------------------------------------------------
    def read(self) -> Agreement:
        if not self.lines:
            raise InputError(self.display, None, "the text of a 連携協約", "an empty file")
        preamble_at = next((i for i, l in enumerate(self.lines) if PARTY_DEFINITION.search(l.text)), None)
        if preamble_at is None:
            raise InputError(
                self.display,
                self.lines[0].number,
                "a 連携協約 whose preamble names the parties as X（以下「甲」という。）",
                self.lines[0].text[:40],
            )
        self.read_header(preamble_at)
        self.read_preamble(self.take())
        self.read_articles()
        self.read_closing()
        self.read_signatures()
        self.read_appendices()
        for line in self.lines[self.pos:]:
            self.diagnose("warning", line.number, f"text not understood: {line.text[:40]}")
        self.check_complete()
        return self.agreement

    def read_header(self, preamble_at: int) -> None:
        header = self.lines[:preamble_at]
        self.pos = preamble_at
        if not header:
            self.diagnose("error", self.lines[0].number, "no title before the preamble")
            return
        title_at = max(
            (i for i, l in enumerate(header) if re.search(r"(協約|協定)書?$", l.text)), default=len(header) - 1
        )
        title = header[title_at]
        self.agreement.title = title.text.lstrip("○ \u3000")
        self.agreement.title_line = title.number
        if title_at:
            cover = header[:title_at]
            self.agreement.cover = Segment("\n".join(l.text for l in cover), cover[0].number)
        for line in header[title_at + 1:]:
            self.diagnose("warning", line.number, f"header line not understood: {line.text[:40]}")

    def read_preamble(self, line: Line) -> None:
        a = self.agreement
        a.preamble = Segment(line.text, line.number)
        text = line.text
        start = 0
        for order, match in enumerate(PARTY_DEFINITION.finditer(text), start=1):
            name = NAME_CONNECTIVE.sub("", text[start:match.start()]).strip()
            start = match.end()
            a.parties.append(Party(designation=match.group("des"), name=name, order=order, role="partner"))
        area = AREA_DEFINITION.search(text)
        if area:
            a.area_name = NAME_CONNECTIVE.sub("", area.group("area")).strip()
        basis = LEGAL_BASIS.search(text)
        if basis:
            a.legal_basis = basis.group(0)
        else:
            self.diagnose("error", line.number, "the preamble does not cite 地方自治法第252条の2第1項")
        self.resolve_parties(line.number)

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

    def read_articles(self) -> None:
        article: Article | None = None
        heading: Line | None = None
        while (line := self.peek()) is not None:
            if CLOSING.search(line.text) or APPENDIX.match(line.text) or find_era_date_line(line.text):
                break
            self.take()
            if (m := HEADING.match(line.text)) and (nxt := self.peek()) and ARTICLE.match(nxt.text):
                heading = line
                continue
            if m := ARTICLE.match(line.text):
                article = self.start_article(m, line, heading)
                heading = None
                continue
            if article and (m := NUMBERED.match(line.text)):
                self.add_paragraph(article, line, m.group("num"), m.group("text"))
                continue
            if article and article.paragraphs:
                # A hard-wrapped paragraph continues on the next line.
                last = article.paragraphs[-1]
                last.text += line.text
                continue
            self.diagnose("warning", line.number, f"line outside any article: {line.text[:40]}")
        if not self.agreement.articles:
            self.diagnose("error", self.peek().number if self.peek() else None, "no article (第1条 …) found")

    def start_article(self, m: re.Match, line: Line, heading: Line | None) -> Article:
        ordinal = to_int(m.group("num"))
        number = str(ordinal) + (f"の{to_int(m.group('sub'))}" if m.group("sub") else "")
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
        ordinal = to_int(number)
        expected = len(article.paragraphs) + 1
        if ordinal != expected:
            self.diagnose("warning", line.number, f"paragraph {number} of 第{article.number}条, expected {expected}")
        article.paragraphs.append(Paragraph(ordinal=ordinal, number=number, text=text, line=line.number))
        if article.clause_kind == "amendment-termination":
            self.read_termination_terms(article, article.paragraphs[-1])

    def read_termination_terms(self, article: Article, paragraph: Paragraph) -> None:
        if m := LAPSE.search(paragraph.text):
            self.agreement.lapse_period = LapsePeriod(
                amount=to_int(m.group("amount")), unit=UNITS[m.group("unit")], article=article.number,
                paragraph=paragraph.ordinal,
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
        designated = {m.group("des") for m in CORE_CITY_DECLARATION.finditer(_article_text(a))}
        core = designated.pop() if len(designated) == 1 else (a.parties[0].designation if a.parties else None)
        for party in a.parties:
            party.role = "core-city" if party.designation == core else "partner"
        line = self.peek()
        if line and CLOSING.search(line.text):
            self.take()
            a.closing = Segment(line.text, line.number)
        else:
            self.diagnose("error", line.number if line else None, "no closing formula (…を証するため…)")
        line = self.peek()
        found = find_era_date_line(line.text) if line else None
        if found:
            self.take()
            a.date_segment = Segment(line.text, line.number)
            a.date_as_written, a.date = found
            if a.date is None:
                self.diagnose("error", line.number, f"the date {found[0]} is incomplete or does not exist")
        else:
            self.diagnose("error", line.number if line else None, "no date line after the closing formula")

    def read_signatures(self) -> None:
        block: list[Line] = []
        while (line := self.peek()) is not None and not APPENDIX.match(line.text):
            block.append(self.take())
        marks = [i for i, l in enumerate(block) if SIGNATORY_PARTY.match(l.text)]
        for k, i in enumerate(marks):
            start = i - 1 if i > 0 and (k == 0 or i - 1 > marks[k - 1]) else i
            end = marks[k + 1] - 1 if k + 1 < len(marks) else len(block)
            lines = block[start:end]
            m = SIGNATORY_PARTY.match(block[i].text)
            after = [l.text for l in block[i + 1:end]]
            title = next((t for t in after if t.endswith("長")), None)
            name = after[after.index(title) + 1] if title and after.index(title) + 1 < len(after) else None
            self.agreement.signatures.append(
                Signature(
                    designation=m.group("des"),
                    party_name=m.group("name").strip(),
                    address=block[start].text if start < i else None,
                    title=title,
                    name=name,
                    text="\n".join(l.text for l in lines),
                    line=lines[0].number,
                )
            )
        signed = {s.designation for s in self.agreement.signatures}
        for party in self.agreement.parties:
            if party.designation not in signed:
                self.diagnose("error", block[0].number if block else None, f"no signature of {party.designation} ({party.name})")

    def read_appendices(self) -> None:
        while (line := self.peek()) is not None and (m := APPENDIX.match(line.text)):
            self.take()
            appendix = Appendix(
                ordinal=len(self.agreement.appendices) + 1, number=m.group("number"), heading_text=line.text,
                line=line.number,
            )
            self.agreement.appendices.append(appendix)
            self.read_appendix_body(appendix)
        if not self.agreement.appendices:
            line = self.peek()
            self.diagnose("error", line.number if line else None, "no 別表 listing the initiatives and roles")

    def read_appendix_body(self, appendix: Appendix) -> None:
        section: AppendixSection | None = None
        top: AppendixSection | None = None
        columns: list[str] = []
        while (line := self.peek()) is not None and not APPENDIX.match(line.text):
            self.take()
            cells = line.text.split("\t")
            if len(cells) > 1 and cells[0].strip() == "区分":
                columns = [c.strip() for c in cells]
                if section:
                    section.table_header = line.text
                continue
            if len(cells) > 1:
                self.add_initiative(appendix, section, columns, cells, line)
                continue
            if m := NUMBERED.match(line.text):
                section = top = AppendixSection(key=str(to_int(m.group("num"))), number=m.group("num"),
                                                title=m.group("text"), line=line.number)
                appendix.sections.append(section)
                continue
            if (m := PAREN_NUMBERED.match(line.text)) and top:
                section = AppendixSection(key=f"{top.key}-{to_int(m.group('num'))}",
                                          number=line.text[: line.text.index(m.group("text"))].rstrip(" \u3000"),
                                          title=m.group("text"), line=line.number, parent=top.key)
                appendix.sections.append(section)
                continue
            self.diagnose("warning", line.number, f"line in the 別表 not understood: {line.text[:40]}")

    def add_initiative(self, appendix: Appendix, section: AppendixSection | None, columns: list[str],
                       cells: list[str], line: Line) -> None:
        role_columns = [(i, c[0]) for i, c in enumerate(columns) if c.endswith("の役割") and c[0] in DESIGNATIONS]
        if not columns or "連携する取組" not in columns or not role_columns or len(cells) != len(columns):
            self.diagnose("error", line.number, "a table row with columns 区分 / 連携する取組 / 甲の役割 / 乙の役割")
            return
        roles = [RoleStatement(designation=des, text=cells[i].strip(), leads=LEADS in cells[i], line=line.number)
                 for i, des in role_columns]
        category = cells[0].strip()
        field, match = _mapping().get(category, (None, None))
        if field is None:
            self.diagnose("warning", line.number, f"区分 {category} has no national policy field in the mapping table")
        appendix.initiatives.append(
            Initiative(
                number=len(self.agreement.initiatives) + 1,
                section=section.key if section else "",
                category=category,
                description=cells[columns.index("連携する取組")].strip(),
                roles=roles,
                line=line.number,
                policy_field=field,
                policy_field_match=match,
            )
        )

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


def _article_text(agreement: Agreement) -> str:
    return "\n".join(p.text for a in agreement.articles for p in a.paragraphs)
