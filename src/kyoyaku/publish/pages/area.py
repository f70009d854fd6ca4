"""The page of a partnership area (publish.pages): its framework, core city, formation and
predecessors, what its sources state against what is listed, its members with their joining dates,
its time line (publish.pages.timeline), a diagram of its agreements, and its agreements."""

from __future__ import annotations

import math

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
    fragment,
    heading,
    labelled_cell,
    sources_section,
    time_html,
)
from .japan_map import Member, area_map
from .language import both, current, english, name, t
from .site_graph import Site, is_record
from .source_notes import area_notes_section
from .timeline import timeline_section


def area_page(page: Page, area) -> str:
    site = page.site
    label = site.label(area)
    body = "\n".join(part for part in [
        f"<h1>{name(label)}</h1>",
        area_facts(page, area),
        timeline_section(page, area),  # before the members: one row per date, their notes can be long
        members_section(page, area),
        f"<section>\n{heading(2, '地図', 'Map')}\n{area_map(map_members(site, area))}</section>",
        area_notes_section(page, area, members_of(site, area)),
        (f"<section>\n{heading(2, '協約', 'Agreements')}\n{agreements_diagram(site, area)}"
         f"{agreements_table(page, site.agreements_of_area(area))}\n{table_link(page, 'agreements')}\n</section>"),
        sources_section(page, area),
        formats_section(page, area),
    ] if part)
    return document(page, label, body, [name(label)], alternates(page))


def area_facts(page: Page, area) -> str:
    site = page.site
    cores = "、".join(page.link(c, site.municipality_name(c)) for c in site.objects(area, KYO.coreCity))
    created = site.value(area, DCTERMS.created)
    fiscal = site.value(area, KYO.formedInFiscalYear)
    formed = time_html(created) if created else (e(t(f"{fiscal}年度", f"fiscal year {fiscal}")) if fiscal else "")
    members = members_of(site, area)
    stated = site.value(area, KYO.statedMemberCount)
    count = (e(t(f"{len(members)}（資料に記載の数: {stated}）", f"{len(members)} (the source states {stated})"))
             if stated else str(len(members)))
    ended = site.value(area, KYO.endedOn)
    before = "、".join(page.link(p, site.label(p)) for p in site.objects(area, DCTERMS.replaces))
    after = "、".join(page.link(s, site.label(s)) for s in site.subjects(DCTERMS.replaces, area))
    return facts([
        ("枠組み", "Framework", e(site.label(site.one(area, KYO.framework), current())) if site.framework(area) else ""),
        ("中心市", "Core city", cores or t("記載なし", "not stated")),
        ("形成", "Formed", formed),
        ("終了", "Ended", time_html(ended) if ended else ""),
        ("構成市町村数", "Members", count),
        ("前身", "Predecessor", before),
        ("後継", "Successor", after),
    ])


def members_of(site: Site, area) -> list:
    members = set(site.objects(area, ORG.hasMember)) | set(site.objects(area, KYO.coreCity))
    members |= {site.one(ms, ORG.member) for ms in site.subjects(ORG.organization, area)}
    return sorted((m for m in members if m is not None), key=lambda m: (site.value(m, DCTERMS.identifier) or "", str(m)))


def map_members(site: Site, area) -> list[Member]:
    """The area's members as the map places them: name, 団体コード, prefecture's name."""
    return [Member(site.municipality_name(m), site.value(m, DCTERMS.identifier), site.value(m, KYO.prefectureName))
            for m in members_of(site, area)]


def members_section(page: Page, area) -> str:
    site = page.site
    memberships = {site.one(ms, ORG.member): ms for ms in site.subjects(ORG.organization, area)}
    columns = [t("市町村", "Municipality"), t("都道府県", "Prefecture"), t("役割", "Role"), t("参加日", "Joined")]
    rows = []
    for m in members_of(site, area):
        ms = memberships.get(m)
        anchor = f' id="{e(fragment(area, ms))}"' if ms is not None and str(ms).startswith(f"{area}/") else ""
        since, until = site.value(ms, KYO.memberSince), site.value(ms, KYO.memberUntil)
        period = (time_html(since) if since else "") + (
            f'{"<br>" if since else ""}{"Until" if english() else both("終了", "until")} {time_html(until)}' if until else "")
        role = t("中心市", "Core city") if site.has(area, KYO.coreCity, m) else t("構成市町村", "Member")
        # an English reader is given each municipality's code beside its Japanese name
        code = f' <small>{e(site.value(m, DCTERMS.identifier))}</small>' if english() and site.value(m, DCTERMS.identifier) else ""
        rows.append(f'<tr{anchor}><th scope="row">{page.link(m, site.municipality_name(m))}{code}</th>'
                    + labelled_cell(columns[1], name(site.value(m, KYO.prefectureName) or "")) + labelled_cell(columns[2], role)
                    + labelled_cell(columns[3], period) + "</tr>")
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in columns)
    return f"""<section>
{heading(2, "構成市町村", "Members")}
<table class="members cards">
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
{table_link(page, "members")}
</section>"""


