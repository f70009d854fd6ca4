"""Three figures of the national registry for the report (publish.report): agreements per year and
framework, area sizes, area growth (members joining and ending) — drawn as publish.figures draws every figure (plain Python
values in, PNG + SVG files out, byte-for-byte deterministic)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import offset_copy

from .figures import (
    BELOW_AXIS,
    EDGE,
    LABEL_PAD,
    LEGEND_MARGIN,
    OTHER_COLOR,
    RC,
    TITLE_MARGIN,
    axes_at,
    axes_title,
    bar_axes,
    count_tick_values,
    count_ticks,
    font,
    framework_color,
    framework_legend,
    framework_order,
    note_figure,
    others_label,
    save,
    shorten,
    text_inches,
    top,
    width_in_ems,
)

UNDATED = "日付不明"
# Fixed sizes (inches) and caps, as in publish.figures: the same figure at any number of agreements.
PER_YEAR_SIZE = (9.0, 3.5)
SIZES_SIZE = (9.0, 10.0)
SIZES_BARS = 30  # areas, the summarised rest included
GROWTH_SIZE = (12.5, 10.5)
GROWTH_COLUMNS, GROWTH_ROWS = 4, 5  # panels: areas, the summarised rest included
NAME_EMS = 24  # area names cut to this in the bar labels


@dataclass(frozen=True)
class AreaSize:
    name: str
    framework: str | None
    listed: int  # members in the data, the core city included
    stated: int | None  # the total the sources state, None when they state none


@dataclass(frozen=True)
class AreaGrowth:
    name: str
    framework: str | None
    # (ISO date a member joined or stopped, the members after it: joined on or before it and not ended)
    steps: list[tuple[str, int]]
    undated: int  # members without a joining date (the core city among them): not in the steps
    ends: tuple[str, ...] = ()  # the steps' dates on which a member stopped being one (drawn apart)


def agreements_per_year(counts: dict[tuple[int | None, str | None], int], out_stem: Path, title: str) -> list[Path]:
    """Stacked bars of agreements per year of their date, one colour per framework. Every year from the
    first to the last gets a slot (a year without agreements shows as a gap); the undated agreements
    (year None) get a last bar of their own, 日付不明, set apart, so they are shown and not dropped."""
    if not counts:
        raise ValueError("agreements_per_year needs at least one count")
    if any(n < 0 for n in counts.values()):
        raise ValueError(f"negative counts: {sorted((k, n) for k, n in counts.items() if n < 0)}")
    years = sorted({y for y, _ in counts if y is not None})
    x: dict[int | None, float] = {y: i for i, y in enumerate(range(years[0], years[-1] + 1))} if years else {}
    if any(y is None for y, _ in counts):
        x[None] = len(x) + 0.6 if x else 0  # a wider gap before the 日付不明 bar
    totals = {y: sum(n for (year, _), n in counts.items() if year == y) for y in x}
    top = max(1, max(totals.values())) * 1.12  # room for the totals above the bars
    labels = [UNDATED if y is None else str(y) for y in x]
    upright = len(x) <= 20  # every year labelled: upright while they fit side by side, turned a quarter beyond
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=PER_YEAR_SIZE)
        # Left: the count labels and the axis label turned; below: the year labels (their width when
        # turned), the axis label and the legend.
        count_labels = [str(t) for t in count_tick_values(top)]
        below = (8 / 72 * 1.2 if upright else text_inches(labels, 8)) + BELOW_AXIS - 8 / 72 * 1.2
        ax = axes_at(fig, text_inches(count_labels, 8) + 2 * LABEL_PAD + 0.25 + EDGE,
                     below + LEGEND_MARGIN + EDGE, 0.15, TITLE_MARGIN)
        bottom = dict.fromkeys(x, 0)
        for framework in framework_order({f for _, f in counts}):
            heights = [counts.get((y, framework), 0) for y in x]
            ax.bar(list(x.values()), heights, bottom=[bottom[y] for y in x], width=0.7,
                   color=framework_color(framework), edgecolor="white", linewidth=0.5)
            for y, n in zip(x, heights):
                bottom[y] += n
        for y, total in totals.items():
            if total:  # no "0" over an empty year: the gap says it
                ax.text(x[y], total, str(total), ha="center", va="bottom", fontproperties=font(8))
        if None in x and len(x) > 1:
            ax.axvline((x[None] + len(x) - 2) / 2, color="#bbbbbb", linewidth=0.8, linestyle=":")
        ax.set_xticks(list(x.values()), labels, fontproperties=font(8), rotation=0 if upright else 90)
        ax.set_xlim(min(x.values()) - 0.6, max(x.values()) + 0.6)
        ax.set_ylim(0, top)
        count_ticks(ax.yaxis, top)
        ax.set_ylabel("協約数（件）", fontproperties=font(9))
        ax.set_xlabel("協約の日付（年）", fontproperties=font(9))
        ax.tick_params(axis="x", length=0)
        ax.spines[["top", "right"]].set_visible(False)
        framework_legend(fig, {f for _, f in counts})
        axes_title(ax, title)
        return save(fig, out_stem)


def _differs(area: AreaSize) -> bool:
    return area.stated is not None and area.stated != area.listed


def size_bars(areas: list[AreaSize]) -> tuple[list, list]:
    """(areas drawn, areas in the last bar's range) of area_sizes: totals that differ first, then the largest."""
    return top(areas, SIZES_BARS, lambda a: (not _differs(a), -a.listed))


def area_sizes(areas: list[AreaSize], out_stem: Path, title: str) -> list[Path]:
    """One horizontal bar per area (top to bottom in the given order): the members listed, the core city
    included, coloured by framework. Where the sources state a different total it is drawn as a dashed
    red frame from 0 to that total and written beside the bar; an area whose sources state no total
    says so. At most SIZES_BARS bars: beyond, the areas whose stated total differs, then the largest,
    and one last grey range from the smallest to the largest of the others."""
    if not areas:
        raise ValueError("area_sizes needs at least one area")
    if any(a.listed < 0 or (a.stated is not None and a.stated < 0) for a in areas):
        raise ValueError("area_sizes: negative member count")
    shown, rest = size_bars(areas)
    vmax = max(1, max(max(a.listed, a.stated or 0) for a in areas))
    differs = {"fill": False, "edgecolor": "#c00000", "linestyle": (0, (3, 2)), "linewidth": 1.2}
    labels = [shorten(a.name, NAME_EMS) for a in shown]
    if rest:
        labels.append(others_label(len(rest), "圏域", "areas", "最小〜最大", "smallest to largest"))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=SIZES_SIZE)
        ax = bar_axes(fig, labels)
        ys = list(range(len(shown)))
        ax.barh(ys, [a.listed for a in shown], height=0.62, color=[framework_color(a.framework) for a in shown])
        for y, area in zip(ys, shown):
            if area.stated is None:
                note = f"{area.listed}（総数の記載なし）"
            elif _differs(area):
                ax.barh(y, area.stated, height=0.84, zorder=3, **differs)
                note = f"{area.listed}（記載の総数 {area.stated}）"
            else:
                note = str(area.listed)
            ax.text(max(area.listed, area.stated or 0) + vmax * 0.015, y, note, va="center", fontproperties=font(7.5),
                    color="#c00000" if _differs(area) else "#333333")
        if rest:  # the others' range: a sum of sizes would be no area's size
            low, high = min(a.listed for a in rest), max(a.listed for a in rest)
            ax.plot([low, high], [len(shown), len(shown)], color=OTHER_COLOR, linewidth=3, marker="|", markersize=9,
                    markeredgewidth=1.6)  # a range marker: visible even when all the others have one size
            ax.text(high + vmax * 0.015, len(shown), f"{low}〜{high}" if low != high else str(low), va="center",
                    fontproperties=font(7.5), color="#333333")
        ax.set_yticks(range(len(labels)), labels, fontproperties=font(8.5))
        ax.set_ylim(SIZES_BARS - 0.5, -0.5)  # first area on top; the same bar height whatever the number of areas
        ax.set_xlim(0, vmax * 1.4)  # room for the notes beside the longest bar
        count_ticks(ax.xaxis, vmax * 1.4)
        ax.set_xlabel("構成市町村数（中心市を含む）", fontproperties=font(9))
        ax.tick_params(axis="y", length=0)
        ax.spines[["top", "right"]].set_visible(False)
        mismatch = any(_differs(a) for a in shown)
        framework_legend(fig, {a.framework for a in shown},
                          [Patch(label="資料に記載の総数（一覧と異なる場合）", **differs)] if mismatch else [])
        axes_title(ax, title)
        return save(fig, out_stem)


