"""The registry over time on the site and in the growth figure: an area's time line, an agreement's
amending agreements and the version in force, the pages of amending agreements and consolidated
versions, coverage against the stated national totals, and members over time (joins add, ends
subtract). On the SYNTHETIC fixture tests/fixtures/time-model/synthetic-area-over-time.ttl (fictional
municipalities, areas and totals, written to the shared time model)."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef

from kyoyaku.graph.amendments import add_amendments
from kyoyaku.graph.iris import BASE
from kyoyaku.graph.mapping import to_graphs
from kyoyaku.publish import report
from kyoyaku.publish.pages import site_pages
from kyoyaku.publish.pages.site_graph import Site
from kyoyaku.publish.pages.timeline import Entry, area_history
from kyoyaku.publish.site import documents, resources
from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.sparql.query import find_query, run
from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES, SEED
from .reference_documents import lines_of, store_of
from .test_figures import drawn
from .test_pages import Html, broken_links, reference_pages, written_beside

FIXTURE = FIXTURES / "time-model" / "synthetic-area-over-time.ttl"
AREA = URIRef(BASE + "area/renkei-chusu/990001")
PREDECESSOR = URIRef(BASE + "area/teiju-jiritsu/990001")
KOUNO = URIRef(BASE + "agreement/990001-990002/2019-01-23")  # a full text, amended twice
OTSUKAWA = URIRef(BASE + "agreement/990001-990003/2019-01-23")  # a record, ended 2022-03-31
HEIYAMA = URIRef(BASE + "agreement/990001-990004/2020-04-01")  # a join
TEIHARA = URIRef(BASE + "agreement/990001-990005/undated-renkei-chusu")
M = BASE + "municipality/"
SOURCE = "https://example.org/synthetic/"
TITLE = "試験連携中枢都市圏形成に係る連携協約の一部を変更する連携協約"


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(FIXTURE)
    return g


@pytest.fixture(scope="module")
def pages(graph) -> dict[str, str]:
    return site_pages(store_of(graph))


def plain(pages, path: str) -> str:
    return Html(pages[path]).plain()


# ---------------------------------------------------------------- the area's time line


def test_area_history_is_every_dated_fact_in_date_order_then_the_undated(graph):
    entries = area_history(Site(store_of(graph)), AREA)
    assert entries == [
        # dated by the successor's kyo:frameworkChangedOn, not the predecessor's end the day before
        Entry("2019-01-23", "predecessor", ((PREDECESSOR, "試験定住自立圏（定住自立圏）"),),
              sources=(URIRef(SOURCE + "area-history"),)),
        Entry("2019-01-23", "formed", sources=(URIRef(SOURCE + "area"),)),
        Entry("2019-01-23", "join", ((KOUNO, "甲野町"), (OTSUKAWA, "乙川町")), sources=(URIRef(SOURCE + "area"),)),
        Entry("2020-04-01", "join", ((HEIYAMA, "丙山村"),), sources=(URIRef(SOURCE + "join"),)),
        Entry("2020-07-08", "amend", ((URIRef(BASE + "agreement/990001-990002/2020-07-08"), "甲野町"),
                                      (URIRef(BASE + "agreement/990001-990003/2020-07-08"), "乙川町")),
              TITLE, (URIRef(SOURCE + "amendment-2020"),)),
        # 乙川町's membership ended the same day as its agreement: one entry, not two
        Entry("2022-03-31", "end", ((OTSUKAWA, "乙川町"),), sources=(URIRef(SOURCE + "area"),)),
        Entry("2023-03-01", "amend", ((URIRef(BASE + "agreement/990001-990002/2023-03-01"), "甲野町"),),
              TITLE, (URIRef(SOURCE + "amendment-2023"),)),
        # undated: 丁原町's agreement (the core city, undated too, forms the area: not a join), and
        # an amending agreement no source dates
        Entry(None, "join", ((TEIHARA, "丁原町"),), sources=(URIRef(SOURCE + "area"),)),
        Entry(None, "amend", ((URIRef(BASE + "agreement/990001-990004/undated"), "丙山村（令和3年4月）"),),
              TITLE, (URIRef(SOURCE + "amendment-undated"),)),
    ]


def test_predecessor_time_line_ends_with_the_framework_change(graph):
    entries = area_history(Site(store_of(graph)), PREDECESSOR)
    assert [(x.date, x.kind, x.items) for x in entries] == [
        ("2010-04-01", "formed", ()),
        ("2019-01-22", "area-end", ()),
        ("2019-01-23", "successor", ((AREA, "試験連携中枢都市圏（連携中枢都市圏）"),)),
    ]


def timeline_rows(html: str) -> list[str]:
    """The time line's entries as text: the dated list, then the heading and entries of the undated."""
    section = re.search(r'<section id="timeline">(.*?)</section>', html, re.DOTALL)[1]
    return [re.sub(r"<[^>]+>", "", line) for line in section.split("\n") if line.startswith(("<li>", "<h3>"))]


