"""Every page of the site in English too (issue 21, item 7): `en/{path}` beside `{path}`, linked both
ways with hreflang, its labels and interface in English and its names in Japanese, each marked
`lang="ja"`: on an English page no Japanese text stands outside an element marked Japanese."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kyoyaku.publish.pages.language import JAPANESE_CHARACTERS

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_READ = {"script", "style", "title"}  # JSON-LD, CSS; <title> cannot mark a name's language


class Reading(HTMLParser):
    """The text of a page with the language each piece of it is marked in (the nearest `lang`), its
    <html lang>, its hreflang alternates, its language switch and its links."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang of the element or inherited)
        self.texts: list[tuple[str, str]] = []  # (language, text)
        self.alternates: dict[str, str] = {}
        self.switch: tuple[str, str] | None = None
        self.links: list[str] = []
        self.html_lang = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inherited = self.stack[-1][1] if self.stack else None
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "link" and attributes.get("rel") == "alternate" and "hreflang" in attributes:
            self.alternates[attributes["hreflang"]] = attributes["href"]
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
            if "language" in (attributes.get("class") or "").split():
                self.switch = (attributes.get("hreflang"), attributes["href"])
        if tag not in VOID:
            self.stack.append((tag, attributes.get("lang", inherited)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and not any(tag in NOT_READ for tag, _ in self.stack) and data.strip():
            self.texts.append((self.stack[-1][1] or "", data.strip()))

    def japanese_outside_japanese(self) -> list[str]:
        return [text for lang, text in self.texts if lang != "ja" and JAPANESE_CHARACTERS.search(text)]


def html_pages(dist: Path) -> list[str]:
    return sorted(str(p.relative_to(dist)) for p in dist.rglob("*.html")
                  if not str(p.relative_to(dist)).startswith(("ontology/",)))


@pytest.fixture(scope="module", params=["national", "amended"])
def site(request):
    dist = request.getfixturevalue(request.param)[0]
    return dist, html_pages(dist)


def test_every_page_has_an_english_version_and_every_english_page_a_japanese_one(site):
    _, pages = site
    japanese = {p for p in pages if not p.startswith("en/")}
    english = {p.removeprefix("en/") for p in pages if p.startswith("en/")}
    assert japanese == english
    assert {"index.html", "areas.html", "municipalities.html", "texts.html", "search.html",
            "report/index.html"} <= japanese


def test_both_versions_name_each_other_with_hreflang_and_a_visible_link(site):
    dist, pages = site
    for path in pages:
        reading = Reading((dist / path).read_text(encoding="utf-8"))
        here = posixpath.dirname(path)
        japanese, english = path.removeprefix("en/"), "en/" + path.removeprefix("en/")
        targets = {lang: posixpath.normpath(posixpath.join(here, href)) for lang, href in reading.alternates.items()}
        assert targets == {"ja": japanese, "en": english}, path
        other = ("ja", japanese) if path.startswith("en/") else ("en", english)
        assert reading.switch is not None, path
        assert (reading.switch[0], posixpath.normpath(posixpath.join(here, reading.switch[1]))) == other, path
        assert reading.html_lang == ("en" if path.startswith("en/") else "ja"), path


def test_english_pages_hold_no_japanese_text_outside_an_element_marked_japanese(site):
    dist, pages = site
    found = {}
    for path in pages:
        if path.startswith("en/"):
            stray = Reading((dist / path).read_text(encoding="utf-8")).japanese_outside_japanese()
            if stray:
                found[path] = stray[:3]
    assert found == {}


def test_english_pages_link_english_pages_and_the_same_data_files(site):
    """A link from an English page to a page goes to its English version, which exists; its data
    files (.ttl, .jsonld, .csv, figures) are the Japanese page's, which exist too."""
    dist, pages = site
    for path in (p for p in pages if p.startswith("en/")):
        reading = Reading((dist / path).read_text(encoding="utf-8"))
        for href in reading.links:
            if re.match(r"^[a-z]+:", href) or href.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href.split("#")[0]))
            if target.endswith(".html") and not target.startswith("ontology/"):
                assert target.startswith("en/") or reading.switch[1] == href, (path, href)
            assert (dist / target).exists(), (path, href)
