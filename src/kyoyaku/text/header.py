"""The reader's first part (text.parse): the header — cover lines and title — and the preamble:
the parties (by designation, 甲 乙 …, or named in the title), the area, the legal basis, and the
parties resolved to municipalities and indexed for the parts after them."""

from __future__ import annotations

import re
from itertools import pairwise

from . import municipalities
from .dates import find_era_date
from .front import Front
from .layout import Line
from .model import Party, Segment
from .municipalities import MAX_NAME_LENGTH, NAME_CONNECTIVE, resolves, split_names
from .patterns import DESIGNATIONS, SP

QUOTES_OPEN, QUOTES_CLOSE = "「『〔｢\"“", "」』〕｣\"”"
# （以下「甲」という。） as written, and as OCR and PDF text give it: other quotes, ASCII brackets,
# spaces inside, the quotes or the 。 dropped (`( 以下 甲 という )`), a space where a hard-wrapped
# line was joined (`（以 下「乙」とい う。）`). The designation may be a word:
# 中心市, 連携町村.
PARTY_DEFINITION = re.compile(
    rf"(?:[（(]{SP}*+|(?<!{SP}){SP}++)以{SP}?下{SP}*+[{QUOTES_OPEN}]?{SP}*+(?P<des>[^{QUOTES_OPEN}{QUOTES_CLOSE}（）() \u3000、。と]{{1,12}})"
    rf"{SP}*+[{QUOTES_CLOSE}]?{SP}*+と{SP}?(?:い{SP}?う|言{SP}?う)(?:{SP}*+[。．.]?{SP}*+[）)]|[。．.]?(?={SP}|$))"
)
OCR_QUOTE = frozenset("Jj|lI1]")  # what OCR makes of a closing 」 after a designation: 「乙J
CORE_CITY_WORDS = frozenset({"中心市", "連携中枢都市", "宣言連携中枢都市", "中枢都市"})
TOPIC = re.compile(r"とは|は")
MAX_SUBJECT = 120  # where a sentence's subject (a list of names) must have ended
SUBJECT = re.compile(r"^(?P<subject>[^。、（(]{1,200}?)(?:とは|は)(?:[、，,]|[ \u3000]+)")  # OCR: 、 read as a space
DATE_PLACES = {"header": "例規集 header", "title": "title", "cover": "cover page", "bill": "council bill"}
# The area's name starts after a 、 (or at the start), or after the first は of its clause. Only the
# clause's first は may start it: trying every は rescans the clause from each (quadratic).
AREA_DEFINITION = re.compile(r"(?:^|[、，,]|(?<=[。（])[^、，,。（は]*+は)(?P<area>[^、，,。（]+?)（以下「圏域」という。）")
AREA_LEAD_IN = re.compile(r"^.*(?:とする|として)")  # 乙を近隣市町村とする安房南部定住自立圏
AREA_CONNECTIVE = re.compile(r"^(?:とは|及び|並びに|、|，|,)+")  # an area's name is no municipality's
# A bracket holds no opening bracket: else each 地方自治法（ of an unclosed run rescans to the end.
LEGAL_BASIS = re.compile(r"地方自治法(?:[（(][^（(）)]*+[）)])?第(?:252|２５２|二百五十二)条の(?:2|２|二)第(?:1|１|一)項")
TEIJU_BASIS = re.compile(r"定住自立圏構想推進要綱")
TITLE_PARTIES = re.compile(r"^(?P<names>.+?)(?:との間における|との間の|との|における|の)")


def subject_names(text: str) -> list[str]:
    """The names a sentence begins with, before its は (とは): `前橋市及び渋川市は、…`, also when OCR
    dropped the 、 after は; [] when it begins with anything else."""
    if found := SUBJECT.match(text):
        return split_names(found.group("subject")) or []
    for topic in TOPIC.finditer(text, 0, MAX_SUBJECT):
        if names := split_names(text[:topic.start()]):
            return names
    return []


