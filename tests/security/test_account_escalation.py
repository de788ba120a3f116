"""Issue 9, item 3: an account manager cannot lift anyone — itself included — above itself.

``heping`` (人事管理员: system.org.manage, system.account.manage, system.account.export) used to
set the administrator's password and log in as him, or create a manager position over 销售部, take
it and see every customer there.  Now nobody may change an account holding a permission they do not
hold (account_holds_more_permissions), grant a role or permission they do not hold
(grant_exceeds_own_permissions), or change positions and the chart so that an account leads a
department the granter does not lead, or the granter sees more (position_exceeds_own_reach).
Everything is attempted over raw connections with the accounts' own passwords.
"""

from __future__ import annotations

import psycopg
import pytest

from crm_desktop.admin.seed import role_id
from crm_desktop.db.scram import scram_verifier
from crm_desktop.services import account as accounts
from crm_desktop.services import role as roles

MORE = "account_holds_more_permissions"
GRANT = "grant_exceeds_own_permissions"
REACH = "position_exceeds_own_reach"
PASSWORD = "secret99"
CARD = "ef" * 32
ORDINARY = ["customer.create", "customer.edit", "customer.share", "customer.export", "contact",
            "sales.opportunity", "sales.quote", "contract.order", "service.ticket", "service.complaint"]

# what an account manager may try against an account: (name, SQL with %(t)s = target id)
ACCOUNT_ACTIONS = [
    ("password", "select crm.set_account_password(%(t)s, %(v)s)"),
    ("lock", "update crm.account set locked = true where id = %(t)s"),
    ("unlock", "update crm.account set locked = false where id = %(t)s"),
    ("status", "update crm.account set status = 'resigned' where id = %(t)s"),
    ("valid until", "update crm.account set valid_until = date '2030-01-01' where id = %(t)s"),
    ("rename", "update crm.account set login = login || 'x' where id = %(t)s"),
    ("delete", "update crm.account set deleted_at = now() where id = %(t)s"),
    ("bind ukey", "select crm.bind_ukey(%(t)s, %(card)s, %(v)s)"),
    ("unbind ukey", "select crm.unbind_ukey(%(t)s, %(v)s)"),
    ("give a position", "insert into crm.account_position (account_id, position_id) values (%(t)s, %(clerk)s)"),
    ("take positions", "delete from crm.account_position where account_id = %(t)s"),
]
ROLE_ACTIONS = [
    ("take roles", "delete from crm.account_role where account_id = %(t)s"),
    ("give a role", "insert into crm.account_role (account_id, role_id) values (%(t)s, %(user_role)s)"),
]


def sql_id(conn, sql: str, *params):
    return conn.execute(sql, params).fetchone()[0]


def refusal(conn: psycopg.Connection, sql: str, params) -> str | None:
    """The constraint key the statement is refused with (its effects rolled back)."""
    with pytest.raises(psycopg.Error) as err:
        with conn.transaction():
            conn.execute(sql, params)
    assert err.value.sqlstate == "42501", err.value
    return err.value.diag.constraint_name


def works(conn: psycopg.Connection, sql: str, params) -> None:
    with conn.transaction():
        conn.execute(sql, params)


@pytest.fixture
def make_role(admin_db, unique):
    made = iter(range(100))

    def make(codes: list[str], name: str = "") -> int:
        rid = roles.save_role(admin_db, {"name": f"{name or 'r'}{unique}{next(made)}"})["id"]
        roles.set_role_permissions(admin_db, rid, set(codes))
        return rid
    return make


@pytest.fixture
def make_account(admin_db, unique, superuser_url):
    made = iter(range(100))
    with psycopg.connect(superuser_url) as su:
        agent = sql_id(su, "select p.id from crm.position p join crm.department d on d.id = p.department_id "
                           "where d.name = '客服部' and p.name = '客服专员'")

    def make(role_ids: list[int] = (), prefix: str = "e", positioned: bool = False) -> tuple[str, int]:
        login = f"{prefix}{unique}{next(made)}"
        positions = [accounts.PositionAssignment(agent, True)] if positioned else []
        return login, accounts.create_account(admin_db, {"login": login, "name": "测试"}, PASSWORD,
                                              positions, role_ids=list(role_ids))
    return make


@pytest.fixture
def ids(superuser_url):
    with psycopg.connect(superuser_url) as su:
        def position(department: str, name: str) -> int:
            return sql_id(su, "select p.id from crm.position p join crm.department d on d.id = p.department_id "
                              "where d.name = %s and p.name = %s", department, name)
        return {"clerk": position("行政人事部", "行政专员"), "rep1": position("销售一部", "销售代表"),
                "accountant": position("财务部", "会计"),  # one holder: a manager position has one
                "sales_director": position("销售部", "销售总监"), "hr_manager": position("行政人事部", "行政人事经理"),
                "sales": sql_id(su, "select id from crm.department where name = '销售部'"),
                "hr": sql_id(su, "select id from crm.department where name = '行政人事部'"),
                "admin": sql_id(su, "select id from crm.account where login = 'admin'"),
                "dengchao": sql_id(su, "select id from crm.account where login = 'dengchao'"),
                "heping": sql_id(su, "select id from crm.account where login = 'heping'")}


