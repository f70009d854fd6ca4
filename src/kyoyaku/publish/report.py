"""`kyoyaku report`: figures and a summary page from the built data, through the query library.

dist/report/ gets coverage.png/.svg (partner × national policy field, from coverage-matrix.rq),
areas.png/.svg (each area's agreements: full texts and records only, from area-agreements.rq; each
area's diagram of core city, partners and agreements is on its page: publish.pages.area), three
figures of the partnership areas — agreements-per-year.png/.svg (agreements per year and framework,
from agreements-per-year.rq), area-sizes.png/.svg (members listed against the total the sources
state, from area-sizes.rq), area-growth.png/.svg (members over time: joins add, ends subtract, from
area-growth.rq) —
index.html (counts, the figures with captions, the area table) and index.summary.csv (the area table for a
spreadsheet: publish.downloads' form, the core cities' 団体コード beside them); the build writes the page in
English too, at en/report/index.html, with the same figures. Every figure has a fixed size:
beyond a cap, the rest of the partners or areas is summarised in one last row, bar or panel, and the
captions say how many (publish.figures). Written into a fresh directory and swapped in.

The queries run in the calling process (it holds the store); the five figures are then drawn on
min(2, CPU count) forked worker processes (`draw_figures`), each from its rows alone: matplotlib
draws a figure twice, once per file, and the figures are most of the report's time.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rdflib import Literal, URIRef

from ..graph.iris import DCTERMS, KYO, SKOS, site_path
from ..outputs import REPORT_OUTPUT, check_out_dir, swap_in
from ..shacl.shapes import reference_graph
from ..sparql.query import Table, find_query, run
from ..sparql.spreadsheet import CODE, excel_csv
from ..sparql.store import open_store
from . import figures, registry_figures
from .pages.csv_links import csv_link, table_csv_path
from .pages.html import Page, document, e, labelled_cell
from .pages.language import ENGLISH, JAPANESE, english, name, t, writing_in
from .pages.site_graph import Site

PAGE = "index.html"
SITE_PAGE = f"report/{PAGE}"  # the report's page in the site (dist/report/): in English at en/report/index.html
# the area table beside the page (index.summary.csv), named as every table's CSV is (csv_links)
SUMMARY_CSV = table_csv_path(SITE_PAGE, "summary").removeprefix("report/")


def report(data: list[Path], out: Path) -> list[Path]:
    check_out_dir(out, REPORT_OUTPUT, protected=data)
    store = open_store(data)
    return swap_in(out, REPORT_OUTPUT, lambda stage: write_report(store, stage))


def write_report(store, folder: Path, workers: int | None = None, english_page: Path | None = None) -> list[str]:
    """The figures, index.html and the area table's CSV of the data in `store` into `folder` (the
    build's dist/report/ too); returns the names written. The figures are drawn on `workers`
    processes (default min(2, CPU count); 1: in this one), the same bytes either way. `english_page`:
    where the page's English version goes too (the build's en/report/index.html: its links are made
    for that place)."""
    coverage = run(store, find_query("coverage-matrix"))
    agreements = run(store, find_query("area-agreements"))
    summary = run(store, find_query("area-summary"))
    per_year = run(store, find_query("agreements-per-year"))
    sizes = run(store, find_query("area-sizes"))
    growth = run(store, find_query("area-growth"))
    folder.mkdir(parents=True, exist_ok=True)
    written = draw_figures([(coverage_figure, coverage, folder / "coverage"), (area_figure, agreements, folder / "areas"),
                            (per_year_figure, per_year, folder / "agreements-per-year"),
                            (sizes_figure, sizes, folder / "area-sizes"), (growth_figure, growth, folder / "area-growth")],
                           workers)
    tables = (coverage, agreements, summary, per_year, sizes, growth)
    with writing_in(JAPANESE):
        (folder / PAGE).write_text(page(*tables), encoding="utf-8")
    (folder / SUMMARY_CSV).write_bytes(excel_csv(summary_download(summary, core_city_codes(store, summary))))
    if english_page is not None:
        english_page.parent.mkdir(parents=True, exist_ok=True)
        with writing_in(ENGLISH):
            english_page.write_text(page(*tables), encoding="utf-8")
    return [p.name for p in written] + [PAGE, SUMMARY_CSV]


Figure = tuple[Callable[[Table, Path], list[Path]], Table, Path]  # (draw, its query's rows, file stem)


def draw_figures(tasks: list[Figure], workers: int | None = None) -> list[Path]:
    """Each figure drawn — `draw(rows, stem)` — and the files written, in the order of `tasks`.
    On `workers` processes (default min(2, CPU count)) forked from this one: matplotlib is imported
    already, so they start drawing at once, and they touch only their rows and matplotlib (never the
    store this process holds). In this process instead where there is no fork, for one worker or for
    one figure. A figure's error is raised here as it would be in this process (its class and
    arguments; the worker's traceback as its cause), once every worker has ended."""
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    if workers < 2 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [path for draw, rows, stem in tasks for path in draw(rows, stem)]
    # Frozen, this process's objects (the build's whole graph) are left out of the workers' garbage
    # collections: a collection writes into every object it visits, and each page written is copied
    # into the worker, up to a copy of this process per worker.
    gc.freeze()
    try:
        # the with block waits for every worker to end, a figure's error or not
        with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_draw_in_worker, draw, rows, stem) for draw, rows, stem in tasks]
            try:
                return [path for future in futures for path in future.result()]
            except BaseException:
                for future in futures:  # the figures not started yet are not drawn
                    future.cancel()
                raise
    finally:
        gc.unfreeze()


