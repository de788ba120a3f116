"""First start on this PC: the private embedded server, its schema, and the administrator.

``FirstRun(data_dir).start()`` starts (or reuses) the embedded PostgreSQL in ``data_dir`` and
brings its schema up to date off the GUI thread, with a progress dialog when that takes a while.
When no account holds the built-in administrator role yet, it asks ONCE for the administrator's
login and password and creates that account on the superuser connection (the superuser's
password lives in the server's data folder, readable only by this OS user).  Later starts find
the administrator and go straight on.  The server runs while this program does: the last
crm-desktop on this PC to quit (``release_local_servers``) stops it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from crm_desktop.db.connection import ServerAddress
from crm_desktop.messages import translate_error
from crm_desktop.ui.common.tasks import ProgressDialog, run_in_background

log = logging.getLogger(__name__)


@dataclass
class LocalServer:
    """This PC's running server, as the login dialog and the first-run flow need it."""

    address: ServerAddress
    superuser_url: str
    admin_exists: bool


def _superuser_database(url: str):
    from crm_desktop.admin.cli import database_from_url

    return database_from_url(url)


def admin_exists(superuser_url: str) -> bool:
    """Whether an account that is not deleted holds the built-in administrator role."""
    from crm_desktop.services import account, role

    db = _superuser_database(superuser_url)
    try:
        admin_role = next(r for r in role.list_roles(db) if r.get("builtin") == "admin")
        holders = role.role_account_ids(db, admin_role["id"])
        return any(a.id in holders for a in account.list_accounts(db))
    finally:
        db.close()


_servers_in_use: set[Path] = set()
"""The data folders of the local servers this process started or joined."""


def prepare_local_server(data_dir: Path | str) -> LocalServer:
    """Start this PC's server (initialised on first use), or join the one another crm-desktop
    started, and migrate it; slow: run in background."""
    from crm_desktop.admin.migrate import migrate
    from crm_desktop.admin.server import EmbeddedServer

    server = EmbeddedServer(data_dir)
    info = server.start_for_desktop()
    _servers_in_use.add(server.data)
    url = info.url()
    migrate(url)
    return LocalServer(ServerAddress("127.0.0.1", info.port, "crm"), url, admin_exists(url))


def release_local_servers() -> None:
    """At exit: this process no longer uses its local servers; the last desktop stops each."""
    from crm_desktop.admin.server import EmbeddedServer, ServerError

    while _servers_in_use:
        data = _servers_in_use.pop()
        try:
            EmbeddedServer(data).release_for_desktop()
        except (ServerError, OSError):
            log.warning("this PC's server in %s could not be stopped", data, exc_info=True)


def create_admin(superuser_url: str, login: str, name: str, password: str, confirm: str) -> int:
    """Create the administrator account with the built-in administrator role; returns its id."""
    from crm_desktop.services import account, role

    account.check_password(password, confirm)
    db = _superuser_database(superuser_url)
    try:
        admin_role = next(r for r in role.list_roles(db) if r.get("builtin") == "admin")
        return account.create_account(db, {"login": login.strip(), "name": name}, password,
                                      role_ids=[admin_role["id"]])
    finally:
        db.close()


class AdminSetupDialog(QDialog):
    """Asks for the administrator's login (default ``admin``) and password, twice."""

    sig_admin_created = Signal(str)
    """The administrator account exists now. Parameters: its login."""

    def __init__(self, superuser_url: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.superuser_url = superuser_url
        self.setWindowTitle(self.tr("Create the administrator"))
        intro = QLabel(self.tr("CRM runs on this PC for the first time. Choose the administrator's "
                               "login and password; the administrator then creates everyone else's "
                               "accounts."))
        intro.setWordWrap(True)
        self.login_edit = QLineEdit("admin")
        self.password_edit, self.confirm_edit = QLineEdit(), QLineEdit()
        for edit in (self.password_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Login:"), self.login_edit)
        form.addRow(self.tr("Password:"), self.password_edit)
        form.addRow(self.tr("Password again:"), self.confirm_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.password_edit.setFocus()

    def submit(self) -> None:
        self.buttons.setEnabled(False)
        self.message.clear()
        login = self.login_edit.text()
        task = run_in_background(create_admin, self.superuser_url, login, self.tr("Administrator"),
                                 self.password_edit.text(), self.confirm_edit.text())
        task.on_success(lambda _id: self._created(login.strip())).on_failure(self._refused)

    def _created(self, login: str) -> None:
        self.sig_admin_created.emit(login)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(str(translate_error(error)))


class FirstRun(QObject):
    """Starts this PC's server and makes sure an administrator exists, then says it is ready."""

    sig_ready = Signal(object)
    """The server runs and has an administrator. Parameters: the ``LocalServer``."""
    sig_admin_needed = Signal(object)
    """No administrator yet: the setup dialog is open. Parameters: the ``AdminSetupDialog``."""
    sig_failed = Signal(str)
    """The server could not be started or prepared. Parameters: a sentence for the user."""

    def __init__(self, data_dir: Path | str, parent: QObject | None = None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.server: LocalServer | None = None
        self.dialog: AdminSetupDialog | None = None
        self.progress: ProgressDialog | None = None

    def start(self) -> None:
        task = run_in_background(prepare_local_server, self.data_dir)
        # kept: an unowned dialog would be collected while the task runs
        self.progress = ProgressDialog(task, self.tr("Starting the database on this PC…"))
        task.on_success(self._prepared).on_failure(
            lambda error: self.sig_failed.emit(str(translate_error(error))))

    def _prepared(self, server: LocalServer) -> None:
        self.server = server
        if server.admin_exists:
            self.sig_ready.emit(server)
            return
        self.dialog = AdminSetupDialog(server.superuser_url)
        self.dialog.sig_admin_created.connect(self._admin_created)
        self.dialog.rejected.connect(lambda: self.sig_failed.emit(
            self.tr("CRM cannot be used on this PC without an administrator.")))
        self.dialog.show()
        self.sig_admin_needed.emit(self.dialog)

    def _admin_created(self, _login: str) -> None:
        self.server.admin_exists = True
        self.sig_ready.emit(self.server)
