"""The page of an agreement with its full text (publish.pages): its facts and parties, the text
article by article with the 別表 as tables, its provenance, and schema.org Legislation markup.
`agreement_document` is the frame shared with a registry record's page (publish.pages.record).

In English (language.py) the page says all this in English and gives the text as published, in
Japanese, in an element marked so: its tables' column names, the 別表's policy fields and the marks
the site adds (◎, "amended") are English, marked so inside it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from rdflib import OWL, RDFS, URIRef

from ...graph.iris import DCTERMS, ELI, KYO, PROV, SKOS, TIME
from ...graph.render import parts as parts_below
from ..framed import SUFFIX as FRAMED_JSON
from .csv_links import has_beppyo, table_link
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
    labelled_cell,
    lang_text,
    lines,
    place,
    sources_section,
    time_html,
)
from .language import (
    JAPANESE,
    JAPANESE_CHARACTERS,
    both,
    current,
    english,
    name,
    t,
    writing_in,
)
from .site_graph import (
    AGREEMENT_KIND,
    Site,
    agreement_label,
    agreement_label_html,
    agreement_title,
    agreement_title_html,
    is_record,
    japanese_date,
    version_in_force,
    version_name,
    versions_of,
)
from .source_notes import record_notes_section

LEGEND = ('<p class="legend">◎主体 = その取組に主体的に取り組む当事者 '
          '<span class="en" lang="en">(◎主体 marks the party that leads the initiative)</span></p>\n')
LEGEND_EN = '<p class="legend" lang="en">◎ Lead marks the party that leads the initiative.</p>\n'
LEAD_MARK, LEAD_MARK_EN = '<strong class="lead-mark">◎主体</strong> ', '<strong class="lead-mark" lang="en">◎ Lead</strong> '
MATCH = {"exact": ("区分名と一致", "matches the category's name"),
         "synonym": ("同義の区分から対応付け", "mapped from a category of the same meaning")}
# The parties' designations in a text (甲, 乙, 丙…) as letters, as an English reader names them.
DESIGNATION_LETTERS = dict(zip("甲乙丙丁戊己庚辛壬癸", "ABCDEFGHIJ"))
# A run of Japanese within English text (例規集 header; the date 平成30年6月 日 is incomplete): marked on its own.
JAPANESE_RUN = re.compile(f"{JAPANESE_CHARACTERS.pattern}(?:[0-9０-９・、「」（） ]*{JAPANESE_CHARACTERS.pattern})*")


def agreement_page(page: Page, a) -> str:
    """The page of an agreement with its full text: the text article by article, and its provenance."""
    current = version_in_force(page.site, a)
    note = ""
    if current is not None:
        since = page.site.value(current, ELI.first_date_entry_in_force)
        note = (f'<p class="notice">The text below is the agreement as concluded; the text as amended is '
                f'{page.link(current, f"the version in force from {since}")}.</p>' if english() else
                f'<p class="notice">以下は締結時の本文です。変更後の本文は'
                f'{page.link(current, f"現在有効な版（{japanese_date(since)}から）")}にあります。'
                '<span class="en" lang="en">The text below is as concluded; the text as amended is the version in '
                "force, linked.</span></p>")
    # the 別表 rows as CSV, beside the Japanese page: the English page links the same file
    beppyo = table_link(page, "beppyo") if has_beppyo(page.site, a) else ""
    return agreement_document(page, a, notice="", text=[note + text_section(page, a) + beppyo,
                                                         provenance_section(page, a)])


def amendments_section(page: Page, a) -> str:
    """What became of agreement `a`: whether it is still in force or its last day in force
    (eli:date_no_longer_in_force: ELI's last date in force), the version in force (「現在有効な版」:
    site_graph.version_in_force), its amending agreements (eli:amends) by date, and its consolidated
    versions (kyo:version). Lists rather than tables: they stay legible on a phone. Empty for an
    agreement the data says none of this about."""
    site = page.site
    amending = sorted(site.subjects(ELI.amends, a), key=lambda m: (site.value(m, ELI.date_document) or "9999", str(m)))
    versions = versions_of(site, a)
    ended = site.value(a, ELI.date_no_longer_in_force)
    if not amending and not versions and not ended:
        return ""
    out = [heading(2, "変更と現在有効な版", "Amendments and the version in force")]
    current = version_in_force(site, a)
    if ended:
        out.append(f'<p class="notice">This agreement is no longer in force: its last day in force was '
                   f'{time_html(ended)}.</p>' if english() else
                   f'<p class="notice">この協約は効力を失っています（効力の最終日: {time_html(ended)}）。'
                   f'<span class="en" lang="en">No longer in force: its last day in force was {e(ended)}.</span></p>')
    elif current is not None:
        out.append(f'<p>{both("現在有効な版", "Version in force")}: {version_link(page, current)}</p>')
    elif amending:
        out.append(t('<p>変更後の本文（現在有効な版）はこのデータにありません。<span class="en" lang="en">The text as '
                     'amended (the version in force) is not in the data.</span></p>',
                     "<p>The text as amended (the version in force) is not in the data.</p>"))
    if amending:
        items = "\n".join(f"<li>{amending_item(page, m)}</li>" for m in amending)
        out.append(f'<h3>{both("変更協約", "Amending agreements")}</h3>\n<ul>\n{items}\n</ul>')
    if versions:
        in_force = t("（現在有効）", " (currently in force)")
        items = "\n".join(f"<li>{version_link(page, v)}{in_force if v == current else ''}</li>" for v in versions)
        out.append(f'<h3>{both("変更後の本文の版", "Consolidated versions")}</h3>\n<ul>\n{items}\n</ul>')
    return '<section id="amendments">\n' + "\n".join(out) + "\n</section>"


def amending_item(page: Page, m) -> str:
    """「2023年3月20日（2023-03-20）締結 『title』 2023年4月1日から施行（本文あり）」; "Concluded 2023-03-20:
    “title”, in force from 2023-04-01 (full text)"."""
    site = page.site
    date, since = site.value(m, ELI.date_document), site.value(m, ELI.first_date_entry_in_force)
    title = page.link(m, site.value(m, ELI.title) or t("変更協約（題名の記載なし）", "Amending agreement (no title given)"))
    has_text = bool(site.objects(m, KYO.change))
    if english():
        return (f"Concluded {time_html(date) if date else 'on an unknown date'}: “{title}”"
                + (f", in force from {time_html(since)}" if since else "")
                + f" ({'full text' if has_text else 'registry record only'})")
    return (f"{time_html(date) if date else '日付不明'} 締結 「{title}」"
            + (f" {time_html(since)}から施行" if since else "")
            + f"（{'本文あり' if has_text else '登録簿のみ'}）")


