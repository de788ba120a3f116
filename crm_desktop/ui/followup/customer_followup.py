"""联系管理 of one customer (figure 16): its plans above, its records below, with 新建计划,
执行 and 添加记录.  Opening a reminder opens this window with the plan selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.services import followup
from crm_desktop.ui.common.forms import BackgroundCalls
from crm_desktop.ui.followup.dialogs import PlanDialog, RecordDialog
from crm_desktop.ui.followup.plan_fields import way_names


def _tr(text: str) -> str:
    return QCoreApplication.translate("Followup", text)


def _when(value) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def _load(db, customer_id: int) -> dict[str, Any]:
    return {"customer": followup.customer_name(db, customer_id), "plans": followup.plans(db, customer_id),
            "records": followup.records(db, customer_id)}


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def _fill(table: QTableWidget, rows: list[dict[str, Any]], cells) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(cells(row)):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class CustomerFollowup(QDialog, BackgroundCalls):
    sig_loaded = Signal()
    """Plans and records are on screen."""
    sig_failed = Signal(str)
    """Loading or an action was refused. Parameters: the sentence shown."""

    def __init__(self, db, customer_id: int, plan_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.customer_id, self.select_plan = db, customer_id, plan_id
        self.plan_rows: list[dict[str, Any]] = []
        self.setObjectName("customer_followup")
        self.setWindowTitle(_tr("Contact management"))
        self.title = QLabel(self)
        self.title.setObjectName("followup_title")
        ways = way_names()
        self.ways = ways
        self.plans = _table(self, "plans", [_tr("Planned"), _tr("Follower"), _tr("Way"), _tr("Contact person"),
                                            _tr("Subject"), _tr("Done"), _tr("Planned by")])
        self.records = _table(self, "records", [_tr("Contacted"), _tr("Handler"), _tr("Way"), _tr("Contact person"),
                                                _tr("Subject"), _tr("Content")])
        self.new_plan = QPushButton(_tr("New plan…"), self)
        self.new_plan.setObjectName("new_plan")
        self.execute = QPushButton(_tr("Carry out…"), self)
        self.execute.setObjectName("execute_plan")
        self.new_record = QPushButton(_tr("Add record…"), self)
        self.new_record.setObjectName("new_record")
        self.new_plan.clicked.connect(lambda: self._open(PlanDialog(self.db, self.customer_id, parent=self)))
        self.execute.clicked.connect(self.execute_selected)
        self.new_record.clicked.connect(lambda: self._open(RecordDialog(self.db, self.customer_id, parent=self)))
        self.plans.itemSelectionChanged.connect(self._enable)
        buttons = QHBoxLayout()
        for b in (self.new_plan, self.execute, self.new_record):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(QLabel(_tr("Contact plans"), self))
        layout.addWidget(self.plans)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(_tr("Contact records"), self))
        layout.addWidget(self.records)
        self.resize(860, 600)
        self.refresh()

    def refresh(self) -> None:
        self.call(_load, self.customer_id, then=self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        self.title.setText(f"<b>{data['customer']}</b>")
        self.plan_rows = data["plans"]
        _fill(self.plans, self.plan_rows, lambda p: [
            _when(p["planned_at"]), p["follower_name"], self.ways.get(p["way"], p["way"]), p["contact_name"],
            p["subject"], _tr("Yes") if p["done"] else "", p["author_name"]])
        _fill(self.records, data["records"], lambda r: [
            _when(r["contacted_at"]), r["handler_name"], self.ways.get(r["way"], r["way"]), r["contact_name"],
            r["subject"], r["content"]])
        if self.select_plan is not None:
            row = next((i for i, p in enumerate(self.plan_rows) if p["id"] == self.select_plan), None)
            if row is not None:
                self.plans.selectRow(row)
            self.select_plan = None
        self._enable()
        self.sig_loaded.emit()

    def selected_plan(self) -> dict[str, Any] | None:
        rows = self.plans.selectionModel().selectedRows()
        return self.plan_rows[rows[0].row()] if rows else None

    def _enable(self) -> None:
        plan = self.selected_plan()
        self.execute.setEnabled(plan is not None and not plan["done"])

    def execute_selected(self) -> None:
        plan = self.selected_plan()
        if plan is not None:
            self._open(RecordDialog(self.db, self.customer_id, plan["id"], parent=self))

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(lambda _id: self.refresh())
        dialog.show()
        self.dialog = dialog
        return dialog
