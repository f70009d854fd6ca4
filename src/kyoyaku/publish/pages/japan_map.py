"""Maps of Japan on the site (publish.pages): on an area's page the prefectures of its members filled
and each member a dot, on the front page how many areas have a member in each prefecture and every
member a dot — inline SVG drawn at build time.

The prefectures: japanmap ships the 47 prefectures' outlines (longitude, latitude; Apache License
2.0): each prefecture's main area, the one with its capital — outlying islands are not in it. A member
is placed in a prefecture by the first two digits of its 団体コード (or, without a code, by its
prefecture's name); a member with neither is listed under the map as not drawn, never guessed.

The dots: each municipality's representative point (mostly its office, from 国土数値情報) as the
「歴史的行政区域データセットβ版地名辞書」 (CODH, CC BY 4.0) gives it, its rows for today's
municipalities copied from the file that pygeonlp ships (data/municipal-points/, its README says how).
A member is found there by its 団体コード's first five digits (the dataset's code, without the check
digit); a member without a code, with a code the data lacks, or whose point falls outside the map (an
outlying island) is listed under the map as not placed — a point is never guessed or moved.

Deterministic: a fixed projection, coordinates rounded to 0.1 of the viewBox, points thinned by
distance in file order, prefectures in code order, dots in code order."""

from __future__ import annotations

import csv
import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata, resources

from ...resources import resource
from .html import e
from .language import both, english, name, t

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
# A member's dot: orange with a white ring, visible on every shade; smaller on the front page, which has hundreds.
DOT_FILL, DOT_RADIUS, FRONT_DOT_RADIUS = "#e8590c", 1.6, 1.0
# An area's map shows its members' dots up close: their box, widened by CLOSE_PAD (viewBox units, at least,
# or that share of its larger side) and to CLOSE_MIN a side, its height kept within CLOSE_ASPECT of its width.
CLOSE_PAD, CLOSE_PAD_SHARE, CLOSE_MIN, CLOSE_ASPECT = 3.0, 0.15, 18.0, (0.75, 1.35)
LABEL_SIZE = 8.5  # the members' names beside their dots up close (viewBox units of the whole map: 11–14 px)
POINTS = "data/municipal-points/geoshape-city-current.csv"

SOURCE_JA = ("都道府県の輪郭: japanmap {version} の同梱データ（Apache License 2.0、"
             "各都道府県の県庁所在地を含む主な区域のみ・簡略化、沖縄県は枠内に移動）。都道府県は団体コードの上 2 桁による。")
SOURCE_EN = ("Prefecture outlines: the data shipped with japanmap {version} (Apache License 2.0; each "
             "prefecture's main area, the one with its capital, simplified; Okinawa moved into the framed inset). A member's prefecture is the "
             "first two digits of its municipality code.")

POINTS_SOURCE_JA = ("市区町村の点: 「歴史的行政区域データセットβ版地名辞書」（ROIS-DS人文学オープンデータ共同利用センター、"
                    "CC BY 4.0、pygeonlp 1.2.5 同梱）の代表点。主に国土数値情報（国土交通省）市区町村役場データによる役所・役場の位置。"
                    "団体コードの上 5 桁で照合。離島の市町村の点は、輪郭のない海上に見えることがあります。")
POINTS_SOURCE_EN = ("Municipalities' dots: the representative points of the Historical Administrative Area Data Set "
                    "(beta) gazetteer by the ROIS-DS Center for Open Data in the Humanities (CC BY 4.0, as shipped "
                    "with pygeonlp 1.2.5), mostly the municipal office's position from the National Land Numerical "
                    "Information (MLIT); matched by the first five digits of the municipality code. An island "
                    "municipality's dot may stand in the sea, where the outlines leave its island out.")


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


def project(longitude: float, latitude: float, prefecture: str) -> tuple[float, float]:
    """A point of the prefecture (code "01"…"47") in the map's viewBox, rounded to 0.1: Okinawa's moved
    into its inset as its outline is."""
    east, north = OKINAWA_SHIFT if prefecture == OKINAWA else (0.0, 0.0)
    longitude, latitude = longitude + east, latitude + north
    return round((longitude - WEST) * _X_SCALE, 1), round((NORTH - latitude) * SCALE, 1)


@functools.cache
def municipal_points() -> dict[str, tuple[float, float]]:
    """Five-digit 団体コード → (longitude, latitude) of the municipality's representative point, as the
    vendored rows of the gazetteer give them (data/municipal-points/README.md)."""
    with resource(POINTS).open(encoding="utf-8", newline="") as fp:
        return {row["entry_id"][:5]: (float(row["longitude"]), float(row["latitude"])) for row in csv.DictReader(fp)}