def version_link(page: Page, v) -> str:
    """A version by its dates: 「2023年4月1日から有効な版」（2023-04-01〜2024-03-28）, "Version in force
    from 2023-04-01 (to 2024-03-28)", linked."""
    site = page.site
    since, until = site.value(v, ELI.first_date_entry_in_force), site.value(v, ELI.date_no_longer_in_force)
    if english():
        return page.link(v, version_name(site, v)) + (f" (to {e(until)})" if until else "")
    return f"{page.link(v, version_name(site, v))}（{e(since or '?')}〜{e(until or '')}）"


def agreement_document(page: Page, a, notice: str, text: list[str]) -> str:
    """The page of agreement `a` — full text or registry record (publish.pages.record) alike: title,
    facts, parties, sources, formats and its schema.org markup, with `notice` after the title and
    the `text` sections after the parties."""
    site = page.site
    title, label = agreement_title(site, a), agreement_label(site, a)
    area = site.one(a, KYO.area)
    body = "\n".join(part for part in (
        f"<h1>{agreement_title_html(site, a)}</h1>",
        f"<p>{agreement_label_html(site, a)}</p>",
        notice,
        incomplete_notice(site, a),
        agreement_facts(page, a),
        parties_section(page, a),
        amendments_section(page, a),
        *text,
        record_notes_section(page, a),
        sources_section(page, a),
        formats_section(page, a, more=framed_json_item(page)),
    ) if part)
    crumbs = [page.link(area, site.label(area))] if area is not None else []
    crumbs.append(agreement_label_html(site, a))
    head = (alternates(page) + f'<link rel="alternate" type="application/json" href="{e(page.data_file(FRAMED_JSON))}">\n'
            + json_ld(legislation(site, a)))
    return document(page, t(f"{title}（{label}）", f"{title} ({label})"), body, crumbs, head)


