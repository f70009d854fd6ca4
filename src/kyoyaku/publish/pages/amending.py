"""The page of an amending agreement (kyo:AmendingAgreement, publish.pages): 「…の一部を変更する連携協約」,
a work of its own that eli:amends an agreement. Its date, when it took effect, the agreement it
amends (linked), its parties where known, the changes it makes where its text was read (kyo:change:
what kind, which part — linked on the amended agreement's page —, the old and new wording, the
instruction as written), its sources, and schema.org Legislation markup (legislationChanges)."""

from __future__ import annotations

from ...graph.iris import DCTERMS, ELI, KYO
from .agreement import parties_section
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
    sources_section,
    time_html,
)
from .site_graph import agreement_label, agreement_title, japanese_date

RECORD_NOTICE = (
    '<p class="notice">この変更協約は登録簿の記録からのみ知られており、本文は公開されていません。'
    '<span class="en" lang="en">Known from the registry only: no text of this amending agreement is '
    "published here.</span></p>"
)
CHANGE_KINDS = {"replace-text": "字句の改正", "replace": "全部改正", "insert": "追加", "delete": "削除"}


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
    """The changes in the order of the amending text (kyo:sourceLine): kind, the part it applies to
    (linked on the amended agreement's page), old and new wording, the instruction as written."""
    site = page.site
    changes = sorted(site.objects(m, KYO.change), key=site.line)
    if not changes:
        return ""
    rows = []
    target_page = site.paths.get(amended) if amended is not None else None
    for c in changes:
        kind = str(site.one(c, KYO.changeKind) or "").rsplit("/", 1)[-1]
        target = site.one(c, KYO.target)
        where = ""
        if target is not None:
            anchor = fragment(amended, target) if amended is not None and str(target).startswith(f"{amended}/") else ""
            where = (f'<a href="{e(page.href(target_page))}#{e(anchor)}">{e(anchor or str(target))}</a>'
                     if target_page and anchor else f"<code>{e(target)}</code>")
        rows.append(f'<tr id="{e(fragment(m, c))}"><td>{e(CHANGE_KINDS.get(kind, kind))}</td><td>{where}</td>'
                    f"<td>{e(site.value(c, KYO.oldText) or '')}</td><td>{e(site.value(c, KYO.newText) or '')}</td>"
                    f"<td>{e(site.value(c, KYO.text) or '')}</td></tr>")
    return f"""<section>
{heading(2, "変更の内容", "Changes")}
<table>
<thead><tr><th scope="col">種類</th><th scope="col">対象</th><th scope="col">改正前</th><th scope="col">改正後</th><th scope="col">改正文</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>"""
