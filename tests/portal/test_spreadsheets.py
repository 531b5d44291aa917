"""portal.spreadsheets, the project's one spreadsheet writer: formula guard, typed cells,
widths, frozen header; CSV and XLSX from the same sheet."""
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal import spreadsheets as ss

FORMULA_LIKE = ["=1+1", "+1", "-1", "@A1", "＝1", "＋1", "－1", "＠A1", "\t1", "\rx", "\nx", "  =1", "\u3000＝1",
                " \t+1"]
PLAIN = ["", "罚款", "1-2", "a=b", "'quoted", "(=1)", "中＝文"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_recognised_and_guarded(text):
    assert ss.is_formula_like(text)
    assert ss.neutralise(text) == "'" + text
    assert ss.restore(ss.neutralise(text)) == text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_left_alone(text):
    assert not ss.is_formula_like(text)
    assert ss.neutralise(text) == text == ss.restore(text)


def test_csv_values():
    assert ss.csv_value(Decimal("40.0")) == "40.0"
    assert ss.csv_value(-3) == "-3"  # a number is not a formula
    assert ss.csv_value("-3") == "'-3"  # text is guarded
    assert ss.csv_value(datetime.date(2026, 12, 6)) == "2026-12-06"
    assert ss.csv_value(None) == ""


def test_xlsx_cells_are_typed_and_never_formulas():
    sheet = ss.Sheet("表/一:[x]", ["名称", ss.Column("学时", number_format="0.0"), "日期", "次数", "说明"], [
        ["=HYPERLINK(\"x\")", Decimal("40.0"), datetime.date(2026, 12, 6), 3, "普通\x07文本"],
        ["＠cmd", Decimal("7.25"), None, -1, None],
    ])
    wb = load_workbook(io.BytesIO(ss.xlsx_bytes(sheet)))
    ws = wb.active
    assert ws.title == "表_一__x_"
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    a, b = ws[2], ws[3]
    assert (a[0].value, a[0].data_type, a[0].quotePrefix) == ('=HYPERLINK("x")', "s", True)
    assert (a[1].value, a[1].data_type, a[1].number_format) == (40, "n", "0.0")
    assert a[2].is_date and a[2].value == datetime.datetime(2026, 12, 6)
    assert a[3].data_type == "n" and b[3].value == -1
    assert a[4].value == "普通文本"  # a control character XML cannot carry is dropped
    assert b[0].quotePrefix and b[2].value is None
    assert b[1].number_format == "0.0"  # the column's format wins over the value's places


def test_column_widths_follow_content_within_bounds():
    long = "很长的文字" * 40
    sheet = ss.Sheet("s", ["短", "单位", ss.Column("固定", width=33)], [["a", "江北区城市管理执法局", long]])
    ws = load_workbook(io.BytesIO(ss.xlsx_bytes(sheet))).active
    assert ws.column_dimensions["A"].width == ss.MIN_WIDTH
    assert ws.column_dimensions["B"].width == 2 * len("江北区城市管理执法局") + 2
    assert ws.column_dimensions["C"].width == 33
    wide = ss.Sheet("s", ["x"], [[long]])
    assert load_workbook(io.BytesIO(ss.xlsx_bytes(wide))).active.column_dimensions["A"].width == ss.MAX_WIDTH


def test_many_sheets_and_many_rows():
    rows = ([i, f"行{i}"] for i in range(ss.WIDTH_SAMPLE + 250))  # a generator, read once
    wb = load_workbook(io.BytesIO(ss.xlsx_bytes(ss.Sheet("一", ["n", "t"], rows), ss.Sheet("一", ["x"], [[1]]))))
    assert wb.sheetnames == ["一", "一 (2)"]
    assert wb["一"].max_row == ss.WIDTH_SAMPLE + 251 and wb["一"].cell(row=ss.WIDTH_SAMPLE + 251, column=1).value \
        == ss.WIDTH_SAMPLE + 249


def test_responses():
    sheet = ss.Sheet("s", ["a"], [["=1"]])
    x = ss.spreadsheet_response("xlsx", "年度.xlsx", sheet)
    assert x["Content-Type"] == ss.XLSX_CONTENT_TYPE and "filename*=utf-8''%E5%B9%B4%E5%BA%A6.xlsx" in x[
        "Content-Disposition"]
    c = ss.spreadsheet_response("csv", "list.csv", sheet)
    assert c.streaming and c["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert b"".join(c.streaming_content).decode("utf-8") == "\ufeffa\r\n'=1\r\n"
    with pytest.raises(ValueError):
        ss.spreadsheet_response("ods", "x.ods", sheet)
