"""Bytes → text: the encoding of an agreement file, and the input limits that bound what a hostile
or broken file can cost before the reader sees it (text.parse)."""

from __future__ import annotations

import os

from ..errors import InputError, UsageError, describe_bytes
from .layout import raw_lines

# The formats kyoyaku reads, named when a file is none of them (text.formats: binary data, or a file
# recognised by its magic bytes as one not read).
FORMATS_READ = ("a text file (UTF-8 or Shift_JIS), an HTML page, a PDF (with a text layer, or a scan read by OCR), "
                "a PNG, JPEG or TIFF image (read by OCR) or a Word document (.docx)")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes with no NUL byte (text.formats refuses binary data first) → (text, encoding). UTF-8 (with
    or without BOM) first, then Shift_JIS (CP932). Neither: an InputError on the line of the first
    byte that does not decode — as UTF-8 when the text before it holds UTF-8 characters (a UTF-8
    file with a bad byte), else as Shift_JIS."""
    errors = []
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            errors.append(e)
            continue
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            name = "utf-8-sig"
        return text, name
    as_utf8, as_shift_jis = errors
    bad = as_utf8 if not data[:as_utf8.start].removeprefix(b"\xef\xbb\xbf").isascii() else as_shift_jis
    encoding = "UTF-8" if bad is as_utf8 else "Shift_JIS"
    raise InputError.at_byte(path, data, bad.start, "a text file in UTF-8 or Shift_JIS",
                             f"{describe_bytes(bad.object[bad.start:bad.end])} (not {encoding})")


# Input limits: far above any agreement (the seed is 8.5 kB, its longest line 163 characters); they
# bound the time and memory a hostile or broken file can cost.
MAX_BYTES = 5_000_000
# A PDF, an image or a Word document carries pictures and fonts: a ten-page scan at 300 dpi passes 5 MB.
# Its own default, so that the text's limit stays where it bounds the parser (KYOYAKU_MAX_BYTES and
# --max-bytes set both).
MAX_DOCUMENT_BYTES = 100_000_000  # which bytes are a document: text.formats.default_max_bytes
MAX_BYTES_VARIABLE = "KYOYAKU_MAX_BYTES"
MAX_LINE_CHARS = 100_000
MAX_LINE_CHARS_VARIABLE = "KYOYAKU_MAX_LINE_CHARS"


def input_limit(value: int | None, variable: str, default: int) -> int:
    """A limit given by the caller (a command-line option), else by the environment variable, else the default."""
    source = "the limit"
    if value is None:
        setting = os.environ.get(variable, "").strip()
        if not setting:
            return default
        try:
            value = int(setting)
        except ValueError:
            raise UsageError(f"{variable}={setting!r}: expected a whole number") from None
        source = variable
    if value < 1:
        raise UsageError(f"{source} {value}: expected a whole number of at least 1")
    return value


def check_size(data: bytes, display: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise InputError(display, None, f"a file of at most {max_bytes:,} bytes (raise the limit with --max-bytes "
                         f"or {MAX_BYTES_VARIABLE})", f"more than {max_bytes:,} bytes")


def check_line_lengths(text: str, display: str, max_line_chars: int) -> None:
    if len(text) <= max_line_chars:
        return
    lines = raw_lines(text)  # numbered as the reader numbers them
    if max(map(len, lines)) > max_line_chars:
        number, line = next((n, l) for n, l in enumerate(lines, start=1) if len(l) > max_line_chars)
        raise InputError(display, number, f"lines of at most {max_line_chars:,} characters (raise the limit with "
                         f"{MAX_LINE_CHARS_VARIABLE})", f"a line of {len(line):,} characters")
