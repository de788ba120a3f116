"""pytest-qt: the customer list dock (客户档案) against the demo customers — what RLS lets each
account see, the filters, sorting, columns and export, deleting, NOTIFY from another login,
dropping an Excel file, and the screenshot for the user guide."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from crm_desktop import messages
from crm_desktop.admin.seed_customers import seed_demo_customers
from crm_desktop.db.notify import ChangeBridge
from crm_desktop.services import customer as customers
from crm_desktop.services.customer_list import COLUMNS, CustomerFilter, CustomerPageSource
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.customer.customer_list import CustomerListWidget

WAIT = 15_000
NAMES = [c.name for c in COLUMNS]


@pytest.fixture(autouse=True)
def settle(qapp, admin_db):
    messages.set_language("zh_CN")
    seed_demo_customers(admin_db, 400)
    yield
    assert cancel_all_and_wait(WAIT)


@pytest.fixture
def open_list(qtbot, tmp_path, monkeypatch):
    """open_list(db) → the widget with its lists and first page loaded; column choices go to tmp."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)

    def _open(db) -> CustomerListWidget:
        widget = CustomerListWidget(db)
        qtbot.addWidget(widget)
        with qtbot.waitSignals([widget.sig_loaded, widget.sig_lists_loaded], timeout=WAIT):
            pass
        return widget

    yield _open
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)


def load_all(qtbot, widget) -> list[int]:
    """Page on to the end, as scrolling would; returns the keys shown."""
    model = widget.model
    while model.canFetchMore():
        with qtbot.waitSignal(model.sig_page_loaded, timeout=WAIT):
            model.fetchMore()
    return [model.row_key(r) for r in range(model.rowCount())]


def shown(widget, column: str) -> list[str]:
    model, c = widget.model, NAMES.index(column)
    return [model.data(model.index(r, c)) for r in range(model.rowCount())]


def filtered(qtbot, widget, change) -> None:
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        change()


def choose(combo, value) -> None:
    """Pick the entry with this data (scope codes) or, failing that, this text (names, paths)."""
    index = combo.findData(value) if value is not None else 0
    combo.setCurrentIndex(index if index >= 0 else combo.findText(value))


def test_the_list_shows_what_rls_lets_chenjing_see(qtbot, open_list, login, raw_connect):
    db = login("chenjing")
    widget = open_list(db)
    seen = {r[0] for r in raw_connect("chenjing").execute("select id from crm.customer")}
    assert 0 < len(seen) < 400
    assert CustomerPageSource(db).count() == len(seen)
    keys = load_all(qtbot, widget)  # the end was reached: the count is exact
    assert sorted(keys) == sorted(seen) and len(keys) == len(seen)
    assert widget.status.text() == f"{len(seen)} customers"
    menu = [a.objectName() for a in widget.build_row_menu().actions() if not a.isSeparator()]
    assert menu == [f"customer_{n}" for n in ("new", "edit", "delete", "share", "assign", "import", "export",
                                               "refresh")]
    enabled = {name: action.isEnabled() for name, action in widget.action_by_name.items()}
    assert enabled == {"new": True, "edit": True, "delete": False, "share": True, "assign": False,
                       "import": False, "export": True, "columns": True, "refresh": True}


def test_search_by_pinyin_initials_as_you_type(qtbot, open_list, login, unique):
    db = login("chenjing")
    created = customers.create_customer(db, {"name": f"北斗广告有限公司{unique}"})
    widget = open_list(db)
    initials = customers.name_initials(created["name"])
    assert initials == f"bdggyxgs{unique}"
    widget.show()
    widget.focus_find()  # Ctrl+F in the main window
    assert widget.focusWidget() is widget.filter_bar.search
    filtered(qtbot, widget, lambda: qtbot.keyClicks(widget.filter_bar.search, initials))
    assert shown(widget, "name") == [created["name"]]
    filtered(qtbot, widget, widget.filter_bar.reset)
    assert widget.model.rowCount() > 1