def framed_json_item(page: Page) -> str:
    """The link to the agreement as nested JSON (publish.framed), for the list of its formats."""
    return (f'<li>{both("開発者向けの JSON（入れ子、短いキー）", "JSON for developers (nested, short keys)")}: '
            f'<a href="{e(page.data_file(FRAMED_JSON))}">JSON</a></li>\n')


def incomplete_notice(site: Site, a) -> str:
    if str(site.one(a, KYO.incomplete)).lower() != "true":
        return ""
    items = "".join(f'<li lang="en">{mixed(d)}</li>' for d in site.objects(a, KYO.parseDiagnostic))
    said = t('この協約は一部を読み取れないまま公開されています。<span class="en" lang="en">Published incomplete.</span>',
             "Part of this agreement could not be read: it is published incomplete.")
    return f'<div class="notice"><p>{said}</p><ul>{items}</ul></div>'


def agreement_facts(page: Page, a) -> str:
    site = page.site
    date = site.value(a, ELI.date_document)
    area = site.one(a, KYO.area)
    law = site.one(a, ELI.based_on)
    law_html = ""
    if law is not None:
        egov = site.one(law, RDFS.seeAlso)
        law_html = f'<a href="{e(egov)}">{concept_label(site, law)}</a>' if egov else concept_label(site, law)
    kind = t("登録簿の記録（本文なし）", "Registry record (the text is not in this dataset)") if is_record(site, a) \
        else t("本文あり", "Full text")
    return facts([
        ("締結日", "Date", (time_html(date, site.value(a, KYO.dateAsWritten)) + date_source_html(site, a))
         if date else t("日付不明", "Unknown")),
        ("告示", "Public notice", notice_html(site, a)),
        ("議案", "Council bill", bill_html(site, a)),
        ("枠組み", "Framework", concept_label(site, site.one(a, KYO.framework)) if site.framework(a) else ""),
        ("圏域", "Area", page.link(area, site.label(area)) if area is not None else ""),
        ("根拠", "Legal basis", law_html),
        ("種別", "Kind", e(kind)),
        ("施行日", "In force from", time_html(since) if (since := site.value(a, ELI.first_date_entry_in_force)) else ""),
        ("効力の最終日", "Last day in force",
         time_html(until) if (until := site.value(a, ELI.date_no_longer_in_force)) else ""),
        ("失効", "Lapse", lapse_html(site, a)),
    ])


def concept_label(site: Site, node) -> str:
    """A concept's (or a law's) label in the page's language as HTML: on an English page its English
    label (Site.label), any Japanese in it marked (「例規集 header」)."""
    return mixed(site.label(node, current()))


def mixed(text: str) -> str:
    """English text that quotes Japanese, as HTML: on an English page each run of Japanese in an
    element marked so."""
    if not english():
        return e(text)
    return "".join(f'<span lang="ja">{e(part)}</span>' if JAPANESE_CHARACTERS.match(part) else e(part)
                   for part in re.split(f"({JAPANESE_RUN.pattern})", text) if part)


