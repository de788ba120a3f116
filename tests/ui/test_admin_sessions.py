"""在线会话: the administrator sees a second session, which one blocks whom, and ends the blocker;
an account without system.sessions gets the server's refusal."""

from __future__ import annotations

import threading

import psycopg
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from crm_desktop.messages import translate_error
from crm_desktop.services import sessions
from crm_desktop.ui.admin.sessions import SessionsScreen
from crm_desktop.ui.common.screenshot import save_screenshot
from admin_screens import WAIT, no_task_outlives_its_test, opened  # noqa: F401 (an autouse fixture)


@pytest.fixture
def blocker_and_victim(raw_connect, superuser_url):
    """dengchao holds crm.contact in access exclusive mode; chenjing's count waits for it."""
    blocker = raw_connect("dengchao", autocommit=False)
    blocker.execute("lock table crm.contact in access exclusive mode")
    victim = raw_connect("chenjing")
    victim.execute("set lock_timeout = 0")
    outcome: dict = {}

    def count():
        try:
            outcome["count"] = victim.execute("select count(*) from crm.contact").fetchone()[0]
        except psycopg.Error as exc:
            outcome["error"] = exc.sqlstate

    waiting = threading.Thread(target=count, daemon=True)
    waiting.start()
    with psycopg.connect(superuser_url) as su:
        for _ in range(200):
            if su.execute("select cardinality(pg_blocking_pids(%s)) > 0", (victim.info.backend_pid,)).fetchone()[0]:
                break
            threading.Event().wait(0.05)
    yield blocker, victim, outcome, waiting
    waiting.join(5)


def test_the_administrator_sees_the_blocker_and_ends_it(qtbot, login, chinese_ui, images, blocker_and_victim):
    blocker, victim, outcome, waiting = blocker_and_victim
    screen = opened(qtbot, SessionsScreen(login("admin")))
    row = screen.row_of_pid(blocker.info.backend_pid)
    assert row >= 0, [r.login for r in screen.rows]
    shown = screen.rows[row]
    assert shown.blocking == (victim.info.backend_pid,) and shown.may_end
    assert shown.computer  # the PC's name from application_name
    assert screen.table.item(row, 5).text() == "阻塞他人"
    assert screen.table.item(row, 1).text() == "邓超"
    waiter = screen.row_of_pid(victim.info.backend_pid)
    assert screen.rows[waiter].blocked_by == (blocker.info.backend_pid,)
    assert screen.table.item(waiter, 5).text() == "等待锁"
    assert any(r.is_mine and not r.may_end for r in screen.rows)

    screen.resize(1280, 420)
    screen.show()
    qtbot.waitExposed(screen)
    path = images / "admin_sessions.png"
    save_screenshot(screen, path)
    assert QImage(str(path)).width() == 1280

    screen.table.selectRow(row)
    assert screen.end_action.isEnabled()
    screen.end_selected()
    assert "邓超" in screen.confirm_box.text()
    with qtbot.waitSignal(screen.sig_session_ended, timeout=WAIT) as ended, \
            qtbot.waitSignal(screen.sig_loaded, timeout=WAIT):
        screen.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert ended.args == [blocker.info.backend_pid]
    waiting.join(WAIT / 1000)
    assert "count" in outcome
    assert screen.row_of_pid(blocker.info.backend_pid) == -1


def test_an_account_without_the_permission_is_refused(qtbot, login):
    db = login("chenjing")
    with pytest.raises(Exception) as refused:
        sessions.list_sessions(db)
    assert translate_error(refused.value).key == "permission_denied"
    screen = SessionsScreen(db)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.sig_failed, timeout=WAIT) as failed:
        pass
    assert "system.sessions" in failed.args[0] or "会话" in failed.args[0] or "Sessions" in failed.args[0]
    assert screen.rows == [] and not screen.end_action.isEnabled()


def test_the_menu_entry_is_enabled_only_with_the_permission(qtbot, login, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction

    from crm_desktop.ui.main_window import MainWindow, register_modules

    settings = QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat)
    enabled = {}
    for name in ("chenjing", "admin"):
        window = MainWindow(login(name), settings)
        qtbot.addWidget(window)
        register_modules(window, window.db, ["crm_desktop.ui.admin"])
        action = window.findChild(QAction, "action_admin_sessions")
        assert action in window.menu("system").actions()
        enabled[name] = action.isEnabled()
    assert enabled == {"chenjing": False, "admin": True}
