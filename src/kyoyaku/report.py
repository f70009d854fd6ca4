"""`kyoyaku report`: figures and a summary page from the built data, through the query library.

dist/report/ gets coverage.png/.svg (partner × national policy field, from coverage-matrix.rq),
areas.png/.svg (each area's core city, partners and agreements, from area-agreements.rq) and
index.html (counts, the figures, the area table). Written into a fresh directory and swapped in.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from . import figures
from .build import check_out_dir, swap_in
from .query import Table, find_query, run
from .store import open_store

MARKER = "index.html"


def report(data: list[Path], out: Path) -> list[Path]:
    check_out_dir(out, MARKER, "kyoyaku report")
    store = open_store(data)
    coverage = run(store, find_query("coverage-matrix"))
    agreements = run(store, find_query("area-agreements"))
    summary = run(store, find_query("area-summary"))

    def write(stage: Path) -> list[str]:
        written = coverage_figure(coverage, stage / "coverage") + area_figure(agreements, stage / "areas")
        (stage / MARKER).write_text(page(coverage, agreements, summary), encoding="utf-8")
        return [p.name for p in written] + [MARKER]

    return swap_in(out, write)


def coverage_figure(table: Table, stem: Path) -> list[Path]:
    rows = {r["partner_name"]: None for r in _records(table)}
    fields = {r["field_label"]: r["field"] for r in _records(table)}
    columns = sorted(fields, key=lambda label: fields[label])
    counts = {(r["partner_name"], r["field_label"]): r["initiatives"] for r in _records(table)}
    return figures.coverage_heatmap(list(rows), columns, counts, stem, "連携する取組の政策分野（市町村 × 全国の政策分野）")


def area_figure(table: Table, stem: Path) -> list[Path]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for r in _records(table):
        grouped[r["area"]].append(r)
    areas = []
    for rows in grouped.values():
        cores = sorted({r["core_name"] for r in rows})
        edges = [figures.AreaEdge(r["core_name"], r["partner_name"], r["full_text"], r["date"]) for r in rows]
        members = list(dict.fromkeys(r["partner_name"] for r in rows if r["partner_name"] not in cores))
        areas.append(figures.Area(rows[0]["area_label"], rows[0]["framework"], cores, members, edges))
    return figures.area_figure(areas, stem, "圏域と協約（実線: 全文、破線: 登録情報のみ）")


def page(coverage: Table, agreements: Table, summary: Table) -> str:
    full_texts = {r["agreement"] for r in _records(agreements) if r["full_text"]}
    records = {r["agreement"] for r in _records(agreements) if not r["full_text"]}
    head = "".join(f"<th>{html.escape(c)}</th>" for c in summary.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in summary.rows)
    return f"""<!DOCTYPE html>
<html lang="ja">
<head><meta charset="utf-8"><title>kyoyaku report — 連携協約の分析</title></head>
<body>
<h1>連携協約の分析 <small>kyoyaku report</small></h1>
<p>全文 {len(full_texts)} 件、登録情報のみ {len(records)} 件の協約、{len(summary.rows)} 圏域。
Full texts: {len(full_texts)}; registry records: {len(records)}; areas: {len(summary.rows)}.</p>
<h2>政策分野の網羅 / Coverage</h2>
<img src="coverage.svg" alt="coverage heatmap: partner municipalities × national policy fields">
<h2>圏域 / Areas</h2>
<img src="areas.svg" alt="areas: core city, partners and one edge per agreement">
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
</body>
</html>
"""


def _records(table: Table) -> list[dict]:
    return [dict(zip(table.columns, row)) for row in table.rows]
