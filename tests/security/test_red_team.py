"""Attacks an ordinary account can try with psql and its own password, each refused.

Every connection here is a demo account's own (``raw_connect``); the superuser only arranges data and
reads back what really was stored.
"""

from __future__ import annotations

import psycopg
import pytest


@pytest.fixture
def su(superuser_url):
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        yield conn


def one(conn, sql, params=()):
    return conn.execute(sql, params).fetchone()[0]


def refusal(conn, sql, params=()) -> str:
    """The constraint key (or SQLSTATE) of the error ``sql`` raises, in its own rolled-back transaction."""
    with pytest.raises(psycopg.Error) as err:
        with conn.transaction():
            conn.execute(sql, params)
    return err.value.diag.constraint_name or err.value.sqlstate


def account(su, login):
    return one(su, "select id from crm.account where login = %s", (login,))


def department(su, name):
    return one(su, "select id from crm.department where name = %s", (name,))


# -- 1. temporary objects that shadow the catalog -------------------------------------------------

SHADOWS = [
    "create temp table pg_roles (rolname name, rolsuper bool, oid oid)",
    "insert into pg_temp.pg_roles values (session_user, true, 10)",
    "create temp table pg_class (oid oid, relname name, relnamespace oid, relkind char, relowner oid)",
    "create temp table pg_namespace (oid oid, nspname name)",
    "create temp table pg_proc (oid oid, proname name)",
    "create temp table pg_stat_activity (pid int, usename name)",
    "create temp table pg_authid (rolname name, rolsuper bool)",
    "create function pg_temp.starts_with(text, text) returns boolean language sql as 'select true'",
    "create function pg_temp.session_user() returns name language sql as $$select 'admin'::name$$",
    "create function pg_temp.texteq_always(text, text) returns boolean language sql as 'select true'",
    "create operator pg_temp.= (leftarg = text, rightarg = text, function = pg_temp.texteq_always)",
    "create temp view pg_settings as select 'search_path'::text as name, 'pg_temp'::text as setting",
]

# every definer function an account may call, with arguments that mean something in the demo
PROBES = [
    "select crm.current_account()",
    "select crm.customer_viewer()",
    "select crm.has_permission('system.admin')",
    "select crm.has_permission('customer.assign')",
    "select crm.sees_all_customers()",
    "select array(select crm.my_permissions() order by 1)",
    "select crm.customer_owner_ids()",
    "select crm.public_department_ids()",
    "select crm.scope_department_ids()",
    "select crm.shared_customer_ids()",
    "select crm.permitted_customer_type_ids()",
    "select crm.preview_number('customer', '')",
    "select count(*) from crm.customer",
    "select count(*) from crm.customer where crm.can_edit_customer(id)",
    "select count(*) from crm.customer where crm.may_see_customer(id)",
    "select count(*) from crm.customer where crm.may_edit_customer(owner_id, department_id, is_private, type_id)",
    "select count(*) from crm.account",
    "select count(*) from crm.audit_log",
    "select count(*) from crm.employee",
    "select crm.main_department_of(crm.current_account())",
]


def probe(conn):
    out = []
    for sql in PROBES:
        try:
            with conn.transaction():
                out.append(conn.execute(sql).fetchone()[0])
        except psycopg.Error as exc:
            out.append(exc.sqlstate)
    return out


@pytest.mark.parametrize("login", ["dengchao", "chenjing", "heping"])
def test_temporary_objects_cannot_shadow_what_definer_functions_read(login, raw_connect):
    conn = raw_connect(login)
    before = probe(conn)
    created = 0
    for statement in SHADOWS:
        try:
            with conn.transaction():
                conn.execute(statement)
                created += 1
        except psycopg.Error:
            pass  # some shadows PostgreSQL refuses outright; the rest must change nothing
    assert created >= 5, "the attack really ran: temporary tables exist"
    assert one(conn, "select count(*) from pg_temp.pg_roles where rolsuper") == 1
    assert probe(conn) == before
    assert one(conn, "select crm.has_permission('system.admin')") is False
    # and the lasting damage the review saw: making oneself administrator
    assert refusal(conn, "insert into crm.account_role (account_id, role_id) select crm.current_account(), id "
                         "from crm.role where builtin = 'admin'") in ("42501", "permission_denied")


def test_no_role_outside_crm_user_may_create_temporary_tables(su):
    acl = one(su, "select datacl::text from pg_database where datname = current_database()")
    assert not [e for e in acl.strip("{}").split(",") if e.startswith("=") and "T" in e.split("/")[0]], acl
    assert one(su, "select has_database_privilege('crm_user', current_database(), 'TEMP')") is True


# -- roles, grants and commands an account might try ------------------------------------------------