def test_scope_type_and_region_filters(qtbot, open_list, login):
    db = login("wangfang")
    widget = open_list(db)
    bar = widget.filter_bar
    filtered(qtbot, widget, lambda: choose(bar.scope, "private"))
    load_all(qtbot, widget)
    assert set(shown(widget, "scope_name")) == {"私有"}
    assert widget.model.rowCount() == CustomerPageSource(db, CustomerFilter(scope="private")).count()
    filtered(qtbot, widget, lambda: choose(bar.scope, "public"))
    load_all(qtbot, widget)
    assert set(shown(widget, "scope_name")) == {"公共"}
    filtered(qtbot, widget, lambda: choose(bar.scope, "all"))
    filtered(qtbot, widget, lambda: choose(bar.type, "重要客户"))
    load_all(qtbot, widget)
    assert set(shown(widget, "type_name")) == {"重要客户"}
    filtered(qtbot, widget, lambda: choose(bar.type, None))
    filtered(qtbot, widget, lambda: choose(bar.region, "中国 / 广东省"))  # regions read the same everywhere
    load_all(qtbot, widget)
    regions = set(shown(widget, "region_path"))
    assert {"中国 / 广东省 / 广州", "中国 / 广东省 / 深圳"} <= regions
    assert all(r.startswith("中国 / 广东省 / ") for r in regions)
    assert widget.model.rowCount() == widget.current_source().count()
    filtered(qtbot, widget, bar.reset)


def test_owner_kind_and_last_contact_filters(qtbot, open_list, login):
    db = login("wangfang")
    widget = open_list(db)
    bar = widget.filter_bar
    filtered(qtbot, widget, lambda: choose(bar.owner, db.account_id))
    load_all(qtbot, widget)
    assert set(shown(widget, "owner_name")) == {"王芳"}
    filtered(qtbot, widget, lambda: choose(bar.kind, "individual"))
    load_all(qtbot, widget)
    assert set(shown(widget, "kind_name")) == {"个人"} and set(shown(widget, "owner_name")) == {"王芳"}
    filtered(qtbot, widget, bar.reset)
    filtered(qtbot, widget, lambda: bar.set_date_range(QDate(2025, 1, 1), QDate(2025, 3, 31)))
    load_all(qtbot, widget)
    days = {text[:10] for text in shown(widget, "last_contact_at")}
    assert days and all("2025-01-01" <= day <= "2025-03-31" for day in days)
    assert widget.model.rowCount() == widget.current_source().count()
    assert widget.current_source().filter.last_contact_to.date() == date(2025, 4, 1)  # the whole last day


def test_sorting_by_name_follows_the_database(qtbot, open_list, login):
    db = login("wangfang")
    widget = open_list(db)
    widget.show()
    qtbot.waitExposed(widget)
    header = widget.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(NAMES.index("name")) + 10, header.height() // 2)
    filtered(qtbot, widget, lambda: qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where))
    order = header.sortIndicatorOrder()
    assert header.sortIndicatorSection() == NAMES.index("name")
    expected = CustomerPageSource(db).sorted_by("name", order == Qt.SortOrder.DescendingOrder).fetch_page(None, 50)
    assert shown(widget, "name")[:50] == [r["name"] for r in expected]


def test_the_column_chooser_and_the_export(qtbot, open_list, login, tmp_path):
    db = login("wangfang")
    widget = open_list(db)
    assert db.can("customer.export") and widget.action_by_name["export"].isEnabled()
    widget.chooser.set_column_visible("phone", False)
    assert widget.table.isColumnHidden(NAMES.index("phone"))
    filtered(qtbot, widget, lambda: choose(widget.filter_bar.scope, "public"))
    with qtbot.waitSignal(widget.sig_exported, timeout=WAIT) as done:
        widget.export(str(tmp_path / "c.xlsx"))
    rows = list(load_workbook(tmp_path / "c.xlsx").active.iter_rows(values_only=True))
    titles = [c.title for c in COLUMNS if c.name != "phone"]
    assert list(rows[0]) == titles and "电话" not in rows[0]
    assert len(rows) - 1 == done.args[0] == CustomerPageSource(db, CustomerFilter(scope="public")).count()


def test_an_account_without_export_may_not_export(qtbot, open_list, login, tmp_path):
    db = login("songjia")  # 广州分公司业务员: no customer.export
    widget = open_list(db)
    assert not widget.action_by_name["export"].isEnabled()
    with qtbot.waitSignal(widget.sig_failed, timeout=WAIT) as failed:
        widget.export(str(tmp_path / "no.xlsx"))
    assert "导出客户" in failed.args[0] and not (tmp_path / "no.xlsx").exists()
    widget.message_box.close()


def select_by_name(qtbot, widget, name: str) -> int:
    widget.filter_bar.search.setText(name)
    qtbot.keyClick(widget.filter_bar.search, Qt.Key.Key_Return)  # at once, without the typing pause
    qtbot.waitUntil(lambda: shown(widget, "name") == [name], timeout=WAIT)
    widget.table.selectRow(0)
    return widget.selected_ids()[0]


def answer(widget, button) -> None:
    box = widget.confirm_box
    box.button(button).click()


