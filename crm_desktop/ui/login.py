"""The login dialog: where to connect, who logs in, and why PostgreSQL said no.

The login itself runs off the GUI thread; each refusal (wrong login or password, a disabled
account — told only after the right password —, an unreachable server) is shown as its own
sentence from the message catalogue.  A server on the network is trusted on first use: its
certificate's fingerprint is shown once (``ServerTrustDialog``) and pinned, and a server whose
certificate changed is refused with both fingerprints (``crm_desktop.db.tls``).

Hook for the UKey login: ``LoginDialog(..., log_in_fn=...)`` replaces ``services.auth.log_in``
(same arguments, may read more fields the UKey prompt adds to ``dialog.form``); a Database
carrying ``ukey_session`` is treated as a UKey account, whose password is never remembered.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QProgressBar, QSpinBox, QVBoxLayout, QWidget)

from crm_desktop.config import LOCAL, SERVER, Config, Profile, local_profile
from crm_desktop.db import tls
from crm_desktop.db.connection import Database, ServerAddress
from crm_desktop.messages import UserError, translate_error
from crm_desktop.services.auth import log_in
from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.trust_dialog import ServerTrustDialog

LocalAddress = Callable[[], ServerAddress]


class LoginDialog(QDialog):
    """Profile (this PC / a server), login, password and "remember me"."""

    sig_logged_in = Signal(object)
    """The account logged in. Parameters: db (the account's open ``Database``)."""
    sig_login_failed = Signal(str)
    """PostgreSQL (or the network) refused. Parameters: key (the message catalogue key, e.g.
    "wrong_password", "account_disabled", "server_unreachable", "server_certificate_changed")."""
    sig_trust_asked = Signal(object)
    """A server was reached for the first time; its fingerprint is on screen. Parameters: the
    ``ServerTrustDialog`` (open; accepting it pins the certificate and logs in again)."""

    def __init__(self, config: Config, local_address: LocalAddress | None = None,
                 parent: QWidget | None = None, log_in_fn: Callable[..., Database] = log_in,
                 local_data_dir: str = ""):
        super().__init__(parent)
        self.config = config
        self._local_address = local_address
        self._local_data_dir = local_data_dir
        self._log_in = log_in_fn
        self.task = None
        self.trust_dialog: ServerTrustDialog | None = None
        self._cancelled = False
        self.setWindowTitle(self.tr("CRM — Log in"))
        self.setMinimumWidth(420)
        self._build()
        self._fill_from_config()

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(self.tr("Customer relationship management"))
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold; padding: 6px 0 10px 0;")
        self.profile_combo = QComboBox()
        self.profile_combo.addItem(self.tr("This PC"), LOCAL)
        self.profile_combo.addItem(self.tr("Server on the network"), SERVER)
        self.host_edit, self.database_edit = QLineEdit(), QLineEdit("crm")
        self.host_edit.setPlaceholderText(self.tr("e.g. 192.168.1.10"))
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        self.login_edit, self.password_edit = QLineEdit(), QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox(self.tr("Remember me"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.hide()
        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.profile_combo.currentIndexChanged.connect(self._profile_kind_changed)
        self.login_edit.editingFinished.connect(self._refill_password)
        self.login_edit.editingFinished.connect(self._check_ukey)

    def _lay_out(self) -> None:
        self.form = QFormLayout()
        self.form.addRow(self.tr("Connect to:"), self.profile_combo)
        self.form.addRow(self.tr("Server:"), self.host_edit)
        self.form.addRow(self.tr("Port:"), self.port_spin)
        self.form.addRow(self.tr("Database:"), self.database_edit)
        self.form.addRow(self.tr("Login:"), self.login_edit)
        self.form.addRow(self.tr("Password:"), self.password_edit)
        from crm_desktop.ui.ukey.pin_prompt import UKeyPinPrompt

        # shown only for a login bound to a key: reader and card state, and the PIN
        self.ukey_prompt = UKeyPinPrompt(self)
        self.ukey_prompt.hide()
        self.ukey_prompt.watcher.stop()
        self._ukey_card: tuple[str, str | None] | None = None
        self._refused_card: tuple[str, str] | None = None  # (login, remembered card) just refused
        self.form.addRow(self.ukey_prompt)
        self.form.addRow("", self.remember_check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        for widget in (self.message, self.busy, self.buttons):
            layout.addWidget(widget)

    def _fill_from_config(self) -> None:
        profile = self.config.last_profile() or local_profile(self._local_data_dir)
        self.set_profile(profile)
        self.login_edit.setText(self.config.last_login())
        self._refill_password()
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus()

    # -- the profile -------------------------------------------------------------------------
    def set_profile(self, profile: Profile) -> None:
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(profile.kind))
        if not profile.is_local:
            self.host_edit.setText(profile.host)
            self.port_spin.setValue(profile.port)
            self.database_edit.setText(profile.database)
        self._profile_kind_changed()

    def profile(self) -> Profile:
        if self.profile_combo.currentData() == LOCAL:
            return local_profile(self._local_data_dir)
        host, port = self.host_edit.text().strip(), self.port_spin.value()
        database = self.database_edit.text().strip() or "crm"
        return Profile(f"{host}:{port}/{database}", SERVER, host, port, database)

    def _profile_kind_changed(self, *_args) -> None:
        server = self.profile_combo.currentData() == SERVER
        for widget in (self.host_edit, self.port_spin, self.database_edit):
            self.form.setRowVisible(widget, server)
        self.adjustSize()

    def _refill_password(self) -> None:
        login = self.login_edit.text().strip()
        remembered = self.config.remembered_password(self.profile(), login) if login else None
        if remembered is not None:
            self.password_edit.setText(remembered)
        self.remember_check.setChecked(remembered is not None)

    # -- logging in --------------------------------------------------------------------------
    def submit(self) -> None:
        """Log in with what is typed, in the background; the dialog stays responsive."""
        profile, login, password = self.profile(), self.login_edit.text().strip(), self.password_edit.text()
        ukey_step = self._ukey_card is not None and self._ukey_card[0] == login
        card = self._ukey_card[1] if ukey_step else None
        # asked again after "not this account's UKey": it may be a replaced key, try the inserted one
        any_card = card is not None and self._refused_card == (login, card)
        self._refused_card = None
        pin = self.ukey_prompt.pin() if ukey_step else ""
        self._cancelled = False
        self._set_busy(True)
        self.task = run_in_background(self._attempt, profile, login, password, ukey_step, card, pin, any_card)
        self.task.on_success(lambda db: self._succeeded(db, profile, login, password))
        self.task.on_failure(self._failed)

    def _address(self, profile: Profile):
        if profile.is_local:
            if self._local_address is None:
                raise RuntimeError("this PC's server was not started")
            return self._local_address()
        return profile.address()

    def _attempt(self, profile: Profile, login: str, password: str, ukey_step: bool = False,
                 card: str | None = None, pin: str = "", any_card: bool = False) -> Database:
        """Worker thread: find the server (a network one only with its pinned certificate), then
        open the account's connection pool (for a UKey account, with the password its key computes)."""
        address = self._address(profile)
        if not profile.is_local:
            address = tls.secure_address(address)
        if ukey_step:
            from crm_desktop.services.ukey import ukey_login
            return ukey_login(address, login, password, pin, card, any_card=any_card)
        return self._log_in(address, login, password)

    # -- trust on first use ----------------------------------------------------------------------
    def _ask_trust(self, untrusted: tls.UntrustedServer) -> None:
        """Show the new server's fingerprint; yes pins it and logs in again, no logs nobody in."""
        self.trust_dialog = ServerTrustDialog(f"{untrusted.host}:{untrusted.port}", untrusted.fingerprint, self)
        self.trust_dialog.accepted.connect(lambda: self._trusted(untrusted))
        self.trust_dialog.rejected.connect(lambda: self._failed(UserError("server_not_trusted")))
        self.trust_dialog.open()
        self.sig_trust_asked.emit(self.trust_dialog)

    def _trusted(self, untrusted: tls.UntrustedServer) -> None:
        tls.trust(untrusted.host, untrusted.port, untrusted.certificate)
        self.submit()

    # -- UKey accounts ---------------------------------------------------------------------------
    def _check_ukey(self) -> None:
        """Show the PIN step for a login this PC knows to be bound to a key, or when an unknown
        key is in the reader (the server says nothing about an account before its login)."""
        profile, login = self.profile(), self.login_edit.text().strip()
        if not login:
            return
        task = run_in_background(self._pin_step, profile, login)
        task.on_success(lambda step: self._show_ukey(login, *step))
        task.on_failure(lambda _error: None)  # the login itself will say what is wrong

    def _pin_step(self, profile: Profile, login: str) -> tuple[bool, str | None]:
        from crm_desktop.services.ukey import pin_step
        return pin_step(self._address(profile), login)

    def _show_ukey(self, login: str, ask: bool, card: str | None) -> None:
        self._ukey_card = (login, card) if ask else None
        self.ukey_prompt.set_expected_card_id(card)
        self.ukey_prompt.setVisible(ask)
        (self.ukey_prompt.watcher.start if ask else self.ukey_prompt.watcher.stop)()

    def _succeeded(self, db: Database, profile: Profile, login: str, password: str) -> None:
        self._set_busy(False)
        if self._cancelled:  # the user gave up waiting: nobody wants this connection any more
            db.close()
            return
        self.config.remember_last(profile, login)
        if self.remember_check.isChecked():
            is_ukey = getattr(db, "ukey_session", None) is not None
            self.config.remember_password(profile, login, password, account_is_ukey=is_ukey)
        else:
            self.config.forget_password(profile, login)
        self.ukey_prompt.watcher.stop()
        self.sig_logged_in.emit(db)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, tls.UntrustedServer):
            self._ask_trust(error)
            return
        user_error = translate_error(error)
        self.message.setText(str(user_error))
        if user_error.key == "ukey_wrong_card" and self._ukey_card and self._ukey_card[1]:
            # this PC remembers another key for the login: after a replacement, one more try uses this one
            self._refused_card = (self._ukey_card[0], self._ukey_card[1])
            self.message.setText(str(user_error) + "\n" + self.tr(
                "If this account's UKey was replaced, log in again to use the inserted one."))
        if user_error.key.startswith("ukey_") and not self.ukey_prompt.isHidden():
            # the key refused (PIN, card): the PIN is typed again, the password stays
            self.ukey_prompt.clear_pin()
            self.ukey_prompt.pin_edit.setFocus()
        else:
            self.password_edit.setFocus()
            self.password_edit.selectAll()
        self.sig_login_failed.emit(user_error.key)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if busy:
            self.message.clear()
        for widget in (self.profile_combo, self.host_edit, self.port_spin, self.database_edit,
                       self.login_edit, self.password_edit, self.ukey_prompt.pin_edit, self.remember_check,
                       self.login_button):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        """Cancel: a login already under way is left to finish and its connection closed."""
        self._cancelled = True
        self.ukey_prompt.watcher.stop()
        super().reject()
