"""The English versions of the agreement pages (issue 21, item 7): a full text, a registry record, an
amending agreement and a consolidated version at en/agreement/…, with their facts, headings, column
names, roles, policy fields, notices and provenance in English, the names and the text as published
in Japanese, marked lang="ja", and links to the English pages and to the same data files."""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef

from kyoyaku.graph.iris import BASE
from kyoyaku.graph.mapping import to_graph
from kyoyaku.publish.pages import site_pages
from kyoyaku.publish.pages.amending import article_name
from kyoyaku.publish.pages.language import ENGLISH, writing_in
from kyoyaku.publish.pages.site_graph import (
    Site,
    agreement_label,
    agreement_label_html,
    agreement_title,
)
from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES, read_from_a_bill
from .reference_documents import store_of
from .test_english_pages import Reading
from .test_pages import KASAMA_PAGE, KASAMA_RECORD, SEED_PAGE, Html
from .test_time_pages import SEED_DIR, amended_graph, amended_pages  # noqa: F401 (fixtures)

SEED_EN = "en/" + SEED_PAGE
MITO_OMITAMA = '<span lang="ja">水戸市・小美玉市</span>'
SEED_TITLE = '<span lang="ja">いばらき県央地域連携中枢都市圏の形成に関する連携協約書</span>'
AMENDING_TITLE = '<span lang="ja">いばらき県央地域連携中枢都市圏の形成に関する連携協約の一部を変更する連携協約</span>'


@pytest.fixture(scope="module")
def seed_pages(seed_graph):
    return site_pages(store_of(seed_graph))


def facts(page: str) -> dict[str, str]:
    """The first facts list of a page: the term of each <dt> → the HTML of its <dd>."""
    block = re.search(r'<dl class="facts">\n(.*?)\n</dl>', page, flags=re.DOTALL).group(1)
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block))


def section(page: str, heading: str) -> str:
    """The HTML of the <section> whose <h2> is `heading`."""
    return re.search(rf"<section[^>]*>\n<h2>{re.escape(heading)}</h2>\n(.*?)\n</section>", page,
                     flags=re.DOTALL).group(1)


def own_text_outside_japanese(page: str) -> list[str]:
    """Japanese text outside lang="ja" on an English page, but in the parts the agreement pages do not
    write themselves (the CSV link's paragraph, publish.pages.csv_links; the notes on the sources,
    publish.pages.source_notes), which test_english_pages checks with every other page."""
    own = re.sub(r'<p class="download">.*?</p>|<section id="source-notes">.*?</section>', "", page, flags=re.DOTALL)
    return Reading(own).japanese_outside_japanese()


# ---------------------------------------------------------------- the seed's full text


def test_the_english_seed_page_names_the_agreement_in_japanese_and_says_the_rest_in_english(seed_pages):
    page = seed_pages[SEED_EN]
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert ("<title>いばらき県央地域連携中枢都市圏の形成に関する連携協約書 (水戸市・小美玉市, 2022-02-21) | "
            "kyoyaku — Japanese inter-municipal partnership agreements</title>") in page
    assert f"<main>\n<h1>{SEED_TITLE}</h1>\n<p>{MITO_OMITAMA}, 2022-02-21</p>\n" in page
    assert ('<nav aria-label="Breadcrumbs"><a href="../../index.html">Home</a> › <a href="../../area/renkei-chusu/'
            f'082015.html"><span lang="ja">いばらき県央地域連携中枢都市圏</span></a> › {MITO_OMITAMA}, 2022-02-21</nav>') in page
    assert facts(page) == {
        "Date": ('<span class="date"><time datetime="2022-02-21">2022-02-21</time></span><br>'
                 '<small class="source" id="date-location">from the closing date (line 46)</small>'),
        "Framework": "Partnership Core City Area (renkei chūsū toshiken)",
        "Area": '<a href="../../area/renkei-chusu/082015.html"><span lang="ja">いばらき県央地域連携中枢都市圏</span></a>',
        "Legal basis": ('<a href="https://laws.e-gov.go.jp/law/322AC0000000067">Local Autonomy Act, Article 252-2, '
                        "paragraph 1</a>"),
        "Kind": "Full text",
        "Lapse": ('<span id="lapse-period">Lapses 2 years after notice is given (<a href="#art_6__para_2">the '
                  "provision</a>)</span>"),
    }
    assert own_text_outside_japanese(page) == []


