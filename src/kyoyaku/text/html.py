"""An HTML page (a 例規集 page, a municipality's CMS page) → the lines the parser reads, each with
its origin: the path of the element it came from (`body/div[2]/p[3]`), kept in a list parallel to
the lines so that provenance can cite the page's element (the model does not store it yet).

The page is decoded from its meta charset (UTF-8, Shift_JIS or EUC-JP), parsed with lxml, and
stripped of what is not the agreement: navigation, header, footer, sidebars, scripts and styles,
and elements whose class or id names a menu, breadcrumb, header or footer. Block elements become
lines, `<br>` ends a line, an empty `<p>` is an empty line, a table row is one line with its cells
joined by tabs (the 別表's rows, as the text form writes them), ruby keeps its base text only."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError, describe_bytes

# Elements that are never the agreement, and class/id words that mark page furniture.
FURNITURE_TAGS = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "head",
                  "button", "select", "iframe", "object", "svg"}
# A word of a class or id (between -, _ or the ends): `global-nav`, `breadcrumbs`, `side_menu`, but not
# `canvas` or `navigator-free`.
FURNITURE_NAME = re.compile(r"(?:^|[-_])(?:menu|breadcrumbs?|pankuzu|topicpath|footer|header|g?nav|navi|navigation"
                            r"|sidebar|side|skip)(?:[-_]|$)", re.IGNORECASE)
# The element holding the page's main content, where a page marks it.
MAIN_XPATH = "//main | //*[@role='main'] | //article | //*[@id='main' or @id='contents' or @id='content']"
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "thead", "tbody", "tfoot", "caption", "section", "article", "main", "blockquote", "pre",
              "address", "center", "form", "fieldset", "figure", "figcaption", "body", "hr"}
SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace; U+3000 (the full-width space) is text
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
CODECS = {"utf-8": "utf-8", "utf8": "utf-8", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
          "x-sjis": "cp932", "windows-31j": "cp932", "cp932": "cp932", "ms_kanji": "cp932",
          "euc-jp": "euc_jp", "euc_jp": "euc_jp", "x-euc-jp": "euc_jp"}
ENCODING_NAMES = {"utf-8": "utf-8", "cp932": "cp932", "euc_jp": "euc-jp"}
AN_HTML_PAGE = "an HTML page in UTF-8, Shift_JIS or EUC-JP"


@dataclass
class PageText:
    lines: list[str]
    origins: list[str]  # origins[i]: the element path of lines[i] (line i + 1)
    encoding: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_html(data: bytes, display: str) -> PageText:
    """The agreement's lines in the HTML page `data`; InputError when it does not decode in its
    charset, or names one kyoyaku does not read."""
    import lxml.etree
    import lxml.html

    codec = page_codec(data, display)
    try:
        markup = data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as e:
        raise InputError.at_byte(display, data, e.start, AN_HTML_PAGE,
                                 f"{describe_bytes(data[e.start:e.end])} (not {ENCODING_NAMES[codec]})") from None
    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup)  # lxml refuses a str with an encoding declaration
    try:
        root = lxml.html.document_fromstring(markup)
    except lxml.etree.ParserError:  # markup with no element at all (`<!DOCTYPE html>` alone)
        raise InputError(display, None, "the text of a 連携協約", "an HTML page without text") from None
    paths = element_paths(root)
    # furniture is skipped, not removed: removing an element moves its tail text, which lxml refuses
    # when it holds a control character
    furniture = {e for e in root.iter() if isinstance(e.tag, str) and is_furniture(e)}
    main = [e for e in root.xpath(MAIN_XPATH) if e not in furniture and not furniture.intersection(e.iterancestors())]
    body = root.find("body")
    container = main[0] if main else (body if body is not None else root)
    lines = _Lines(paths, furniture)
    lines.walk(container)
    lines.flush()
    while lines.lines and not lines.lines[-1].strip():
        lines.lines.pop(), lines.origins.pop()
    if not lines.lines:
        raise InputError(display, None, "the text of a 連携協約", "an HTML page without text")
    return PageText(lines.lines, lines.origins, ENCODING_NAMES[codec])


def element_paths(root) -> dict:
    """Each element's path below `html` (`body/div[2]/p[3]`: the position among siblings of its tag,
    given where it has such siblings — as lxml's getpath writes it, which costs a scan of the
    siblings for each element: quadratic on a page of 10,000 paragraphs)."""
    paths, stack = {root: ""}, [root]
    while stack:
        parent = stack.pop()
        children = [c for c in parent if isinstance(c.tag, str)]
        counts = Counter(c.tag for c in children)
        seen: Counter = Counter()
        for child in children:
            seen[child.tag] += 1
            step = f"{child.tag}[{seen[child.tag]}]" if counts[child.tag] > 1 else child.tag
            paths[child] = f"{paths[parent]}/{step}".removeprefix("/")
            stack.append(child)
    return paths


def page_codec(data: bytes, display: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    found = CHARSET.search(data[:4096])
    if not found:
        return "utf-8"
    name = found.group(1).decode("ascii").lower()
    if name not in CODECS:
        raise InputError(display, None, AN_HTML_PAGE, f"charset {name}")
    return CODECS[name]


def is_furniture(element) -> bool:
    if element.tag.lower() in FURNITURE_TAGS:
        return True
    if element.tag.lower() in ("body", "html", "main"):
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}".split()
    return any(FURNITURE_NAME.search(name) for name in names)


class _Lines:
    """The lines of an element tree, each with the path of the block element where it began."""

    def __init__(self, paths: dict, furniture: set):
        self.paths = paths
        self.furniture = furniture
        self.lines: list[str] = []
        self.origins: list[str] = []
        self.pieces: list[str] = []
        self.origin: str | None = None

    def path(self, element) -> str:
        return self.paths[element]

    def add(self, text: str | None, block) -> None:
        if text:
            if self.origin is None:
                self.origin = self.path(block)
            self.pieces.append(text)

    def flush(self, block=None, empty_line: bool = False) -> None:
        line = tidy("".join(self.pieces))
        if line or empty_line:
            self.lines.append(line)
            self.origins.append(self.origin or self.path(block))
        self.pieces, self.origin = [], None

    def walk(self, element, block=None) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if tag is None or tag in ("rt", "rp") or element in self.furniture:
            return  # a comment, a ruby reading, the page's furniture: no text of the agreement
        if tag == "br":
            self.flush(block, empty_line=True)
        elif tag == "tr":
            self.flush(block)
            self.lines.append("\t".join(cell_text(c) for c in element
                                        if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")))
            self.origins.append(self.path(element))
        elif tag in BLOCK_TAGS:
            self.flush(block)
            count = len(self.lines)
            self.add(element.text, element)
            for child in element:
                self.walk(child, element)
                self.add(child.tail, element)
            self.flush(element, empty_line=tag == "p" and len(self.lines) == count)
        else:
            self.add(element.text, block)
            for child in element:
                self.walk(child, block)
                self.add(child.tail, block)


def tidy(text: str) -> str:
    """HTML's whitespace runs as one space, a no-break space as a space (a page's way to keep spaces)."""
    return SPACE.sub(" ", text).replace("\u00a0", " ").strip(" ")


def cell_text(cell) -> str:
    pieces = []

    def gather(element) -> None:
        if isinstance(element.tag, str) and element.tag.lower() in ("rt", "rp"):
            return
        if isinstance(element.tag, str):
            pieces.append(element.text or "")
            for child in element:
                gather(child)
                pieces.append(child.tail or "")

    gather(cell)
    return tidy("".join(pieces))
