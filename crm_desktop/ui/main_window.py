"""The main window: menus, docks, the overview page and the status bar.

Screens plug themselves in; the window knows none of them:

    window.add_module_action("customer", action, permission="customer.create")
    window.add_dock(dock)            # dock.objectName() must be set: the layout is saved by it

Menu keys, in menu-bar order: system (系统管理), customer (客户), product (产品), sales (销售),
finance (财务), service (客服), view (视图), help (帮助).  A menu without actions is not shown, so
modules not built yet never appear as dead entries.  F5 emits ``sig_refresh_requested``; Ctrl+F
calls ``focus_find()`` on the focused dock's widget (or the dock) and emits ``sig_find_requested``.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QFrame, QGridLayout, QHBoxLayout, QLabel, QMainWindow,
                               QMenu, QMessageBox, QVBoxLayout, QWidget)

from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.i18n import LANGUAGES
from crm_desktop.ui.org import OrgTreeDock

log = logging.getLogger(__name__)

# modules with a ``register(main_window, db)``; each engineer adds theirs here
MODULES = ["crm_desktop.ui.admin", "crm_desktop.ui.customer", "crm_desktop.ui.product", "crm_desktop.ui.followup"]
MENU_KEYS = ["system", "customer", "product", "sales", "finance", "service", "view", "help"]


def register_modules(window: "MainWindow", db, modules: list[str] = MODULES) -> None:
    """Let each module add its actions and docks; one that fails to load is logged and skipped."""
    for name in modules:
        try:
            importlib.import_module(name).register(window, db)
        except Exception:  # noqa: BLE001 - one broken module must not keep the CRM from starting
            log.exception("module %s could not be registered", name)


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


class OverviewPage(QWidget):
    """The central page: the account, its place in the organisation, its roles and permissions."""

    def __init__(self, db, server_label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.server_label = db, server_label
        self.setObjectName("overview")
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 20pt; font-weight: bold; color: #1f3b57;")
        self.place = QLabel()
        self.place.setStyleSheet("font-size: 11pt; color: #555;")
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(24)
        self.facts.setVerticalSpacing(10)
        self.steps = QLabel(self._steps_text())
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        steps_layout = QVBoxLayout()
        steps_layout.addWidget(self.steps)
        cards = QHBoxLayout()
        cards.setSpacing(20)
        cards.addWidget(self._card(self.tr("My account"), self.facts), 1)
        cards.addWidget(self._card(self.tr("Setting up the system"), steps_layout), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 26, 24, 26)
        layout.setSpacing(8)
        for widget in (self.greeting, self.place):
            layout.addWidget(widget)
        layout.addSpacing(14)
        layout.addLayout(cards)
        layout.addStretch(1)
        self.setStyleSheet("#overview { background: #f3f5f8; }"
                           "QFrame[card='true'] { background: white; border: 1px solid #d5dde6; border-radius: 8px; }"
                           "QFrame[card='true'] QLabel { border: none; background: transparent; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

    @staticmethod
    def _card(title: str, body) -> QFrame:
        card = QFrame()
        card.setProperty("card", True)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 12pt; font-weight: bold; color: #1f3b57;")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(20, 16, 20, 18)
        layout.addWidget(heading)
        layout.addLayout(body)
        layout.addStretch(1)
        card.setMaximumWidth(520)
        return card

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

    def _steps_text(self) -> str:
        steps = [self.tr("Create the organisations"), self.tr("Create the departments"),
                 self.tr("Create the positions"), self.tr("Create the accounts"), self.tr("Create the roles"),
                 self.tr("Give the roles their permissions"), self.tr("Give the accounts their roles")]
        items = "".join(f"<li>{step}</li>" for step in steps)
        hint = self.tr("All of this is under the System menu; drag an account onto a position "
                       "in the organisation tree to move it.")
        return f"<ol style='color:#333; margin-left:-20px;'>{items}</ol><p style='color:#6b7785;'>{hint}</p>"


class MainWindow(QMainWindow):
    """The CRM's one main window for the logged-in account ``db``."""

    sig_refresh_requested = Signal()
    """F5: every screen reloads what it shows."""
    sig_find_requested = Signal()
    """Ctrl+F: the focused screen offers its search."""
    sig_language_chosen = Signal(str)
    """The user chose a UI language (applies at the next start). Parameters: "zh_CN" or "en"."""

    def __init__(self, db, settings: QSettings | None = None, server_label: str = "",
                 language: str = "zh_CN", changes=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.settings = settings or QSettings()
        self.server_label = server_label or db.address.label()
        self.changes = changes  # the ChangeBridge, for screens that refresh on NOTIFY
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("CRM — Customer relationship management"))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self._menus: dict[str, QMenu] = {}
        self._build_menus(language)
        self.overview = OverviewPage(db, self.server_label)
        self.setCentralWidget(self.overview)
        self.org_dock = OrgTreeDock(db, self)
        self.add_dock(self.org_dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.sig_refresh_requested.connect(self.org_dock.refresh)
        self.sig_refresh_requested.connect(self.overview.refresh)
        self._build_status_bar()
        if changes is not None:
            self.org_dock.connect_changes(changes)
            changes.sig_listening.connect(lambda: self._set_live(True))
            changes.sig_connection_lost.connect(lambda _m: self._set_live(False))
        self.resize(1280, 800)
        self.org_dock.refresh()
        self.overview.refresh()

    # -- the registration API ----------------------------------------------------------------
    def add_module_action(self, menu_key: str, action: QAction, permission: str | None = None) -> QAction:
        """Put ``action`` in the menu ``menu_key``; disabled when the account lacks ``permission``."""
        if permission is not None and not self.db.can(permission):
            action.setEnabled(False)
            action.setToolTip(self.tr("You do not have the permission for this."))
        menu = self._menus[menu_key]
        before = getattr(menu, "module_anchor", None)  # module entries go above the fixed ones
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        menu.menuAction().setVisible(True)
        return action

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea) -> QDockWidget:
        """Add a dock whose place is saved with the layout; its show/hide toggle goes to 视图."""
        if not dock.objectName():
            raise ValueError("a dock needs an objectName: the saved layout is keyed by it")
        self.addDockWidget(area, dock)
        self._menus["view"].insertAction(self._menus["view"].module_anchor, dock.toggleViewAction())
        return dock

    def menu(self, menu_key: str) -> QMenu:
        return self._menus[menu_key]

    def visible_menu_titles(self) -> list[str]:
        return [a.text() for a in self.menuBar().actions() if a.isVisible()]

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self, language: str) -> None:
        titles = {"system": self.tr("&System"), "customer": self.tr("&Customers"), "product": self.tr("&Products"),
                  "sales": self.tr("S&ales"), "finance": self.tr("&Finance"), "service": self.tr("Ser&vice"),
                  "view": self.tr("V&iew"), "help": self.tr("&Help")}
        for key in MENU_KEYS:
            menu = self.menuBar().addMenu(titles[key])
            menu.setObjectName(f"menu_{key}")
            menu.module_anchor = None
            menu.menuAction().setVisible(False)
            self._menus[key] = menu
        self._fixed_system_actions()
        self._fixed_view_actions(language)
        self._fixed_help_actions()

    def _fixed(self, menu_key: str, text: str, slot, shortcut=None, name: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu = self._menus[menu_key]
        if menu.module_anchor is None:
            menu.module_anchor = menu.addSeparator()
        menu.addAction(action)
        menu.menuAction().setVisible(True)
        return action

    def _fixed_system_actions(self) -> None:
        self._fixed("system", self.tr("E&xit"), self.close, QKeySequence.StandardKey.Quit, "action_exit")

    def _fixed_view_actions(self, language: str) -> None:
        self.refresh_action = self._fixed("view", self.tr("&Refresh"), self.sig_refresh_requested.emit,
                                          QKeySequence.StandardKey.Refresh, "action_refresh")
        self.refresh_action.setShortcuts([QKeySequence("F5")])
        self.find_action = self._fixed("view", self.tr("&Find…"), self.find, QKeySequence("Ctrl+F"), "action_find")
        languages = self._menus["view"].addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = languages.addAction(name)
            action.setObjectName(f"action_language_{code}")
            action.setCheckable(True)
            action.setChecked(code == language)
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            group.addAction(action)

    def _fixed_help_actions(self) -> None:
        self._fixed("help", self.tr("&About CRM"), self.show_about, name="action_about")

    def find(self) -> None:
        """Ctrl+F: the dock or screen holding the focus searches; otherwise the organisation tree."""
        widget = QApplication.focusWidget()
        while widget is not None and not hasattr(widget, "focus_find"):
            widget = widget.parentWidget()
        (widget or self.org_dock).focus_find()
        self.sig_find_requested.emit()

    def choose_language(self, language: str) -> None:
        self.settings.setValue("ui/language", language)
        self.statusBar().showMessage(self.tr("The new language is used when CRM starts again."), 8000)
        self.sig_language_chosen.emit(language)

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About CRM"), self.tr(
            "<b>CRM desktop</b><br>Customer relationship management for the office.<br>"
            "Every rule is kept by the PostgreSQL server: %1").replace("%1", self.server_label))

    # -- status bar and layout -----------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.account_label = QLabel(self.tr("Logged in: %1").replace("%1", self.db.login))
        self.server_status = QLabel(self.tr("Server: %1").replace("%1", self.server_label))
        self.live_label = QLabel()
        for widget in (self.account_label, self.server_status, self.live_label):
            widget.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(widget)
        self._set_live(None)

    def _set_live(self, live: bool | None) -> None:
        texts = {None: "", True: self.tr("● Live updates on"), False: self.tr("○ Live updates interrupted")}
        self.live_label.setText(texts[live])

    def restore_layout(self) -> bool:
        """Put docks and the window back where the user left them; call after every add_dock."""
        geometry, state = self.settings.value("main_window/geometry"), self.settings.value("main_window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        return bool(state is not None and self.restoreState(state))

    def save_layout(self) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_layout()
        super().closeEvent(event)
