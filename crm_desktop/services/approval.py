"""Approval flows (审批流程): the engine's calls and what the screens read.  No Qt.

Every decision is one database function (definitions/approval.sql) that checks who may make it;
this module only shapes the calls and turns refusals into catalogue sentences.  What an account
reads (tasks, history, flows) is what the policies let it read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError, language, translate_error

MODES = {"any": ("或签（任一人同意）", "Any one approver"), "all": ("会签（全部同意）", "All approvers"),
         "k_of_n": ("n 人中 k 人同意", "k of n approvers")}
KINDS = {"leader": ("提交人的上级", "The submitter's leader"), "account": ("指定人员", "Named people"),
         "role": ("角色", "Role"), "position": ("职位", "Position")}
STATUS_NAMES = {"draft": ("草稿", "Draft"), "pending": ("审批中", "In approval"), "approved": ("已审核", "Approved"),
                "rejected": ("已驳回", "Rejected"), "withdrawn": ("已撤回", "Withdrawn")}
TASK_STATUS_NAMES = {"open": ("待审批", "Waiting"), "approved": ("同意", "Approved"), "rejected": ("驳回", "Rejected"),
                     "cancelled": ("无需审批", "Not needed"), "reassigned": ("已转办", "Reassigned")}
ACTION_NAMES = {"submit": ("提交审批", "Submitted"), "step_started": ("进入步骤", "Step started"),
                "step_stalled": ("步骤缺少审批人", "Step has no approver"), "approve": ("同意", "Approved"),
                "reject": ("驳回", "Rejected"), "withdraw": ("撤回", "Withdrawn"), "reassign": ("转办", "Reassigned"),
                "assign": ("指定审批人", "Approver named"), "approved": ("审批通过", "Approval complete"),
                "rejected": ("审批未通过", "Approval rejected"), "remind": ("超时提醒", "Reminder: waiting too long")}
OPERATORS = (">", ">=", "<", "<=", "=", "<>")
BOXES = ("waiting", "submitted", "decided")  # 待我审批 / 我提交的 / 我已处理
OVERDUE_HOURS = 24  # a task waiting longer is marked in the dock (the reminder's threshold)


def name_of(table: dict[str, tuple[str, str]], key: str | None) -> str:
    pair = table.get(key or "")
    if not pair:
        return key or ""
    return pair[1] if language() == "en" else pair[0]


def _call(db: Database, sql: str, **params: Any) -> Any:
    try:
        with db.session() as s:
            return s.execute(text(sql), params).scalar()
    except DBAPIError as exc:
        raise translate_error(exc) from None


# -- decisions --------------------------------------------------------------------------------

def submit(db: Database, document_type: str, document_id: int, flow_id: int | None = None, comment: str = "") -> int:
    return _call(db, "select crm.approval_submit(:t, :d, :f, :c)", t=document_type, d=document_id, f=flow_id,
                 c=comment or "")


def approve(db: Database, task_id: int, comment: str = "") -> str:
    """同意; returns the instance's state afterwards (pending: the next step, approved: done)."""
    return _call(db, "select crm.approval_approve(:k, :c)", k=task_id, c=comment or "")


def reject(db: Database, task_id: int, reason: str) -> None:
    if not (reason or "").strip():
        raise UserError("approval_reason_required")
    _call(db, "select crm.approval_reject(:k, :r)", k=task_id, r=reason)


def withdraw(db: Database, instance_id: int, reason: str = "") -> None:
    _call(db, "select crm.approval_withdraw(:i, :r)", i=instance_id, r=reason or "")


def reassign(db: Database, task_id: int, to_account: int, reason: str) -> int:
    return _call(db, "select crm.approval_reassign(:k, :a, :r)", k=task_id, a=to_account, r=reason or "")


def assign(db: Database, instance_id: int, to_account: int, reason: str) -> int:
    return _call(db, "select crm.approval_assign(:i, :a, :r)", i=instance_id, a=to_account, r=reason or "")


def set_delegation(db: Database, delegate_id: int, starts: date, ends: date, reason: str = "") -> int:
    return _call(db, "select crm.approval_set_delegation(:d, :s, :e, :r)", d=delegate_id, s=starts, e=ends,
                 r=reason or "")