def test_the_parties_have_english_columns_designations_and_roles(seed_pages):
    # one card per party on a narrow screen (the English column names are longer than the Japanese)
    assert section(seed_pages[SEED_EN], "Parties") == """<table class="cards">
<thead><tr><th scope="col">Designation</th><th scope="col">Municipality</th><th scope="col">Prefecture</th><th scope="col">Role</th></tr></thead>
<tbody>
<tr id="party/kou"><td data-label="Designation">Party A (<span lang="ja">甲</span>)</td><td data-label="Municipality"><a href="../../municipality/082015.html"><span lang="ja">水戸市</span></a></td><td data-label="Prefecture"><span lang="ja">茨城県</span></td><td data-label="Role">core city</td></tr>
<tr id="party/otsu"><td data-label="Designation">Party B (<span lang="ja">乙</span>)</td><td data-label="Municipality"><a href="../../municipality/082368.html"><span lang="ja">小美玉市</span></a></td><td data-label="Prefecture"><span lang="ja">茨城県</span></td><td data-label="Role">partner municipality</td></tr>
</tbody>
</table>"""


def test_the_full_text_stays_japanese_in_an_element_marked_so_with_an_english_note(seed_pages):
    page = seed_pages[SEED_EN]
    assert ('<h2>Text of the agreement</h2>\n<p class="note">The text is in Japanese, as published.</p>\n'
            '<div lang="ja">\n<div class="cover" id="cover">') in page
    # the div holds the whole text, to the end of the 別表 (the CSV link follows the section)
    assert "</table>\n</section>\n</section>\n</section>\n</div>\n</section><p class=\"download\">" in page
    assert '<section class="article" id="art_1">\n<h3>第1条（目的）</h3>' in page
    # the same text and anchors as the Japanese page's
    japanese = Html(seed_pages[SEED_PAGE])
    english = Html(seed_pages[SEED_EN])
    assert english.ids == japanese.ids


def test_the_beppyo_has_english_column_names_lead_marks_and_policy_fields(seed_pages):
    page = seed_pages[SEED_EN]
    html = Html(page)
    assert html.beppyo_rows == 16 and html.beppyo_tables == 5
    assert html.table_heads == [["Category", "Initiative", "Role of party A (甲)", "Role of party B (乙)",
                                 "National policy field"]] * 5
    assert page.count('<thead lang="en">') == 5
    assert page.count('<p class="legend" lang="en">◎ Lead marks the party that leads the initiative.</p>') == 1
    assert page.count('<strong class="lead-mark" lang="en">◎ Lead</strong> ') == 16 and "◎主体" not in page
    row = re.search(r'<tr id="annex_1/item_1">.*?</tr>', page).group(0)
    assert row == (
        '<tr id="annex_1/item_1"><th scope="row">企業や産業の育成・支援</th><td data-label="Initiative">'
        "産業活性化コーディネーターの派遣による事業者の経営力強化など、企業や産業の育成・支援に取り組む。</td>"
        '<td data-label="Role of party A (甲)" id="annex_1/item_1/role/kou" class="lead"><strong class="lead-mark" '
        'lang="en">◎ Lead</strong> 乙と連携して企業や産業の育成・支援に主体的に取り組む。</td>'
        '<td data-label="Role of party B (乙)" id="annex_1/item_1/role/otsu">甲と連携して企業や産業の育成・支援に取り組む。</td>'
        '<td data-label="National policy field" lang="en">forming industrial clusters, realising innovation, promoting '
        "start-ups, and fostering strategic industries built around mid-sized local firms<br><small>(mapped from a "
        "category of the same meaning)</small></td></tr>")


