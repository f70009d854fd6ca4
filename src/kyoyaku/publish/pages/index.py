"""The front page of the site (publish.pages): counts, the areas by framework, the agreements with a
full text, the report's figures and the downloads."""

from __future__ import annotations

from collections import defaultdict

from ...graph.iris import KYO
from .area import members_of
from .html import DUMPS, SITE_TITLE, Page, document, e, facts, heading
from .site_graph import agreement_label, agreement_title, is_record

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
        ("市町村", "Municipalities", str(len(site.of_type(KYO.Municipality)))),
    ])
    figures = "\n".join(f'<figure><img src="{e(src)}" alt="{e(alt)}"><figcaption>{e(alt)}</figcaption></figure>'
                        for src, alt in FIGURES.items())
    full_items = "\n".join(f"<li>{page.link(a, agreement_title(site, a))} — {e(agreement_label(site, a))}</li>"
                           for a in full) or "<li>なし</li>"
    downloads = "\n".join(
        f'<li><a href="{e(name)}">{e(name)}</a>（<a href="{e(name)}.gz">{e(name)}.gz</a>）</li>' for name in DUMPS)
    body = f"""<h1>{SITE_TITLE} <span class="en" lang="en">Partnership agreements of Japanese municipalities</span></h1>
<p>日本の市町村が地方自治法第252条の2に基づいて結ぶ連携協約（連携中枢都市圏・定住自立圏）を、条・項・別表の行まで
リンクトオープンデータとして公開しています。
<span class="en" lang="en">Inter-municipal partnership agreements as linked open data, down to each article and table row.</span></p>
<section>
{heading(2, "収録数", "Counts")}
{counts}
</section>
<section>
{heading(2, "圏域", "Partnership areas")}
{index_areas(page)}
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