def end_delegation(db: Database, delegation_id: int) -> None:
    _call(db, "select crm.approval_end_delegation(:i)", i=delegation_id)


def my_delegations(db: Database) -> list[dict]:
    with db.session() as s:
        rows = s.execute(text("""select d.id, d.account_id, a.name as account_name, d.delegate_id,
                                        b.name as delegate_name, d.starts_on, d.ends_on, d.reason, d.ended
                                   from crm.approval_delegation d
                                   join crm.account a on a.id = d.account_id join crm.account b on b.id = d.delegate_id
                                  where not d.ended and d.ends_on >= current_date
                                  order by d.starts_on, d.id"""))
        return [dict(r._mapping) for r in rows]


# -- what the dock reads ----------------------------------------------------------------------

_TASK_COLUMNS = """t.id as task_id, t.instance_id, t.step_no, t.step_name, t.status as task_status, t.created_at,
                   t.decided_at, t.comment, t.approver_id, i.document_type, i.document_id, i.status,
                   i.submitter_id, s.name as submitter_name, i.submitted_at, i.facts, i.stalled,
                   dt.name_zh as type_zh, dt.name_en as type_en"""
_TASK_JOINS = """from crm.approval_task t join crm.approval_instance i on i.id = t.instance_id
                 join crm.account s on s.id = i.submitter_id
                 join crm.approval_document_type dt on dt.code = i.document_type"""


def my_tasks(db: Database, box: str = "waiting", limit: int = 200, after: tuple | None = None) -> list[dict]:
    """待我审批 (open tasks of mine and of those I stand in for), 我提交的 (instances I submitted),
    我已处理 (tasks I decided) — newest first, keyset-paged by (time, id)."""
    if box not in BOXES:
        raise ValueError(box)
    params: dict[str, Any] = {"limit": limit}
    keyset = ""
    if box == "waiting":
        if after:
            keyset = "and (t.created_at, t.id) < (:after_at, :after_id)"
            params.update(after_at=after[0], after_id=after[1])
        with db.session() as s:
            acting = list(s.execute(text("select crm.approval_acting_for()")).scalar() or [])
        if not acting:
            return []  # an account without a role has no tasks
        # one account (no delegation today, the usual case): an equality walks the open-task index
        # in order and stops after the page; = any (…) would sort all of the approver's tasks
        who = "t.approver_id = :me" if len(acting) == 1 else "t.approver_id = any (:acting)"
        params.update(me=acting[0] if acting else None, acting=acting)
        sql = f"""select {_TASK_COLUMNS} {_TASK_JOINS}
                  where t.status = 'open' and {who} {keyset}
                  order by t.created_at desc, t.id desc limit :limit"""
    elif box == "decided":
        if after:
            keyset = "and (t.decided_at, t.id) < (:after_at, :after_id)"
            params.update(after_at=after[0], after_id=after[1])
        sql = f"""select {_TASK_COLUMNS} {_TASK_JOINS}
                  where t.decided_by = crm.current_account() and t.status in ('approved', 'rejected') {keyset}
                  order by t.decided_at desc, t.id desc limit :limit"""
    else:
        if after:
            keyset = "and (i.submitted_at, i.id) < (:after_at, :after_id)"
            params.update(after_at=after[0], after_id=after[1])
        sql = f"""select null::bigint as task_id, i.id as instance_id, i.current_step as step_no,
                         (select string_agg(distinct k.step_name, '、') from crm.approval_task k
                           where k.instance_id = i.id and k.step_no = i.current_step) as step_name,
                         null::text as task_status, i.submitted_at as created_at, i.finished_at as decided_at,
                         '' as comment, null::bigint as approver_id, i.document_type, i.document_id, i.status,
                         i.submitter_id, s.name as submitter_name, i.submitted_at, i.facts, i.stalled,
                         dt.name_zh as type_zh, dt.name_en as type_en
                    from crm.approval_instance i join crm.account s on s.id = i.submitter_id
                    join crm.approval_document_type dt on dt.code = i.document_type
                   where i.submitter_id = crm.current_account() {keyset}
                   order by i.submitted_at desc, i.id desc limit :limit"""
    with db.session() as s:
        rows = [dict(r._mapping) for r in s.execute(text(sql), params)]
    _add_document_labels(db, rows)
    return rows


def open_task_count(db: Database) -> int:
    return int(_call(db, "select crm.approval_my_open_task_count()") or 0)


