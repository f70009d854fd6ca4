"""The ways into the site (publish.pages): an index of the municipalities (by prefecture, in the order
of the 全国地方公共団体コード, each with its code), of the areas (by framework, then by the prefecture and
code of their core city) and of the full texts (agreements with a text, amending agreements with a
text, consolidated versions), written once each by `page_texts` and linked from every page's header
(html.NAV). Orders are by code, the official order of Japan's municipalities, never by the code
points of names."""

from __future__ import annotations

from collections import defaultdict

from ...graph.iris import DCTERMS, ELI, KYO, ORG
from .html import NAV, Page, document, e, heading
from .language import both, current, english, name, t
from .site_graph import (
    Site,
    agreement_label_html,
    agreement_title,
    is_record,
)

MUNICIPALITIES, AREAS, TEXTS = (path for path, *_ in NAV[:3])
# The frameworks in the order the pages list them (the larger, statutory one first), by notation.
FRAMEWORK_ORDER = ("renkei-chusu", "teiju-jiritsu")


def code_of(site: Site, m) -> str:
    return site.value(m, DCTERMS.identifier) or ""


def municipalities_index(page: Page) -> str:
    """Every municipality of the data by prefecture (prefectures in code order: 北海道 01 … 沖縄県 47),
    each with its code and a link to its page."""
    site = page.site
    by_prefecture = defaultdict(list)
    for m in site.of_type(KYO.Municipality):
        by_prefecture[code_of(site, m)[:2]].append(m)
    parts = []
    for prefecture_code in sorted(by_prefecture):
        members = sorted(by_prefecture[prefecture_code], key=lambda m: (code_of(site, m), str(m)))
        prefecture = site.value(members[0], KYO.prefectureName)
        items = "\n".join(f"<li>{page.link(m, site.municipality_name(m))} <small>{e(code_of(site, m))}</small></li>"
                          for m in members)
        if english():  # the prefecture's name, Japanese, with its code (the first two digits of its members')
            many = "municipality" if len(members) == 1 else "municipalities"
            title = f"{name(prefecture) if prefecture else 'Prefecture unknown'} (code {e(prefecture_code)}): {len(members)} {many}"
        else:
            title = f"{e(prefecture or '都道府県不明')}（{len(members)}）"
        parts.append(f'<h2 id="pref-{e(prefecture_code)}">{title}</h2>\n<ul class="index">\n{items}\n</ul>')
    count = len(site.of_type(KYO.Municipality))
    intro = (f"{count} municipalities, by prefecture, in the order of the local government codes."
             if english() else f'{count} 市町村、都道府県ごとに全国地方公共団体コードの順。'
             '<span class="en" lang="en">By prefecture, in the order of the local government codes.</span>')
    body = f'<h1>{both("市町村の一覧", "Municipalities")}</h1>\n<p>{intro}</p>\n' + "\n".join(parts)
    title = t("市町村の一覧", "Municipalities")
    return document(page, title, body, [e(title)])


def area_order(site: Site, area) -> tuple:
    """Framework, then the code of the core city (its prefecture first: the code begins with it), for
    an area without one its smallest member code (as its IRI is made), then the IRI."""
    fw = site.framework(area) or ""
    codes = sorted(code_of(site, c) for c in site.objects(area, KYO.coreCity))
    if not codes:
        codes = [str(area).rsplit("-", 1)[-1]]
    return (FRAMEWORK_ORDER.index(fw) if fw in FRAMEWORK_ORDER else len(FRAMEWORK_ORDER), fw, codes, str(area))


def areas_index(page: Page) -> str:
    """Every area by framework, then by the prefecture of its core city, in code order."""
    site = page.site
    groups: dict = defaultdict(lambda: defaultdict(list))
    for area in sorted(site.of_type(KYO.PartnershipArea), key=lambda a: area_order(site, a)):
        # the core city's prefecture; with no core city stated, that of its first member by code
        placed = site.objects(area, KYO.coreCity) or sorted(site.objects(area, ORG.hasMember),
                                                             key=lambda m: code_of(site, m))
        prefecture = site.value(placed[0], KYO.prefectureName) if placed else None
        groups[site.framework(area) or ""][prefecture].append(area)
    parts = []
    for by_prefecture in groups.values():
        fw_name = site.label(site.one(by_prefecture[next(iter(by_prefecture))][0], KYO.framework), current())
        count = sum(len(v) for v in by_prefecture.values())
        parts.append(f"<h2>{e(fw_name)}: {count} {'area' if count == 1 else 'areas'}</h2>" if english()
                     else f"<h2>{e(fw_name)}（{count}）</h2>")
        for prefecture, areas in by_prefecture.items():
            items = "\n".join(f"<li>{page.link(area, site.label(area))}{_area_about(site, area)}</li>" for area in areas)
            heading_text = (name(prefecture) if prefecture else "Prefecture unknown") if english() \
                else e(prefecture or "都道府県不明")
            parts.append(f"<h3>{heading_text}</h3>\n<ul>\n{items}\n</ul>")
    order = "By framework and by the prefecture of the core city, in the order of the core city's code."
    intro = order if english() else f'枠組みごと、中心市の都道府県ごとに、中心市の全国地方公共団体コードの順。<span class="en" lang="en">{order}</span>'
    body = f'<h1>{both("圏域の一覧", "Partnership areas")}</h1>\n<p>{intro}</p>\n' + "\n".join(parts)
    title = t("圏域の一覧", "Partnership areas")
    return document(page, title, body, [e(title)])