def test_area_page_shows_the_time_line_in_japanese_with_english_beside(pages):
    rows = timeline_rows(pages["area/renkei-chusu/990001.html"])
    assert rows == [
        ("2019年1月23日（2019-01-23） 前身の圏域から移行 Succeeded an area of the other framework"
         "試験定住自立圏（定住自立圏）出典 source: example.org"),
        "2019年1月23日（2019-01-23） 圏域の形成 Area formed出典 source: example.org",
        ("2019年1月23日（2019-01-23） 協約の締結（加入） Agreement concluded (member joined)2 件: 甲野町、乙川町"
         "出典 source: example.org"),
        "2020年4月1日（2020-04-01） 協約の締結（加入） Agreement concluded (member joined)丙山村出典 source: example.org",
        f"2020年7月8日（2020-07-08） 変更協約 Amending agreement「{TITLE}」（2 件: 甲野町、乙川町）出典 source: example.org",
        "2022年3月31日（2022-03-31） 協約の終了 Agreement no longer in force乙川町出典 source: example.org",
        f"2023年3月1日（2023-03-01） 変更協約 Amending agreement「{TITLE}」（1 件: 甲野町）出典 source: example.org",
        "日付不明 Date unknown",
        "協約の締結（加入） Agreement concluded (member joined)丁原町出典 source: example.org",
        f"変更協約 Amending agreement「{TITLE}」（1 件: 丙山村（令和3年4月））出典 source: example.org",
    ]
    page = Html(pages["area/renkei-chusu/990001.html"])
    links = page.links()
    for target in ("../teiju-jiritsu/990001.html", "../../agreement/990001-990002/2020-07-08.html",
                   "../../agreement/990001-990003/2019-01-23.html", "../../agreement/990001-990004/undated.html",
                   SOURCE + "amendment-2023"):
        assert target in links, target
    # the agreement that ended says so in the table of the area's agreements
    assert ('<td data-label="締結日"><span class="date"><time datetime="2019-01-23">2019年1月23日</time>（2019-01-23）</span>'
            '<br><small>効力の最終日 <span class="date"><time datetime="2022-03-31">2022年3月31日</time>（2022-03-31）</span>'
            '</small></td><td data-label="当事者"><a href="../../agreement/990001-990003/2019-01-23.html">試験市・乙川町</a></td>') in pages[
        "area/renkei-chusu/990001.html"]
    # the membership that ended says until when
    assert "2019年1月23日（2019-01-23）終了 until 2022年3月31日（2022-03-31）" in page.plain()


def test_predecessor_page_links_its_successor_and_says_when_it_ended(pages):
    text = plain(pages, "area/teiju-jiritsu/990001.html")
    assert "終了 Ended2019年1月22日（2019-01-22）" in text
    assert "2019年1月23日（2019-01-23） 後継の圏域へ移行 Succeeded by an area of the other framework試験連携中枢都市圏（連携中枢都市圏）" in text
    assert "../renkei-chusu/990001.html" in Html(pages["area/teiju-jiritsu/990001.html"]).links()


def test_an_area_whose_stated_total_differs_from_its_list_says_so(pages):
    assert ("出典のページは構成市町村を4と記載していますが、5を掲載しています（中心市を含む）。"
            "The source page states 4 member municipalities; 5 are listed here (the core city included).") in plain(
        pages, "area/renkei-chusu/990001.html")
    assert "と記載していますが" not in plain(pages, "area/teiju-jiritsu/990001.html")  # no stated total


def test_area_page_counts_and_draws_agreements_not_amending_agreements(pages):
    page = pages["area/renkei-chusu/990001.html"]
    assert "（実線: 本文あり 1 件、破線: 登録簿のみ 3 件）" in page
    index = plain(pages, "index.html")
    assert "試験連携中枢都市圏（試験市、構成市町村 5、協約 4）" in index


# ---------------------------------------------------------------- an agreement's amendments and versions


