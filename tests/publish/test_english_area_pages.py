"""The English area, municipality, statistic and index pages (issue 21, item 7), in exact strings:
labels, column names, the time line and the source notes in English; the names of municipalities,
areas and prefectures Japanese, each in an element marked lang="ja", with their codes; the tables'
CSVs the Japanese page's (they sit beside it); the Japanese pages as they were."""

from __future__ import annotations

import posixpath

import pytest

from kyoyaku.publish.pages import site_pages

from ..conftest import FIXTURES
from .reference_documents import store_of
from .test_english_pages import Reading

IBARAKI = "area/renkei-chusu/082015.html"  # いばらき県央地域連携中枢都市圏
MITO = "municipality/082015.html"  # 水戸市
NIIGATA = "area/renkei-chusu/151009.html"  # 新潟広域都市圏: source notes of every kind but one


@pytest.fixture(scope="module")
def dist(national):
    return national[0]


def read(dist, path: str) -> str:
    return (dist / path).read_text(encoding="utf-8")


def test_the_english_area_page_gives_its_facts_in_english_and_its_names_in_japanese(dist):
    html = read(dist, "en/" + IBARAKI)
    assert '<h1><span lang="ja">いばらき県央地域連携中枢都市圏</span></h1>' in html
    assert "<dt>Framework</dt><dd>Partnership Core City Area (renkei chūsū toshiken)</dd>" in html
    assert ('<dt>Core city</dt><dd><a href="../../municipality/082015.html"><span lang="ja">水戸市</span></a></dd>'
            in html)
    assert '<dt>Formed</dt><dd><span class="date"><time datetime="2022-02-21">2022-02-21</time></span></dd>' in html
    assert "<dt>Members</dt><dd>9 (the source states 9)</dd>" in html
    assert ('<dt>Predecessor</dt><dd><a href="../teiju-jiritsu/082015.html"><span lang="ja">茨城県央地域定住自立圏</span>'
            "</a></dd>") in html


def test_the_english_members_table_has_english_columns_and_each_member_with_its_code(dist):
    html = read(dist, "en/" + IBARAKI)
    assert ('<thead><tr><th scope="col">Municipality</th><th scope="col">Prefecture</th><th scope="col">Role</th>'
            '<th scope="col">Joined</th></tr></thead>') in html
    assert ('<tr id="member/082015"><th scope="row"><a href="../../municipality/082015.html"><span lang="ja">水戸市</span>'
            '</a> <small>082015</small></th><td data-label="Prefecture"><span lang="ja">茨城県</span></td>'
            '<td data-label="Role">Core city</td><td data-label="Joined"></td></tr>') in html
    assert ('<tr id="member/082368"><th scope="row"><a href="../../municipality/082368.html"><span lang="ja">小美玉市</span>'
            '</a> <small>082368</small></th><td data-label="Prefecture"><span lang="ja">茨城県</span></td>'
            '<td data-label="Role">Member</td><td data-label="Joined"><span class="date"><time datetime="2022-02-21">'
            "2022-02-21</time></span></td></tr>") in html


def test_the_english_pages_link_the_csv_beside_the_japanese_page(dist):
    html = read(dist, "en/" + IBARAKI)
    for table in ("members", "agreements"):
        href = f"../../../area/renkei-chusu/082015.{table}.csv"
        assert (f'<p class="download"><a href="{href}" download>CSV</a> (UTF-8 with a byte order mark: opens in Excel)'
                "</p>") in html
        assert (dist / posixpath.normpath(posixpath.join("en/area/renkei-chusu", href))).is_file()
    assert ('<a href="../../municipality/082015.agreements.csv" download>CSV</a>'
            in read(dist, "en/" + MITO))
    assert (dist / "municipality/082015.agreements.csv").is_file()


def test_the_english_time_line_says_what_happened_in_english(dist):
    html = read(dist, "en/" + IBARAKI)
    assert ('<li><span class="date"><time datetime="2022-02-21">2022-02-21</time></span> <strong>Succeeded an area of '
            'the other framework</strong><br><a href="../teiju-jiritsu/082015.html"><span lang="ja">茨城県央地域定住自立圏'
            "</span></a> — Independent Settlement Area (teijū jiritsuken)<br><small>Source: ") in html
    assert ('<strong>Agreement concluded (member joined)</strong><br>8 members: <a href="../../agreement/082015-082163/'
            '2022-02-21.html"><span lang="ja">笠間市</span></a>, <a href="../../agreement/082015-082210/2022-02-21.html">'
            '<span lang="ja">ひたちなか市</span></a>, ') in html


