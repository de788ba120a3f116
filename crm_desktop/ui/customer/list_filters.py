"""The customer list's filter bar: one search box (searched as you type), 授权范围, 客户所属人,
客户性质, type, category, region (with its sub-regions) and the last-contact dates.

The bar only builds a ``CustomerFilter``; PostgreSQL's policies decide what exists.  The lists for
the combo boxes arrive from ``load_filter_lists`` (run off the GUI thread by the list widget).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QCompleter, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from crm_desktop.services import customer_settings as settings
from crm_desktop.services.account import list_accounts
from crm_desktop.services.customer_list import CustomerFilter
from crm_desktop.ui.common.forms import fill_combo
from crm_desktop.ui.common.lazy_model import format_region

SEARCH_DELAY_MS = 300  # typing pauses this long before the list asks again
NO_DATE = QDate(2000, 1, 1)  # a date edit at its minimum shows "any" (no condition)


def load_filter_lists(db) -> dict[str, list]:
    """Worker thread: what the combo boxes offer."""
    return {"types": settings.list_choices(db, "type"), "categories": settings.list_choices(db, "category"),
            "regions": settings.list_regions(db),
            "owners": [(a.name, a.id) for a in list_accounts(db)]}


def _searchable(combo: QComboBox) -> QComboBox:
    """An editable combo whose typed text finds entries anywhere in their names."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return combo


def _combo_value(combo: QComboBox) -> Any:
    """The data of the entry whose text is shown; typed text matching none means no condition."""
    if not combo.isEditable():
        return combo.currentData()
    index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchExactly)
    return combo.itemData(index) if index >= 0 else None


def _date_edit(any_text: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(any_text)
    edit.setDate(NO_DATE)
    return edit


def _local_midnight(value: QDate) -> datetime | None:
    if value == NO_DATE:
        return None
    return datetime(value.year(), value.month(), value.day()).astimezone()


class CustomerFilterBar(QWidget):
    """Three rows of filters above the customer table."""

    sig_filter_changed = Signal()
    """The user changed a condition (typing is debounced). Read ``current_filter()``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, number, phone, contact or pinyin"))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.sig_filter_changed)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        every = self.tr("--All--")
        self.scope = QComboBox()
        fill_combo(self.scope, [(every, "all"), (self.tr("Private"), "private"), (self.tr("Public"), "public")])
        self.kind = QComboBox()
        fill_combo(self.kind, [(self.tr("Individual"), "individual"), (self.tr("Company"), "company")], every)
        self.owner, self.region = _searchable(QComboBox()), _searchable(QComboBox())
        self.type, self.category = QComboBox(), QComboBox()
        for combo in (self.owner, self.region, self.type, self.category):
            fill_combo(combo, [], every)
        for combo in (self.scope, self.kind, self.owner, self.region, self.type, self.category):
            combo.currentIndexChanged.connect(lambda _i: self.sig_filter_changed.emit())
            # long region paths and names must not make the dock wider than a laptop screen
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
        for combo in (self.owner, self.region):  # typed text matching nothing clears the condition
            combo.lineEdit().editingFinished.connect(self.sig_filter_changed)
        self.contact_from, self.contact_to = _date_edit(self.tr("Any")), _date_edit(self.tr("Any"))
        for edit in (self.contact_from, self.contact_to):
            edit.dateChanged.connect(lambda _d: self.sig_filter_changed.emit())
        self.reset_button = QPushButton(self.tr("Reset"))
        self.reset_button.clicked.connect(self.reset)
        self._lay_out()

    def _lay_out(self) -> None:
        """Three short rows, so the dock fits beside the organisation tree on a 1280-pixel screen:
        the search and whose customers; what they are; where and when last contacted."""
        rows = (((self.tr("Search"), self.search, 3), (self.tr("Scope"), self.scope, 1),
                 (self.tr("Owner"), self.owner, 2)),
                ((self.tr("Customer kind"), self.kind, 1), (self.tr("Customer type"), self.type, 2),
                 (self.tr("Customer category"), self.category, 2)),
                ((self.tr("Region"), self.region, 3), (self.tr("Last contact from"), self.contact_from, 0),
                 (self.tr("to"), self.contact_to, 0)))
        grid = QVBoxLayout(self)
        grid.setContentsMargins(6, 2, 6, 2)
        grid.setSpacing(4)
        for cells in rows:
            line = QHBoxLayout()
            for label, widget, stretch in cells:
                line.addWidget(QLabel(label))
                line.addWidget(widget, stretch)
                line.addSpacing(8)
            grid.addLayout(line)
        line.addWidget(self.reset_button)

    def _search_now(self) -> None:
        self.search_timer.stop()
        self.sig_filter_changed.emit()

    # -- lists and values ---------------------------------------------------------------------
    def set_lists(self, lists: dict[str, list]) -> None:
        """Fill the combo boxes, keeping what was chosen where it still exists."""
        every = self.tr("--All--")
        fill_combo(self.type, [(t["name"], t["id"]) for t in lists["types"]], every, _combo_value(self.type))
        fill_combo(self.category, [(c["name"], c["id"]) for c in lists["categories"]], every,
                   _combo_value(self.category))
        fill_combo(self.region, [(format_region(r["path"]), r["id"]) for r in lists["regions"]], every,
                   _combo_value(self.region))
        fill_combo(self.owner, lists["owners"], every, _combo_value(self.owner))

    def current_filter(self) -> CustomerFilter:
        owner, type_id, category_id = _combo_value(self.owner), _combo_value(self.type), _combo_value(self.category)
        until = _local_midnight(self.contact_to.date())
        return CustomerFilter(text=self.search.text(), scope=self.scope.currentData() or "all",
                              owner_ids=(owner,) if owner is not None else (), kind=self.kind.currentData(),
                              type_ids=(type_id,) if type_id is not None else (),
                              category_ids=(category_id,) if category_id is not None else (),
                              region_id=_combo_value(self.region),
                              last_contact_from=_local_midnight(self.contact_from.date()),
                              last_contact_to=until + timedelta(days=1) if until else None)  # the whole day

    def set_date_range(self, first: QDate | None, last: QDate | None) -> None:
        """Set 最后联系时间 from/to (None: any)."""
        self.contact_from.setDate(first or NO_DATE)
        self.contact_to.setDate(last or NO_DATE)

    def reset(self) -> None:
        """Clear every condition and ask once."""
        self.blockSignals(True)
        self.search_timer.stop()
        self.search.clear()
        for combo in (self.scope, self.kind, self.owner, self.region, self.type, self.category):
            combo.setCurrentIndex(0)
            if combo.isEditable():
                combo.setEditText(combo.itemText(0))
        self.set_date_range(None, None)
        self.search_timer.stop()
        self.blockSignals(False)
        self.sig_filter_changed.emit()
