"""A PDF with a text layer (a word processor's PDF, a page printed from the browser) → the lines the
parser reads, each with its origin: `page=N&viewrect=L,T,W,H` (PDF Open Parameters; points from the
page's top-left, one decimal), kept in a list parallel to the lines.

The characters and the ruling lines come from pdfplumber (pdfminer.six; docs/readers.md says why it
was chosen). The reading order is repaired here, as a reader of the printed page would read it:
- each page's characters make lines top to bottom; a page in two columns (a gutter that no line
  crosses and several lines have text on both sides of) is read column by column;
- running heads and feet (the same line at the top or bottom of several pages, its numbers aside) and
  page numbers (「- 1 -」, 「1/4」, 「1」) are dropped;
- a ruled table (the 別表) is read from its ruling: each row one line, its cells joined by tabs as the
  text form writes them, a cell's wrapped text joined;
- an empty line of the document is kept: a line of only spaces, or the height of a line left empty;
- a line broken by the width of the text block (it reaches the block's right edge, and the next line
  starts at its left edge, not indented) is joined to the next, so that a paragraph is one line as in
  the text form.
A PDF without any character (a scan) is read as `text_layer=False`: OCR reads it (text.formats)."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from ..errors import InputError
from .layout import ARTICLE_START, PAGE_NUMBER, STARTS_ITEM, is_content

A_READABLE_PDF = "a PDF file that is neither encrypted nor damaged"
SPACES = " \u3000\u00a0\t"
GUTTER_MIN_LINES = 3  # lines with text on both sides of a gutter before a page is read as two columns
WRAP_SLACK = 2.5  # characters a wrapped line may end short of the right edge (kinsoku carries 「る。」 over)
INDENT_SLACK = 0.5  # a line starting more than half a character right of the left edge is indented
MAX_BLANKS_AT_PAGE_END = 2
REPEATED_DIGITS = re.compile(r"[0-9０-９]+")


@dataclass
class PdfText:
    lines: list[str]
    origins: list[str]  # origins[i]: the page and rectangle of lines[i] (line i + 1)
    pages: int
    text_layer: bool  # False: no page has a character (a scan); OCR reads it

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Piece:
    """A line of text, a table row, or a line of only spaces on one page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float  # the characters' height
    kind: str = "text"  # "text" | "row" | "space"
    column: int = 0  # 0: the page's full width; 1, 2: the left and the right column
    chars: list[dict] = field(default_factory=list, repr=False)  # pdfplumber's characters, left to right
    parts: list[Piece] = field(default_factory=list)  # the lines joined to this one (it was wrapped)


def read_pdf(data: bytes, display: str) -> PdfText:
    """The agreement's lines in the PDF `data`; InputError naming `display` when the PDF is encrypted
    or cannot be read. A PDF with no character at all is returned with `text_layer=False`."""
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about damaged fonts are not the user's
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page_pieces(n, page) for n, page in enumerate(pdf.pages, start=1)]
            width = max((page.width for page in pdf.pages), default=0.0)
            height = max((page.height for page in pdf.pages), default=0.0)
    except Exception as e:  # noqa: BLE001 — pdfminer raises many kinds (PSSyntaxError, KeyError, TypeError …) on a damaged file
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e  # pdfplumber wraps pdfminer's
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise InputError(display, None, A_READABLE_PDF, "an encrypted PDF (it needs a password)") from None
        detail = (str(cause).strip().splitlines() or [type(cause).__name__])[0][:80]
        raise InputError(display, None, A_READABLE_PDF, f"a damaged PDF ({detail})") from None
    if not any(pieces is not None for pieces in pages):
        return PdfText([], [], len(pages), text_layer=False)
    pieces = drop_page_furniture([p or [] for p in pages])
    lines, origins = Flow(pieces, width, height).lines()
    return PdfText(lines, origins, len(pages), text_layer=True)


def page_pieces(number: int, page) -> list[Piece] | None:
    """The page's lines and table rows in reading order; None when it has no character at all."""
    chars = [c for c in page.chars if c.get("upright", True) and c["text"]]
    if not page.chars:
        return None
    tables = page.find_tables()  # ruled tables: the cells the ruling lines draw
    boxes = [t.bbox for t in tables]
    free = [c for c in chars if not any(inside(c, box) for box in boxes)]
    rows = [row for t in tables for row in table_rows(number, t, chars)]
    lines = text_lines(number, free)
    # Tables cut the page into bands: in each band the lines are read column by column.
    ordered: list[Piece] = []
    band: list[Piece] = []
    for piece in sorted(lines + rows, key=lambda p: (p.top, p.x0)):
        if piece.kind == "row":
            ordered += in_columns(band, page.width)
            band = []
            ordered.append(piece)
        else:
            band.append(piece)
    return ordered + in_columns(band, page.width)


def inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def table_rows(number: int, table, chars: list[dict]) -> list[Piece]:
    """Each row of a ruled table as one line, its cells' texts joined by tabs (a merged cell once)."""
    out = []
    for row in table.rows:
        cells = [cell for cell in row.cells if cell is not None]
        if not cells:
            continue
        texts = [cell_text(number, [c for c in chars if inside(c, cell)]) for cell in cells]
        x0, top, x1, bottom = row.bbox
        size = max((c["bottom"] - c["top"] for c in chars if inside(c, row.bbox)), default=bottom - top)
        out.append(Piece(number, x0, top, x1, bottom, "\t".join(texts), size, "row"))
    return out


def cell_text(number: int, chars: list[dict]) -> str:
    """A cell's text: its lines joined, as the wrapped text of one cell."""
    return joined([line.text.strip(SPACES) for line in text_lines(number, chars)])


def joined(texts: list[str]) -> str:
    """Lines of one paragraph joined: with nothing between Japanese, with a space between two Latin
    words (the line was broken at the space)."""
    out = ""
    for text in texts:
        if out and text and out[-1].isascii() and out[-1].isalnum() and text[0].isascii() and text[0].isalnum():
            out += " "
        out += text
    return out


def text_lines(number: int, chars: list[dict]) -> list[Piece]:
    """The characters grouped into lines (by their vertical middle) top to bottom, each line's
    characters left to right."""
    groups: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        middle = (c["top"] + c["bottom"]) / 2
        if groups:
            last = groups[-1]
            last_middle = sum((d["top"] + d["bottom"]) / 2 for d in last) / len(last)
            height = max(d["bottom"] - d["top"] for d in last)
            if abs(middle - last_middle) <= max(height, c["bottom"] - c["top"]) / 2:
                last.append(c)
                continue
        groups.append([c])
    return [piece_of(number, sorted(g, key=lambda c: c["x0"])) for g in groups]


def piece_of(number: int, chars: list[dict]) -> Piece:
    inked = [c for c in chars if c["text"] not in SPACES] or chars
    text = ""
    previous = None
    for c in chars:
        if previous is not None and c["text"] not in SPACES and previous["text"] not in SPACES \
                and c["x0"] - previous["x1"] > 0.5 * (c["bottom"] - c["top"]):
            text += " "  # a space drawn as a gap, not as a character
        text += c["text"]
        previous = c
    size = max(c["bottom"] - c["top"] for c in inked)
    kind = "text" if text.strip(SPACES) else "space"
    return Piece(number, min(c["x0"] for c in inked), min(c["top"] for c in inked), max(c["x1"] for c in inked),
                 max(c["bottom"] for c in inked), text.rstrip(SPACES) if kind == "text" else "", size, kind,
                 chars=chars)


def gaps(piece: Piece, chars: list[dict]) -> list[tuple[float, float]]:
    """The wide gaps (over two characters) between the inked characters of a line."""
    inked = [c for c in chars if c["text"] not in SPACES]
    return [(a["x1"], b["x0"]) for a, b in pairwise(inked) if b["x0"] - a["x1"] > 2 * piece.size]


def in_columns(lines: list[Piece], width: float) -> list[Piece]:
    """`lines` (one band of a page, top to bottom) in reading order: where several lines have text on
    both sides of one gutter in the middle of the page, the runs of lines that do not cross it are read
    left column first, then right; a line across the gutter (a heading over both) is read in its place."""
    gutter = find_gutter(lines, width)
    if gutter is None:
        return lines
    out: list[Piece] = []
    left: list[Piece] = []
    right: list[Piece] = []
    for line in lines:
        halves = split_at(line, gutter)
        if halves is None:  # across the gutter
            out += left + right + [line]
            left, right = [], []
            continue
        if halves[0] is not None:
            left.append(halves[0])
        if halves[1] is not None:
            right.append(halves[1])
    return out + left + right


def find_gutter(lines: list[Piece], width: float) -> float | None:
    """The x of the gutter between two columns: a point in the middle third of the page inside a wide
    gap of at least GUTTER_MIN_LINES lines, which no other line's character covers more often."""
    spans = [(line, [(c["x0"], c["x1"]) for c in line.chars if c["text"] not in SPACES])
             for line in lines if line.kind == "text"]
    best, best_count = None, 0
    for x in range(int(width / 3), int(2 * width / 3)):
        in_gap = covered = 0
        for line, inks in spans:
            if any(a <= x <= b for a, b in inks):
                covered += 1
            elif any(b < x for a, b in inks) and any(a > x for a, b in inks) \
                    and any(g0 <= x <= g1 for g0, g1 in gaps(line, line.chars)):
                in_gap += 1
        if in_gap >= GUTTER_MIN_LINES and in_gap > covered and in_gap > best_count:
            best, best_count = float(x), in_gap
    return best


