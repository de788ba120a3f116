"""The one Excel exporter: a header row, data rows, readable column widths, frozen header.

Text is always written as text: a customer named ``=HYPERLINK(…)`` (or anything beginning with
= + - @, a tab or a carriage return) would otherwise be a live formula in the export — openpyxl
writes any string beginning with = as a formula, and a spreadsheet re-reads + - @ as one when the
cell is edited.  Such a cell is a string cell with Excel's quote prefix (it shows as typed)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell_value(ws, value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return _text_cell(ws, value) if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, (int, Decimal, date, datetime)):
        return value
    return str(value)


def _text_cell(ws, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # not "f": openpyxl took the = for a formula
    cell.quotePrefix = True
    return cell


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[object]],
                title: str = "Sheet1") -> int:
    """Write rows to ``path`` (write-only mode, so memory stays flat); returns the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    widths = [max(8, len(h) * 2 + 2) for h in headers]
    ws.freeze_panes = "A2"
    header_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font, cell.fill = header_font, fill
        header_cells.append(cell)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(w, 40)
    ws.append(header_cells)
    count = 0
    for row in rows:
        ws.append([_cell_value(ws, v) for v in row])
        count += 1
    wb.save(str(path))
    return count
