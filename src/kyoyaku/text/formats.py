"""Which reader reads a source: chosen by its content (magic bytes, markup), never by its suffix.
A plain text goes to text.decode, an HTML page to text.html, a PDF with a text layer to text.pdf, a
scanned PDF (no text layer) and a PNG, JPEG or TIFF image to OCR (text.ocr), a Word document to
text.word; anything else is refused by name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from . import ocr
from .decode import FORMATS_READ, MAX_BYTES, MAX_DOCUMENT_BYTES, decode
from .html import read_html
from .model import Diagnostic
from .pdf import read_pdf
from .word import ZIP_MAGIC, is_word, read_word

PDF_MAGIC = b"%PDF-"
# The encoding of a PDF's text (JSON `source.encoding`, kyo:encoding): its characters are read from the
# text layer (the fonts' Unicode maps), not decoded from bytes in one character encoding.
PDF_TEXT_LAYER = "pdf text layer"
IMAGES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"II*\x00": "image/tiff",
          b"MM\x00*": "image/tiff"}
OCR_ENCODING = "ocr"  # SourceFile.encoding of a text read by OCR: no character encoding, recognised characters
# What a file is, by its magic bytes: named when no reader takes it here, or when a build skips it
# for its suffix (text.sources.skip_reason), so that a user knows what the file was taken for.
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (ZIP_MAGIC, "a ZIP archive other than a Word document (an Excel file?)"),
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
    # An HTML page or a Word document: each line's element path (text.html, text.word); a PDF:
    # `page=N&viewrect=L,T,W,H` (text.pdf, text.ocr); an image: `xywh=L,T,W,H`; a text: None
    origins: list[str] | None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what the reader doubts (OCR: low-confidence lines)


def read_source(data: bytes, display: str) -> SourceText:
    """The text of the source `data`, read by the reader its content calls for; InputError when no
    reader accepts it."""
    if data.startswith(PDF_MAGIC):
        pdf = read_pdf(data, display)
        if not pdf.text_layer:  # a scan: its pages are images
            return _scanned(ocr.read_scanned_pdf(data, display), "application/pdf", display)
        return SourceText(pdf.text, PDF_TEXT_LAYER, "application/pdf", pdf.origins)
    for magic, media_type in IMAGES.items():
        if data.startswith(magic):
            return _scanned(ocr.read_image(data, display), media_type, display)
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


def _scanned(read, media_type: str, display: str) -> SourceText:
    if not read.text.strip():  # a blank page, a photograph: not "an empty file"
        raise InputError(display, None, "the text of a 連携協約", "a scan in which OCR found no text")
    diagnostics = [Diagnostic("warning", line, message) for line, message in read.diagnostics]
    return SourceText(read.text, OCR_ENCODING, media_type, read.origins, diagnostics)


def default_max_bytes(data: bytes) -> int:
    """The size limit of `data` when none is set: a document's (a PDF, an image, a Word document: its
    pictures and fonts make a ten-page scan pass 5 MB) or a text's."""
    return MAX_DOCUMENT_BYTES if data.startswith((PDF_MAGIC, *IMAGES, ZIP_MAGIC)) else MAX_BYTES


def is_html(data: bytes) -> bool:
    """An HTML page: after an optional BOM and whitespace, `<` opening a doctype, an HTML element, or
    a comment or XML declaration followed by one early in the page."""
    start = data[:4096].lstrip(LEADING)
    if not start.startswith(b"<"):
        return False
    return bool(HTML_START.match(start) or start.startswith((b"<!--", b"<?xml")) and HTML_START.search(start))
