"""审批流程: the My approvals dock (count in the status bar, live by NOTIFY), the flow editor
(系统管理 → 审批流程设置, permission approval.flow) and delegation.

A document module registers a read-only viewer with ``my_approvals.register_viewer(type, factory)``
so a waiting task opens the document itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel


def _tr(text: str) -> str:
    return QCoreApplication.translate("ApprovalMenu", text)


def _show(dock: QDockWidget) -> None:
    dock.show()
    dock.raise_()


def open_flow_editor(main_window, db) -> None:
    from crm_desktop.ui.approval.flow_editor import FlowEditor

    dialog = getattr(main_window, "flow_editor", None)
    if dialog is None:
        dialog = FlowEditor(db, main_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(main_window, "flow_editor", None))
        main_window.flow_editor = dialog
    dialog.show()
    dialog.raise_()


def register(main_window, db) -> dict[str, QAction]:
    from crm_desktop.ui.approval.my_approvals import MyApprovalsWidget

    dock = QDockWidget(_tr("My approvals"), main_window)
    dock.setObjectName("dock_approvals")
    widget = MyApprovalsWidget(db, dock)
    dock.setWidget(widget)
    main_window.add_dock(dock)
    count = QLabel()
    count.setObjectName("approval_count")
    count.setContentsMargins(8, 0, 8, 0)
    main_window.statusBar().addPermanentWidget(count)
    widget.sig_count_changed.connect(
        lambda n: count.setText(_tr("Approvals waiting: %1").replace("%1", str(n)) if n else ""))
    if getattr(main_window, "changes", None) is not None:
        widget.connect_changes(main_window.changes)
    main_window.sig_refresh_requested.connect(widget.refresh)
    actions: dict[str, QAction] = {}
    for name, menu, text, slot, permission in (
            ("my_approvals", "sales", _tr("My approvals"), lambda: _show(dock), None),
            ("delegate", "sales", _tr("Delegate my approvals…"), widget.open_delegation, None),
            ("approval_flows", "system", _tr("Approval flows"), lambda: open_flow_editor(main_window, db),
             "approval.flow")):
        action = QAction(text, main_window)
        action.setObjectName(f"action_{name}")
        action.triggered.connect(lambda _c=False, s=slot: s())
        main_window.add_module_action(menu, action, permission=permission)
        actions[name] = action
    main_window.approvals_dock = dock
    main_window.approval_count_label = count
    return actions
