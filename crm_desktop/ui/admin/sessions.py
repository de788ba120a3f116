"""在线会话: who is connected from which PC, since when, what each session is doing, who blocks
whom, and 结束会话 for a session that holds the office up.  Needs ``system.sessions``; the server
refuses the list and the ending to anyone else."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                               QToolBar, QVBoxLayout, QWidget)

from crm_desktop.services import sessions
from crm_desktop.services.sessions import SessionRow
from crm_desktop.ui.common.forms import BackgroundCalls, confirm, show_message
from crm_desktop.ui.common.lazy_model import format_value

BLOCKER_COLOUR = QColor("#f8d7da")
WAITING_COLOUR = QColor("#fff3cd")


class SessionsScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal(int)
    """The sessions arrived. Parameters: how many are shown."""
    sig_failed = Signal(str)
    """A call failed. Parameters: the sentence shown."""
    sig_session_ended = Signal(int)
    """A session was ended. Parameters: its process id."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.rows: list[SessionRow] = []
        self.setWindowTitle(self.tr("Sessions"))
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.end_action = toolbar.addAction(self.tr("End session"), self.end_selected)
        self.end_action.setEnabled(False)
        toolbar.addAction(self.tr("Refresh"), self.reload)
        self.summary = QLabel()
        self.table = QTableWidget(0, 11)
        self.table.setHorizontalHeaderLabels([
            self.tr("Login"), self.tr("Name"), self.tr("Computer"), self.tr("Address"),
            self.tr("Connected since"), self.tr("State"), self.tr("Since"), self.tr("Blocked by"),
            self.tr("Blocking"), self.tr("Process"), self.tr("Program")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.resize(1100, 420)
        self.reload()

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        self.call(sessions.list_sessions, then=self._show)

    def _show(self, rows: list[SessionRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(self._cells(row)):
                item = QTableWidgetItem(value)
                if row.blocking:
                    item.setBackground(QBrush(BLOCKER_COLOUR))
                elif row.blocked_by:
                    item.setBackground(QBrush(WAITING_COLOUR))
                self.table.setItem(r, c, item)
        blockers = sum(1 for row in rows if row.blocking)
        text = self.tr("Sessions connected: %1").replace("%1", str(len(rows)))
        if blockers:
            text += self.tr(", %1 of them blocking others").replace("%1", str(blockers))
        self.summary.setText(text)
        self._selection_changed()
        self.sig_loaded.emit(len(rows))

    def _cells(self, row: SessionRow) -> list[str]:
        name = row.account_name or self.tr("(system)")
        if row.is_mine:
            name += self.tr(" (this window)")
        return [row.login, name, row.computer, row.client_address,
                format_value(row.connected_at), self.state_text(row),
                format_value(row.transaction_since or row.state_since),
                ", ".join(self.login_of(pid) for pid in row.blocked_by),
                ", ".join(self.login_of(pid) for pid in row.blocking), str(row.pid), row.program]

    def state_text(self, row: SessionRow) -> str:
        if row.blocking:
            return self.tr("Blocking others")
        if row.waiting:
            return self.tr("Waiting for a lock")
        return {"active": self.tr("Working"), "idle": self.tr("Idle"),
                "idle in transaction": self.tr("Idle in a transaction"),
                "idle in transaction (aborted)": self.tr("Idle in a failed transaction")}.get(
            row.state, row.state)

    def login_of(self, pid: int) -> str:
        for row in self.rows:
            if row.pid == pid:
                return f"{row.login} ({pid})"
        return str(pid)

    # -- ending ------------------------------------------------------------------------------
    def row_of_pid(self, pid: int) -> int:
        """The table row of the session with process id ``pid``; -1 if it is not shown."""
        return next((r for r, row in enumerate(self.rows) if row.pid == pid), -1)

    def selected(self) -> SessionRow | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.rows[rows.pop()] if len(rows) == 1 else None

    def _selection_changed(self) -> None:
        row = self.selected()
        self.end_action.setEnabled(row is not None and row.may_end)

    def end_selected(self) -> None:
        row = self.selected()
        if row is None:
            show_message(self, self.tr("Select a session first."))
            return
        who = f"{row.account_name or row.login}（{row.computer or row.client_address}）"
        self.message_box = confirm(
            self, self.tr("End the session of %1? Its unsaved work is rolled back.").replace("%1", who),
            lambda: self.call(sessions.end_session, row.pid, then=lambda _r: self._ended(row.pid)))

    def _ended(self, pid: int) -> None:
        self.sig_session_ended.emit(pid)
        self.reload()
