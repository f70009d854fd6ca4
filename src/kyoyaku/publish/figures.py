"""Figures for the report: a coverage heatmap and the agreements of each partnership area, and what
every figure shares — size, caps, fonts, framework colours, saving (the registry's figures:
publish.registry_figures).

Pure functions: plain Python values in, PNG + SVG files out. Every figure has one fixed size, whatever
the data: what would grow with the number of agreements (partners, areas) is capped to the first few
with the rest summarised in one last row, bar or panel (`top`, `others_label`), so drawing time is
bounded too. The output is byte-for-byte deterministic (fixed size and dpi, no timestamps, a fixed
SVG id salt) so regenerated figures only show up in a diff when the data changed. Japanese text is drawn with IPAexGothic from the
`matplotlib-fontja` wheel, loaded by file, so a machine without system CJK fonts still renders
real glyphs; SVG text is converted to paths so the SVG views without the font.
"""

from __future__ import annotations

import importlib.util
import math
import os
import struct
import tempfile
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
import numpy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import text_to_path
from matplotlib.ticker import MaxNLocator

from ..outputs import name_unnamed

DPI = 150
# Figure sizes are rounded up to half inches: exact in binary and a whole 75 px at 150 dpi,
# so the PNG is exactly inches * DPI pixels.
_STEP = 0.5
# No layout from the rc file: every figure places its axes itself (axes_at).
RC = {"svg.hashsalt": "kyoyaku", "svg.fonttype": "path", "figure.autolayout": False, "figure.constrained_layout.use": False}
FRAMEWORKS = {"renkei-chusu": "連携中枢都市圏", "teiju-jiritsu": "定住自立圏"}
# One colour per framework in every figure: dark blue and orange also differ in greyscale.
_FRAMEWORK_COLOR = {"renkei-chusu": "#1f4e79", "teiju-jiritsu": "#e08a3c"}
OTHER_COLOR = "#9e9e9e"  # an agreement or area without a (known) framework, or the summarised rest


@dataclass(frozen=True)
class AreaAgreements:
    name: str  # e.g. いばらき県央地域連携中枢都市圏
    framework: str | None  # "renkei-chusu" | "teiju-jiritsu"
    full_texts: int  # agreements of the area held as full texts
    records: int  # … held only as registry records


def font_path() -> Path:
    """The IPAexGothic TTF shipped inside the matplotlib-fontja wheel."""
    # find_spec locates the package without importing it: importing it rewrites global rcParams.
    spec = importlib.util.find_spec("matplotlib_fontja")
    dirs = list(spec.submodule_search_locations or []) if spec else []
    path = Path(dirs[0]) / "fonts" / "ipaexg.ttf" if dirs else None
    if path is None or not path.is_file():
        raise RuntimeError("Japanese font not found: install the 'matplotlib-fontja' package (ships IPAexGothic)")
    return path


@cache
def font(size: float = 9) -> FontProperties:
    """Font properties pinned to the shipped file, so no look-up can fall back to a tofu font."""
    return FontProperties(fname=str(font_path()), size=size)


