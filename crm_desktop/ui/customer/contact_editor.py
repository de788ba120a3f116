"""联系人 tab of the customer form: the customer's contacts in a table and an editor below it.

A new customer's contacts are kept in memory and written with the customer in one transaction
(``create_customer(db, values, contacts)``); once the customer exists each add, change and delete
is its own call (``save_contact`` / ``delete_contact``), refused by PostgreSQL unless the account
may change the customer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.messages import UserError
from crm_desktop.model.customer import CONTACT_FIELDS
from crm_desktop.services import customer as customers
from crm_desktop.ui.common.forms import BackgroundCalls, confirm, required

TEXT_FIELDS = ("name", "title", "phone", "mobile", "email", "qq", "wechat", "notes")
TABLE_FIELDS = ("name", "gender", "title", "phone", "mobile", "email", "is_primary")


class ContactEditor(QWidget, BackgroundCalls):
    """The contacts of one customer (``customer_id`` None: a customer not yet saved)."""

    sig_loaded = Signal()
    """The contacts of a saved customer arrived."""
    sig_contact_saved = Signal(object)
    """A contact was added or changed (in memory for a new customer). Parameters: the contact (dict)."""
    sig_contact_deleted = Signal()
    """A contact was removed."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.customer_id: int | None = None
        self.contacts: list[dict[str, Any]] = []
        self.current: int | None = None  # index into contacts of the row in the editor
        self.writable = True
        self._build()
        self.start_new()

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(TABLE_FIELDS))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Gender"), self.tr("Title"), self.tr("Phone"),
                                              self.tr("Mobile"), self.tr("E-mail"), self.tr("Primary")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._row_selected)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._editor())
        layout.addLayout(self._buttons())

    def _editor(self) -> QGridLayout:
        grid = QGridLayout()
        self.edits = {key: QLineEdit() for key in TEXT_FIELDS}
        for key, edit in self.edits.items():
            edit.setObjectName(f"contact_{key}")
        self.gender = QComboBox()
        for label, value in (("", ""), (self.tr("Male"), "male"), (self.tr("Female"), "female")):
            self.gender.addItem(label, value)
        self.is_primary = QCheckBox(self.tr("Primary contact"))
        rows = [(required(self.tr("Name")), self.edits["name"], QLabel(self.tr("Gender")), self.gender),
                (QLabel(self.tr("Title")), self.edits["title"], QLabel(self.tr("Phone")), self.edits["phone"]),
                (QLabel(self.tr("Mobile")), self.edits["mobile"], QLabel(self.tr("E-mail")), self.edits["email"]),
                (QLabel(self.tr("QQ")), self.edits["qq"], QLabel(self.tr("WeChat")), self.edits["wechat"])]
        for r, widgets in enumerate(rows):
            for c, widget in enumerate(widgets):
                grid.addWidget(widget, r, c)
        grid.addWidget(QLabel(self.tr("Notes")), 4, 0)
        grid.addWidget(self.edits["notes"], 4, 1, 1, 2)
        grid.addWidget(self.is_primary, 4, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return grid

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New contact"))
        self.save_button = QPushButton(self.tr("Save contact"))
        self.delete_button = QPushButton(self.tr("Delete contact"))
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save_current)
        self.delete_button.clicked.connect(self.delete_current)
        row.addStretch(1)
        for button in (self.new_button, self.save_button, self.delete_button):
            row.addWidget(button)
        return row

    # -- state ----------------------------------------------------------------------------------
    def set_writable(self, writable: bool) -> None:
        self.writable = writable
        for widget in (*self.edits.values(), self.gender, self.is_primary):
            widget.setEnabled(writable)
        for button in (self.new_button, self.save_button):
            button.setEnabled(writable)
        self.delete_button.setEnabled(writable and self.current is not None)

    def show_contacts(self, customer_id: int | None, contacts: list[dict[str, Any]]) -> None:
        """Show ``contacts``; with a ``customer_id`` further edits are written at once."""
        self.customer_id, self.contacts = customer_id, list(contacts)
        self._refill()
        self.start_new()

    def reload(self) -> None:
        if self.customer_id is not None:
            self.call(customers.list_contacts, self.customer_id, then=self._reloaded)

    def _reloaded(self, contacts: list[dict[str, Any]]) -> None:
        self.show_contacts(self.customer_id, contacts)
        self.sig_loaded.emit()

    def _refill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.contacts))
        for r, contact in enumerate(self.contacts):
            for c, key in enumerate(TABLE_FIELDS):
                self.table.setItem(r, c, QTableWidgetItem(self._cell_text(key, contact.get(key))))
        self.table.clearSelection()
        self.table.blockSignals(False)

    def _cell_text(self, key: str, value: Any) -> str:
        if key == "gender":
            return self.gender.itemText(max(self.gender.findData(value or ""), 0))
        if key == "is_primary":
            return "✓" if value else ""
        return value or ""

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.current = rows[0].row()
            self._show(self.contacts[self.current])
        self.delete_button.setEnabled(self.writable and self.current is not None)

    def _show(self, contact: dict[str, Any]) -> None:
        for key, edit in self.edits.items():
            edit.setText(contact.get(key) or "")
        self.gender.setCurrentIndex(max(self.gender.findData(contact.get("gender") or ""), 0))
        self.is_primary.setChecked(bool(contact.get("is_primary")))

    def start_new(self) -> None:
        """Empty the editor for another contact."""
        self.current = None
        self.table.clearSelection()
        self._show({})
        self.delete_button.setEnabled(False)

    def values(self) -> dict[str, Any]:
        values = {key: edit.text().strip() for key, edit in self.edits.items()}
        values["gender"] = self.gender.currentData()
        values["is_primary"] = self.is_primary.isChecked()
        return values

    def has_unsaved_input(self) -> bool:
        """The editor holds a named contact that differs from the row it shows (or a new one)."""
        values = self.values()
        if not values["name"]:
            return False
        if self.current is None:
            return True
        shown = self.contacts[self.current]
        return any((shown.get(k) or ("" if k != "is_primary" else False)) != v for k, v in values.items())

    # -- saving ---------------------------------------------------------------------------------
    def save_current(self) -> None:
        values = self.values()
        if not values["name"]:
            self.edits["name"].setFocus()
            self.report_failure(UserError("contact_name_required"))
            return
        original = self.contacts[self.current] if self.current is not None else None
        if self.customer_id is None:
            self._keep({**(original or {}), **values})
        else:
            self.call(customers.save_contact, self.customer_id, original, values, then=self._keep)

    def take_pending(self) -> list[dict[str, Any]]:
        """A new customer's contacts for create_customer, the editor's unsaved one included."""
        if self.has_unsaved_input():
            self.save_current()
        return [{k: c.get(k) for k in CONTACT_FIELDS if k in c} for c in self.contacts]

    def _keep(self, contact: dict[str, Any]) -> None:
        index = self._index_of(contact)
        if index is None:
            self.contacts.append(contact)
        else:
            self.contacts[index] = contact
        self._refill()
        self.start_new()
        self.sig_contact_saved.emit(contact)

    def _index_of(self, contact: dict[str, Any]) -> int | None:
        if self.customer_id is None:
            return self.current
        for index, other in enumerate(self.contacts):
            if other.get("id") == contact.get("id"):
                return index
        return None

    def delete_current(self) -> None:
        if self.current is None:
            return
        contact = self.contacts[self.current]
        question = self.tr("Delete the contact {name}?").format(name=contact["name"])
        confirm(self, question, lambda: self._delete(contact))

    def _delete(self, contact: dict[str, Any]) -> None:
        if self.customer_id is None or "id" not in contact:
            self._forget(contact)
        else:
            self.call(customers.delete_contact, contact["id"], then=lambda _r: self._forget(contact))

    def _forget(self, contact: dict[str, Any]) -> None:
        self.contacts = [c for c in self.contacts if c is not contact]
        self._refill()
        self.start_new()
        self.sig_contact_deleted.emit()

