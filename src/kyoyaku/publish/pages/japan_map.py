"""Maps of Japan on the site (publish.pages): on an area's page the prefectures of its members, on the
front page how many areas have a member in each prefecture — inline SVG drawn at build time.

Why prefectures and not municipalities: no maintained package reachable here ships municipality
coordinates or boundaries with a stated official source (japandata downloads its maps at run time,
jpgeocode's 2019 points state no source, reversejp only answers point look-ups), and kyoyaku does not
invent coordinates. japanmap ships the 47 prefectures' outlines (longitude, latitude; Apache License
2.0): each prefecture's main area, the one with its capital — outlying islands are not in it. A member
is placed in a prefecture by the first two digits of its 団体コード (or, without a code, by its
prefecture's name); a member with neither is listed under the map as not drawn, never guessed.

Deterministic: a fixed projection, coordinates rounded to 0.1 of the viewBox, points thinned by
distance in file order, prefectures in code order."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata, resources

from .html import e
from .language import both, english, t

PACKAGE = "japanmap"
# The fixed projection: equirectangular, longitude scaled by the cosine of 36°N (the middle of Honshu),
# SCALE viewBox units per degree of latitude, the box from WEST..EAST and SOUTH..NORTH: the main areas of
# the 47 prefectures, Okinawa's main island moved by OKINAWA_SHIFT (degrees east, north) into a framed
# inset south-west of Kyushu, as maps of Japan usually place it, so the map is not half sea.
WEST, EAST, SOUTH, NORTH = 129.3, 146.1, 29.1, 45.7
OKINAWA, OKINAWA_SHIFT = "47", (2.6, 3.3)
SCALE = 20.0
_X_SCALE = SCALE * math.cos(math.radians(36.0))
WIDTH, HEIGHT = round((EAST - WEST) * _X_SCALE), round((NORTH - SOUTH) * SCALE)
DISPLAY = 1.6  # the SVG's width and height attributes: this times the viewBox (CSS shrinks it to the column)
THIN = 1.2  # a point nearer than this (viewBox units) to the last one kept is dropped: the front page stays light
SHADES = ("#eef1f4", "#b9d3ea", "#6fa3cf", "#1f4e79")  # none, 1, 2–3, 4 or more (the front page's legend)

SOURCE_JA = ("都道府県の輪郭: japanmap {version} の同梱データ（Apache License 2.0、"
             "各都道府県の県庁所在地を含む主な区域のみ・簡略化、沖縄県は枠内に移動）。都道府県は団体コードの上 2 桁による。"
             "市町村ごとの位置は描いていません（出典の明らかな市町村の座標を同梱するパッケージがないため）。")
SOURCE_EN = ("Prefecture outlines: the data shipped with japanmap {version} (Apache License 2.0; each "
             "prefecture's main area, the one with its capital, simplified; Okinawa moved into the framed inset). A member's prefecture is the "
             "first two digits of its municipality code. Municipalities are not placed: no package ships "
             "their coordinates with a stated source.")


@dataclass(frozen=True)
class Member:
    """A municipality to place: its name, its 団体コード (5 or 6 digits) and its prefecture's name, either
    of which may be missing."""
    name: str
    code: str | None = None
    prefecture: str | None = None


@functools.cache
def prefecture_names() -> tuple[str, ...]:
    """The 47 prefectures' names in code order (index 0 is code 01, 北海道), as japanmap lists them."""
    import japanmap  # numpy only: OpenCV is imported by its raster functions, never used here
    return tuple(japanmap.pref_names[1:])


@functools.cache
def outlines() -> dict[str, str]:
    """Prefecture code ("01"…"47") → the SVG path data of its outline, projected, rounded and thinned."""
    with resources.files(PACKAGE).joinpath("japan.json").open("rb") as fp:
        points, prefectures = json.load(fp)
    paths = {}
    for index, boundaries in enumerate(prefectures):
        code = f"{index + 1:02d}"
        ring = [points[i][0] for _, indexes in boundaries for i in indexes]
        kept: list[tuple[float, float]] = []
        east, north = OKINAWA_SHIFT if code == OKINAWA else (0.0, 0.0)
        for lon, lat in ring:
            lon, lat = lon + east, lat + north
            x, y = round((lon - WEST) * _X_SCALE, 1), round((NORTH - lat) * SCALE, 1)
            if not kept or math.hypot(x - kept[-1][0], y - kept[-1][1]) >= THIN:
                kept.append((x, y))
        paths[code] = "M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z"
    return paths


def prefecture_of(member: Member) -> str | None:
    """The member's prefecture code ("01"…"47"), from its 団体コード or else its prefecture's name; None
    when neither gives one."""
    if member.code and member.code[:2].isdigit() and 1 <= int(member.code[:2]) <= 47:
        return member.code[:2]
    names = prefecture_names()
    if member.prefecture in names:
        return f"{names.index(member.prefecture) + 1:02d}"
    return None


def source_caption() -> str:
    version = metadata.version(PACKAGE)
    return both(e(SOURCE_JA.format(version=version)), e(SOURCE_EN.format(version=version)))


def _inset_frame() -> str:
    """The frame around Okinawa's inset: the outline's box, a little wider."""
    xs, ys = zip(*(map(float, p.split(",")) for p in outlines()[OKINAWA][1:-1].split("L")), strict=True)
    return (f'<rect x="{min(xs) - 6:g}" y="{min(ys) - 6:g}" width="{max(xs) - min(xs) + 12:g}" '
            f'height="{max(ys) - min(ys) + 12:g}" fill="none" stroke="#999999" stroke-width="0.6"/>')


