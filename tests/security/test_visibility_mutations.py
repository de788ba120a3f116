"""The visibility oracle after the changes an office makes every week: a rep moves department, takes
a concurrent position, a department loses and regains its head, a scope reaches another
organisation, roles are taken away, someone becomes administrator through a parent permission node.
After each change every demo account logs in with its own password and PostgreSQL must agree with
the oracle exactly; the change is then undone, so the demo database is left as it was found.
"""

from __future__ import annotations

from contextlib import contextmanager

import psycopg
import pytest
from visibility_oracle import Oracle, read_world

from crm_desktop.admin.seed import ACCOUNTS

LOGINS = [a[0] for a in ACCOUNTS]


@pytest.fixture(scope="module")
def demo_customers(admin_db):
    from crm_desktop.admin.seed_customers import seed_demo_customers

    seed_demo_customers(admin_db, 400)


@pytest.fixture
def su(superuser_url, demo_customers):
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        yield conn


def ids(su, sql, *params):
    return su.execute(sql, params).fetchone()[0]


def account(su, login):
    return ids(su, "select id from crm.account where login = %s", login)


def position(su, department, name):
    return ids(su, """select p.id from crm.position p join crm.department d on d.id = p.department_id
                      where d.name = %s and p.name = %s""", department, name)


def assert_everyone_agrees(superuser_url, raw_connect, su):
    oracle = Oracle(read_world(superuser_url))
    # stored data: a private customer is in its owner's main department as it is now
    assert ids(su, """select count(*) from crm.customer c
                      left join crm.account_position ap on ap.account_id = c.owner_id and ap.is_main
                      left join crm.position p on p.id = ap.position_id
                      where c.is_private and c.department_id is distinct from p.department_id""") == 0
    for login in LOGINS:
        if not oracle.w.can_log_in[login]:
            continue
        conn = raw_connect(login)
        try:
            seen = {r[0] for r in conn.execute("select id from crm.customer")}
            expected = oracle.may(login, edit=False)
            assert seen == expected, f"{login}: extra {sorted(seen - expected)[:5]}, missing {sorted(expected - seen)[:5]}"
            editable = {r[0] for r in conn.execute("select id from crm.customer where crm.can_edit_customer(id)")}
            assert editable == oracle.may(login, edit=True), login
            plans = {r[0] for r in conn.execute("select id from crm.contact_plan")}
            assert plans == oracle.plans(login), login
        finally:
            conn.close()
    # the same rule for any account, as definer code asks it (a contact plan's follower)
    customers = sorted(oracle.w.customers)
    for login in ("chenjing", "huangmin", "songjia", "hugang", "sunli", "liuyang", "yexin"):
        me = oracle.w.accounts[login]
        judged = {r[0] for r in su.execute(
            "select id from unnest(%s::bigint[]) id where crm.account_sees_customer(%s, id)", (customers, me))}
        assert judged == oracle.may(login, edit=False), login


@contextmanager
def changed(su, do: str, undo: str, *params):
    su.execute(do, params)
    try:
        yield
    finally:
        su.execute(undo, params)


def test_the_unchanged_demo(superuser_url, raw_connect, su):
    assert_everyone_agrees(superuser_url, raw_connect, su)


def test_a_rep_moves_to_another_department(superuser_url, raw_connect, su):
    me = account(su, "chenjing")
    old, new = position(su, "销售一部", "销售代表"), position(su, "销售二部", "销售代表")
    scope_holder_saw = {r[0] for r in su.execute(
        "select id from crm.customer where owner_id = %s and is_private", (me,))}
    assert scope_holder_saw
    with changed(su, "update crm.account_position set position_id = %s where account_id = %s and position_id = %s",
                 "update crm.account_position set position_id = %s where account_id = %s and position_id = %s",
                 new, me, old):
        # hugang's scope is 销售一部: chenjing's private customers left it with her
        assert ids(su, "select count(*) from crm.customer where owner_id = %s and is_private and department_id = %s",
                   me, ids(su, "select id from crm.department where name = '销售二部'")) == len(scope_holder_saw)
        assert_everyone_agrees(superuser_url, raw_connect, su)
    su.execute("update crm.account_position set position_id = %s where account_id = %s and position_id = %s",
               (old, me, new))
    assert_everyone_agrees(superuser_url, raw_connect, su)


def test_a_rep_takes_a_concurrent_position_elsewhere(superuser_url, raw_connect, su):
    me, gz = account(su, "zhouqiang"), position(su, "广州销售一组", "销售代表")
    with changed(su, "insert into crm.account_position (account_id, position_id, is_main, start_date) values (%s, %s, false, '2014-01-01')",
                 "delete from crm.account_position where account_id = %s and position_id = %s and not is_main", me, gz):
        assert_everyone_agrees(superuser_url, raw_connect, su)


def test_a_department_loses_its_head_and_gets_it_back(superuser_url, raw_connect, su):
    head = position(su, "销售二部", "销售二部经理")
    with changed(su, "update crm.position set is_manager = false where id = %s",
                 "update crm.position set is_manager = true where id = %s", head):
        assert_everyone_agrees(superuser_url, raw_connect, su)


def test_a_scope_over_another_organisation(superuser_url, raw_connect, su):
    me = account(su, "huangmin")
    gz = ids(su, "select id from crm.organization where name = '全程软件广州分公司'")
    with changed(su, "insert into crm.management_scope (account_id, organization_id) values (%s, %s)",
                 "delete from crm.management_scope where account_id = %s and organization_id = %s", me, gz):
        assert_everyone_agrees(superuser_url, raw_connect, su)


def test_roles_taken_away_leave_nothing_visible_in_any_table(superuser_url, raw_connect, su):
    me = account(su, "zhouqiang")
    roles = [r[0] for r in su.execute("select role_id from crm.account_role where account_id = %s", (me,))]
    su.execute("delete from crm.account_role where account_id = %s", (me,))
    try:
        assert_everyone_agrees(superuser_url, raw_connect, su)
        conn = raw_connect("zhouqiang")
        tables = [r[0] for r in su.execute("""select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                               where n.nspname = 'crm' and c.relkind = 'r'
                                                 and has_table_privilege('crm_user', c.oid, 'SELECT')""")]
        assert "customer_share" in tables and "contact_plan" in tables and "account" in tables
        for table in tables:
            assert conn.execute(f"select count(*) from crm.{table}").fetchone()[0] == 0, table
    finally:
        for role in roles:
            su.execute("insert into crm.account_role (account_id, role_id) values (%s, %s)", (me, role))


def test_an_administrator_by_a_parent_permission_node(superuser_url, raw_connect, su):
    role = ids(su, "insert into crm.role (name) values ('系统节点管理员') returning id")
    su.execute("insert into crm.role_permission (role_id, permission_code) values (%s, 'system')", (role,))
    me = account(su, "liuyang")
    su.execute("insert into crm.account_role (account_id, role_id) values (%s, %s)", (me, role))
    try:
        conn = raw_connect("liuyang")
        assert conn.execute("select crm.has_permission('system.admin'), crm.sees_all_customers()").fetchone() == (True, True)
        assert conn.execute("select count(*) from crm.customer").fetchone()[0] == ids(su, "select count(*) from crm.customer")
        conn.close()
        assert_everyone_agrees(superuser_url, raw_connect, su)
    finally:
        su.execute("delete from crm.account_role where role_id = %s", (role,))
        su.execute("delete from crm.role_permission where role_id = %s", (role,))
        su.execute("delete from crm.role where id = %s", (role,))
