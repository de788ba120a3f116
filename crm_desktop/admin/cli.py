"""crm-admin: the embedded server, migrations, demo data and accounts, without the GUI."""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings
from datetime import date
from pathlib import Path

from crm_desktop.messages import UserError


def database_from_url(url: str):
    """A service-layer Database for a superuser (or administrator) URL."""
    from sqlalchemy.engine import make_url

    from crm_desktop.db.connection import ServerAddress, open_database

    u = make_url(url)
    # crm-admin's own work (seeding, imports of a whole office) is not held to the accounts' timeouts
    return open_database(ServerAddress.from_url(url), u.username or "postgres", u.password or "",
                         settings=ADMIN_SESSION_SETTINGS)


ADMIN_SESSION_SETTINGS = {"lock_timeout": "0", "statement_timeout": "0", "idle_in_transaction_session_timeout": "0"}


def _server(args) -> int:
    from crm_desktop.admin.server import EmbeddedServer

    if args.action in ("standby", "promote"):
        return _standby(args)
    if args.action == "status" and args.db:
        return _replication_status(args.db)
    server = EmbeddedServer(Path(args.data))
    if args.action == "start":
        info = server.start(listen=args.listen, port=args.port)
        from crm_desktop.admin.migrate import migrate
        applied = migrate(info.url())
        if applied:
            print(f"schema: applied {', '.join(applied)}")
        print(f"PostgreSQL listening on {info.host}:{info.port}, data in {info.data}")
        _print_fingerprint(server)
        print(info.url())
    elif args.action == "stop":
        server.stop()
        print("stopped")
    else:
        if not server.initialised:
            print(f"no server in {server.data}")
            return 1
        info = server.info()
        print(f"{'running' if info.running else 'stopped'}: {info.host}:{info.port}, data in {info.data}")
        _print_fingerprint(server)
        if info.running:
            _replication_status(server.local_url())
            print(info.url())  # last, as `server start` prints it
        return 0 if info.running else 3
    return 0


def _replication_status(url: str) -> int:
    from crm_desktop.admin import standby

    for line in standby.describe(standby.status(url)):
        print(line)
    return 0


def _standby(args) -> int:
    from crm_desktop.admin import standby

    if args.action == "promote":
        standby.promote(Path(args.data))
        print(f"promoted: the server in {args.data} is now the primary")
        return 0
    info = standby.make_standby(args.primary, Path(args.data), listen=args.listen, port=args.port, sync=args.sync,
                                standby_address=args.address or _own_address(args.primary), progress=print)
    print(f"standby listening on {info.host}:{info.port}, following the primary{' synchronously' if args.sync else ''}")
    return 0


def _own_address(primary_url: str) -> str:
    """The address this PC reaches the primary from (what the primary's pg_hba must allow)."""
    import socket

    from crm_desktop.admin.backup import _params

    params = _params(primary_url)
    with socket.create_connection((params.get("host", "127.0.0.1"), int(params.get("port", 5432))), timeout=5) as s:
        return s.getsockname()[0]


def _print_fingerprint(server) -> None:
    """What clients show on their first connection: the users compare it before trusting."""
    found = server.certificate_fingerprint()
    if found:
        print(f"TLS certificate SHA-256 fingerprint: {found}")


def _migrate(args) -> int:
    from crm_desktop.admin.migrate import migrate

    applied = migrate(args.db)
    print(f"applied: {', '.join(applied)}" if applied else "the schema is up to date")
    return 0


def _seed(args) -> int:
    from crm_desktop.admin.seed import seed_demo

    db = database_from_url(args.db)
    try:
        accounts = seed_demo(db, customers=args.customers)
        print(f"demo company ready: {len(accounts)} accounts, password demo1234")
    finally:
        db.close()
    return 0


def _read_password(args, prompt: str = "password: ") -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("again: ") != first:
        raise UserError("password_mismatch")
    return first


