"""System management, step 4 (and 7 from the account side): the account list, its filters and
export, the account form with positions and roles, stale saves, deleting and restoring."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from crm_desktop.ui.common import file_dialogs
from crm_desktop import messages
from crm_desktop.admin.seed import role_id
from crm_desktop.services import account, org
from crm_desktop.services.account import AccountFilter, PositionAssignment
from crm_desktop.ui.admin.account_form import AccountForm
from crm_desktop.ui.admin.accounts import AccountsScreen
from admin_screens import WAIT, no_task_outlives_its_test, opened  # noqa: F401 (an autouse fixture)

PASSWORD = "secret123"


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def search(qtbot, screen: AccountsScreen, f: AccountFilter) -> list[str]:
    screen.filters.set_filter(f)
    with qtbot.waitSignal(screen.sig_loaded, timeout=WAIT):
        click(qtbot, screen.filters.search_button)
    assert screen.current_filter == f
    return all_shown(qtbot, screen)


def all_shown(qtbot, screen: AccountsScreen) -> list[str]:
    """Every row of the list, scrolled to its end (the suite may have made more than a page of accounts)."""
    while screen.model.canFetchMore():
        with qtbot.waitSignal(screen.model.sig_page_loaded, timeout=WAIT):
            screen.model.fetchMore()
    return screen.shown_logins()


def position_id(db, department: str, name: str) -> int:
    dept = next(d for d in org.list_departments(db) if d["name"] == department)
    return next(p["id"] for p in org.list_positions(db, dept["id"]) if p["name"] == name)


def department_id(db, name: str) -> int:
    return next(d["id"] for d in org.list_departments(db) if d["name"] == name)


@pytest.fixture
def spare_account(admin_db, unique):
    login = f"t{unique}"
    account_id = account.create_account(admin_db, {"login": login, "name": f"测试{unique}"}, PASSWORD,
                                        [PositionAssignment(position_id(admin_db, "客服部", "客服专员"), True)])
    return login, account_id


def test_each_filter_shows_what_the_service_finds(qtbot, login):
    db = login("heping")
    screen = opened(qtbot, AccountsScreen(db))
    hq = org.list_organizations(db)[0]["id"]
    sales = department_id(db, "销售部")
    filters = [AccountFilter(), AccountFilter(organization_id=hq), AccountFilter(department_id=sales),
               AccountFilter(organization_id=hq, department_id=sales, direct_only=True),
               AccountFilter(position_id=position_id(db, "销售一部", "销售代表")),
               AccountFilter(status="resigned"), AccountFilter(no_position=True), AccountFilter(no_role=True),
               AccountFilter(locked=True), AccountFilter(locked=False), AccountFilter(text="王")]
    for f in filters:
        assert search(qtbot, screen, f) == [r.login for r in account.list_accounts(db, f)], f
    assert {"zhaolei", "pengli"} <= set(search(qtbot, screen, AccountFilter(locked=True)))
    assert "dengchao" in search(qtbot, screen, AccountFilter(no_role=True))
    assert "jiangtao" in search(qtbot, screen, AccountFilter(no_position=True))
    below = search(qtbot, screen, AccountFilter(organization_id=hq, department_id=sales))
    direct = search(qtbot, screen, AccountFilter(organization_id=hq, department_id=sales, direct_only=True))
    assert "lihua" in direct and "chenjing" not in direct and {"lihua", "chenjing", "huangmin"} <= set(below)


def test_sorting_by_name_pages_in_the_database(qtbot, login):
    db = login("heping")
    screen = opened(qtbot, AccountsScreen(db))
    with qtbot.waitSignal(screen.sig_loaded, timeout=WAIT):
        screen.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    expected = account.account_page(db, AccountFilter(), None, 1000, order="name", descending=True)
    assert all_shown(qtbot, screen) == [r.login for r in expected]
    assert screen.shown_logins() != [r.login for r in account.list_accounts(db)]


def test_export_writes_the_current_filter_to_xlsx(qtbot, login, tmp_path, monkeypatch):
    screen = opened(qtbot, AccountsScreen(login("heping")))
    search(qtbot, screen, AccountFilter(locked=True))
    target = tmp_path / "帐号"
    monkeypatch.setattr(file_dialogs, "run_dialog", lambda dialog: str(target))
    with qtbot.waitSignal(screen.sig_exported, timeout=WAIT) as exported:
        screen.export_action.trigger()
    path, count = exported.args
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(account.EXPORT_HEADERS)
    assert [r[0] for r in rows[1:]] == screen.shown_logins() and count == len(rows) - 1
    assert {"zhaolei", "pengli"} <= {r[0] for r in rows[1:]}


def test_create_account_with_positions_and_roles_then_log_in(qtbot, login, unique):
    db = login("zhangmc")
    screen = opened(qtbot, AccountsScreen(db))
    form: AccountForm = screen.new_account()
    qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
    assert "*" in form.fields.password_label.text()
    fields = form.fields
    fields.login.setText(f"n{unique}")
    assert form.validate().key == "required_field"  # 姓名 * is empty
    fields.name.setText("新同事")
    fields.gender.setCurrentIndex(1)
    fields.mobile.setText("13912345678")
    fields.mailbox_quota.setValue(200)
    main = position_id(db, "财务部", "会计")
    concurrent = position_id(db, "客服部", "客服专员")
    with qtbot.waitSignal(form.choose_position().sig_chosen):
        form.chooser.choose(main)
    form.choose_position().choose(concurrent)
    assert [a.is_main for a in fields.positions.assignments()] == [True, False]
    fields.tick_role(role_id(db, "人事管理员"))
    fields.password.setText(PASSWORD)
    fields.confirm.setText("different")
    with qtbot.waitSignal(form.sig_failed) as failed:
        click(qtbot, form.buttons.save)
    assert failed.args[0] == messages.text("password_mismatch")
    form.message_box.close()
    fields.confirm.setText(PASSWORD)
    with qtbot.waitSignals([form.sig_saved, screen.sig_loaded], timeout=WAIT):
        click(qtbot, form.buttons.save)
    assert form.original is not None and form.original["login"] == f"n{unique}"
    assert "*" not in form.fields.password_label.text()  # editing now: the password is optional
    assert f"n{unique}" in screen.shown_logins()

    created = account.get_account(db, form.account_id)
    assert created["gender"] == "female" and created["mailbox_quota_mb"] == 200
    assert {(p.position_id, p.is_main) for p in created["positions"]} == {(main, True), (concurrent, False)}
    as_new = login(f"n{unique}", PASSWORD)
    assert as_new.can("system.account.manage") and as_new.can("system.org.manage")
    assert not as_new.can("system.role.manage")


def test_stale_save_lists_what_changed_and_reloads(qtbot, login, admin_db, spare_account):
    _login, account_id = spare_account
    form = AccountForm(login("heping"), account_id)
    qtbot.addWidget(form)
    qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
    form.fields.number.setText("X-1")
    meanwhile = account.get_account(admin_db, account_id)
    account.update_account(admin_db, meanwhile, {"mobile": "13700000000", "status": "retired"})
    with qtbot.waitSignal(form.sig_stale, timeout=WAIT) as stale:
        click(qtbot, form.buttons.save)
    dialog = stale.args[0]
    assert set(dialog.changed_fields()) == {"Mobile", "Status"}
    row = dialog.changed_fields().index("Mobile")
    assert (dialog.table.item(row, 1).text(), dialog.table.item(row, 2).text()) == ("(empty)", "13700000000")
    assert account.get_account(admin_db, account_id)["number"] == ""  # nothing was overwritten
    with qtbot.waitSignal(form.sig_loaded, timeout=WAIT):
        click(qtbot, dialog.reload_button)
    assert form.fields.mobile.text() == "13700000000" and form.fields.status["retired"].isChecked()
    form.fields.number.setText("X-2")
    with qtbot.waitSignal(form.sig_saved, timeout=WAIT):
        click(qtbot, form.buttons.save)
    assert account.get_account(admin_db, account_id)["number"] == "X-2"


def test_delete_then_restore_from_deleted_accounts(qtbot, login, spare_account):
    name, account_id = spare_account
    db = login("heping")
    screen = opened(qtbot, AccountsScreen(db))
    search(qtbot, screen, AccountFilter(text=name))
    assert screen.select_login(name)
    screen.delete_selected()
    with qtbot.waitSignal(screen.sig_changed, timeout=WAIT):
        screen.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert name not in [r.login for r in account.list_accounts(db)]

    deleted = opened(qtbot, screen.show_deleted())
    assert name in deleted.shown_logins()
    assert deleted.select_login(name)
    with qtbot.waitSignals([deleted.sig_restored, screen.sig_loaded], timeout=WAIT):
        deleted.restore_action.trigger()
    assert name in [r.login for r in account.list_accounts(db)]
    assert login(name, PASSWORD).account_id == account_id


def test_lock_and_status_from_the_list(qtbot, login, spare_account):
    name, account_id = spare_account
    db = login("heping")
    screen = opened(qtbot, AccountsScreen(db))
    search(qtbot, screen, AccountFilter(text=name))
    screen.select_login(name)
    with qtbot.waitSignals([screen.sig_changed, screen.sig_loaded], timeout=WAIT):
        screen.lock_action.trigger()
    assert screen.selected_ids() == [account_id]  # the reload kept the selection
    assert account.get_account(db, account_id)["locked"] is True
    with qtbot.waitSignal(screen.sig_changed, timeout=WAIT):
        screen.set_status("resigned")
    assert account.get_account(db, account_id)["status"] == "resigned"


def test_ordinary_account_has_write_actions_disabled_and_postgres_refuses(qtbot, login):
    db = login("chenjing")
    screen = opened(qtbot, AccountsScreen(db))
    for action in (screen.new_action, screen.assign_action, screen.lock_action, screen.unlock_action,
                   screen.delete_action, screen.export_action):
        assert not action.isEnabled()
    assert not screen.status_button.isEnabled() and screen.refresh_action.isEnabled()
    form = AccountForm(db, db.account_id)
    qtbot.addWidget(form)
    qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
    assert not form.buttons.save.isEnabled() and not form.fields.roles.isEnabled()

    victim = account.account_id_by_login(db, "liuyang")
    with qtbot.waitSignal(screen.sig_failed, timeout=WAIT) as failed:
        screen.call(account.set_locked, victim, True)  # what a tampered client would send
    assert failed.args[0].startswith("您没有此操作的权限")
    with pytest.raises(Exception) as refused:
        account.update_account(db, account.get_account(db, victim), {"name": "改名"})
    assert refused.value.orig.sqlstate == "42501"
    assert account.get_account(db, victim)["locked"] is False


def test_form_refuses_a_duplicate_login(qtbot, login):
    form = AccountForm(login("heping"))
    qtbot.addWidget(form)
    qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
    form.fields.login.setText("chenjing")
    form.fields.name.setText("重名")
    form.fields.password.setText(PASSWORD)
    form.fields.confirm.setText(PASSWORD)
    with qtbot.waitSignal(form.sig_failed, timeout=WAIT) as failed:
        click(qtbot, form.buttons.save)
    assert failed.args[0] == messages.text("account_login_unique")
    assert form.original is None  # still a new account, ready for a correction


def test_an_account_holding_more_than_the_manager_is_shown_read_only_and_refused(qtbot, login, admin_db):
    """heping (org and accounts only) opens the administrator: the form says why it cannot be
    changed, and a lock sent anyway is refused by PostgreSQL with the same sentence."""
    db = login("heping")
    admin_id = account.account_id_by_login(db, "admin")
    form = AccountForm(db, admin_id)
    qtbot.addWidget(form)
    qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
    sentence = messages.text("account_holds_more_permissions")
    assert not form.refusal.isHidden() and form.refusal.text() == sentence
    assert not form.buttons.save.isEnabled() and not form.fields.choose_position.isEnabled()

    screen = opened(qtbot, AccountsScreen(db))
    search(qtbot, screen, AccountFilter(text="admin"))
    assert screen.select_login("admin")
    with qtbot.waitSignal(screen.sig_failed, timeout=WAIT) as failed:
        screen.lock_action.trigger()
    assert failed.args[0] == sentence
    assert account.get_account(admin_db, admin_id)["locked"] is False


def test_an_account_within_the_managers_permissions_opens_writable(qtbot, login, spare_account):
    _name, account_id = spare_account
    form = AccountForm(login("heping"), account_id)
    qtbot.addWidget(form)
    qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
    assert form.refusal.isHidden() and form.buttons.save.isEnabled()
