"""The record of backups (数据备份), for administrators with ``system.backup``.

Backups are made by ``crm-admin backup`` or the agent's scheduled job (``crm_desktop.admin.backup``)
as a superuser; each run, good or failed, leaves one row in ``crm.backup_run``.  The table's policy
shows the rows only to accounts holding ``system.backup``: to the others the record is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from crm_desktop.db.connection import Database

PERMISSION = "system.backup"


@dataclass(frozen=True)
class BackupRun:
    started_at: datetime
    finished_at: datetime
    trigger: str  # scheduled | manual
    outcome: str  # ok | failed
    file: str
    size_bytes: int | None
    error: str
    host: str

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def recent_runs(db: Database, limit: int = 50) -> list[BackupRun]:
    """The latest runs first."""
    with db.session() as s:
        rows = s.execute(text("""select started_at, finished_at, trigger, outcome, file, size_bytes, error, host
                                   from crm.backup_run order by finished_at desc, id desc limit :n"""),
                         {"n": limit}).mappings().all()
    return [BackupRun(**row) for row in rows]


def last_good(runs: list[BackupRun]) -> BackupRun | None:
    return next((r for r in runs if r.ok), None)


def size_text(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""
