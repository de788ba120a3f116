"""The organisation rules of chapter 一, enforced by PostgreSQL."""

import psycopg
import pytest
from sqlalchemy import text

from crm_desktop.messages import translate_error
from crm_desktop.services import account as accounts
from crm_desktop.services import org, role
from crm_desktop.services.records import StaleRow


def error_key(call, *args, **kwargs) -> str:
    with pytest.raises(Exception) as err:
        call(*args, **kwargs)
    return translate_error(err.value).key


def test_organisation_names_are_unique(admin_db, unique):
    org.save_organization(admin_db, {"name": f"机构{unique}"})
    assert error_key(org.save_organization, admin_db, {"name": f"机构{unique}"}) == "organization_name_unique"
    assert error_key(org.save_organization, admin_db, {"name": "  "}) == "required_field"


def test_one_top_department_per_organisation(admin_db, unique):
    org_id = org.save_organization(admin_db, {"name": f"机构{unique}"})["id"]
    top = org.add_departments(admin_db, org_id, [{"name": "总部", "parent_id": None}])[0]
    assert error_key(org.add_departments, admin_db, org_id,
                     [{"name": "第二个顶级", "parent_id": None}]) == "department_one_top_per_organization"
    added = org.add_departments(admin_db, org_id, [{"name": "甲", "parent_id": top["id"]},
                                                   {"name": "乙", "parent_index": 0},
                                                   {"name": "丙", "parent_index": 1}])
    assert [d["name"] for d in added] == ["甲", "乙", "丙"]
    assert set(org.department_and_below(admin_db, top["id"])) == {top["id"], *(d["id"] for d in added)}


def test_adding_several_departments_is_all_or_nothing(admin_db, unique):
    org_id = org.save_organization(admin_db, {"name": f"机构{unique}"})["id"]
    top = org.add_departments(admin_db, org_id, [{"name": "总部", "parent_id": None}])[0]
    key = error_key(org.add_departments, admin_db, org_id, [{"name": "甲", "parent_id": top["id"]},
                                                           {"name": "甲", "parent_id": top["id"]}])
    assert key == "department_name_unique_in_parent"
    assert [d["name"] for d in org.list_departments(admin_db, org_id)] == ["总部"]


def test_parent_department_in_another_organisation_and_cycles_are_refused(admin_db, unique):
    a = org.save_organization(admin_db, {"name": f"甲{unique}"})["id"]
    b = org.save_organization(admin_db, {"name": f"乙{unique}"})["id"]
    top_a = org.add_departments(admin_db, a, [{"name": "总部", "parent_id": None}])[0]
    assert error_key(org.add_departments, admin_db, b,
                     [{"name": "错", "parent_id": top_a["id"]}]) == "department_parent_other_organization"
    child, grandchild = org.add_departments(admin_db, a, [{"name": "子", "parent_id": top_a["id"]},
                                                          {"name": "孙", "parent_index": 0}])
    assert error_key(org.save_department, admin_db, {**child, "parent_id": grandchild["id"]},
                     child) == "department_parent_cycle"


def test_moving_a_department_moves_its_subtree_in_the_closure(admin_db, unique):
    a = org.save_organization(admin_db, {"name": f"移{unique}"})["id"]
    top = org.add_departments(admin_db, a, [{"name": "总部", "parent_id": None}])[0]
    x, y, z = org.add_departments(admin_db, a, [{"name": "X", "parent_id": top["id"]},
                                                {"name": "Y", "parent_id": top["id"]},
                                                {"name": "Z", "parent_index": 0}])
    org.save_department(admin_db, {**y, "parent_id": x["id"]}, y)
    assert set(org.department_and_below(admin_db, x["id"])) == {x["id"], y["id"], z["id"]}
    assert set(org.department_and_below(admin_db, y["id"])) == {y["id"]}


def test_position_superiors_cannot_loop_and_manager_positions_have_one_holder(admin_db, unique):
    dept = org.list_departments(admin_db)[0]["id"]
    boss = org.save_position(admin_db, {"department_id": dept, "name": f"总{unique}", "is_manager": True})
    aide = org.save_position(admin_db, {"department_id": dept, "name": f"助{unique}", "superior_id": boss["id"]})
    assert error_key(org.save_position, admin_db, {**boss, "superior_id": aide["id"]}, boss) == "position_superior_cycle"
    first = accounts.create_account(admin_db, {"login": f"m1{unique}", "name": "一"}, "secret99",
                                    [accounts.PositionAssignment(boss["id"], True)])
    key = error_key(accounts.create_account, admin_db, {"login": f"m2{unique}", "name": "二"}, "secret99",
                    [accounts.PositionAssignment(boss["id"], True)])
    assert key == "position_manager_taken"
    assert first


def test_an_account_has_one_main_position(admin_db, unique):
    positions = org.list_positions(admin_db)
    assignments = [accounts.PositionAssignment(positions[3]["id"], True),
                   accounts.PositionAssignment(positions[5]["id"], True)]
    assert error_key(accounts.create_account, admin_db, {"login": f"p{unique}", "name": "二主"}, "secret99",
                     assignments) == "account_position_one_main"


