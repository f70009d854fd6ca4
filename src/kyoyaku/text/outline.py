"""Roles written as a nested outline instead of a 別表 table: the initiatives of one 別表 body, or of
the rest of one article after its first sentence.

    (1) 地域医療                       ← the field: the initiative's category (区分)
    ア 救急医療体制の確保               ← a sub-item: one initiative of its own, still under 地域医療
    (ア) 取組の内容 休日及び夜間の…      ← the description
    (イ) 甲の役割 乙と連携して…          ← a role, of whoever is named before の役割
    (ウ) 乙の役割
    甲と連携して…                       ← unlabeled lines continue the last item

Any label system may be used at any depth — (1) 1 1. 1) ① 一 第1 ア (ア) a (a) i (i) A I … —
each list keeping its own kind of label: an item whose kind of label is open above it is the next
of that list, any other kind starts a list inside the item above. The field is the heading
directly above the items that carry the description and the roles, or above the sub-items that do; a 視点 group heading above the fields (生活機能の強化に係る
政策分野, 圏域全体の経済成長のけん引 …) is never a field. A role of a group (連携町村の役割) is kept as
written: mapping a name to parties is the reader's business, not the outline's.

A pure function over lines, linear in their length: labels are short and matched at fixed places
(the start of an item, the end of a run of spaces), and joined text is kept as pieces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .layout import Line
from .patterns import APPENDIX, ARTICLE, CLOSING, HEADING

SPACES = " \u3000"
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
CIRCLED = "".join(chr(c) for c in [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)])  # ①–㊿
KANJI_NUMERALS = "一二三四五六七八九十"
ROMAN_LETTERS = "ivxIVXｉｖｘＩＶＸ"
# A label's numeral: arabic, kanji, roman, one latin letter or one katakana (all bounded, so a match
# never scans further than a few characters).
_TOKEN = (
    rf"[0-9０-９]{{1,3}}|[{KANJI_NUMERALS}]{{1,3}}|[{ROMAN_LETTERS}]{{1,6}}|[ⅰ-ⅻⅠ-Ⅻ]"
    rf"|[a-zA-Zａ-ｚＡ-Ｚ]|[{KANA}ｱ-ﾝ]"
)
# (1) ① 第1␣ 1) 1. 1␣ — the bare forms only before a space: ア may begin a word (イベント), 一 a
# sentence (一部), 1 a number (1.5倍).
LABEL = re.compile(
    rf"(?:[(（](?P<paren>{_TOKEN})[)）]"
    rf"|(?P<circled>[{CIRCLED}])"
    rf"|(?P<dai>第(?:[0-9０-９]{{1,3}}|[{KANJI_NUMERALS}]{{1,3}}))(?=[{SPACES}])"
    rf"|(?P<half>{_TOKEN})[)）]"
    rf"|(?P<period>[0-9０-９]{{1,3}}|[{ROMAN_LETTERS}]{{1,6}}|[a-zA-Zａ-ｚＡ-Ｚ])[.．](?![0-9０-９])"
    rf"|(?P<bare>{_TOKEN})(?=[{SPACES}]))"
    rf"[{SPACES}]*+"
)
ROMAN = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})|X{0,3}(?:IX|IV|V?I{0,3})")
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
# What an item says it is. Possessive and bounded by the first space: giving back would rescan the line.
CONTENT = re.compile(rf"(?:取組の?内容|連携する取組(?:の内容)?)(?:[{SPACES}:：]++|$)")
ROLE = re.compile(rf"(?P<who>[^{SPACES}:：]+?)の役割(?:[{SPACES}:：]++|$)")
ROLES_GROUP = re.compile(r"(?:\S*の)?役割分担")  # (b) 役割分担: its role items belong to the heading above it
# The 視点 a field is grouped under (要綱: 連携中枢都市圏 and 定住自立圏), never a field itself.
VIEWPOINT = re.compile(
    r"(?:圏域全体の)?(?:経済成長のけん引|高次の都市機能の集積・強化|生活関連機能サービスの向上"
    r"|生活機能の強化|結び[つ付]きやネットワークの強化|圏域マネジメント能力の強化)(?:に係る(?:政策分野|取組))?"
)
VIEWPOINT_ENDINGS = ("政策分野", "視点")
SENTENCE_ENDS = ("。", "：", ":")
NOTES = "備考"  # notes under a 別表, after its last item
SPACE_RUN = re.compile(rf"[{SPACES}]+")


@dataclass(frozen=True)
class Label:
    kind: tuple[str, str]  # (numeral system, form): ("digit", "paren") for (1), ("kana", "bare") for ア
    ordinal: int  # 1 for (1), ア, a, i, ①, 一, 第1
    end: int  # where the item's text starts in the line


@dataclass
class OutlineRole:
    who: str  # as written before の役割: 甲, 前橋市, 連携町村, 中心市 …
    text: str
    line: int


@dataclass
class OutlineHeading:
    label: str  # as written: (1), ア, 第1
    title: str
    key: str  # the path of the labels' ordinals: "1", "1-2"
    line: int


@dataclass
class OutlineInitiative:
    category: str  # the field heading (区分); "" when the outline has none above the description/roles
    description: str
    roles: list[OutlineRole]
    line: int  # the line of the heading directly above the description and roles
    section: str  # that heading's key: the path of the labels' ordinals, e.g. "1", "1-2", "1-1-1"
    headings: list[OutlineHeading] = field(default_factory=list)  # from the top (視点 …) down to that heading


def read_label(text: str, pos: int = 0, open_lists: dict[tuple[str, str], int] | None = None) -> Label | None:
    """The item label at `pos` of the text, if there is one. A lone i, v or x (or I, V, X) is a latin
    letter only right after h, u or w in an open list of the same kind of latin label (`open_lists`:
    the kinds of label of the items enclosing the text, with the ordinal of each), else a roman
    numeral."""
    m = LABEL.match(text, pos)
    if m is None:
        return None
    form = next(name for name in ("paren", "circled", "dai", "half", "period", "bare") if m.group(name))
    token = m.group(form)
    if form == "circled":
        return Label(("circled", "circled"), CIRCLED.index(token) + 1, m.end())
    if form == "dai":
        ordinal = _numeral(unicodedata.normalize("NFKC", token[1:]))
        return Label(("dai", "bare"), ordinal, m.end()) if ordinal else None
    token = unicodedata.normalize("NFKC", token)
    if (ordinal := _numeral(token)) is not None:
        system = "digit" if token.isdigit() else "kanji"
        return Label((system, form), ordinal, m.end()) if ordinal else None
    if len(token) == 1 and token in KANA:
        return Label(("kana", form), KANA.index(token) + 1, m.end())
    case = "upper" if token.isupper() else "lower"
    if ROMAN.fullmatch(token):
        latin = (f"latin-{case}", form)
        if len(token) > 1 or (open_lists or {}).get(latin) != ord(token.lower()) - ord("a"):
            return Label((f"roman-{case}", form), _roman(token.lower()), m.end())
    if len(token) == 1 and token.isascii() and token.isalpha():
        return Label((f"latin-{case}", form), ord(token.lower()) - ord("a") + 1, m.end())
    return None  # iiii, vx, mixed case: no numeral


def _numeral(token: str) -> int | None:
    """Arabic or kanji (一 … 九十九) numerals; None for other tokens, 0 for a malformed kanji numeral."""
    if token.isdigit():
        return int(token)
    if not token or any(c not in KANJI_NUMERALS for c in token):
        return None
    tens, _, units = token.rpartition("十")
    if "十" in tens or len(units) > 1 or len(tens) > 1:
        return 0
    value = KANJI_NUMERALS.index(units) + 1 if units else 0
    if "十" in token:
        value += 10 * (KANJI_NUMERALS.index(tens) + 1 if tens else 1)
    return value


def _roman(token: str) -> int:
    values = [ROMAN_VALUES[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass(eq=False)
class _Item:
    kind: str  # heading | content | role | roles (a 役割分担 group) | text (a list inside a description or role)
    label: str
    ordinal: int
    label_kind: tuple[str, str]
    line: int
    parent: _Item | None
    title: str = ""  # a heading's text, or the who of a role
    pieces: list[str] = field(default_factory=list)  # a heading's title, a description's or role's text

    def owner(self) -> _Item | None:
        """The heading an initiative's description or role belongs to."""
        up = self.parent
        while up is not None and up.kind == "roles":
            up = up.parent
        return up

    def key(self) -> str:
        path, item = [], self
        while item is not None:
            path.append(str(item.ordinal))
            item = item.parent
        return "-".join(reversed(path))


