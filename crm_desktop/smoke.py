"""The smoke run: ``CRM_DESKTOP_SMOKE=LOGFILE`` makes crm-desktop drive itself to the main window,
write each step to LOGFILE, and quit — how the installers' tests check a frozen or installed program
without a person at the screen (installers/README.md).

    CRM_DESKTOP_SMOKE=/tmp/smoke.log CRM_DESKTOP_SMOKE_PASSWORD=… QT_QPA_PLATFORM=offscreen crm-desktop

It answers what a new user answers: on a first start the administrator set-up (login ``admin`` —
or ``CRM_DESKTOP_SMOKE_LOGIN`` — with the given password), then the login dialog with the same
account, and in the main window it records the menus and the modules that failed to register.
Exit status 0: the main window opened with every module; 3: some module failed; 1: an error message
was shown (its text is in the log); 2: no main window within ``CRM_DESKTOP_SMOKE_TIMEOUT`` seconds
(240).  It types only what a user could type: it has no access the password does not give.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox

ENV = "CRM_DESKTOP_SMOKE"


class SmokeDriver(QObject):
    def __init__(self, app: QApplication, log_path: str, login: str, password: str, timeout: float):
        super().__init__(app)
        self.app, self.log_path, self.login, self.password = app, log_path, login, password
        self.started = time.monotonic()
        self.handled: list = []
        self.finished = False
        self.timer = QTimer(self, interval=200)
        self.timer.timeout.connect(self.step)
        self.timer.start()
        QTimer.singleShot(int(timeout * 1000), self.timed_out)
        self.say(f"smoke run started (pid {os.getpid()})")

    def say(self, text: str) -> None:
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"{time.monotonic() - self.started:7.2f}s {text}\n")

    def finish(self, code: int, text: str) -> None:
        if self.finished:
            return
        self.finished = True
        self.timer.stop()
        self.say(f"{text}; exit {code}")
        QTimer.singleShot(0, lambda: self.app.exit(code))

    def timed_out(self) -> None:
        self.finish(2, "no main window in time")

    def step(self) -> None:
        from crm_desktop.ui.first_run import AdminSetupDialog
        from crm_desktop.ui.login import LoginDialog
        from crm_desktop.ui.main_window import MainWindow

        for widget in QApplication.topLevelWidgets():
            if self.finished or not widget.isVisible() or any(widget is seen for seen in self.handled):
                continue
            if isinstance(widget, MainWindow):
                self.handled.append(widget)
                self.main_window(widget)
            elif isinstance(widget, AdminSetupDialog):
                self.handled.append(widget)
                self.say("first run: the administrator set-up is shown")
                widget.login_edit.setText(self.login)
                widget.password_edit.setText(self.password)
                widget.confirm_edit.setText(self.password)
                widget.sig_admin_created.connect(lambda login: self.say(f"administrator {login} created"))
                widget.submit()
            elif isinstance(widget, LoginDialog):
                self.handled.append(widget)
                self.say("the login dialog is shown")
                widget.login_edit.setText(self.login)
                widget.password_edit.setText(self.password)
                widget.sig_logged_in.connect(lambda _db: self.say(f"logged in as {self.login}"))
                widget.sig_login_failed.connect(lambda key: self.finish(1, f"login refused: {key}"))
                widget.submit()
            elif isinstance(widget, QMessageBox):
                self.finish(1, f"a message was shown: {widget.text()}")

    def main_window(self, window) -> None:
        menus = [action.text().replace("&", "") for action in window.menuBar().actions() if action.isVisible()]
        docks = sorted(dock.objectName() for dock in window.findChildren(QDockWidget))
        failed = list(getattr(window, "failed_modules", []))
        self.say(f"the main window is shown: {window.windowTitle()}")
        self.say(f"menus: {' | '.join(menus)}")
        self.say(f"docks: {' | '.join(docks)}")
        if failed:
            self.finish(3, f"modules that failed to register: {', '.join(failed)}")
        else:
            self.finish(0, "every module registered")


def start_if_asked(app: QApplication) -> SmokeDriver | None:
    """The driver when CRM_DESKTOP_SMOKE names a log file, else None."""
    log_path = os.environ.get(ENV)
    if not log_path:
        return None
    password = os.environ.get(f"{ENV}_PASSWORD", "")
    return SmokeDriver(app, log_path, os.environ.get(f"{ENV}_LOGIN", "admin"), password,
                       float(os.environ.get(f"{ENV}_TIMEOUT", "240")))