# The diagram of an area's agreements: drawn here as a few lines of inline SVG (no matplotlib, no file),
# one per area page, so that the report need not draw a panel for each of the country's areas.
_DIAGRAM = 480  # the viewBox's side; the browser scales it
_RING = 165  # radius of the partners' ring
_EDGE_STYLE = {True: 'stroke="#1f4e79"', False: 'stroke="#7f7f7f" stroke-dasharray="6 4"'}


def _role(site: Site, party) -> str:
    return str(site.one(party, KYO.role) or "").rsplit("/", 1)[-1]


def agreements_diagram(site: Site, area) -> str:
    """The core cities in the middle, the partners on a ring (clockwise from 12 o'clock, in the order of
    their first agreement), one line per agreement between a core city and a partner: solid for a full
    text, dashed for a registry record only; several agreements of one pair bend apart. Empty when no
    agreement has both."""
    edges = []
    for agreement in site.agreements_of_area(area):
        parties = site.parties(agreement)
        for core in (site.party_name(p) for p in parties if _role(site, p) == "core-city"):
            for partner in (site.party_name(p) for p in parties if _role(site, p) == "partner"):
                edges.append((core, partner, not is_record(site, agreement)))
    if not edges:
        return ""
    cores = list(dict.fromkeys(core for core, _, _ in edges))
    partners = [p for p in dict.fromkeys(partner for _, partner, _ in edges) if p not in cores]
    middle = _DIAGRAM / 2
    at = {core: (middle + 90 * (i - (len(cores) - 1) / 2), middle) for i, core in enumerate(cores)}
    for i, partner in enumerate(partners):
        angle = math.pi / 2 - 2 * math.pi * i / len(partners)
        at[partner] = (middle + _RING * math.cos(angle), middle - _RING * math.sin(angle))
    lines, seen = [], {}
    for core, partner, full_text in edges:
        k = seen[(core, partner)] = seen.get((core, partner), -1) + 1
        bend = 0 if k == 0 else 18 * math.ceil(k / 2) * (1 if k % 2 else -1)
        (x1, y1), (x2, y2) = at[core], at[partner]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        cx, cy = (x1 + x2) / 2 + bend * (y2 - y1) / length, (y1 + y2) / 2 - bend * (x2 - x1) / length
        lines.append(f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" fill="none" '
                     f'stroke-width="1.5" {_EDGE_STYLE[full_text]}/>')
    # Each name twice: a white outline first, the name on top, so it stays legible where lines cross it
    # (paint-order would do it in one, but HTML validators do not know that SVG 2 attribute yet).
    labels = []
    for label, (x, y) in at.items():
        place = (f'x="{x:.1f}" y="{y:.1f}" text-anchor="middle" dominant-baseline="middle" '
                 + ('font-size="13" font-weight="bold"' if label in cores else 'font-size="11"'))
        labels.append(f'<text {place} stroke="white" stroke-width="4">{e(label)}</text><text {place}>{e(label)}</text>')
    full = sum(1 for *_, f in edges if f)
    ja = f"中心市と構成市町村、協約 1 件につき 1 本の線（実線: 本文あり {full} 件、破線: 登録簿のみ {len(edges) - full} 件）"
    en = (f"Core city and partners, one line per agreement (solid: full text, {full}; dashed: registry record only, "
          f"{len(edges) - full})")
    # on an English page the municipalities' names, Japanese, are marked so (the labels' group)
    names = f'<g lang="ja">{"".join(labels)}</g>' if english() else "".join(labels)
    return (f'<figure class="diagram"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_DIAGRAM} {_DIAGRAM}" '
            f'width="{_DIAGRAM}" height="{_DIAGRAM}" role="img" aria-label="{e(t(f"{ja} / {en}", en))}">'
            + "".join(lines) + names
            + f'</svg><figcaption>{both(e(ja), e(en))}</figcaption></figure>\n')
