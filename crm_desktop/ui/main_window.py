"""The main window: the 工作台 (workbench) in the centre, docks around it, menus, a navigation
dock mirroring the menus, and the status bar.

Screens plug themselves in from their module's ``register(main_window, db)``; the window knows
none of them:

    window.add_module_action("customer", action, permission="customer.create")
    window.add_dock(dock)            # dock.objectName() must be set: the layout is saved by it
    window.add_workbench_panel("reminders", tr("Today's reminders"), widget,
                               permission="reminder", order=10)

``add_module_action``: menu keys, in menu-bar order, with the seed's menus: system (系统管理),
customer (客户管理), product (产品管理), sales (销售管理), orders (合同订单), finance (财务管理),
service (客服跟踪), view (视图), help (帮助).  A menu without actions is not shown, so modules not
built yet never appear as dead entries.  An action whose ``permission`` the account lacks (it holds
neither the code, a node above it, nor anything under it) is disabled and its tooltip names the
missing permission; the navigation dock (``dock_navigation``) lists the same entries.

``add_dock``: the dock's toggle goes to 视图; where it sits at first is decided by the kind of user
(``ui/layouts.py``: a rep starts with customers + pipeline + reminders, a finance clerk with the
ledger…, by objectName, e.g. dock_customers, dock_products, dock_org_tree, dock_reminders,
dock_pipeline, dock_approvals, dock_ledger); after that the user's own arrangement is saved per
login and restored at the next start (``restore_layout()``, called after every module registered).
视图 → 恢复默认布局 puts the default back.

``add_workbench_panel(key, title, widget, permission=None, order=100)``: a card on the workbench,
ordered by ``order`` (我的帐号 is 0, the set-up steps 900); without the permission the panel is not
added and None is returned.  Suggested orders: reminders 10, approvals 20, pipeline 30,
receivables 40.

F5 emits ``sig_refresh_requested``; Ctrl+F calls ``focus_find()`` on the focused dock's widget (or
the dock) and emits ``sig_find_requested``.  ``show_status(text, link_path=None)`` says in the
status bar what an action did (a link opens the file).  ``sig_log_out_requested`` asks the
launcher to close the window and show the login dialog again.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QMenu, QMessageBox, QWidget

from shiboken6 import isValid

from crm_desktop import __version__
from crm_desktop.messages import permission_name
from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.i18n import LANGUAGES
from crm_desktop.ui.layouts import apply_default_layout, user_kind
from crm_desktop.ui.navigation import NavigationDock
from crm_desktop.ui.org import OrgTreeDock
from crm_desktop.ui.workbench import Workbench, account_overview  # noqa: F401 - account_overview: old import path

log = logging.getLogger(__name__)

# modules with a ``register(main_window, db)``; each engineer adds theirs here
MODULES = ["crm_desktop.ui.admin", "crm_desktop.ui.customer", "crm_desktop.ui.product", "crm_desktop.ui.printing",
           "crm_desktop.ui.approval", "crm_desktop.ui.quote", "crm_desktop.ui.followup"]
MENU_KEYS = ["system", "customer", "product", "sales", "orders", "finance", "service", "view", "help"]
LAYOUT_VERSION = 2  # a layout saved by an older window is not restored (the default is shown)


def register_modules(window: "MainWindow", db, modules: list[str] = MODULES) -> list[str]:
    """Let each module add its actions and docks; one that fails to load is logged and skipped.
    Returns the names of those that failed (also kept as ``window.failed_modules``)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name).register(window, db)
        except Exception:  # noqa: BLE001 - one broken module must not keep the CRM from starting
            log.exception("module %s could not be registered", name)
            failed.append(name)
    window.failed_modules = failed
    return failed


def holds(db, permission: str) -> bool:
    """The account holds ``permission``, a node above it, or a permission under it (a screen is
    usable with any of its permissions; the server decides each write)."""
    return db.can(permission) or any(p.startswith(permission + ".") for p in db.permissions)


