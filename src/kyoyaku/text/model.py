"""The parsed agreement as plain dataclasses — the hand-over between `parse` and `rdf`.

Every text-bearing element keeps its exact text and the 1-based line where it starts, so the
graph can cite and re-render the source. Other inputs (a YAML description, a PDF extractor) can
build these objects and reuse the mapping.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Diagnostic:
    level: str  # "error" | "warning" | "info"
    line: int | None
    message: str


@dataclass
class SourceFile:
    name: str
    sha256: str
    byte_size: int
    encoding: str
    media_type: str = "text/plain"
    # line_origins[i]: where line i + 1 is in the original file, when the reader knows it — an HTML
    # element path (body/div[3]/p[2]), a PDF page and box (page=2&viewrect=56.7,120.3,483.5,11.8);
    # None for a plain text, whose line numbers are the place
    line_origins: list[str] | None = None


@dataclass
class Segment:
    """A run of text lines outside the article structure: cover, preamble, closing, date."""

    text: str
    line: int


@dataclass
class Municipality:
    code: str
    name: str
    prefecture: str


@dataclass
class Party:
    designation: str  # 甲, 乙 … as written; "" when the text names parties in full
    name: str  # as written in the preamble, e.g. 水戸市 or 山口県岩国市
    order: int  # 1-based position in the preamble
    role: str  # party-role notation: core-city | partner
    municipality: Municipality | None = None
    line: int | None = None  # where the party is named: its definition in the preamble, else the title

    @property
    def code(self) -> str | None:
        return self.municipality.code if self.municipality else None


@dataclass
class RoleStatement:
    party: int  # the party's order
    designation: str
    text: str
    leads: bool
    line: int


@dataclass
class Initiative:
    number: int  # through the whole appendix
    section: str  # e.g. "1", "3-1"
    category: str
    description: str
    roles: list[RoleStatement]
    line: int
    policy_field: str | None = None
    policy_field_match: str | None = None  # exact | synonym
    teiju_policy_field: str | None = None  # 定住自立圏 協定 only
    teiju_policy_field_match: str | None = None


@dataclass
class Item:
    """An item (号) listed in a paragraph: (1), ア, (ア) … — nested by the kind of its label."""

    ordinal: int  # through the paragraph
    label: str  # as written: (1), ア, (ア)
    level: int  # 1 for the first kind of label in the paragraph, 2 for the next kind …
    text: str
    line: int
    parent: int | None = None  # the ordinal of the enclosing item


@dataclass
class Paragraph:
    ordinal: int
    number: str | None  # as written; None for an article's unnumbered first paragraph
    text: str  # the paragraph's own sentence(s), without its items
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Article:
    ordinal: int  # the main number: 3 for 第3条 and 第3条の2
    number: str  # normalised: "3", "3の2"
    number_as_written: str  # 第3条
    heading: str | None
    heading_line: int | None
    line: int  # the line of 第N条
    clause_kind: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)  # roles written inline, not in a 別表


@dataclass
class AppendixSection:
    key: str  # "1", "3-1" — the IRI slug and the initiatives' `section`
    number: str  # as written: "1", "(1)"
    title: str
    line: int
    parent: str | None = None
    table_header: str | None = None


@dataclass
class Appendix:
    ordinal: int
    number: str  # 別表, 別表第1
    heading_text: str  # the whole heading line
    line: int
    table_header: str | None = None  # the 区分 row of a table directly under the heading
    sections: list[AppendixSection] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)


@dataclass
class Signature:
    party: int  # the party's order
    designation: str
    party_name: str
    address: str | None
    title: str | None
    name: str | None
    text: str
    line: int


@dataclass
class LapsePeriod:
    amount: int
    unit: str  # year | month | day
    article: str
    paragraph: int


@dataclass
class Bill:
    """The council bill (議案) that carried the agreement as its attachment. Its lines are not the
    agreement's; its number and date are facts about the agreement (the council's 議決 was asked)."""

    number: str  # NFKC, without spaces: 議案第12号
    title: str  # 渋川市との連携協約の締結について
    date: str | None  # ISO 8601: the date the bill was submitted (提出)
    line: int


@dataclass
class Target:
    """The part of the amended agreement an instruction names: an article (第3条), one of its
    paragraphs (第6条第2項), a 別表 (別表, 別表第2), a section of it (別表3(1)) or a row of it by its
    区分 (別表3(1)の表環境の項)."""

    kind: str  # article | paragraph | appendix | section | row
    as_written: str
    article: str | None = None  # normalised as Article.number: "3", "3の2"
    paragraph: int | None = None
    appendix: str | None = None  # as Appendix.number: 別表, 別表第2
    section: str | None = None  # as AppendixSection.key: "3", "3-1"
    row: str | None = None  # the row's 区分


@dataclass
class Change:
    """One instruction of an amending agreement, read: what it does (kind: replace-text, replace,
    insert, delete), to which part (target), the words it replaces (old_text → new_text) or the
    text it puts in (content: the lines as written, read into articles or 別表 rows when applied)."""

    number: int  # 1-based, in the order written
    kind: str  # replace-text | replace | insert | delete
    target: Target
    text: str  # the instruction as written
    line: int
    old_text: str | None = None
    new_text: str | None = None
    content: list[Segment] = field(default_factory=list)  # the lines after 次のように改める／加える
    articles: list[Article] = field(default_factory=list)  # the content read as articles
    appendices: list[Appendix] = field(default_factory=list)  # the content read as a whole 別表
    initiatives: list[Initiative] = field(default_factory=list)  # the content read as 別表 rows


@dataclass
class Amendment:
    """What an amending agreement (…の一部を変更する連携協約／協定) says: the agreement it changes (its
    title and date as the preamble names them), its changes, and the date its 附則 gives."""

    amended_title: str | None
    amended_date: str | None  # ISO 8601
    amended_date_as_written: str | None
    line: int  # the preamble's line, where the amended agreement is named
    changes: list[Change] = field(default_factory=list)
    effective: str | None = None  # ISO 8601: the date the 附則 says it takes effect
    effective_as_written: str | None = None
    effective_line: int | None = None
    supplementary: Segment | None = None  # the 附則 as written
    regular: bool = True  # every instruction read; False: no consolidated text is made


DATE_SOURCES = ("closing", "header", "title", "cover", "bill")  # where a date is taken from, first wins


@dataclass
class Agreement:
    source: SourceFile
    title: str | None = None
    title_line: int | None = None
    framework: str = "renkei-chusu"
    area_name: str | None = None
    date: str | None = None  # ISO 8601
    date_as_written: str | None = None
    date_source: str | None = None  # one of DATE_SOURCES
    date_line: int | None = None
    notice: str | None = None  # the 例規集 notice number, NFKC without spaces: 告示第88号
    notice_line: int | None = None
    bill: Bill | None = None
    legal_basis: str | None = None  # as written in the preamble
    legal_basis_line: int | None = None  # None: read from the preamble, at its line
    area_line: int | None = None  # None: read from the preamble, at its line
    cover: Segment | None = None
    preamble: Segment | None = None
    closing: Segment | None = None
    date_segment: Segment | None = None
    parties: list[Party] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    lapse_period: LapsePeriod | None = None
    notice_requires_council_resolution: bool = False
    amendment: Amendment | None = None  # an amending agreement: what it changes (text.amendment)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def fact_line(self, value: object, line: int | None) -> int | None:
        """The line a fact of the preamble (legal basis, area) was read from: its own when the reader
        recorded one, else the preamble's; None when the fact is absent."""
        if value is None:
            return None
        return line if line is not None else (self.preamble.line if self.preamble else None)

    def lapse_period_line(self) -> int | None:
        """The line of the paragraph that states the lapse period."""
        lapse = self.lapse_period
        if lapse is None:
            return None
        return next((p.line for a in self.articles if a.number == lapse.article
                     for p in a.paragraphs if p.ordinal == lapse.paragraph), None)

    @property
    def initiatives(self) -> list[Initiative]:
        inline = [row for article in self.articles for row in article.initiatives]
        return inline + [row for appendix in self.appendices for row in appendix.initiatives]

    def to_dict(self) -> dict:
        """The JSON shape of `kyoyaku parse --format json`."""
        return {
            "title": self.title,
            "title_line": self.title_line,
            "framework": self.framework,
            "area": self.area_name,
            "area_line": self.fact_line(self.area_name, self.area_line),
            "date": self.date,
            "date_as_written": self.date_as_written,
            "date_source": self.date_source,
            "date_line": self.date_line,
            "notice": self.notice,
            "notice_line": self.notice_line,
            "bill": asdict(self.bill) if self.bill else None,
            "legal_basis": self.legal_basis,
            "legal_basis_line": self.fact_line(self.legal_basis, self.legal_basis_line),
            "parties": [
                {
                    "designation": p.designation,
                    "name": p.name,
                    "code": p.code,
                    "prefecture": p.municipality.prefecture if p.municipality else None,
                    "role": p.role,
                    "line": p.line,
                }
                for p in self.parties
            ],
            "articles": [
                {
                    "number": a.number,
                    "number_as_written": a.number_as_written,
                    "heading": a.heading,
                    "heading_line": a.heading_line,
                    "clause_kind": a.clause_kind,
                    "line": a.line,
                    "paragraphs": [
                        {"number": p.ordinal, "text": p.text, "line": p.line, "items": [asdict(i) for i in p.items]}
                        for p in a.paragraphs
                    ],
                }
                for a in self.articles
            ],
            "closing": self.closing.text if self.closing else None,
            "closing_line": self.closing.line if self.closing else None,
            "appendices": [
                {
                    "number": ap.number,
                    "heading": ap.heading_text,
                    "line": ap.line,
                    "table_header": ap.table_header,
                    "sections": [asdict(s) for s in ap.sections],
                }
                for ap in self.appendices
            ],
            "initiatives": [
                {
                    "number": i.number,
                    "section": i.section,
                    "category": i.category,
                    "description": i.description,
                    "roles": [{"designation": r.designation, "text": r.text, "leads": r.leads, "line": r.line}
                              for r in i.roles],
                    "policy_field": i.policy_field,
                    "policy_field_match": i.policy_field_match,
                    "teiju_policy_field": i.teiju_policy_field,
                    "teiju_policy_field_match": i.teiju_policy_field_match,
                    "line": i.line,
                }
                for i in self.initiatives
            ],
            "signatures": [
                {
                    "designation": s.designation,
                    "party": s.party_name,
                    "address": s.address,
                    "title": s.title,
                    "name": s.name,
                    "line": s.line,
                }
                for s in self.signatures
            ],
            "lapse_period": {**asdict(self.lapse_period), "line": self.lapse_period_line()} if self.lapse_period else None,
            "notice_requires_council_resolution": self.notice_requires_council_resolution,
            **({"amendment": amendment_dict(self.amendment)} if self.amendment else {}),
            "source": asdict(self.source),
            "diagnostics": [asdict(d) for d in self.diagnostics],
        }


def amendment_dict(amendment: Amendment) -> dict:
    """An amending agreement's part of the JSON: the agreement it amends, each change (its content
    as the lines written; what they were read into is shown by the parts of the version), the 附則."""
    return {
        "amends": {"title": amendment.amended_title, "date": amendment.amended_date,
                   "date_as_written": amendment.amended_date_as_written, "line": amendment.line},
        "changes": [
            {"number": c.number, "kind": c.kind, "target": asdict(c.target), "old_text": c.old_text,
             "new_text": c.new_text, "content": [asdict(s) for s in c.content], "text": c.text, "line": c.line}
            for c in amendment.changes
        ],
        "effective": amendment.effective,
        "effective_as_written": amendment.effective_as_written,
        "effective_line": amendment.effective_line,
        "supplementary": asdict(amendment.supplementary) if amendment.supplementary else None,
        "regular": amendment.regular,
    }
