"""客户信息共享 (figure 12) and 客户资源分派 (figure 13) for one or many selected customers.

Sharing gives the receivers read access and the right to add contact records; assigning makes the
receiver the owner (their private customer, optionally of another type) within their private
limit.  Both can leave a contact-plan reminder for the receivers.  PostgreSQL checks the
permission (customer.share / customer.assign), the customers, the receivers and the limit; the
dialogs only disable what the account may not do and show the database's sentence.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QToolButton, QVBoxLayout, QWidget)

from crm_desktop.services import customer as customers
from crm_desktop.services import customer_settings as settings
from crm_desktop.services.customer_list import CustomerPageSource
from crm_desktop.ui.common.forms import BackgroundCalls, confirm, fill_combo, required
from crm_desktop.ui.common.lazy_model import format_value
from crm_desktop.ui.customer.receiver_picker import ReceiverPicker

NAMES_SHOWN = 5
ID_ROLE = Qt.ItemDataRole.UserRole
WARNING_STYLE = "color:#c0392b"


def selected_rows(db, ids: list[int]) -> list[dict[str, Any]]:
    """The selected customers the account sees (name, owner, privacy), in the selection's order."""
    rows = {r["id"]: r for r in CustomerPageSource(db).fetch_rows(ids)}
    return [rows[i] for i in ids if i in rows]


def load_share_data(db, ids: list[int]) -> dict[str, Any]:
    return {"rows": selected_rows(db, ids),
            "shares": customers.list_shares(db, ids[0]) if len(ids) == 1 else []}


def load_assign_data(db, ids: list[int]) -> dict[str, Any]:
    return {"rows": selected_rows(db, ids), "types": settings.list_choices(db, "type")}


def names_text(rows: list[dict[str, Any]]) -> str:
    names = "、".join(r["name"] for r in rows[:NAMES_SHOWN])
    return names + (" …" if len(rows) > NAMES_SHOWN else "")


