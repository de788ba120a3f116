"""Issue 14, the shell: the workbench and its panels, per-kind default layouts, the seed's menus with
the navigation dock and permission tooltips, my password, log out, 关于, file dialogs in Documents."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMessageBox, QWidget

from crm_desktop.app import guard_against_pyside_emit_refcount_bug
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.layouts import ADMIN, FINANCE, MANAGER, NO_ROLE, REP, SERVICE, user_kind
from crm_desktop.ui.main_window import MainWindow, register_modules

guard_against_pyside_emit_refcount_bug()

WAIT = 10_000
ALL = ["crm_desktop.ui.admin", "crm_desktop.ui.customer", "crm_desktop.ui.product"]


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot, settings):
    opened = []

    def _open(db, modules=None, extra_docks=()) -> MainWindow:
        window = MainWindow(db, settings)
        qtbot.addWidget(window)
        register_modules(window, db, ALL if modules is None else modules)
        for name in extra_docks:  # docks of modules other engineers are building
            dock = QDockWidget(name, window)
            dock.setObjectName(name)
            dock.setWidget(QLabel(name))
            window.add_dock(dock)
        window.restore_layout()
        window.show()
        opened.append(window)
        return window

    yield _open
    for window in opened:
        window.close()
    for _ in range(5):
        assert cancel_all_and_wait(WAIT)
        QApplication.processEvents()


def visible_docks(window) -> set[str]:
    """Docks shown (a tab behind another counts: its toggle in 视图 is ticked)."""
    return {d.objectName() for d in window.findChildren(QDockWidget) if d.toggleViewAction().isChecked()}


def test_the_kind_of_user_comes_from_permissions(login):
    kinds = {name: user_kind(login(name)) for name in ("admin", "heping", "wangfang", "sunli", "guoyan",
                                                         "chenjing", "dengchao")}
    assert kinds == {"admin": ADMIN, "heping": ADMIN, "wangfang": MANAGER, "sunli": FINANCE, "guoyan": SERVICE,
                     "chenjing": REP, "dengchao": NO_ROLE}


def test_default_layouts_per_kind_skip_missing_docks_and_tabify(open_window, login):
    rep = open_window(login("chenjing"), extra_docks=["dock_pipeline", "dock_reminders"])
    assert {"dock_customers", "dock_pipeline", "dock_reminders", "dock_navigation"} <= visible_docks(rep)
    assert "dock_org_tree" not in visible_docks(rep)
    customers = rep.findChild(QDockWidget, "dock_customers")
    assert {d.objectName() for d in rep.tabifiedDockWidgets(customers)} >= {"dock_pipeline", "dock_reminders"}
    assert rep.dockWidgetArea(customers) == Qt.DockWidgetArea.RightDockWidgetArea

    finance = open_window(login("sunli"), extra_docks=["dock_ledger"])
    assert "dock_ledger" in visible_docks(finance)
    ledger = finance.findChild(QDockWidget, "dock_ledger")
    assert not ledger.visibleRegion().isEmpty()  # raised: the ledger is the tab on top

    admin = open_window(login("admin"))
    assert {"dock_org_tree", "dock_customers", "dock_products"} <= visible_docks(admin)


def test_a_users_own_layout_is_restored_and_the_default_can_come_back(open_window, login):
    db = login("chenjing")
    first = open_window(db)
    assert first.findChild(QDockWidget, "dock_org_tree").isHidden()
    first.org_dock.show()
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.org_dock)
    first.close()
    second = open_window(db)
    assert second.org_dock.isVisible()
    second.findChild(QAction, "action_reset_layout").trigger()
    assert second.org_dock.isHidden()


def test_workbench_panels_by_permission_and_order(open_window, login):
    window = open_window(login("chenjing"))
    assert window.add_workbench_panel("approvals", "Approvals", QLabel("x"), permission="finance.bill") is None
    window.add_workbench_panel("reminders", "Reminders", QLabel("r"), permission="contact", order=10)
    window.add_workbench_panel("late", "Late", QLabel("l"), order=500)
    assert window.workbench.panel_keys() == ["account", "reminders", "late"]
    with pytest.raises(ValueError):
        window.add_workbench_panel("late", "again", QLabel())


def test_setup_steps_only_for_those_who_can_do_them_and_dismissable(qtbot, open_window, login, settings):
    rep = open_window(login("chenjing"))
    assert "setup" not in rep.workbench.panel_keys()
    db = login("heping")
    admin = open_window(db)
    assert "setup" in admin.workbench.panel_keys()
    qtbot.mouseClick(admin.workbench.panels["setup"].dismiss_button, Qt.MouseButton.LeftButton)
    assert "setup" not in admin.workbench.panel_keys()
    again = open_window(db)
    assert "setup" not in again.workbench.panel_keys()


def test_an_account_without_a_role_gets_one_sentence(qtbot, open_window, login):
    window = open_window(login("dengchao"))
    sentence = window.workbench.findChild(QLabel, "no_role_sentence")
    assert sentence is not None and "administrator" in sentence.text()
    assert visible_docks(window) == {"dock_navigation"}  # no empty customer list, no staff tree


def test_menus_follow_the_seed_and_name_missing_permissions(open_window, login):
    window = open_window(login("wangfang"))
    assert window.visible_menu_titles() == ["&System management", "&Customer management", "&Product management",
                                            "&View", "&Help"]
    accounts = window.findChild(QAction, "action_admin_accounts")
    assert not accounts.isEnabled() and "system.account" in accounts.toolTip() or "帐号" in accounts.toolTip()
    assert window.menu("system").toolTipsVisible()
    assert window.findChild(QAction, "action_customer_new").isEnabled()
    items = window.navigation.items()
    assert not items["action_admin_accounts"].flags() & Qt.ItemFlag.ItemIsEnabled
    assert items["action_admin_accounts"].toolTip(0) == accounts.toolTip()
    assert items["action_customer_new"].flags() & Qt.ItemFlag.ItemIsEnabled
    manager = open_window(login("heping"))
    assert manager.findChild(QAction, "action_admin_accounts").isEnabled()


def test_navigation_entries_trigger_their_action(open_window, login):
    window = open_window(login("chenjing"))
    item = window.navigation.items()["action_about"]
    window.navigation._activated(item)
    assert window.about_box.isVisible()
    window.about_box.close()


def test_view_menu_accelerator_is_v_and_about_names_both_versions(qtbot, open_window, login):
    window = open_window(login("chenjing"))
    assert window.menu("view").title() == "&View"
    box = window.show_about()
    qtbot.waitUntil(lambda: "PostgreSQL 1" in box.text(), timeout=WAIT)
    from crm_desktop import __version__
    assert __version__ in box.text()
    box.close()


def test_log_out_asks_the_launcher_and_saves_the_layout(qtbot, open_window, login, settings):
    window = open_window(login("chenjing"))
    with qtbot.waitSignal(window.sig_log_out_requested):
        window.findChild(QAction, "action_log_out").trigger()
    assert settings.value("main_window/chenjing/state") is not None


def test_change_my_password_checks_the_current_one(qtbot, open_window, login, address):
    from crm_desktop.services.auth import log_in

    db = login("liuyang")
    window = open_window(db, modules=[])
    dialog = window.change_password()
    dialog.current.setText("wrong-one")
    dialog.new.setText("newpass99")
    dialog.confirm.setText("newpass99")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=WAIT)
    assert dialog.error.text() in ("The current password is wrong.", "当前密码不正确。")
    dialog.current.setText("demo1234")
    with qtbot.waitSignal(dialog.sig_changed, timeout=WAIT):
        dialog.submit()
    try:
        log_in(address, "liuyang", "newpass99").close()
        db.engine.dispose()  # the pool's next connections log in with the new password
        with db.session() as s:
            assert s.execute(__import__("sqlalchemy").text("select 1")).scalar() == 1
        assert "password" in window.last_status.lower() or "密码" in window.last_status
    finally:
        from crm_desktop.services.my_account import change_my_password
        change_my_password(db, "newpass99", "demo1234", "demo1234")


def test_file_dialogs_start_in_documents_and_remember_per_purpose(monkeypatch, tmp_path, qapp):
    from crm_desktop.ui.common import file_dialogs

    settings = QSettings(str(tmp_path / "fd.ini"), QSettings.Format.IniFormat)
    seen = []
    chosen = tmp_path / "exports" / "a.xlsx"
    chosen.parent.mkdir()

    def run(dialog):
        seen.append((dialog.directory().absolutePath(), dialog.selectedFiles()))
        return str(chosen)

    monkeypatch.setattr(file_dialogs, "run_dialog", run)
    parent = QWidget()
    assert file_dialogs.save_file_name(parent, "customer_export", "t", "客户档案.xlsx", "*.xlsx", settings) == str(chosen)
    assert seen[0][0] == file_dialogs.documents_dir() and seen[0][1][0].endswith("客户档案.xlsx")
    file_dialogs.save_file_name(parent, "customer_export", "t", "b.xlsx", "*.xlsx", settings)
    assert seen[1][0] == str(chosen.parent)
    file_dialogs.open_file_name(parent, "import_file", "t", "*.xlsx", settings)
    assert seen[2][0] == file_dialogs.documents_dir()  # another purpose, its own folder
