"""The approval engine's rules, proved as real accounts over raw psycopg (issue 11).

chenjing (销售代表, 销售一部) writes quotes; her leader is wangfang (销售一部经理), then lihua (销售总监),
then zhangmc (总经理, an administrator).  Flows made here carry a high priority number and are
named explicitly on submit, so the demo's own flows never interfere.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from quote_fixtures import a_product, account_id, constraint_of, new_customer, new_quote, open_task, save_flow


@pytest.fixture(scope="module")
def su(superuser_url):
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="module")
def ids(su):
    return {login: account_id(su, login) for login in
            ("chenjing", "liuyang", "wangfang", "lihua", "zhangmc", "huangmin", "sunli", "xujun", "dengchao", "admin",
             "zhouqiang")}


@pytest.fixture(scope="module")
def gm_position(su):
    return su.execute("select id from crm.position where name = '总经理'").fetchone()[0]


@pytest.fixture
def chen(raw_connect):
    return raw_connect("chenjing")


@pytest.fixture
def admin(raw_connect):
    return raw_connect("admin")


@pytest.fixture
def quote(su, chen, unique):
    """A draft quote of chenjing's, for a private customer of hers."""
    product, unit = a_product(su)
    customer = new_customer(chen, f"审批客户{unique}")
    return new_quote(chen, customer, [(product, unit, 2, "1000.00")])


def submit(conn, quote, flow):
    return conn.execute("select crm.approval_submit('quote', %s, %s)", (quote, flow)).fetchone()[0]


def status(su, quote):
    return su.execute("select approval_status from crm.quote where id = %s", (quote,)).fetchone()[0]


def refused(conn, sql, params=()):
    with pytest.raises(psycopg.Error) as info:
        conn.execute(sql, params)
    return constraint_of(info.value) or info.value.sqlstate


@pytest.fixture(scope="module")
def two_steps(raw_connect_module, gm_position):
    return save_flow(raw_connect_module("admin"), "测试：上级再总经理",
                     [{"name": "部门经理", "approver_kind": "leader", "leader_levels": 1, "mode": "any"},
                      {"name": "总经理", "approver_kind": "position", "approver_ids": [gm_position], "mode": "any"}])


@pytest.fixture(scope="module")
def raw_connect_module(address):
    opened = []

    def _connect(name, password="demo1234"):
        conn = psycopg.connect(**address.connect_args(name, password), autocommit=True)
        opened.append(conn)
        return conn

    yield _connect
    for conn in opened:
        conn.close()


def test_the_state_columns_are_written_by_the_engine_only(su, chen, quote, unique):
    assert status(su, quote) == "draft"
    for column, value in (("approval_status", "approved"), ("last_approver_id", "1"), ("last_approved_at", "now()")):
        assert refused(chen, f"update crm.quote set {column} = {value if value == 'now()' else repr(value)} "
                             f"where id = %s", (quote,)) == "42501"
    assert refused(chen, "insert into crm.quote (customer_id, valid_until, approval_status) "
                         "values (1, current_date, 'approved')") == "42501"
    with pytest.raises(psycopg.Error) as info:
        with chen.cursor().copy("copy crm.quote (customer_id, valid_until, approval_status) from stdin") as copy:
            copy.write_row((1, "2030-01-01", "approved"))
    assert info.value.sqlstate == "42501"
    # not even the superuser inserts an approved document or sets the state by hand (an import or restore)
    customer = su.execute("select customer_id, handler_id from crm.quote where id = %s", (quote,)).fetchone()
    assert refused(su, """insert into crm.quote (customer_id, handler_id, valid_until, approval_status)
                          values (%s, %s, current_date, 'approved')""", customer) == "approval_state_by_engine"
    assert refused(su, "update crm.quote set approval_status = 'approved' where id = %s", (quote,)) \
        == "approval_state_by_engine"
    # the setting the engine uses does not open the door: only the definer role with it does
    chen.execute("set crm.approval_engine = 'on'")
    assert refused(chen, "update crm.quote set approval_status = 'approved' where id = %s", (quote,)) == "42501"
    # nor do the tables of the engine take writes
    for sql in ("insert into crm.approval_instance (document_type, document_id, submitter_id, fingerprint, status) "
                "values ('quote', 1, 1, 'x', 'approved')",
                "update crm.approval_task set status = 'approved'",
                "delete from crm.approval_event"):
        assert refused(chen, sql) == "42501"
    assert status(su, quote) == "draft"