def designation_html(designation: str) -> str:
    """How the parties table names a party by its designation in the text: 「甲」; "Party A (甲)"."""
    letter = DESIGNATION_LETTERS.get(designation)
    if not english() or letter is None:
        return name(designation)
    return f"Party {letter} ({name(designation)})"


def source_line(site: Site, node) -> int | None:
    line = site.one(node, KYO.sourceLine)
    return None if line is None else int(line)


def source_page(site: Site, node) -> int | None:
    """The PDF page (or TIFF page) the node's line was on, from its kyo:sourceOrigin `page=N&…`."""
    origin = site.value(node, KYO.sourceOrigin) or ""
    match = re.match(r"page=([0-9]+)&", origin)
    return int(match.group(1)) if match else None


def line_html(site: Site, node) -> str:
    """「出典の3行目（2ページ） line 3 of the source (page 2)」: where in the source file a fact was read;
    "" when not recorded."""
    line = source_line(site, node)
    if line is None:
        return ""
    page = source_page(site, node)
    ja_page, en_page = (f"（{page}ページ）", f" (page {page})") if page is not None else ("", "")
    return both(f"出典の{line}行目{ja_page}", f"line {line} of the source{en_page}")


def date_source_html(site: Site, a) -> str:
    """Where the date was read: 「例規集の見出しから（3行目）」, the English beside it."""
    source, location = site.one(a, KYO.dateSource), site.one(a, KYO.dateLocation)
    if source is None:
        return ""
    line, page = source_line(site, location), source_page(site, location)
    ja_line, en_line = (f"（{line}行目）", f" (line {line})") if line is not None else ("", "")
    if page is not None:
        ja_line, en_line = f"（{page}ページ・{line}行目）", f" (page {page}, line {line})"
    anchor = f' id="{e(fragment(a, location))}"' if location is not None else ""
    if english():
        return f'<br><small class="source"{anchor}>from the {concept_label(site, source)}{en_line}</small>'
    return (f'<br><small class="source"{anchor}>{e(site.label(source))}から{ja_line}'
            f' <span class="en" lang="en">from the {e(site.label(source, "en"))}{en_line}</span></small>')


def notice_html(site: Site, a) -> str:
    notice = site.one(a, KYO.publicNotice)
    if notice is None:
        return ""
    where = line_html(site, notice)
    return (f'<span id="{e(fragment(a, notice))}">{name(site.value(notice, ELI.number) or "")}</span>'
            f'{f"<br><small>{where}</small>" if where else ""}')


def bill_html(site: Site, a) -> str:
    """The council bill's number, title and date of submission (番号・件名・提出日), each labelled."""
    bill = site.one(a, KYO.councilBill)
    if bill is None:
        return ""
    submitted = site.value(bill, DCTERMS.dateSubmitted)
    parts = [
        ("番号", "number", name(site.value(bill, DCTERMS.identifier) or "")),
        ("件名", "title", name(site.value(bill, DCTERMS.title) or "")),
        ("提出日", "submitted", time_html(submitted) if submitted else ""),
    ]
    rows = [f"{both(ja, en.capitalize() if english() else en)}: {value}" for ja, en, value in parts if value]
    where = line_html(site, bill)
    return (f'<span id="{e(fragment(a, bill))}">' + "<br>".join(rows) + "</span>"
            + (f"<br><small>{where}</small>" if where else ""))


