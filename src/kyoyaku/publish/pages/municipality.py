"""The page of a municipality (publish.pages): its codes, the partnership areas it belongs to and
the agreements it is a party of."""

from __future__ import annotations

from ...graph.iris import DCTERMS, KYO, ORG
from .csv_links import table_link
from .html import (
    Page,
    agreements_table,
    alternates,
    document,
    e,
    facts,
    formats_section,
    heading,
    json_ld,
    place,
)
from .language import current, name, t
from .site_graph import Site


def municipality_page(page: Page, m) -> str:
    site = page.site
    label = site.municipality_name(m)
    prefecture = site.value(m, KYO.prefectureName) or ""
    spatial = site.one(m, DCTERMS.spatial)
    body = "\n".join([
        f"<h1>{name(label)}</h1>",
        facts([
            ("都道府県", "Prefecture", name(prefecture)),
            ("団体コード", "Code", e(site.value(m, DCTERMS.identifier) or "")),
            ("e-Stat 統計地域", t("e-Stat area", "e-Stat statistical area"), f'<a href="{e(spatial)}">{e(spatial)}</a>' if spatial else ""),
        ]),
        municipality_areas(page, m),
        municipality_agreements(page, m),
        formats_section(page, m),
    ])
    head = alternates(page) + json_ld({"@context": "https://schema.org", **place(site, m),
                                       "containedInPlace": {"@type": "AdministrativeArea", "name": prefecture}})
    title = t(f"{label}（{prefecture}）", f"{label} ({prefecture})")
    return document(page, title, body, [name(label)], head)


def areas_of(site: Site, m) -> list:
    areas = set(site.subjects(ORG.hasMember, m)) | set(site.subjects(KYO.coreCity, m))
    areas |= {site.one(ms, ORG.organization) for ms in site.subjects(ORG.member, m)}
    return sorted(a for a in areas if a is not None)


def municipality_areas(page: Page, m) -> str:
    site = page.site
    items = []
    for area in areas_of(site, m):
        role = t("中心市", "core city") if site.has(area, KYO.coreCity, m) else t("構成市町村", "member")
        fw = site.label(site.one(area, KYO.framework), current()) if site.one(area, KYO.framework) else ""
        about = t(f"（{fw}、{role}）", f" — {fw}, {role}")
        items.append(f"<li>{page.link(area, site.label(area))}{e(about)}</li>")
    content = f"<ul>\n{chr(10).join(items)}\n</ul>" if items else f"<p>{t('なし', 'None')}</p>"
    return f"<section>\n{heading(2, '所属する圏域', 'Partnership areas')}\n{content}\n</section>"


def agreements_of(site: Site, m) -> set:
    """The agreements municipality `m` is a party of."""
    return {a for p in site.parties_by_municipality.get(m, []) for a in site.subjects(KYO.hasParty, p)}


def municipality_agreements(page: Page, m) -> str:
    agreements = agreements_of(page.site, m)
    return (f"<section>\n{heading(2, '当事者となっている協約', 'Agreements')}\n{agreements_table(page, agreements)}\n"
            f"{table_link(page, 'agreements')}\n</section>")