def _draw_in_worker(draw: Callable[[Table, Path], list[Path]], rows: Table, stem: Path) -> list[Path]:
    """`draw(rows, stem)` in a worker. An error that would not come back whole through pickle (one
    whose constructor does not take its args) would break the pool instead: it is sent as a
    RuntimeError naming it."""
    try:
        return draw(rows, stem)
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:  # noqa: BLE001 — whatever unpickling raises (TypeError mostly): its text
            raise RuntimeError(f"{stem.name}: {type(error).__name__}: {error}") from None
        raise


COVERAGE_TITLE = "連携する取組の政策分野（市町村 × 全国の政策分野）"


def _coverage_inputs(table: Table) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    rows = {r["partner_name"]: None for r in _records(table)}
    fields = {r["field_label"]: r["field"] for r in _records(table)}
    columns = sorted(fields, key=lambda label: fields[label])
    counts = {(r["partner_name"], r["field_label"]): r["initiatives"] for r in _records(table)}
    return list(rows), columns, counts


def coverage_figure(table: Table, stem: Path) -> list[Path]:
    return figures.coverage_heatmap(*_coverage_inputs(table), stem, COVERAGE_TITLE)


def _area_agreements(table: Table) -> list[figures.AreaAgreements]:
    """Each area's agreements (distinct: a row per core city and partner), full texts and records apart."""
    areas = []
    for rows in _by_area(table).values():
        full = {r["agreement"] for r in rows if r["full_text"]}
        records = {r["agreement"] for r in rows} - full
        areas.append(figures.AreaAgreements(rows[0]["area_label"], rows[0]["framework"], len(full), len(records)))
    return areas


def area_figure(table: Table, stem: Path) -> list[Path]:
    return figures.area_figure(_area_agreements(table), stem, "圏域ごとの協約（全文と登録情報のみ）")


def per_year_figure(table: Table, stem: Path) -> list[Path]:
    """Agreements per year (None: undated) and framework, as agreements-per-year.rq counts them."""
    counts = {(r["year"], r["framework"]): r["agreements"] for r in _records(table)}
    return registry_figures.agreements_per_year(counts, stem, "年別の協約数（枠組別）")


def _sizes(table: Table) -> list[registry_figures.AreaSize]:
    return [registry_figures.AreaSize(_area_name(r), r["framework"], r["listed"], r["stated"]) for r in _records(table)]