def split_at(line: Piece, gutter: float) -> tuple[Piece | None, Piece | None] | None:
    """The line's parts left and right of the gutter, None when a character crosses it."""
    chars = line.chars
    if any(c["x0"] < gutter < c["x1"] and c["text"] not in SPACES for c in chars):
        return None
    left = [c for c in chars if c["x1"] <= gutter]
    right = [c for c in chars if c["x0"] >= gutter]
    halves = []
    for column, part in ((1, left), (2, right)):
        if not part or all(c["text"] in SPACES for c in part):
            halves.append(None)
            continue
        piece = piece_of(line.page, part)
        piece.column = column
        halves.append(piece)
    return halves[0], halves[1]


def drop_page_furniture(pages: list[list[Piece]]) -> list[Piece]:
    """The pages' pieces in order without page numbers and running heads and feet: a line first or
    last on its page that is a page number, or whose text (its numbers aside) is first or last on
    at least two pages and on half of them, unless it is the agreement's (layout.is_content: an
    article, an item, a sentence, a date …)."""
    def ends(pieces: list[Piece]) -> list[int]:
        inked = [i for i, p in enumerate(pieces) if p.kind == "text"]
        return sorted(set(inked[:2] + inked[-2:]))

    seen: Counter[str] = Counter()
    for pieces in pages:
        for key in {REPEATED_DIGITS.sub("#", pieces[i].text) for i in ends(pieces)}:
            seen[key] += 1
    repeated = {key for key, n in seen.items() if n >= max(2, len(pages) / 2)}
    out = []
    for pieces in pages:
        dropped = set()
        for edge in (range(len(pieces)), range(len(pieces) - 1, -1, -1)):  # from the top, then from the bottom
            for i in edge:
                piece = pieces[i]
                if piece.kind == "space":
                    continue
                if piece.kind == "text" and (PAGE_NUMBER.match(piece.text.strip(SPACES)) or (
                        REPEATED_DIGITS.sub("#", piece.text) in repeated and not is_content(piece.text))):
                    dropped.add(i)
                    continue
                break
        out += [p for i, p in enumerate(pieces) if i not in dropped]
    return out


