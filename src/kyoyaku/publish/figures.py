"""Figures for the report: a coverage heatmap and one diagram per partnership area, and what every
figure shares — size, fonts, framework colours, saving (the registry's figures: publish.registry_figures).

Pure functions: plain Python values in, PNG + SVG files out. The output is byte-for-byte
deterministic (fixed size and dpi, no timestamps, a fixed SVG id salt) so regenerated figures
only show up in a diff when the data changed. Japanese text is drawn with IPAexGothic from the
`matplotlib-fontja` wheel, loaded by file, so a machine without system CJK fonts still renders
real glyphs; SVG text is converted to paths so the SVG views without the font.
"""

from __future__ import annotations

import importlib.util
import math
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.ticker import MaxNLocator

from ..outputs import name_unnamed

DPI = 150
# Figure sizes are rounded up to half inches: exact in binary and a whole 75 px at 150 dpi,
# so the PNG is exactly inches * DPI pixels.
_STEP = 0.5
RC = {"svg.hashsalt": "kyoyaku", "svg.fonttype": "path"}
FRAMEWORKS = {"renkei-chusu": "連携中枢都市圏", "teiju-jiritsu": "定住自立圏"}
# One colour per framework in every figure: dark blue and orange also differ in greyscale.
_FRAMEWORK_COLOR = {"renkei-chusu": "#1f4e79", "teiju-jiritsu": "#e08a3c"}
_OTHER_COLOR = "#9e9e9e"  # an agreement or area without a (known) framework
# Edge style by `full_text`: colour and dashes both differ, so the figure also reads in greyscale.
_EDGE = {True: {"color": "#1f4e79", "linestyle": "-", "linewidth": 1.4},
         False: {"color": "#7f7f7f", "linestyle": (0, (4, 3)), "linewidth": 1.4}}


@dataclass(frozen=True)
class AreaEdge:
    core: str  # municipality name
    partner: str
    full_text: bool
    date: str | None  # ISO date, shown small on the edge if given


@dataclass(frozen=True)
class Area:
    name: str  # e.g. いばらき県央地域連携中枢都市圏
    framework: str  # "renkei-chusu" | "teiju-jiritsu"
    cores: list[str]
    members: list[str]  # partners (not the cores)
    edges: list[AreaEdge]


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


def _heatmap_size(rows: list[str], columns: list[str]) -> tuple[float, float]:
    em = 9 / 72
    # Column labels stay on one line (Japanese has no spaces to wrap at) and are rotated 45°.
    col_label = max(width_in_ems(c) for c in columns) * em * 0.71 + 0.3
    row_label = max(width_in_ems(r) for r in rows) * em + 0.3
    width = max(row_label, col_label) + 0.55 * len(columns) + 1.4
    height = 0.8 + 0.4 * len(rows) + col_label
    return half_inches_up(max(width, 4)), half_inches_up(max(height, 3))


def coverage_heatmap(
    rows: list[str], columns: list[str], counts: dict[tuple[str, str], int], out_stem: Path, title: str
) -> list[Path]:
    """Heatmap of initiatives: one row per partner, one column per national policy field, cell = count.
    Without any initiative mapped to a field (records only, or texts without their 別表) it says so."""
    if not rows and not columns and not counts:
        return note_figure(title, "政策分野に対応付けた取組がありません（No initiatives mapped to policy fields）", out_stem)
    if not rows or not columns:
        raise ValueError("coverage_heatmap needs at least one row and one column")
    unknown = sorted(k for k in counts if k[0] not in rows or k[1] not in columns)
    if unknown:  # silently dropping counts would make the figure lie
        raise ValueError(f"counts for unknown row/column: {unknown}")
    grid = [[counts.get((r, c), 0) for c in columns] for r in rows]
    vmax = max(1, max(map(max, grid)))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=_heatmap_size(rows, columns), layout="constrained")
        ax = fig.add_subplot()
        image = ax.imshow(grid, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
        ax.set_xticks(range(len(columns)), columns, fontproperties=font(9),
                      rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(rows)), rows, fontproperties=font(9))
        # White grid lines between cells keep long rows readable.
        ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="both", length=0)
        ax.spines[:].set_visible(False)
        for y, row in enumerate(grid):
            for x, n in enumerate(row):
                if n:  # blank for 0 keeps the gaps visible at a glance
                    ax.text(x, y, str(n), ha="center", va="center", fontproperties=font(9),
                            color="white" if n > vmax / 2 else "black")
        bar = fig.colorbar(image, ax=ax, shrink=min(1.0, 3 / len(rows) + 0.3), aspect=15)
        ticks = [t for t in MaxNLocator(integer=True, nbins=5).tick_values(0, vmax) if 0 <= t <= vmax]
        bar.set_ticks(ticks, labels=[str(int(t)) for t in ticks], fontproperties=font(8))
        bar.set_label("取組数", fontproperties=font(9))
        ax.set_title(title, fontproperties=font(11))
        return save(fig, out_stem)


