"""Which reader reads a source: chosen by its content (magic bytes, markup), never by its suffix.
A plain text goes to text.decode, an HTML page to text.html, a Word document to text.word; anything
else is refused by name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from .decode import decode
from .html import read_html
from .word import is_word, read_word

FORMATS_READ = "a text file (UTF-8 or Shift_JIS), an HTML page or a Word document (.docx)"
# Formats recognised and refused: PDF is named so that a user knows it is known, though not read yet.
MAGIC = (
    (b"%PDF-", "a PDF file (not read yet)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive other than a Word document (an Excel file?)"),
    (b"\xd0\xcf\x11\xe0", "an Office file"),
)
WORD_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6])[\s>/]", re.IGNORECASE)
LEADING = b"\xef\xbb\xbf \t\r\n\f"


@dataclass
class SourceText:
    text: str
    encoding: str
    media_type: str
    origins: list[str] | None  # an HTML page or a Word document: each line's element path; a text: None


def read_source(data: bytes, display: str) -> SourceText:
    """The text of the source `data`, read by the reader its content calls for; InputError when no
    reader accepts it."""
    if is_word(data):
        document = read_word(data, display)
        return SourceText(document.text, "utf-8", WORD_MEDIA_TYPE, document.origins)  # its XML parts
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise InputError(display, None, FORMATS_READ, kind)
    if (nul := data.find(b"\x00")) >= 0:
        raise InputError.at_byte(display, data, nul, FORMATS_READ, "binary data (a NUL byte)")
    if is_html(data):
        page = read_html(data, display)
        return SourceText(page.text, page.encoding, "text/html", page.origins)
    text, encoding = decode(data, display)
    return SourceText(text, encoding, "text/plain", None)


def is_html(data: bytes) -> bool:
    """An HTML page: after an optional BOM and whitespace, `<` opening a doctype, an HTML element, or
    a comment or XML declaration followed by one early in the page."""
    start = data[:4096].lstrip(LEADING)
    if not start.startswith(b"<"):
        return False
    return bool(HTML_START.match(start) or start.startswith((b"<!--", b"<?xml")) and HTML_START.search(start))
