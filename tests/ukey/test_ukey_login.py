"""UKey accounts end to end: a real PostgreSQL, a real pcscd and virtual cards.

Binding makes the card-derived password the account's only database password, so PostgreSQL
itself refuses the same login and password without the card (psql or the app alike).
"""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest
from sqlalchemy import text

from crm_desktop.messages import UserError, translate_error
from crm_desktop.services import account as accounts
from crm_desktop.services.auth import log_in
from crm_desktop.services.ukey import (UKeySession, account_is_ukey, bind_ukey, bound_card_id, forget_card,
                                       pin_step, ukey_login, unbind_ukey)

PASSWORD = "secret99"
READER = "Virtual PCD 00 00"


@pytest.fixture
def account(admin_db, unique):
    """A fresh active account with an ordinary password: (login, id)."""
    login = f"uk{unique}"
    return login, accounts.create_account(admin_db, {"login": login, "name": "钥匙测试"}, PASSWORD)


@pytest.fixture
def bound(login, account, virtual_card):
    """``account`` bound to card A (inserted) by the demo administrator: (login, id, card)."""
    name, account_id = account
    card = virtual_card("A")
    card.insert()
    bind_ukey(login("admin"), account_id, name, PASSWORD, card.pin)
    return name, account_id, card


def refusal(call) -> UserError:
    with pytest.raises(UserError) as err:
        call()
    return err.value


def test_bind_then_log_in_with_the_card(bound, address, admin_db):
    name, account_id, card = bound
    db = ukey_login(address, name, PASSWORD, card.pin)
    try:
        assert db.account_id == account_id
        assert isinstance(db.ukey_session, UKeySession)
    finally:
        db.close()
    with admin_db.session() as s:
        row = s.execute(text("select ukey, ukey_card_id from crm.account where id = :id"), {"id": account_id}).one()
    assert row.ukey and row.ukey_card_id == bound_card_id(address, name) and len(row.ukey_card_id) == 64
    assert account_is_ukey(address, name)


def test_the_same_login_and_password_without_the_card_are_refused(bound, address, raw_connect):
    name, _id, card = bound
    card.remove()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        raw_connect(name, PASSWORD)
    # the server tells no one without the card that a key is needed: just a wrong password
    assert refusal(lambda: log_in(address, name, PASSWORD)).key == "wrong_password"
    assert refusal(lambda: ukey_login(address, name, PASSWORD, card.pin)).key == "ukey_no_card"


def test_another_card_is_the_wrong_card_and_keeps_its_tries(bound, address, virtual_card):
    name, _id, _card = bound
    other = virtual_card("B")
    other.insert()
    for _ in range(4):  # more than the 3 tries: the PIN is never tried on someone else's card
        assert refusal(lambda: ukey_login(address, name, PASSWORD, "9999")).key == "ukey_wrong_card"
    assert refusal(lambda: UKeySession.start(name, "0" * 64, other.pin)).key == "ukey_wrong_card"


def test_wrong_pin_counts_down_then_blocks_the_card(bound, address):
    name, _id, card = bound
    first = refusal(lambda: ukey_login(address, name, PASSWORD, "0000"))
    assert (first.key, first.params) == ("ukey_wrong_pin", {"tries_left": 2})
    assert "2" in str(first)
    assert refusal(lambda: ukey_login(address, name, PASSWORD, "0000")).params == {"tries_left": 1}
    assert refusal(lambda: ukey_login(address, name, PASSWORD, "0000")).key == "ukey_card_blocked"
    assert refusal(lambda: ukey_login(address, name, PASSWORD, card.pin)).key == "ukey_card_blocked"


def test_right_card_wrong_password_and_empty_pin(bound, address):
    name, _id, card = bound
    assert refusal(lambda: ukey_login(address, name, "not-it", card.pin)).key == "wrong_password"
    assert refusal(lambda: ukey_login(address, name, PASSWORD, "")).key == "ukey_pin_required"


def test_a_pc_that_never_saw_the_binding_logs_in_with_the_card_and_learns_it(bound, address):
    name, account_id, card = bound
    forget_card(address, name)  # another PC: nothing known about this login
    assert pin_step(address, name) == (True, None)  # an unknown card is in the reader: the PIN is asked
    assert refusal(lambda: ukey_login(address, name, "not-it", card.pin)).key == "ukey_or_password_wrong"
    assert refusal(lambda: log_in(address, name, PASSWORD)).key == "wrong_password"
    db = ukey_login(address, name, PASSWORD, card.pin)
    try:
        assert db.account_id == account_id and db.ukey_session.card_id == bound_card_id(address, name)
    finally:
        db.close()
    assert pin_step(address, name) == (True, bound_card_id(address, name))


def test_an_ordinary_account_logs_in_with_a_card_in_the_reader(bound, address):
    _name, _id, card = bound
    assert pin_step(address, "chenjing") == (False, None)  # the card is known as someone else's
    db = ukey_login(address, "chenjing", "demo1234", "")
    assert db.login == "chenjing" and getattr(db, "ukey_session", None) is None
    db.close()
    forget_card(address, _name)
    # the PIN typed by habit: the card's password is refused, the ordinary one opens
    db = ukey_login(address, "chenjing", "demo1234", card.pin)
    assert db.login == "chenjing" and getattr(db, "ukey_session", None) is None
    db.close()
    assert not account_is_ukey(address, "chenjing")