def lapse_html(site: Site, a) -> str:
    period = site.one(a, KYO.lapsePeriod)
    if period is None:
        return ""
    amount = site.one(period, TIME.numericDuration)
    unit_type = site.one(period, TIME.unitType)
    number = f"{float(amount):g}" if amount is not None else "?"
    origin = site.one(period, PROV.wasDerivedFrom)
    if english():
        unit = {TIME.unitYear: "year", TIME.unitMonth: "month", TIME.unitDay: "day"}.get(unit_type, "")
        unit += "" if number == "1" or not unit else "s"
        where = f' (<a href="#{e(fragment(a, origin))}">the provision</a>)' if origin is not None else ""
        return f'<span id="{e(fragment(a, period))}">Lapses {e(number)} {unit} after notice is given{where}</span>'
    unit = {TIME.unitYear: "年", TIME.unitMonth: "か月", TIME.unitDay: "日"}.get(unit_type, "")
    where = f'（<a href="#{e(fragment(a, origin))}">根拠の項</a>）' if origin is not None else ""
    return f'<span id="{e(fragment(a, period))}">通告から{e(number)}{unit}で失効{where}</span>'


def parties_section(page: Page, a) -> str:
    """The parties, a row each. The English column names are longer than the Japanese: on a narrow
    screen the English table is one card per party (html.labelled_cell), where the Japanese fits."""
    site = page.site
    columns = [(t(ja, en), ja, en) for ja, en in (("呼称", "Designation"), ("市町村", "Municipality"),
                                                  ("都道府県", "Prefecture"), ("役割", "Role"))]
    cell = (lambda column, value: labelled_cell(column[0], value)) if english() else (lambda column, value: f"<td>{value}</td>")
    rows = []
    for p in site.parties(a):
        m = site.one(p, KYO.municipality)
        party = site.party_name(p)
        written = site.value(p, KYO.nameAsWritten)
        as_written = t(f"（本文の表記: {e(written)}）", f" (written {name(written)} in the text)") \
            if written and written != party else ""
        designation = site.value(p, KYO.designation)
        role = site.one(p, KYO.role)
        values = [designation_html(designation) if designation else "", f"{page.link(m, party)}{as_written}",
                  name(site.value(m, KYO.prefectureName) or ""), concept_label(site, role) if role is not None else ""]
        rows.append(f'<tr id="{e(fragment(a, p))}">' + "".join(cell(c, v) for c, v in zip(columns, values)) + "</tr>")
    head = "".join(f'<th scope="col">{label}</th>' for label, _, _ in columns)
    return f"""<section>
{heading(2, "当事者", "Parties")}
{'<table class="cards">' if english() else "<table>"}
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>"""


def text_section(page: Page, a, parties_of=None, title: tuple[str, str] = ("協約本文", "Text of the agreement"),
                 note: str = "The text is in Japanese, as published.") -> str:
    """The agreement article by article, in the order of its source (render's traversal). `a` may be
    a consolidated version: its parts are its own, its parties those of `parties_of` (the agreement it
    consolidates). On an English page, `note` says what the text (in Japanese) is."""
    site = page.site
    # A version's parts come from several texts (the agreement's and its amending agreements'), so
    # their lines give no order: their ordinals and numbers do, as graph.render orders a version.
    order = (lambda node: version_order(site, node)) if site.has_type(a, KYO.ConsolidatedVersion) else site.line
    children = defaultdict(list)
    for node in sorted(parts_below(site, a), key=order):
        children[site.one(node, ELI.is_part_of)].append(node)
    top = list(children[a])
    for prop in (KYO.cover, KYO.preamble, KYO.supplementaryProvisions, KYO.closingFormula, KYO.dateStatement,
                 KYO.signature):
        top += site.objects(a, prop)
    parties = site.parties(parties_of if parties_of is not None else a)
    blocks = TextWriter(page, a, children, parties).blocks(sorted(set(top), key=order), depth=0)
    if english():  # the text as published, in Japanese: the marks and tables' headings inside it are English, marked so
        blocks = f'<p class="note">{e(note)}</p>\n<div lang="ja">\n{blocks}\n</div>'
    return f"""<section>
{heading(2, *title)}
{blocks}
</section>"""


# Within one parent, in graph.render's order of a version: paragraphs and items, then rows, then
# sections; articles before 別表.
_VERSION_RANK = {KYO.Article: 0, KYO.Paragraph: 0, KYO.Item: 0, KYO.Appendix: 1, KYO.Initiative: 1,
                 KYO.AppendixSection: 2}