def test_two_steps_then_approved_frozen_and_audited(su, ids, chen, raw_connect, quote, two_steps):
    instance = submit(chen, quote, two_steps)
    assert status(su, quote) == "pending"
    wang, zhang = raw_connect("wangfang"), raw_connect("zhangmc")
    # step 2's approver has no task yet: approving a step that is not active is impossible
    assert open_task(su, instance, ids["zhangmc"]) is None
    task = open_task(su, instance, ids["wangfang"])
    assert refused(chen, "select crm.approval_approve(%s)", (task,)) == "approval_not_your_task"
    assert refused(zhang, "select crm.approval_approve(%s)", (task,)) == "approval_not_your_task"
    # frozen while pending: header and lines, for the author and for her leader alike
    assert refused(chen, "update crm.quote set notes = 'x' where id = %s", (quote,)) == "approval_document_frozen"
    assert refused(wang, "update crm.quote_line set quantity = 3 where quote_id = %s", (quote,)) \
        == "approval_document_frozen"
    assert refused(chen, "delete from crm.quote_line where quote_id = %s", (quote,)) == "approval_document_frozen"
    assert wang.execute("select crm.approval_approve(%s, '同意')", (task,)).fetchone()[0] == "pending"
    assert su.execute("select last_approver_id from crm.quote where id = %s", (quote,)).fetchone()[0] == ids["wangfang"]
    assert refused(wang, "select crm.approval_approve(%s)", (task,)) == "approval_task_not_active"
    gm_task = open_task(su, instance, ids["zhangmc"])
    assert zhang.execute("select crm.approval_approve(%s)", (gm_task,)).fetchone()[0] == "approved"
    assert status(su, quote) == "approved"
    assert su.execute("select last_approver_id, last_approved_at is not null from crm.quote where id = %s",
                      (quote,)).fetchone() == (ids["zhangmc"], True)
    # frozen after approval (quotes refuse, they do not go back to draft)
    assert refused(chen, "update crm.quote set valid_until = valid_until + 1 where id = %s", (quote,)) \
        == "approval_document_frozen"
    assert refused(chen, "select crm.approval_submit('quote', %s)", (quote,)) == "approval_already_submitted"
    actions = [r[0] for r in chen.execute("select action from crm.approval_event where instance_id = %s order by id",
                                          (instance,))]
    assert actions == ["submit", "step_started", "approve", "step_started", "approve", "approved"]
    audited = su.execute("""select count(*) from crm.audit_log where table_name = 'approval_event'
                            and (changes->>'instance_id')::bigint = %s""", (instance,)).fetchone()[0]
    assert audited == len(actions)
    # history is append-only, for the superuser too
    assert refused(su, "update crm.approval_event set comment = 'x' where instance_id = %s", (instance,)) \
        == "approval_history_append_only"
    assert refused(su, "delete from crm.approval_task where instance_id = %s", (instance,)) \
        == "approval_history_append_only"


def test_no_one_approves_their_own_document(su, ids, chen, raw_connect, quote, unique):
    admin = raw_connect("admin")
    # a step naming only the submitter goes to her leader
    only_me = save_flow(admin, f"测试：只有自己{unique}",
                        [{"name": "自己", "approver_kind": "account", "approver_ids": [ids["chenjing"]]}])
    instance = submit(chen, quote, only_me)
    approvers = [r[0] for r in su.execute("select approver_id from crm.approval_task where instance_id = %s",
                                          (instance,))]
    assert approvers == [ids["wangfang"]]
    # the leader submits her rep's quote: neither she (the submitter) nor the rep (the handler) approves
    chen.execute("select crm.approval_withdraw(%s)", (instance,))
    both = save_flow(admin, f"测试：两人{unique}",
                     [{"name": "两人", "approver_kind": "account",
                       "approver_ids": [ids["chenjing"], ids["wangfang"], ids["lihua"]], "mode": "all"}])
    wang = raw_connect("wangfang")
    instance = submit(wang, quote, both)
    approvers = [r[0] for r in su.execute("select approver_id from crm.approval_task where instance_id = %s",
                                          (instance,))]
    assert approvers == [ids["lihua"]]
    # reassigning to the submitter or the handler is refused too
    task = open_task(su, instance, ids["lihua"])
    assert refused(admin, "select crm.approval_reassign(%s, %s, '试试')", (task, ids["wangfang"])) \
        == "approval_own_document"
    assert refused(admin, "select crm.approval_reassign(%s, %s, '试试')", (task, ids["chenjing"])) \
        == "approval_own_document"


