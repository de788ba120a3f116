"""导航: a dock listing the menu bar's modules as a tree, the same actions as the menus.

An entry the account may not use is greyed with the menu's tooltip (which names the missing
permission); activating an entry triggers its action.  The tree is rebuilt whenever a module adds
an action, so it never lists a screen the menus do not have.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

ACTION_ROLE = int(Qt.ItemDataRole.UserRole) + 7
_ACCELERATOR = re.compile(r"\(&\w\)|&(?=\w)")


def plain(text: str) -> str:
    """A menu text without its accelerator: 系统管理(&S) → 系统管理, &Help → Help."""
    return _ACCELERATOR.sub("", text).strip()


class NavigationDock(QDockWidget):
    def __init__(self, menus: dict[str, QMenu], keys: list[str], parent: QWidget | None = None):
        super().__init__(self.tr("Navigation"), parent)
        self.setObjectName("dock_navigation")
        self._menus, self._keys = menus, keys
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setObjectName("navigation_tree")
        self.tree.itemActivated.connect(self._activated)
        self.setWidget(self.tree)
        self.rebuild_timer = QTimer(self, singleShot=True, interval=0)
        self.rebuild_timer.timeout.connect(self.rebuild)

    def rebuild(self) -> None:
        self.tree.clear()
        for key in self._keys:
            menu = self._menus[key]
            actions = [a for a in menu.actions() if not a.isSeparator() and a.menu() is None
                       and a.objectName() not in ("action_exit",)]
            if not actions or not menu.menuAction().isVisible():
                continue
            top = QTreeWidgetItem([plain(menu.title())])
            top.setData(0, Qt.ItemDataRole.UserRole, key)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for action in actions:
                if not action.isVisible():
                    continue
                item = QTreeWidgetItem([plain(action.text())])
                item.setData(0, ACTION_ROLE, action)
                if not action.isEnabled():
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                if action.toolTip() and plain(action.toolTip()) != plain(action.text()):
                    item.setToolTip(0, action.toolTip())
                top.addChild(item)
            top.setExpanded(key not in ("view", "help"))

    def items(self) -> dict[str, QTreeWidgetItem]:
        """Action objectName → its entry."""
        out = {}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                action = top.child(j).data(0, ACTION_ROLE)
                out[action.objectName()] = top.child(j)
        return out

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        action = item.data(0, ACTION_ROLE)
        if isinstance(action, QAction) and action.isEnabled():
            action.trigger()