def stalled_instances(db: Database) -> list[dict]:
    """Instances waiting on a step without enough approvers (what the administrator is told)."""
    with db.session() as s:
        rows = [dict(r._mapping) for r in s.execute(text(
            """select i.id as instance_id, i.document_type, i.document_id, i.current_step as step_no,
                      i.submitted_at, s.name as submitter_name, i.required
                 from crm.approval_instance i join crm.account s on s.id = i.submitter_id
                where i.stalled and i.status = 'pending' order by i.submitted_at"""))]
    _add_document_labels(db, rows)
    return rows


# documents whose number and summary the dock shows: type → (table, number column, summary SQL)
DOCUMENT_LABELS: dict[str, str] = {
    "quote": """select q.id, q.number, c.name as party, q.discounted_total as amount
                  from crm.quote q left join crm.customer c on c.id = q.customer_id where q.id = any (:ids)""",
}


def _add_document_labels(db: Database, rows: list[dict]) -> None:
    by_type: dict[str, list[int]] = {}
    for r in rows:
        by_type.setdefault(r["document_type"], []).append(r["document_id"])
    labels: dict[tuple[str, int], dict] = {}
    with db.session() as s:
        for kind, ids in by_type.items():
            sql = DOCUMENT_LABELS.get(kind)
            if sql:
                for row in s.execute(text(sql), {"ids": ids}):
                    labels[(kind, row.id)] = dict(row._mapping)
    for r in rows:
        label = labels.get((r["document_type"], r["document_id"]), {})
        r["number"] = label.get("number", "")
        r["party"] = label.get("party", "")
        r["amount"] = label.get("amount")
        r["type_name"] = r.get("type_en") if language() == "en" else r.get("type_zh")


def is_overdue(row: dict, now: datetime, hours: int = OVERDUE_HOURS) -> bool:
    return row.get("task_status") == "open" and (now - row["created_at"]).total_seconds() > hours * 3600


# -- the flow chart (流程图) -------------------------------------------------------------------

@dataclass
class ChartStep:
    step_no: int
    name: str
    mode: str
    k: int | None
    approver_kind: str
    state: str  # done | active | waiting | rejected | stalled
    tasks: list[dict] = field(default_factory=list)


@dataclass
class FlowChart:
    instance: dict
    steps: list[ChartStep]
    events: list[dict]


def latest_instance(db: Database, document_type: str, document_id: int) -> int | None:
    with db.session() as s:
        return s.execute(text("""select id from crm.approval_instance where document_type = :t and document_id = :d
                                 order by id desc limit 1"""), {"t": document_type, "d": document_id}).scalar()


def flow_chart(db: Database, instance_id: int) -> FlowChart:
    """The steps of the instance's flow version, who acted, when and with what comment, and where it is now."""
    with db.session() as s:
        inst = s.execute(text("""select i.*, a.name as submitter_name, f.name as flow_name, v.number as flow_version
                                   from crm.approval_instance i join crm.account a on a.id = i.submitter_id
                                   left join crm.approval_flow_version v on v.id = i.flow_version_id
                                   left join crm.approval_flow f on f.id = v.flow_id
                                  where i.id = :i"""), {"i": instance_id}).mappings().first()
        if inst is None:
            raise UserError("row_deleted")
        steps = [dict(r._mapping) for r in s.execute(text(
            "select * from crm.approval_flow_step where flow_version_id = :v order by step_no"),
            {"v": inst["flow_version_id"]})]
        tasks = [dict(r._mapping) for r in s.execute(text(
            """select t.*, a.name as approver_name, d.name as decided_by_name
                 from crm.approval_task t join crm.account a on a.id = t.approver_id
                 left join crm.account d on d.id = t.decided_by
                where t.instance_id = :i order by t.step_no, t.id"""), {"i": instance_id})]
        events = [dict(r._mapping) for r in s.execute(text(
            """select e.*, a.name as actor_name, b.name as on_behalf_of_name
                 from crm.approval_event e left join crm.account a on a.id = e.actor_id
                 left join crm.account b on b.id = e.on_behalf_of
                where e.instance_id = :i order by e.id"""), {"i": instance_id})]
    out = []
    for st in steps:
        mine = [t for t in tasks if t["step_no"] == st["step_no"]]
        if inst["status"] == "pending" and inst["current_step"] == st["step_no"]:
            state = "stalled" if inst["stalled"] else "active"
        elif any(t["status"] == "rejected" for t in mine):
            state = "rejected"
        elif mine and (inst["current_step"] is None or st["step_no"] < (inst["current_step"] or 0)) \
                and any(t["status"] == "approved" for t in mine):
            state = "done"
        else:
            state = "waiting"
        out.append(ChartStep(st["step_no"], st["name"], st["mode"], st["k"], st["approver_kind"], state, mine))
    return FlowChart(dict(inst), out, events)