def version_order(site: Site, node) -> tuple:
    """The place of a part of a consolidated version in its text: its kind's rank, then its number —
    the ordinal of an article, 別表, paragraph or item, a row's number, a section's key (sec_3-2: 3, 2)."""
    rank = next((r for kind, r in _VERSION_RANK.items() if site.has_type(node, kind)), 3)
    if site.has_type(node, KYO.AppendixSection):
        number = tuple(int(k) for k in str(node).rsplit("/sec_", 1)[1].split("-") if k.isdigit())
    elif site.has_type(node, KYO.Initiative):
        number = (int(site.value(node, ELI.number) or 0),)
    else:
        number = (int(site.value(node, KYO.ordinal) or 0),)
    return rank, number, site.value(node, ELI.number) or "", str(node)


@dataclass
class TextWriter:
    page: Page
    agreement: URIRef
    children: dict
    parties: list
    tables: int = 0  # the first table of the text carries the legend

    @property
    def site(self) -> Site:
        return self.page.site

    def id(self, node) -> str:
        return f' id="{e(fragment(self.agreement, node))}"'

    def blocks(self, nodes: list, depth: int) -> str:
        """Nodes in order; consecutive initiatives (rows) become one table, consecutive items one list."""
        out = []
        for kind, run in groupby(nodes, key=self.group):
            if kind == "rows":
                out.append(self.table(list(run)))
            elif kind == "items":
                out.append('<ul class="items">\n' + "\n".join(self.item(n, depth) for n in run) + "\n</ul>")
            else:
                out += [self.node(n, depth) for n in run]
        return "\n".join(x for x in out if x)

    def group(self, node) -> str | URIRef:
        if self.site.has_type(node, KYO.Initiative):
            return "rows"
        if self.site.has_type(node, KYO.Item):
            return "items"
        return node

    def item(self, node, depth: int) -> str:
        site = self.site
        inner = self.blocks(self.children.get(node, []), depth + 1)
        return (f'<li{self.id(node)}><span class="num">{e(site.value(node, ELI.number) or "")}</span>'
                f'{e(site.value(node, KYO.text) or "")}{self.replaced(node)}{inner}</li>')

    def replaced(self, node) -> str:
        """In a consolidated version, a part that replaces one of the amended agreement
        (dcterms:replaces) says so and links the original."""
        original = self.site.one(node, DCTERMS.replaces)
        if original is None:
            return ""
        # the part replaced is the amended agreement's, or an earlier version's: the page it is on is
        # the one whose IRI is its longest prefix
        amended = [a for a in self.site.objects(self.agreement, ELI.consolidates)
                   if not self.site.has_type(a, KYO.AmendingAgreement)]
        pages = amended + [v for a in amended for v in self.site.objects(a, KYO.version)]
        owner = max((p for p in pages if str(original).startswith(f"{p}/")), key=lambda p: len(str(p)), default=None)
        target = self.site.paths.get(owner) if owner is not None else None
        href = f"{self.page.href(target)}#{fragment(owner, original)}" if target else ""
        if english():
            where = f' (<a href="{e(href)}">the original provision</a>)' if target else ""
            return f' <small class="changed" lang="en">amended{where}</small>'
        where = (f'（<a href="{e(href)}">元の規定 '
                 f'<span class="en" lang="en">original</span></a>）') if target else ""
        return f' <small class="changed">変更 <span class="en" lang="en">amended</span>{where}</small>'

    def node(self, node, depth: int) -> str:
        site = self.site
        text = site.value(node, KYO.text)
        inner = self.blocks(self.children.get(node, []), depth + 1)
        changed = self.replaced(node)
        if site.has_type(node, KYO.Article):
            title = site.value(node, ELI.title)
            head = f"{site.value(node, ELI.number) or ''}{f'（{title}）' if title else ''}"
            return f'<section class="article"{self.id(node)}>\n<h3>{e(head)}{changed}</h3>\n{inner}\n</section>'
        if site.has_type(node, KYO.Paragraph):
            number = site.value(node, ELI.number)
            num = f'<span class="num">{e(number)}</span>' if number else ""
            return f'<div class="para"{self.id(node)}>\n<p>{num}{e(text or "")}{changed}</p>\n{inner}\n</div>'
        if site.has_type(node, KYO.Appendix):
            return f'<section class="appendix"{self.id(node)}>\n<h3>{e(text or "別表")}</h3>\n{inner}\n</section>'
        if site.has_type(node, KYO.AppendixSection):
            level = min(4 + depth - 1, 6)
            head = f"{site.value(node, ELI.number) or ''} {site.value(node, ELI.title) or ''}".strip()
            return f'<section class="appendix-section"{self.id(node)}>\n<h{level}>{e(head)}</h{level}>\n{inner}\n</section>'
        if site.has_type(node, KYO.Signature):
            return f'<div class="signature"{self.id(node)}><p>{lines(text or "")}</p></div>'
        if site.has(self.agreement, KYO.cover, node):
            return f'<div class="cover"{self.id(node)}><p>{lines(text or "")}</p></div>'
        return f'<p{self.id(node)}>{lines(text or "")}</p>{inner}'

    def table(self, rows: list) -> str:
        parties = self.parties
        heads = "".join(f'<th scope="col">{self.role_heading(p)}</th>' for p in parties)
        body = "\n".join(self.row(r, parties) for r in rows)
        self.tables += 1
        legend = t(LEGEND, LEGEND_EN) if self.tables == 1 else ""
        thead = '<thead lang="en">' if english() else "<thead>"
        return f"""{legend}<table class="beppyo cards">
{thead}<tr><th scope="col">{t("区分", "Category")}</th><th scope="col">{t("連携する取組", "Initiative")}</th>{heads}<th scope="col">{t("国の政策分野", "National policy field")}</th></tr></thead>
<tbody>
{body}
</tbody>
</table>"""

    def party_name(self, party) -> str:
        return self.site.value(party, KYO.designation) or self.site.party_name(party)

    def role_heading(self, party, escape=name) -> str:
        """A party's column of a 別表: 「甲の役割」, "Role of party A (甲)", "Role of 水戸市" (`escape`: how
        the names are written, as HTML or as text)."""
        designation = self.site.value(party, KYO.designation)
        if not english():
            return f"{escape(self.party_name(party))}の役割"
        letter = DESIGNATION_LETTERS.get(designation or "")
        if letter is not None:
            return f"Role of party {letter} ({escape(designation)})"
        return f"Role of {escape(self.party_name(party))}"

    def row(self, row, parties: list) -> str:
        site = self.site
        by_party = {site.one(r, KYO.party): r for r in site.objects(row, KYO.roleStatement)}
        cells = []
        for p in parties:
            statement = by_party.get(p)
            if statement is None:
                cells.append("<td></td>")
                continue
            leads = str(site.one(statement, KYO.leads)).lower() == "true"
            mark = t(LEAD_MARK, LEAD_MARK_EN) if leads else ""
            cls = ' class="lead"' if leads else ""
            cells.append(labelled_cell(self.role_heading(p, escape=str), f"{mark}{e(site.value(statement, KYO.text) or '')}",
                                       f"{self.id(statement)}{cls}"))
        fields_lang = ' lang="en"' if english() else ""
        return (f'<tr{self.id(row)}><th scope="row">{e(site.value(row, KYO.category) or "")}{self.replaced(row)}</th>'
                f'{labelled_cell(t("連携する取組", "Initiative"), e(site.value(row, KYO.description) or ""))}{"".join(cells)}'
                f'{labelled_cell(t("国の政策分野", "National policy field"), self.fields(row), fields_lang)}</tr>')

    def fields(self, row) -> str:
        site = self.site
        out = []
        for prop, match, prefix in ((KYO.policyField, KYO.policyFieldMatch, ""),
                                    (KYO.teijuPolicyField, KYO.teijuPolicyFieldMatch,
                                     t("定住自立圏: ", "Independent Settlement Area: "))):
            field = site.one(row, prop)
            if field is not None:
                how = t(*MATCH[site.value(row, match)]) if site.value(row, match) in MATCH else ""
                said = t(f"（{e(how)}）", f"({e(how)})")
                out.append(f"{prefix}{concept_label(site, field)}{f'<br><small>{said}</small>' if how else ''}")
        return "<br>".join(out) or t("（対応なし）", "(none matched)")


