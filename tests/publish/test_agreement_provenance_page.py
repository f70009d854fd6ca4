"""The agreement page says where its facts came from (issue 17, item 2): the kind of place and the
line the date was read from, the public notice (告示) and the council bill (番号・件名・提出日), each
with its line in the source — Japanese first, English beside."""

from __future__ import annotations

import copy
import re

import pytest

from kyoyaku.graph.mapping import to_graph
from kyoyaku.publish.pages import site_pages
from kyoyaku.text.model import Bill

from .reference_documents import store_of
from .test_pages import SEED_PAGE, Html


def facts(page: str) -> dict[str, str]:
    """The page's facts: the Japanese term of each <dt> → the plain text of its <dd>."""
    found = re.findall(r"<dt>(.*?) <span[^>]*>.*?</span></dt><dd>(.*?)</dd>", page, flags=re.DOTALL)
    return {term: Html(value).plain() for term, value in found}


def read_from_a_bill(seed):
    a = copy.deepcopy(seed)
    a.bill = Bill(number="議案第12号", title="小美玉市との連携協約の締結について", date="2022-02-10", line=1)
    a.notice, a.notice_line = "告示第88号", 2
    a.date_source, a.date_line = "header", 3
    return a


def test_the_page_shows_the_date_source_notice_and_bill(seed):
    page = site_pages(store_of(to_graph(read_from_a_bill(seed))))[SEED_PAGE]
    shown = facts(page)
    assert shown["締結日"] == "令和4年2月21日（2022-02-21）例規集の見出しから（3行目） from the 例規集 header (line 3)"
    assert shown["告示"] == "告示第88号出典の2行目 line 2 of the source"
    assert shown["議案"] == ("番号 number: 議案第12号件名 title: 小美玉市との連携協約の締結について"
                           "提出日 submitted: 2022年2月10日（2022-02-10）出典の1行目 line 1 of the source")
    assert '<dt>議案 <span class="en" lang="en">Council bill</span></dt>' in page
    assert '<dt>告示 <span class="en" lang="en">Public notice</span></dt>' in page
    assert '<time datetime="2022-02-10">' in page
    assert {"date-location", "notice", "bill"} <= set(Html(page).ids)  # every node of the agreement has its anchor
    legislation = [d for d in Html(page).json_ld() if d.get("@type") == "Legislation"]
    assert [d.get("legislationIdentifier") for d in legislation] == ["告示第88号"]


@pytest.fixture(scope="module")
def seed_pages(seed_graph):
    return site_pages(store_of(seed_graph))


def test_the_seed_page_says_its_date_is_the_closing_date_and_has_no_notice_or_bill(seed_pages):
    page = seed_pages[SEED_PAGE]
    shown = facts(page)
    assert shown["締結日"] == "令和4年2月21日（2022-02-21）末尾の締結日から（46行目） from the closing date (line 46)"
    assert "告示" not in shown and "議案" not in shown
    assert all("legislationIdentifier" not in d for d in Html(page).json_ld())


def test_a_bill_without_a_date_shows_its_number_and_title_only(seed):
    a = read_from_a_bill(seed)
    a.bill.date = None
    shown = facts(site_pages(store_of(to_graph(a)))[SEED_PAGE])
    assert shown["議案"] == "番号 number: 議案第12号件名 title: 小美玉市との連携協約の締結について出典の1行目 line 1 of the source"


def test_terms_are_escaped(seed):
    a = read_from_a_bill(seed)
    a.bill.title = "<b>件名</b>"
    page = site_pages(store_of(to_graph(a)))[SEED_PAGE]
    assert "&lt;b&gt;件名&lt;/b&gt;" in page and "<b>件名</b>" not in page


def test_a_fact_read_from_a_pdf_page_says_the_page(seed):
    """A PDF's lines cite their page (kyo:sourceOrigin page=N&viewrect=…): the page says it beside the line."""
    a = read_from_a_bill(seed)
    a.source.line_origins = [f"page={1 if n < 2 else 2}&viewrect=56.7,{70 + 12 * n}.0,483.5,11.8" for n in range(60)]
    shown = facts(site_pages(store_of(to_graph(a)))[SEED_PAGE])
    assert shown["締結日"] == "令和4年2月21日（2022-02-21）例規集の見出しから（2ページ・3行目） from the 例規集 header (page 2, line 3)"
    assert shown["告示"] == "告示第88号出典の2行目（1ページ） line 2 of the source (page 1)"
