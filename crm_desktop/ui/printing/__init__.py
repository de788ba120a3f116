"""打印抬头与模板 under 系统管理: the company letterhead and the print template of each document kind.

``register(main_window, db)`` adds the one action under the menu key ``"system"``.  Every account
may open the screen (every account reads the letterhead to print); saving needs
``system.print_settings``, and PostgreSQL refuses it anyway to anyone else.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

MENU_KEY = "system"


def register(main_window, db) -> QAction:
    from crm_desktop.ui.admin import ScreenOpener
    from crm_desktop.ui.printing.settings_screen import PrintSettingsScreen

    opener = ScreenOpener(main_window, db)
    main_window.print_settings_screens = opener  # keeps the opener alive with the window
    action = QAction(QCoreApplication.translate("PrintSettings", "Letterhead and print templates"), main_window)
    action.setObjectName("action_admin_print_settings")
    action.triggered.connect(lambda _checked=False: opener.open("print_settings", PrintSettingsScreen))
    main_window.add_module_action(MENU_KEY, action)
    return action
