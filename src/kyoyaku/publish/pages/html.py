"""What every page shares (publish.pages): the frame of a page (`document`, with the site's CSS),
links relative to the page (`Page`), the one escaping helper `e`, and the blocks several page kinds
use — facts, dates, the sources, formats and agreements sections, schema.org markup."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from ...graph.iris import DCTERMS, ELI, KYO
from .site_graph import AGREEMENT_KIND, Site, agreement_label, is_record, japanese_date

SITE_TITLE = "連携協約データ"
SITE_TITLE_EN = "kyoyaku — Japanese inter-municipal partnership agreements"
DUMPS = ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt")
# The ways in, in every page's header: the index pages (publish.pages.indexes) and the report.
NAV = (("municipalities.html", "市町村", "Municipalities"), ("areas.html", "圏域", "Areas"),
       ("texts.html", "本文", "Full texts"), ("report/index.html", "報告書", "Report"))
CSS = """
body{font-family:system-ui,"Noto Sans CJK JP","IPAexGothic","IPAGothic",sans-serif;line-height:1.7;
margin:0 auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}
header,footer{border-bottom:1px solid #ccc;padding:.5rem 0;font-size:.9rem}footer{border:0;border-top:1px solid #ccc;margin-top:2rem}
.en{color:#555;font-size:.85em;font-weight:normal}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem}dl.facts dt{font-weight:bold}dl.facts dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{background:#eef2f7}table.beppyo{width:100%}
@media (min-width:48.0625rem){table.members th,table.members td:not(:last-child){white-space:nowrap}table.beppyo{table-layout:fixed}table.beppyo thead th:first-child{width:8em}table.beppyo thead th:last-child{width:11em}}
td.lead{background:#fff6d6}.lead-mark{color:#8a5a00;white-space:nowrap}
.notice{border-left:4px solid #c77c00;background:#fff8ec;padding:.5rem 1rem}
.cover,.signature{margin:1rem 0}.article{margin:1rem 0}.para p{margin:.3rem 0}
ul.items{list-style:none;padding-left:1.5rem;margin:.2rem 0}.num{font-weight:bold;margin-right:.4em}
ul.site-nav{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}.date{white-space:nowrap}@media (max-width:480px){dl.facts{grid-template-columns:minmax(0,1fr)}dl.facts dt{margin-top:.4rem}.date{white-space:normal}}code{font-size:.85em;word-break:break-all}img{max-width:100%;height:auto;border:1px solid #ddd}figure.diagram svg{max-width:100%;height:auto}
main{overflow-wrap:break-word}a,code{overflow-wrap:anywhere}
@media (max-width:48rem){table.cards,table.cards tbody,table.cards tr,table.cards th,table.cards td{display:block;width:auto}
table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.cards tr{border:1px solid #bbb;margin:0 0 .8rem;padding:.4rem .7rem}table.cards th,table.cards td{border:0;padding:.15rem 0}
table.cards tbody th{font-size:1.05em}table.cards td:empty{display:none}td.lead{padding:.15rem .3rem}
table.cards td[data-label]::before{content:attr(data-label);margin-right:.6em;font-size:.8em;font-weight:bold;color:#555}}
""".strip()


def e(value) -> str:
    """The one escaping helper: text and attribute values."""
    return escape(str(value), quote=True)


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


def short_source_link(page: Page, source) -> str:
    """A source page as a short link — its host name, the whole address in its title — or our own
    page by its label (Page.source_link): where several sources sit in a line of text."""
    if source in page.site.paths:
        return page.source_link(source)
    host = urlsplit(str(source)).hostname or str(source)
    return f'<a href="{e(source)}" title="{e(source)}">{e(host)}</a>'


def labelled_cell(label: str, content: str, attrs: str = "") -> str:
    """A cell of a table with class "cards", its column's name in `data-label`: on a narrow screen each row
    is a card, and the name is written above each cell (the CSS's `::before`)."""
    return f'<td data-label="{e(label)}"{attrs}>{content}</td>'


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
{nav_links(page)}
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


def nav_links(page: Page) -> str:
    """The header's links to the index pages and the report (NAV)."""
    items = " ".join(f'<li><a href="{e(page.href(path))}">{e(ja)} <span class="en" lang="en">{e(en)}</span></a></li>'
                     for path, ja, en in NAV)
    return f'<nav aria-label="サイト内の一覧"><ul class="site-nav">{items}</ul></nav>'


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
    if not sources:  # the sources' notes: source_notes.py, a section of their own
        return ""
    items = "\n".join(f"<li>{page.source_link(s)}</li>" for s in sources)
    return f"""<section>
{heading(2, "出典", "Sources")}
<ul>
{items}
</ul>
</section>"""


def json_ld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def fragment(a, node) -> str:
    """The anchor of a part of agreement `a`: its IRI after `a/` (art_3__para_2)."""
    return str(node)[len(str(a)) + 1:]


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
        until = site.value(a, ELI.date_no_longer_in_force)
        ended = f"<br><small>効力の最終日 {time_html(until)}</small>" if until else ""
        rows.append(f"<tr><td>{time_html(date) if date else '日付不明'}{ended}</td><td>{page.link(a, names)}</td>"
                    f"<td>{e(AGREEMENT_KIND.get(site.framework(a) or '', '協約'))}</td><td>{kind}</td></tr>")
    return f"""<table>
<thead><tr><th scope="col">締結日</th><th scope="col">当事者</th><th scope="col">種類</th><th scope="col">本文</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
