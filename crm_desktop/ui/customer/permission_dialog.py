"""客户档案权限分配 (figure 10): 客户分类权限设置 (which customer types an account sees),
人员管理层次权限设置 (which organisations and departments a leader sees) and 客户资源设置 (how many
private customers an account may own).

Changing them needs customer.permission; without it the save buttons are disabled and PostgreSQL
refuses the writes anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QStyledItemDelegate, QTableWidget, QTableWidgetItem,
                               QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.services import account as accounts
from crm_desktop.services import customer_settings as settings
from crm_desktop.services import org
from crm_desktop.services.customer import private_customer_counts
from crm_desktop.ui.common.forms import BackgroundCalls, announce, button_row

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class PermissionData:
    """What the three tabs choose from, read in one background call."""

    accounts: list  # services.account.AccountRow
    types: list[dict]
    organizations: list[dict]
    departments: list[dict]
    limits: dict[int, int]


def load_permission_data(db) -> PermissionData:
    return PermissionData(accounts.list_accounts(db), settings.list_choices(db, "type"),
                          org.list_organizations(db), org.list_departments(db), settings.private_limits(db))


def private_counts(db) -> dict[int, int]:
    """Private customers owned per account, counted by the server; nothing for an account that
    may not know them (the table then shows limits only)."""
    if not (db.can("customer.permission") or db.can("customer.assign")):
        return {}
    return private_customer_counts(db)


class AccountPicker(QTableWidget):
    """The accounts (name, login, department); the current row is the account being edited."""

    sig_account_selected = Signal(object)
    """The current account changed. Parameters: its id, or None."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Login"), self.tr("Department")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setStretchLastSection(True)
        self.currentCellChanged.connect(self._row_changed)

    def _row_changed(self, row: int, _column: int, old_row: int, _old_column: int) -> None:
        if row != old_row:
            self.sig_account_selected.emit(self.selected_id())

    def set_accounts(self, rows: list) -> None:
        self.blockSignals(True)
        self.setRowCount(len(rows))
        for r, account in enumerate(rows):
            for c, text in enumerate((account.name, account.login, account.department)):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, account.id)
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        self.blockSignals(False)

    def selected_id(self) -> int | None:
        item = self.item(self.currentRow(), 0)
        return item.data(ID_ROLE) if item is not None else None

    def select_login(self, login: str) -> bool:
        for r in range(self.rowCount()):
            if self.item(r, 1).text() == login:
                self.setCurrentCell(r, 0)
                return True
        return False


def _accounts_beside(editor, grants: QWidget, hint: str, save_text: str) -> "AccountPicker":
    """The account list on the left; on the right the rule, what is granted, and 保存.  Choosing an
    account calls ``editor._load_account``; 保存 calls ``editor.save``."""
    accounts = AccountPicker()
    accounts.sig_account_selected.connect(editor._load_account)
    note = QLabel(hint)
    note.setWordWrap(True)
    side = QVBoxLayout()
    side.addWidget(note)
    side.addWidget(grants)
    side.addLayout(button_row(editor, (save_text, editor.save)))
    layout = QHBoxLayout(editor)
    layout.addWidget(accounts, 3)
    layout.addLayout(side, 2)
    return accounts


