"""Input widgets of the product form that keep values exact: money as Decimal text (never a
float spin box), and custom fields rendered by their kind (text, number, date, choice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QWidget

_EMPTY_DATE = QDate(1900, 1, 1)  # shown as blank: a QDateEdit cannot be empty


class DecimalEdit(QLineEdit):
    """A number typed as text and read as Decimal: 12 integer digits, ``places`` decimals."""

    def __init__(self, places: int = 2, signed: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        sign = "-?" if signed else ""
        self.setValidator(QRegularExpressionValidator(QRegularExpression(rf"^{sign}\d{{0,15}}(\.\d{{0,{places}}})?$")))
        self.places = places

    def value(self) -> Decimal | None:
        text = self.text().strip()
        if not text or text in ("-", "."):
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            return None

    def set_value(self, value: Decimal | None) -> None:
        self.setText("" if value is None else format(value, "f"))


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty (its minimum, shown blank)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_EMPTY_DATE)
        self.setSpecialValueText(" ")
        self.setDate(_EMPTY_DATE)

    def value(self) -> date | None:
        return None if self.date() == _EMPTY_DATE else self.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value) if value else _EMPTY_DATE)


class ChoiceEdit(QComboBox):
    def __init__(self, choices: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.addItem("", None)
        for choice in choices:
            self.addItem(choice, choice)

    def value(self) -> str | None:
        return self.currentData()

    def set_value(self, value: str | None) -> None:
        self.setCurrentIndex(max(self.findData(value), 0) if value else 0)


class TextEdit(QLineEdit):
    def value(self) -> str | None:
        return self.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.setText(value or "")


def custom_field_editor(field: dict, parent: QWidget | None = None) -> QWidget:
    """The editor for one custom field; every editor has ``value()`` and ``set_value()``."""
    if field["kind"] == "number":
        editor = DecimalEdit(places=6, signed=True, parent=parent)
    elif field["kind"] == "date":
        editor = OptionalDateEdit(parent)
    elif field["kind"] == "choice":
        editor = ChoiceEdit(list(field["choices"]), parent)
    else:
        editor = TextEdit(parent)
    editor.setObjectName(f"custom_{field['id']}")
    return editor