def test_an_empty_step_fails_closed_until_an_administrator_names_an_approver(su, ids, chen, raw_connect, quote,
                                                                              unique):
    admin = raw_connect("admin")
    resigned = save_flow(admin, f"测试：离职审批人{unique}",
                         [{"name": "离职的人", "approver_kind": "account", "approver_ids": [ids["xujun"]]}])
    listener = raw_connect("admin")
    listener.execute("listen crm_changes")
    instance = submit(chen, quote, resigned)
    assert status(su, quote) == "pending"
    assert su.execute("select stalled, current_step from crm.approval_instance where id = %s",
                      (instance,)).fetchone() == (True, 1)
    assert su.execute("select count(*) from crm.approval_task where instance_id = %s", (instance,)).fetchone()[0] == 0
    told = [n.payload for n in listener.notifies(timeout=2, stop_after=50)]
    assert any('"approval_stalled"' in p for p in told)
    # nobody but an administrator (approval.reassign) names the approver
    assert refused(chen, "select crm.approval_assign(%s, %s, '请审批')", (instance, ids["liuyang"])) == "permission_denied"
    assert refused(admin, "select crm.approval_assign(%s, %s, '请审批')", (instance, ids["xujun"])) \
        == "approval_approver_inactive"
    task = admin.execute("select crm.approval_assign(%s, %s, '审批人已离职')", (instance, ids["lihua"])).fetchone()[0]
    assert raw_connect("lihua").execute("select crm.approval_approve(%s)", (task,)).fetchone()[0] == "approved"


def test_approving_after_the_content_changed_is_refused(su, ids, chen, raw_connect, quote, two_steps):
    instance = submit(chen, quote, two_steps)
    # only a superuser with triggers off can still change it (a restore gone wrong, a DBA by hand)
    with su.transaction():
        su.execute("set local session_replication_role = replica")
        su.execute("update crm.quote_line set unit_price = 1 where quote_id = %s", (quote,))
    task = open_task(su, instance, ids["wangfang"])
    assert refused(raw_connect("wangfang"), "select crm.approval_approve(%s)", (task,)) == "approval_document_changed"
    assert status(su, quote) == "pending"


def _race(first, second, sql_first, sql_second):
    """first holds its decision open in a transaction while second tries; returns second's outcome."""
    outcome = {}
    first.autocommit = False
    first.execute(sql_first)

    def run():
        try:
            outcome["result"] = second.execute(sql_second).fetchone()[0]
        except psycopg.Error as exc:
            outcome["error"] = constraint_of(exc) or exc.sqlstate

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.5)
    assert worker.is_alive(), "the second decision waits for the instance's row lock"
    first.commit()
    first.autocommit = True
    worker.join(10)
    return outcome


def test_two_approvers_racing_on_an_or_step_decide_it_once(su, ids, chen, raw_connect, quote, unique, gm_position):
    admin = raw_connect("admin")
    either = save_flow(admin, f"测试：或签{unique}",
                       [{"name": "或签", "approver_kind": "account", "approver_ids": [ids["wangfang"], ids["huangmin"]],
                         "mode": "any"},
                        {"name": "总经理", "approver_kind": "position", "approver_ids": [gm_position]}])
    instance = submit(chen, quote, either)
    t1, t2 = open_task(su, instance, ids["wangfang"]), open_task(su, instance, ids["huangmin"])
    outcome = _race(raw_connect("wangfang"), raw_connect("huangmin"),
                    f"select crm.approval_approve({t1})", f"select crm.approval_approve({t2})")
    assert outcome == {"error": "approval_task_not_active"}
    assert su.execute("""select count(*) from crm.approval_event where instance_id = %s and action = 'step_started'
                         and step_no = 2""", (instance,)).fetchone()[0] == 1
    assert su.execute("select status from crm.approval_task where id = %s", (t2,)).fetchone()[0] == "cancelled"


