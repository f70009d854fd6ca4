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

from ... import config
from ...graph.iris import DCTERMS, ELI, KYO
from .language import (
    ENGLISH,
    JAPANESE,
    both,
    current,
    english,
    english_path,
    japanese_path,
    name,
    t,
)
from .site_graph import (
    AGREEMENT_KIND,
    AGREEMENT_KIND_EN,
    Site,
    agreement_label_html,
    is_record,
    japanese_date,
)

DUMPS = ("kyoyaku.ttl", "kyoyaku.jsonld", "kyoyaku.nt")
# The ways in, in every page's header: the index pages (publish.pages.indexes) and the report.
NAV = (("municipalities.html", "市町村", "Municipalities"), ("areas.html", "圏域", "Areas"),
       ("texts.html", "本文", "Full texts"), ("report/index.html", "報告書", "Report"), ("search.html", "検索", "Search"))
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
        """A relative link from this page to a site path: a page (`….html`, with or without a
        fragment) in this page's language, any other file (data, figures, scripts) as it is."""
        if self.path.startswith("en/") and target.split("#")[0].endswith(".html"):
            target = english_path(target)
        return posixpath.relpath(target, posixpath.dirname(self.path) or ".")

    def data_file(self, suffix: str) -> str:
        """A relative link to this page's resource in another format (`.ttl`, `.jsonld`): the data
        sit beside the Japanese page; the English page links to the same files."""
        return self.href(japanese_path(self.path).removesuffix(".html") + suffix)

    def link(self, iri, text: str) -> str:
        """A link to the page of `iri` if the site has one, else the plain text."""
        return self.link_html(iri, name(text))

    def link_html(self, iri, inner: str) -> str:
        """`link` around HTML already escaped, its names marked (site_graph.agreement_label_html)."""
        target = self.site.paths.get(iri)
        return inner if target is None else f'<a href="{e(self.href(target))}">{inner}</a>'

    def source_link(self, iri) -> str:
        """A dcterms:source: our own page if it is one, else the outside address as it is."""
        if iri in self.site.paths:
            if self.site.has_type(iri, KYO.Agreement):
                return self.link_html(iri, f"{t('協約', 'Agreement')} {agreement_label_html(self.site, iri)}")
            return self.link(iri, self.site.label(iri))
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
    return f'<h{level}>{both(e(ja), e(en))}</h{level}>'


def facts(rows: Iterable[tuple[str, str, str]]) -> str:
    """A definition list of (Japanese term, English term, HTML value); empty values are left out."""
    items = [f'<dt>{both(e(ja), e(en))}</dt><dd>{value}</dd>'
             for ja, en, value in rows if value]
    return f'<dl class="facts">\n{chr(10).join(items)}\n</dl>'


def lang_text(literal) -> str:
    """A literal as a span that carries its language when it is not Japanese."""
    lang = getattr(literal, "language", None)
    if english() and lang in (None, "ja"):
        return name(literal)
    return f'<span lang="{e(lang)}">{e(literal)}</span>' if lang and lang != "ja" else e(literal)


def lines(text: str) -> str:
    return "<br>".join(e(line) for line in text.split("\n"))


def time_html(iso: str, as_written: str | None = None) -> str:
    if english():  # the date as written is Japanese text: the English page gives the ISO date
        return f'<span class="date"><time datetime="{e(iso)}">{e(iso)}</time></span>'
    shown = as_written or japanese_date(iso)
    return f'<span class="date"><time datetime="{e(iso)}">{e(shown)}</time>（{e(iso)}）</span>'


DATASET_SOURCE = ("kyoyaku.ttl", "データセット", "the dataset")


def document(page: Page, title: str, body: str, crumbs: list[str], head: str = "",
             source: tuple[str, str, str] = DATASET_SOURCE) -> str:
    """The whole page around `body`, in the page's language (language.writing_in): the header with
    the ways in and the link to the other language's version, the breadcrumbs, the footer, which
    names the file the page was made from (`source`: its path, what it is in Japanese and English)."""
    index = page.href("index.html")
    home = t("トップ", "Home")
    trail = " › ".join([f'<a href="{e(index)}">{home}</a>', *crumbs]) if japanese_path(page.path) != "index.html" else ""
    nav = f'<nav aria-label="{t("パンくずリスト", "Breadcrumbs")}">{trail}</nav>' if trail else ""
    titles = config.current().site_title  # the publisher's (kyoyaku.config)
    site_title = f'<a href="{e(index)}">{e(titles.en)}</a>' if english() else \
        f'<a href="{e(index)}">{e(titles.ja)}</a> <span class="en" lang="en">{e(titles.en)}</span>'
    path, kind_ja, kind_en = source
    link = f'<a href="{e(page.href(path))}">{e(path)}</a>'
    footer = (f'This page was generated from {kind_en} {link}.' if english() else
              f'このページは{kind_ja} {link} から生成されました。<span class="en" lang="en">Generated from {kind_en}.</span>')
    return f"""<!DOCTYPE html>
<html lang="{current()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} | {e(titles.en if english() else titles.ja)}</title>
{language_alternates(page)}{head}<style>
{CSS}
</style>
</head>
<body>
<header>
{site_title}
{language_switch(page)}
{nav_links(page)}
{nav}
</header>
<main>
{body}
</main>
<footer>
<p>{footer}</p>
</footer>
</body>
</html>
"""