@pytest.fixture
def targets(admin_db, make_account, make_role):
    """Fresh accounts to aim at: administrator, administrator by the parent node `system`, sales
    manager, ordinary rep (普通用户), and one with no role at all."""
    roles_of = {"admin": lambda: [role_id(admin_db, "系统管理员")], "admin by node": lambda: [make_role(["system"], "节点")],
                "sales manager": lambda: [role_id(admin_db, "销售经理")],
                "ordinary rep": lambda: [role_id(admin_db, "普通用户")], "no role": lambda: []}

    class Targets(dict):  # made on first use: a parametrised test needs one, not five
        def __missing__(self, name: str) -> int:
            self[name] = make_account(roles_of[name](), positioned=True)[1]
            return self[name]
    return Targets()


@pytest.fixture
def small_role(make_role):
    """A role any of the account managers here may give: one permission of 普通用户."""
    return make_role(["customer.create"], "小")


@pytest.fixture
def keeper(make_role, make_account):
    """Another account manager: accounts, UKeys, roles and the org chart, plus every permission of
    普通用户 — so an ordinary rep holds nothing it lacks."""
    rid = make_role(["system.account.manage", "system.account.ukey", "system.role.manage", "system.org.manage",
                     *ORDINARY], "管家")
    return make_account([rid], "k")[0]


def params(target: int, ids, role: int | None = None) -> dict:
    return {"t": target, "v": scram_verifier("taken-over-1"), "card": CARD, "clerk": ids["clerk"], "user_role": role}


def test_heping_cannot_set_the_administrators_password_and_log_in_as_him(raw_connect, ids):
    conn = raw_connect("heping")
    key = refusal(conn, "select crm.set_account_password(%s, %s)", (ids["admin"], scram_verifier("taken-over-1")))
    assert key == MORE
    raw_connect("admin").close()  # still demo1234
    with pytest.raises(psycopg.OperationalError):
        raw_connect("admin", "taken-over-1")


@pytest.mark.parametrize("victim", ["admin", "admin by node", "sales manager", "ordinary rep"])
@pytest.mark.parametrize("action, sql", ACCOUNT_ACTIONS, ids=[a for a, _ in ACCOUNT_ACTIONS])
def test_heping_changes_nothing_of_an_account_holding_more(raw_connect, admin_db, ids, targets, victim, action, sql):
    # an ordinary rep holds customer.create and more, which heping (org and accounts only) does not
    assert refusal(raw_connect("heping"), sql, params(targets[victim], ids)) == MORE


@pytest.mark.parametrize("action, sql", ACCOUNT_ACTIONS, ids=[a for a, _ in ACCOUNT_ACTIONS])
def test_heping_still_manages_an_account_holding_nothing_beyond_his(raw_connect, admin_db, ids, targets, action, sql):
    works(raw_connect("heping"), sql, params(targets["no role"], ids))


@pytest.mark.parametrize("victim", ["admin", "admin by node", "sales manager"])
@pytest.mark.parametrize("action, sql", ACCOUNT_ACTIONS + ROLE_ACTIONS, ids=[a for a, _ in ACCOUNT_ACTIONS + ROLE_ACTIONS])
def test_another_account_manager_changes_nothing_of_an_account_holding_more(
        raw_connect, ids, targets, keeper, small_role, victim, action, sql):
    assert refusal(raw_connect(keeper, PASSWORD), sql, params(targets[victim], ids, small_role)) == MORE


@pytest.mark.parametrize("action, sql", ACCOUNT_ACTIONS + ROLE_ACTIONS, ids=[a for a, _ in ACCOUNT_ACTIONS + ROLE_ACTIONS])
def test_another_account_manager_still_manages_an_ordinary_rep(raw_connect, ids, targets, keeper, small_role,
                                                               action, sql):
    works(raw_connect(keeper, PASSWORD), sql, params(targets["ordinary rep"], ids, small_role))


def test_role_grants_are_limited_to_what_the_granter_holds(raw_connect, admin_db, keeper, targets, make_role):
    conn = raw_connect(keeper, PASSWORD)
    me = sql_id(conn, "select crm.current_account()")
    my_role = sql_id(conn, "select role_id from crm.account_role where account_id = %s", me)
    give = "insert into crm.account_role (account_id, role_id) values (%s, %s)"
    assert refusal(conn, give, (me, role_id(admin_db, "系统管理员"))) == GRANT
    assert refusal(conn, give, (me, role_id(admin_db, "销售经理"))) == GRANT  # holds `customer`, keeper only parts
    assert refusal(conn, give, (targets["no role"], make_role(["system"], "节点"))) == GRANT
    works(conn, give, (targets["no role"], role_id(admin_db, "普通用户")))
    grant = "insert into crm.role_permission (role_id, permission_code) values (%s, %s)"
    assert refusal(conn, grant, (my_role, "system.admin")) == GRANT
    assert refusal(conn, grant, (my_role, "customer")) == GRANT
    assert refusal(conn, "delete from crm.role_permission where role_id = %s",
                   (role_id(admin_db, "系统管理员"),)) == GRANT
    empty = sql_id(conn, "insert into crm.role (name) values (%s) returning id", f"新角色{me}")
    works(conn, grant, (empty, "customer.create"))
    assert refusal(conn, grant, (empty, "finance.settle")) == GRANT
    # deleting a role that more privileged accounts hold takes it from them
    assert refusal(conn, "delete from crm.role where id = %s", (role_id(admin_db, "销售经理"),)) in (MORE, GRANT)