def dot_of(member: Member) -> tuple[float, float] | str:
    """Where the member's dot goes in the viewBox, or why it has none: "no-code", "not-in-data" or
    "off-map" (the point lies outside the map's box: an outlying island)."""
    if not member.code:
        return "no-code"
    point = municipal_points().get(member.code[:5])
    if point is None:
        return "not-in-data"
    x, y = project(*point, member.code[:2])
    left, top, right, bottom = inset_box()
    in_inset = left <= x <= right and top <= y <= bottom
    # Okinawa's points belong in its inset and nothing else does (屋久島 would fall into it)
    return (x, y) if 0 <= x <= WIDTH and 0 <= y <= HEIGHT and in_inset == (member.code[:2] == OKINAWA) else "off-map"


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
        for lon, lat in ring:
            x, y = project(lon, lat, code)
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


def points_caption() -> str:
    return both(e(POINTS_SOURCE_JA), e(POINTS_SOURCE_EN))


# why a member has no dot (dot_of): the words under the map, Japanese and English
NOT_PLACED = {"no-code": ("団体コードなし", "no municipality code"),
              "not-in-data": ("位置データにない団体コード", "code not in the points' data"),
              "off-map": ("地図の範囲外", "outside the map")}


def _dots(members: Iterable[Member]) -> tuple[dict[str, tuple[float, float]], list[tuple[Member, str]]]:
    """The members' dots by 団体コード, in code order (a member in several areas once), and the members
    without one with the reason, in the order given (each once)."""
    dots: dict[str, tuple[float, float]] = {}
    missing: dict[tuple[str, str | None], tuple[Member, str]] = {}
    for member in members:
        where = dot_of(member)
        if isinstance(where, tuple):
            dots[member.code] = where
        else:
            missing.setdefault((member.name, member.code), (member, where))
    return dict(sorted(dots.items())), list(missing.values())


def _not_placed_notice(missing: list[tuple[Member, str]]) -> str:
    """The members without a dot, each with its code and why, under the map; nothing when all have one."""
    if not missing:
        return ""
    ja = "、".join(f"{name(m.name)}（{e(m.code + '、') if m.code else ''}{NOT_PLACED[why][0]}）" for m, why in missing)
    en = ", ".join(f"{name(m.name)} ({e(m.code + ', ') if m.code else ''}{NOT_PLACED[why][1]})" for m, why in missing)
    return f'<p class="notice">{both(f"地図に点を置いていない構成市町村: {ja}", f"Members without a dot on the map: {en}")}</p>'


@functools.cache
def inset_box() -> tuple[float, float, float, float]:
    """Okinawa's inset (left, top, right, bottom): its outline's box, 6 units wider each way."""
    xs, ys = zip(*(map(float, p.split(",")) for p in outlines()[OKINAWA][1:-1].split("L")), strict=True)
    return min(xs) - 6, min(ys) - 6, max(xs) + 6, max(ys) + 6


def _inset_frame(zoom: float = 1.0) -> str:
    """The frame around Okinawa's inset."""
    left, top, right, bottom = inset_box()
    return (f'<rect x="{left:g}" y="{top:g}" width="{right - left:g}" height="{bottom - top:g}" fill="none" '
            f'stroke="#999999" stroke-width="{round(0.6 * zoom, 3):g}"/>')


Box = tuple[float, float, float, float]  # a viewBox: x, y, width, height
WHOLE: Box = (0, 0, WIDTH, HEIGHT)


def close_box(dots: dict[str, tuple[float, float]]) -> Box:
    """The viewBox of an area's map: its dots' box, padded, at least CLOSE_MIN a side and not too flat or
    tall, centred on the dots (rounded to 0.1); the whole map when there is no dot."""
    if not dots:
        return WHOLE
    xs, ys = [x for x, _ in dots.values()], [y for _, y in dots.values()]
    pad = max(CLOSE_PAD, CLOSE_PAD_SHARE * max(max(xs) - min(xs), max(ys) - min(ys)))
    width = max(CLOSE_MIN, max(xs) - min(xs) + 2 * pad)
    height = max(CLOSE_MIN, max(ys) - min(ys) + 2 * pad)
    low, high = CLOSE_ASPECT
    width, height = max(width, height / high), max(height, width * low)
    x, y = (min(xs) + max(xs) - width) / 2, (min(ys) + max(ys) - height) / 2
    return round(x, 1), round(y, 1), round(width, 1), round(height, 1)