def _join(pieces: list[str]) -> str:
    """Lines of one item: a hard-wrapped sentence goes on without a break, a finished one is followed
    by a new line (as an article's paragraphs are joined)."""
    text = ""
    out: list[str] = []
    for piece in pieces:
        if out and text.endswith(SENTENCE_ENDS) and not piece.startswith("\n"):
            out.append("\n")
        out.append(piece)
        text = piece or text
    return "".join(out).strip()


class _Outline:
    def __init__(self):
        self.stack: list[_Item] = []  # the item being read and the items enclosing it, each of its own kind of label
        self.open_lists: dict[tuple[str, str], int] = {}  # the kinds of label on the stack → their ordinals
        self.last: _Item | None = None  # the item unlabeled lines continue
        self.initiatives: dict[_Item, list[_Item]] = {}  # heading → its descriptions and roles, in order
        self.ended = False

    def carries_text(self) -> bool:
        """Whether the item being read is a description or role (or a list inside one): its text
        may hold spaces before a label-like token that starts no item."""
        return self.last is not None and self.last.kind in ("content", "role", "text")

    def read_line(self, line: Line) -> None:
        for start, label, piece_end in self.pieces(line.text):
            piece = line.text[start:piece_end].strip(SPACES)
            if label is None:
                if self.last is not None:
                    self.continue_last(piece)
            elif not self.add_item(line, label, line.text[start:label.end].strip(SPACES),
                                   line.text[label.end:piece_end].strip(SPACES)):
                self.ended = True
                return

    def pieces(self, text: str) -> Iterator[tuple[int, Label | None, int]]:
        """The items a line holds (several when a PDF page or a whole 別表 came out as one line):
        (start, label or None for a continued text, end). A label after a space starts an item in a
        heading; in a description or role only after a sentence (。) or before 取組の内容 / Xの役割."""
        start, label = 0, read_label(text, 0, self.open_lists)
        in_text = self.carries_text() if label is None else None
        for space in SPACE_RUN.finditer(text):
            at = space.end()
            if at >= len(text) or at <= (label.end if label else 0):
                continue
            if in_text is None:  # the kind of the item this piece begins, known once its text is read
                in_text = bool(CONTENT.match(text, label.end) or ROLE.match(text, label.end))
            candidate = read_label(text, at, self.open_lists)
            if candidate is None:
                continue
            if in_text and text[space.start() - 1] != "。" and not (
                CONTENT.match(text, candidate.end) or ROLE.match(text, candidate.end)
            ):
                continue
            yield start, label, space.start()
            start, label, in_text = at, candidate, None
        yield start, label, len(text)

    def add_item(self, line: Line, label: Label, written: str, text: str) -> bool:
        """Place an item: a label of a kind already open (on an enclosing item) continues that list,
        as the next sibling; another kind opens a list inside the item above. (So a field may have
        its description directly or under sub-items, each list keeping its own kind of label.) False
        when the item cannot belong to the outline once roles were read — a list that starts at 2 (the
        article's paragraph `2 …`) or an ordinal that does not go up: the outline ends before it."""
        at = len(self.stack) - 1
        while at >= 0 and self.stack[at].label_kind != label.kind:
            at -= 1  # at most one item per kind of label on the stack: a bounded walk
        started = bool(self.initiatives)
        if at < 0 and started and label.ordinal != 1:
            return False
        if at >= 0:
            if started and label.ordinal <= self.stack[at].ordinal:
                return False
            for closed in self.stack[at:]:
                del self.open_lists[closed.label_kind]
            del self.stack[at:]
        parent = self.stack[-1] if self.stack else None
        item = _Item(kind="heading", label=written, ordinal=label.ordinal, label_kind=label.kind, line=line.number,
                     parent=parent)
        self.stack.append(item)
        self.open_lists[label.kind] = label.ordinal
        if parent is not None and parent.kind in ("content", "role", "text"):
            item.kind = "text"  # a list inside a description or role: part of its text
            self.text_owner(item).pieces.append(f"\n{written} {text}")  # a list item starts a line
        elif m := CONTENT.match(text):
            item.kind = "content"
            item.pieces.append(text[m.end():])
            self.initiatives.setdefault(item.owner(), []).append(item)
        elif m := ROLE.match(text):
            item.kind, item.title = "role", m.group("who")
            item.pieces.append(text[m.end():])
            self.initiatives.setdefault(item.owner(), []).append(item)
        elif ROLES_GROUP.fullmatch(text):
            item.kind = "roles"
        else:
            item.pieces.append(text)
        self.last = item
        return True

    @staticmethod
    def text_owner(item: _Item) -> _Item:
        while item.kind == "text":
            item = item.parent
        return item

    def continue_last(self, piece: str) -> None:
        target = self.text_owner(self.last)
        target.pieces.append(piece)

    def result(self) -> list[OutlineInitiative]:
        if not any(item.kind == "role" for items in self.initiatives.values() for item in items):
            return []  # no outline of roles: e.g. a definition `(2) 連携する取組 第4条に規定する取組をいう。`
        out = []
        titles: dict[_Item, str] = {}  # a heading's text, joined once however many initiatives it is above
        for owner, items in self.initiatives.items():
            chain = []
            up = owner
            while up is not None:
                if up.kind == "heading":
                    chain.append(up)
                up = up.parent
            chain.reverse()
            for h in chain:
                if h not in titles:
                    titles[h] = _join(h.pieces)
            headings = [OutlineHeading(label=h.label, title=titles[h], key=h.key(), line=h.line) for h in chain]
            fields = [h for h in headings if not _is_viewpoint(h.title)] or headings[-1:]
            out.append(OutlineInitiative(
                category=fields[0].title if fields else "",
                description="\n".join(_join(i.pieces) for i in items if i.kind == "content"),
                roles=[OutlineRole(who=i.title, text=_join(i.pieces), line=i.line) for i in items if i.kind == "role"],
                line=owner.line if owner else items[0].line,
                section=owner.key() if owner else "",
                headings=headings,
            ))
        return out


