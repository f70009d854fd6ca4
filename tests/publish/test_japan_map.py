"""The maps of the site (publish.pages.japan_map): on an area's page the prefectures of its members and
each member a dot, on the front page the areas per prefecture and every member a dot — checked on the
shipped data against the registry's CSVs and the vendored gazetteer rows, on synthetic members for what
the data does not have (a member without a prefecture, a code without a point), and in Chromium at a
phone's and a desktop's width."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from importlib import metadata
from pathlib import Path

import pytest

from kyoyaku.publish.pages import japan_map, site_pages
from kyoyaku.publish.pages.japan_map import (
    SHADES,
    Member,
    area_map,
    areas_map,
    municipal_points,
    outlines,
    project,
)
from kyoyaku.resources import resource

from .browser import WIDTHS, browser
from .reference_documents import store_of

FUKUYAMA_PAGE = "area/renkei-chusu/342076.html"  # びんご圏: members in 岡山県 and 広島県
KENOU_PAGE = "area/renkei-chusu/082015.html"  # いばらき県央地域連携中枢都市圏, core 水戸市
SASEBO_PAGE = "area/renkei-chusu/422029.html"  # 西九州させぼ広域都市圏: two members on the 五島 islands
ROOT = Path(__file__).resolve().parents[2]
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


# The gazetteer's row of 水戸市 as pygeonlp 1.2.5 ships it (base_data/geoshape-city.csv), byte for byte.
MITO_ROW = ("ZwuACs,08201A1968,水戸,水戸,市,茨城県,茨城県,,,市区町村,茨城県,36.36586100,140.47122200,茨城県水戸市,"
            "08201,1889-04-01,,1/水戸市役所/水戸市中央1-4-1/P34-14_08.xml\r\n").encode()
GAZETTEER_HEADER = (b"geolod_id,entry_id,body,body_variants,suffix,prefname,prefname_variants,countyname,"
                    b"countyname_variants,ne_class,hypernym,latitude,longitude,address,code,valid_from,valid_to,source\r\n")


def names(svg: str) -> str:
    """The group of the names beside the dots (the one filled dark; the halo under it repeats them)."""
    match = re.search(r'<g lang="ja" font-size="[^"]*" fill="#1a1a1a">.*?</g>', svg)
    assert match, "no names on the map"
    return match.group(0)


def circles(html: str) -> dict[str, tuple[str, str, str]]:
    return {code: (x, y, r) for code, x, y, r in re.findall(r'<circle id="m-(\d+)" cx="([^"]*)" cy="([^"]*)" r="([^"]*)"/>', html)}


def test_the_vendored_points_are_todays_rows_of_the_gazetteer_unchanged():
    """data/municipal-points holds the header and today's rows of the file pygeonlp ships, unaltered: the
    extract script's own rule keeps every one of them, 水戸市's row is the shipped bytes, and the README
    names the source and the licence."""
    path = resource(japan_map.POINTS)
    lines = path.read_bytes().splitlines(keepends=True)
    assert lines[0] == GAZETTEER_HEADER
    assert len(lines) - 1 == 1929
    assert MITO_ROW in lines
    spec = importlib.util.spec_from_file_location("extract", ROOT / "data/municipal-points/extract.py")
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    assert extract.current_lines(path) == lines
    readme = (ROOT / "data/municipal-points/README.md").read_text(encoding="utf-8")
    for words in ("歴史的行政区域データセットβ版地名辞書", "https://creativecommons.org/licenses/by/4.0/", "国土数値情報",
                  "pygeonlp 1.2.5", "466f3e16f1062383c344f96612c4e50cdf3e77c81505e00f1dd0be713c5b92f8"):
        assert words in readme


def test_mito_is_drawn_where_the_gazetteer_puts_it_projected_as_the_outlines(national_pages):
    assert municipal_points()["08201"] == (140.471222, 36.365861)
    # (140.471222 - 129.3) × 20·cos 36° = 180.75…, (45.7 - 36.365861) × 20 = 186.68…
    assert project(140.471222, 36.365861, "08") == (180.8, 186.7)
    alone = area_map([Member("水戸市", "082015")])
    assert 'viewBox="171.8 177.7 18 18" width="435" height="435"' in alone  # up close: 18 units around the dot
    assert circles(alone) == {"082015": ("180.8", "186.7", "0.11")}
    assert ('<g lang="ja" font-size="0.56" fill="#ffffff" stroke="#ffffff" stroke-width="0.165" stroke-linejoin="round">'
            '<text x="181" y="186.9">水戸市</text></g><g lang="ja" font-size="0.56" fill="#1a1a1a">'
            '<text x="181" y="186.9">水戸市</text></g></svg>') in alone
    assert circles(national_pages[KENOU_PAGE])["082015"] == ("180.8", "186.7", "0.11")
    assert circles(national_pages["index.html"])["082015"] == ("180.8", "186.7", "1")  # the whole map: a smaller dot


def test_an_area_page_dots_every_member_and_names_it(national_pages):
    """びんご圏's nine members, each at its point, each named beside it, the map closed up on them."""
    page = national_pages[FUKUYAMA_PAGE]
    assert 'viewBox="54.2 214.6 18 18"' in map_svg(page)
    assert circles(page) == {"332054": ("68.1", "223.9", "0.11"), "332071": ("67.4", "222", "0.11"),
                             "342033": ("58.4", "227.2", "0.11"), "342041": ("61.1", "226.1", "0.11"),
                             "342050": ("63.2", "225.8", "0.11"), "342076": ("65.7", "224.3", "0.11"),
                             "342084": ("63.7", "222.6", "0.11"), "344621": ("60.8", "222.3", "0.11"),
                             "345458": ("63.9", "219.9", "0.11")}
    labels = re.findall(r"<text x=\"[^\"]*\" y=\"[^\"]*\">([^<]*)</text>", names(map_svg(page)))
    assert labels == ["笠岡市", "井原市", "竹原市", "三原市", "尾道市", "福山市", "府中市", "世羅町", "神石高原町"]
    assert "地図に点を置いていない" not in page


