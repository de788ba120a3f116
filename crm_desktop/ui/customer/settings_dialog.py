"""客户档案基础信息设置 (figure 9): the lists a customer form offers (客户类型, 客户类别, 客户来源,
行业), the region tree and the customer-number rule — one tab each.

Everyone may look; changing needs customer.settings.  Without it the inputs are read-only, and
PostgreSQL refuses the writes anyway.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFormLayout, QHeaderView, QLabel, QLineEdit,
                               QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from crm_desktop.services import customer_settings as settings
from crm_desktop.services import numbering
from crm_desktop.ui.common.forms import BackgroundCalls, button_row, confirm, fill_combo, required, select_data
from crm_desktop.ui.customer.region_editor import RegionEditor

RULE = "customer"
ORDER_STEP = 10  # gaps, so that one entry can later be put between two others by hand
PYTHON_DATE_FORMATS = {"": "", "YYYY": "%Y", "YYYYMM": "%Y%m", "YYYYMMDD": "%Y%m%d"}  # the rule's → strftime


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


def _load_rule(db) -> tuple[dict, str]:
    rule = next(r for r in numbering.list_rules(db) if r["code"] == RULE)
    return rule, numbering.preview(db, RULE)


class CustomerNumberRuleEditor(QWidget, BackgroundCalls):
    """客户编号规则: prefix, separator, date part and sequence digits of numbering rule 'customer'.

    The product dialog's NumberingRuleEditor is tied to rule 'product' (no date part, the category
    code in the middle), so this is its sibling for the customer rule."""

    sig_loaded = Signal(str)
    """The rule arrived. Parameters: the number the next customer would get."""
    sig_saved = Signal(str)
    """The rule was saved. Parameters: the number the next customer would now get."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.writable = db, db.can("customer.settings")
        self.rule: dict | None = None
        self._saving = False
        self.prefix, self.separator, self.date_format = QLineEdit(), QComboBox(), QComboBox()
        self.digits = QSpinBox(minimum=1, maximum=12)
        self.prefix.setMaxLength(10)
        fill_combo(self.separator, [(s or self.tr("(none)"), s) for s in ("-", "_", ".", "/", "")])
        fill_combo(self.date_format, [(self._date_text(f), f) for f in PYTHON_DATE_FORMATS])
        self.example, self.next_number = QLabel(), QLabel()
        for signal in (self.prefix.textChanged, self.separator.currentIndexChanged,
                       self.date_format.currentIndexChanged, self.digits.valueChanged):
            signal.connect(lambda *_: self._show_example())
        self.prefix.setReadOnly(not self.writable)
        self.digits.setReadOnly(not self.writable)
        for combo in (self.separator, self.date_format):
            combo.setEnabled(self.writable)
        form = QFormLayout()
        form.addRow(self.tr("Prefix"), self.prefix)
        form.addRow(self.tr("Separator"), self.separator)
        form.addRow(self.tr("Date part"), self.date_format)
        form.addRow(self.tr("Sequence digits"), self.digits)
        form.addRow(self.tr("Example"), self.example)
        form.addRow(self.tr("Next customer number"), self.next_number)
        intro = QLabel(self.tr("A customer number is the prefix, the date part and a sequence that starts "
                               "again in each period, e.g. KH2026110001. New customers get it when they are saved."))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(button_row(self, (self.tr("Save"), self.save)))
        layout.addStretch(1)
        self.reload()

    def _date_text(self, date_format: str) -> str:
        return {"": self.tr("(none)"), "YYYY": self.tr("Year (YYYY)"), "YYYYMM": self.tr("Year and month (YYYYMM)"),
                "YYYYMMDD": self.tr("Date (YYYYMMDD)")}[date_format]

    def reload(self) -> None:
        self.call(_load_rule, then=self._show)

    def _show(self, loaded: tuple[dict, str]) -> None:
        self.rule, preview = loaded
        self.prefix.setText(self.rule["prefix"])
        select_data(self.separator, self.rule["separator"])
        select_data(self.date_format, self.rule["date_format"])
        self.digits.setValue(self.rule["digits"])
        self.next_number.setText(preview)
        if self._saving:
            self._saving = False
            self.sig_saved.emit(preview)
        self.sig_loaded.emit(preview)

    def _show_example(self) -> None:
        sep = self.separator.currentData() or ""
        period = date.today().strftime(PYTHON_DATE_FORMATS[self.date_format.currentData() or ""])
        prefix = self.prefix.text().strip()
        head = prefix + sep if prefix else ""  # as crm.format_number: no separator before the sequence
        self.example.setText(f"{head}{period}{'1'.rjust(self.digits.value(), '0')}")

    def values(self) -> dict:
        return {"prefix": self.prefix.text().strip(), "separator": self.separator.currentData() or "",
                "date_format": self.date_format.currentData() or "", "digits": self.digits.value()}

    def save(self) -> None:
        if self.rule is not None:
            self.call(numbering.save_rule, self.rule, self.values(), then=lambda _r: self._saved())

    def _saved(self) -> None:
        self._saving = True
        self.reload()


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
        self.rule = CustomerNumberRuleEditor(db)
        self.tabs = QTabWidget()
        for widget, title in ((self.types, self.tr("Customer types")),
                              (self.categories, self.tr("Customer categories")),
                              (self.sources, self.tr("Customer sources")), (self.industries, self.tr("Industries")),
                              (self.regions, self.tr("Regions")), (self.rule, self.tr("Customer number rule"))):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        if not db.can("customer.settings"):
            note = QLabel(self.tr("You may look at these settings; changing them needs the permission "
                                  "“customer base settings”."))
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.tabs)
        self.resize(760, 500)
