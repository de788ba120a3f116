"""LISTEN/NOTIFY into Qt signals: what another PC changed reaches this one within a second.

Every table's trigger sends ``pg_notify('crm_changes', '{"table":…,"op":…,"id":…}')``.  A
``ChangeBridge`` keeps one dedicated connection of the logged-in account listening on that
channel from a worker thread and re-emits each notification on the GUI thread:

    bridge = ChangeBridge(db)
    bridge.sig_changed.connect(lambda table, op, row_id: ...)
    bridge.start()
    ...
    bridge.stop()

Notifications are hints, never data: any role of the cluster may ``NOTIFY crm_changes`` with any
payload, so a notification only makes a view re-read what it shows, through the account's own
row-level security.  Payloads that are not a trigger's shape are dropped; bursts are coalesced
(at most ``MAX_HINTS`` distinct hints per ``FLUSH_SECONDS``, beyond that one "refresh everything"),
so a flood of forged notifications cannot make the client reload hundreds of times a second.

The connection comes from the account's own engine (``listen_connection``), so no password is
kept anywhere but where the engine already holds it in memory — and a UKey session, whose
database password is derived by the card, listens the same way.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from typing import Callable

import psycopg
from PySide6.QtCore import QObject, Qt, Signal, Slot

from crm_desktop.db.connection import Database

log = logging.getLogger(__name__)

CHANNEL = "crm_changes"
POLL_SECONDS = 0.25  # how long stop() may wait for the worker to notice
RETRY_SECONDS = (0.5, 1, 2, 5, 10)  # back-off while the server is away
FLUSH_SECONDS = 0.5  # hints reach the GUI at most this often...
MAX_HINTS = 20  # ...and at most this many distinct ones each time; more means "refresh everything"
_TABLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_OPS = ("insert", "update", "delete")
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def listen_connection(db: Database) -> psycopg.Connection:
    """A new autocommit psycopg connection as ``db``'s account, owned by the caller.

    It is taken from the account's engine and detached from the pool, so the pool's slots stay
    free for queries and closing it really closes it.
    """
    pooled = db.engine.raw_connection()
    raw = pooled.driver_connection
    pooled.detach()
    raw.rollback()  # the pool's ping may have opened a transaction; autocommit needs it idle
    raw.autocommit = True
    return raw


def parse_payload(payload: str) -> tuple[str, str, object]:
    """(table, op, id) from a trigger's JSON payload; unknown shapes give empty strings."""
    hint = valid_hint(payload)
    return hint if hint is not None else ("", "", None)


def valid_hint(payload: str) -> tuple[str, str, object] | None:
    """(table, op, id) when ``payload`` has the shape ``crm.notify_change()`` sends, else None.

    The id is an integer, a short plain string or null (a bulk change); anything else, or any
    other table name or operation, is not a hint a trigger could have sent.
    """
    if len(payload) > 500:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    table, op, row_id = data.get("table"), data.get("op"), data.get("id")
    if not isinstance(table, str) or not _TABLE.match(table) or op not in _OPS:
        return None
    if row_id is None or (isinstance(row_id, int) and not isinstance(row_id, bool)):
        return table, op, row_id
    if isinstance(row_id, str) and _ID.match(row_id):
        return table, op, row_id
    return None


class _Coalescer:
    """Collects hints between flushes: duplicates once, too many as one "refresh everything"."""

    def __init__(self):
        self.pending: dict[tuple[str, str, object], None] = {}
        self.overflow = False
        self.last_flush = 0.0

    def add(self, hint: tuple[str, str, object]) -> None:
        if self.overflow or hint in self.pending:
            return
        if len(self.pending) >= MAX_HINTS:
            self.pending.clear()
            self.overflow = True
        else:
            self.pending[hint] = None

    def due(self, now: float) -> bool:
        return (self.overflow or bool(self.pending)) and now - self.last_flush >= FLUSH_SECONDS

    def take(self, now: float) -> tuple[list[tuple[str, str, object]], bool]:
        hints, overflow = list(self.pending), self.overflow
        self.pending, self.overflow, self.last_flush = {}, False, now
        return hints, overflow


class ChangeBridge(QObject):
    """Listens on ``crm_changes`` in a worker thread; signals arrive on the GUI thread."""

    sig_changed = Signal(str, str, object)
    """A row changed somewhere. Parameters: table (e.g. "account"), op ("insert", "update",
    "delete"), id (the row's id, or None when a bulk change names no single row)."""
    sig_listening = Signal()
    """The bridge (re)connected and listens, or more changes came at once than are worth naming:
    what changed is unknown, so views should refresh once."""
    sig_connection_lost = Signal(str)
    """The listening connection broke; the bridge retries. Parameters: the driver's message."""

    _sig_from_worker = Signal(str, str, object)
    _sig_listening_from_worker = Signal()
    _sig_lost_from_worker = Signal(str)

    def __init__(self, db: Database, connect: Callable[[], psycopg.Connection] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._connect = connect or (lambda: listen_connection(db))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: psycopg.Connection | None = None
        # queued: the worker thread emits, the GUI thread delivers
        queued = Qt.ConnectionType.QueuedConnection
        self._sig_from_worker.connect(self._deliver, queued)
        self._sig_listening_from_worker.connect(self.sig_listening, queued)
        self._sig_lost_from_worker.connect(self.sig_connection_lost, queued)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="crm-notify", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and close the connection; returns when the worker has ended."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def drop_connection_for_test(self) -> None:
        """Close the listening socket from outside, as a network failure would (tests only)."""
        conn = self._conn
        if conn is not None:
            conn.pgconn.finish()

    @Slot(str, str, object)
    def _deliver(self, table: str, op: str, row_id: object) -> None:
        self.sig_changed.emit(table, op, row_id)

    # -- worker thread -----------------------------------------------------------------------
    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                self._listen()
                attempt = 0
            except Exception as error:  # noqa: BLE001 - any failure means: reconnect later
                if self._stop.is_set():
                    break
                log.info("change listener lost its connection: %s", error)
                self._sig_lost_from_worker.emit(str(error).splitlines()[0] if str(error) else "")
                self._stop.wait(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
                attempt += 1
            finally:
                self._close()

    def _listen(self) -> None:
        self._conn = self._connect()
        self._conn.execute(f"listen {CHANNEL}")
        self._sig_listening_from_worker.emit()
        hints = _Coalescer()
        while not self._stop.is_set():
            # stop_after: back here after each batch read, so pending hints are flushed on time;
            # a generator kept past its deadline would wait (timeout 0) for the next notification
            for notify in self._conn.notifies(timeout=POLL_SECONDS, stop_after=1):
                hint = valid_hint(notify.payload) if notify.channel == CHANNEL else None
                if hint is None:
                    log.debug("ignored a notification that no trigger sends: %.80r", notify.payload)
                    continue
                hints.add(hint)
                self._flush_if_due(hints)
                if self._stop.is_set():
                    break
            self._flush_if_due(hints)
            # notifies() returns quietly on a dead socket in some cases: ask the server
            if self._conn.closed or self._conn.broken:
                raise psycopg.OperationalError("connection closed")

    def _flush_if_due(self, hints: _Coalescer) -> None:
        now = time.monotonic()
        if not hints.due(now):
            return
        pending, overflow = hints.take(now)
        if overflow:
            self._sig_listening_from_worker.emit()
            return
        for hint in pending:
            self._sig_from_worker.emit(*hint)

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - already broken
                pass
