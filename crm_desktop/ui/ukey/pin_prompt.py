"""The UKey part of a login or unlock screen: reader and card state, kept current, and the PIN.

    prompt = UKeyPinPrompt(self, expected_card_id=card_id)   # starts watching the reader
    prompt.show_error(error)                                  # every ukey_* refusal as a sentence

``UKeyLogin`` puts it to work in a login screen: it finds out (off the GUI thread, from this PC's
memory and the reader — the server tells nothing before the login) whether a login gets the PIN
step, shows or hides the prompt, and logs in with the card when it does.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from crm_desktop import messages, ukey
from crm_desktop.services import ukey as ukey_service
from crm_desktop.ui.common.tasks import Task, run_in_background
from crm_desktop.ui.ukey.watcher import UNKNOWN, CardStatus, CardWatcher

PIN_MAX_LENGTH = 16
ERROR_STYLE = "color: #b00020;"


def error_sentence(error: BaseException) -> str:
    """The sentence for any failure of a UKey step (card, PIN, server)."""
    if isinstance(error, ukey.UKeyError):
        error = ukey_service.user_error(error)
    return str(messages.translate_error(error))


class UKeyPinPrompt(QWidget):
    """Reader, card and PIN; the state refreshes itself every 500 ms while the widget lives."""

    sig_status_changed = Signal(object)
    """The reader or card changed. Parameters: status (CardStatus)."""
    sig_submitted = Signal()
    """Return was pressed in the PIN field."""

    def __init__(self, parent: QWidget | None = None, expected_card_id: str | None = None,
                 reader: str | None = None, interval_ms: int = 500):
        super().__init__(parent)
        self.expected_card_id = expected_card_id
        self.reader_label, self.card_label, self.message = QLabel(), QLabel(), QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(PIN_MAX_LENGTH)
        self.pin_edit.setPlaceholderText(self.tr("the UKey's PIN"))
        self.pin_edit.returnPressed.connect(self.sig_submitted)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Card reader:"), self.reader_label)
        layout.addRow(self.tr("UKey:"), self.card_label)
        layout.addRow(self.tr("PIN:"), self.pin_edit)
        layout.addRow(self.message)
        self.message.hide()  # shown only with a sentence: an empty row would leave a gap
        self.watcher = CardWatcher(self, reader=reader, interval_ms=interval_ms)
        self.watcher.sig_status_changed.connect(self._show_status)
        self._show_status(self.watcher.status)
        self.watcher.start()

    @property
    def status(self) -> CardStatus:
        return self.watcher.status

    def pin(self) -> str:
        return self.pin_edit.text()

    def clear_pin(self) -> None:
        self.pin_edit.clear()

    def set_expected_card_id(self, card_id: str | None) -> None:
        self.expected_card_id = card_id
        self._show_status(self.status)

    def show_error(self, error: BaseException | str) -> None:
        self._set_message(error if isinstance(error, str) else error_sentence(error))

    def clear_error(self) -> None:
        self._set_message("")

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def card_matches(self) -> bool:
        return self.status.present and (self.expected_card_id is None or self.status.card_id == self.expected_card_id)

    def _show_status(self, status: CardStatus) -> None:
        if status == UNKNOWN:  # before the first poll
            self.reader_label.setText(self.tr("checking…"))
            self.card_label.setText(self.tr("checking…"))
            return
        self.reader_label.setText(status.reader or self.tr("no card reader"))
        self.card_label.setText(self._card_text(status))
        if status.error_key in ("ukey_pyscard_missing", "ukey_no_reader"):
            self._set_message(messages.text(status.error_key))
        elif self.message.text() in (messages.text("ukey_pyscard_missing"), messages.text("ukey_no_reader")):
            self._set_message("")
        self.sig_status_changed.emit(status)

    def _card_text(self, status: CardStatus) -> str:
        if status.error_key == "ukey_pyscard_missing":
            return self.tr("UKey support is not installed")
        if not status.present:
            return self.tr("not inserted")
        if self.expected_card_id is None or status.card_id is None:
            return self.tr("inserted")
        if status.card_id == self.expected_card_id:
            return self.tr("inserted: this account's UKey")
        return self.tr("inserted: not this account's UKey")


class UKeyLogin(QObject):
    """The login dialog's UKey step: ``check(login)`` then ``log_in(login, password)``."""

    sig_checked = Signal(str)
    """A login was checked. Parameters: the id of the key this PC knows it bound to, "" when
    none is known (the prompt shows anyway when an unknown key is in the reader)."""

    def __init__(self, prompt: UKeyPinPrompt, address, parent: QObject | None = None):
        super().__init__(parent)
        self.prompt, self.address = prompt, address
        self.card_id: str | None = None
        self._checked_login: str | None = None
        prompt.hide()
        prompt.watcher.stop()  # the reader is watched only for a login that needs its key

    def check(self, login: str) -> Task:
        """Find out (this PC's memory, the reader) whether ``login`` gets the PIN step."""
        login = login.strip()
        task = run_in_background(ukey_service.pin_step, self.address, login)
        return task.on_success(lambda step: self._checked(login, *step))

    def _checked(self, login: str, ask: bool, card_id: str | None) -> None:
        self._checked_login, self.card_id = login, card_id
        self.prompt.set_expected_card_id(card_id)
        self.prompt.setVisible(ask)
        if ask:
            self.prompt.watcher.start()
        else:
            self.prompt.watcher.stop()
        self.sig_checked.emit(card_id or "")

    def log_in(self, login: str, password: str) -> Task:
        """Log in with the card when the PIN step is shown (else with the password): a Task whose
        result is the Database; failures are UserErrors with the ukey_* sentences."""
        self.prompt.clear_error()
        checked = self._checked_login == login.strip()
        card_id = self.card_id if checked else None
        pin = self.prompt.pin() if checked and not self.prompt.isHidden() else ""
        return run_in_background(ukey_service.ukey_login, self.address, login, password, pin, card_id)
