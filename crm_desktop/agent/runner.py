"""The agent's runner: every job on its own thread, on its own interval, backing off when it fails,
all stopping cleanly on SIGTERM / SIGINT (or ``stop()``), everything written to one log.

A job's round that raises is logged with its traceback; the next round waits
``min(interval * 2**failures, max_backoff)`` (and at least ``min_backoff``), so a database or mail
server that is down is not hammered, and one job's trouble never stops the others.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Sequence

from crm_desktop.agent.job import Job

LOG = logging.getLogger("crm.agent")


@dataclass
class JobState:
    """What the runner knows of one job (for the log and tests)."""

    rounds: int = 0
    failures: int = 0          # consecutive failed rounds
    last_status: str | None = None
    last_error: str | None = None
    next_delay: float = 0.0
    history: list[tuple[float, bool]] = field(default_factory=list)  # (start, succeeded)


class AgentRunner:
    def __init__(self, url: str, jobs: Sequence[Job], max_backoff: float = 900.0, min_backoff: float = 1.0,
                 log: logging.Logger = LOG):
        if not jobs:
            raise ValueError("the agent needs at least one job")
        names = [j.name for j in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self.url, self.jobs, self.log = url, list(jobs), log
        self.max_backoff, self.min_backoff = max_backoff, min_backoff
        self.state = {j.name: JobState() for j in self.jobs}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def delay_after(self, job: Job, failures: int) -> float:
        if failures == 0:
            return job.interval
        return min(max(job.interval * 2 ** failures, self.min_backoff), self.max_backoff)

    def run_round(self, job: Job) -> bool:
        """One round of ``job``; True when it succeeded.  Never raises."""
        state = self.state[job.name]
        started = time.monotonic()
        try:
            status = job.run(self.url)
        except Exception as exc:  # noqa: BLE001 - a failed round is logged, never fatal
            state.failures += 1
            state.last_error = f"{type(exc).__name__}: {exc}"
            state.next_delay = self.delay_after(job, state.failures)
            self.log.exception("job %s failed (%d in a row), next try in %.0f s", job.name, state.failures,
                               state.next_delay)
            ok = False
        else:
            state.failures, state.last_status = 0, status
            state.next_delay = self.delay_after(job, 0)
            if status:
                self.log.info("job %s: %s", job.name, status)
            ok = True
        state.rounds += 1
        state.history.append((started, ok))
        del state.history[:-50]
        return ok

    def _loop(self, job: Job) -> None:
        while not self._stop.is_set():
            self.run_round(job)
            if self._stop.wait(self.state[job.name].next_delay):
                break

    def start(self) -> None:
        self.log.info("agent starting with jobs: %s", ", ".join(f"{j.name} every {j.interval:g} s" for j in self.jobs))
        for job in self.jobs:
            thread = threading.Thread(target=self._loop, args=(job,), name=f"agent-{job.name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 30.0) -> bool:
        """Ask every job to stop after its current round; True when all finished within ``timeout``."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            self.log.warning("agent stopping with rounds still running: %s", ", ".join(alive))
        else:
            self.log.info("agent stopped")
        return not alive

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run_forever(self) -> int:
        """Start, wait for SIGTERM / SIGINT (Ctrl+C, a service stop), stop cleanly; the exit code."""
        def _signalled(signum, _frame):
            self.log.info("signal %s: stopping", signal.Signals(signum).name)
            self._stop.set()

        previous = {s: signal.signal(s, _signalled) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            while not self._stop.wait(1.0):
                pass
            return 0 if self.stop() else 1
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def run_once(self) -> bool:
        """Every job once, in order (``crm-admin agent --once``, e.g. from cron); True if all succeeded."""
        return all([self.run_round(job) for job in self.jobs])