@pytest.mark.parametrize("statement", [
    "set role crm_definer",
    "set role crm_owner",
    "set session authorization admin",
    "alter role current_user superuser",
    "alter role current_user createrole",
    "alter role current_user bypassrls",
    "alter role current_user valid until 'infinity'",
    "grant crm_definer to current_user",
    "grant crm_owner to current_user",
    "truncate crm.customer",
    "truncate crm.audit_log",
    "create function crm.evil() returns int language sql as 'select 1'",
    "create table crm.evil (x int)",
    "alter table crm.customer disable row level security",
    "alter table crm.customer no force row level security",
    "drop policy \"accounts without a role see and change nothing\" on crm.customer",
    "create trigger evil after insert on crm.customer execute function crm.notify_change()",
    "delete from crm.audit_log",
    "update crm.audit_log set changes = '{}'",
    "copy crm.customer from stdin",
])
def test_a_rep_cannot_raise_their_rights_or_bypass_the_policies(statement, raw_connect):
    conn = raw_connect("chenjing")
    assert refusal(conn, statement) in ("42501", "0A000", "permission_denied", "42P01")


def test_copy_out_returns_only_what_the_policy_shows(raw_connect):
    conn = raw_connect("chenjing")
    visible = one(conn, "select count(*) from crm.customer")
    with conn.cursor() as cur:
        with cur.copy("copy crm.customer (id) to stdout") as copy:
            copied = sum(1 for _row in copy.rows())
    assert copied == visible


def test_definer_functions_called_with_another_accounts_id(su, raw_connect):
    conn = raw_connect("chenjing")
    admin = account(su, "admin")
    assert refusal(conn, "select crm.private_customer_status(%s)", (admin,)) == "permission_denied"
    assert refusal(conn, "select crm.set_account_password(%s, 'SCRAM-SHA-256$4096:x$y:z')", (admin,)) in (
        "permission_denied", "42501")
    assert refusal(conn, "select crm.unbind_ukey(%s, 'x')", (admin,)) in ("permission_denied", "42501")
    # the helpers that answer about other accounts are not callable at all
    for fn in ("crm.account_has_permission(%s, 'system.admin')", "crm.account_sees_customer(%s, 1)",
               "crm.scope_department_ids_of(%s)", "crm.permitted_customer_type_ids_of(%s)"):
        assert refusal(conn, f"select {fn}", (admin,)) == "42501"


# -- 9. forged authorship and ownership ----------------------------------------------------------

def test_inserts_keep_the_servers_authorship_and_time(su, raw_connect, unique):
    conn = raw_connect("chenjing")
    me, admin = account(su, "chenjing"), account(su, "admin")
    customer = one(conn, "insert into crm.customer (name) values (%s) returning id", (f"作者{unique}",))
    # table-wide insert grants (contacts) and column grants alike: the server decides these columns
    try:
        with conn.transaction():
            contact = one(conn, """insert into crm.contact (customer_id, name, version, created_at, updated_at, updated_by)
                                   values (%s, '王经理', 99, '2001-01-01', '2001-01-01', %s) returning id""",
                          (customer, admin))
    except psycopg.errors.InsufficientPrivilege:
        contact = one(conn, "insert into crm.contact (customer_id, name) values (%s, '王经理') returning id", (customer,))
    row = su.execute("""select version, created_at > now() - interval '1 hour', updated_at > now() - interval '1 hour',
                               updated_by from crm.contact where id = %s""", (contact,)).fetchone()
    assert row == (1, True, True, me)
    stored = su.execute("select created_by, owner_id, version from crm.customer where id = %s", (customer,)).fetchone()
    assert stored == (me, me, 1)


def test_a_rep_cannot_create_a_customer_owned_by_a_colleague(su, raw_connect, unique):
    conn = raw_connect("chenjing")
    colleague = account(su, "liuyang")
    for private in (True, False):
        assert refusal(conn, "insert into crm.customer (name, is_private, owner_id) values (%s, %s, %s)",
                       (f"冒名{unique}{private}", private, colleague)) == "customer_owner_is_creator"


def test_a_rep_cannot_take_an_unowned_public_customer_by_making_it_private(su, raw_connect, unique):
    # crm-admin filed a public customer in 销售一部 without an owner; chenjing works there
    customer = one(su, """insert into crm.customer (name, is_private, department_id) values (%s, false, %s)
                          returning id""", (f"公共{unique}", department(su, "销售一部")))
    conn = raw_connect("chenjing")
    assert one(conn, "select count(*) from crm.customer where id = %s", (customer,)) == 1
    assert refusal(conn, "update crm.customer set is_private = true where id = %s",
                   (customer,)) == "customer_owner_changes_by_assignment"
    assert su.execute("select is_private, owner_id from crm.customer where id = %s", (customer,)).fetchone() == (
        False, None)
    # her own public customer she may make private (the limit permitting)
    own = one(conn, "insert into crm.customer (name, is_private) values (%s, false) returning id", (f"自己{unique}",))
    assert one(su, "select owner_id from crm.customer where id = %s", (own,)) == account(su, "chenjing")
    conn.execute("update crm.customer set is_private = true where id = %s", (own,))