def _account(args) -> int:
    from crm_desktop.services import account as svc

    db = database_from_url(args.db)
    try:
        if args.action == "list":
            for r in svc.list_accounts(db, svc.AccountFilter(deleted=args.deleted)):
                flags = [svc.STATUS_NAMES[r.status]] + (["已锁定"] if r.locked else []) + (["UKey"] if r.ukey else [])
                print(f"{r.login:<14}{r.name:<8}{r.department:<10}{r.position:<10}{' '.join(flags):<12}"
                      f"{str(r.valid_until or ''):<12}{r.roles}")
            return 0
        if args.action == "create":
            values = {"login": args.login, "name": args.name or args.login, "gender": args.gender,
                      "valid_until": args.valid_until, "email": args.email or "", "mobile": args.mobile or ""}
            role_ids = _role_ids(db, args.role or [])
            svc.create_account(db, values, _read_password(args), role_ids=role_ids)
            print(f"created {args.login}")
            return 0
        account_id = svc.account_id_by_login(db, args.login)
        if args.action == "lock":
            svc.set_locked(db, account_id, True)
        elif args.action == "unlock":
            svc.set_locked(db, account_id, False)
        elif args.action == "set-status":
            svc.set_status(db, account_id, args.status)
        elif args.action == "set-expiry":
            svc.set_expiry(db, account_id, None if args.date in ("none", "") else date.fromisoformat(args.date))
        elif args.action == "set-password":
            svc.set_password(db, account_id, _read_password(args))
        elif args.action == "delete":
            svc.delete_account(db, account_id)
        elif args.action == "restore":
            svc.restore_account(db, account_id)
        elif args.action == "bind-ukey":
            from crm_desktop.services.ukey import bind_ukey_interactive
            bind_ukey_interactive(db, account_id, args)
        elif args.action == "unbind-ukey":
            from crm_desktop.services.ukey import unbind_ukey
            unbind_ukey(db, account_id, _read_password(args, "new password: "))
        print(f"{args.action}: {args.login}")
        return 0
    finally:
        db.close()


def _definitions(args) -> int:
    from crm_desktop.admin import definitions

    if args.action == "dump":
        for path in definitions.write(args.db):
            print(f"wrote {path}")
    else:
        for name in definitions.apply(args.db, force=True):
            print(f"applied {name}")
    return 0


def _sessions(args) -> int:
    """在线会话 without the GUI; ``sweep --every N`` is the server-side bound for offices where
    some accounts use psql or other tools that do not sweep while they wait."""
    import time

    from crm_desktop.services import sessions as svc

    db = database_from_url(args.db)
    try:
        if args.action == "list":
            for r in svc.list_sessions(db):
                blocks = f" blocks {','.join(map(str, r.blocking))}" if r.blocking else ""
                waits = f" waits for {','.join(map(str, r.blocked_by))}" if r.blocked_by else ""
                print(f"{r.pid:<8}{r.login:<14}{r.account_name or '':<8}{r.computer or r.client_address:<16}"
                      f"{r.state}{blocks}{waits}")
        elif args.action == "end":
            svc.end_session(db, args.pid)
            print(f"ended {args.pid}")
        else:
            while True:
                ended = svc.end_blocking_sessions(db)
                if ended or args.every is None:
                    print(f"ended {ended} blocking session(s)", flush=True)
                if args.every is None:
                    return 0
                time.sleep(args.every)
        return 0
    finally:
        db.close()


class _ProgressLine:
    """One line rewritten in place on a terminal (plain lines when redirected, e.g. from cron)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.width = 0

    def __call__(self, line: str) -> None:
        if self.tty:
            self.stream.write("\r" + line + " " * max(0, self.width - len(line)))
            self.width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()


def _superuser_url(args) -> str:
    """--db URL, or --data DIR: this PC's embedded server, reached behind its TLS front."""
    if args.db:
        return args.db
    from crm_desktop.admin.server import EmbeddedServer

    return EmbeddedServer(Path(args.data)).local_url()


def _backup(args) -> int:
    from crm_desktop.admin import backup

    args.db = _superuser_url(args)
    progress = _ProgressLine()
    try:
        if args.to:
            result = backup.backup_to_folder(args.db, Path(args.to), args.keep, "scheduled", progress)
        else:
            out = Path(args.out) if args.out else Path.cwd() / backup.backup_file_name()
            from datetime import datetime, timezone
            started = datetime.now(timezone.utc)
            result = backup.backup(args.db, out, progress)
            backup.record_run(args.db, "manual", started, result)
    finally:
        progress.end()
    print(result.file)
    return 0


