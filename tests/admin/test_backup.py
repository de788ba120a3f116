"""Backup and restore bring the accounts back: the seeded database is backed up, restored into a
second embedded server and compared there table by table, role by role, login by login, with the
visibility oracle run on the copy; a UKey account keeps its card, a restore onto a non-empty server
is refused, the scheduled job keeps N files and records every run."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from visibility_oracle import Oracle, read_world

from crm_desktop.admin import backup
from crm_desktop.admin.seed import ACCOUNTS
from crm_desktop.db.connection import ServerAddress
from crm_desktop.db.scram import scram_verifier
from crm_desktop.messages import UserError

LOGINS = [a[0] for a in ACCOUNTS]
DEMO_PASSWORD = "demo1234"


@pytest.fixture(scope="module")
def target():
    """A second embedded server, empty but for the database that `server start` creates (not under
    pytest's basetemp, which every pytest run on the machine makes 0700 again)."""
    from crm_desktop.admin.server import EmbeddedServer

    root = Path(tempfile.mkdtemp(prefix="crm-restore-"))
    server = EmbeddedServer(root / "server")
    info = server.start()
    yield info.url()
    server.stop(mode="immediate")
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def restored(superuser_url, admin_db, target, tmp_path_factory):
    from crm_desktop.admin.seed_customers import seed_demo_customers

    seed_demo_customers(admin_db, 400)  # the customers the visibility tests use: the oracle has rules to check
    file = tmp_path_factory.mktemp("backups") / "seeded.crmbackup"
    lines: list[str] = []
    result = backup.backup(superuser_url, file, lines.append)
    assert result.size == file.stat().st_size and oct(file.stat().st_mode & 0o777) == "0o600"
    assert any("备份 1/" in line for line in lines) and lines[-1].startswith("备份完成")
    manifest = backup.restore(file, target, lines.append)
    assert lines[-1].startswith("恢复完成") and any(f"恢复 {len(manifest['tables'])}/" in line for line in lines)
    return file, manifest


def _fingerprint(url: str, table: str) -> tuple[int, str]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql.SQL("select count(*), md5(coalesce(string_agg(t::text, E'\\n' order by t::text), ''))"
                                    " from {} t").format(sql.SQL(table))).fetchone()


def test_every_table_is_restored_row_for_row(superuser_url, target, restored):
    _file, manifest = restored
    assert len(manifest["tables"]) > 40
    differing = [t for t in manifest["tables"] if _fingerprint(superuser_url, t) != _fingerprint(target, t)]
    assert differing == []
    assert _fingerprint(target, "crm.account")[0] >= len(LOGINS)  # the demo's, and any a test added


ROLE_STATE = """select r.rolname, r.rolcanlogin, r.rolvaliduntil::text, r.rolpassword, r.rolbypassrls, r.rolcreaterole,
                       r.rolinherit, coalesce(s.setconfig, '{}')
                  from pg_authid r left join pg_db_role_setting s on s.setrole = r.oid and s.setdatabase = 0
                 where r.rolname = any(%s) order by 1"""
MEMBERS = """select g.rolname, u.rolname, m.admin_option, m.inherit_option, m.set_option
               from pg_auth_members m join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member
              where u.rolname = any(%s) order by 1, 2"""
DATABASE = """select datacl::text, (select setconfig from pg_db_role_setting
                                     where setrole = 0 and setdatabase = d.oid)
                from pg_database d where datname = current_database()"""


def test_roles_verifiers_memberships_and_grants_are_those_of_the_original(superuser_url, target, restored):
    _file, manifest = restored
    names = [r["name"] for r in manifest["roles"]]
    assert {"crm_owner", "crm_user", "crm_definer", *LOGINS} <= set(names)
    assert not any(n.startswith("pg_") or n == "postgres" for n in names)
    with psycopg.connect(superuser_url) as a, psycopg.connect(target) as b:
        for query, params in ((ROLE_STATE, (names,)), (MEMBERS, (names,)), (DATABASE, ())):
            assert a.execute(query, params).fetchall() == b.execute(query, params).fetchall()
        privileges = "select relacl::text from pg_class where oid = 'pg_catalog.pg_stat_activity'::regclass"
        assert a.execute(privileges).fetchone() == b.execute(privileges).fetchone()
        owners = "select proname, pg_get_userbyid(proowner) from pg_proc where pronamespace = 'crm_meta'::regnamespace order by 1"
        assert a.execute(owners).fetchall() == b.execute(owners).fetchall()
        triggers = "select evtname, evtevent, evtenabled from pg_event_trigger order by 1"
        assert a.execute(triggers).fetchall() == b.execute(triggers).fetchall()


