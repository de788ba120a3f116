"""Issue 9 item 6: another machine posing as the server is refused.

A real LAN server (``EmbeddedServer`` with TLS, its own self-signed certificate) is trusted on
first use; then it stops and an impostor — another embedded server with another certificate —
starts on the same address.  The client refuses it with both fingerprints before any password is
sent, libpq itself refuses it too (``verify-ca`` against the pinned certificate), and a downgrade
to no TLS is refused as well.  The login dialog shows the fingerprint on first use.
"""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import QSettings

from crm_desktop import messages
from crm_desktop.admin.server import EmbeddedServer
from crm_desktop.config import SERVER, Config, Profile
from crm_desktop.db import tls
from crm_desktop.db.connection import ServerAddress
from crm_desktop.messages import UserError
from crm_desktop.services.auth import log_in
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.login import LoginDialog
from crm_desktop.ui.trust_dialog import fingerprint_lines

LOGIN, PASSWORD = "lanuser", "lan-pass1"
WAIT = 15_000


class Lan:
    """The genuine server and an impostor, taking turns on one address."""

    def __init__(self, root):
        self.genuine = EmbeddedServer(root / "genuine")
        self.impostor = EmbeddedServer(root / "impostor")
        self.port = 0

    def run(self, server: EmbeddedServer, tls_on: bool = True) -> None:
        for other in (self.genuine, self.impostor):
            if other is not server:
                other.stop()
        server.stop()  # restarted with the TLS setting asked for
        self.port = server.start(listen="127.0.0.1", port=self.port or None, tls=tls_on).port

    @property
    def address(self) -> ServerAddress:
        return ServerAddress("127.0.0.1", self.port, "crm")


@pytest.fixture(scope="module")
def lan():
    import shutil
    import tempfile
    from pathlib import Path

    from crm_desktop.admin.cli import database_from_url
    from crm_desktop.admin.migrate import migrate
    from crm_desktop.services import account as accounts

    # not under pytest's basetemp: every new pytest run on the machine makes pytest-of-<user> 0700,
    # and the servers here are restarted (as crm_postgres when run as root) long after it began
    root = Path(tempfile.mkdtemp(prefix="crm-lan-"))
    network = Lan(root)
    network.run(network.genuine)
    url = network.genuine.info().url()
    migrate(url)
    db = database_from_url(url)
    try:
        accounts.create_account(db, {"login": LOGIN, "name": "局域网"}, PASSWORD)
    finally:
        db.close()
    yield network
    network.genuine.stop()
    network.impostor.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def genuine(lan):
    lan.run(lan.genuine)
    tls.forget("127.0.0.1", lan.port)
    yield lan
    tls.forget("127.0.0.1", lan.port)


def first_use(address: ServerAddress) -> tls.UntrustedServer:
    with pytest.raises(tls.UntrustedServer) as untrusted:
        tls.secure_address(address)
    return untrusted.value


def test_the_first_connection_asks_and_the_pinned_server_connects_verified(genuine):
    untrusted = first_use(genuine.address)
    # what the user compares: the fingerprint crm-admin prints on the server
    assert untrusted.fingerprint == genuine.genuine.certificate_fingerprint()
    assert len(untrusted.fingerprint) == 95  # 32 bytes as AB:CD:…
    tls.trust(untrusted.host, untrusted.port, untrusted.certificate)
    secured = tls.secure_address(genuine.address)
    assert (secured.sslmode, secured.channel_binding) == ("verify-ca", "require")
    db = log_in(secured, LOGIN, PASSWORD)
    try:
        # the embedded server's TLS ends in its front, so SCRAM cannot bind the channel: the
        # pinned certificate alone vouches for the server (a PostgreSQL with its own TLS binds it)
        assert db.address.channel_binding == "prefer" and db.address.sslrootcert == secured.sslrootcert
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.pgconn.ssl_in_use
            assert raw.info.get_parameters()["sslmode"] == "verify-ca"
    finally:
        db.close()


def test_an_impostor_on_the_same_address_is_refused_with_both_fingerprints(genuine):
    untrusted = first_use(genuine.address)
    tls.trust(untrusted.host, untrusted.port, untrusted.certificate)
    secured = tls.secure_address(genuine.address)

    genuine.run(genuine.impostor)
    with pytest.raises(UserError) as refused:
        tls.secure_address(genuine.address)
    assert refused.value.key == "server_certificate_changed"
    assert refused.value.params["old"] == untrusted.fingerprint
    assert refused.value.params["new"] == genuine.impostor.certificate_fingerprint() != untrusted.fingerprint
    # libpq refuses it by itself too, before any password: even a client that skipped the check
    with pytest.raises(psycopg.OperationalError) as err:
        psycopg.connect(**secured.connect_args(LOGIN, PASSWORD)).close()
    assert "certificate verify failed" in str(err.value)

    genuine.run(genuine.impostor, tls_on=False)  # an impostor without TLS: a downgrade
    with pytest.raises(UserError) as downgraded:
        tls.secure_address(genuine.address)
    assert downgraded.value.key == "server_without_tls"
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**secured.connect_args(LOGIN, PASSWORD)).close()

    genuine.run(genuine.genuine)  # the real server is back: connects as before
    log_in(tls.secure_address(genuine.address), LOGIN, PASSWORD).close()


