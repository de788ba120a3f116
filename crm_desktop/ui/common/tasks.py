"""The one task runner of the app: work runs on a QThreadPool, results come back on the GUI thread.

    run_in_background(customer.assign, ids, to=receiver).on_success(self._refresh)

Rules every caller can rely on:

* Callbacks always run on the GUI thread, after the function that started the task has returned
  (results travel through the event loop), so callbacks chained right after ``run_in_background``
  are never missed. A callback attached after the task has finished is called at once.
* Outcome is what the function did: it returned (success), raised ``TaskCancelled`` or was
  cancelled before it started (cancelled), raised anything else (failure). ``on_finished`` always
  runs last. A failure nobody listens to goes to the unhandled-failure handler (logged by default).
* Cancellation is cooperative: ``task.cancel()`` only raises a flag. A function that wants to stop
  early declares a ``progress`` keyword and checks ``progress.cancelled`` (or calls
  ``progress.raise_if_cancelled()``); ``progress.report(done, total)`` feeds progress bars.
* The function runs on a worker thread: it must not touch widgets, and opens its own DB session.
* A function whose statement hit the server's lock_timeout runs once more (db/blocking.py has
  asked the server to end the session that blocked it).
"""

from __future__ import annotations

import enum
import inspect
import logging
import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from crm_desktop.db.blocking import retrying_once

log = logging.getLogger(__name__)

_PROGRESS_INTERVAL_S = 0.05  # more frequent reports would only flood the GUI event loop
_running: set[Task] = set()  # keeps tasks alive until their callbacks have run


class TaskCancelled(Exception):
    """Raised inside a background function to stop because the user cancelled."""


