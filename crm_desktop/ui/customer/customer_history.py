"""共享与历史 tab of the customer form (read-only): whom the customer is shared with, what happened
to it (shared, unshared, assigned, type changed) and the contact plans made for it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHeaderView, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from crm_desktop.services import customer as customers
from crm_desktop.services import customer_settings as settings
from crm_desktop.services.account import AccountFilter, list_accounts
from crm_desktop.ui.common.forms import BackgroundCalls
from crm_desktop.ui.common.lazy_model import format_value


def account_names(db) -> dict[int, str]:
    """Every account's name, resigned and deleted ones too (the staff directory is readable to all)."""
    names = {a.id: a.name for a in list_accounts(db, AccountFilter(deleted=True))}
    names.update({a.id: a.name for a in list_accounts(db)})
    return names


def load_history(db, customer_id: int) -> dict[str, Any]:
    """Worker thread: shares, history and plans of one customer, with the names they refer to."""
    return {"shares": customers.list_shares(db, customer_id), "history": customers.history(db, customer_id),
            "plans": customers.contact_plans(db, customer_id), "accounts": account_names(db),
            "types": {t["id"]: t["name"] for t in settings.list_choices(db, "type")}}



def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class CustomerHistoryTab(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """Shares, history and plans arrived and are shown."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        self.shares = _table([self.tr("Receiver"), self.tr("Shared at")])
        self.history = _table([self.tr("Time"), self.tr("By"), self.tr("Action"), self.tr("Details"),
                               self.tr("Reason")])
        self.plans = _table([self.tr("Planned for"), self.tr("Follower"), self.tr("Subject"), self.tr("Done")])
        for title, table in ((self.tr("Shared with"), self.shares), (self.tr("History"), self.history),
                             (self.tr("Contact plans"), self.plans)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            layout.addWidget(box)

    def load(self, customer_id: int) -> None:
        self.call(load_history, customer_id, then=self._show)

    def _show(self, data: dict[str, Any]) -> None:
        names = data["accounts"]
        name = lambda account_id: names.get(account_id, "") if account_id else ""  # noqa: E731
        _fill(self.shares, [[s["name"], format_value(s["shared_at"])] for s in data["shares"]])
        _fill(self.history, [[format_value(h["at"]), name(h["actor_id"]), self.action_text(h["action"]),
                              self.details(h, name, data["types"]), h["reason"]] for h in data["history"]])
        _fill(self.plans, [[format_value(p["planned_at"]), name(p["account_id"]), p["subject"],
                            self.tr("Yes") if p["done"] else self.tr("No")] for p in data["plans"]])
        self.sig_loaded.emit()

    def action_text(self, action: str) -> str:
        return {"share": self.tr("Shared"), "unshare": self.tr("Unshared"), "assign": self.tr("Assigned"),
                "type_change": self.tr("Type changed")}.get(action, action)

    def details(self, entry: dict[str, Any], name, types: dict[int, str]) -> str:
        parts = []
        if entry["from_owner"] or entry["to_owner"]:
            parts.append(f"{name(entry['from_owner']) or '—'} → {name(entry['to_owner']) or '—'}")
        if entry["receivers"]:
            parts.append("、".join(name(r) for r in entry["receivers"]))
        if entry["old_type_id"] or entry["new_type_id"]:
            parts.append(f"{types.get(entry['old_type_id'], '—')} → {types.get(entry['new_type_id'], '—')}")
        return "；".join(parts)
