"""权限角色组 (figure 5): roles, each global or belonging to one organisation; the two default
roles are kept. 关联帐号 opens figure 8, 授权 the role × permission grid (figure 6)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from crm_desktop.services import org, role
from crm_desktop.ui.common.forms import (
    BackgroundCalls,
    FormButtons,
    confirm,
    fill_combo,
    organization_items,
    required,
    select_data,
    show_message,
)
from crm_desktop.ui.admin.list_screen import ListScreen
from crm_desktop.ui.admin.permission_grid import PermissionGridScreen
from crm_desktop.ui.admin.role_accounts import RoleAccountsDialog

PERMISSION = "system.role.manage"


class RoleDialog(QDialog, BackgroundCalls):
    sig_saved = Signal(dict)
    """The role was saved. Parameters: its row."""
    sig_failed = Signal(str)
    """Saving failed. Parameters: the sentence shown."""

    def __init__(self, db, organizations: list[dict], original: dict | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.original = db, original
        self.setWindowTitle(self.tr("Edit role") if original else self.tr("New role"))
        self.name = QLineEdit(original["name"] if original else "")
        self.organization = QComboBox()
        fill_combo(self.organization, organization_items(organizations),
                   placeholder=self.tr("(all organisations)"))
        if original:
            select_data(self.organization, original["organization_id"])
        self.notes = QPlainTextEdit(original["notes"] if original else "")
        self.notes.setFixedHeight(70)
        form = QFormLayout()
        form.addRow(required(self.tr("Role name:")), self.name)
        form.addRow(self.tr("Organisation:"), self.organization)
        form.addRow(self.tr("Notes:"), self.notes)
        self.buttons = FormButtons(self, on_save=self.save)
        self.buttons.set_allowed(db.can(PERMISSION))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(420, 240)

    def save(self, close: bool) -> None:
        values = {"name": self.name.text().strip(), "organization_id": self.organization.currentData(),
                  "notes": self.notes.toPlainText()}
        if not values["name"]:
            self.report_user_error("role_name_required")
            return
        self.call(role.save_role, values, self.original, then=lambda row: self._saved(row, close))

    def _saved(self, row: dict, close: bool) -> None:
        self.original = row
        self.sig_saved.emit(row)
        if close:
            self.accept()


class RolesScreen(ListScreen):
    write_permission = PERMISSION

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.organizations: list[dict] = []
        self.window_ref: QWidget | None = None
        self.setWindowTitle(self.tr("Roles"))
        self.add_action(self.tr("New"), self.new)
        self.add_action(self.tr("Edit"), self.open_selected, write=False)
        self.add_action(self.tr("Delete"), self.delete)
        self.toolbar.addSeparator()
        self.add_action(self.tr("Accounts…"), self.choose_accounts, write=False)
        self.add_action(self.tr("Permissions…"), self.show_grid, write=False)
        self.finish_toolbar()
        self.resize(760, 420)
        self.refresh()

    def header_titles(self) -> list[str]:
        return [self.tr("Role"), self.tr("Organisation"), self.tr("Type"), self.tr("Notes")]

    def fetch(self, db) -> tuple[list[dict], list[dict]]:
        return org.list_organizations(db), role.list_roles(db)

    def take(self, result: tuple[list[dict], list[dict]]) -> list[dict]:
        self.organizations, roles = result
        return roles

    def cells(self, row: dict) -> list[str]:
        organizations = {o["id"]: o["name"] for o in self.organizations}
        where = (organizations.get(row["organization_id"], "") if row["organization_id"]
                 else self.tr("All organisations"))
        kind = self.tr("Default") if row["builtin"] else self.tr("Custom")
        return [row["name"], where, kind, row["notes"]]

    def _open(self, original: dict | None) -> RoleDialog:
        dialog = RoleDialog(self.db, self.organizations, original, self)
        dialog.sig_saved.connect(lambda _row: self.refresh())
        dialog.open()
        self.window_ref = dialog
        return dialog

    def new(self) -> RoleDialog:
        return self._open(None)

    def open_selected(self) -> RoleDialog | None:
        row = self.selected()
        return self._open(row) if row else None

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            show_message(self, self.tr("Select a role first."))
            return
        confirm(self, self.tr("Delete the role %1?").replace("%1", row["name"]),
                lambda: self.call(role.delete_role, row["id"], then=lambda _r: self.refresh()))

    def choose_accounts(self) -> RoleAccountsDialog | None:
        row = self.selected()
        if row is None:
            show_message(self, self.tr("Select a role first."))
            return None
        dialog = RoleAccountsDialog(self.db, row, self)
        dialog.open()
        self.window_ref = dialog
        return dialog

    def show_grid(self) -> PermissionGridScreen:
        grid = PermissionGridScreen(self.db, self)
        grid.setWindowFlag(Qt.WindowType.Window)
        grid.show()
        self.window_ref = grid
        return grid
