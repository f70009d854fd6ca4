"""The HTML site (kyoyaku.publish.pages): one page per agreement, municipality and area, and index.html.

Pages are read back with the standard library's HTMLParser: ids, links, tables, JSON-LD."""

from __future__ import annotations

import csv
import json
import posixpath
import re
from collections import defaultdict
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kyoyaku.graph.iris import BASE, KYO, ORG, site_path
from kyoyaku.graph.mapping import to_graph
from kyoyaku.publish import pages as pages_module
from kyoyaku.publish.pages import site_pages
from kyoyaku.publish.pages.site_graph import PAGE_TYPES, Site
from kyoyaku.shacl.shapes import reference_graph
from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES, KENOU, KENOU_TEIJU, ROOT, SEED, SEED_IRI
from .reference_documents import store_of

SEED_PAGE = "agreement/082015-082368/2022-02-21.html"
KASAMA_RECORD = BASE + "agreement/082015-082163/2022-02-21"  # 水戸市 × 笠間市: registry record only
KASAMA_PAGE = "agreement/082015-082163/2022-02-21.html"
OMITAMA_PAGE = "municipality/082368.html"
KENOU_PAGE = "area/renkei-chusu/082015.html"
# What the build writes beside the pages (the lead's layout): every link must land on one of these.
DUMPS = [f"kyoyaku.{ext}{gz}" for ext in ("ttl", "jsonld", "nt") for gz in ("", ".gz")]
OTHER_FILES = [*DUMPS, "catalog.ttl", "ontology/index.html", "report/index.html", "en/report/index.html",
               "report/coverage.svg", "report/areas.svg", "report/index.summary.csv"]