def amendment_items(html: str) -> list[str]:
    """The items of an agreement page's section on amendments and versions, dates as D."""
    section = re.search(r'<section id="amendments">(.*?)</section>', html, re.DOTALL)[1]
    return re.findall(r"<li>(.*?)</li>", re.sub(r'<span class="date">.*?</span>', "D", section))


def test_agreement_page_lists_its_amending_agreements_and_links_the_version_in_force(pages):
    html = pages["agreement/990001-990002/2019-01-23.html"]
    section = re.search(r'<section id="amendments">(.*?)</section>', html, re.DOTALL)[1]
    assert ("現在有効な版 Version in force: 2023年4月1日から有効な版（2023-04-01〜）"
            in re.sub(r"<[^>]+>", "", section))
    assert amendment_items(html) == [
        f'D 締結 「<a href="2020-07-08.html">{TITLE}</a>」 Dから施行（本文あり）',
        f'D 締結 「<a href="2023-03-01.html">{TITLE}</a>」 Dから施行（登録簿のみ）',
        '<a href="2019-01-23/version/2020-08-01.html">2020年8月1日から有効な版</a>（2020-08-01〜2023-03-31）',
        '<a href="2019-01-23/version/2023-04-01.html">2023年4月1日から有効な版</a>（2023-04-01〜）（現在有効）',
    ]
    assert ('<span class="date"><time datetime="2020-07-08">2020年7月8日</time>（2020-07-08）</span> 締結' in section
            and '<span class="date"><time datetime="2023-04-01">2023年4月1日</time>（2023-04-01）</span>から施行' in section)
    # the text below is the one concluded, and says where the amended one is
    assert "以下は締結時の本文です。変更後の本文は現在有効な版（2023年4月1日から）にあります。" in Html(html).plain()


def test_an_ended_agreement_says_when_it_stopped_and_names_no_version_in_force(pages):
    html = pages["agreement/990001-990003/2019-01-23.html"]
    text = Html(html).plain()
    assert "効力の最終日 Last day in force2022年3月31日（2022-03-31）" in text
    assert ("この協約は効力を失っています（効力の最終日: 2022年3月31日（2022-03-31））。"
            "No longer in force: its last day in force was 2022-03-31.") in text
    assert "現在有効な版 Version in force" not in text and "version/" not in html
    assert amendment_items(html) == [f'D 締結 「<a href="2020-07-08.html">{TITLE}</a>」（登録簿のみ）']


def test_an_agreement_without_amendments_or_end_has_no_such_section(pages):
    assert 'id="amendments"' not in pages["agreement/990001-990005/undated-renkei-chusu.html"]


def test_amending_agreement_page_shows_its_changes_linked_to_the_amended_text(pages):
    html = pages["agreement/990001-990002/2020-07-08.html"]
    text = Html(html).plain()
    assert f"<h1>{TITLE}</h1>" in html
    assert "施行日 In force from2020年8月1日（2020-08-01）" in text
    assert '<a href="2019-01-23.html">試験連携中枢都市圏形成に係る連携協約（試験市・甲野町、2019年1月23日）</a>' in html
    [change] = re.findall(r'<li id="change_1">(.*?)</li>', html, re.DOTALL)
    assert [(dt, dd) for dt, dd in re.findall(r'<dt>([^<]+) <span class="en" lang="en">[^<]+</span></dt><dd>(.*?)</dd>',
                                               change)] == [
        ("種類", "字句の改正"),  # the change-kind concept's label, from the shipped ontology
        ("対象", '<a href="2019-01-23.html#art_1__para_1">第1条第1項</a>'),
        ("改正前", "観光の振興"), ("改正後", "観光及び防災の振興")]
    assert change.startswith("<p>第1条中「観光の振興」を「観光及び防災の振興」に改める。</p>")
    [markup] = Html(html).json_ld()
    assert markup["legislationChanges"]["@id"] == str(KOUNO)
    record = plain(pages, "agreement/990001-990002/2023-03-01.html")
    assert "この変更協約は圏域の登録簿（自治体・都道府県のページ）から知られています。本文はこのデータセットに未収録です。" in record


