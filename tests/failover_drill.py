"""The failover drill shared by tests/admin/test_failover.py and benchmarks/failover_bench.py.

Two embedded servers on 127.0.0.1: a migrated primary with one administrator account and a hot
standby made by ``crm-admin server standby`` (admin/standby.py).  A stream of commits runs on the
primary; the primary is killed with SIGKILL (the postmaster and every backend, as when the server
PC loses power) in the middle of it; the standby is promoted; a client whose profile lists both
hosts comes back by itself.  What the client saw acknowledged is then counted on the new primary.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import psycopg
from sqlalchemy import text

from crm_desktop.admin import standby
from crm_desktop.admin.server import EmbeddedServer, ServerInfo
from crm_desktop.db.connection import Database, ServerAddress

ACCOUNT, PASSWORD = "drill_admin", "drill-pass-1234"


@dataclass
class Pair:
    primary: EmbeddedServer
    primary_info: ServerInfo
    standby: EmbeddedServer
    standby_info: ServerInfo
    sync: bool

    @property
    def both_hosts(self) -> ServerAddress:
        """A workstation's profile naming both servers."""
        return ServerAddress(f"127.0.0.1:{self.primary_info.port},127.0.0.1:{self.standby_info.port}", 5432, "crm")

    killed: bool = False

    def stop(self) -> None:
        servers = [self.standby] if self.killed else [self.standby, self.primary]
        for server in servers:  # a killed primary is dead: pg_ctl would wait for it a minute
            try:
                server.stop(mode="immediate")
            except Exception:  # noqa: BLE001
                pass


def make_pair(root: Path, sync: bool, backup_file: Path | None = None) -> Pair:
    """The primary from ``backup_file`` (crm-admin restore: seconds) or migrated afresh (a minute
    on a busy machine), with the account ``drill_admin``; then its standby."""
    from crm_desktop.admin.backup import restore
    from crm_desktop.admin.cli import database_from_url
    from crm_desktop.admin.migrate import migrate
    from crm_desktop.services import account, role

    primary = EmbeddedServer(root / "primary")
    info = primary.start()
    if backup_file is not None:
        restore(backup_file, info.url())
    else:
        migrate(info.url())
    db = database_from_url(info.url())
    try:
        admin_role = next(r["id"] for r in role.list_roles(db) if r["builtin"] == "admin")
        account.create_account(db, {"login": ACCOUNT, "name": "演练管理员", "gender": "male", "valid_until": None,
                                     "email": "", "mobile": ""}, PASSWORD, role_ids=[admin_role])
    finally:
        db.close()
    with psycopg.connect(info.url(), autocommit=True) as su:
        su.execute("create table public.drill_commit (n bigint primary key, at timestamptz not null default now())")
    copy = EmbeddedServer(root / "standby")
    standby_info = standby.make_standby(info.url(), copy.data, sync=sync, progress=lambda _line: None)
    return Pair(primary, info, copy, standby_info, sync)


def kill(server: EmbeddedServer) -> None:
    """SIGKILL the postmaster and every process it started: no shutdown, no last WAL flush."""
    pid = int((server.pgdata / "postmaster.pid").read_text().splitlines()[0])
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    for target in [pid, *children]:
        try:
            os.kill(target, signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class CommitStream:
    """Commits one row at a time on the primary (its own address only: it must not follow)."""

    url: str
    first: int = 1  # writers number their rows from here
    acknowledged: list[int] = field(default_factory=list)
    error: str = ""
    _thread: threading.Thread | None = None

    def start(self) -> "CommitStream":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                n = self.first - 1
                while True:
                    n += 1
                    conn.execute("insert into public.drill_commit (n) values (%s)", (n,))
                    self.acknowledged.append(n)  # the server said COMMIT: the client saw it
        except psycopg.Error as exc:
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__

    def join(self, timeout: float = 30) -> None:
        assert self._thread is not None
        self._thread.join(timeout)


def replication_lag(pair: Pair, seconds: float) -> dict:
    """Sample the primary's view of the standby while commits stream."""
    samples_ms, samples_bytes = [], []
    deadline = time.monotonic() + seconds
    with psycopg.connect(pair.primary_info.url(), autocommit=True) as su:
        while time.monotonic() < deadline:
            row = su.execute("""select extract(epoch from replay_lag) * 1000,
                                       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
                                  from pg_stat_replication where application_name = %s""",
                             (standby.APPLICATION_NAME,)).fetchone()
            if row:
                if row[0] is not None:
                    samples_ms.append(float(row[0]))
                samples_bytes.append(int(row[1] or 0))
            time.sleep(0.05)
    ordered = sorted(samples_ms) or [0.0]
    return {"replay_lag_ms_median": round(ordered[len(ordered) // 2], 2),
            "replay_lag_ms_max": round(ordered[-1], 2),
            "bytes_behind_max": max(samples_bytes or [0]), "samples": len(samples_bytes)}


def client_query(db: Database) -> tuple[int, int]:
    """(account id, server port) through the client's own pool."""
    with db.session() as s:
        return tuple(s.execute(text("select crm.current_account(), inet_server_port()")).one())


def wait_for_client(db: Database, timeout: float = 60) -> tuple[float, int, int]:
    """Retry the client's query until the pool reaches a server that takes writes; returns the
    seconds waited, the failed attempts and the port it reached."""
    start, failures = time.monotonic(), 0
    while True:
        try:
            _account, port = client_query(db)
            return time.monotonic() - start, failures, port
        except Exception:  # noqa: BLE001 - the lost server, until the standby is promoted
            failures += 1
            if time.monotonic() - start > timeout:
                raise
            time.sleep(0.1)


def drill(pair: Pair, client: Database, load_seconds: float = 1.5, writers: int = 1,
          during_outage: Callable[[], None] | None = None) -> dict:
    """Commits, lag under load, SIGKILL of the primary mid-stream, promote, the client back.
    ``during_outage`` runs after the kill, before the promote (a user saving a form meanwhile)."""
    streams = [CommitStream(pair.primary_info.url(), first=w * 10**9 + 1).start() for w in range(writers)]
    lag = replication_lag(pair, load_seconds)
    killed_at = time.monotonic()
    kill(pair.primary)
    pair.killed = True
    for stream in streams:
        stream.join()
    if during_outage is not None:
        during_outage()
    t = time.monotonic()
    standby.promote(pair.standby.data)
    promote_seconds = time.monotonic() - t
    waited, failures, port = wait_for_client(client)
    client_seconds = time.monotonic() - killed_at
    with psycopg.connect(pair.standby_info.url(), autocommit=True) as su:
        present = {r[0] for r in su.execute("select n from public.drill_commit")}
    acknowledged = {n for stream in streams for n in stream.acknowledged}
    return {"sync": pair.sync, "writers": writers, "commits_acknowledged": len(acknowledged), "commits_on_new_primary": len(present),
            "acknowledged_but_lost": len(acknowledged - present),
            "committed_unacknowledged": len(present - acknowledged),
            "commits_per_second": round(len(acknowledged) / load_seconds, 1),
            "stream_ended_with": streams[0].error, **lag,
            "promote_seconds": round(promote_seconds, 3), "kill_to_working_client_seconds": round(client_seconds, 3),
            "client_failed_attempts": failures, "client_port": port, "new_primary_port": pair.standby_info.port}
