"""The follow-up module's error keys (contact plans and records, the reminder outbox and the agent's
settings, opportunities and their stages), each triggered by an ordinary demo account logged in with
its own password over a raw psycopg connection, and the key itself checked — as in
tests/security/test_error_keys.py.  Each case runs in a transaction that is rolled back, so the shared
demo database stays as it was.

Who may do what: a rep (陈静, 普通用户) plans and records contact and keeps opportunities; the sales
manager 王芳 holds customer.settings (the sales stages); the administrator 张美春 holds every
permission, reminder.agent (the agent's settings and outbox) among them.
"""

from __future__ import annotations

import psycopg
import pytest

MINE = "(select max(id) from crm.customer where owner_id = crm.current_account() and name = '{}')"
CUSTOMER = "insert into crm.customer (name) values ('{}')"
A = MINE.format("跟进键客户甲")
B = MINE.format("跟进键客户乙")
PLAN = ("insert into crm.contact_plan (customer_id, account_id, planned_at, subject, remind_email) "
        f"values ({A}, crm.current_account(), now() + interval '1 day', '回访', true)")
MY_PLAN = f"(select max(id) from crm.contact_plan where customer_id = {A})"
OPEN_STAGE = "(select min(id) from crm.opportunity_stage where not is_won and not is_lost)"


def _opportunity(**bad: str) -> str:
    cols = {"customer_id": A, "title": "'键测试商机'", "stage_id": OPEN_STAGE, "owner_id": "crm.current_account()",
            **bad}
    return f"insert into crm.opportunity ({', '.join(cols)}) values ({', '.join(cols.values())})"


# key → (login, statements); the last statement must raise with that key
CASES: dict[str, tuple[str, list[str]]] = {
    # contact plans, as a rep
    "contact_plan_way_valid": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"),
        f"insert into crm.contact_plan (customer_id, account_id, planned_at, subject, way) "
        f"values ({A}, crm.current_account(), now(), '回访', 'fax')"]),
    "contact_plan_remind_minutes_valid": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"), PLAN,
        f"update crm.contact_plan set remind_minutes = 43201 where id = {MY_PLAN}"]),
    # contact records, as a rep
    "contact_record_way_valid": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"),
        f"insert into crm.contact_record (customer_id, contacted_at, way, subject) values ({A}, now(), 'fax', '拜访')"]),
    "contact_record_subject_required": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"),
        f"insert into crm.contact_record (customer_id, contacted_at, subject) values ({A}, now(), ' ')"]),
    "contact_plan_not_of_customer": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"), CUSTOMER.format("跟进键客户乙"), PLAN,
        f"insert into crm.contact_record (customer_id, contacted_at, subject, plan_id) "
        f"values ({B}, now(), '执行', {MY_PLAN})"]),
    # an executed plan cannot be reopened behind its record's back (its reminders would come back)
    "contact_plan_executed": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"), PLAN,
        f"insert into crm.contact_record (customer_id, contacted_at, subject, plan_id) "
        f"values ({A}, now(), '执行', {MY_PLAN})",
        f"update crm.contact_plan set done = false where id = {MY_PLAN}"]),
    # one statement executing the same open plan twice: the second row's trigger still sees the plan
    # open (the first row's AFTER trigger marks it done at the end of the statement); the unique
    # index refuses it
    "contact_record_one_per_plan": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"), PLAN,
        f"insert into crm.contact_record (customer_id, contacted_at, subject, plan_id) "
        f"values ({A}, now(), '执行', {MY_PLAN}), ({A}, now(), '再执行', {MY_PLAN})"]),
    # opportunities, as a rep on their own customer
    "opportunity_amount_valid": ("chenjing", [CUSTOMER.format("跟进键客户甲"), _opportunity(expected_amount="-1")]),
    "opportunity_dates_valid": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"), _opportunity(starts_on="'2026-12-02'", ends_on="'2026-12-01'")]),
    "opportunity_importance_valid": ("chenjing", [CUSTOMER.format("跟进键客户甲"), _opportunity(importance="'urgent'")]),
    "opportunity_probability_valid": ("chenjing", [CUSTOMER.format("跟进键客户甲"), _opportunity(probability="101")]),
    "opportunity_status_valid": ("chenjing", [
        CUSTOMER.format("跟进键客户甲"), _opportunity(),
        f"update crm.opportunity set status = 'closed' where customer_id = {A}"]),
    # sales stages, as the sales manager (customer.settings)
    "opportunity_stage_name_required": ("wangfang", ["insert into crm.opportunity_stage (name) values (' ')"]),
    "opportunity_stage_name_unique": ("wangfang", ["update crm.opportunity_stage set name = '赢单' where name = '输单'"]),
    "opportunity_stage_probability_valid": ("wangfang", [
        "update crm.opportunity_stage set probability = 101 where name = '商务谈判'"]),
    "opportunity_stage_won_or_lost": ("wangfang", [
        "insert into crm.opportunity_stage (name, is_won, is_lost) values ('又赢又输', true, true)"]),
    # the agent's settings and outbox, as the administrator (reminder.agent)
    "reminder_setting_security_valid": ("zhangmc", ["update crm.reminder_setting set smtp_security = 'tls'"]),
    "reminder_setting_port_valid": ("zhangmc", ["update crm.reminder_setting set smtp_port = 65536"]),
    "reminder_setting_attempts_valid": ("zhangmc", ["update crm.reminder_setting set max_attempts = 0"]),
    "reminder_setting_retry_valid": ("zhangmc", ["update crm.reminder_setting set retry_seconds = 86401"]),
    "reminder_delivery_status_valid": ("zhangmc", [
        CUSTOMER.format("跟进键客户甲"), PLAN,
        f"update crm.reminder_delivery set status = 'lost' where plan_id = {MY_PLAN}"]),
}


@pytest.mark.parametrize("key", sorted(CASES))
def test_the_database_raises_the_followup_key_itself(key, raw_connect):
    login, statements = CASES[key]
    conn = raw_connect(login)
    with pytest.raises(psycopg.Error) as err:
        with conn.transaction(force_rollback=True):
            for sql in statements:
                conn.execute(sql)
    assert err.value.diag.constraint_name == key, (err.value.sqlstate, str(err.value))


def test_the_reminder_setting_stays_one_row(raw_connect):
    """reminder_setting_one_row cannot be reached: the administrator may neither add a row nor
    change the key column (42501 comes first)."""
    conn = raw_connect("zhangmc")
    for sql in ("insert into crm.reminder_setting (id) values (false)",
                "update crm.reminder_setting set id = false"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with conn.transaction(force_rollback=True):
                conn.execute(sql)


def test_the_outbox_rows_are_the_servers_own(raw_connect):
    """reminder_delivery_channel_valid / _one_per_channel cannot be reached: not even the reminder
    administrator may insert an outbox row or change its plan or channel."""
    conn = raw_connect("zhangmc")
    for sql in ("insert into crm.reminder_delivery (plan_id, channel, due_at, next_attempt_at) "
                "select plan_id, 'fax', now(), now() from crm.reminder_delivery limit 1",
                "update crm.reminder_delivery set channel = 'fax'",
                "update crm.reminder_delivery set plan_id = plan_id"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with conn.transaction(force_rollback=True):
                conn.execute(sql)
