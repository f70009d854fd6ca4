"""The figures: files written atomically, deterministic bytes, Japanese text drawn with the shipped font."""

from __future__ import annotations

import re
import struct
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.font_manager import findfont
from matplotlib.ft2font import FT2Font

from kyoyaku.publish import figures, registry_figures
from kyoyaku.publish.figures import Area, AreaEdge, area_figure, coverage_heatmap
from kyoyaku.publish.registry_figures import (
    AreaGrowth,
    AreaSize,
    agreements_per_year,
    area_growth,
    area_sizes,
)

SVG = "{http://www.w3.org/2000/svg}"
ROWS = ["小美玉市", "笠間市"]
FIELDS = ["地域資源を活用した地域経済の裾野拡大", "高度な医療サービスの提供", "圏域内外の住民との交流・移住促進"]
COUNTS = {("小美玉市", FIELDS[0]): 3, ("小美玉市", FIELDS[2]): 1, ("笠間市", FIELDS[1]): 12}
AREA = Area(
    name="いばらき県央地域連携中枢都市圏",
    framework="renkei-chusu",
    cores=["水戸市"],
    members=["小美玉市", "笠間市"],
    edges=[AreaEdge("水戸市", "小美玉市", True, "2022-02-21"), AreaEdge("水戸市", "笠間市", False, None)],
)

# 2017 and 2018 have no agreements: they still get a slot. Totals: 2016 → 4, 2019 → 2, undated → 5.
PER_YEAR = {(2016, "renkei-chusu"): 3, (2016, "teiju-jiritsu"): 1, (2019, "renkei-chusu"): 2,
            (None, "renkei-chusu"): 1, (None, "teiju-jiritsu"): 4}
SIZES = [AreaSize("こおりやま広域圏", "renkei-chusu", 3, 17),  # the sources state more than they list
         AreaSize("新潟広域都市圏", "renkei-chusu", 12, 11),  # … or fewer
         AreaSize("松山圏域", "renkei-chusu", 6, 6),
         AreaSize("糸魚川市定住自立圏", "teiju-jiritsu", 1, None)]
GROWTH = [AreaGrowth("広島広域都市圏", "renkei-chusu", [("2021-03-30", 1), ("2022-03-30", 4), ("2024-03-28", 6)], 1),
          AreaGrowth("茨城県央地域定住自立圏", "teiju-jiritsu", [("2016-10-01", 8)], 0)]


def heatmap(out: Path) -> list[Path]:
    return coverage_heatmap(ROWS, FIELDS, COUNTS, out / "coverage", "政策分野別の取組数")


def areas(out: Path) -> list[Path]:
    return area_figure([AREA], out / "areas", "連携協約の圏域")


def per_year(out: Path) -> list[Path]:
    return agreements_per_year(PER_YEAR, out / "agreements-per-year", "年別の協約数")


def sizes(out: Path) -> list[Path]:
    return area_sizes(SIZES, out / "area-sizes", "圏域の規模")


def growth(out: Path) -> list[Path]:
    return area_growth(GROWTH, out / "area-growth", "圏域の拡大")


def no_growth(out: Path) -> list[Path]:
    return area_growth([], out / "area-growth", "圏域の拡大")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def render(draw, out: Path) -> list[Path]:
    # Matplotlib warns "Glyph ... missing from font(s)" whenever it would draw a tofu box: make that fail.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return draw(out)


@pytest.mark.parametrize("draw, size", [
    (heatmap, figures._heatmap_size(ROWS, FIELDS)), (areas, figures._area_size([AREA])[0]),
    (per_year, None), (sizes, None), (growth, None), (no_growth, None)])
