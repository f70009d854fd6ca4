"""Scans and images read by OCR: a PDF without a text layer (each page rendered by pypdfium2) and PNG,
JPEG and TIFF images (every frame of a multi-page TIFF), through Tesseract's Japanese model (`jpn`)
called by pytesseract. pytesseract rather than ocrmypdf: kyoyaku needs Tesseract's word boxes and
confidences (image_to_data) to build lines, table rows and their origins, not a PDF with a text layer
to read again; ocrmypdf would add Ghostscript, qpdf and a second PDF pass for nothing we use.

Lines are built from the word boxes: the spaces Japanese OCR puts between characters are dropped
(kept beside Latin letters and digits where the gap is wide), and a ruled table (a 別表) is found
from its rules in the page image, each of its rows one line with its cells joined by TABs, as the
text form writes them. Each line keeps its origin (`page=N&viewrect=L,T,W,H` in PDF points for a
PDF, `xywh=L,T,W,H` in pixels for an image) and its mean confidence; a line below LOW_CONFIDENCE is
a warning of the agreement. The result is cached by the file's SHA-256 and the OCR settings, so a
rebuild does not OCR again. Measurements behind PDF_DPI and LOW_CONFIDENCE: docs/readers.md."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
import unicodedata
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from statistics import median

from ..errors import InputError
from ..outputs import write_atomic
from ..progress import bar

OCR_LANGUAGE = "jpn"
PDF_DPI = 300  # rendering resolution of a scanned PDF's pages: the best error rate for its time (docs/readers.md)
# A line whose words Tesseract trusts less than this on average (0–100) is reported: measured on the
# generated scans (docs/readers.md), every line below 70 was misread (a name, a garbled cell), lines
# of 70–80 matched the text at 88 %, lines above 80 at 92–95 %: 70 flags 3 % of the lines, all wrong
LOW_CONFIDENCE = 70
CACHE_FORMAT = 2  # raise when the lines built from the same OCR change: older cache entries are not read
INSTALL_HINT = ("Tesseract OCR with its Japanese model to read scans and images "
                "(install the Debian packages tesseract-ocr and tesseract-ocr-jpn)")
PAGE_PARAMETERS = "page={page}&viewrect={left:.1f},{top:.1f},{width:.1f},{height:.1f}"
ARTICLE_NUMBER = re.compile(r"第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?")
ARTICLE_GOES_ON = re.compile(r"[のに第及並、，,）)]")  # 第3条第1項, 第3条の規定, 第2条に: a reference, not an article
CELL_MARGIN = 16  # white pixels around a table column given to Tesseract
# A table column is given to Tesseract with its characters this many pixels high: at 300 dpi an 11 pt
# character is about 46 px, and Tesseract then drops whole lines of a narrow cell (「地域公／共交通」
# read as 「地域公」); at 20–24 px it reads them (docs/readers.md).
TABLE_EM = 28
_PDFIUM = threading.Lock()  # pdfium is not thread-safe: pages are rendered one at a time


@dataclass
class OcrLine:
    text: str
    origin: str
    confidence: float  # the mean of its words' confidences (0–100)


@dataclass
class OcrText:
    lines: list[OcrLine]
    diagnostics: list[tuple[int, str]] = field(default_factory=list)  # (line number, message): low confidence

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def origins(self) -> list[str]:
        return [line.origin for line in self.lines]


@dataclass
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


# -- entry points ------------------------------------------------------------------------------------

def read_scanned_pdf(data: bytes, display: str) -> OcrText:
    """The lines of a PDF without a text layer, its pages rendered at PDF_DPI and read by OCR."""
    return _cached(data, display, "pdf", PDF_DPI, lambda: _ocr_pdf(data, display))


def read_image(data: bytes, display: str) -> OcrText:
    """The lines of a PNG, JPEG or TIFF image (each frame of a multi-page TIFF a page), read by OCR."""
    return _cached(data, display, "image", None, lambda: _ocr_image(data, display))


# -- pages -------------------------------------------------------------------------------------------

def _open_pdf(data: bytes, display: str):
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise InputError(display, None, "a PDF file that can be opened", "a damaged PDF") from None


def _ocr_pdf(data: bytes, display: str) -> list[OcrLine]:
    document = _open_pdf(data, display)
    scale = PDF_DPI / 72  # pixels per point

    def page_lines(number: int) -> list[OcrLine]:
        with _PDFIUM:
            image = document[number - 1].render(scale=scale, grayscale=True).to_pil()

        def origin(left, top, width, height):
            return PAGE_PARAMETERS.format(page=number, left=left / scale, top=top / scale,
                                          width=width / scale, height=height / scale)
        return page_text(image, origin)
    try:
        return _pages_in_parallel(len(document), page_lines, display)
    finally:
        document.close()


def _ocr_image(data: bytes, display: str) -> list[OcrLine]:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # Pillow's warnings on a damaged image: the refusal below says it in one line
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            frames = [frame.convert("L") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InputError(display, None, "a PNG, JPEG or TIFF image that can be decoded",
                         "an image that does not decode (truncated or damaged)") from None
    paged = len(frames) > 1

    def page_lines(number: int) -> list[OcrLine]:
        prefix = f"page={number}&" if paged else ""

        def origin(left, top, width, height):
            return f"{prefix}xywh={left},{top},{width},{height}"
        return page_text(frames[number - 1], origin)
    return _pages_in_parallel(len(frames), page_lines, display)


def available_cores() -> int:
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _pages_in_parallel(pages: int, page_lines, display: str) -> list[OcrLine]:
    """page_lines(1 … pages), run on the available cores (Tesseract is a subprocess: threads are
    enough), in page order, with a progress bar."""
    check_tesseract(display)
    # one thread per Tesseract: its own OpenMP threads would only compete with the other pages'
    # (pytesseract starts Tesseract with this process's environment)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with bar(pages, "OCR pages") as progress, \
            ThreadPoolExecutor(max_workers=max(1, min(pages, available_cores()))) as pool:
        futures = [pool.submit(page_lines, number) for number in range(1, pages + 1)]
        for _ in as_completed(futures):  # the bar moves as pages finish, in whatever order
            progress.update(1)
    return [line for future in futures for line in future.result()]


def check_tesseract(display: str) -> None:
    """InputError, in one line, when Tesseract or its Japanese model is not installed."""
    for problem in _tesseract_problems():
        raise InputError(display, None, INSTALL_HINT, problem)


def _tesseract_problems() -> list[str]:
    import pytesseract

    try:
        languages = pytesseract.get_languages()
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return ["no tesseract command"]
    return [] if OCR_LANGUAGE in languages else [f"no '{OCR_LANGUAGE}' language data"]


def tesseract_version(display: str) -> str:
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        raise InputError(display, None, INSTALL_HINT, "no tesseract command") from None


def ocr_words(image, block: bool = False) -> list[Word]:
    """Tesseract's words in `image` with their boxes and confidences (empty ones dropped); `block`:
    the image is one block of text (a table's column), not a page to segment."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=OCR_LANGUAGE, config="--psm 6" if block else "",
                                     output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            words.append(Word(text.strip(), data["left"][i], data["top"][i], data["width"][i],
                              data["height"][i], float(data["conf"][i]),
                              (data["block_num"][i], data["par_num"][i], data["line_num"][i])))
    return words


# -- lines from word boxes ---------------------------------------------------------------------------

def page_text(image, origin) -> list[OcrLine]:
    """The lines of one page image: Tesseract's lines outside tables, and each row of a ruled table as
    one line of TAB-joined cells, in reading order (a row where its top is); `origin(l, t, w, h)` in
    pixels gives a line's origin. A table is read column by column (each a block of text, its rules
    erased): read with the page, its narrow cells' lines run into each other."""
    from PIL import Image

    pixels, tables = find_tables(image)
    outside = pixels.copy()
    for table in tables:
        outside[table.top:table.bottom, table.left:table.right] = 255
    words = ocr_words(Image.fromarray(outside))
    em = median(w.height for w in words) if words else 0  # a character's height: the unit of the gaps
    placed: list[tuple[int, OcrLine]] = []
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    for line_words in lines.values():
        line_words.sort(key=lambda w: w.left)
        placed.append((min(w.top for w in line_words), _line(line_words, join_words(line_words, em), origin)))
    for table in tables:
        placed.extend((row.top, line) for row, line in zip(table.rows, table_lines(pixels, table, em, origin))
                      if line)
    placed.sort(key=lambda item: item[0])  # stable: Tesseract's order where tops tie
    return [line for _, line in placed]


def table_lines(pixels, table: Table, em: float, origin) -> list[OcrLine | None]:
    """Each row of `table` as a line of its cells joined by TABs (None for an empty row): each column
    OCR'd as one block of text, with a white margin (Tesseract misses text that touches the edge),
    its words given to the row their centre falls in. (A column at a time rather than a cell at a
    time: fewer Tesseract runs, and it read the 別表 categories as well — docs/readers.md.)"""
    import numpy as np
    from PIL import Image

    inset = max(2, table.rule // 2 + 2)
    cells: list[list[list[Word]]] = [[[] for _ in table.columns] for _ in table.rows]
    for c, (left, right) in enumerate(table.columns):
        strip = pixels[table.top:table.bottom, left + inset:right - inset]
        if strip.size == 0 or strip.min() >= 128:  # nothing dark: an empty column
            continue
        padded = Image.fromarray(np.pad(strip, CELL_MARGIN, constant_values=255))
        scale = min(1.0, TABLE_EM / em) if em else 1.0
        if scale < 1.0:
            padded = padded.resize((round(padded.width * scale), round(padded.height * scale)), Image.LANCZOS)
        for word in ocr_words(padded, block=True):
            word.left, word.top = round(word.left / scale), round(word.top / scale)
            word.width, word.height = round(word.width / scale), round(word.height / scale)
            word.left += left + inset - CELL_MARGIN
            word.top += table.top - CELL_MARGIN
            y = word.centre[1]
            r = next((r for r, row in enumerate(table.rows) if row.top <= y < row.bottom), None)
            if r is not None:
                cells[r][c].append(word)
    lines = []
    for row, row_cells in zip(table.rows, cells):
        row_words = [w for cell in row_cells for w in cell]
        text = "\t".join(join_words(cell, em or median(w.height for w in row_words)) for cell in row_cells)
        lines.append(_line(row_words, text, origin, (table.left, row.top, table.right, row.bottom))
                     if row_words else None)
    return lines


def _line(words: list[Word], text: str, origin, box: tuple[int, int, int, int] | None = None) -> OcrLine:
    left, top, right, bottom = box or (min(w.left for w in words), min(w.top for w in words),
                                       max(w.right for w in words), max(w.top + w.height for w in words))
    confidence = round(sum(w.confidence for w in words) / len(words), 1)
    return OcrLine(text, origin(left, top, right - left, bottom - top), confidence)


def is_cjk(char: str) -> bool:
    """A character written without spaces around it in Japanese: kanji, kana, CJK and full-width
    punctuation, and the ASCII punctuation OCR reads them as."""
    if not char.isalnum():
        return True
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "FULLWIDTH", "IDEOGRAPHIC"))