def sizes_figure(table: Table, stem: Path) -> list[Path]:
    return registry_figures.area_sizes(_sizes(table), stem, "圏域の規模（一覧の構成市町村数と資料に記載の総数）")


def _growths(table: Table) -> list[registry_figures.AreaGrowth]:
    """Each area's members over time, as area-growth.rq counts them: joins add, ends subtract."""
    return [registry_figures.AreaGrowth(_area_name(rows[0]), rows[0]["framework"], [(r["date"], r["members"]) for r in rows],
                                        rows[0]["undated"], tuple(r["date"] for r in rows if r["ended"]))
            for rows in _dated_by_area(table).values()]


def growth_figure(table: Table, stem: Path) -> list[Path]:
    return registry_figures.area_growth(_growths(table), stem, "圏域の拡大（日付のある加入と終了）")


# The summary table's columns (area-summary.rq) in Japanese and English; the area's IRI and label become one link.
SUMMARY_COLUMNS = {"area": ("圏域", "Area"), "framework_label": ("枠組み", "Framework"),
                   "core_city_name": ("中心市", "Core city"), "members": ("構成市町村数", "Members"),
                   "stated_members": ("資料に記載の数", "Members stated by the sources"),
                   "agreements": ("協約数", "Agreements"), "full_texts": ("本文あり", "Full texts"),
                   "predecessor_label": ("前身", "Predecessor")}


def english_label(japanese: str | None) -> str | None:
    """A concept's English label (a framework's: 連携中枢都市圏 → Partnership Core City Area …) from its
    Japanese one as a query gives it, by the concept schemes; None where there is none."""
    if japanese is None:
        return None
    ref = reference_graph()
    for concept in ref.subjects(SKOS.prefLabel, Literal(japanese, lang="ja")):
        for label in ref.objects(concept, SKOS.prefLabel):
            if getattr(label, "language", None) == "en":
                return str(label)
    return None


def summary_table(page: Page, summary: Table) -> str:
    """area-summary's rows with column names in the page's language, each area a link to its page on
    the site by its name (names in Japanese: `name`): a card per area on a narrow screen (html.labelled_cell),
    in a box that scrolls if still too wide; its CSV after."""
    shown = [c for c in summary.columns if c in SUMMARY_COLUMNS]
    labels = [t(*SUMMARY_COLUMNS[c]) for c in shown]
    head = "".join(f'<th scope="col">{e(label)}</th>' for label in labels)
    rows = []
    for r in _records(summary):
        path = site_path(str(r["area"]))
        area = name(_area_name(r))
        cells = [f'<a href="{e(page.href(path + ".html"))}">{area}</a>' if path else area]
        for c in shown[1:]:
            value = r[c]
            if c == "framework_label" and english():
                cells.append(e(english_label(value) or value or ""))
            else:
                cells.append(name("" if value is None else value))
        rows.append(f'<tr><th scope="row">{cells[0]}</th>'
                    + "".join(labelled_cell(label, cell) for label, cell in zip(labels[1:], cells[1:])) + "</tr>")
    # a box of its own that scrolls, reachable by keyboard and named (axe: scrollable-region-focusable)
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{e(t("圏域の一覧 / areas", "Areas"))}">'
            f'<table class="cards"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            f"\n{csv_link(page, f'report/{SUMMARY_CSV}')}")


def core_city_codes(store, summary: Table) -> dict[str, str]:
    """Each area's core cities' 団体コード, joined with "・" in the order area-summary joins their names
    (by IRI: the code's order)."""
    site = Site(store)
    return {r["area"]: "・".join(site.value(c, DCTERMS.identifier) or "" for c in site.objects(URIRef(r["area"]), KYO.coreCity))
            for r in _records(summary)}