def _label_places(dots: dict[str, tuple[float, float]], labels: dict[str, str], radius: float,
                  size: float, view: Box) -> list[tuple[str, tuple[float, float], str]]:
    """Each labelled dot's name, where its text goes and its anchor attribute: right of the dot, else left,
    above or below — the first place whose box (a character is taken as `size` wide) lies inside the view
    and overlaps no name already placed and no other dot; right when none is free. In code order: the
    same every build."""
    taken: list[tuple[float, float, float, float]] = []  # boxes: left, top, right, bottom
    others = [(x - radius, y - radius, x + radius, y + radius) for x, y in dots.values()]
    places = []
    for code, (x, y) in dots.items():
        if code not in labels:
            continue
        text, gap, width = labels[code], 1.6 * radius, size * len(labels[code])
        candidates = [  # (box, text position, anchor)
            ((x + gap, y - size / 2, x + gap + width, y + size / 2), (x + gap, y + 0.35 * size), ""),
            ((x - gap - width, y - size / 2, x - gap, y + size / 2), (x - gap, y + 0.35 * size), ' text-anchor="end"'),
            ((x - width / 2, y - gap - size, x + width / 2, y - gap), (x, y - gap - 0.15 * size), ' text-anchor="middle"'),
            ((x - width / 2, y + gap, x + width / 2, y + gap + size), (x, y + gap + 0.85 * size), ' text-anchor="middle"'),
        ]
        own = (x - radius, y - radius, x + radius, y + radius)
        obstacles = taken + [box for box in others if box != own]
        inside = (view[0], view[1], view[0] + view[2], view[1] + view[3])
        box, (tx, ty), anchor = next((c for c in candidates if _within(c[0], inside)
                                      and not any(_overlap(c[0], o) for o in obstacles)), candidates[0])
        taken.append(box)
        places.append((text, (round(tx, 1), round(ty, 1)), anchor))
    return places