def _identity(address: ServerAddress, login: str, password: str = DEMO_PASSWORD):
    """(account id, permissions) as the account itself, or the refusal's catalogue key."""
    from crm_desktop.services.auth import log_in

    try:
        db = log_in(address, login, password)
    except UserError as refused:
        return refused.key
    try:
        return db.account_id, sorted(db.permissions)
    finally:
        db.close()


def test_every_demo_account_logs_in_on_the_copy_as_on_the_original(superuser_url, target, restored):
    original, copy = ServerAddress.from_url(superuser_url), ServerAddress.from_url(target)
    refused = set()
    for login in LOGINS:
        expected = _identity(original, login)
        assert _identity(copy, login) == expected, login
        if isinstance(expected, str):
            refused.add(login)
    assert refused == {"zhaolei", "wuting", "xujun", "linfeng", "pengli"}  # locked, expired, resigned, retired
    assert _identity(copy, "chenjing", "wrong-password") == "wrong_password"


def test_the_copy_shows_every_account_what_the_oracle_says(target, restored):
    oracle = Oracle(read_world(target))
    assert oracle.w.customers and oracle.w.shares and oracle.w.scopes  # the demo's rules have rows to act on
    address = ServerAddress.from_url(target)
    for login in LOGINS:
        if not oracle.w.can_log_in[login]:
            with pytest.raises(psycopg.OperationalError):
                psycopg.connect(**address.connect_args(login, DEMO_PASSWORD)).close()
            continue
        with psycopg.connect(**address.connect_args(login, DEMO_PASSWORD)) as conn:
            seen = {r[0] for r in conn.execute("select id from crm.customer")}
            editable = {r[0] for r in conn.execute("select id from crm.customer where crm.can_edit_customer(id)")}
            plans = {r[0] for r in conn.execute("select id from crm.contact_plan")}
            shares = set(conn.execute("select customer_id, account_id from crm.customer_share").fetchall())
        assert seen == oracle.may(login, edit=False), login
        assert editable == oracle.may(login, edit=True), login
        assert plans == oracle.plans(login) and shares == oracle.shares(login), login


def test_a_restore_onto_a_server_that_is_not_empty_is_refused(target, restored):
    file, _manifest = restored
    before = _fingerprint(target, "crm.account")
    with pytest.raises(UserError) as refused:
        backup.restore(file, target)
    assert refused.value.key == "restore_target_not_empty" and "crm_owner" in str(refused.value)
    assert _fingerprint(target, "crm.account") == before


def test_a_file_that_is_not_a_backup_is_refused_with_a_sentence(tmp_path, target):
    junk = tmp_path / "junk.crmbackup"
    junk.write_bytes(b"not a tar file at all")
    with pytest.raises(UserError) as refused:
        backup.restore(junk, target)
    assert refused.value.key == "backup_file_unreadable"
    with pytest.raises(UserError) as missing:
        backup.restore(tmp_path / "nowhere.crmbackup", target)
    assert missing.value.key == "backup_file_missing"