def summary_download(summary: Table, codes: dict[str, str]) -> Table:
    """The summary table as its CSV holds it: the page's Japanese column names, the core cities'
    団体コード beside them, the area's IRI last (as areas.csv: publish.downloads)."""
    columns = [SUMMARY_COLUMNS[c][0] for c in summary.columns if c in SUMMARY_COLUMNS]
    columns.insert(columns.index("中心市") + 1, f"中心市の{CODE}")
    rows = []
    for r in _records(summary):
        row = [_area_name(r), r["framework_label"], r["core_city_name"], codes.get(r["area"], ""), r["members"],
               r["stated_members"], r["agreements"], r["full_texts"], r["predecessor_label"], r["area"]]
        rows.append(row)
    return Table([*columns, "IRI"], rows)


def page(coverage: Table, agreements: Table, summary: Table, per_year: Table, sizes: Table, growth: Table) -> str:
    """The report's page in the language being written (language.writing_in), in the site's frame."""
    site_page = Page(None, SITE_PAGE if not english() else f"en/{SITE_PAGE}")  # a page without a Site: it reads rows
    full_texts = {r["agreement"] for r in _records(agreements) if r["full_text"]}
    records = {r["agreement"] for r in _records(agreements) if not r["full_text"]}
    counts = (f"Full texts: {len(full_texts)}; registry records: {len(records)}; areas: {len(summary.rows)}."
              if english() else
              f"全文 {len(full_texts)} 件、登録情報のみ {len(records)} 件の協約、{len(summary.rows)} 圏域。\n"
              f'<span class="en" lang="en">Full texts: {len(full_texts)}; registry records: {len(records)}; '
              f"areas: {len(summary.rows)}.</span>")
    figure = functools.partial(_figure, site_page)
    body = f"""<h1>{e(t("連携協約の分析", "Report: the agreements in figures"))}{"" if english() else ' <span class="en" lang="en">kyoyaku report</span>'}</h1>
<p>{counts}</p>
<h2>{e(t("政策分野の網羅 / Coverage", "Policy fields covered"))}</h2>
{figure("coverage", "ヒートマップ: 連携市町村 × 全国の政策分野、セルは取組数", "heatmap: partner municipalities × "
        "national policy fields, each cell the number of initiatives", _coverage_caption(coverage))}
<h2>{e(t("圏域 / Areas", "Areas"))}</h2>
{figure("areas", "横棒: 圏域ごとの協約数、全文（枠組の色）と登録情報のみ（斜線）", "horizontal bars: agreements per "
        "area, full texts (in the framework's colour) and registry records only (hatched)", _areas_caption(agreements))}
{summary_table(site_page, summary)}
<h2>{e(t("年別の協約数 / Agreements per year", "Agreements per year"))}</h2>
{figure("agreements-per-year", None, "stacked bars: agreements per year of their date, by framework "
        + t("(連携中枢都市圏, 定住自立圏), undated agreements in a last bar 日付不明",
            "(partnership core city areas, independent settlement areas), undated agreements in a last bar of their own"),
        _per_year_caption(per_year))}
<h2>{e(t("圏域の規模 / Area sizes", "Area sizes"))}</h2>
{figure("area-sizes", None, "horizontal bars: member municipalities listed per area, the core city included; "
        "dashed frames where the total the sources state differs", _sizes_caption(sizes))}
<h2>{e(t("圏域の拡大 / Area growth", "Area growth"))}</h2>
{figure("area-growth", None, "one small panel per area with dated members: a step line of the members over time, "
        "up on each joining date, down on each end, and the number of undated members",
        _growth_caption(growth, sizes))}"""
    return document(site_page, t("連携協約の分析", "Report"), body, [e(t("報告書", "Report"))],
                    f"<style>{REPORT_CSS}</style>\n")


# Beside the site's CSS: the area table's box scrolls; on a phone the figures take the whole width (no
# figure's default 40 px margins: they are drawn small enough already).
REPORT_CSS = ".table-wrap{overflow-x:auto}@media (max-width:48rem){figure{margin:1rem 0}}"


def _figure(page: Page, stem: str, alt_ja: str | None, alt_en: str, caption: str) -> str:
    """A figure of the page: its SVG (the PNG beside it is for other uses; an English page shows the
    same files), its alt text (on a Japanese page the Japanese, if any, then the English) and caption (HTML)."""
    alt = alt_en if english() or alt_ja is None else f"{alt_ja} / {alt_en}"
    return (f'<figure>\n<img src="{e(page.href(f"report/{stem}.svg"))}" alt="{e(alt)}">\n'
            f"<figcaption>{caption}</figcaption>\n</figure>")