def test_unlocking_a_session_needs_the_same_card_and_its_pin(bound, virtual_card):
    name, _id, card = bound
    session = UKeySession.start(name, bound_card_id_of(card), card.pin)
    session.unlock(card.pin)
    assert refusal(lambda: session.unlock("0000")).key == "ukey_wrong_pin"
    virtual_card("B").insert()
    assert refusal(lambda: session.unlock(card.pin)).key == "ukey_wrong_card"
    card.insert()
    session.unlock(card.pin)


def bound_card_id_of(card) -> str:
    from crm_desktop import ukey

    card.insert()
    return ukey.card_state().card_id


def test_unbind_returns_to_an_ordinary_password(bound, login, address, raw_connect):
    name, account_id, card = bound
    unbind_ukey(login("admin"), account_id, "plain123")
    card.remove()
    raw_connect(name, "plain123").close()
    db = ukey_login(address, name, "plain123", "")  # not bound any more: the card is not asked for
    db.close()
    assert not account_is_ukey(address, name)
    assert accounts.get_account(login("admin"), account_id)["ukey"] is False


def test_binding_ends_sessions_opened_without_the_key(login, account, virtual_card, raw_connect):
    name, account_id = account
    before = raw_connect(name, PASSWORD)
    card = virtual_card("A")
    card.insert()
    bind_ukey(login("admin"), account_id, name, PASSWORD, card.pin)
    with pytest.raises(psycopg.OperationalError):
        before.execute("select 1")


def test_direct_writes_cannot_desynchronise_flag_card_and_password(bound, login, raw_connect):
    name, account_id, _card = bound
    admin = login("admin")
    with pytest.raises(Exception) as err:
        accounts.set_password(admin, account_id, "plain123")
    assert translate_error(err.value).key == "account_ukey_password_needs_key"
    conn = raw_connect("admin")
    # the marker setting alone is not enough: only the binding functions run as crm_definer
    conn.execute("set crm.ukey_binding = 'on'")
    # the UKey columns are not even granted for UPDATE (0018): refused before any trigger runs
    for sql, key in (
            ("update crm.account set ukey = false, ukey_card_id = null where id = %s", "42501"),
            ("update crm.account set ukey_card_id = repeat('a', 64) where id = %s", "42501"),
            ("update crm.account set login = login || 'x' where id = %s", "account_ukey_login_fixed")):
        with pytest.raises(psycopg.Error) as db_err:
            conn.execute(sql, (account_id,))
        assert (db_err.value.diag.constraint_name or db_err.value.sqlstate) == key
    with pytest.raises(psycopg.Error) as db_err:
        conn.execute("insert into crm.account (login, name, ukey) values ('ukfake', 'x', true)")
    assert db_err.value.diag.constraint_name == "account_ukey_needs_binding"
    # ordinary edits of a bound account still work
    conn.execute("update crm.account set mobile = '13800000000' where id = %s", (account_id,))


def test_binding_needs_the_ukey_or_the_account_permission(admin_db, account, login, unique, virtual_card):
    name, account_id = account
    card = virtual_card("A")
    card.insert()
    with pytest.raises(Exception) as err:
        bind_ukey(login("chenjing"), account_id, name, PASSWORD, card.pin)
    assert translate_error(err.value).key == "permission_denied"
    keeper = f"kk{unique}"
    role_sql = text("""with r as (insert into crm.role (name) values (:role) returning id),
                                     p as (insert into crm.role_permission select id, 'system.account.ukey' from r)
                                insert into crm.account_role (account_id, role_id) select :acc, id from r""")
    keeper_id = accounts.create_account(admin_db, {"login": keeper, "name": "钥匙管理员"}, PASSWORD)
    with admin_db.session() as s:
        s.execute(role_sql, {"role": f"UKey {unique}", "acc": keeper_id})
    bind_ukey(login(keeper, PASSWORD), account_id, name, PASSWORD, card.pin)
    with pytest.raises(Exception) as err:  # binding is not the right to edit accounts
        accounts.set_locked(login(keeper, PASSWORD), account_id, True)
    assert translate_error(err.value).key == "permission_denied"


def crm_admin(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crm_desktop.admin.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_crm_admin_binds_and_unbinds_from_a_terminal(account, superuser_url, address, virtual_card, raw_connect):
    name, _id = account
    card = virtual_card("A")
    card.insert()
    bound_run = crm_admin("account", "bind-ukey", name, "--db", superuser_url, "--password-stdin",
                          stdin=f"cli-pass1\n{card.pin}\n")
    assert bound_run.returncode == 0, bound_run.stderr
    assert "bound to " + name in bound_run.stdout
    ukey_login(address, name, "cli-pass1", card.pin).close()
    with pytest.raises(psycopg.OperationalError):
        raw_connect(name, "cli-pass1")

    wrong = crm_admin("account", "bind-ukey", name, "--db", superuser_url, "--password-stdin",
                      stdin="cli-pass1\n0000\n")
    assert wrong.returncode == 2 and "2" in wrong.stderr and "PIN" in wrong.stderr

    unbound = crm_admin("account", "unbind-ukey", name, "--db", superuser_url, "--password-stdin",
                        stdin="plain-pass\n")
    assert unbound.returncode == 0, unbound.stderr
    raw_connect(name, "plain-pass").close()
