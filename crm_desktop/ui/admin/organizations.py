"""机构 (figure 1): the organisations list and the 新增机构 form."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from crm_desktop.services import org
from crm_desktop.ui.common.forms import BackgroundCalls, FormButtons, confirm, required, show_message
from crm_desktop.ui.admin.list_screen import ListScreen

PERMISSION = "system.org.manage"


class OrganizationDialog(QDialog, BackgroundCalls):
    """新增机构 / 修改机构; names are unique (the database refuses a duplicate)."""

    sig_saved = Signal(dict)
    """The organisation was saved. Parameters: its row."""
    sig_failed = Signal(str)
    """Saving failed and the sentence was shown. Parameters: the sentence."""

    def __init__(self, db, original: dict | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.original = db, original
        self.setWindowTitle(self.tr("Edit organisation") if original else self.tr("New organisation"))
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        form = QFormLayout()
        form.addRow(required(self.tr("Name:")), self.name)
        form.addRow(self.tr("Short name:"), self.short_name)
        form.addRow(self.tr("Phone:"), self.phone)
        form.addRow(self.tr("Address:"), self.address)
        form.addRow(self.tr("Notes:"), self.notes)
        self.buttons = FormButtons(self, on_save=self.save)
        self.buttons.set_allowed(db.can(PERMISSION))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(440, 300)
        if original:
            self._fill(original)

    def _fill(self, row: dict) -> None:
        self.original = row
        self.name.setText(row["name"])
        self.short_name.setText(row["short_name"])
        self.phone.setText(row["phone"])
        self.address.setText(row["address"])
        self.notes.setPlainText(row["notes"])

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "short_name": self.short_name.text().strip(),
                "phone": self.phone.text().strip(), "address": self.address.text().strip(),
                "notes": self.notes.toPlainText()}

    def save(self, close: bool = False) -> None:
        values = self.values()
        if not values["name"]:
            self.name.setFocus()
            self.report_user_error("organization_name_required")
            return
        self.call(org.save_organization, values, self.original,
                  then=lambda row: self._saved(row, close))

    def _saved(self, row: dict, close: bool) -> None:
        self._fill(row)
        self.setWindowTitle(self.tr("Edit organisation"))
        self.sig_saved.emit(row)
        if close:
            self.accept()


class OrganizationsScreen(ListScreen):
    """The organisations of the company; several may exist, each with a unique name."""

    write_permission = PERMISSION

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.setWindowTitle(self.tr("Organisations"))
        self.add_action(self.tr("New"), self.new)
        self.add_action(self.tr("Edit"), self.open_selected, write=False)
        self.delete_action = self.add_action(self.tr("Delete"), self.delete)
        self.finish_toolbar()
        self.dialog: OrganizationDialog | None = None
        self.resize(760, 420)
        self.refresh()

    def header_titles(self) -> list[str]:
        return [self.tr("Name"), self.tr("Short name"), self.tr("Phone"), self.tr("Address"), self.tr("Notes")]

    def fetch(self, db) -> list[dict]:
        return org.list_organizations(db)

    def cells(self, row: dict) -> list[str]:
        return [row["name"], row["short_name"], row["phone"], row["address"], row["notes"]]

    def _open(self, original: dict | None) -> OrganizationDialog:
        self.dialog = OrganizationDialog(self.db, original, self)
        self.dialog.sig_saved.connect(lambda _row: self.refresh())
        self.dialog.open()
        return self.dialog

    def new(self) -> OrganizationDialog:
        return self._open(None)

    def open_selected(self) -> OrganizationDialog | None:
        row = self.selected()
        return self._open(row) if row else None

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            show_message(self, self.tr("Select an organisation first."))
            return
        confirm(self, self.tr("Delete the organisation %1?").replace("%1", row["name"]),
                lambda: self.call(org.delete_organization, row["id"], then=lambda _r: self.refresh()))