# -- flow definitions (the administrator's screen) --------------------------------------------

def document_types(db: Database) -> list[dict]:
    with db.session() as s:
        return [dict(r._mapping) for r in s.execute(text(
            "select * from crm.approval_document_type order by sort_order, code"))]


def list_flows(db: Database, document_type: str | None = None, active_only: bool = False) -> list[dict]:
    with db.session() as s:
        rows = s.execute(text("""select f.*, v.id as version_id, v.conditions, v.condition_match
                                   from crm.approval_flow f
                                   join crm.approval_flow_version v on v.flow_id = f.id and v.number = f.current_version
                                  where (cast(:t as text) is null or f.document_type = :t)
                                    and (not :active or f.active)
                                  order by f.document_type, f.priority, f.id"""),
                         {"t": document_type, "active": active_only})
        flows = [dict(r._mapping) for r in rows]
        for f in flows:
            f["steps"] = [dict(r._mapping) for r in s.execute(text(
                "select * from crm.approval_flow_step where flow_version_id = :v order by step_no"),
                {"v": f["version_id"]})]
    return flows


def save_flow(db: Database, flow: dict) -> int:
    """Saves a new version of the flow (or the first); ``flow['version']`` is the row version read."""
    steps = [{"name": st["name"], "approver_kind": st["approver_kind"],
              "approver_ids": [int(x) for x in st.get("approver_ids") or []],
              "leader_levels": int(st.get("leader_levels") or 1), "mode": st.get("mode") or "any",
              "k": int(st["k"]) if st.get("mode") == "k_of_n" and st.get("k") else None}
             for st in flow["steps"]]
    conditions = [{"fact": c["fact"], "op": c["op"], "value": str(c["value"])} for c in flow.get("conditions") or []]
    return _call(db, "select crm.save_approval_flow(:id, :v, :t, :n, :a, :p, cast(:c as jsonb), :m, cast(:s as jsonb))",
                 id=flow.get("id"), v=flow.get("version"), t=flow["document_type"], n=(flow.get("name") or "").strip(),
                 a=flow.get("active", True), p=int(flow.get("priority") or 100), c=json.dumps(conditions),
                 m=flow.get("condition_match") or "all", s=json.dumps(steps))


def approver_choices(db: Database, kind: str) -> list[tuple[int, str]]:
    """(id, label) of the accounts, roles or positions a step may name."""
    sql = {"account": """select id, name || '（' || login || '）' from crm.account
                          where deleted_at is null and status = 'active' order by name""",
           "role": "select id, name from crm.role order by name",
           "position": """select p.id, d.name || ' / ' || p.name from crm.position p
                            join crm.department d on d.id = p.department_id order by d.name, p.name"""}.get(kind)
    if sql is None:
        return []
    with db.session() as s:
        return [(r[0], r[1]) for r in s.execute(text(sql))]


def describe_conditions(flow: dict, facts: list[dict]) -> str:
    labels = {f["key"]: f["label"] for f in facts}
    parts = [f"{labels.get(c['fact'], c['fact'])} {c['op']} {c['value']}" for c in flow.get("conditions") or []]
    if not parts:
        return "全部单据" if language() != "en" else "Every document"
    joiner = (" 或 " if language() != "en" else " or ") if flow.get("condition_match") == "any" \
        else (" 且 " if language() != "en" else " and ")
    return joiner.join(parts)


def iter_waiting(db: Database, batch: int = 500) -> Iterator[dict]:
    after = None
    while True:
        rows = my_tasks(db, "waiting", limit=batch, after=after)
        yield from rows
        if len(rows) < batch:
            return
        after = (rows[-1]["created_at"], rows[-1]["task_id"])
