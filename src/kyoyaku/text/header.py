"""The reader's first part (text.parse): the header — cover lines and title — and the preamble:
the parties (by designation, 甲 乙 …, or named in the title), the area, the legal basis, and the
parties resolved to municipalities and indexed for the parts after them."""

from __future__ import annotations

import re
from itertools import pairwise

from . import municipalities
from .dates import find_era_date
from .layout import Line, is_breadcrumb
from .model import Party, Segment
from .patterns import DESIGNATIONS, NAME_SPLIT

PARTY_DEFINITION = re.compile(rf"（以下「(?P<des>[{DESIGNATIONS}])」という。）")
# The area's name starts after a 、 (or at the start), or after the first は of its clause. Only the
# clause's first は may start it: trying every は rescans the clause from each (quadratic).
AREA_DEFINITION = re.compile(r"(?:^|[、，,]|(?<=[。（])[^、，,。（は]*+は)(?P<area>[^、，,。（]+?)（以下「圏域」という。）")
AREA_LEAD_IN = re.compile(r"^.*(?:とする|として)")  # 乙を近隣市町村とする安房南部定住自立圏
# The words joining a name to the one before it (甲と乙, A及びB, A、B). と may also begin a name
# (ときがわ町, とやま呉西圏域): see strip_connectives.
NAME_CONNECTIVE = re.compile(r"(?:とは|及び|並びに|と|、|，|,)[ \u3000]*")  # matched at a position
MAX_NAME_LENGTH = 40  # longer than any municipality's name with its prefecture and 郡
AREA_CONNECTIVE = re.compile(r"^(?:とは|及び|並びに|、|，|,)+")  # an area's name is no municipality's
# A bracket holds no opening bracket: else each 地方自治法（ of an unclosed run rescans to the end.
LEGAL_BASIS = re.compile(r"地方自治法(?:[（(][^（(）)]*+[）)])?第(?:252|２５２|二百五十二)条の(?:2|２|二)第(?:1|１|一)項")
TEIJU_BASIS = re.compile(r"定住自立圏構想推進要綱")
TITLE_PARTIES = re.compile(r"^(?P<names>.+?)(?:との間における|との間の|との|における|の)")
TITLE_END = re.compile(r"(協約|協定)書?$")
TITLE_LINK = re.compile(r"に関する|に係る|における|との|の形成")  # words that join a title's two halves


def strip_connectives(text: str) -> str:
    """A party's name without the words joining it to the name before (と, 及び, 並びに, 、):
    removed one at a time, but not where the text names a municipality that the rest would not, so
    that in 「東松山市（…）とときがわ町（…）」 the name is ときがわ町, not きがわ町."""
    text = text.strip()
    cuts = [0]  # where the text would start after each connective in turn
    while joined := NAME_CONNECTIVE.match(text, cuts[-1]):
        cuts.append(joined.end())
    for here, after in pairwise(cuts):
        # only a short rest can be a name: looking names up in a long run of connectives is quadratic
        if len(text) - here <= MAX_NAME_LENGTH and municipalities.resolve(text[here:]).candidates \
                and not municipalities.resolve(text[after:]).candidates:
            return text[here:]
    return text[cuts[-1]:].strip()


class HeaderReader:
    """Header and preamble: a part of text.parse's reader, whose cursor and diagnostics it uses."""

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
            name = strip_connectives(text[start:match.start()])
            start = match.end()
            a.parties.append(Party(designation=match.group("des"), name=name, order=order, role="partner"))
        if not a.parties:
            self.parties_from_title(line)
        area = AREA_DEFINITION.search(text)
        if area:
            a.area_name = AREA_LEAD_IN.sub("", AREA_CONNECTIVE.sub("", area.group("area"))).strip()
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
