"""Search without a server (publish.search): the index the build writes from the shipped data, its
normalisation, and the search page in headless Chromium from file://, typed into as a reader would."""

from __future__ import annotations

import json

import pytest

from kyoyaku.publish.search import KINDS, normalise

SEED = "agreement/082015-082368/2022-02-21.html"
SEED_TITLE = "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"


@pytest.fixture(scope="module")
def index(national) -> list[dict]:
    dist, _ = national
    return json.loads((dist / "search-index.json").read_text(encoding="utf-8"))


def test_normalise_folds_width_and_kana_and_case():
    assert normalise("ﾐﾄｼ") == "みとし"  # half-width katakana (the national list's readings)
    assert normalise("ミトシ") == "みとし"
    assert normalise("ＡＢＣ０８２") == "abc082"
    assert normalise("水戸市") == "水戸市"


def test_municipality_entry_has_its_reading_from_the_national_list(index):
    mito = [x for x in index if x["path"] == "municipality/082015.html"]
    assert mito == [{"kind": "市町村", "path": "municipality/082015.html", "reading": "みとし",
                     "text": "茨城県 082015", "title": "水戸市"}]


def test_index_holds_articles_and_beppyo_rows_with_their_anchors(index):
    articles = [x for x in index if x["kind"] == "条文"]
    assert [x["path"] for x in articles] == [f"{SEED}#art_{n}" for n in range(1, 8)]
    assert articles[1]["title"] == f"第2条（基本方針） — {SEED_TITLE}"
    assert articles[1]["text"] == ("甲及び乙は、前条に規定する目的を達成するため、次条第1項に規定する取組において相互に"
                                   "役割を分担して連携を図るものとする。")
    rows = [x for x in index if x["kind"] == "別表"]
    assert len(rows) == 16
    transport = [x for x in rows if x["path"] == f"{SEED}#annex_1/item_14"]
    assert transport[0]["title"] == f"地域公共交通 — {SEED_TITLE}"


def test_index_is_sorted_by_kind_then_path_and_the_script_form_is_the_same_index(national, index):
    order = {kind: i for i, kind in enumerate(KINDS)}
    keys = [(order[x["kind"]], x["path"], x["title"]) for x in index]
    assert keys == sorted(keys)
    dist, _ = national
    script = (dist / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.KYOYAKU_SEARCH = [\n") and script.endswith("];\n")
    assert json.loads(script.removeprefix("window.KYOYAKU_SEARCH = ").removesuffix(";\n")) == index


def test_the_front_page_links_the_search_page_in_its_header(national):
    """The front page's own link went: every page's header links the search page (html.NAV), in its
    language."""
    dist, _ = national
    assert ('<li><a href="search.html">検索 <span class="en" lang="en">Search</span></a></li>'
            in (dist / "index.html").read_text(encoding="utf-8"))
    assert '<li><a href="search.html">Search</a></li>' in (dist / "en" / "index.html").read_text(encoding="utf-8")


# (kind, title, link) of every result, in order, for what a reader types (the shipped data)
MITO_RECORDS = [("協約（登録簿）", f"水戸市と{name}の{kind}", f"agreement/082015-{code}/{date}.html")
                for name, code in (("笠間市", "082163"), ("ひたちなか市", "082210"), ("那珂市", "082261"),
                                   ("小美玉市", "082368"), ("茨城町", "083020"), ("大洗町", "083097"),
                                   ("城里町", "083101"), ("東海村", "083411"))
                for kind, date in (("連携協約", "2022-02-21"), ("定住自立圏形成協定", "undated-teiju-jiritsu"))
                if not (name == "小美玉市" and kind == "連携協約")]  # that one is the full text
AREAS = [("圏域", "いばらき県央地域連携中枢都市圏", "area/renkei-chusu/082015.html"),
         ("圏域", "茨城県央地域定住自立圏", "area/teiju-jiritsu/082015.html")]
EXPECTED = {
    "水戸市": [("市町村", "水戸市", "municipality/082015.html"), *MITO_RECORDS, *AREAS, ("協約", SEED_TITLE, SEED)],
    "小美玉": [("市町村", "小美玉市", "municipality/082368.html"),
             ("協約（登録簿）", "水戸市と小美玉市の定住自立圏形成協定", "agreement/082015-082368/undated-teiju-jiritsu.html"),
             *AREAS, ("協約", SEED_TITLE, SEED)],
    "観光": [("別表", f"戦略的な観光施策 — {SEED_TITLE}", f"{SEED}#annex_1/item_3")],
    "地域公共交通": [("別表", f"地域公共交通 — {SEED_TITLE}", f"{SEED}#annex_1/item_14")],
    "相互に役割を分担": [("条文", f"第2条（基本方針） — {SEED_TITLE}", f"{SEED}#art_2"),
                  ("条文", f"第3条（連携する取組並びに甲及び乙の役割分担） — {SEED_TITLE}", f"{SEED}#art_3")],
    "みと": [("市町村", "水戸市", "municipality/082015.html")],  # the reading, in hiragana
    "ミト": [("市町村", "水戸市", "municipality/082015.html")],  # … in katakana
    "ﾐﾄ": [("市町村", "水戸市", "municipality/082015.html")],  # … in half-width katakana (NFKC)
    "０８２３６８": [("市町村", "小美玉市", "municipality/082368.html")],  # a code in full-width digits
    "　地域公共交通　小美玉 ": [],  # words must all occur in one entry (the row does not name 小美玉市)
}


def results(page) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in page.eval_on_selector_all(
        "#results li", "items => items.map(li => [li.querySelector('.kind').textContent,"
        " li.querySelector('a').textContent, li.querySelector('a').getAttribute('href')])")]


