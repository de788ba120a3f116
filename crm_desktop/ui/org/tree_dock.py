"""The organisation tree dock: organisations → departments → positions → the accounts holding them.

Drag an account onto a position to make it the account's main position (hold Ctrl: a concurrent
one).  The database decides whether the account may do that; a refusal is shown as the
catalogue's sentence under the tree.  The tree refreshes itself when another PC changes the
organisation (``connect_changes``).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QDockWidget, QLabel, QLineEdit, QMenu, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.messages import translate_error
from crm_desktop.services import account, org
from crm_desktop.ui.common.tasks import run_in_background

KIND_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ID_ROLE = KIND_ROLE + 1
ACCOUNT_MIME = "application/x-crm-account-id"
ORG_TABLES = {"organization", "department", "position", "account", "account_position"}
_BADGE_COLOURS = {"organization": "#1f6fb2", "department": "#2e8b57", "position": "#8a6d3b",
                  "manager": "#c0392b", "account": "#6c5ce7"}


def _badge(colour: str, glyph: str) -> QIcon:
    """A round badge with one glyph: readable at 16 px in Chinese and in English."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(1, 1, 30, 30, 8, 8)
    font = QFont()
    font.setPixelSize(19)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


class OrgTree(QTreeWidget):
    """The tree itself: accounts can be dragged, positions accept them."""

    sig_account_dropped = Signal(int, int, bool)
    """An account was dropped onto a position. Parameters: account id, position id, main
    (False when Ctrl was held: a concurrent position)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setUniformRowHeights(True)

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [ACCOUNT_MIME]

    def mimeData(self, items) -> QMimeData:  # noqa: N802
        data = QMimeData()
        accounts = [i for i in items if i.data(0, KIND_ROLE) == "account"]
        if accounts:
            data.setData(ACCOUNT_MIME, str(accounts[0].data(0, ID_ROLE)).encode())
        return data

    def _target_position(self, pos: QPoint) -> QTreeWidgetItem | None:
        item = self.itemAt(pos)
        return item if item is not None and item.data(0, KIND_ROLE) == "position" else None

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        event.setAccepted(event.mimeData().hasFormat(ACCOUNT_MIME))

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        ok = event.mimeData().hasFormat(ACCOUNT_MIME) and self._target_position(event.position().toPoint())
        event.setDropAction(Qt.DropAction.CopyAction if self._concurrent(event) else Qt.DropAction.MoveAction)
        event.setAccepted(bool(ok))

    def dropEvent(self, event) -> None:  # noqa: N802
        """Never lets Qt move items: the database decides, then the tree is reloaded."""
        target = self._target_position(event.position().toPoint())
        if target is None or not event.mimeData().hasFormat(ACCOUNT_MIME):
            event.ignore()
            return
        event.acceptProposedAction()
        self.drop_account(int(bytes(event.mimeData().data(ACCOUNT_MIME)).decode()),
                          target.data(0, ID_ROLE), main=not self._concurrent(event))

    def drop_account(self, account_id: int, position_id: int, main: bool = True) -> None:
        self.sig_account_dropped.emit(account_id, position_id, main)

    @staticmethod
    def _concurrent(event) -> bool:
        return bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)


class OrgTreeDock(QDockWidget):
    """The dock on the main window's left; other screens connect to its ``sig_…`` signals."""

    sig_organization_activated = Signal(int)
    """An organisation was double-clicked (or Enter). Parameters: organisation id."""
    sig_department_activated = Signal(int)
    """A department was double-clicked. Parameters: department id."""
    sig_position_activated = Signal(int)
    """A position was double-clicked. Parameters: position id."""
    sig_account_activated = Signal(int)
    """An account was double-clicked. Parameters: account id."""
    sig_context_menu = Signal(str, int, object)
    """The context menu is about to open; add actions to it. Parameters: kind ("organization",
    "department", "position", "account"), id, the QMenu."""
    sig_position_assigned = Signal(int, int, bool)
    """The database accepted a drop. Parameters: account id, position id, main."""
    sig_assignment_refused = Signal(str)
    """The database refused a drop. Parameters: the sentence shown to the user."""
    sig_refreshed = Signal()
    """The tree shows the database's current organisation."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(self.tr("Organisation"), parent)
        self.setObjectName("dock_org_tree")  # QMainWindow.saveState keys the layout by it
        self.db = db
        self._expanded: set[tuple[str, int]] | None = None
        self._refresh_timer = QTimer(self, singleShot=True, interval=150)
        self._refresh_timer.timeout.connect(self.refresh)
        self._build()

    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by name or login…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.tree = OrgTree()
        self.tree.sig_account_dropped.connect(self.assign)
        self.tree.itemActivated.connect(self._activated)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b; padding: 4px;")
        self.message.hide()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.filter_edit, self.tree, self.message):
            layout.addWidget(widget)
        body.setMinimumWidth(240)  # names of positions and people stay readable
        self.setWidget(body)
        self._icons = {kind: _badge(colour, glyph) for kind, colour, glyph in (
            ("organization", _BADGE_COLOURS["organization"], self.tr("O")),
            ("department", _BADGE_COLOURS["department"], self.tr("D")),
            ("position", _BADGE_COLOURS["position"], self.tr("P")),
            ("manager", _BADGE_COLOURS["manager"], self.tr("M")),
            ("account", _BADGE_COLOURS["account"], self.tr("A")))}

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload from the database in the background, keeping what was expanded."""
        run_in_background(org.organization_tree, self.db).on_success(self._populate).on_failure(self._show_error)

    def connect_changes(self, bridge) -> None:
        """Refresh when a ``ChangeBridge`` reports a change to the organisation."""
        bridge.sig_changed.connect(lambda table, _op, _id: table in ORG_TABLES and self._refresh_timer.start())
        bridge.sig_listening.connect(self._refresh_timer.start)

    def _populate(self, roots: list[org.TreeNode]) -> None:
        first_load = self.tree.topLevelItemCount() == 0
        expanded = self._expanded_keys()
        self.tree.clear()
        for node in roots:
            self.tree.addTopLevelItem(self._item(node))
        if first_load:
            self._expand_to_depth(3)
        else:
            self._restore_expanded(expanded)
        self.apply_filter(self.filter_edit.text())
        self.sig_refreshed.emit()

    def _item(self, node: org.TreeNode) -> QTreeWidgetItem:
        item = QTreeWidgetItem([self._label(node)])
        item.setData(0, KIND_ROLE, node.kind)
        item.setData(0, ID_ROLE, node.id)
        manager = node.kind == "position" and node.detail == "manager"
        item.setIcon(0, self._icons["manager" if manager else node.kind])
        if manager:
            item.setToolTip(0, self.tr("Manager position: the department's head"))
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if node.kind == "account":
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        elif node.kind == "position":
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)
        for child in node.children:
            item.addChild(self._item(child))
        return item

    def _label(self, node: org.TreeNode) -> str:
        if node.kind != "account":
            return node.name
        login, concurrent = node.detail.removesuffix(" (兼)"), node.detail.endswith(" (兼)")
        suffix = self.tr(", concurrent") if concurrent else ""
        return f"{node.name} ({login}{suffix})"

    def _all_items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))

    def _expanded_keys(self) -> set[tuple[str, int]]:
        return {(i.data(0, KIND_ROLE), i.data(0, ID_ROLE)) for i in self._all_items() if i.isExpanded()}

    def _restore_expanded(self, keys: set[tuple[str, int]]) -> None:
        for item in self._all_items():
            item.setExpanded((item.data(0, KIND_ROLE), item.data(0, ID_ROLE)) in keys)

    def _expand_to_depth(self, depth: int) -> None:
        self.tree.expandToDepth(depth - 1)

    def find_items(self, kind: str, item_id: int | None = None, name: str | None = None) -> list[QTreeWidgetItem]:
        """Items of ``kind`` with that id or whose text starts with ``name`` (tests, other screens)."""
        return [i for i in self._all_items() if i.data(0, KIND_ROLE) == kind
                and (item_id is None or i.data(0, ID_ROLE) == item_id)
                and (name is None or i.text(0).startswith(name))]

    # -- filtering ---------------------------------------------------------------------------
    def focus_find(self) -> None:
        """Ctrl+F: type to filter the tree."""
        self.show()
        self.raise_()
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def apply_filter(self, text: str) -> None:
        """Show items whose text contains ``text`` and the path to them."""
        needle = text.strip().casefold()
        for i in range(self.tree.topLevelItemCount()):
            self._filter(self.tree.topLevelItem(i), needle)
        if needle:
            self.tree.expandAll()

    def _filter(self, item: QTreeWidgetItem, needle: str) -> bool:
        children = [self._filter(item.child(i), needle) for i in range(item.childCount())]
        visible = not needle or needle in item.text(0).casefold() or any(children)
        item.setHidden(not visible)
        return visible

    # -- actions -----------------------------------------------------------------------------
    def assign(self, account_id: int, position_id: int, main: bool = True) -> None:
        """Give the account that position (main or concurrent); the database may refuse."""
        self.message.hide()
        task = run_in_background(account.assign_position, self.db, account_id, position_id, main)
        task.on_success(lambda _r: self._assigned(account_id, position_id, main)).on_failure(self._refused)

    def _assigned(self, account_id: int, position_id: int, main: bool) -> None:
        self.sig_position_assigned.emit(account_id, position_id, main)
        self.refresh()

    def _refused(self, error: BaseException) -> None:
        sentence = self._show_error(error)
        self.sig_assignment_refused.emit(sentence)

    def _show_error(self, error: BaseException) -> str:
        sentence = str(translate_error(error))
        self.message.setText(sentence)
        self.message.show()
        return sentence

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        signal = {"organization": self.sig_organization_activated, "department": self.sig_department_activated,
                  "position": self.sig_position_activated, "account": self.sig_account_activated}
        signal[item.data(0, KIND_ROLE)].emit(item.data(0, ID_ROLE))

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        menu = QMenu(self)
        if item is not None:
            self.sig_context_menu.emit(item.data(0, KIND_ROLE), item.data(0, ID_ROLE), menu)
        if menu.actions():
            menu.addSeparator()
        refresh = QAction(self.tr("Refresh"), menu)
        refresh.triggered.connect(self.refresh)
        menu.addAction(refresh)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
