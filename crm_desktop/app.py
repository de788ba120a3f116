"""``crm-desktop``: start the Qt application, find the server, log in, open the main window.

    crm-desktop                          this PC's private server (created on first start)
    crm-desktop --data DIR               this PC's server, kept in DIR
    crm-desktop --server host:port/db    a server on the network
    crm-desktop --lang en                English instead of Chinese (remembered)
    crm-desktop --forget-server host:port   drop the trusted certificate of a server (it was replaced)
    crm-desktop --check-display          open the display, say which, and quit (0: the desktop can start)

This PC's server stops when the last crm-desktop using it quits — by its last window, the login
dialog or the first-run set-up cancelled, or SIGTERM/SIGINT/SIGHUP (a session logging out).
"""

from __future__ import annotations

import argparse
import logging
import sys

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from crm_desktop.config import Config, Profile, default_data_dir, local_profile, parse_server
from crm_desktop.messages import translate_error
from crm_desktop.ui.common.tasks import cancel_all_and_wait, set_unhandled_failure_handler

log = logging.getLogger(__name__)


def guard_against_pyside_emit_refcount_bug() -> None:
    """PySide6 6.12.0 drops a reference to True per ``Signal.emit()`` and to None per Python
    callback run from C++; after a few thousand signals CPython < 3.12 aborts ("bool_dealloc",
    "none_dealloc").  Until the dependency is pinned to another release (6.11.3 is fine), give
    the singletons references they can never run out of (CPython 3.12+ makes them immortal)."""
    import ctypes

    import PySide6

    if PySide6.__version__ != "6.12.0" or sys.version_info >= (3, 12) or getattr(sys, "_crm_bools_guarded", False):
        return
    for singleton in (True, False, None):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    sys._crm_bools_guarded = True


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="crm-desktop", description="CRM desktop client")
    parser.add_argument("--data", metavar="DIR", help="folder of this PC's embedded server")
    parser.add_argument("--server", metavar="HOST:PORT/DB", help="a PostgreSQL server on the network")
    parser.add_argument("--lang", choices=["zh_CN", "zh", "en"], help="user interface language")
    parser.add_argument("--check-display", action="store_true",
                        help="open a window on the display, print Qt's platform and the screen, and quit")
    parser.add_argument("--forget-server", metavar="HOST:PORT",
                        help="forget the certificate this PC trusts for a server, then exit")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def chosen_profile(args: argparse.Namespace, config: Config) -> Profile:
    """--server, then --data, then the last profile used, else this PC (the first start)."""
    if args.server:
        return parse_server(args.server)
    if args.data:
        return local_profile(args.data)
    return config.last_profile() or local_profile()


class Launcher(QObject):
    """The start-up sequence: server (first run) → login dialog → main window."""

    def __init__(self, app: QApplication, config: Config, profile: Profile, language: str):
        super().__init__(app)
        self.app, self.config, self.profile, self.language = app, config, profile, language
        self.first_run = self.login_dialog = self.window = self.bridge = None

    def start(self) -> None:
        if not self.profile.is_local:
            self.show_login(None)
            return
        from crm_desktop.ui.first_run import FirstRun

        self.first_run = FirstRun(self.profile.data_path(), self)
        self.first_run.sig_ready.connect(self.show_login)
        self.first_run.sig_failed.connect(self.fail)
        self.first_run.start()

    def show_login(self, local_server) -> None:
        from crm_desktop.ui.login import LoginDialog

        data_dir = self.profile.data_dir if self.profile.is_local else ""
        local = (lambda: local_server.address) if local_server is not None else self._start_local_later
        self.login_dialog = LoginDialog(self.config, local, local_data_dir=data_dir)
        self.login_dialog.set_profile(self.profile)
        self.login_dialog.sig_logged_in.connect(self.open_main_window)
        self.login_dialog.rejected.connect(self.app.quit)
        self.login_dialog.show()

    @staticmethod
    def _start_local_later():
        """Worker thread: "this PC" chosen in the dialog while a network profile was in use."""
        from crm_desktop.ui.first_run import prepare_local_server

        return prepare_local_server(default_data_dir()).address

    def open_main_window(self, db) -> None:
        from crm_desktop.db.notify import ChangeBridge
        from crm_desktop.ui.main_window import MainWindow, register_modules

        self.bridge = ChangeBridge(db)
        self.window = MainWindow(db, self.config.settings, db.address.label(), self.language, changes=self.bridge)
        register_modules(self.window, db)
        self.window.restore_layout()
        self.window.sig_log_out_requested.connect(lambda: self.log_out(db))
        self.window.show()
        self.bridge.start()
        self.app.setQuitOnLastWindowClosed(True)
        self._db = db
        if not getattr(self, "_quit_hooked", False):
            self.app.aboutToQuit.connect(lambda: self.shut_down(self._db))
            self._quit_hooked = True
        self._guard_ukey(db)

    def log_out(self, db) -> None:
        """退出登录 / 切换用户: the window is closing; end this account's connections and ask again."""
        self.app.setQuitOnLastWindowClosed(False)  # the login dialog comes next, not the end
        window, self.window = self.window, None
        window.close()  # saves the layout
        self.shut_down(db)
        self._db = None
        window.deleteLater()
        local = self.login_dialog._local_address if self.login_dialog is not None else None
        from crm_desktop.ui.login import LoginDialog

        data_dir = self.profile.data_dir if self.profile.is_local else ""
        self.login_dialog = LoginDialog(self.config, local, local_data_dir=data_dir)
        self.login_dialog.set_profile(self.config.last_profile() or self.profile)
        self.login_dialog.sig_logged_in.connect(self.open_main_window)
        self.login_dialog.rejected.connect(self.app.quit)
        self.login_dialog.show()

    def _guard_ukey(self, db) -> None:
        """A UKey session locks the window while its key is out of the reader."""
        if getattr(db, "ukey_session", None) is None:
            return
        from crm_desktop.ui.ukey.lock_guard import guard_window

        self.window.ukey_guard = guard_window(self.window, db)

    def shut_down(self, db) -> None:
        if self.bridge is not None:
            self.bridge.stop()
            self.bridge = None
        cancel_all_and_wait()
        if db is not None:
            db.close()

    def release_local_servers(self) -> None:
        """After the event loop: stop this PC's server if no other crm-desktop uses it."""
        from crm_desktop.ui.first_run import release_local_servers

        cancel_all_and_wait(60_000)  # a first run still migrating the server finishes first
        release_local_servers()

    def fail(self, sentence: str) -> None:
        QMessageBox.critical(None, self.tr("CRM"), sentence)
        self.app.quit()


