"""The main window: only real menus, permission-aware actions, persisted dock layout, F5 and Ctrl+F."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel

from crm_desktop.app import guard_against_pyside_emit_refcount_bug
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.main_window import MainWindow, register_modules

guard_against_pyside_emit_refcount_bug()  # PySide6 6.12.0 loses a reference per emit; see app.py

WAIT = 10_000


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot, settings):
    opened = []

    def _open(db, modules: list[str] | None = None) -> MainWindow:
        window = MainWindow(db, settings)
        qtbot.addWidget(window)
        register_modules(window, db, modules or [])
        window.restore_layout()
        window.show()
        qtbot.waitUntil(lambda: window.org_dock.tree.topLevelItemCount() > 0, timeout=WAIT)
        opened.append(window)
        return window

    yield _open
    for window in opened:
        window.close()
    for _ in range(5):  # screens' loads finish and land while their models still exist
        assert cancel_all_and_wait(WAIT)
        QApplication.processEvents()


def test_menus_for_modules_not_built_do_not_appear(open_window, login):
    window = open_window(login("chenjing"))
    assert window.visible_menu_titles() == ["&System management", "&View", "&Help"]
    for key in ("customer", "sales", "finance", "service"):
        assert window.menu(key).isEmpty()


def test_modules_plug_their_actions_and_docks_in(open_window, login):
    window = open_window(login("zhangmc"), ["crm_desktop.ui.admin", "crm_desktop.ui.product"])
    assert window.visible_menu_titles() == ["&System management", "&Product management", "&View", "&Help"]
    system = [a.objectName() for a in window.menu("system").actions()]
    assert system.index("action_admin_accounts") < system.index("action_exit")  # module entries first
    assert window.findChild(QDockWidget, "dock_products") is not None


def test_actions_need_their_permission(open_window, login):
    ordinary, manager = open_window(login("chenjing")), open_window(login("heping"))
    for window in (ordinary, manager):
        window.add_module_action("customer", QAction("Edit accounts", window), permission="system.account.manage")
    assert not ordinary.menu("customer").actions()[0].isEnabled()
    assert manager.menu("customer").actions()[0].isEnabled()
    assert ordinary.visible_menu_titles()[1] == "&Customer management"


def test_the_overview_and_status_bar_name_the_account_and_server(qtbot, open_window, login, address):
    window = open_window(login("chenjing"))
    qtbot.waitUntil(lambda: "陈静" in window.overview.greeting.text(), timeout=WAIT)
    texts = [w.text() for w in window.overview.findChildren(QLabel)]
    assert "普通用户" in texts and "销售一部 · 销售代表" in window.overview.place.text()
    assert "chenjing" in window.account_label.text() and address.label() in window.server_status.text()


def test_the_dock_layout_is_restored(qtbot, open_window, login, settings):
    db = login("zhangmc")
    first = open_window(db)
    assert first.dockWidgetArea(first.org_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.org_dock)
    first.resize(first.width(), 450)  # only the height: the offscreen screen clamps widths above 800
    first.close()  # saves the layout

    second = open_window(db)
    assert second.dockWidgetArea(second.org_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert second.height() == 450


def test_f5_refreshes_and_ctrl_f_finds(qtbot, open_window, login):
    window = open_window(login("chenjing"))
    assert QKeySequence("F5") in window.refresh_action.shortcuts()
    assert window.find_action.shortcut() == QKeySequence("Ctrl+F")
    with qtbot.waitSignal(window.sig_refresh_requested), qtbot.waitSignal(window.org_dock.sig_refreshed,
                                                                          timeout=WAIT):
        window.refresh_action.trigger()
    window.activateWindow()
    with qtbot.waitSignal(window.sig_find_requested):
        window.find_action.trigger()
    qtbot.waitUntil(lambda: window.org_dock.filter_edit.hasFocus())


def test_the_language_choice_is_kept_for_the_next_start(open_window, login, settings):
    window = open_window(login("chenjing"))
    window.findChild(QAction, "action_language_en").trigger()
    assert settings.value("ui/language") == "en"
    assert window.statusBar().currentMessage()
