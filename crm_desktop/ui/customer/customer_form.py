"""客户档案录入, 手动录入 (figure 11): one customer with its contacts, and for a saved customer who
it is shared with and what happened to it.

Saving asks first about customers with the same name or phone (``find_duplicates``), and before
a customer becomes private the owner's count and limit are shown.  PostgreSQL decides everything
else: the private limit, the number's uniqueness, the e-mail format and whether the account may
change the customer; a refusal is shown as its sentence and the form keeps what was typed.  A
save over someone else's newer change is refused (StaleRow): the user reloads, or keeps editing
on top of the new row (their own changes stay, the others' changes are taken in).

Read-only: a new customer needs customer.create; a saved one opens writable only when the
database says the account may change it (``can_edit_customer``: customer.edit and the server's
rule — a sharee may read, not change).  Should that change while the form is open, the database's
refusal (customer_not_editable) is shown as its sentence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QRadioButton, QTabWidget, QVBoxLayout, QWidget)

from crm_desktop import validators
from crm_desktop.messages import UserError, text
from crm_desktop.services import customer as customers
from crm_desktop.services import customer_settings as settings
from crm_desktop.services import numbering
from crm_desktop.services.account import get_account
from crm_desktop.services.customer_list import CustomerPageSource
from crm_desktop.services.records import StaleRow
from crm_desktop.ui.common.forms import (REQUIRED_MARK, BackgroundCalls, FormButtons, confirm, fill_combo, required,
                                       select_data)
from crm_desktop.ui.admin.stale_dialog import StaleRowDialog
from crm_desktop.ui.common.lazy_model import format_region, format_value
from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.customer.contact_editor import ContactEditor
from crm_desktop.ui.customer.customer_history import CustomerHistoryTab

CHOICES = ("type", "category", "source", "industry")
TEXTS = ("name", "phone", "mobile", "fax", "email", "website", "address", "postcode")
FIELD_VALIDATORS = {"phone": validators.clean_phone, "fax": validators.clean_phone, "mobile": validators.clean_mobile,
                    "email": validators.clean_email, "postcode": validators.clean_postcode}
WARNING_STYLE = "color:#c0392b"


# -- worker thread ------------------------------------------------------------------------------
def load_form_data(db, customer_id: int | None) -> dict[str, Any]:
    """Every list the form offers, and the customer with its contacts (or the next number)."""
    data: dict[str, Any] = {kind: settings.list_choices(db, kind) for kind in CHOICES}
    data["regions"] = settings.list_regions(db)
    if customer_id is None:
        data.update(customer=None, contacts=[], shares=[], info={}, number=numbering.preview(db, "customer"),
                    manual_number=numbering.allows_manual(db, "customer"))
    else:
        data.update(read_customer(db, customer_id))
    return data


def read_customer(db, customer_id: int) -> dict[str, Any]:
    customer = customers.get_customer(db, customer_id)
    return {"customer": customer, "contacts": customers.list_contacts(db, customer_id),
            "shares": customers.list_shares(db, customer_id), "info": customer_info(db, customer),
            "editable": customers.can_edit_customer(db, customer_id)}


def customer_info(db, customer: dict[str, Any]) -> dict[str, str]:
    """所属人, 所属部门 and 建档人 by name."""
    rows = CustomerPageSource(db).fetch_rows([customer["id"]])
    info = {"owner": rows[0]["owner_name"] or "", "department": rows[0]["department_name"] or ""} if rows else {}
    info["creator"] = ""
    if customer["created_by"]:
        try:
            info["creator"] = get_account(db, customer["created_by"])["name"]
        except UserError:
            pass
    return info



def _choice_group(parent: QWidget, options: list[str]) -> tuple[QButtonGroup, QWidget]:
    box, group = QWidget(parent), QButtonGroup(parent)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, label in enumerate(options):
        button = QRadioButton(label)
        group.addButton(button, index)
        layout.addWidget(button)
    layout.addStretch(1)
    group.button(0).setChecked(True)
    return group, box


class CustomerForm(QDialog, BackgroundCalls):
    sig_loaded = Signal()
    """The lists and the customer arrived; the form is ready."""
    sig_saved = Signal(dict)
    """The customer was saved. Parameters: the customer row as stored (dict)."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""
    sig_duplicates = Signal(object)
    """Customers with the same name or phone exist; the question is open. Parameters: the QMessageBox."""
    sig_stale = Signal(object)
    """A save was refused because the customer changed meanwhile. Parameters: the StaleRowDialog."""
    sig_private_status = Signal(str)
    """The owner's private customers and limit are shown. Parameters: the text."""

    def __init__(self, db, customer_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.customer_id = db, customer_id
        self.original: dict | None = None
        self.writable = False
        self.manual_number = False  # the customer rule's allows_manual, read with the form's lists
        self.stale_dialog: StaleRowDialog | None = None
        self.confirm_box = None
        self.names: dict[str, dict[int, str]] = {}
        self.setWindowTitle(self.tr("New customer") if customer_id is None else self.tr("Customer"))
        self._build()
        self._set_writable(False)
        self.call(load_form_data, customer_id, then=self._loaded)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.read_only_note = QLabel(text("customer_not_editable"))
        self.read_only_note.setStyleSheet(WARNING_STYLE)
        self.read_only_note.hide()
        layout.addWidget(self.read_only_note)
        self.tabs = QTabWidget()
        basic = QWidget()
        basic_layout = QVBoxLayout(basic)
        basic_layout.addWidget(self._basic())
        self.record_box = self._system_info()
        self.record_box.hide()  # a new customer has no record yet
        basic_layout.addWidget(self.record_box)
        basic_layout.addStretch(1)
        self.contacts = ContactEditor(self.db, self)
        self.history = CustomerHistoryTab(self.db, self)
        self.tabs.addTab(basic, self.tr("Basic information"))
        self.tabs.addTab(self.contacts, self.tr("Contacts"))
        self.tabs.addTab(self.history, self.tr("Shares and history"))
        self.tabs.setTabVisible(2, False)
        layout.addWidget(self.tabs)
        self.buttons = FormButtons(self, on_save=self.save)
        layout.addWidget(self.buttons)
        self.resize(820, 560)

    def _basic(self) -> QGroupBox:
        box = QGroupBox(self.tr("Customer"))
        grid = QGridLayout(box)
        self.kind_group, kind = _choice_group(box, [self.tr("Company"), self.tr("Individual")])
        self.private_group, scope = _choice_group(box, [self.tr("Private"), self.tr("Public")])
        self.private_status = QLabel()
        scope.layout().insertWidget(2, self.private_status)
        self.number = QLineEdit()
        self.edits = {key: QLineEdit() for key in TEXTS}
        self.combos = {key: QComboBox() for key in (*CHOICES, "region")}
        for key, widget in (*self.edits.items(), *self.combos.items()):
            widget.setObjectName(key)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.name_label = required(self.tr("Customer name"))
        self.labels = {key: QLabel() for key in ("phone", "address", "website")}
        e, c = self.edits, self.combos
        rows = [(QLabel(self.tr("Kind")), kind, QLabel(self.tr("Private/public")), scope),
                (QLabel(self.tr("Customer number")), self.number, self.name_label, e["name"]),
                (QLabel(self.tr("Customer type")), c["type"], QLabel(self.tr("Customer category")), c["category"]),
                (QLabel(self.tr("Region")), c["region"], QLabel(self.tr("Customer source")), c["source"]),
                (QLabel(self.tr("Industry")), c["industry"], self.labels["phone"], e["phone"]),
                (QLabel(self.tr("Mobile")), e["mobile"], QLabel(self.tr("Fax")), e["fax"]),
                (QLabel(self.tr("E-mail")), e["email"], self.labels["website"], e["website"]),
                (self.labels["address"], e["address"], QLabel(self.tr("Postcode")), e["postcode"])]
        for r, widgets in enumerate(rows):
            for col, widget in enumerate(widgets):
                grid.addWidget(widget, r, col)
        grid.addWidget(QLabel(self.tr("Notes")), len(rows), 0)
        grid.addWidget(self.notes, len(rows), 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.kind_group.idToggled.connect(lambda _id, on: on and self._kind_labels())
        self.private_group.idToggled.connect(lambda _id, on: on and self._show_private_status())
        self._kind_labels()
        return box

    def _system_info(self) -> QGroupBox:
        box = QGroupBox(self.tr("Record"))
        grid = QGridLayout(box)
        self.info = {key: QLabel() for key in ("owner", "department", "creator", "created_at", "last_contact_at")}
        rows = [(self.tr("Owner"), "owner", self.tr("Department"), "department"),
                (self.tr("Created by"), "creator", self.tr("Created at"), "created_at"),
                (self.tr("Last contact"), "last_contact_at", None, None)]
        for r, (left, left_key, right, right_key) in enumerate(rows):
            grid.addWidget(QLabel(left), r, 0)
            grid.addWidget(self.info[left_key], r, 1)
            if right:
                grid.addWidget(QLabel(right), r, 2)
                grid.addWidget(self.info[right_key], r, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box

    def _kind_labels(self) -> None:
        """An individual is a person: 姓名, 住址, 个人主页 instead of the company's labels."""
        person = self.kind_group.checkedId() == 1
        self.name_label.setText((self.tr("Full name") if person else self.tr("Customer name"))
                                + REQUIRED_MARK)
        self.labels["phone"].setText(self.tr("Home phone") if person else self.tr("Phone"))
        self.labels["address"].setText(self.tr("Home address") if person else self.tr("Address"))
        self.labels["website"].setText(self.tr("Homepage") if person else self.tr("Website"))

    def field_labels(self) -> dict[str, str]:
        """The stale dialog's names for the row's fields."""
        return {"kind": self.tr("Kind"), "is_private": self.tr("Private/public"), "name": self.tr("Customer name"),
                "type_id": self.tr("Customer type"), "category_id": self.tr("Customer category"),
                "region_id": self.tr("Region"), "source_id": self.tr("Customer source"),
                "industry_id": self.tr("Industry"), "phone": self.tr("Phone"), "mobile": self.tr("Mobile"),
                "fax": self.tr("Fax"), "email": self.tr("E-mail"), "website": self.tr("Website"),
                "address": self.tr("Address"), "postcode": self.tr("Postcode"), "notes": self.tr("Notes"),
                "owner_id": self.tr("Owner"), "department_id": self.tr("Department"),
                "number": self.tr("Customer number"), "last_contact_at": self.tr("Last contact")}

    def value_text(self, field: str, value: Any) -> str | None:
        if field == "kind":
            return self.tr("Individual") if value == "individual" else self.tr("Company")
        if field == "is_private":
            return self.tr("Private") if value else self.tr("Public")
        if field.endswith("_id") and field[:-3] in self.names and value is not None:
            return self.names[field[:-3]].get(value)
        return None

    # -- filling --------------------------------------------------------------------------------
    def _loaded(self, data: dict[str, Any]) -> None:
        for kind in CHOICES:
            self.names[kind] = {c["id"]: c["name"] for c in data[kind]}
            fill_combo(self.combos[kind], [(c["name"], c["id"]) for c in data[kind]], self.tr("--Choose--"))
        self.names["region"] = {r["id"]: format_region(r["path"]) for r in data["regions"]}
        fill_combo(self.combos["region"], sorted(((p, i) for i, p in self.names["region"].items())),
                   self.tr("--Choose--"))
        if data["customer"] is None:
            self.manual_number = data["manual_number"]
            placeholder = (self.tr("{number} (left empty: numbered automatically)") if self.manual_number
                           else self.tr("{number} (numbered automatically on saving)"))
            self.number.setPlaceholderText(placeholder.format(number=data["number"]))
            self.contacts.show_contacts(None, [])
            self._set_writable(self.db.can("customer.create"))
            self._show_private_status()
        else:
            self._show_read(data)
        self.sig_loaded.emit()

    def _show_read(self, data: dict[str, Any]) -> None:
        """A saved customer as read: fields, record information, contacts, history; writable or not."""
        customer = data["customer"]
        self.show_customer(customer)
        self.contacts.show_contacts(customer["id"], data["contacts"])
        for key in ("owner", "department", "creator"):
            self.info[key].setText(data["info"].get(key, ""))
        self._set_writable(data["editable"])
        self.tabs.setTabVisible(2, True)
        self.record_box.show()
        self.history.load(customer["id"])

    def show_customer(self, customer: dict[str, Any]) -> None:
        self.original, self.customer_id = customer, customer["id"]
        self.show_values(customer)
        self.number.setText(customer["number"])
        self.number.setReadOnly(True)
        self.info["created_at"].setText(format_value(customer["created_at"]))
        self.info["last_contact_at"].setText(format_value(customer["last_contact_at"]))
        self.private_status.clear()
        self.setWindowTitle(self.tr("Customer {number}").format(number=customer["number"]))

    def show_values(self, values: dict[str, Any]) -> None:
        self.kind_group.button(1 if values["kind"] == "individual" else 0).setChecked(True)
        self.private_group.blockSignals(True)
        self.private_group.button(0 if values["is_private"] else 1).setChecked(True)
        self.private_group.blockSignals(False)
        for key, edit in self.edits.items():
            edit.setText(values[key] or "")
        for key, combo in self.combos.items():
            select_data(combo, values[f"{key}_id"])
        self.notes.setPlainText(values["notes"] or "")

    def _set_writable(self, writable: bool) -> None:
        self.writable = writable
        for edit in (*self.edits.values(), self.number):
            edit.setReadOnly(not writable or (edit is self.number and (self.original is not None
                                                                          or not self.manual_number)))
        self.notes.setReadOnly(not writable)
        for widget in (*self.combos.values(), *self.kind_group.buttons(), *self.private_group.buttons()):
            widget.setEnabled(writable)
        self.buttons.set_writable(writable)
        self.contacts.set_writable(writable)
        self.read_only_note.setVisible(not writable and self.original is not None)

    # -- the private limit, before it is hit ----------------------------------------------------
    def _show_private_status(self) -> None:
        """Becoming private (new, or public until now): show the owner's count and limit."""
        becoming = self.private_group.checkedId() == 0 and (self.original is None or not self.original["is_private"])
        self.private_status.clear()
        if not becoming or not self.writable:
            return
        owner = (self.original or {}).get("owner_id") or self.db.account_id
        task = run_in_background(customers.private_customer_status, self.db, owner)
        task.on_success(self._private_status_arrived)
        task.on_failure(lambda _error: None)  # not everyone may ask about another owner; the save still checks

    def _private_status_arrived(self, status: tuple[int, int | None]) -> None:
        if self.private_group.checkedId() != 0:
            return
        owned, limit = status
        if limit is None:
            shown = self.tr("Private customers {owned} / no limit").format(owned=owned)
        else:
            shown = self.tr("Private customers {owned} / limit {limit}").format(owned=owned, limit=limit)
        self.private_status.setText(shown)
        self.private_status.setStyleSheet(WARNING_STYLE if limit is not None and owned >= limit else "color:#555")
        self.sig_private_status.emit(shown)

    # -- saving ---------------------------------------------------------------------------------
    def typed_values(self) -> dict[str, Any]:
        """What the form holds, as create/update_customer take it."""
        values: dict[str, Any] = {key: edit.text().strip() for key, edit in self.edits.items()}
        values.update({f"{key}_id": combo.currentData() for key, combo in self.combos.items()})
        values.update(kind="individual" if self.kind_group.checkedId() == 1 else "company",
                      is_private=self.private_group.checkedId() == 0, notes=self.notes.toPlainText().strip())
        return values

    def values(self) -> dict[str, Any]:
        """``typed_values``, refused (UserError) without a name or with a field the validators refuse
        (the import and the database's check constraints apply the same ones)."""
        values = self.typed_values()
        if not values["name"]:
            self.edits["name"].setFocus()
            raise UserError("customer_name_required")
        for key, clean in FIELD_VALIDATORS.items():
            try:
                values[key] = clean(values[key])
            except validators.FieldError as error:
                self.edits[key].setFocus()
                raise UserError(error.key, **{"column": customers.FIELD_NAMES[key], "value": values[key],
                                              **error.params}) from None
        return values

    def save(self, close: bool = False) -> None:
        try:
            values = self.values()
        except UserError as error:
            self.report_failure(error)
            return
        self.buttons.set_writable(False)
        if self._needs_duplicate_check(values):
            task = self.call(customers.check_new_values, values["name"], [values["phone"], values["mobile"]],
                             self.customer_id, values["kind"] == "company",
                             then=lambda found: self._duplicates_checked(found, values, close))
            task.on_failure(lambda _error: self.buttons.set_writable(self.writable))
        else:
            self._write(values, close)

    def _needs_duplicate_check(self, values: dict[str, Any]) -> bool:
        if self.original is None:
            return True
        return any(values[k] != self.original[k] for k in ("name", "phone", "mobile"))

    def _duplicates_checked(self, checked: tuple[list[dict], UserError | None], values: dict[str, Any],
                            close: bool) -> None:
        found, elsewhere = checked
        if elsewhere is not None:  # 撞单: refused, whoever follows it is told (or not, as the administrator set)
            self.buttons.set_writable(self.writable)
            self.report_failure(elsewhere)
            return
        if not found:
            self._write(values, close)
            return
        self.buttons.set_writable(self.writable)
        names = "、".join(f"{d['name']}（{d['number']}）" for d in found)
        box = confirm(self, text("customer_duplicate_warning", names=names), lambda: self._write(values, close))
        self.sig_duplicates.emit(box)

    def _write(self, values: dict[str, Any], close: bool) -> None:
        self.buttons.set_writable(False)
        if self.original is None:
            number = self.number.text().strip()
            task = self.call(customers.create_customer, {**values, "number": number}, self.contacts.take_pending())
        else:
            task = self.call(customers.update_customer, self.original, values)
        task.on_success(lambda row: self._saved(row, close))
        task.on_finished(lambda: self.buttons.set_writable(self.writable))

    def _saved(self, row: dict[str, Any], close: bool) -> None:
        self.show_customer(row)
        self.sig_saved.emit(row)
        if close:
            self.accept()
            return
        self.call(read_customer, row["id"], then=self._reloaded)

    # -- a stale save ---------------------------------------------------------------------------
    def report_failure(self, error: BaseException) -> None:
        if isinstance(error, StaleRow):
            self._show_stale(error)
        else:
            super().report_failure(error)

    def _show_stale(self, error: StaleRow) -> None:
        self.stale_dialog = StaleRowDialog(error, self.field_labels(), self, self.value_text)
        self.stale_dialog.sig_reload.connect(self.reload)
        self.stale_dialog.rejected.connect(self.keep_editing)
        self.stale_dialog.open()
        self.sig_stale.emit(self.stale_dialog)

    def reload(self) -> None:
        """Read the customer again; unsaved edits are dropped (the user chose so)."""
        self.call(read_customer, self.customer_id, then=self._reloaded)

    def _reloaded(self, data: dict[str, Any]) -> None:
        self._show_read(data)
        self.sig_loaded.emit()

    def keep_editing(self) -> None:
        """Take in the newer row, keeping every field the user changed as they typed it."""
        typed, read = self.typed_values(), self.original
        self.call(read_customer, self.customer_id, then=lambda data: self._rebased(data, read, typed))

    def _rebased(self, data: dict[str, Any], read: dict[str, Any], typed: dict[str, Any]) -> None:
        self._show_read(data)
        mine = {k: v for k, v in typed.items() if read.get(k) != v}
        self.show_values({**data["customer"], **mine})
        self.sig_loaded.emit()