def _of_the(count: int, one: str, many: str) -> str:
    """「the 3 areas」, 「the area」: English for a count of things (captions)."""
    return f"the {one}" if count == 1 else f"the {count} {many}"


def _caption(ja: str, en: str) -> str:
    """A caption (HTML) in the page's language: on a Japanese page the Japanese, then the English."""
    return en if english() else f"{ja} {en}"


def _coverage_caption(table: Table) -> str:
    rows, columns, counts = _coverage_inputs(table)
    if not rows:
        return _caption("政策分野に対応付けた取組はありません。", "No initiatives mapped to policy fields.")
    shown, rest = figures.coverage_rows(rows, columns, counts)
    text = f"全文の協約の連携市町村 {len(rows)} の取組を、全国の政策分野 {len(columns)} ごとに数えた。"
    english = (f"Initiatives of {_of_the(len(rows), 'partner municipality', 'partner municipalities')} of full texts, "
               f"per national policy field ({len(columns)})")
    if rest:
        text += (f"取組の多い {len(shown)} 市町村を示し、その他 {len(rest)} 市町村は最下行に分野ごとの合計"
                 "（灰色、濃淡は別の尺度）。")
        english += (f"; the {len(shown)} with the most initiatives are shown, the other {len(rest)} summed per field "
                    "in the last row (grey, on a scale of its own)")
    if any(figures.shorten(c, figures.COVERAGE_LABEL_EMS) != c for c in columns):
        text += "長い分野名は末尾を「…」で省略。"
        english += "; long field names are cut short with “…”"
    return _caption(text, f"{english}.")


def _areas_caption(table: Table) -> str:
    areas = _area_agreements(table)
    if not areas:
        return _caption("圏域の協約はありません。", "No agreements with an area.")
    shown, rest = figures.area_bars(areas)
    text = f"{len(areas)} 圏域の協約数（全文と登録情報のみ）。"
    english = f"Agreements of {_of_the(len(areas), 'area', 'areas')}, full texts and registry records only"
    if rest:
        text += (f"全文の多い順、次に協約の多い順に {len(shown)} 圏域を示し、その他 {len(rest)} 圏域は最下段に合計の数のみ。")
        english += (f"; the {len(shown)} with the most full texts, then the most agreements, are shown, the other "
                    f"{len(rest)} summed in the last row, as numbers only")
    return _caption(f"{text}各圏域の中心市・構成市町村・協約は、サイトの圏域のページに。規模と拡大は下の図に。",
                    f"{english}. Each area's core city, members and agreements are on its page of the site; "
                    "sizes and growth are below.")


def _per_year_caption(table: Table) -> str:
    rows = _records(table)
    dated = sum(r["agreements"] for r in rows if r["year"] is not None)
    undated = [r for r in rows if r["year"] is None]
    text = f"協約の日付の年ごとの件数（枠組別の積み上げ）。日付のある協約 {dated} 件"
    english = f"Agreements per year of their date, stacked by framework: {dated} dated"
    if undated:
        count = sum(r["agreements"] for r in undated)
        split = "、".join(f"{e(r['framework_label'] or r['framework'] or '枠組不明')} {r['agreements']}" for r in undated)
        split_en = "; ".join(f"{e(english_label(r['framework_label']) or r['framework'] or 'framework unknown')} "
                             f"{r['agreements']}" for r in undated)
        text += f"、日付不明 {count} 件（{split}）は右端の「{registry_figures.UNDATED}」の棒"
        english += f"; {count} undated ({split_en}) in the bar on the right, {name(registry_figures.UNDATED)} (date unknown)"
    return _caption(text + "。", english + ".")