def width_in_ems(text: str) -> float:
    """Rough width of one line in ems: full-width characters count 1, others 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def half_inches_up(inches: float) -> float:
    return math.ceil(inches / _STEP) * _STEP  # see _STEP


def others_label(count: int, ja: str, en: str, how_ja: str = "合計", how_en: str = "summed") -> str:
    """The one row, bar or panel that stands for what a capped figure leaves out, e.g.
    "その他 90 圏域（合計） / 90 other areas, summed"."""
    return f"その他 {count} {ja}（{how_ja}） / {count} other {en}, {how_en}"


def top(items: list, limit: int, key) -> tuple[list, list]:
    """(shown, summarised): all items when at most `limit`, else the `limit` - 1 first by `key`
    (ties in the given order) in the given order, and the rest — summarised in the last slot, so a
    figure never has more than `limit` rows, bars or panels whatever the number of agreements."""
    if len(items) <= limit:
        return list(items), []
    ranked = sorted(range(len(items)), key=lambda i: (key(items[i]), i))
    chosen = set(ranked[:limit - 1])
    return ([x for i, x in enumerate(items) if i in chosen], [x for i, x in enumerate(items) if i not in chosen])


def shorten(text: str, ems: float) -> str:
    """`text` cut to at most `ems` (width_in_ems) with "…": labels of a fixed-size figure stay inside it."""
    if width_in_ems(text) <= ems:
        return text
    while text and width_in_ems(text) > ems - 1:
        text = text[:-1]
    return text + "…"


def text_inches(texts, size: float) -> float:
    """The width of the widest of `texts` in the shipped font at `size` points, in inches (0 for none),
    with 3 % to spare: measured on the glyphs' outlines, and the PNG's hinted glyphs run a little wider."""
    return max((text_to_path.get_text_width_height_descent(t, font(size), ismath=False)[0] for t in texts),
               default=0.0) / 72 * 1.03


def axes_at(fig: Figure, left: float, bottom: float, right: float, top: float):
    """The figure's one axes with these margins, in inches. Margins are fixed from what goes in them
    (the widest label, measured; the heights of title, ticks, axis label and legend, known) rather than
    found by matplotlib's layout engine, which drew every text of the figure once more to find them
    (a fifth of a figure's time)."""
    width, height = fig.get_size_inches()
    return fig.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height))


# Margins (inches) of the parts every figure has, from their font sizes: the title over the axes
# (11 pt, 6 pt above the axes), the count axis below (ticks, their 8 pt labels and the 9 pt axis
# label), the framework legend under it (9 pt), and the edge of the figure.
EDGE = 0.08
TITLE_MARGIN = 0.42
BELOW_AXIS = 0.45  # ticks, tick labels and the axis label under an axes
LEGEND_MARGIN = 0.35
LABEL_PAD = 3.5 / 72  # between a tick label and its axes (matplotlib's default pad)


# Fixed sizes (inches, whole half inches) and caps: a figure is as large and as quick to draw at
# 10,000 agreements as at 10. The caps count the slot of the summarised rest.
COVERAGE_SIZE = (12.0, 10.0)
COVERAGE_ROWS = 20  # partner municipalities
COVERAGE_LABEL_EMS = 20  # policy field labels (up to 37 characters) are cut to this
AREAS_SIZE = (10.0, 8.0)
AREAS_BARS = 30  # areas
AREA_LABEL_EMS = 20
NOTE_SIZE = (6.0, 1.5)


def coverage_rows(rows: list[str], columns: list[str], counts: dict[tuple[str, str], int]) -> tuple[list, list]:
    """(rows drawn, rows summed in the last one) of the coverage heatmap: the partners with the most initiatives."""
    return top(rows, COVERAGE_ROWS, lambda r: -sum(counts.get((r, c), 0) for c in columns))


