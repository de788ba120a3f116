"""人员帐号 (figure 4, the list): toolbar, filters, the lazy account table; double-click opens
the form. Write actions are disabled without system.account.manage — PostgreSQL refuses them anyway."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.services import account, org
from crm_desktop.services.account import AccountFilter
from crm_desktop.ui.admin.account_filters import AccountFilterBar
from crm_desktop.ui.admin.account_form import AccountForm
from crm_desktop.ui.admin.account_positions import PositionChooser
from crm_desktop.ui.admin.account_source import AccountSource
from crm_desktop.ui.common.file_dialogs import save_file_name
from crm_desktop.ui.common.forms import BackgroundCalls, confirm, show_message
from crm_desktop.ui.admin.deleted_accounts import DeletedAccountsScreen
from crm_desktop.ui.common.lazy_model import LazyTableModel
from crm_desktop.ui.common.tasks import ProgressDialog

MANAGE, EXPORT = "system.account.manage", "system.account.export"


class AccountsScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal(int)
    """A page of accounts arrived. Parameters: rows shown so far."""
    sig_failed = Signal(str)
    """A call failed. Parameters: the sentence shown."""
    sig_exported = Signal(str, int)
    """The export was written. Parameters: path, number of accounts."""
    sig_changed = Signal()
    """Lock, status, delete or position assignment succeeded; the list is being reloaded."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.structure = org.Structure([], [], [])
        self.window_ref: QWidget | None = None
        self.setWindowTitle(self.tr("Accounts"))
        self.filters = AccountFilterBar()
        self.filters.sig_search.connect(self.search)
        self.model = LazyTableModel(AccountSource(db, AccountFilter()), parent=self)
        self.model.sig_page_loaded.connect(self._page_loaded)
        self._reselect: set[int] = set()
        self.model.sig_fetch_failed.connect(self.report_failure)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # by login
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open_account(self.model.row_key(index.row())))
        self._hide_default_columns()
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_toolbar())
        layout.addWidget(self.filters)
        layout.addWidget(self.table)
        self.resize(1180, 620)
        self.call(org.load_structure, then=self._structure_loaded)

    def _build_toolbar(self) -> QToolBar:
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        manage = self.db.can(MANAGE)
        self.new_action = toolbar.addAction(self.tr("New"), self.new_account)
        self.assign_action = toolbar.addAction(self.tr("Assign position"), self.assign_position)
        self.export_action = toolbar.addAction(self.tr("Export"), self.ask_export)
        self.deleted_action = toolbar.addAction(self.tr("Deleted accounts"), self.show_deleted)
        toolbar.addSeparator()
        self.lock_action = toolbar.addAction(self.tr("Lock"), lambda: self.set_locked(True))
        self.unlock_action = toolbar.addAction(self.tr("Unlock"), lambda: self.set_locked(False))
        status_menu = QMenu(self)
        for text, status in ((self.tr("Active"), "active"), (self.tr("Resigned"), "resigned"),
                             (self.tr("Retired"), "retired")):
            status_menu.addAction(text, lambda s=status: self.set_status(s))
        self.status_button = QToolButton()
        self.status_button.setText(self.tr("Status"))
        self.status_button.setMenu(status_menu)
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(self.status_button)
        self.delete_action = toolbar.addAction(self.tr("Delete"), self.delete_selected)
        toolbar.addSeparator()
        self.refresh_action = toolbar.addAction(self.tr("Refresh"), self.reload)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        for action in (self.new_action, self.assign_action, self.lock_action, self.unlock_action,
                       self.delete_action):
            action.setEnabled(manage)
        self.status_button.setEnabled(manage)
        self.export_action.setEnabled(self.db.can(EXPORT) or manage)
        return toolbar

    def _hide_default_columns(self) -> None:
        for section, column in enumerate(self.model.columns):
            self.table.setColumnHidden(section, not column.visible)

    def _fit_columns(self) -> None:
        """Widths from the first page of a query; later pages do not make the columns jump."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for section in range(header.count()):
            header.resizeSection(section, min(max(header.sectionSize(section) + 12, 60), 240))

    def _structure_loaded(self, structure: org.Structure) -> None:
        self.structure = structure
        self.filters.set_structure(structure)

    # -- list ------------------------------------------------------------------------------------
    @property
    def current_filter(self) -> AccountFilter:
        return self.model.source.filter

    def search(self, f: AccountFilter) -> None:
        self._reselect = set()
        self.model.reset_query(AccountSource(self.db, f))

    def reload(self) -> None:
        """Read the list again, keeping the selected accounts selected."""
        self._reselect = set(self.selected_ids())
        self.model.reload()

    def _page_loaded(self, first: int, count: int) -> None:
        if first == 0 and count:
            self._fit_columns()
        for row in range(first, first + count):
            if self.model.row_key(row) in self._reselect:
                self.table.selectionModel().select(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows)
        self.sig_loaded.emit(self.model.rowCount())

    def shown_logins(self) -> list[str]:
        column = next(i for i, c in enumerate(self.model.columns) if c.name == "login")
        return [self.model.index(r, column).data() for r in range(self.model.rowCount())]

    def selected_ids(self) -> list[int]:
        return self.model.keys_for_selection(self.table.selectionModel().selection())

    def select_login(self, login: str) -> bool:
        for row, shown in enumerate(self.shown_logins()):
            if shown == login:
                self.table.selectRow(row)
                return True
        return False

    def _need_selection(self) -> list[int]:
        ids = self.selected_ids()
        if not ids:
            show_message(self, self.tr("Select one or more accounts first."))
        return ids

    # -- actions ---------------------------------------------------------------------------------
    def new_account(self) -> AccountForm:
        return self.open_account(None)

    def open_account(self, account_id: int | None) -> AccountForm:
        form = AccountForm(self.db, account_id, self)
        form.sig_saved.connect(lambda _id: self.reload())
        form.open()
        self.window_ref = form
        return form

    def _for_each(self, fn, ids: list[int], *args) -> None:
        def work(db):
            for account_id in ids:
                fn(db, account_id, *args)
        self.call(work, then=lambda _r: self._changed())

    def _changed(self) -> None:
        self.reload()
        self.sig_changed.emit()

    def set_locked(self, locked: bool) -> None:
        ids = self._need_selection()
        if ids:
            self._for_each(account.set_locked, ids, locked)

    def set_status(self, status: str) -> None:
        ids = self._need_selection()
        if ids:
            self._for_each(account.set_status, ids, status)

    def delete_selected(self) -> None:
        ids = self._need_selection()
        if not ids:
            return
        question = self.tr("Move %n account(s) to the deleted accounts?", "", len(ids))
        confirm(self, question, lambda: self._for_each(account.delete_account, ids))

    def assign_position(self) -> PositionChooser | None:
        ids = self._need_selection()
        if not ids:
            return None
        chooser = PositionChooser(self.structure, self, ask_main=True)
        chooser.sig_chosen.connect(lambda position_id, main: self._for_each(
            lambda db, account_id: account.assign_position(db, account_id, position_id, main), ids))
        chooser.open()
        self.window_ref = chooser
        return chooser

    def show_deleted(self) -> DeletedAccountsScreen:
        screen = DeletedAccountsScreen(self.db, self)
        screen.setWindowFlag(Qt.WindowType.Window)
        screen.sig_restored.connect(lambda _ids: self.reload())
        screen.show()
        self.window_ref = screen
        return screen

    # -- export ----------------------------------------------------------------------------------
    def ask_export(self) -> None:
        path = save_file_name(self, "account_export", self.tr("Export accounts"), self.tr("accounts") + ".xlsx",
                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Write the accounts of the current filter to ``path`` off the GUI thread."""
        path = str(Path(path).with_suffix(".xlsx"))
        task = self.call(account.export_accounts, self.current_filter, path,
                         then=lambda count: self.sig_exported.emit(path, count))
        ProgressDialog(task, self.tr("Exporting accounts…"), self)
