"""销售机会 (figure 17): the list of visible opportunities and the opportunity form.  Saving is one
service call off the GUI thread; the server keeps status, probability defaults and the history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from crm_desktop.messages import UserError
from crm_desktop.services import followup
from crm_desktop.services import opportunity as svc
from crm_desktop.ui.common.forms import BackgroundCalls, fill_combo, required, select_data


def _tr(text: str) -> str:
    return QCoreApplication.translate("Opportunities", text)


def status_names() -> dict[str, str]:
    return {"open": _tr("Following up"), "won": _tr("Won"), "lost": _tr("Lost"), "on_hold": _tr("On hold")}


def importance_names() -> dict[str, str]:
    return {"": _tr("-- choose --"), "low": _tr("Low"), "normal": _tr("Normal"), "high": _tr("High")}


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _form_data(db, customer_id: int, opportunity_id: int | None) -> dict[str, Any]:
    return {"customer": followup.customer_name(db, customer_id), "stages": svc.stages(db),
            "owners": followup.possible_followers(db, customer_id),
            "opportunity": svc.get_opportunity(db, opportunity_id) if opportunity_id else None}


class OpportunityForm(QDialog, BackgroundCalls):
    sig_loaded = Signal()
    """Stages, owners and the opportunity are on screen."""
    sig_saved = Signal(dict)
    """Saved. Parameters: the row as the server keeps it."""
    sig_failed = Signal(str)
    """Refused. Parameters: the sentence shown."""

    def __init__(self, db, customer_id: int, opportunity_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.customer_id, self.opportunity_id = db, customer_id, opportunity_id
        self.original: dict[str, Any] | None = None
        self.setObjectName("opportunity_form")
        self.setWindowTitle(_tr("Opportunity"))
        self.customer = QLineEdit(self)
        self.customer.setReadOnly(True)
        self.title = QLineEdit(self)
        self.kind = QLineEdit(self)
        self.starts_on, self.ends_on = QDateEdit(QDate.currentDate(), self), QDateEdit(QDate.currentDate().addDays(30), self)
        for edit in (self.starts_on, self.ends_on):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.stage, self.importance, self.owner, self.status = (QComboBox(self) for _ in range(4))
        fill_combo(self.importance, [(v, k) for k, v in importance_names().items()])
        fill_combo(self.status, [(v, k) for k, v in status_names().items()])
        self.amount = QLineEdit("0.00", self)
        self.probability = QLineEdit(self)
        self.lost_reason = QLineEdit(self)
        self.details, self.analysis = QPlainTextEdit(self), QPlainTextEdit(self)
        for name in ("title", "kind", "starts_on", "ends_on", "stage", "importance", "owner", "status", "amount",
                     "probability", "lost_reason", "details", "analysis"):
            getattr(self, name).setObjectName(f"opportunity_{name}")
        form = QFormLayout()
        form.addRow(required(_tr("Customer")), self.customer)
        form.addRow(_tr("Title"), self.title)
        form.addRow(_tr("Start"), self.starts_on)
        form.addRow(_tr("End"), self.ends_on)
        form.addRow(_tr("Type"), self.kind)
        form.addRow(required(_tr("Sales stage")), self.stage)
        form.addRow(_tr("Importance"), self.importance)
        form.addRow(_tr("Owner"), self.owner)
        form.addRow(_tr("Expected amount (yuan)"), self.amount)
        form.addRow(_tr("Probability (%)"), self.probability)
        form.addRow(_tr("Status"), self.status)
        form.addRow(_tr("Reason lost"), self.lost_reason)
        form.addRow(_tr("Details"), self.details)
        form.addRow(_tr("Analysis"), self.analysis)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, 640)
        self.call(_form_data, customer_id, opportunity_id, then=self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        self.customer.setText(data["customer"])
        fill_combo(self.stage, [(s["name"], s["id"]) for s in data["stages"]])
        fill_combo(self.owner, [(o["name"], o["id"]) for o in data["owners"]])
        select_data(self.owner, self.db.account_id)
        o = self.original = data["opportunity"]
        if o is not None:
            self.title.setText(o["title"])
            self.kind.setText(o["kind"])
            self.starts_on.setDate(QDate(o["starts_on"]))
            if o["ends_on"]:
                self.ends_on.setDate(QDate(o["ends_on"]))
            for combo, key in ((self.stage, "stage_id"), (self.importance, "importance"), (self.owner, "owner_id"),
                               (self.status, "status")):
                select_data(combo, o[key])
            self.amount.setText(f"{o['expected_amount']:.2f}")
            self.probability.setText("" if o["probability"] is None else f"{o['probability'].normalize():f}")
            self.lost_reason.setText(o["lost_reason"])
            self.details.setPlainText(o["details"])
            self.analysis.setPlainText(o["analysis"])
        self.save_button.setEnabled(True)
        self.sig_loaded.emit()

    def values(self) -> dict[str, Any]:
        try:
            amount = Decimal(self.amount.text().replace(",", "").strip() or "0")
            probability = Decimal(self.probability.text().strip()) if self.probability.text().strip() else None
        except InvalidOperation:
            raise UserError("opportunity_amount_valid") from None
        values = {"title": self.title.text().strip(), "kind": self.kind.text().strip(),
                  "starts_on": self.starts_on.date().toPython(), "ends_on": self.ends_on.date().toPython(),
                  "stage_id": self.stage.currentData(), "importance": self.importance.currentData(),
                  "owner_id": self.owner.currentData(), "expected_amount": amount, "status": self.status.currentData(),
                  "lost_reason": self.lost_reason.text().strip(), "details": self.details.toPlainText().strip(),
                  "analysis": self.analysis.toPlainText().strip()}
        if probability is not None or self.original is not None:
            values["probability"] = probability
        return values

    def save(self) -> None:
        try:
            values = self.values()
        except UserError as error:
            self.report_failure(error)
            return
        if self.original is None:
            self.call(svc.create_opportunity, self.customer_id, values, then=self._saved)
        else:
            self.call(svc.update_opportunity, self.original, values, then=self._saved)

    def _saved(self, row: dict[str, Any]) -> None:
        self.sig_saved.emit(row)
        self.accept()


class OpportunityList(QWidget, BackgroundCalls):
    """The list view of the visible opportunities; double-click opens the form."""

    sig_loaded = Signal()
    """The rows are on screen."""
    sig_failed = Signal(str)
    """Loading failed. Parameters: the sentence."""

    COLUMNS = ("customer_name", "title", "stage_name", "status", "owner_name", "expected_amount", "probability",
               "ends_on")

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.rows: list[dict[str, Any]] = []
        self.setObjectName("opportunity_list")
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("opportunity_table")
        self.table.setHorizontalHeaderLabels([_tr("Customer"), _tr("Title"), _tr("Sales stage"), _tr("Status"),
                                              _tr("Owner"), _tr("Expected amount (yuan)"), _tr("Probability (%)"),
                                              _tr("End")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(False)
        self.table.cellDoubleClicked.connect(lambda row, _c: self.open_row(row))
        refresh = QPushButton(_tr("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def connect_changes(self, bridge) -> None:
        bridge.sig_changed.connect(lambda table, _op, _id: self.refresh() if table == "opportunity" else None)

    def refresh(self) -> None:
        self.call(svc.opportunities, then=self._loaded)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        statuses = status_names()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row["customer_name"], row["title"], row["stage_name"], statuses.get(row["status"], row["status"]),
                     row["owner_name"], money(row["expected_amount"]),
                     "" if row["probability"] is None else f"{row['probability'].normalize():f}",
                     row["ends_on"].isoformat() if isinstance(row["ends_on"], date) else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.sig_loaded.emit()

    def open_row(self, row: int) -> OpportunityForm:
        o = self.rows[row]
        form = OpportunityForm(self.db, o["customer_id"], o["id"], self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.sig_saved.connect(lambda _row: self.refresh())
        form.show()
        self.form = form
        return form
