"""The front page of the site (publish.pages): counts, the areas by framework, the agreements with a
full text, the report's figures and the downloads — in Japanese at index.html, in English at
en/index.html (language.py)."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from rdflib import Literal

from ... import config
from ...graph.iris import DCTERMS, ELI, KYO
from ..wording import KINDS_EN, KINDS_JA
from .area import map_members, members_of
from .csv_links import AREAS_CSV, csv_link, query_links
from .html import (
    DUMPS,
    Page,
    document,
    e,
    facts,
    heading,
    short_source_link,
    time_html,
)
from .japan_map import areas_map
from .language import JAPANESE_CHARACTERS, both, current, english, name, t
from .site_graph import Site, agreement_label, agreement_title, is_record, japanese_date

# The report's figures shown on the front page: path → (Japanese, English) description, the alt text
# and caption of each (a Japanese page gives both, "ja / en"; an English page the English).
FIGURES = {
    "report/coverage.svg": (("連携する取組の政策分野を市町村ごとに数えたヒートマップ（市町村 × 国の政策分野、"
                            "取組の多い市町村から、残りは最下行に合計）"),
                            ("Heatmap: initiatives per partner municipality and national policy field"
                            " (the partners with the most first, the rest summed in the last row)")),
    "report/areas.svg": ("圏域ごとの協約数：本文あり（枠組の色）と登録簿のみ（斜線）、多い圏域から、残りは合計で",
                         ("Agreements per area: full texts (in the framework's colour) and registry records only"
                         " (hatched), the areas with the most first, the rest summed")),
}
ONTOLOGY_PAGE = "ontology/index.html"
JAPANESE_RUN = re.compile(f"(?:{JAPANESE_CHARACTERS.pattern})+")


def marked(text: str) -> str:
    """English text that quotes Japanese terms (「the 連携協約 that form …」), escaped, each Japanese run
    in an element marked `lang="ja"`."""
    out, at = [], 0
    for run in JAPANESE_RUN.finditer(text):
        out += [e(text[at:run.start()]), name(run.group())]
        at = run.end()
    return "".join(out) + e(text[at:])


def _full_text_label(site: Site, a) -> str:
    """The parties and date of a full text, as HTML: 「水戸市・小美玉市、令和4年2月21日」 on a Japanese page,
    the names marked Japanese and the ISO date on an English one."""
    if not english():
        return e(agreement_label(site, a))
    date = site.value(a, ELI.date_document)
    names = "・".join(site.party_name(p) for p in site.parties(a))
    return f"{name(names)}, {time_html(date) if date else 'date unknown'}"


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
    descriptions = {src: (f"{ja} / {en}" if not english() else en) for src, (ja, en) in FIGURES.items()}
    figures = "\n".join(f'<figure><img src="{e(page.href(src))}" alt="{e(alt)}"><figcaption>{e(alt)}</figcaption></figure>'
                        for src, alt in descriptions.items())
    full_items = "\n".join(f"<li>{page.link(a, agreement_title(site, a))} — {_full_text_label(site, a)}</li>"
                           for a in full) or f"<li>{t('なし', 'None')}</li>"
    downloads = "\n".join(f'<li><a href="{e(page.href(dump))}">{e(dump)}</a>'
                           f'{"（" if not english() else " ("}<a href="{e(page.href(dump))}.gz">{e(dump)}.gz</a>'
                           f'{"）" if not english() else ")"}</li>' for dump in DUMPS)
    catalog = (f'<li><a href="{e(page.href("catalog.ttl"))}">catalog.ttl</a>'
               + (" (DCAT dataset catalogue)</li>" if english() else
                  '（DCAT カタログ <span class="en" lang="en">dataset catalogue</span>）</li>'))
    # the ontology's pages are one bilingual document (publish.ontodoc), the same for both languages
    vocabulary = e(posixpath.relpath(ONTOLOGY_PAGE, posixpath.dirname(page.path) or "."))
    ontology = (f'<li><a href="{vocabulary}">The ontology</a> (the vocabulary, in English and Japanese)</li>' if english()
                else f'<li><a href="{vocabulary}">語彙（オントロジー）</a> <span class="en" lang="en">ontology</span></li>')
    about = (f"<p>Agreements between Japanese municipalities as linked open data, down to each article and table row: "
             f"{marked(KINDS_EN)}.</p>" if english() else
             f"""<p>日本の市町村が結ぶ{KINDS_JA}を、条・項・別表の行までリンクトオープンデータとして公開しています。