def test_writes_png_and_svg(tmp_path, draw, size):
    paths = render(draw, tmp_path)
    stem = paths[0].with_suffix("")
    assert paths == [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    assert sorted(tmp_path.iterdir()) == sorted(paths)  # no temp files left behind
    width, height = png_size(paths[0])
    if size is not None:
        assert (width, height) == (int(size[0] * figures.DPI), int(size[1] * figures.DPI))
    else:  # sizes rounded up to half inches: whole 75 px steps
        assert width >= 4.5 * figures.DPI and width % 75 == 0 and height % 75 == 0
    assert b"Software" not in paths[0].read_bytes()


ALL = [heatmap, areas, per_year, sizes, growth, no_growth]


@pytest.mark.parametrize("draw", ALL)
def test_svg_glyphs_are_paths_in_the_japanese_font(tmp_path, draw):
    svg = render(draw, tmp_path)[1]
    root = ET.parse(svg).getroot()
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}text"))  # text converted to outlines: views without the font
    # Glyph outlines get ids "<font name>-<glyph index>" (markers and clip paths have no dash).
    glyphs = {p.get("id") for p in root.iter(f"{SVG}path") if "-" in p.get("id", "")}
    assert glyphs and all(g.startswith("IPAexGothic-") for g in glyphs)
    assert "<dc:date>" not in svg.read_text(encoding="utf-8")


def test_labels_are_drawn(tmp_path):
    # Matplotlib keeps each drawn string as an XML comment next to its glyph outlines.
    heat = render(heatmap, tmp_path)[1].read_text(encoding="utf-8")
    for label in [*ROWS, *FIELDS, "政策分野別の取組数", "3", "12"]:
        assert f"<!-- {label} -->" in heat
    area = render(areas, tmp_path)[1].read_text(encoding="utf-8")
    for label in ["水戸市", "小美玉市", "笠間市", "2022-02-21", "全文 (full text)", "登録情報のみ (record only)"]:
        assert f"<!-- {label} -->" in area
    # One dashed record edge plus its legend sample.
    assert len(re.findall(r"stroke-dasharray[^\"]*stroke: #7f7f7f", area)) == 2


def drawn(svg: Path) -> list[str]:
    """The strings drawn, in drawing order (matplotlib writes each as a comment beside its outlines)."""
    return re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8"))


def test_agreements_per_year_draws_every_year_and_the_undated(tmp_path):
    texts = drawn(render(per_year, tmp_path)[1])
    # A slot for each year from the first to the last, empty ones included, and the undated bar last.
    assert texts[:5] == ["2016", "2017", "2018", "2019", "日付不明"]
    # Above the bars (drawn after the axes' own labels): one total per non-empty bar, none per segment.
    assert texts[texts.index("協約数（件）") + 1:texts.index("年別の協約数")] == ["4", "2", "5"]
    assert texts[-2:] == ["連携中枢都市圏", "定住自立圏"]  # the legend, in the fixed framework order


def test_area_sizes_mark_stated_totals_that_differ(tmp_path):
    svg = render(sizes, tmp_path)[1]
    texts = drawn(svg)
    names = texts.index(SIZES[0].name)
    assert texts[names:names + len(SIZES)] == [a.name for a in SIZES]  # the given order, top to bottom
    assert texts[names + len(SIZES):texts.index("圏域の規模")] == [
        "3（記載の総数 17）", "12（記載の総数 11）", "6", "1（総数の記載なし）"]
    assert texts[-1] == "資料に記載の総数（一覧と異なる場合）"
    # A dashed red frame for each of the two mismatches, plus the legend sample.
    assert len(re.findall(r"stroke-dasharray[^\"]*stroke: #c00000", svg.read_text(encoding="utf-8"))) == 3
    # Without a mismatch: no frame and no legend entry for one.
    clean = area_sizes(SIZES[2:], tmp_path / "clean", "圏域の規模")[1].read_text(encoding="utf-8")
    assert "#c00000" not in clean and "資料に記載の総数" not in clean


def test_area_growth_has_a_panel_per_area(tmp_path):
    svg = render(growth, tmp_path)[1]
    texts = drawn(svg)
    # Per panel: year ticks, count ticks (first column only), the last running total, the undated, the name.
    hiroshima, ibaraki = texts.index("広島広域都市圏"), texts.index("茨城県央地域定住自立圏")
    assert texts[:4] == ["2016", "2019", "2022", "2025"]  # first joining year to the year after the last
    assert texts[hiroshima - 2:hiroshima] == ["6", "日付不明 1"]
    assert texts[ibaraki - 1] == "8" and "日付不明 0" not in texts  # said only where members are undated
    assert texts[ibaraki + 1:] == ["日付のある構成市町村（累計）", "圏域の拡大", "連携中枢都市圏", "定住自立圏"]
    # Each area's step line in its framework's colour.
    svg_text = svg.read_text(encoding="utf-8")
    assert "stroke: #1f4e79" in svg_text and "stroke: #e08a3c" in svg_text
    assert drawn(render(no_growth, tmp_path / "empty")[1]) == [
        "日付のある加入の記録がありません（No dated members in the data）", "圏域の拡大"]


