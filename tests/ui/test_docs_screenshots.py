"""The main window for the user guide, in Chinese with the shipped font, logged in as zhangmc.
Written into docs/images/ only with CRM_WRITE_DOCS=1; otherwise into tmp_path (still rendered)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from admin_screens import assert_picture_shows
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from crm_desktop.app import guard_against_pyside_emit_refcount_bug
from crm_desktop.ui.common.fonts import install_app_font
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.i18n import CHINESE, install_translations, remove_translations
from crm_desktop.ui.main_window import MODULES, MainWindow, register_modules

guard_against_pyside_emit_refcount_bug()  # PySide6 6.12.0 loses a reference per emit; see app.py

ROOT = Path(__file__).resolve().parents[2]
WAIT = 10_000


@pytest.fixture
def images(tmp_path) -> Path:
    return ROOT / "docs" / "images" if os.environ.get("CRM_WRITE_DOCS") == "1" else tmp_path


@pytest.fixture
def chinese_ui(qapp):
    font = qapp.font()
    install_app_font(qapp, 10)
    install_translations(qapp, CHINESE)
    yield
    remove_translations(qapp)
    qapp.setFont(font)


def expand_all(item) -> None:
    item.setExpanded(True)
    for i in range(item.childCount()):
        expand_all(item.child(i))


@pytest.mark.parametrize("login_name, picture", [
    ("zhangmc", "main_window.png"),  # the administrator (README's picture until the coordinator switches it)
    ("chenjing", "main_window_rep.png"), ("wangfang", "main_window_manager.png"),
    ("sunli", "main_window_finance.png")])
def test_main_window(qtbot, login, admin_db, images, tmp_path, chinese_ui, login_name, picture):
    """Each kind of user opens the window in its own default arrangement (ui/layouts.py)."""
    from crm_desktop.admin.seed_customers import seed_demo_customers

    seed_demo_customers(admin_db, 400)  # the customer dock shows the demo's customers
    db = login(login_name)
    window = MainWindow(db, QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    register_modules(window, db, MODULES)
    window.resize(1280, 800)
    window.restore_layout()  # nothing saved: the default for this kind of user
    window.show()
    qtbot.waitExposed(window)
    window.reset_layout()  # the shares of the width, now that the window has its size
    qtbot.waitUntil(lambda: bool(window.overview.greeting.text()), timeout=WAIT)
    customers = window.customer_dock.widget()
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0 and "…" not in customers.status.text(), timeout=WAIT)
    if not window.org_dock.isHidden():
        qtbot.waitUntil(lambda: window.org_dock.tree.topLevelItemCount() > 0, timeout=WAIT)
        dock = window.org_dock
        for department in dock.find_items("department", name="销售"):  # 销售部, 销售一部, 销售二部
            expand_all(department)
        for item in dock.find_items("organization", name="全程软件广州分公司"):
            item.setExpanded(False)
    QApplication.processEvents()
    window.statusBar().showMessage("")
    window._set_live(True)  # as when the change listener runs
    path = save_screenshot(window, images / picture)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    assert window.visible_menu_titles()[0] == "系统管理(&S)"
    name = {"zhangmc": "张美春", "chenjing": "陈静", "wangfang": "王芳", "sunli": "孙丽"}[login_name]
    assert name in window.overview.greeting.text()  # greeted by name
    assert_picture_shows(path, window, window.overview.greeting.text())
    window.close()
    for _ in range(5):
        assert cancel_all_and_wait(WAIT)
        QApplication.processEvents()