def test_version_pages_say_which_is_in_force_and_mark_what_changed(pages):
    old = pages["agreement/990001-990002/2019-01-23/version/2020-08-01.html"]
    current = pages["agreement/990001-990002/2019-01-23/version/2023-04-01.html"]
    assert "これは現在有効な版ではありません。現在有効な版: 2023年4月1日から有効な版" in Html(old).plain()
    assert '<a href="2023-04-01.html">2023年4月1日から有効な版</a>' in old
    assert "現在有効な版です（このデータの知る限り）。" in Html(current).plain()
    assert ('<p>甲及び乙は、観光及び防災の振興のために連携する。 <small class="changed">変更 <span class="en" lang="en">'
            'amended</span>（<a href="../../2019-01-23.html#art_1__para_1">元の規定 <span class="en" lang="en">'
            "original</span></a>）</small></p>") in old
    assert 'id="art_1__para_1"' in old and "効力の最終日 Last day in force2023年3月31日（2023-03-31）" in Html(old).plain()


# ---------------------------------------------------------------- coverage on the front page


def test_front_page_states_coverage_against_the_stated_total_or_says_it_is_not_complete(pages):
    text = plain(pages, "index.html")
    assert ("連携中枢都市圏 1 圏域を掲載（試験省によれば 3 圏域、2024年4月1日現在）。中心市 1 を掲載（出典の記載は 4）、"
            "構成市町村 延べ 5 を掲載（中心市を含む。出典の記載は延べ 20） 出典: example.org") in text
    assert '（試験省によれば <a href="statistic/renkei-chusu/2024-04-01.html">3 圏域</a>、' in pages["index.html"]
    # the one 定住自立圏 ended (the predecessor): listed, not counted as a current area
    assert ("定住自立圏 0 圏域を掲載（全国の総数を記載した出典がなく、この一覧は全数ではありません）。ほかに終了した 1 圏域を掲載"
            "Areas listed: 0; no source states the national total: the list is not complete; besides, 1 areas that "
            "ended.") in text
    assert SOURCE + "national-totals" in Html(pages["index.html"]).links()
    assert "変更協約 Amending agreements4" in text


def test_coverage_names_the_source_page_where_the_data_names_no_publisher(graph):
    """Without dcterms:publisher the total is attributed to its source page, never to nobody."""
    from rdflib.namespace import DCTERMS

    anonymous = Graph()
    for triple in graph.triples((None, None, None)):
        if triple[1] != DCTERMS.publisher:
            anonymous.add(triple)
    text = Html(site_pages(store_of(anonymous))["index.html"]).plain()
    assert "連携中枢都市圏 1 圏域を掲載（出典（example.org）によれば 3 圏域、2024年4月1日現在）" in text
    assert "試験省" not in text


def test_a_stated_total_has_its_page_beside_what_the_data_lists(pages):
    html = pages["statistic/renkei-chusu/2024-04-01.html"]
    text = Html(html).plain()
    assert "<h1>連携中枢都市圏の全国の総数（2024年4月1日現在）</h1>" in html
    assert "出典が述べる全国の総数です。このデータの一覧は全数ではないことがあります。" in text
    assert re.findall(r"<dt>([^<]+) <span[^>]*>[^<]+</span></dt><dd>([^<]+)</dd>", html.split("<h2>総数")[1]) == [
        ("圏域", "3（このデータに掲載: 1）"), ("中心市", "4（このデータに掲載: 1）"),
        ("構成市町村（延べ）", "20（このデータに掲載: 5、中心市を含む）")]
    assert "公表者 Publisher試験省" in text


# ---------------------------------------------------------------- the tree: links, documents, the reference Site


def test_every_link_of_the_fixture_pages_resolves(pages, graph):
    broken, checked = broken_links(pages, written_beside(store_of(graph)))
    assert broken == [] and checked > 100


def test_amending_agreements_and_versions_are_resources_with_documents_of_their_own(graph):
    store = store_of(graph)
    found = resources(store)
    assert [r for r in found if r.startswith(BASE + "agreement/990001-990002/")] == [
        str(KOUNO), f"{KOUNO}/version/2020-08-01", f"{KOUNO}/version/2023-04-01",
        BASE + "agreement/990001-990002/2020-07-08", BASE + "agreement/990001-990002/2023-03-01"]
    docs = dict(documents(store, lines_of(graph)))
    # the versions' parts are in their own documents; the agreement's has only the links to it
    assert [line for line in docs[str(KOUNO)] if line.startswith(f"<{KOUNO}/version/")] == [
        f"<{KOUNO}/version/{day}> <http://data.europa.eu/eli/ontology#consolidates> <{KOUNO}> .\n"
        for day in ("2020-08-01", "2023-04-01")]
    assert any(line.startswith(f"<{KOUNO}/version/2020-08-01/art_1__para_1> ") for line in docs[f"{KOUNO}/version/2020-08-01"])
    assert any(line.startswith(f"<{BASE}agreement/990001-990002/2020-07-08/change_1> ")
               for line in docs[BASE + "agreement/990001-990002/2020-07-08"])


