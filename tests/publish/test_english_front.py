"""The front page, the report and the search page in English (issue 21, item 7): en/index.html,
en/report/index.html and en/search.html of the shipped build — their labels and interface in English,
the names in Japanese marked `lang="ja"`, their links to the English pages and to the same data files
and figures as the Japanese pages; and the report's area table as CSV (issue 21, item 5)."""

from __future__ import annotations

import csv
import io
import re

FIGURES = ("coverage", "areas", "agreements-per-year", "area-sizes", "area-growth")


def read(dist, path: str) -> str:
    return (dist / path).read_text(encoding="utf-8")


def test_english_front_page_says_in_english_what_the_data_hold(national):
    dist, _ = national
    page = read(dist, "en/index.html")
    assert "<title>Home | kyoyaku — Japanese inter-municipal partnership agreements</title>" in page
    assert "<h1>Partnership agreements of Japanese municipalities</h1>" in page
    assert ("<p>Agreements between Japanese municipalities as linked open data, down to each article and table row: "
            'the <span lang="ja">連携協約</span> that form a partnership core city area (<span lang="ja">連携中枢都市圏</span>)'
            in page)
    assert ('<li>Partnership Core City Area (renkei chūsū toshiken): 36 areas listed; <span lang="ja">総務省</span> states '
            '<a href="statistic/renkei-chusu/2024-04-01.html">38 areas</a> as of <span class="date">'
            '<time datetime="2024-04-01">2024-04-01</time></span> (core cities: 36 listed, 40 stated; members counted '
            "with repeats: 351 listed, core cities included; 376 stated). Source: "
            '<a href="https://www.soumu.go.jp/main_sosiki/jichi_gyousei/renkeichusutoshiken/index.html"') in page
    assert ("<li>Independent Settlement Area (teijū jiritsuken): 36 areas listed; no source states the national total, "
            "so the list is not complete; 3 areas that ended are listed besides.</li>") in page
    assert "<h3>Partnership Core City Area (renkei chūsū toshiken)</h3>" in page
    assert ('<li><a href="area/renkei-chusu/082015.html"><span lang="ja">いばらき県央地域連携中枢都市圏</span></a> '
            '(core city <span lang="ja">水戸市</span>; 9 members; 8 agreements)</li>') in page
    assert ('<li><a href="agreement/082015-082368/2022-02-21.html"><span lang="ja">いばらき県央地域連携中枢都市圏の形成に関する'
            '連携協約書</span></a> — <span lang="ja">水戸市・小美玉市</span>, <span class="date">'
            '<time datetime="2022-02-21">2022-02-21</time></span></li>') in page


def test_english_front_page_links_the_same_downloads_figures_and_ontology(national):
    dist, _ = national
    page = read(dist, "en/index.html")
    for dump in ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt"):
        assert f'<li><a href="../{dump}">{dump}</a> (<a href="../{dump}.gz">{dump}.gz</a>)</li>' in page
    assert '<li><a href="../catalog.ttl">catalog.ttl</a> (DCAT dataset catalogue)</li>' in page
    # the ontology's documentation is one page in both languages: the English front page links it as it is
    assert '<li><a href="../ontology/index.html">The ontology</a> (the vocabulary, in English and Japanese)</li>' in page
    assert re.findall(r'<img src="([^"]+)" alt="([^"]+)">', page) == [
        ("../report/coverage.svg", ("Heatmap: initiatives per partner municipality and national policy field (the "
         "partners with the most first, the rest summed in the last row)")),
        ("../report/areas.svg", ("Agreements per area: full texts (in the framework&#x27;s colour) and registry records "
         "only (hatched), the areas with the most first, the rest summed"))]
    # the Japanese page keeps its figures' alt texts in both languages, and the header links the search
    japanese = read(dist, "index.html")
    assert ('<img src="report/coverage.svg" alt="連携する取組の政策分野を市町村ごとに数えたヒートマップ（市町村 × 国の政策分野、'
            "取組の多い市町村から、残りは最下行に合計） / Heatmap: initiatives") in japanese
    assert 'class="search-link"' not in japanese and 'class="search-link"' not in page


