"""The figures: files written atomically, deterministic bytes, Japanese text drawn with the shipped font."""

from __future__ import annotations

import re
import struct
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy
import pytest
from matplotlib.font_manager import findfont
from matplotlib.ft2font import FT2Font

from kyoyaku.publish import figures, registry_figures
from kyoyaku.publish.figures import AreaAgreements, area_figure, coverage_heatmap
from kyoyaku.publish.registry_figures import (
    UNDATED,
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
AREAS = [AreaAgreements("いばらき県央地域連携中枢都市圏", "renkei-chusu", 1, 8),
         AreaAgreements("上川中央定住自立圏", "teiju-jiritsu", 0, 2)]

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
    return area_figure(AREAS, out / "areas", "連携協約の圏域")


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
    (heatmap, figures.COVERAGE_SIZE), (areas, figures.AREAS_SIZE), (per_year, registry_figures.PER_YEAR_SIZE),
    (sizes, registry_figures.SIZES_SIZE), (growth, registry_figures.GROWTH_SIZE),
    (no_growth, registry_figures.GROWTH_SIZE)])
def test_writes_png_and_svg(tmp_path, draw, size):
    paths = render(draw, tmp_path)
    stem = paths[0].with_suffix("")
    assert paths == [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    assert sorted(tmp_path.iterdir()) == sorted(paths)  # no temp files left behind
    assert png_size(paths[0]) == (int(size[0] * figures.DPI), int(size[1] * figures.DPI))
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
    area = drawn(render(areas, tmp_path)[1])
    # The areas top to bottom in the given order, each bar's counts beside it, then the title and the key.
    assert area[area.index("協約数（件）"):] == [
        "協約数（件）", AREAS[0].name, "上川中央定住自立圏", "全文 1・登録 8", "全文 0・登録 2", "連携協約の圏域",
        "連携中枢都市圏", "定住自立圏", "登録情報のみ (record only)"]


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
    assert texts[ibaraki + 1:] == ["日付のある構成市町村（加入の累計 − 終了）", "圏域の拡大", "連携中枢都市圏", "定住自立圏"]
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
    used = "".join([*ROWS, *FIELDS, *(a.name for a in AREAS), "全文登録情報のみ取組数連携中枢都市圏定住自立圏協約件・",
                    "その他合計最小〜最大…",
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
    with pytest.raises(ValueError, match="negative"):
        area_figure([AreaAgreements("圏域", "teiju-jiritsu", 1, -1)], tmp_path / "y", "t")
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


# At national scale: the same size, the first few drawn, the rest summarised in one slot that says how many.

def svg_box(svg: Path) -> tuple[str, str, str]:
    root = ET.parse(svg).getroot()
    return root.get("width"), root.get("height"), root.get("viewBox")


@pytest.mark.parametrize("draw, few, many", [
    ("coverage", 2, 1000), ("areas", 2, 300), ("sizes", 4, 500), ("growth", 2, 200)])
def test_many_partners_or_areas_draw_a_figure_of_the_same_size(tmp_path, draw, few, many):
    def figure(n: int, out: Path) -> list[Path]:
        names = [f"架空{i:04d}圏域" for i in range(n)]
        if draw == "coverage":
            return coverage_heatmap(names, FIELDS, {(r, FIELDS[0]): 1 for r in names}, out / "c", "t")
        if draw == "areas":
            return area_figure([AreaAgreements(r, "renkei-chusu", 1, i % 5) for i, r in enumerate(names)], out / "a", "t")
        if draw == "sizes":
            return area_sizes([AreaSize(r, "teiju-jiritsu", 2 + i % 9, None) for i, r in enumerate(names)], out / "s", "t")
        return area_growth([AreaGrowth(r, "renkei-chusu", [("2016-10-01", 1 + i % 6)], 1) for i, r in enumerate(names)],
                           out / "g", "t")

    small, large = figure(few, tmp_path / "few"), figure(many, tmp_path / "many")
    assert png_size(small[0]) == png_size(large[0])
    assert svg_box(small[1]) == svg_box(large[1])


def test_a_capped_heatmap_draws_the_busiest_partners_and_sums_the_others(tmp_path):
    rows = [f"架空市{i:05d}" for i in range(1000)]
    counts = {(r, FIELDS[0]): 1 for r in rows} | {(r, FIELDS[1]): 5 for r in rows[100:119]}
    svg = coverage_heatmap(rows, FIELDS, counts, tmp_path / "coverage", "網羅")[1]
    texts = drawn(svg)
    labels = texts[texts.index(FIELDS[-1]) + 1:]
    # The 19 with the most initiatives, in the given order, then one row for the other 981 (the cap is 20).
    assert labels[:20] == [*rows[100:119], "その他 981 市町村（合計） / 981 other partners, summed"]
    # The cells: 1 and 5 in each partner's row, then the others' sums per field (981 in the first, none elsewhere).
    assert labels[20:20 + 2 * 19 + 1] == ["1", "5"] * 19 + ["981"]
    assert png_size(tmp_path / "coverage.png") == (1800, 1500)


def test_capped_bars_and_panels_say_how_many_they_summarise(tmp_path):
    names = [f"架空{i:04d}地域連携中枢都市圏" for i in range(300)]
    bars = [AreaAgreements(n, "renkei-chusu", 1 if i in (5, 50, 250) else 0, i % 10) for i, n in enumerate(names)]
    texts = drawn(area_figure(bars, tmp_path / "areas", "圏域")[1])
    # Full texts first (5, 50, 250), then the most agreements (9: 9, 19, … in the given order): 29 bars and the rest.
    shown = sorted([5, 50, 250] + [i for i in range(300) if i % 10 == 9][:26])
    assert texts[texts.index("協約数（件）") + 1:][:30] == [names[i] for i in shown] + [
        "その他 271 圏域（合計） / 271 other areas, summed"]
    rest = [b for i, b in enumerate(bars) if i not in shown]
    assert f"全文 0・登録 {sum(b.records for b in rest)}" in texts

    sizes = [AreaSize(n, "teiju-jiritsu", 2 + i % 9, 1 if i == 7 else None) for i, n in enumerate(names)]
    texts = drawn(area_sizes(sizes, tmp_path / "sizes", "規模")[1])
    assert "その他 271 圏域（最小〜最大） / 271 other areas, smallest to largest" in texts
    assert "2〜10" in texts and "9（記載の総数 1）" in texts  # the area whose stated total differs is kept

    growth = [AreaGrowth(n, "renkei-chusu", [("2016-10-01", 1), ("2020-04-01", 1 + i % 30)], 2) for i, n in enumerate(names)]
    texts = drawn(area_growth(growth, tmp_path / "growth", "拡大")[1])
    assert "その他 281 圏域（合計） / 281 other areas, summed" in texts
    assert f"{UNDATED} {2 * 281}" in texts  # the others' undated members, together


def test_the_summed_panel_adds_up_the_running_totals():
    areas = [AreaGrowth("甲", None, [("2016-01-01", 2), ("2018-01-01", 3)], 0),
             AreaGrowth("乙", None, [("2017-01-01", 1), ("2018-01-01", 4)], 0)]
    assert registry_figures._summed_steps(areas) == [("2016-01-01", 2), ("2017-01-01", 3), ("2018-01-01", 7)]


@pytest.mark.parametrize("draw", ALL)
def test_each_figure_is_drawn_once_per_file_in_a_fixed_number_of_axes(tmp_path, monkeypatch, draw):
    # Drawing time is the figures' cost: a layout pass before each file drew every figure twice per
    # file, and twenty panels as twenty axes made the growth grid the slowest figure. Counted, not timed.
    from matplotlib.figure import Figure
    draws, real_draw = [], Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda fig, renderer: draws.append(len(fig.axes)) or real_draw(fig, renderer))
    render(draw, tmp_path)
    # One draw for the PNG, one for the SVG; one axes for the growth grid, two with the heatmap's colour bar.
    assert draws == ([2, 2] if draw is heatmap else [1, 1])


def test_the_heatmap_svg_embeds_one_pixel_per_cell(tmp_path):
    # Not a page-sized resampled copy of the grid: the viewer scales the cells up, pixelated.
    import base64
    root = ET.parse(render(heatmap, tmp_path)[1]).getroot()
    grid = next(root.iter(f"{SVG}image"))  # drawn first; the colour bar's scale is the other image
    assert "image-rendering:pixelated" in grid.get("style", "")
    png = base64.b64decode(grid.get("{http://www.w3.org/1999/xlink}href").removeprefix("data:image/png;base64,"))
    assert struct.unpack(">II", png[16:24]) == (len(FIELDS), len(ROWS))


def test_the_png_is_the_agg_canvas_as_rgb_without_alpha(tmp_path):
    # Written from the canvas drawn once (not through PIL's slower adaptive filters): the same pixels as
    # matplotlib's own PNG, opaque RGB (colour type 2) at DPI.
    import numpy
    from matplotlib.figure import Figure
    from PIL import Image

    def figure() -> Figure:
        fig = Figure(figsize=(2.0, 1.0))
        fig.add_subplot().bar([0, 1], [1, 2], color=figures.framework_color("renkei-chusu"))
        return fig
    png = figures.save(figure(), tmp_path / "f")[0]
    figure().savefig(tmp_path / "mpl.png", dpi=figures.DPI)
    assert png.read_bytes()[24:26] == b"\x08\x02"  # 8 bits per channel, RGB
    with Image.open(png) as ours, Image.open(tmp_path / "mpl.png") as theirs:
        assert ours.size == (300, 150) and round(ours.info["dpi"][0]) == figures.DPI
        assert (numpy.asarray(ours) == numpy.asarray(theirs.convert("RGB"))).all()


# What a figure costs is what it draws: no pass that measures its texts only to place them, no colour
# look-up per pixel. Counted, not timed (speed: benchmarks/figures.py).

WIDE = [AreaAgreements(f"架空{i:04d}・{'長い名前の' * 3}連携中枢都市圏", "renkei-chusu", 1, i % 7) for i in range(60)]


def wide_heatmap(out: Path) -> list[Path]:
    # The longest field label first: turned 45°, it reaches furthest left of the grid.
    fields = ["その他、高次の都市機能の集積・強化に係る取組", *FIELDS]
    rows = [f"架空市{i:03d}" for i in range(40)]
    return coverage_heatmap(rows, fields, {(r, f): 1 + i % 4 for i, r in enumerate(rows) for f in fields}, out / "c", "網羅")


@pytest.mark.parametrize("draw", [*ALL, wide_heatmap, lambda out: area_figure(WIDE, out / "wide", "圏域")])
def test_no_layout_pass_and_every_text_inside_the_figure(tmp_path, monkeypatch, draw):
    # Margins are fixed from the labels (figures.axes_at), not found by a layout engine or by the title's
    # own placement, both of which measured every tick label once more per file.
    from matplotlib.axis import Axis
    from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine
    from matplotlib.text import Text

    measured, layouts, texts = [], [], []
    real_tightbbox, real_draw = Axis.get_tightbbox, Text.draw
    monkeypatch.setattr(Axis, "get_tightbbox", lambda axis, *a, **k: measured.append(axis) or real_tightbbox(axis, *a, **k))
    for engine in (ConstrainedLayoutEngine, TightLayoutEngine):
        monkeypatch.setattr(engine, "execute", lambda engine, fig: layouts.append(engine))

    def draw_text(text, renderer):  # the extent of every text drawn into the PNG, in its pixels
        real_draw(text, renderer)
        if text.get_visible() and text.get_text() and renderer.__class__.__name__ == "RendererAgg":
            texts.append((text.get_text(), text.get_window_extent(renderer), renderer.width, renderer.height))
    monkeypatch.setattr(Text, "draw", draw_text)
    render(draw, tmp_path)
    assert measured == [] and layouts == []
    assert texts
    outside = [(s, box.bounds) for s, box, width, height in texts
               if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height]
    assert outside == []


def test_the_heatmap_colours_its_cells_not_its_pixels(tmp_path, monkeypatch):
    # Counts given to imshow were coloured after being scaled to the PNG's size: a look-up per pixel.
    from matplotlib.colors import Colormap
    looked_up, real_call = [], Colormap.__call__
    monkeypatch.setattr(Colormap, "__call__", lambda cmap, x, *a, **k: looked_up.append(numpy.size(x))
                        or real_call(cmap, x, *a, **k))
    # Nor is an image of them scaled to the PNG's pixels (in floating point): the PNG gets the cells as
    # rectangles, the SVG the image of one pixel per cell (test_the_heatmap_svg_embeds_one_pixel_per_cell).
    import matplotlib.image
    resampled, real_resample = [], matplotlib.image._resample
    monkeypatch.setattr(matplotlib.image, "_resample", lambda *a, **k: resampled.append(a) or real_resample(*a, **k))
    render(wide_heatmap, tmp_path)
    assert looked_up and max(looked_up) <= 256  # the cells (40 × 4) and the colour bar's scale (256 steps)
    assert resampled == []


def test_the_heatmap_cells_keep_their_colours(tmp_path):
    # Cells coloured before the grid is scaled: the same colours as matplotlib's own colour map gives them.
    from matplotlib import colormaps
    from PIL import Image
    png = coverage_heatmap(ROWS, FIELDS, COUNTS, tmp_path / "c", "t")[0]
    with Image.open(png) as image:
        colours = {tuple(c) for c in numpy.asarray(image).reshape(-1, 3)}
    for n in (0, 3, 12):  # vmax 12: 0 white-ish, 3 light, 12 the darkest blue
        assert tuple(colormaps["Blues"](n / 12, bytes=True)[:3]) in colours