def provenance_section(page: Page, a) -> str:
    site = page.site
    source = site.one(a, PROV.wasDerivedFrom)
    if source is None:
        return ""
    mappings = [f"{name(site.value(m, KYO.fileName) or '')}{t('（版 ', ' (version ')}"
                f"{e(site.value(m, OWL.versionInfo) or '')}{t('）', ')')}"
                for m in site.objects(a, KYO.policyFieldMapping)]
    rows = facts([
        ("ファイル名", "File", name(site.value(source, KYO.fileName) or "")),
        ("SHA-256", "SHA-256", f"<code>{e(site.value(source, KYO.sha256) or '')}</code>"),
        ("サイズ", "Size", f"{e(site.value(source, KYO.byteSize) or '')} {t('バイト', 'bytes')}"),
        ("文字コード", "Encoding", e(site.value(source, KYO.encoding) or "")),
        ("形式", "Format", e(site.value(source, DCTERMS.format) or "")),
        ("公開元のページ", "Published at", "<br>".join(page.source_link(s) for s in site.objects(source, DCTERMS.source))),
        ("取得日", "Retrieved", time_html(retrieved) if (retrieved := site.value(source, DCTERMS.date)) else ""),
        ("注記", "Note", "<br>".join(lang_text(n) for n in site.objects(source, SKOS.editorialNote))),
        ("政策分野の対応表", "Policy-field mapping", t("、", ", ").join(mappings)),
    ])
    return f"""<section id="{e(fragment(a, source))}">
{heading(2, "出典ファイル", "Provenance")}
{rows}
</section>"""