def warning_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(WARNING_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class ReminderBox(QGroupBox):
    """☐ 产生联系计划提醒: when and about what the receivers are reminded to contact the customers."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.enabled = QCheckBox(self.tr("Create a contact plan reminder"))
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        tomorrow = datetime.combine(datetime.now().date() + timedelta(days=1), time(9, 0))
        self.when.setDateTime(QDateTime(tomorrow))
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(self.tr("e.g. follow up"))
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("Contact at"), self.when)
        form.addRow(self.tr("Subject"), self.subject)
        self.enabled.toggled.connect(self._toggled)
        self._toggled(False)

    def _toggled(self, on: bool) -> None:
        self.when.setEnabled(on)
        self.subject.setEnabled(on)

    def planned_at(self) -> datetime | None:
        """The reminder's time (local, with its offset), or None without a reminder."""
        return self.when.dateTime().toPython().astimezone() if self.enabled.isChecked() else None

    def plan_subject(self) -> str:
        return self.subject.text().strip() if self.enabled.isChecked() else ""


def _button_row(dialog: QDialog, save_text: str, close_text: str) -> tuple[QHBoxLayout, QPushButton]:
    row = QHBoxLayout()
    row.addStretch(1)
    save, close = QPushButton(save_text), QPushButton(close_text)
    save.setDefault(True)
    close.clicked.connect(dialog.reject)
    row.addWidget(save)
    row.addWidget(close)
    return row, save


class ShareDialog(QDialog, BackgroundCalls):
    """客户信息共享: receivers, an optional reminder, and (one customer) who has it already."""

    sig_loaded = Signal()
    """The selected customers (and a single customer's shares) arrived."""
    sig_done = Signal(int)
    """The customers were shared. Parameters: how many customers."""
    sig_unshared = Signal(int)
    """A share was withdrawn. Parameters: shares removed."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, customer_ids: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.customer_ids = db, list(customer_ids)
        self.rows: list[dict[str, Any]] = []
        self.setWindowTitle(self.tr("Share customers"))
        self._build()
        self.call(load_share_data, self.customer_ids, then=self._fill)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.header = QLabel(self.tr("Customers to share: {count}").format(count=len(self.customer_ids)))
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        note = QLabel(self.tr("Receivers see the customers and may add contact records; "
                              "they cannot change, share or assign them."))
        note.setWordWrap(True)
        layout.addWidget(note)
        receivers = QGroupBox(self.tr("Receivers"))
        self.picker = ReceiverPicker(self.db, multiple=True)
        QVBoxLayout(receivers).addWidget(self.picker)
        layout.addWidget(receivers)
        self.reminder = ReminderBox()
        layout.addWidget(self.reminder)
        self.shares_box = QGroupBox(self.tr("Already shared with"))
        self.share_list = QListWidget()
        self.share_list.setMinimumHeight(72)
        QVBoxLayout(self.shares_box).addWidget(self.share_list)
        self.shares_box.setVisible(len(self.customer_ids) == 1)
        layout.addWidget(self.shares_box)
        self.permission_note = warning_label()
        layout.addWidget(self.permission_note)
        buttons, self.save_button = _button_row(self, self.tr("Save"), self.tr("Close"))
        self.save_button.clicked.connect(self.save)
        layout.addLayout(buttons)
        if not self.db.can("customer.share"):
            self.save_button.setEnabled(False)
            self.permission_note.setText(self.tr("You do not have the permission to share customers."))
            self.permission_note.show()

    def _fill(self, data: dict[str, Any]) -> None:
        self.rows = data["rows"]
        self.header.setText(self.tr("Customers to share ({count}): {names}")
                            .format(count=len(self.customer_ids), names=names_text(self.rows)))
        for share in data["shares"]:
            self._add_share_row(share)
        self.sig_loaded.emit()

    def _add_share_row(self, share: dict[str, Any]) -> None:
        item = QListWidgetItem()
        item.setData(ID_ROLE, share["account_id"])
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(6, 1, 6, 1)
        since = format_value(share["shared_at"])
        layout.addWidget(QLabel(f"{share['name']}  <span style='color:#777'>{since}</span>"), 1)
        button = QToolButton()
        button.setText(self.tr("Stop sharing"))
        button.setObjectName(f"unshare_{share['account_id']}")
        button.setEnabled(self.db.can("customer.share"))
        button.clicked.connect(lambda _c=False, s=share: self.ask_unshare(s))
        layout.addWidget(button)
        item.setSizeHint(row.sizeHint())
        self.share_list.addItem(item)
        self.share_list.setItemWidget(item, row)

    def save(self) -> None:
        receivers = self.picker.receivers()
        if not receivers:
            self.report_user_error("required_field", field=self.tr("Receivers"))
            return
        self.save_button.setEnabled(False)
        self.call(customers.share_customers, self.customer_ids, receivers, self.reminder.planned_at(),
                  self.reminder.plan_subject(), then=self._done).on_failure(
            lambda _error: self.save_button.setEnabled(True))

    def _done(self, count: int) -> None:
        self.sig_done.emit(count)
        self.accept()

    def ask_unshare(self, share: dict[str, Any]) -> None:
        confirm(self, self.tr("Stop sharing with {name}?").format(name=share["name"]),
                lambda: self.call(customers.unshare_customers, self.customer_ids, [share["account_id"]],
                                  then=lambda n: self._unshared(share["account_id"], n)))

    def _unshared(self, account_id: int, count: int) -> None:
        for r in range(self.share_list.count()):
            if self.share_list.item(r).data(ID_ROLE) == account_id:
                self.share_list.takeItem(r)
                break
        self.sig_unshared.emit(count)


class AssignDialog(QDialog, BackgroundCalls):
    """客户资源分派: the receiver becomes the owner; type, reason and reminder are optional."""

    sig_loaded = Signal()
    """The selected customers and the customer types arrived."""
    sig_status_shown = Signal(str)
    """The receiver's private customers and limit are shown. Parameters: the sentence."""
    sig_done = Signal(int)
    """The customers were assigned. Parameters: how many customers."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, customer_ids: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.customer_ids = db, list(customer_ids)
        self.rows: list[dict[str, Any]] = []
        self.setWindowTitle(self.tr("Assign customers"))
        self._build()
        self.call(load_assign_data, self.customer_ids, then=self._fill)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.header = QLabel(self.tr("Customers to assign: {count}").format(count=len(self.customer_ids)))
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.privacy = QLabel(self.tr("Private (the receiver becomes the owner)"))
        form.addRow(self.tr("Type"), self.privacy)
        self.type = QComboBox()
        self.type.addItem(self.tr("Unchanged"), None)
        form.addRow(self.tr("Customer type"), self.type)
        self.picker = ReceiverPicker(self.db)
        self.picker.sig_receiver_changed.connect(self._receiver_changed)
        form.addRow(required(self.tr("Receiver")), self.picker)
        self.status = QLabel()
        form.addRow("", self.status)
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(64)
        form.addRow(self.tr("Reason"), self.reason)
        layout.addLayout(form)
        self.reminder = ReminderBox()
        layout.addWidget(self.reminder)
        self.permission_note = warning_label()
        layout.addWidget(self.permission_note)
        layout.addStretch(1)
        buttons, self.save_button = _button_row(self, self.tr("Save"), self.tr("Close"))
        self.save_button.clicked.connect(self.save)
        layout.addLayout(buttons)
        if not self.db.can("customer.assign"):
            self.save_button.setEnabled(False)
            self.permission_note.setText(self.tr("You do not have the permission to assign customers."))
            self.permission_note.show()

    def _fill(self, data: dict[str, Any]) -> None:
        self.rows = data["rows"]
        owners = sorted({r["owner_name"] for r in self.rows if r["owner_name"]})
        self.header.setText(self.tr("Customers of {owners} to assign ({count}): {names}")
                            .format(count=len(self.customer_ids), owners="、".join(owners) or "-",
                                    names=names_text(self.rows)))
        fill_combo(self.type, [(t["name"], t["id"]) for t in data["types"]], self.tr("Unchanged"))
        self.sig_loaded.emit()

    def type_id(self) -> int | None:
        return self.type.currentData()

    # -- the receiver's private customers before and after ----------------------------------------
    def _receiver_changed(self, receiver: int | None) -> None:
        self.status.clear()
        if receiver is not None:
            self.call(customers.private_customer_status, receiver,
                      then=lambda status, r=receiver: self._show_status(r, status))

    def adding(self, receiver: int) -> int:
        """How many of the selection would become the receiver's private customers."""
        return sum(1 for r in self.rows if not (r["owner_id"] == receiver and r["is_private"]))

    def _show_status(self, receiver: int, status: tuple[int, int | None]) -> None:
        if receiver != self.picker.receiver_id():
            return
        count, limit = status
        after = count + self.adding(receiver)
        if limit is None:
            text = self.tr("Private customers {count} / no limit, after assigning {after}")
        else:
            text = self.tr("Private customers {count} / limit {limit}, after assigning {after}")
        text = text.format(count=count, limit=limit, after=after)
        over = limit is not None and after > limit
        if over:
            text += self.tr(" (over the limit)")
        self.status.setText(text)
        self.status.setStyleSheet(WARNING_STYLE if over else "")
        self.sig_status_shown.emit(text)

    def save(self) -> None:
        receiver = self.picker.receiver_id()
        if receiver is None:
            self.report_user_error("required_field", field=self.tr("Receiver"))
            return
        self.save_button.setEnabled(False)
        self.call(customers.assign_customers, self.customer_ids, receiver, self.reason.toPlainText().strip(),
                  self.type_id(), self.reminder.planned_at(), self.reminder.plan_subject(),
                  then=self._done).on_failure(lambda _error: self.save_button.setEnabled(True))

    def _done(self, count: int) -> None:
        self.sig_done.emit(count)
        self.accept()