<span class="en" lang="en">Agreements between Japanese municipalities as linked open data, down to each article and table row: {KINDS_EN}.</span></p>""")
    body = f"""<h1>{both(e(config.current().site_title.ja), "Partnership agreements of Japanese municipalities")}</h1>
{about}
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
{catalog}
{ontology}
</ul>
{heading(3, "問合せ結果の CSV（Excel 対応）", "Query results as CSV for spreadsheets")}
{query_links(page)}
</section>"""
    return document(page, t("トップ", "Home"), body, [])


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
            cores = "・".join(site.municipality_name(c) for c in site.objects(area, KYO.coreCity))
            members, n = len(members_of(site, area)), len(site.agreements_of_area(area))
            if english():
                core = f"core city {name(cores)}" if cores else "core city not stated"
                items.append(f"<li>{page.link(area, site.label(area))} ({core}; {members} members; {n} agreements)</li>")
            else:
                items.append(f"<li>{page.link(area, site.label(area))}（{e(cores or '中心市の記載なし')}、"
                             f"構成市町村 {members}、協約 {n}）</li>")
        out.append(f"<h3>{e(_framework_name(site, fw_iri))}</h3>\n<ul>\n{chr(10).join(items)}\n</ul>")
    return "\n".join(out)


def _framework_name(site: Site, fw_iri) -> str:
    """A framework's label in the page's language (連携中枢都市圏; Partnership core city area)."""
    return site.label(fw_iri, current()) if fw_iri is not None else t("枠組み不明", "Framework unknown")


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
        fw_name = _framework_name(site, fw_iri)
        listed = listed_counts(site, fw)[0]
        # the areas of the list below that ended (kyo:endedOn) are not counted against a total
        ended_ja = f"。ほかに終了した {len(every) - listed} 圏域を掲載" if len(every) > listed else ""
        ended_en = f"; besides, {len(every) - listed} areas that ended" if len(every) > listed else ""
        stated = totals.get(fw, [])
        if not stated:
            if english():
                ended = f"; {len(every) - listed} areas that ended are listed besides" if len(every) > listed else ""
                items.append(f"<li>{e(fw_name)}: {listed} areas listed; no source states the national total, so the "
                             f"list is not complete{ended}.</li>")
            else:
                items.append(f"<li>{e(fw_name)} {listed} 圏域を掲載（全国の総数を記載した出典がなく、この一覧は全数ではありません）"
                             f'{ended_ja}<br><span class="en" lang="en">Areas listed: {listed}; no source states the '
                             f"national total: the list is not complete{ended_en}.</span></li>")
            continue
        total = stated[0]
        items.append(f"<li>{_stated_sentence(page, total, fw_name, listed)}</li>")
    return f'<div class="coverage">\n{heading(3, "収録の範囲", "Coverage")}\n<ul>\n{chr(10).join(items)}\n</ul>\n</div>'


def _stated_sentence(page: Page, total, fw_name: str, listed: int) -> str:
    """「連携中枢都市圏 35 圏域を掲載（総務省によれば 38 圏域、2024年4月1日現在）」 and what else the source
    states (core cities, members counted with repeats) beside the listed numbers; English after (on an
    English page, the English alone, after the framework's English name)."""
    site = page.site
    day = site.value(total, DCTERMS.date)
    sources = site.objects(total, DCTERMS.source)
    publisher = publisher_of(site, total)
    links = " ".join(short_source_link(page, s) for s in sources)
    areas = site.value(total, KYO.statedAreaCount)
    cores = site.value(total, KYO.statedCoreCityCount)
    members = site.value(total, KYO.statedMemberCount)
    _, listed_cores, listed_members = listed_counts(site, site.framework(total) or "")  # as the query counts
    stated = page.link(total, t(f"{areas} 圏域", f"{areas} areas"))  # the total's own page
    extra_ja, extra_en = [], []
    if cores:
        extra_ja.append(f"中心市 {listed_cores} を掲載（出典の記載は {e(cores)}）")
        extra_en.append(f"core cities: {listed_cores} listed, {e(cores)} stated")
    if members:
        extra_ja.append(f"構成市町村 延べ {listed_members} を掲載（中心市を含む。出典の記載は延べ {e(members)}）")
        extra_en.append(f"members counted with repeats: {listed_members} listed, core cities included; "
                        f"{e(members)} stated")
    sources_cited = links and (publisher or not areas)
    if english():
        # who states it, linked to the total's own page: its publisher where the data names one, else its source
        by = name(publisher) if publisher else (f"its source ({links})" if links else "its source")
        sentence = f"{e(fw_name)}: {listed} areas listed"
        if areas:
            sentence += f"; {by} states {stated}" + (f" as of {time_html(day)}" if day else "")
        sentence += (f" ({'; '.join(extra_en)})" if extra_en else "") + "."
        return sentence + (f" Source: {links}" if sources_cited else "")
    # who states it: its publisher where the data names one, else its source page, inline
    by = f"{e(publisher)}によれば" if publisher else (f"出典（{links}）によれば" if links else "出典によれば")
    when = f"、{japanese_date(day)}現在" if day else ""
    ja = f"{e(fw_name)} {listed} 圏域を掲載（{by} {stated}{when}）" if areas else f"{e(fw_name)} {listed} 圏域を掲載"
    en = (f"Areas listed: {listed}" + (f"; the source states {e(areas)} as of {e(day)}" if areas else "")
          + (f" ({'; '.join(extra_en)})" if extra_en else ""))
    return (ja + (f"。{'、'.join(extra_ja)}" if extra_ja else "") + (f" 出典: {links}" if sources_cited else "")
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