class MainWindow(QMainWindow):
    """The CRM's one main window for the logged-in account ``db``."""

    sig_refresh_requested = Signal()
    """F5: every screen reloads what it shows."""
    sig_find_requested = Signal()
    """Ctrl+F: the focused screen offers its search."""
    sig_language_chosen = Signal(str)
    """The user chose a UI language (applies at the next start). Parameters: "zh_CN" or "en"."""
    sig_log_out_requested = Signal()
    """退出登录 / 切换用户: the launcher closes this window and shows the login dialog."""
    sig_status_shown = Signal(str)
    """A success was reported in the status bar. Parameters: the text."""

    def __init__(self, db, settings: QSettings | None = None, server_label: str = "",
                 language: str = "zh_CN", changes=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.settings = settings or QSettings()
        self.server_label = server_label or db.address.label()
        self.changes = changes  # the ChangeBridge, for screens that refresh on NOTIFY
        self.kind = user_kind(db)
        self.logging_out = False
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("CRM — Customer relationship management"))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, self.tabPosition(Qt.DockWidgetArea.LeftDockWidgetArea))
        self._menus: dict[str, QMenu] = {}
        self._build_menus(language)
        self.workbench = Workbench(db, self.settings, self.server_label)
        self.overview = self.workbench.account
        self.setCentralWidget(self.workbench)
        self.navigation = NavigationDock(self._menus, MENU_KEYS, self)
        self.add_dock(self.navigation, Qt.DockWidgetArea.LeftDockWidgetArea)
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
        if db.permissions:
            self.org_dock.refresh()
        self.overview.refresh()
        self.navigation.rebuild()

    # -- the registration API ----------------------------------------------------------------
    def add_module_action(self, menu_key: str, action: QAction, permission: str | None = None) -> QAction:
        """Put ``action`` in the menu ``menu_key``; disabled, with a tooltip naming the permission,
        when the account lacks ``permission``."""
        if permission is not None and not holds(self.db, permission):
            action.setEnabled(False)
            action.setToolTip(self.missing_permission_text(permission))
        menu = self._menus[menu_key]
        before = getattr(menu, "module_anchor", None)  # module entries go above the fixed ones
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        menu.menuAction().setVisible(True)
        self.navigation.rebuild_timer.start()
        return action

    def missing_permission_text(self, permission: str) -> str:
        return self.tr("Needs the permission: %1").replace("%1", permission_name(permission))

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea) -> QDockWidget:
        """Add a dock whose place is saved with the layout; its show/hide toggle goes to 视图."""
        if not dock.objectName():
            raise ValueError("a dock needs an objectName: the saved layout is keyed by it")
        self.addDockWidget(area, dock)
        self._menus["view"].insertAction(self._menus["view"].module_anchor, dock.toggleViewAction())
        return dock

    def add_workbench_panel(self, key: str, title: str, widget: QWidget, permission: str | None = None,
                            order: int = 100):
        """A card on the workbench for this person; None (and nothing added) without ``permission``."""
        if permission is not None and not holds(self.db, permission):
            widget.deleteLater()
            return None
        return self.workbench.add_panel(key, title, widget, order)

    def show_status(self, text: str, link_path: str | Path | None = None, timeout_ms: int = 15000) -> None:
        """What an action did, in the status bar; ``link_path``: a link that opens that file."""
        if link_path is not None:
            url = QUrl.fromLocalFile(str(link_path)).toString()
            self.status_link.setText(f'{text} <a href="{url}">{self.tr("Open")}</a>')
            self.status_link.show()
            self.statusBar().clearMessage()
        else:
            self.status_link.hide()
            self.statusBar().showMessage(text, timeout_ms)
        self.last_status = text
        self.sig_status_shown.emit(text)

    def menu(self, menu_key: str) -> QMenu:
        return self._menus[menu_key]

    def visible_menu_titles(self) -> list[str]:
        return [a.text() for a in self.menuBar().actions() if a.isVisible()]

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self, language: str) -> None:
        titles = {"system": self.tr("&System management"), "customer": self.tr("&Customer management"),
                  "product": self.tr("&Product management"), "sales": self.tr("S&ales management"),
                  "orders": self.tr("C&ontracts and orders"), "finance": self.tr("&Finance management"),
                  "service": self.tr("Customer ser&vice"), "view": self.tr("&View"), "help": self.tr("&Help")}
        for key in MENU_KEYS:
            menu = self.menuBar().addMenu(titles[key])
            menu.setObjectName(f"menu_{key}")
            menu.setToolTipsVisible(True)  # a disabled entry says which permission is missing
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
        self.password_action = self._fixed("system", self.tr("Change my &password…"), self.change_password,
                                           name="action_change_password")
        if getattr(self.db, "ukey_session", None) is not None:
            self.password_action.setEnabled(False)
            self.password_action.setToolTip(self.tr("A UKey account's password is set when its key is bound; "
                                                    "the key's PIN protects it."))
        self.log_out_action = self._fixed("system", self.tr("&Log out / switch user"), self.log_out,
                                          name="action_log_out")
        self._fixed("system", self.tr("E&xit"), self.close, QKeySequence.StandardKey.Quit, "action_exit")

    def _fixed_view_actions(self, language: str) -> None:
        self.refresh_action = self._fixed("view", self.tr("&Refresh"), self.sig_refresh_requested.emit,
                                          QKeySequence.StandardKey.Refresh, "action_refresh")
        self.refresh_action.setShortcuts([QKeySequence("F5")])
        self.find_action = self._fixed("view", self.tr("&Find…"), self.find, QKeySequence("Ctrl+F"), "action_find")
        self.reset_layout_action = self._fixed("view", self.tr("Restore the &default layout"),
                                               self.reset_layout, name="action_reset_layout")
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

    def about_text(self, server_version: str) -> str:
        return (self.tr("<b>CRM desktop</b> %1<br>Customer relationship management for the office.<br>"
                        "Every rule is kept by the PostgreSQL server: %2<br>Server version: %3")
                .replace("%1", __version__).replace("%2", self.server_label).replace("%3", server_version))

    def show_about(self) -> QMessageBox:
        from crm_desktop.services.my_account import server_version

        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About CRM"), self.about_text("…"),
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("about_box")
        box.open()
        def show(version: str) -> None:
            if isValid(box):  # the box may be closed before the server answers
                box.setText(self.about_text(version))

        (run_in_background(server_version, self.db).on_success(show)
         .on_failure(lambda _e: show(self.tr("unknown"))))
        self.about_box = box
        return box

    def change_password(self):
        from crm_desktop.ui.account_dialogs import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.db, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_changed.connect(lambda: self.show_status(self.tr("Your password was changed.")))
        dialog.open()
        self.password_dialog = dialog
        return dialog

    def log_out(self) -> None:
        """Save the layout, close, and let the launcher show the login dialog."""
        self.logging_out = True
        self.sig_log_out_requested.emit()
        self.close()

    # -- status bar and layout -----------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.last_status = ""
        self.status_link = QLabel()
        self.status_link.setObjectName("status_link")
        self.status_link.setTextFormat(Qt.TextFormat.RichText)
        self.status_link.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.status_link.hide()
        self.statusBar().addWidget(self.status_link, 1)
        self.statusBar().messageChanged.connect(lambda text: text and self.status_link.hide())
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

    def _layout_key(self, name: str) -> str:
        return f"main_window/{self.db.login}/{name}"

    def reset_layout(self) -> list[str]:
        """The default arrangement for this kind of user (rep, manager, finance, service, admin)."""
        return apply_default_layout(self, self.kind)

    def restore_layout(self) -> bool:
        """Put docks and the window back where this user left them, else the default arrangement for
        the kind of user; call after every module registered."""
        self.navigation.rebuild()
        geometry, state = self.settings.value(self._layout_key("geometry")), self.settings.value(self._layout_key("state"))
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None and self.restoreState(state, LAYOUT_VERSION):
            return True
        self.reset_layout()
        return False

    def save_layout(self) -> None:
        self.settings.setValue(self._layout_key("geometry"), self.saveGeometry())
        self.settings.setValue(self._layout_key("state"), self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_layout()
        super().closeEvent(event)
