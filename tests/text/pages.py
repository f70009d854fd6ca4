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
    """A 例規集 system's page: a menu and a search box before the 条文, a footer after."""
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "<title>例規集</title><style>p { margin: 0 }</style><script>var x = '<p>第1条</p>';</script></head>",
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


def document_page(text: str) -> str:
    """The agreement as a plain printed document (the signed copy a scan is made from): the text's
    lines as paragraphs in a Mincho face, the 別表 as ruled tables, A4 margins, no site furniture."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="ja"><head><meta charset="utf-8"><title>連携協約書</title><style>',
        "@page { size: A4; margin: 20mm }",
        "body { font-family: 'IPAMincho', 'IPAexMincho', 'Noto Serif CJK JP', serif; font-size: 11pt }",
        "p { margin: 0; line-height: 1.6 } table { border-collapse: collapse; width: 100% }",
        "td { border: 1px solid black; vertical-align: top; padding: 2pt 4pt }",
        "</style></head><body>", *body_lines(text, "<p>&nbsp;</p>"), "</body></html>", ""])


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
