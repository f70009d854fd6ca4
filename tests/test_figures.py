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

from kyoyaku import figures
from kyoyaku.figures import Area, AreaEdge, area_figure, coverage_heatmap

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


def heatmap(out: Path) -> list[Path]:
    return coverage_heatmap(ROWS, FIELDS, COUNTS, out / "coverage", "政策分野別の取組数")


def areas(out: Path) -> list[Path]:
    return area_figure([AREA], out / "areas", "連携協約の圏域")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def render(draw, out: Path) -> list[Path]:
    # Matplotlib warns "Glyph ... missing from font(s)" whenever it would draw a tofu box: make that fail.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return draw(out)


@pytest.mark.parametrize("draw, size", [(heatmap, figures._heatmap_size(ROWS, FIELDS)), (areas, figures._area_size([AREA])[0])])
def test_writes_png_and_svg(tmp_path, draw, size):
    paths = render(draw, tmp_path)
    stem = paths[0].with_suffix("")
    assert paths == [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    assert sorted(tmp_path.iterdir()) == sorted(paths)  # no temp files left behind
    assert png_size(paths[0]) == (int(size[0] * figures.DPI), int(size[1] * figures.DPI))
    assert b"Software" not in paths[0].read_bytes()


@pytest.mark.parametrize("draw", [heatmap, areas])
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


@pytest.mark.parametrize("draw", [heatmap, areas])
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
    used = "".join([*ROWS, *FIELDS, AREA.name, "水戸市全文登録情報のみ取組数連携中枢都市圏定住自立圏協約件・"])
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
    assert not list(tmp_path.iterdir())