class CategoryPermissionEditor(QWidget, BackgroundCalls):
    """客户分类权限设置: tick the customer types the account is limited to (none ticked: no limit)."""

    sig_account_loaded = Signal(int)
    """The selected account's types are shown. Parameters: the account id."""
    sig_saved = Signal(int)
    """The account's types were saved. Parameters: the account id."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.writable = db, db.can("customer.permission")
        self.types = QListWidget()
        self.accounts = _accounts_beside(self, self.types, self.tr(
            "The account sees only customers of the ticked types (and its own). Nothing ticked: no limit."),
            self.tr("Save"))

    def set_data(self, data: PermissionData) -> None:
        self.accounts.set_accounts(data.accounts)
        self.types.clear()
        for row in data.types:
            item = QListWidgetItem(row["name"], self.types)
            item.setData(ID_ROLE, row["id"])
            item.setCheckState(Qt.CheckState.Unchecked)
        self.types.setEnabled(False)

    def _type_items(self) -> list[QListWidgetItem]:
        return [self.types.item(i) for i in range(self.types.count())]

    def _load_account(self, account_id: int | None) -> None:
        self.types.setEnabled(False)
        if account_id is not None:
            self.call(settings.category_permissions, account_id, then=lambda ids: self._tick(account_id, ids))

    def _tick(self, account_id: int, type_ids: set[int]) -> None:
        if account_id != self.accounts.selected_id():
            return  # the user has moved on to another account
        for item in self._type_items():
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in type_ids else Qt.CheckState.Unchecked)
        self.types.setEnabled(True)
        self.sig_account_loaded.emit(account_id)

    def tick_names(self, names: set[str]) -> None:
        for item in self._type_items():
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)

    def save(self) -> None:
        account_id = self.accounts.selected_id()
        if account_id is None or not self.types.isEnabled():
            return
        ticked = [i.data(ID_ROLE) for i in self._type_items() if i.checkState() == Qt.CheckState.Checked]
        self.call(settings.set_category_permissions, account_id, ticked,
                  then=lambda _r: self.sig_saved.emit(account_id))


class ManagementScopeEditor(QWidget, BackgroundCalls):
    """人员管理层次权限设置: tick the organisations (all their departments) and departments (with
    their sub-departments) whose customers the leader sees."""

    sig_account_loaded = Signal(int)
    """The selected account's grants are shown. Parameters: the account id."""
    sig_saved = Signal(int)
    """The account's grants were saved. Parameters: the account id."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.writable = db, db.can("customer.permission")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.accounts = _accounts_beside(self, self.tree, self.tr(
            "The leader sees the customers of the ticked organisations and departments (with their sub-departments)."),
            self.tr("Save"))

    def set_data(self, data: PermissionData) -> None:
        self.accounts.set_accounts(data.accounts)
        self.tree.clear()
        items: dict[tuple[str, int], QTreeWidgetItem] = {}
        for o in data.organizations:
            items["organization", o["id"]] = self._item(self.tree, "organization", o)
        pending = list(data.departments)
        while pending:
            placed = [d for d in pending if d["parent_id"] is None or ("department", d["parent_id"]) in items]
            if not placed:
                break
            for d in placed:  # parents before children, whatever order the rows came in
                parent = ("department", d["parent_id"]) if d["parent_id"] else ("organization", d["organization_id"])
                items["department", d["id"]] = self._item(items[parent], "department", d)
            pending = [d for d in pending if ("department", d["id"]) not in items]
        self.tree.expandAll()
        self.tree.setEnabled(False)

    @staticmethod
    def _item(holder, kind: str, row: dict) -> QTreeWidgetItem:
        item = QTreeWidgetItem(holder, [row["name"]])
        item.setData(0, ID_ROLE, row["id"])
        item.setData(0, KIND_ROLE, kind)
        item.setCheckState(0, Qt.CheckState.Unchecked)
        return item

    def _items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))

    def find_item(self, kind: str, name: str) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(0, KIND_ROLE) == kind and i.text(0) == name), None)

    def _load_account(self, account_id: int | None) -> None:
        self.tree.setEnabled(False)
        if account_id is not None:
            self.call(settings.management_scopes, account_id, then=lambda rows: self._tick(account_id, rows))

    def _tick(self, account_id: int, scopes: list[dict]) -> None:
        if account_id != self.accounts.selected_id():
            return
        granted = {("organization", s["organization_id"]) for s in scopes if s["organization_id"]}
        granted |= {("department", s["department_id"]) for s in scopes if s["department_id"]}
        for item in self._items():
            key = (item.data(0, KIND_ROLE), item.data(0, ID_ROLE))
            item.setCheckState(0, Qt.CheckState.Checked if key in granted else Qt.CheckState.Unchecked)
        self.tree.setEnabled(True)
        self.sig_account_loaded.emit(account_id)

    def ticked(self, kind: str) -> list[int]:
        return [i.data(0, ID_ROLE) for i in self._items()
                if i.data(0, KIND_ROLE) == kind and i.checkState(0) == Qt.CheckState.Checked]

    def save(self) -> None:
        account_id = self.accounts.selected_id()
        if account_id is None or not self.tree.isEnabled():
            return
        self.call(settings.set_management_scope, account_id, self.ticked("organization"), self.ticked("department"),
                  then=lambda _r: self.sig_saved.emit(account_id))


class LimitDelegate(QStyledItemDelegate):
    """The limit cell takes a whole number or nothing."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setValidator(QIntValidator(0, 999_999, editor))
        return editor


