"""已删除人员: accounts moved out of the account list (they can no longer log in); 恢复 brings
them back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableView, QToolBar, QVBoxLayout, QWidget

from crm_desktop.services import account
from crm_desktop.services.account import AccountFilter
from crm_desktop.ui.admin.account_source import AccountSource
from crm_desktop.ui.common.forms import BackgroundCalls, show_message
from crm_desktop.ui.common.lazy_model import LazyTableModel


class DeletedAccountsScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal(int)
    """Deleted accounts arrived. Parameters: rows shown so far."""
    sig_failed = Signal(str)
    """A call failed. Parameters: the sentence shown."""
    sig_restored = Signal(list)
    """Accounts were restored. Parameters: their ids."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Deleted accounts"))
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.restore_action = toolbar.addAction(self.tr("Restore"), self.restore_selected)
        self.restore_action.setEnabled(db.can("system.account.manage"))
        toolbar.addAction(self.tr("Refresh"), self.reload)
        self.model = LazyTableModel(AccountSource(db, AccountFilter(deleted=True)), parent=self)
        self.model.sig_page_loaded.connect(lambda *_: self.sig_loaded.emit(self.model.rowCount()))
        self.model.sig_fetch_failed.connect(self.report_failure)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        for section, column in enumerate(self.model.columns):
            self.table.setColumnHidden(section, column.name in ("roles", "email", "ukey"))
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.table)
        self.resize(900, 420)

    def reload(self) -> None:
        self.model.reload()

    def shown_logins(self) -> list[str]:
        return [self.model.index(r, 0).data() for r in range(self.model.rowCount())]

    def select_login(self, login: str) -> bool:
        for row, shown in enumerate(self.shown_logins()):
            if shown == login:
                self.table.selectRow(row)
                return True
        return False

    def restore_selected(self) -> None:
        ids = self.model.keys_for_selection(self.table.selectionModel().selection())
        if not ids:
            show_message(self, self.tr("Select one or more accounts first."))
            return

        def restore(db):
            for account_id in ids:
                account.restore_account(db, account_id)

        self.call(restore, then=lambda _r: self._restored(ids))

    def _restored(self, ids: list[int]) -> None:
        self.reload()
        self.sig_restored.emit(ids)