def test_delete_asks_first_and_the_database_refuses_someone_elses(qtbot, open_list, login, unique):
    db, colleague = login("wangfang"), login("huangmin")  # 销售二部: not in wangfang's charge
    mine = customers.create_customer(db, {"name": f"待删客户{unique}"})
    theirs = customers.create_customer(colleague, {"name": f"共享来的客户{unique}"})
    customers.share_customers(colleague, [theirs["id"]], [db.account_id])
    widget = open_list(db)
    assert select_by_name(qtbot, widget, mine["name"]) == mine["id"]
    widget.action_by_name["delete"].trigger()
    assert "1" in widget.confirm_box.text()
    with qtbot.waitSignal(widget.sig_deleted, timeout=WAIT) as deleted:
        answer(widget, QMessageBox.StandardButton.Yes)
    assert deleted.args == [1]
    with pytest.raises(messages.UserError):
        customers.get_customer(db, mine["id"])
    select_by_name(qtbot, widget, theirs["name"])
    widget.action_by_name["delete"].trigger()
    with qtbot.waitSignal(widget.sig_failed, timeout=WAIT) as failed:
        answer(widget, QMessageBox.StandardButton.Yes)
    assert failed.args[0] == messages.text("customer_not_editable")
    widget.message_box.close()
    assert customers.get_customer(colleague, theirs["id"])["name"] == theirs["name"]


def test_share_and_assign_need_a_selection(qtbot, open_list, login):
    widget = open_list(login("wangfang"))
    widget.table.clearSelection()
    with qtbot.waitSignal(widget.sig_failed, timeout=WAIT) as failed:
        widget.action_by_name["assign"].trigger()
    assert failed.args[0] == messages.text("customer_selection_empty")
    widget.message_box.close()


@pytest.fixture
def bridge(qtbot, login):
    changes = ChangeBridge(login("wangfang"))
    with qtbot.waitSignal(changes.sig_listening, timeout=WAIT):
        changes.start()
    yield changes
    changes.stop()


def test_a_change_from_another_login_reaches_the_list(qtbot, open_list, login, bridge, unique):
    db = login("wangfang")
    created = customers.create_customer(db, {"name": f"通知客户{unique}"})
    widget = open_list(db)
    widget.connect_changes(bridge)
    select_by_name(qtbot, widget, created["name"])
    elsewhere = login("wangfang")  # another PC: its own Database and connections
    customers.update_customer(elsewhere, customers.get_customer(elsewhere, created["id"]),
                              {"name": f"通知客户{unique}改名"})
    qtbot.waitUntil(lambda: shown(widget, "name") == [f"通知客户{unique}改名"], timeout=WAIT)
    assert widget.selected_ids() == [created["id"]]
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):  # an insert reloads the list
        added = customers.create_customer(elsewhere, {"name": f"通知客户{unique}新增"})
    qtbot.waitUntil(lambda: added["id"] in load_all(qtbot, widget), timeout=WAIT)
    assert widget.selected_ids() == [created["id"]]  # the reload kept the selection


def test_sharing_the_selected_customer_reloads_the_list(qtbot, open_list, login, unique):
    db, receiver = login("wangfang"), login("chenjing")
    created = customers.create_customer(db, {"name": f"待共享客户{unique}"})
    widget = open_list(db)
    select_by_name(qtbot, widget, created["name"])
    widget.action_by_name["share"].trigger()
    dialog = widget.last_dialog
    assert type(dialog).__name__ == "ShareDialog" and dialog.customer_ids == [created["id"]]
    picker = dialog.picker
    with qtbot.waitSignals([dialog.sig_loaded, picker.sig_loaded], timeout=WAIT):
        pass
    for combo, text in ((picker.organization, "全程软件"), (picker.department, "销售一部")):
        with qtbot.waitSignal(picker.sig_people_loaded, timeout=WAIT):
            combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).strip("\u3000") == text))
    assert picker.select_person(receiver.account_id)
    picker.add_current()
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        dialog.save()
    assert [s["account_id"] for s in customers.list_shares(db, created["id"])] == [receiver.account_id]
    assert customers.get_customer(receiver, created["id"])["name"] == created["name"]


def test_a_large_list_shows_its_exact_count_before_the_end_is_reached(qtbot, open_list, login):
    widget = open_list(login("zhangmc"))  # sees every customer: more than one page
    exact = CustomerPageSource(widget.db).count()
    qtbot.waitUntil(lambda: widget.status.text() == f"{exact} customers", timeout=WAIT)
    assert widget.model.canFetchMore()  # counted, not scrolled to the end
    keys = load_all(qtbot, widget)
    # at least the 400 demo customers (more only when tests that add customers ran before: order-free)
    assert widget.status.text() == f"{len(keys)} customers" and len(keys) == exact >= 400


