"""A Word document (.docx, as some municipalities publish their agreements) → the lines the parser
reads, each with its origin: the path of the body element it came from (`body/p[12]`,
`body/tbl[1]/tr[3]`), in the same form as an HTML page's element paths (text.html).

Read with python-docx. Paragraphs become lines (a line break inside one ends a line), a table row
becomes one line with its cells joined by tabs (the 別表's rows, as the text form writes them; a cell
merged across columns is counted once, a line break inside a cell is a space). Headers, footers,
comments and text boxes are not the agreement and are not read."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ..errors import InputError

ZIP_MAGIC = b"PK\x03\x04"  # a .docx is a ZIP archive
WORD_MAIN_PART = "word/document.xml"
A_WORD_DOCUMENT = "a Word document (.docx)"


@dataclass
class WordText:
    lines: list[str]
    origins: list[str]  # origins[i]: the body element path of lines[i]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def is_word(data: bytes) -> bool:
    """A ZIP archive holding a Word document's main part (a .docx, whatever its file name)."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return WORD_MAIN_PART in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_word(data: bytes, display: str) -> WordText:
    """The agreement's lines in the Word document `data`; InputError when python-docx cannot open it
    or it has no text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise InputError(display, None, A_WORD_DOCUMENT, "a damaged one (python-docx cannot open it)") from None
    out = WordText([], [])
    counts: dict[str, int] = {}
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        counts[tag] = counts.get(tag, 0) + 1
        path = f"body/{tag}[{counts[tag]}]"
        if tag == "p":
            for line in paragraph_text(element).split("\n"):
                out.lines.append(line)
                out.origins.append(path)
        elif tag == "tbl":
            for number, row in enumerate(element.iterchildren(qualified("tr")), start=1):
                out.lines.append("\t".join(row_cells(row)))
                out.origins.append(f"{path}/tr[{number}]")
    while out.lines and not out.lines[-1].strip():
        out.lines.pop(), out.origins.pop()
    if not any(line.strip() for line in out.lines):
        raise InputError(display, None, "the text of a 連携協約", "a Word document without text")
    return out


def qualified(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def paragraph_text(element) -> str:
    """A paragraph's text as python-docx gives it: runs joined, a line break as "\\n", a tab as "\\t"."""
    from docx.text.paragraph import Paragraph

    return Paragraph(element, None).text


def row_cells(row) -> list[str]:
    """The texts of a table row's cells; a cell's paragraphs and line breaks joined by a space."""
    cells = []
    for cell in row.iterchildren(qualified("tc")):
        paragraphs = [paragraph_text(p) for p in cell.iterchildren(qualified("p"))]
        cells.append(" ".join(" ".join(p.split("\n")) for p in paragraphs if p).strip())
    return cells
