"""Word documents (.docx) are read as the same agreement as their text (issue 18, item 1, optional
part): documents generated here by python-docx from the seed and the fixtures parse to the text's
JSON apart from `source`; each line keeps its body element's path; a ZIP that is no Word document
and a broken one are refused by name."""

from __future__ import annotations

import io
import zipfile

import pytest

from kyoyaku.errors import InputError
from kyoyaku.text.formats import WORD_MEDIA_TYPE, read_source
from kyoyaku.text.parse import parse_bytes

from ..conftest import SEED, cli
from .pages import text_of, without_source, word_document
from .test_html_reader import TEXTS


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_word_document_parses_as_its_text(path):
    text = text_of(path).replace("\r\n", "\n")
    expected = parse_bytes(text.encode("utf-8"), name=path.name)
    read = parse_bytes(word_document(text), name=path.stem + ".docx")
    assert without_source(read) == without_source(expected)
    assert (read.source.media_type, read.source.encoding) == (WORD_MEDIA_TYPE, "utf-8")
    assert expected.title


def test_each_line_keeps_its_body_element_path():
    import docx

    document = docx.Document()
    document.add_paragraph("○テスト協約")
    broken = document.add_paragraph("第1条\tこの協約は")
    broken.add_run().add_break()
    broken.add_run("次の行")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[1].cells, ["観光", "周遊\n促進", "実施"]):
        cell.text = value
    table.rows[0].cells[0].merge(table.rows[0].cells[1]).text = "区分"  # one cell across two columns
    document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    read = read_source(out.getvalue(), "t.docx")
    assert read.text.split("\n") == ["○テスト協約", "第1条\tこの協約は", "次の行", "区分\t", "観光\t周遊 促進\t実施"]
    assert read.origins == ["body/p[1]", "body/p[2]", "body/p[2]", "body/tbl[1]/tr[1]", "body/tbl[1]/tr[2]"]


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("files", "expected", "found"), [
    ({"xl/workbook.xml": b"<workbook/>"},  # an Excel workbook: no reader takes it
     ("a text file (UTF-8 or Shift_JIS), an HTML page, a PDF (with a text layer, or a scan read by OCR), a PNG, JPEG "
      "or TIFF image (read by OCR) or a Word document (.docx)"), "a ZIP archive other than a Word document (an Excel file?)"),
    ({"word/document.xml": b"<not-word/>"},  # a Word document without its other parts
     "a Word document (.docx)", "a damaged one (python-docx cannot open it)"),
], ids=["excel", "damaged"])
def test_a_zip_no_reader_takes_is_refused_in_one_line_naming_the_file(tmp_path, files, expected, found):
    path = tmp_path / "document.docx"
    path.write_bytes(zip_of(files))
    result = cli("parse", str(path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"kyoyaku: {path}: expected {expected}, found '{found}'\n"


def test_an_empty_word_document_is_no_agreement():
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    with pytest.raises(InputError, match="a Word document without text"):
        read_source(out.getvalue(), "empty.docx")


def test_the_seed_as_a_word_document_builds_beside_its_text(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "seed.docx").write_bytes(word_document(text_of(SEED)))
    result = cli("parse", str(sources / "seed.docx"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"title": "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"' in result.stdout