def test_the_english_map_and_diagram_have_english_captions_and_japanese_names(dist):
    html = read(dist, "en/" + IBARAKI)
    assert ('<figcaption>Prefectures of the members (1): <span lang="ja">茨城県: 水戸市、笠間市、ひたちなか市、那珂市、'
            "小美玉市、茨城町、大洗町、城里町、東海村</span><br><small>Prefecture outlines: the data shipped with japanmap ") in html
    assert ('aria-label="Core city and partners, one line per agreement (solid: full text, 1; dashed: registry record '
            'only, 7)"><path ') in html
    assert '<g lang="ja"><text x="240.0" y="240.0" ' in html
    assert ("<figcaption>Core city and partners, one line per agreement (solid: full text, 1; dashed: registry record "
            "only, 7)</figcaption>") in html


def test_the_english_source_notes_name_the_members_and_mark_the_japanese_of_the_compilers_notes(dist):
    html = read(dist, "en/" + NIIGATA)
    assert ('<li>The source page states 11 member municipalities; 12 are listed here (the core city included).</li>'
            in html)
    assert ('<li>11 agreements of this area have no date in the sources (agreements with the core city: <a href="../../'
            'agreement/151009-152048/undated-renkei-chusu.html"><span lang="ja">三条市</span></a>, ') in html
    assert ('<li>1 municipality (<a href="../../municipality/151009.html"><span lang="ja">新潟市</span></a> in <span '
            'lang="ja">新潟県</span>): the source does not state the prefecture; placed where the one municipality of that '
            "name in Japan is (national list of municipality codes).</li>") in html
    assert ("<li>11 municipalities (<a href=\"../../municipality/152048.html\"><span lang=\"ja\">三条市</span></a>, " in html)
    assert """<details lang="en"><summary>The compiler's notes (as written)</summary>""" in html
    # the compiler's English note as it is, its Japanese (a date as the page writes it) marked
    assert ('page is <span lang="ja">新潟県</span> <span lang="ja">市町村課</span> status as of <span lang="ja">令和2年12月1日'
            "</span>; ") in html


def test_the_english_municipality_page(dist):
    html = read(dist, "en/" + MITO)
    assert '<h1><span lang="ja">水戸市</span></h1>' in html
    assert "<dt>Prefecture</dt><dd><span lang=\"ja\">茨城県</span></dd>\n<dt>Code</dt><dd>082015</dd>" in html
    assert "<dt>e-Stat statistical area</dt>" in html
    assert ('<li><a href="../area/renkei-chusu/082015.html"><span lang="ja">いばらき県央地域連携中枢都市圏</span></a> — '
            "Partnership Core City Area (renkei chūsū toshiken), core city</li>") in html
    assert ('<li><a href="../area/teiju-jiritsu/082015.html"><span lang="ja">茨城県央地域定住自立圏</span></a> — '
            "Independent Settlement Area (teijū jiritsuken), core city</li>") in html
    assert "<h2>Partnership areas</h2>" in html and "<h2>Agreements</h2>" in html
    assert '<li><a href="../area/renkei-chusu/082015.html">' in read(dist, "en/municipality/082368.html")
    assert "— Partnership Core City Area (renkei chūsū toshiken), member</li>" in read(dist, "en/municipality/082368.html")


def test_the_english_index_of_municipalities_heads_each_prefecture_by_its_japanese_name_and_code(dist):
    html = read(dist, "en/municipalities.html")
    assert "<h1>Municipalities</h1>\n<p>460 municipalities, by prefecture, in the order of the local government codes.</p>" in html
    assert '<h2 id="pref-08"><span lang="ja">茨城県</span> (code 08): 9 municipalities</h2>' in html
    assert '<li><a href="municipality/082015.html"><span lang="ja">水戸市</span></a> <small>082015</small></li>' in html


