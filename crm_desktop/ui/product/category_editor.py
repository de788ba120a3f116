"""产品类别 in the base settings: the tree with each category's code (the segment of product numbers)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from crm_desktop.services import product_settings as settings
from crm_desktop.ui.common.forms import BackgroundCalls, confirm, fill_combo, required, select_data
from crm_desktop.ui.product.category_tree import CategoryTree


class CategoryEditor(QWidget, BackgroundCalls):
    sig_saved = Signal(object)
    """A category was added or changed. Parameters: the category (dict)."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.editing: dict | None = None  # None: the form adds a new category
        self.tree = CategoryTree(db, with_all=False, show_codes=True)
        self.tree.sig_category_selected.connect(lambda _id: self.edit(self.tree.selected()))
        self.tree.sig_loaded.connect(lambda _n: self._fill_parents())
        self.name, self.code, self.parent_combo = QLineEdit(), QLineEdit(), QComboBox()
        self.code.setMaxLength(10)
        self.sort_order = QSpinBox(maximum=9999)
        form = QFormLayout()
        form.addRow(required(self.tr("Name")), self.name)
        form.addRow(required(self.tr("Code")), self.code)
        form.addRow(self.tr("Parent category"), self.parent_combo)
        form.addRow(self.tr("Order"), self.sort_order)
        buttons = QHBoxLayout()
        writable = db.can("product.settings")
        for text, slot in ((self.tr("New top category"), lambda: self.new(None)),
                           (self.tr("New sub-category"), lambda: self.new(self.tree.selected_id())),
                           (self.tr("Save"), self.save), (self.tr("Delete"), self.delete)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(writable)
            buttons.addWidget(button)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(side, 1)
        self.tree.reload()

    def _fill_parents(self) -> None:
        items = [(c["path"], c["id"]) for c in sorted(self.tree.categories, key=lambda c: c["path"])]
        fill_combo(self.parent_combo, items, self.tr("(top level)"), keep=self.parent_combo.currentData())

    def edit(self, category: dict | None) -> None:
        self.editing = category
        if category is not None:
            self.name.setText(category["name"])
            self.code.setText(category["code"])
            select_data(self.parent_combo, category["parent_id"])
            self.sort_order.setValue(category["sort_order"])

    def new(self, parent_id: int | None) -> None:
        self.editing = None
        self.name.clear()
        self.code.clear()
        self.sort_order.setValue(0)
        select_data(self.parent_combo, parent_id)
        self.name.setFocus()

    def save(self) -> None:
        values = {"name": self.name.text(), "code": self.code.text(),
                  "parent_id": self.parent_combo.currentData(), "sort_order": self.sort_order.value()}
        self.call(settings.save_category, values, self.editing, then=self._saved)

    def _saved(self, category: dict) -> None:
        self.editing = category
        self.sig_saved.emit(category)
        self.tree.reload()
        self.tree.sig_loaded.connect(self._select_saved)

    def _select_saved(self, _count: int) -> None:
        self.tree.sig_loaded.disconnect(self._select_saved)
        if self.editing is not None:
            self.tree.select_id(self.editing["id"])

    def delete(self) -> None:
        category = self.tree.selected()
        if category is not None:
            confirm(self, self.tr("Delete the category {name}?").format(name=category["path"]),
                    lambda: self.call(settings.delete_category, category["id"], then=lambda _r: self.tree.reload()))
