"""销售提醒: the account's own open contact plans — overdue, today, this week — as a widget a dock
(or the workbench) holds.  It refreshes on NOTIFY of plans and records and once a minute, counts
what is due for the status bar and says when a plan falls due while the program runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from crm_desktop.ui.common.forms import alive
from crm_desktop.services import followup
from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.followup.plan_fields import way_names

REFRESH_TABLES = frozenset({"contact_plan", "contact_record", "customer_share"})


def _tr(text: str) -> str:
    return QCoreApplication.translate("Followup", text)


def bucket_titles() -> dict[str, str]:
    return {"overdue": _tr("Overdue"), "today": _tr("Today"), "week": _tr("This week")}


class RemindersWidget(QWidget):
    sig_loaded = Signal()
    """The reminders on screen are fresh."""
    sig_count_changed = Signal(int)
    """Parameters: how many plans are due (overdue and today's)."""
    sig_fell_due = Signal(list)
    """Plans fell due since the last look while the program ran. Parameters: their rows."""
    sig_reminder_opened = Signal(int, int)
    """The user opened a reminder. Parameters: plan id, customer id."""
    sig_failed = Signal(str)
    """Loading failed. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None, clock=None):
        super().__init__(parent)
        self.db = db
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.buckets: dict[str, list[dict[str, Any]]] = {b: [] for b in followup.BUCKETS}
        self._announced: set[int] | None = None  # plans already due at the last look
        self.setObjectName("reminders")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("reminder_tree")
        self.tree.setHeaderLabels([_tr("Time"), _tr("Customer"), _tr("Subject"), _tr("Way"), _tr("Planned by")])
        self.tree.setRootIsDecorated(True)
        self.tree.itemActivated.connect(self._activated)
        self.status = QLabel(self)
        self.status.setObjectName("reminder_status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tree)
        layout.addWidget(self.status)
        self.reload_timer = QTimer(self, singleShot=True, interval=300)
        self.reload_timer.timeout.connect(self.refresh)
        self.minute_timer = QTimer(self, interval=60_000)
        self.minute_timer.timeout.connect(self.refresh)
        self.minute_timer.start()

    def connect_changes(self, bridge) -> None:
        bridge.sig_changed.connect(self.on_changed)
        bridge.sig_listening.connect(self.reload_timer.start)

    def on_changed(self, table: str, _op: str, _row_id) -> None:
        if table in REFRESH_TABLES:
            self.reload_timer.start()

    def refresh(self) -> None:
        now = self.clock()
        task = run_in_background(followup.reminders, self.db, now)
        task.on_success(lambda buckets: self.show_reminders(buckets, now) if alive(self) else None)
        task.on_failure(lambda error: self.sig_failed.emit(str(error)) if alive(self) else None)

    def show_reminders(self, buckets: dict[str, list[dict[str, Any]]], now: datetime) -> None:
        self.buckets = buckets
        ways = way_names()
        self.tree.clear()
        for key, title in bucket_titles().items():
            rows = buckets[key]
            top = QTreeWidgetItem(self.tree, [f"{title} ({len(rows)})"])
            top.setData(0, Qt.ItemDataRole.UserRole, None)
            for row in rows:
                item = QTreeWidgetItem(top, [row["planned_at"].astimezone().strftime("%m-%d %H:%M"),
                                             row["customer_name"], row["subject"], ways.get(row["way"], row["way"]),
                                             row["author_name"]])
                item.setData(0, Qt.ItemDataRole.UserRole, (row["plan_id"], row["customer_id"]))
                if key == "overdue":
                    item.setForeground(0, Qt.GlobalColor.red)
            top.setExpanded(key != "week" or len(rows) < 20)
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        count = followup.due_count(buckets)
        self.status.setText(_tr("%1 due").replace("%1", str(count)))
        self._announce(buckets, now)
        self.sig_count_changed.emit(count)
        self.sig_loaded.emit()

    def _announce(self, buckets: dict[str, list[dict[str, Any]]], now: datetime) -> None:
        due = {r["plan_id"]: r for r in buckets["overdue"]}
        if self._announced is not None:
            fresh = [r for pid, r in due.items() if pid not in self._announced]
            if fresh:
                self.sig_fell_due.emit(fresh)
        self._announced = set(due)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data:
            self.sig_reminder_opened.emit(*data)

    def open_plan(self, plan_id: int, customer_id: int):
        """Open the customer's 联系管理 with the plan selected (what activating a reminder does)."""
        from crm_desktop.ui.followup.customer_followup import CustomerFollowup

        window = CustomerFollowup(self.db, customer_id, plan_id, self.window())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        self.opened = window
        return window


class RemindersDock(QDockWidget):
    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(_tr("Sales reminders"), parent)
        self.setObjectName("dock_reminders")
        self.reminders = RemindersWidget(db, self)
        self.reminders.sig_reminder_opened.connect(self.reminders.open_plan)
        self.setWidget(self.reminders)
