"""工作台: the centre of the main window, a column of panels for the logged-in person.

Modules add theirs with ``main_window.add_workbench_panel(key, title, widget, permission=…,
order=…)``.  Built in: 我的帐号 (order 0), the set-up steps (order 900, only for accounts that can
do them, dismissable, remembered per login), and for an account without a role one sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from crm_desktop.ui.common.tasks import run_in_background

SETUP_PERMISSIONS = ("system.org.manage", "system.account.manage", "system.role.manage")


def account_overview(db) -> dict:
    """Worker thread: who is logged in, where they sit and what their roles are."""
    from crm_desktop.services import account, org, role

    me = account.get_account(db, db.account_id)
    positions = {p["id"]: p for p in org.list_positions(db)}
    departments = {d["id"]: d["name"] for d in org.list_departments(db)}
    main = next((positions.get(p.position_id) for p in me["positions"] if p.is_main), None)
    role_names = [r["name"] for r in role.list_roles(db) if r["id"] in set(me["role_ids"])]
    return {"name": me["name"], "login": me["login"], "roles": role_names,
            "position": main["name"] if main else "",
            "department": departments.get(main["department_id"], "") if main else ""}


class WorkbenchPanel(QFrame):
    """One card of the workbench: a title, the module's widget, and × when dismissable."""

    sig_dismissed = Signal(str)
    """The user closed the panel. Parameters: its key."""

    def __init__(self, key: str, title: str, widget: QWidget, order: int, dismissable: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.key, self.order, self.body = key, order, widget
        self.setObjectName(f"panel_{key}")
        self.setProperty("card", True)
        self.heading = QLabel(title)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold; color: #1f3b57;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        self.dismiss_button = None
        if dismissable:
            self.dismiss_button = QPushButton(self.tr("Do not show again"))
            self.dismiss_button.setFlat(True)
            self.dismiss_button.setObjectName(f"dismiss_{key}")
            self.dismiss_button.clicked.connect(lambda: self.sig_dismissed.emit(self.key))
            top.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.addLayout(top)
        layout.addWidget(widget)


class AccountPanel(QWidget):
    """我的帐号: the account, its place in the organisation, its roles and the server."""

    def __init__(self, db, server_label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.server_label = db, server_label
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1f3b57;")
        self.place = QLabel()
        self.place.setStyleSheet("font-size: 11pt; color: #555;")
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(24)
        self.facts.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.greeting)
        layout.addWidget(self.place)
        layout.addLayout(self.facts)

    def refresh(self) -> None:
        run_in_background(account_overview, self.db).on_success(self.show_account)

    def show_account(self, data: dict) -> None:
        self.greeting.setText(self.tr("Welcome, %1").replace("%1", data["name"]))
        self.place.setText(" · ".join(p for p in (data["department"], data["position"]) if p)
                           or self.tr("No main position yet"))
        permissions = (self.tr("All (administrator)") if self.db.can("system.admin")
                       else self.tr("%1 permission(s)").replace("%1", str(len(self.db.permissions))))
        rows = [(self.tr("Login"), data["login"]), (self.tr("Roles"), "、".join(data["roles"]) or self.tr("None")),
                (self.tr("Permissions"), permissions), (self.tr("Server"), self.server_label)]
        while self.facts.count():
            self.facts.takeAt(0).widget().deleteLater()
        for row, (name, value) in enumerate(rows):
            label = QLabel(name)
            label.setStyleSheet("color: #6b7785;")
            self.facts.addWidget(label, row, 0)
            value_label = QLabel(value)
            value_label.setWordWrap(True)  # a long server address must not widen the window
            self.facts.addWidget(value_label, row, 1)
        self.facts.setColumnStretch(1, 1)


def setup_steps_widget(owner: QWidget) -> QLabel:
    steps = [owner.tr("Create the organisations"), owner.tr("Create the departments"),
             owner.tr("Create the positions"), owner.tr("Create the accounts"), owner.tr("Create the roles"),
             owner.tr("Give the roles their permissions"), owner.tr("Give the accounts their roles")]
    items = "".join(f"<li>{step}</li>" for step in steps)
    hint = owner.tr("All of this is under the System menu; drag an account onto a position "
                    "in the organisation tree to move it.")
    label = QLabel(f"<ol style='color:#333; margin-left:-20px;'>{items}</ol><p style='color:#6b7785;'>{hint}</p>")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class Workbench(QScrollArea):
    """The central widget: panels ordered by ``order``, two columns when the centre is wide."""

    def __init__(self, db, settings: QSettings, server_label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.settings = db, settings
        self.setObjectName("workbench")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.panels: dict[str, WorkbenchPanel] = {}
        inner = QWidget()
        inner.setObjectName("workbench_inner")
        self.column = QVBoxLayout(inner)
        self.column.setContentsMargins(14, 14, 14, 14)
        self.column.setSpacing(12)
        self.column.addStretch(1)
        self.setWidget(inner)
        self.setMinimumWidth(240)
        inner.setStyleSheet("#workbench_inner { background: #f3f5f8; }"
                            "QFrame[card='true'] { background: white; border: 1px solid #d5dde6; border-radius: 8px; }"
                            "QFrame[card='true'] QLabel { border: none; background: transparent; }")
        self.account = AccountPanel(db, server_label)
        self.add_panel("account", self.tr("My account"), self.account, order=0)
        if not db.permissions:
            sentence = QLabel(self.tr("Your account has no role yet, so there is nothing for you to open. "
                                      "Ask your administrator to give your account a role."))
            sentence.setObjectName("no_role_sentence")
            sentence.setWordWrap(True)
            sentence.setStyleSheet("font-size: 12pt; color: #a0522d;")
            self.add_panel("no_role", self.tr("No role"), sentence, order=1)
        if any(db.can(p) for p in SETUP_PERMISSIONS) and not self._dismissed("setup"):
            self.add_panel("setup", self.tr("Setting up the system"), setup_steps_widget(self), order=900,
                           dismissable=True)

    def _dismiss_key(self, key: str) -> str:
        return f"workbench/{self.db.login}/dismissed/{key}"

    def _dismissed(self, key: str) -> bool:
        return str(self.settings.value(self._dismiss_key(key), "false")).lower() == "true"

    def add_panel(self, key: str, title: str, widget: QWidget, order: int = 100,
                  dismissable: bool = False) -> WorkbenchPanel:
        if key in self.panels:
            raise ValueError(f"a workbench panel {key!r} exists already")
        panel = WorkbenchPanel(key, title, widget, order, dismissable)
        panel.sig_dismissed.connect(self.dismiss)
        position = sum(1 for p in self.panels.values() if p.order <= order)
        self.column.insertWidget(position, panel)
        self.panels[key] = panel
        return panel

    def dismiss(self, key: str) -> None:
        panel = self.panels.pop(key, None)
        if panel is not None:
            self.settings.setValue(self._dismiss_key(key), True)
            panel.hide()
            panel.deleteLater()

    def panel_keys(self) -> list[str]:
        return [p.key for p in sorted(self.panels.values(), key=lambda p: p.order)]