def test_the_scheduled_job_keeps_n_backups_and_records_every_run(superuser_url, tmp_path, capsys):
    from crm_desktop.admin.cli import main

    job = backup.BackupJob(tmp_path / "share", keep=2, interval=3600)
    assert job.name == "backup" and job.interval == 3600
    stranger = tmp_path / "share" / "notes.txt"
    stranger.parent.mkdir()
    stranger.write_text("not ours")
    made = []
    for _ in range(2):
        assert job.run(superuser_url).startswith("backup crm-")
        made += [p.name for p in (tmp_path / "share").glob("*.crmbackup") if p.name not in made]
    assert main(["backup", "--db", superuser_url, "--to", str(tmp_path / "share"), "--keep", "2"]) == 0
    out = capsys.readouterr()
    assert "备份完成" in out.err and out.out.strip().endswith(".crmbackup")
    left = sorted(p.name for p in (tmp_path / "share").iterdir())
    assert len(made) == 2 and made[0] not in left and made[1] in left and "notes.txt" in left and len(left) == 3
    assert not list((tmp_path / "share").glob("*.part")) and not list((tmp_path / "share").glob("crm-backup-*"))
    with psycopg.connect(superuser_url) as conn:
        runs = conn.execute("select outcome, file, size_bytes from crm.backup_run order by id desc limit 3").fetchall()
    assert [r[0] for r in runs] == ["ok"] * 3 and runs[0][1] == out.out.strip() and runs[0][2] > 0

    broken = backup.BackupJob(stranger / "cannot-be-a-folder", keep=2)
    with pytest.raises(OSError):
        broken.run(superuser_url)
    with psycopg.connect(superuser_url) as conn:
        outcome, error = conn.execute("select outcome, error from crm.backup_run order by id desc limit 1").fetchone()
    assert outcome == "failed" and ("NotADirectoryError" in error or "FileExistsError" in error)


def _empty(url: str, manifest: dict) -> None:
    """Take the restored copy away again (database and roles), as a fresh server would be."""
    from crm_desktop.admin.backup import _connect

    with _connect(url, "postgres") as admin:
        admin.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier("crm")))
        for role in reversed(manifest["roles"]):
            admin.execute(sql.SQL("drop role {}").format(sql.Identifier(role["name"])))
        admin.execute("create database crm")


def test_a_ukey_account_keeps_its_card_and_a_changed_password_stays_refused(target, restored, tmp_path, capsys):
    _file, manifest = restored
    address = ServerAddress.from_url(target)
    with psycopg.connect(target, autocommit=True) as su:
        ids = dict(su.execute("select login, id from crm.account where login in ('chenjing', 'liuyang')").fetchall())
        su.execute("select crm.bind_ukey(%s, %s, %s)", (ids["chenjing"], "1" * 64, scram_verifier("derived-by-card-1")))
        su.execute("select crm.bind_ukey(%s, %s, %s)", (ids["liuyang"], "2" * 64, scram_verifier("derived-by-card-2")))
    with psycopg.connect(**address.connect_args("liuyang", "derived-by-card-2"), autocommit=True) as own:
        own.execute("alter role liuyang password 'typed-without-card'")

    def state():
        return (_identity(address, "chenjing", "derived-by-card-1")[0], _identity(address, "chenjing"),
                _identity(address, "liuyang", "typed-without-card"))

    before = state()
    assert before == (ids["chenjing"], "wrong_password", "account_ukey_required")
    second = backup.backup(target, tmp_path / "ukey.crmbackup").file
    _empty(target, manifest)
    from crm_desktop.admin.cli import main

    assert main(["restore", str(second), "--db", target]) == 0  # the command an administrator types
    assert "恢复完成" in capsys.readouterr().err
    assert state() == before


def test_the_backup_record_is_read_by_backup_managers_and_written_by_nobody_else(raw_connect, superuser_url):
    with psycopg.connect(superuser_url) as su:
        su.execute("insert into crm.backup_run (trigger, outcome, error) values ('manual', 'failed', 'disk full')")
    assert raw_connect("admin").execute("select count(*) from crm.backup_run").fetchone()[0] >= 1
    rep = raw_connect("chenjing")
    assert rep.execute("select count(*) from crm.backup_run").fetchone()[0] == 0
    for statement in ("insert into crm.backup_run (trigger, outcome, file, size_bytes) values ('manual', 'ok', 'x', 1)",
                      "update crm.backup_run set error = ''", "delete from crm.backup_run"):
        for login in ("chenjing", "admin"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw_connect(login).execute(statement)
