"""My approvals (我的审批): 待我审批 / 我提交的 / 我已处理, live by NOTIFY, the count in the status bar.

Opening a waiting task shows the document read-only (the viewer its module registered) with
同意 / 驳回 and the 流程图.  Administrators (approval.reassign) also see the stalled approvals and
name an approver or reassign a task.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QTabWidget, QToolBar, QVBoxLayout, QWidget)

from crm_desktop.services import approval
from crm_desktop.ui.common.forms import BackgroundCalls, fill_combo, show_message
from crm_desktop.ui.common.lazy_model import format_money, format_value

# document type → factory(db, document_id, parent) → a read-only widget of the document
DOCUMENT_VIEWERS: dict[str, Callable] = {}
APPROVAL_TABLES = {"approval_task", "approval_instance", "approval_event", "approval_stalled", "approval_delegation",
                   "approval_overdue"}


def register_viewer(document_type: str, factory: Callable) -> None:
    DOCUMENT_VIEWERS[document_type] = factory


class DecisionDialog(QDialog, BackgroundCalls):
    """One waiting task: the document read-only, a comment, 同意 / 驳回, 流程图."""

    sig_failed = Signal(str)
    sig_decided = Signal(str)
    """The decision was recorded. Parameters: "approved" or "rejected"."""

    def __init__(self, db, row: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.row = db, row
        self.setObjectName("approval_decision")
        self.setWindowTitle(self.tr("Approve %1 %2").replace("%1", row.get("type_name") or "")
                            .replace("%2", row.get("number") or ""))
        layout = QVBoxLayout(self)
        factory = DOCUMENT_VIEWERS.get(row["document_type"])
        self.viewer = factory(db, row["document_id"], self) if factory else QLabel(row.get("number") or "")
        layout.addWidget(self.viewer, 1)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("Comment (required to reject)"))
        self.comment.setMaximumHeight(70)
        layout.addWidget(self.comment)
        buttons = QHBoxLayout()
        self.chart_button = QPushButton(self.tr("Flow chart"))
        self.approve_button = QPushButton(self.tr("Approve"))
        self.reject_button = QPushButton(self.tr("Reject"))
        close = QPushButton(self.tr("Close"))
        self.chart_button.clicked.connect(lambda: open_flow_chart(self, db, row["instance_id"]))
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject_task)
        close.clicked.connect(self.reject)
        buttons.addWidget(self.chart_button)
        buttons.addStretch(1)
        for b in (self.approve_button, self.reject_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.resize(980, 680)

    def _decided(self, outcome: str) -> None:
        self.sig_decided.emit(outcome)
        self.accept()

    def approve(self) -> None:
        self._busy(True)
        self.call(approval.approve, self.row["task_id"], self.comment.toPlainText(),
                  then=lambda _state: self._decided("approved")).on_failure(lambda _e: self._busy(False))

    def reject_task(self) -> None:
        reason = self.comment.toPlainText().strip()
        if not reason:
            self.report_user_error("approval_reason_required")
            return
        self._busy(True)
        self.call(approval.reject, self.row["task_id"], reason,
                  then=lambda _r: self._decided("rejected")).on_failure(lambda _e: self._busy(False))

    def _busy(self, busy: bool) -> None:  # a double click sends one decision
        self.approve_button.setEnabled(not busy)
        self.reject_button.setEnabled(not busy)


def open_flow_chart(parent: QWidget, db, instance_id: int) -> None:
    from crm_desktop.ui.approval.flow_chart import FlowChartDialog
    from crm_desktop.ui.common.tasks import run_in_background

    def shown(chart):
        dialog = FlowChartDialog(chart, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        parent.flow_chart_dialog = dialog
        dialog.show()

    run_in_background(approval.flow_chart, db, instance_id).on_success(shown).on_failure(
        lambda e: show_message(parent, str(e)))


class DelegationDialog(QDialog, BackgroundCalls):
    """委托代理: while I am away, a colleague decides my tasks (for a date range)."""

    sig_failed = Signal(str)

    def __init__(self, db, accounts: list[tuple[int, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setObjectName("approval_delegation")
        self.setWindowTitle(self.tr("Delegate my approvals"))
        form = QFormLayout(self)
        self.delegate = QComboBox()
        fill_combo(self.delegate, [(name, i) for i, name in accounts if i != db.account_id], self.tr("--Choose--"))
        self.starts, self.ends = QDateEdit(date.today()), QDateEdit(date.today() + timedelta(days=7))
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit()
        form.addRow(self.tr("Delegate"), self.delegate)
        form.addRow(self.tr("From"), self.starts)
        form.addRow(self.tr("To"), self.ends)
        form.addRow(self.tr("Reason"), self.reason)
        self.current = QLabel()
        form.addRow(self.tr("Now"), self.current)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.end_button = buttons.addButton(self.tr("End my delegations"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.end_button.clicked.connect(self.end_all)
        form.addRow(buttons)
        self.mine: list[dict] = []
        self.refresh()

    def refresh(self) -> None:
        def shown(rows):
            self.mine = [r for r in rows if r["account_id"] == self.db.account_id]
            self.current.setText("；".join(f"{r['delegate_name']} {r['starts_on']}—{r['ends_on']}" for r in self.mine)
                                 or self.tr("No delegation"))
        self.call(approval.my_delegations, then=shown)

    def save(self) -> None:
        if self.delegate.currentData() is None:
            self.report_user_error("approval_delegate_invalid")
            return
        self.call(approval.set_delegation, self.delegate.currentData(), self.starts.date().toPython(),
                  self.ends.date().toPython(), self.reason.text(), then=lambda _i: self.accept())

    def end_all(self) -> None:
        for r in self.mine:
            self.call(approval.end_delegation, r["id"], then=lambda _r: self.refresh())


class MyApprovalsWidget(QWidget, BackgroundCalls):
    sig_failed = Signal(str)
    sig_loaded = Signal(str)
    """A box was (re)loaded. Parameters: its name (waiting, submitted, decided, stalled)."""
    sig_count_changed = Signal(int)
    """The number of tasks waiting for me. Parameters: the count."""

    HEADERS = {"waiting": ("Document", "Number", "Customer", "Amount", "Submitted by", "Step", "Waiting since"),
               "submitted": ("Document", "Number", "Customer", "Amount", "State", "Step", "Submitted"),
               "decided": ("Document", "Number", "Customer", "Amount", "My decision", "Step", "Decided")}

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.rows: dict[str, list[dict]] = {"waiting": [], "submitted": [], "decided": [], "stalled": []}
        self.tables: dict[str, QTableWidget] = {}
        self.tabs = QTabWidget()
        titles = {"waiting": self.tr("Waiting for me"), "submitted": self.tr("Submitted by me"),
                  "decided": self.tr("Decided by me"), "stalled": self.tr("Stalled approvals")}
        boxes = ["waiting", "submitted", "decided"] + (["stalled"] if db.can("approval.reassign") else [])
        for box in boxes:
            table = QTableWidget(0, 7)
            table.setObjectName(f"approvals_{box}")
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setStretchLastSection(True)
            table.doubleClicked.connect(lambda index, b=box: self.open_row(b, index.row()))
            self.tables[box] = table
            self.tabs.addTab(table, titles[box])
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.tr("Open"), self.open_current)
        toolbar.addAction(self.tr("Flow chart"), self.chart_current)
        toolbar.addAction(self.tr("Withdraw"), self.withdraw_current)
        toolbar.addAction(self.tr("Delegate…"), self.open_delegation)
        if db.can("approval.reassign"):
            toolbar.addAction(self.tr("Reassign / name approver…"), self.reassign_current)
        toolbar.addAction(self.tr("Refresh"), self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addWidget(self.tabs, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh)
        self.refresh()

    # -- live ------------------------------------------------------------------------------------
    def connect_changes(self, changes) -> None:
        changes.sig_changed.connect(self.on_change)
        changes.sig_listening.connect(self._debounce.start)

    def on_change(self, table: str, _op: str, _row_id: object) -> None:
        if table in APPROVAL_TABLES or table in DOCUMENT_VIEWERS:
            self._debounce.start()

    # -- data ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        for box in self.tables:
            fn = approval.stalled_instances if box == "stalled" else approval.my_tasks
            args = () if box == "stalled" else (box,)
            self.call(fn, *args, then=lambda rows, b=box: self._show(b, rows))

    def _show(self, box: str, rows: list[dict]) -> None:
        self.rows[box] = rows
        table = self.tables[box]
        table.setRowCount(len(rows))
        if box == "stalled":
            table.setColumnCount(5)
            table.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Customer"), self.tr("Submitted by"),
                                             self.tr("Step"), self.tr("Submitted")])
        else:
            table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS[box]])
        now = datetime.now(timezone.utc)
        for r, row in enumerate(rows):
            if box == "stalled":
                cells = (row["number"], row["party"], row["submitter_name"], str(row["step_no"] or ""),
                         format_value(row["submitted_at"]))
            else:
                third = {"waiting": row["submitter_name"],
                         "submitted": approval.name_of(approval.STATUS_NAMES, row["status"])
                         + (self.tr(" (no approver)") if row["stalled"] and row["status"] == "pending" else ""),
                         "decided": approval.name_of(approval.TASK_STATUS_NAMES, row["task_status"])}[box]
                when = row["decided_at"] if box == "decided" else row["created_at"]
                cells = (row["type_name"], row["number"], row["party"], format_money(row["amount"]), third,
                         row["step_name"] or "", format_value(when))
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 3 and box != "stalled":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if box == "waiting" and approval.is_overdue(row, now):
                    item.setForeground(QColor("#c62828"))
                    item.setToolTip(self.tr("Waiting longer than %1 hours").replace("%1", str(approval.OVERDUE_HOURS)))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        if box == "waiting":
            self.tabs.setTabText(0, self.tr("Waiting for me (%1)").replace("%1", str(len(rows))))
            self.sig_count_changed.emit(len(rows))
        self.sig_loaded.emit(box)

    def current(self) -> tuple[str, dict | None]:
        box = list(self.tables)[self.tabs.currentIndex()]
        row = self.tables[box].currentRow()
        return box, (self.rows[box][row] if 0 <= row < len(self.rows[box]) else None)

    # -- actions ---------------------------------------------------------------------------------
    def open_row(self, box: str, index: int) -> None:
        row = self.rows[box][index]
        if box == "waiting":
            self.decision = DecisionDialog(self.db, row, self)
            self.decision.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.decision.sig_decided.connect(lambda _o: self.refresh())
            self.decision.show()
        else:
            open_flow_chart(self, self.db, row["instance_id"])

    def open_current(self) -> None:
        box, row = self.current()
        if row is not None:
            self.open_row(box, self.rows[box].index(row))

    def chart_current(self) -> None:
        _box, row = self.current()
        if row is not None:
            open_flow_chart(self, self.db, row["instance_id"])

    def withdraw_current(self) -> None:
        _box, row = self.current()
        if row is not None:
            self.call(approval.withdraw, row["instance_id"], "", then=lambda _r: self.refresh())

    def open_delegation(self) -> None:
        def shown(accounts):
            self.delegation = DelegationDialog(self.db, accounts, self)
            self.delegation.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.delegation.show()
        self.call(approval.approver_choices, "account", then=shown)

    def reassign_current(self) -> None:
        """Administrators: reassign the selected waiting task, or name an approver for a stalled step."""
        box, row = self.current()
        if row is None:
            return

        def chosen(accounts):
            names = [name for _i, name in accounts]
            name, ok = QInputDialog.getItem(self, self.tr("Approver"), self.tr("New approver"), names, 0, False)
            if not ok:
                return
            reason, ok = QInputDialog.getText(self, self.tr("Reason"), self.tr("Why (recorded)"))
            if not ok:
                return
            to = accounts[names.index(name)][0]
            if box == "stalled" or row.get("task_id") is None:
                self.call(approval.assign, row["instance_id"], to, reason, then=lambda _r: self.refresh())
            else:
                self.call(approval.reassign, row["task_id"], to, reason, then=lambda _r: self.refresh())
        self.call(approval.approver_choices, "account", then=chosen)
