"""The ways in (publish.pages.indexes, issue 21): index pages of the municipalities, areas and full
texts, in the order of the 全国地方公共団体コード, linked from every page's header with the report."""

from __future__ import annotations

import posixpath
import re

from rdflib import RDF

from kyoyaku.graph.iris import KYO

from .test_pages import Html, national_pages  # noqa: F401

NAV = ["municipalities.html", "areas.html", "texts.html", "report/index.html", "search.html"]


def test_every_page_links_the_indexes_the_report_and_the_search_from_its_header(national_pages):  # noqa: F811
    """The site's title (the front page), the other language's version, then the ways in — on an
    English page (en/…) their English versions."""
    for path, html in national_pages.items():
        header = re.search(r"<header>(.*?)</header>", html, re.DOTALL)[1]
        links = [posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
                 for href in re.findall(r'<a (?:class="language" )?href="([^"]+)"', header)]
        english = path.startswith("en/")
        prefix = "en/" if english else ""
        other = path.removeprefix("en/") if english else "en/" + path
        assert links[:2] == [prefix + "index.html", other] and links[2:7] == [prefix + p for p in NAV], path
    assert ('<nav aria-label="サイト内の一覧"><ul class="site-nav"><li><a href="municipalities.html">市町村 '
            '<span class="en" lang="en">Municipalities</span></a></li>') in national_pages["index.html"]


def test_the_municipalities_index_lists_each_by_prefecture_in_code_order_with_its_code(national_graph,
                                                                                      national_pages):  # noqa: F811
    html = national_pages["municipalities.html"]
    headings = re.findall(r'<h2 id="pref-(\d\d)">([^<（]+)（(\d+)）</h2>', html)
    assert headings[:3] == [("01", "北海道", "47"), ("02", "青森県", "23"), ("03", "岩手県", "2")]
    assert [code for code, *_ in headings] == sorted(code for code, *_ in headings)
    entries = re.findall(r'<li><a href="municipality/(\d{6})\.html">([^<]+)</a> <small>(\d{6})</small></li>', html)
    assert entries[:3] == [("011002", "札幌市", "011002"), ("012025", "函館市", "012025"), ("012033", "小樽市", "012033")]
    codes = [code for code, *_ in entries]
    assert codes == sorted(codes)
    assert len(codes) == len(set(national_graph.subjects(RDF.type, KYO.Municipality))) == 460
    assert "<p>460 市町村、都道府県ごとに全国地方公共団体コードの順。" in html


def test_the_areas_index_is_by_framework_then_the_prefecture_and_code_of_the_core_city(national_pages):  # noqa: F811
    html = national_pages["areas.html"]
    text = Html(html).plain()
    assert text.index("連携中枢都市圏（36）") < text.index("定住自立圏（39）")
    renkei = html[:html.index("<h2>定住自立圏")]
    assert re.findall(r"<h3>([^<]+)</h3>", renkei)[:4] == ["北海道", "青森県", "山形県", "福島県"]
    toyama = re.search(r"<h3>富山県</h3>\n<ul>\n(.*?)\n</ul>", renkei, re.DOTALL)[1]
    assert re.sub(r"<[^>]+>", "", toyama).split("\n") == ["富山広域連携中枢都市圏（中心市 富山市）", "とやま呉西圏域（中心市の記載なし）"]
    assert "上川中部定住自立圏（中心市 旭川市、終了）" in text
    for area in re.findall(r'<a href="(area/[^"]+)"', html):
        assert area in national_pages


def test_the_texts_index_lists_the_full_texts(national_pages):  # noqa: F811
    html = national_pages["texts.html"]
    assert ('<li><a href="agreement/082015-082368/2022-02-21.html">いばらき県央地域連携中枢都市圏の形成に関する連携協約書</a>'
            " — 水戸市・小美玉市、2022年2月21日</li>") in html
    assert Html(html).plain().count("なし none") == 2  # no amending agreement with a text, no version


def test_the_index_pages_are_written_by_the_build(national):
    dist, _ = national
    for name in ("municipalities.html", "areas.html", "texts.html"):
        assert (dist / name).read_text(encoding="utf-8").startswith("<!DOCTYPE html>"), name
