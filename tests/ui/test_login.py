"""The login dialog against the session's real server: each refusal has its own sentence,
"remember me" goes to the keyring, and the first start on a PC creates the administrator once."""

from __future__ import annotations

import socket

import keyring
import keyring.backend
import pytest
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from crm_desktop import messages
from crm_desktop.app import guard_against_pyside_emit_refcount_bug
from crm_desktop.config import KEYRING_SERVICE, SERVER, Config, Profile, keyring_key, may_remember_password
from crm_desktop.services.auth import log_in
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.login import LoginDialog

guard_against_pyside_emit_refcount_bug()  # PySide6 6.12.0 loses a reference per emit; see app.py

WAIT = 15_000


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in this process only, so tests never touch the real one."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def config(tmp_path, memory_keyring) -> Config:
    return Config(QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat))


def server_profile(address) -> Profile:
    return Profile(f"{address.host}:{address.port}/{address.database}", SERVER, address.host,
                   address.port, address.database)


@pytest.fixture
def open_dialog(qtbot, config, address):
    opened = []

    def _open(profile: Profile | None = None) -> LoginDialog:
        dialog = LoginDialog(config, local_address=lambda: address)
        qtbot.addWidget(dialog)
        dialog.set_profile(profile or server_profile(address))
        dialog.show()
        opened.append(dialog)
        return dialog

    yield _open
    assert cancel_all_and_wait(WAIT)


def settle() -> None:
    """Let background loads finish and deliver (a delivery may start the next page's load)."""
    for _ in range(5):
        assert cancel_all_and_wait(WAIT)
        QApplication.processEvents()


def fill(dialog: LoginDialog, login: str, password: str) -> None:
    dialog.login_edit.setText(login)
    dialog.password_edit.setText(password)


def test_chenjing_logs_in_and_reaches_the_main_window(qtbot, config, address):
    from crm_desktop.app import Launcher

    launcher = Launcher(QApplication.instance(), config, server_profile(address), "zh_CN")
    launcher.show_login(None)
    dialog = launcher.login_dialog
    qtbot.addWidget(dialog)
    fill(dialog, "chenjing", "demo1234")
    with qtbot.waitSignal(dialog.sig_logged_in, timeout=WAIT) as logged_in:
        dialog.login_button.click()
    db = logged_in.args[0]
    try:
        qtbot.addWidget(launcher.window)
        assert db.login == "chenjing" and launcher.window.isVisible() and not dialog.isVisible()
        assert "chenjing" in launcher.window.account_label.text()
        assert config.last_login() == "chenjing" and config.last_profile().port == address.port
        qtbot.waitUntil(lambda: "陈静" in launcher.window.overview.greeting.text(), timeout=WAIT)
    finally:
        launcher.window.close()
        settle()  # the registered screens' loads land while their models still exist
        launcher.shut_down(db)


def test_log_out_closes_the_window_and_a_colleague_logs_in(qtbot, config, address):
    """系统管理 → 注销 / 切换用户: the account's connections end, the login dialog comes back."""
    from crm_desktop.app import Launcher

    launcher = Launcher(QApplication.instance(), config, server_profile(address), "zh_CN")
    launcher.show_login(None)
    qtbot.addWidget(launcher.login_dialog)
    fill(launcher.login_dialog, "chenjing", "demo1234")
    with qtbot.waitSignal(launcher.login_dialog.sig_logged_in, timeout=WAIT) as logged_in:
        launcher.login_dialog.login_button.click()
    first, window = logged_in.args[0], launcher.window
    settle()
    window.log_out_action.trigger()
    second_dialog = launcher.login_dialog
    qtbot.addWidget(second_dialog)
    assert second_dialog.isVisible() and launcher.window is None
    assert first.engine.pool.checkedout() == 0
    fill(second_dialog, "wangfang", "demo1234")
    with qtbot.waitSignal(second_dialog.sig_logged_in, timeout=WAIT) as again:
        second_dialog.login_button.click()
    db = again.args[0]
    try:
        qtbot.addWidget(launcher.window)
        assert "wangfang" in launcher.window.account_label.text()
    finally:
        launcher.window.close()
        settle()
        launcher.shut_down(db)


@pytest.mark.parametrize("login, password, key", [
    ("chenjing", "not-her-password", "wrong_password"),
    ("zhaolei", "demo1234", "account_disabled"),
    ("zhaolei", "not-his-password", "wrong_password"),  # a locked account's state needs its password
    ("xujun", "demo1234", "account_disabled"),
    ("linfeng", "demo1234", "account_disabled"),
    ("wuting", "demo1234", "wrong_password"),  # expired: PostgreSQL says "password authentication failed"
])
def test_each_refusal_shows_its_own_sentence(qtbot, open_dialog, login, password, key):
    dialog = open_dialog()
    fill(dialog, login, password)
    with qtbot.waitSignal(dialog.sig_login_failed, timeout=WAIT) as failed:
        dialog.submit()
    assert failed.args == [key]
    assert dialog.message.text() == messages.text(key)
    assert dialog.isVisible() and dialog.login_button.isEnabled() and dialog.busy.isHidden()


