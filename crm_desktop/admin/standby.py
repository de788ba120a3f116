"""A hot standby by PostgreSQL's own streaming replication, its promotion, and the replication state.

``make_standby`` runs on the standby PC against the running primary (a superuser URL):

1. on the primary, a replication role ``crm_replicator`` (LOGIN REPLICATION, nothing else, a new
   random password each time) and a ``pg_hba.conf`` line letting it replicate from the standby's
   address (written through the superuser session: ``pg_read_file`` / ``COPY … TO``, then reload —
   so it works for a remote primary too, the embedded one keeps such lines across restarts);
2. ``pg_basebackup -R -X stream`` into the standby's data folder (``standby.signal`` and
   ``primary_conninfo`` written by PostgreSQL's tool, with ``application_name`` ``crm_standby``);
3. the standby started as an embedded server, in hot-standby mode (read-only queries);
4. with ``sync``, once the standby streams, ``synchronous_standby_names = 'crm_standby'`` on the
   primary: a commit returns only when the standby has it on disk (``synchronous_commit = on``),
   so a commit the client saw acknowledged survives the primary's death — and while the standby
   is away, commits on the primary wait.

``promote`` is ``pg_ctl promote``; ``status`` reads ``pg_stat_replication`` on a primary and
``pg_stat_wal_receiver`` on a standby.  The replication connection is not TLS (the wheel has no
OpenSSL): put primary and standby on a trusted link.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from crm_desktop.admin.backup import _connect, _params, _require_superuser
from crm_desktop.admin.server import EmbeddedServer, ServerError, ServerInfo
from crm_desktop.messages import UserError

REPLICATOR = "crm_replicator"
APPLICATION_NAME = "crm_standby"
HBA_MARK = "# crm-admin standby"


@dataclass(frozen=True)
class Replica:
    name: str
    address: str
    state: str
    sync_state: str
    lag_bytes: int | None
    replay_lag_seconds: float | None


@dataclass(frozen=True)
class ReplicationStatus:
    role: str  # primary | standby
    replicas: list[Replica]  # on a primary: who streams from it
    primary: str = ""  # on a standby: where it streams from
    receiving: str = ""  # the standby's WAL receiver state (streaming, …)
    lag_bytes: int | None = None  # on a standby: received but not yet replayed
    lag_seconds: float | None = None  # on a standby: since the last replayed commit (while writes go on)
    synchronous_standby_names: str = ""


def _allow_replication(primary: psycopg.Connection, standby_address: str) -> None:
    """The hba line for the replicator from the standby's address, ahead of every other line."""
    hba_file = primary.execute("select setting from pg_settings where name = 'hba_file'").fetchone()[0]
    text = primary.execute("select pg_read_file(%s)", (hba_file,)).fetchone()[0]
    lines = [line.replace("\t", " ").replace("\\", "/") for line in text.splitlines()]  # COPY would escape them
    mask = "128" if ":" in standby_address else "32"
    entry = f"host    replication  {REPLICATOR}  {standby_address}/{mask}  scram-sha-256  {HBA_MARK}"
    if entry in lines:
        return
    lines = [lines[0], entry, *lines[1:]] if lines and lines[0].startswith("#") else [entry, *lines]
    primary.execute(sql.SQL("copy (select line from unnest({}::text[]) with ordinality t(line, n) order by n) to {}")
                    .format(sql.Literal(lines), sql.Literal(hba_file)))
    primary.execute("select pg_reload_conf()")


def _replicator(primary: psycopg.Connection) -> str:
    password = secrets.token_urlsafe(24)
    exists = primary.execute("select 1 from pg_roles where rolname = %s", (REPLICATOR,)).fetchone()
    verb = "alter" if exists else "create"
    primary.execute(sql.SQL(verb + " role {} with login replication nosuperuser nocreatedb nocreaterole "
                            "noinherit nobypassrls password {}").format(sql.Identifier(REPLICATOR), sql.Literal(password)))
    return password


