"""`kyoyaku report`: the coverage heatmap, the area figure and the summary page."""

import struct

import pytest

from kyoyaku.errors import UsageError
from kyoyaku.report import report


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def written(corpus, tmp_path_factory):
    dist, _ = corpus
    out = tmp_path_factory.mktemp("report") / "report"
    return out, report([dist / "kyoyaku.ttl"], out)


def test_report_writes_figures_and_page(written):
    out, paths = written
    assert sorted(p.name for p in paths) == ["areas.png", "areas.svg", "coverage.png", "coverage.svg", "index.html"]
    for name in ("coverage.png", "areas.png"):
        width, height = png_size(out / name)
        assert width > 600 and height > 300
    for name in ("coverage.svg", "areas.svg"):
        svg = (out / name).read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<text" not in svg  # glyphs as paths: views without the font


def test_summary_page_counts_full_texts_records_and_areas(written):
    out, _ = written
    page = (out / "index.html").read_text(encoding="utf-8")
    # seed + 3 synthetic full texts; 16 registry records minus the seed's, replaced by its full text
    assert "全文 4 件、登録情報のみ 15 件の協約、4 圏域。" in page
    assert "いばらき県央地域連携中枢都市圏" in page and "上川中央定住自立圏" in page
    assert '<img src="coverage.svg"' in page and '<img src="areas.svg"' in page


def test_report_is_deterministic_and_replaces_its_own_output(corpus, written, tmp_path):
    out, _ = written
    dist, _ = corpus
    again = tmp_path / "again"
    report([dist / "kyoyaku.ttl"], again)
    for name in ("coverage.png", "coverage.svg", "areas.png", "areas.svg", "index.html"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    report([dist / "kyoyaku.ttl"], again)  # rerun over its own output
    assert (again / "index.html").is_file()


def test_report_refuses_a_foreign_directory(corpus, tmp_path):
    dist, _ = corpus
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not written by kyoyaku report"):
        report([dist / "kyoyaku.ttl"], tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
