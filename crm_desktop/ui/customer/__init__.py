"""客户档案 (the seed's chapters 二 and 三): the customer list dock, the customer form with its
contacts, sharing and assigning, the base settings, the permission settings and the Excel import.

``register(main_window, db)`` adds, under the menu key ``"customer"``: 客户档案 (shows the dock),
新增客户, 批量导入客户, 客户档案基础信息设置 and 客户档案权限分配; and the dock itself through
``main_window.add_dock(dock)``.  Entries the account lacks the permission for are disabled;
PostgreSQL refuses the writes anyway.  The dock refreshes on ``main_window.changes`` (NOTIFY).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

MENU_KEY = "customer"


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerMenu", text)


def _show_dock(dock: QDockWidget) -> None:
    dock.show()
    dock.raise_()


def _open_once(main_window, attribute: str, make) -> None:
    """One settings window of a kind at a time; a second click raises it."""
    dialog = getattr(main_window, attribute, None)
    if dialog is None:
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(main_window, attribute, None))
        setattr(main_window, attribute, dialog)
    dialog.show()
    dialog.raise_()


def _open_settings(main_window, db) -> None:
    from crm_desktop.ui.customer.settings_dialog import CustomerSettingsDialog

    _open_once(main_window, "customer_settings_dialog", lambda: CustomerSettingsDialog(db, main_window))


def _open_permissions(main_window, db) -> None:
    from crm_desktop.ui.customer.permission_dialog import CustomerPermissionDialog

    _open_once(main_window, "customer_permission_dialog", lambda: CustomerPermissionDialog(db, main_window))


def register(main_window, db) -> dict[str, QAction]:
    """Add the customer actions and dock to ``main_window``; returns object name → action."""
    from crm_desktop.ui.customer.customer_list import CustomerListWidget

    dock = QDockWidget(_tr("Customers"), main_window)
    dock.setObjectName("dock_customers")  # QMainWindow.saveState keys the layout by it
    widget = CustomerListWidget(db, dock)
    dock.setWidget(widget)
    main_window.add_dock(dock)
    if getattr(main_window, "changes", None) is not None:
        widget.connect_changes(main_window.changes)
    main_window.sig_refresh_requested.connect(widget.refresh)
    entries = (("customers", _tr("Customers"), lambda: _show_dock(dock), None),
               ("customer_new", _tr("New customer"), lambda: widget.open_customer(None), "customer.create"),
               ("customer_import", _tr("Import customers"), lambda: widget.import_file(None), "customer.import"),
               ("customer_settings", _tr("Customer base settings"), lambda: _open_settings(main_window, db),
                "customer.settings"),
               ("customer_permissions", _tr("Customer permissions"), lambda: _open_permissions(main_window, db),
                "customer.permission"))
    actions: dict[str, QAction] = {}
    for name, text, slot, permission in entries:
        action = QAction(text, main_window)
        action.setObjectName(f"action_{name}")
        action.triggered.connect(lambda _checked=False, s=slot: s())
        main_window.add_module_action(MENU_KEY, action, permission=permission)
        actions[name] = action
    org_dock = getattr(main_window, "org_dock", None)
    if org_dock is not None:  # a person or department clicked in the org tree filters the list
        org_dock.tree.itemClicked.connect(lambda item, _column: widget.filter_to_org_item(item))
    main_window.customer_dock = dock
    return actions
