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


def test_main_window(qtbot, login, admin_db, images, tmp_path, chinese_ui):
    from crm_desktop.admin.seed_customers import seed_demo_customers

    seed_demo_customers(admin_db, 400)  # the customer dock shows the demo's customers
    db = login("zhangmc")
    window = MainWindow(db, QSettings(str(tmp_path / "crm.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    register_modules(window, db, MODULES)
    window.product_dock.hide()  # it has its own picture (product_list.png)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.resizeDocks([window.org_dock, window.customer_dock], [290, 600], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: window.org_dock.tree.topLevelItemCount() > 0 and bool(window.overview.greeting.text()),
                    timeout=WAIT)
    dock = window.org_dock
    for department in dock.find_items("department", name="销售"):  # 销售部, 销售一部, 销售二部: who sits where
        expand_all(department)
    dock.find_items("organization", name="全程软件广州分公司")[0].setExpanded(False)
    window.statusBar().showMessage("")
    window._set_live(True)  # as when the change listener runs
    path = save_screenshot(window, images / "main_window.png")
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    assert window.visible_menu_titles()[0] == "系统管理(&S)"
    assert "张美春" in window.overview.greeting.text()  # logged in as zhangmc, greeted by name
    assert_picture_shows(path, window, window.overview.greeting.text())
    window.close()
    for _ in range(5):
        assert cancel_all_and_wait(WAIT)
        QApplication.processEvents()

