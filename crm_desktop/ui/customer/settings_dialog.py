"""客户档案基础信息设置 (figure 9): the lists a customer form offers (客户类型, 客户类别, 客户来源,
行业), the region tree, the customer-number rule and the 撞单 switch — one tab each.

Everyone may look; changing needs customer.settings.  Without it the inputs are read-only, and
PostgreSQL refuses the writes anyway.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFormLayout, QHeaderView, QLabel, QLineEdit, QSpinBox,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from crm_desktop.services import customer_settings as settings
from crm_desktop.ui.common.forms import BackgroundCalls, button_row, confirm, required
from crm_desktop.ui.common.numbering_rule import NumberingRuleEditor
from crm_desktop.ui.customer.duplicate_setting import DuplicateCheckSetting
from crm_desktop.ui.customer.region_editor import RegionEditor

ORDER_STEP = 10  # gaps, so that one entry can later be put between two others by hand


def _renumber(db, kind: str, rows: list[dict]) -> None:
    """Give ``rows`` the order they are listed in (only the entries whose place changed are saved)."""
    for place, row in enumerate(rows, start=1):
        if row["sort_order"] != place * ORDER_STEP:
            settings.save_choice(db, kind, row, {"sort_order": place * ORDER_STEP})


class ChoiceListEditor(QWidget, BackgroundCalls):
    """One list of choices (``kind`` of services.customer_settings.LISTS): name, order and notes.

    Built beside product's NameListEditor rather than on it: that one knows only names and the
    product.settings permission, and its services take (values, original) in the other order.
    """

    sig_loaded = Signal(int)
    """The entries arrived. Parameters: how many."""
    sig_changed = Signal()
    """Entries were added, changed, moved or deleted."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.kind, self.writable = db, kind, db.can("customer.settings")
        self.rows: list[dict] = []
        self._select_after_load: int | None = None
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Order"), self.tr("Notes")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 180)
        header.setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda r, *_: self._edit(r))
        self.name, self.notes, self.sort_order = QLineEdit(), QLineEdit(), QSpinBox(maximum=99999)
        for edit in (self.name, self.notes, self.sort_order):
            edit.setReadOnly(not self.writable)
        form = QFormLayout()
        form.addRow(required(self.tr("Name")), self.name)
        form.addRow(self.tr("Order"), self.sort_order)
        form.addRow(self.tr("Notes"), self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(button_row(self, (self.tr("Add"), lambda: self.save(None)),
                                     (self.tr("Save changes"), lambda: self.save(self.current())),
                                     (self.tr("Move up"), lambda: self.move(-1)),
                                     (self.tr("Move down"), lambda: self.move(1)),
                                     (self.tr("Delete"), self.delete)))
        self.reload()

    def reload(self) -> None:
        self.call(settings.list_choices, self.kind, then=self._show)

    def _show(self, rows: list[dict]) -> None:
        keep = self._select_after_load or (self.current() or {}).get("id")
        self._select_after_load = None
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row["name"], str(row["sort_order"]), row["notes"])):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.blockSignals(False)
        if not self.select_id(keep):
            self.table.setCurrentCell(-1, -1)
            self._edit(-1)
        self.sig_loaded.emit(len(rows))

    def names(self) -> list[str]:
        return [row["name"] for row in self.rows]

    def current(self) -> dict | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def select_id(self, choice_id: int | None) -> bool:
        r = next((i for i, row in enumerate(self.rows) if row["id"] == choice_id), -1)
        if r >= 0:
            self.table.setCurrentCell(r, 0)
            self._edit(r)
        return r >= 0

    def select_name(self, name: str) -> bool:
        return self.select_id(next((row["id"] for row in self.rows if row["name"] == name), None))

    def _edit(self, r: int) -> None:
        row = self.rows[r] if 0 <= r < len(self.rows) else None
        self.name.setText(row["name"] if row else "")
        self.notes.setText(row["notes"] if row else "")
        self.sort_order.setValue(row["sort_order"] if row else (len(self.rows) + 1) * ORDER_STEP)

    def save(self, original: dict | None) -> None:
        """Add a new entry at the end (``original`` None) or change ``original`` to what the form shows."""
        values = {"name": self.name.text(), "sort_order": self.sort_order.value(), "notes": self.notes.text()}
        if original is None:
            values["sort_order"] = max((row["sort_order"] for row in self.rows), default=0) + ORDER_STEP
        self.call(settings.save_choice, self.kind, original, values, then=self._saved)

    def _saved(self, row: dict) -> None:
        self._select_after_load = row["id"]
        self.reload()
        self.sig_changed.emit()

    def move(self, step: int) -> None:
        r = self.table.currentRow()
        if not (0 <= r < len(self.rows) and 0 <= r + step < len(self.rows)):
            return
        rows = list(self.rows)
        rows[r], rows[r + step] = rows[r + step], rows[r]
        self._select_after_load = rows[r + step]["id"]
        self.call(_renumber, self.kind, rows, then=lambda _r: (self.reload(), self.sig_changed.emit()))

    def delete(self) -> None:
        row = self.current()
        if row is not None:
            confirm(self, self.tr("Delete “{name}”?").format(name=row["name"]),
                    lambda: self.call(settings.delete_choice, self.kind, row["id"],
                                      then=lambda _r: (self.reload(), self.sig_changed.emit())))


class CustomerSettingsDialog(QDialog):
    """One window with a tab per kind of customer base setting."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Customer base settings"))
        self.types = ChoiceListEditor(db, "type")
        self.categories = ChoiceListEditor(db, "category")
        self.sources = ChoiceListEditor(db, "source")
        self.industries = ChoiceListEditor(db, "industry")
        self.regions = RegionEditor(db)
        self.rule = NumberingRuleEditor(
            db, "customer", "customer.settings", with_date=True, next_label=self.tr("Next customer number"),
            intro=self.tr("A customer number is the prefix, the date part and a sequence that starts again in "
                          "each period, e.g. KH2026110001. New customers get it when they are saved."))
        self.duplicates = DuplicateCheckSetting(db)
        self.tabs = QTabWidget()
        for widget, title in ((self.types, self.tr("Customer types")),
                              (self.categories, self.tr("Customer categories")),
                              (self.sources, self.tr("Customer sources")), (self.industries, self.tr("Industries")),
                              (self.regions, self.tr("Regions")), (self.rule, self.tr("Customer number rule")),
                              (self.duplicates, self.tr("Duplicate check"))):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        if not db.can("customer.settings"):
            note = QLabel(self.tr("You may look at these settings; changing them needs the permission "
                                  "“customer base settings”."))
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.tabs)
        self.resize(760, 500)
