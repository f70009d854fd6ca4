"""Documents generated from the seed and the fixtures in the shapes real agreements are published in,
for the reader tests (issue 18: made by the tests, never downloaded): 例規集 and CMS pages, PDFs
printed from those pages by headless Chromium (a text layer, as a word processor's PDF has), and
image-only PDFs rasterised from them (a scan: no text layer). Generated once per test session."""

from __future__ import annotations

import html
import io
import shutil
import subprocess
from pathlib import Path

import pytest


def escaped(line: str) -> str:
    """A text line as a page writes it: markup escaped, a run of spaces kept with no-break spaces."""
    return html.escape(line, quote=False).replace("  ", " &nbsp;")


def body_lines(text: str, blank: str, indent: str = "      ") -> list[str]:
    """The text's lines as markup: a line with tabs a table row (runs of them one 別表 table), an
    empty line `blank`, any other line a paragraph."""
    out, in_table = [], False
    for line in text.split("\n"):
        if "\t" in line:
            if not in_table:
                out.append(f'{indent}<table border="1" class="betsuhyo">\n{indent}<tbody>')
                in_table = True
            cells = "".join(f"<td>\n{indent}  {escaped(c)}</td>" for c in line.split("\t"))
            out.append(f"{indent}<tr>{cells}</tr>")
            continue
        if in_table:
            out.append(f"{indent}</tbody>\n{indent}</table>")
            in_table = False
        out.append(indent + (blank if not line.strip() else f"<p>\n{indent}  {escaped(line)}\n{indent}</p>"))
    if in_table:
        out.append(f"{indent}</tbody></table>")
    return out


def reiki_page(text: str, charset: str = "UTF-8") -> str:
    """A 例規集 system's page: a menu and a search box before the 条文, a footer after (hidden when the
    page is printed, as these systems' print style sheets do)."""
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "<title>例規集</title><style>p { margin: 0 } @media print { .menu, #header, #footer { display: none } }</style><script>var x = '<p>第1条</p>';</script></head>",
        '<body><div class="menu"><ul><li><a href="#">目次</a></li><li>第1条へ</li></ul></div>',
        '<div id="header">例規集データベース 検索</div>', '<div id="primary">',
        *body_lines(text, "<p>&nbsp;</p>"),
        "</div>", '<div id="footer">Copyright 例規集システム 第1条</div>', "</body></html>", ""])


def cms_page(text: str, charset: str = "utf-8") -> str:
    """A municipality's CMS page: header and navigation, breadcrumb, main, a sidebar, a footer."""
    return "\n".join([
        f'<!doctype html>\n<html><head><meta charset="{charset}"><title>連携協約 | 水戸市</title></head>',
        "<body>", '<header><a href="/">水戸市</a><nav><ul><li>くらし</li><li>市政情報</li></ul></nav></header>',
        '<div class="breadcrumb"><a href="/">トップ</a> &gt; 市政情報 &gt; 連携協約</div>',
        '<main id="main">', "  <div class=\"contents\">",
        *body_lines(text, "<br>", "    "),
        "  </div>", "</main>", "<aside><h2>関連リンク</h2><ul><li>第1条 定住自立圏</li></ul></aside>",
        "<footer><p>水戸市役所 〒310-8610</p><p>(C) Mito City</p></footer>", "</body></html>", ""])


PAGE_NUMBERS = {"dashes": '"- " counter(page) " -"', "of": 'counter(page) "/" counter(pages)', "bare": "counter(page)"}


def document_page(text: str, head: str | None = None, numbers: str | None = "dashes", columns: int = 1,
) -> str:
    """The agreement as a word processor prints it (and as the signed copy a scan is made from): A4
    with even 25 mm margins, Mincho 10.5 pt, an empty line
    an empty paragraph (no character in the PDF), the 別表 a ruled table; `head` a running head at the
    top of every page, `numbers` the page numbers' style at the bottom (PAGE_NUMBERS: 「- 1 -」, 「1/4」,
    「1」), `columns` 2 for the agreement set in two columns up to its 別表 (full width)."""
    margin_boxes = (f'@top-right {{ content: "{head}"; font-size: 9pt }}' if head else "") + (
        f"@bottom-center {{ content: {PAGE_NUMBERS[numbers]}; font-size: 9pt }}" if numbers else "")
    style = (f"@page {{ size: A4; margin: 25mm; {margin_boxes} }}"
             " body { margin: 0; font-family: serif; font-size: 10.5pt; line-height: 1.6 }"
             f" .columns {{ column-count: {columns}; column-gap: 12mm }}"
             " p { margin: 0 } table { border-collapse: collapse; width: 100% }"
             " td { border: 0.75pt solid black; padding: 1pt 3pt; vertical-align: top }")
    lines = text.split("\n")
    appendix = next((i for i, line in enumerate(lines) if line.startswith("別表")), len(lines))
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="ja"><head><meta charset="utf-8">', f"<style>{style}</style></head>", "<body>",
        '<div class="columns">', *body_lines("\n".join(lines[:appendix]), "<p><br></p>", ""), "</div>",
        *(body_lines("\n".join(lines[appendix:]), "<p><br></p>", "") if appendix < len(lines) else []),
        "</body></html>", ""])


