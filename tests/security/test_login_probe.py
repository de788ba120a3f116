"""Issue 9 item 5: no public door into the server.

The login probe had a published password: with it anyone on the LAN listed every login role, saw
who was online, connected to database ``postgres`` and asked whether an account was locked. Each
attack is tried here as it was made: with raw psycopg connections and real credentials.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from crm_desktop.admin.migrate import migrate, schema_dir
from crm_desktop.admin.server import create_database

PROBE = "crm_login_probe"


def connect(address, user: str, password: str = "demo1234", dbname: str | None = None) -> psycopg.Connection:
    args = address.connect_args(user, password)
    if dbname:
        args["dbname"] = dbname
    return psycopg.connect(**args, autocommit=True)


def test_the_published_probe_password_opens_nothing(address, admin_db):
    with pytest.raises(psycopg.OperationalError) as err:
        connect(address, PROBE, PROBE).close()
    assert "password authentication failed" in str(err.value)
    with admin_db.session() as s:
        assert s.execute(_sql("select count(*) from pg_roles where rolname = 'crm_login_probe'")).scalar() == 0


def test_no_login_role_outside_the_accounts_and_superusers(admin_db):
    """Nothing on the server accepts a password that is not an account's own (or the superuser's)."""
    with admin_db.session() as s:
        strays = s.execute(_sql("""
            select r.rolname from pg_roles r
            where r.rolcanlogin and not r.rolsuper
              and not exists (select from crm.account a where a.login = r.rolname)""")).scalars().all()
    assert strays == []


def test_the_refusal_functions_are_gone(raw_connect):
    conn = raw_connect("dengchao")
    for call in ("select crm.login_refusal('zhaolei')", "select crm.ukey_card_of('zhouqiang')"):
        with pytest.raises(errors.UndefinedFunction):
            conn.execute(call)


@pytest.mark.parametrize("login", ["zhaolei", "xujun", "linfeng"])
def test_a_wrong_password_tells_nothing_about_the_account(address, login):
    """PostgreSQL checks the password first: the state is heard only with the right one."""
    with pytest.raises(psycopg.OperationalError) as wrong:
        connect(address, login, "guessed-1").close()
    with pytest.raises(psycopg.OperationalError) as unknown:
        connect(address, "no_such_login", "guessed-1").close()
    assert str(wrong.value).replace(login, "X") == str(unknown.value).replace("no_such_login", "X")
    with pytest.raises(psycopg.OperationalError) as right:
        connect(address, login).close()
    assert "not permitted to log in" in str(right.value)


@pytest.mark.parametrize("database", ["postgres", "template1"])
def test_accounts_reach_only_the_crm_database(address, database):
    with pytest.raises(psycopg.OperationalError) as err:
        connect(address, "dengchao", dbname=database).close()
    assert "permission denied for database" in str(err.value)
    admin = connect(address, "admin")  # the administrator account too: it is no superuser
    admin.close()
    with pytest.raises(psycopg.OperationalError):
        connect(address, "admin", dbname=database).close()


def test_a_role_that_is_no_account_cannot_connect(address, admin_db, unique):
    outsider = f"outsider_{unique}"
    with admin_db.session() as s:
        s.execute(_sql(f"create role {outsider} login password 'outside1'"))
    try:
        with pytest.raises(psycopg.OperationalError) as err:
            connect(address, outsider, "outside1").close()
        assert "permission denied for database" in str(err.value)
    finally:
        with admin_db.session() as s:
            s.execute(_sql(f"drop role {outsider}"))


@pytest.mark.parametrize("query", [
    "select usename, client_addr from pg_stat_activity",
    "select pid from pg_stat_ssl",
    "select pg_stat_get_backend_userid(b)::regrole from pg_stat_get_backend_idset() b",
    "select * from pg_stat_get_activity(null)",
    "select pg_stat_get_backend_client_addr(1)",
])
def test_accounts_cannot_list_who_is_online(raw_connect, query):
    raw_connect("zhangmc")  # someone else is online
    conn = raw_connect("dengchao")
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(query)
    assert conn.execute("select pg_backend_pid() > 0").fetchone() == (True,)  # its own pid is fine


def test_locking_still_ends_the_sessions_of_the_locked_account(address, admin_db, unique):
    """The definer role reads pg_stat_activity to end them; it kept that right."""
    from crm_desktop.services import account as accounts

    login = f"lk{unique}"
    account_id = accounts.create_account(admin_db, {"login": login, "name": "锁定测试"}, "secret99")
    conn = connect(address, login, "secret99")
    accounts.set_locked(admin_db, account_id, True)
    with pytest.raises(psycopg.OperationalError):
        conn.execute("select 1")


def test_upgrading_drops_the_probe_even_when_two_databases_share_the_cluster(pg_server, superuser_url, unique):
    """Two CRM databases made before this change: the role stays (NOLOGIN) until the last one upgrades."""
    first, second = f"probe_a_{unique}", f"probe_b_{unique}"
    for name in (first, second):
        create_database(superuser_url, name)
        _migrate_until(pg_server.url(database=name), "0015")
    try:
        probe = psycopg.connect(pg_server.url(database=first, user=PROBE, password=PROBE))
        probe.close()  # the old door: open before the upgrade

        migrate(pg_server.url(database=first))
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(pg_server.url(database=second, user=PROBE, password=PROBE)).close()
        with psycopg.connect(pg_server.url(database=second)) as su:
            assert su.execute("select rolcanlogin from pg_roles where rolname = %s", (PROBE,)).fetchone() == (False,)

        migrate(pg_server.url(database=second))
        with psycopg.connect(pg_server.url(database=second)) as su:
            assert su.execute("select count(*) from pg_roles where rolname = %s", (PROBE,)).fetchone() == (0,)
            acl = su.execute("select datacl::text from pg_database where datname = %s", (second,)).fetchone()[0]
        entries = {e.split("=")[0]: e.split("=")[1].split("/")[0] for e in acl.strip("{}").split(",")}
        assert "c" in entries["crm_user"] and "c" not in entries.get("", "")  # "" is PUBLIC
    finally:
        with psycopg.connect(superuser_url, autocommit=True) as su:
            for name in (first, second):
                su.execute(f'drop database if exists "{name}" with (force)')


def _migrate_until(url: str, first_not_applied: str) -> None:
    """Apply the migrations before ``first_not_applied``: a database as an older release left it."""
    from yoyo import get_backend, read_migrations
    from yoyo.migrations import MigrationList

    from crm_desktop.admin.migrate import _yoyo_url

    backend = get_backend(_yoyo_url(url))
    migrations = read_migrations(str(schema_dir()))
    with backend.lock():
        older = MigrationList([m for m in backend.to_apply(migrations) if m.id < first_not_applied])
        backend.apply_migrations(older)


def _sql(text: str):
    from sqlalchemy import text as sql_text

    return sql_text(text)
