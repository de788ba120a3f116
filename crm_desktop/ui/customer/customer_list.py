"""客户档案: the customer list dock — the filter bar, the lazy table over ``CustomerPageSource``,
the toolbar (新增 修改 删除 共享 分派 导入 导出 显示设置 刷新) with the same actions on the rows'
context menu, a count that never blocks, and changes from other PCs arriving through NOTIFY.

PostgreSQL's policies decide which customers exist for the account; the client only narrows them
and disables what ``db.can`` says the account may not do.
"""

from __future__ import annotations

from dataclasses import replace
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QMenu, QTableView, QToolBar, QToolButton,
                               QVBoxLayout, QWidget)
from shiboken6 import isValid

from crm_desktop.messages import permission_name
from crm_desktop.services import customer as customers
from crm_desktop.services import customer_import
from crm_desktop.services.customer_list import COLUMNS, CustomerPageSource, export_customers
from crm_desktop.ui.common.file_dialogs import save_file_name
from crm_desktop.ui.common.forms import BackgroundCalls, announce, confirm
from crm_desktop.ui.common.import_wizard import accept_excel_drops, open_import_wizard
from crm_desktop.ui.common.lazy_model import (LEFT, RIGHT, Column, ColumnChooser, LazyTableModel, WithColumns,
                                              format_day, format_region, format_value)
from crm_desktop.ui.common.tasks import ProgressDialog, run_in_background
from crm_desktop.ui.customer.list_filters import CustomerFilterBar, load_filter_lists

COLUMNS_SETTINGS_KEY = "customer/list/hidden_columns"
RELOAD_DELAY_MS = 300  # a burst of NOTIFYs (an import, a colleague's bulk edit) reloads once
CHANGE_TABLES = ("customer", "contact", "customer_share")
LIST_TABLES = ("customer_type", "customer_category", "region")  # the filter bar's lists
MAX_RESTORE_PAGES = 10  # how far a reload pages on to get back to where the user had scrolled


_FORMATTERS = {"last_contact_at": (RIGHT, format_value), "created_at": (LEFT, format_day),
               "region_path": (LEFT, format_region)}


def customer_column(spec) -> Column:
    """The list's Qt column for a ``customer_list.COLUMNS`` entry (times local, last contact right)."""
    return Column(spec.name, spec.title, *_FORMATTERS.get(spec.name, (LEFT, format_value)))


