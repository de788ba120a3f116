"""The real login dialog with a UKey-bound account, against the real PC/SC stack and PostgreSQL.

The dialog asks a bound login for its PIN and shows the reader and card as they are; the key's own
refusals (wrong PIN with the tries left, no card, someone else's card) are shown as sentences; the
right key and PIN open a Database of that account.

Once, in the full suite, the right PIN after a wrong one failed: the reader watcher's card-id read
and the login's card session overlapped, and the first session's reset made the second fail with a
PC/SC error (``sig_login_failed``, so ``sig_logged_in`` never came).  ``crm_desktop/ukey/pcsc.py`` now
runs this process's card sessions one at a time; these tests would catch the overlap again.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import text

from crm_desktop import messages
from crm_desktop.config import Config
from crm_desktop.services import account as accounts
from crm_desktop.services.ukey import bind_ukey, bound_card_id
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.login import LoginDialog

PASSWORD = "secret99"
READER = "Virtual PCD 00 00"
WAIT = 10_000


@pytest.fixture
def bound(admin_db, login, unique, virtual_card):
    """A new account bound (by the demo administrator, through the service) to card A, which is
    left in the reader: (login, account id, card)."""
    name = f"ud{unique}"
    account_id = accounts.create_account(admin_db, {"login": name, "name": "钥匙登录"}, PASSWORD)
    card = virtual_card("A")
    card.insert()
    bind_ukey(login("admin"), account_id, name, PASSWORD, card.pin)
    return name, account_id, card


@pytest.fixture
def dialog(qtbot, tmp_path, address, bound):
    """The app's login dialog on "this PC" (the session's server). Requested after ``bound``, so it
    is closed, and its reader watcher stopped, before the card is pulled at teardown."""
    config = Config(QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat))
    dlg = LoginDialog(config, lambda: address)
    qtbot.addWidget(dlg)
    show(qtbot, dlg)
    yield dlg
    dlg.ukey_prompt.watcher.stop()
    assert cancel_all_and_wait(WAIT)


def show(qtbot, dlg: LoginDialog) -> None:
    dlg.show()
    dlg.activateWindow()  # focus moves between fields only in the active window
    qtbot.waitActive(dlg)


def type_login(qtbot, dlg: LoginDialog, login: str, password: str = PASSWORD) -> None:
    """Type the login and password as a user does; leaving the login field asks the server about a key."""
    dlg.login_edit.setFocus()
    qtbot.waitUntil(dlg.login_edit.hasFocus, timeout=WAIT)
    dlg.login_edit.clear()
    qtbot.keyClicks(dlg.login_edit, login)
    dlg.password_edit.setText(password)
    dlg.password_edit.setFocus()  # focus leaves the login field: editingFinished
    qtbot.waitUntil(lambda: dlg._ukey_card is not None and dlg._ukey_card[0] == login, timeout=WAIT)


def card_shows(qtbot, dlg: LoginDialog, card_text: str) -> None:
    qtbot.waitUntil(lambda: dlg.ukey_prompt.card_label.text() == card_text, timeout=WAIT)


def refused(qtbot, dlg: LoginDialog, pin: str) -> str:
    """Submit with ``pin``; the catalogue key of the refusal (fails if the login succeeds)."""
    dlg.ukey_prompt.pin_edit.setText(pin)
    with qtbot.waitSignal(dlg.sig_login_failed, timeout=WAIT) as blocker:
        dlg.submit()
    return blocker.args[0]


def logged_in(qtbot, dlg: LoginDialog, pin: str):
    """Submit with ``pin`` and return the Database; a refusal fails at once, with its sentence."""
    dlg.ukey_prompt.pin_edit.setText(pin)
    outcome: list = []
    dlg.sig_logged_in.connect(lambda db: outcome.append(db))
    dlg.sig_login_failed.connect(lambda key: outcome.append(f"{key}: {dlg.message.text()}"))
    dlg.submit()
    qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT)
    assert not isinstance(outcome[0], str), f"refused: {outcome[0]}"
    return outcome[0]


def assert_works_as(db, login: str, account_id: int) -> None:
    try:
        assert db.account_id == account_id and db.login == login
        assert db.ukey_session is not None and db.ukey_session.card_id == bound_card_id(db.address, login)
        with db.session() as s:
            assert s.execute(text("select current_user")).scalar() == login
            assert s.execute(text("select crm.current_account()")).scalar() == account_id
    finally:
        db.close()


def test_the_bound_login_asks_for_the_pin_refuses_a_wrong_one_and_logs_in_with_the_right_one(
        qtbot, dialog, bound):
    name, account_id, card = bound
    assert dialog.ukey_prompt.isHidden()
    type_login(qtbot, dialog, name)

    # the PIN step and the reader/card state are on screen
    assert dialog.ukey_prompt.isVisible() and dialog.ukey_prompt.pin_edit.isVisible()
    card_shows(qtbot, dialog, "inserted: this account's UKey")
    assert dialog.ukey_prompt.reader_label.text() == READER

    # a wrong PIN: the key's own sentence with the tries left, not "wrong password"; the PIN is cleared
    assert refused(qtbot, dialog, "9999") == "ukey_wrong_pin"
    assert dialog.message.text() == messages.text("ukey_wrong_pin", tries_left=2)
    assert dialog.ukey_prompt.pin() == "" and dialog.password_edit.text() == PASSWORD

    # right after it, the right PIN logs in (this was the step that failed in the full suite)
    assert_works_as(logged_in(qtbot, dialog, card.pin), name, account_id)
    assert not dialog.isVisible()
    assert not dialog.ukey_prompt.watcher._thread  # the dialog stopped watching the reader


def test_without_the_card_or_with_another_card_the_dialog_says_so_and_the_right_card_still_logs_in(
        qtbot, dialog, bound, virtual_card):
    name, account_id, card = bound
    other = virtual_card("B")
    type_login(qtbot, dialog, name)
    card_shows(qtbot, dialog, "inserted: this account's UKey")

    card.remove()  # pulled while the prompt watches the reader
    card_shows(qtbot, dialog, "not inserted")
    assert refused(qtbot, dialog, card.pin) == "ukey_no_card"
    assert dialog.message.text() == messages.text("ukey_no_card")

    other.insert()
    card_shows(qtbot, dialog, "inserted: not this account's UKey")
    assert refused(qtbot, dialog, other.pin) == "ukey_wrong_card"
    assert dialog.message.text().startswith(messages.text("ukey_wrong_card"))

    card.insert()  # back in, while the prompt still watches: recognised again
    card_shows(qtbot, dialog, "inserted: this account's UKey")
    # the other card's refusal spent none of this card's tries: a wrong PIN now leaves 2
    assert refused(qtbot, dialog, "0000") == "ukey_wrong_pin"
    assert dialog.message.text() == messages.text("ukey_wrong_pin", tries_left=2)
    assert_works_as(logged_in(qtbot, dialog, card.pin), name, account_id)


def test_a_replaced_key_is_refused_once_then_used_when_the_user_insists(qtbot, dialog, bound, login,
                                                                       virtual_card, address):
    """Another PC rebound the account to a new key; this PC still remembers the old one."""
    from crm_desktop.services.ukey import remember_card, unbind_ukey

    name, account_id, card = bound
    old_card = bound_card_id(address, name)
    new = virtual_card("B")
    card.remove()
    new.insert()
    admin = login("admin")
    unbind_ukey(admin, account_id, PASSWORD)
    bind_ukey(admin, account_id, name, PASSWORD, new.pin)
    remember_card(address, name, old_card)  # what this PC saw before the replacement
    type_login(qtbot, dialog, name)
    assert dialog._ukey_card == (name, old_card)
    assert refused(qtbot, dialog, new.pin) == "ukey_wrong_card"  # refused before its PIN is tried
    assert "UKey was replaced" in dialog.message.text()
    assert_works_as(logged_in(qtbot, dialog, new.pin), name, account_id)
    assert bound_card_id(address, name) != old_card


def test_a_login_without_a_key_never_sees_the_pin_step(qtbot, dialog):
    dialog.login_edit.setFocus()
    qtbot.keyClicks(dialog.login_edit, "chenjing")
    dialog.password_edit.setText("demo1234")
    with qtbot.waitSignal(dialog.login_edit.editingFinished, timeout=WAIT):
        dialog.password_edit.setFocus()
    qtbot.wait(300)  # the server's answer ("no key") arrives; the prompt stays hidden
    db = logged_in(qtbot, dialog, "")
    try:
        assert db.login == "chenjing" and getattr(db, "ukey_session", None) is None
    finally:
        db.close()
    assert dialog.ukey_prompt.isHidden()


def test_screenshot_of_the_pin_step(qtbot, chinese_ui, images, address, tmp_path, admin_db, login, virtual_card):
    """docs/images/ukey_login.png (with CRM_WRITE_DOCS=1): the real dialog, in Chinese, after a wrong PIN."""
    name = "wangqiang"  # a readable login for the guide; each test session has its own database
    account_id = accounts.create_account(admin_db, {"login": name, "name": "王强"}, PASSWORD)
    card = virtual_card("A")
    card.insert()
    bind_ukey(login("admin"), account_id, name, PASSWORD, card.pin)
    config = Config(QSettings(str(tmp_path / "zh.ini"), QSettings.Format.IniFormat))
    dlg = LoginDialog(config, lambda: address)
    qtbot.addWidget(dlg)
    show(qtbot, dlg)
    try:
        type_login(qtbot, dlg, name)
        card_shows(qtbot, dlg, "已插入：是该帐号绑定的 UKey")
        assert refused(qtbot, dlg, "0000") == "ukey_wrong_pin"
        dlg.ukey_prompt.pin_edit.setText(card.pin)  # typed again, shown masked
        dlg.adjustSize()
        qtbot.wait(50)
        shot = dlg.grab()
        assert shot.width() >= dlg.minimumWidth() and shot.height() > 300
        assert shot.save(str(images / "ukey_login.png"))
    finally:
        dlg.ukey_prompt.watcher.stop()
        assert cancel_all_and_wait(WAIT)
