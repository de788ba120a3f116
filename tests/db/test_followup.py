"""Contact plans and records as real accounts (chapter 五.1): planning for oneself and others,
executing a plan, the next plan in the same transaction, 最后联系时间 kept by trigger, a sharee
who may add records and nothing else, and the reminder outbox following the plans."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
import pytest

from crm_desktop.messages import UserError
from crm_desktop.services import customer as customers
from crm_desktop.services import followup as svc

NOW = datetime.now().astimezone().replace(microsecond=0)


def _refusal(conn, sql, params=()):
    with pytest.raises(psycopg.Error) as err:
        with conn.transaction():
            conn.execute(sql, params)
    return err.value.diag.constraint_name or err.value.sqlstate


def _one(conn, sql, params=()):
    return conn.execute(sql, params).fetchone()[0]


@pytest.fixture
def customer(login, unique):
    owner = login("chenjing")
    c = customers.create_customer(owner, {"name": f"跟进客户{unique}"},
                                  contacts=[{"name": "王经理", "mobile": "13900000000"}])
    return owner, c["id"], svc.contacts_of(owner, c["id"])[0][1]


def test_a_record_executes_the_plan_and_plans_the_next_in_one_go(customer, superuser_url):
    owner, cid, contact = customer
    plan = svc.plan_contact(owner, cid, {"planned_at": NOW - timedelta(hours=2), "subject": "电话回访",
                                         "contact_id": contact, "remind_email": True, "remind_minutes": 30})
    due = svc.reminders(owner, NOW)
    assert [r["plan_id"] for r in due["overdue"]].count(plan) == 1
    record = svc.execute_plan(owner, plan, {"contacted_at": NOW, "content": "客户下周要报价"},
                              next_plan={"planned_at": NOW + timedelta(days=3), "subject": "送报价单", "way": "visit"})
    done = svc.get_plan(owner, plan)
    assert done["done"] and done["done_at"] is not None
    [row] = svc.records(owner, cid)
    assert (row["id"], row["plan_id"], row["contact_id"], row["subject"], row["handler_name"]) == (
        record, plan, contact, "电话回访", "陈静")
    assert customers.get_customer(owner, cid)["last_contact_at"] == NOW
    assert [(p["subject"], p["way"], p["done"]) for p in svc.plans(owner, cid)] == [
        ("送报价单", "visit", False), ("电话回访", "phone", True)]
    with psycopg.connect(superuser_url) as su:  # the executed plan's reminder is gone
        assert _one(su, "select count(*) from crm.reminder_delivery where plan_id = %s", (plan,)) == 0
    with pytest.raises(UserError) as err:
        svc.execute_plan(owner, plan, {"contacted_at": NOW})
    assert err.value.key == "contact_plan_already_done"


def test_a_failed_next_plan_takes_the_record_back(customer, admin_db):
    owner, cid, _contact = customer
    from sqlalchemy import text
    with admin_db.session() as s:
        zhouqiang = s.scalar(text("select id from crm.account where login = 'zhouqiang'"))
    with pytest.raises(UserError) as err:  # zhouqiang (another department) cannot see the customer
        svc.add_record(owner, cid, {"subject": "上门拜访", "contacted_at": NOW}, next_plan={
            "planned_at": NOW + timedelta(days=1), "subject": "再访"}, next_follower_id=zhouqiang)
    assert err.value.key == "contact_plan_follower_cannot_see"
    assert svc.records(owner, cid) == []
    assert customers.get_customer(owner, cid)["last_contact_at"] is None


def test_planning_for_a_colleague_who_sees_the_customer_and_not_for_one_who_does_not(customer, login):
    owner, cid, _contact = customer
    manager = login("wangfang")  # leads 销售一部: sees chenjing's private customers
    followers = {a["id"] for a in svc.possible_followers(owner, cid)}
    assert owner.account_id in followers and manager.account_id in followers
    stranger = login("zhouqiang")
    assert stranger.account_id not in followers
    assert svc.plan_contact(manager, cid, {"planned_at": NOW - timedelta(minutes=1), "subject": "陪同拜访"},
                            follower_id=owner.account_id)
    mine = svc.reminders(owner, NOW)
    assert any(r["subject"] == "陪同拜访" and r["author_name"] == "王芳" for r in mine["overdue"])
    with pytest.raises(UserError) as err:
        svc.plan_contact(owner, cid, {"planned_at": NOW, "subject": "x"}, follower_id=stranger.account_id)
    assert err.value.key == "contact_plan_follower_cannot_see"
    # the manager sees the plan he made and chenjing's records; the stranger sees neither
    svc.add_record(owner, cid, {"subject": "初次电话", "contacted_at": NOW - timedelta(days=1)})
    assert [r["subject"] for r in svc.records(manager, cid)] == ["初次电话"]
    assert svc.records(stranger, cid) == [] and svc.plans(stranger, cid) == []


def test_a_sharee_adds_records_and_nothing_else(customer, login, raw_connect):
    owner, cid, contact = customer
    sharee = login("zhouqiang")
    customers.share_customers(owner, [cid], [sharee.account_id], NOW + timedelta(days=1), "共享后回访")
    [plan] = [p for p in svc.plans(sharee, cid) if p["account_id"] == sharee.account_id]
    owners_record = svc.add_record(owner, cid, {"subject": "所属人的记录", "contacted_at": NOW - timedelta(hours=5)})
    record = svc.execute_plan(sharee, plan["id"], {"contacted_at": NOW - timedelta(hours=1), "content": "已回访"})
    assert customers.get_customer(owner, cid)["last_contact_at"] == NOW - timedelta(hours=1)
    conn = raw_connect("zhouqiang")
    assert _refusal(conn, "update crm.customer set notes = 'x' where id = %s", (cid,)) in (
        "customer_not_editable", "permission_denied")
    assert _refusal(conn, "update crm.customer set last_contact_at = now() where id = %s", (cid,)) == "42501"
    assert _refusal(conn, "update crm.contact_record set content = 'x' where id = %s",
                    (owners_record,)) == "contact_record_not_editable"
    assert conn.execute("update crm.contact_record set content = '补充' where id = %s", (record,)).rowcount == 1
    # the handler is the writer: a forged one is not even writable
    assert _refusal(conn, "insert into crm.contact_record (customer_id, account_id, contacted_at, subject) "
                          "values (%s, %s, now(), 'x')", (cid, owner.account_id)) == "42501"
    # the owner's plan is not the sharee's to execute
    own_plan = svc.plan_contact(owner, cid, {"planned_at": NOW, "subject": "所属人的计划"})
    assert _refusal(conn, "insert into crm.contact_record (customer_id, contacted_at, subject, plan_id) "
                          "values (%s, now(), 'x', %s)", (cid, own_plan)) == "contact_plan_not_yours"
    # a contact person of another customer is refused
    other = customers.create_customer(owner, {"name": f"另一客户{cid}"}, contacts=[{"name": "李四"}])
    foreign_contact = svc.contacts_of(owner, other["id"])[0][1]
    assert _refusal(conn, "insert into crm.contact_record (customer_id, contacted_at, subject, contact_id) "
                          "values (%s, now(), 'x', %s)", (cid, foreign_contact)) == "contact_not_of_customer"
    assert contact  # the customer's own contact is fine
    conn.execute("insert into crm.contact_record (customer_id, contacted_at, subject, contact_id) "
                 "values (%s, now() - interval '1 day', '电话', %s)", (cid, contact))


def test_nobody_records_contact_with_a_customer_they_cannot_see(customer, raw_connect):
    _owner, cid, _contact = customer
    conn = raw_connect("zhouqiang")
    assert _refusal(conn, "insert into crm.contact_record (customer_id, contacted_at, subject) "
                          "values (%s, now(), 'x')", (cid,)) == "42501"


def test_the_outbox_follows_the_plan_and_only_reminder_administrators_read_it(customer, superuser_url, raw_connect):
    owner, cid, _contact = customer
    plan = svc.plan_contact(owner, cid, {"planned_at": NOW + timedelta(days=2), "subject": "提醒我",
                                         "remind_email": True, "remind_sms": True, "remind_minutes": 60})
    with psycopg.connect(superuser_url) as su:
        rows = su.execute("select channel, due_at, status from crm.reminder_delivery where plan_id = %s "
                          "order by channel", (plan,)).fetchall()
        assert rows == [("email", NOW + timedelta(days=2, hours=-1), "pending"),
                        ("sms", NOW + timedelta(days=2, hours=-1), "pending")]
        original = svc.get_plan(owner, plan)
        svc.update_plan(owner, original, {"planned_at": NOW + timedelta(days=3), "remind_sms": False})
        rows = su.execute("select channel, due_at from crm.reminder_delivery where plan_id = %s", (plan,)).fetchall()
        assert rows == [("email", NOW + timedelta(days=3, hours=-1))]
    rep = raw_connect("chenjing")
    assert _one(rep, "select count(*) from crm.reminder_delivery") == 0
    assert _refusal(rep, "select smtp_password from crm.reminder_setting") == "42501"
    assert rep.execute("update crm.reminder_setting set smtp_host = 'evil'").rowcount == 0
    admin = raw_connect("admin")
    assert _one(admin, "select count(*) from crm.reminder_delivery where plan_id = %s", (plan,)) == 1
    assert _refusal(admin, "select smtp_password from crm.reminder_setting") == "42501"


def test_a_raw_plan_of_a_foreign_contact_is_refused(customer, raw_connect, login):
    owner, cid, _contact = customer
    other = customers.create_customer(owner, {"name": f"别的客户{cid}"}, contacts=[{"name": "赵六"}])
    foreign = svc.contacts_of(owner, other["id"])[0][1]
    conn = raw_connect("chenjing")
    assert _refusal(conn, "insert into crm.contact_plan (customer_id, account_id, planned_at, contact_id) "
                          "values (%s, %s, now(), %s)", (cid, owner.account_id, foreign)) == "contact_not_of_customer"
