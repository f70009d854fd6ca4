"""The resolution a scanned PDF's pages are rendered at for OCR (text.ocr.PDF_DPI), measured: the seed
printed as a plain document by headless Chromium, scanned (rasterised) at 300 dpi into an image-only
PDF, then read by the OCR reader with its pages rendered at each resolution — character error rate of
the article text and share of the 別表 categories read exactly, against the time taken.

    python benchmarks/ocr_resolution.py [DPI ...]      (default: 200 300 400)

With `--table-em PX ...`, the height in pixels a 別表 column's characters are scaled to before OCR
(text.ocr.TABLE_EM; 0: not scaled) instead, measured as the 別表 categories read exactly in the seed
and four fixtures with tables, scanned the same way.

Needs chromium and tesseract-ocr-jpn (bash tests/system-deps.sh). Results: docs/readers.md."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein

from kyoyaku.text import ocr
from kyoyaku.text.parse import parse_bytes
from tests.text.pages import image_only_pdf, page_images, print_to_pdf, signed_copy_page

SEED = ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt"
FIXTURES = ROOT / "tests" / "fixtures"
WITH_TABLES = [SEED] + [FIXTURES / "family" / f"{name}.txt" for name in (
    "parties-three", "header-kokuji-on-date-line", "articles-sub-number-items")] + [FIXTURES / "forms" / "bill-teiju.txt"]


def article_text(agreement) -> str:
    return "\n".join(p["text"] for a in agreement.to_dict()["articles"] for p in a["paragraphs"])


def main(resolutions: list[int]) -> None:
    expected = parse_bytes(SEED.read_bytes(), name=SEED.name)
    categories = [i.category for i in expected.initiatives]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["KYOYAKU_CACHE_DIR"] = folder  # every run OCRs: nothing from a cache
        pdf = print_to_pdf(signed_copy_page(SEED.read_text(encoding="utf-8")), Path(folder) / "seed.pdf")
        scan = image_only_pdf(page_images(pdf))
        print("| render dpi | pages | seconds | s/page | article CER | 別表 categories read | parties, articles, headings |")
        print("|---:|---:|---:|---:|---:|---:|---|")
        for dpi in resolutions:
            ocr.PDF_DPI = dpi
            started = time.perf_counter()
            read = parse_bytes(scan, name=f"seed-{dpi}.pdf")
            seconds = time.perf_counter() - started
            pages = len(page_images(pdf, 10))
            cer = Levenshtein.distance(article_text(read), article_text(expected)) / len(article_text(expected))
            found = {i.category for i in read.initiatives}
            same = all(getattr(read, k) == getattr(expected, k) for k in ("title", "date")) and \
                [(p.name, p.code) for p in read.parties] == [(p.name, p.code) for p in expected.parties] and \
                [(a.number, a.heading) for a in read.articles] == [(a.number, a.heading) for a in expected.articles]
            print(f"| {dpi} | {pages} | {seconds:.1f} | {seconds / pages:.2f} | {cer:.3f} | "
                  f"{sum(c in found for c in categories)}/{len(categories)} | {'same' if same else 'differ'} |",
                  flush=True)


def table_scales(heights: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        scans = {}
        for path in WITH_TABLES:
            pdf = print_to_pdf(signed_copy_page(path.read_text(encoding="utf-8")), Path(folder) / f"{path.stem}.pdf")
            scans[path] = image_only_pdf(page_images(pdf))
        print("| table characters scaled to (px) | 別表 categories read | of which the seed's |")
        print("|---:|---:|---:|")
        for height in heights:
            ocr.TABLE_EM = height or 10**6  # 0: never scaled down
            os.environ["KYOYAKU_CACHE_DIR"] = tempfile.mkdtemp(dir=folder)  # every run OCRs
            read = total = seed = 0
            for path, scan in scans.items():
                want = [i.category for i in parse_bytes(path.read_bytes(), name=path.name).initiatives]
                found = {i.category for i in parse_bytes(scan, name=f"{path.stem}.pdf").initiatives}
                hits = sum(c in found for c in want)
                read, total = read + hits, total + len(want)
                seed = f"{hits}/{len(want)}" if path == SEED else seed
            print(f"| {height or 'not scaled'} | {read}/{total} | {seed} |", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--table-em"]:
        table_scales([int(a) for a in sys.argv[2:]] or [0, 22, 26, 28, 30, 34])
    else:
        main([int(a) for a in sys.argv[1:]] or [200, 300, 400])
