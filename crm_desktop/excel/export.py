"""The one Excel exporter: a header row, data rows, readable column widths, frozen header."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter


def _cell_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal, date, datetime, str)):
        return value
    return str(value)


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[object]],
                title: str = "Sheet1") -> int:
    """Write rows to ``path`` (write-only mode, so memory stays flat); returns the row count."""
    return write_sheets(path, [(title, headers, rows)])


def write_sheets(path: Path | str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> int:
    """Several tables, one sheet each (title, headers, rows), in one workbook; returns the row count."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    header_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    count = 0
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        widths = [max(8, len(h) * 2 + 2) for h in headers]
        ws.freeze_panes = "A2"
        header_cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font, cell.fill = header_font, fill
            header_cells.append(cell)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(w, 40)
        ws.append(header_cells)
        for row in rows:
            ws.append([_cell_value(v) for v in row])
            count += 1
    wb.save(str(path))
    return count
