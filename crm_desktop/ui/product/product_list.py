"""产品管理: the category tree beside the product list, the specification's filters, the toolbar
(新增 删除 导入 导出 显示设置) and Excel files dropped on the list to import them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGridLayout, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTableView, QToolBar, QVBoxLayout, QWidget)

from crm_desktop.services import product as products
from crm_desktop.services import product_import
from crm_desktop.services import product_settings as settings
from crm_desktop.services.product_list import (SERIAL_NAMES, ProductFilter, ProductPageSource,
                                               columns_with_custom_fields, export_products)
from crm_desktop.ui.common.file_dialogs import save_file_name
from crm_desktop.ui.common.forms import BackgroundCalls, confirm, fill_combo
from crm_desktop.ui.common.import_wizard import accept_excel_drops, open_import_wizard
from crm_desktop.ui.common.lazy_model import (LEFT, RIGHT, Column, ColumnChooser, LazyTableModel, WithColumns,
                                              format_money, format_value)
from crm_desktop.ui.common.tasks import ProgressDialog, run_in_background
from crm_desktop.ui.product.category_tree import CategoryTree
from crm_desktop.ui.product.product_form import ProductForm

COLUMNS_SETTINGS_KEY = "product/list/hidden_columns"


def product_column(spec) -> Column:
    """The list's Qt column for a product column spec (numbers right-aligned, prices as money)."""
    return Column(spec.name, spec.title, RIGHT if spec.numeric else LEFT,
                  format_money if spec.name.endswith("_price") else format_value, spec.visible)


def _load_lists(db) -> dict:
    """Worker thread: what the filter bar and the columns need."""
    return {"types": settings.list_types(db), "fields": settings.list_custom_fields(db),
            "categories": settings.list_categories(db)}


class ProductListWidget(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """The lists arrived and the first page was asked for."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""
    sig_exported = Signal(int)
    """An export finished. Parameters: rows written."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.model: LazyTableModel | None = None
        self.chooser: ColumnChooser | None = None
        self.column_specs = ()
        self.tree = CategoryTree(db)
        self.tree.sig_category_selected.connect(lambda _id: self.apply_filter())
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open_product(self.model.row_key(index.row())))
        self.drop_filter = accept_excel_drops(self.table, self.import_file)
        self._build()
        self.call(_load_lists, then=self._lists_loaded)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        can = self.db.can
        for text, slot, allowed in ((self.tr("New"), lambda: self.open_product(None), can("product.manage")),
                                    (self.tr("Delete"), self.delete_selected, can("product.manage")),
                                    (self.tr("Import"), lambda: self.import_file(None), can("product.import")),
                                    (self.tr("Export"), self.ask_export, can("product.export")),
                                    (self.tr("Display settings"), self.show_column_menu, True),
                                    (self.tr("Refresh"), self.refresh, True)):
            self.toolbar.addAction(text, slot).setEnabled(allowed)
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addLayout(self._filter_bar())
        layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setSizes([200, 800])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

    def _filter_bar(self) -> QGridLayout:
        grid = QGridLayout()
        self.type_filter, self.monitored_filter, self.serial_filter = QComboBox(), QComboBox(), QComboBox()
        self.name_filter, self.number_filter = QLineEdit(), QLineEdit()
        self.item_code_filter, self.model_filter = QLineEdit(), QLineEdit()
        every = self.tr("--All--")
        fill_combo(self.monitored_filter, [(self.tr("Yes"), True), (self.tr("No"), False)], every)
        fill_combo(self.serial_filter, [(zh, mode) for mode, (zh, _en) in SERIAL_NAMES.items()], every)
        fill_combo(self.type_filter, [], every)
        search = QPushButton(self.tr("Search"))
        search.clicked.connect(self.apply_filter)
        cells = ((self.tr("Type"), self.type_filter), (self.tr("Name"), self.name_filter),
                 (self.tr("Number"), self.number_filter), (self.tr("Item code"), self.item_code_filter),
                 (self.tr("Model"), self.model_filter), (self.tr("Monitored"), self.monitored_filter),
                 (self.tr("Serial tracking"), self.serial_filter))
        for i, (label, widget) in enumerate(cells):
            grid.addWidget(QLabel(label), i // 4, (i % 4) * 2)
            grid.addWidget(widget, i // 4, (i % 4) * 2 + 1)
            if isinstance(widget, QLineEdit):
                widget.returnPressed.connect(self.apply_filter)
        grid.addWidget(search, 1, 7)
        return grid

    # -- data -----------------------------------------------------------------------------------
    def _lists_loaded(self, lists: dict) -> None:
        fill_combo(self.type_filter, [(t["name"], t["id"]) for t in lists["types"]], self.tr("--All--"))
        self.column_specs = columns_with_custom_fields(lists["fields"])
        self.tree.set_categories(lists["categories"])
        self.model = LazyTableModel(WithColumns(self._source(), product_column), parent=self)
        self.model.sig_fetch_failed.connect(self.report_failure)
        self.table.setModel(self.model)
        self.chooser = ColumnChooser(self.table, COLUMNS_SETTINGS_KEY)
        self.sig_loaded.emit()

    def current_filter(self) -> ProductFilter:
        return ProductFilter(category_id=self.tree.selected_id(), type_id=self.type_filter.currentData(),
                             name=self.name_filter.text(), number=self.number_filter.text(),
                             item_code=self.item_code_filter.text(), model=self.model_filter.text(),
                             monitored=self.monitored_filter.currentData(),
                             serial_mode=self.serial_filter.currentData())

    def _source(self) -> ProductPageSource:
        return ProductPageSource(self.db, self.current_filter(), self.column_specs)

    def apply_filter(self) -> None:
        if self.model is not None:
            self.model.reset_query(WithColumns(self._source(), product_column))

    def refresh(self) -> None:
        self.tree.reload()
        self.apply_filter()

    def selected_ids(self) -> list[int]:
        selection = self.table.selectionModel()
        return self.model.keys_for_selection(selection.selection()) if selection and self.model else []

    # -- actions --------------------------------------------------------------------------------
    def open_product(self, product_id: int | None) -> ProductForm:
        form = ProductForm(self.db, product_id, self, category_id=self.tree.selected_id())
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.sig_saved.connect(lambda _p: self.apply_filter())
        form.show()
        self.last_form = form
        return form

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            confirm(self, self.tr("Delete {count} products?").format(count=len(ids)),
                    lambda: self.call(products.delete_products, ids, then=lambda _n: self.apply_filter()))

    def import_file(self, path=None):
        wizard = open_import_wizard(self, self.db, product_import.load_spec, path)
        wizard.sig_imported.connect(lambda _n: self.refresh())
        self.last_wizard = wizard
        return wizard

    def show_column_menu(self) -> None:
        if self.chooser is not None:
            self.chooser.build_menu().exec(self.mapToGlobal(self.toolbar.geometry().bottomLeft()))

    def ask_export(self) -> None:
        path = save_file_name(self, "product_export", self.tr("Export products"), "产品.xlsx", "Excel (*.xlsx)")
        if path:
            self.export(path)

    def export(self, path: str):
        hidden = self.chooser.hidden_names() if self.chooser else set()
        columns = [c.name for c in self.column_specs if c.name not in hidden]
        task = run_in_background(export_products, self._source(), path, columns)
        task.on_success(self.sig_exported.emit).on_failure(self.report_failure)
        ProgressDialog(task, self.tr("Exporting…"), self)
        return task
