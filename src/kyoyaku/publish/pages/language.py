"""The language a page is written in (publish.pages): every page exists twice, in Japanese at `{path}`
and in English at `en/{path}`, linked both ways with `hreflang`.

The language is the one of the page being written, set around its writer (`writing_in`) as a locale
is activated around a request: the blocks every page shares (a heading, a facts list, a date) read it
here rather than through every call between the page and them. A Japanese page is Japanese first
with the English beside it (`both`); an English page has its labels and interface in English and
the names in Japanese, each in an element marked `lang="ja"` (`name`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape

JAPANESE, ENGLISH = "ja", "en"
ENGLISH_ROOT = "en/"  # the English pages' folder: en/{path} is the English version of {path}
_language: ContextVar[str] = ContextVar("page_language", default=JAPANESE)
# Kana and kanji (with the iteration mark 々 and the long vowel mark ー): the characters that make a text Japanese.
JAPANESE_CHARACTERS = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@contextmanager
def writing_in(language: str) -> Iterator[None]:
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def current() -> str:
    return _language.get()


def english() -> bool:
    return _language.get() == ENGLISH


def t(ja: str, en: str) -> str:
    """Plain text in the page's language (not escaped)."""
    return en if english() else ja


def both(ja_html: str, en_html: str) -> str:
    """HTML in the page's language: on a Japanese page the Japanese with the English beside it, as
    the site has always shown them; on an English page the English alone."""
    return en_html if english() else f'{ja_html} <span class="en" lang="en">{en_html}</span>'


def name(text) -> str:
    """A name (of a municipality, an area, an agreement…) as HTML: escaped, and on an English page in
    an element marked Japanese when it is written in Japanese."""
    escaped = escape(str(text), quote=True)
    if english() and JAPANESE_CHARACTERS.search(str(text)):
        return f'<span lang="ja">{escaped}</span>'
    return escaped


def english_path(path: str) -> str:
    """The English version's path of a page's path (index.html → en/index.html)."""
    return path if path.startswith(ENGLISH_ROOT) else ENGLISH_ROOT + path


def japanese_path(path: str) -> str:
    return path.removeprefix(ENGLISH_ROOT)


def in_language(path: str) -> str:
    """A page's path in the language being written (a Japanese path given)."""
    return english_path(path) if english() else path
