"""Who is connected and who blocks whom (在线会话), for administrators with ``system.sessions``.

Both calls are database functions that check the permission themselves (``crm.list_sessions``,
``crm.end_session``); an account without it gets ``permission_denied`` from the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from crm_desktop.db.connection import Database

PERMISSION = "system.sessions"


@dataclass(frozen=True)
class SessionRow:
    pid: int
    login: str
    account_id: int | None
    account_name: str | None
    application_name: str
    client_address: str
    connected_at: datetime
    transaction_since: datetime | None
    state: str
    state_since: datetime | None
    waiting: bool
    blocked_by: tuple[int, ...]
    blocking: tuple[int, ...]
    may_end: bool
    is_mine: bool

    @property
    def computer(self) -> str:
        """The PC's name the client put into application_name (``crm-desktop @PC``)."""
        _, at, host = self.application_name.rpartition(" @")
        return host if at else ""

    @property
    def program(self) -> str:
        return self.application_name.rpartition(" @")[0] or self.application_name


def list_sessions(db: Database) -> list[SessionRow]:
    with db.session() as s:
        rows = s.execute(text("select * from crm.list_sessions()")).mappings().all()
    return [SessionRow(**{**row, "blocked_by": tuple(row["blocked_by"] or ()),
                          "blocking": tuple(row["blocking"] or ()),
                          "application_name": row["application_name"] or ""}) for row in rows]


def end_session(db: Database, pid: int) -> None:
    """End one account's session (its open transaction is rolled back)."""
    with db.session() as s:
        s.execute(text("select crm.end_session(:pid)"), {"pid": pid})


def end_blocking_sessions(db: Database) -> int:
    """Ask the server to end sessions that block others past the bound (any account may)."""
    with db.session() as s:
        return s.execute(text("select crm.end_blocking_sessions()")).scalar() or 0