def _within(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return b[0] <= a[0] and a[2] <= b[2] and b[1] <= a[1] and a[3] <= b[3]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _svg(fills: dict[str, str], label: str, dots: dict[str, tuple[float, float]] | None = None,
         radius: float = DOT_RADIUS, box: Box = WHOLE, labels: dict[str, str] | None = None) -> str:
    """The map: one path per prefecture, id pref-CODE, in code order, then one dot per member, id m-CODE
    (its 団体コード), over them, seen through the box (the whole map by default; strokes and dots scaled
    with it, the display width the same). No <title> per prefecture or dot: the page has one title, and
    what a tooltip would say is in the label and the caption."""
    x0, y0, width, height = box
    zoom = width / WIDTH
    paths = "".join(f'<path id="pref-{code}" d="{d}" fill="{fills.get(code, SHADES[0])}"/>' for code, d in outlines().items())
    circles = "".join(f'<circle id="m-{e(code)}" cx="{x:g}" cy="{y:g}" r="{round(radius * zoom, 2):g}"/>'
                      for code, (x, y) in (dots or {}).items())
    dot_group = (f'<g fill="{DOT_FILL}" stroke="#ffffff" stroke-width="{round(0.4 * zoom, 3):g}">{circles}</g>'
                 if circles else "")
    if labels:
        texts = "".join(f'<text x="{x:g}" y="{y:g}"{anchor}>{e(text)}</text>'
                        for text, (x, y), anchor in _label_places(dots or {}, labels, radius * zoom, LABEL_SIZE * zoom, box))
        # a white halo drawn first, then the names over it (the HTML checker allows no paint-order attribute)
        font = f'lang="ja" font-size="{round(LABEL_SIZE * zoom, 2):g}"'
        dot_group += (f'<g {font} fill="#ffffff" stroke="#ffffff" stroke-width="{round(2.5 * zoom, 3):g}" '
                      f'stroke-linejoin="round">{texts}</g><g {font} fill="#1a1a1a">{texts}</g>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:g} {y0:g} {width:g} {height:g}" '
            f'width="{round(WIDTH * DISPLAY)}" height="{round(WIDTH * DISPLAY * height / width)}" role="img" '
            f'aria-label="{e(label)}"><g stroke="#ffffff" stroke-width="{round(0.6 * zoom, 3):g}" stroke-linejoin="round">'
            f'{paths}</g>{_inset_frame(zoom)}{dot_group}</svg>')


def area_map(members: Iterable[Member]) -> str:
    """An area's figure: the prefectures of its members filled and each member a dot, the members named
    by prefecture in the SVG's label and the caption, those without a prefecture listed as not drawn,
    those with a prefecture but no dot listed as not placed."""
    names = prefecture_names()
    placed: dict[str, list[str]] = {}
    unplaced = []
    in_prefectures = []
    for member in members:
        code = prefecture_of(member)
        if code is None:
            unplaced.append(member.name)
        else:
            placed.setdefault(code, []).append(member.name)
            in_prefectures.append(member)
    dots, missing = _dots(in_prefectures)
    listing = "；".join(f"{names[int(code) - 1]}: {'、'.join(placed[code])}" for code in sorted(placed))
    box = close_box(dots)
    if english():  # the names stay Japanese: the listing is a Japanese text within the English
        label = (f"Map of Japan, the prefectures of the members filled, a dot at each member. {listing}" if placed
                 else "Map of Japan, the prefectures of the members filled (none)")
        caption = f'Prefectures of the members ({len(placed)}): <span lang="ja">{e(listing)}</span>'
    else:
        label = f"構成市町村の所在する都道府県の地図。{listing}" if placed else "構成市町村の所在する都道府県の地図（該当なし）"
        caption = (f'構成市町村の所在する都道府県（{len(placed)}）: {e(listing)} '
                   f'<span class="en" lang="en">Prefectures of the members ({len(placed)})</span>')
    svg = _svg({code: SHADES[3] for code in placed}, label, dots, box=box,
               labels={m.code: m.name for m in in_prefectures if m.code in dots} if box != WHOLE else None)
    not_drawn = (f'<p class="notice">{_not_drawn_html(unplaced)}</p>' if unplaced else "")
    return (f'<figure class="diagram map">{svg}<figcaption>{caption}<br>'
            f"<small>{source_caption()}<br>{points_caption()}</small></figcaption></figure>\n{not_drawn}"
            f"{_not_placed_notice(missing)}")


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
    named in its tooltip and in the SVG's label, every member a dot (once, however many its areas);
    members without a prefecture listed as not drawn, those with one but no dot as not placed."""
    names = prefecture_names()
    by_prefecture: dict[str, list[str]] = {}
    unplaced = []
    in_prefectures = []
    for area, members in areas:
        codes = set()
        for member in members:
            code = prefecture_of(member)
            if code is None:
                unplaced.append(f"{member.name}（{area}）")
            else:
                codes.add(code)
                in_prefectures.append(member)
        for code in codes:
            by_prefecture.setdefault(code, []).append(area)
    listing = "；".join(f"{names[int(c) - 1]} {len(by_prefecture[c])}: {'、'.join(by_prefecture[c])}"
                       for c in sorted(by_prefecture))
    dots, missing = _dots(in_prefectures)
    label = t(f"都道府県ごとの圏域の数（構成市町村のある圏域）。{listing}",
              f"Map of Japan, each prefecture shaded by the number of partnership areas with a member in it, a dot at "
              f"each member. {listing}")
    svg = _svg({c: _shade(len(by_prefecture[c])) for c in by_prefecture}, label, dots, FRONT_DOT_RADIUS)
    items = "\n".join(f'<li id="map-pref-{c}">{_prefecture_areas(names[int(c) - 1], by_prefecture[c])}</li>'
                      for c in sorted(by_prefecture))
    legend = "".join(f'<span class="swatch" style="display:inline-block;width:1em;height:1em;background:{shade};'
                     f'border:1px solid #999;vertical-align:middle"></span> {text} '
                     for shade, text in zip(SHADES, ("0", "1", "2–3", "4+"), strict=True))
    # the dots' key: a round swatch (not a coloured character, whose contrast would be too low to read)
    legend += (f'<span class="swatch" style="display:inline-block;width:0.75em;height:0.75em;border-radius:50%;'
               f'background:{DOT_FILL};vertical-align:middle"></span> '
               f'{both(f"構成市町村（{len(dots)}）", f"Member municipalities ({len(dots)})")}')
    not_drawn = f'<p class="notice">{_not_drawn_html(unplaced, named_in_english=False)}</p>' if unplaced else ""
    caption = ("Partnership areas with a member in each prefecture" if english() else
               '都道府県ごとの圏域の数（構成市町村のある圏域を数える）'
               '<span class="en" lang="en">Partnership areas with a member in each prefecture</span>')
    return (f'<figure class="diagram map">{svg}<figcaption>{caption}<br>{legend}<br>'
            f"<small>{source_caption()}<br>{points_caption()}</small></figcaption></figure>\n"
            f'<details><summary>{both("都道府県ごとの圏域", "Areas by prefecture")}</summary>\n'
            f"<ul>\n{items}\n</ul>\n</details>\n{not_drawn}{_not_placed_notice(missing)}")


def _prefecture_areas(prefecture: str, areas: list[str]) -> str:
    """A prefecture and the areas with a member in it (the names Japanese, marked so on an English page)."""
    if english():
        count = f"{len(areas)} area" if len(areas) == 1 else f"{len(areas)} areas"
        return f'<span lang="ja">{e(prefecture)}</span> ({count}): <span lang="ja">{e("、".join(areas))}</span>'
    return f'{prefecture}（{len(areas)} 圏域）: {e("、".join(areas))}'