def test_the_english_page_links_english_pages_and_the_japanese_pages_data_files(seed_pages):
    links = Html(seed_pages[SEED_EN]).links()
    for href in ("../../municipality/082015.html", "../../municipality/082368.html", "../../area/renkei-chusu/082015.html",
                 "../../index.html", "../../../agreement/082015-082368/2022-02-21.ttl",
                 "../../../agreement/082015-082368/2022-02-21.jsonld",
                 "../../../agreement/082015-082368/2022-02-21.beppyo.csv", "../../../kyoyaku.ttl",
                 "../../../agreement/082015-082368/2022-02-21.html"):  # the language switch
        assert href in links, href
    assert "2022-02-21.beppyo.csv" not in links and "2022-02-21.ttl" not in links


def test_the_provenance_and_the_markup_of_the_english_page(seed_pages):
    assert section(seed_pages[SEED_EN], "Provenance") == """<dl class="facts">
<dt>File</dt><dd>mito-omitama-2022-02-21.txt</dd>
<dt>SHA-256</dt><dd><code>ddc16e362eb9ce82decfa4bb80dfc172fba747c20f8df9f1e0cd79299b9195d9</code></dd>
<dt>Size</dt><dd>8545 bytes</dd>
<dt>Encoding</dt><dd>utf-8</dd>
<dt>Policy-field mapping</dt><dd>policy-field-mapping.csv (version 7ceb86d34b2f)</dd>
</dl>"""
    # schema.org describes Japanese legislation: the same markup, in Japanese, on both pages
    assert Html(seed_pages[SEED_EN]).json_ld() == Html(seed_pages[SEED_PAGE]).json_ld()


def test_the_date_source_notice_and_bill_in_english(seed):
    page = site_pages(store_of(to_graph(read_from_a_bill(seed))))[SEED_EN]
    shown = facts(page)
    assert shown["Date"] == ('<span class="date"><time datetime="2022-02-21">2022-02-21</time></span><br>'
                             '<small class="source" id="date-location">from the <span lang="ja">例規集</span> header '
                             "(line 3)</small>")
    assert shown["Public notice"] == ('<span id="notice"><span lang="ja">告示第88号</span></span><br>'
                                      "<small>line 2 of the source</small>")
    assert shown["Council bill"] == (
        '<span id="bill">Number: <span lang="ja">議案第12号</span><br>Title: <span lang="ja">小美玉市との連携協約の'
        '締結について</span><br>Submitted: <span class="date"><time datetime="2022-02-10">2022-02-10</time></span>'
        "</span><br><small>line 1 of the source</small>")
    assert own_text_outside_japanese(page) == []


def test_three_parties_get_three_english_role_columns_and_undesignated_parties_their_names():
    three = site_pages(store_of(to_graph(parse_file(FIXTURES / "family" / "parties-three.txt"))))
    page = Html(next(text for path, text in three.items() if path.startswith("en/agreement/")))
    assert page.table_heads[0] == ["Category", "Initiative", "Role of party A (甲)", "Role of party B (乙)",
                                   "Role of party C (丙)", "National policy field"]
    named = site_pages(store_of(to_graph(parse_file(FIXTURES / "family" / "parties-full-names-to.txt"))))
    text = next(text for path, text in named.items() if path.startswith("en/agreement/"))
    assert ('<th scope="col">Role of <span lang="ja">郡山市</span></th><th scope="col">Role of <span lang="ja">三春町'
            "</span></th>") in text


