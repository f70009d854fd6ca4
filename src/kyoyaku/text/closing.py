"""The reader's closing (text.parse): the core city (by its declaration, else the first party),
the closing formula, the signing date, the signature blocks, and whether a notice to end the
agreement needs the council's resolution."""

from __future__ import annotations

import re

from .layout import Line, split_signatures
from .model import Agreement, Party, Segment, Signature
from .patterns import (
    APPENDIX,
    CLOSING,
    DESIGNATIONS,
    NAME_SPLIT,
    SP,
    find_era_date_line,
)

SIGNATORY_PARTY = re.compile(rf"^(?P<des>[{DESIGNATIONS}]){SP}+(?P<name>\S.*)$")
# `who` ends at the first と, and stops at the next declaration: else a run of declarations without と
# rescans the rest of the line from each one (quadratic).
DECLARED = r"(?:連携中枢都市|中心市)宣言を行った"
CORE_CITY_DECLARATION = re.compile(rf"{DECLARED}(?P<who>.(?:(?!{DECLARED})[^と\n])*+)と")
# The closing formula's last words, when OCR dropped its 。: 各1通を保有する
CLOSING_END = re.compile(r"(?:保有|保管|所持|所有)する(?:ものとする)?$")
COUNCIL_RESOLUTION = re.compile(r"議会の議決を経")


class ClosingReader:
    """Closing formula, date and signatures: a part of text.parse's reader, whose cursor and diagnostics it uses."""

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
        cores = [p for p in (self.party_by(w.strip()) for w in named) if p] \
            or [p for p in a.parties if p.role == "core-city"]
        if not cores and a.parties:
            cores = a.parties[:1]
            self.diagnose("info", a.parties[0].line, f"core city taken to be the first party, {a.parties[0].name}: "
                                                     "no 連携中枢都市宣言 or 中心市宣言 names one")
        for party in a.parties:
            party.role = "core-city" if party in cores else "partner"
        line = self.peek()
        if line and CLOSING.search(line.text):
            line = self.take_sentence(ends=CLOSING_END)
            a.closing = Segment(line.text, line.number)
        else:
            self.diagnose("error", self.here(), "no closing formula (…を証するため…)")
        line = self.peek()
        found = find_era_date_line(line.text) if line else None
        if found:
            self.take()
            a.date_segment = Segment(line.text, line.number)
            a.date_as_written, a.date = found
            a.date_source, a.date_line = ("closing", line.number) if a.date else (None, None)
            if a.date is None:
                self.closing_date_problem = (line.number, f"the date {found[0]} is incomplete or does not exist")
        else:
            self.closing_date_problem = (self.here(), "no date line after the closing formula")

    def read_signatures(self) -> None:
        """Signature blocks: an address, the party (甲 水戸市) and/or the title (水戸市長), the name."""
        block: list[Line] = []
        while (line := self.peek()) is not None and not APPENDIX.match(line.text):
            block.append(self.take())
        block = unfold_signatures(block)
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
        if text[:1] in DESIGNATIONS and (party := self.party_by(text[1:].strip())) and party.designation == text[0]:
            return party  # 甲由利本荘市: the space closed up with the letter spacing
        found = None  # the first party in order whose title the text starts with
        end = text.find("長")
        while 0 <= end < self.longest_title:
            party = self.mayor_titles.get(text[:end + 1])
            if party and (found is None or party.order < found.order):
                found = party
            end = text.find("長", end + 1)
        return found


COLUMN_GAP = re.compile(r"[ \u3000]{3,}|\t")  # between the columns of signatures set side by side


def unfold_signatures(block: list[Line]) -> list[Line]:
    """Signatures as PDF text gives them, back to one block after another: set side by side in
    columns (`下関市〇〇町1番1号　　　　長門市〇〇町1番1号` / `甲　下関市　　　　乙　長門市` …), or all on
    one line (`佐久市〇〇町1番地 甲 佐久市 佐久市長 山田 太郎 小諸市〇〇町1番地 乙 …`)."""
    out: list[Line] = []
    i = 0
    while i < len(block):
        columns = COLUMN_GAP.split(block[i].text.strip())
        run = i + 1
        while run < len(block) and len(COLUMN_GAP.split(block[run].text.strip())) == len(columns) > 1:
            run += 1
        if len(columns) > 1 and run - i >= 2:
            rows = [COLUMN_GAP.split(l.text.strip()) for l in block[i:run]]
            out += [Line(block[i + r].number, rows[r][c]) for c in range(len(columns)) for r in range(len(rows))]
            i = run
            continue
        tokens = block[i].text.split()
        if sum(t in DESIGNATIONS for t in tokens) >= 2 or sum(bool(MAYOR_TITLE.search(t)) for t in tokens) >= 2:
            out += [Line(block[i].number, t) for t in split_signatures(tokens)]
        else:
            out.append(block[i])
        i += 1
    return out


MAYOR_TITLE = re.compile(r"[市町村区]長$")


def _article_text(agreement: Agreement) -> str:
    return "\n".join(t for a in agreement.articles for p in a.paragraphs for t in (p.text, *(i.text for i in p.items)))
