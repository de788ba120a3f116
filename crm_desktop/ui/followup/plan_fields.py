"""The fields of a contact plan (figure 16), shared by the plan dialog and the record dialog's
"next contact" part: follower, contact person, time, way, subject, reminders and lead time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QFormLayout, QHBoxLayout, QLineEdit,
                               QSpinBox, QWidget)

from crm_desktop.model.followup import WAYS
from crm_desktop.ui.common.forms import fill_combo, required, select_data


def _tr(text: str) -> str:
    return QCoreApplication.translate("Followup", text)


def way_names() -> dict[str, str]:
    """联系方式: code → the name shown."""
    return {"phone": _tr("Phone"), "visit": _tr("Visit"), "email": _tr("E-mail"), "sms": _tr("SMS"),
            "im": _tr("QQ / WeChat"), "other": _tr("Other")}


def way_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    names = way_names()
    fill_combo(combo, [(names[w], w) for w in WAYS])
    return combo


def datetime_edit(parent: QWidget, value: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime(value), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


def edited_time(edit: QDateTimeEdit) -> datetime:
    return edit.dateTime().toPython().astimezone()


class PlanFields(QWidget):
    """The plan's fields in a form layout; ``values()`` is what ``services.followup`` takes."""

    def __init__(self, parent: QWidget | None = None, planned_at: datetime | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.follower = QComboBox(self)
        self.follower.setObjectName("plan_follower")
        self.contact = QComboBox(self)
        self.contact.setObjectName("plan_contact")
        self.planned_at = datetime_edit(self, planned_at or (datetime.now() + timedelta(days=1)).replace(
            minute=0, second=0, microsecond=0))
        self.planned_at.setObjectName("plan_time")
        self.way = way_combo(self)
        self.way.setObjectName("plan_way")
        self.subject = QLineEdit(self)
        self.subject.setObjectName("plan_subject")
        self.remind_email = QCheckBox(_tr("By e-mail"), self)
        self.remind_email.setObjectName("plan_remind_email")
        self.remind_sms = QCheckBox(_tr("By SMS"), self)
        self.remind_sms.setObjectName("plan_remind_sms")
        self.lead = QSpinBox(self)
        self.lead.setObjectName("plan_remind_minutes")
        self.lead.setRange(0, 43200)
        self.lead.setSingleStep(15)
        self.lead.setValue(30)
        self.lead.setSuffix(_tr(" min before"))
        remind = QHBoxLayout()
        for widget in (self.remind_email, self.remind_sms, self.lead):
            remind.addWidget(widget)
        remind.addStretch(1)
        form.addRow(_tr("Follower"), self.follower)
        form.addRow(_tr("Contact person"), self.contact)
        form.addRow(required(_tr("Planned time")), self.planned_at)
        form.addRow(_tr("Way"), self.way)
        form.addRow(_tr("Subject"), self.subject)
        form.addRow(_tr("Remind"), remind)

    def set_choices(self, followers: list[dict], contacts: list[tuple[str, int]], me: int) -> None:
        fill_combo(self.follower, [(f["name"], f["id"]) for f in followers])
        select_data(self.follower, me)
        fill_combo(self.contact, contacts, placeholder=_tr("-- none --"))

    def show_plan(self, plan: dict[str, Any]) -> None:
        select_data(self.follower, plan["account_id"])
        select_data(self.contact, plan.get("contact_id"))
        self.planned_at.setDateTime(QDateTime(plan["planned_at"]))
        select_data(self.way, plan["way"])
        self.subject.setText(plan["subject"])
        self.remind_email.setChecked(plan["remind_email"])
        self.remind_sms.setChecked(plan["remind_sms"])
        self.lead.setValue(plan["remind_minutes"])

    def follower_id(self) -> int | None:
        return self.follower.currentData()

    def values(self) -> dict[str, Any]:
        return {"contact_id": self.contact.currentData(), "planned_at": edited_time(self.planned_at),
                "way": self.way.currentData(), "subject": self.subject.text().strip(),
                "remind_email": self.remind_email.isChecked(), "remind_sms": self.remind_sms.isChecked(),
                "remind_minutes": self.lead.value()}