def _area_size(areas: list[Area]) -> tuple[tuple[float, float], int, int]:
    ncols = min(len(areas), 2)
    nrows = math.ceil(len(areas) / ncols)
    # The partner ring needs roughly one label width per partner around its circumference.
    biggest = max(len(a.members) for a in areas)
    panel = max(4.5, biggest * 0.95 / math.pi + 2.2)
    return (half_inches_up(panel * ncols), half_inches_up(panel * nrows + 0.9)), nrows, ncols


def _positions(area: Area) -> dict[str, tuple[float, float]]:
    pos = {}
    for i, core in enumerate(area.cores):  # cores side by side on a short line through the centre
        pos[core] = (0.32 * (i - (len(area.cores) - 1) / 2), 0.0)
    for i, member in enumerate(area.members):  # partners clockwise from 12 o'clock, in given order
        angle = math.pi / 2 - 2 * math.pi * i / len(area.members)
        pos[member] = (math.cos(angle), math.sin(angle))
    return pos


def _edge_label(ax, p1: tuple[float, float], p2: tuple[float, float], rad: float, text: str) -> None:
    """Write `text` along the edge, at t=0.62 of its arc3 quadratic Bézier (control point as matplotlib's)."""
    (x1, y1), (x2, y2) = p1, p2
    cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
    t = 0.62  # nearer the partner than the core, where edges are further apart
    x = (1 - t) ** 2 * x1 + 2 * t * (1 - t) * cx + t * t * x2
    y = (1 - t) ** 2 * y1 + 2 * t * (1 - t) * cy + t * t * y2
    # Along the tangent, so labels of neighbouring and parallel edges sit side by side, not on top.
    angle = math.degrees(math.atan2((1 - t) * (cy - y1) + t * (y2 - cy), (1 - t) * (cx - x1) + t * (x2 - cx)))
    angle = 90 - (90 - angle) % 180  # keep the text upright: fold into (-90°, 90°]
    ax.text(x, y, text, ha="center", va="center", rotation=angle, rotation_mode="anchor", fontproperties=font(6),
            color="#333333", zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})


def _panel(ax, area: Area) -> None:
    pos = _positions(area)
    seen: dict[tuple[str, str], int] = {}
    for edge in area.edges:
        if edge.core not in area.cores or edge.partner not in area.members:
            raise ValueError(f"{area.name}: edge {edge.core}–{edge.partner} is not core–member")
        # Several agreements between the same pair (e.g. amendments) fan out as arcs.
        k = seen[(edge.core, edge.partner)] = seen.get((edge.core, edge.partner), -1) + 1
        rad = 0.0 if k == 0 else 0.25 * math.ceil(k / 2) * (1 if k % 2 else -1)
        (x1, y1), (x2, y2) = pos[edge.core], pos[edge.partner]
        ax.add_patch(FancyArrowPatch((x1, y1), (x2, y2), arrowstyle="-", connectionstyle=f"arc3,rad={rad}",
                                     zorder=1, **_EDGE[edge.full_text]))
        if edge.date:
            _edge_label(ax, (x1, y1), (x2, y2), rad, edge.date)
    for name, (x, y) in pos.items():
        core = name in area.cores
        ax.text(x, y, name, ha="center", va="center", fontproperties=font(10 if core else 8.5), zorder=4,
                color="white" if core else "black",
                bbox={"boxstyle": "round,pad=0.35", "fc": "#1f4e79" if core else "#eef3f8", "ec": "#1f4e79"})
    label = FRAMEWORKS.get(area.framework, area.framework)
    ax.set_title(f"{area.name}\n{label}・協約 {len(area.edges)} 件", fontproperties=font(10))
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.25, 1.25)
    ax.set_aspect("equal")
    ax.axis("off")