def test_two_approvers_racing_on_a_countersign_step_both_count_once(su, ids, chen, raw_connect, quote, unique,
                                                                   gm_position):
    admin = raw_connect("admin")
    all_of = save_flow(admin, f"测试：会签{unique}",
                       [{"name": "会签", "approver_kind": "account", "approver_ids": [ids["wangfang"], ids["huangmin"]],
                         "mode": "all"},
                        {"name": "总经理", "approver_kind": "position", "approver_ids": [gm_position]}])
    instance = submit(chen, quote, all_of)
    t1, t2 = open_task(su, instance, ids["wangfang"]), open_task(su, instance, ids["huangmin"])
    outcome = _race(raw_connect("wangfang"), raw_connect("huangmin"),
                    f"select crm.approval_approve({t1})", f"select crm.approval_approve({t2})")
    assert outcome == {"result": "pending"}
    assert su.execute("""select count(*) from crm.approval_event where instance_id = %s and action = 'step_started'
                         and step_no = 2""", (instance,)).fetchone()[0] == 1
    assert su.execute("select current_step from crm.approval_instance where id = %s", (instance,)).fetchone()[0] == 2
    # a double click of the same approver: the second waits, then finds the task decided
    gm = open_task(su, instance, ids["zhangmc"])
    outcome = _race(raw_connect("zhangmc"), raw_connect("zhangmc"),
                    f"select crm.approval_approve({gm})", f"select crm.approval_approve({gm})")
    assert outcome == {"error": "approval_task_not_active"}
    assert status(su, quote) == "approved"


def test_k_of_n(su, ids, chen, raw_connect, quote, unique):
    admin = raw_connect("admin")
    two_of_three = save_flow(admin, f"测试：三选二{unique}",
                             [{"name": "三选二", "approver_kind": "account", "mode": "k_of_n", "k": 2,
                               "approver_ids": [ids["wangfang"], ids["huangmin"], ids["lihua"]]}])
    instance = submit(chen, quote, two_of_three)
    raw_connect("lihua").execute("select crm.approval_approve(%s)", (open_task(su, instance, ids["lihua"]),))
    assert status(su, quote) == "pending"
    raw_connect("huangmin").execute("select crm.approval_approve(%s)", (open_task(su, instance, ids["huangmin"]),))
    assert status(su, quote) == "approved"


def test_a_flow_edited_mid_approval_keeps_the_version_the_document_started_with(su, ids, chen, raw_connect, unique,
                                                                                gm_position):
    admin = raw_connect("admin")
    flow = save_flow(admin, f"测试：改版{unique}",
                     [{"name": "部门经理", "approver_kind": "leader", "leader_levels": 1}])
    product, unit = a_product(su)
    customer = new_customer(chen, f"改版客户{unique}")
    first, second = (new_quote(chen, customer, [(product, unit, 1, "10")]) for _ in range(2))
    instance = submit(chen, first, flow)
    version = su.execute("select version from crm.approval_flow where id = %s", (flow,)).fetchone()[0]
    save_flow(admin, f"测试：改版{unique}", [{"name": "总经理", "approver_kind": "position",
                                            "approver_ids": [gm_position]}], flow_id=flow, version=version)
    # a stale editor is refused
    with pytest.raises(psycopg.Error) as info:
        save_flow(admin, f"测试：改版{unique}", [{"name": "x", "approver_kind": "leader"}], flow_id=flow, version=version)
    assert constraint_of(info.value) == "concurrent_change"
    raw_connect("wangfang").execute("select crm.approval_approve(%s)", (open_task(su, instance, ids["wangfang"]),))
    assert status(su, first) == "approved"  # the old version had one step
    later = submit(chen, second, flow)
    assert open_task(su, later, ids["wangfang"]) is None and open_task(su, later, ids["zhangmc"])
    assert refused(chen, "select crm.save_approval_flow(null, null, 'quote', 'x', true, 1, '[]', 'all', "
                         "'[{\"name\": \"a\", \"approver_kind\": \"leader\"}]')") == "permission_denied"