def _year(iso: str) -> float:
    """An ISO date as a fractional year (2016-07-02 → 2016.5): a plain number axis, ticks at whole years."""
    d = date.fromisoformat(iso)
    start = date(d.year, 1, 1)
    return d.year + (d - start).days / (date(d.year + 1, 1, 1) - start).days


def _summed_steps(areas: list[AreaGrowth]) -> list[tuple[str, int]]:
    """The running total of dated members of several areas together, as one area's steps (an end is a
    step down in its area, and so in the sum)."""
    joined: dict[str, int] = {}
    for area in areas:
        before = 0
        for day, members in area.steps:
            joined[day] = joined.get(day, 0) + members - before
            before = members
    total, steps = 0, []
    for day in sorted(joined):
        total += joined[day]
        steps.append((day, total))
    return steps


def growth_panels(areas: list[AreaGrowth]) -> tuple[list, list]:
    """(areas drawn, areas summed in the last panel) of area_growth: the most dated members at the end."""
    return top(areas, GROWTH_COLUMNS * GROWTH_ROWS, lambda a: -a.steps[-1][1] if a.steps else 0)


# The growth grid is drawn in one axes, each panel a unit square of it offset by its column and row
# (gaps in panel widths/heights): one axes instead of twenty keeps it under a second, ticks and all.
_GROWTH_AXES = (0.7, 0.65, 0.45, 0.55)  # inches left, bottom, right, top of the figure around the grid
_GROWTH_GAP = (0.3, 0.4)  # between panels: horizontal, vertical (fractions of a panel)
_TICK_POINTS = 3.5  # length of a major tick, as matplotlib's default


