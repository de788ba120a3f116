"""Import templates: the header row (required columns marked *), drop-down lists for columns with
choices, an example row, and a notes sheet with the rules.  Built from the ImportSpec alone, so the
template and the importer can never disagree."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from crm_desktop import messages
from crm_desktop.excel.cells import as_text
from crm_desktop.excel.importer import ImportColumn, ImportSpec

TEXT_FORMAT = "@"
LISTS_SHEET = "选项"  # hidden: long choice lists live here (an inline list is capped at 255 characters)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C0392B")
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")


def header_text(column: ImportColumn) -> str:
    return column.header + ("*" if column.required else "")


def write_template(spec: ImportSpec, path: Path | str) -> Path:
    """Write the template for ``spec`` to ``path`` (.xlsx); returns the path."""
    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (spec.title or "Sheet1")[:31]
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for index, column in enumerate(spec.columns, start=1):
        _write_column(sheet, lists, index, column)
    sheet.freeze_panes = "A2"
    _write_notes(workbook.create_sheet(messages.text("import_template_notes_sheet")), spec)
    workbook.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _write_column(sheet, lists, index: int, column: ImportColumn) -> None:
    letter = get_column_letter(index)
    header = sheet.cell(1, index, header_text(column))
    header.font = _REQUIRED_FONT if column.required else Font(bold=True)
    header.fill = _HEADER_FILL
    example = sheet.cell(2, index, column.example if column.example != "" else None)
    example.font = _EXAMPLE_FONT
    dimension = sheet.column_dimensions[letter]
    dimension.width = max(column.width, len(column.header) * 2 + 4)
    if getattr(column.parse, "is_text", False):
        # Text (@): what is typed stays as typed — 000777, 02083334444, an 18-digit ID number
        dimension.number_format = example.number_format = TEXT_FORMAT
        if column.example != "":
            example.value = as_text(column.example)
    if column.choices:
        for row, choice in enumerate(column.choices, start=1):
            lists.cell(row, index, choice)
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(column.choices)}"
        # "warning", not "stop": the importer decides, and a list may be older than the database
        validation = DataValidation(type="list", formula1=source, allow_blank=True, errorStyle="warning",
                                    showErrorMessage=True, error=messages.text("import_template_choose"))
        validation.add(f"{letter}2:{letter}1048576")
        sheet.add_data_validation(validation)


def _write_notes(notes, spec: ImportSpec) -> None:
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 8
    notes.column_dimensions["C"].width = 60
    notes.column_dimensions["D"].width = 30
    notes.column_dimensions["E"].width = 20
    notes.append([messages.text("import_template_rules_title", title=spec.title)])
    notes["A1"].font = Font(bold=True, size=12)
    for number, rule in enumerate(spec.rules, start=1):
        notes.append([f"({number}) {rule}"])
    notes.append([])
    notes.append(messages.text("import_template_columns").split("|"))
    for cell in notes[notes.max_row]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    yes, no = messages.text("word_yes"), messages.text("word_no")
    for column in spec.columns:
        choices = "、".join(column.choices[:20]) + ("…" if len(column.choices) > 20 else "")
        notes.append([column.header, yes if column.required else no, column.note, choices,
                      column.example if column.example != "" else None])
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
