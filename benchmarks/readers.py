"""Benchmark: each reader's time per page (issue 18), as a ratio to a floor measured in the same run.

    .venv/bin/python benchmarks/readers.py            # about a minute on 2 cores; Markdown on stdout

Documents: the seed and two family fixtures (SYNTHETIC), printed as a plain document by headless
Chromium (tests/text/pages.py), each read as: its text file, an HTML page of a 例規集 system, the
printed PDF (text layer: kyoyaku.text.pdf when this checkout has it), an image-only PDF (a scan at
300 dpi, rendered at text.ocr.PDF_DPI and OCR'd) and a multi-page TIFF of the same scan (OCR'd).
Pages are the printed PDF's. Floors: parsing the text file (every reader's lines go through the same
parser: the least a read costs), and rendering the scan's pages with pdfium at PDF_DPI (the least an
OCR read costs before Tesseract).
Wall-clock times (OCR runs pages in parallel on the available cores: CPU time would hide it), best
of --repeat runs for the fast readers, one run for OCR (the OCR cache is a fresh temporary folder:
nothing comes from a cache). Needs chromium and tesseract-ocr-jpn (bash tests/system-deps.sh)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2

from kyoyaku.text import ocr
from kyoyaku.text.formats import read_source
from kyoyaku.text.parse import parse_bytes
from tests.text.pages import (
    image_file,
    image_only_pdf,
    page_images,
    print_to_pdf,
    reiki_page,
    signed_copy_page,
    text_of,
    word_document,
)

DOCUMENTS = [ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt",
             ROOT / "tests" / "fixtures" / "family" / "parties-three.txt",
             ROOT / "tests" / "fixtures" / "family" / "teiju-term.txt"]


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def render_pages(data: bytes) -> None:
    document = pypdfium2.PdfDocument(data)
    for i in range(len(document)):
        document[i].render(scale=ocr.PDF_DPI / 72, grayscale=True).to_pil()
    document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each fast reader (the best counts)")
    args = parser.parse_args()
    totals: dict[str, float] = {}
    pages = 0
    with tempfile.TemporaryDirectory() as folder:
        for path in DOCUMENTS:
            text = text_of(path)
            printed = print_to_pdf(signed_copy_page(text), Path(folder) / f"{path.stem}.pdf")
            images = page_images(printed)
            pages += len(images)
            scan, tiff = image_only_pdf(images), image_file(images, "TIFF")
            html, word = reiki_page(text).encode("utf-8"), word_document(text)
            runs = {
                "floor: the text file (parse)": partial(parse_bytes, path.read_bytes(), name=path.name),
                "HTML page (read)": partial(read_source, html, "page.html"),
                "HTML page (parse)": partial(parse_bytes, html, name="page.html"),
                "Word document (parse)": partial(parse_bytes, word, name="document.docx"),
                "text PDF (parse)": partial(parse_bytes, printed.read_bytes(), name="printed.pdf"),
                "floor: render the scan's pages (pdfium)": partial(render_pages, scan),
            }
            for name, run in runs.items():
                totals[name] = totals.get(name, 0.0) + best(run, args.repeat)
            for name, data, file in (("scanned PDF (OCR, parse)", scan, "scan.pdf"),
                                     ("multi-page TIFF (OCR, parse)", tiff, "scan.tiff")):
                os.environ["KYOYAKU_CACHE_DIR"] = tempfile.mkdtemp(dir=folder)  # no cached OCR
                totals[name] = totals.get(name, 0.0) + best(partial(parse_bytes, data, name=file), 1)
    text_floor = totals["floor: the text file (parse)"]
    render_floor = totals["floor: render the scan's pages (pdfium)"]
    print(f"{len(DOCUMENTS)} documents, {pages} printed pages; OCR: render at {ocr.PDF_DPI} dpi, "
          f"{ocr.available_cores()} cores\n")
    print("| reader | ms per page | × text floor | × render floor |")
    print("|---|---:|---:|---:|")
    for name, seconds in totals.items():
        print(f"| {name} | {seconds / pages * 1000:,.2f} | {seconds / text_floor:,.1f} | {seconds / render_floor:,.3f} |")


if __name__ == "__main__":
    main()
