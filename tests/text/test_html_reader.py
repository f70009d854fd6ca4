"""HTML pages are read as the same agreement as their text: pages generated here from the seed and
the fixtures, in the shapes of a 例規集 system and of a municipal CMS, in UTF-8, Shift_JIS and EUC-JP,
parse to the text's JSON apart from `source`. Binary files are refused by name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyoyaku.errors import InputError
from kyoyaku.text.formats import read_source
from kyoyaku.text.html import element_paths
from kyoyaku.text.parse import parse_bytes

from ..conftest import FIXTURES, SEED, cli
from .pages import cms_page, reiki_page, text_of, without_source

TEXTS = [SEED] + [FIXTURES / "family" / f"{name}.txt" for name in (
    "header-maru-kokuji-line", "header-kokuji-on-date-line", "articles-sub-number-items", "parties-three",
    "dates-blank-day-draft")] + [FIXTURES / "forms" / f"{name}.txt" for name in (
    "bill-renkei", "bill-teiju", "combo-cover-date-only-full-names")]
RUBY = '<ruby>水戸<rp>（</rp><rt>みと</rt><rp>）</rp></ruby>'


@pytest.mark.parametrize("page", [reiki_page, cms_page])
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_page_parses_as_its_text(path, page):
    text = text_of(path).replace("\r\n", "\n")
    expected = parse_bytes(text.encode("utf-8"), name=path.name)
    markup = page(text).encode("utf-8")
    read = parse_bytes(markup, name=path.stem + ".html")
    assert without_source(read) == without_source(expected)
    assert read.source.media_type == "text/html"
    assert read.source.encoding == "utf-8"
    assert expected.source.media_type == "text/plain"
    assert expected.title  # the comparison is of an agreement read, not of two empty results


@pytest.mark.parametrize(("charset", "codec", "encoding"), [
    ("Shift_JIS", "cp932", "cp932"), ("EUC-JP", "euc_jp", "euc-jp"), ("x-sjis", "cp932", "cp932")])
@pytest.mark.parametrize("page", [reiki_page, cms_page])
def test_page_in_a_japanese_encoding(charset, codec, encoding, page):
    text = SEED.read_text(encoding="utf-8")
    read = parse_bytes(page(text, charset).encode(codec), name="seed.html")
    assert without_source(read) == without_source(parse_bytes(SEED.read_bytes(), name=SEED.name))
    assert read.source.encoding == encoding


def test_ruby_keeps_the_base_text():
    text = SEED.read_text(encoding="utf-8")
    markup = cms_page(text).replace("水戸市（以下", RUBY + "市（以下", 1)
    assert RUBY in markup
    read = parse_bytes(markup.encode("utf-8"), name="seed.html")
    assert without_source(read) == without_source(parse_bytes(SEED.read_bytes(), name=SEED.name))
    assert [p.name for p in read.parties] == ["水戸市", "小美玉市"]


def test_each_line_keeps_its_element_path():
    page = reiki_page("○テスト協約\n\n第1条\tこの協約は\n(1)<x> &amp;\n").encode("utf-8")
    read = read_source(page, "p.html")
    assert read.text.split("\n") == ["○テスト協約", "", "第1条\tこの協約は", "(1)<x> &amp;"]
    assert read.origins == ["body/div[3]/p[1]", "body/div[3]/p[2]", "body/div[3]/table/tbody/tr",
                            "body/div[3]/p[3]"]
    assert read.media_type == "text/html"


@pytest.mark.parametrize("page", [reiki_page, cms_page])
def test_element_paths_are_lxml_s_paths(page):
    import lxml.html

    root = lxml.html.document_fromstring(page(SEED.read_text(encoding="utf-8")))
    tree = root.getroottree()
    paths = element_paths(root)
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    assert len(elements) > 100
    assert [paths[e] for e in elements] == [tree.getpath(e).removeprefix("/html/") for e in elements]


def test_furniture_and_scripts_are_dropped():
    page = cms_page("第1条 本文。").encode("utf-8")
    assert read_source(page, "p.html").text == "第1条 本文。"


@pytest.mark.parametrize(("attributes", "kept"), [
    ('class="global-nav"', False), ('id="breadcrumbs"', False), ('class="box side_menu"', False),
    ('id="footer"', False), ('class="canvas"', True), ('class="navigator"', True), ('id="jyobun"', True)])
def test_furniture_is_named_by_a_word_of_its_class_or_id(attributes, kept):
    page = f'<html><body><div {attributes}><p>第2条 周り。</p></div><p>第1条 本文。</p></body></html>'
    lines = read_source(page.encode("utf-8"), "p.html").text.split("\n")
    assert lines == (["第2条 周り。", "第1条 本文。"] if kept else ["第1条 本文。"])


def test_a_text_beginning_with_a_bracket_is_still_text():
    assert read_source("<別紙>\n第1条 本文。".encode(), "t.txt").media_type == "text/plain"


FORMATS_READ = ("a text file (UTF-8 or Shift_JIS), an HTML page, a PDF (with a text layer, or a scan read by OCR), "
                "a PNG, JPEG or TIFF image (read by OCR) or a Word document (.docx)")
AN_IMAGE = "a PNG, JPEG or TIFF image that can be decoded"
DAMAGED = "an image that does not decode (truncated or damaged)"


@pytest.mark.parametrize(("head", "line", "expected", "found"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", AN_IMAGE, DAMAGED),  # an image is read by OCR: this one is cut short
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "", AN_IMAGE, DAMAGED),
    (b"GIF89a\x01\x00", "", FORMATS_READ, "a GIF image"),
    (bytes(range(256)) * 4, ":1", FORMATS_READ, "binary data (a NUL byte)"),
])
def test_binary_is_refused_naming_the_formats_read(tmp_path, head, line, expected, found):
    source = tmp_path / "scan.txt"
    source.write_bytes(head)
    result = cli("parse", str(source))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"kyoyaku: {source}{line}: expected {expected}, found '{found}'\n"


@pytest.mark.parametrize("page", [b"<!DOCTYPE html>", b"<html></html>", b"<!-- x --><html><body><br><br>",
                                  b"<html><body><nav><p>\xe7\xac\xac1\xe6\x9d\xa1</p></nav></body></html>"])
def test_a_page_without_text_is_refused(tmp_path, page):
    source = tmp_path / "empty.html"
    source.write_bytes(page)
    result = cli("parse", str(source))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"kyoyaku: {source}: expected the text of a 連携協約, found 'an HTML page without text'\n"


def test_an_undeclared_charset_is_refused(tmp_path):
    with pytest.raises(Exception) as info:
        parse_bytes(b'<html><head><meta charset="koi8-r"></head><body><p>x</p></body></html>', name="p.html")
    assert str(info.value) == "p.html: expected an HTML page in UTF-8, Shift_JIS or EUC-JP, found 'charset koi8-r'"


def test_build_publishes_a_text_and_a_page_side_by_side(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "mito.txt").write_bytes(SEED.read_bytes())
    other = FIXTURES / "family" / "parties-three.txt"
    (sources / "three.html").write_text(reiki_page(text_of(other)), encoding="utf-8")
    (sources / "scan.gif").write_bytes(b"GIF89a\x01\x00")
    (sources / "notes").mkdir()
    (sources / "notes.md").write_text("メモ\n", encoding="utf-8")
    result = cli("build", "--sources", str(sources), "--out", str(tmp_path / "dist"), "--no-registry",
                 "--allow-incomplete", "--quiet", SOURCE_DATE_EPOCH="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 2 agreement(s) from full texts")
    assert result.stderr.splitlines() == [
        (f"kyoyaku: skipped {sources / 'notes.md'}: not an agreement text (*.txt, *.html, *.htm, *.pdf, *.png, *.jpg, "
        "*.jpeg, *.tif, *.tiff, *.docx)"),
        f"kyoyaku: skipped {sources / 'scan.gif'}: a GIF image",
        *(f"{sources / name}: warning: no row in sources.csv, so no official source page is published for it"
          for name in ("mito.txt", "three.html")),
    ]  # the subfolder is no source: not named; the folder has no manifest: each text is named
    published = (tmp_path / "dist" / "kyoyaku.ttl").read_text(encoding="utf-8")
    assert 'dcterms:format "text/html" ;\n\tkyo:byteSize' in published
    assert published.count('dcterms:format "text/') == 2 and 'kyo:fileName "three.html"' in published


MARKUP = ["<p>", "</p>", "<div class='menu'>", "</div>", "<br>", "<table><tr><td>", "</td><td>", "</tr></table>",
          "<ruby>", "<rt>", "</rt></ruby>", "<nav>", "</nav>", "<!--", "-->", "<script>", "</script>", "&amp;",
          "&nbsp;", "&#x3000;", "<", ">", "第1条 ", "連携協約書", "（目的）", "\t", "\n", "　", "<main>", "</main>"]


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(st.sampled_from(MARKUP), st.text(max_size=8)), max_size=60))
def test_any_page_is_read_or_refused_with_kyoyaku_s_error(pieces):
    page = ("<!DOCTYPE html><html><body>" + "".join(pieces)).encode("utf-8", "surrogatepass")
    try:
        agreement = parse_bytes(page, name="p.html")
    except InputError:
        return
    assert agreement.source.media_type == "text/html"
