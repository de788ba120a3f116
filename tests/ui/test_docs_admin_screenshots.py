"""Screenshots of the system-management screens for the user guide, in Chinese with the shipped
font. Written into docs/images/ only with CRM_WRITE_DOCS=1; otherwise into tmp_path (still rendered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from crm_desktop.services import account
from crm_desktop.ui.admin.account_form import AccountForm
from crm_desktop.ui.admin.accounts import AccountsScreen
from crm_desktop.ui.admin.permission_grid import PermissionGridScreen
from crm_desktop.ui.admin.position_chart import PositionChartScreen
from admin_screens import assert_picture_shows

from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait

ROOT = Path(__file__).resolve().parents[2]
WAIT = 10_000


@pytest.fixture(autouse=True)
def _tasks_finish(chinese_ui):
    yield
    assert cancel_all_and_wait(WAIT)


def shot(qtbot, widget, path: Path, width: int, height: int, *texts: str) -> Path:
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    save_screenshot(widget, path)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (width, height)
    assert_picture_shows(path, widget, *texts)
    return path


def loaded(qtbot, widget, signal=None):
    qtbot.addWidget(widget)
    with qtbot.waitSignal(signal or widget.sig_loaded, timeout=WAIT):
        pass
    return widget


def test_account_list_and_form(qtbot, login, chinese_ui, images):
    db = login("zhangmc")
    screen = loaded(qtbot, AccountsScreen(db))
    screen.select_login("chenjing")
    shot(qtbot, screen, images / "account_list.png", 1280, 640)

    form = AccountForm(db, account.account_id_by_login(db, "gaoyue"))
    loaded(qtbot, form)
    assert form.windowTitle() == "人员帐号：高月"
    shot(qtbot, form, images / "account_form.png", 860, 640, "人员帐号：高月", "gaoyue")


def test_permission_grid(qtbot, login, chinese_ui, images):
    grid = loaded(qtbot, PermissionGridScreen(login("zhangmc")))
    assert grid.tree.headerItem().text(0) == "权限"
    grid.tree.collapseAll()
    grid.tree.setCurrentItem(None)
    for code in ("system", "customer", "contact", "sales"):
        grid.item(code).setExpanded(True)
    shot(qtbot, grid, images / "permission_grid.png", 980, 640)


def test_position_chart(qtbot, login, chinese_ui, images):
    chart = loaded(qtbot, PositionChartScreen(login("zhangmc")))
    with qtbot.waitSignal(chart.sig_loaded, timeout=WAIT):
        chart.organization.setCurrentIndex(chart.organization.findText("全程软件"))
    chart.resize(1500, 620)
    chart.show()
    qtbot.waitExposed(chart)
    chart.view.fit()
    shot(qtbot, chart, images / "position_chart.png", 1500, 620)
