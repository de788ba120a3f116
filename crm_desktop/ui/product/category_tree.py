"""The product category tree (unlimited depth), beside the product list and in the base settings."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from crm_desktop.services import product_settings as settings
from crm_desktop.ui.common.tasks import run_in_background

ID_ROLE = Qt.ItemDataRole.UserRole


class CategoryTree(QTreeWidget):
    """Categories by parent; an "all categories" root first when ``with_all`` (the list's filter)."""

    sig_category_selected = Signal(object)
    """The current category changed. Parameters: category id, or None for all categories."""
    sig_loaded = Signal(int)
    """The categories arrived. Parameters: how many."""
    sig_failed = Signal(object)
    """Loading failed. Parameters: the exception."""

    def __init__(self, db, with_all: bool = True, show_codes: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.with_all, self.show_codes = db, with_all, show_codes
        self.categories: list[dict] = []
        self.setHeaderLabels([self.tr("Category"), self.tr("Code")] if show_codes else [self.tr("Category")])
        self.setHeaderHidden(not show_codes)
        if show_codes:  # the name column follows its deepest expanded name (third levels read "笔…")
            self.header().setStretchLastSection(True)
            self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.currentItemChanged.connect(lambda item, _old: self.sig_category_selected.emit(self.id_of(item)))

    def reload(self) -> None:
        (run_in_background(settings.list_categories, self.db)
         .on_success(self.set_categories).on_failure(self.sig_failed.emit))

    def set_categories(self, categories: list[dict]) -> None:
        """Rebuild from a ``list_categories`` result (parents first), keeping the selection."""
        keep = self.selected_id()
        self.blockSignals(True)
        self.clear()
        self.categories = categories
        parent_of = {}
        if self.with_all:
            root = QTreeWidgetItem(self, [self.tr("All categories")])
            root.setData(0, ID_ROLE, None)
            parent_of[None] = root
        for category in sorted(categories, key=lambda c: (c["path"].count("/"), c["sort_order"], c["path"])):
            holder = parent_of.get(category["parent_id"]) or parent_of.get(None) or self
            item = QTreeWidgetItem(holder, [category["name"], category["code"]] if self.show_codes
                                   else [category["name"]])
            item.setData(0, ID_ROLE, category["id"])
            item.setToolTip(0, f"{category['path']}（{category['code']}）")
            parent_of[category["id"]] = item
        self.expandAll() if self.show_codes else self.expandToDepth(1)
        self.blockSignals(False)
        self.select_id(keep)
        self.sig_loaded.emit(len(categories))

    @staticmethod
    def id_of(item: QTreeWidgetItem | None) -> int | None:
        return item.data(0, ID_ROLE) if item is not None else None

    def selected_id(self) -> int | None:
        return self.id_of(self.currentItem())

    def selected(self) -> dict | None:
        wanted = self.selected_id()
        return next((c for c in self.categories if c["id"] == wanted), None)

    def select_id(self, category_id: int | None) -> bool:
        for item in self._items():
            if self.id_of(item) == category_id:
                self.setCurrentItem(item)
                return True
        return False

    def _items(self):
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))
