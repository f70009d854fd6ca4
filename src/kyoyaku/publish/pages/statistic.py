"""The page of a stated national total (kyo:StatedTotal, publish.pages): what a source states of one
framework as of a date — areas, core cities, members counted with repeats — beside what the data
lists, so that the IRI the front page's coverage rests on reads on its own."""

from __future__ import annotations

from ...graph.iris import DCTERMS, KYO
from .html import (
    Page,
    alternates,
    document,
    e,
    facts,
    formats_section,
    heading,
    short_source_link,
    sources_section,
    time_html,
)
from .index import listed_counts, publisher_of
from .language import current, english, name, t
from .site_graph import japanese_date
from .source_notes import record_notes_section

NOTICE_EN = "The national total as its source states it; the data may list fewer."
NOTICE_JA = ('出典が述べる全国の総数です。このデータの一覧は全数ではないことがあります。'
             f'<span class="en" lang="en">{NOTICE_EN}</span>')


def statistic_page(page: Page, total) -> str:
    site = page.site
    framework = site.one(total, KYO.framework)
    framework_name = site.label(framework, current()) if framework is not None else t("枠組み不明", "framework unknown")
    day = site.value(total, DCTERMS.date)
    if english():
        title = f"National totals: {framework_name}" + (f", as of {day}" if day else "")
    else:
        title = f"{framework_name}の全国の総数（{japanese_date(day)}現在）" if day else f"{framework_name}の全国の総数"
    areas, cores, members = listed_counts(site, site.framework(total) or "")
    stated = [(KYO.statedAreaCount, "圏域", "Areas", areas), (KYO.statedCoreCityCount, "中心市", "Core cities", cores),
              (KYO.statedMemberCount, "構成市町村（延べ）", "Members, counted with repeats", members)]
    # what the data lists of members counts the core cities' own memberships; what the source counts, it says
    rows = [(ja, en, e(t(f"{value}（このデータに掲載: {listed}{'、中心市を含む' if prop == KYO.statedMemberCount else ''}）",
                         f"{value} (listed in this data: {listed}"
                         f"{', the core cities included' if prop == KYO.statedMemberCount else ''})")))
            for prop, ja, en, listed in stated if (value := site.value(total, prop)) is not None]
    publisher = publisher_of(site, total)
    body = "\n".join(part for part in (
        f"<h1>{e(title)}</h1>",
        (f'<p class="notice">{t(NOTICE_JA, NOTICE_EN)}</p>'),
        facts([
            ("枠組み", "Framework", e(framework_name)),
            ("時点", "As of", time_html(day) if day else ""),
            ("公表者", "Publisher", name(publisher) if publisher else ""),
            ("出典", "Source", " ".join(short_source_link(page, s) for s in site.objects(total, DCTERMS.source))),
        ]),
        f"<section>\n{heading(2, '総数', 'Totals')}\n{facts(rows)}\n</section>",
        record_notes_section(page, total),
        sources_section(page, total),
        formats_section(page, total),
    ) if part)
    return document(page, title, body, [e(title)], alternates(page))
