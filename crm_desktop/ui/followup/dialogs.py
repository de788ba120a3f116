"""The plan dialog (联系计划: for myself or a colleague who sees the customer) and the record
dialog (联系记录: added directly, or 执行 of a plan, with the next contact planned in the same
save).  Every save is one service call off the GUI thread; a refusal is the catalogue's sentence
and the dialog stays open with what was typed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from crm_desktop.services import followup
from crm_desktop.ui.common.forms import BackgroundCalls, fill_combo, required, select_data
from crm_desktop.ui.followup.plan_fields import PlanFields, datetime_edit, edited_time, way_combo


def _tr(text: str) -> str:
    return QCoreApplication.translate("Followup", text)


def _choices(db, customer_id: int, plan_id: int | None) -> dict[str, Any]:
    return {"customer": followup.customer_name(db, customer_id),
            "followers": followup.possible_followers(db, customer_id),
            "contacts": followup.contacts_of(db, customer_id),
            "plan": followup.get_plan(db, plan_id) if plan_id else None}


class _FollowupDialog(QDialog, BackgroundCalls):
    sig_loaded = Signal()
    """The customer's choices (followers, contacts, the plan) arrived."""
    sig_saved = Signal(int)
    """Saved. Parameters: the plan's or record's id."""
    sig_failed = Signal(str)
    """A load or save was refused. Parameters: the sentence shown."""

    def __init__(self, db, customer_id: int, plan_id: int | None, parent: QWidget | None):
        super().__init__(parent)
        self.db, self.customer_id, self.plan_id = db, customer_id, plan_id
        self.plan: dict[str, Any] | None = None
        self.customer_label = QLabel(self)
        self.customer_label.setObjectName("customer_name")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)

    def load(self) -> None:
        self.call(_choices, self.customer_id, self.plan_id, then=self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        self.customer_label.setText(data["customer"])
        self.plan = data["plan"]
        self.show_choices(data)
        self.save_button.setEnabled(True)
        self.sig_loaded.emit()

    def _saved(self, row_id: int) -> None:
        self.sig_saved.emit(row_id)
        self.accept()


class PlanDialog(_FollowupDialog):
    """New plan (``plan_id`` None) or change an open one."""

    def __init__(self, db, customer_id: int, plan_id: int | None = None, parent: QWidget | None = None):
        super().__init__(db, customer_id, plan_id, parent)
        self.setObjectName("plan_dialog")
        self.setWindowTitle(_tr("Contact plan"))
        self.fields = PlanFields(self)
        layout = QVBoxLayout(self)
        head = QFormLayout()
        head.addRow(_tr("Customer"), self.customer_label)
        layout.addLayout(head)
        layout.addWidget(self.fields)
        layout.addWidget(self.buttons)
        self.load()

    def show_choices(self, data: dict[str, Any]) -> None:
        self.fields.set_choices(data["followers"], data["contacts"], self.db.account_id)
        if self.plan is not None:
            self.fields.show_plan(self.plan)
            self.fields.follower.setEnabled(False)  # a plan is moved to someone else by a new plan

    def save(self) -> None:
        values = self.fields.values()
        if self.plan is None:
            self.call(followup.plan_contact, self.customer_id, values, follower_id=self.fields.follower_id(),
                      then=self._saved)
        else:
            self.call(followup.update_plan, self.plan, values, then=lambda row: self._saved(row["id"]))


class RecordDialog(_FollowupDialog):
    """Add a record to a customer, or 执行 a plan (``plan_id``); the "next contact" box plans the
    following one in the same transaction."""

    def __init__(self, db, customer_id: int, plan_id: int | None = None, parent: QWidget | None = None):
        super().__init__(db, customer_id, plan_id, parent)
        self.setObjectName("record_dialog")
        self.setWindowTitle(_tr("Carry out contact plan") if plan_id else _tr("Contact record"))
        self.contact = QComboBox(self)
        self.contact.setObjectName("record_contact")
        self.contacted_at = datetime_edit(self, datetime.now().replace(second=0, microsecond=0))
        self.contacted_at.setObjectName("record_time")
        self.way = way_combo(self)
        self.way.setObjectName("record_way")
        self.subject = QLineEdit(self)
        self.subject.setObjectName("record_subject")
        self.content = QPlainTextEdit(self)
        self.content.setObjectName("record_content")
        self.next_box = QGroupBox(_tr("Plan the next contact"), self)
        self.next_box.setObjectName("next_plan")
        self.next_box.setCheckable(True)
        self.next_box.setChecked(False)
        self.next_fields = PlanFields(self.next_box, (datetime.now() + timedelta(days=7)).replace(
            minute=0, second=0, microsecond=0))
        QVBoxLayout(self.next_box).addWidget(self.next_fields)
        form = QFormLayout()
        form.addRow(_tr("Customer"), self.customer_label)
        form.addRow(_tr("Contact person"), self.contact)
        form.addRow(required(_tr("Contact time")), self.contacted_at)
        form.addRow(_tr("Way"), self.way)
        form.addRow(required(_tr("Subject")), self.subject)
        form.addRow(_tr("Content"), self.content)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.next_box)
        layout.addWidget(self.buttons)
        self.resize(520, 560)
        self.load()

    def show_choices(self, data: dict[str, Any]) -> None:
        fill_combo(self.contact, data["contacts"], placeholder=_tr("-- none --"))
        self.next_fields.set_choices(data["followers"], data["contacts"], self.db.account_id)
        if self.plan is not None:
            select_data(self.contact, self.plan["contact_id"])
            select_data(self.way, self.plan["way"])
            self.subject.setText(self.plan["subject"])

    def values(self) -> dict[str, Any]:
        return {"contact_id": self.contact.currentData(), "contacted_at": edited_time(self.contacted_at),
                "way": self.way.currentData(), "subject": self.subject.text().strip(),
                "content": self.content.toPlainText().strip()}

    def save(self) -> None:
        next_plan = self.next_fields.values() if self.next_box.isChecked() else None
        follower = self.next_fields.follower_id() if next_plan is not None else None
        if self.plan_id:
            self.call(followup.execute_plan, self.plan_id, self.values(), next_plan=next_plan,
                      next_follower_id=follower, then=self._saved)
        else:
            self.call(followup.add_record, self.customer_id, self.values(), next_plan=next_plan,
                      next_follower_id=follower, then=self._saved)
