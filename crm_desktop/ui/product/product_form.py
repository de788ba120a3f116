"""产品信息 (figure 15): basic information, prices, cycles, custom fields and the picture."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QSpinBox,
                               QVBoxLayout, QWidget)

from crm_desktop.messages import UserError
from crm_desktop.services import numbering
from crm_desktop.services import product as products
from crm_desktop.services import product_settings as settings
from crm_desktop.ui.common.file_dialogs import open_file_name
from crm_desktop.ui.common.forms import BackgroundCalls, FormButtons, fill_combo, required, select_data
from crm_desktop.ui.product.form_fields import DecimalEdit, custom_field_editor

SERIAL_MODES = (("none", "Off"), ("always", "Always"), ("outbound", "Outbound only (not on inbound)"))


def load_form_data(db, product_id: int | None) -> dict[str, Any]:
    """Worker thread: every list the form offers, and the product with its picture."""
    data = {"categories": settings.list_categories(db), "types": settings.list_types(db),
            "units": settings.list_units(db), "fields": settings.list_custom_fields(db),
            "product": None, "picture": None, "manual_number": numbering.allows_manual(db, "product")}
    if product_id is not None:
        data["product"] = products.get_product(db, product_id)
        data["picture"] = products.get_picture(db, product_id)
    return data


def _choice_group(parent: QWidget, options: list[tuple[str, str]]) -> tuple[QButtonGroup, QWidget]:
    box, group = QWidget(parent), QButtonGroup(parent)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, (_value, text) in enumerate(options):
        button = QRadioButton(text)
        group.addButton(button, index)
        layout.addWidget(button)
    layout.addStretch(1)
    group.button(0).setChecked(True)
    return group, box


class ProductForm(QDialog, BackgroundCalls):
    sig_saved = Signal(object)
    """The product was saved. Parameters: the product as stored (dict)."""
    sig_loaded = Signal()
    """The lists and the product arrived; the form is ready."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, product_id: int | None = None, parent: QWidget | None = None,
                 category_id: int | None = None):
        super().__init__(parent)
        self.db, self.product_id, self._default_category = db, product_id, category_id
        self.original: dict | None = None
        self.fields: list[dict] = []
        self.custom_editors: dict[int, QWidget] = {}
        self.picture: bytes | None = None  # what is shown
        self.picture_change: bytes | None = None  # None: unchanged, b"": removed
        self.setWindowTitle(self.tr("Product"))
        self._build()
        self.buttons.set_allowed(db.can("product.manage"))
        self.call(load_form_data, product_id, then=self._fill)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        for group in (self._basic(), self._prices(), self._cycles()):
            layout.addWidget(group)
        self.custom_group = QGroupBox(self.tr("Custom fields"))
        self.custom_layout = QGridLayout(self.custom_group)
        layout.addWidget(self.custom_group)
        layout.addWidget(self._picture_box())
        layout.addStretch(1)
        self.buttons = FormButtons(self, on_save=self.save)
        layout.addWidget(self.buttons)

    def _basic(self) -> QGroupBox:
        box = QGroupBox(self.tr("Basic information"))
        grid = QGridLayout(box)
        self.category, self.type, self.unit = QComboBox(), QComboBox(), QComboBox()
        self.name, self.number, self.model, self.item_code = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.monitored_group, monitored = _choice_group(box, [("1", self.tr("Yes")), ("0", self.tr("No"))])
        self.monitored_group.button(1).setChecked(True)
        self.serial_group, serial = _choice_group(box, [(v, self.tr(t)) for v, t in SERIAL_MODES])
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(48)
        self.category.currentIndexChanged.connect(lambda _i: self._preview_number())
        rows = [(required(self.tr("Category")), self.category, QLabel(self.tr("Type")), self.type),
                (required(self.tr("Name")), self.name, required(self.tr("Number")), self.number),
                (QLabel(self.tr("Model")), self.model, QLabel(self.tr("Item code")), self.item_code),
                (required(self.tr("Base unit")), self.unit, QLabel(self.tr("Monitored")), monitored)]
        for r, widgets in enumerate(rows):
            for c, widget in enumerate(widgets):
                grid.addWidget(widget, r, c)
        grid.addWidget(QLabel(self.tr("Serial tracking")), 4, 0)
        grid.addWidget(serial, 4, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Notes")), 5, 0)
        grid.addWidget(self.notes, 5, 1, 1, 3)
        return box

    def _prices(self) -> QGroupBox:
        box = QGroupBox(self.tr("Prices"))
        grid = QGridLayout(box)
        self.sale_price, self.purchase_price = DecimalEdit(), DecimalEdit()
        for c, widget in enumerate((QLabel(self.tr("List sale price")), self.sale_price,
                                    QLabel(self.tr("List purchase price")), self.purchase_price)):
            grid.addWidget(widget, 0, c)
        return box

    def _cycles(self) -> QGroupBox:
        box = QGroupBox(self.tr("Additional"))
        form = QFormLayout(box)
        sale = [("sale", self.tr("By sale date")), ("outbound", self.tr("By outbound date"))]
        stock = [("inbound", self.tr("By inbound date")), ("production", self.tr("By production date"))]
        self.cycles: dict[str, tuple[QButtonGroup, list, QSpinBox]] = {}
        for key, label, options in (("service", self.tr("Service interval"), sale),
                                    ("maintenance", self.tr("Maintenance interval"), stock),
                                    ("scrap", self.tr("Scrap period"), stock)):
            group, choices = _choice_group(box, options)
            days = QSpinBox(maximum=36500, suffix=self.tr(" days"), specialValueText=self.tr("none"))
            days.setObjectName(f"{key}_days")
            choices.layout().insertWidget(2, days)
            self.cycles[key] = (group, [v for v, _t in options], days)
            form.addRow(label, choices)
        return box

    def _picture_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Picture"))
        row = QHBoxLayout(box)
        self.picture_label = QLabel(self.tr("No picture"))
        self.picture_label.setFixedSize(200, 150)
        self.picture_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture_label.setStyleSheet("border: 1px solid #bbb; background: #fafafa")
        choose, remove = QPushButton(self.tr("Choose picture…")), QPushButton(self.tr("Remove picture"))
        choose.clicked.connect(self.choose_picture)
        remove.clicked.connect(lambda: self.set_picture(b""))
        buttons = QVBoxLayout()
        buttons.addWidget(choose)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        row.addWidget(self.picture_label, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(buttons)
        row.addStretch(1)
        return box

    # -- filling --------------------------------------------------------------------------------
    def _fill(self, data: dict[str, Any]) -> None:
        fill_combo(self.category, [(c["path"], c["id"]) for c in sorted(data["categories"], key=lambda c: c["path"])],
                   self.tr("--Choose--"))
        fill_combo(self.type, [(t["name"], t["id"]) for t in data["types"]], self.tr("--Choose--"))
        fill_combo(self.unit, [(u["name"], u["id"]) for u in data["units"]], self.tr("--Choose--"))
        self._build_custom_fields(data["fields"])
        # a rule without manual numbers: the number is the server's, on creation and ever after
        self.number.setReadOnly(not data["manual_number"])
        product = data["product"]
        if product is None:
            select_data(self.category, self._default_category)
        else:
            self.show_product(product, data["picture"])
        self._preview_number()
        self.buttons.habits.watch_fields()  # the custom fields arrived with the data
        if not self.buttons.allowed:
            self.buttons.habits.make_read_only()
        self.sig_loaded.emit()

    def _build_custom_fields(self, fields: list[dict]) -> None:
        self.fields = fields
        for index, field in enumerate(fields):
            editor = custom_field_editor(field, self.custom_group)
            label = required(field["name"]) if field["required"] else QLabel(field["name"])
            self.custom_layout.addWidget(label, index // 2, (index % 2) * 2)
            self.custom_layout.addWidget(editor, index // 2, (index % 2) * 2 + 1)
            self.custom_editors[field["id"]] = editor
        self.custom_group.setVisible(bool(fields))

    def show_product(self, product: dict, picture: bytes | None) -> None:
        self.original, self.product_id = product, product["id"]
        select_data(self.category, product["category_id"])
        select_data(self.type, product["type_id"])
        select_data(self.unit, product["base_unit_id"])
        for widget, key in ((self.name, "name"), (self.number, "number"), (self.model, "model"),
                            (self.item_code, "item_code")):
            widget.setText(product[key])
        self.notes.setPlainText(product["notes"])
        self.monitored_group.button(0 if product["monitored"] else 1).setChecked(True)
        self.serial_group.button([v for v, _t in SERIAL_MODES].index(product["serial_mode"])).setChecked(True)
        self.sale_price.set_value(product["sale_price"])
        self.purchase_price.set_value(product["purchase_price"])
        for key, (group, values, days) in self.cycles.items():
            group.button(values.index(product[f"{key}_basis"])).setChecked(True)
            days.setValue(product[f"{key}_days"] or 0)
        for field_id, value in products.decode_custom_values(self.fields, product["custom_fields"]).items():
            self.custom_editors[field_id].set_value(value)
        self.picture_change = None
        self._show_picture(picture)
        self.setWindowTitle(self.tr("Product {number}").format(number=product["number"]))

    def _preview_number(self) -> None:
        category_id = self.category.currentData()
        if self.original is not None or category_id is None:
            return
        placeholder = (self.tr("{number} (left empty: numbered automatically)") if not self.number.isReadOnly()
                       else self.tr("{number} (numbered automatically on saving)"))
        self.call(products.preview_number, category_id,
                  then=lambda number: self.number.setPlaceholderText(placeholder.format(number=number)))

    # -- picture --------------------------------------------------------------------------------
    def choose_picture(self) -> None:
        path = open_file_name(self, "product_picture", self.tr("Choose picture"),
                              self.tr("Pictures (*.png *.jpg *.jpeg *.gif *.bmp)"))
        if path:
            self.load_picture_file(path)

    def load_picture_file(self, path: str | Path) -> bool:
        try:
            content = Path(path).read_bytes()
        except OSError:
            self.report_user_error("product_picture_unreadable")
            return False
        return self.set_picture(content)

    def set_picture(self, content: bytes) -> bool:
        """Show ``content`` (b"": none) and save it with the product; refused unless an image."""
        if content:
            if len(content) > products.MAX_PICTURE_BYTES:
                self.report_user_error("product_picture_too_large")
                return False
            if QPixmap().loadFromData(content) is False:
                self.report_user_error("product_picture_unreadable")
                return False
        self.picture_change = content
        self._show_picture(content)
        return True

    def _show_picture(self, content: bytes | None) -> None:
        self.picture = content or None
        pixmap = QPixmap()
        if content and pixmap.loadFromData(content):
            self.picture_label.setPixmap(pixmap.scaled(self.picture_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                       Qt.TransformationMode.SmoothTransformation))
        else:
            self.picture_label.clear()
            self.picture_label.setText(self.tr("No picture"))

    # -- saving ---------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """What the form holds, as save_product takes it; raises UserError for what is missing."""
        custom = {field_id: editor.value() for field_id, editor in self.custom_editors.items()}
        values = {"category_id": self.category.currentData(), "type_id": self.type.currentData(),
                  "name": self.name.text().strip(), "number": self.number.text().strip(),
                  "model": self.model.text().strip(), "item_code": self.item_code.text().strip(),
                  "base_unit_id": self.unit.currentData(), "monitored": self.monitored_group.checkedId() == 0,
                  "serial_mode": SERIAL_MODES[self.serial_group.checkedId()][0],
                  "notes": self.notes.toPlainText().strip(),
                  "sale_price": self.sale_price.value() or Decimal("0.00"),
                  "purchase_price": self.purchase_price.value() or Decimal("0.00"),
                  "custom_fields": products.encode_custom_values(self.fields, custom)}
        for key, (group, basis, days) in self.cycles.items():
            values[f"{key}_basis"] = basis[group.checkedId()]
            values[f"{key}_days"] = days.value() or None
        if not values["name"]:
            raise UserError("product_name_required")
        if values["category_id"] is None:
            raise UserError("product_category_required")
        if values["base_unit_id"] is None:
            raise UserError("product_unit_required")
        return values

    def save(self, close: bool = False) -> None:
        try:
            values = self.values()
        except UserError as error:
            self.report_failure(error)
            return
        self.buttons.set_writable(False)
        task = self.call(products.save_product, values, self.original, self.picture_change,
                         then=lambda saved: self._saved(saved, close))
        task.on_finished(lambda: self.buttons.set_writable(self.db.can("product.manage")))

    def _saved(self, product: dict, close: bool) -> None:
        self.show_product(product, self.picture)
        self.sig_saved.emit(product)
        if close:
            self.accept()