def test_the_employee_record_is_created_with_the_account(admin_db, raw_connect, unique):
    account_id = accounts.create_account(admin_db, {"login": f"e{unique}", "name": "档案", "number": "E9"},
                                         "secret99")
    conn = raw_connect(f"e{unique}", "secret99")
    # no role, nothing: not even its own record
    assert conn.execute("select count(*) from crm.employee").fetchone()[0] == 0
    with admin_db.session() as s:  # the same connection sees it once the account has a role
        s.execute(text("insert into crm.account_role (account_id, role_id) select :a, id from crm.role "
                       "where builtin = 'user'"), {"a": account_id})
    assert conn.execute("select name, number from crm.employee where account_id = %s",
                        (account_id,)).fetchone() == ("档案", "E9")
    # an ordinary account sees only its own record
    assert conn.execute("select count(*) from crm.employee").fetchone()[0] == 1


@pytest.mark.parametrize("statement", [
    "update crm.organization set name = name || 'x'",
    "delete from crm.position",
    "insert into crm.organization (name) values ('偷偷建的机构')",
    "update crm.account set locked = true where login = 'zhangmc'",
    "insert into crm.account_role select a.id, r.id from crm.account a, crm.role r "
    "where a.login = 'chenjing' and r.builtin = 'admin'",
    "update crm.role_permission set permission_code = 'system.admin'",
    "delete from crm.audit_log",
])
def test_an_ordinary_account_is_refused_by_postgresql(raw_connect, superuser_url, statement):
    conn = raw_connect("chenjing")
    with psycopg.connect(superuser_url) as su:
        before = su.execute("select count(*), max(version) from crm.organization").fetchone()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)
    with psycopg.connect(superuser_url) as su:
        assert su.execute("select count(*), max(version) from crm.organization").fetchone() == before
        assert su.execute("select count(*) from crm.account_role ar join crm.role r on r.id = ar.role_id "
                          "join crm.account a on a.id = ar.account_id "
                          "where a.login = 'chenjing' and r.builtin = 'admin'").fetchone()[0] == 0


def test_the_hr_administrator_manages_accounts_but_not_roles(login, unique):
    db = login("heping")
    account_id = accounts.create_account(db, {"login": f"hr{unique}", "name": "新人"}, "secret99")
    assert account_id
    assert error_key(role.save_role, db, {"name": f"角色{unique}"}) == "permission_denied"


def test_every_change_lands_in_the_append_only_audit_log(login, raw_connect, unique):
    db = login("zhangmc")
    org_id = org.save_organization(db, {"name": f"审计{unique}"})["id"]
    org.save_organization(db, {"name": f"审计改{unique}"}, {**org.list_organizations(db)[-1]})
    conn = raw_connect("zhangmc")
    rows = conn.execute("select actor, operation, changes from crm.audit_log where table_name = 'organization' "
                        "and row_id = %s order by id", (str(org_id),)).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("zhangmc", "insert"), ("zhangmc", "update")]
    assert rows[1][2]["name"] == [f"审计{unique}", f"审计改{unique}"]
    for statement in ("delete from crm.audit_log", "update crm.audit_log set actor = 'x'"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
    assert raw_connect("chenjing").execute("select count(*) from crm.audit_log").fetchone()[0] == 0


def test_a_stale_save_is_refused_and_says_what_changed(login, admin_db, unique):
    account_id = accounts.create_account(admin_db, {"login": f"s{unique}", "name": "原名"}, "secret99")
    first, second = login("zhangmc"), login("heping")
    read_by_first = accounts.get_account(first, account_id)
    read_by_second = accounts.get_account(second, account_id)
    accounts.update_account(second, read_by_second, {"name": "二改", "mobile": "13900000000"})
    with pytest.raises(StaleRow) as err:
        accounts.update_account(first, read_by_first, {"name": "一改"})
    assert err.value.changes["name"] == ("原名", "二改")
    assert err.value.changes["mobile"] == ("", "13900000000")
    assert "何平" in str(err.value)  # the name the user knows, from the row's updated_by
    assert accounts.get_account(admin_db, account_id)["name"] == "二改"


def test_an_organisation_role_goes_only_to_its_members(admin_db, unique):
    gz_role = next(r for r in role.list_roles(admin_db) if r["name"] == "广州分公司业务员")
    hq_account = accounts.account_id_by_login(admin_db, "liuyang")
    assert error_key(role.set_account_roles, admin_db, hq_account, {gz_role["id"]}) == "role_other_organization"
    gz_account = accounts.account_id_by_login(admin_db, "dengchao")
    role.set_account_roles(admin_db, gz_account, {gz_role["id"]})
    role.set_account_roles(admin_db, gz_account, set())


def test_permissions_are_the_union_of_roles(login, admin_db, unique):
    new_role = role.save_role(admin_db, {"name": f"联合{unique}"})
    role.set_role_permissions(admin_db, new_role["id"], {"finance.settle"})
    account_id = accounts.create_account(admin_db, {"login": f"u{unique}", "name": "联"}, "secret99")
    user_role = next(r["id"] for r in role.list_roles(admin_db) if r["builtin"] == "user")
    role.set_account_roles(admin_db, account_id, {user_role, new_role["id"]})
    db = login(f"u{unique}", "secret99")
    assert db.can("finance.settle") and db.can("customer.create") and db.can("contact.plan")
    assert not db.can("system.org.manage")
    role.set_role_accounts(admin_db, new_role["id"], set())
    assert not login(f"u{unique}", "secret99").can("finance.settle")


def test_built_in_roles_stay(admin_db):
    builtin = next(r for r in role.list_roles(admin_db) if r["builtin"] == "admin")
    assert error_key(role.delete_role, admin_db, builtin["id"]) == "role_builtin_kept"


def test_accounts_are_never_erased(raw_connect):
    # not even an administrator holds DELETE on accounts; the table owner's trigger refuses too
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        raw_connect("zhangmc").execute("delete from crm.account where login = 'dengchao'")
