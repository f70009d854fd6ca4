"""The human-readable site: one HTML page per agreement (full text or registry record),
municipality and partnership area, plus index.html — all built from the published graph alone.

Pages are Japanese first (English secondary), static HTML5 with inline CSS and no script but
the embedded JSON-LD, and every link is relative, so the tree works on any static host and from
file://. Output is deterministic: every list is sorted. `site_pages` returns relative path →
HTML; the build writes them beside the .ttl/.jsonld of the same resource.
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from html import escape
from itertools import groupby

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from ..graph.iris import DCTERMS, ELI, KYO, ORG, PROV, SKOS, TIME, site_path
from ..graph.render import parts as parts_below
from ..shacl.validate import reference_graph

SITE_TITLE = "連携協約データ"
SITE_TITLE_EN = "kyoyaku — Japanese inter-municipal partnership agreements"
PAGE_TYPES = (KYO.Agreement, KYO.Municipality, KYO.PartnershipArea)
DUMPS = ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt")
FIGURES = {
    "report/coverage.svg": "連携する取組の政策分野を市町村ごとに数えたヒートマップ（市町村 × 国の政策分野）"
                           " / Heatmap: initiatives per partner municipality and national policy field",
    "report/areas.svg": "本文のある圏域の図：中心市・連携市町村と協約（実線は本文あり、破線は登録簿のみ）"
                        " / Areas with a full text: core city, partners and one line per agreement",
}
# What an agreement is called in each framework (the notation of its kyo:framework concept).
AGREEMENT_KIND = {"renkei-chusu": "連携協約", "teiju-jiritsu": "定住自立圏形成協定"}
LEGEND = ('<p class="legend">◎主体 = その取組に主体的に取り組む当事者 '
          '<span class="en" lang="en">(◎主体 marks the party that leads the initiative)</span></p>\n')
MATCH = {"exact": "区分名と一致", "synonym": "同義の区分から対応付け"}
CSS = """
body{font-family:system-ui,"Noto Sans CJK JP","IPAexGothic","IPAGothic",sans-serif;line-height:1.7;
margin:0 auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}
header,footer{border-bottom:1px solid #ccc;padding:.5rem 0;font-size:.9rem}footer{border:0;border-top:1px solid #ccc;margin-top:2rem}
.en{color:#555;font-size:.85em;font-weight:normal}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{background:#eef2f7}table.beppyo{width:100%;table-layout:fixed}
table.beppyo thead th:first-child{width:8em}table.beppyo thead th:last-child{width:11em}td.lead{background:#fff6d6}.lead-mark{color:#8a5a00;white-space:nowrap}
.notice{border-left:4px solid #c77c00;background:#fff8ec;padding:.5rem 1rem}
.cover,.signature{margin:1rem 0}.article{margin:1rem 0}.para p{margin:.3rem 0}
ul.items{list-style:none;padding-left:1.5rem;margin:.2rem 0}.num{font-weight:bold;margin-right:.4em}
.date{white-space:nowrap}code{font-size:.85em;word-break:break-all}img{max-width:100%;height:auto;border:1px solid #ddd}
""".strip()


def site_pages(data: Graph) -> dict[str, str]:
    """Relative path → HTML for every agreement, municipality and area of `data`, and index.html."""
    site = Site(data)
    writers = {KYO.Agreement: agreement_page, KYO.Municipality: municipality_page, KYO.PartnershipArea: area_page}
    pages = {}
    for kind, writer in writers.items():
        for iri in site.of_type(kind):
            if iri in site.paths:
                pages[site.paths[iri]] = writer(Page(site, site.paths[iri]), iri)
    pages["index.html"] = index_page(Page(site, "index.html"))
    return dict(sorted(pages.items()))


def e(value) -> str:
    """The one escaping helper: text and attribute values."""
    return escape(str(value), quote=True)


# ---------------------------------------------------------------- reading the graph


class Site:
    """The graph, the concept labels and where each page goes."""

    def __init__(self, data: Graph):
        self.g = data
        self.ref = reference_graph()
        self.paths = {iri: f"{site_path(str(iri))}.html" for kind in PAGE_TYPES
                      for iri in self.of_type(kind) if site_path(str(iri))}

    def of_type(self, kind: URIRef) -> list[URIRef]:
        return sorted({s for s in self.g.subjects(RDF.type, kind) if isinstance(s, URIRef)})

    def has_type(self, node, kind: URIRef) -> bool:
        return (node, RDF.type, kind) in self.g

    def one(self, node, prop):
        """The value of `prop` (None for a missing node: rdflib would read None as a wildcard)."""
        return None if node is None else self.g.value(node, prop)

    def objects(self, node, prop) -> list:
        return [] if node is None else sorted(self.g.objects(node, prop))

    def subjects(self, prop, node) -> list:
        return [] if node is None else sorted(self.g.subjects(prop, node))

    def value(self, node, prop) -> str | None:
        """One value of `prop` as a string, Japanese preferred; None if absent."""
        literal = pick(self.objects(node, prop))
        return None if literal is None else str(literal)

    def label(self, node, lang: str = "ja") -> str:
        """A municipality's or area's rdfs:label, a concept's skos:prefLabel (from the ontology),
        else the last segment of the IRI."""
        if node is None:
            return "不明"
        for graph in (self.g, self.ref):
            for prop in (RDFS.label, SKOS.prefLabel):
                found = pick(sorted(graph.objects(node, prop)), lang)
                if found is not None:
                    return str(found)
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def municipality_name(self, m) -> str:
        return self.label(m)

    def party_name(self, party) -> str:
        """The party's municipality, else its name as written (a name that matched no municipality)."""
        m = self.one(party, KYO.municipality)
        return self.label(m) if m is not None else (self.value(party, KYO.nameAsWritten) or "不明")

    def line(self, node) -> tuple[int, str]:
        """Document order of a part of an agreement (its line in the source), then its IRI."""
        value = self.one(node, KYO.sourceLine)
        return (int(value) if value is not None else 0, str(node))

    def parties(self, agreement) -> list:
        return sorted(self.g.objects(agreement, KYO.hasParty), key=lambda p: (int(self.one(p, KYO.order) or 0), str(p)))

    def framework(self, node) -> str | None:
        fw = self.one(node, KYO.framework)
        return None if fw is None else str(fw).rsplit("/", 1)[-1]

    def agreements_of_area(self, area) -> list:
        return sorted(self.subjects(KYO.area, area), key=lambda a: (self.value(a, ELI.date_document) or "9999", str(a)))

    @cached_property
    def parties_by_municipality(self) -> dict:
        index = defaultdict(list)
        for party, m in self.g.subject_objects(KYO.municipality):
            index[m].append(party)
        return index


def pick(values: list, lang: str = "ja"):
    """The literal in `lang`, else one without a language, else the first (values come sorted)."""
    if not values:
        return None
    for wanted in (lang, None):
        for v in values:
            if isinstance(v, Literal) and v.language == wanted:
                return v
    return values[0]


def is_record(site: Site, agreement) -> bool:
    return site.has_type(agreement, KYO.AgreementRecord)


def japanese_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def agreement_title(site: Site, a) -> str:
    """The title as written, or for a record: 「水戸市と笠間市の連携協約」."""
    title = site.value(a, ELI.title)
    if title:
        return title
    names = [site.party_name(p) for p in site.parties(a)]
    return f"{'と'.join(names)}の{AGREEMENT_KIND.get(site.framework(a) or '', '協約')}"


def agreement_label(site: Site, a) -> str:
    """Parties and date: how one agreement is told from the others of the same area."""
    names = "・".join(site.party_name(p) for p in site.parties(a))
    date = site.value(a, ELI.date_document)
    return f"{names}、{japanese_date(date) if date else '日付不明'}"


# ---------------------------------------------------------------- writing HTML


@dataclass
class Page:
    site: Site
    path: str  # e.g. agreement/082015-082368/2022-02-21.html

    def href(self, target: str) -> str:
        """A relative link from this page to a site path."""
        return posixpath.relpath(target, posixpath.dirname(self.path) or ".")

    def link(self, iri, text: str) -> str:
        """A link to the page of `iri` if the site has one, else the plain text."""
        target = self.site.paths.get(iri)
        return e(text) if target is None else f'<a href="{e(self.href(target))}">{e(text)}</a>'

    def source_link(self, iri) -> str:
        """A dcterms:source: our own page if it is one, else the outside address as it is."""
        if iri in self.site.paths:
            is_agreement = self.site.has_type(iri, KYO.Agreement)
            label = f"協約 {agreement_label(self.site, iri)}" if is_agreement else self.site.label(iri)
            return self.link(iri, label)
        return f'<a href="{e(iri)}">{e(iri)}</a>'

    @property
    def stem(self) -> str:
        return posixpath.basename(self.path).removesuffix(".html")


def heading(level: int, ja: str, en: str) -> str:
    return f'<h{level}>{e(ja)} <span class="en" lang="en">{e(en)}</span></h{level}>'


def facts(rows: Iterable[tuple[str, str, str]]) -> str:
    """A definition list of (Japanese term, English term, HTML value); empty values are left out."""
    items = [f'<dt>{e(ja)} <span class="en" lang="en">{e(en)}</span></dt><dd>{value}</dd>'
             for ja, en, value in rows if value]
    return f'<dl class="facts">\n{chr(10).join(items)}\n</dl>'


def lang_text(literal) -> str:
    """A literal as a span that carries its language when it is not Japanese."""
    lang = getattr(literal, "language", None)
    return f'<span lang="{e(lang)}">{e(literal)}</span>' if lang and lang != "ja" else e(literal)


def lines(text: str) -> str:
    return "<br>".join(e(line) for line in text.split("\n"))


def time_html(iso: str, as_written: str | None = None) -> str:
    shown = as_written or japanese_date(iso)
    return f'<span class="date"><time datetime="{e(iso)}">{e(shown)}</time>（{e(iso)}）</span>'


def document(page: Page, title: str, body: str, crumbs: list[str], head: str = "") -> str:
    index = page.href("index.html")
    trail = " › ".join([f'<a href="{e(index)}">トップ</a>', *crumbs]) if page.path != "index.html" else ""
    nav = f'<nav aria-label="パンくずリスト">{trail}</nav>' if trail else ""
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} | {SITE_TITLE}</title>
{head}<style>
{CSS}
</style>
</head>
<body>
<header>
<a href="{e(index)}">{SITE_TITLE}</a> <span class="en" lang="en">{e(SITE_TITLE_EN)}</span>
{nav}
</header>
<main>
{body}
</main>
<footer>
<p>このページはデータセット <a href="{e(page.href('kyoyaku.ttl'))}">kyoyaku.ttl</a> から生成されました。
<span class="en" lang="en">Generated from the dataset.</span></p>
</footer>
</body>
</html>
"""


def alternates(page: Page) -> str:
    return (f'<link rel="alternate" type="text/turtle" href="{e(page.stem)}.ttl">\n'
            f'<link rel="alternate" type="application/ld+json" href="{e(page.stem)}.jsonld">\n')


def formats_section(page: Page, iri) -> str:
    dumps = " ".join(f'<a href="{e(page.href(name))}">{e(name)}</a>' for name in DUMPS)
    return f"""<section>
{heading(2, "機械可読データ", "Machine-readable data")}
<ul>
<li>このリソース <span class="en" lang="en">this resource</span>: <a href="{e(page.stem)}.ttl">Turtle</a>, <a href="{e(page.stem)}.jsonld">JSON-LD</a></li>
<li>IRI: <code>{e(iri)}</code></li>
<li>データセット全体 <span class="en" lang="en">whole dataset</span>: {dumps}</li>
</ul>
</section>"""


def sources_section(page: Page, node) -> str:
    site = page.site
    sources = site.objects(node, DCTERMS.source)
    notes = site.objects(node, SKOS.editorialNote)
    if not sources and not notes:
        return ""
    items = "\n".join(f"<li>{page.source_link(s)}</li>" for s in sources)
    note_html = "\n".join(f"<p>{lang_text(n)}</p>" for n in notes)
    return f"""<section>
{heading(2, "出典と注記", "Sources and notes")}
{f'<ul>{chr(10)}{items}{chr(10)}</ul>' if items else ''}
{note_html}
</section>"""


def json_ld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


# ---------------------------------------------------------------- agreement pages


def agreement_page(page: Page, a) -> str:
    site = page.site
    record = is_record(site, a)
    title = agreement_title(site, a)
    area = site.one(a, KYO.area)
    notice = (
        '<p class="notice">この協約は登録簿の記録からのみ知られており、本文は公開されていません。'
        '当事者・締結日・圏域と出典だけを示します。'
        '<span class="en" lang="en">Known from the registry only: no text of this agreement is published here; '
        "parties, date, area and sources only.</span></p>"
        if record else "")
    body = "\n".join(part for part in (
        f"<h1>{e(title)}</h1>",
        f"<p>{e(agreement_label(site, a))}</p>",
        notice,
        incomplete_notice(site, a),
        agreement_facts(page, a),
        parties_section(page, a),
        "" if record else text_section(page, a),
        "" if record else provenance_section(page, a),
        sources_section(page, a),
        formats_section(page, a),
    ) if part)
    crumbs = [page.link(area, site.label(area))] if area is not None else []
    crumbs.append(e(agreement_label(site, a)))
    head = alternates(page) + json_ld(legislation(site, a))
    return document(page, f"{title}（{agreement_label(site, a)}）", body, crumbs, head)


def incomplete_notice(site: Site, a) -> str:
    if str(site.one(a, KYO.incomplete)).lower() != "true":
        return ""
    items = "".join(f'<li lang="en">{e(d)}</li>' for d in site.objects(a, KYO.parseDiagnostic))
    return (f'<div class="notice"><p>この協約は一部を読み取れないまま公開されています。'
            f'<span class="en" lang="en">Published incomplete.</span></p><ul>{items}</ul></div>')


def agreement_facts(page: Page, a) -> str:
    site = page.site
    date = site.value(a, ELI.date_document)
    area = site.one(a, KYO.area)
    law = site.one(a, ELI.based_on)
    law_html = ""
    if law is not None:
        egov = site.one(law, RDFS.seeAlso)
        law_html = f'<a href="{e(egov)}">{e(site.label(law))}</a>' if egov else e(site.label(law))
    return facts([
        ("締結日", "Date", time_html(date, site.value(a, KYO.dateAsWritten)) if date else "日付不明"),
        ("枠組み", "Framework", e(site.label(site.one(a, KYO.framework))) if site.framework(a) else ""),
        ("圏域", "Area", page.link(area, site.label(area)) if area is not None else ""),
        ("根拠", "Legal basis", law_html),
        ("種別", "Kind", "登録簿の記録（本文なし）" if is_record(site, a) else "本文あり"),
        ("失効", "Lapse", lapse_html(site, a)),
    ])


def lapse_html(site: Site, a) -> str:
    period = site.one(a, KYO.lapsePeriod)
    if period is None:
        return ""
    amount = site.one(period, TIME.numericDuration)
    unit = {TIME.unitYear: "年", TIME.unitMonth: "か月", TIME.unitDay: "日"}.get(site.one(period, TIME.unitType), "")
    number = f"{float(amount):g}" if amount is not None else "?"
    origin = site.one(period, PROV.wasDerivedFrom)
    where = f'（<a href="#{e(fragment(a, origin))}">根拠の項</a>）' if origin is not None else ""
    return f'<span id="{e(fragment(a, period))}">通告から{e(number)}{unit}で失効{where}</span>'


def fragment(a, node) -> str:
    """The anchor of a part of agreement `a`: its IRI after `a/` (art_3__para_2)."""
    return str(node)[len(str(a)) + 1:]


def parties_section(page: Page, a) -> str:
    site = page.site
    rows = []
    for p in site.parties(a):
        m = site.one(p, KYO.municipality)
        name = site.party_name(p)
        written = site.value(p, KYO.nameAsWritten)
        rows.append(
            f'<tr id="{e(fragment(a, p))}"><td>{e(site.value(p, KYO.designation) or "")}</td>'
            f"<td>{page.link(m, name)}{f'（本文の表記: {e(written)}）' if written and written != name else ''}</td>"
            f"<td>{e(site.value(m, KYO.prefectureName) or '')}</td>"
            f"<td>{e(site.label(site.one(p, KYO.role))) if site.one(p, KYO.role) else ''}</td></tr>")
    return f"""<section>
{heading(2, "当事者", "Parties")}
<table>
<thead><tr><th scope="col">呼称</th><th scope="col">市町村</th><th scope="col">都道府県</th><th scope="col">役割</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>"""


def text_section(page: Page, a) -> str:
    """The agreement article by article, in the order of its source (render's traversal)."""
    site = page.site
    children = defaultdict(list)
    for node in sorted(parts_below(site.g, a), key=site.line):
        children[site.one(node, ELI.is_part_of)].append(node)
    top = list(children[a])
    for prop in (KYO.cover, KYO.preamble, KYO.closingFormula, KYO.dateStatement, KYO.signature):
        top += site.objects(a, prop)
    blocks = TextWriter(page, a, children).blocks(sorted(set(top), key=site.line), depth=0)
    return f"""<section>
{heading(2, "協約本文", "Text of the agreement")}
{blocks}
</section>"""


@dataclass
class TextWriter:
    page: Page
    agreement: URIRef
    children: dict
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
                f'{e(site.value(node, KYO.text) or "")}{inner}</li>')

    def node(self, node, depth: int) -> str:
        site = self.site
        text = site.value(node, KYO.text)
        inner = self.blocks(self.children.get(node, []), depth + 1)
        if site.has_type(node, KYO.Article):
            title = site.value(node, ELI.title)
            head = f"{site.value(node, ELI.number) or ''}{f'（{title}）' if title else ''}"
            return f'<section class="article"{self.id(node)}>\n<h3>{e(head)}</h3>\n{inner}\n</section>'
        if site.has_type(node, KYO.Paragraph):
            number = site.value(node, ELI.number)
            num = f'<span class="num">{e(number)}</span>' if number else ""
            return f'<div class="para"{self.id(node)}>\n<p>{num}{e(text or "")}</p>\n{inner}\n</div>'
        if site.has_type(node, KYO.Appendix):
            return f'<section class="appendix"{self.id(node)}>\n<h3>{e(text or "別表")}</h3>\n{inner}\n</section>'
        if site.has_type(node, KYO.AppendixSection):
            level = min(4 + depth - 1, 6)
            head = f"{site.value(node, ELI.number) or ''} {site.value(node, ELI.title) or ''}".strip()
            return f'<section class="appendix-section"{self.id(node)}>\n<h{level}>{e(head)}</h{level}>\n{inner}\n</section>'
        if site.has_type(node, KYO.Signature):
            return f'<div class="signature"{self.id(node)}><p>{lines(text or "")}</p></div>'
        if (self.agreement, KYO.cover, node) in site.g:
            return f'<div class="cover"{self.id(node)}><p>{lines(text or "")}</p></div>'
        return f'<p{self.id(node)}>{lines(text or "")}</p>{inner}'

    def table(self, rows: list) -> str:
        site = self.site
        parties = site.parties(self.agreement)
        heads = "".join(f'<th scope="col">{e(self.party_name(p))}の役割</th>' for p in parties)
        body = "\n".join(self.row(r, parties) for r in rows)
        self.tables += 1
        legend = LEGEND if self.tables == 1 else ""
        return f"""{legend}<table class="beppyo">
<thead><tr><th scope="col">区分</th><th scope="col">連携する取組</th>{heads}<th scope="col">国の政策分野</th></tr></thead>
<tbody>
{body}
</tbody>
</table>"""

    def party_name(self, party) -> str:
        return self.site.value(party, KYO.designation) or self.site.party_name(party)

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
            mark = '<strong class="lead-mark">◎主体</strong> ' if leads else ""
            cls = ' class="lead"' if leads else ""
            cells.append(f"<td{self.id(statement)}{cls}>{mark}{e(site.value(statement, KYO.text) or '')}</td>")
        return (f'<tr{self.id(row)}><th scope="row">{e(site.value(row, KYO.category) or "")}</th>'
                f'<td>{e(site.value(row, KYO.description) or "")}</td>{"".join(cells)}<td>{self.fields(row)}</td></tr>')

    def fields(self, row) -> str:
        site = self.site
        out = []
        for prop, match, prefix in ((KYO.policyField, KYO.policyFieldMatch, ""),
                                    (KYO.teijuPolicyField, KYO.teijuPolicyFieldMatch, "定住自立圏: ")):
            field = site.one(row, prop)
            if field is not None:
                how = MATCH.get(site.value(row, match) or "", "")
                out.append(f"{prefix}{e(site.label(field))}{f'<br><small>（{e(how)}）</small>' if how else ''}")
        return "<br>".join(out) or "（対応なし）"


def provenance_section(page: Page, a) -> str:
    site = page.site
    source = site.one(a, PROV.wasDerivedFrom)
    if source is None:
        return ""
    mappings = [f"{e(site.value(m, KYO.fileName) or '')}（版 {e(site.value(m, OWL.versionInfo) or '')}）"
                for m in site.objects(a, KYO.policyFieldMapping)]
    rows = facts([
        ("ファイル名", "File", e(site.value(source, KYO.fileName) or "")),
        ("SHA-256", "SHA-256", f"<code>{e(site.value(source, KYO.sha256) or '')}</code>"),
        ("サイズ", "Size", f"{e(site.value(source, KYO.byteSize) or '')} バイト"),
        ("文字コード", "Encoding", e(site.value(source, KYO.encoding) or "")),
        ("形式", "Format", e(site.value(source, DCTERMS.format) or "")),
        ("政策分野の対応表", "Policy-field mapping", "、".join(mappings)),
    ])
    return f"""<section id="{e(fragment(a, source))}">
{heading(2, "出典ファイル", "Provenance")}
{rows}
</section>"""


def legislation(site: Site, a) -> dict:
    """schema.org Legislation markup for the agreement."""
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
    if (area := site.one(a, KYO.area)) is not None:
        data["about"] = {"@type": "Place", "@id": str(area), "name": site.label(area)}
    if (law := site.one(a, ELI.based_on)) is not None:
        data["isBasedOn"] = {"@type": "Legislation", "@id": str(law), "name": site.label(law)}
        if (egov := site.one(law, RDFS.seeAlso)) is not None:
            data["isBasedOn"]["url"] = str(egov)
    if sources := site.objects(a, DCTERMS.source):
        data["citation"] = [str(s) for s in sources]
    return data


def place(site: Site, m, name: str | None = None) -> dict:
    """A municipality as a schema.org AdministrativeArea (by name only when the IRI is unknown)."""
    if m is None:
        return {"@type": "AdministrativeArea", "name": name or "不明"}
    out = {"@type": "AdministrativeArea", "@id": str(m), "name": site.municipality_name(m)}
    if code := site.value(m, DCTERMS.identifier):
        out["identifier"] = code
    if spatial := site.one(m, DCTERMS.spatial):
        out["sameAs"] = str(spatial)
    return out


# ---------------------------------------------------------------- municipality pages


def municipality_page(page: Page, m) -> str:
    site = page.site
    name = site.municipality_name(m)
    prefecture = site.value(m, KYO.prefectureName) or ""
    spatial = site.one(m, DCTERMS.spatial)
    body = "\n".join([
        f"<h1>{e(name)}</h1>",
        facts([
            ("都道府県", "Prefecture", e(prefecture)),
            ("団体コード", "Code", e(site.value(m, DCTERMS.identifier) or "")),
            ("e-Stat 統計地域", "e-Stat area", f'<a href="{e(spatial)}">{e(spatial)}</a>' if spatial else ""),
        ]),
        municipality_areas(page, m),
        municipality_agreements(page, m),
        formats_section(page, m),
    ])
    head = alternates(page) + json_ld({"@context": "https://schema.org", **place(site, m),
                                       "containedInPlace": {"@type": "AdministrativeArea", "name": prefecture}})
    return document(page, f"{name}（{prefecture}）", body, [e(name)], head)


def areas_of(site: Site, m) -> list:
    areas = set(site.g.subjects(ORG.hasMember, m)) | set(site.g.subjects(KYO.coreCity, m))
    areas |= {site.one(ms, ORG.organization) for ms in site.g.subjects(ORG.member, m)}
    return sorted(a for a in areas if a is not None)


def municipality_areas(page: Page, m) -> str:
    site = page.site
    items = []
    for area in areas_of(site, m):
        role = "中心市" if (area, KYO.coreCity, m) in site.g else "構成市町村"
        fw = site.label(site.one(area, KYO.framework)) if site.one(area, KYO.framework) else ""
        items.append(f"<li>{page.link(area, site.label(area))}（{e(fw)}、{role}）</li>")
    content = f"<ul>\n{chr(10).join(items)}\n</ul>" if items else "<p>なし</p>"
    return f"<section>\n{heading(2, '所属する圏域', 'Partnership areas')}\n{content}\n</section>"


def municipality_agreements(page: Page, m) -> str:
    site = page.site
    agreements = {a for p in site.parties_by_municipality.get(m, []) for a in site.g.subjects(KYO.hasParty, p)}
    return f"<section>\n{heading(2, '当事者となっている協約', 'Agreements')}\n{agreements_table(page, agreements)}\n</section>"


def agreements_table(page: Page, agreements: Iterable) -> str:
    site = page.site
    ordered = sorted(agreements, key=lambda a: (site.value(a, ELI.date_document) or "9999", str(a)))
    if not ordered:
        return "<p>なし</p>"
    rows = []
    for a in ordered:
        date = site.value(a, ELI.date_document)
        kind = "登録簿のみ" if is_record(site, a) else "本文あり"
        names = "・".join(site.party_name(p) for p in site.parties(a))
        rows.append(f"<tr><td>{time_html(date) if date else '日付不明'}</td><td>{page.link(a, names)}</td>"
                    f"<td>{e(AGREEMENT_KIND.get(site.framework(a) or '', '協約'))}</td><td>{kind}</td></tr>")
    return f"""<table>
<thead><tr><th scope="col">締結日</th><th scope="col">当事者</th><th scope="col">種類</th><th scope="col">本文</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""


# ---------------------------------------------------------------- area pages


def area_page(page: Page, area) -> str:
    site = page.site
    name = site.label(area)
    body = "\n".join(part for part in [
        f"<h1>{e(name)}</h1>",
        area_facts(page, area),
        members_section(page, area),
        f"<section>\n{heading(2, '協約', 'Agreements')}\n{agreements_table(page, site.agreements_of_area(area))}\n</section>",
        sources_section(page, area),
        formats_section(page, area),
    ] if part)
    return document(page, name, body, [e(name)], alternates(page))


def area_facts(page: Page, area) -> str:
    site = page.site
    cores = "、".join(page.link(c, site.municipality_name(c)) for c in site.objects(area, KYO.coreCity))
    created = site.value(area, DCTERMS.created)
    fiscal = site.value(area, KYO.formedInFiscalYear)
    formed = time_html(created) if created else (f"{e(fiscal)}年度" if fiscal else "")
    members = members_of(site, area)
    stated = site.value(area, KYO.statedMemberCount)
    count = f"{len(members)}（資料に記載の数: {e(stated)}）" if stated else str(len(members))
    before = "、".join(page.link(p, site.label(p)) for p in site.objects(area, DCTERMS.replaces))
    after = "、".join(page.link(s, site.label(s)) for s in site.subjects(DCTERMS.replaces, area))
    return facts([
        ("枠組み", "Framework", e(site.label(site.one(area, KYO.framework))) if site.framework(area) else ""),
        ("中心市", "Core city", cores or "記載なし"),
        ("形成", "Formed", formed),
        ("構成市町村数", "Members", count),
        ("前身", "Predecessor", before),
        ("後継", "Successor", after),
    ])


def members_of(site: Site, area) -> list:
    members = set(site.g.objects(area, ORG.hasMember)) | set(site.g.objects(area, KYO.coreCity))
    members |= {site.one(ms, ORG.member) for ms in site.g.subjects(ORG.organization, area)}
    return sorted((m for m in members if m is not None), key=lambda m: (site.value(m, DCTERMS.identifier) or "", str(m)))


def members_section(page: Page, area) -> str:
    site = page.site
    memberships = {site.one(ms, ORG.member): ms for ms in site.subjects(ORG.organization, area)}
    rows = []
    for m in members_of(site, area):
        ms = memberships.get(m)
        anchor = f' id="{e(fragment(area, ms))}"' if ms is not None and str(ms).startswith(f"{area}/") else ""
        since = site.value(ms, KYO.memberSince)
        role = "中心市" if (area, KYO.coreCity, m) in site.g else "構成市町村"
        notes = " ".join(lang_text(n) for n in site.objects(ms, SKOS.editorialNote))
        rows.append(f"<tr{anchor}><td>{page.link(m, site.municipality_name(m))}</td>"
                    f"<td>{e(site.value(m, KYO.prefectureName) or '')}</td><td>{role}</td>"
                    f"<td>{time_html(since) if since else ''}</td><td>{notes}</td></tr>")
    return f"""<section>
{heading(2, "構成市町村", "Members")}
<table>
<thead><tr><th scope="col">市町村</th><th scope="col">都道府県</th><th scope="col">役割</th><th scope="col">参加日</th><th scope="col">注記</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>"""


# ---------------------------------------------------------------- index


def index_page(page: Page) -> str:
    site = page.site
    agreements = site.of_type(KYO.Agreement)
    records = [a for a in agreements if is_record(site, a)]
    full = [a for a in agreements if not is_record(site, a)]
    counts = facts([
        ("協約（本文あり）", "Agreements with full text", str(len(full))),
        ("協約（登録簿のみ）", "Registry records", str(len(records))),
        ("圏域", "Partnership areas", str(len(site.of_type(KYO.PartnershipArea)))),
        ("市町村", "Municipalities", str(len(site.of_type(KYO.Municipality)))),
    ])
    figures = "\n".join(f'<figure><img src="{e(src)}" alt="{e(alt)}"><figcaption>{e(alt)}</figcaption></figure>'
                        for src, alt in FIGURES.items())
    full_items = "\n".join(f"<li>{page.link(a, agreement_title(site, a))} — {e(agreement_label(site, a))}</li>"
                           for a in full) or "<li>なし</li>"
    downloads = "\n".join(
        f'<li><a href="{e(name)}">{e(name)}</a>（<a href="{e(name)}.gz">{e(name)}.gz</a>）</li>' for name in DUMPS)
    body = f"""<h1>{SITE_TITLE} <span class="en" lang="en">Partnership agreements of Japanese municipalities</span></h1>
<p>日本の市町村が地方自治法第252条の2に基づいて結ぶ連携協約（連携中枢都市圏・定住自立圏）を、条・項・別表の行まで
リンクトオープンデータとして公開しています。
<span class="en" lang="en">Inter-municipal partnership agreements as linked open data, down to each article and table row.</span></p>
<section>
{heading(2, "収録数", "Counts")}
{counts}
</section>
<section>
{heading(2, "圏域", "Partnership areas")}
{index_areas(page)}
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
<li><a href="catalog.ttl">catalog.ttl</a>（DCAT カタログ <span class="en" lang="en">dataset catalogue</span>）</li>
<li><a href="ontology/index.html">語彙（オントロジー）</a> <span class="en" lang="en">ontology</span></li>
</ul>
</section>"""
    return document(page, "トップ", body, [])


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
            cores = "・".join(site.municipality_name(c) for c in site.objects(area, KYO.coreCity)) or "中心市の記載なし"
            n = len(site.agreements_of_area(area))
            items.append(f"<li>{page.link(area, site.label(area))}（{e(cores)}、構成市町村 {len(members_of(site, area))}、協約 {n}）</li>")
        title = site.label(fw_iri) if fw_iri is not None else "枠組み不明"
        out.append(f"<h3>{e(title)}</h3>\n<ul>\n{chr(10).join(items)}\n</ul>")
    return "\n".join(out)
