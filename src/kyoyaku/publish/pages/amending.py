"""The page of an amending agreement (kyo:AmendingAgreement, publish.pages): 「…の一部を変更する連携協約」,
a work of its own that eli:amends an agreement. Its date, when it took effect, the agreement it
amends (linked), its parties where known, the changes it makes where its text was read (kyo:change:
what kind, which part — linked on the amended agreement's page —, the old and new wording, the
instruction as written), its sources, and schema.org Legislation markup (legislationChanges).
In English (language.py), the instructions and wordings as written stay Japanese, marked so."""

from __future__ import annotations

import re
import unicodedata

from ...graph.iris import DCTERMS, ELI, KYO
from .agreement import concept_label, parties_section, provenance_section, text_section
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
from .language import JAPANESE, english, name, t, writing_in
from .site_graph import (
    agreement_label_html,
    agreement_title,
    agreement_title_html,
    japanese_date,
    party_names,
)
from .source_notes import record_notes_section

RECORD_NOTICE = (
    '<p class="notice">この変更協約は圏域の登録簿（自治体・都道府県のページ）から知られています。'
    '本文はこのデータセットに未収録です。'
    '<span class="en" lang="en">Known from the area registry (municipal and prefectural pages): its text is not in '
    "this dataset.</span></p>"
)
RECORD_NOTICE_EN = ('<p class="notice">This amending agreement is known from the area registry (municipal and '
                    "prefectural pages); its text is not in this dataset.</p>")
# An article's number as written (第5条, 第５条の２), as an English reader names it (Article 5, Article 5-2).
ARTICLE_NUMBER = re.compile(r"第([0-9]+)条(?:の([0-9]+))?")


def amending_title(site, m, mark=str) -> str:
    """Its title as written, else 「（amended agreement's title）の変更協約」, "Amendment of (title)" (`mark`:
    what becomes of the names, as in site_graph.agreement_title)."""
    title = site.value(m, ELI.title)
    if title:
        return mark(title)
    amended = site.one(m, ELI.amends)
    if amended is None:
        return t("変更協約", "Amending agreement")
    return t(f"{agreement_title(site, amended, mark)}の変更協約", f"Amendment of {agreement_title(site, amended, mark)}")


def amending_label(site, m, mark=str) -> str:
    """The amended agreement's parties and this one's date: 「試験市・甲野町、2020年7月8日の変更」, "試験市・甲野町,
    amendment of 2020-07-08"."""
    amended = site.one(m, ELI.amends)
    date = site.value(m, ELI.date_document)
    names = party_names(site, amended, mark) if amended is not None else ""
    if english():
        return f"{names}, amendment of {date or 'unknown date'}" if names else f"Amendment of {date or 'unknown date'}"
    return f"{names}、{japanese_date(date) if date else '日付不明'}の変更"


def amending_page(page: Page, m) -> str:
    site = page.site
    title, label = amending_title(site, m), amending_label(site, m)
    amended = site.one(m, ELI.amends)
    area = site.one(m, KYO.area) or (site.one(amended, KYO.area) if amended is not None else None)
    changes = site.objects(m, KYO.change)
    date, since = site.value(m, ELI.date_document), site.value(m, ELI.first_date_entry_in_force)
    body = "\n".join(part for part in (
        f"<h1>{amending_title(site, m, mark=name)}</h1>",
        f"<p>{amending_label(site, m, mark=name)}</p>",
        "" if changes else t(RECORD_NOTICE, RECORD_NOTICE_EN),
        facts([
            ("締結日", "Date", time_html(date, site.value(m, KYO.dateAsWritten)) if date else t("日付不明", "Unknown")),
            ("施行日", "In force from", time_html(since) if since else ""),
            ("変更する協約", "Amends",
             page.link_html(amended, f"{agreement_title_html(site, amended)}{t('（', ' (')}"
                                     f"{agreement_label_html(site, amended)}{t('）', ')')}")
             if amended is not None else ""),
            ("圏域", "Area", page.link(area, site.label(area)) if area is not None else ""),
            ("種別", "Kind", t("変更協約（本文あり）", "Amending agreement (full text)") if changes
             else t("変更協約（登録簿の記録、本文なし）", "Amending agreement (registry record; the text is not in this dataset)")),
        ]),
        parties_section(page, m) if site.parties(m) else "",
        changes_section(page, m, amended),
        text_section(page, m, title=("変更協約の本文（変更の指示を除く）", "Text of the amending agreement (apart from the changes)"))
        if changes else "",
        provenance_section(page, m),
        record_notes_section(page, m),
        sources_section(page, m),
        formats_section(page, m),
    ) if part)
    crumbs = [page.link(area, site.label(area))] if area is not None else []
    if amended is not None:
        crumbs.append(page.link_html(amended, agreement_label_html(site, amended)))
    crumbs.append(amending_label(site, m, mark=name))
    head = alternates(page) + json_ld(legislation(site, m, amended))
    return document(page, t(f"{title}（{label}）", f"{title} ({label})"), body, crumbs, head)