def test_the_english_index_of_areas_and_of_full_texts(dist):
    areas = read(dist, "en/areas.html")
    assert "<h2>Partnership Core City Area (renkei chūsū toshiken): 36 areas</h2>" in areas
    assert "<h2>Independent Settlement Area (teijū jiritsuken): 39 areas</h2>" in areas
    assert '<h3><span lang="ja">茨城県</span></h3>' in areas
    assert ('<li><a href="area/renkei-chusu/082015.html"><span lang="ja">いばらき県央地域連携中枢都市圏</span></a> '
            '(core city: <span lang="ja">水戸市</span>)</li>') in areas
    texts = read(dist, "en/texts.html")
    assert "<h2>Agreements with full text (1)</h2>" in texts
    assert ('<li><a href="agreement/082015-082368/2022-02-21.html"><span lang="ja">いばらき県央地域連携中枢都市圏の形成に関する'
            '連携協約書</span></a> — <span lang="ja">水戸市・小美玉市</span>, 2022-02-21</li>') in texts
    assert "<h2>Amending agreements with full text (0)</h2>\n<p>None</p>" in texts


def test_the_english_statistic_page(dist):
    html = read(dist, "en/statistic/renkei-chusu/2024-04-01.html")
    assert "<h1>National totals: Partnership Core City Area (renkei chūsū toshiken), as of 2024-04-01</h1>" in html
    assert '<p class="notice">The national total as its source states it; the data may list fewer.</p>' in html
    assert '<dt>Publisher</dt><dd><span lang="ja">総務省</span></dd>' in html
    assert "<dt>Members, counted with repeats</dt><dd>376 (listed in this data: 351, the core cities included)</dd>" in html


def test_the_front_pages_map_lists_the_prefectures_areas_in_english(dist):
    assert ('<li id="map-pref-08"><span lang="ja">茨城県</span> (2 areas): <span lang="ja">いばらき県央地域連携中枢都市圏、'
            "茨城県央地域定住自立圏</span></li>") in read(dist, "en/index.html")
    assert "<li id=\"map-pref-08\">茨城県（2 圏域）: いばらき県央地域連携中枢都市圏、茨城県央地域定住自立圏</li>" in read(dist, "index.html")


def test_the_japanese_pages_are_as_they_were(dist):
    """Japanese first, the English beside it, exactly as before the English versions."""
    html = read(dist, IBARAKI)
    assert '<dt>枠組み <span class="en" lang="en">Framework</span></dt><dd>連携中枢都市圏</dd>' in html
    assert "<dt>構成市町村数 <span class=\"en\" lang=\"en\">Members</span></dt><dd>9（資料に記載の数: 9）</dd>" in html
    assert ('<thead><tr><th scope="col">市町村</th><th scope="col">都道府県</th><th scope="col">役割</th>'
            '<th scope="col">参加日</th></tr></thead>') in html
    assert ('<p class="download"><a href="082015.members.csv" download>CSV</a>（Excel 対応、UTF-8） '
            '<span class="en" lang="en">CSV for spreadsheets</span></p>') in html
    assert '<h2 id="pref-08">茨城県（9）</h2>' in read(dist, "municipalities.html")
    assert "<dt>都道府県 <span class=\"en\" lang=\"en\">Prefecture</span></dt><dd>茨城県</dd>" in read(dist, MITO)


@pytest.fixture(scope="module")
def synthetic_pages():
    """The synthetic area over time (tests/fixtures/time-model): amending agreements, a framework change."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(FIXTURES / "time-model" / "synthetic-area-over-time.ttl")
    return site_pages(store_of(graph))


def test_the_english_time_line_of_amending_agreements_and_of_a_successor(synthetic_pages):
    after = synthetic_pages["en/area/renkei-chusu/990001.html"]
    assert ('<strong>Amending agreement</strong><br><span lang="ja">「試験連携中枢都市圏形成に係る連携協約の一部を変更する連携協約」'
            '</span> — 2 amending agreements: <a href="../../agreement/990001-990002/2020-07-08.html"><span lang="ja">甲野町'
            '</span></a>, <a href="../../agreement/990001-990003/2020-07-08.html"><span lang="ja">乙川町</span></a><br>') in after
    # undated: the date as the source writes it, said to be that, outside the municipality's name
    assert ('<h3>Date unknown</h3>' in after and '— 1 amending agreement: <a href="../../agreement/990001-990004/undated.html">'
            '<span lang="ja">丙山村</span></a> (dated <span lang="ja">令和3年4月</span> in the source)<br>') in after
    before = synthetic_pages["en/area/teiju-jiritsu/990001.html"]
    assert ('<strong>Succeeded by an area of the other framework</strong><br><a href="../renkei-chusu/990001.html">'
            '<span lang="ja">試験連携中枢都市圏</span></a> — Partnership Core City Area (renkei chūsū toshiken)<br>') in before
    for html in (after, before):
        assert Reading(html).japanese_outside_japanese() == []