class CustomerListWidget(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """The first page of the current filter arrived (after opening, filtering or a reload)."""
    sig_lists_loaded = Signal()
    """The filter bar's lists (types, categories, regions, owners) arrived."""
    sig_counted = Signal(int, bool)
    """The status line shows a count. Parameters: count, exact (False: the planner's estimate)."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""
    sig_deleted = Signal(int)
    """Customers were deleted. Parameters: how many."""
    sig_exported = Signal(int)
    """An export finished. Parameters: rows written."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.last_form = self.last_dialog = self.last_wizard = None
        self._count_generation = 0
        self._estimate: int | None = None
        self._restore: dict | None = None
        self.reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self.reload_timer.timeout.connect(self.reload)
        self.lists_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self.lists_timer.timeout.connect(self.load_lists)
        self.filter_bar = CustomerFilterBar()
        self.filter_bar.sig_filter_changed.connect(self.apply_filter)
        self.table = self._make_table()
        self.status = QLabel()
        self.status.setObjectName("customer_count")
        self.org_filter: tuple[str, tuple[int, ...], str] | None = None
        self.org_chip = QLabel()
        self.org_chip.setObjectName("customer_org_filter")
        self.org_chip.setStyleSheet("color: #1f5fa8;")
        self.org_clear = QToolButton()
        self.org_clear.setText("✕")
        self.org_clear.setToolTip(self.tr("Show every customer again"))
        self.org_clear.clicked.connect(lambda: self.filter_to_org(None))
        self.org_chip.hide()
        self.org_clear.hide()
        self.model = LazyTableModel(WithColumns(self._source(), customer_column), parent=self)
        self.model.sig_fetch_failed.connect(self.report_failure)
        self.model.sig_page_loaded.connect(self._page_loaded)
        self.model.modelReset.connect(self._count)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicator([c.name for c in COLUMNS].index("created_at"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # the source's own order: newest first
        header.resizeSection([c.name for c in COLUMNS].index("name"), 220)  # until the user sets a width
        self.chooser = ColumnChooser(self.table, COLUMNS_SETTINGS_KEY)
        self.drop_filter = accept_excel_drops(self.table, self.import_file)
        self._build()
        self.load_lists()

    # -- layout ---------------------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionsMovable(True)
        table.doubleClicked.connect(lambda index: self.open_customer(self.model.row_key(index.row())))
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_row_menu)
        table.installEventFilter(self)  # Enter opens the current customer
        return table

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.edit_current()
            return True
        return super().eventFilter(watched, event)

    def _build(self) -> None:
        can = self.db.can
        self.action_by_name: dict[str, QAction] = {}
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name, text, slot, allowed in (
                ("new", self.tr("New"), lambda: self.open_customer(None), can("customer.create")),
                ("edit", self.tr("Edit"), self.edit_current, can("customer.edit")),
                ("delete", self.tr("Delete"), self.delete_selected, can("customer.delete")),
                ("share", self.tr("Share"), self.share_selected, can("customer.share")),
                ("assign", self.tr("Assign"), self.assign_selected, can("customer.assign")),
                ("import", self.tr("Import"), lambda: self.import_file(None), can("customer.import")),
                ("export", self.tr("Export"), self.ask_export, can("customer.export")),
                ("columns", self.tr("Display settings"), self.show_column_menu, True),
                ("refresh", self.tr("Refresh"), self.refresh, True)):
            action = QAction(text, self)
            action.setObjectName(f"customer_{name}")
            action.triggered.connect(lambda _checked=False, s=slot: s())
            action.setEnabled(allowed)
            if not allowed:  # the row still opens read-only with Enter or a double click
                action.setToolTip(self.tr("Needs the permission: %1").replace("%1", permission_name(
                    {"new": "customer.create", "edit": "customer.edit", "delete": "customer.delete",
                     "share": "customer.share", "assign": "customer.assign", "import": "customer.import",
                     "export": "customer.export"}[name])))
            self.toolbar.addAction(action)
            self.action_by_name[name] = action
        footer = QHBoxLayout()
        footer.setContentsMargins(6, 0, 6, 2)
        footer.addWidget(self.status)
        footer.addSpacing(12)
        footer.addWidget(self.org_chip)
        footer.addWidget(self.org_clear)
        footer.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

    def _show_row_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isRowSelected(index.row()):
            self.table.selectRow(index.row())
        menu = self.build_row_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def build_row_menu(self) -> QMenu:
        """The rows' context menu: the toolbar's actions, grouped."""
        menu = QMenu(self)
        for group in (("new", "edit", "delete"), ("share", "assign"), ("import", "export"), ("refresh",)):
            if not menu.isEmpty():
                menu.addSeparator()
            for name in group:
                menu.addAction(self.action_by_name[name])
        return menu

    # -- the query ------------------------------------------------------------------------------
    def _source(self) -> CustomerPageSource:
        chosen = self.filter_bar.current_filter()
        if self.org_filter is not None:
            kind, ids, _name = self.org_filter
            chosen = replace(chosen, **({"owner_ids": ids} if kind == "account" else {"department_ids": ids}))
        return CustomerPageSource(self.db, chosen)

    def filter_to_org(self, kind: str | None, ids: tuple[int, ...] = (), name: str = "") -> None:
        """A person (kind "account") or a department with its sub-departments clicked in the org
        tree: the list shows their customers; None shows everyone again."""
        self.org_filter = (kind, tuple(ids), name) if kind in ("account", "department") and ids else None
        self.org_chip.setText(self.tr("Customers of %1").replace("%1", name) if self.org_filter else "")
        self.org_chip.setVisible(self.org_filter is not None)
        self.org_clear.setVisible(self.org_filter is not None)
        self.apply_filter()

    def filter_to_org_item(self, item) -> None:
        """An org-tree item clicked: an account, or a department (and the departments under it)."""
        from crm_desktop.ui.org.tree_dock import ID_ROLE, KIND_ROLE

        kind, name = item.data(0, KIND_ROLE), item.text(0)
        if kind == "account":
            self.filter_to_org("account", (item.data(0, ID_ROLE),), name)
        elif kind == "department":
            ids, stack = [], [item]
            while stack:
                node = stack.pop()
                if node.data(0, KIND_ROLE) == "department":
                    ids.append(node.data(0, ID_ROLE))
                stack.extend(node.child(i) for i in range(node.childCount()))
            self.filter_to_org("department", tuple(ids), name)

    def current_source(self) -> CustomerPageSource:
        """The shown filter in the shown order."""
        return self.model.source.inner

    def apply_filter(self) -> None:
        """Ask again with the filter bar's conditions (the current sort is kept)."""
        self._restore = None
        self.model.reset_query(WithColumns(self._source(), customer_column))

    def reload(self) -> None:
        """Ask again, then return to the selected rows and the scroll position where possible."""
        self.reload_timer.stop()
        selection = self.selected_ids()
        current = self.table.currentIndex()
        self._restore = {"scroll": self.table.verticalScrollBar().value(), "selected": selection,
                         "current": self.model.row_key(current.row()) if current.isValid() else None,
                         "pages": 0}
        self.model.reload()

    def refresh(self) -> None:
        """刷新 / F5: the lists and the rows."""
        self.load_lists()
        self.reload()

    def load_lists(self) -> None:
        self.call(load_filter_lists, then=self._lists_loaded)

    def _lists_loaded(self, lists: dict) -> None:
        self.filter_bar.blockSignals(True)
        self.filter_bar.set_lists(lists)
        self.filter_bar.blockSignals(False)
        self.sig_lists_loaded.emit()

    def focus_find(self) -> None:
        """Ctrl+F in the main window: the search box, its text selected for typing over."""
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def selected_ids(self) -> list[int]:
        selection = self.table.selectionModel()
        return self.model.keys_for_selection(selection.selection()) if selection else []

    def _page_loaded(self, first: int, count: int) -> None:
        if first == 0:
            self.sig_loaded.emit()
        if not self.model.canFetchMore():
            self._show_count(self.model.rowCount())
        else:
            self._show_estimate()
        if self._restore is not None:
            self._restore_position()

    def _restore_position(self) -> None:
        restore, bar = self._restore, self.table.verticalScrollBar()
        if bar.maximum() < restore["scroll"] and self.model.canFetchMore() and restore["pages"] < MAX_RESTORE_PAGES:
            restore["pages"] += 1
            self.model.fetchMore()
            return
        self._restore = None
        rows = [r for r in map(self.model.row_of_key, restore["selected"]) if r is not None]
        selection = self.table.selectionModel()
        for row in rows:
            selection.select(self.model.index(row, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        current = self.model.row_of_key(restore["current"]) if restore["current"] is not None else None
        if current is not None:
            selection.setCurrentIndex(self.model.index(current, 0), selection.SelectionFlag.NoUpdate)
        bar.setValue(restore["scroll"])

    # -- the count: never blocks -----------------------------------------------------------------
    def _count(self) -> None:
        self._count_generation += 1
        self._estimate = None
        generation = self._count_generation
        self.status.setText(self.tr("Counting…"))
        (run_in_background(self.current_source().count_or_estimate)
         .on_success(lambda result: self._estimated(generation, *result)).on_failure(lambda _e: None))

    def _estimated(self, generation: int, count: int, exact: bool = False) -> None:
        if isValid(self) and generation == self._count_generation:  # the dock may have closed meanwhile
            if exact:
                self._show_count(count)
                return
            self._estimate = count
            self._show_estimate()

    def _show_estimate(self) -> None:
        """The planner's estimate while rows remain; once more rows are shown than it guessed (its
        statistics lag behind a big import), say so instead of a number that is plainly wrong."""
        if self._estimate is None or not self.model.canFetchMore():
            return
        loaded = self.model.rowCount()
        if self._estimate > loaded:
            count, text = self._estimate, self.tr("About {count} customers")
        else:
            count, text = loaded, self.tr("More than {count} customers")
        self.status.setText(text.format(count=count))
        self.sig_counted.emit(count, False)

    def _show_count(self, count: int) -> None:
        """The exact count: every row has been read."""
        if not isValid(self):
            return
        self._count_generation += 1  # a late estimate must not replace an exact count
        self._estimate = None
        self.status.setText(self.tr("{count} customers").format(count=count))
        self.sig_counted.emit(count, True)

    # -- NOTIFY ---------------------------------------------------------------------------------
    def connect_changes(self, bridge) -> None:
        """Follow what other PCs change, reported by a ``ChangeBridge``."""
        bridge.sig_changed.connect(self.on_changed)
        bridge.sig_listening.connect(self.reload_timer.start)

    def on_changed(self, table: str, op: str, row_id) -> None:
        """An updated row on screen is re-read in place; anything that may add or remove rows
        reloads the list once the burst is over."""
        if table in LIST_TABLES:
            self.lists_timer.start()
        elif table == "customer" and op == "update" and row_id is not None:
            if self.model.row_of_key(row_id) is not None:
                self.model.refresh_keys([row_id])
        elif table in CHANGE_TABLES:
            self.reload_timer.start()

    # -- actions --------------------------------------------------------------------------------
    def open_customer(self, customer_id: int | None):
        """The customer form (None: a new customer); the list reloads after it saves."""
        from crm_desktop.ui.customer.customer_form import CustomerForm

        form = CustomerForm(self.db, customer_id, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.sig_saved.connect(lambda _row: self.reload())
        form.show()
        self.last_form = form
        return form

    def edit_current(self) -> None:
        index = self.table.currentIndex()
        ids = self.selected_ids()
        if index.isValid():
            self.open_customer(self.model.row_key(index.row()))
        elif ids:
            self.open_customer(ids[0])
        else:
            self.report_user_error("customer_selection_empty")

    def _selected_or_say(self) -> list[int]:
        ids = self.selected_ids()
        if not ids:
            self.report_user_error("customer_selection_empty")
        return ids

    def delete_selected(self) -> None:
        ids = self._selected_or_say()
        if ids:
            confirm(self, self.tr("Delete {count} customers with their contacts?").format(count=len(ids)),
                    lambda: self.call(customers.delete_customers, ids, then=self._deleted))

    def _deleted(self, count: int) -> None:
        self.sig_deleted.emit(count)
        self.reload()

    def share_selected(self):
        """共享 the selected customers (ShareDialog); the list reloads when it is done."""
        return self._open_dialog("ShareDialog")

    def assign_selected(self):
        """分派 the selected customers (AssignDialog); the list reloads when it is done."""
        return self._open_dialog("AssignDialog")

    def _open_dialog(self, class_name: str):
        ids = self._selected_or_say()
        if not ids:
            return None
        from crm_desktop.ui.customer import share_assign

        dialog = getattr(share_assign, class_name)(self.db, ids, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_done.connect(lambda _n: self.reload())
        text = (self.tr("Shared {count} customers with {names}") if class_name == "ShareDialog"
                else self.tr("Assigned {count} customers to {names}"))
        dialog.sig_done.connect(lambda n, d=dialog, t=text: announce(
            self, t.format(count=n, names="、".join(d.picker.receiver_names()))))
        dialog.show()
        self.last_dialog = dialog
        return dialog

    def import_file(self, path=None):
        """The import wizard, with ``path`` already chosen (a dropped file) or to be chosen."""
        wizard = open_import_wizard(self, self.db, customer_import.load_spec, path)
        wizard.sig_imported.connect(lambda _n: self.reload())
        self.last_wizard = wizard
        return wizard

    def show_column_menu(self) -> None:
        self.chooser.build_menu().exec(self.mapToGlobal(self.toolbar.geometry().bottomLeft()))

    def ask_export(self) -> None:
        path = save_file_name(self, "customer_export", self.tr("Export customers"), "客户档案.xlsx", "Excel (*.xlsx)")
        if path:
            self.export(path)

    def visible_columns(self) -> list[str]:
        """The shown columns, left to right as the user arranged them."""
        header = self.table.horizontalHeader()
        names = [c.name for c in self.model.columns]
        return [names[header.logicalIndex(v)] for v in range(header.count())
                if not header.isSectionHidden(header.logicalIndex(v))]

    def export(self, path: str):
        """Write the shown filter, in the shown order, with the visible columns, to ``path``."""
        by_name = {c.name: c for c in COLUMNS}
        columns = self.visible_columns()
        source = replace(self.current_source(), column_specs=tuple(by_name[n] for n in columns))
        task = run_in_background(export_customers, source, path, columns)
        task.on_success(self.sig_exported.emit).on_failure(self.report_failure)
        task.on_success(lambda n: announce(self, self.tr("Exported {count} customers to {path}").format(
            count=n, path=path), path))
        ProgressDialog(task, self.tr("Exporting…"), self)
        return task