def legislation(site, m, amended) -> dict:
    """schema.org Legislation markup: Japanese legislation, named in Japanese on either page."""
    with writing_in(JAPANESE):
        markup = {"@context": "https://schema.org", "@type": "Legislation", "@id": str(m), "url": str(m),
                  "name": amending_title(site, m), "inLanguage": "ja"}
        if date := site.value(m, ELI.date_document):
            markup["legislationDate"] = date
        if amended is not None:
            markup["legislationChanges"] = {"@type": "Legislation", "@id": str(amended),
                                            "name": agreement_title(site, amended)}
        if sources := site.objects(m, DCTERMS.source):
            markup["citation"] = [str(s) for s in sources]
        return markup


def changes_section(page: Page, m, amended) -> str:
    """The changes in the order of the amending text (kyo:sourceLine), each as written (the
    instruction), then its kind, the part it applies to (linked on the amended agreement's page) and
    the old and new wording: a list of blocks rather than a five-column table, legible on a phone."""
    site = page.site
    changes = sorted(site.objects(m, KYO.change), key=site.line)
    if not changes:
        return ""
    target_page = site.paths.get(amended) if amended is not None else None
    # the instruction and the wordings as written: Japanese
    ja, as_written = (' lang="ja"', lambda text: f'<span lang="ja">{lines(text)}</span>') if english() else ("", lines)
    items = []
    for c in changes:
        kind, target = site.one(c, KYO.changeKind), site.one(c, KYO.target)
        where = ""
        if target is not None:
            inside = amended is not None and str(target).startswith(f"{amended}/")
            label = part_label(site, target) if inside else e(target)
            where = (f'<a href="{e(page.href(target_page))}#{e(fragment(amended, target))}">{label}</a>'
                     if target_page and inside else label)
        old, new = site.value(c, KYO.oldText), site.value(c, KYO.newText)
        items.append(f'<li id="{e(fragment(m, c))}"><p{ja}>{e(site.value(c, KYO.text) or "")}</p>\n' + facts([
            ("種類", "Kind", concept_label(site, kind) if kind is not None else ""),
            ("対象", "Part", where),
            ("改正前", "Old text", as_written(old) if old else ""),
            ("改正後", "New text", as_written(new) if new else ""),
        ]) + "</li>")
    return f"""<section>
{heading(2, "変更の内容", "Changes")}
<ol>
{chr(10).join(items)}
</ol>
</section>"""


def part_label(site, node) -> str:
    """How a reader names a part of an agreement, as HTML: 第5条, 第6条第2項, 別表の「企業や産業の育成・支援」の行,
    別表 ("Article 5", "Article 6, paragraph 2", "Row “企業や産業の育成・支援” of the 別表"); else its IRI
    after the agreement's (art_5)."""
    number = site.value(node, ELI.number)
    if site.has_type(node, KYO.Paragraph):
        # a first paragraph has no number written: its ordinal (kyo:ordinal; the IRI's __para_N, the scheme)
        article = site.value(site.one(node, ELI.is_part_of), ELI.number) or ""
        ordinal = number or site.value(node, KYO.ordinal) or str(node).rsplit("__para_", 1)[-1]
        if english():
            return f"{article_name(article)}, paragraph {e(ordinal)}" if ordinal.isdigit() else name(article + ordinal)
        return e(f"{article}第{ordinal}項" if ordinal.isdigit() else f"{article}{ordinal}")
    if site.has_type(node, KYO.Initiative):
        row = site.value(node, KYO.category) or site.value(node, KYO.description) or ""
        return f'Row “{name(row)}” of the <span lang="ja">別表</span>' if english() else e(f"別表の「{row}」の行")
    if site.has_type(node, KYO.Appendix):
        return name(site.value(node, KYO.text) or "別表")
    if number:
        return article_name(number)
    return e(str(node).rsplit("/", 1)[-1] if "/" in str(node) else str(node))


def article_name(number: str) -> str:
    """An article's number as HTML: 第5条 on a Japanese page, "Article 5" on an English one (a number
    written otherwise stays as written, marked Japanese)."""
    match = ARTICLE_NUMBER.fullmatch(unicodedata.normalize("NFKC", number)) if english() else None
    if match is None:
        return name(number)
    return f"Article {match.group(1)}" + (f"-{match.group(2)}" if match.group(2) else "")
