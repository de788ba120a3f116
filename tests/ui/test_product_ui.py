"""pytest-qt: the category tree, the product list, the product form (custom fields and picture),
the base settings, the import wizard end to end, and the screenshots for the user guide."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMainWindow, QWizard

from crm_desktop import messages
from crm_desktop.services import product as products
from crm_desktop.services import product_import
from crm_desktop.ui.common.import_wizard import ImportWizard
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.product import register
from crm_desktop.ui.product.category_tree import CategoryTree
from crm_desktop.ui.product.product_form import ProductForm
from crm_desktop.ui.product.product_list import ProductListWidget
from crm_desktop.ui.product.settings_dialog import ProductSettingsDialog

ROOT = Path(__file__).resolve().parents[2]
WAIT = 15_000


@pytest.fixture(autouse=True)
def settle(qapp):
    messages.set_language("zh_CN")
    yield
    assert cancel_all_and_wait(WAIT)


def loaded(qtbot, widget, signal=None):
    qtbot.addWidget(widget)
    with qtbot.waitSignal(signal or widget.sig_loaded, timeout=WAIT):
        pass
    return widget


def list_ready(qtbot, widget: ProductListWidget) -> ProductListWidget:
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.model is not None and widget.model.rowCount() > 0, timeout=WAIT)
    return widget


def numbers_shown(qtbot, widget: ProductListWidget, apply) -> list[str]:
    with qtbot.waitSignal(widget.model.sig_page_loaded, timeout=WAIT):
        apply()
    model = widget.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def png(path: Path, colour: str = "#3a7bd5") -> Path:
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    image.save(str(path), "PNG")
    return path


def test_category_tree_levels(qtbot, login):
    tree = CategoryTree(login("chenjing"))
    qtbot.addWidget(tree)
    with qtbot.waitSignal(tree.sig_loaded, timeout=WAIT):
        tree.reload()
    root = tree.topLevelItem(0)
    assert root.text(0) == "全部类别" or root.text(0) == "All categories"
    tops = [root.child(i).text(0) for i in range(root.childCount())]
    seeded = ["电子产品", "软件", "办公用品", "服务"]
    assert [t for t in tops if t in seeded] == seeded  # other tests add categories of their own
    computers = root.child(tops.index("电子产品")).child(0)
    leaves = [computers.child(i).text(0) for i in range(computers.childCount())]
    assert [leaf for leaf in leaves if leaf in ("笔记本", "台式机", "服务器")] == ["笔记本", "台式机", "服务器"]
    with qtbot.waitSignal(tree.sig_category_selected, timeout=WAIT) as chosen:
        tree.setCurrentItem(computers.child(leaves.index("服务器")))
    assert tree.selected()["path"] == "电子产品/电脑/服务器" and chosen.args == [tree.selected_id()]


def test_the_list_filters_by_category_and_fields_and_hides_writes_from_readers(qtbot, login):
    widget = list_ready(qtbot, ProductListWidget(login("chenjing")))
    enabled = {a.text(): a.isEnabled() for a in widget.toolbar.actions() if a.text()}
    assert [enabled[k] for k in ("New", "Delete", "Import", "Export", "Display settings")] == [False] * 4 + [True]
    laptops = next(c["id"] for c in widget.tree.categories if c["path"] == "电子产品/电脑/笔记本")
    shown = numbers_shown(qtbot, widget, lambda: widget.tree.select_id(laptops))
    paths = {widget.model.data(widget.model.index(r, 2)) for r in range(len(shown))}
    assert "FH-BJB-001" in shown and paths == {"电子产品/电脑/笔记本"}
    widget.name_filter.setText("戴尔")
    widget.monitored_filter.setCurrentIndex(widget.monitored_filter.findData(False))
    shown = numbers_shown(qtbot, widget, widget.apply_filter)
    names = [widget.model.data(widget.model.index(r, 1)) for r in range(widget.model.rowCount())]
    assert shown and all("戴尔" in n for n in names)
    monitored = widget.model.columns.index(next(c for c in widget.model.columns if c.name == "monitored_name"))
    assert {widget.model.data(widget.model.index(r, monitored)) for r in range(len(shown))} == {"否"}


def test_the_column_chooser_and_the_export(qtbot, login, tmp_path):
    widget = list_ready(qtbot, ProductListWidget(login("lihua")))  # 销售经理: may export
    widget.chooser.set_column_visible("item_code", False)
    assert "item_code" in widget.chooser.hidden_names()
    widget.name_filter.setText("服务器")
    numbers_shown(qtbot, widget, widget.apply_filter)
    with qtbot.waitSignal(widget.sig_exported, timeout=WAIT) as done:
        widget.export(str(tmp_path / "p.xlsx"))
    rows = list(load_workbook(tmp_path / "p.xlsx").active.iter_rows(values_only=True))
    assert "货号" not in rows[0] and rows[0][:2] == ("编号", "名称") and len(rows) == done.args[0] + 1
    widget.chooser.set_column_visible("item_code", True)


def test_the_product_form_saves_custom_fields_and_a_picture(qtbot, login, tmp_path, unique):
    db = login("zhangmc")
    form = loaded(qtbot, ProductForm(db))
    fields = {f["name"]: f for f in form.fields}
    assert set(fields) >= {"品牌", "保修期(月)", "产地"}
    assert type(form.custom_editors[fields["保修期(月)"]["id"]]).__name__ == "DecimalEdit"
    form.category.setCurrentIndex(form.category.findText("电子产品/电脑/服务器"))
    qtbot.waitUntil(lambda: form.number.placeholderText().startswith("FH-FWQ-"), timeout=WAIT)
    form.name.setText(f"测试服务器{unique}")
    form.unit.setCurrentIndex(form.unit.findText("台"))
    form.sale_price.setText("12345.67")
    form.monitored_group.button(0).setChecked(True)
    form.cycles["service"][2].setValue(180)
    form.custom_editors[fields["品牌"]["id"]].setText("浪潮")
    form.custom_editors[fields["保修期(月)"]["id"]].setText("36")
    form.custom_editors[fields["产地"]["id"]].set_value("国产")
    assert form.load_picture_file(png(tmp_path / "p.png"))
    with qtbot.waitSignal(form.sig_saved, timeout=WAIT) as saved:
        form.buttons.save.click()
    product = saved.args[0]
    assert product["number"].startswith("FH-FWQ-") and product["sale_price"] == Decimal("12345.67")
    assert product["monitored"] and product["service_days"] == 180
    assert product["custom_fields"][str(fields["保修期(月)"]["id"])] == "36"
    assert products.get_picture(db, product["id"]) == (tmp_path / "p.png").read_bytes()
    again = loaded(qtbot, ProductForm(db, product["id"]))
    assert again.custom_editors[fields["产地"]["id"]].value() == "国产"
    assert again.picture_label.pixmap() is not None and not again.picture_label.pixmap().isNull()
    assert again.windowTitle().endswith(product["number"])


def test_the_form_refuses_a_file_that_is_no_picture_and_is_read_only_for_readers(qtbot, login, tmp_path):
    form = loaded(qtbot, ProductForm(login("chenjing"), products_first_id(login("chenjing"))))
    assert not form.buttons.save.isEnabled()
    (tmp_path / "fake.png").write_text("not a picture")
    with qtbot.waitSignal(form.sig_failed, timeout=WAIT) as failed:
        assert not form.load_picture_file(tmp_path / "fake.png")
    assert failed.args == ["无法读取该图片文件。"]
    form.message_box.close()


def products_first_id(db) -> int:
    from crm_desktop.services.product_list import ProductPageSource

    return ProductPageSource(db).fetch_page(None, 1)[0]["id"]


def test_the_base_settings_add_a_sub_category_and_a_custom_field(qtbot, login, unique):
    db = login("zhangmc")
    dialog = ProductSettingsDialog(db)
    qtbot.addWidget(dialog)
    editor = dialog.categories
    qtbot.waitUntil(lambda: editor.tree.categories != [], timeout=WAIT)
    editor.tree.select_id(next(c["id"] for c in editor.tree.categories if c["path"] == "电子产品/电脑"))
    editor.new(editor.tree.selected_id())
    editor.name.setText(f"平板{unique}")
    editor.code.setText(f"pb{unique[:6]}")
    with qtbot.waitSignal(editor.sig_saved, timeout=WAIT) as saved:
        editor.save()
    assert saved.args[0]["path"] == f"电子产品/电脑/平板{unique}" and saved.args[0]["code"] == f"PB{unique[:6]}".upper()
    assert dialog.rule.example.text() == "FH-SVSHF-081"


def test_the_settings_category_names_are_readable_at_every_level(qtbot, login):
    """Issue 14 item 11: third-level categories showed as "笔…"."""
    dialog = ProductSettingsDialog(login("zhangmc"))
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog.categories.tree
    qtbot.waitUntil(lambda: tree.categories != [], timeout=WAIT)
    deepest = max(tree.categories, key=lambda c: c["path"].count("/"))
    assert deepest["path"].count("/") >= 2
    item = next(i for i in _tree_items(tree) if i.text(0) == deepest["name"])
    rect = tree.visualItemRect(item)
    needed = rect.x() + tree.fontMetrics().horizontalAdvance(deepest["name"])
    assert rect.height() > 0 and tree.columnWidth(0) >= needed


def _tree_items(tree):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    iterator = QTreeWidgetItemIterator(tree)
    while iterator.value():
        yield iterator.value()
        iterator += 1


def test_the_import_wizard_end_to_end(qtbot, login, tmp_path, unique):
    path = tmp_path / "products.xlsx"
    wb = Workbook()
    wb.active.append(["产品类别", "产品编码", "产品名称", "标准单位", "标准销售价格", "产地"])
    wb.active.append(["笔记本", f"W1-{unique}", "向导笔记本", "台", "9999", "进口"])
    wb.active.append(["笔记本", f"W2-{unique}", "向导笔记本二", "台", None, None])
    wb.active.append(["不存在", f"W3-{unique}", "错误行", "台", 1, None])
    wb.save(path)
    db = login("zhangmc")
    wizard = ImportWizard(db, product_import.load_spec, path=path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.spec is not None, timeout=WAIT)
    assert "产品编码不能重复" in wizard.choose_page.rules.text()
    with qtbot.waitSignal(wizard.sig_validated, timeout=WAIT) as validated:
        wizard.next()
    preview = validated.args[0]
    model = wizard.preview_page.table.model()
    assert model.rowCount() == 3 and len(preview.valid_rows) == 2
    assert model.data(model.index(2, 0), Qt.ItemDataRole.BackgroundRole).color() == QColor("#f8d7da")
    assert "按 0 导入" in model.data(model.index(1, 0))
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=WAIT)
    assert wizard.buttonText(QWizard.WizardButton.NextButton) in ("导入 2 行有效数据", "Import 2 valid rows")
    wizard.preview_page.problems_only.setChecked(True)
    assert model.rowCount() == 2
    with qtbot.waitSignal(wizard.sig_imported, timeout=WAIT) as imported:
        wizard.next()
    assert imported.args == [2] and wizard.currentPage() is wizard.done_page
    assert "已导入 2 条记录" in wizard.done_page.result.text()
    with qtbot.waitSignal(wizard.sig_saved, timeout=WAIT):
        wizard.save_error_report(tmp_path / "errors.xlsx")
    report = list(load_workbook(tmp_path / "errors.xlsx").active.iter_rows(values_only=True))
    assert report[1][:3] == ("不存在", f"W3-{unique}", "错误行") and "不存在" in report[1][-1]
    # issue 14 item 11: Enter on the last page is 完成 (it was the error report's button)
    qtbot.keyClick(wizard.focusWidget() or wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT)
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_the_preview_puts_the_reason_first_with_the_rows_errors_in_its_tooltip(qtbot, tmp_path):
    """Issue 14 item 11: the reason was 20 columns to the right, and read "…添加。；…"."""
    from crm_desktop.excel.importer import read_workbook
    from crm_desktop.services.customer_import import CustomerImportSpec
    from crm_desktop.ui.common.import_preview import PreviewModel

    wb = Workbook()
    wb.active.append(["客户名称", "客户性质", "私有/公共", "手机"])
    wb.active.append(["甲公司", "公司", "私人", "abc"])
    wb.save(tmp_path / "p.xlsx")
    model = PreviewModel(read_workbook(tmp_path / "p.xlsx", CustomerImportSpec()))
    reason = model.data(model.index(0, 0))
    assert model.headerData(0, Qt.Orientation.Horizontal) in ("错误与提示", "Errors and notes")
    assert reason.startswith("“客户性质”只能是：企业、个人") and "。；" not in reason and reason.endswith("。")
    tooltip = model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.count("\n✖ ") == 3 and "“手机”不是有效的手机号码" in tooltip


def test_the_wizard_explains_a_refused_file_and_writes_the_template(qtbot, login, tmp_path):
    bad = tmp_path / "renamed.xlsx"
    bad.write_text("产品类别,产品编码\n")
    wizard = ImportWizard(login("zhangmc"), product_import.load_spec, path=bad)
    qtbot.addWidget(wizard)
    wizard.show()
    with qtbot.waitSignal(wizard.sig_failed, timeout=WAIT) as failed:
        wizard.next()
    assert "不是 Excel 文件" in failed.args[0]
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    with qtbot.waitSignal(wizard.sig_saved, timeout=WAIT):
        wizard.download_template(tmp_path / "template.xlsx")
    assert load_workbook(tmp_path / "template.xlsx")["产品"]["A1"].value == "产品类别*"


def test_dropping_an_excel_file_on_the_list_opens_the_wizard(qtbot, login, tmp_path, drop_file):
    widget = list_ready(qtbot, ProductListWidget(login("zhangmc")))
    path = tmp_path / "drop.xlsx"
    Workbook().save(path)
    assert drop_file(widget.table.viewport(), path)
    wizard = widget.last_wizard
    assert Path(wizard.choose_page.path_edit.text()) == path
    qtbot.waitUntil(lambda: wizard.busy is None and wizard.spec is not None, timeout=WAIT)
    wizard.close()


def test_register_adds_the_menu_actions_and_the_dock(qtbot, login):
    class MainWindow(QMainWindow):
        def __init__(self):
            super().__init__()
            self.menu_actions, self.docks = [], []

        def add_module_action(self, key, action, permission=None):
            self.menu_actions.append((key, action.objectName(), permission))

        def add_dock(self, dock):
            self.docks.append(dock)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

    window = MainWindow()
    qtbot.addWidget(window)
    actions = register(window, login("chenjing"))
    # the real window disables an entry without its permission and names it in the tooltip
    assert window.menu_actions == [("product", "action_products", None),
                                   ("product", "action_product_settings", "product.settings"),
                                   ("product", "action_product_import", "product.import")]
    assert set(actions) == {"products", "product_settings", "product_import"}
    assert window.docks[0].objectName() == "dock_products"
    qtbot.waitUntil(lambda: window.docks[0].widget().model is not None, timeout=WAIT)


# -- screenshots for the user guide ------------------------------------------------------------
# (the shared ``images`` and ``chinese_ui`` fixtures of tests/conftest.py)


def shot(qtbot, widget, path: Path, width: int, height: int) -> Path:
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    save_screenshot(widget, path)
    assert QImage(str(path)).size().width() == width
    return path


def test_screenshots_of_the_list_and_the_form(qtbot, login, chinese_ui, images, tmp_path):
    db = login("zhangmc")
    widget = list_ready(qtbot, ProductListWidget(db))
    laptops = next(c["id"] for c in widget.tree.categories if c["path"] == "电子产品/电脑/笔记本")
    numbers_shown(qtbot, widget, lambda: widget.tree.select_id(laptops))
    widget.table.resizeColumnsToContents()
    shot(qtbot, widget, images / "product_list.png", 1280, 640)
    first = widget.model.row_key(0)
    form = loaded(qtbot, ProductForm(db, first))
    form.set_picture(png(tmp_path / "pic.png", "#5b8def").read_bytes())
    shot(qtbot, form, images / "product_form.png", 820, 820)