def coverage_heatmap(
    rows: list[str], columns: list[str], counts: dict[tuple[str, str], int], out_stem: Path, title: str
) -> list[Path]:
    """Heatmap of initiatives: one row per partner, one column per national policy field, cell = count.
    At most COVERAGE_ROWS rows: beyond, the partners with the most initiatives (ties in the given
    order), shown in the given order, and one last row of the others' sums in grey on a scale of its
    own. Without any initiative mapped to a field (records only, or texts without their 別表) it says so."""
    if not rows and not columns and not counts:
        return note_figure(title, "政策分野に対応付けた取組がありません（No initiatives mapped to policy fields）", out_stem,
                           COVERAGE_SIZE)
    if not rows or not columns:
        raise ValueError("coverage_heatmap needs at least one row and one column")
    unknown = sorted(k for k in counts if k[0] not in rows or k[1] not in columns)
    if unknown:  # silently dropping counts would make the figure lie
        raise ValueError(f"counts for unknown row/column: {unknown}")
    shown, rest = coverage_rows(rows, columns, counts)
    grid = [[counts.get((r, c), 0) for c in columns] for r in shown]
    vmax = max(1, max(map(max, grid)))
    others = [sum(counts.get((r, c), 0) for r in rest) for c in columns]
    labels = [shorten(r, AREA_LABEL_EMS) for r in shown] + ([others_label(len(rest), "市町村", "partners")] if rest else [])
    field_labels = [shorten(c, COVERAGE_LABEL_EMS) for c in columns]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=COVERAGE_SIZE)
        # The field labels turned 45° under the grid, each ending at its column: as high as the widest
        # is wide (× √½, plus its line height), and the first ones reaching left of the grid; the colour
        # bar, its ticks and its label on the right.
        slant = [text_inches([c], 8) * math.sqrt(0.5) for c in field_labels]
        right = 1.1
        cell = (COVERAGE_SIZE[0] - text_inches(labels, 8) - right) / len(columns)  # about: left is not known yet
        left = max(text_inches(labels, 8) + LABEL_PAD, *(s - (i + 0.5) * cell for i, s in enumerate(slant))) + EDGE
        ax = axes_at(fig, left, max(slant) + 8 / 72 + LABEL_PAD + EDGE, right, TITLE_MARGIN)
        # interpolation "none": the SVG embeds the grid itself, one pixel per cell scaled by the viewer
        # (pixelated), instead of a page-sized resampled copy that took most of the figure's drawing time.
        # The cells coloured here, one colour per cell: given counts, matplotlib would colour the grid
        # after scaling it to the PNG's pixels, a colour look-up per pixel (a third of the PNG's time).
        scale = ScalarMappable(Normalize(0, vmax), "Blues")
        colours = [scale.to_rgba(numpy.asarray(grid, float), bytes=True)]
        images = [ax.imshow(colours[0], aspect="auto", interpolation="none",
                            extent=(-0.5, len(columns) - 0.5, len(shown) - 0.5, -0.5))]
        if rest:  # a sum over many partners would wash out the scale of the rows above: greys of its own
            greys = ScalarMappable(Normalize(0, max(1, max(others)) * 1.6), "Greys")
            colours.append(greys.to_rgba(numpy.asarray([others], float), bytes=True))
            images.append(ax.imshow(colours[1], aspect="auto", interpolation="none",
                                    extent=(-0.5, len(columns) - 0.5, len(shown) + 0.5, len(shown) - 0.5)))
        # In the PNG the same cells as rectangles, filled by Agg: the image would be scaled to the PNG's
        # pixels by matplotlib in floating point first (a third of the figure's time).
        cells = PolyCollection([[(x - 0.5, y - 0.5), (x + 0.5, y - 0.5), (x + 0.5, y + 0.5), (x - 0.5, y + 0.5)]
                                for y in range(len(labels)) for x in range(len(columns))],
                               facecolors=numpy.concatenate(colours).reshape(-1, 4) / 255, edgecolors="none",
                               antialiaseds=False)
        ax.add_collection(cells, autolim=False)
        ax.set_xlim(-0.5, len(columns) - 0.5)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xticks(range(len(columns)), field_labels, fontproperties=font(8),
                      rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(labels)), labels, fontproperties=font(8))
        # White grid lines between cells keep long rows readable.
        ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(labels))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="both", length=0)
        ax.spines[:].set_visible(False)
        size = 8 if len(columns) <= 24 else 6  # numbers still fit a cell of the widest vocabulary
        for y, row in enumerate(grid):
            for x, n in enumerate(row):
                if n:  # blank for 0 keeps the gaps visible at a glance
                    ax.text(x, y, str(n), ha="center", va="center", fontproperties=font(size),
                            color="white" if n > vmax / 2 else "black")
        for x, n in enumerate(others if rest else []):
            if n:
                ax.text(x, len(shown), str(n), ha="center", va="center", fontproperties=font(size))
        # The colour bar beside the grid, 0.6 of its height and 1/25 as wide (as colorbar(shrink=0.6, aspect=25)).
        x0, y0, grid_width, grid_height = ax.get_position().bounds
        bar_height = 0.6 * grid_height
        bar_width = bar_height * COVERAGE_SIZE[1] / COVERAGE_SIZE[0] / 25
        bar = fig.colorbar(scale, cax=fig.add_axes((x0 + grid_width + 0.15 / COVERAGE_SIZE[0],
                                                     y0 + (grid_height - bar_height) / 2, bar_width, bar_height)))
        ticks = count_tick_values(vmax)
        bar.set_ticks(ticks, labels=[str(t) for t in ticks], fontproperties=font(8))
        bar.set_label("取組数", fontproperties=font(9))
        axes_title(ax, title)
        return save(fig, out_stem, png_only=[cells], svg_only=images)


