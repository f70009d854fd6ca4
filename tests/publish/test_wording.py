"""The words for what the data are (issue 21): a 定住自立圏形成協定 is concluded under the
定住自立圏構想推進要綱, not as a 連携協約 under 地方自治法第252条の2 — on the front page, in the catalog
and in the ontology — and a record page says its text is not in this dataset (not that the
municipality did not publish it)."""

from __future__ import annotations

import re

from rdflib import RDFS, Graph, Literal, URIRef

from kyoyaku.graph.iris import BASE, DCTERMS, KYO
from kyoyaku.publish import catalog
from kyoyaku.resources import ontology_dir

from .test_catalog import published  # noqa: F401  (the catalog of the corpus build)
from .test_pages import KASAMA_PAGE, Html, national_pages  # noqa: F401

KINDS_JA = ("連携中枢都市圏を形成する連携協約（地方自治法第252条の2第1項）と、"
            "定住自立圏を形成する定住自立圏形成協定（定住自立圏構想推進要綱）")
KINDS_EN = ("the 連携協約 that form a partnership core city area (連携中枢都市圏), concluded under Article 252-2, "
            "paragraph 1 of the Local Autonomy Act, and the 定住自立圏形成協定 that form an independent settlement "
            "area (定住自立圏), concluded under the national outline for independent settlement areas "
            "(定住自立圏構想推進要綱), not under the Act's Article 252-2")


def test_the_front_page_names_each_kind_of_agreement_with_its_own_instrument(national_pages):  # noqa: F811
    html = national_pages["index.html"]
    assert f"<p>日本の市町村が結ぶ{KINDS_JA}を、条・項・別表の行までリンクトオープンデータとして公開しています。" in html
    assert (f'<span class="en" lang="en">Agreements between Japanese municipalities as linked open data, down to each '
            f"article and table row: {KINDS_EN}.</span></p>") in html
    assert "第252条の2に基づいて結ぶ連携協約（連携中枢都市圏・定住自立圏）" not in html


def test_the_catalog_names_each_kind_of_agreement_with_its_own_instrument(published):  # noqa: F811
    *_, g = published
    d = URIRef(BASE + "dataset")
    assert set(g.objects(d, DCTERMS.title)) == {
        Literal("連携協約・定住自立圏形成協定のリンクトオープンデータ", lang="ja"),
        Literal("Japanese inter-municipal partnership agreements (連携協約, 定住自立圏形成協定) as linked open data",
                lang="en")}
    assert set(g.objects(d, DCTERMS.description)) == {
        Literal(f"地方公共団体の間で締結された{KINDS_JA}を、協約の全文（条・項・号・別表、当事者、連携する取組と役割分担、署名）"
                "と圏域の登録情報から RDF にしたもの。SHACL による検証を経て公開している。", lang="ja"),
        Literal(f"Agreements between Japanese local governments — {KINDS_EN} — as RDF: the full texts (articles, "
                "paragraphs, items, appendices, parties, initiatives and the division of roles, signatures) and a "
                "registry of the areas. Published after validation with SHACL.", lang="en")}
    assert catalog.KINDS_JA == KINDS_JA


def test_the_ontology_says_an_agreement_is_a_renkei_kyoyaku_or_a_teiju_jiritsu_agreement():
    g = Graph().parse(ontology_dir() / "kyoyaku.ttl")
    assert set(g.objects(KYO.Agreement, RDFS.label)) == {Literal("連携協約・定住自立圏形成協定", lang="ja"),
                                                         Literal("partnership agreement", lang="en")}
    assert set(g.objects(KYO.Agreement, RDFS.comment)) == {
        Literal("地方公共団体の間で締結された一つの協約（協約書の全体）。地方自治法第252条の2第1項に基づき連携中枢都市圏を"
                "形成する連携協約、または定住自立圏構想推進要綱に基づき定住自立圏を形成する定住自立圏形成協定。", lang="ja"),
        Literal("One inter-municipal partnership agreement, the whole agreement document: a 連携協約 concluded under "
                "Article 252-2(1) of the Local Autonomy Act, forming a partnership core city area (連携中枢都市圏), or "
                "a 定住自立圏形成協定 concluded under the national outline for independent settlement areas "
                "(定住自立圏構想推進要綱), forming an independent settlement area (定住自立圏).", lang="en")}
    ontology = URIRef(str(KYO))
    description = {str(d) for d in g.objects(ontology, DCTERMS.description)}
    assert any(d.startswith("連携中枢都市圏を形成する連携協約（地方自治法第252条の2第1項）と、定住自立圏を形成する"
                            "定住自立圏形成協定（定住自立圏構想推進要綱）を RDF で表すための小さな語彙。") for d in description)
    # nowhere does the ontology put the 定住自立圏 under 第252条の2
    text = (ontology_dir() / "kyoyaku.ttl").read_text(encoding="utf-8")
    assert not re.search(r"第252条の2[^\n]{0,20}（連携中枢都市圏・定住自立圏）", text)


def test_a_record_page_says_its_text_is_not_in_this_dataset(national_pages):  # noqa: F811
    html = national_pages[KASAMA_PAGE]
    assert ('<p class="notice">この協約は圏域の登録簿（自治体・都道府県のページ）から知られています。'
            "本文はこのデータセットに未収録です。当事者・締結日・圏域と出典を示します。"
            '<span class="en" lang="en">Known from the area registry (municipal and prefectural pages): its text '
            "is not in this dataset. Parties, date, area and sources below.</span></p>") in html
    assert "公開されていません" not in html
    assert not any("公開されていません" in page for page in national_pages.values())
