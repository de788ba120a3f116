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
            print(info.url())
        return 0 if info.running else 3
    return 0


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


def agent_jobs(args) -> list:
    """The jobs ``crm-admin agent`` runs: the reminders (and whatever other modules add here)."""
    from crm_desktop.agent.reminders import reminder_jobs

    return reminder_jobs(args.interval)


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm-admin", description="CRM desktop administration")
    sub = parser.add_subparsers(dest="command", required=True)

    server = sub.add_parser("server", help="the embedded PostgreSQL server")
    server_sub = server.add_subparsers(dest="action", required=True)
    start = server_sub.add_parser("start", help="start (detached) and print the superuser URL last")
    start.add_argument("--data", required=True, help="data folder")
    start.add_argument("--listen", default="127.0.0.1", help="address to listen on (LAN: 0.0.0.0)")
    start.add_argument("--port", type=int, default=None)
    for name in ("stop", "status"):
        p = server_sub.add_parser(name)
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

    agent = sub.add_parser("agent", help="send due reminders (and other scheduled work) until stopped")
    agent.add_argument("--db", required=True, help="superuser connection URL (the agent reads the SMTP password)")
    agent.add_argument("--interval", type=float, default=30.0, metavar="SECONDS", help="between reminder rounds")
    agent.add_argument("--max-backoff", type=float, default=900.0, metavar="SECONDS",
                       help="longest wait after repeated failures")
    agent.add_argument("--log", metavar="FILE", help="also write the log to FILE")
    agent.add_argument("--once", action="store_true", help="one round of every job, then exit (cron)")
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