def _sizes_caption(table: Table) -> str:
    rows = _records(table)
    differ = [r for r in rows if r["stated"] is not None and r["stated"] != r["listed"]]
    unstated = [name(_area_name(r)) for r in rows if r["stated"] is None]
    text = f"{len(rows)} 圏域の構成市町村数（中心市を含む）。"
    english = f"Member municipalities of {_of_the(len(rows), 'area', 'areas')}, the core city included."
    if differ:
        text += "資料に記載の総数と一覧が異なる圏域: " + "、".join(
            f"{e(_area_name(r))}（一覧 {r['listed']}、記載 {r['stated']}）" for r in differ) + "。"
        english += " Areas whose list differs from the total their sources state: " + ", ".join(
            f"{name(_area_name(r))} ({r['listed']} listed, {r['stated']} stated)" for r in differ) + "."
    elif len(unstated) < len(rows):
        text += "資料に記載の総数はどれも一覧と一致。"
        english += " Every total the sources state agrees with the list."
    if unstated:
        text += f"総数の記載なし: {'、'.join(unstated)}。"
        english += f" No total stated: {', '.join(unstated)}."
    shown, rest = registry_figures.size_bars(_sizes(table))
    if rest:
        text += (f"図には記載の総数が一覧と異なる圏域、次に大きい圏域の {len(shown)} を示し、その他 {len(rest)} 圏域は"
                 "最下段に最小〜最大の幅で。")
        english += (f" The figure shows {len(shown)} areas (those whose stated total differs first, then the largest); "
                    f"the other {len(rest)} are one bar from the smallest to the largest.")
    return _caption(text, english)


def _growth_caption(growth: Table, sizes: Table) -> str:
    drawn = set(_dated_by_area(growth))
    left_out = [name(_area_name(r)) for r in _records(sizes) if r["area"] not in drawn]
    ends = sum(r["ended"] or 0 for r in _records(growth))
    text = (f"構成市町村の数の推移、{len(drawn)} 圏域: 加入日（中心市との協約の日付）で 1 増え、終了日（協約の終了・"
            f"構成市町村でなくなった日）で 1 減る（終了 {ends} 件、▽で示す）。"
            f"加入日の記載のない構成市町村（中心市を含む）は数に含めず、各図に「{registry_figures.UNDATED}」の数を示す。")
    english = (f"Members over time, {len(drawn)} {'area' if len(drawn) == 1 else 'areas'}: each joining date (the member's agreement with the core city) "
               f"adds one, each end (its agreement ended, it stopped being a member) takes one away ({ends} ends, drawn "
               "▽); members without a joining date (the core city among them) are not counted, their number is "
               f"written in each panel ({name(registry_figures.UNDATED)}, date unknown).")
    if left_out:
        text += f"日付のある加入のない {len(left_out)} 圏域は図にない: {'、'.join(left_out)}。"
        english += (f" Not drawn, without a dated joining: {_of_the(len(left_out), 'area', 'areas')}, "
                    f"{', '.join(left_out)}.")
    shown, rest = registry_figures.growth_panels(_growths(growth))
    if rest:
        text += (f"日付のある構成市町村の多い {len(shown)} 圏域を示し、その他 {len(rest)} 圏域は最後の図に合わせた累計"
                 "（灰色、縦軸は別）。")
        english += (f" The {len(shown)} areas with the most dated members are shown; the other {len(rest)} together "
                    "in the last panel (grey, on a count axis of its own).")
    return _caption(text, english)


def _by_area(table: Table) -> dict[str, list[dict]]:
    """The rows of each area (column `area`), areas in the order of the query."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for r in _records(table):
        grouped[r["area"]].append(r)
    return grouped


def _dated_by_area(growth: Table) -> dict[str, list[dict]]:
    """area-growth's dated rows by area (an area with no dated member has one row without a date)."""
    return {area: dated for area, rows in _by_area(growth).items() if (dated := [r for r in rows if r["date"]])}


def _area_name(record: dict) -> str:
    return record["area_label"] or record["area"]


def _records(table: Table) -> list[dict]:
    return [dict(zip(table.columns, row)) for row in table.rows]
