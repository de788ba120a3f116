"""Watches the card reader off the GUI thread and reports changes as a Qt signal.

PC/SC calls can stall (a busy or restarting pcscd), so they never run on the GUI thread: a small
daemon thread polls every ``interval_ms`` and the signal carries each change to the GUI thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from crm_desktop import ukey

DEFAULT_INTERVAL_MS = 500


@dataclass(frozen=True)
class CardStatus:
    """What the reader shows now; ``error_key`` is ukey_pyscard_missing or ukey_no_reader."""

    reader: str | None
    present: bool
    card_id: str | None = None
    error_key: str | None = None


UNKNOWN = CardStatus(None, False, error_key=None)


def read_status(reader: str | None = None, previous: CardStatus = UNKNOWN, with_id: bool = True) -> CardStatus:
    """One poll: presence is cheap; the card id (one APDU) is read only when a card arrives."""
    readers: list[str] = []
    try:
        readers = [reader] if reader else ukey.list_readers()
        if not readers:
            return CardStatus(None, False, error_key="ukey_no_reader")
        if not ukey.card_present(reader):
            return CardStatus(readers[0], False)
        if previous.present or not with_id:
            return CardStatus(previous.reader or readers[0], True, previous.card_id)
        state = ukey.card_state(reader)
        return CardStatus(state.reader or readers[0], state.card_present, state.card_id)
    except ukey.NoReader:
        return CardStatus(None, False, error_key="ukey_no_reader")
    except ukey.UKeyError as exc:  # pyscard missing, or a card that cannot be read (read again next poll)
        return CardStatus(readers[0] if readers else None, False, error_key=exc.key)


class CardWatcher(QObject):
    """Polls the reader on its own thread; stops when it is destroyed or ``stop()`` is called."""

    sig_status_changed = Signal(object)
    """The reader, the card or the card's id changed. Parameters: status (CardStatus)."""
    sig_card_removed = Signal()
    """A card that was present is gone."""

    def __init__(self, parent: QObject | None = None, reader: str | None = None,
                 interval_ms: int = DEFAULT_INTERVAL_MS, with_id: bool = True):
        super().__init__(parent)
        self.reader, self.interval_ms, self.with_id = reader, interval_ms, with_id
        self.status = UNKNOWN
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sig_polled.connect(self._polled)
        stop = self._stop
        self.destroyed.connect(lambda *_: stop.set())  # not a bound method: self is gone by then

    _sig_polled = Signal(object)

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ukey-watcher", daemon=True)
        self._thread.start()

    def stop(self, wait_s: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(wait_s)
        self._thread = None

    def poll_now(self) -> CardStatus:
        """Read the reader on the calling thread (for the first paint); reports like a poll."""
        self._polled(read_status(self.reader, self.status, self.with_id))
        return self.status

    def _run(self) -> None:
        previous, stop = self.status, self._stop
        while not stop.is_set():
            status = read_status(self.reader, previous, self.with_id)
            if status != previous:
                previous = status
                try:
                    self._sig_polled.emit(status)
                except RuntimeError:  # the Qt side was deleted meanwhile
                    return
            stop.wait(self.interval_ms / 1000)

    def _polled(self, status: CardStatus) -> None:
        if status == self.status:
            return
        was_present, self.status = self.status.present, status
        self.sig_status_changed.emit(status)
        if was_present and not status.present:
            self.sig_card_removed.emit()