def test_dropping_an_excel_file_opens_the_import_wizard(qtbot, open_list, login, tmp_path, drop_file):
    widget = open_list(login("zhangmc"))
    path = tmp_path / "drop.xlsx"
    Workbook().save(path)
    assert drop_file(widget.table.viewport(), path)
    wizard = widget.last_wizard
    assert Path(wizard.choose_page.path_edit.text()) == path
    qtbot.waitUntil(lambda: wizard.busy is None and wizard.spec is not None, timeout=WAIT)
    assert "客户名称" in [c.header for c in wizard.spec.columns]
    wizard.close()


def test_screenshot_of_the_list(qtbot, open_list, login, chinese_ui, images):
    widget = open_list(login("wangfang"))
    widget.table.resizeColumnsToContents()
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    path = images / "customer_list.png"
    save_screenshot(widget, path)
    assert QImage(str(path)).size().width() == 1200


def test_enter_and_double_click_open_the_customer_form(qtbot, open_list, login, unique):
    form_module = pytest.importorskip("crm_desktop.ui.customer.customer_form")
    db = login("wangfang")
    created = customers.create_customer(db, {"name": f"打开表单{unique}"})
    widget = open_list(db)
    select_by_name(qtbot, widget, created["name"])
    widget.table.setCurrentIndex(widget.model.index(0, 1))
    widget.show()
    widget.table.setFocus()
    qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    form = widget.last_form
    assert isinstance(form, form_module.CustomerForm)
    with qtbot.waitSignal(form.sig_loaded, timeout=WAIT):
        pass
    form.close()
    widget.table.doubleClicked.emit(widget.model.index(0, 1))
    assert widget.last_form is not form and isinstance(widget.last_form, form_module.CustomerForm)
    with qtbot.waitSignal(widget.last_form.sig_loaded, timeout=WAIT):
        pass
    widget.last_form.close()


def test_importing_from_the_list_end_to_end(qtbot, open_list, login, tmp_path, unique):
    """The import wizard opened from the list: preview with the errors, all valid rows in one
    commit, the list shows them, and the error report keeps the refused rows."""
    from PySide6.QtWidgets import QWizard

    path = tmp_path / "客户导入.xlsx"
    wb = Workbook()
    wb.active.append(["客户名称", "客户性质", "私有/公共", "客户类型", "所在地区", "手机", "联系人", "联系人手机"])
    wb.active.append([f"向导导入甲{unique}", "企业", "私有", "普通客户", "中国.广东省.广州", None, "张三", "13900000001"])
    wb.active.append([f"向导导入乙{unique}", "个人", "公共", None, None, None, None, None])
    wb.active.append([f"向导导入丙{unique}", "企业", "私有", "没有这种类型", None, "12345", None, None])
    wb.save(path)
    db = login("wangfang")  # 销售经理 holds 批量导入客户; a 普通用户 such as chenjing is told she lacks it
    widget = open_list(db)
    wizard = widget.import_file(path)  # a chosen file is checked at once
    qtbot.waitUntil(lambda: wizard.busy is None and wizard.preview is not None, timeout=WAIT)
    preview = wizard.preview
    assert len(preview.valid_rows) == 2 and len(preview.error_rows) == 1
    errors = " ".join(str(m) for m in preview.error_rows[0].errors)
    assert "没有这种类型" in errors and "12345" in errors
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(wizard.sig_imported, timeout=WAIT) as imported:
        wizard.next()
    assert imported.args == [2]
    qtbot.waitUntil(lambda: f"向导导入甲{unique}" in shown(widget, "name"), timeout=WAIT)  # the list reloads
    names = shown(widget, "name")
    assert f"向导导入乙{unique}" in names
    assert f"向导导入丙{unique}" not in names
    imported = CustomerPageSource(db, CustomerFilter(text=f"向导导入甲{unique}")).iter_rows()
    first = next(iter(imported))
    assert first["owner_id"] == db.account_id and first["is_private"]
    assert [c["name"] for c in customers.list_contacts(db, first["id"])] == ["张三"]
    assert first["id"] in [r["id"] for r in CustomerPageSource(db, CustomerFilter(text="13900000001")).iter_rows()]
    with qtbot.waitSignal(wizard.sig_saved, timeout=WAIT):
        wizard.save_error_report(tmp_path / "errors.xlsx")
    report = list(load_workbook(tmp_path / "errors.xlsx").active.iter_rows(values_only=True))
    assert report[1][0] == f"向导导入丙{unique}" and "没有这种类型" in report[1][-1]
    wizard.close()
