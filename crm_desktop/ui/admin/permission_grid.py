"""角色权限组授权 (figure 6): permission tree rows × role columns of checkboxes.

Ticking a node ticks everything under it (a granted node grants its whole branch in PostgreSQL
too); a node is shown ticked when all of its branch is. Saving writes the changed roles in one
transaction, storing for each role the topmost ticked nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHeaderView, QLabel, QToolBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from crm_desktop.services import org, role
from crm_desktop.services.role import PermissionNode
from crm_desktop.ui.common.forms import BackgroundCalls

CODE_ROLE = Qt.ItemDataRole.UserRole
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


@dataclass
class GridData:
    tree: list[PermissionNode]
    roles: list[dict]
    organizations: dict[int, str]
    grid: dict[int, set[str]]


def load_grid(db) -> GridData:
    organizations = {o["id"]: o["name"] for o in org.list_organizations(db)}
    return GridData(role.permission_tree(db), role.list_roles(db), organizations, role.permission_grid(db))


class PermissionGridScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """The grid is shown."""
    sig_saved = Signal(list)
    """The changed roles were saved. Parameters: their ids."""
    sig_failed = Signal(str)
    """Loading or saving failed (nothing was saved). Parameters: the sentence shown."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.data: GridData | None = None
        self.dirty: set[int] = set()
        self._loading = False
        self.items: dict[str, QTreeWidgetItem] = {}
        self.writable = db.can("system.role.manage")
        self.setWindowTitle(self.tr("Role permissions"))
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.save_action = toolbar.addAction(self.tr("Save"), self.save)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setEnabled(False)
        toolbar.addAction(self.tr("Expand all"), lambda: self.tree.expandAll())
        toolbar.addAction(self.tr("Collapse all"), lambda: self.tree.collapseAll())
        self.reload_action = toolbar.addAction(self.tr("Reload"), self.reload)
        self.status = QLabel()
        self.tree = QTreeWidget()
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.tree)
        layout.addWidget(self.status)
        self.resize(1100, 640)
        self.reload()

    def reload(self) -> None:
        self.call(load_grid, then=self._show)

    # -- building --------------------------------------------------------------------------------
    def _show(self, data: GridData) -> None:
        self._loading = True
        self.data, self.dirty = data, set()
        self.tree.clear()
        self.items: dict[str, QTreeWidgetItem] = {}
        self.tree.setColumnCount(1 + len(data.roles))
        self.tree.setHeaderLabels([self.tr("Permission")] + [r["name"] for r in data.roles])
        header = self.tree.headerItem()
        for column, r in enumerate(data.roles, start=1):
            where = data.organizations.get(r["organization_id"], self.tr("All organisations"))
            header.setToolTip(column, f"{r['name']} — {where}")
            header.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
        for node in data.tree:
            self._add(self.tree.invisibleRootItem(), node)
        for column, r in enumerate(data.roles, start=1):
            for code in data.grid.get(r["id"], set()):
                item = self.item(code)
                if item is not None:
                    item.setCheckState(column, CHECKED)
        self.tree.expandAll()
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, self.tree.columnCount()):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self._loading = False
        self._update_status()
        self.sig_loaded.emit()

    def _add(self, parent: QTreeWidgetItem, node: PermissionNode) -> None:
        item = QTreeWidgetItem(parent, [node.name()])
        item.setData(0, CODE_ROLE, node.code)
        self.items[node.code] = item
        item.setToolTip(0, node.code)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsAutoTristate
        if self.writable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        item.setFlags(flags)
        for column in range(1, len(self.data.roles) + 1):
            item.setCheckState(column, UNCHECKED)
        if node.children:
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
        for child in node.children:
            self._add(item, child)

    # -- reading and ticking ---------------------------------------------------------------------
    def item(self, code: str) -> QTreeWidgetItem | None:
        return self.items.get(code)

    def column_of(self, role_id: int) -> int:
        return 1 + next(i for i, r in enumerate(self.data.roles) if r["id"] == role_id)

    def is_ticked(self, role_id: int, code: str) -> bool:
        return self.item(code).checkState(self.column_of(role_id)) == CHECKED

    def tick(self, role_id: int, code: str, ticked: bool = True) -> None:
        self.item(code).setCheckState(self.column_of(role_id), CHECKED if ticked else UNCHECKED)

    def ticked_codes(self, role_id: int) -> set[str]:
        """The topmost ticked nodes of the role's column: a ticked node stands for its branch."""
        column, codes = self.column_of(role_id), set()

        def walk(item: QTreeWidgetItem) -> None:
            for i in range(item.childCount()):
                child = item.child(i)
                if child.checkState(column) == CHECKED:
                    codes.add(child.data(0, CODE_ROLE))
                elif child.checkState(column) == Qt.CheckState.PartiallyChecked:
                    walk(child)

        walk(self.tree.invisibleRootItem())
        return codes

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading or column == 0:
            return
        self.dirty.add(self.data.roles[column - 1]["id"])
        self._update_status()

    def _update_status(self) -> None:
        self.save_action.setEnabled(self.writable and bool(self.dirty))
        names = [r["name"] for r in self.data.roles if r["id"] in self.dirty] if self.data else []
        self.status.setText(self.tr("Changed: %1").replace("%1", "、".join(names)) if names else
                            self.tr("Tick a permission to grant it; a ticked group grants everything in it."))

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> None:
        changes = {role_id: self.ticked_codes(role_id) for role_id in self.dirty}
        self.call(role.set_grid_permissions, changes, then=lambda _r: self._saved(sorted(changes)))

    def _saved(self, role_ids: list[int]) -> None:
        for role_id in role_ids:
            self.data.grid[role_id] = self.ticked_codes(role_id)
        self.dirty.clear()
        self._update_status()
        self.sig_saved.emit(role_ids)
