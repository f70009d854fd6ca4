"""Which reader reads a source: chosen by its content (magic bytes, markup), never by its suffix.
A plain text goes to text.decode, an HTML page to text.html, a scanned PDF (no text layer) and a PNG,
JPEG or TIFF image to OCR (text.ocr); anything else is refused by name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from . import ocr
from .decode import FORMATS_READ, decode
from .html import read_html
from .model import Diagnostic

IMAGES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"II*\x00": "image/tiff",
          b"MM\x00*": "image/tiff"}
OCR_ENCODING = "ocr"  # SourceFile.encoding of a text read by OCR: no character encoding, recognised characters
# Formats recognised and refused: a PDF with a text layer is named so that a user knows it is known,
# though not read yet (a PDF without one is a scan: read by OCR).
MAGIC = (
    (b"%PDF-", "a PDF file (not read yet)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (a Word or Excel file?)"),
    (b"\xd0\xcf\x11\xe0", "an Office file"),
)
HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6])[\s>/]", re.IGNORECASE)
LEADING = b"\xef\xbb\xbf \t\r\n\f"


@dataclass
class SourceText:
    text: str
    encoding: str
    media_type: str
    origins: list[str] | None  # an HTML page: each line's element path (text.html); a scan: page and box; a text: None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what the reader doubts (OCR: low-confidence lines)


def read_source(data: bytes, display: str) -> SourceText:
    """The text of the source `data`, read by the reader its content calls for; InputError when no
    reader accepts it."""
    if data.startswith(b"%PDF-") and ocr.is_scan(data):
        return _scanned(ocr.read_scanned_pdf(data, display), "application/pdf")
    for magic, media_type in IMAGES.items():
        if data.startswith(magic):
            return _scanned(ocr.read_image(data, display), media_type)
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise InputError(display, None, FORMATS_READ, kind)
    if is_html(data):
        page = read_html(data, display)
        return SourceText(page.text, page.encoding, "text/html", page.origins)
    text, encoding = decode(data, display)
    return SourceText(text, encoding, "text/plain", None)


def _scanned(read, media_type: str) -> SourceText:
    diagnostics = [Diagnostic("warning", line, message) for line, message in read.diagnostics]
    return SourceText(read.text, OCR_ENCODING, media_type, read.origins, diagnostics)


def is_html(data: bytes) -> bool:
    """An HTML page: after an optional BOM and whitespace, `<` opening a doctype, an HTML element, or
    a comment or XML declaration followed by one early in the page."""
    start = data[:4096].lstrip(LEADING)
    if not start.startswith(b"<"):
        return False
    return bool(HTML_START.match(start) or start.startswith((b"<!--", b"<?xml")) and HTML_START.search(start))
