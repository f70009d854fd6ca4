"""Every page kind of a real build, in headless Chromium at a phone's and a desktop's width
(browser.WIDTHS): the document never scrolls sideways, no text of a table cell (the 別表's above all)
leaves its cell or overlaps another cell's, and axe-core finds nothing to report.

axe-core is the npm package, installed by tests/system-deps.sh into tests/.node; a missing one FAILS
the test with what to install, never skips.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .browser import WIDTHS, chromium_browser  # noqa: F401 (the fixture)
from .page_kinds import PAGE_KINDS, SEARCHED, page_address

AXE = Path(__file__).resolve().parents[1] / ".node" / "node_modules" / "axe-core" / "axe.min.js"

# The elements wider than the viewport, deepest first: what makes the document scroll sideways.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(el => ![...el.children].some(child => child.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
  .slice(0, 5).map(el => `<${el.tagName.toLowerCase()} class="${el.className}"> ${el.textContent.trim().slice(0, 40)}`)"""

# Each line box of each text of a table cell, and where it overlaps another cell's or leaves its own cell
# (half a pixel allowed for rounding; a cell hidden to the eye is not drawn, and not measured): the 別表 once squeezed three columns to a character each, and
# their text ran over the next column.
CELL_TEXT_CLASHES = """() => {
  const inside = (r, box) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                          && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
                         && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const boxes = [], clashes = [];
  for (const cell of document.querySelectorAll('th, td')) {
    const box = cell.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden (the column heads of cards): not drawn
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode;
      if (!text.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const r of range.getClientRects()) {
        if (r.width < 0.5 || r.height < 0.5) continue;
        const what = text.textContent.trim().slice(0, 30);
        if (!inside(r, box)) clashes.push(`"${what}" leaves its cell`);
        boxes.push({cell, r, what});
      }
    }
  }
  for (let i = 0; i < boxes.length && clashes.length < 10; i++)
    for (let j = i + 1; j < boxes.length; j++)
      if (boxes[i].cell !== boxes[j].cell && !boxes[i].cell.contains(boxes[j].cell)
          && !boxes[j].cell.contains(boxes[i].cell) && overlap(boxes[i].r, boxes[j].r))
        clashes.push(`"${boxes[i].what}" overlaps "${boxes[j].what}"`);
  return clashes.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def dists(national, amended) -> dict[str, Path]:
    return {"shipped": national[0], "amended": amended[0]}


@pytest.fixture
def open_page(chromium_browser, dists):  # noqa: F811 (the fixture)
    pages = []

    def opened(kind: str, width: int):
        build, path = PAGE_KINDS[kind]
        file = dists[build] / path
        assert file.is_file(), f"the {build} build has no {path} any more: choose another {kind} page in page_kinds.py"
        page = chromium_browser.new_page(viewport={"width": width, "height": 900})
        pages.append(page)
        page.goto(page_address(kind, dists[build]))
        return page

    yield opened
    for page in pages:
        page.close()


def test_every_page_kind_is_listed():
    """The site's page kinds (publish.pages: one module each, the index pages, and the report, search and
    ontology pages, the vocabulary's and the catalog's), and English versions of five of them."""
    assert sorted(PAGE_KINDS) == ["agreement", "amending", "amending-record", "area", "areas", "catalog", "concept",
                                  "concept-scheme", "en-agreement", "en-area", "en-front", "en-report", "en-search",
                                  "front", "municipalities", "municipality", "ontology", "record", "report", "search",
                                  "statistic", "texts", "version", "vocabulary"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_page_fits_the_width(open_page, kind, width):
    page = open_page(kind, width)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (f"{kind} page at {width} px scrolls sideways ({scroll_width} px wide): "
                                   f"{page.evaluate(TOO_WIDE)}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_table_cells_keep_their_text_apart(open_page, kind, width):
    page = open_page(kind, width)
    clashes = page.evaluate(CELL_TEXT_CLASHES)
    assert clashes == [], f"{kind} page at {width} px: " + "; ".join(clashes)


def test_the_search_pages_are_measured_with_their_results(open_page):
    """The search pages are looked at as a reader sees them after a query: 水戸市 finds 19 results."""
    for kind in SEARCHED:
        page = open_page(kind, WIDTHS[0])
        assert page.evaluate("document.querySelectorAll('#results li').length") == 19, kind


def test_the_beppyo_is_measured(open_page):
    """The check above sees the seed's 別表: its 16 rows, each a text in every column."""
    page = open_page("agreement", WIDTHS[0])
    assert page.evaluate("document.querySelectorAll('table.beppyo tbody tr').length") == 16
    assert page.evaluate("[...document.querySelectorAll('table.beppyo tbody tr')]"
                         ".every(tr => tr.getBoundingClientRect().width > 0)")


@pytest.mark.parametrize("width", WIDTHS)
def test_member_names_stay_on_one_line(open_page, width):
    """An area's members, beside the long notes of the sources: each name on one line (the notes once squeezed
    the names to a character per line: 新/潟/市)."""
    page = open_page("area", width)
    lines = page.evaluate("[...document.querySelectorAll('table.members tbody th a')]"
                          ".map(a => [a.textContent, new Set([...a.getClientRects()].map(r => Math.round(r.top))).size])")
    assert len(lines) == 12 and lines[0] == ["新潟市", 1]
    assert [name for name, count in lines if count != 1] == [], f"at {width} px"


def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail("axe-core is needed: run `bash tests/system-deps.sh` (or `npm install --no-save --prefix "
                    "tests/.node axe-core@4`, with Node.js and npm from the Debian packages `nodejs` and `npm`)")
    return AXE


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_axe_finds_nothing(open_page, kind, width):
    """axe-core's rules (WCAG 2 A and AA, and its best practices: landmarks, heading order, table headers,
    alternative texts, colour contrast, languages) find no violation of any impact."""
    page = open_page(kind, width)
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("axe.run()")
    found = [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]}
             for v in result["violations"]]
    assert found == [], f"{kind} page at {width} px: " + json.dumps(found, ensure_ascii=False)
    assert len(result["passes"]) > 10  # axe did run its rules on the page