class PrivateLimitEditor(QWidget, BackgroundCalls):
    """客户资源设置: each account's private customer limit (empty: no limit) beside what it owns."""

    COUNT, LIMIT = 3, 4

    sig_counts_loaded = Signal()
    """The private customer counts are shown."""
    sig_saved = Signal(int)
    """Changed limits were saved. Parameters: how many accounts changed."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.writable = db, db.can("customer.permission")
        self.limits: dict[int, int] = {}
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Login"), self.tr("Department"),
                                              self.tr("Private customers"), self.tr("Private customer limit")])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(self.LIMIT, LimitDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(110)
        if not self.writable:
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        hint = QLabel(self.tr("The most private customers each account may own; empty means no limit. "
                              "A lower limit takes no customers away, it only stops new ones."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(button_row(self, (self.tr("Save"), self.save)))

    def set_data(self, data: PermissionData) -> None:
        self.limits = dict(data.limits)
        self.table.setRowCount(len(data.accounts))
        for r, account in enumerate(data.accounts):
            limit = self.limits.get(account.id)
            cells = (account.name, account.login, account.department, "…", "" if limit is None else str(limit))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, account.id)
                if c != self.LIMIT:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c in (self.COUNT, self.LIMIT):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.call(private_counts, then=self._show_counts)

    def _show_counts(self, counts: dict[int, int]) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, self.COUNT)
            item.setText(str(counts.get(item.data(ID_ROLE), "")))
        self.sig_counts_loaded.emit()

    def row_of(self, login: str) -> int:
        return next((r for r in range(self.table.rowCount()) if self.table.item(r, 1).text() == login), -1)

    def changes(self) -> dict[int, int | None] | None:
        """Account id → new limit (None: no limit) for the edited rows; None if a cell is not a number."""
        changed: dict[int, int | None] = {}
        for r in range(self.table.rowCount()):
            item = self.table.item(r, self.LIMIT)
            text = item.text().strip()
            if text and not text.isdigit():
                return None
            limit = int(text) if text else None
            if limit != self.limits.get(item.data(ID_ROLE)):
                changed[item.data(ID_ROLE)] = limit
        return changed

    def save(self) -> None:
        changed = self.changes()
        if changed is None:
            self.report_user_error("private_customer_limit_not_negative")
            return
        self.call(_save_limits, changed, then=lambda _r: self._saved(changed))

    def _saved(self, changed: dict[int, int | None]) -> None:
        for account_id, limit in changed.items():
            if limit is None:
                self.limits.pop(account_id, None)
            else:
                self.limits[account_id] = limit
        self.sig_saved.emit(len(changed))


def _save_limits(db, changed: dict[int, int | None]) -> None:
    for account_id, limit in changed.items():
        settings.set_private_limit(db, account_id, limit)


class CustomerPermissionDialog(QDialog, BackgroundCalls):
    """The three permission tabs over one load of accounts, types and the organisation structure."""

    sig_loaded = Signal()
    """Accounts, types and the structure are shown in every tab."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Customer permissions"))
        self.categories = CategoryPermissionEditor(db)
        self.scopes = ManagementScopeEditor(db)
        self.limits = PrivateLimitEditor(db)
        for editor, text in ((self.categories, self.tr("The customer types of the account were saved")),
                             (self.scopes, self.tr("The management scope of the account was saved"))):
            editor.sig_saved.connect(lambda _id, t=text: announce(self, t))
        self.limits.sig_saved.connect(lambda n: announce(self, self.tr("Saved {count} private-customer limits")
                                                         .format(count=n)))
        self.tabs = QTabWidget()
        for widget, title in ((self.categories, self.tr("Category permissions")),
                              (self.scopes, self.tr("Management scope")),
                              (self.limits, self.tr("Private customer limits"))):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        if not db.can("customer.permission"):
            note = QLabel(self.tr("You may look at these settings; changing them needs the permission "
                                  "“customer permissions”."))
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.tabs)
        self.resize(860, 540)
        self.call(load_permission_data, then=self._show)

    def _show(self, data: PermissionData) -> None:
        for editor in (self.categories, self.scopes, self.limits):
            editor.set_data(data)
        self.sig_loaded.emit()