def text_of(path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")


def without_source(agreement) -> dict:
    d = agreement.to_dict()
    return {k: v for k, v in d.items() if k != "source"}


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("headless Chromium is needed: install the Debian package `chromium` (bash tests/system-deps.sh)")
    return path


def print_to_pdf(markup: str, pdf: Path) -> Path:
    """`markup` printed to `pdf` by headless Chromium, A4, without the browser's header and footer."""
    page = pdf.with_suffix(".print.html")
    page.write_text(markup, encoding="utf-8")
    profile = pdf.parent / f".profile-{pdf.stem}"
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    page.unlink()
    assert result.returncode == 0 and pdf.is_file(), result.stderr[-2000:]
    return pdf


SCAN_DPI = 300  # a scanner's usual resolution for a document


def page_images(pdf: Path, dpi: int = SCAN_DPI) -> list:
    """The pages of `pdf` as grayscale images at `dpi`: what a scanner makes of the printed copy."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    finally:
        document.close()


def image_only_pdf(images: list, dpi: int = SCAN_DPI) -> bytes:
    """A PDF of page images and nothing else (no text layer): a scan."""
    images = [image.copy() for image in images]  # Pillow keeps a save's options on the images it saved
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def image_file(images: list, kind: str, dpi: int = SCAN_DPI) -> bytes:
    """`images` as one PNG (one image) or a multi-page TIFF (kind "TIFF")."""
    images = [image.copy() for image in images]  # Pillow keeps a save's options on the images it saved
    out = io.BytesIO()
    if kind == "TIFF":
        images[0].save(out, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=images[1:], compression="tiff_lzw")
    else:
        images[0].save(out, kind, dpi=(dpi, dpi))
    return out.getvalue()


class PrintedPdfs:
    """PDFs printed once per test session and kept in one folder: `get(key, markup)` prints `markup`
    the first time a key is asked for and returns the same file after (the `printed_pdfs` fixture)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, key: str, markup: str) -> Path:
        pdf = self.folder / f"{key}.pdf"
        return pdf if pdf.is_file() else print_to_pdf(markup, pdf)


def word_document(text: str) -> bytes:
    """The text as a Word document (.docx) saved by python-docx: each line a paragraph, each run of
    lines with tabs and the same number of cells one table (a 別表)."""
    import io

    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush_table() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, cells in zip(table.rows, rows):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
            rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            if rows and len(rows[0]) != line.count("\t") + 1:
                flush_table()
            rows.append(line.split("\t"))
            continue
        flush_table()
        document.add_paragraph(line)
    flush_table()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def minimal_pdf(trailer_extra: str = "") -> bytes:
    """A one-page PDF with no text, written by hand (its cross-reference table computed), with
    `trailer_extra` added to its trailer (an /Encrypt dictionary makes it a PDF that needs a password)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


# A standard security handler (RC4, 40 bits) whose user password is not empty: the PDF cannot be opened.
ENCRYPTED = ("/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + "11" * 32 + "> /U <" + "22" * 32 + "> /P -4 >> "
             "/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ")


def signed_copy_page(text: str) -> str:
    """The signed copy a scan is made from: the text's lines as paragraphs in IPA Mincho 11 pt, the
    別表 as ruled tables with room inside their cells, A4 with 20 mm margins, no page numbers. The OCR
    tests and benchmarks scan it, and the measurements of docs/readers.md were made on it (document_page,
    the word processor's print, is set tighter: the same text scanned from it reads less well)."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="ja"><head><meta charset="utf-8"><title>連携協約書</title><style>',
        "@page { size: A4; margin: 20mm }",
        "body { font-family: 'IPAMincho', 'IPAexMincho', 'Noto Serif CJK JP', serif; font-size: 11pt }",
        "p { margin: 0; line-height: 1.6 } table { border-collapse: collapse; width: 100% }",
        "td { border: 1px solid black; vertical-align: top; padding: 2pt 4pt }",
        "</style></head><body>", *body_lines(text, "<p>&nbsp;</p>"), "</body></html>", ""])
