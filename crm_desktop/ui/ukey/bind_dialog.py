"""Administrators bind a UKey to an account, or unbind it (人员帐号 → UKey).

    dialog = open_ukey_dialog(self, db, account_row)      # bind when unbound, else unbind
    dialog.sig_ukey_bound.connect(...)                    # reload the form

Binding sets the account's password to the one typed here *through the key*: from then on the
account logs in only with this key, its PIN and that password.  Unbinding sets an ordinary password.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from crm_desktop.messages import UserError, permission_name
from crm_desktop.services import account as account_service
from crm_desktop.services import ukey as ukey_service
from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.ukey.pin_prompt import ERROR_STYLE, UKeyPinPrompt, error_sentence

PERMISSIONS = ("system.account.ukey", "system.account.manage")


def may_bind(db) -> bool:
    return any(db.can(code) for code in PERMISSIONS)


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _PasswordDialog(QDialog):
    """Shared by both dialogs: the intro, the password twice, one action button, a message."""

    action_text = ""

    def __init__(self, db, account: dict[str, Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.account = db, account
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.password, self.confirm = _password_edit(), _password_edit()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.action = QPushButton()
        self.action.setDefault(True)
        self.action.clicked.connect(self.submit)
        self.action.setEnabled(may_bind(db))
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.clicked.connect(self.reject)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if not may_bind(db):
            self.message.setText(str(UserError("permission_denied", detail=permission_name(PERMISSIONS[0]))))
        self.setMinimumWidth(460)

    def show_error(self, error: BaseException) -> None:
        self.message.setText(error_sentence(error))

    def checked_password(self) -> str | None:
        try:
            account_service.check_password(self.password.text(), self.confirm.text())
        except UserError as error:
            self.show_error(error)
            self.password.setFocus()
            return None
        return self.password.text()

    def submit(self) -> None:
        raise NotImplementedError

    def _run(self, fn, *args, then) -> None:
        self.message.clear()
        self.action.setEnabled(False)
        task = run_in_background(fn, *args)
        task.on_success(then).on_failure(self.show_error)
        task.on_finished(lambda: self.action.setEnabled(True))


class BindUKeyDialog(_PasswordDialog):
    """Insert the key, its PIN and the account's password (twice) → bound."""

    sig_ukey_bound = Signal(str)
    """The key is bound and the password set. Parameters: card id."""
    sig_enforceability_checked = Signal(bool)
    """The server said whether it can hold UKey accounts to their key. Parameters: whether it can."""

    def __init__(self, db, account: dict[str, Any], parent: QWidget | None = None, interval_ms: int = 500):
        super().__init__(db, account, parent)
        self.setWindowTitle(self.tr("Bind UKey"))
        self.intro.setText(self.tr(
            "Bind a UKey to %1 (%2). Insert the key, enter its PIN and the password %1 will type. "
            "From then on this account logs in only with this key.").replace("%1", account["login"])
            .replace("%2", account.get("name") or ""))
        self.prompt = UKeyPinPrompt(self, interval_ms=interval_ms)
        self.form.addRow(self.prompt)
        self.form.addRow(self.tr("Password:"), self.password)
        self.form.addRow(self.tr("Confirm password:"), self.confirm)
        self.action.setText(self.tr("Bind"))
        if may_bind(db):
            run_in_background(ukey_service.logins_enforceable, db).on_success(self._enforceability_checked)

    def _enforceability_checked(self, enforceable: bool) -> None:
        if not enforceable:  # a server migrated without a superuser cannot check the card's password
            self.action.setEnabled(False)
            self.message.setText(str(UserError("ukey_unenforceable")))
        self.sig_enforceability_checked.emit(enforceable)

    def submit(self) -> None:
        password = self.checked_password()
        if password is None:
            return
        self._run(ukey_service.bind_ukey, self.db, self.account["id"], self.account["login"], password,
                  self.prompt.pin(), then=self._bound)

    def show_error(self, error: BaseException) -> None:
        self.prompt.clear_pin()
        super().show_error(error)

    def _bound(self, card_id: str) -> None:
        self.prompt.watcher.stop()
        self.sig_ukey_bound.emit(card_id)
        self.accept()


class UnbindUKeyDialog(_PasswordDialog):
    """The account goes back to an ordinary password, typed here twice."""

    sig_ukey_unbound = Signal()
    """The key is unbound and the ordinary password set."""

    def __init__(self, db, account: dict[str, Any], parent: QWidget | None = None):
        super().__init__(db, account, parent)
        self.setWindowTitle(self.tr("Unbind UKey"))
        self.intro.setText(self.tr(
            "Unbind the UKey of %1 (%2). The account then logs in without a key, with the new "
            "password entered here.").replace("%1", account["login"]).replace("%2", account.get("name") or ""))
        self.form.addRow(self.tr("New password:"), self.password)
        self.form.addRow(self.tr("Confirm password:"), self.confirm)
        self.action.setText(self.tr("Unbind"))

    def submit(self) -> None:
        password = self.checked_password()
        if password is not None:
            self._run(ukey_service.unbind_ukey, self.db, self.account["id"], password, then=self._unbound)

    def _unbound(self, _none) -> None:
        self.sig_ukey_unbound.emit()
        self.accept()


def open_ukey_dialog(parent: QWidget, db, account: dict[str, Any]) -> BindUKeyDialog | UnbindUKeyDialog:
    """Open (window-modal, not blocking) the dialog the account needs: unbind when bound, else bind."""
    dialog = UnbindUKeyDialog(db, account, parent) if account.get("ukey") else BindUKeyDialog(db, account, parent)
    dialog.open()
    return dialog
