"""The Excel import framework on a small spec: template, reading, every way a file can be wrong,
row checks, the error report and the COPY helper.  Real .xlsx files, written with openpyxl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from crm_desktop import messages
from crm_desktop.excel import cells
from crm_desktop.excel.importer import (ImportColumn, ImportFileError, ImportSpec, commit_import, copy_rows,
                                        read_workbook, validate_file)
from crm_desktop.excel.report import write_error_report
from crm_desktop.excel.template import LISTS_SHEET, write_template


class ThingSpec(ImportSpec):
    title = "物品"
    columns = (
        ImportColumn("编码", "code", required=True, example="W-001"),
        ImportColumn("名称", "name", required=True, example="示例物品"),
        ImportColumn("价格", "price", parse=cells.decimal(zero_when_empty=True), example=Decimal("12.50")),
        ImportColumn("数量", "count", parse=cells.integer()),
        ImportColumn("监控", "watched", parse=cells.yes_no(), choices=("是", "否")),
        ImportColumn("颜色", "colour", parse=cells.choice(("红", "绿")), choices=("红", "绿")),
        ImportColumn("日期", "day", parse=cells.date_value()),
    )
    unique_fields = ("code",)
    rules = ("编码不能重复。",)

    def validate_row(self, row, context):
        if context and row.values.get("name") in context:
            row.add_error("import_duplicate_in_database", column="名称", value=row.values["name"])

    def check_against_database(self, rows, db):
        self.checked = len(rows)

    def commit(self, db, rows, progress=None):
        with db.session() as s:
            copy_rows(s, "import_thing", [("code", "text"), ("price", "numeric(14,2)")],
                      ((r.values["code"], r.values.get("price")) for r in rows), progress, len(rows))
            return s.execute(text("select count(*) from import_thing")).scalar_one()


def xlsx(path: Path, *rows, sheet: str = "物品") -> Path:
    wb = Workbook()
    wb.active.title = sheet
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


class FakeProgress:
    def __init__(self, cancel_after: int | None = None):
        self.reports, self.cancel_after = [], cancel_after

    @property
    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) >= self.cancel_after

    def raise_if_cancelled(self):
        from crm_desktop.ui.common.tasks import TaskCancelled

        if self.cancelled:
            raise TaskCancelled()

    def report(self, done, total=0):
        self.reports.append((done, total))


@pytest.fixture(autouse=True)
def chinese():
    messages.set_language("zh_CN")


def test_template_marks_required_columns_offers_choices_and_explains_the_rules(tmp_path):
    path = write_template(ThingSpec(), tmp_path / "t.xlsx")
    wb = load_workbook(path)
    sheet = wb["物品"]
    assert [c.value for c in sheet[1]] == ["编码*", "名称*", "价格", "数量", "监控", "颜色", "日期"]
    assert [c.value for c in sheet[2]][:3] == ["W-001", "示例物品", 12.5]
    formulas = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert formulas["E2:E1048576"] == f"'{LISTS_SHEET}'!$E$1:$E$2"
    assert [wb[LISTS_SHEET].cell(r, 6).value for r in (1, 2)] == ["红", "绿"]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    notes = [[c.value for c in row] for row in wb["说明"].iter_rows()]
    assert notes[1][0] == "(1) 编码不能重复。"
    assert ["编码", "是", None, None, "W-001"] in notes


def test_template_reads_back_with_its_example_row_skipped(tmp_path):
    path = write_template(ThingSpec(), tmp_path / "t.xlsx")
    with pytest.raises(ImportFileError) as raised:
        read_workbook(path, ThingSpec())
    assert raised.value.key == "import_no_rows"


def test_headers_match_by_text_in_any_order_with_marks_and_blanks(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ["备注", " 名称 * ", "编码＊", "价格"], ["x", "螺丝", "A1", 3.1])
    preview = read_workbook(path, ThingSpec())
    row = preview.rows[0]
    assert row.values == {"code": "A1", "name": "螺丝", "price": Decimal("3.10")}
    assert row.number == 2 and row.ok
    assert [str(n) for n in preview.notes] == ["以下列不属于模板，已忽略：备注。"]


def test_a_title_above_the_header_is_tolerated_and_row_numbers_are_the_sheets(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ["物品清单"], [], ["编码", "名称"], ["A1", "甲"], [], ["A2", "乙"])
    preview = read_workbook(path, ThingSpec())
    assert [(r.number, r.values["code"]) for r in preview.rows] == [(4, "A1"), (6, "A2")]


def test_every_row_is_checked_and_errors_name_the_column(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称", "价格", "数量", "监控", "颜色", "日期"],
                ["A1", "", "abc", "2.5", "也许", "蓝", "2013-02-30"],
                ["A2", "好", None, 7, "是", "红", "2013/03/08"])
    bad, good = read_workbook(path, ThingSpec()).rows
    assert [str(e) for e in bad.errors] == [
        "“名称”为必填项，不能为空。",
        "“价格”应为数字（如 8999 或 8,999.00 元），“abc”不是数字。",
        "“数量”应为整数，“2.5”无效。",
        "“颜色”只能是：红、绿；“蓝”无效。",
        "“日期”应为日期（如 2013-03-08），“2013-02-30”无效。"]
    assert [str(n) for n in bad.notes] == ["“监控”的值“也许”无效，按“否”导入。"]
    assert good.ok and good.values["watched"] is True and str(good.values["day"]) == "2013-03-08"
    assert good.values["price"] == Decimal("0.00") and [n.key for n in good.notes] == ["import_empty_read_as_zero"]


def test_numbers_never_go_through_float(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称", "价格"], ["A1", "甲", 0.1 + 0.2], ["A2", "乙", "1,234.565"],
                ["A3", "丙", 123456789012], ["A5", "戊", 1234567890123], ["A4", "丁", -1])
    rows = read_workbook(path, ThingSpec()).rows
    assert [r.values.get("price") for r in rows] == [Decimal("0.30"), Decimal("1234.57"), Decimal("123456789012.00"),
                                                     None, None]
    assert all(type(r.values["price"]) is Decimal for r in rows[:3])
    assert [n.key for n in rows[1].notes] == ["import_number_rounded"]
    assert [e.key for e in rows[3].errors] == ["field_amount_too_large"]
    assert [str(e) for e in rows[4].errors] == ["“价格”不能为负数：-1。"]  # not "not a number"


def test_prices_written_as_people_write_them_are_read_and_the_rest_refused_not_zeroed(tmp_path):
    """Issue 15 item 3: 8999元 and 约5000 imported as 0 with only a note."""
    cells_in = ["8999元", "￥1,000.50", "¥ 12", "１２３．５", "8，999", "约5000", "100-200", "5 000元"]
    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称", "价格"], *[[f"P{i}", "甲", v] for i, v in enumerate(cells_in)])
    rows = read_workbook(path, ThingSpec()).rows
    assert [r.values.get("price") for r in rows] == [Decimal("8999.00"), Decimal("1000.50"), Decimal("12.00"),
                                                     Decimal("123.50"), Decimal("8999.00"), None, None,
                                                     Decimal("5000.00")]
    assert [[e.key for e in r.errors] for r in rows][5:7] == [["field_amount_invalid"]] * 2
    assert not any(r.notes for r in rows)


def test_codes_typed_as_numbers_read_as_text(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称"], [1001, "甲"], [12.5, "乙"])
    assert [r.values["code"] for r in read_workbook(path, ThingSpec()).rows] == ["1001", "12.5"]


def test_a_repeat_within_the_file_is_refused_and_its_first_row_kept(tmp_path):
    """Issue 15 item 9: every copy was refused, so the customer was imported by neither row."""
    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称"], ["A1", "甲"], ["A2", "乙"], ["A1", "丙"])
    first, second, third = read_workbook(path, ThingSpec()).rows
    assert first.ok and second.ok
    assert [str(e) for e in third.errors] == ["“编码”的值“A1”与第 2 行重复，只导入第 2 行。"]


def test_validate_row_gets_the_context_and_the_database_check_the_valid_rows(tmp_path):
    class Db:
        pass

    spec = ThingSpec()
    spec.load_context = lambda db: {"甲"}
    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称"], ["A1", "甲"], ["A2", "乙"])
    preview = validate_file(Db(), spec, path)
    assert [r.ok for r in preview.rows] == [False, True] and spec.checked == 1


@pytest.mark.parametrize("content, key", [
    (b"", "import_file_empty"),
    ("编码,名称\nA1,甲\n".encode("gbk"), "import_file_not_excel"),
    (b"just some text renamed to .xlsx", "import_file_not_excel"),
    (b"PK\x03\x04this is no real zip archive", "import_file_unreadable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le"), "import_file_xls_unsupported"),
])
def test_files_that_are_not_workbooks_get_a_sentence(tmp_path, content, key):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as raised:
        read_workbook(path, ThingSpec())
    assert raised.value.key == key and "bad.xlsx" in str(raised.value)


def test_a_zip_that_is_not_a_workbook_is_unreadable(tmp_path):
    import zipfile

    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportFileError) as raised:
        read_workbook(path, ThingSpec())
    assert raised.value.key == "import_file_unreadable"


def test_a_password_protected_workbook_is_recognised(tmp_path):
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = xlsx(tmp_path / "plain.xlsx", ["编码", "名称"], ["A1", "甲"])
    encrypted = tmp_path / "secret.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        office = OOXMLFile(source)
        office.encrypt("secret", target)
    with pytest.raises(ImportFileError) as raised:
        read_workbook(encrypted, ThingSpec())
    assert raised.value.key == "import_file_encrypted"
    assert "密码" in str(raised.value)


def test_missing_required_columns_are_named(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ["编码", "价格"], ["A1", 1])
    with pytest.raises(ImportFileError) as raised:
        read_workbook(path, ThingSpec())
    assert str(raised.value) == "文件缺少必需的列：名称。请下载导入模板，按模板的列填写。"


def test_an_empty_workbook_and_a_header_without_rows(tmp_path):
    with pytest.raises(ImportFileError) as raised:
        read_workbook(xlsx(tmp_path / "e.xlsx"), ThingSpec())
    assert raised.value.key == "import_file_empty"
    with pytest.raises(ImportFileError) as raised:
        read_workbook(xlsx(tmp_path / "h.xlsx", ["编码", "名称"], [None, None]), ThingSpec())
    assert raised.value.key == "import_no_rows"


def test_the_data_sheet_need_not_be_the_first(tmp_path):
    wb = Workbook()
    wb.active.append(["说明：请看第二页"])
    data = wb.create_sheet("数据")
    data.append(["编码", "名称"])
    data.append(["A1", "甲"])
    wb.save(tmp_path / "a.xlsx")
    preview = read_workbook(tmp_path / "a.xlsx", ThingSpec())
    assert preview.sheet == "数据" and len(preview.rows) == 1


def test_the_error_report_holds_the_original_rows_and_their_errors(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", ["名称", "编码", "数量"], ["甲", "A1", "x"], ["乙", "A2", 3], [None, "A3", 4])
    preview = read_workbook(path, ThingSpec())
    assert write_error_report(preview, tmp_path / "r.xlsx") == 2
    rows = [[c.value for c in row] for row in load_workbook(tmp_path / "r.xlsx").active.iter_rows()]
    assert rows[0] == ["名称", "编码", "数量", "原行号", "错误"]
    assert rows[1] == ["甲", "A1", "x", 2, "“数量”应为整数，“x”无效。"]
    assert rows[2][:4] == [None, "A3", 4, 4]
    # the report is itself importable once corrected: its extra columns are ignored
    again = read_workbook(tmp_path / "r.xlsx", ThingSpec())
    assert len(again.rows) == 2 and again.notes[0].key == "import_columns_ignored"


def test_progress_is_reported_and_reading_can_be_cancelled(tmp_path):
    from crm_desktop.ui.common.tasks import TaskCancelled

    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称"], *[[f"A{i}", "甲"] for i in range(3000)])
    progress = FakeProgress()
    read_workbook(path, ThingSpec(), progress)
    assert progress.reports[-1] == (3000, 3000) and len(progress.reports) > 3
    with pytest.raises(TaskCancelled):
        read_workbook(path, ThingSpec(), FakeProgress(cancel_after=2))


def test_commit_copies_the_valid_rows_in_one_transaction(tmp_path, admin_db):
    path = xlsx(tmp_path / "a.xlsx", ["编码", "名称", "价格"], ["A1", "甲", "9.99"], ["A2", "", 1], ["A3", "丙", 2])
    preview = read_workbook(path, ThingSpec())
    assert commit_import(admin_db, preview) == 2


def test_nothing_valid_is_refused(tmp_path, admin_db):
    preview = read_workbook(xlsx(tmp_path / "a.xlsx", ["编码", "名称"], ["A1", None]), ThingSpec())
    with pytest.raises(messages.UserError) as raised:
        commit_import(admin_db, preview)
    assert raised.value.key == "import_nothing_valid"


def test_a_long_import_is_not_cut_off_by_the_sessions_statement_timeout(login):
    """The import's transaction lifts the two-minute statement_timeout every account session has."""
    from sqlalchemy import text

    from crm_desktop.excel.importer import copy_rows

    db = login("chenjing")
    with db.session() as s:
        assert s.execute(text("show statement_timeout")).scalar() == "2min"
        copy_rows(s, "timeout_probe", [("x", "integer")], [(1,), (2,)])
        assert s.execute(text("show statement_timeout")).scalar() == "0"
        assert s.execute(text("select count(*) from timeout_probe")).scalar() == 2
    with db.session() as s:  # only for that transaction
        assert s.execute(text("show statement_timeout")).scalar() == "2min"
