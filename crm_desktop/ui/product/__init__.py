"""产品信息 (the seed's chapter 四): the product list dock, the product form, the base settings and
the Excel import.

``register(main_window, db)`` adds, under the menu key ``"product"``: 产品管理 (shows the dock),
产品基础信息设置 and 导入产品; and the dock itself through ``main_window.add_dock(dock)``.
Every account may open the list (everyone reads products); the settings and the import entries
are disabled without product.settings / product.import (their tooltips name it), write actions
inside are disabled without the permission, and PostgreSQL refuses them anyway.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

MENU_KEY = "product"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProductMenu", text)


def _show_dock(dock: QDockWidget) -> None:
    dock.show()
    dock.raise_()


def _open_settings(main_window, db) -> None:
    from crm_desktop.ui.product.settings_dialog import ProductSettingsDialog

    dialog = getattr(main_window, "product_settings_dialog", None)
    if dialog is None:
        dialog = ProductSettingsDialog(db, main_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(main_window, "product_settings_dialog", None))
        main_window.product_settings_dialog = dialog
    dialog.show()
    dialog.raise_()


def register(main_window, db) -> dict[str, QAction]:
    """Add the product actions and dock to ``main_window``; returns object name → action."""
    from crm_desktop.ui.product.product_list import ProductListWidget

    dock = QDockWidget(_tr("Products"), main_window)
    dock.setObjectName("dock_products")  # QMainWindow.saveState keys the layout by it
    dock.setWidget(ProductListWidget(db, dock))
    main_window.add_dock(dock)
    entries = (("products", _tr("Products"), lambda: _show_dock(dock), None),
               ("product_settings", _tr("Product base settings"), lambda: _open_settings(main_window, db),
                "product.settings"),
               ("product_import", _tr("Import products"), lambda: dock.widget().import_file(None), "product.import"))
    actions: dict[str, QAction] = {}
    for name, text, slot, permission in entries:
        action = QAction(text, main_window)
        action.setObjectName(f"action_{name}")
        action.triggered.connect(lambda _checked=False, s=slot: s())
        main_window.add_module_action(MENU_KEY, action, permission=permission)
        actions[name] = action
    main_window.product_dock = dock
    return actions