def test_a_locked_approver_mid_flow_is_reassigned_by_an_administrator(su, ids, chen, raw_connect, quote, unique,
                                                                     admin_db):
    admin = raw_connect("admin")
    flow = save_flow(admin, f"测试：锁定{unique}",
                     [{"name": "周强", "approver_kind": "account", "approver_ids": [ids["zhouqiang"]]}])
    instance = submit(chen, quote, flow)
    task = open_task(su, instance, ids["zhouqiang"])
    su.execute("update crm.account set locked = true where id = %s", (ids["zhouqiang"],))
    try:
        with pytest.raises(psycopg.OperationalError):
            raw_connect("zhouqiang")
        # the stuck task waits; only an administrator reassigns it, and it is recorded
        assert refused(chen, "select crm.approval_reassign(%s, %s, '锁定了')", (task, ids["lihua"])) \
            == "permission_denied"
        assert refused(admin, "select crm.approval_reassign(%s, %s, '')", (task, ids["lihua"])) \
            == "approval_reason_required"
        new_task = admin.execute("select crm.approval_reassign(%s, %s, '周强已锁定')", (task, ids["lihua"])).fetchone()[0]
        assert su.execute("select status from crm.approval_task where id = %s", (task,)).fetchone()[0] == "reassigned"
        assert raw_connect("lihua").execute("select crm.approval_approve(%s)", (new_task,)).fetchone()[0] == "approved"
        assert su.execute("select count(*) from crm.approval_event where instance_id = %s and action = 'reassign'",
                          (instance,)).fetchone()[0] == 1
    finally:
        su.execute("update crm.account set locked = false where id = %s", (ids["zhouqiang"],))


def test_withdraw_reject_and_resubmit(su, ids, chen, raw_connect, quote, two_steps):
    instance = submit(chen, quote, two_steps)
    wang = raw_connect("wangfang")
    assert refused(wang, "select crm.approval_withdraw(%s)", (instance,)) == "approval_withdraw_not_submitter"
    chen.execute("select crm.approval_withdraw(%s, '改价')", (instance,))
    assert status(su, quote) == "draft"
    chen.execute("update crm.quote_line set unit_price = 990 where quote_id = %s", (quote,))
    instance = submit(chen, quote, two_steps)
    task = open_task(su, instance, ids["wangfang"])
    assert refused(wang, "select crm.approval_reject(%s, '  ')", (task,)) == "approval_reason_required"
    wang.execute("select crm.approval_reject(%s, '价格太低')", (task,))
    assert status(su, quote) == "rejected"
    assert su.execute("select last_approver_id from crm.quote where id = %s", (quote,)).fetchone()[0] == ids["wangfang"]
    chen.execute("update crm.quote_line set unit_price = 1100 where quote_id = %s", (quote,))  # editable again
    instance = submit(chen, quote, two_steps)
    wang.execute("select crm.approval_approve(%s)", (open_task(su, instance, ids["wangfang"]),))
    assert refused(chen, "select crm.approval_withdraw(%s)", (instance,)) == "approval_withdraw_too_late"


def test_a_delegate_acts_for_the_approver_on_leave(su, ids, chen, raw_connect, quote, two_steps):
    wang, huang = raw_connect("wangfang"), raw_connect("huangmin")
    delegation = wang.execute("select crm.approval_set_delegation(%s, current_date - 1, current_date + 1, '出差')",
                              (ids["huangmin"],)).fetchone()[0]
    try:
        instance = submit(chen, quote, two_steps)
        task = open_task(su, instance, ids["wangfang"])
        assert huang.execute("select count(*) from crm.approval_task where id = %s", (task,)).fetchone()[0] == 1
        assert huang.execute("select count(*) from crm.quote where id = %s", (quote,)).fetchone()[0] == 1
        huang.execute("select crm.approval_approve(%s, '代批')", (task,))
        assert su.execute("""select actor_id, on_behalf_of from crm.approval_event
                             where instance_id = %s and action = 'approve'""", (instance,)).fetchone() \
            == (ids["huangmin"], ids["wangfang"])
        assert refused(huang, "select crm.approval_end_delegation(%s)", (delegation,)) == "approval_delegation_not_yours"
    finally:
        wang.execute("select crm.approval_end_delegation(%s)", (delegation,))
    assert refused(wang, "select crm.approval_set_delegation(%s, current_date, current_date, '')",
                   (ids["wangfang"],)) == "approval_delegate_invalid"


