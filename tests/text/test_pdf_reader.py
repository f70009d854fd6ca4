"""PDFs with a text layer are read as the same agreement as their text: the seed and the fixtures
printed by headless Chromium from a 例規集 page and from a word processor's page (running head, page
numbers, the 別表 a ruled table, paragraphs wrapped by the page width) parse to the text's JSON apart
from `source`; each line keeps its page and rectangle; a two-column page is read column by column;
an encrypted, damaged or text-less PDF is refused by name."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyoyaku.errors import InputError
from kyoyaku.text.formats import read_source
from kyoyaku.text.parse import parse_bytes
from kyoyaku.text.pdf import Piece, drop_page_furniture, read_pdf

from ..conftest import FIXTURES, SEED, cli
from .pages import (
    ENCRYPTED,
    PAGE_NUMBERS,
    document_page,
    minimal_pdf,
    reiki_page,
    text_of,
    without_source,
)
from .test_html_reader import TEXTS

HEAD = "水戸市・小美玉市 連携協約"  # the running head of the word processor's pages
A4 = (595.9, 842.9)  # Chromium's A4 in points (595.92 × 841.92), rounded up
VIEWRECT = re.compile(r"^page=(\d+)&viewrect=(\d+\.\d),(\d+\.\d),(\d+\.\d),(\d+\.\d)$")


def printed(printed_pdfs, path, page: str, **options):
    """The text at `path` printed from the page `page` ("reiki" or "document")."""
    text = text_of(path).replace("\r\n", "\n")
    markup = reiki_page(text) if page == "reiki" else document_page(text, **options)
    key = "-".join([path.stem, page, *(f"{k}-{v}" for k, v in sorted(options.items()))])
    return text, printed_pdfs.get(key, markup)


@pytest.mark.parametrize("page", ["reiki", "document"])
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_printed_page_parses_as_its_text(printed_pdfs, path, page):
    options = {"head": HEAD} if page == "document" else {}
    text, pdf = printed(printed_pdfs, path, page, **options)
    expected = parse_bytes(text.encode("utf-8"), name=path.name)
    read = parse_bytes(pdf.read_bytes(), name=path.stem + ".pdf")
    assert without_source(read) == without_source(expected)
    assert read.source.media_type == "application/pdf"
    assert read.source.encoding == "pdf text layer"
    assert expected.title  # the comparison is of an agreement read, not of two empty results


@pytest.mark.parametrize("page", ["reiki", "document"])
def test_the_seed_s_lines_are_the_text_s_lines(printed_pdfs, page):
    """Line for line: paragraphs wrapped by the page width joined, empty lines kept (a line of spaces
    in the 例規集 page; an empty paragraph, no character at all, in the word processor's), the running
    head and the page numbers dropped."""
    options = {"head": HEAD} if page == "document" else {}
    text, pdf = printed(printed_pdfs, SEED, page, **options)
    read = read_source(pdf.read_bytes(), "seed.pdf")
    lines = read.text.split("\n")
    assert lines == text.removesuffix("\n").split("\n")  # a line end ending the file: no line of the PDF
    assert len(read.origins) == len(lines)


def test_each_line_keeps_its_page_and_rectangle(printed_pdfs):
    _, pdf = printed(printed_pdfs, SEED, "document", head=HEAD)
    read = read_source(pdf.read_bytes(), "seed.pdf")
    lines = read.text.split("\n")
    title = lines.index("いばらき県央地域連携中枢都市圏の形成に関する連携協約書")
    page, left, top, width, height = VIEWRECT.match(read.origins[title]).groups()
    assert page == "1"
    assert 0 < float(left) and float(left) + float(width) < A4[0] and 0 < float(top) and float(top) + float(height) < A4[1]
    assert float(height) < 20  # one line of 10.5 pt text
    # Every line with text has a rectangle; its page grows with the lines; an empty line names its page.
    pages = []
    for line, where in zip(lines, read.origins, strict=True):
        found = VIEWRECT.match(where)
        assert (found is not None) == bool(line), (line, where)
        pages.append(int(found.group(1)) if found else int(where.removeprefix("page=")))
    assert pages == sorted(pages) and pages[-1] == 4
    # The first article, a paragraph wrapped over four lines of the page (16.8 pt apart): one line, four high.
    article = next(i for i, line in enumerate(lines) if line.startswith("第1条"))
    assert 55 < float(VIEWRECT.match(read.origins[article]).group(5)) < 65
    # A 別表 row: the row's rectangle, across the table's width.
    row = next(i for i, line in enumerate(lines) if line.startswith("企業や産業の育成・支援\t"))
    assert float(VIEWRECT.match(read.origins[row]).group(4)) > 400


def test_the_appendix_is_read_from_the_table_ruling(printed_pdfs):
    text, pdf = printed(printed_pdfs, SEED, "document", head=HEAD)
    read = parse_bytes(pdf.read_bytes(), name="seed.pdf")
    expected = parse_bytes(text.encode("utf-8"), name=SEED.name)
    rows = [row for appendix in read.appendices for row in appendix.initiatives]
    assert len(rows) == 16
    assert [r.category for r in rows] == [r.category for a in expected.appendices for r in a.initiatives]
    assert rows[0].category == "企業や産業の育成・支援"  # a cell's text wrapped over three lines, joined
    table_lines = [line for line in read_source(pdf.read_bytes(), "seed.pdf").text.split("\n") if "\t" in line]
    assert table_lines == [line for line in text.split("\n") if "\t" in line]  # 5 headers and 16 rows, cell by cell


@pytest.mark.parametrize("numbers", sorted(PAGE_NUMBERS))
def test_running_head_and_page_numbers_are_dropped(printed_pdfs, numbers):
    text, pdf = printed(printed_pdfs, SEED, "document", head=HEAD, numbers=numbers)
    import pdfplumber

    with pdfplumber.open(pdf) as document:  # the head and the numbers are in the PDF's text …
        page_texts = [page.extract_text() for page in document.pages]
    assert len(page_texts) == 4 and all(HEAD in t for t in page_texts)
    number = {"dashes": "- 2 -", "of": "2/4", "bare": "2"}[numbers]
    assert page_texts[1].split("\n")[-1] == number
    lines = read_source(pdf.read_bytes(), "seed.pdf").text.split("\n")  # … and not in its lines
    assert lines == text.removesuffix("\n").split("\n")


COLUMNS_TEXT = "\n".join(line for line in text_of(SEED).split("\n")[:38] if line.strip())


def test_a_two_column_page_is_read_column_by_column(printed_pdfs):
    pdf = printed_pdfs.get("columns", document_page(COLUMNS_TEXT, numbers=None, columns=2))
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == 1
        top_line = document.pages[0].extract_text().split("\n")[2]
    assert "（" in top_line or "第" in top_line[5:]  # read across, a line holds the text of both columns
    read = read_source(pdf.read_bytes(), "columns.pdf")
    assert read.text.split("\n") == COLUMNS_TEXT.split("\n")
    columns = [float(VIEWRECT.match(o).group(2)) for o in read.origins]
    assert columns[0] < 100 and columns[-1] > 250  # the left column first, then the right


def test_a_pdf_without_text_goes_to_ocr_and_a_blank_one_is_refused(tmp_path, tesseract, ocr_cache):
    source = tmp_path / "scan.pdf"
    source.write_bytes(minimal_pdf())  # one blank page, no character: a scan of nothing
    assert read_pdf(source.read_bytes(), "scan.pdf").text_layer is False
    result = cli("parse", str(source))  # the session's OCR cache: $KYOYAKU_CACHE_DIR set by ocr_cache
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"kyoyaku: {source}: expected the text of a 連携協約, found 'a scan in which OCR found "
                             "no text'\n")


@pytest.mark.parametrize(("data", "found"), [
    (minimal_pdf(ENCRYPTED), "an encrypted PDF (it needs a password)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a damaged PDF (No /Root object! - Is this really a PDF?)"),
    (minimal_pdf()[:-60], "a damaged PDF (No /Root object! - Is this really a PDF?)"),
])
def test_an_encrypted_or_damaged_pdf_is_refused_in_one_line(tmp_path, data, found):
    source = tmp_path / "agreement.pdf"
    source.write_bytes(data)
    result = cli("parse", str(source))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"kyoyaku: {source}: expected a PDF file that is neither encrypted nor damaged, "
                             f"found '{found}'\n")


def test_build_publishes_a_text_a_pdf_and_a_page_side_by_side(tmp_path, printed_pdfs):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "mito.txt").write_bytes(SEED.read_bytes())
    _, pdf = printed(printed_pdfs, FIXTURES / "forms" / "bill-teiju.txt", "document", head=HEAD)
    (sources / "teiju.pdf").write_bytes(pdf.read_bytes())
    (sources / "three.html").write_text(reiki_page(text_of(FIXTURES / "family" / "parties-three.txt")), encoding="utf-8")
    (sources / "scan.gif").write_bytes(b"GIF89a\x01\x00")
    result = cli("build", "--sources", str(sources), "--out", str(tmp_path / "dist"), "--no-registry",
                 "--allow-incomplete", "--quiet", SOURCE_DATE_EPOCH="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 3 agreement(s) from full texts")
    assert result.stderr.splitlines() == [
        f"kyoyaku: skipped {sources / 'scan.gif'}: a GIF image",
        *(f"{sources / name}: warning: no row in sources.csv, so no official source page is published for it"
          for name in ("mito.txt", "teiju.pdf", "three.html")),
    ]
    published = (tmp_path / "dist" / "kyoyaku.ttl").read_text(encoding="utf-8")
    assert 'dcterms:format "application/pdf" ;' in published and 'kyo:fileName "teiju.pdf"' in published
    assert 'kyo:encoding "pdf text layer"' in published
    assert published.count('dcterms:format "text/') == 2


def line(page: int, top: float, text: str, x0: float = 70.0) -> Piece:
    return Piece(page, x0, top, x0 + 10.5 * len(text), top + 10.5, text, 10.5)


# Lines of an agreement that may begin or end several pages alike: articles, items, sentences, dates, rows.
BODY = st.lists(st.sampled_from(["第1条 この協約は、圏域を形成する。", "2 甲及び乙は、協議する。", "令和4年2月21日",
                                 "1 地域経済の活性化", "(1) 生活機能の強化", "ア 医療", "甲と連携して取り組む。",
                                 "区分\t連携する取組"]), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(BODY, min_size=2, max_size=6), st.sampled_from(["- {n} -", "{n}/{total}", "{n}", "－{n}－", "{n} / {total}"]),
       st.sampled_from([None, HEAD, "連携協約書", "いばらき県央地域 第{n}版"]), st.booleans())
def test_page_furniture_is_dropped_whatever_its_style(bodies, number_style, head, head_at_foot):
    """Pages of lines with a page number at the foot and a running head (at the top, or at the foot
    above the number): the numbers and the head are dropped, every line of the pages is kept."""
    pages = []
    for n, body in enumerate(bodies, start=1):
        pieces = [line(n, 100 + 20 * i, text) for i, text in enumerate(body)]
        if head:
            shown = head.format(n=n)
            pieces = [*pieces, line(n, 760, shown)] if head_at_foot else [line(n, 40, shown), *pieces]
        pieces.append(line(n, 800, number_style.format(n=n, total=len(bodies)), x0=290))
        pages.append(pieces)
    kept = drop_page_furniture(pages)
    assert [(p.page, p.text) for p in kept] == [(n, text) for n, body in enumerate(bodies, start=1) for text in body]


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(cut=st.floats(min_value=0.0, max_value=1.0), flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)),
                                                                   max_size=8))
def test_a_cut_or_corrupted_pdf_is_read_or_refused_with_kyoyaku_s_error(printed_pdfs, cut, flips):
    """A printed PDF cut short or with bytes overwritten: read (when what is left still reads), or
    refused with an InputError (exit 2) — never another exception."""
    _, pdf = printed(printed_pdfs, FIXTURES / "family" / "parties-three.txt", "reiki")
    data = bytearray(pdf.read_bytes())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    data = bytes(data[:max(5, int(cut * len(data)))])
    try:
        read = read_source(b"%PDF-" + data[5:], "cut.pdf")
    except InputError as e:
        assert str(e).startswith("cut.pdf: expected ")
        return
    assert read.media_type == "application/pdf" and len(read.origins) == len(read.text.split("\n"))
