"""Screenshots of the published site, one page of every kind at a phone's and a desktop's width (390 and
1280 px), as headless Chromium draws them — the index pages, the report and the search page among them,
and the English versions of five (en-front, en-agreement, en-area, en-report, en-search: the pages at
en/{path}) — docs/screenshots/KIND-WIDTH.png, the first 1600 px of each
page (and beppyo-WIDTH.png: the seed's page from its first 別表), reduced to 256 colours when Pillow is
installed.

    python docs/screenshots.py                 # builds the shipped data and the amendment fixtures
    python docs/screenshots.py --dist dist     # takes an existing build of the shipped data

The pages are those the layout tests check (tests/publish/page_kinds.py); the amending agreement's and
the consolidated version's come from the seed built with the fictional amending agreements of
tests/fixtures/amendments/, the only full texts of those kinds. Needs the test extra (Playwright) and
Debian's Chromium (tests/system-deps.sh); Playwright never downloads a browser here.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import AMENDED_SOURCES
from tests.publish.browser import WIDTHS
from tests.publish.page_kinds import PAGE_KINDS, page_address

OUT = ROOT / "docs" / "screenshots"
HEIGHT = 1600  # the first screens of a page: enough to show its layout, small enough for the docs
# Besides: the seed's page again from its first 別表 (far below the first screens of the page)
EXTRA = {"beppyo": ("agreement", "table.beppyo")}


def build_shipped(work: Path) -> Path:
    from kyoyaku.pipeline import build

    build(ROOT / "data" / "sources", work / "shipped", registry=ROOT / "data" / "registry")
    return work / "shipped"


def build_amended(work: Path) -> Path:
    from kyoyaku.pipeline import build

    sources = work / "amended-sources"
    sources.mkdir()
    for path in AMENDED_SOURCES:
        shutil.copy(path, sources / path.name)
    build(sources, work / "amended")
    return work / "amended"


def shoot(dists: dict[str, Path], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("screenshots.py: headless Chromium is needed: install the Debian package `chromium`")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": HEIGHT})
                shots = {kind: (kind, None) for kind in PAGE_KINDS} | EXTRA
                for name, (kind, start) in sorted(shots.items()):
                    build = PAGE_KINDS[kind][0]
                    page.goto(page_address(kind, dists[build]))  # a search page with results
                    top = 0 if start is None else page.evaluate(
                        f"Math.max(0, document.querySelector({start!r}).getBoundingClientRect().top + scrollY - 120)")
                    bottom = min(top + HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
                    png = out / f"{name}-{width}.png"
                    page.screenshot(path=str(png), full_page=True, clip={"x": 0, "y": top, "width": width, "height": bottom - top})
                    written.append(png)
                page.close()
        finally:
            browser.close()
    return written


def compress(png: Path) -> None:
    """256 colours, optimised: a tenth of the size, and the text as sharp (when Pillow is installed)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(png, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="a build of the shipped data (default: build it in a temporary folder)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the PNGs go (default: {OUT.relative_to(ROOT)})")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kyoyaku-screenshots-") as tmp:
        work = Path(tmp)
        dists = {"shipped": args.dist or build_shipped(work), "amended": build_amended(work)}
        for png in shoot(dists, args.out):
            compress(png)
            print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)


if __name__ == "__main__":
    main()
