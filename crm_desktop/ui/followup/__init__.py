"""跟进 (chapter 五.1 and the 销售管理 menu of figure 18): the reminders dock (销售提醒) with its
status-bar count and tray notice, 联系管理 (plans and records) of the customer selected in the
customer list, and the reminder agent's settings for administrators.

``register(main_window, db)`` adds under menu key ``"sales"`` 销售提醒, 联系管理, 新建联系计划,
添加联系记录, 销售机会, 新建销售机会, 销售漏斗看板 and 销售分析, under ``"system"`` 邮件短信提醒设置 (permission
reminder.agent), the docks ``dock_reminders`` (its ``RemindersWidget`` can be placed on a workbench as
well) and ``dock_pipeline`` (``ui/followup/pipeline.py``), and the workbench card 我的销售漏斗.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox, QSystemTrayIcon

MENU_KEY = "sales"


def _tr(text: str) -> str:
    return QCoreApplication.translate("FollowupMenu", text)


def _selected_customer(main_window) -> int | None:
    dock = getattr(main_window, "customer_dock", None)
    ids = dock.widget().selected_ids() if dock is not None else []
    if not ids:
        QMessageBox.information(main_window, _tr("Contact management"),
                                _tr("Select a customer in the customer list first."))
        return None
    return ids[0]


def _open(main_window, make) -> None:
    customer_id = _selected_customer(main_window)
    if customer_id is not None:
        window = make(customer_id)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        main_window.followup_window = window


def _notify(main_window, tray: QSystemTrayIcon | None, rows: list) -> None:
    text = "\n".join(f"{r['planned_at'].astimezone():%H:%M} {r['customer_name']} {r['subject']}" for r in rows[:5])
    title = _tr("%1 contact plan(s) due").replace("%1", str(len(rows)))
    if tray is not None:
        tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
    main_window.statusBar().showMessage(f"{title}: {text.splitlines()[0] if text else ''}", 10_000)


def _show_opportunities(main_window, db) -> None:
    from crm_desktop.ui.followup.opportunities import OpportunityList

    window = getattr(main_window, "opportunity_list", None)
    if window is None:
        window = OpportunityList(db)
        window.setWindowTitle(_tr("Opportunities"))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: setattr(main_window, "opportunity_list", None))
        if getattr(main_window, "changes", None) is not None:
            window.connect_changes(main_window.changes)
        window.resize(960, 560)
        main_window.opportunity_list = window
        window.refresh()
    window.show()
    window.raise_()


def _show_analysis(main_window, db) -> None:
    from crm_desktop.ui.followup.analysis import SalesAnalysis

    window = getattr(main_window, "sales_analysis", None)
    if window is None:
        window = SalesAnalysis(db)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: setattr(main_window, "sales_analysis", None))
        window.resize(1100, 760)
        main_window.sales_analysis = window
        window.refresh()
    window.show()
    window.raise_()


def _add_pipeline(main_window, db):
    """The dock dock_pipeline, live on NOTIFY, and the workbench card with my pipeline totals."""
    from crm_desktop.ui.followup.pipeline import PipelineDock, PipelineSummary

    dock = PipelineDock(db, main_window)
    main_window.add_dock(dock)
    summary = PipelineSummary(db)
    panel = main_window.add_workbench_panel("pipeline", _tr("My sales pipeline"), summary,
                                            permission="sales.opportunity", order=30)
    changes = getattr(main_window, "changes", None)
    if changes is not None:
        dock.board.connect_changes(changes)
        if panel is not None:
            summary.connect_changes(changes)
    main_window.sig_refresh_requested.connect(dock.board.refresh)
    dock.board.refresh()
    if panel is not None:
        main_window.sig_refresh_requested.connect(summary.refresh)
        summary.refresh()
    main_window.pipeline_dock = dock
    return dock


def _open_settings(main_window, db) -> None:
    from crm_desktop.ui.followup.agent_settings import ReminderSettingsDialog

    dialog = getattr(main_window, "reminder_settings_dialog", None)
    if dialog is None:
        dialog = ReminderSettingsDialog(db, main_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(main_window, "reminder_settings_dialog", None))
        main_window.reminder_settings_dialog = dialog
    dialog.show()
    dialog.raise_()


def register(main_window, db) -> dict[str, QAction]:
    from crm_desktop.ui.followup.customer_followup import CustomerFollowup
    from crm_desktop.ui.followup.dialogs import PlanDialog, RecordDialog
    from crm_desktop.ui.followup.opportunities import OpportunityForm
    from crm_desktop.ui.followup.reminders import RemindersDock

    dock = RemindersDock(db, main_window)
    main_window.add_dock(dock)
    widget = dock.reminders
    if getattr(main_window, "changes", None) is not None:
        widget.connect_changes(main_window.changes)
    main_window.sig_refresh_requested.connect(widget.refresh)
    count = QLabel(main_window)
    count.setObjectName("reminder_count")
    count.setContentsMargins(8, 0, 8, 0)
    main_window.statusBar().addPermanentWidget(count)
    widget.sig_count_changed.connect(lambda n: count.setText(_tr("Reminders: %1").replace("%1", str(n))))
    tray = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(main_window.windowIcon(), main_window)
        tray.setToolTip(_tr("CRM reminders"))
        tray.show()
        tray.messageClicked.connect(lambda: (dock.show(), dock.raise_()))
    main_window.reminder_tray = tray
    widget.sig_fell_due.connect(lambda rows: _notify(main_window, tray, rows))
    _add_pipeline(main_window, db)
    entries = (
        ("sales_reminders", _tr("Sales reminders"), lambda: (dock.show(), dock.raise_()), None),
        ("contact_management", _tr("Contact management"),
         lambda: _open(main_window, lambda c: CustomerFollowup(db, c, parent=main_window)), "contact"),
        ("contact_plan_new", _tr("New contact plan"),
         lambda: _open(main_window, lambda c: PlanDialog(db, c, parent=main_window)), "contact.plan"),
        ("contact_record_new", _tr("Add contact record"),
         lambda: _open(main_window, lambda c: RecordDialog(db, c, parent=main_window)), "contact.record"),
        ("opportunities", _tr("Opportunities"), lambda: _show_opportunities(main_window, db), "sales.opportunity"),
        ("opportunity_new", _tr("New opportunity"),
         lambda: _open(main_window, lambda c: OpportunityForm(db, c, parent=main_window)), "sales.opportunity"),
        ("sales_pipeline", _tr("Sales pipeline"),
         lambda: (main_window.pipeline_dock.show(), main_window.pipeline_dock.raise_()), "sales.opportunity"),
        ("sales_analysis", _tr("Sales analysis"), lambda: _show_analysis(main_window, db), "sales.opportunity"),
    )
    actions: dict[str, QAction] = {}
    for name, text, slot, permission in entries:
        action = QAction(text, main_window)
        action.setObjectName(f"action_{name}")
        action.triggered.connect(lambda _checked=False, s=slot: s())
        main_window.add_module_action(MENU_KEY, action, permission=permission)
        actions[name] = action
    settings = QAction(_tr("E-mail and SMS reminders"), main_window)
    settings.setObjectName("action_reminder_settings")
    settings.triggered.connect(lambda _checked=False: _open_settings(main_window, db))
    main_window.add_module_action("system", settings, permission="reminder.agent")
    actions["reminder_settings"] = settings
    main_window.reminders_dock = dock
    widget.refresh()
    return actions