def test_coverage_and_area_figures_say_so_when_the_data_have_nothing_to_draw(tmp_path):
    """A build of texts without 別表 rows or areas (e.g. --allow-incomplete) still gets its report."""
    empty_coverage = render(lambda out: coverage_heatmap([], [], {}, out / "coverage", "網羅"), tmp_path / "c")[1]
    assert drawn(empty_coverage) == ["政策分野に対応付けた取組がありません（No initiatives mapped to policy fields）", "網羅"]
    empty_areas = render(lambda out: area_figure([], out / "areas", "圏域"), tmp_path / "a")[1]
    assert drawn(empty_areas) == ["圏域の協約がありません（No agreements with an area in the data）", "圏域"]
    with pytest.raises(ValueError):  # counts with no row to put them in would be lost
        coverage_heatmap([], [], {("水戸市", "福祉"): 1}, tmp_path / "x", "t")


def test_joining_dates_become_fractional_years():
    assert registry_figures._year("2016-01-01") == 2016
    assert registry_figures._year("2016-07-02") == 2016.5  # day 183 of the 366 of a leap year
    assert registry_figures._year("2015-12-31") == pytest.approx(2015 + 364 / 365)


@pytest.mark.parametrize("draw", ALL)
def test_output_is_byte_identical(tmp_path, draw):
    first = [p.read_bytes() for p in render(draw, tmp_path / "a")]
    second = [p.read_bytes() for p in render(draw, tmp_path / "b")]
    again = [p.read_bytes() for p in render(draw, tmp_path / "a")]  # overwriting in place too
    assert first == second == again


def test_font_is_the_shipped_ipaex_gothic():
    path = figures.font_path()
    assert path.name == "ipaexg.ttf" and "matplotlib_fontja" in path.parts
    assert FT2Font(str(path)).family_name == "IPAexGothic"
    props = figures.font(9)
    assert Path(props.get_file()) == path
    assert Path(findfont(props)) == path
    cmap = FT2Font(str(path)).get_charmap()
    used = "".join([*ROWS, *FIELDS, AREA.name, "水戸市全文登録情報のみ取組数連携中枢都市圏定住自立圏協約件・",
                    *(a.name for a in SIZES), *(a.name for a in GROWTH),
                    "日付不明（年）枠組別構成市町村数中心市を含む資料に記載の総数一覧と異なる場合のある累計加入の記録がありません"])
    assert not [c for c in used if ord(c) not in cmap]


def test_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(figures.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="matplotlib-fontja"):
        figures.font_path()


def test_bad_input_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown"):
        coverage_heatmap(ROWS, FIELDS, {("那珂市", FIELDS[0]): 1}, tmp_path / "x", "t")
    stray = Area("圏域", "teiju-jiritsu", ["水戸市"], ["笠間市"], [AreaEdge("水戸市", "那珂市", True, None)])
    with pytest.raises(ValueError, match="not core–member"):
        area_figure([stray], tmp_path / "y", "t")
    with pytest.raises(ValueError, match="at least one"):
        agreements_per_year({}, tmp_path / "z", "t")
    with pytest.raises(ValueError, match="negative"):
        agreements_per_year({(2016, "renkei-chusu"): -1}, tmp_path / "z", "t")
    with pytest.raises(ValueError, match="at least one"):
        area_sizes([], tmp_path / "z", "t")
    with pytest.raises(ValueError, match="not in date order"):
        area_growth([AreaGrowth("圏域", "renkei-chusu", [("2022-01-01", 2), ("2021-01-01", 1)], 0)], tmp_path / "z", "t")
    with pytest.raises(ValueError, match="no dated member"):
        area_growth([AreaGrowth("圏域", "renkei-chusu", [], 3)], tmp_path / "z", "t")
    assert not list(tmp_path.iterdir())
