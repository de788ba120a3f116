"""pytest-qt: 客户档案基础信息设置 (figure 9) and 客户档案权限分配 (figure 10), driven as the real
accounts, with what the database then holds and what each account then sees."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox, QPushButton

from crm_desktop import messages
from crm_desktop.services import customer as customers
from crm_desktop.services import customer_settings as settings
from crm_desktop.services import numbering
from crm_desktop.services.account import account_id_by_login
from crm_desktop.services.customer_list import CustomerPageSource
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.customer.permission_dialog import CustomerPermissionDialog
from crm_desktop.ui.customer.settings_dialog import CustomerSettingsDialog

ROOT = Path(__file__).resolve().parents[2]
WAIT = 15_000


@pytest.fixture(autouse=True)
def settle(qapp):
    messages.set_language("zh_CN")
    yield
    assert cancel_all_and_wait(WAIT)


@pytest.fixture(scope="module")
def seeded(admin_db):
    from crm_desktop.admin.seed_customers import seed_demo_customers

    seed_demo_customers(admin_db, 400)


def button(widget, text: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def click_and_confirm(qtbot, editor, text: str, signal):
    button(editor, text).click()
    with qtbot.waitSignal(signal, timeout=WAIT) as blocker:
        editor.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    return blocker


def settings_dialog(qtbot, db) -> CustomerSettingsDialog:
    dialog = CustomerSettingsDialog(db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignals([dialog.types.sig_loaded, dialog.regions.sig_loaded, dialog.rule.sig_loaded],
                           timeout=WAIT):
        pass
    return dialog


def permission_dialog(qtbot, db) -> CustomerPermissionDialog:
    dialog = CustomerPermissionDialog(db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignals([dialog.sig_loaded, dialog.limits.sig_counts_loaded], timeout=WAIT):
        pass
    return dialog


# -- 客户档案基础信息设置 --------------------------------------------------------------------------

def test_admin_adds_renames_reorders_and_deletes_a_customer_type(qtbot, login, seeded, unique):
    db = login("admin")
    dialog = settings_dialog(qtbot, db)
    types = dialog.types
    types.name.setText(f"类型{unique}")
    types.notes.setText("界面测试")
    with qtbot.waitSignal(types.sig_loaded, timeout=WAIT):
        button(types, "Add").click()
    added = types.current()
    assert added["name"] == f"类型{unique}" and added["notes"] == "界面测试" and types.names()[-1] == added["name"]
    types.name.setText(f"改名{unique}")
    with qtbot.waitSignal(types.sig_loaded, timeout=WAIT):
        button(types, "Save changes").click()
    assert f"改名{unique}" in settings.choice_ids_by_name(db, "type")
    assert f"类型{unique}" not in settings.choice_ids_by_name(db, "type")
    with qtbot.waitSignal(types.sig_loaded, timeout=WAIT):
        button(types, "Move up").click()
    names = [r["name"] for r in settings.list_choices(db, "type")]
    assert names.index(f"改名{unique}") == len(names) - 2 and types.current()["name"] == f"改名{unique}"
    click_and_confirm(qtbot, types, "Delete", types.sig_loaded)
    assert f"改名{unique}" not in settings.choice_ids_by_name(db, "type") and f"改名{unique}" not in types.names()


# ON DELETE RESTRICT answers 23001 (restrict_violation), which the catalogue maps to in_use
def test_deleting_a_type_in_use_shows_the_refusal_and_keeps_it(qtbot, login, admin_db, unique):
    used = settings.save_choice(admin_db, "type", None, {"name": f"在用{unique}"})
    customer = customers.create_customer(login("chenjing"), {"name": f"用类型的客户{unique}", "type_id": used["id"]})
    dialog = settings_dialog(qtbot, login("admin"))
    types = dialog.types
    assert types.select_name(f"在用{unique}")
    failed = click_and_confirm(qtbot, types, "Delete", types.sig_failed)
    shown = types.message_box.text()
    types.message_box.close()
    assert f"在用{unique}" in types.names() and f"在用{unique}" in settings.choice_ids_by_name(admin_db, "type")
    customers.delete_customers(admin_db, [customer["id"]])
    settings.delete_choice(admin_db, "type", used["id"])
    assert failed.args == [shown] == ["该记录仍被其他数据使用，不能删除。"]


def test_a_region_is_added_under_its_parent_and_shown_by_path(qtbot, login, seeded, unique):
    dialog = settings_dialog(qtbot, login("admin"))
    regions = dialog.regions
    assert regions.select_path("中国.广东省")
    regions.new_name.setText(f"区{unique}")
    with qtbot.waitSignal(regions.sig_loaded, timeout=WAIT), qtbot.waitSignal(regions.sig_saved) as saved:
        button(regions, "Add under the selected region").click()
    path = f"中国.广东省.区{unique}"
    assert saved.args[0]["path"] == path
    assert regions.path.text() == path.replace(".", " / ") and regions.tree.currentItem().parent().text(0) == "广东省"
    regions.name.setText(f"新区{unique}")
    with qtbot.waitSignal(regions.sig_loaded, timeout=WAIT):
        button(regions, "Rename").click()
    assert regions.path.text() == f"中国 / 广东省 / 新区{unique}"
    click_and_confirm(qtbot, regions, "Delete", regions.sig_loaded)
    assert not any(r["path"].endswith(unique) for r in regions.regions) and regions.path.text() == "中国 / 广东省"


def test_a_rep_sees_the_settings_read_only_and_the_database_refuses_him(qtbot, login, raw_connect, unique):
    dialog = settings_dialog(qtbot, login("chenjing"))
    assert dialog.types.rows and dialog.regions.regions and dialog.rule.next_number.text()
    assert not any(b.isEnabled() for b in dialog.findChildren(QPushButton))
    assert dialog.types.name.isReadOnly() and dialog.regions.new_name.isReadOnly() and dialog.rule.prefix.isReadOnly()
    with pytest.raises(psycopg.Error):
        raw_connect("chenjing").execute("insert into crm.customer_type (name) values (%s)", (f"越权{unique}",))


def test_the_customer_number_rule_changes_what_the_next_number_looks_like(qtbot, login, admin_db):
    dialog = settings_dialog(qtbot, login("admin"))
    rule = dialog.rule
    before = dict(rule.rule)
    try:
        rule.prefix.setText("KHT")
        rule.separator.setCurrentIndex(rule.separator.findData("-"))
        rule.date_format.setCurrentIndex(rule.date_format.findData("YYYY"))
        rule.digits.setValue(5)
        assert rule.example.text() == f"KHT-{date.today():%Y}00001"
        with qtbot.waitSignal(rule.sig_saved, timeout=WAIT) as saved:
            button(rule, "Save").click()
        assert re.fullmatch(r"KHT-\d{9}", saved.args[0]) and rule.next_number.text() == saved.args[0]
        assert numbering.preview(login("chenjing"), "customer") == saved.args[0]
    finally:
        current = next(r for r in numbering.list_rules(admin_db) if r["code"] == "customer")
        numbering.save_rule(admin_db, current, before)


# -- 客户档案权限分配 ------------------------------------------------------------------------------

def test_a_category_permission_set_in_the_dialog_limits_what_the_rep_sees(qtbot, login, admin_db, seeded):
    liuyang = account_id_by_login(admin_db, "liuyang")
    types = settings.choice_ids_by_name(admin_db, "type")
    dialog = permission_dialog(qtbot, login("admin"))
    editor = dialog.categories
    try:
        with qtbot.waitSignal(editor.sig_account_loaded, timeout=WAIT):
            assert editor.accounts.select_login("liuyang")
        ticked = [editor.types.item(i).text() for i in range(editor.types.count())
                  if editor.types.item(i).checkState() == Qt.CheckState.Checked]
        assert ticked == ["重要客户", "普通客户"]  # as the demo seeds him
        editor.tick_names({"重要客户"})
        with qtbot.waitSignal(editor.sig_saved, timeout=WAIT):
            button(editor, "Save").click()
        assert settings.category_permissions(admin_db, liuyang) == {types["重要客户"]}
        seen = list(CustomerPageSource(login("liuyang")).iter_rows())
        others = {r["type_id"] for r in seen if r["owner_id"] != liuyang}
        assert seen and others == {types["重要客户"]}
        assert any(r["owner_id"] == liuyang and r["type_id"] != types["重要客户"] for r in seen)  # his own stay
    finally:
        settings.set_category_permissions(admin_db, liuyang, [types["重要客户"], types["普通客户"]])


def test_a_management_scope_lets_a_rep_see_that_departments_customers(qtbot, login, admin_db, seeded):
    zhouqiang = account_id_by_login(admin_db, "zhouqiang")

    def departments() -> set[str]:
        return {r["department_name"] for r in CustomerPageSource(login("zhouqiang")).iter_rows()}

    assert "广州销售部" not in departments()
    dialog = permission_dialog(qtbot, login("admin"))
    editor = dialog.scopes
    try:
        with qtbot.waitSignal(editor.sig_account_loaded, timeout=WAIT):
            assert editor.accounts.select_login("zhouqiang")
        assert editor.ticked("organization") == editor.ticked("department") == []
        editor.find_item("department", "广州销售部").setCheckState(0, Qt.CheckState.Checked)
        with qtbot.waitSignal(editor.sig_saved, timeout=WAIT):
            button(editor, "Save").click()
        granted = settings.management_scopes(admin_db, zhouqiang)
        assert [(g["organization_id"], g["department_id"]) for g in granted] == [(None, editor.ticked("department")[0])]
        assert "广州销售部" in departments()
    finally:
        settings.set_management_scope(admin_db, zhouqiang)


def test_a_private_limit_edited_in_the_table_is_held_by_the_database(qtbot, login, admin_db, seeded):
    yexin, tangwei = account_id_by_login(admin_db, "yexin"), account_id_by_login(admin_db, "tangwei")
    dialog = permission_dialog(qtbot, login("admin"))
    editor = dialog.limits
    owned, limit = customers.private_customer_status(admin_db, tangwei)
    row = editor.row_of("tangwei")
    assert editor.table.item(row, editor.COUNT).text() == str(owned)
    assert editor.table.item(row, editor.LIMIT).text() == str(limit)
    try:
        editor.table.item(editor.row_of("yexin"), editor.LIMIT).setText("7")
        with qtbot.waitSignal(editor.sig_saved, timeout=WAIT) as saved:
            button(editor, "Save").click()
        assert saved.args == [1] and settings.private_limits(admin_db)[yexin] == 7
        editor.table.item(editor.row_of("yexin"), editor.LIMIT).setText("")
        with qtbot.waitSignal(editor.sig_saved, timeout=WAIT):
            button(editor, "Save").click()
        assert yexin not in settings.private_limits(admin_db)
        editor.table.item(editor.row_of("yexin"), editor.LIMIT).setText("-3")
        with qtbot.waitSignal(editor.sig_failed, timeout=WAIT) as failed:
            button(editor, "Save").click()
        assert failed.args == ["私有客户上限不能为负数。"]
        editor.message_box.close()
    finally:
        settings.set_private_limit(admin_db, yexin, None)


def test_without_the_permission_the_dialog_cannot_save_and_the_database_refuses(qtbot, login, raw_connect, seeded):
    dialog = permission_dialog(qtbot, login("chenjing"))
    assert not any(b.isEnabled() for b in dialog.findChildren(QPushButton))
    with pytest.raises(psycopg.Error):
        raw_connect("chenjing").execute("insert into crm.private_customer_limit (account_id, max_private) "
                                        "select id, 1000 from crm.account where login = 'chenjing'")


# -- screenshots for the user guide ------------------------------------------------------------------

def shot(qtbot, widget, path: Path) -> Path:
    widget.show()
    qtbot.waitExposed(widget)
    save_screenshot(widget, path)
    assert QImage(str(path)).width() == widget.width()
    return path


def test_screenshot_of_the_base_settings(qtbot, login, seeded, chinese_ui, images, tmp_path):
    dialog = settings_dialog(qtbot, login("zhangmc"))
    assert dialog.windowTitle() == "客户档案基础信息设置" and dialog.tabs.tabText(5) == "客户编号规则"
    dialog.types.select_name("重要客户")
    shot(qtbot, dialog, images / "customer_settings.png")
    for tab in (dialog.regions, dialog.rule):  # rendered to look at, not for the guide
        dialog.tabs.setCurrentWidget(tab)
        dialog.regions.select_path("中国.广东省.广州")
        shot(qtbot, dialog, tmp_path / f"customer_settings_{dialog.tabs.currentIndex()}.png")


def test_screenshot_of_the_permissions(qtbot, login, seeded, chinese_ui, images, tmp_path):
    dialog = permission_dialog(qtbot, login("zhangmc"))
    assert dialog.tabs.tabText(0) == "客户分类权限设置"
    with qtbot.waitSignal(dialog.categories.sig_account_loaded, timeout=WAIT):
        dialog.categories.accounts.select_login("liuyang")
    shot(qtbot, dialog, images / "customer_permissions.png")
    with qtbot.waitSignal(dialog.scopes.sig_account_loaded, timeout=WAIT):
        dialog.scopes.accounts.select_login("sunli")
    for index in (1, 2):
        dialog.tabs.setCurrentIndex(index)
        shot(qtbot, dialog, tmp_path / f"customer_permissions_{index}.png")


def test_the_administrator_turns_the_duplicate_followers_name_off_and_a_rep_cannot(qtbot, login, admin_db):
    """撞单: the switch is a tab of the base settings; only customer.settings changes it."""
    dialog = CustomerSettingsDialog(login("zhangmc"))
    qtbot.addWidget(dialog)
    box = dialog.duplicates.disclose
    qtbot.waitUntil(box.isEnabled, timeout=WAIT)
    assert box.isChecked()
    try:
        with qtbot.waitSignal(dialog.duplicates.sig_saved, timeout=WAIT):
            box.setChecked(False)
        assert settings.duplicate_owner_disclosed(admin_db) is False
    finally:
        settings.set_duplicate_owner_disclosure(admin_db, True)
    rep = CustomerSettingsDialog(login("chenjing"))
    qtbot.addWidget(rep)
    qtbot.waitUntil(lambda: rep.duplicates.disclose.isChecked(), timeout=WAIT)
    assert not rep.duplicates.disclose.isEnabled()
