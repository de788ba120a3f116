"""Issue 9, item 2: a UKey account that changes its own password does not get rid of its card.

PostgreSQL lets every role run ``alter role itself password 'x'``.  Binding registers the verifier of
the card-derived password; a bound account whose verifier in pg_authid is any other is nobody for
the CRM (``crm.current_account()`` is NULL: it sees nothing, may do nothing), and on PostgreSQL 17+
the login trigger refuses the plain password at the door.  Binding here goes through the admin
service's database function with the verifier of a known "card-derived" password, as the card
would produce it (the PC/SC path itself is tested in tests/ukey).
"""

from __future__ import annotations

from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import text

from crm_desktop.admin.seed import role_id
from crm_desktop.db.scram import scram_verifier
from crm_desktop.messages import UserError, translate_error
from crm_desktop.services import account as accounts
from crm_desktop.services import customer as customers
from crm_desktop.services import org
from crm_desktop.services.auth import log_in
from crm_desktop.services.ukey import logins_enforceable

DERIVED = "card-derived-7f3a9c"  # what the card would compute from login + password + PIN
CARD_ID = "ab" * 32
PLAIN = "plain-x-123"


def position_id(db, department: str, name: str) -> int:
    dept = next(d for d in org.list_departments(db) if d["name"] == department)
    return next(p["id"] for p in org.list_positions(db, dept["id"]) if p["name"] == name)


@pytest.fixture
def rep(admin_db, unique):
    """A fresh 销售二部 rep with the ordinary role and one customer of its own: (login, id)."""
    login = f"uk{unique}"
    account_id = accounts.create_account(
        admin_db, {"login": login, "name": "钥匙代表"}, "before-binding",
        [accounts.PositionAssignment(position_id(admin_db, "销售二部", "销售代表"), True)],
        [role_id(admin_db, "普通用户")])
    return login, account_id


def bind(db, account_id: int, derived: str = DERIVED, card_id: str = CARD_ID) -> None:
    with db.session() as s:
        s.execute(text("select crm.bind_ukey(:id, :card, :v)"),
                          {"id": account_id, "card": card_id, "v": scram_verifier(derived)})


@pytest.fixture
def bound(rep, login, address):
    """``rep`` bound by the demo administrator; it owns a customer made with the card."""
    name, account_id = rep
    bind(login("admin"), account_id)
    with_card = log_in(address, name, DERIVED)
    try:
        customers.create_customer(with_card, {"name": f"钥匙客户{name}"})
    finally:
        with_card.close()
    return name, account_id


def server_version(superuser_url) -> int:
    with psycopg.connect(superuser_url) as su:
        return su.info.server_version


@contextmanager
def login_trigger_disabled(superuser_url):
    """What a PostgreSQL older than 17 has: no login trigger, only the check inside the identity."""
    if server_version(superuser_url) < 170000:
        yield
        return
    with psycopg.connect(superuser_url, autocommit=True) as su:
        su.execute("alter event trigger crm_ukey_login disable")
        try:
            yield
        finally:
            su.execute("alter event trigger crm_ukey_login enable")


def assert_nobody(conn: psycopg.Connection, account_id: int) -> None:
    """The session is nobody: no identity, no permission, no rows, no writes."""
    assert conn.execute("select crm.current_account()").fetchone() == (None,)
    assert conn.execute("select crm.has_permission('customer.create'), crm.customer_viewer()").fetchone() == (False, None)
    assert conn.execute("select count(*) from crm.customer").fetchone() == (0,)
    assert conn.execute("select count(*) from crm.employee").fetchone() == (0,)
    with pytest.raises(psycopg.Error) as refused:
        conn.execute("insert into crm.customer (name) values ('没有钥匙的客户')")
    assert refused.value.sqlstate == "42501"
    with pytest.raises(psycopg.Error) as refused:  # nor may it set its own password back through the CRM
        conn.execute("select crm.set_account_password(%s, %s)", (account_id, scram_verifier("again-123")))
    assert refused.value.sqlstate == "42501"


def test_with_the_card_the_account_works(bound, raw_connect):
    name, account_id = bound
    conn = raw_connect(name, DERIVED)
    assert conn.execute("select crm.current_account()").fetchone() == (account_id,)
    assert conn.execute("select count(*) from crm.customer where name = %s", (f"钥匙客户{name}",)).fetchone() == (1,)