def test_the_fixture_pages_read_from_a_store_are_those_read_from_the_graph(graph, pages, monkeypatch):
    assert pages == reference_pages(graph, monkeypatch)


# ---------------------------------------------------------------- members over time: joins add, ends subtract


@pytest.fixture(scope="module")
def growth_rows(graph):
    data = Graph()
    for triple in graph:
        data.add(triple)
    for triple in reference_graph():  # the frameworks' notations
        data.add(triple)
    return run(store_of(data), find_query("area-growth"))


def test_area_growth_adds_joins_and_subtracts_ends(growth_rows):
    assert growth_rows.columns == ["area", "area_label", "framework", "date", "joined", "ended", "members", "undated"]
    assert growth_rows.rows == [
        [str(AREA), "試験連携中枢都市圏", "renkei-chusu", "2019-01-23", 2, 0, 2, 2],
        [str(AREA), "試験連携中枢都市圏", "renkei-chusu", "2020-04-01", 1, 0, 3, 2],
        [str(AREA), "試験連携中枢都市圏", "renkei-chusu", "2022-03-31", 0, 1, 2, 2],
    ]


def test_growth_figure_steps_down_at_an_end_and_its_caption_says_so(growth_rows, tmp_path):
    [area] = report._growths(growth_rows)
    assert area.steps == [("2019-01-23", 2), ("2020-04-01", 3), ("2022-03-31", 2)]
    assert area.ends == ("2022-03-31",) and area.undated == 2
    caption = report._growth_caption(growth_rows, run(store_of(Graph()), find_query("area-sizes")))
    assert caption.startswith("構成市町村の数の推移、1 圏域: 加入日（中心市との協約の日付）で 1 増え、終了日（協約の終了・"
                              "構成市町村でなくなった日）で 1 減る（終了 1 件、▽で示す）。")
    paths = report.growth_figure(growth_rows, tmp_path / "area-growth")
    assert [p.name for p in paths] == ["area-growth.png", "area-growth.svg"]
    # the panel's last count is the members after the end (2, not the 3 who ever joined); the legend keys ▽
    assert drawn(paths[1]) == ["2019", "2020", "2021", "2022", "2023", "0", "1", "2", "3", "2", "日付不明 2",
                               "試験連携中枢都市圏", "日付のある構成市町村（加入の累計 − 終了）", "圏域の拡大（日付のある加入と終了）",
                               "連携中枢都市圏", "終了（構成市町村でなくなった日）"]



# ---------------------------------------------------------------- the seed amended: the amendments fixtures, mapped


@pytest.fixture(scope="module")
def amended_graph() -> Graph:
    """The seed with the two fictional amending agreements of tests/fixtures/amendments/ (2023-03-20,
    in force 2023-04-01; 2024-03-29, in force that day), mapped as the build maps them."""
    texts = [parse_file(SEED)] + [parse_file(FIXTURES / "amendments" / name)
                                  for name in ("mito-omitama-2023-03-20.txt", "mito-omitama-2024-03-29.txt")]
    graph = to_graphs([t for t in texts if t.amendment is None])
    assert add_amendments(graph, texts) == []
    return graph


@pytest.fixture(scope="module")
def amended_pages(amended_graph) -> dict[str, str]:
    return site_pages(store_of(amended_graph))


SEED_DIR = "agreement/082015-082368/"


def test_the_amended_seed_links_its_amending_agreements_and_the_version_in_force(amended_pages, amended_graph):
    html = amended_pages[SEED_DIR + "2022-02-21.html"]
    assert ('現在有効な版 <span class="en" lang="en">Version in force</span>: <a href="2022-02-21/version/2024-03-29.html">'
            "2024年3月29日から有効な版</a>（2024-03-29〜）") in html
    assert amendment_items(html) == [
        ('D 締結 「<a href="2023-03-20.html">いばらき県央地域連携中枢都市圏の形成に関する連携協約の一部を変更する連携協約</a>」'
        " Dから施行（本文あり）"),
        ('D 締結 「<a href="2024-03-29.html">いばらき県央地域連携中枢都市圏の形成に関する連携協約の一部を変更する連携協約</a>」'
        " Dから施行（本文あり）"),
        '<a href="2022-02-21/version/2023-04-01.html">2023年4月1日から有効な版</a>（2023-04-01〜2024-03-28）',
        '<a href="2022-02-21/version/2024-03-29.html">2024年3月29日から有効な版</a>（2024-03-29〜）（現在有効）',
    ]
    assert broken_links(amended_pages, written_beside(store_of(amended_graph)))[0] == []