def join_words(words: list[Word], em: float) -> str:
    """Words of one line (or one table cell, in Tesseract's order) as text: Japanese OCR puts a space
    between characters, which the text does not have — a space is kept only between a Latin letter
    or digit and a word (not punctuation) more than half a character's height away (`2 甲及び乙は`,
    `ICT 環境`), and after an article's number that begins the line, set apart from its text by a
    gap (`第1条 この連携協約は`, as the text form writes it, not a hard break inside a sentence:
    `第3条第1項に規定する`); never elsewhere between two Japanese characters. The lines of a cell are
    joined the same way."""
    if not words:
        return ""
    pieces = [words[0].text]
    for previous, word in pairwise(words):
        before, after = previous.text[-1], word.text[0]
        latin = not is_cjk(before) or not is_cjk(after)
        punctuation = not before.isalnum() or not after.isalnum()
        gap = word.left - previous.right
        article = ARTICLE_NUMBER.fullmatch("".join(pieces)) and not ARTICLE_GOES_ON.match(word.text)
        pieces.append(" " if (latin and not punctuation and gap > em / 2) or (article and gap > em / 3) else "")
        pieces.append(word.text)
    return "".join(pieces)


# -- ruled tables ------------------------------------------------------------------------------------

@dataclass
class Band:
    top: int
    bottom: int