def language_versions(page: Page) -> dict[str, str]:
    """Language → the path of this page's version in it."""
    japanese = japanese_path(page.path)
    return {JAPANESE: japanese, ENGLISH: english_path(japanese)}


def language_alternates(page: Page) -> str:
    """`<link rel="alternate" hreflang>` to both versions, this one included, as search engines ask."""
    here = posixpath.dirname(page.path) or "."
    return "".join(f'<link rel="alternate" hreflang="{lang}" href="{e(posixpath.relpath(path, here))}">\n'
                   for lang, path in language_versions(page).items())


def language_switch(page: Page) -> str:
    """The visible link to the other language's version of this page."""
    here = posixpath.dirname(page.path) or "."
    lang, text = (JAPANESE, "日本語") if english() else (ENGLISH, "English")
    target = posixpath.relpath(language_versions(page)[lang], here)
    return f'<a class="language" href="{e(target)}" hreflang="{lang}" lang="{lang}">{text}</a>'


def nav_links(page: Page) -> str:
    """The header's links to the index pages, the report and the search (NAV)."""
    items = " ".join(f'<li><a href="{e(page.href(path))}">{both(e(ja), e(en))}</a></li>' for path, ja, en in NAV)
    return f'<nav aria-label="{t("サイト内の一覧", "Ways into the site")}"><ul class="site-nav">{items}</ul></nav>'


def alternates(page: Page) -> str:
    return (f'<link rel="alternate" type="text/turtle" href="{e(page.data_file(".ttl"))}">\n'
            f'<link rel="alternate" type="application/ld+json" href="{e(page.data_file(".jsonld"))}">\n')


def formats_section(page: Page, iri, more: str = "") -> str:
    """The links to the resource's documents and the dumps; `more`: items of the resource's own to add."""
    dumps = " ".join(f'<a href="{e(page.href(dump))}">{e(dump)}</a>' for dump in DUMPS)
    return f"""<section>
{heading(2, "機械可読データ", "Machine-readable data")}
<ul>
<li>{both("このリソース", "this resource")}: <a href="{e(page.data_file(".ttl"))}">Turtle</a>, <a href="{e(page.data_file(".jsonld"))}">JSON-LD</a></li>
{more}<li>IRI: <code>{e(iri)}</code></li>
<li>{both("データセット全体", "whole dataset")}: {dumps}</li>
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


def place(site: Site, m, known_as: str | None = None) -> dict:
    """A municipality as a schema.org AdministrativeArea (by name only when the IRI is unknown)."""
    if m is None:
        return {"@type": "AdministrativeArea", "name": known_as or "不明"}
    out = {"@type": "AdministrativeArea", "@id": str(m), "name": site.municipality_name(m)}
    if code := site.value(m, DCTERMS.identifier):
        out["identifier"] = code
    if spatial := site.one(m, DCTERMS.spatial):
        out["sameAs"] = str(spatial)
    return out


def agreements_table(page: Page, agreements: Iterable) -> str:
    """The agreements by date, one card per agreement on a narrow screen (labelled_cell)."""
    site = page.site
    ordered = sorted(agreements, key=lambda a: (site.value(a, ELI.date_document) or "9999", str(a)))
    if not ordered:
        return f"<p>{t('なし', 'None')}</p>"
    columns = [t("締結日", "Concluded"), t("当事者", "Parties"), t("種類", "Kind"), t("本文", "Text")]
    rows = []
    for a in ordered:
        date = site.value(a, ELI.date_document)
        kind = t("登録簿のみ", "registry record only") if is_record(site, a) else t("本文あり", "full text")
        names = "・".join(site.party_name(p) for p in site.parties(a))
        until = site.value(a, ELI.date_no_longer_in_force)
        ended = f"<br><small>{t('効力の最終日', 'Last day in force')} {time_html(until)}</small>" if until else ""
        framework = site.framework(a) or ""
        kind_of = t(AGREEMENT_KIND.get(framework, "協約"), AGREEMENT_KIND_EN.get(framework, "Agreement"))
        cells = [f"{time_html(date) if date else t('日付不明', 'date unknown')}{ended}", page.link(a, names),
                 e(kind_of), e(kind)]
        rows.append("<tr>" + "".join(labelled_cell(c, v) for c, v in zip(columns, cells)) + "</tr>")
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in columns)
    return f"""<table class="cards">
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