def test_a_version_page_keeps_the_order_of_the_text_and_links_what_each_change_replaced(amended_pages):
    first = amended_pages[SEED_DIR + "2022-02-21/version/2023-04-01.html"]
    second = amended_pages[SEED_DIR + "2022-02-21/version/2024-03-29.html"]
    # articles in their order (第7条 was replaced by the amending text, whose lines come first: not by line)
    assert re.findall(r"<h3>(第[^<（]+)", first) == [f"第{n}条" for n in range(1, 8)]
    assert re.findall(r"<h3>(第[^<（]+)", second) == ["第1条", "第2条", "第3条", "第4条", "第5条", "第５条の２", "第6条", "第7条"]
    # a part the first version changed links to the agreement's; one the second changed, to the first version's
    assert '<a href="../../2022-02-21.html#art_6__para_2">元の規定' in first
    assert '<a href="2023-04-01.html#annex_1/item_7">元の規定' in second


def test_an_amending_agreement_page_names_the_parts_it_changes(amended_pages):
    html = amended_pages[SEED_DIR + "2023-03-20.html"]
    assert re.findall(r'<dt>対象 <span class="en" lang="en">Part</span></dt><dd>(.*?)</dd>', html) == [
        '<a href="2022-02-21.html#art_5">第5条</a>', '<a href="2022-02-21.html#art_6__para_2">第6条第2項</a>',
        '<a href="2022-02-21.html#art_7">第7条</a>',
        '<a href="2022-02-21.html#annex_1/item_1">別表の「企業や産業の育成・支援」の行</a>',
        '<a href="2022-02-21.html#annex_1/item_13">別表の「環境」の行</a>',
        '<a href="2022-02-21.html#annex_1/item_15">別表の「移住・定住促進」の行</a>']
    assert '<li id="change_1"><p>第5条中「定期的に」を「毎年度1回以上」に改める。</p>' in html


# ---------------------------------------------------------------- the imported registry (events.csv applied)


def history(national, area: str) -> list[tuple]:
    """(date, kind, item labels, title) of an area's time line in the shipped build."""
    _, store = national
    return [(x.date, x.kind, [label for _, label in x.items], x.title)
            for x in area_history(Site(store), URIRef(BASE + area))]


KORIYAMA_14 = ["須賀川市", "田村市", "本宮市", "大玉村", "鏡石町", "天栄村", "猪苗代町", "石川町", "玉川村", "平田村",
               "浅川町", "古殿町", "三春町", "小野町"]


def test_koriyama_time_line_has_its_joins_and_the_amendment_of_all_fifteen(national):
    # events.csv: 二本松市 joined 2019-10-18, every member then (14 + 二本松市) amended 2020-07-08, 磐梯町
    # joined 2022-02-07; the 14 others' agreements of 2019-01-23 are areas.csv's
    assert history(national, "area/renkei-chusu/072036") == [
        ("2019-01-23", "join", KORIYAMA_14, ""),
        ("2019-10-18", "join", ["二本松市"], ""),
        ("2020-07-08", "amend", [KORIYAMA_14[0], "二本松市", *KORIYAMA_14[1:]],
         "連携中枢都市圏形成に係る連携協約の一部を変更する連携協約"),
        ("2022-02-07", "join", ["磐梯町"], ""),
    ]


def test_kochi_framework_change_links_predecessor_and_successor_in_date_order(national):
    # events.csv: 高知中央広域定住自立圏 ended 2018-03-31; れんけいこうち広域都市圏 replaced it from 2018-03-28
    assert history(national, "area/teiju-jiritsu/392014") == [
        ("2018-03-28", "successor", ["れんけいこうち広域都市圏（連携中枢都市圏）"], ""),
        ("2018-03-31", "area-end", [], ""),
    ]
    assert history(national, "area/renkei-chusu/392014")[:2] == [
        ("2018-03-28", "predecessor", ["高知中央広域定住自立圏（定住自立圏）"], ""),
        ("2018-03-28", "join", ["安芸市", "四万十市"], ""),
    ]