def test_okinawa_points_move_with_its_outline_into_the_inset():
    assert municipal_points()["47201"] == (127.679218, 26.212295)  # 那覇市
    x, y = project(127.679218, 26.212295, "47")
    assert (x, y) == (15.8, 323.8)
    assert 9.4 <= x <= 9.4 + 22.9 and 304.6 <= y <= 304.6 + 28  # inside the inset's frame
    assert circles(area_map([Member("那覇市", "472018")])) == {"472018": ("15.8", "323.8", "0.11")}
    # 屋久島 lies where the inset is drawn: not put among Okinawa's dots; 久米島 lies outside the inset's frame
    assert project(*municipal_points()["46505"], "46") == (22.1, 306.6)
    html = area_map([Member("那覇市", "472018"), Member("屋久島町", "465054"), Member("久米島町", "473618")])
    assert set(circles(html)) == {"472018"}
    assert "地図に点を置いていない構成市町村: 屋久島町（465054、地図の範囲外）、久米島町（473618、地図の範囲外） " in html


def test_a_member_without_a_point_is_listed_as_not_placed_never_guessed():
    html = area_map([Member("水戸市", "082015"), Member("架空市", "089999"), Member("名前だけ町", None, "茨城県"),
                     Member("小笠原村", "134210"), Member("別の架空村", "999999")])
    assert set(circles(html)) == {"082015"}
    assert ('<p class="notice">地図に点を置いていない構成市町村: 架空市（089999、位置データにない団体コード）、'
            '名前だけ町（団体コードなし）、小笠原村（134210、地図の範囲外） <span class="en" lang="en">Members without a dot '
            "on the map: 架空市 (089999, code not in the points' data), 名前だけ町 (no municipality code), 小笠原村 "
            "(134210, outside the map)</span></p>") in html
    # without a prefecture it is already listed as not drawn, and not twice
    assert "別の架空村（" not in html
    front = areas_map([("県央圏", [Member("水戸市", "082015"), Member("架空市", "089999")]),
                       ("別の圏", [Member("水戸市", "082015"), Member("架空市", "089999")])])
    assert set(circles(front)) == {"082015"}  # one dot however many areas
    assert "地図に点を置いていない構成市町村: 架空市（089999、位置データにない団体コード） " in front


def test_sasebo_lists_its_members_on_the_goto_islands_as_off_the_map(national_pages):
    """小値賀町 and 新上五島町 lie west of the map's box: listed, not pushed onto it."""
    notice = ("<p class=\"notice\">地図に点を置いていない構成市町村: 小値賀町（423831、地図の範囲外）、新上五島町（424111、"
              "地図の範囲外） <span class=\"en\" lang=\"en\">Members without a dot on the map: 小値賀町 (423831, outside the "
              "map), 新上五島町 (424111, outside the map)</span></p>")
    assert notice in national_pages[SASEBO_PAGE]
    assert notice in national_pages["index.html"]
    assert not {"423831", "424111"} & set(circles(national_pages["index.html"]))
    english = national_pages["en/" + SASEBO_PAGE]
    assert ('Members without a dot on the map: <span lang="ja">小値賀町</span> (423831, outside the map), '
            '<span lang="ja">新上五島町</span> (424111, outside the map)') in english


def test_every_dot_on_the_national_pages_is_the_municipality_the_site_names(national_pages):
    """Matched by code only, each dot's gazetteer row names the municipality the site names beside the dot
    (its name or one of its variant spellings, with its suffix: a check that the codes agree), and the
    front page has every area page's dots, each once."""
    gazetteer = {}
    with resource(japan_map.POINTS).open(encoding="utf-8", newline="") as fp:
        for row in csv.DictReader(fp):
            gazetteer[row["entry_id"][:5]] = {f"{body}{row['suffix']}" for body in [row["body"], *row["body_variants"].split("/")]}
    on_area_pages = {}
    for path, page in national_pages.items():
        if path.startswith("area/") and circles(page):
            labels = re.findall(r'<text x="[^"]*" y="[^"]*"(?: text-anchor="\w+")?>([^<]*)</text>', names(map_svg(page)))
            on_area_pages |= dict(zip(circles(page), labels, strict=True))  # both in code order
    assert len(on_area_pages) > 400
    assert {code: name for code, name in on_area_pages.items() if name not in gazetteer[code[:5]]} == {}
    assert set(circles(national_pages["index.html"])) == set(on_area_pages)
    assert (f'background:#e8590c;vertical-align:middle"></span> 構成市町村（{len(on_area_pages)}） '
            f'<span class="en" lang="en">Member municipalities ({len(on_area_pages)})</span>') in national_pages["index.html"]


def test_the_points_source_and_licence_are_beside_the_maps(national_pages):
    assert "CC BY 4.0" in japan_map.POINTS_SOURCE_JA and "国土数値情報" in japan_map.POINTS_SOURCE_JA
    for path in ("index.html", FUKUYAMA_PAGE):
        assert f'{japan_map.POINTS_SOURCE_JA} <span class="en" lang="en">' in national_pages[path]
        assert "Municipalities&#x27; dots: the representative points of the Historical Administrative Area " \
               "Data Set (beta) gazetteer" in national_pages[path]
        assert "市町村ごとの位置は描いていません" not in national_pages[path]