def test_search_page_finds_what_is_typed(national, chromium_browser):
    """The page of a real build, opened from file:// (the index comes by <script src>, no fetch), a query
    typed into its box: every result with its kind, title and link, in order, and the count."""
    dist, _ = national
    page = chromium_browser.new_page(viewport={"width": 390, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((dist / "search.html").as_uri())
        for query, expected in EXPECTED.items():
            page.fill("#q", query)
            assert results(page) == expected, query
            status = page.text_content("#status")
            assert status == (f"{len(expected)} 件" if expected
                              else f"「{query.strip()}」に一致するものはありません（0 件）"), query
        page.fill("#q", "地域公共交通")
        page.click("#results a")
        assert page.url == (dist / SEED).as_uri() + "#annex_1/item_14"
    finally:
        page.close()
    assert errors == []


# What the English page (en/search.html) shows for the same queries: the same results, kinds in English,
# the titles marked Japanese, and the links (the index's relative paths, from en/) to the English pages.
KINDS_EN = {"市町村": "Municipality", "圏域": "Area", "協約": "Agreement", "協約（登録簿）": "Agreement (registry)",
            "変更協約": "Amending agreement", "条文": "Article", "別表": "Annexed table row"}


def test_english_search_page_finds_what_is_typed_and_says_so_in_english(national, chromium_browser):
    dist, _ = national
    page = chromium_browser.new_page(viewport={"width": 390, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((dist / "en" / "search.html").as_uri())
        for query in ("水戸市", "観光", "みと", "　地域公共交通　小美玉 "):
            expected = [(KINDS_EN[kind], title, path) for kind, title, path in EXPECTED[query]]
            page.fill("#q", query)
            assert results(page) == expected, query
            assert page.text_content("#status") == {
                "水戸市": "19 results", "観光": "1 result", "みと": "1 result",
                "　地域公共交通　小美玉 ": "Nothing matches “地域公共交通　小美玉” (0 results)"}[query]
            assert page.eval_on_selector_all("#results a", "links => links.map(a => a.lang)") == ["ja"] * len(expected)
        page.fill("#q", "地域公共交通")
        page.click("#results a")
        assert page.url == (dist / "en" / SEED).as_uri() + "#annex_1/item_14"
    finally:
        page.close()
    assert errors == []


def test_search_page_passes_the_nu_html_checker(national):
    import subprocess

    from .test_pages_browser import java, vnu_jar

    dist, _ = national
    command = [java(), "-jar", str(vnu_jar()), "--format", "json", str(dist / "search.html")]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [m for m in messages if m.get("type") != "info" or m.get("subType") == "warning"] == []
    assert result.returncode == 0
