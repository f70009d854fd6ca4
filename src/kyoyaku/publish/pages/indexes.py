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
from .site_graph import Site, agreement_label, agreement_title, is_record

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
        name = site.value(members[0], KYO.prefectureName) or "都道府県不明"
        items = "\n".join(f"<li>{page.link(m, site.municipality_name(m))} <small>{e(code_of(site, m))}</small></li>"
                          for m in members)
        parts.append(f'<h2 id="pref-{e(prefecture_code)}">{e(name)}（{len(members)}）</h2>\n<ul class="index">\n{items}\n</ul>')
    body = (f'<h1>市町村の一覧 <span class="en" lang="en">Municipalities</span></h1>\n'
            f'<p>{len(site.of_type(KYO.Municipality))} 市町村、都道府県ごとに全国地方公共団体コードの順。'
            '<span class="en" lang="en">By prefecture, in the order of the local government codes.</span></p>\n'
            + "\n".join(parts))
    return document(page, "市町村の一覧", body, [e("市町村の一覧")])


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
        groups[site.framework(area) or ""][prefecture or "都道府県不明"].append(area)
    parts = []
    for by_prefecture in groups.values():
        fw_name = site.label(site.one(by_prefecture[next(iter(by_prefecture))][0], KYO.framework))
        parts.append(f"<h2>{e(fw_name)}（{sum(len(v) for v in by_prefecture.values())}）</h2>")
        for prefecture, areas in by_prefecture.items():
            items = []
            for area in areas:
                cores = "・".join(site.municipality_name(c) for c in site.objects(area, KYO.coreCity))
                ended = "、終了" if site.value(area, KYO.endedOn) else ""
                items.append(f"<li>{page.link(area, site.label(area))}（{f'中心市 {e(cores)}' if cores else '中心市の記載なし'}"
                             f"{ended}）</li>")
            parts.append(f"<h3>{e(prefecture)}</h3>\n<ul>\n{chr(10).join(items)}\n</ul>")
    body = ('<h1>圏域の一覧 <span class="en" lang="en">Partnership areas</span></h1>\n'
            "<p>枠組みごと、中心市の都道府県ごとに、中心市の全国地方公共団体コードの順。"
            '<span class="en" lang="en">By framework and by the prefecture of the core city, in the order of the core '
            "city's code.</span></p>\n" + "\n".join(parts))
    return document(page, "圏域の一覧", body, [e("圏域の一覧")])


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
            return "<p>なし <span class=\"en\" lang=\"en\">none</span></p>"
        return "<ul>\n" + "\n".join(f"<li>{text(n)}</li>" for n in nodes) + "\n</ul>"

    body = "\n".join([
        '<h1>本文の一覧 <span class="en" lang="en">Full texts</span></h1>',
        ("<p>本文を収録している協約・変更協約と、変更後の本文の版。登録簿からのみ知られる協約は"
        f'<a href="{e(page.href(AREAS))}">圏域</a>の各ページにあります。'
        '<span class="en" lang="en">Agreements and amending agreements whose text is in the dataset, and the '
        "consolidated versions; agreements known from the registry only are on each area's page.</span></p>"),
        heading(2, f"本文のある協約（{len(agreements)}）", "Agreements with full text"),
        listing(agreements, lambda a: f"{page.link(a, agreement_title(site, a))} — {e(agreement_label(site, a))}"),
        heading(2, f"本文のある変更協約（{len(amending)}）", "Amending agreements with full text"),
        listing(amending, lambda m: f"{page.link(m, site.value(m, ELI.title) or '変更協約')} — "
                                    f"{e(agreement_label(site, m))}"),
        heading(2, f"変更後の本文の版（{len(versions)}）", "Consolidated versions"),
        listing(versions, lambda v: page.link(v, f"{site.value(v, ELI.title) or '版'}（"
                                                 f"{site.value(v, ELI.first_date_entry_in_force) or '施行日不明'}から）")),
    ])
    return document(page, "本文の一覧", body, [e("本文の一覧")])


INDEX_PAGES = {MUNICIPALITIES: municipalities_index, AREAS: areas_index, TEXTS: texts_index}
