"""人员帐号 form (figure 4, figure 7): create or edit an account with its positions and roles.

Required fields are checked before saving; a save over someone else's newer change is refused by
the service (StaleRow) and the user sees what changed and may reload — never a silent overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from crm_desktop.messages import UserError, text
from crm_desktop.services import account, org, role
from crm_desktop.services.records import StaleRow
from crm_desktop.ui.admin.account_fields import AccountFields
from crm_desktop.ui.admin.account_positions import PositionChooser
from crm_desktop.ui.common.forms import REQUIRED_MARK, BackgroundCalls, FormButtons
from crm_desktop.ui.admin.stale_dialog import StaleRowDialog

MANAGE, ROLES = "system.account.manage", "system.role.manage"


@dataclass
class FormData:
    structure: org.Structure
    roles: list[dict]
    account: dict | None
    manageable: bool = True  # the caller holds every permission the account holds


def load_form_data(db, account_id: int | None) -> FormData:
    return FormData(org.load_structure(db), role.list_roles(db),
                    account.get_account(db, account_id) if account_id else None,
                    account.may_manage(db, account_id) if account_id else True)


def create_and_read(db, values, password, positions, role_ids) -> dict:
    return account.get_account(db, account.create_account(db, values, password, positions, role_ids))


def update_and_read(db, original, values, positions, role_ids, password) -> dict:
    account.update_account(db, original, values, positions, role_ids, password)
    return account.get_account(db, original["id"])


class AccountForm(QDialog, BackgroundCalls):
    sig_loaded = Signal()
    """The form's data arrived and is shown."""
    sig_saved = Signal(int)
    """The account was saved. Parameters: account id."""
    sig_failed = Signal(str)
    """Validation or saving failed. Parameters: the sentence shown."""
    sig_stale = Signal(object)
    """A save was refused because the account changed meanwhile. Parameters: the StaleRowDialog."""

    def __init__(self, db, account_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.account_id = db, account_id
        self.original: dict | None = None
        self.data: FormData | None = None
        self.stale_dialog: StaleRowDialog | None = None
        self.chooser: PositionChooser | None = None
        self.fields = AccountFields()
        self.fields.choose_position.clicked.connect(self.choose_position)
        self.buttons = FormButtons(self, on_save=self.save)
        self.writable = db.can(MANAGE)
        self.buttons.set_writable(self.writable)
        self.fields.choose_position.setEnabled(self.writable)
        self.fields.roles.setEnabled(db.can(ROLES))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color:#c0392b")
        self.refusal.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addWidget(scroll)
        layout.addWidget(self.buttons)
        self._set_mode()
        self.resize(780, 720)
        self.call(load_form_data, account_id, then=self._loaded)

    def _set_mode(self) -> None:
        creating = self.original is None
        self.setWindowTitle(self.tr("New account") if creating else
                            self.tr("Account: %1").replace("%1", self.original["name"]))
        mark = REQUIRED_MARK if creating else ""
        self.fields.password_label.setText(self.tr("Password:") + mark)
        self.fields.confirm_label.setText(self.tr("Confirm password:") + mark)
        hint = "" if creating else self.tr("leave blank to keep")
        self.fields.password.setPlaceholderText(hint)

    def _loaded(self, data: FormData) -> None:
        self.data = data
        self._show_account(data.account)
        if not data.manageable:  # PostgreSQL would refuse every change of this account anyway
            self.refusal.setText(text("account_holds_more_permissions"))
            self.refusal.show()
            self.buttons.set_writable(False)
            self.fields.choose_position.setEnabled(False)
            self.fields.roles.setEnabled(False)
        self.sig_loaded.emit()

    def _show_account(self, row: dict | None) -> None:
        self.original = row
        if row:
            self.account_id = row["id"]
            self.fields.fill(row)
        organizations = {o["id"]: o["name"] for o in self.data.structure.organizations}
        self.fields.set_roles(self.data.roles, organizations, set(row["role_ids"]) if row else set())
        self.fields.positions.set_assignments(self.data.structure, row["positions"] if row else [])
        self._set_mode()

    # -- positions -------------------------------------------------------------------------------
    def choose_position(self) -> PositionChooser:
        self.chooser = PositionChooser(self.data.structure, self)
        self.chooser.sig_chosen.connect(lambda position_id, _main: self.fields.positions.add(position_id))
        self.chooser.open()
        return self.chooser

    # -- saving ----------------------------------------------------------------------------------
    def validate(self) -> UserError | None:
        values = self.fields.values()
        if not values["login"]:
            self.fields.login.setFocus()
            return UserError("required_field", field=self.tr("Login"))
        if not values["name"]:
            self.fields.name.setFocus()
            return UserError("required_field", field=self.tr("Name"))
        password, confirm = self.fields.password.text(), self.fields.confirm.text()
        if self.original is None and not password:
            self.fields.password.setFocus()
            return UserError("required_field", field=self.tr("Password"))
        if password or confirm:
            try:
                account.check_password(password, confirm)
            except UserError as error:
                self.fields.password.setFocus()
                return error
        return None

    def save(self, close: bool = False) -> None:
        problem = self.validate()
        if problem is not None:
            self.report_failure(problem)
            return
        values, positions = self.fields.values(), self.fields.positions.assignments()
        role_ids = self.fields.role_ids() if self.fields.roles.isEnabled() else None
        password = self.fields.password.text() or None
        if self.original is None:
            task = self.call(create_and_read, values, password, positions, role_ids or [])
        else:
            task = self.call(update_and_read, self.original, values, positions, role_ids, password)
        task.on_success(lambda row: self._saved(row, close))

    def report_failure(self, error: BaseException) -> None:
        if isinstance(error, StaleRow):
            self._show_stale(error)
        else:
            super().report_failure(error)

    def _saved(self, row: dict, close: bool) -> None:
        self._show_account(row)
        self.sig_saved.emit(row["id"])
        if close:
            self.accept()

    def _show_stale(self, error: StaleRow) -> None:
        self.stale_dialog = StaleRowDialog(error, self.fields.field_labels(), self, self.fields.value_text)
        self.stale_dialog.sig_reload.connect(self.reload)
        self.stale_dialog.open()
        self.sig_stale.emit(self.stale_dialog)

    def reload(self) -> None:
        """Read the account again; the user's unsaved edits are dropped."""
        self.call(load_form_data, self.account_id, then=self._loaded)
