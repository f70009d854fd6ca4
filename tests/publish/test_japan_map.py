"""The maps of the site (publish.pages.japan_map): on an area's page the prefectures of its members, on
the front page the areas per prefecture — checked on the shipped data against the registry's CSVs, on
synthetic members for what the data does not have (a member without a prefecture), and in Chromium at
a phone's and a desktop's width."""

from __future__ import annotations

import re
from collections import defaultdict
from importlib import metadata

import pytest

from kyoyaku.publish.pages import japan_map, site_pages
from kyoyaku.publish.pages.japan_map import (
    SHADES,
    Member,
    area_map,
    areas_map,
    outlines,
)

from .browser import WIDTHS, browser
from .reference_documents import store_of

FUKUYAMA_PAGE = "area/renkei-chusu/342076.html"  # びんご圏: members in 岡山県 and 広島県
@pytest.fixture(scope="module")
def national_pages(national_graph) -> dict[str, str]:
    return site_pages(store_of(national_graph))


FUKUYAMA_LABEL = ("構成市町村の所在する都道府県の地図。岡山県: 笠岡市、井原市；"
                  "広島県: 竹原市、三原市、尾道市、福山市、府中市、世羅町、神石高原町")


def map_svg(page: str) -> str:
    match = re.search(r'<figure class="diagram map">(<svg .*?</svg>)', page)
    assert match, "no map on the page"
    return match.group(1)


def fills(svg: str) -> dict[str, str]:
    return dict(re.findall(r'<path id="pref-(\d\d)" d="[^"]*" fill="([^"]*)"/>', svg))


def test_an_area_page_fills_exactly_its_members_prefectures(national_pages):
    svg = map_svg(national_pages[FUKUYAMA_PAGE])
    filled = {code for code, fill in fills(svg).items() if fill != SHADES[0]}
    assert filled == {"33", "34"}
    assert f'aria-label="{FUKUYAMA_LABEL}"' in svg
    assert "<title>" not in svg  # the page's one title stays its only one
    assert ("<figcaption>構成市町村の所在する都道府県（2）: 岡山県: 笠岡市、井原市；広島県: 竹原市、三原市、尾道市、福山市、"
            "府中市、世羅町、神石高原町 ") in national_pages[FUKUYAMA_PAGE]


def test_the_front_page_counts_the_areas_of_each_prefecture_as_their_pages_draw_them(national_pages):
    """Each prefecture's count on the front page is the number of area pages that fill it (an area that
    changed framework is two areas, each with its page), and its shade follows the legend."""
    expected = defaultdict(int)
    for path, page in national_pages.items():
        if path.startswith("area/"):
            for code, fill in fills(map_svg(page)).items():
                expected[code] += fill != SHADES[0]
    expected = {code: n for code, n in expected.items() if n}
    svg = map_svg(national_pages["index.html"])
    listed = dict(re.findall(r'<li id="map-pref-(\d\d)">[^（<]*（(\d+) 圏域）', national_pages["index.html"]))
    assert {code: int(n) for code, n in listed.items()} == expected
    assert len(expected) > 30 and expected["08"] >= 2  # the national registry, not a fixture
    shade = {code: SHADES[1] if n == 1 else SHADES[2] if n <= 3 else SHADES[3] for code, n in expected.items()}
    assert fills(svg) == {f"{i:02d}": shade.get(f"{i:02d}", SHADES[0]) for i in range(1, 48)}


def test_the_source_and_licence_are_on_the_pages(national_pages):
    version = metadata.version("japanmap")
    ja = japan_map.SOURCE_JA.format(version=version)
    assert "japanmap" in ja and "Apache License 2.0" in ja
    for page in (national_pages["index.html"], national_pages[FUKUYAMA_PAGE]):
        assert f"<small>{ja} " in page
        assert "Prefecture outlines: the data shipped with japanmap" in page


def test_a_member_without_code_or_prefecture_is_listed_as_not_drawn():
    html = area_map([Member("水戸市", "082015"), Member("架空町"), Member("名前だけ町", None, "茨城県"),
                     Member("別の架空村", "999999")])
    assert {code for code, fill in fills(html).items() if fill != SHADES[0]} == {"08"}
    assert ('<p class="notice">地図に描いていない構成市町村（都道府県が不明）: 架空町、別の架空村 '
            '<span class="en" lang="en">Members not drawn (prefecture unknown): 架空町, 別の架空村</span></p>') in html
    assert 'aria-label="構成市町村の所在する都道府県の地図。茨城県: 水戸市、名前だけ町"' in html
    front = areas_map([("架空圏", [Member("架空町")]), ("県央圏", [Member("水戸市", "082015")])])
    assert "地図に描いていない構成市町村（都道府県が不明）: 架空町（架空圏）" in front
    assert fills(front)["08"] == SHADES[1]


def test_the_outlines_are_a_fixed_projection_rounded_and_in_code_order():
    svg = map_svg(area_map([]))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 272 332" ')
    assert re.findall(r'id="pref-(\d\d)"', svg) == [f"{i:02d}" for i in range(1, 48)]
    numbers = re.findall(r"-?\d+(?:\.\d+)?", " ".join(outlines().values()))
    assert numbers and all(len(n.partition(".")[2]) <= 1 for n in numbers)
    assert all(0 <= float(n) <= 332 for n in numbers)  # inside the viewBox: nothing falls off the map
    first = area_map([Member("水戸市", "082015")])
    outlines.cache_clear()  # read and projected again from the package's file: the same bytes
    assert area_map([Member("水戸市", "082015")]) == first


@pytest.fixture(scope="module")
def module_browser():
    """Chromium for this module only, closed at its end: the session's (browser.chromium_browser) would
    outlive it as a child process, which test_report's checks that no worker is left would see."""
    with browser() as launched:
        yield launched


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_fits_the_width_in_chromium(module_browser, national_pages, tmp_path, width):
    for name in ("index.html", FUKUYAMA_PAGE):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(national_pages[name], encoding="utf-8")
    page = module_browser.new_page(viewport={"width": width, "height": 900})
    try:
        for name in ("index.html", FUKUYAMA_PAGE):
            page.goto((tmp_path / name).as_uri())
            box = page.locator("figure.map svg").bounding_box()
            assert box is not None and box["width"] >= 250, name  # drawn, not collapsed
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, name
            # the figure's own content stays in its box (the page's other tables are not this test's)
            assert page.evaluate("document.querySelector('figure.map').scrollWidth <= "
                                 "document.querySelector('figure.map').clientWidth"), name
            page.screenshot(path=str(tmp_path / f"map-{name.replace('/', '-')}-{width}.png"), full_page=False)
    finally:
        page.close()
