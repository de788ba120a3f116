"""报价单 (chapter 五.3): the quote dock (报价单管理 / 报价单明细) and the quote form; quotes open
read-only in the approval dialog.

``register(main_window, db)`` adds 销售管理 → 报价单 and the dock ``dock_quotes``.  Printing
(``services.quote.quote_print_document``) is wired by the printing module.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuoteMenu", text)


def register(main_window, db) -> dict[str, QAction]:
    from crm_desktop.ui.approval.my_approvals import register_viewer
    from crm_desktop.ui.quote.quote_form import quote_viewer
    from crm_desktop.ui.quote.quote_list import QuoteListWidget

    register_viewer("quote", quote_viewer)
    dock = QDockWidget(_tr("Quotes"), main_window)
    dock.setObjectName("dock_quotes")
    widget = QuoteListWidget(db, dock)
    dock.setWidget(widget)
    main_window.add_dock(dock)
    main_window.sig_refresh_requested.connect(widget.refresh)
    action = QAction(_tr("Quotes"), main_window)
    action.setObjectName("action_quotes")
    action.triggered.connect(lambda _c=False: (dock.show(), dock.raise_()))
    main_window.add_module_action("sales", action, permission="sales.quote")
    main_window.quote_dock = dock
    return {"quotes": action}
