"""The import wizard's preview table: every row as read, errors red, rows read with notes yellow."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from crm_desktop.excel.cells import as_text
from crm_desktop.excel.importer import ImportPreview, sentences

ERROR_BRUSH, NOTE_BRUSH = QBrush(QColor("#f8d7da")), QBrush(QColor("#fff3cd"))


class PreviewModel(QAbstractTableModel):
    """The preview's rows as read: 问题 (the reason, first so it is seen), 行号, the file's columns.
    A row's tooltip lists its errors and notes one per line."""

    PROBLEMS, ROW = 0, 1

    def __init__(self, preview: ImportPreview, parent: QObject | None = None):
        super().__init__(parent)
        self.preview = preview
        self.rows = preview.rows
        self._titles = [self.tr("Errors and notes"), self.tr("Row"), *preview.headers]

    def show_problems_only(self, only: bool) -> None:
        self.beginResetModel()
        self.rows = [r for r in self.preview.rows if r.errors or r.notes] if only else self.preview.rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._titles[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            return ERROR_BRUSH if row.errors else NOTE_BRUSH if row.notes else None
        return None

    def _text(self, row, column: int) -> str:
        if column == self.PROBLEMS:
            return sentences((*row.errors, *row.notes)) if (row.errors or row.notes) else self.tr("OK")
        if column == self.ROW:
            return str(row.number)
        cell = column - 2
        return as_text(row.raw[cell]) if cell < len(row.raw) else ""

    def _tooltip(self, row) -> str | None:
        lines = [*(f"✖ {m}" for m in row.errors), *(f"⚠ {m}" for m in row.notes)]
        return self.tr("Row {number}").format(number=row.number) + "\n" + "\n".join(lines) if lines else None
