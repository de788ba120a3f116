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
import time
from typing import Any, Callable, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

T = TypeVar("T")

SWEEP_AFTER_S = 5.0
"""A statement running this long starts the sweeps (most statements end well before)."""
SWEEP_EVERY_S = 5.0

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
    """Attached to an engine: sweeps while any of its statements runs longer than SWEEP_AFTER_S.

    One daemon thread per engine looks at the running statements once a second while there are
    any, and ends when the engine has been quiet for a while (no thread per statement)."""

    TICK_S = 1.0
    QUIET_S = 30.0
    STALE_S = 180.0

    def __init__(self, engine: Engine):
        self.engine = engine
        self._running: dict[int, float] = {}  # cursor id -> when its statement started
        self._last_sweep = 0.0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        event.listen(engine, "before_cursor_execute", self._started)
        event.listen(engine, "after_cursor_execute", self._finished)
        event.listen(engine, "handle_error", self._failed)

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._running)

    def _started(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if "end_blocking_sessions" in statement:
            return
        with self._lock:
            self._running[id(cursor)] = time.monotonic()
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="blocked-statement-watch", daemon=True)
                self._thread.start()

    def _finished(self, conn, cursor, statement, parameters, context, executemany) -> None:
        with self._lock:
            self._running.pop(id(cursor), None)

    def _failed(self, context) -> None:
        cursor = getattr(context, "cursor", None) or getattr(context.execution_context, "cursor", None)
        if cursor is not None:
            with self._lock:
                self._running.pop(id(cursor), None)
        if is_lock_timeout(context.original_exception):
            end_blocking_sessions(self.engine)  # before the error reaches retrying_once

    def _due(self, now: float) -> bool:
        with self._lock:
            # a statement we never heard end (its connection died): past statement_timeout, forget it
            for key in [k for k, started in self._running.items() if now - started > self.STALE_S]:
                del self._running[key]
            oldest = min(self._running.values(), default=None)
        return (oldest is not None and now - oldest >= SWEEP_AFTER_S
                and now - self._last_sweep >= SWEEP_EVERY_S)

    def _watch(self) -> None:
        quiet_since = time.monotonic()
        while True:
            time.sleep(self.TICK_S)
            now = time.monotonic()
            if self._due(now):
                self._last_sweep = now
                end_blocking_sessions(self.engine)
            with self._lock:
                if self._running:
                    quiet_since = now
                elif now - quiet_since >= self.QUIET_S:
                    self._thread = None
                    return


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