def test_a_private_customer_cannot_be_filed_in_another_department(su, raw_connect, unique):
    conn = raw_connect("chenjing")
    elsewhere = department(su, "广州销售一组")
    assert refusal(conn, "insert into crm.customer (name, is_private, department_id) values (%s, true, %s)",
                   (f"别处{unique}", elsewhere)) == "customer_private_department_is_owners"


def test_a_contact_plan_only_for_someone_who_sees_the_customer(su, raw_connect, unique):
    conn = raw_connect("chenjing")
    customer = one(conn, "insert into crm.customer (name) values (%s) returning id", (f"计划{unique}",))
    stranger, colleague_leader = account(su, "tangwei"), account(su, "wangfang")
    assert refusal(conn, "insert into crm.contact_plan (customer_id, account_id, planned_at) values (%s, %s, now())",
                   (customer, stranger)) == "contact_plan_follower_cannot_see"
    plan = one(conn, "insert into crm.contact_plan (customer_id, account_id, planned_at) values (%s, %s, now()) "
                     "returning id", (customer, colleague_leader))
    assert one(su, "select created_by from crm.contact_plan where id = %s", (plan,)) == account(su, "chenjing")


# -- 16. management scope is for viewing -----------------------------------------------------------

@pytest.fixture
def hugang_scope(su):
    """hugang (客服经理) holds the management scope 销售一部 (as the demo customers give him)."""
    hugang, dept = account(su, "hugang"), department(su, "销售一部")
    added = su.execute("""insert into crm.management_scope (account_id, department_id)
                          select %s, %s where not exists (select from crm.management_scope
                                                          where account_id = %s and department_id = %s)""",
                       (hugang, dept, hugang, dept)).rowcount
    yield
    if added:
        su.execute("delete from crm.management_scope where account_id = %s and department_id = %s", (hugang, dept))


def test_management_scope_views_but_does_not_change(su, raw_connect, unique, hugang_scope):
    # chenjing is a rep in 销售一部
    rep = raw_connect("chenjing")
    customer = one(rep, "insert into crm.customer (name) values (%s) returning id", (f"范围{unique}",))
    contact = one(rep, "insert into crm.contact (customer_id, name) values (%s, '李工') returning id", (customer,))
    scoped = raw_connect("hugang")
    assert one(scoped, "select count(*) from crm.customer where id = %s", (customer,)) == 1
    assert one(scoped, "select crm.can_edit_customer(%s)", (customer,)) is False
    assert refusal(scoped, "update crm.customer set notes = 'x' where id = %s", (customer,)) == "customer_not_editable"
    assert refusal(scoped, "update crm.contact set name = 'x' where id = %s", (contact,)) == "customer_not_editable"
    assert refusal(scoped, "delete from crm.contact where id = %s", (contact,)) == "customer_not_editable"
    assert refusal(scoped, "insert into crm.contact (customer_id, name) values (%s, '外人')", (customer,)) == "42501"
    assert one(su, "select count(*) from crm.contact where customer_id = %s", (customer,)) == 1


def test_a_manager_position_has_one_holder(su, raw_connect):
    admin = raw_connect("admin")
    reps = one(su, """select p.id from crm.position p join crm.department d on d.id = p.department_id
                      where d.name = '销售一部' and p.name = '销售代表'""")
    assert one(su, "select count(*) from crm.account_position where position_id = %s", (reps,)) > 1
    assert refusal(admin, "update crm.position set is_manager = true where id = %s", (reps,)) == "position_manager_one_holder"
    head = one(su, """select p.id from crm.position p where p.name = '销售一部经理'""")
    assert refusal(admin, "insert into crm.account_position (account_id, position_id) values (%s, %s)",
                   (account(su, "shenbo"), head)) == "position_manager_taken"


# -- 12. no role, nothing: not even what is addressed to the account ------------------------------

def test_an_account_without_a_role_sees_no_row_in_any_table(su, raw_connect, unique):
    # a share and a contact plan addressed to dengchao (no role), made by the superuser
    customer = one(su, "select id from crm.customer order by id limit 1") or one(
        su, "insert into crm.customer (name, is_private, owner_id, department_id) values (%s, false, null, null) "
            "returning id", (f"无角色{unique}",))
    me = account(su, "dengchao")
    su.execute("insert into crm.customer_share (customer_id, account_id) values (%s, %s) on conflict do nothing",
               (customer, me))
    su.execute("insert into crm.contact_plan (customer_id, account_id, planned_at) values (%s, %s, now())",
               (customer, me))
    try:
        conn = raw_connect("dengchao")
        tables = [r[0] for r in su.execute("""select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                               where n.nspname = 'crm' and c.relkind = 'r'
                                                 and has_table_privilege('crm_user', c.oid, 'SELECT')""")]
        seen = {t: one(conn, f"select count(*) from crm.{t}") for t in tables}
        assert {t: n for t, n in seen.items() if n} == {}
        assert refusal(conn, "insert into crm.customer (name) values ('x')") in ("permission_denied", "42501")
    finally:
        su.execute("delete from crm.contact_plan where account_id = %s", (me,))
        su.execute("delete from crm.customer_share where account_id = %s", (me,))
