"""System management, steps 5–7: roles, the role × permission grid, and giving a role its accounts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from crm_desktop import messages
from crm_desktop.services import account, org, role
from crm_desktop.services.account import PositionAssignment
from crm_desktop.ui.admin.permission_grid import PermissionGridScreen
from crm_desktop.ui.admin.roles import RolesScreen
from admin_screens import WAIT, no_task_outlives_its_test, opened  # noqa: F401 (an autouse fixture)

PASSWORD = "secret123"


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def new_role(qtbot, screen: RolesScreen, name: str, organization: str | None = None) -> dict:
    form = screen.new()
    form.name.setText(name)
    if organization:
        form.organization.setCurrentIndex(form.organization.findText(organization))
    with qtbot.waitSignals([form.sig_saved, screen.sig_loaded], timeout=WAIT):
        click(qtbot, form.buttons.save_close)
    return next(r for r in screen.rows if r["name"] == name)


@pytest.fixture
def staff(admin_db, unique):
    """A fresh account with no roles: it can do nothing yet."""
    dept = next(d for d in org.list_departments(admin_db) if d["name"] == "客服部")
    position = next(p["id"] for p in org.list_positions(admin_db, dept["id"]) if not p["is_manager"])
    login = f"r{unique}"
    account.create_account(admin_db, {"login": login, "name": f"角色测试{unique}"}, PASSWORD,
                           [PositionAssignment(position, True)])
    return login


def test_grid_tick_then_give_the_role_to_an_account(qtbot, login, staff, unique):
    db = login("zhangmc")
    roles = opened(qtbot, RolesScreen(db))
    created = new_role(qtbot, roles, f"导入员{unique}")
    assert roles.cells(created)[1:3] == ["All organisations", "Custom"]

    grid = opened(qtbot, PermissionGridScreen(db))
    assert not grid.save_action.isEnabled()
    grid.tick(created["id"], "customer.import")
    grid.tick(created["id"], "finance")  # a group: everything in it
    assert grid.is_ticked(created["id"], "finance.settle") and grid.is_ticked(created["id"], "finance.bad_debt.approve")
    assert not grid.is_ticked(created["id"], "customer")  # only part of the branch
    grid.tick(created["id"], "finance.month_close", False)
    assert not grid.is_ticked(created["id"], "finance")
    grid.tick(created["id"], "finance.month_close")
    assert grid.save_action.isEnabled() and grid.dirty == {created["id"]}
    with qtbot.waitSignal(grid.sig_saved, timeout=WAIT):
        grid.save_action.trigger()
    assert role.permission_grid(db)[created["id"]] == {"customer.import", "finance"}
    assert not grid.save_action.isEnabled()

    roles.select_id(created["id"])
    chooser = opened(qtbot, roles.choose_accounts())
    chooser.tick_login(staff)
    assert len(chooser.account_ids()) == 1
    with qtbot.waitSignal(chooser.sig_saved, timeout=WAIT):
        click(qtbot, chooser.buttons.save)
    as_staff = login(staff, PASSWORD)
    assert as_staff.can("customer.import") and as_staff.can("finance.settle")
    assert not as_staff.can("customer.create") and not as_staff.can("system.role.manage")


def test_role_per_organisation_and_refusals(qtbot, login, unique):
    roles = opened(qtbot, RolesScreen(login("zhangmc")))
    branch = new_role(qtbot, roles, f"分公司角色{unique}", organization="全程软件广州分公司")
    assert roles.cells(branch)[1] == "全程软件广州分公司"

    duplicate = roles.new()
    duplicate.name.setText("普通用户")
    with qtbot.waitSignal(duplicate.sig_failed, timeout=WAIT) as failed:
        click(qtbot, duplicate.buttons.save)
    assert failed.args[0] == messages.text("role_name_unique")
    duplicate.message_box.close()

    roles.select_id(next(r["id"] for r in roles.rows if r["builtin"] == "user"))
    roles.delete()
    with qtbot.waitSignal(roles.sig_failed, timeout=WAIT) as failed:
        roles.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert failed.args[0] == messages.text("role_builtin_kept")


def test_ordinary_account_cannot_change_roles(qtbot, login):
    db = login("chenjing")
    roles = opened(qtbot, RolesScreen(db))
    enabled = {a.text(): a.isEnabled() for a in roles.toolbar.actions() if a.text()}
    assert enabled == {"New": False, "Edit": True, "Delete": False, "Accounts…": True,
                       "Permissions…": True, "Refresh": True}
    grid = opened(qtbot, PermissionGridScreen(db))
    user_role = next(r["id"] for r in grid.data.roles if r["builtin"] == "user")
    assert not grid.item("finance").flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert grid.is_ticked(user_role, "contact")  # reading the grid is allowed

    grid.tick(user_role, "system.admin")  # a tampered client ticks anyway…
    grid.dirty.add(user_role)
    with qtbot.waitSignal(grid.sig_failed, timeout=WAIT) as failed:
        grid.save()
    assert failed.args[0].startswith("您没有此操作的权限")  # …and PostgreSQL refuses
    assert "system.admin" not in role.permission_grid(db).get(user_role, set())
    with pytest.raises(Exception) as refused:
        role.save_role(db, {"name": "越权角色"})
    assert refused.value.orig.sqlstate == "42501"