def test_tasks_and_history_are_seen_only_by_participants_and_the_documents_viewers(su, ids, chen, raw_connect, quote,
                                                                                   unique):
    admin = raw_connect("admin")
    finance = save_flow(admin, f"测试：财务{unique}",
                        [{"name": "财务经理", "approver_kind": "account", "approver_ids": [ids["sunli"]]}])
    instance = submit(chen, quote, finance)

    def sees(login):
        conn = raw_connect(login)
        return tuple(conn.execute(sql, (instance,)).fetchone()[0] for sql in (
            "select count(*) from crm.approval_instance where id = %s",
            "select count(*) from crm.approval_task where instance_id = %s",
            "select count(*) from crm.approval_event where instance_id = %s"))

    everything = sees("chenjing")
    assert everything[0] == 1 and everything[1] == 1 and everything[2] >= 2
    assert sees("sunli") == everything   # the approver, from another department
    assert sees("wangfang") == everything  # her leader sees the quote, so its approval
    assert sees("zhangmc") == everything
    assert sees("liuyang") == (0, 0, 0)  # a colleague who does not see the customer
    assert sees("heping") == (0, 0, 0)
    assert raw_connect("sunli").execute("select count(*) from crm.quote where id = %s", (quote,)).fetchone()[0] == 1
    assert raw_connect("liuyang").execute("select count(*) from crm.quote where id = %s", (quote,)).fetchone()[0] == 0
    # an approver may see the document, not change it
    assert refused(raw_connect("sunli"), "update crm.quote set notes = 'x' where id = %s", (quote,)) \
        in ("approval_document_frozen", "quote_not_editable", "42501")


def test_a_task_waiting_too_long_gets_one_reminder(su, superuser_url, ids, chen, raw_connect, quote, two_steps):
    from crm_desktop.agent.approval_reminders import ApprovalReminderJob

    instance = submit(chen, quote, two_steps)
    task = open_task(su, instance, ids["wangfang"])
    su.execute("update crm.approval_task set created_at = now() - interval '2 days' where id = %s", (task,))
    wang = raw_connect("wangfang")
    wang.execute("listen crm_changes")
    job = ApprovalReminderJob(hours=24)
    first = job.run(superuser_url)
    assert first is not None and first.endswith("approval reminder(s)")
    assert job.run(superuser_url) is None  # once per task
    reminders = wang.execute("select task_id from crm.approval_event where instance_id = %s and action = 'remind'",
                             (instance,)).fetchall()
    assert reminders == [(task,)]
    assert any('"approval_overdue"' in n.payload for n in wang.notifies(timeout=2, stop_after=20))


def test_a_flow_whose_conditions_the_document_does_not_meet_is_refused(su, chen, raw_connect, quote, unique):
    big_only = save_flow(raw_connect("admin"), f"测试：大单{unique}",
                         [{"name": "部门经理", "approver_kind": "leader"}],
                         conditions=[{"fact": "total", "op": ">", "value": "999999999"}])
    assert refused(chen, "select crm.approval_submit('quote', %s, %s)", (quote, big_only)) \
        == "approval_flow_condition_not_met"
    assert refused(chen, "select crm.approval_submit('quote', %s, -1)", (quote,)) == "approval_flow_unknown"
    assert status(su, quote) == "draft"


def test_one_person_counts_once_on_a_countersign_step(su, ids, chen, raw_connect, quote, unique):
    """A delegate who already decided the step for herself cannot decide it again for the one on leave,
    and an administrator cannot reassign a task to someone who already approves that step."""
    admin, wang, huang = raw_connect("admin"), raw_connect("wangfang"), raw_connect("huangmin")
    both = save_flow(admin, f"测试：会签一人一票{unique}",
                     [{"name": "会签", "approver_kind": "account", "approver_ids": [ids["wangfang"], ids["huangmin"]],
                       "mode": "all"}])
    delegation = huang.execute("select crm.approval_set_delegation(%s, current_date - 1, current_date + 1, '休假')",
                               (ids["wangfang"],)).fetchone()[0]
    try:
        instance = submit(chen, quote, both)
        mine, hers = open_task(su, instance, ids["wangfang"]), open_task(su, instance, ids["huangmin"])
        assert refused(admin, "select crm.approval_reassign(%s, %s, '换人')", (mine, ids["huangmin"])) \
            == "approval_already_approver"
        assert wang.execute("select crm.approval_approve(%s)", (mine,)).fetchone()[0] == "pending"
        assert refused(wang, "select crm.approval_approve(%s)", (hers,)) == "approval_already_decided"
        assert status(su, quote) == "pending"
    finally:
        huang.execute("select crm.approval_end_delegation(%s)", (delegation,))