def test_changing_its_own_password_makes_the_session_nobody_at_once(bound, raw_connect):
    name, account_id = bound
    conn = raw_connect(name, DERIVED)
    conn.execute(f'alter role "{name}" password \'{PLAIN}\'')  # PostgreSQL allows it
    assert_nobody(conn, account_id)


def test_the_plain_password_cannot_connect_on_postgresql_17(bound, raw_connect, address, superuser_url):
    name, _id = bound
    raw_connect(name, DERIVED).execute(f'alter role "{name}" password \'{PLAIN}\'')
    if server_version(superuser_url) < 170000:
        pytest.skip("no login event triggers before PostgreSQL 17: the identity check alone holds")
    with pytest.raises(psycopg.OperationalError, match="account_ukey_required"):
        raw_connect(name, PLAIN)
    with pytest.raises(UserError) as refused:
        log_in(address, name, PLAIN)
    assert refused.value.key == "account_ukey_required"


def test_without_the_login_trigger_the_plain_password_sees_and_changes_nothing(bound, raw_connect, superuser_url):
    name, account_id = bound
    raw_connect(name, DERIVED).execute(f'alter role "{name}" password \'{PLAIN}\'')
    with login_trigger_disabled(superuser_url):
        conn = raw_connect(name, PLAIN)
        assert_nobody(conn, account_id)


def test_rebinding_by_the_administrator_restores_the_account(bound, raw_connect, login):
    name, account_id = bound
    raw_connect(name, DERIVED).execute(f'alter role "{name}" password \'{PLAIN}\'')
    bind(login("admin"), account_id, "card-derived-second")
    conn = raw_connect(name, "card-derived-second")
    assert conn.execute("select crm.current_account()").fetchone() == (account_id,)
    assert conn.execute("select count(*) from crm.customer where name = %s", (f"钥匙客户{name}",)).fetchone() == (1,)


def test_unbinding_returns_to_an_ordinary_password_that_may_change(bound, raw_connect, login):
    name, account_id = bound
    with login("admin").session() as s:
        s.execute(text("select crm.unbind_ukey(:id, :v)"), {"id": account_id, "v": scram_verifier("ordinary-1")})
    conn = raw_connect(name, "ordinary-1")
    conn.execute(f'alter role "{name}" password \'{PLAIN}\'')
    assert conn.execute("select crm.current_account()").fetchone() == (account_id,)
    assert raw_connect(name, PLAIN).execute("select crm.current_account()").fetchone() == (account_id,)


def test_an_account_without_ukey_changing_its_own_password_is_unaffected(rep, raw_connect, admin_db):
    name, account_id = rep
    accounts.set_password(admin_db, account_id, "ordinary-2")
    raw_connect(name, "ordinary-2").execute(f'alter role "{name}" password \'{PLAIN}\'')
    conn = raw_connect(name, PLAIN)
    assert conn.execute("select crm.current_account(), crm.has_permission('customer.create')").fetchone() \
        == (account_id, True)
    conn.execute("insert into crm.customer (name) values (%s)", (f"普通客户{name}",))
    assert conn.execute("select count(*) from crm.customer where name = %s", (f"普通客户{name}",)).fetchone() == (1,)


def test_the_login_trigger_never_locks_out_superusers_or_other_accounts(bound, raw_connect, superuser_url):
    name, _id = bound
    if server_version(superuser_url) < 170000:
        pytest.skip("no login event triggers before PostgreSQL 17")
    with psycopg.connect(superuser_url) as su:
        assert su.execute("select evtenabled from pg_event_trigger where evtname = 'crm_ukey_login'").fetchone() == ("O",)
    raw_connect("chenjing").close()
    with psycopg.connect(superuser_url, autocommit=True) as su:
        su.execute("alter table crm.ukey_verifier rename to ukey_verifier_away")  # the check now fails inside
        try:
            with psycopg.connect(superuser_url) as again:
                assert again.execute("select 1").fetchone() == (1,)
            assert raw_connect("chenjing").execute("select crm.current_account() is not null").fetchone() == (True,)
            with pytest.raises(psycopg.OperationalError, match="account_ukey_required"):
                raw_connect(name, DERIVED)  # the error only refuses the UKey role concerned
        finally:
            su.execute("alter table crm.ukey_verifier_away rename to ukey_verifier")
    raw_connect(name, DERIVED).close()