def _svg(fills: dict[str, str], label: str) -> str:
    """The map: one path per prefecture, id pref-CODE, in code order. No <title> per prefecture: the page
    has one title, and what a tooltip would say is in the label and the caption."""
    paths = "".join(f'<path id="pref-{code}" d="{d}" fill="{fills.get(code, SHADES[0])}"/>' for code, d in outlines().items())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{round(WIDTH * DISPLAY)}" '
            f'height="{round(HEIGHT * DISPLAY)}" role="img" aria-label="{e(label)}"><g stroke="#ffffff" '
            f'stroke-width="0.6" stroke-linejoin="round">{paths}</g>{_inset_frame()}</svg>')


def area_map(members: Iterable[Member]) -> str:
    """An area's figure: the prefectures of its members filled, the members named by prefecture in the
    SVG's label and the caption, those without a prefecture listed as not drawn."""
    names = prefecture_names()
    placed: dict[str, list[str]] = {}
    unplaced = []
    for member in members:
        code = prefecture_of(member)
        if code is None:
            unplaced.append(member.name)
        else:
            placed.setdefault(code, []).append(member.name)
    listing = "；".join(f"{names[int(code) - 1]}: {'、'.join(placed[code])}" for code in sorted(placed))
    if english():  # the names stay Japanese: the listing is a Japanese text within the English
        label = (f"Map of Japan, the prefectures of the members filled. {listing}" if placed
                 else "Map of Japan, the prefectures of the members filled (none)")
        caption = f'Prefectures of the members ({len(placed)}): <span lang="ja">{e(listing)}</span>'
    else:
        label = f"構成市町村の所在する都道府県の地図。{listing}" if placed else "構成市町村の所在する都道府県の地図（該当なし）"
        caption = (f'構成市町村の所在する都道府県（{len(placed)}）: {e(listing)} '
                   f'<span class="en" lang="en">Prefectures of the members ({len(placed)})</span>')
    svg = _svg({code: SHADES[3] for code in placed}, label)
    not_drawn = (f'<p class="notice">{_not_drawn_html(unplaced)}</p>' if unplaced else "")
    return (f'<figure class="diagram map">{svg}<figcaption>{caption}<br>'
            f"<small>{source_caption()}</small></figcaption></figure>\n{not_drawn}")


def _not_drawn_html(unplaced: list[str], named_in_english: bool = True) -> str:
    """The members left off the map (no prefecture known), listed in a notice."""
    names = "、".join(unplaced)
    if english():
        return f'Members not drawn (prefecture unknown): <span lang="ja">{e(names)}</span>'
    beside = f": {e(', '.join(unplaced))}" if named_in_english else ""
    return f'地図に描いていない構成市町村（都道府県が不明）: {e(names)} <span class="en" lang="en">Members not drawn (prefecture unknown){beside}</span>'



def _shade(count: int) -> str:
    return SHADES[0 if count == 0 else 1 if count == 1 else 2 if count <= 3 else 3]


def areas_map(areas: Iterable[tuple[str, Iterable[Member]]]) -> str:
    """The front page's figure: each prefecture shaded by how many areas have a member in it, its areas
    named in its tooltip and in the SVG's label; members without a prefecture listed as not drawn."""
    names = prefecture_names()
    by_prefecture: dict[str, list[str]] = {}
    unplaced = []
    for area, members in areas:
        codes = set()
        for member in members:
            code = prefecture_of(member)
            if code is None:
                unplaced.append(f"{member.name}（{area}）")
            else:
                codes.add(code)
        for code in codes:
            by_prefecture.setdefault(code, []).append(area)
    listing = "；".join(f"{names[int(c) - 1]} {len(by_prefecture[c])}: {'、'.join(by_prefecture[c])}"
                       for c in sorted(by_prefecture))
    label = t(f"都道府県ごとの圏域の数（構成市町村のある圏域）。{listing}",
              f"Map of Japan, each prefecture shaded by the number of partnership areas with a member in it. {listing}")
    svg = _svg({c: _shade(len(by_prefecture[c])) for c in by_prefecture}, label)
    items = "\n".join(f'<li id="map-pref-{c}">{_prefecture_areas(names[int(c) - 1], by_prefecture[c])}</li>'
                      for c in sorted(by_prefecture))
    legend = "".join(f'<span class="swatch" style="display:inline-block;width:1em;height:1em;background:{shade};'
                     f'border:1px solid #999;vertical-align:middle"></span> {text} '
                     for shade, text in zip(SHADES, ("0", "1", "2–3", "4+"), strict=True))
    not_drawn = f'<p class="notice">{_not_drawn_html(unplaced, named_in_english=False)}</p>' if unplaced else ""
    caption = ("Partnership areas with a member in each prefecture" if english() else
               '都道府県ごとの圏域の数（構成市町村のある圏域を数える）'
               '<span class="en" lang="en">Partnership areas with a member in each prefecture</span>')
    return (f'<figure class="diagram map">{svg}<figcaption>{caption}<br>{legend}<br>'
            f"<small>{source_caption()}</small></figcaption></figure>\n"
            f'<details><summary>{both("都道府県ごとの圏域", "Areas by prefecture")}</summary>\n'
            f"<ul>\n{items}\n</ul>\n</details>\n{not_drawn}")


def _prefecture_areas(prefecture: str, areas: list[str]) -> str:
    """A prefecture and the areas with a member in it (the names Japanese, marked so on an English page)."""
    if english():
        count = f"{len(areas)} area" if len(areas) == 1 else f"{len(areas)} areas"
        return f'<span lang="ja">{e(prefecture)}</span> ({count}): <span lang="ja">{e("、".join(areas))}</span>'
    return f'{prefecture}（{len(areas)} 圏域）: {e("、".join(areas))}'

