"""The reader of an amending agreement (text.parse): a text titled 「…連携協約の一部を変更する連携協約」
(「…協定の一部を変更する協定」) whose preamble names the agreement it changes, by its date and title
(「令和4年2月21日に締結した…連携協約の一部を次のように変更する。」), whose body is a list of
instructions, and whose 附則 says from when it applies.

The instructions read are the regular ones (docs/amendments.md):

- 「第5条中「A」を「B」に改める。」 (also 「…「A」を「B」に、「C」を「D」に改める。」, a paragraph 第6条第2項中,
  a 別表 row 別表1の表企業や産業の育成・支援の項中): replace-text, one change per pair;
- 「第7条を次のように改める。」, 「別表を次のように改める。」, 「別表3(1)の表環境の項を次のように改める。」 and
  the lines after it: replace;
- 「第5条の次に次の1条を加える。」, 「別表3(2)の表移住・定住促進の項の次に次のように加える。」 and the lines
  after it: insert;
- 「別表3(1)の表環境の項を削る。」, 「第6条第2項を削る。」: delete;
- 附則 「この連携協約は、令和5年4月1日から施行する。」 (…から効力を生ずる, …から適用する; 締結の日から: the
  agreement's own date).

Anything else is a warning naming its line, and the amendment is marked irregular: kyoyaku makes no
consolidated text from it (text.consolidate) rather than guess.
"""

from __future__ import annotations

import re

from .dates import ERA_DATE, find_era_date
from .front import read_front
from .layout import Line
from .model import Amendment, Change, Segment, Target
from .patterns import CLOSING, DIGITS, KANJI_DIGITS, SP, find_era_date_line

NUM = rf"[{DIGITS}{KANJI_DIGITS}]+"
# The title of an amending agreement: it changes a part (一部) of an agreement.
AMENDING_TITLE = re.compile(r"の一部(?:を|の)変更(?:する|に関する)(?:連携協約|協定|協約)書?$")
# The preamble: the date the amended agreement was made and its title, then 「の一部を（次のように）変更する」.
AMENDS = re.compile(
    rf"(?P<date>{ERA_DATE.pattern}){SP}*(?:付け?で|に)?{SP}*(?:締結|調印)した{SP}*(?P<title>.+?(?:協約|協定)書?)"
    rf"(?:[（(][^（）()]*[）)])?の一部を{SP}*(?:次のように)?{SP}*変更する"
)
ARTICLE_REF = rf"第(?P<art>{NUM})条(?:の(?P<artsub>{NUM}))?(?:第(?P<para>{NUM})項)?"
APPENDIX_REF = (rf"(?P<apx>別表(?:第{NUM})?)(?:の?(?P<sec>{NUM})(?:の?[（(](?P<sub>{NUM})[）)])?)?(?:の表)?"
                rf"(?:(?P<row>[^「」。、]+?)の項)?")
TARGET = rf"(?P<target>{ARTICLE_REF}|{APPENDIX_REF})"
PAIR = re.compile(r"「(?P<old>[^「」]+)」を「(?P<new>[^「」]*)」に")
REPLACE_TEXT = re.compile(rf"^{TARGET}中(?P<pairs>(?:「[^「」]+」を「[^「」]*」に[、，]?)+)改める。$")
REPLACE = re.compile(rf"^{TARGET}を次のように改める。$")
INSERT = re.compile(rf"^{TARGET}の次に次の(?:ように|{NUM}(?:条|項|号)を?)加える。$")
DELETE = re.compile(rf"^{TARGET}を削る。$")
# Where an instruction starts: a line naming a part followed by 中「, を or の次に (content lines
# — 第7条 この連携協約は…, a table row — name none that way).
INSTRUCTION_START = re.compile(rf"^{TARGET}(?:中「|を|の次に)")
SUPPLEMENTARY = re.compile(rf"^附{SP}*則{SP}*$")
EFFECTIVE = re.compile(r"(?:この|本)(?:連携)?(?:協約|協定)は、(?P<when>.+?)から(?:施行する|効力を生ずる|効力を生じる|適用する)")
ON_SIGNING = re.compile(r"^(?:締結|調印)の日$")


