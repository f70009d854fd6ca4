"""The page of an amending agreement (kyo:AmendingAgreement, publish.pages): 「…の一部を変更する連携協約」,
a work of its own that eli:amends an agreement. Its date, when it took effect, the agreement it
amends (linked), its parties where known, the changes it makes where its text was read (kyo:change:
what kind, which part — linked on the amended agreement's page —, the old and new wording, the
instruction as written), its sources, and schema.org Legislation markup (legislationChanges)."""

from __future__ import annotations

from ...graph.iris import DCTERMS, ELI, KYO
from .agreement import parties_section, provenance_section, text_section
from .html import (
    Page,
    alternates,
    document,
    e,
    facts,
    formats_section,
    fragment,
    heading,
    json_ld,
    lines,
    sources_section,
    time_html,
)
from .site_graph import agreement_label, agreement_title, japanese_date
from .source_notes import record_notes_section

RECORD_NOTICE = (
    '<p class="notice">この変更協約は圏域の登録簿（自治体・都道府県のページ）から知られています。'
    '本文はこのデータセットに未収録です。'
    '<span class="en" lang="en">Known from the area registry (municipal and prefectural pages): its text is not in '
    "this dataset.</span></p>"
)


def amending_title(site, m) -> str:
    """Its title as written, else 「（amended agreement's title）の変更協約」."""
    title = site.value(m, ELI.title)
    if title:
        return title
    amended = site.one(m, ELI.amends)
    return f"{agreement_title(site, amended)}の変更協約" if amended is not None else "変更協約"


def amending_label(site, m) -> str:
    """The amended agreement's parties and this one's date: 「試験市・甲野町、2020年7月8日の変更」."""
    amended = site.one(m, ELI.amends)
    date = site.value(m, ELI.date_document)
    names = agreement_label(site, amended).split("、")[0] if amended is not None else ""
    return f"{names}、{japanese_date(date) if date else '日付不明'}の変更"


def amending_page(page: Page, m) -> str:
    site = page.site
    title = amending_title(site, m)
    label = amending_label(site, m)
    amended = site.one(m, ELI.amends)
    area = site.one(m, KYO.area) or (site.one(amended, KYO.area) if amended is not None else None)
    changes = site.objects(m, KYO.change)
    date, since = site.value(m, ELI.date_document), site.value(m, ELI.first_date_entry_in_force)
    body = "\n".join(part for part in (
        f"<h1>{e(title)}</h1>",
        f"<p>{e(label)}</p>",
        "" if changes else RECORD_NOTICE,
        facts([
            ("締結日", "Date", time_html(date, site.value(m, KYO.dateAsWritten)) if date else "日付不明"),
            ("施行日", "In force from", time_html(since) if since else ""),
            ("変更する協約", "Amends",
             page.link(amended, f"{agreement_title(site, amended)}（{agreement_label(site, amended)}）")
             if amended is not None else ""),
            ("圏域", "Area", page.link(area, site.label(area)) if area is not None else ""),
            ("種別", "Kind", "変更協約（本文あり）" if changes else "変更協約（登録簿の記録、本文なし）"),
        ]),
        parties_section(page, m) if site.parties(m) else "",
        changes_section(page, m, amended),
        text_section(page, m, title=("変更協約の本文（変更の指示を除く）", "Text of the amending agreement (but the changes)"))
        if changes else "",
        provenance_section(page, m),
        record_notes_section(page, m),
        sources_section(page, m),
        formats_section(page, m),
    ) if part)
    crumbs = [page.link(area, site.label(area))] if area is not None else []
    if amended is not None:
        crumbs.append(page.link(amended, agreement_label(site, amended)))
    crumbs.append(e(label))
    markup = {"@context": "https://schema.org", "@type": "Legislation", "@id": str(m), "url": str(m),
              "name": title, "inLanguage": "ja"}
    if date:
        markup["legislationDate"] = date
    if amended is not None:
        markup["legislationChanges"] = {"@type": "Legislation", "@id": str(amended), "name": agreement_title(site, amended)}
    if sources := site.objects(m, DCTERMS.source):
        markup["citation"] = [str(s) for s in sources]
    return document(page, f"{title}（{label}）", body, crumbs, alternates(page) + json_ld(markup))


def changes_section(page: Page, m, amended) -> str:
    """The changes in the order of the amending text (kyo:sourceLine), each as written (the
    instruction), then its kind, the part it applies to (linked on the amended agreement's page) and
    the old and new wording: a list of blocks rather than a five-column table, legible on a phone."""
    site = page.site
    changes = sorted(site.objects(m, KYO.change), key=site.line)
    if not changes:
        return ""
    target_page = site.paths.get(amended) if amended is not None else None
    items = []
    for c in changes:
        kind, target = site.one(c, KYO.changeKind), site.one(c, KYO.target)
        where = ""
        if target is not None:
            inside = amended is not None and str(target).startswith(f"{amended}/")
            label = part_label(site, target) if inside else str(target)
            where = (f'<a href="{e(page.href(target_page))}#{e(fragment(amended, target))}">{e(label)}</a>'
                     if target_page and inside else e(label))
        old, new = site.value(c, KYO.oldText), site.value(c, KYO.newText)
        items.append(f'<li id="{e(fragment(m, c))}"><p>{e(site.value(c, KYO.text) or "")}</p>\n' + facts([
            ("種類", "Kind", e(site.label(kind)) if kind is not None else ""),
            ("対象", "Part", where),
            ("改正前", "Old text", lines(old) if old else ""),
            ("改正後", "New text", lines(new) if new else ""),
        ]) + "</li>")
    return f"""<section>
{heading(2, "変更の内容", "Changes")}
<ol>
{chr(10).join(items)}
</ol>
</section>"""


def part_label(site, node) -> str:
    """How a reader names a part of an agreement: 第5条, 第6条第2項, 別表の「企業や産業の育成・支援」の行, 別表;
    else its IRI after the agreement's (art_5)."""
    number = site.value(node, ELI.number)
    if site.has_type(node, KYO.Paragraph):
        # a first paragraph has no number written: its ordinal (kyo:ordinal; the IRI's __para_N, the scheme)
        article = site.value(site.one(node, ELI.is_part_of), ELI.number) or ""
        ordinal = number or site.value(node, KYO.ordinal) or str(node).rsplit("__para_", 1)[-1]
        return f"{article}第{ordinal}項" if ordinal.isdigit() else f"{article}{ordinal}"
    if site.has_type(node, KYO.Initiative):
        return f"別表の「{site.value(node, KYO.category) or site.value(node, KYO.description) or ''}」の行"
    if site.has_type(node, KYO.Appendix):
        return site.value(node, KYO.text) or "別表"
    if number:
        return number
    return str(node).rsplit("/", 1)[-1] if "/" in str(node) else str(node)