def test_crm_admin_prints_the_fingerprint_users_compare(genuine, capsys):
    from crm_desktop.admin.cli import main as crm_admin

    assert crm_admin(["server", "status", "--data", str(genuine.genuine.data)]) == 0
    printed = capsys.readouterr().out
    assert f"TLS certificate SHA-256 fingerprint: {first_use(genuine.address).fingerprint}" in printed


def test_the_front_refuses_a_client_that_skips_tls(genuine):
    with pytest.raises(psycopg.OperationalError) as err:
        psycopg.connect(**genuine.address.connect_args(LOGIN, PASSWORD) | {"sslmode": "disable"}).close()
    assert "accepts only TLS connections" in str(err.value)


def test_forgetting_a_pin_asks_again(genuine):
    untrusted = first_use(genuine.address)
    tls.trust(untrusted.host, untrusted.port, untrusted.certificate)
    assert tls.forget("127.0.0.1", genuine.port)
    assert first_use(genuine.address).fingerprint == untrusted.fingerprint
    assert not tls.forget("127.0.0.1", genuine.port)


def test_crm_desktop_forgets_a_server_from_the_command_line(genuine, capsys):
    from crm_desktop.app import main

    untrusted = first_use(genuine.address)
    tls.trust(untrusted.host, untrusted.port, untrusted.certificate)
    assert main(["--forget-server", f"127.0.0.1:{genuine.port}"]) == 0
    assert "forgotten" in capsys.readouterr().out
    first_use(genuine.address)


def test_a_lan_server_without_tls_is_refused(genuine, monkeypatch):
    """Not only a downgrade: a first connection to a LAN host that offers no TLS is refused."""
    genuine.run(genuine.impostor, tls_on=False)
    try:
        assert tls.secure_address(genuine.address) == genuine.address  # loopback may go without
        monkeypatch.setattr(tls, "LOOPBACK", ())  # 127.0.0.1 as if it were a LAN host
        with pytest.raises(UserError) as refused:
            tls.secure_address(genuine.address)
        assert refused.value.key == "server_without_tls"
    finally:
        genuine.run(genuine.genuine)


# -- the login dialog ----------------------------------------------------------------------------

@pytest.fixture
def dialog(qtbot, tmp_path, genuine, chinese_ui):
    config = Config(QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat))
    dlg = LoginDialog(config)
    qtbot.addWidget(dlg)
    dlg.set_profile(Profile(f"127.0.0.1:{genuine.port}/crm", SERVER, "127.0.0.1", genuine.port, "crm"))
    dlg.login_edit.setText(LOGIN)
    dlg.password_edit.setText(PASSWORD)
    dlg.show()
    yield dlg
    assert cancel_all_and_wait(WAIT)


def ask_trust(qtbot, dlg: LoginDialog):
    with qtbot.waitSignal(dlg.sig_trust_asked, timeout=WAIT) as asked:
        dlg.submit()
    return asked.args[0]


def test_the_dialog_shows_the_fingerprint_and_trusting_logs_in(qtbot, dialog, genuine):
    trust = ask_trust(qtbot, dialog)
    expected = genuine.genuine.certificate_fingerprint()
    assert trust.isVisible() and trust.windowTitle() == "新服务器"
    assert trust.intro.text() == f"首次连接到此服务器（127.0.0.1:{genuine.port}），证书指纹（SHA-256）为："
    assert trust.fingerprint_label.text() == fingerprint_lines(expected)
    assert trust.fingerprint_label.text().replace("\n", ":") == expected
    assert trust.question.text() == "请与服务器上“crm-admin server status”显示的指纹核对。是否信任？"
    assert (trust.trust_button.text(), trust.cancel_button.text()) == ("信任", "不连接")
    assert trust.cancel_button.isDefault()  # Enter alone never trusts
    with qtbot.waitSignal(dialog.sig_logged_in, timeout=WAIT) as logged_in:
        trust.trust_button.click()
    logged_in.args[0].close()
    assert tls.pinned("127.0.0.1", genuine.port) is not None


def test_declining_connects_nobody_and_pins_nothing(qtbot, dialog, genuine):
    trust = ask_trust(qtbot, dialog)
    with qtbot.waitSignal(dialog.sig_login_failed, timeout=WAIT) as failed:
        trust.cancel_button.click()
    assert failed.args == ["server_not_trusted"]
    assert dialog.message.text() == messages.text("server_not_trusted")
    assert tls.pinned("127.0.0.1", genuine.port) is None


def test_the_dialog_warns_of_a_changed_certificate(qtbot, dialog, genuine):
    trust = ask_trust(qtbot, dialog)
    with qtbot.waitSignal(dialog.sig_logged_in, timeout=WAIT) as logged_in:
        trust.trust_button.click()
    logged_in.args[0].close()
    genuine.run(genuine.impostor)
    try:
        with qtbot.assertNotEmitted(dialog.sig_trust_asked), \
                qtbot.waitSignal(dialog.sig_login_failed, timeout=WAIT) as failed:
            dialog.submit()
        assert failed.args == ["server_certificate_changed"]
        shown = dialog.message.text()
        assert "可能有人冒充服务器，已拒绝连接" in shown
        assert genuine.genuine.certificate_fingerprint() in shown
        assert genuine.impostor.certificate_fingerprint() in shown
    finally:
        genuine.run(genuine.genuine)
