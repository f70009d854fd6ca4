"""The page of a consolidated version (kyo:ConsolidatedVersion, publish.pages): the text of an
agreement as in force from a date, after the amending agreements applied to it. A reader comes for
the text: the page says whether this version is the one in force (「現在有効な版」) and links the one
that is, gives its dates and the agreement and amending agreements it consolidates, then the text
article by article as the agreement's page shows it, each changed part marked and linked to the part
it replaces."""

from __future__ import annotations

from ...graph.iris import ELI, KYO
from .agreement import text_section
from .html import (
    Page,
    alternates,
    document,
    e,
    facts,
    formats_section,
    sources_section,
    time_html,
)
from .language import english, t
from .site_graph import (
    agreement_label_html,
    agreement_title,
    agreement_title_html,
    version_in_force,
    version_name,
)
from .source_notes import record_notes_section


def version_page(page: Page, v) -> str:
    site = page.site
    consolidated = site.objects(v, ELI.consolidates)
    amended = next((a for a in site.subjects(KYO.version, v)), None)
    if amended is None:  # the agreement is the one consolidated that is not an amending agreement
        amended = next((a for a in consolidated if not site.has_type(a, KYO.AmendingAgreement)), None)
    since, until = site.value(v, ELI.first_date_entry_in_force), site.value(v, ELI.date_no_longer_in_force)
    version = version_name(site, v)
    base_title = agreement_title(site, amended) if amended is not None else t("協約", "Agreement")
    base_title_html = agreement_title_html(site, amended) if amended is not None else t("協約", "Agreement")
    current = version_in_force(site, amended) if amended is not None else None
    if current == v:
        status = t('<p class="notice">現在有効な版です（このデータの知る限り）。'
                   '<span class="en" lang="en">The version in force, as far as the data knows.</span></p>',
                   '<p class="notice">This is the version in force, as far as the data knows.</p>')
    elif current is not None:
        status = (f'<p class="notice">This is not the version in force; see the '
                  f'{page.link(current, version_name(site, current).lower())}.</p>' if english() else
                  f'<p class="notice">これは現在有効な版ではありません。現在有効な版: '
                  f'{page.link(current, version_name(site, current))}'
                  '<span class="en" lang="en"> This is not the version in force; the version in force is linked.</span></p>')
    else:
        status = t('<p class="notice">現在有効な版はこのデータからは分かりません。'
                   '<span class="en" lang="en">The data does not say which version is in force.</span></p>',
                   '<p class="notice">The data does not say which version is in force.</p>')
    amending = sorted((m for m in consolidated if site.has_type(m, KYO.AmendingAgreement)),
                      key=lambda m: (site.value(m, ELI.date_document) or "9999", str(m)))
    body = "\n".join(part for part in (
        f"<h1>{base_title_html}<br><small>{e(version)}</small></h1>",
        status,
        facts([
            ("元の協約", "Agreement", page.link_html(amended, agreement_label_html(site, amended))
             if amended is not None else ""),
            ("施行日", "In force from", time_html(since) if since else t("不明", "Unknown")),
            ("効力の最終日", "Last day in force", time_html(until) if until else ""),
            ("適用した変更協約", "Amending agreements applied",
             "<br>".join(_amending_link(page, m) for m in amending)),
        ]),
        (t('<p>この版の条と別表です。前文と署名は元の協約のとおりです。<span class="en" lang="en">The articles and '
            "別表 of this version; the preamble and signatures are those of the agreement.</span></p>\n",
            '<p>The articles and appendix tables (<span lang="ja">別表</span>) of this version; the preamble and '
            "signatures are those of the agreement.</p>\n")
         + text_section(page, v, parties_of=amended, title=("本文（この版）", "Text of this version"),
                        note="The text is in Japanese: the agreement's text as published, with the changes of the "
                             "amending agreements applied.")),
        record_notes_section(page, v),
        sources_section(page, v),
        formats_section(page, v),
    ) if part)
    crumbs = []
    if amended is not None:
        if (area := site.one(amended, KYO.area)) is not None:
            crumbs.append(page.link(area, site.label(area)))
        crumbs.append(page.link_html(amended, agreement_label_html(site, amended)))
    crumbs.append(e(version))
    return document(page, t(f"{base_title}（{version}）", f"{base_title} ({version})"), body, crumbs, alternates(page))


def _amending_link(page: Page, m) -> str:
    date = page.site.value(m, ELI.date_document)
    title = page.link(m, page.site.value(m, ELI.title) or t("変更協約", "Amending agreement"))
    return title + (t(f"（{time_html(date)}）", f" ({time_html(date)})") if date else "")