@dataclass
class Table:
    rows: list[Band]  # between its horizontal rules, top to bottom
    columns: list[tuple[int, int]]  # (left, right) between its vertical rules, left to right
    rule: int  # the rules' thickness in pixels

    @property
    def top(self) -> int:
        return self.rows[0].top

    @property
    def bottom(self) -> int:
        return self.rows[-1].bottom

    @property
    def left(self) -> int:
        return self.columns[0][0]

    @property
    def right(self) -> int:
        return self.columns[-1][1]


def _runs(mask):
    """The runs of True along each row of `mask`: arrays (row, start, end)."""
    import numpy as np

    steps = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    return rows, starts, ends


def _rules(mask, min_length: int) -> list[list[int]]:
    """Straight rules along the rows of `mask`: runs of at least `min_length` dark pixels, those on
    adjacent rows that overlap merged into one (a rule a few pixels thick): [first row, last row,
    start, end]."""
    rows, starts, ends = _runs(mask)
    long = ends - starts >= min_length
    rules: list[list[int]] = []
    for row, start, end in zip(rows[long].tolist(), starts[long].tolist(), ends[long].tolist()):
        rule = next((r for r in reversed(rules) if r[1] >= row - 1 and start < r[3] and end > r[2]), None)
        if rule:
            rule[1], rule[2], rule[3] = row, min(rule[2], start), max(rule[3], end)
        else:
            rules.append([row, row, start, end])
    return rules