def legislation(site: Site, a) -> dict:
    """schema.org Legislation markup for the agreement: Japanese legislation, named in Japanese on
    either page."""
    with writing_in(JAPANESE):
        return _legislation(site, a)


def _legislation(site: Site, a) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": str(a),
        "url": str(a),
        "name": agreement_title(site, a),
        "alternateName": agreement_label(site, a),
        "inLanguage": "ja",
        "legislationType": AGREEMENT_KIND.get(site.framework(a) or "", "協約"),
        "spatialCoverage": [place(site, site.one(p, KYO.municipality), site.party_name(p)) for p in site.parties(a)],
    }
    if date := site.value(a, ELI.date_document):
        data["legislationDate"] = date
    if (notice := site.one(a, KYO.publicNotice)) is not None and site.value(notice, ELI.number):
        data["legislationIdentifier"] = site.value(notice, ELI.number)  # the 告示 number it was published under
    if (area := site.one(a, KYO.area)) is not None:
        data["about"] = {"@type": "Place", "@id": str(area), "name": site.label(area)}
    if (law := site.one(a, ELI.based_on)) is not None:
        data["isBasedOn"] = {"@type": "Legislation", "@id": str(law), "name": site.label(law)}
        if (egov := site.one(law, RDFS.seeAlso)) is not None:
            data["isBasedOn"]["url"] = str(egov)
    if sources := site.objects(a, DCTERMS.source):
        data["citation"] = [str(s) for s in sources]
    return data