def area_bars(areas: list[AreaAgreements]) -> tuple[list, list]:
    """(areas drawn, areas summed in the last bar) of the area figure: most full texts, then most agreements."""
    return top(areas, AREAS_BARS, lambda a: (-a.full_texts, -(a.full_texts + a.records)))


def area_figure(areas: list[AreaAgreements], out_stem: Path, title: str) -> list[Path]:
    """One horizontal bar per area (top to bottom in the given order): its agreements held as full texts
    (solid, the framework's colour) and as registry records only (hatched, light). At most AREAS_BARS
    bars: beyond, the areas with the most full texts, then the most agreements, and one last row where
    the others' sums are written (a bar of them would dwarf every other). Each area's core city, partners and agreements are on its own page of the
    site. A note when the data have no area."""
    if not areas:
        return note_figure(title, "圏域の協約がありません（No agreements with an area in the data）", out_stem, AREAS_SIZE)
    if any(a.full_texts < 0 or a.records < 0 for a in areas):
        raise ValueError("area_figure: negative agreement count")
    shown, rest = area_bars(areas)
    vmax = max(1, max(a.full_texts + a.records for a in shown))
    record_style = {"facecolor": "#f4f4f4", "edgecolor": "#7f7f7f", "hatch": "////", "linewidth": 0.6}
    names = [shorten(a.name, AREA_LABEL_EMS) for a in shown]
    if rest:
        names.append(others_label(len(rest), "圏域", "areas"))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=AREAS_SIZE)
        ax = bar_axes(fig, names)
        ys = list(range(len(shown)))
        ax.barh(ys, [a.full_texts for a in shown], height=0.62, color=[framework_color(a.framework) for a in shown])
        ax.barh(ys, [a.records for a in shown], left=[a.full_texts for a in shown], height=0.62, **record_style)
        for y, area in zip(ys, shown):
            ax.text(area.full_texts + area.records + vmax * 0.015, y, f"全文 {area.full_texts}・登録 {area.records}",
                    va="center", fontproperties=font(7.5), color="#333333")
        if rest:  # written, not drawn: a bar of the others' sum would dwarf every bar above it
            ax.text(vmax * 0.015, len(shown), f"全文 {sum(a.full_texts for a in rest)}・登録 {sum(a.records for a in rest)}",
                    va="center", fontproperties=font(7.5), color="#333333")
        ys = list(range(len(names)))
        ax.set_yticks(ys, names, fontproperties=font(8.5))
        ax.set_ylim(AREAS_BARS - 0.5, -0.5)  # the same bar height whatever the number of areas
        ax.set_xlim(0, vmax * 1.35)  # room for the notes beside the longest bar
        count_ticks(ax.xaxis, vmax * 1.35)
        ax.set_xlabel("協約数（件）", fontproperties=font(9))
        ax.tick_params(axis="y", length=0)
        ax.spines[["top", "right"]].set_visible(False)
        framework_legend(fig, {a.framework for a in shown},
                         [Patch(label="登録情報のみ (record only)", **record_style)])
        axes_title(ax, title)
        return save(fig, out_stem)


def axes_title(ax, title: str) -> None:
    """The figure's title over its one axes. At y=1 given, not left to matplotlib: placing it itself
    measures every tick label of the axes at each draw (a tenth of a figure's drawing time) to find
    what it would overlap, and on these figures, whose ticks are below and beside, nothing does."""
    ax.set_title(title, fontproperties=font(11), y=1.0)


def bar_axes(fig: Figure, labels: list[str]):
    """The axes of a figure of horizontal bars labelled `labels` (8.5 pt), a count axis below and the legend."""
    return axes_at(fig, text_inches(labels, 8.5) + LABEL_PAD + EDGE, BELOW_AXIS + LEGEND_MARGIN + EDGE, 0.25,
                   TITLE_MARGIN)


def framework_order(frameworks) -> list[str | None]:
    """The frameworks present: the known two in their fixed order, then any others by name."""
    return ([f for f in FRAMEWORKS if f in frameworks]
            + sorted((f for f in frameworks if f not in FRAMEWORKS), key=lambda f: (f is None, f or "")))


