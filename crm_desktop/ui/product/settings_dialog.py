"""产品基础信息设置 (figure 14): categories, the product-number rule, product types, units and
conversions, custom fields — one tab each."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLineEdit, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from crm_desktop.services import product_settings as settings
from crm_desktop.ui.common.forms import BackgroundCalls, button_row, fill_combo, required, select_data
from crm_desktop.ui.common.numbering_rule import NumberingRuleEditor
from crm_desktop.ui.product.category_editor import CategoryEditor
from crm_desktop.ui.product.settings_editors import KIND_NAMES, ConversionEditor, NameListEditor


class CustomFieldEditor(QWidget, BackgroundCalls):
    """自定义字段: name, kind (text, number, date, choice), choices, required."""

    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.writable = db, db.can("product.settings")
        self.rows: list[dict] = []
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Kind"), self.tr("Choices"), self.tr("Required")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda r, *_: self._edit(r))
        self.name, self.kind, self.choices = QLineEdit(), QComboBox(), QLineEdit()
        self.choices.setPlaceholderText(self.tr("For choice fields: the choices, separated by 、 or ,"))
        fill_combo(self.kind, [(self.tr(text), kind) for kind, text in KIND_NAMES])
        self.required = QCheckBox(self.tr("Required"))
        form = QFormLayout()
        form.addRow(required(self.tr("Name")), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Choices"), self.choices)
        form.addRow("", self.required)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(button_row(self, (self.tr("Add"), lambda: self.save(None)),
                                     (self.tr("Save"), lambda: self.save(self.current())),
                                     (self.tr("Delete"), self.delete)))
        self.reload()

    def reload(self) -> None:
        self.call(settings.list_custom_fields, then=self._show)

    def _show(self, rows: list[dict]) -> None:
        self.rows = rows
        kinds = {kind: self.tr(text) for kind, text in KIND_NAMES}
        self.table.setRowCount(len(rows))
        for r, f in enumerate(rows):
            cells = (f["name"], kinds[f["kind"]], "、".join(f["choices"]), self.tr("Yes") if f["required"] else "")
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def current(self) -> dict | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _edit(self, r: int) -> None:
        if 0 <= r < len(self.rows):
            f = self.rows[r]
            self.name.setText(f["name"])
            select_data(self.kind, f["kind"])
            self.choices.setText("、".join(f["choices"]))
            self.required.setChecked(f["required"])

    def save(self, original: dict | None) -> None:
        choices = self.choices.text().replace(",", "、").replace("，", "、").split("、")
        values = {"name": self.name.text(), "kind": self.kind.currentData(), "choices": choices,
                  "required": self.required.isChecked()}
        self.call(settings.save_custom_field, values, original, then=lambda _r: self.reload())

    def delete(self) -> None:
        row = self.current()
        if row is not None:
            self.call(settings.delete_custom_field, row["id"], then=lambda _r: self.reload())


class ProductSettingsDialog(QDialog):
    """One window with a tab per kind of base setting."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Product base settings"))
        self.tabs = QTabWidget()
        self.categories = CategoryEditor(db)
        self.rule = NumberingRuleEditor(
            db, "product", "product.settings", segment="SVSHF", sequence=81,
            intro=self.tr("A product number is prefix, the category's code and a sequence counted per category, "
                          "e.g. FH-SVSHF-081."))
        self.types = NameListEditor(db, settings.list_types, settings.save_type, settings.delete_type)
        units = QWidget()
        self.units = NameListEditor(db, settings.list_units, settings.save_unit, settings.delete_unit)
        self.conversions = ConversionEditor(db)
        self.units.sig_changed.connect(self.conversions.reload)
        row = QHBoxLayout(units)
        row.addWidget(self.units, 1)
        row.addWidget(self.conversions, 2)
        self.fields = CustomFieldEditor(db)
        for widget, title in ((self.categories, self.tr("Product categories")), (self.rule, self.tr("Product number")),
                              (self.types, self.tr("Product types")), (units, self.tr("Units and conversions")),
                              (self.fields, self.tr("Custom fields"))):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(820, 520)