def test_what_could_not_be_read_is_said_in_english_with_the_japanese_it_quotes_marked():
    pages = site_pages(store_of(to_graph(parse_file(FIXTURES / "family" / "dates-blank-day-draft.txt"))))
    text = next(text for path, text in pages.items() if path.startswith("en/agreement/"))
    assert ('<div class="notice"><p>Part of this agreement could not be read: it is published incomplete.</p><ul>'
            '<li lang="en">line 31: the date <span lang="ja">平成30年6月 日</span> is incomplete or does not exist</li>'
            "</ul></div>") in text
    assert own_text_outside_japanese(text) == []


# ---------------------------------------------------------------- a registry record (the shipped build)


def test_a_registry_record_in_english(national):
    dist, _ = national
    page = (dist / "en" / KASAMA_PAGE).read_text(encoding="utf-8")
    assert ('<h1>Partnership agreement between <span lang="ja">水戸市</span> and <span lang="ja">笠間市</span></h1>\n'
            '<p><span lang="ja">水戸市・笠間市</span>, 2022-02-21</p>\n'
            '<p class="notice">This agreement is known from the area registry (municipal and prefectural pages); its '
            "text is not in this dataset. Its parties, date, area and sources are below.</p>\n") in page
    assert facts(page)["Kind"] == "Registry record (the text is not in this dataset)"
    assert own_text_outside_japanese(page) == []


def test_agreements_are_named_in_the_page_language(national):
    _, store = national
    site = Site(store)
    record, full_text = URIRef(KASAMA_RECORD), URIRef(BASE + "agreement/082015-082368/2022-02-21")
    teiju = URIRef(BASE + "agreement/012076-016446/2011-07-07")
    assert agreement_title(site, record) == "水戸市と笠間市の連携協約"
    assert agreement_label(site, record) == "水戸市・笠間市、2022年2月21日"
    with writing_in(ENGLISH):
        assert agreement_title(site, record) == "Partnership agreement between 水戸市 and 笠間市"
        assert agreement_title(site, teiju) == "Independent Settlement Area agreement between 帯広市 and 池田町"
        assert agreement_title(site, full_text) == "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"
        assert agreement_label(site, record) == "水戸市・笠間市, 2022-02-21"
        assert agreement_label_html(site, record) == '<span lang="ja">水戸市・笠間市</span>, 2022-02-21'


# ---------------------------------------------------------------- amending agreements and versions (the seed amended)


def test_the_amended_agreement_says_its_amendments_and_version_in_force_in_english(amended_pages):  # noqa: F811
    page = amended_pages["en/" + SEED_DIR + "2022-02-21.html"]
    assert ('<p class="notice">The text below is the agreement as concluded; the text as amended is '
            '<a href="2022-02-21/version/2024-03-29.html">the version in force from 2024-03-29</a>.</p>') in page
    assert section(page, "Amendments and the version in force") == f"""<p>Version in force: <a href="2022-02-21/version/2024-03-29.html">Version in force from 2024-03-29</a></p>
<h3>Amending agreements</h3>
<ul>
<li>Concluded <span class="date"><time datetime="2023-03-20">2023-03-20</time></span>: “<a href="2023-03-20.html">{AMENDING_TITLE}</a>”, in force from <span class="date"><time datetime="2023-04-01">2023-04-01</time></span> (full text)</li>
<li>Concluded <span class="date"><time datetime="2024-03-29">2024-03-29</time></span>: “<a href="2024-03-29.html">{AMENDING_TITLE}</a>”, in force from <span class="date"><time datetime="2024-03-29">2024-03-29</time></span> (full text)</li>
</ul>
<h3>Consolidated versions</h3>
<ul>
<li><a href="2022-02-21/version/2023-04-01.html">Version in force from 2023-04-01</a> (to 2024-03-28)</li>
<li><a href="2022-02-21/version/2024-03-29.html">Version in force from 2024-03-29</a> (currently in force)</li>
</ul>"""


