"""The dialog a refused stale save shows: who changed the record, and for each field what the form
read and what is there now. The user reloads (their unsaved edits are dropped) or keeps editing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.services.records import StaleRow
from crm_desktop.ui.common.lazy_model import format_value


class StaleRowDialog(QDialog):
    sig_reload = Signal()
    """The user chose to reload the record."""

    def __init__(self, error: StaleRow, labels: dict[str, str], parent: QWidget | None = None,
                 value_text: Callable[[str, Any], str | None] | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Changed by someone else"))
        self.value_text = value_text or (lambda _field, _value: None)
        message = QLabel(str(error))
        message.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("What you read"), self.tr("Now")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for field, (read, now) in error.changes.items():
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate((labels.get(field, field), self.show_value(field, read),
                                           self.show_value(field, now))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        buttons = QDialogButtonBox()
        self.reload_button = buttons.addButton(self.tr("Reload"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button = buttons.addButton(self.tr("Keep editing"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._reload)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def changed_fields(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]

    def show_value(self, field: str, value: Any) -> str:
        return self.value_text(field, value) or self.format(value)

    def format(self, value: Any) -> str:
        if value is None or value == "":
            return self.tr("(empty)")
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        return format_value(value)

    def _reload(self) -> None:
        self.sig_reload.emit()
        self.accept()