def _show_unhandled_failure(task, error: BaseException) -> None:
    log.error("background task %s failed", task.name, exc_info=error)
    parent = QApplication.activeWindow()
    QMessageBox.warning(parent, QApplication.translate("Launcher", "CRM"), str(translate_error(error)))


def _collect_garbage_on_the_gui_thread(app) -> None:
    """Anki's rule: no automatic garbage collection while Qt runs (a cycle collected at an arbitrary
    moment can free Qt wrappers a worker thread is finishing with); collect from a timer instead."""
    import gc

    from PySide6.QtCore import QTimer

    gc.disable()
    timer = QTimer(app)
    timer.timeout.connect(gc.collect)
    timer.start(60_000)


def _quit_on_termination_signals(app) -> None:
    """SIGTERM, SIGINT and SIGHUP end the event loop (``exit``: ``quit`` would first close the
    windows, and a first-run set-up closed that way asks for an answer nobody gives).  Python runs
    its handlers only between bytecodes, so the C-level handler's wake-up byte, written to a
    socket Qt watches, brings the interpreter back while Qt waits for events."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    for end in (reader, writer):
        end.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: reader.recv(64))
    app._termination_wakeup = (reader, writer, notifier)
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: app.exit(0))


def check_display(app) -> int:
    """The display works: Qt's platform plugin loaded (else QApplication has already aborted with
    Qt's message) and a window shows on the primary screen."""
    from PySide6.QtWidgets import QLabel

    window = QLabel("CRM")
    window.show()
    app.processEvents()
    screen = app.primaryScreen()
    size = screen.size() if screen is not None else None
    print(f"Qt platform {app.platformName()}, screen {size.width()}x{size.height()}" if size
          else f"Qt platform {app.platformName()}, no screen")
    window.close()
    return 0 if size is not None else 1


def forget_server(spec: str) -> int:
    """--forget-server: the next connection to the server shows its (new) fingerprint again."""
    from crm_desktop.db import tls

    profile = parse_server(spec)
    forgotten = tls.forget(profile.host, profile.port)
    print(f"{profile.host}:{profile.port}: " + ("certificate forgotten" if forgotten else "no certificate was trusted"))
    return 0 if forgotten else 1


def main(argv: list[str] | None = None) -> int:
    from crm_desktop.ui.common.fonts import install_app_font
    from crm_desktop.ui.common.icon import install_app_icon
    from crm_desktop.ui.i18n import install_translations, normalise

    guard_against_pyside_emit_refcount_bug()
    argv = sys.argv if argv is None else [sys.argv[0], *argv]
    logging.basicConfig(level=logging.WARNING)  # yoyo logs every migration step at INFO
    args = parse_args(argv[1:])
    if args.forget_server:
        return forget_server(args.forget_server)
    app = QApplication(argv)
    if args.check_display:
        return check_display(app)
    _collect_garbage_on_the_gui_thread(app)
    _quit_on_termination_signals(app)
    app.setOrganizationName("crm-desktop")
    app.setApplicationName("crm-desktop")
    app.setDesktopFileName("crm-desktop")  # Wayland's app id: the menu entry's name and icon
    app.setQuitOnLastWindowClosed(False)  # dialogs come and go before the main window exists
    install_app_font(app)
    install_app_icon(app)
    config = Config()
    if args.lang:
        config.set_language(normalise(args.lang))
    language = install_translations(app, config.language())
    set_unhandled_failure_handler(_show_unhandled_failure)
    launcher = Launcher(app, config, chosen_profile(args, config), language)
    from crm_desktop.smoke import start_if_asked

    smoke = start_if_asked(app)  # noqa: F841 - CRM_DESKTOP_SMOKE: drives itself to the main window
    launcher.start()
    try:
        return app.exec()
    finally:
        launcher.release_local_servers()


if __name__ == "__main__":
    sys.exit(main())