def area_figure(areas: list[Area], out_stem: Path, title: str) -> list[Path]:
    """One panel per area: cores in the middle, partners on a ring, one edge per agreement; a note
    when the data have no area."""
    if not areas:
        return note_figure(title, "圏域の協約がありません（No agreements with an area in the data）", out_stem)
    size, nrows, ncols = _area_size(areas)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=size, layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, area in zip(axes, areas):
            _panel(ax, area)
        for ax in axes[len(areas):]:
            ax.axis("off")
        legend = [Line2D([], [], label="全文 (full text)", **_EDGE[True]),
                  Line2D([], [], label="登録情報のみ (record only)", **_EDGE[False])]
        fig.legend(handles=legend, loc="outside lower center", ncols=2, prop=font(9), frameon=False)
        fig.suptitle(title, fontproperties=font(12))
        return save(fig, out_stem)

def framework_order(frameworks) -> list[str | None]:
    """The frameworks present: the known two in their fixed order, then any others by name."""
    return ([f for f in FRAMEWORKS if f in frameworks]
            + sorted((f for f in frameworks if f not in FRAMEWORKS), key=lambda f: (f is None, f or "")))


def framework_label(framework: str | None) -> str:
    return FRAMEWORKS.get(framework, framework or "枠組不明")


def framework_color(framework: str | None) -> str:
    return _FRAMEWORK_COLOR.get(framework, _OTHER_COLOR)


def framework_legend(fig: Figure, frameworks, extra: list | None = None) -> None:
    """The colour key of the frameworks present (plus `extra` handles), below the figure."""
    handles = [Patch(color=framework_color(f), label=framework_label(f)) for f in framework_order(frameworks)]
    handles += extra or []
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), prop=font(9), frameon=False)


def count_ticks(axis, top: float, size: float = 8) -> None:
    """Whole-number ticks from 0 to `top`, labelled in the shipped font (no fallback font in the SVG)."""
    ticks = [t for t in MaxNLocator(integer=True, nbins=5).tick_values(0, top) if 0 <= t <= top]
    axis.set_ticks(ticks, labels=[str(int(t)) for t in ticks], fontproperties=font(size))


def note_figure(title: str, note: str, out_stem: Path) -> list[Path]:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(6.0, 1.5), layout="constrained")
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, note, ha="center", va="center", fontproperties=font(9), color="#555555")
        ax.axis("off")
        fig.suptitle(title, fontproperties=font(12))
        return save(fig, out_stem)


def save(fig: Figure, out_stem: Path) -> list[Path]:
    FigureCanvasAgg(fig)  # Agg canvas, never a GUI backend, whatever matplotlib's default is
    out_stem = Path(out_stem)
    out_stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    # Drop the metadata that varies between runs (SVG date, PNG software version).
    for suffix, metadata in ((".png", {"Software": None}), (".svg", {"Date": None})):
        path = out_stem.with_name(out_stem.name + suffix)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:  # write beside the target, then rename: readers never see half a file
            with os.fdopen(fd, "wb") as f:
                fig.savefig(f, format=suffix[1:], dpi=DPI, metadata=metadata)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; figures are meant to be published
            os.replace(tmp, path)
        except BaseException as e:
            Path(tmp).unlink(missing_ok=True)
            name_unnamed(e, path)
            raise
        paths.append(path)
    return paths
