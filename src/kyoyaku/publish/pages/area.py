"""The page of a partnership area (publish.pages): its framework, core city, formation and
predecessors, its members with their joining dates, and its agreements."""

from __future__ import annotations

from ...graph.iris import DCTERMS, KYO, ORG, SKOS
from .html import (
    Page,
    agreements_table,
    alternates,
    document,
    e,
    facts,
    formats_section,
    fragment,
    heading,
    lang_text,
    sources_section,
    time_html,
)
from .site_graph import Site


def area_page(page: Page, area) -> str:
    site = page.site
    name = site.label(area)
    body = "\n".join(part for part in [
        f"<h1>{e(name)}</h1>",
        area_facts(page, area),
        members_section(page, area),
        f"<section>\n{heading(2, '協約', 'Agreements')}\n{agreements_table(page, site.agreements_of_area(area))}\n</section>",
        sources_section(page, area),
        formats_section(page, area),
    ] if part)
    return document(page, name, body, [e(name)], alternates(page))


def area_facts(page: Page, area) -> str:
    site = page.site
    cores = "、".join(page.link(c, site.municipality_name(c)) for c in site.objects(area, KYO.coreCity))
    created = site.value(area, DCTERMS.created)
    fiscal = site.value(area, KYO.formedInFiscalYear)
    formed = time_html(created) if created else (f"{e(fiscal)}年度" if fiscal else "")
    members = members_of(site, area)
    stated = site.value(area, KYO.statedMemberCount)
    count = f"{len(members)}（資料に記載の数: {e(stated)}）" if stated else str(len(members))
    before = "、".join(page.link(p, site.label(p)) for p in site.objects(area, DCTERMS.replaces))
    after = "、".join(page.link(s, site.label(s)) for s in site.subjects(DCTERMS.replaces, area))
    return facts([
        ("枠組み", "Framework", e(site.label(site.one(area, KYO.framework))) if site.framework(area) else ""),
        ("中心市", "Core city", cores or "記載なし"),
        ("形成", "Formed", formed),
        ("構成市町村数", "Members", count),
        ("前身", "Predecessor", before),
        ("後継", "Successor", after),
    ])


def members_of(site: Site, area) -> list:
    members = set(site.g.objects(area, ORG.hasMember)) | set(site.g.objects(area, KYO.coreCity))
    members |= {site.one(ms, ORG.member) for ms in site.g.subjects(ORG.organization, area)}
    return sorted((m for m in members if m is not None), key=lambda m: (site.value(m, DCTERMS.identifier) or "", str(m)))


def members_section(page: Page, area) -> str:
    site = page.site
    memberships = {site.one(ms, ORG.member): ms for ms in site.subjects(ORG.organization, area)}
    rows = []
    for m in members_of(site, area):
        ms = memberships.get(m)
        anchor = f' id="{e(fragment(area, ms))}"' if ms is not None and str(ms).startswith(f"{area}/") else ""
        since = site.value(ms, KYO.memberSince)
        role = "中心市" if (area, KYO.coreCity, m) in site.g else "構成市町村"
        notes = " ".join(lang_text(n) for n in site.objects(ms, SKOS.editorialNote))
        rows.append(f"<tr{anchor}><td>{page.link(m, site.municipality_name(m))}</td>"
                    f"<td>{e(site.value(m, KYO.prefectureName) or '')}</td><td>{role}</td>"
                    f"<td>{time_html(since) if since else ''}</td><td>{notes}</td></tr>")
    return f"""<section>
{heading(2, "構成市町村", "Members")}
<table>
<thead><tr><th scope="col">市町村</th><th scope="col">都道府県</th><th scope="col">役割</th><th scope="col">参加日</th><th scope="col">注記</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>"""