def _restore(args) -> int:
    from crm_desktop.admin import backup

    args.db = _superuser_url(args)
    progress = _ProgressLine()
    try:
        manifest = backup.restore(Path(args.file), args.db, progress)
    finally:
        progress.end()
    print(f"restored the backup of {manifest['created_at']} from {manifest['source']['host']}: "
          f"{len(manifest['tables'])} tables, {len(manifest['roles'])} roles")
    return 0


def agent_jobs(args) -> list:
    """The jobs ``crm-admin agent`` runs: contact-plan reminders by e-mail and SMS, reminders of
    approvals waiting too long, and with --backup-to the scheduled backup."""
    from crm_desktop.agent.approval_reminders import ApprovalReminderJob
    from crm_desktop.agent.reminders import reminder_jobs

    jobs = [*reminder_jobs(args.interval), ApprovalReminderJob(hours=args.approval_hours)]
    if args.backup_to:
        from crm_desktop.admin.backup import BackupJob

        jobs.append(BackupJob(Path(args.backup_to), keep=args.backup_keep, interval=args.backup_every * 3600))
    return jobs


def _agent(args) -> int:
    """The long-running agent for the server PC (docs/followup.md: systemd unit, Windows service)."""
    import logging

    from crm_desktop.agent.runner import AgentRunner

    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if args.log:
        handlers.append(logging.FileHandler(args.log, encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, handlers=handlers,
                        format="%(asctime)s %(levelname)s %(threadName)s %(message)s")
    runner = AgentRunner(args.db, agent_jobs(args), max_backoff=args.max_backoff)
    if args.once:
        return 0 if runner.run_once() else 1
    return runner.run_forever()


def _role_ids(db, names: list[str]) -> list[int]:
    from crm_desktop.services import role

    by_name = {r["name"]: r["id"] for r in role.list_roles(db)}
    builtin = {r["builtin"]: r["id"] for r in role.list_roles(db) if r["builtin"]}
    return [builtin.get(n) or by_name[n] for n in names]


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm-admin", description="CRM desktop administration")
    sub = parser.add_subparsers(dest="command", required=True)

    server = sub.add_parser("server", help="the embedded PostgreSQL server")
    server_sub = server.add_subparsers(dest="action", required=True)
    start = server_sub.add_parser("start", help="start (detached) and print the superuser URL last")
    start.add_argument("--data", required=True, help="data folder")
    start.add_argument("--listen", default="127.0.0.1", help="address to listen on (LAN: 0.0.0.0)")
    start.add_argument("--port", type=int, default=None)
    p = server_sub.add_parser("stop")
    p.add_argument("--data", required=True)
    p = server_sub.add_parser("status", help="running or not, and the replication role, lag and standby addresses")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--data", help="the embedded server of this PC")
    where.add_argument("--db", help="any server: a superuser URL")
    p = server_sub.add_parser("standby", help="make and start a hot standby of a running primary")
    p.add_argument("--from", dest="primary", required=True, metavar="URL", help="the primary's superuser URL")
    p.add_argument("--data", required=True, help="a new data folder for the standby")
    p.add_argument("--listen", default="127.0.0.1", help="address the standby listens on (LAN: 0.0.0.0)")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--sync", action="store_true", help="commits on the primary wait for the standby")
    p.add_argument("--address", help="the standby's address as the primary sees it (default: found out)")
    p = server_sub.add_parser("promote", help="turn the standby into the primary")
    p.add_argument("--data", required=True)
    server.set_defaults(run=_server)

    migrate = sub.add_parser("migrate", help="bring a database to the current schema")
    migrate.add_argument("--db", required=True, help="superuser connection URL")
    migrate.set_defaults(run=_migrate)

    definitions = sub.add_parser("definitions", help="the re-applied definitions files (developers)")
    definitions.add_argument("action", choices=["dump", "apply"])
    definitions.add_argument("--db", required=True, help="superuser connection URL of a migrated database")
    definitions.set_defaults(run=_definitions)

    seed = sub.add_parser("seed-demo", help="add the deterministic demo company")
    seed.add_argument("--db", required=True)
    seed.add_argument("--customers", type=int, default=0, metavar="N",
                      help="also bring the demo to N customers (deterministic for a given N)")
    seed.set_defaults(run=_seed)

    account = sub.add_parser("account", help="manage accounts")
    acc_sub = account.add_subparsers(dest="action", required=True)
    p = acc_sub.add_parser("list")
    p.add_argument("--db", required=True)
    p.add_argument("--deleted", action="store_true", help="list deleted accounts (已删除人员)")
    p = acc_sub.add_parser("create")
    p.add_argument("login")
    p.add_argument("--db", required=True)
    p.add_argument("--name")
    p.add_argument("--gender", choices=["male", "female"], default="male")
    p.add_argument("--email")
    p.add_argument("--mobile")
    p.add_argument("--valid-until", type=date.fromisoformat)
    p.add_argument("--role", action="append", help="role name, or admin / user for the default roles")
    p.add_argument("--password-stdin", action="store_true")
    for name in ("lock", "unlock", "set-password", "delete", "restore", "bind-ukey", "unbind-ukey"):
        p = acc_sub.add_parser(name)
        p.add_argument("login")
        p.add_argument("--db", required=True)
        if name in ("set-password", "bind-ukey", "unbind-ukey"):
            p.add_argument("--password-stdin", action="store_true")
    p = acc_sub.add_parser("set-status")
    p.add_argument("login")
    p.add_argument("status", choices=["active", "resigned", "retired"])
    p.add_argument("--db", required=True)
    p = acc_sub.add_parser("set-expiry")
    p.add_argument("login")
    p.add_argument("date", help="YYYY-MM-DD, or none")
    p.add_argument("--db", required=True)
    account.set_defaults(run=_account)

    sessions = sub.add_parser("sessions", help="who is connected, who blocks whom")
    ses_sub = sessions.add_subparsers(dest="action", required=True)
    p = ses_sub.add_parser("list")
    p.add_argument("--db", required=True)
    p = ses_sub.add_parser("end", help="end one account's session")
    p.add_argument("pid", type=int)
    p.add_argument("--db", required=True)
    p = ses_sub.add_parser("sweep", help="end sessions that block others for more than 30 s")
    p.add_argument("--db", required=True)
    p.add_argument("--every", type=float, metavar="SECONDS", help="keep sweeping (a service)")
    sessions.set_defaults(run=_sessions)

    backup = sub.add_parser("backup", help="one file with the database and every account's login role")
    source = backup.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", help="superuser connection URL")
    source.add_argument("--data", help="instead of --db: the embedded server of this PC (its data folder)")
    where = backup.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="FILE", help="the backup file (default: crm-DATE-TIME.crmbackup here)")
    where.add_argument("--to", metavar="DIR", help="a folder or mounted share: a new file there each run (cron)")
    backup.add_argument("--keep", type=_positive, default=7, metavar="N", help="with --to: keep the N newest backups")
    backup.set_defaults(run=_backup)

    restore = sub.add_parser("restore", help="restore a backup onto an empty server, accounts included")
    restore.add_argument("file")
    target = restore.add_mutually_exclusive_group(required=True)
    target.add_argument("--db", help="superuser URL of the target database (e.g. .../crm)")
    target.add_argument("--data", help="instead of --db: the embedded server of this PC (its data folder)")
    restore.set_defaults(run=_restore)

    agent = sub.add_parser("agent", help="send due reminders (and other scheduled work) until stopped")
    agent.add_argument("--db", required=True, help="superuser connection URL (the agent reads the SMTP password)")
    agent.add_argument("--interval", type=float, default=30.0, metavar="SECONDS", help="between reminder rounds")
    agent.add_argument("--max-backoff", type=float, default=900.0, metavar="SECONDS",
                       help="longest wait after repeated failures")
    agent.add_argument("--log", metavar="FILE", help="also write the log to FILE")
    agent.add_argument("--once", action="store_true", help="one round of every job, then exit (cron)")
    agent.add_argument("--approval-hours", type=float, default=24.0, metavar="HOURS",
                       help="remind an approver of a task waiting longer than this")
    agent.add_argument("--backup-to", metavar="DIR", help="also back up into DIR (a folder or mounted share)")
    agent.add_argument("--backup-keep", type=_positive, default=7, metavar="N", help="keep the N newest backups")
    agent.add_argument("--backup-every", type=float, default=24.0, metavar="HOURS", help="between backups")
    agent.set_defaults(run=_agent)
    return parser


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore", module="platformdirs")
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UserError as exc:
        print(f"crm-admin: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a sentence, not a traceback
        from crm_desktop.messages import translate_error
        print(f"crm-admin: {translate_error(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
