"""Locks the main window while the UKey of a UKey session is out of the reader.

    self.ukey_guard = guard_window(self, db)   # None for ordinary accounts

Pulling the key covers the window and opens a modal unlock dialog within one poll (500 ms); the
window and its open forms are left exactly as they were — nothing is closed or reset.  The same
key and its PIN unlock: the card must answer this session's challenge again (``UKeySession``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from crm_desktop import messages
from crm_desktop.services.ukey import UKeySession
from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.ukey.pin_prompt import UKeyPinPrompt
from crm_desktop.ui.ukey.watcher import CardStatus, CardWatcher

POLL_MS = 500


class LockOverlay(QWidget):
    """An opaque cover over the window, so nothing of the work shows while it is locked."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("LockOverlay { background: #3c4a5c; } QLabel { color: white; font-size: 16pt; }")
        label = QLabel(self.tr("Locked: the UKey was removed"))
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 48, 24, 24)
        layout.addWidget(label)
        window.installEventFilter(self)
        self.setGeometry(window.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False


class UnlockDialog(QDialog):
    """Modal over the whole application until the session's key and PIN are back."""

    sig_unlocked = Signal()
    """The key and PIN were checked; the window may be used again."""
    sig_exit_requested = Signal()
    """The user chose to quit instead of unlocking."""

    def __init__(self, session: UKeySession, parent: QWidget | None = None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.session = session
        self.unlocked = False
        self.setWindowTitle(self.tr("CRM is locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        intro = QLabel(self.tr("The UKey was removed, so CRM is locked. Your open work is kept. "
                               "Insert the UKey of %1 and enter its PIN to continue.").replace("%1", session.login))
        intro.setWordWrap(True)
        self.prompt = UKeyPinPrompt(self, expected_card_id=session.card_id, reader=session.reader,
                                    interval_ms=interval_ms)
        self.prompt.sig_submitted.connect(self.unlock)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.exit_button = QPushButton(self.tr("Quit CRM"))
        self.exit_button.clicked.connect(self.sig_exit_requested)
        buttons = QDialogButtonBox()
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.exit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        for widget in (intro, self.prompt, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(440)

    def unlock(self) -> None:
        if not self.prompt.status.present:
            self.prompt.show_error(messages.text("ukey_no_card"))
            return
        self.unlock_button.setEnabled(False)
        task = run_in_background(self.session.unlock, self.prompt.pin())
        task.on_success(lambda _none: self._unlocked()).on_failure(self._refused)
        task.on_finished(lambda: self.unlock_button.setEnabled(True))

    def _unlocked(self) -> None:
        self.unlocked = True
        self.prompt.clear_pin()
        self.prompt.watcher.stop()
        self.hide()
        self.sig_unlocked.emit()

    def _refused(self, error: BaseException) -> None:
        self.prompt.clear_pin()
        self.prompt.show_error(error)

    def reject(self) -> None:
        """Esc does not unlock."""

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self.unlocked:
            event.ignore()


class LockGuard(QObject):
    """Watches the reader for one UKey session and locks ``window`` while the key is out."""

    sig_card_removed = Signal()
    """The session's key left the reader (the lock follows at once)."""
    sig_locked = Signal()
    """The window is covered and the unlock dialog is open."""
    sig_unlocked = Signal()
    """The key and its PIN were checked; the window is usable again."""

    def __init__(self, window: QWidget, session: UKeySession, interval_ms: int = POLL_MS):
        super().__init__(window)
        self.window, self.session, self.interval_ms = window, session, interval_ms
        self.overlay: LockOverlay | None = None
        self.dialog: UnlockDialog | None = None
        self.watcher = CardWatcher(self, reader=session.reader, interval_ms=interval_ms, with_id=False)
        self.watcher.sig_status_changed.connect(self._status_changed)
        self.watcher.start()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def stop(self) -> None:
        """At log-out: stop watching (the window is being closed)."""
        self.watcher.stop()

    def _status_changed(self, status: CardStatus) -> None:
        if not status.present and not self.locked:
            self.sig_card_removed.emit()
            self.lock()

    def lock(self) -> None:
        if self.locked:
            return
        self.overlay = LockOverlay(self.window)
        self.overlay.show()
        self.overlay.raise_()
        self.dialog = UnlockDialog(self.session, self.window, self.interval_ms)
        self.dialog.sig_unlocked.connect(self._unlocked)
        self.dialog.sig_exit_requested.connect(self._exit)
        self.dialog.show()
        self.sig_locked.emit()

    def _unlocked(self) -> None:
        self.overlay.hide()
        self.overlay.deleteLater()
        self.dialog.deleteLater()
        self.overlay = self.dialog = None
        self.sig_unlocked.emit()

    def _exit(self) -> None:
        self.stop()
        QApplication.instance().quit()


def guard_window(window: QWidget, db) -> LockGuard | None:
    """Start guarding ``window`` when ``db`` was opened with a UKey (``ukey_login``)."""
    session = getattr(db, "ukey_session", None)
    return LockGuard(window, session) if session is not None else None
