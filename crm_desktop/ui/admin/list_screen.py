"""A small list screen: toolbar, read-only table of a few hundred rows at most, loaded off the GUI
thread. Organisations, positions and roles are short lists; accounts use the lazy model instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.ui.common.forms import BackgroundCalls


class ListScreen(QWidget, BackgroundCalls):
    """Subclasses implement ``header_titles()``, ``fetch(db)`` (worker thread) and ``cells(row)``."""

    sig_loaded = Signal(int)
    """The rows arrived. Parameters: row count."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    write_permission = ""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.rows: list[Any] = []
        self.writable = db.can(self.write_permission) if self.write_permission else True
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        headers = self.header_titles()
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.table)
        refresh = QAction(self.tr("Refresh"), self, shortcut=QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        self.refresh_action = refresh

    def add_action(self, text: str, slot: Callable[[], None], write: bool = True) -> QAction:
        """A toolbar button; write actions are disabled for an account without the permission."""
        action = self.toolbar.addAction(text)
        action.triggered.connect(slot)
        action.setEnabled(self.writable or not write)
        return action

    def finish_toolbar(self) -> None:
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.refresh_action)

    # -- loading ---------------------------------------------------------------------------------
    def header_titles(self) -> list[str]:
        raise NotImplementedError

    def fetch(self, db) -> list[Any]:
        """Worker thread: read the rows through services; never touch widgets here."""
        raise NotImplementedError

    def cells(self, row: Any) -> list[str]:
        raise NotImplementedError

    def refresh(self) -> None:
        self.call(self.fetch, then=self._show)  # fetch(db) runs on a worker thread

    def take(self, result: Any) -> list[Any]:
        """GUI thread: keep what ``fetch`` returned beside the rows; returns the rows."""
        return result

    def _show(self, result: Any) -> None:
        rows = self.take(result)
        selected = self.selected()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(self.cells(row)):
                item = QTableWidgetItem(text)
                self.table.setItem(r, c, item)
            if selected is not None and self.row_id(row) == self.row_id(selected):
                self.table.selectRow(r)
        self.sig_loaded.emit(len(rows))

    # -- selection -------------------------------------------------------------------------------
    def row_id(self, row: Any) -> Any:
        return row["id"]

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def select_id(self, row_id: Any) -> bool:
        for r, row in enumerate(self.rows):
            if self.row_id(row) == row_id:
                self.table.selectRow(r)
                return True
        return False

    def open_selected(self) -> None:
        """Double-click: subclasses open the form."""