def test_verifiers_are_registered_only_where_accounts_cannot_read_them(bound, raw_connect, superuser_url):
    name, _id = bound
    conn = raw_connect(name, DERIVED)
    for sql in ("select * from crm.ukey_verifier", "select crm_meta.session_password_verifier()",
                "select * from crm.chart_reach_checked"):
        with pytest.raises(psycopg.Error) as refused:
            conn.execute(sql)
        assert refused.value.sqlstate == "42501", sql
    with psycopg.connect(superuser_url) as su:
        owner, secdef, config, acl = su.execute(
            """select pg_get_userbyid(p.proowner), p.prosecdef, p.proconfig, p.proacl::text from pg_proc p
               where p.oid = 'crm_meta.session_password_verifier()'::regprocedure""").fetchone()
        assert su.execute("select rolsuper from pg_roles where rolname = %s", (owner,)).fetchone() == (True,)
        assert secdef and config == ["search_path=pg_catalog, pg_temp"]
        assert [e.split("=")[0] for e in acl.strip("{}").split(",") if not e.startswith(owner + "=")] == ["crm_definer"]
        assert su.execute("select pronargs from pg_proc where oid = 'crm_meta.session_password_verifier()'::regprocedure"
                          ).fetchone() == (0,)  # no argument: it reads session_user's verifier only


def test_identity_is_looked_up_in_one_place(superuser_url):
    """A helper that matched logins to session_user itself would skip the UKey check."""
    with psycopg.connect(superuser_url) as su:
        rows = su.execute(r"""select p.oid::regprocedure::text from pg_proc p
                              join pg_namespace n on n.oid = p.pronamespace
                              where n.nspname = 'crm' and p.prosrc ~* 'login\s*=\s*session_user'""").fetchall()
    assert rows == [("crm.current_account()",)]


@pytest.fixture
def unenforceable(superuser_url):
    """A server whose verifier reader is not a superuser's (as if migrated by a non-superuser)."""
    with psycopg.connect(superuser_url, autocommit=True) as su:
        owner = su.execute("select pg_get_userbyid(proowner) from pg_proc "
                           "where oid = 'crm_meta.session_password_verifier()'::regprocedure").fetchone()[0]
        su.execute("alter function crm_meta.session_password_verifier() owner to crm_owner")
        try:
            yield
        finally:
            su.execute(f'alter function crm_meta.session_password_verifier() owner to "{owner}"')


def test_a_server_that_cannot_check_refuses_to_bind_and_bound_accounts_fail_closed(
        bound, login, admin_db, unique, unenforceable, superuser_url, raw_connect):
    admin = login("admin")
    assert logins_enforceable(admin) is False
    other_id = accounts.create_account(admin_db, {"login": f"uo{unique}", "name": "另一个"}, "before-binding")
    with pytest.raises(Exception) as refused:
        bind(admin, other_id, card_id="cd" * 32)
    assert translate_error(refused.value).key == "ukey_unenforceable"
    assert "不能绑定 UKey" in str(translate_error(refused.value))
    name, account_id = bound
    with login_trigger_disabled(superuser_url):
        conn = raw_connect(name, DERIVED)  # even the card's password: nothing can be checked, nothing is seen
        assert_nobody(conn, account_id)


def test_the_bind_dialog_says_when_the_server_cannot_enforce_ukeys(qtbot, rep, login, unenforceable):
    from crm_desktop import messages
    from crm_desktop.ui.ukey.bind_dialog import BindUKeyDialog

    admin = login("admin")
    dialog = BindUKeyDialog(admin, accounts.get_account(admin, rep[1]), interval_ms=60_000)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.message.text() == messages.text("ukey_unenforceable"), timeout=10_000)
    assert not dialog.action.isEnabled()
    dialog.prompt.watcher.stop()


def test_the_bind_dialog_offers_binding_where_the_server_enforces_ukeys(qtbot, rep, login):
    from crm_desktop.ui.ukey.bind_dialog import BindUKeyDialog

    admin = login("admin")
    assert logins_enforceable(admin) is True
    dialog = BindUKeyDialog(admin, accounts.get_account(admin, rep[1]), interval_ms=60_000)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_enforceability_checked, timeout=10_000):
        pass
    assert dialog.action.isEnabled() and dialog.message.text() == ""
    dialog.prompt.watcher.stop()