def test_english_report_page_has_the_frame_english_columns_and_the_same_figures(national):
    dist, _ = national
    page = read(dist, "en/report/index.html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert ('<link rel="alternate" hreflang="ja" href="../../report/index.html">\n'
            '<link rel="alternate" hreflang="en" href="index.html">\n') in page
    assert '<a class="language" href="../../report/index.html" hreflang="ja" lang="ja">日本語</a>' in page
    assert '<li><a href="../municipalities.html">Municipalities</a></li>' in page
    assert '<li><a href="index.html">Report</a></li>' in page
    assert "<h1>Report: the agreements in figures</h1>" in page
    assert "<p>Full texts: 1; registry records: 403; areas: 75.</p>" in page
    assert re.findall(r'<th scope="col">([^<]+)</th>', page) == [
        "Area", "Framework", "Core city", "Members", "Members stated by the sources", "Agreements", "Full texts",
        "Predecessor"]
    assert ('<tr><th scope="row"><a href="../area/renkei-chusu/082015.html"><span lang="ja">いばらき県央地域連携中枢都市圏'
            '</span></a></th><td data-label="Framework">Partnership Core City Area (renkei chūsū toshiken)</td>'
            '<td data-label="Core city"><span lang="ja">水戸市</span></td><td data-label="Members">9</td>'
            '<td data-label="Members stated by the sources">9</td><td data-label="Agreements">8</td>'
            '<td data-label="Full texts">1</td><td data-label="Predecessor"><span lang="ja">茨城県央地域定住自立圏</span>'
            "</td></tr>") in page
    assert [src for src in re.findall(r'<img src="([^"]+)"', page)] == [f"../../report/{stem}.svg" for stem in FIGURES]
    assert '<a href="../../report/index.summary.csv" download>CSV</a>' in page
    assert ("<figcaption>Agreements per year of their date, stacked by framework: 249 dated; 155 undated (Partnership "
            "Core City Area (renkei chūsū toshiken) 125; Independent Settlement Area (teijū jiritsuken) 30) in the bar "
            'on the right, <span lang="ja">日付不明</span> (date unknown).</figcaption>') in page
    # the Japanese page: the same figures beside it, the same table with its Japanese column names
    japanese = read(dist, "report/index.html")
    assert '<a class="language" href="../en/report/index.html" hreflang="en" lang="en">English</a>' in japanese
    assert [src for src in re.findall(r'<img src="([^"]+)"', japanese)] == [f"{stem}.svg" for stem in FIGURES]
    assert ('<tr><th scope="row"><a href="../area/renkei-chusu/082015.html">いばらき県央地域連携中枢都市圏</a></th>'
            '<td data-label="枠組み">連携中枢都市圏</td><td data-label="中心市">水戸市</td>') in japanese


def test_report_area_table_downloads_as_csv_a_spreadsheet_opens(national):
    """report/index.summary.csv: UTF-8 with BOM and CRLF, the page's Japanese column names, the core cities'
    団体コード beside them (山口県央's two, in the order of their names), the area's IRI; a row per row of the
    page's table, linked from it."""
    dist, _ = national
    data = (dist / "report" / "index.summary.csv").read_bytes()
    assert data.startswith("\ufeff圏域,枠組み,中心市,中心市の団体コード,構成市町村数,資料に記載の数,協約数,本文あり,前身,IRI\r\n"
                           .encode("utf-8"))
    text = data.decode("utf-8")
    assert ("\r\nいばらき県央地域連携中枢都市圏,連携中枢都市圏,水戸市,082015,9,9,8,1,茨城県央地域定住自立圏,"
            "https://w3id.org/kyoyaku/area/renkei-chusu/082015\r\n") in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    page = read(dist, "report/index.html")
    assert len(rows) - 1 == page.count('<tr><th scope="row">') == 75
    [yamaguchi] = [r for r in rows if r[2] == "宇部市・山口市"]
    assert yamaguchi[3] == "352021・352039"
    assert '<p class="download"><a href="index.summary.csv" download>CSV</a>' in page