def find_tables(image):
    """The page as a grayscale array with the rules of its tables erased, and its ruled tables: bands
    between horizontal rules that the same vertical rules cross, split into columns at those."""
    import numpy as np

    pixels = np.array(image.convert("L"))
    dark = pixels < 128
    height, width = dark.shape
    horizontal = sorted(_rules(dark, width // 4))  # a table's rule spans a good part of the text width
    vertical = _rules(dark.T, height // 60)  # longer than a character's stroke (1/60 of the page: ~5 mm)
    tolerance = max(4, height // 300)
    tables: list[Table] = []
    for above, below in pairwise(horizontal):
        top, bottom = above[1] + 1, below[0]
        left, right = max(above[2], below[2]), min(above[3], below[3])
        xs = sorted((first, last) for first, last, y0, y1 in vertical
                    if left - tolerance <= first <= right + tolerance and y0 <= top + tolerance
                    and y1 >= bottom - tolerance)
        if len(xs) < 2 or bottom - top <= tolerance:
            continue
        columns = [(a[1] + 1, b[0]) for a, b in pairwise(xs)]
        rule = max(1, above[1] - above[0] + 1)
        if tables and tables[-1].columns == columns and tables[-1].bottom + 3 * tolerance >= top:
            tables[-1].rows.append(Band(top, bottom))
        else:
            tables.append(Table([Band(top, bottom)], columns, rule))
    for first, last, start, end in horizontal:  # erase the rules: OCR reads them as | and ー
        pixels[max(0, first - 1):last + 2, start:end] = 255
    for first, last, start, end in vertical:
        if any(t.left - tolerance <= first <= t.right + tolerance and start < t.bottom and end > t.top
               for t in tables):
            pixels[start:end, max(0, first - 1):last + 2] = 255
    return pixels, tables


# -- cache -------------------------------------------------------------------------------------------

def cache_dir() -> Path:
    """$KYOYAKU_CACHE_DIR/ocr, else $XDG_CACHE_HOME/kyoyaku/ocr, else ~/.cache/kyoyaku/ocr."""
    if own := os.environ.get("KYOYAKU_CACHE_DIR"):
        return Path(own) / "ocr"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kyoyaku" / "ocr"


def _cached(data: bytes, display: str, kind: str, dpi: int | None, read) -> OcrText:
    """The lines `read()` gives, kept in the cache under the file's SHA-256 and the settings that
    make them (kind, dpi, language, Tesseract's version, CACHE_FORMAT): the same file is OCR'd once."""
    settings = f"{kind}-dpi{dpi}-{OCR_LANGUAGE}-tesseract{tesseract_version(display)}-format{CACHE_FORMAT}"
    key = hashlib.sha256(data).hexdigest() + "-" + hashlib.sha256(settings.encode()).hexdigest()[:16]
    path = cache_dir() / f"{key}.json"
    lines = _read_cache(path)
    if lines is None:
        lines = read()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"settings": settings, "lines": [asdict(line) for line in lines]},
                                          ensure_ascii=False, indent=0) + "\n")
        except OSError:
            pass  # a cache that cannot be written costs time on the next run, not this result
    return OcrText(lines, low_confidence(lines))


def _read_cache(path: Path) -> list[OcrLine] | None:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        return [OcrLine(**line) for line in entry["lines"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or unreadable: OCR again


def low_confidence(lines: list[OcrLine]) -> list[tuple[int, str]]:
    return [(number, f"OCR is unsure of this line (confidence {line.confidence:g} < {LOW_CONFIDENCE}): "
                     f"{line.text[:40]}".replace("\t", " "))
            for number, line in enumerate(lines, 1) if line.confidence < LOW_CONFIDENCE]