def trailing_name(text: str) -> str | None:
    """The longest name of a municipality that ends the text."""
    text = re.sub(SP, "", text)
    return next((text[i:] for i in range(max(0, len(text) - MAX_NAME_LENGTH), len(text)) if resolves(text[i:])), None)


def split_pair(text: str, names: list[str]) -> list:
    """The names before the last と stand alone, those after it form the group a definition names:
    `前橋市と渋川市、榛東村及び吉岡町（以下「連携市町村」という。）` → 前橋市, [渋川市, 榛東村, 吉岡町]."""
    text = re.sub(SP, "", text)
    cut, at = 0, 0
    for k, name in enumerate(names):
        found = text.find(name, at)
        if k and text[at:found].startswith("と"):
            cut = k
        at = found + len(name)
    return [*names[:cut], names[cut:]]


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

    def read_header(self, front: Front) -> None:
        """The facts text.front found above the articles: title, cover, notice, bill; the dates it
        found are kept for settle_date, which prefers the closing date."""
        a = self.agreement
        a.title, a.title_line = front.title, front.title_line
        if front.cover:
            a.cover = Segment("\n".join(l.text for l in front.cover), front.cover[0].number)
        if front.notice:
            a.notice, a.notice_line = front.notice
        a.bill = front.bill
        self.fallback_dates = [(source, found) for source, found in
                               (("header", front.header_date), ("title", front.title_date),
                                ("cover", front.cover_date), ("bill", front.bill_date)) if found]
        for line in front.not_understood:
            self.diagnose("warning", line.number, f"header line not understood: {line.text[:40]}")

    def read_preamble(self, lines: list[Line]) -> None:
        """Parties, area, legal basis and framework from the preamble; without a preamble, the
        parties are those the title names (each also named in the articles)."""
        a = self.agreement
        if lines:
            # pieces of one run-on line keep the space that parted them (it may stand for a 、 OCR lost)
            line = Line(lines[0].number, "".join((" " if k and l.number == lines[k - 1].number else "") + l.text
                                                 for k, l in enumerate(lines)))
            a.preamble = Segment(line.text, line.number)
            text = line.text
        else:
            line, text = Line(a.title_line or self.lines[0].number, ""), ""
            self.diagnose("info", line.number, "no preamble: the parties are read from the title")
        self.parties_from_definitions(text, line.number)
        if not a.parties and text:
            self.parties_named_in_full(text, line.number)
        if not a.parties:
            self.parties_from_title(line.number)
        area = AREA_DEFINITION.search(normal_definitions(text))
        if area:
            a.area_name = AREA_LEAD_IN.sub("", AREA_CONNECTIVE.sub("", area.group("area"))).strip()
        teiju = TEIJU_BASIS.search(compact(text))
        if teiju or "定住自立圏" in (a.title or "") and "協定" in (a.title or ""):
            a.framework = "teiju-jiritsu"
            a.legal_basis = teiju.group(0) if teiju else None
        elif basis := LEGAL_BASIS.search(compact(text)):
            a.legal_basis = basis.group(0)
        elif text and not self.amending:  # an amending agreement's preamble names the agreement, not the law
            self.diagnose("error", line.number, "the preamble does not cite 地方自治法第252条の2第1項")
        self.resolve_parties(line.number)

    def parties_from_definitions(self, text: str, line: int) -> None:
        """`水戸市（以下「甲」という。）`, `前橋市（以下「中心市」という。）`, `桐生市、みどり市及び大泉町
        （以下「連携町村」という。）`: each definition names a party or a group of parties; the names
        before it that are not in its group are parties named in full (前橋市と渋川市、…（以下「連携
        市町村」という。））. A definition of anything else (圏域, 協約) names no municipality and is skipped."""
        a = self.agreement
        start = 0
        party_end = None
        for match in PARTY_DEFINITION.finditer(text):
            designation = designation_of(match.group("des"))
            before, start = text[start:match.start()], match.end()
            if designation in DESIGNATIONS:
                name = strip_connectives(before)
                if not resolves(name) and (last := trailing_name(before)):
                    name = last  # 連携中枢都市宣言を行った前橋市（以下「甲」という。）
                a.parties.append(Party(designation=designation, name=name, order=len(a.parties) + 1,
                                       role="partner", line=line))
                party_end = start
                continue
            names = split_names(before)
            if not names:
                continue
            *in_full, group = split_pair(before, names)
            for name in in_full:
                a.parties.append(Party(designation="", name=name, order=len(a.parties) + 1, role="partner", line=line))
            members = []
            for name in group:
                role = "core-city" if designation in CORE_CITY_WORDS else "partner"
                party = Party(designation="", name=name, order=len(a.parties) + 1, role=role, line=line)
                a.parties.append(party)
                members.append(party)
            self.groups[designation] = members
            party_end = start
        if party_end is not None:
            # the parties named in full after the last definition: …（以下「中心市」という。）と小川町とは
            for name in subject_names(text[party_end:]):
                a.parties.append(Party(designation="", name=name, order=len(a.parties) + 1, role="partner", line=line))

    def parties_named_in_full(self, text: str, line: int) -> None:
        """Parties never given a designation: 前橋市及び渋川市は、… (the sentence's subject)."""
        for name in subject_names(text):
            self.agreement.parties.append(Party(designation="", name=name, order=len(self.agreement.parties) + 1,
                                                role="partner", line=line))
        if self.agreement.parties:
            self.diagnose("info", line, "parties named in full in the preamble, without 甲/乙")

    def parties_from_title(self, line: int) -> None:
        """Agreements without designations or a preamble name the parties in the title (A及びBにおける…,
        AとBとの…, AとBとの間における…)."""
        found = TITLE_PARTIES.match(self.agreement.title or "")
        names = split_names(found.group("names")) if found else None
        if not names or len(names) < 2:
            self.diagnose("error", line, "parties named as X（以下「甲」という。） or in the title (A及びB…)")
            return
        for name in names:
            self.agreement.parties.append(Party(designation="", name=name, order=len(self.agreement.parties) + 1,
                                                role="partner", line=self.agreement.title_line))
        self.diagnose("info", self.agreement.title_line, "parties read from the title")

    def settle_date(self) -> None:
        """The agreement's date: the closing date, else (in this order) the 例規集 header's, the
        title's, the cover's, the bill's — a fallback is reported (info) so a user can check it."""
        a = self.agreement
        if a.date:
            return
        for source, (written, line) in self.fallback_dates:
            if iso := find_era_date(written)[1]:
                a.date, a.date_source, a.date_line, a.date_as_written = iso, source, line, written
                self.diagnose("info", line, f"date {iso} taken from the {DATE_PLACES[source]} (line {line}): "
                                            "no closing date")
                return
        self.diagnose("error", *self.closing_date_problem)

    def parties_by(self, who: str) -> list[Party]:
        """The parties a column or role heading names: one (甲, 郡山市, 中心市) or a group (連携町村)."""
        if who in self.groups:
            return self.groups[who]
        party = self.party_by(who)
        return [party] if party else []

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
                if key:
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


def designation_of(written: str) -> str:
    """甲 … as defined; `乙J` (OCR's 」) is 乙."""
    if written[0] in DESIGNATIONS and all(c in OCR_QUOTE for c in written[1:]):
        return written[0]
    return written


def compact(text: str) -> str:
    """Without spaces: OCR puts them anywhere (地方自治法 第252条の2 第1項)."""
    return re.sub(SP, "", text)


def normal_definitions(text: str) -> str:
    """The preamble with every definition written the one way: （以下「甲」という。）."""
    return PARTY_DEFINITION.sub(lambda m: f"（以下「{m.group('des')}」という。）", text)