def test_the_refusal_sentences_differ():
    keys = ["wrong_password", "account_disabled", "server_unreachable", "server_certificate_changed",
            "server_without_tls"]
    assert len({messages.text(k, server="x") for k in keys}) == len(keys)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def test_an_unreachable_server_is_named(qtbot, open_dialog):
    port = closed_port()
    dialog = open_dialog(Profile(f"127.0.0.1:{port}/crm", SERVER, "127.0.0.1", port, "crm"))
    fill(dialog, "chenjing", "demo1234")
    with qtbot.waitSignal(dialog.sig_login_failed, timeout=WAIT) as failed:
        dialog.submit()
    assert failed.args == ["server_unreachable"]
    assert dialog.message.text() == messages.text("server_unreachable", server=f"127.0.0.1:{port}/crm")


def test_remember_me_keeps_the_password_in_the_keyring_and_refills_it(qtbot, open_dialog, config,
                                                                      memory_keyring, address):
    profile = server_profile(address)
    dialog = open_dialog()
    fill(dialog, "chenjing", "demo1234")
    dialog.remember_check.setChecked(True)
    with qtbot.waitSignal(dialog.sig_logged_in, timeout=WAIT) as logged_in:
        dialog.submit()
    logged_in.args[0].close()
    assert memory_keyring.passwords == {(KEYRING_SERVICE, keyring_key(profile, "chenjing")): "demo1234"}
    with open(config.settings.fileName(), encoding="utf-8") as ini:
        assert "demo1234" not in ini.read()  # the password is in the keyring only

    again = open_dialog()
    assert again.login_edit.text() == "chenjing"
    assert again.password_edit.text() == "demo1234" and again.remember_check.isChecked()
    again.remember_check.setChecked(False)
    with qtbot.waitSignal(again.sig_logged_in, timeout=WAIT) as logged_in:
        again.submit()
    logged_in.args[0].close()
    assert memory_keyring.passwords == {}


def test_a_ukey_account_never_has_its_password_stored(config, memory_keyring, address):
    assert may_remember_password(account_is_ukey=False)
    assert not may_remember_password(account_is_ukey=True)
    config.remember_password(server_profile(address), "someone", "secret", account_is_ukey=True)
    assert memory_keyring.passwords == {}


def test_first_start_creates_the_administrator_once(qtbot, tmp_path):
    from crm_desktop.admin.server import EmbeddedServer
    from crm_desktop.ui.first_run import FirstRun

    data = tmp_path / "this-pc"
    try:
        first = FirstRun(data)
        with qtbot.waitSignal(first.sig_admin_needed, timeout=180_000) as needed:
            first.start()
        setup = needed.args[0]
        qtbot.addWidget(setup)
        assert setup.login_edit.text() == "admin"
        setup.password_edit.setText("s3cret-pw")
        setup.confirm_edit.setText("different")
        qtbot.waitUntil(lambda: setup.buttons.isEnabled())
        setup.submit()
        qtbot.waitUntil(lambda: setup.message.text() == messages.text("password_mismatch"), timeout=WAIT)
        setup.confirm_edit.setText("s3cret-pw")
        with qtbot.waitSignal(first.sig_ready, timeout=WAIT) as ready:
            setup.submit()
        address = ready.args[0].address
        admin = log_in(address, "admin", "s3cret-pw")
        assert admin.can("system.admin")
        admin.close()

        second = FirstRun(data)
        with qtbot.assertNotEmitted(second.sig_admin_needed), \
                qtbot.waitSignal(second.sig_ready, timeout=60_000) as ready_again:
            second.start()
        assert ready_again.args[0].admin_exists and ready_again.args[0].address == address
    finally:
        assert cancel_all_and_wait(WAIT)
        EmbeddedServer(data).stop()


def test_the_command_line_chooses_the_profile(config, tmp_path):
    from crm_desktop.app import chosen_profile, parse_args

    server = chosen_profile(parse_args(["--server", "192.168.1.10:5433/office", "--lang", "en"]), config)
    assert (server.is_local, server.host, server.port, server.database) == (False, "192.168.1.10", 5433, "office")
    local = chosen_profile(parse_args(["--data", str(tmp_path)]), config)
    assert local.is_local and local.data_path() == tmp_path
    assert chosen_profile(parse_args([]), config).is_local  # the first start: this PC
