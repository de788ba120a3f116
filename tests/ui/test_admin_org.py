"""System management, steps 1–3: organisations, departments (several at once), positions and the
position chart — driven through the screens against the real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from crm_desktop import messages
from crm_desktop.services import org
from crm_desktop.ui.admin.department_grid import TOP, DepartmentGridDialog
from crm_desktop.ui.admin.departments import DepartmentsScreen
from crm_desktop.ui.admin.organizations import OrganizationsScreen
from crm_desktop.ui.admin.position_chart import PositionChartScreen
from crm_desktop.ui.admin.positions import PositionDialog, PositionsScreen
from admin_screens import WAIT, no_task_outlives_its_test, opened  # noqa: F401 (an autouse fixture)


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save_and_fail(qtbot, form) -> str:
    with qtbot.waitSignal(form.sig_failed, timeout=WAIT) as failed:
        click(qtbot, form.buttons.save)
    form.message_box.close()
    return failed.args[0]


@pytest.fixture
def new_org(admin_db, unique):
    """A fresh organisation with its top department 总部."""
    organization = org.save_organization(admin_db, {"name": f"测试机构{unique}"})
    top = org.add_departments(admin_db, organization["id"], [{"name": "总部", "parent_id": None}])[0]
    return organization, top


def test_create_organisation_and_duplicate_name_is_refused(qtbot, login, unique):
    screen = opened(qtbot, OrganizationsScreen(login("heping")))
    form = screen.new()
    form.name.setText(f"新机构{unique}")
    form.phone.setText("020-12345678")
    with qtbot.waitSignals([form.sig_saved, screen.sig_loaded], timeout=WAIT):
        click(qtbot, form.buttons.save)
    assert f"新机构{unique}" in [screen.table.item(r, 0).text() for r in range(screen.table.rowCount())]

    duplicate = screen.new()
    duplicate.name.setText(f"新机构{unique}")
    assert save_and_fail(qtbot, duplicate) == messages.text("organization_name_unique")
    empty = screen.new()
    assert save_and_fail(qtbot, empty) == messages.text("organization_name_required")


def test_three_departments_at_once_all_or_nothing(qtbot, login, new_org):
    organization, top = new_org
    db = login("heping")
    screen = opened(qtbot, DepartmentsScreen(db))
    grid: DepartmentGridDialog = screen.new()
    grid.add_row()
    grid.add_row()
    grid.set_row(0, organization["id"], top["id"], "市场部")
    grid.set_row(1, organization["id"], top["id"], "研发部", phone="8001")
    grid.set_row(2, organization["id"], None, "第二个顶级部门")  # refused: one top per organisation
    assert grid.rows()[2]["parent_id"] is None
    assert save_and_fail(qtbot, grid) == messages.text("department_one_top_per_organization")
    assert [d["name"] for d in org.list_departments(db, organization["id"])] == ["总部"]

    grid.set_row(2, organization["id"], top["id"], "财务部")
    with qtbot.waitSignals([grid.sig_saved, screen.sig_loaded], timeout=WAIT):
        click(qtbot, grid.buttons.save)
    names = {d["name"]: d for d in org.list_departments(db, organization["id"])}
    assert set(names) == {"总部", "市场部", "研发部", "财务部"}
    assert names["研发部"]["parent_id"] == top["id"] and names["研发部"]["phone"] == "8001"
    assert grid.table.rowCount() == 1  # the grid is ready for the next batch


def test_grid_rows_plus_and_minus(qtbot, login, new_org):
    screen = opened(qtbot, DepartmentsScreen(login("heping")))
    grid = screen.new()
    plus = grid.table.cellWidget(0, 5).findChildren(type(grid.buttons.save))[0]
    click(qtbot, plus)
    click(qtbot, plus)
    assert grid.table.rowCount() == 3
    minus = grid.table.cellWidget(1, 5).findChildren(type(grid.buttons.save))[1]
    click(qtbot, minus)
    assert grid.table.rowCount() == 2


def test_second_top_department_is_refused(qtbot, login, new_org):
    organization, _top = new_org
    screen = opened(qtbot, DepartmentsScreen(login("heping")))
    grid = screen.new()
    grid.set_row(0, organization["id"], None, "另一个顶级")
    assert grid._combo(0, 1).currentData() == TOP
    assert save_and_fail(qtbot, grid) == messages.text("department_one_top_per_organization")


def test_positions_with_superior_and_manager_flag(qtbot, login, new_org):
    organization, top = new_org
    db = login("heping")
    sales = org.add_departments(db, organization["id"], [{"name": "销售部", "parent_id": top["id"]}])[0]
    screen = opened(qtbot, PositionsScreen(db))
    form: PositionDialog = screen.new()
    form._select_department(top["id"])
    form.name.setText("总经理")
    form.is_manager.setChecked(True)
    with qtbot.waitSignals([form.sig_saved, screen.sig_loaded], timeout=WAIT):
        click(qtbot, form.buttons.save_close)
    gm = next(p for p in org.list_positions(db, top["id"]))

    form = screen.new()
    form._select_department(sales["id"])
    form.superior.setCurrentIndex(form.superior.findData(gm["id"]))
    form.name.setText("销售经理")
    form.is_manager.setChecked(True)
    with qtbot.waitSignals([form.sig_saved, screen.sig_loaded], timeout=WAIT):
        click(qtbot, form.buttons.save)
    saved = org.list_positions(db, sales["id"])[0]
    assert (saved["name"], saved["superior_id"], saved["is_manager"]) == ("销售经理", gm["id"], True)
    row = next(r for r in screen.rows if r["id"] == saved["id"])
    assert screen.cells(row)[:4] == [organization["name"], "销售部", "销售经理", "总经理"]

    missing_name = screen.new()
    missing_name._select_department(sales["id"])
    assert save_and_fail(qtbot, missing_name) == messages.text("position_name_required")
    duplicate = screen.new()
    duplicate._select_department(sales["id"])
    duplicate.name.setText("销售经理")
    assert save_and_fail(qtbot, duplicate) == messages.text("position_name_unique_in_department")


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.subordinates)


def test_position_chart_shows_the_demo_hierarchy(qtbot, login, tmp_path):
    db = login("chenjing")  # reading the structure needs no permission
    screen = opened(qtbot, PositionChartScreen(db))
    with qtbot.waitSignal(screen.sig_loaded, timeout=WAIT):
        screen.organization.setCurrentIndex(screen.organization.findText("全程软件"))
    hq = screen.organization.currentData()
    expected = list(walk(org.position_chart(db, hq)))
    assert len(screen.view.boxes) == len(expected) >= 13
    by_name = {node.name: node.position_id for node in expected if node.name != "销售代表"}
    assert (by_name["总经理"], by_name["销售总监"]) in screen.view.edges
    assert (by_name["销售总监"], by_name["销售一部经理"]) in screen.view.edges
    gm_box = screen.view.boxes[by_name["总经理"]]
    assert gm_box.node.holders == ["张美春"] and gm_box.node.department == "总经理办公室"
    director = screen.view.boxes[by_name["销售总监"]]
    assert director.y() > gm_box.y()  # subordinates are drawn below

    screen.view.zoom(1.25)
    assert screen.view.transform().m11() == pytest.approx(1.25)
    path = screen.export_png(tmp_path / "chart.png")
    image = QImage(str(path))
    assert image.width() > 800 and image.height() > 300


def test_register_adds_the_system_menu_and_opens_each_screen_once(qtbot, login):
    from PySide6.QtWidgets import QMainWindow

    from crm_desktop.ui.admin import MENU_KEY, SCREEN_PERMISSIONS, register

    class MainWindow(QMainWindow):
        def __init__(self):
            super().__init__()
            self.menus: dict[str, list] = {}
            self.permissions: dict[str, str] = {}

        def add_module_action(self, menu_key, action, permission=None):
            self.menus.setdefault(menu_key, []).append(action)
            if permission:
                self.permissions[action.objectName()] = permission

    window = MainWindow()
    qtbot.addWidget(window)
    actions = register(window, login("chenjing"))
    assert window.menus[MENU_KEY] == list(actions.values()) and len(actions) == 10  # … 在线会话, 数据备份
    # each screen names the permission it needs (the real window disables it, naming it, for chenjing)
    assert window.permissions == {f"action_admin_{name}": code for name, code in SCREEN_PERMISSIONS.items()}
    for name, action in actions.items():
        if name == "sessions":
            continue
        action.trigger()
        screen = window.admin_screens.open_screens[name]
        with qtbot.waitSignal(screen.sig_loaded, timeout=WAIT):
            pass
        assert screen.isVisible() and screen.parent() is window
        action.trigger()
        assert window.admin_screens.open_screens[name] is screen
