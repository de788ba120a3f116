"""Issue 14, lists: counts on a seeded database, pinyin order, full-pinyin search, remembered widths and
sort order, no arrow on unsortable columns, Ctrl+End, the org tree filtering customers, successes
in the status bar, 修改 disabled for read-only accounts, regions shown one way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from test_customer_list_ui import NAMES, WAIT, open_list, settle  # noqa: F401 (fixtures, settle autouse)
from test_customer_list_ui import shown as column

from crm_desktop.admin.seed_customers import ensure_choices
from crm_desktop.services import customer as customers
from crm_desktop.services import product as products
from crm_desktop.services.account import account_id_by_login
from crm_desktop.services.customer_list import CustomerPageSource
from crm_desktop.services.product_list import ProductFilter, ProductPageSource


@pytest.fixture
def choices(admin_db):
    return ensure_choices(admin_db)


def test_the_count_is_exact_at_once_for_admin_and_manager(qtbot, open_list, login):
    for name in ("admin", "wangfang"):
        db = login(name)
        widget = open_list(db)
        exact = CustomerPageSource(db).count()
        if name == "admin":  # more than one page: the count did not come from scrolling to the end
            assert widget.model.canFetchMore()
        qtbot.waitUntil(lambda: widget.status.text() == f"{exact} customers", timeout=WAIT)


def test_beyond_the_exact_limit_the_estimate_is_close(login):
    source = CustomerPageSource(login("wangfang"))
    exact = source.count()
    count, is_exact = source.count_or_estimate(exact_up_to=50)
    assert not is_exact and 50 < count <= 7 * exact and count * 7 >= exact


def test_names_sort_by_pinyin_and_full_pinyin_finds_them(qtbot, open_list, login, choices, unique):
    db = login("chenjing")
    for name in ("上海", "北京", "安徽", "重庆"):
        customers.create_customer(db, {"name": f"{name}拼音{unique}", "type_id": choices.types[0]})
    assert customers.name_pinyin("重庆银行") == "chongqingyinhang"
    widget = open_list(db)
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        widget.filter_bar.search.setText(f"pinyin{unique}")  # 拼音 typed as full pinyin
        widget.filter_bar.sig_filter_changed.emit()
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        widget.table.horizontalHeader().setSortIndicator(NAMES.index("name"), Qt.SortOrder.AscendingOrder)
    assert [n[:2] for n in column(widget, "name")] == ["安徽", "北京", "重庆", "上海"]
    assert column(widget, "region_path") and all("." not in r for r in column(widget, "region_path"))


def test_products_sort_by_pinyin(login, unique):
    db = login("admin")
    from crm_desktop.services import product_settings as ps
    category = ps.save_category(db, {"name": f"拼音类别{unique}", "code": "PY" + unique[:4].upper()})["id"]
    unit = ps.save_unit(db, {"name": f"个{unique}"})["id"]
    for name in ("上海", "北京", "安徽"):
        products.save_product(db, {"name": f"{name}产品{unique}", "category_id": category, "base_unit_id": unit})
    source = ProductPageSource(db, ProductFilter(name=unique)).sorted_by("name", False)
    assert [r["name"][:2] for r in source.fetch_page(None, 10)] == ["安徽", "北京", "上海"]
    found = ProductPageSource(db, ProductFilter(name=f"beijingchanpin{unique}")).fetch_page(None, 10)
    assert [r["name"] for r in found] == [f"北京产品{unique}"]


def test_widths_and_sort_order_are_remembered_and_unsortable_columns_show_no_arrow(qtbot, open_list, login):
    db = login("chenjing")
    first = open_list(db)
    header = first.table.horizontalHeader()
    header.resizeSection(NAMES.index("name"), 333)
    with qtbot.waitSignal(first.sig_loaded, timeout=WAIT):
        header.setSortIndicator(NAMES.index("number"), Qt.SortOrder.AscendingOrder)
    header.setSortIndicator(NAMES.index("owner_name"), Qt.SortOrder.AscendingOrder)  # cannot sort
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == NAMES.index("number"), timeout=WAIT)
    first.chooser.habits.save_widths()
    second = open_list(db)
    assert second.table.horizontalHeader().sectionSize(NAMES.index("name")) == 333
    assert second.model.sort_order == ("number", False)
    assert second.table.horizontalHeader().sortIndicatorSection() == NAMES.index("number")


def test_ctrl_end_goes_to_the_real_last_row(qtbot, open_list, login):
    db = login("admin")
    widget = open_list(db)
    assert widget.model.canFetchMore()
    widget.table.setFocus()
    qtbot.keyClick(widget.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not widget.model.canFetchMore()
                    and widget.table.currentIndex().row() == widget.model.rowCount() - 1, timeout=WAIT * 2)
    assert widget.model.rowCount() == CustomerPageSource(db).count()


def test_clicking_a_person_or_department_in_the_org_tree_filters_the_customers(qtbot, login, admin_db, tmp_path):
    from crm_desktop.ui.main_window import MainWindow, register_modules

    db = login("wangfang")
    window = MainWindow(db, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    register_modules(window, db, ["crm_desktop.ui.customer"])
    window.show()
    qtbot.waitUntil(lambda: window.org_dock.tree.topLevelItemCount() > 0, timeout=WAIT)
    widget = window.customer_dock.widget()
    chenjing = account_id_by_login(admin_db, "chenjing")
    item = window.org_dock.find_items("account", chenjing)[0]
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        window.org_dock.tree.itemClicked.emit(item, 0)
    owners = set(column(widget, "owner_name"))
    assert owners == {"陈静"} and widget.org_chip.isVisible()
    department = window.org_dock.find_items("department", name="销售一部")[0]
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        window.org_dock.tree.itemClicked.emit(department, 0)
    assert set(column(widget, "department_name")) == {"销售一部"}
    with qtbot.waitSignal(widget.sig_loaded, timeout=WAIT):
        widget.org_clear.click()
    assert not widget.org_chip.isVisible()
    window.close()


def test_export_says_so_in_the_status_bar_with_a_link(qtbot, login, tmp_path):
    from crm_desktop.ui.main_window import MainWindow, register_modules

    db = login("chenjing")
    window = MainWindow(db, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    register_modules(window, db, ["crm_desktop.ui.customer"])
    window.show()
    widget = window.customer_dock.widget()
    target = tmp_path / "客户.xlsx"
    with qtbot.waitSignal(window.sig_status_shown, timeout=WAIT) as shown:
        widget.export(str(target))
    assert "已导出" in shown.args[0] or "Exported" in shown.args[0]
    from PySide6.QtCore import QUrl
    assert window.status_link.isVisible()
    assert f'href="{QUrl.fromLocalFile(str(target)).toString()}"' in window.status_link.text()
    window.close()


def test_share_says_so_in_the_status_bar(qtbot, login, admin_db, choices, unique, tmp_path):
    from crm_desktop.ui.main_window import MainWindow, register_modules

    db = login("chenjing")
    ids = [customers.create_customer(db, {"name": f"共享状态{i}{unique}", "type_id": choices.types[0]})["id"]
           for i in range(3)]
    window = MainWindow(db, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    register_modules(window, db, ["crm_desktop.ui.customer"])
    widget = window.customer_dock.widget()
    widget.selected_ids = lambda: ids
    dialog = widget.share_selected()
    with qtbot.waitSignals([dialog.sig_loaded, dialog.picker.sig_loaded], timeout=WAIT):
        pass
    picker = dialog.picker
    for combo, text in ((picker.organization, "全程软件"), (picker.department, "销售一部")):
        with qtbot.waitSignal(picker.sig_people_loaded, timeout=WAIT):
            combo.setCurrentIndex(combo.findText(text))
    assert picker.select_person(account_id_by_login(admin_db, "wangfang"))
    picker.add_button.click()
    with qtbot.waitSignal(window.sig_status_shown, timeout=WAIT) as shown:
        dialog.save()
    assert shown.args[0].startswith("已共享 3 个客户给 王芳") or shown.args[0].startswith("Shared 3 customers with 王芳")


def test_edit_is_disabled_for_read_only_accounts_and_names_the_permission(qtbot, open_list, login):
    widget = open_list(login("sunli"))
    edit = widget.action_by_name["edit"]
    assert not edit.isEnabled() and edit.toolTip()
    assert open_list(login("chenjing")).action_by_name["edit"].isEnabled()
    QApplication.processEvents()
