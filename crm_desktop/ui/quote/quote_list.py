"""报价单管理 and 报价单明细: the seed's 授权范围 filters (默认自己 / everyone I see, 私有 公共,
按报价人 按客户所属人), 客户类型, 审核状态, 单据号, 报价时间 from–to, 客户名称, 报价人; export."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QGridLayout,
                               QLabel, QLineEdit, QPushButton, QTableView, QTabWidget, QToolBar, QVBoxLayout,
                               QWidget)

from crm_desktop.ui.common import file_dialogs
from crm_desktop.services import approval
from crm_desktop.services import quote as quotes
from crm_desktop.services.customer_settings import list_choices
from crm_desktop.ui.common.forms import BackgroundCalls, fill_combo
from crm_desktop.ui.common.lazy_model import LEFT, RIGHT, Column, LazyTableModel, WithColumns, format_money, format_value
from crm_desktop.ui.common.tasks import ProgressDialog, run_in_background
from crm_desktop.ui.quote.quote_form import QuoteForm


def quote_column(spec) -> Column:
    money = spec.name in ("total_amount", "discounted_total", "amount", "unit_price")
    return Column(spec.name, spec.title, RIGHT if spec.numeric else LEFT, format_money if money else format_value)


class QuoteListWidget(QWidget, BackgroundCalls):
    sig_failed = Signal(str)
    sig_loaded = Signal()
    sig_exported = Signal(int)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.models: dict[bool, LazyTableModel] = {}
        self.views: dict[bool, QTableView] = {}
        self.tabs = QTabWidget()
        for lines, title in ((False, self.tr("Quotes")), (True, self.tr("Quote lines"))):
            view = QTableView()
            view.setObjectName("quote_lines_list" if lines else "quote_list")
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setAlternatingRowColors(True)
            view.horizontalHeader().setStretchLastSection(True)
            view.doubleClicked.connect(lambda index, ln=lines: self.open_row(ln, index.row()))
            self.views[lines] = view
            self.tabs.addTab(view, title)
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.tr("New"), lambda: self.open_quote(None)).setEnabled(db.can("sales.quote"))
        toolbar.addAction(self.tr("Export"), self.ask_export).setEnabled(db.can("sales.quote"))
        toolbar.addAction(self.tr("Print preview"), self.print_selected).setObjectName("quote_print_selected")
        toolbar.addAction(self.tr("Refresh"), self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addLayout(self._filter_bar())
        layout.addWidget(self.tabs, 1)
        self.call(lambda d: list_choices(d, "type"), then=self._types)

    def _filter_bar(self) -> QGridLayout:
        grid = QGridLayout()
        self.scope = QComboBox()
        fill_combo(self.scope, [(self.tr("--Myself--"), "me"), (self.tr("--Everyone I may see--"), "all")])
        self.private, self.public = QCheckBox(self.tr("Private")), QCheckBox(self.tr("Public"))
        self.by_handler, self.by_owner = QCheckBox(self.tr("By quoter")), QCheckBox(self.tr("By customer owner"))
        for box in (self.private, self.public, self.by_handler):
            box.setChecked(True)
        self.type_filter, self.status_filter = QComboBox(), QComboBox()
        fill_combo(self.type_filter, [], self.tr("--All--"))
        fill_combo(self.status_filter, [(approval.name_of(approval.STATUS_NAMES, s), s)
                                        for s in ("draft", "pending", "approved", "rejected")], self.tr("--All--"))
        self.number, self.customer, self.handler = QLineEdit(), QLineEdit(), QLineEdit()
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setSpecialValueText(" ")
            edit.setDate(edit.minimumDate())
        search = QPushButton(self.tr("Search"))
        search.clicked.connect(self.refresh)
        row0 = (QLabel(self.tr("Scope")), self.scope, self.private, self.public, self.by_handler, self.by_owner)
        for c, w in enumerate(row0):
            grid.addWidget(w, 0, c)
        cells = ((self.tr("Customer type"), self.type_filter), (self.tr("Approval"), self.status_filter),
                 (self.tr("Number"), self.number), (self.tr("Quoted from"), self.date_from),
                 (self.tr("to"), self.date_to), (self.tr("Customer"), self.customer),
                 (self.tr("Quoted by"), self.handler))
        for i, (label, widget) in enumerate(cells):
            grid.addWidget(QLabel(label), 1 + i // 4, (i % 4) * 2)
            grid.addWidget(widget, 1 + i // 4, (i % 4) * 2 + 1)
            if isinstance(widget, QLineEdit):
                widget.returnPressed.connect(self.refresh)
        grid.addWidget(search, 2, 7)
        return grid

    def _types(self, types: list[dict]) -> None:
        fill_combo(self.type_filter, [(t["name"], t["id"]) for t in types], self.tr("--All--"))
        self.refresh()

    def current_filter(self) -> quotes.QuoteFilter:
        def day(edit):
            return None if edit.date() == edit.minimumDate() else edit.date().toPython()
        return quotes.QuoteFilter(
            scope_accounts=(self.db.account_id,) if self.scope.currentData() == "me" else None,
            by_handler=self.by_handler.isChecked(), by_customer_owner=self.by_owner.isChecked(),
            private=self.private.isChecked(), public=self.public.isChecked(),
            customer_type_id=self.type_filter.currentData(), approval_status=self.status_filter.currentData(),
            number=self.number.text(), quoted_from=day(self.date_from), quoted_to=day(self.date_to),
            customer_name=self.customer.text(), handler_name=self.handler.text())

    def source(self, lines: bool) -> quotes.QuotePageSource:
        return quotes.QuotePageSource(self.db, self.current_filter(), lines=lines)

    def refresh(self) -> None:
        for lines, view in self.views.items():
            source = WithColumns(self.source(lines), quote_column)
            if lines in self.models:
                self.models[lines].reset_query(source)
            else:
                model = LazyTableModel(source, parent=self)
                model.sig_fetch_failed.connect(self.report_failure)
                self.models[lines] = model
                view.setModel(model)
        self.sig_loaded.emit()

    def selected_quote_ids(self) -> list[int]:
        """The quotes of the selected rows of the current tab (a line row stands for its quote)."""
        lines = self.tabs.currentIndex() == 1
        rows = sorted({index.row() for index in self.views[lines].selectionModel().selectedRows()})
        keys = [self.models[lines].row_key(row) for row in rows]
        if not lines:
            return keys
        return list(dict.fromkeys(r["quote_id"] for r in self.source(True).fetch_rows(keys)))

    def print_selected(self) -> None:
        """Every selected quote in one preview, to print or save together (with progress)."""
        from crm_desktop.printing.ui import preview

        ids = self.selected_quote_ids()
        if ids:
            self.call(lambda db, chosen: [quotes.quote_print_document(db, q) for q in chosen], ids,
                      then=lambda documents: preview(self, documents, self.db))

    def open_row(self, lines: bool, row: int) -> None:
        key = self.models[lines].row_key(row)
        if lines:
            rows = self.source(True).fetch_rows([key])
            if rows:
                self.open_quote(rows[0]["quote_id"])
        else:
            self.open_quote(key)

    def open_quote(self, quote_id: int | None) -> None:
        self.form = QuoteForm(self.db, quote_id, self)
        self.form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form.sig_saved.connect(lambda _i: self.refresh())
        self.form.show()

    def ask_export(self) -> None:
        path = file_dialogs.save_file_name(self, "export_quotes", self.tr("Export"), "报价单.xlsx", "Excel (*.xlsx)")
        if path:
            self.export_to(path)

    def export_to(self, path: str):
        lines = self.tabs.currentIndex() == 1
        task = run_in_background(quotes.export_quotes, self.source(lines), path)
        self.progress = ProgressDialog(task, self.tr("Exporting…"), self)
        task.on_success(self.sig_exported.emit).on_failure(self.report_failure)
        return task