def is_amending_title(title: str | None) -> bool:
    return bool(title) and bool(AMENDING_TITLE.search(title))


class AmendmentReader:
    """The amending agreement: a part of text.parse's reader, whose cursor and diagnostics it uses.
    `read_fragment` (text.parse) reads an instruction's content as articles or 別表 rows."""

    def read_amending(self, title_at: int) -> None:
        """Header, preamble (parties, the agreement amended), instructions, 附則, closing, signatures."""
        end = next((i for i in range(title_at + 1, len(self.lines)) if "変更する" in self.lines[i].text
                    and ("。" in self.lines[i].text or i + 1 == len(self.lines))), None)
        if end is None:  # no sentence that changes an agreement: the lines up to the first instruction
            end = next((i - 1 for i in range(title_at + 1, len(self.lines))
                        if INSTRUCTION_START.match(self.lines[i].text)), len(self.lines) - 1)
        front = read_front(self.lines[:end + 1])
        self.amending = True
        self.read_header(front)
        self.read_preamble(front.preamble)
        preamble = self.agreement.preamble
        written = compact_text(preamble.text) if preamble else ""
        found = AMENDS.search(written)
        at = preamble.line if preamble else self.agreement.title_line or 1
        if found:
            date = find_era_date(found.group("date"))
            amendment = Amendment(found.group("title"), date[1] if date else None, date[0] if date else None, at)
        else:
            amendment = Amendment(None, None, None, at)
            self.diagnose("error", at, "the agreement amended: its date and title in the preamble "
                                       "(令和4年2月21日に締結した…の一部を次のように変更する)")
        self.agreement.amendment = amendment
        self.pos = end + 1
        self.read_instructions(amendment)
        self.read_supplementary(amendment)
        self.read_closing()
        self.read_signatures()
        for line in self.lines[self.pos:]:
            self.diagnose("warning", line.number, f"text not understood: {line.text[:40]}")
            amendment.regular = False
        self.settle_date()
        if amendment.effective is None and amendment.effective_as_written == "signing":
            amendment.effective = self.agreement.date
            amendment.effective_as_written = None
        self.check_complete()

    def at_instruction_end(self, line: Line) -> bool:
        return bool(SUPPLEMENTARY.match(line.text) or CLOSING.search(line.text) or find_era_date_line(line.text))

    def read_instructions(self, amendment: Amendment) -> None:
        while (line := self.peek()) is not None and not self.at_instruction_end(line):
            sentence = self.take_sentence()
            content: list[Line] = []
            while (nxt := self.peek()) is not None and not self.at_instruction_end(nxt) \
                    and not INSTRUCTION_START.match(nxt.text):
                content.append(self.take())
            changes = self.read_instruction(sentence, content, len(amendment.changes))
            if changes is None:
                amendment.regular = False
                skipped = f" (and the {len(content)} line(s) after it)" if content else ""
                self.diagnose("warning", sentence.number, f"amending instruction not understood{skipped}: "
                              f"{sentence.text[:60]}; no consolidated text is made")
                continue
            amendment.changes += changes
        if not amendment.changes:
            self.diagnose("error", self.here(), "no amending instruction (…を…に改める, …を次のように改める, "
                                                "…の次に次のように加える, …を削る)")

    def read_instruction(self, sentence: Line, content: list[Line], count: int) -> list[Change] | None:
        text = sentence.text.strip()
        for kind, pattern in (("replace-text", REPLACE_TEXT), ("replace", REPLACE), ("insert", INSERT),
                              ("delete", DELETE)):
            if not (m := pattern.match(text)):
                continue
            target = self.target_of(m, sentence.number)
            wants_content = kind in ("replace", "insert")
            if wants_content != bool(content):
                return None  # text after a deletion, or nothing after 次のように
            if kind == "replace-text":
                return [Change(count + k + 1, kind, target, text, sentence.number, old_text=p.group("old"),
                               new_text=p.group("new")) for k, p in enumerate(PAIR.finditer(m.group("pairs")))]
            change = Change(count + 1, kind, target, text, sentence.number,
                            content=[Segment(l.text, l.number) for l in content])
            if wants_content and not self.read_content(change, content):
                return None
            return [change]
        return None

    def target_of(self, m: re.Match, line: int) -> Target:
        g = m.groupdict()
        written = g["target"]
        if g["art"]:
            number = str(self.number(g["art"], line))
            if g["artsub"]:
                number += f"の{self.number(g['artsub'], line)}"
            if g["para"]:
                return Target("paragraph", written, article=number, paragraph=self.number(g["para"], line))
            return Target("article", written, article=number)
        appendix = g["apx"]
        if numbered := re.fullmatch(rf"別表第({NUM})", appendix):
            appendix = f"別表第{self.number(numbered.group(1), line)}"
        section = None
        if g["sec"]:
            section = str(self.number(g["sec"], line))
            if g["sub"]:
                section += f"-{self.number(g['sub'], line)}"
        if g["row"]:
            return Target("row", written, appendix=appendix, section=section, row=g["row"])
        if section:
            return Target("section", written, appendix=appendix, section=section)
        return Target("appendix", written, appendix=appendix)

    def read_content(self, change: Change, content: list[Line]) -> bool:
        """The lines after 次のように: articles (an article's target), a whole 別表, or 別表 rows."""
        kind = change.target.kind
        if kind == "article":
            change.articles = self.read_fragment(content, "articles").articles
            return bool(change.articles)
        if kind == "appendix" and change.kind == "replace":
            change.appendices = self.read_fragment(content, "appendix").appendices
            return bool(change.appendices) and all(a.initiatives for a in change.appendices)
        if kind == "row":
            change.initiatives = self.read_fragment(content, "rows").initiatives
            return bool(change.initiatives) and len(change.initiatives) == len(
                [l for l in content if "\t" in l.text and l.text.split("\t")[0].strip() != "区分"])
        return False

    def read_supplementary(self, amendment: Amendment) -> None:
        line = self.peek()
        if line is None or not SUPPLEMENTARY.match(line.text):
            self.diagnose("warning", self.here(), "no 附則: the date the amendment takes effect is not stated")
            return
        self.take()
        lines = []
        while (nxt := self.peek()) is not None and not CLOSING.search(nxt.text) and not find_era_date_line(nxt.text):
            lines.append(self.take())
        if not lines:
            self.diagnose("warning", line.number, "an empty 附則: the date the amendment takes effect is not stated")
            return
        text = "".join(l.text for l in lines)
        amendment.supplementary = Segment("\n".join([line.text, *(l.text for l in lines)]), line.number)
        amendment.effective_line = lines[0].number
        found = EFFECTIVE.search(compact_text(text))
        when = found.group("when") if found else None
        if when and ON_SIGNING.match(when):
            amendment.effective_as_written = "signing"  # the agreement's own date, once it is settled
            return
        date = find_era_date(when) if when else None
        if date and date[1] and ERA_DATE.fullmatch(when):
            amendment.effective_as_written, amendment.effective = date
            return
        self.diagnose("warning", lines[0].number, f"附則 not understood: {text[:60]} (expected この連携協約は、"
                                                  "令和5年4月1日から施行する, …から効力を生ずる, 締結の日から施行する)")
        amendment.regular = False


def compact_text(text: str) -> str:
    """Without the spaces letter spacing and line breaks leave in a sentence."""
    return re.sub(r"[ \u3000\n]", "", text)