FAMILY = sorted(p for p in (FIXTURES / "family").glob("*.txt") if not p.name.startswith("not-agreement"))


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class Html(HTMLParser):
    """What the tests look at in a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.scripts: list[tuple[str, str]] = []  # (type, content) of scripts and style sheets
        self.beppyo_rows = 0
        self.beppyo_tables = 0
        self.table_heads: list[list[str]] = []  # column headers of each 別表 table
        self._stack: list[tuple[str, dict]] = []
        self._script: str | None = None
        self._th: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in ("script", "style"):
            self._script = ""
        in_beppyo = any(t == "table" and "beppyo" in a.get("class", "").split() for t, a in self._stack)
        if tag == "table" and "beppyo" in attrs.get("class", "").split():
            self.beppyo_tables += 1
            self.table_heads.append([])
        if in_beppyo and tag == "tr" and any(t == "tbody" for t, _ in self._stack):
            self.beppyo_rows += 1
        if in_beppyo and tag == "th" and any(t == "thead" for t, _ in self._stack):
            self._th = []
        if tag not in VOID:
            self._stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._script is not None:
            self.scripts.append((self._stack[-1][1].get("type", tag), self._script))
            self._script = None
        if tag == "th" and self._th is not None:
            self.table_heads[-1].append("".join(self._th))
            self._th = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._script is not None:
            self._script += data
            return
        self.text.append(data)
        if self._th is not None:
            self._th.append(data)

    def links(self) -> list[str]:
        return [a[attr] for tag, a in self.tags for attr in ("href", "src") if attr in a]

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)

    def plain(self) -> str:
        return "".join(self.text)

    def json_ld(self) -> list[dict]:
        return [json.loads(content) for kind, content in self.scripts if kind == "application/ld+json"]


def targets(pages: dict[str, str]) -> set[str]:
    """Every file of the published tree: the pages, the .ttl/.jsonld beside each resource page,
    and the dumps, catalogue, ontology page and figures."""
    out = set(pages) | set(OTHER_FILES)
    for path in pages:
        if path not in ("index.html", "municipalities.html", "areas.html", "texts.html"):
            out |= {path.removesuffix(".html") + ".ttl", path.removesuffix(".html") + ".jsonld"}
    return out


def parts_of(graph: Graph, agreement: str) -> set[str]:
    """The anchors an agreement page must have: every node below the agreement IRI."""
    prefix = agreement + "/"
    return {str(s)[len(prefix):] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(prefix)}


@pytest.fixture(scope="module")
def seed_pages(seed_graph):
    return site_pages(store_of(seed_graph))


@pytest.fixture(scope="module")
def national_pages(national_graph):
    return site_pages(store_of(national_graph))


@pytest.fixture(scope="module")
def corpus_pages(corpus_graph):
    return site_pages(store_of(corpus_graph))


# ---------------------------------------------------------------- the seed agreement


def test_seed_pages_are_the_agreement_its_municipalities_and_area(seed_pages):
    japanese = [SEED_PAGE, KENOU_PAGE, "areas.html", "index.html", "municipalities.html",
                "municipality/082015.html", OMITAMA_PAGE, "texts.html"]
    assert sorted(seed_pages) == sorted(japanese + ["en/" + path for path in japanese])


def test_seed_page_has_the_16_rows_of_its_beppyo(seed_pages):
    page = Html(seed_pages[SEED_PAGE])
    assert page.beppyo_rows == 16
    assert page.beppyo_tables == 5  # sections 1, 2, 3-1, 3-2, 3-3
    assert all(head == ["区分", "連携する取組", "甲の役割", "乙の役割", "国の政策分野"] for head in page.table_heads)
    text = page.plain()
    assert "小美玉市" in text and "水戸市" in text
    leads = [a for tag, a in page.tags if tag == "td" and "lead" in a.get("class", "").split()]
    assert len(leads) == 16 and all(a["id"].endswith("/role/kou") for a in leads)  # 甲 leads every row
    assert text.count("◎主体") == 2 + 16  # the legend (ja, en) and the marks
    assert "産業クラスターの形成" in text  # the national policy field of row 1 (industry-cluster)


def test_seed_page_has_an_anchor_for_every_part(seed_graph, seed_pages):
    page = Html(seed_pages[SEED_PAGE])
    expected = parts_of(seed_graph, SEED_IRI)
    assert {"art_3__para_2", "annex_1/item_16", "annex_1/item_1/role/kou", "party/otsu", "signature/kou",
            "source", "cover", "lapse-period"} <= expected
    assert expected <= set(page.ids)
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"


def test_seed_page_shows_text_signatures_and_provenance(seed_pages):
    text = Html(seed_pages[SEED_PAGE]).plain()
    for expected in ("第3条（連携する取組並びに甲及び乙の役割分担）", "前項に規定する取組を推進するため",
                     "令和4年2月21日", "2022-02-21", "高橋 靖", "島田 穰一", "mito-omitama-2022-02-21.txt",
                     "ddc16e362eb9ce82decfa4bb80dfc172fba747c20f8df9f1e0cd79299b9195d9", "連携中枢都市圏",
                     "いばらき県央地域連携中枢都市圏", "地方自治法第252条の2第1項"):
        assert expected in text, expected


def test_seed_page_links_parties_area_and_machine_formats(seed_pages):
    links = Html(seed_pages[SEED_PAGE]).links()
    for href in ("../../municipality/082015.html", "../../municipality/082368.html", "../../area/renkei-chusu/082015.html",
                 "2022-02-21.ttl", "2022-02-21.jsonld", "../../kyoyaku.ttl", "../../index.html"):
        assert href in links, href


def test_seed_page_embeds_schema_org_legislation(seed_pages):
    (data,) = Html(seed_pages[SEED_PAGE]).json_ld()
    assert data["@type"] == "Legislation"
    assert data["legislationDate"] == "2022-02-21"
    assert data["inLanguage"] == "ja"
    assert data["url"] == data["@id"] == SEED_IRI
    assert data["name"] == "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"
    assert data["isBasedOn"]["@id"] == BASE + "law/322AC0000000067/art_252-2__para_1"
    assert data["about"]["@id"] == KENOU
    assert [p["name"] for p in data["spatialCoverage"]] == ["水戸市", "小美玉市"]
    assert "小美玉市" in seed_pages[SEED_PAGE]  # ensure_ascii=False: real characters, not \\u escapes


# ---------------------------------------------------------------- every page


def broken_links(pages: dict[str, str], beside: set[str] = frozenset()) -> tuple[list[str], int]:
    """Relative links (href, src) that land on no file of the tree, or on no anchor of a page;
    and how many relative links there were. `beside`: the other files the build writes with the pages."""
    files = targets(pages) | beside
    ids = {path: set(Html(text).ids) for path, text in pages.items()}
    broken, checked = [], 0
    for path, text in pages.items():
        for link in Html(text).links():
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            checked += 1
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), parts.path)) if parts.path else path
            if target not in files:
                broken.append(f"{path}: {link}")
            elif parts.fragment and target in ids and parts.fragment not in ids[target]:
                broken.append(f"{path}: {link} (no such anchor)")
    return broken, checked


def written_beside(store) -> set[str]:
    """What the build writes beside the pages from the same data: the search page and its files, the
    tables' CSVs, the queries' CSVs (publish.search, publish.downloads) and each agreement's nested
    JSON (publish.framed)."""
    import pyoxigraph as ox

    from kyoyaku.publish.downloads import table_files
    from kyoyaku.publish.framed import SUFFIX
    from kyoyaku.publish.pages.csv_links import downloadable_queries, query_csv_path
    from kyoyaku.publish.search import search_files

    agreements = [q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                                   ox.NamedNode(str(KYO.Agreement)))]
    return ({path for path, _ in search_files(store)} | {path for path, _ in table_files(store)}
            | {query_csv_path(q) for q in downloadable_queries()}
            | {site_path(a) + SUFFIX for a in agreements if site_path(a)})


@pytest.mark.parametrize("which", ["seed", "corpus", "national"])
def test_every_relative_link_resolves(which, request):
    pages = request.getfixturevalue(f"{which}_pages")
    broken, checked = broken_links(pages, written_beside(store_of(request.getfixturevalue(f"{which}_graph"))))
    assert not broken, "\n".join(broken[:20])
    assert checked > 10 * len(pages)


def test_a_broken_link_is_found(seed_pages, seed_graph):
    pages = dict(seed_pages)
    pages["index.html"] = pages["index.html"].replace('href="area/', 'href="areas/', 1)
    pages[SEED_PAGE] = pages[SEED_PAGE].replace('href="#art_6__para_2"', 'href="#art_6__para_9"')
    broken, _ = broken_links(pages, written_beside(store_of(seed_graph)))
    assert len(broken) == 2


@pytest.mark.parametrize("which", ["seed", "national"])
def test_every_page_is_an_html5_document_in_its_language_without_outside_resources(which, request):
    for path, text in request.getfixturevalue(f"{which}_pages").items():
        language = "en" if path.startswith("en/") else "ja"
        assert text.startswith(f"<!DOCTYPE html>\n<html lang=\"{language}\">"), path
        page = Html(text)
        assert page.count("h1") == 1, path
        assert page.count("title") == 1 and ("meta", {"charset": "utf-8"}) in page.tags, path
        assert len(page.ids) == len(set(page.ids)), f"{path}: duplicate ids"
        for tag, attrs in page.tags:
            if tag == "img":
                assert attrs.get("alt"), f"{path}: img without alt"
            if tag in ("img", "script", "link", "iframe", "source"):
                assert not urlsplit(attrs.get("src") or attrs.get("href") or "").scheme, f"{path}: outside resource"
            if tag == "script":
                assert attrs.get("type") == "application/ld+json", f"{path}: script"


def test_output_is_deterministic(national_graph, national_pages):
    assert site_pages(store_of(national_graph)) == national_pages
    shuffled = Graph()  # the same triples, added in the opposite order
    for triple in sorted(national_graph, reverse=True):
        shuffled.add(triple)
    assert site_pages(store_of(shuffled)) == national_pages


def test_a_page_for_every_agreement_municipality_and_area(national_graph, national_pages):
    for kind in (KYO.Agreement, KYO.Municipality, KYO.PartnershipArea):
        for iri in national_graph.subjects(RDF.type, kind):
            assert f"{site_path(str(iri))}.html" in national_pages, iri


# ---------------------------------------------------------------- registry records, municipalities, areas


def test_a_record_page_says_it_is_known_from_the_registry_only(national_graph, national_pages):
    assert (URIRef(KASAMA_RECORD), RDF.type, KYO.AgreementRecord) in national_graph
    page = Html(national_pages[KASAMA_PAGE])
    text = page.plain()
    assert "本文はこのデータセットに未収録です" in text and "its text is not in this dataset" in text
    assert "笠間市" in text and "水戸市" in text and "2022-02-21" in text
    assert "https://www.city.mito.lg.jp/site/central-area-of-ibaraki-prefecture-renkei-chusu/" in page.links()
    assert "one of the eight agreements of that day" in text  # its skos:editorialNote
    assert page.beppyo_tables == 0 and "協約本文" not in text
    assert "../../municipality/082163.html" in page.links() and "../../area/renkei-chusu/082015.html" in page.links()
    (data,) = page.json_ld()
    assert data["@type"] == "Legislation" and data["legislationDate"] == "2022-02-21"
    assert "isBasedOn" in data


def test_the_full_text_replaces_the_record_of_the_seed(national_pages):
    text = Html(national_pages[SEED_PAGE]).plain()
    assert "本文はこのデータセットに未収録" not in text and Html(national_pages[SEED_PAGE]).beppyo_rows == 16


def test_municipality_page_links_both_kenou_areas_and_its_agreements(national_pages):
    page = Html(national_pages[OMITAMA_PAGE])
    text = page.plain()
    assert "小美玉市" in text and "茨城県" in text and "082368" in text
    assert "http://data.e-stat.go.jp/lod/sac/C08236" in page.links()
    links = page.links()
    assert "../area/renkei-chusu/082015.html" in links  # いばらき県央地域連携中枢都市圏
    assert "../area/teiju-jiritsu/082015.html" in links  # 茨城県央地域定住自立圏, its predecessor
    assert "../agreement/082015-082368/2022-02-21.html" in links
    assert "../agreement/082015-082368/undated-teiju-jiritsu.html" in links


def test_area_page_lists_members_agreements_predecessor_and_sources(national_pages):
    page = Html(national_pages[KENOU_PAGE])
    text, links = page.plain(), page.links()
    assert "いばらき県央地域連携中枢都市圏" in text and "連携中枢都市圏" in text
    for code in ("082015", "082163", "082210", "082261", "082368", "083020", "083097", "083101", "083411"):
        assert f"../../municipality/{code}.html" in links, code
    assert "member/082368" in page.ids  # the membership node's anchor
    assert "2022-02-21" in text  # joining date
    assert "../../agreement/082015-082368/2022-02-21.html" in links  # the full text
    assert "../../agreement/082015-082163/2022-02-21.html" in links  # a record
    assert "本文あり" in text and "登録簿のみ" in text
    assert "../teiju-jiritsu/082015.html" in links  # predecessor
    assert "https://www.city.naka.lg.jp/gyousei/ijyu-teijyu/page008428.html" in links
    assert "succeeds the 茨城県央地域定住自立圏" in text
    predecessor = Html(national_pages[KENOU_TEIJU.removeprefix(BASE) + ".html"])
    assert "../renkei-chusu/082015.html" in predecessor.links()  # successor
    assert "2016年度" in predecessor.plain()


def test_area_page_draws_its_agreements_inline(national_pages):
    """The area's diagram, moved from the report (one matplotlib panel per area) to its page: inline SVG,
    the core city in the middle, a line to each partner per agreement, solid for the full text."""
    page = national_pages[KENOU_PAGE]
    svg = re.search(r'<figure class="diagram"><svg [^>]*viewBox="0 0 480 480"[^>]*>(.*?)</svg>', page)[1]
    names = {name: (x, y) for x, y, name in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)}
    assert next(iter(names)) == "水戸市" and names["水戸市"] == ("240.0", "240.0")
    assert sorted(list(names)[1:]) == sorted(["笠間市", "ひたちなか市", "那珂市", "小美玉市", "茨城町", "大洗町", "城里町", "東海村"])
    edges = re.findall(r'<path d="M240.0,240.0 Q[\d.]+,[\d.]+ ([\d.]+),([\d.]+)" fill="none" stroke-width="1.5" '
                       r'stroke="(#1f4e79|#7f7f7f)"', svg)
    assert len(edges) == 8 and {(x, y) for x, y, _ in edges} == set(list(names.values())[1:])
    assert [names["小美玉市"]] == [(x, y) for x, y, color in edges if color == "#1f4e79"]  # the seed's full text
    assert ("<figcaption>中心市と構成市町村、協約 1 件につき 1 本の線（実線: 本文あり 1 件、破線: 登録簿のみ 7 件） "
            '<span class="en" lang="en">Core city and partners, one line per agreement (solid: full text, 1; '
            "dashed: registry record only, 7)</span></figcaption>") in page


def test_index_links_every_area_figures_and_downloads(national_graph, national_pages):
    page = Html(national_pages["index.html"])
    links = page.links()
    for area in national_graph.subjects(RDF.type, KYO.PartnershipArea):
        assert f"{site_path(str(area))}.html" in links, area
    for name in (*DUMPS, "catalog.ttl", "ontology/index.html", SEED_PAGE):
        assert name in links, name
    images = [a for tag, a in page.tags if tag == "img"]
    assert sorted(a["src"] for a in images) == ["report/areas.svg", "report/coverage.svg"]
    assert all(a["alt"] for a in images)
    records = len(set(national_graph.subjects(RDF.type, KYO.AgreementRecord)))
    assert records > 100 and f"{records}" in page.plain()  # counted on the page


def test_front_page_states_coverage_against_the_stated_total_and_that_teiju_is_not_complete(national_graph,
                                                                                             national_pages):
    """総務省's total of 2024-04-01 against the 連携中枢都市圏 listed (areas, core cities, memberships: counted
    in the graph), and for 定住自立圏, with no total stated, that the list is not complete."""
    renkei = URIRef(BASE + "concept/framework/renkei-chusu")
    areas = {fw: set(national_graph.subjects(KYO.framework, fw)) & set(national_graph.subjects(RDF.type, KYO.PartnershipArea))
             for fw in (renkei, URIRef(BASE + "concept/framework/teiju-jiritsu"))}
    cores = {c for a in areas[renkei] for c in national_graph.objects(a, KYO.coreCity)}
    memberships = {(ms, a) for a in areas[renkei] for ms in national_graph.subjects(ORG.organization, a)}
    counted = (len(areas[renkei]), len(cores), len(memberships), len(areas[URIRef(BASE + "concept/framework/teiju-jiritsu")]))
    assert counted == (36, 36, 351, 39)  # the 65 areas of the compilation, いばらき県央's two, areas named only in events
    text = Html(national_pages["index.html"]).plain()
    assert ("連携中枢都市圏 36 圏域を掲載（総務省によれば 38 圏域、2024年4月1日現在）。中心市 36 を掲載（出典の記載は 40）、"
            "構成市町村 延べ 351 を掲載（中心市を含む。出典の記載は延べ 376）") in text
    # three 定住自立圏 ended (events.csv: 上川中部, 山形, 高知中央): listed apart, as the coverage query counts
    ended = {a for a in areas[URIRef(BASE + "concept/framework/teiju-jiritsu")] if (a, KYO.endedOn, None) in national_graph}
    assert len(ended) == 3
    assert "定住自立圏 36 圏域を掲載（全国の総数を記載した出典がなく、この一覧は全数ではありません）。ほかに終了した 3 圏域を掲載" in text
    assert "https://www.soumu.go.jp/main_sosiki/jichi_gyousei/renkeichusutoshiken/index.html" in Html(
        national_pages["index.html"]).links()


def test_an_area_whose_stated_member_total_differs_says_so_in_japanese(national_pages):
    """Every area page whose source states a member total other than the members listed (the core city
    included) says so, with both numbers: the five of the compilation's areas_summary.csv, and two whose
    list a join of events.csv lengthened (嬬恋村 in 上田地域定住自立圏, 吉富町 in 北九州都市圏域: members
    areas.csv does not list), and no other."""
    said = {}
    for path, text in national_pages.items():
        if path.startswith("area/"):
            found = re.search(r"出典のページは構成市町村を(\d+)と記載していますが、(\d+)を掲載しています（中心市を含む）。", text)
            if found:
                said[re.search(r"<h1>(.*?)</h1>", text)[1]] = (int(found[1]), int(found[2]))
    with (ROOT / "data" / "sources" / "registry" / "areas_summary.csv").open(encoding="utf-8") as f:
        differing = {r["area_name"]: (int(r["members_stated_total"]), int(r["members_listed"])) for r in csv.DictReader(f)
                     if r["members_stated_total"] and r["members_stated_total"] != r["members_listed"]}
    assert differing == {"新潟広域都市圏": (11, 12), "れんけいこうち広域都市圏": (34, 32), "十勝定住自立圏": (19, 8),
                         "佐久地域定住自立圏": (12, 3), "人吉球磨定住自立圏": (10, 3)}
    assert said == {**differing, "上田地域定住自立圏": (6, 7), "北九州都市圏域": (17, 18)}


# ---------------------------------------------------------------- other agreement forms


@pytest.mark.parametrize("path", FAMILY, ids=lambda p: p.stem)
def test_every_form_of_agreement_gets_anchors_and_rows(path: Path):
    agreement = parse_file(path)
    graph = to_graph(agreement)
    (iri,) = graph.subjects(RDF.type, KYO.Agreement)
    store = store_of(graph)
    pages = site_pages(store)
    page = Html(pages[f"{site_path(str(iri))}.html"])
    assert parts_of(graph, str(iri)) <= set(page.ids)
    assert broken_links(pages, written_beside(store))[0] == []
    assert len(page.ids) == len(set(page.ids))
    assert page.beppyo_rows == len(set(graph.subjects(RDF.type, KYO.Initiative)))
    parties = len(set(graph.objects(iri, KYO.hasParty)))
    assert all(len(head) == 3 + parties for head in page.table_heads)


def test_three_parties_get_three_role_columns():
    graph = to_graph(parse_file(FIXTURES / "family" / "parties-three.txt"))
    page = next(Html(text) for path, text in site_pages(store_of(graph)).items() if path.startswith("agreement/"))
    assert page.table_heads[0][2:5] == ["甲の役割", "乙の役割", "丙の役割"]


def test_items_are_list_entries_with_their_numbers():
    graph = to_graph(parse_file(FIXTURES / "family" / "articles-sub-number-items.txt"))
    items = {str(s) for s in graph.subjects(RDF.type, KYO.Item)}
    assert items
    text = next(t for path, t in site_pages(store_of(graph)).items() if path.startswith("agreement/"))
    page = Html(text)
    li_ids = {a["id"] for tag, a in page.tags if tag == "li" and "id" in a}
    (iri,) = graph.subjects(RDF.type, KYO.Agreement)
    assert {i[len(str(iri)) + 1:] for i in items} == li_ids


# ---------------------------------------------------------------- the Site reads a store as rdflib reads a graph


class GraphSite(Site):
    """The reference: the pages' Site answering from an rdflib graph with rdflib's own lookups, as
    it did before it read a pyoxigraph store."""

    def __init__(self, graph: Graph):
        self.g, self.ref = graph, reference_graph()
        self.paths = {iri: f"{site_path(str(iri))}.html" for kind in PAGE_TYPES
                      for iri in self.of_type(kind) if site_path(str(iri))}

    def objects(self, node, prop) -> list:
        return [] if node is None else sorted(self.g.objects(node, prop))

    def subjects(self, prop, node) -> list:
        return [] if node is None else sorted(self.g.subjects(prop, node))

    def one(self, node, prop):
        return None if node is None else self.g.value(node, prop)

    def has(self, node, prop, value) -> bool:
        return (node, prop, value) in self.g

    @cached_property
    def coverage(self) -> list[list]:
        """The shipped `coverage` query answered by rdflib's own SPARQL engine."""
        from kyoyaku.sparql.query import find_query

        def cell(value):
            if value is None:
                return None
            return int(value) if isinstance(value, Literal) and value.datatype == XSD.integer else str(value)

        return [[cell(v) for v in row] for row in self.g.query(find_query("coverage").text)]

    @cached_property
    def parties_by_municipality(self) -> dict:
        index = defaultdict(list)
        for party, m in self.g.subject_objects(KYO.municipality):
            index[m].append(party)
        return index


def reference_pages(graph: Graph, monkeypatch) -> dict[str, str]:
    with monkeypatch.context() as patched:
        patched.setattr(pages_module, "Site", GraphSite)
        return site_pages(graph)


def test_the_pages_read_from_a_store_are_those_read_from_the_graph(monkeypatch, seed_graph, corpus_graph,
                                                                   national_graph, national_pages, corpus_pages):
    assert national_pages == reference_pages(national_graph, monkeypatch)
    assert corpus_pages == reference_pages(corpus_graph, monkeypatch)
    for path in (SEED, *FAMILY):
        graph = to_graph(parse_file(path))
        assert site_pages(store_of(graph)) == reference_pages(graph, monkeypatch), path.name