def make_standby(primary_url: str, data: Path | str, listen: str = "127.0.0.1", port: int | None = None,
                 sync: bool = False, standby_address: str = "127.0.0.1", progress=print) -> ServerInfo:
    """Make ``data`` a hot standby of the primary at ``primary_url`` and start it."""
    server = EmbeddedServer(Path(data))
    if server.initialised:
        raise UserError("standby_data_not_empty", folder=str(server.data))
    params = _params(primary_url)
    with _connect(primary_url) as primary:
        _require_superuser(primary)
        if primary.execute("select pg_is_in_recovery()").fetchone()[0]:
            raise UserError("standby_from_standby")
        password = _replicator(primary)
        _allow_replication(primary, standby_address)
        if not sync:
            primary.execute("alter system reset synchronous_standby_names")
            primary.execute("select pg_reload_conf()")
    server.data.mkdir(parents=True, exist_ok=True)
    superuser_password = params.get("password", "")
    server.secret_file.write_text(superuser_password + "\n")  # the primary's superuser, replicated
    server.secret_file.chmod(0o600)
    progress("pg_basebackup: copying the primary")
    conninfo = (f"host={params.get('host', '127.0.0.1')} port={params.get('port', 5432)} user={REPLICATOR} "
                f"application_name={APPLICATION_NAME}")
    server.base_backup(conninfo, password)
    with open(server.pgdata / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
        # the primary's own settings came along: a standby waits for nobody once it is promoted
        conf.write("\n# crm-admin standby\nsynchronous_standby_names = ''\nhot_standby = on\n")
    progress("starting the standby")
    info = server.start(listen=listen, port=port)
    _wait_streaming(primary_url)
    if sync:
        with _connect(primary_url) as primary:
            primary.execute(sql.SQL("alter system set synchronous_standby_names = {}").format(sql.Literal(APPLICATION_NAME)))
            primary.execute("select pg_reload_conf()")
            _wait(lambda: primary.execute("select 1 from pg_stat_replication where application_name = %s "
                                          "and sync_state = 'sync'", (APPLICATION_NAME,)).fetchone() is not None,
                  "the standby did not become synchronous")
    return info


def _wait(condition, failure: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise ServerError(failure)
        time.sleep(0.1)


def _wait_streaming(primary_url: str) -> None:
    with _connect(primary_url) as primary:
        _wait(lambda: primary.execute("select 1 from pg_stat_replication where application_name = %s "
                                      "and state = 'streaming'", (APPLICATION_NAME,)).fetchone() is not None,
              "the standby does not stream from the primary")


def promote(data: Path | str) -> None:
    """Turn the standby in ``data`` into a primary (it stops following the old one for good)."""
    server = EmbeddedServer(Path(data))
    if not (server.pgdata / "standby.signal").exists():
        raise UserError("standby_not_a_standby", folder=str(server.data))
    server.promote()


def status(url: str) -> ReplicationStatus:
    with _connect(url) as conn:
        _require_superuser(conn)
        if conn.execute("select pg_is_in_recovery()").fetchone()[0]:
            receiver = conn.execute("""
                select status, sender_host, sender_port from pg_stat_wal_receiver""").fetchone()
            lag = conn.execute("""
                select pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint,
                       extract(epoch from now() - pg_last_xact_replay_timestamp())::float8""").fetchone()
            return ReplicationStatus("standby", [], f"{receiver[1]}:{receiver[2]}" if receiver else "",
                                     receiver[0] if receiver else "stopped", lag[0], lag[1])
        replicas = [Replica(*row) for row in conn.execute("""
            select application_name, coalesce(host(client_addr), 'local'), state, sync_state,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,
                   extract(epoch from replay_lag)::float8
              from pg_stat_replication order by application_name""")]
        names = conn.execute("show synchronous_standby_names").fetchone()[0]
        return ReplicationStatus("primary", replicas, synchronous_standby_names=names)


def describe(s: ReplicationStatus) -> list[str]:
    """The lines ``crm-admin server status`` prints."""
    if s.role == "standby":
        lag = "" if s.lag_bytes is None else f", {s.lag_bytes} bytes not yet replayed"
        return [f"role: standby of {s.primary or '(no primary connected)'} ({s.receiving}{lag})"]
    lines = [f"role: primary{' (synchronous: ' + s.synchronous_standby_names + ')' if s.synchronous_standby_names else ''}"]
    for r in s.replicas:
        lag = "" if r.replay_lag_seconds is None else f", replay lag {r.replay_lag_seconds * 1000:.0f} ms"
        lines.append(f"standby {r.name} at {r.address}: {r.state}, {r.sync_state}, {r.lag_bytes or 0} bytes behind{lag}")
    if not s.replicas:
        lines.append("no standby connected")
    return lines
