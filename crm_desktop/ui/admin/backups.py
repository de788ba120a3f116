"""数据备份: when the last backup was made, how big, which file, and whether the latest run failed
(and why), with the record of recent runs.  Backups themselves are made on the server PC by
``crm-admin backup`` or the agent (they need the superuser); this screen only reads the record,
which the server shows to accounts holding ``system.backup``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                               QToolBar, QVBoxLayout, QWidget)

from crm_desktop.services import backups
from crm_desktop.services.backups import BackupRun
from crm_desktop.ui.common.forms import BackgroundCalls
from crm_desktop.ui.common.lazy_model import format_value

FAILED_COLOUR = QColor("#f8d7da")


class BackupsScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal(int)
    """The record arrived. Parameters: how many runs are shown."""
    sig_failed = Signal(str)
    """A call failed. Parameters: the sentence shown."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.runs: list[BackupRun] = []
        self.setWindowTitle(self.tr("Backups"))
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.tr("Refresh"), self.reload)
        self.last_backup = QLabel()
        self.last_backup.setObjectName("last_backup")
        self.last_backup.setWordWrap(True)
        self.last_failure = QLabel()
        self.last_failure.setObjectName("last_failure")
        self.last_failure.setWordWrap(True)
        self.last_failure.setStyleSheet("color: #b00020")
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([
            self.tr("Finished"), self.tr("Outcome"), self.tr("Size"), self.tr("File"), self.tr("Made by"),
            self.tr("Computer"), self.tr("Reason of the failure")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        hint = QLabel(self.tr("Backups are made on the server PC: crm-admin backup --to FOLDER --keep N "
                              "(cron or Task Scheduler), or by the agent. See the administrator's guide."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.last_backup)
        layout.addWidget(self.last_failure)
        layout.addWidget(self.table)
        layout.addWidget(hint)
        self.resize(1000, 420)
        self.reload()

    def reload(self) -> None:
        self.call(backups.recent_runs, then=self._show)

    def _show(self, runs: list[BackupRun]) -> None:
        self.runs = runs
        self.last_backup.setText(self.summary(runs))
        latest = runs[0] if runs else None
        self.last_failure.setVisible(latest is not None and not latest.ok)
        if latest is not None and not latest.ok:
            self.last_failure.setText(self.tr("The latest backup failed at %1: %2")
                                      .replace("%1", format_value(latest.finished_at)).replace("%2", latest.error))
        self.table.setRowCount(len(runs))
        for r, run in enumerate(runs):
            cells = [format_value(run.finished_at), self.tr("Done") if run.ok else self.tr("Failed"),
                     backups.size_text(run.size_bytes), run.file,
                     self.tr("Schedule") if run.trigger == "scheduled" else self.tr("By hand"), run.host, run.error]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if not run.ok:
                    item.setBackground(QBrush(FAILED_COLOUR))
                self.table.setItem(r, c, item)
        self.sig_loaded.emit(len(runs))

    def summary(self, runs: list[BackupRun]) -> str:
        good = backups.last_good(runs)
        if good is None:
            return self.tr("Last backup: none recorded yet.")
        return (self.tr("Last backup: %1, %2, %3").replace("%1", format_value(good.finished_at))
                .replace("%2", backups.size_text(good.size_bytes)).replace("%3", good.file))
