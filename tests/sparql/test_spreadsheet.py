"""Tables for a spreadsheet (sparql.spreadsheet): Japanese column names for every shipped query, a
団体コード column beside each column of municipality IRIs, and the bytes Excel in Japan reads."""

from __future__ import annotations

from kyoyaku.sparql.query import Table, list_queries
from kyoyaku.sparql.spreadsheet import COLUMN_NAMES, excel_csv, excel_table, xlsx_bytes

M = "https://w3id.org/kyoyaku/municipality/"


def test_every_column_of_every_shipped_query_has_a_japanese_name():
    """Each SELECT variable (rdflib's algebra: the projected variables, parameters or not) is named."""
    from rdflib.plugins.sparql import prepareQuery

    missing = {}
    for query in list_queries():
        columns = [str(v) for v in prepareQuery(query.text).algebra["PV"]]
        unnamed = [c for c in columns if c not in COLUMN_NAMES]
        if unnamed:
            missing[query.name] = unnamed
    assert missing == {}


def test_a_code_column_follows_each_municipality_column():
    table = Table(["partner", "partner_name", "field"], [[M + "082368", "小美玉市", "x"], [None, "不明", "y"]])
    assert excel_table(table) == Table(["連携市町村", "連携市町村の団体コード", "連携市町村名", "政策分野"],
                                       [[M + "082368", "082368", "小美玉市", "x"], [None, None, "不明", "y"]])


def test_excel_csv_bytes():
    table = Table(["市町村", "本文あり", "数"], [["水戸市", True, 2], ["改行\nあり", None, 0.5]])
    assert excel_csv(table) == ('\ufeff市町村,本文あり,数\r\n水戸市,TRUE,2\r\n"改行\nあり",,0.5\r\n').encode()


def test_xlsx_keeps_codes_as_text_and_is_byte_identical(tmp_path):
    from openpyxl import load_workbook

    table = excel_table(Table(["partner", "partner_name", "initiatives", "full_text"],
                              [[M + "082368", "小美玉市", 16, True]]))
    first = xlsx_bytes(table)
    assert first == xlsx_bytes(table)  # no time stamp in the workbook or its zip entries
    (tmp_path / "t.xlsx").write_bytes(first)
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["連携市町村", "連携市町村の団体コード", "連携市町村名", "取組数", "本文あり"],
        [M + "082368", "082368", "小美玉市", 16, True]]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
