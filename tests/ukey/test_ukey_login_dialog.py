"""The real login dialog with a UKey-bound account: it asks for the PIN and logs in only with the key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from crm_desktop.config import Config
from crm_desktop.services import account as accounts
from crm_desktop.services.ukey import bind_ukey
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.login import LoginDialog

PASSWORD = "secret99"


@pytest.fixture
def dialog(qtbot, tmp_path, address):
    config = Config(QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat))
    dlg = LoginDialog(config, lambda: address)
    qtbot.addWidget(dlg)
    yield dlg
    dlg.ukey_prompt.watcher.stop()
    cancel_all_and_wait()


def type_login(qtbot, dlg, login: str) -> None:
    dlg.login_edit.setText(login)
    dlg.password_edit.setText(PASSWORD)
    dlg.login_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: dlg._ukey_card is not None, timeout=10_000)


def test_a_bound_login_shows_the_pin_step_and_logs_in_with_the_key(qtbot, dialog, login, admin_db,
                                                                   virtual_card, unique):
    name = f"ud{unique}"
    account_id = accounts.create_account(admin_db, {"login": name, "name": "钥匙"}, PASSWORD)
    card = virtual_card("A")
    card.insert()
    bind_ukey(login("admin"), account_id, name, PASSWORD, card.pin)
    type_login(qtbot, dialog, name)
    assert not dialog.ukey_prompt.isHidden()

    # a wrong PIN: refused with the key's own sentence, not "wrong password"
    dialog.ukey_prompt.pin_edit.setText("9999")
    with qtbot.waitSignal(dialog.sig_login_failed, timeout=15_000) as failed:
        dialog.submit()
    assert failed.args[0] == "ukey_wrong_pin"

    dialog.ukey_prompt.pin_edit.setText(card.pin)
    with qtbot.waitSignal(dialog.sig_logged_in, timeout=15_000) as logged_in:
        dialog.submit()
    db = logged_in.args[0]
    try:
        assert db.account_id == account_id and db.ukey_session is not None
    finally:
        db.close()
