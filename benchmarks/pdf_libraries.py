"""Measure the PDF libraries on PDFs printed by headless Chromium (docs/readers.md, "PDF with a text
layer"): the seed and the family and forms fixtures of tests/text/test_html_reader.py, each printed
from a 例規集 page and from a word processor's page (running head, page numbers, the 別表 ruled).

    .venv/bin/python benchmarks/pdf_libraries.py            # ~30 s: 18 PDFs printed, then read 5 times each

For pdfplumber and pypdfium2, each library's own text extraction (pdfplumber `extract_text`,
pypdfium2 `get_text_range`) is measured: ms per page (best of 5), the characters in reading order
(difflib's ratio of the text's characters, spaces and tabs aside, to the extraction's), the text's
lines found as lines of the extraction, and whether the library reads a table's cells. Then kyoyaku's
reader (text.pdf, on pdfplumber): ms per page, lines equal to the text's, and whether the parse JSON
is the text's. Needs Chromium (tests/system-deps.sh)."""

from __future__ import annotations

import difflib
import importlib.metadata
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kyoyaku.text.parse import parse_bytes
from kyoyaku.text.pdf import read_pdf
from tests.text.pages import (
    document_page,
    print_to_pdf,
    reiki_page,
    text_of,
    without_source,
)
from tests.text.test_html_reader import TEXTS

REPEAT = 5


def best_ms(read, data: bytes) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        read(data)
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def plumber_text(data: bytes) -> tuple[str, int]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages), len(pdf.pages)


def pdfium_text(data: bytes) -> tuple[str, int]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf), len(pdf)
    finally:
        pdf.close()


def squeezed(text: str) -> str:
    return "".join(text.split())


def main() -> None:
    rows: dict[str, list[float]] = {"pdfplumber": [0, 0, 0, 0, 0], "pypdfium2": [0, 0, 0, 0, 0],
                                    "kyoyaku": [0, 0, 0, 0, 0]}  # ms, pages, order ratio sum, lines ok, lines
    same_json = documents = 0
    with tempfile.TemporaryDirectory() as folder:
        for path in TEXTS:
            text = text_of(path).replace("\r\n", "\n")
            lines = [line for line in text.split("\n") if line.strip()]
            for name, page in (("reiki", reiki_page(text)), ("document", document_page(text, head="連携協約"))):
                data = print_to_pdf(page, Path(folder) / f"{path.stem}-{name}.pdf").read_bytes()
                documents += 1
                for library, read in (("pdfplumber", plumber_text), ("pypdfium2", pdfium_text)):
                    got, pages = read(data)
                    got = got.replace("\r\n", "\n")
                    row = rows[library]
                    row[0] += best_ms(read, data)
                    row[1] += pages
                    row[2] += difflib.SequenceMatcher(None, squeezed(text), squeezed(got), autojunk=False).ratio()
                    found = {g.strip() for g in got.split("\n")}
                    row[3] += sum(1 for line in lines if line.replace("\t", " ").strip() in found)
                    row[4] += len(lines)
                read_lines = read_pdf(data, "x.pdf").lines
                row = rows["kyoyaku"]
                row[0] += best_ms(lambda d: read_pdf(d, "x.pdf"), data)
                row[1] += pages
                row[2] += difflib.SequenceMatcher(None, squeezed(text), squeezed("".join(read_lines)),
                                                  autojunk=False).ratio()
                row[3] += sum(1 for a, b in zip(text.split("\n"), read_lines, strict=False) if a == b and a.strip())
                row[4] += len(lines)
                same_json += without_source(parse_bytes(data, name="x.pdf")) == without_source(
                    parse_bytes(text.encode("utf-8"), name="x.txt"))
    print("| library | version | ms/page | characters in order | text's lines found | tables read |")
    print("|---|---|---:|---:|---:|---|")
    for library, (ms, pages, ratio, ok, total) in rows.items():
        version = importlib.metadata.version("pdfplumber" if library == "kyoyaku" else library)
        tables = {"pdfplumber": "yes (ruled cells)", "pypdfium2": "no (paths only)", "kyoyaku": "yes (rows, cells by tabs)"}
        shown = "kyoyaku text.pdf on pdfplumber" if library == "kyoyaku" else library
        print(f"| {shown} | {version} | {ms / pages:.1f} | {100 * ratio / documents:.1f} % | "
              f"{100 * ok / total:.1f} % | {tables[library]} |")
    print(f"\nparse JSON equal to the text's (apart from source): {same_json} of {documents} PDFs")


if __name__ == "__main__":
    main()