def _is_viewpoint(title: str) -> bool:
    """A 視点 heading, also when written as a name with the 視点 in brackets after it
    (地域経済の活性化（圏域全体の経済成長のけん引）)."""
    if title.endswith(("）", ")")):
        title = title[max(title.rfind("（"), title.rfind("(")) + 1:-1]
    return bool(VIEWPOINT.fullmatch(title)) or title.endswith(VIEWPOINT_ENDINGS)


def _ends_outline(lines: Sequence[Line], i: int) -> bool:
    """The next article (with its heading), another 別表, the closing formula or the 別表's notes
    (備考): past the outline."""
    text = lines[i].text
    if ARTICLE.match(text) or APPENDIX.match(text) or CLOSING.search(text) or text.startswith(NOTES):
        return True
    return bool(HEADING.match(text)) and i + 1 < len(lines) and bool(ARTICLE.match(lines[i + 1].text))


def read_outline(lines: Sequence[Line]) -> list[OutlineInitiative]:
    """The initiatives written as an outline in these lines (one 別表's body after its heading, or an
    article's text after its first sentence), in the order their headings appear; [] when no item
    is a role (Xの役割). Text before the first item is not read; the outline ends at the next
    article, 別表, closing formula or 備考, or at an item that cannot continue it (the article's next
    paragraph `2 …`)."""
    return read_outline_span(lines)[0]


def read_outline_span(lines: Sequence[Line]) -> tuple[list[OutlineInitiative], int]:
    """read_outline, and the index of the first line the outline does not reach (len(lines) when it
    reaches the end): where an article's next paragraph, the next article, the closing formula or
    the 別表's notes begin. A line in which the outline ends part way (a run-on page: `…取り組む。 2 甲及び乙は、…`)
    is that index too, so the caller reads it again from its start."""
    outline = _Outline()
    for i, line in enumerate(lines):
        if _ends_outline(lines, i) and not (i == 0 and APPENDIX.match(line.text)):  # the 別表's heading may
            return outline.result(), i  # begin the first line, its body following on the line (a run-on page)
        outline.read_line(line)
        if outline.ended:
            return outline.result(), i
    return outline.result(), len(lines)
