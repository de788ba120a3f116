"""所在地区 in the customer base settings: the region tree (中国 → 广东省 → 广州), where a region is
added under the selected one, renamed or deleted.  The server keeps every path."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.services import customer_settings as settings
from crm_desktop.ui.common.forms import BackgroundCalls, confirm
from crm_desktop.ui.common.lazy_model import format_region

ID_ROLE = Qt.ItemDataRole.UserRole


class RegionEditor(QWidget, BackgroundCalls):
    """The region tree beside a small form: rename or delete the selected region, add one under it."""

    sig_loaded = Signal(int)
    """The regions arrived. Parameters: how many."""
    sig_saved = Signal(object)
    """A region was added or renamed. Parameters: the region (dict with its ``path``)."""
    sig_deleted = Signal(int)
    """A region was deleted. Parameters: its id."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.writable = db, db.can("customer.settings")
        self.regions: list[dict] = []
        self._select_after_load: int | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Region")])
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        self.path = QLabel()
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name, self.new_name = QLineEdit(), QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Name of the new region"))
        for edit in (self.name, self.new_name):
            edit.setReadOnly(not self.writable)
        self.rename_button = self._button(self.tr("Rename"), self.rename)
        self.delete_button = self._button(self.tr("Delete"), self.delete)
        self.add_child_button = self._button(self.tr("Add under the selected region"), lambda: self.add(True))
        self.add_top_button = self._button(self.tr("Add a top-level region"), lambda: self.add(False))
        self._lay_out()
        self.reload()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setEnabled(self.writable)
        return button

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Selected region"), self.path)
        form.addRow(self.tr("Name"), self.name)
        form.addRow("", _row(self.rename_button, self.delete_button))
        form.addRow(self.tr("New region"), self.new_name)
        form.addRow("", _row(self.add_child_button, self.add_top_button))
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(QLabel(self.tr("Regions are written as a path, e.g. 中国.广东省.广州; "
                                      "a name may not contain a full stop.")))
        side.itemAt(side.count() - 1).widget().setWordWrap(True)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(side, 1)

    def reload(self) -> None:
        self.call(settings.list_regions, then=self._show)

    def _show(self, regions: list[dict]) -> None:
        keep = self._select_after_load or self.selected_id()
        self._select_after_load = None
        self.regions = regions
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for region in sorted(regions, key=lambda r: (r["path"].count("."), r["sort_order"], r["path"])):
            holder = items.get(region["parent_id"]) or self.tree
            item = QTreeWidgetItem(holder, [region["name"]])
            item.setData(0, ID_ROLE, region["id"])
            item.setToolTip(0, format_region(region["path"]))
            items[region["id"]] = item
        self.tree.expandToDepth(1)
        self.tree.blockSignals(False)
        self.select_id(keep)
        self._show_selected()
        self.sig_loaded.emit(len(regions))

    def selected_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def selected(self) -> dict | None:
        wanted = self.selected_id()
        return next((r for r in self.regions if r["id"] == wanted), None)

    def select_path(self, path: str) -> bool:
        region = next((r for r in self.regions if r["path"] == path), None)
        return region is not None and self.select_id(region["id"])

    def select_id(self, region_id: int | None) -> bool:
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item.data(0, ID_ROLE) == region_id:
                self.tree.setCurrentItem(item)
                return True
            stack.extend(item.child(i) for i in range(item.childCount()))
        return False

    def _show_selected(self) -> None:
        region = self.selected()
        self.path.setText(format_region(region["path"]) if region else self.tr("(none)"))
        self.name.setText(region["name"] if region else "")

    def add(self, under_selected: bool) -> None:
        parent_id = self.selected_id() if under_selected else None
        if under_selected and parent_id is None:
            return
        self.call(settings.save_region, None, {"name": self.new_name.text().strip(), "parent_id": parent_id},
                  then=self._saved)

    def rename(self) -> None:
        region = self.selected()
        if region is not None:
            self.call(settings.save_region, region, {"name": self.name.text().strip()}, then=self._saved)

    def _saved(self, region: dict) -> None:
        self.new_name.clear()
        self._select_after_load = region["id"]
        self.sig_saved.emit(region)
        self.reload()

    def delete(self) -> None:
        region = self.selected()
        if region is not None:
            confirm(self, self.tr("Delete the region {path}?").format(path=region["path"]),
                    lambda: self.call(settings.delete_region, region["id"], then=lambda _r: self._deleted(region)))

    def _deleted(self, region: dict) -> None:
        self._select_after_load = region["parent_id"]
        self.sig_deleted.emit(region["id"])
        self.reload()


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
