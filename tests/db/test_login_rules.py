"""Who may open a connection is decided by PostgreSQL itself: real logins, no SET ROLE."""

from datetime import date, timedelta

import psycopg
import pytest

from crm_desktop.messages import UserError
from crm_desktop.services import account as accounts
from crm_desktop.services.auth import log_in


def refused(address, login, password="demo1234") -> str:
    with pytest.raises(psycopg.OperationalError) as err:
        psycopg.connect(**address.connect_args(login, password)).close()
    return str(err.value)


@pytest.mark.parametrize("login", ["zhaolei", "xujun", "linfeng", "pengli"])
def test_disabled_accounts_are_told_so_only_with_their_right_password(address, login):
    """Locked, resigned, retired: NOLOGIN, refused by PostgreSQL after it checked the password."""
    assert "not permitted to log in" in refused(address, login)
    with pytest.raises(UserError) as err:
        log_in(address, login, "demo1234")
    assert err.value.key == "account_disabled"
    assert "password authentication failed" in refused(address, login, "not-the-password")
    with pytest.raises(UserError) as err:
        log_in(address, login, "not-the-password")
    assert err.value.key == "wrong_password"


def test_an_expired_account_reads_as_a_wrong_password(address):
    assert "password authentication failed" in refused(address, "wuting")
    with pytest.raises(UserError) as err:
        log_in(address, "wuting", "demo1234")
    assert err.value.key == "wrong_password"


def test_active_accounts_connect_and_know_who_they_are(login):
    for name in ("chenjing", "zhangmc", "songjia", "shenbo"):
        db = login(name)
        assert db.account_id is not None
        assert db.login == name


def test_wrong_password_and_unknown_login_read_the_same(address):
    for name, password in (("chenjing", "not-it"), ("no_such_person", "demo1234")):
        with pytest.raises(UserError) as err:
            log_in(address, name, password)
        assert err.value.key == "wrong_password"


def test_unreachable_server_is_a_sentence(address):
    from dataclasses import replace

    closed = replace(address, port=1)
    with pytest.raises(UserError) as err:
        log_in(closed, "chenjing", "demo1234")
    assert err.value.key == "server_unreachable"


def _new_account(admin_db, unique, **extra) -> tuple[str, int]:
    login = f"t{unique}"
    account_id = accounts.create_account(admin_db, {"login": login, "name": "测试", **extra}, "secret99")
    return login, account_id


def test_locking_ends_open_sessions_and_unlocking_restores_login(address, admin_db, unique):
    login, account_id = _new_account(admin_db, unique)
    conn = psycopg.connect(**address.connect_args(login, "secret99"), autocommit=True)
    assert conn.execute("select 1").fetchone() == (1,)
    accounts.set_locked(admin_db, account_id, True)
    with pytest.raises(psycopg.OperationalError):
        conn.execute("select 1")
    assert "not permitted to log in" in refused(address, login, "secret99")
    accounts.set_locked(admin_db, account_id, False)
    psycopg.connect(**address.connect_args(login, "secret99")).close()


def test_resigning_and_reinstating(address, admin_db, unique):
    login, account_id = _new_account(admin_db, unique)
    accounts.set_status(admin_db, account_id, "resigned")
    assert "not permitted" in refused(address, login, "secret99")
    accounts.set_status(admin_db, account_id, "retired")
    assert "not permitted" in refused(address, login, "secret99")
    accounts.set_status(admin_db, account_id, "active")
    psycopg.connect(**address.connect_args(login, "secret99")).close()


def test_expiry_is_valid_until(address, admin_db, unique):
    login, account_id = _new_account(admin_db, unique)
    accounts.set_expiry(admin_db, account_id, date.today() - timedelta(days=1))
    with pytest.raises(UserError) as err:
        log_in(address, login, "secret99")
    assert err.value.key == "wrong_password"  # PostgreSQL says no more than for a wrong password
    accounts.set_expiry(admin_db, account_id, date.today())  # valid through the whole day
    psycopg.connect(**address.connect_args(login, "secret99")).close()
    accounts.set_expiry(admin_db, account_id, None)
    psycopg.connect(**address.connect_args(login, "secret99")).close()


def test_deleted_accounts_cannot_log_in_until_restored(address, admin_db, unique):
    login, account_id = _new_account(admin_db, unique)
    accounts.delete_account(admin_db, account_id)
    with pytest.raises(UserError) as err:
        log_in(address, login, "secret99")
    assert err.value.key == "account_disabled"
    assert login in {r.login for r in accounts.list_accounts(admin_db, accounts.AccountFilter(deleted=True))}
    accounts.restore_account(admin_db, account_id)
    psycopg.connect(**address.connect_args(login, "secret99")).close()


def test_renaming_an_account_renames_its_login_role_and_keeps_the_password(address, admin_db, unique):
    login, account_id = _new_account(admin_db, unique)
    original = accounts.get_account(admin_db, account_id)
    accounts.update_account(admin_db, original, {"login": f"r{unique}"})
    psycopg.connect(**address.connect_args(f"r{unique}", "secret99")).close()
    refused(address, login, "secret99")


def test_an_account_changes_its_own_password_but_not_anothers(address, raw_connect, admin_db, login, unique):
    name, account_id = _new_account(admin_db, unique)
    db = login(name, "secret99")
    accounts.set_password(db, account_id, "newsecret1", "newsecret1")
    psycopg.connect(**address.connect_args(name, "newsecret1")).close()
    other = accounts.account_id_by_login(admin_db, "chenjing")
    with pytest.raises(Exception) as err:
        accounts.set_password(db, other, "hijacked1")
    assert "permission_denied" in str(err.value)
    psycopg.connect(**address.connect_args("chenjing", "demo1234")).close()


def test_cleartext_passwords_are_refused_by_the_server(raw_connect):
    conn = raw_connect("zhangmc")
    account_id = conn.execute("select id from crm.account where login = 'chenjing'").fetchone()[0]
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        conn.execute("select crm.set_account_password(%s, 'plain-text')", (account_id,))


def test_accounts_cannot_create_roles_or_raise_themselves(raw_connect):
    conn = raw_connect("chenjing")
    for statement in ("create role intruder login", "alter role chenjing createrole",
                      "grant crm_definer to chenjing", "set role crm_definer", "set session authorization zhangmc"):
        with pytest.raises(psycopg.Error):
            conn.execute(statement)


@pytest.mark.parametrize("change", ["resigned", "retired", "deleted", "expired"])
def test_every_way_of_losing_the_login_ends_open_sessions(address, admin_db, superuser_url, unique, change):
    # issue 17: narrowing "end open sessions" to locking alone left every other test green
    login, account_id = _new_account(admin_db, unique + change[:2])
    conn = psycopg.connect(**address.connect_args(login, "secret99"), autocommit=True)
    assert conn.execute("select 1").fetchone() == (1,)
    column, value = {"resigned": ("status", "'resigned'"), "retired": ("status", "'retired'"),
                     "deleted": ("deleted_at", "now()"), "expired": ("valid_until", "current_date - 1")}[change]
    with psycopg.connect(superuser_url, autocommit=True) as su:
        su.execute(f"update crm.account set {column} = {value} where id = %s", (account_id,))
    with pytest.raises(psycopg.OperationalError):
        conn.execute("select 1")
    conn.close()