class TaskState(enum.Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


def _log_failure(task: Task, error: BaseException) -> None:
    log.error("background task %s failed", task.name, exc_info=error)


_unhandled_failure_handler: Callable[[Task, BaseException], None] = _log_failure


def set_unhandled_failure_handler(handler: Callable[[Task, BaseException], None]) -> None:
    """Route failures that have no ``on_failure`` callback (app.py shows them in a dialog)."""
    global _unhandled_failure_handler
    _unhandled_failure_handler = handler


class Progress:
    """Handed to the background function as ``progress=``; safe to use from the worker thread."""

    def __init__(self, task: Task):
        self._task = task
        self._last_report = 0.0

    @property
    def cancelled(self) -> bool:
        return self._task.cancel_requested

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise TaskCancelled()

    def report(self, done: int, total: int = 0) -> None:
        """Report ``done`` of ``total`` units (total 0: unknown); throttled, the last one always passes."""
        now = time.monotonic()
        if done < total and now - self._last_report < _PROGRESS_INTERVAL_S:
            return
        self._last_report = now
        self._task._sig_progress_from_worker.emit(done, total)


class Task(QObject):
    """A function running in the background; chain callbacks with ``on_…``."""

    sig_succeeded = Signal(object)
    """The function returned. Parameters: result (its return value)."""
    sig_failed = Signal(object)
    """The function raised. Parameters: error (the exception, with its traceback)."""
    sig_cancelled = Signal()
    """The function was cancelled before it started or raised TaskCancelled."""
    sig_finished = Signal()
    """Emitted last, whatever the outcome."""
    sig_progress = Signal(int, int)
    """The function reported progress. Parameters: done, total (0 when unknown)."""

    _sig_outcome_from_worker = Signal(object, object)
    _sig_progress_from_worker = Signal(int, int)

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict):
        super().__init__()
        # Callbacks must run where widgets live, whichever thread created the task.
        self.moveToThread(QCoreApplication.instance().thread())
        self.name = getattr(fn, "__qualname__", repr(fn))
        self.state = TaskState.RUNNING
        self.result: Any = None
        self.error: BaseException | None = None
        self._cancel_event = threading.Event()
        self._has_failure_callback = False
        self._call = (fn, args, self._with_progress(fn, kwargs))
        self._sig_outcome_from_worker.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._sig_progress_from_worker.connect(self.sig_progress, Qt.ConnectionType.QueuedConnection)

    def _with_progress(self, fn: Callable[..., Any], kwargs: dict) -> dict:
        if "progress" in kwargs or not _accepts_progress(fn):
            return kwargs
        return {**kwargs, "progress": Progress(self)}

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    @property
    def done(self) -> bool:
        return self.state is not TaskState.RUNNING

    def cancel(self) -> None:
        """Ask the function to stop; it decides when (see the module rules)."""
        self._cancel_event.set()

    def on_success(self, callback: Callable[[Any], None]) -> Task:
        return self._attach(self.sig_succeeded, TaskState.SUCCEEDED, callback, self.result)

    def on_failure(self, callback: Callable[[BaseException], None]) -> Task:
        self._has_failure_callback = True
        return self._attach(self.sig_failed, TaskState.FAILED, callback, self.error)

    def on_cancelled(self, callback: Callable[[], None]) -> Task:
        return self._attach(self.sig_cancelled, TaskState.CANCELLED, callback)

    def on_finished(self, callback: Callable[[], None]) -> Task:
        if self.done:
            callback()
        else:
            self.sig_finished.connect(callback)
        return self

    def on_progress(self, callback: Callable[[int, int], None]) -> Task:
        self.sig_progress.connect(callback)
        return self

    def _attach(self, signal: Signal, state: TaskState, callback: Callable, *value: Any) -> Task:
        if not self.done:
            signal.connect(callback)
        elif self.state is state:
            callback(*value)
        return self

    def _run(self) -> None:
        """Worker thread: call the function and send its outcome to the GUI thread."""
        fn, args, kwargs = self._call
        try:
            if self.cancel_requested:
                raise TaskCancelled()
            outcome = (TaskState.SUCCEEDED, retrying_once(fn, *args, **kwargs))
        except TaskCancelled:
            outcome = (TaskState.CANCELLED, None)
        except Exception as error:  # noqa: BLE001 - every failure is reported to the GUI thread
            outcome = (TaskState.FAILED, error)
        self._sig_outcome_from_worker.emit(*outcome)

    @Slot(object, object)
    def _deliver(self, state: TaskState, value: Any) -> None:
        self.state = state
        if state is TaskState.SUCCEEDED:
            self.result = value
            self.sig_succeeded.emit(value)
        elif state is TaskState.FAILED:
            self.error = value
            self._report_failure(value)
        else:
            self.sig_cancelled.emit()
        self.sig_finished.emit()
        _running.discard(self)

    def _report_failure(self, error: BaseException) -> None:
        if self._has_failure_callback:
            self.sig_failed.emit(error)
        else:
            _unhandled_failure_handler(self, error)


def _accepts_progress(fn: Callable[..., Any]) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False


def run_in_background(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
    """Run ``fn(*args, **kwargs)`` on a worker thread (plus ``progress=`` if fn declares it)."""
    task = Task(fn, args, kwargs)
    _running.add(task)
    QThreadPool.globalInstance().start(task._run)
    return task


def cancel_all_and_wait(timeout_ms: int = 5000) -> bool:
    """At exit: ask every running task to stop and wait for the workers; False on timeout."""
    for task in list(_running):
        task.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


class ProgressDialog(QDialog):
    """Shows a task's progress with a Cancel button, only if it lasts longer than ``delay_ms``.

    Modal to its window, so the user cannot edit what the task is changing; closes itself and is
    deleted when the task finishes.
    """

    def __init__(self, task: Task, label: str, parent: QWidget | None = None, delay_ms: int = 500):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(label)
        self._task = task
        self.label = QLabel(label)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy indicator until the first report gives a total
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        self._build_layout()
        self._show_timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._show_timer.timeout.connect(self.show)
        task.on_progress(self._show_progress).on_finished(self._close)
        if not task.done:
            self._show_timer.start()

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.setMinimumWidth(360)

    def _show_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(min(done, total) if total > 0 else 0)

    def _cancel(self) -> None:
        self._task.cancel()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancelling…"))

    def reject(self) -> None:
        """Esc or the window's close button means Cancel; the dialog stays until the task stops."""
        self._cancel()

    def _close(self) -> None:
        self._show_timer.stop()
        self.hide()
        self.deleteLater()