def framework_label(framework: str | None) -> str:
    return FRAMEWORKS.get(framework, framework or "枠組不明")


def framework_color(framework: str | None) -> str:
    return _FRAMEWORK_COLOR.get(framework, OTHER_COLOR)


def framework_legend(fig: Figure, frameworks, extra: list | None = None) -> None:
    """The colour key of the frameworks present (plus `extra` handles), below the figure."""
    handles = [Patch(color=framework_color(f), label=framework_label(f)) for f in framework_order(frameworks)]
    handles += extra or []
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, EDGE / fig.get_size_inches()[1]),
               ncols=len(handles), prop=font(9), frameon=False, borderaxespad=0)


def count_ticks(axis, top: float, size: float = 8) -> None:
    """Whole-number ticks from 0 to `top`, labelled in the shipped font (no fallback font in the SVG)."""
    ticks = count_tick_values(top)
    axis.set_ticks(ticks, labels=[str(t) for t in ticks], fontproperties=font(size))


def count_tick_values(top: float) -> list[int]:
    """The whole numbers from 0 to `top` a count axis is labelled with (matplotlib's choice of steps)."""
    return [int(t) for t in MaxNLocator(integer=True, nbins=5).tick_values(0, top) if 0 <= t <= top]


def note_figure(title: str, note: str, out_stem: Path, size: tuple[float, float] = NOTE_SIZE) -> list[Path]:
    """A figure that only says why there is nothing to draw, at the size the figure has when there is."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, note, ha="center", va="center", fontproperties=font(9), color="#555555")
        ax.axis("off")
        fig.suptitle(title, fontproperties=font(12))
        return save(fig, out_stem)


def save(fig: Figure, out_stem: Path, png_only=(), svg_only=()) -> list[Path]:
    """The figure as out_stem.png and out_stem.svg, each written atomically; the artists `png_only` are
    drawn in the PNG only, `svg_only` in the SVG only (one thing drawn the way each format draws it best)."""
    FigureCanvasAgg(fig)  # Agg canvas, never a GUI backend, whatever matplotlib's default is
    # No layout engine (margins are fixed: axes_at): one would draw the whole figure once more before
    # each file; and a placeholder engine ("none") makes savefig do so too.
    if fig.get_layout_engine() is not None:
        raise ValueError("save: figures are laid out by axes_at, not by a layout engine")
    out_stem = Path(out_stem)
    out_stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    # No metadata that varies between runs (SVG date, PNG software version).
    for suffix, write, shown, hidden in (
            (".png", lambda f: f.write(png_bytes(fig)), png_only, svg_only),
            (".svg", lambda f: fig.savefig(f, format="svg", dpi=DPI, metadata={"Date": None}), svg_only, png_only)):
        for artist in shown:
            artist.set_visible(True)
        for artist in hidden:
            artist.set_visible(False)
        path = out_stem.with_name(out_stem.name + suffix)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:  # write beside the target, then rename: readers never see half a file
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; figures are meant to be published
            os.replace(tmp, path)
        except BaseException as e:
            Path(tmp).unlink(missing_ok=True)
            name_unnamed(e, path)
            raise
        paths.append(path)
    return paths


def png_bytes(fig: Figure) -> bytes:
    """The figure drawn once on its Agg canvas at DPI, as an RGB PNG (the figures are opaque) whose rows
    are not filtered: on these flat-coloured figures as small as PIL's adaptive filters, which took most
    of the time of writing the PNG. Only IHDR, pHYs (the dpi), IDAT and IEND: nothing varies between runs."""
    fig.set_dpi(DPI)
    fig.canvas.draw()
    rgba = numpy.asarray(fig.canvas.buffer_rgba())
    if (rgba[..., 3] != 255).any():  # dropping alpha would turn a transparent pixel black
        raise ValueError("png_bytes draws opaque figures only")
    height, width = rgba.shape[:2]
    rows = numpy.zeros((height, 1 + 3 * width), numpy.uint8)  # each row: filter type 0 (none), then RGB
    rows[:, 1:] = rgba[..., :3].reshape(height, 3 * width)
    per_metre = round(DPI / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 3)) + chunk(b"IEND", b""))
