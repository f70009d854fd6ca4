"""The reader's articles (text.parse): 第N条 with its heading and paragraphs, the items of a
paragraph ((1), ア, (ア) …) nested by the order their label kinds appear, hard-wrapped sentences
joined, the clause kind of each article, the lapse period, and roles written inline in an article
instead of a 別表."""

from __future__ import annotations

import re
import unicodedata

from .layout import Line
from .model import Article, Item, LapsePeriod, Paragraph, RoleStatement
from .outline import read_label, read_outline_span
from .patterns import (
    APPENDIX,
    ARTICLE,
    CLOSING,
    DIGITS,
    KANJI_DIGITS,
    LEADS,
    NUMBERED,
    find_era_date_line,
    heading_of,
)

LAPSE = re.compile(rf"起算して(?P<amount>[{DIGITS}{KANJI_DIGITS}]+)(?P<unit>年|月|日)を経過した日")
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
MAX_REPORTED_GAP = 20  # a larger jump is a numbering error, not lost pages: named once per missing article up to it
UNITS = {"年": "year", "月": "month", "日": "day"}


def clause_kind(heading: str | None) -> str:
    for keyword, kind in CLAUSE_KINDS:
        if heading and keyword in heading:
            return kind
    return "other"


class ArticleReader:
    """Articles, paragraphs and items: a part of text.parse's reader, whose cursor and diagnostics it uses."""

    def read_articles(self) -> None:
        article: Article | None = None
        heading: Line | None = None
        while (line := self.peek()) is not None:
            if CLOSING.search(line.text) or APPENDIX.match(line.text) or find_era_date_line(line.text):
                break
            self.take()
            nxt = self.peek()
            if nxt and ARTICLE.match(nxt.text) and heading_of(line.text):
                heading = line
                continue
            if m := ARTICLE.match(line.text):
                article = self.start_article(m, line, heading)
                heading = None
                self.read_inline_outline(article)
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
        if self.fragment:  # an amending instruction's articles: numbered as in the text they go into
            return
        if not self.agreement.articles:
            self.diagnose("error", self.here(), "no article (第1条 …) found")
        self.check_article_sequence()

    def check_article_sequence(self) -> None:
        """A copy that lost pages skips articles: each missing number is a missing part."""
        articles = self.agreement.articles
        expected = 1
        for article in articles:
            for missing in range(expected, min(article.ordinal, expected + MAX_REPORTED_GAP)):
                self.diagnose("error", article.line, f"第{missing}条 is missing: the articles go from "
                                                     f"第{expected - 1}条 to 第{article.number}条")
            expected = max(expected, article.ordinal + 1)

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

    def read_inline_outline(self, article: Article) -> None:
        """Roles written in the article itself, as an outline of fields with 取組の内容 and Xの役割
        items (text.outline), instead of a 別表. The article's first sentence may wrap onto the lines
        before the outline's first item; the article goes on after the outline (paragraph 2 …)."""
        end = self.pos
        while end < len(self.lines) and not ARTICLE.match(self.lines[end].text) \
                and not CLOSING.search(self.lines[end].text) and not APPENDIX.match(self.lines[end].text):
            end += 1  # bounded by the article: reading the rest of the text for each article is quadratic
        # the line that ends the article is passed too: the outline ends before a heading above it
        found, reached = read_outline_span(self.lines[self.pos:end + 1])
        if not found:
            return
        first = next(i for i in range(reached) if read_label(self.lines[self.pos + i].text))
        for line in self.lines[self.pos:self.pos + first]:
            if article.paragraphs:
                self.joined.add(article.paragraphs[-1], "text", line.text)
        self.joined.flush()
        article.initiatives += self.initiatives_of_outline(found)
        self.pos += reached

    def start_article(self, m: re.Match, line: Line, heading: Line | None) -> Article:
        ordinal = self.number(m.group("num"), line.number)
        number = str(ordinal) + (f"の{self.number(m.group('sub'), line.number)}" if m.group("sub") else "")
        heading_text = heading_of(heading.text) if heading else None
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
        self.mirrors: list[object] = []  # given the same text: the roles of a group's other parties

    def tail(self, owner: object, field: str) -> str:
        """The end of the field's text so far (its last piece)."""
        return self.pieces[-1] if owner is self.owner and field == self.field else getattr(owner, field)

    def add(self, owner: object, field: str, piece: str, mirrors: list[object] = ()) -> None:
        if owner is not self.owner or field != self.field:
            self.flush()
            self.owner, self.field, self.pieces, self.mirrors = owner, field, [getattr(owner, field)], list(mirrors)
        self.pieces.append(piece)

    def flush(self) -> None:
        if self.owner is None:
            return
        text = "".join(self.pieces)
        for owner in (self.owner, *self.mirrors):
            setattr(owner, self.field, text)
            if isinstance(owner, RoleStatement):
                owner.leads = LEADS in text
        self.owner = None
