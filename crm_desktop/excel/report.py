"""The error report of an import: the rows that could not be imported, as the user wrote them, with
the reasons in a last column.  The headers are the file's own, so the corrected report can be
imported again as it is (the extra columns are ignored)."""

from __future__ import annotations

from pathlib import Path

from crm_desktop import messages
from crm_desktop.excel.export import write_table
from crm_desktop.excel.importer import ImportPreview, sentences


def write_error_report(preview: ImportPreview, path: Path | str) -> int:
    """Write the preview's error rows to ``path``; returns how many were written."""
    width = len(preview.headers)
    headers = [*preview.headers, messages.text("import_report_row"), messages.text("import_report_errors")]

    def lines():
        for row in preview.error_rows:
            cells = (list(row.raw) + [None] * width)[:width]
            yield [*cells, row.number, sentences(row.errors)]

    return write_table(path, headers, lines(), title=preview.sheet)