def area_growth(areas: list[AreaGrowth], out_stem: Path, title: str) -> list[Path]:
    """Small multiples, one panel per area with dated members (titled with its name, same axes in all):
    a step line of the members over time — up where members join (their agreements), down where they
    stop (their agreements end) —, a dot on each date a member joined, an open triangle pointing down
    on each date one stopped, and the number of members without a joining date written in the panel. One panel per area rather than all lines in
    one plot: areas of the same size would draw the same flat line on top of each other. At most
    GROWTH_COLUMNS × GROWTH_ROWS panels: beyond, the areas with the most dated members, and a last grey
    panel of the others' running total together, on a count axis of its own. Without any area (data
    with no joining dates, e.g. built without the registry) the figure says so."""
    if not areas:
        return note_figure(title, "日付のある加入の記録がありません（No dated members in the data）", out_stem, GROWTH_SIZE)
    for area in areas:
        if not area.steps:
            raise ValueError(f"{area.name}: no dated member to draw")
        if [d for d, _ in area.steps] != sorted({d for d, _ in area.steps}):
            raise ValueError(f"{area.name}: steps are not in date order")
    shown, rest = growth_panels(areas)
    panels = [(a.name, framework_color(a.framework), a.steps, a.undated, set(a.ends)) for a in shown]
    if rest:
        panels.append((others_label(len(rest), "圏域", "areas"), OTHER_COLOR, _summed_steps(rest),
                       sum(a.undated for a in rest), {d for a in rest for d in a.ends}))
    first = min(date.fromisoformat(a.steps[0][0]).year for a in areas)
    last = max(date.fromisoformat(a.steps[-1][0]).year for a in areas) + 1
    step = max(1, math.ceil((last - first) / 4))
    years = list(range(first, last + 1, step))
    ymax = max(1, max(n for a in shown for _, n in a.steps)) * 1.2
    ncols, (gap_x, gap_y) = GROWTH_COLUMNS, _GROWTH_GAP
    left, bottom, right, top_margin = _GROWTH_AXES
    width, height = GROWTH_SIZE[0] - left - right, GROWTH_SIZE[1] - bottom - top_margin
    span_x, span_y = ncols + (ncols - 1) * gap_x, GROWTH_ROWS + (GROWTH_ROWS - 1) * gap_y
    # A tick's length in panel units: the axes' inches per unit are fixed by the figure's size.
    tick_x, tick_y = (_TICK_POINTS / 72 * span_x / width, _TICK_POINTS / 72 * span_y / height)
    spines, ticks, grid = [], [], []
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=GROWTH_SIZE)
        ax = fig.add_axes((left / GROWTH_SIZE[0], bottom / GROWTH_SIZE[1], width / GROWTH_SIZE[0], height / GROWTH_SIZE[1]))
        ax.set_xlim(0, span_x)
        ax.set_ylim(0, span_y)
        ax.set_axis_off()
        below, beside, above = (offset_copy(ax.transData, fig, x=x, y=y, units="points")
                                for x, y in ((0, -_TICK_POINTS - 2), (-_TICK_POINTS - 2, 0), (3, 0)))
        for i, (name, color, steps, undated, ends) in enumerate(panels):
            summed = rest and i == len(shown)
            x0, y0 = (i % ncols) * (1 + gap_x), (GROWTH_ROWS - 1 - i // ncols) * (1 + gap_y)
            top_count = max(1, steps[-1][1]) * 1.2 if summed else ymax

            def at(year: float, count: float) -> tuple[float, float]:
                return x0 + (year - first) / (last - first), y0 + count / top_count  # noqa: B023 (used in the loop)

            points = [at(_year(d), n) for d, n in steps]
            line = [at(first, 0), *points, at(last, steps[-1][1])]
            ax.plot([x for x, _ in line], [y for _, y in line], drawstyle="steps-post", color=color, linewidth=1.6)
            joins = [p for (d, _), p in zip(steps, points) if d not in ends]
            stops = [p for (d, _), p in zip(steps, points) if d in ends]
            if joins:
                ax.plot([x for x, _ in joins], [y for _, y in joins], "o", color=color, markersize=3)
            if stops:
                ax.plot([x for x, _ in stops], [y for _, y in stops], "v", color=color, markersize=5,
                        markerfacecolor="white", markeredgewidth=1.2)
            spines += [[(x0, y0), (x0 + 1, y0)], [(x0, y0), (x0, y0 + 1)]]
            ticks += [[at(y, 0), (at(y, 0)[0], y0 - tick_y)] for y in years]
            ticks += [[at(y, 0), (at(y, 0)[0], y0 - tick_y / 1.75)] for y in range(first, last + 1)]  # minor: each year
            counts = count_tick_values(top_count)
            ticks += [[(x0, at(first, n)[1]), (x0 - tick_x, at(first, n)[1])] for n in counts]
            grid += [[(x0, at(first, n)[1]), (x0 + 1, at(first, n)[1])] for n in counts]
            # Labels on the outer panels only: the axes are the same everywhere (but the summed panel's counts).
            if i + ncols >= len(panels):
                for y in years:
                    ax.text(*at(y, 0), str(y), transform=below, ha="center", va="top", fontproperties=font(7))
            if i % ncols == 0 or summed:
                for n in counts:
                    ax.text(*at(first, n), str(n), transform=beside, ha="right", va="center", fontproperties=font(7))
            ax.text(*at(last, steps[-1][1]), str(steps[-1][1]), transform=above, ha="left", va="center",
                    fontproperties=font(7.5))
            if undated:
                ax.text(x0 + 0.03, y0 + 0.95, f"{UNDATED} {undated}", ha="left", va="top", fontproperties=font(7),
                        color="#555555")
            # A long name in a smaller font, so that it stays over its panel.
            ax.text(x0 + 0.5, y0 + 1 + tick_y, name, ha="center", va="bottom",
                    fontproperties=font(min(8.5, 190 / max(1.0, width_in_ems(name)))))
        ax.add_collection(LineCollection(grid, colors="#e6e6e6", linewidths=0.6, zorder=0.5))
        ax.add_collection(LineCollection(spines + ticks, colors="black", linewidths=0.8, zorder=2.5))
        ended = any(ends for *_, ends in panels)
        framework_legend(fig, {a.framework for a in shown},
                         [Line2D([], [], linestyle="none", marker="v", markersize=6, color="#333333",
                                 markerfacecolor="white", label="終了（構成市町村でなくなった日）")] if ended else [])
        fig.text(0.15 / GROWTH_SIZE[0], 0.5, "日付のある構成市町村（加入の累計 − 終了）", rotation=90, ha="left",
                 va="center", fontproperties=font(9))
        fig.text(0.5, 1 - 0.12 / GROWTH_SIZE[1], title, ha="center", va="top", fontproperties=font(12))
        return save(fig, out_stem)
