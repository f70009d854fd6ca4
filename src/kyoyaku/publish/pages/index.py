"""The front page of the site (publish.pages): counts, the areas by framework, the agreements with a
full text, the report's figures and the downloads."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal

from ...graph.iris import DCTERMS, KYO
from ..wording import KINDS_EN, KINDS_JA
from .area import map_members, members_of
from .csv_links import AREAS_CSV, csv_link, query_links
from .html import (
    DUMPS,
    SITE_TITLE,
    Page,
    document,
    e,
    facts,
    heading,
    short_source_link,
)
from .japan_map import areas_map
from .site_graph import Site, agreement_label, agreement_title, is_record, japanese_date

FIGURES = {
    "report/coverage.svg": "連携する取組の政策分野を市町村ごとに数えたヒートマップ（市町村 × 国の政策分野、"
                           "取組の多い市町村から、残りは最下行に合計）"
                           " / Heatmap: initiatives per partner municipality and national policy field"
                           " (the partners with the most first, the rest summed in the last row)",
    "report/areas.svg": "圏域ごとの協約数：本文あり（枠組の色）と登録簿のみ（斜線）、多い圏域から、残りは合計で"
                        " / Agreements per area: full texts (in the framework's colour) and registry records only"
                        " (hatched), the areas with the most first, the rest summed",
}


def index_page(page: Page) -> str:
    site = page.site
    agreements = site.of_type(KYO.Agreement)
    records = [a for a in agreements if is_record(site, a)]
    full = [a for a in agreements if not is_record(site, a)]
    counts = facts([
        ("協約（本文あり）", "Agreements with full text", str(len(full))),
        ("協約（登録簿のみ）", "Registry records", str(len(records))),
        ("圏域", "Partnership areas", str(len(site.of_type(KYO.PartnershipArea)))),
        ("変更協約", "Amending agreements", str(len(site.of_type(KYO.AmendingAgreement))) if site.of_type(KYO.AmendingAgreement) else ""),
        ("市町村", "Municipalities", str(len(site.of_type(KYO.Municipality)))),
    ])
    figures = "\n".join(f'<figure><img src="{e(src)}" alt="{e(alt)}"><figcaption>{e(alt)}</figcaption></figure>'
                        for src, alt in FIGURES.items())
    full_items = "\n".join(f"<li>{page.link(a, agreement_title(site, a))} — {e(agreement_label(site, a))}</li>"
                           for a in full) or "<li>なし</li>"
    downloads = "\n".join(
        f'<li><a href="{e(name)}">{e(name)}</a>（<a href="{e(name)}.gz">{e(name)}.gz</a>）</li>' for name in DUMPS)
    body = f"""<h1>{SITE_TITLE} <span class="en" lang="en">Partnership agreements of Japanese municipalities</span></h1>
