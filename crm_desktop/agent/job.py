"""The one interface between the agent and the work it runs."""

from __future__ import annotations

from typing import Protocol


class Job(Protocol):
    name: str          # short and stable: shown in the agent's log and the administrator's screen
    interval: float    # seconds from the end of one run to the start of the next

    def run(self, url: str) -> str | None:
        """Do one round against the database at ``url`` (the agent's own connection URL).

        Returns a one-line status for the log (or None). Raising is a failed round: the agent logs it,
        backs off and tries again; it never stops the agent or the other jobs.
        """
        ...