class Flow:
    """The pieces of all pages in reading order, with the measures of the document's text: the line
    pitch (the distance from one line to the next), the top of the text on a page, its left and right
    edges. Empty lines are counted from the space between pieces, in pitches."""

    def __init__(self, pieces: list[Piece], page_width: float, page_height: float):
        self.pieces = pieces
        self.pitch = line_pitch(pieces)
        firsts = {}
        for p in pieces:
            firsts.setdefault(p.page, p)
        self.first = firsts  # each page's first piece
        self.top = min((self.box_top(p) for p in firsts.values()), default=0.0)
        lasts = {p.page: p for p in pieces}
        # The bottom of the text block: as far from the page's bottom as its top is from the page's top
        # (even margins), or lower where the fullest page reaches further.
        self.bottom = max([page_height - self.top, *(self.box_bottom(p) for p in lasts.values())])
        self.edges: dict[int, tuple[float, float]] = {}  # column → (left, right)
        for column in {p.column for p in pieces if p.kind == "text"}:
            lines = [p for p in pieces if p.kind == "text" and p.column == column]
            left, right = min(p.x0 for p in lines), max(p.x1 for p in lines)
            if column != 1:  # margins are even, or the right one is the narrower
                right = max(right, page_width - min(p.x0 for p in pieces if p.kind == "text"))
            self.edges[column] = (left, right)

    def box_top(self, p: Piece) -> float:
        return p.top if p.kind == "row" else p.top - (self.pitch - p.size) / 2

    def box_bottom(self, p: Piece) -> float:
        return p.bottom if p.kind == "row" else p.bottom + (self.pitch - p.size) / 2

    def blank_lines_before(self, previous: Piece | None, p: Piece) -> int:
        """The empty lines between `previous` and `p`: the height between them in pitches (from the top
        of the text when `p` starts a page)."""
        if previous is not None and previous.page == p.page and (previous.column, p.column) == (1, 2):
            # the foot of the left column and the head of the right: as the end of a page and the next's top
            # The columns end where the right one does: at the page's foot, or higher when they were balanced.
            beside = [q for q in self.pieces if q.page == p.page and q.column in (1, 2)]
            top = min(self.box_top(q) for q in beside if q.column == 1)
            bottom = max(self.box_bottom(q) for q in beside if q.column == 2)
            return self.blank_lines_at_page_end(previous, p, bottom) + self.lines_in(self.box_top(p) - top)
        if previous is not None and previous.page == p.page:
            return self.lines_in(self.box_top(p) - self.box_bottom(previous))
        if self.first.get(p.page) is not p:
            return 0
        at_end = 0 if previous is None else self.blank_lines_at_page_end(previous, p)
        return at_end + self.lines_in(self.box_top(p) - self.top)

    def lines_in(self, space: float) -> int:
        # Rounded down from a third of a line: the body's margin above the first page's text is no line.
        return max(0, int(space / self.pitch + 1 / 3))

    def blank_lines_at_page_end(self, last: Piece, first: Piece, bottom: float | None = None) -> int:
        """The empty lines that end the page of `last` (no character marks them): the fewest that
        explain why `first`, at the top of the next page, did not fit below `last` — a paragraph needs
        room for two lines (for all when it has three or fewer: widows and orphans), a table row for its
        height. At most MAX_BLANKS_AT_PAGE_END: a page broken by hand before the 別表 is no empty line."""
        if first.kind == "row":
            needed = first.bottom - first.top
        else:
            lines = 1 + sum(1 for q in first.parts if q.page == first.page)
            needed = self.pitch * (lines if lines <= 3 else 2)
        bottom = self.bottom if bottom is None else bottom
        room = bottom - self.box_bottom(last) - needed - self.pitch / 4  # clearly room for it
        return 0 if room < 0 else min(MAX_BLANKS_AT_PAGE_END, int(room / self.pitch) + 1)

    def continues(self, last: Piece, p: Piece) -> bool:
        """`p` continues the line `last` broken by the width of the text block."""
        if last.kind != "text" or p.kind != "text":
            return False
        end = last.parts[-1] if last.parts else last
        # the same column, or the foot of one column and the head of the next (or of the next page's first)
        if end.column != p.column and not (end.column, p.column) in ((1, 2), (2, 1)):
            return False
        right, left = self.edges[end.column][1], self.edges[p.column][0]
        if end.x1 < right - WRAP_SLACK * end.size or p.x0 > left + INDENT_SLACK * p.size:
            return False
        if self.blank_lines_before(end, p) > 0:
            return False
        starts_unit = STARTS_ITEM.match(p.text) or ARTICLE_START.match(p.text) or p.text[:1] in "（("
        return not (last.text.endswith("。") and starts_unit)

    def lines(self) -> tuple[list[str], list[str]]:
        """The text's lines (wrapped lines joined, empty lines kept) and each one's origin."""
        joined_pieces: list[Piece] = []
        for p in self.pieces:
            if joined_pieces and self.continues(joined_pieces[-1], p):
                last = joined_pieces[-1]
                last.parts.append(p)
                last.text = joined([last.text, p.text])
            else:
                joined_pieces.append(p)
        lines: list[str] = []
        origins: list[str] = []
        previous = None
        for p in joined_pieces:
            blanks = self.blank_lines_before(previous, p)
            lines += [""] * blanks
            origins += [f"page={p.page}"] * blanks
            lines.append(p.text)
            origins.append(origin(p))
            previous = p.parts[-1] if p.parts else p
        return lines, origins


def origin(p: Piece) -> str:
    """`page=N&viewrect=L,T,W,H` of the piece (a joined line: its parts on the page it starts on)."""
    parts = [q for q in [p, *p.parts] if q.page == p.page]
    x0, top = min(q.x0 for q in parts), min(q.top for q in parts)
    x1, bottom = max(q.x1 for q in parts), max(q.bottom for q in parts)
    return f"page={p.page}&viewrect={x0:.1f},{top:.1f},{x1 - x0:.1f},{bottom - top:.1f}"


def line_pitch(pieces: list[Piece]) -> float:
    """The most common distance from the top of a line to the top of the next one (a line of text
    right below another on the same page and column), else 1.5 characters."""
    steps = Counter(round(b.top - a.top, 1) for a, b in pairwise(pieces)
                    if a.kind == b.kind == "text" and a.page == b.page and a.column == b.column
                    and 0 < b.top - a.top < 2.5 * max(a.size, b.size))
    if not steps:
        return 1.5 * max((p.size for p in pieces), default=10.0)
    return steps.most_common(1)[0][0]