<p>日本の市町村が結ぶ{KINDS_JA}を、条・項・別表の行までリンクトオープンデータとして公開しています。
<span class="en" lang="en">Agreements between Japanese municipalities as linked open data, down to each article and table row: {KINDS_EN}.</span></p>
<p class="search-link"><a href="search.html">検索</a> <span class="en" lang="en">Search</span>
（市町村・圏域・協約・条文・別表 <span class="en" lang="en">municipalities, areas, agreements, articles, 別表 rows</span>）</p>
<section>
{heading(2, "収録数", "Counts")}
{counts}
{coverage(page)}
</section>
<section>
{heading(2, "圏域", "Partnership areas")}
{index_areas(page)}
{csv_link(page, AREAS_CSV)}
</section>
<section>
{heading(2, "地図", "Map")}
{areas_map((site.label(a), map_members(site, a)) for a in site.of_type(KYO.PartnershipArea))}
</section>
<section>
{heading(2, "本文のある協約", "Agreements with full text")}
<ul>
{full_items}
</ul>
</section>
<section>
{heading(2, "図", "Figures")}
{figures}
</section>
<section>
{heading(2, "ダウンロード", "Downloads")}
<ul>
{downloads}
<li><a href="catalog.ttl">catalog.ttl</a>（DCAT カタログ <span class="en" lang="en">dataset catalogue</span>）</li>
<li><a href="ontology/index.html">語彙（オントロジー）</a> <span class="en" lang="en">ontology</span></li>
</ul>
{heading(3, "問合せ結果の CSV（Excel 対応）", "Query results as CSV for spreadsheets")}
{query_links(page)}
</section>"""
    return document(page, "トップ", body, [])


def index_areas(page: Page) -> str:
    site = page.site
    by_framework = defaultdict(list)
    for area in site.of_type(KYO.PartnershipArea):
        by_framework[site.framework(area) or ""].append(area)
    out = []
    for fw in sorted(by_framework):
        fw_iri = site.one(by_framework[fw][0], KYO.framework)
        items = []
        for area in by_framework[fw]:
            cores = "・".join(site.municipality_name(c) for c in site.objects(area, KYO.coreCity)) or "中心市の記載なし"
            n = len(site.agreements_of_area(area))
            items.append(f"<li>{page.link(area, site.label(area))}（{e(cores)}、構成市町村 {len(members_of(site, area))}、協約 {n}）</li>")
        title = site.label(fw_iri) if fw_iri is not None else "枠組み不明"
        out.append(f"<h3>{e(title)}</h3>\n<ul>\n{chr(10).join(items)}\n</ul>")
    return "\n".join(out)


def stated_totals(site: Site) -> dict[str, list]:
    """Framework notation → its stated national totals (kyo:StatedTotal), the latest first."""
    by_framework: dict[str, list] = defaultdict(list)
    for total in site.of_type(KYO.StatedTotal):
        by_framework[site.framework(total) or ""].append(total)
    return {fw: sorted(totals, key=lambda t: (site.value(t, DCTERMS.date) or "", str(t)), reverse=True)
            for fw, totals in by_framework.items()}


def coverage(page: Page) -> str:
    """How complete the list is, per framework: the areas listed against the national total a source
    states (its date and source: 「連携中枢都市圏 35 圏域を掲載（総務省によれば 38 圏域、2024年4月1日現在）」),
    or, where no total is stated, that the list is not complete — never a list that looks whole."""
    site = page.site
    areas = defaultdict(list)
    for area in site.of_type(KYO.PartnershipArea):
        areas[site.framework(area) or ""].append(area)
    totals = stated_totals(site)
    items = []
    for fw in sorted(set(areas) | set(totals)):
        every = areas.get(fw, [])
        fw_iri = site.one((every or totals[fw])[0], KYO.framework)
        name = site.label(fw_iri) if fw_iri is not None else "枠組み不明"
        listed = listed_counts(site, fw)[0]
        # the areas of the list below that ended (kyo:endedOn) are not counted against a total
        ended_ja = f"。ほかに終了した {len(every) - listed} 圏域を掲載" if len(every) > listed else ""
        ended_en = f"; besides, {len(every) - listed} areas that ended" if len(every) > listed else ""
        stated = totals.get(fw, [])
        if not stated:
            items.append(f"<li>{e(name)} {listed} 圏域を掲載（全国の総数を記載した出典がなく、この一覧は全数ではありません）"
                         f'{ended_ja}<br><span class="en" lang="en">Areas listed: {listed}; no source states the '
                         f"national total: the list is not complete{ended_en}.</span></li>")
            continue
        total = stated[0]
        items.append(f"<li>{_stated_sentence(page, total, name, listed)}</li>")
    return f'<div class="coverage">\n{heading(3, "収録の範囲", "Coverage")}\n<ul>\n{chr(10).join(items)}\n</ul>\n</div>'


def _stated_sentence(page: Page, total, name: str, listed: int) -> str:
    """「連携中枢都市圏 35 圏域を掲載（総務省によれば 38 圏域、2024年4月1日現在）」 and what else the source
    states (core cities, members counted with repeats) beside the listed numbers; English after."""
    site = page.site
    day = site.value(total, DCTERMS.date)
    sources = site.objects(total, DCTERMS.source)
    publisher = publisher_of(site, total)
    links = " ".join(short_source_link(page, s) for s in sources)
    # who states it: its publisher where the data names one, else its source page, inline
    by = f"{e(publisher)}によれば" if publisher else (f"出典（{links}）によれば" if links else "出典によれば")
    when = f"、{japanese_date(day)}現在" if day else ""
    areas = site.value(total, KYO.statedAreaCount)
    cores = site.value(total, KYO.statedCoreCityCount)
    members = site.value(total, KYO.statedMemberCount)
    _, listed_cores, listed_members = listed_counts(site, site.framework(total) or "")  # as the query counts
    stated = page.link(total, f"{areas} 圏域")  # the total's own page
    ja = f"{e(name)} {listed} 圏域を掲載（{by} {stated}{when}）" if areas else f"{e(name)} {listed} 圏域を掲載"
    extra_ja, extra_en = [], []
    if cores:
        extra_ja.append(f"中心市 {listed_cores} を掲載（出典の記載は {e(cores)}）")
        extra_en.append(f"core cities: {listed_cores} listed, {e(cores)} stated")
    if members:
        extra_ja.append(f"構成市町村 延べ {listed_members} を掲載（中心市を含む。出典の記載は延べ {e(members)}）")
        extra_en.append(f"members counted with repeats: {listed_members} listed, core cities included; "
                        f"{e(members)} stated")
    en = (f"Areas listed: {listed}" + (f"; the source states {e(areas)} as of {e(day)}" if areas else "")
          + (f" ({'; '.join(extra_en)})" if extra_en else ""))
    return (ja + (f"。{'、'.join(extra_ja)}" if extra_ja else "") + (f" 出典: {links}" if links and (publisher or not areas) else "")
            + f'<br><span class="en" lang="en">{en}.</span>')


def publisher_of(site: Site, total) -> str | None:
    """Who states the total (dcterms:publisher: a literal, or a node with a label), if the data says."""
    publisher = site.one(total, DCTERMS.publisher)
    if publisher is None:
        return None
    return str(publisher) if isinstance(publisher, Literal) else site.label(publisher)


def listed_counts(site: Site, framework: str) -> tuple[int, int, int]:
    """What the data lists of a framework (its notation) against its stated total: areas, distinct
    core cities and members counted with repeats (the core cities' own memberships included), areas
    that ended before the total's date (or, without a total, at all) left out. From the shipped
    `coverage` query, so that the pages and the query say the same."""
    for row in site.coverage:
        if row[0] == framework:
            return row[2], row[4], row[6]
    return 0, 0, 0