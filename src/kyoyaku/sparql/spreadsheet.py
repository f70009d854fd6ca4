"""Tables as a spreadsheet in Japan opens them: CSV in UTF-8 with a byte-order mark (without it, Excel
reads a CSV as Shift_JIS and the Japanese turns to mojibake) and CRLF line ends, Japanese column
names, and the 団体コード (全国地方公共団体コード) of a municipality in a column of its own beside it.

`excel_table` turns a query's rows (sparql.query.Table) into such a table: each column named from
COLUMN_NAMES, and after each column of municipality IRIs a column of their codes. `excel_csv` writes
any table as those bytes. `kyoyaku query NAME --format csv --excel` and the build's
dist/queries/NAME.csv both go through here.
"""

from __future__ import annotations

import csv
import io

from ..graph.iris import data_base
from .query import Table

BOM = "\ufeff"
CODE = "団体コード"

# The Japanese name of each column (SELECT variable) of the shipped queries; a variable not here keeps
# its own name (tests/sparql/test_spreadsheet.py checks that every shipped query's columns are here).
COLUMN_NAMES = {
    "agreement": "協約", "agreements": "協約数", "amending": "変更協約", "amendments": "変更協約数",
    "area": "圏域", "area_label": "圏域名", "areas": "圏域数", "areas_listed": "掲載圏域数",
    "areas_stated": "記載圏域数", "areas_with_core_city_here": "中心市がある圏域数", "category": "区分", "category_a": "区分（協約a）", "category_b": "区分（協約b）",
    "change": "変更", "consultation_heading": "協議の条の見出し", "core_cities": "中心市数", "coverage": "本文での網羅",
    "core_cities_listed": "掲載中心市数", "core_cities_stated": "記載中心市数", "core_city": "中心市",
    "core_city_name": "中心市名", "core_name": "中心市名", "cost_sharing_heading": "費用負担の条の見出し",
    "date": "日付", "designation": "呼称", "difference": "差", "ended": "終了数", "event": "出来事",
    "field": "政策分野", "field_label": "政策分野名", "file_name": "ファイル名", "framework": "枠組み",
    "framework_label": "枠組み名", "frameworks": "枠組み数", "full_text": "本文あり", "full_texts": "本文あり協約数",
    "in_force_from": "施行日", "initiative": "取組", "initiatives": "取組数", "joined": "加入数", "kind": "種別",
    "lapse_period": "失効までの期間", "lapse_unit": "期間の単位", "leader_designations": "主体の呼称",
    "leaders": "主体", "leads": "主体となる取組数", "line": "行", "listed": "掲載数", "matched_in": "一致した箇所",
    "member": "構成市町村", "members": "構成市町村数", "members_listed": "掲載構成市町村数（延べ）",
    "members_stated": "記載構成市町村数（延べ）", "municipality": "市町村", "municipality_name": "市町村名",
    "name": "名称", "node": "ノード", "notice_requires_council_resolution": "通告に議会の議決が必要",
    "other_area": "関係する圏域", "other_party": "相手方", "other_party_name": "相手方の名称", "partner": "連携市町村",
    "partner_name": "連携市町村名", "party": "当事者", "predecessor_label": "前身の圏域名", "prefecture": "都道府県",
    "prefecture_code": "都道府県コード", "records": "登録簿のみの協約数", "role": "役割", "row": "別表の行",
    "rows": "別表の行数", "sha256": "SHA-256", "shared_members": "共通の構成市町村数", "signed": "締結日",
    "since": "参加日", "source": "出典", "stated": "記載数", "stated_members": "記載構成市町村数",
    "stated_on": "記載の基準日", "status": "比較の結果", "text": "本文", "undated": "日付不明数", "version": "版", "year": "年",
}


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    return str(value)


def excel_table(table: Table) -> Table:
    """`table` with Japanese column names and, after each column whose values are municipality IRIs,
    a column of their 団体コード (「市町村の団体コード」)."""
    municipality = f"{data_base()}municipality/"
    municipal = [i for i, name in enumerate(table.columns)
                 if any(isinstance(row[i], str) for row in table.rows)
                 and all(row[i] is None or (isinstance(row[i], str) and row[i].startswith(municipality))
                         for row in table.rows)]
    columns, rows = [], [[] for _ in table.rows]
    for i, name in enumerate(table.columns):
        japanese = COLUMN_NAMES.get(name, name)
        columns.append(japanese)
        for out, row in zip(rows, table.rows):
            out.append(row[i])
        if i in municipal:
            columns.append(f"{japanese}の{CODE}")
            for out, row in zip(rows, table.rows):
                out.append(None if row[i] is None else row[i][len(municipality):])
    return Table(columns, rows)


def excel_csv(table: Table) -> bytes:
    """The table as CSV for a spreadsheet: UTF-8 with BOM, CRLF line ends, cells quoted where needed;
    booleans TRUE/FALSE, unbound cells empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")



def xlsx_bytes(table: Table, sheet: str = "結果") -> bytes:
    """The table (as excel_table makes it) as an Excel workbook (openpyxl): the header in bold and
    frozen, numbers and booleans as such, codes and every other text as text (082015 keeps its zero).
    Byte-identical for the same table: the workbook's dates and its zip entries' times are fixed."""
    import zipfile
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.properties.created = book.properties.modified = datetime(1980, 1, 1)
    ws = book.active
    ws.title = sheet
    ws.append(table.columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    made = io.BytesIO()
    book.save(made)
    fixed = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return fixed.getvalue()
