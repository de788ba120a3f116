"""The smaller editors of 产品基础信息: names lists (product types, units), unit conversions,
custom fields and the product-number rule."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.services import product_settings as settings
from crm_desktop.ui.common.forms import BackgroundCalls, button_row, fill_combo
from crm_desktop.ui.common.lazy_model import format_quantity
from crm_desktop.ui.product.form_fields import DecimalEdit

KIND_NAMES = (("text", "Text"), ("number", "Number"), ("date", "Date"), ("choice", "Choice"))


class NameListEditor(QWidget, BackgroundCalls):
    """A list of named rows (product types, units): add, rename, delete."""

    sig_changed = Signal()
    """Rows were added, renamed or deleted."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, list_fn, save_fn, delete_fn, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self._list, self._save, self._delete = db, list_fn, save_fn, delete_fn
        self.writable = db.can("product.settings")
        self.rows: list[dict] = []
        self.list = QListWidget()
        self.list.currentRowChanged.connect(lambda r: self.name.setText(self.rows[r]["name"] if r >= 0 else ""))
        self.name = QLineEdit()
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.name)
        layout.addLayout(button_row(self, (self.tr("Add"), lambda: self.save(None)),
                                     (self.tr("Rename"), lambda: self.save(self.current())),
                                     (self.tr("Delete"), self.delete)))
        self.reload()

    def reload(self) -> None:
        self.call(self._list, then=self._show)

    def _show(self, rows: list[dict]) -> None:
        self.rows = rows
        self.list.clear()
        for row in rows:
            QListWidgetItem(row["name"], self.list)

    def current(self) -> dict | None:
        r = self.list.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def save(self, original: dict | None) -> None:
        values = {"name": self.name.text()}
        if original is not None:
            values = {**{k: original[k] for k in ("sort_order",) if k in original}, **values}
        self.call(self._save, values, original, then=lambda _r: (self.reload(), self.sig_changed.emit()))

    def delete(self) -> None:
        row = self.current()
        if row is not None:
            self.call(self._delete, row["id"], then=lambda _r: (self.reload(), self.sig_changed.emit()))


class ConversionEditor(QWidget, BackgroundCalls):
    """单位换算: 1 [unit] = [factor] [unit], office-wide."""

    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.writable = db, db.can("product.settings")
        self.units: dict[int, str] = {}
        self.rows: list[dict] = []
        self.table = QTableWidget(0, 1)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().hide()
        self.source, self.target, self.factor = QComboBox(), QComboBox(), DecimalEdit(places=6)
        line = QHBoxLayout()
        for widget in (QLabel("1"), self.source, QLabel("="), self.factor, self.target):
            line.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(line)
        layout.addLayout(button_row(self, (self.tr("Add conversion"), self.add),
                                     (self.tr("Delete conversion"), self.delete)))
        self.reload()

    def reload(self) -> None:
        self.call(lambda db: (settings.list_units(db), settings.list_conversions(db)), then=self._show)

    def _show(self, data) -> None:
        units, self.rows = data
        self.units = {u["id"]: u["name"] for u in units}
        for combo in (self.source, self.target):
            fill_combo(combo, [(u["name"], u["id"]) for u in units], keep=combo.currentData())
        self.table.setRowCount(len(self.rows))
        for r, c in enumerate(self.rows):
            text = f"1 {self.units[c['from_unit_id']]} = {format_quantity(c['factor'])} {self.units[c['to_unit_id']]}"
            self.table.setItem(r, 0, QTableWidgetItem(text))

    def add(self) -> None:
        values = {"from_unit_id": self.source.currentData(), "to_unit_id": self.target.currentData(),
                  "factor": self.factor.value()}
        self.call(settings.save_conversion, values, then=lambda _r: self.reload())

    def delete(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            self.call(settings.delete_conversion, self.rows[r]["id"], then=lambda _r: self.reload())
