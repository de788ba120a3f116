"""UKey screens against the real PC/SC stack (pytest-qt, offscreen): the PIN prompt, binding and
unbinding from the dialogs, and the lock that covers the main window while the key is out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QLineEdit, QMainWindow, QVBoxLayout, QWidget

from crm_desktop import messages, ukey
from crm_desktop.services import account as accounts
from crm_desktop.services.ukey import UKeySession, ukey_login
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.ukey.bind_dialog import BindUKeyDialog, UnbindUKeyDialog, open_ukey_dialog
from crm_desktop.ui.ukey.lock_guard import LockGuard, guard_window
from crm_desktop.ui.ukey.pin_prompt import UKeyPinPrompt, error_sentence

READER = "Virtual PCD 00 00"
TYPED = "Follow-up: 已电话联系"
PASSWORD = "secret99"
FAST_MS = 100  # poll faster than the app's 500 ms so tests wait less
WAIT = 10_000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def background_tasks_finish(qapp):
    yield
    assert cancel_all_and_wait(WAIT)


@pytest.fixture
def account(admin_db, unique):
    login = f"ui{unique}"
    account_id = accounts.create_account(admin_db, {"login": login, "name": "界面测试"}, PASSWORD)
    return accounts.get_account(admin_db, account_id)


def prompt_shows(qtbot, prompt: UKeyPinPrompt, card_text: str) -> None:
    qtbot.waitUntil(lambda: prompt.card_label.text() == card_text, timeout=WAIT)


def test_pin_prompt_shows_reader_and_card_state(qtbot, virtual_card):
    card = virtual_card("A")
    prompt = UKeyPinPrompt(interval_ms=FAST_MS)
    qtbot.addWidget(prompt)
    prompt_shows(qtbot, prompt, "not inserted")
    assert prompt.reader_label.text() == READER
    with qtbot.waitSignal(prompt.sig_status_changed, timeout=WAIT):
        card.insert()
    prompt_shows(qtbot, prompt, "inserted")
    card_id = prompt.status.card_id
    assert card_id == ukey.card_state().card_id
    prompt.set_expected_card_id(card_id)
    assert prompt.card_label.text() == "inserted: this account's UKey" and prompt.card_matches()
    prompt.set_expected_card_id("0" * 64)
    assert prompt.card_label.text() == "inserted: not this account's UKey" and not prompt.card_matches()
    assert prompt.pin_edit.echoMode() == QLineEdit.EchoMode.Password
    card.remove()
    prompt_shows(qtbot, prompt, "not inserted")


@pytest.mark.parametrize("error, key", [
    (ukey.PyscardMissing(), "ukey_pyscard_missing"),
    (ukey.NoReader(), "ukey_no_reader"),
    (ukey.NoCard(), "ukey_no_card"),
    (ukey.WrongCard(), "ukey_wrong_card"),
    (ukey.PinRequired(), "ukey_pin_required"),
    (ukey.WrongPin(tries_left=2), "ukey_wrong_pin"),
    (ukey.WrongPin(tries_left=None), "ukey_wrong_pin_no_count"),
    (ukey.CardBlocked(), "ukey_card_blocked"),
    (ukey.CardError("VERIFY", 0x6F00), "ukey_card_error"),
])
def test_every_card_failure_has_its_own_sentence_in_both_languages(qtbot, error, key):
    prompt = UKeyPinPrompt(interval_ms=FAST_MS)
    qtbot.addWidget(prompt)
    prompt.show_error(error)
    zh, en = messages.CATALOGUE[key]
    assert prompt.message.text() == (zh.format(**error.params) if error.params else zh)
    assert "ukey_" not in prompt.message.text()
    messages.set_language("en")
    try:
        assert error_sentence(error) == (en.format(**error.params) if error.params else en)
    finally:
        messages.set_language("zh_CN")
    if key == "ukey_wrong_pin":
        assert "2" in prompt.message.text()


def test_bind_dialog_binds_the_inserted_key_then_unbind_dialog_frees_it(qtbot, login, address, account,
                                                                        virtual_card):
    admin = login("admin")
    card = virtual_card("A")
    card.insert()
    dialog = open_ukey_dialog(None, admin, account)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, BindUKeyDialog)
    prompt_shows(qtbot, dialog.prompt, "inserted")
    dialog.password.setText("bound-pw1")
    dialog.confirm.setText("bound-pw2")
    dialog.action.click()
    assert dialog.message.text() == messages.text("password_mismatch")
    dialog.confirm.setText("bound-pw1")
    dialog.prompt.pin_edit.setText("0000")
    dialog.action.click()  # the card answers in the background: wait for the dialog's sentence
    qtbot.waitUntil(lambda: dialog.message.text() == messages.text("ukey_wrong_pin", tries_left=2), timeout=WAIT)
    assert dialog.prompt.pin() == ""
    dialog.prompt.pin_edit.setText(card.pin)
    with qtbot.waitSignal(dialog.sig_ukey_bound, timeout=WAIT) as bound:
        dialog.action.click()
    assert bound.args[0] == ukey.card_state().card_id
    ukey_login(address, account["login"], "bound-pw1", card.pin).close()

    row = accounts.get_account(admin, account["id"])
    unbind = open_ukey_dialog(None, admin, row)
    qtbot.addWidget(unbind)
    assert isinstance(unbind, UnbindUKeyDialog)
    unbind.password.setText("plain-pw1")
    unbind.confirm.setText("plain-pw1")
    with qtbot.waitSignal(unbind.sig_ukey_unbound, timeout=WAIT):
        unbind.action.click()
    card.remove()
    login(account["login"], "plain-pw1")


def test_bind_dialog_without_the_permission_says_so(qtbot, login, account):
    dialog = BindUKeyDialog(login("chenjing"), account, interval_ms=FAST_MS)
    qtbot.addWidget(dialog)
    assert not dialog.action.isEnabled()
    assert dialog.message.text().startswith("您没有此操作的权限")


class Workbench(QMainWindow):
    """A main window with a half-typed form: what the lock must leave untouched."""

    def __init__(self):
        super().__init__()
        self.form = QWidget()
        self.edit = QLineEdit()
        QVBoxLayout(self.form).addWidget(self.edit)
        self.setCentralWidget(self.form)
        self.resize(640, 420)


def test_pulling_the_key_locks_the_window_and_the_same_key_with_its_pin_unlocks(qtbot, virtual_card):
    card, other = virtual_card("A"), virtual_card("B")
    card.insert()
    session = UKeySession.start("chenjing", ukey.card_state().card_id, card.pin)
    window = Workbench()
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.edit, "Follow-up: ")
    window.edit.insert("已电话联系")  # QTest types Latin-1 only
    guard = LockGuard(window, session)  # the app's own 500 ms poll
    qtbot.wait(600)
    assert not guard.locked

    started = time.monotonic()
    with qtbot.waitSignal(guard.sig_locked, timeout=2000):
        card.remove()
    assert time.monotonic() - started < 2.0
    assert guard.overlay.isVisible() and guard.dialog.isVisible() and guard.dialog.isModal()
    assert window.isVisible() and window.edit.text() == TYPED
    guard.dialog.reject()  # Esc does not unlock
    assert guard.dialog.isVisible()

    dialog = guard.dialog
    dialog.prompt.pin_edit.setText(card.pin)
    dialog.unlock()
    assert dialog.prompt.message.text() == messages.text("ukey_no_card")

    other.insert()
    prompt_shows(qtbot, dialog.prompt, "inserted: not this account's UKey")
    dialog.prompt.pin_edit.setText(other.pin)
    dialog.unlock()
    qtbot.waitUntil(lambda: dialog.prompt.message.text() == messages.text("ukey_wrong_card"), timeout=WAIT)
    assert guard.locked

    card.insert()
    prompt_shows(qtbot, dialog.prompt, "inserted: this account's UKey")
    dialog.prompt.pin_edit.setText("0000")
    dialog.unlock()
    qtbot.waitUntil(lambda: dialog.prompt.message.text() == messages.text("ukey_wrong_pin", tries_left=2),
                    timeout=WAIT)
    dialog.prompt.pin_edit.setText(card.pin)
    with qtbot.waitSignal(guard.sig_unlocked, timeout=WAIT):
        dialog.unlock()
    assert not guard.locked and window.edit.text() == TYPED
    assert window.isVisible()

    with qtbot.waitSignal(guard.sig_card_removed, timeout=2000):
        card.remove()  # a second time locks again
    assert guard.locked
    guard.stop()


def test_only_ukey_sessions_are_guarded(qtbot, login):
    window = Workbench()
    qtbot.addWidget(window)
    assert guard_window(window, login("chenjing")) is None


def test_without_pyscard_the_prompt_names_what_to_install():
    script = """