def test_an_amending_agreement_in_english_names_the_parts_it_changes_and_quotes_its_wording(amended_pages):  # noqa: F811
    page = amended_pages["en/" + SEED_DIR + "2023-03-20.html"]
    assert f"<main>\n<h1>{AMENDING_TITLE}</h1>\n<p>{MITO_OMITAMA}, amendment of 2023-03-20</p>\n" in page
    assert facts(page)["Amends"] == f'<a href="2022-02-21.html">{SEED_TITLE} ({MITO_OMITAMA}, 2022-02-21)</a>'
    assert facts(page)["Kind"] == "Amending agreement (full text)"
    assert re.findall(r"<dt>Part</dt><dd>(.*?)</dd>", page) == [
        '<a href="2022-02-21.html#art_5">Article 5</a>', '<a href="2022-02-21.html#art_6__para_2">Article 6, paragraph 2</a>',
        '<a href="2022-02-21.html#art_7">Article 7</a>',
        '<a href="2022-02-21.html#annex_1/item_1">Row “<span lang="ja">企業や産業の育成・支援</span>” of the <span lang="ja">別表</span></a>',
        '<a href="2022-02-21.html#annex_1/item_13">Row “<span lang="ja">環境</span>” of the <span lang="ja">別表</span></a>',
        '<a href="2022-02-21.html#annex_1/item_15">Row “<span lang="ja">移住・定住促進</span>” of the <span lang="ja">別表</span></a>']
    assert ('<li id="change_1"><p lang="ja">第5条中「定期的に」を「毎年度1回以上」に改める。</p>\n<dl class="facts">\n'
            "<dt>Kind</dt><dd>words replaced</dd>\n") in page
    assert '<dt>Old text</dt><dd><span lang="ja">定期的に</span></dd>\n<dt>New text</dt><dd><span lang="ja">毎年度1回以上</span></dd>' in page
    assert "<h2>Text of the amending agreement (apart from the changes)</h2>" in page
    assert own_text_outside_japanese(page) == []
    later = amended_pages["en/" + SEED_DIR + "2024-03-29.html"]
    assert re.findall(r"<dt>Part</dt><dd>(.*?)</dd>", later) == [
        '<a href="2022-02-21.html#art_5">Article 5</a>',
        '<a href="2022-02-21.html#annex_1/item_7">Row “<span lang="ja">高度なICT環境の整備</span>” of the <span lang="ja">別表</span></a>']
    assert '<li id="change_1"><p lang="ja">第５条の次に次の１条を加える。</p>' in later
    assert own_text_outside_japanese(later) == []


def test_articles_are_named_as_an_english_reader_names_them():
    assert article_name("第５条の２") == "第５条の２"  # the Japanese page: as written
    with writing_in(ENGLISH):
        assert [article_name(n) for n in ("第5条", "第５条の２", "第12条", "附則")] == [
            "Article 5", "Article 5-2", "Article 12", '<span lang="ja">附則</span>']


def test_a_consolidated_version_in_english(amended_pages):  # noqa: F811
    first = amended_pages["en/" + SEED_DIR + "2022-02-21/version/2023-04-01.html"]
    assert (f"<h1>{SEED_TITLE}<br><small>Version in force from 2023-04-01</small></h1>\n"
            '<p class="notice">This is not the version in force; see the <a href="2024-03-29.html">version in force '
            "from 2024-03-29</a>.</p>\n") in first
    assert facts(first)["Agreement"] == f'<a href="../../2022-02-21.html">{MITO_OMITAMA}, 2022-02-21</a>'
    assert ('<p class="note">The text is in Japanese: the agreement&#x27;s text as published, with the changes of the '
            'amending agreements applied.</p>\n<div lang="ja">') in first
    assert ('<small class="changed" lang="en">amended (<a href="../../2022-02-21.html#art_6__para_2">the original '
            "provision</a>)</small>") in first
    current = amended_pages["en/" + SEED_DIR + "2022-02-21/version/2024-03-29.html"]
    assert '<p class="notice">This is the version in force, as far as the data knows.</p>' in current
    for page in (first, current):
        assert own_text_outside_japanese(page) == []