def _area_about(site: Site, area) -> str:
    """What the areas index says of an area after its name: its core cities, and whether it ended."""
    cores = "・".join(site.municipality_name(c) for c in site.objects(area, KYO.coreCity))
    ended = site.value(area, KYO.endedOn)
    if english():
        return (f" (core city: {name(cores)}" if cores else " (no core city stated") + ("; ended)" if ended else ")")
    return f"（{f'中心市 {e(cores)}' if cores else '中心市の記載なし'}{'、終了' if ended else ''}）"


def by_date(site: Site, nodes, prop=ELI.date_document) -> list:
    return sorted(nodes, key=lambda n: (site.value(n, prop) or "9999", str(n)))


def texts_index(page: Page) -> str:
    """The full texts: agreements with a text, amending agreements with a text (their changes read), and
    the consolidated versions (the text in force after an amendment), each by date."""
    site = page.site
    agreements = by_date(site, (a for a in site.of_type(KYO.Agreement) if not is_record(site, a)))
    amending = by_date(site, (m for m in site.of_type(KYO.AmendingAgreement) if site.objects(m, KYO.change)))
    versions = by_date(site, site.of_type(KYO.ConsolidatedVersion), ELI.first_date_entry_in_force)

    def listing(nodes, text) -> str:
        if not nodes:
            return f"<p>{'None' if english() else both('なし', 'none')}</p>"
        return "<ul>\n" + "\n".join(f"<li>{text(n)}</li>" for n in nodes) + "\n</ul>"

    def counted(ja: str, en: str, nodes: list) -> str:
        return heading(2, f"{ja}（{len(nodes)}）", f"{en} ({len(nodes)})" if english() else en)

    scope = ("Agreements and amending agreements whose text is in the dataset, and the consolidated versions; "
             "agreements known from the registry only are on each {area}'s page.")
    areas = f'<a href="{e(page.href(AREAS))}">{t("圏域", "area")}</a>'
    intro = (scope.format(area=areas) if english() else
             f"本文を収録している協約・変更協約と、変更後の本文の版。登録簿からのみ知られる協約は{areas}の各ページにあります。"
             f'<span class="en" lang="en">{scope.format(area="area")}</span>')
    body = "\n".join([
        f'<h1>{both("本文の一覧", "Full texts")}</h1>',
        f"<p>{intro}</p>",
        counted("本文のある協約", "Agreements with full text", agreements),
        listing(agreements, lambda a: f"{page.link(a, agreement_title(site, a))} — {agreement_label_html(site, a)}"),
        counted("本文のある変更協約", "Amending agreements with full text", amending),
        listing(amending, lambda m: f"{page.link(m, site.value(m, ELI.title) or t('変更協約', 'Amending agreement'))} — "
                                    f"{agreement_label_html(site, m)}"),
        counted("変更後の本文の版", "Consolidated versions", versions),
        listing(versions, lambda v: _version_link(page, v)),
    ])
    title = t("本文の一覧", "Full texts")
    return document(page, title, body, [e(title)])


def _version_link(page: Page, v) -> str:
    """A consolidated version by its title and the day it took effect."""
    site = page.site
    title, since = site.value(v, ELI.title), site.value(v, ELI.first_date_entry_in_force)
    if not english():
        return page.link(v, f"{title or '版'}（{since or '施行日不明'}から）")
    text = f"{name(title) if title else 'Version'} ({f'in force from {since}' if since else 'date in force unknown'})"
    return f'<a href="{e(page.href(site.paths[v]))}">{text}</a>' if v in site.paths else text


INDEX_PAGES = {MUNICIPALITIES: municipalities_index, AREAS: areas_index, TEXTS: texts_index}