def test_heping_cannot_give_himself_a_manager_position_over_sales(raw_connect, ids):
    conn = raw_connect("heping", autocommit=False)
    sees = conn.execute("select count(*) from crm.customer").fetchone()  # his own clerk's, if any
    conn.rollback()
    created = sql_id(conn, "insert into crm.position (department_id, name, is_manager) values (%s, '影子经理', true) "
                           "returning id", ids["sales"])  # an empty manager position gives nobody anything
    take = "insert into crm.account_position (account_id, position_id) values (%s, %s)"
    assert refusal(conn, take, (ids["heping"], created)) == REACH
    assert refusal(conn, take, (ids["dengchao"], created)) == REACH  # nor to an account he controls
    assert refusal(conn, "update crm.account_position set position_id = %s where account_id = %s and is_main",
                   (created, ids["heping"])) == REACH
    conn.rollback()
    assert conn.execute("select count(*) from crm.customer").fetchone() == sees


@pytest.mark.parametrize("change, sql", [
    ("make a rep a manager", "update crm.position set is_manager = true where id = %(accountant)s"),
    ("put sales under his position", "update crm.position set superior_id = %(hr_manager)s where id = %(sales_director)s"),
    ("move sales under his department", "update crm.department set parent_id = %(hr)s where id = %(sales)s"),
    ("join a sales department himself", "insert into crm.account_position (account_id, position_id) values (%(heping)s, %(rep1)s)"),
])
def test_heping_cannot_reshape_the_chart_to_lead_or_see_more(raw_connect, ids, change, sql):
    assert refusal(raw_connect("heping"), sql, ids) == REACH


def test_heping_still_builds_his_own_department_and_places_people(raw_connect, ids, make_account, superuser_url):
    conn = raw_connect("heping", autocommit=False)
    newcomer = make_account()[1]
    org_id = sql_id(conn, "select organization_id from crm.department where id = %s", ids["hr"])
    team = sql_id(conn, "insert into crm.department (organization_id, parent_id, name) values (%s, %s, '招聘组') "
                        "returning id", org_id, ids["hr"])
    lead = sql_id(conn, "insert into crm.position (department_id, name, is_manager, superior_id) "
                        "values (%s, '招聘组长', true, %s) returning id", team, ids["hr_manager"])
    works(conn, "insert into crm.account_position (account_id, position_id, is_main) values (%s, %s, true)",
          (newcomer, lead))  # leads a team inside the department heping leads
    works(conn, "insert into crm.account_position (account_id, position_id) values (%s, %s)",
          (newcomer, ids["rep1"]))  # an ordinary position elsewhere gives leadership over nobody
    conn.rollback()


def test_an_administrator_and_a_superuser_session_may_do_all_of_it(raw_connect, admin_db, ids, targets, superuser_url):
    conn = raw_connect("zhangmc")
    for _action, sql in ACCOUNT_ACTIONS + ROLE_ACTIONS:
        with conn.transaction(force_rollback=True):
            conn.execute(sql, params(targets["admin"], ids, role_id(admin_db, "普通用户")))
    with conn.transaction(force_rollback=True):
        conn.execute("update crm.department set parent_id = %(hr)s where id = %(sales)s", ids)
    by_node = targets["admin by node"]  # made before the superuser's transaction locks the chart
    with psycopg.connect(superuser_url) as su:
        su.execute("update crm.position set superior_id = %(hr_manager)s where id = %(sales_director)s", ids)
        su.execute("select crm.set_account_password(%s, %s)", (by_node, scram_verifier("x-123456")))
        su.rollback()


def test_the_manager_rule_reads_the_permission_tree(raw_connect, targets, make_role, make_account):
    """An account holding the node `system` is an administrator, and may manage administrators."""
    by_node = make_account([make_role(["system"], "节点管理")], "n")[0]
    conn = raw_connect(by_node, PASSWORD)
    assert sql_id(conn, "select crm.may_manage_account(%s)", targets["admin"]) is True
    assert sql_id(raw_connect("heping"), "select crm.may_manage_account(%s)", targets["admin by node"]) is False


def test_whether_an_account_holds_more_is_told_only_to_account_managers(raw_connect, targets):
    dengchao = raw_connect("dengchao")  # no role: "no" about everyone else, "yes" about itself
    assert sql_id(dengchao, "select crm.may_manage_account(%s)", targets["no role"]) is False
    assert sql_id(dengchao, "select crm.may_manage_account(crm.current_account())") is True
    assert sql_id(raw_connect("heping"), "select crm.may_manage_account(%s)", targets["no role"]) is True
