"""The customer archive's rules (chapters 二 and 三), each proved through a real login."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from crm_desktop.messages import UserError
from crm_desktop.services import account as accounts
from crm_desktop.services import customer as svc
from crm_desktop.services import customer_settings as cs
from crm_desktop.services.customer_list import CustomerFilter, CustomerPageSource, export_customers
from crm_desktop.services.records import StaleRow

PLAN_AT = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def choices(admin_db):
    from crm_desktop.admin.seed_customers import ensure_choices, seed_demo_customers

    seed_demo_customers(admin_db, 400)
    return ensure_choices(admin_db)


@pytest.fixture
def new_rep(admin_db, unique):
    """new_rep('销售代表', '销售经理') → login of a fresh account holding that position in 销售一部."""
    from crm_desktop.admin.seed import role_id
    from crm_desktop.services import org

    counter = iter(range(100))

    def _make(position="销售代表", role="销售经理", department="销售一部"):
        dept = next(d["id"] for d in org.list_departments(admin_db) if d["name"] == department)
        pos = next(p["id"] for p in org.list_positions(admin_db)
                   if p["department_id"] == dept and p["name"] == position)
        login = f"rep{unique}{next(counter)}"
        accounts.create_account(admin_db, {"login": login, "name": f"新人{login[-4:]}"}, "demo1234",
                                [accounts.PositionAssignment(pos, True)], [role_id(admin_db, role)])
        return login
    return _make


def account_id(db, login):
    return accounts.account_id_by_login(db, login)


def test_numbers_come_from_the_customer_rule_and_initials_from_pinyin(login, choices, unique):
    db = login("chenjing")
    first = svc.create_customer(db, {"name": f"甲公司{unique}", "type_id": choices.types[0]})
    second = svc.create_customer(db, {"name": f"乙公司{unique}"})
    assert re.fullmatch(r"KH\d{6}\d{4}", first["number"])
    assert int(second["number"][-4:]) == int(first["number"][-4:]) + 1
    assert first["owner_id"] == db.account_id and first["is_private"] and first["department_id"]
    assert svc.name_initials("北斗广告有限公司") == "bdggyxgs"
    found = CustomerPageSource(db, CustomerFilter(text="bdgg")).fetch_page(None, 50)
    assert "北斗广告有限公司" in {r["name"] for r in found} or not svc.find_duplicates(db, "北斗广告有限公司")


def test_search_matches_name_number_phone_contact_and_initials(login, choices, unique):
    db = login("wangfang")
    c = svc.create_customer(db, {"name": f"星河测绘{unique}", "mobile": "13912345678"},
                            contacts=[{"name": f"联系人{unique}", "mobile": "13700001111"}])
    for needle in (f"测绘{unique}", c["number"], "912345", f"联系人{unique}", "13700001111", "xhch"):
        ids = {r["id"] for r in CustomerPageSource(db, CustomerFilter(text=needle)).fetch_page(None, 500)}
        assert c["id"] in ids, needle


def test_duplicate_warning_only_names_customers_the_user_may_see(login, unique):
    mine = svc.create_customer(login("chenjing"), {"name": f"重名公司{unique}", "phone": f"020-{int(unique, 16) % 900_000 + 100_000}"})
    assert svc.find_duplicates(login("liuyang"), f"重名公司{unique}") == []  # a colleague's private customer
    assert [d["id"] for d in svc.find_duplicates(login("wangfang"), f"重名公司{unique}")] == [mine["id"]]
    assert [d["id"] for d in svc.find_duplicates(login("chenjing"), "别名", [f"020-{int(unique, 16) % 900_000 + 100_000}"])] == [mine["id"]]
    assert svc.find_duplicates(login("chenjing"), f"重名公司{unique}", exclude_id=mine["id"]) == []


def _limit_error(call, *args, **kwargs) -> UserError:
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    assert err.value.key == "customer_private_limit_exceeded"
    return err.value


def test_private_limit_on_create_and_on_making_private(admin_db, login, new_rep, unique):
    rep = new_rep()
    db = login(rep)
    cs.set_private_limit(admin_db, db.account_id, 1)
    svc.create_customer(db, {"name": f"第一个{unique}"})
    error = _limit_error(svc.create_customer, db, {"name": f"第二个{unique}"})
    assert error.params == {"name": error.params["name"], "limit": 1, "count": 1, "adding": 1}
    assert "上限 1 个，现有 1 个" in str(error)
    public = svc.create_customer(db, {"name": f"公共的{unique}", "is_private": False})
    _limit_error(svc.update_customer, db, public, {"is_private": True})
    assert svc.private_customer_status(db) == (1, 1)


def test_assigning_respects_the_receivers_limit_and_is_all_or_nothing(admin_db, login, new_rep, unique):
    receiver = new_rep()
    manager = login("wangfang")
    rid = account_id(admin_db, receiver)
    cs.set_private_limit(admin_db, rid, 2)
    ids = [svc.create_customer(manager, {"name": f"待分派{i}{unique}"})["id"] for i in range(3)]
    error = _limit_error(svc.assign_customers, manager, ids, rid, "调整")
    assert (error.params["limit"], error.params["count"], error.params["adding"]) == (2, 0, 3)
    assert all(svc.get_customer(manager, i)["owner_id"] == manager.account_id for i in ids)
    assert svc.assign_customers(manager, ids[:2], rid, "调整") == 2


def test_two_concurrent_assignments_to_the_same_receiver_cannot_both_pass(admin_db, login, raw_connect,
                                                                           new_rep, unique):
    receiver = new_rep()
    rid = account_id(admin_db, receiver)
    manager = login("wangfang")
    a, b = (svc.create_customer(manager, {"name": f"并发{i}{unique}"})["id"] for i in range(2))
    cs.set_private_limit(admin_db, rid, 1)
    first, second = raw_connect("wangfang", autocommit=False), raw_connect("wangfang", autocommit=False)
    first.execute("select crm.assign_customers(%s, %s, 'first')", ([a], rid))  # holds the receiver's lock
    outcome = {}

    def run_second():
        try:
            second.execute("select crm.assign_customers(%s, %s, 'second')", ([b], rid))
            second.commit()
            outcome["second"] = "committed"
        except psycopg.Error as exc:
            second.rollback()
            outcome["second"] = exc.diag.constraint_name

    thread = threading.Thread(target=run_second)
    thread.start()
    _wait_until_blocked(admin_db, second)
    first.commit()
    thread.join(10)
    assert outcome["second"] == "customer_private_limit_exceeded"
    assert svc.private_customer_status(admin_db, rid) == (1, 1)


def _wait_until_blocked(admin_db, conn, timeout=10.0):
    pid = conn.info.backend_pid
    from sqlalchemy import text
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with admin_db.session() as s:
            if s.scalar(text("select wait_event_type from pg_stat_activity where pid = :p"), {"p": pid}) == "Lock":
                return
        time.sleep(0.02)
    raise AssertionError("the second assignment never waited for the first")


def test_sharing_gives_read_and_follow_up_but_not_edit(login, unique):
    owner, other = login("chenjing"), login("zhouqiang")  # another department
    c = svc.create_customer(owner, {"name": f"共享客户{unique}"})
    with pytest.raises(UserError):
        svc.get_customer(other, c["id"])
    assert svc.share_customers(owner, [c["id"]], [other.account_id], PLAN_AT, "回访") == 1
    seen = svc.get_customer(other, c["id"])
    assert seen["name"] == f"共享客户{unique}"
    assert [p["account_id"] for p in svc.contact_plans(other, c["id"])] == [other.account_id]
    assert svc.add_contact_plan(other, c["id"], PLAN_AT + timedelta(days=7), "再次回访")
    with pytest.raises(UserError) as err:
        svc.update_customer(other, seen, {"notes": "改一下"})
    assert err.value.key == "customer_not_editable"
    with pytest.raises(UserError):
        svc.share_customers(other, [c["id"]], [owner.account_id])  # a sharee does not pass it on
    assert [h["action"] for h in svc.history(owner, c["id"])] == ["share"]


def test_assigning_a_departed_employees_customers_in_one_step(admin_db, login, choices, unique):
    manager = login("huangmin")  # leads 销售二部, where xujun (resigned) worked
    xujun, zhouqiang = account_id(admin_db, "xujun"), account_id(admin_db, "zhouqiang")
    for i in range(3):  # other tests may have handed the demo's over already
        svc.create_customer(admin_db, {"name": f"徐军的客户{i}{unique}", "owner_id": xujun})
    departed = CustomerPageSource(manager, CustomerFilter(owner_ids=(xujun,)))
    ids = [r["id"] for r in departed.iter_rows()]
    assert len(ids) >= 3
    count = svc.assign_customers(manager, ids, zhouqiang, "离职交接", choices.types[1], PLAN_AT, "交接回访")
    assert count == len(ids) and departed.count() == 0
    moved = svc.get_customer(manager, ids[0])
    assert (moved["owner_id"], moved["is_private"], moved["type_id"]) == (zhouqiang, True, choices.types[1])
    assign = [h for h in svc.history(manager, ids[0]) if h["action"] == "assign"][-1]
    assert (assign["from_owner"], assign["to_owner"], assign["reason"]) == (xujun, zhouqiang, "离职交接")
    rep = login("zhouqiang")
    assert any(p["subject"] == "交接回访" for p in svc.contact_plans(rep, ids[0]))
    with pytest.raises(UserError) as err:
        svc.assign_customers(rep, ids[:1], xujun)
    assert err.value.key in ("permission_denied", "customer_receiver_inactive")


def test_category_permission_and_management_scope(admin_db, login, new_rep, choices, unique):
    seer = new_rep(role="普通用户")
    sid = account_id(admin_db, seer)
    cs.set_management_scope(admin_db, sid, department_ids=[_department(admin_db, "广州销售部")])
    db = login(seer)
    gz = {r["department_name"] for r in CustomerPageSource(db).iter_rows()} - {"销售一部"}
    assert gz and gz <= {"广州销售部", "广州销售一组"}
    cs.set_category_permissions(admin_db, sid, [choices.types[0]])
    kinds = {r["type_id"] for r in CustomerPageSource(db).iter_rows() if r["owner_id"] != sid}
    assert kinds == {choices.types[0]}
    cs.set_category_permissions(admin_db, sid, [])
    cs.set_management_scope(admin_db, sid)


def _department(db, name):
    from crm_desktop.services import org
    return next(d["id"] for d in org.list_departments(db) if d["name"] == name)


def test_stale_saves_are_refused(login, unique):
    a, b = login("chenjing"), login("wangfang")
    c = svc.create_customer(a, {"name": f"并发编辑{unique}"})
    svc.update_customer(b, svc.get_customer(b, c["id"]), {"notes": "经理改过"})
    with pytest.raises(StaleRow) as err:
        svc.update_customer(a, c, {"notes": "我也改"})
    assert err.value.changes["notes"] == ("", "经理改过")
    assert err.value.params["actor"] == "王芳" and "updated_by" not in err.value.changes  # a rep may not read the audit log


def test_list_pages_by_keyset_in_every_order_and_filters(login, choices, tmp_path):
    db = login("lihua")
    everything = CustomerPageSource(db)
    total = everything.count()
    for column in ("name", "number", "last_contact_at", "created_at"):
        for descending in (False, True):
            source = everything.sorted_by(column, descending)
            rows, after = [], None
            while page := source.fetch_page(after, 97):
                rows += page
                after = source.sort_key(page[-1])
            assert len({r["id"] for r in rows}) == total
            keys = [source.sort_key(r) for r in rows]
            assert keys == sorted(keys, reverse=descending)
    since = datetime(2025, 3, 1, tzinfo=timezone.utc)
    f = CustomerFilter(scope="private", type_ids=(choices.types[0],), last_contact_from=since)
    rows = list(CustomerPageSource(db, f).iter_rows())
    assert rows and all(r["is_private"] and r["type_id"] == choices.types[0] and r["last_contact_at"] >= since
                        for r in rows)
    guangdong = cs.ensure_region_path(db, "中国.广东省")
    regions = {r["region_path"] for r in CustomerPageSource(db, CustomerFilter(region_id=guangdong)).iter_rows()}
    assert regions and all(p.startswith("中国.广东省.") for p in regions)
    assert 0 < everything.estimate_count() < 10 * total
    out = tmp_path / "customers.xlsx"
    assert export_customers(CustomerPageSource(db, f), out) == len(rows)


def test_changes_are_announced_to_listening_workstations(login, raw_connect, unique):
    listener = raw_connect("wangfang")
    listener.execute("listen crm_changes")
    c = svc.create_customer(login("chenjing"), {"name": f"通知{unique}"})
    payloads = [n.payload for n in listener.notifies(timeout=2, stop_after=5)]
    assert any(f'"id" : {c["id"]}' in p and '"customer"' in p for p in payloads)


def test_private_status_counts_every_customer_but_only_for_those_who_may_ask(admin_db, login, new_rep, unique):
    receiver = new_rep()
    rid = account_id(admin_db, receiver)
    hidden = svc.create_customer(login(receiver), {"name": f"看不见的私有客户{unique}"})
    cs.set_private_limit(admin_db, rid, 5)
    manager = login("huangmin")  # 销售二部: cannot see a 销售一部 rep's private customer …
    with pytest.raises(UserError):
        svc.get_customer(manager, hidden["id"])
    assert svc.private_customer_status(manager, rid) == (1, 5)  # … but may know the count to assign
    assert svc.private_customer_status(login(receiver)) == (1, 5)
    with pytest.raises(UserError) as refused:
        svc.private_customer_status(login("chenjing"), rid)  # a rep asking about someone else
    assert refused.value.key == "permission_denied"


def test_an_account_past_its_valid_until_date_cannot_receive_customers(login, unique):
    db = login("chenjing")
    customer = svc.create_customer(db, {"name": f"给过期帐号{unique}"})
    expired = account_id(db, "wuting")  # valid until 2020-12-31
    with pytest.raises(UserError) as refused:
        svc.share_customers(db, [customer["id"]], [expired])
    assert refused.value.key == "customer_receiver_inactive"
    with pytest.raises(UserError) as refused:
        svc.assign_customers(login("wangfang"), [customer["id"]], expired)
    assert refused.value.key == "customer_receiver_inactive"


def test_bulk_inserts_and_deletes_are_audited_row_by_row(superuser_url, raw_connect, unique):
    conn = raw_connect("wangfang")
    ids = [r[0] for r in conn.execute(
        "insert into crm.customer (name, name_initials) values (%s, ''), (%s, '') returning id",
        (f"审计甲{unique}", f"审计乙{unique}")).fetchall()]
    conn.execute("select crm.delete_customers(%s)", (ids,))
    conn.commit()
    with psycopg.connect(superuser_url) as su:
        rows = su.execute("select row_id, operation, actor, changes->>'name' from crm.audit_log "
                          "where table_name = 'customer' and row_id = any(%s) order by id",
                          ([str(i) for i in ids],)).fetchall()
    assert sorted((r[0], r[1]) for r in rows) == sorted((str(i), op) for i in ids for op in ("insert", "delete"))
    assert {r[2] for r in rows} == {"wangfang"} and {r[3] for r in rows} == {f"审计甲{unique}", f"审计乙{unique}"}


def test_bigrams_ignore_every_kind_of_whitespace(raw_connect):
    conn = raw_connect("chenjing")
    grams = conn.execute("select crm.bigrams(%s)", ("北斗\t广告 ab\n",)).fetchone()[0]
    assert set(grams) == {"北斗", "广告", "ab"}
    assert conn.execute("select crm.bigrams(''), crm.bigrams('a')").fetchone() == ([], [])


def test_moving_a_rep_moves_who_leads_their_customers(admin_db, login, new_rep, unique):
    """The policy reads precomputed reach (crm.viewer_reach): a move takes effect at once."""
    from crm_desktop.services import org

    rep = new_rep()
    customer = svc.create_customer(login(rep), {"name": f"跟人走的客户{unique}"})  # private, the rep's
    first, second = login("wangfang"), login("huangmin")  # 销售一部经理, 销售二部经理
    assert svc.get_customer(first, customer["id"])["id"] == customer["id"]
    with pytest.raises(UserError):
        svc.get_customer(second, customer["id"])
    sales2 = next(d["id"] for d in org.list_departments(admin_db) if d["name"] == "销售二部")
    rep_position = next(p["id"] for p in org.list_positions(admin_db)
                        if p["department_id"] == sales2 and p["name"] == "销售代表")
    rid = account_id(admin_db, rep)
    accounts.assign_position(admin_db, rid, rep_position, main=True)  # the old one stays, concurrent
    assert svc.get_customer(second, customer["id"])["id"] == customer["id"]
    assert svc.get_customer(first, customer["id"])["id"] == customer["id"]
    with admin_db.session() as s:  # the rep leaves 销售一部 altogether
        from sqlalchemy import text

        s.execute(text("delete from crm.account_position where account_id = :a and position_id <> :p"),
                  {"a": rid, "p": rep_position})
    with pytest.raises(UserError):
        svc.get_customer(first, customer["id"])
    assert svc.get_customer(second, customer["id"])["id"] == customer["id"]