import sys
sys.modules['smartcard'] = None   # as if pyscard were not installed
from PySide6.QtWidgets import QApplication
app = QApplication([])
from crm_desktop.ui.ukey.pin_prompt import UKeyPinPrompt
from crm_desktop.services.ukey import ukey_login
prompt = UKeyPinPrompt()
prompt.watcher.stop()
prompt.watcher.poll_now()
print(prompt.message.text())
print(prompt.card_label.text())
from crm_desktop import ukey
try:
    ukey.derive_password('a', 'b', '1234')
except ukey.UKeyError as exc:
    print(exc.key)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr
    sentence, card_text, key = out.stdout.strip().splitlines()
    assert "pip install 'crm-desktop[ukey]'" in sentence
    assert card_text == "UKey support is not installed"
    assert key == "ukey_pyscard_missing"


# -- screenshots for docs/ukey.md (written into docs/images/ only with CRM_WRITE_DOCS=1) -----------



def framed(qtbot, widget: QWidget, width: int, height: int) -> QPixmap:
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(50)
    return widget.grab()


def test_screenshots_for_the_admin_guide(qtbot, chinese_ui, images, login, admin_db, virtual_card):
    # a demo account, shown only: nothing is bound here
    account = accounts.get_account(admin_db, accounts.account_id_by_login(admin_db, "chenjing"))
    card = virtual_card("A")
    card.insert()
    bind = BindUKeyDialog(login("admin"), account, interval_ms=FAST_MS)
    qtbot.addWidget(bind)
    bind.prompt.pin_edit.setText(card.pin)
    bind.password.setText("secret99")
    bind.confirm.setText("secret99")
    prompt_shows(qtbot, bind.prompt, "已插入")
    assert framed(qtbot, bind, 520, 330).save(str(images / "ukey_bind.png"))

    # the login dialog's picture comes from the real dialog (test_ukey_login_dialog.py)

    session = UKeySession.start(account["login"], ukey.card_state().card_id, card.pin)
    main = Workbench()
    qtbot.addWidget(main)
    main.edit.setText("客户回访记录：已电话联系")
    main.setWindowTitle("CRM")
    main.resize(760, 480)
    main.show()
    guard = LockGuard(main, session, interval_ms=FAST_MS)
    with qtbot.waitSignal(guard.sig_locked, timeout=WAIT):
        card.remove()
    prompt_shows(qtbot, guard.dialog.prompt, "未插入")
    shot = framed(qtbot, main, 760, 480)
    dialog = guard.dialog.grab()
    painter = QPainter(shot)
    painter.drawPixmap((shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2, dialog)
    painter.end()
    assert shot.save(str(images / "ukey_locked.png"))
    guard.stop()


def test_the_login_dialogs_ukey_step_shows_the_prompt_only_for_ukey_accounts(qtbot, login, address, account,
                                                                              virtual_card):
    from crm_desktop.services.ukey import bind_ukey
    from crm_desktop.ui.ukey.pin_prompt import UKeyLogin

    card = virtual_card("A")
    card.insert()
    bind_ukey(login("admin"), account["id"], account["login"], PASSWORD, card.pin)
    prompt = UKeyPinPrompt(interval_ms=FAST_MS)
    qtbot.addWidget(prompt)
    step = UKeyLogin(prompt, address)
    with qtbot.waitSignal(step.sig_checked, timeout=WAIT) as checked:
        step.check("chenjing")
    assert checked.args == [""] and prompt.isHidden()
    with qtbot.waitSignal(step.sig_checked, timeout=WAIT) as checked:
        step.check(account["login"])
    assert checked.args == [ukey.card_state().card_id] and not prompt.isHidden()
    prompt_shows(qtbot, prompt, "inserted: this account's UKey")
    prompt.pin_edit.setText(card.pin)
    with qtbot.waitSignal(step.log_in(account["login"], PASSWORD).sig_succeeded, timeout=WAIT) as done:
        pass
    db = done.args[0]
    assert db.account_id == account["id"] and db.ukey_session.card_id == step.card_id
    db.close()
    prompt.pin_edit.setText("0000")
    task = step.log_in(account["login"], PASSWORD)
    with qtbot.waitSignal(task.sig_failed, timeout=WAIT):
        task.on_failure(prompt.show_error)
    assert prompt.message.text() == messages.text("ukey_wrong_pin", tries_left=2)
