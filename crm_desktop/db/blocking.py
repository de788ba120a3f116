"""No colleague freezes this client for long: while one of our statements waits, we ask the server
to end the sessions that block it past the bound (``crm.end_blocking_sessions()``, which ends only
ordinary accounts' sessions that provably block someone for more than 30 s).

A waiting connection cannot ask anything itself, so the watch asks on a second connection of the
pool, every few seconds for as long as the statement runs.  A statement that still hits
``lock_timeout`` makes the watch ask once more, and the task runner (``retrying_once``) runs the
unit of work a second time.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any, Callable, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

T = TypeVar("T")

SWEEP_AFTER_S = 5.0
"""A statement running this long starts the sweeps (most statements end well before)."""
SWEEP_EVERY_S = 5.0
MAX_SWEEPS = 30  # longer than statement_timeout below

# The client's own session defaults; the database has the same ones for psql users.  The bound
# that holds whatever an account SETs is crm.end_blocking_sessions (30 s): lock_timeout is longer,
# so a waiting statement outlives a blocker the sweep ends.
SESSION_SETTINGS = {
    "lock_timeout": "45s",
    "statement_timeout": "2min",
    "idle_in_transaction_session_timeout": "30s",
}

LOCK_NOT_AVAILABLE = "55P03"


def application_name(program: str = "crm-desktop") -> str:
    """Who is connected from where, for the sessions screen: the program and this PC's name."""
    return f"{program} @{socket.gethostname()}"[:63]  # PostgreSQL keeps 63 bytes


def session_options(settings: dict[str, str] = SESSION_SETTINGS) -> str:
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


def is_lock_timeout(exc: BaseException) -> bool:
    original = getattr(exc, "orig", None) or exc
    return getattr(original, "sqlstate", None) == LOCK_NOT_AVAILABLE


def end_blocking_sessions(engine: Engine) -> int:
    """Ask the server to end sessions that block others past the bound; how many it ended."""
    try:
        with engine.connect() as conn:
            ended = conn.execute(text("select crm.end_blocking_sessions()")).scalar() or 0
            conn.commit()
    except Exception:  # the sweep is a courtesy; the waiting statement reports its own error
        log.warning("could not ask the server to end blocking sessions", exc_info=True)
        return 0
    if ended:
        log.info("the server ended %d session(s) that blocked this client", ended)
    return ended


class BlockedStatementWatch:
    """Attached to an engine: sweeps while any of its statements runs longer than SWEEP_AFTER_S."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._timers: dict[int, threading.Timer] = {}
        self._lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._started)
        event.listen(engine, "after_cursor_execute", self._finished)
        event.listen(engine, "handle_error", self._failed)

    def _schedule(self, key: int, delay: float, sweeps: int = 0) -> None:
        if sweeps >= MAX_SWEEPS:  # a statement we never heard end: stop asking
            self._stop(key)
            return
        timer = threading.Timer(delay, self._sweep, args=(key, sweeps + 1))
        timer.daemon = True
        with self._lock:
            self._timers[key] = timer
        timer.start()

    def _stop(self, key: int) -> None:
        with self._lock:
            timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()

    def _sweep(self, key: int, sweeps: int) -> None:
        with self._lock:
            if key not in self._timers:
                return
        end_blocking_sessions(self.engine)
        with self._lock:
            still_running = key in self._timers
        if still_running:
            self._schedule(key, SWEEP_EVERY_S, sweeps)

    def _started(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if "end_blocking_sessions" not in statement:
            self._schedule(id(cursor), SWEEP_AFTER_S)

    def _finished(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self._stop(id(cursor))

    def _failed(self, context) -> None:
        cursor = getattr(context, "cursor", None) or getattr(context.execution_context, "cursor", None)
        if cursor is not None:
            self._stop(id(cursor))
        if is_lock_timeout(context.original_exception):
            end_blocking_sessions(self.engine)  # before the error reaches retrying_once


def retrying_once(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a unit of work (a service call: one transaction that rolled back whole on error); if it
    hit lock_timeout, run it once more (the watch has asked the server to end the blocker)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        if not is_lock_timeout(exc):
            raise
        log.info("%s hit lock_timeout; trying once more", getattr(fn, "__qualname__", fn))
        return fn(*args, **kwargs)
