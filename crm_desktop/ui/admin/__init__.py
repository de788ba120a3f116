"""系统管理: organisations, departments, positions, the position chart, accounts, roles and the
permission grid (the seed's chapter 一, steps 1–7), the sessions screen (在线会话) and the record of backups (数据备份).

``register(main_window, db)`` adds one action per screen under the menu key ``"system"``; each
opens its screen as a window of its own (one instance, raised when opened again).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

MENU_KEY = "system"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AdminMenu", text)


def screens() -> list[tuple[str, str, Callable]]:
    """(object name, menu text, factory(db, parent)) in menu order."""
    from crm_desktop.ui.admin.accounts import AccountsScreen
    from crm_desktop.ui.admin.backups import BackupsScreen
    from crm_desktop.ui.admin.deleted_accounts import DeletedAccountsScreen
    from crm_desktop.ui.admin.departments import DepartmentsScreen
    from crm_desktop.ui.admin.organizations import OrganizationsScreen
    from crm_desktop.ui.admin.permission_grid import PermissionGridScreen
    from crm_desktop.ui.admin.position_chart import PositionChartScreen
    from crm_desktop.ui.admin.positions import PositionsScreen
    from crm_desktop.ui.admin.roles import RolesScreen
    from crm_desktop.ui.admin.sessions import SessionsScreen

    return [("organizations", _tr("Organisations"), OrganizationsScreen),
            ("departments", _tr("Departments"), DepartmentsScreen),
            ("positions", _tr("Positions"), PositionsScreen),
            ("position_chart", _tr("Position chart"), PositionChartScreen),
            ("accounts", _tr("Accounts"), AccountsScreen),
            ("deleted_accounts", _tr("Deleted accounts"), DeletedAccountsScreen),
            ("roles", _tr("Roles"), RolesScreen),
            ("permission_grid", _tr("Role permissions"), PermissionGridScreen),
            ("sessions", _tr("Sessions"), SessionsScreen),
            ("backups", _tr("Backups"), BackupsScreen)]


# The permission (or any under it) that makes a screen worth opening; without it the menu entry is
# disabled and names the permission (the server refuses the writes anyway).
SCREEN_PERMISSIONS = {"organizations": "system.org", "departments": "system.org", "positions": "system.org",
                      "position_chart": "system.org", "accounts": "system.account",
                      "deleted_accounts": "system.account.manage", "roles": "system.role",
                      "permission_grid": "system.role", "sessions": "system.sessions",
                      "backups": "system.backup"}


class ScreenOpener:
    """Opens each screen once as a window owned by the main window; later clicks raise it."""

    def __init__(self, main_window: QWidget, db):
        self.main_window, self.db = main_window, db
        self.open_screens: dict[str, QWidget] = {}

    def open(self, name: str, factory: Callable) -> QWidget:
        screen = self.open_screens.get(name)
        if screen is None:
            screen = factory(self.db, self.main_window)
            screen.setWindowFlag(Qt.WindowType.Window)
            screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            screen.destroyed.connect(lambda *_: self.open_screens.pop(name, None))
            self.open_screens[name] = screen
        screen.show()
        screen.raise_()
        screen.activateWindow()
        return screen


def register(main_window, db) -> dict[str, QAction]:
    """Add the system-management actions to ``main_window`` under menu key "system".

    A screen's entry is disabled (its tooltip names the permission) for an account holding nothing
    of ``SCREEN_PERMISSIONS``; the write actions inside are disabled without the permission, and
    the database refuses them anyway.
    Returns object name → action.
    """
    opener = ScreenOpener(main_window, db)
    main_window.admin_screens = opener  # keeps the opener alive with the window
    actions: dict[str, QAction] = {}
    for name, text, factory in screens():
        action = QAction(text, main_window)
        action.setObjectName(f"action_admin_{name}")
        action.triggered.connect(lambda _checked=False, n=name, f=factory: opener.open(n, f))
        main_window.add_module_action(MENU_KEY, action, SCREEN_PERMISSIONS.get(name))
        actions[name] = action
    return actions
