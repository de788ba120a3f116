"""ApprovalReminderJob: a task that waits longer than the threshold gets one reminder.

The reminder is an event in the task's history (action ``remind``, at most one per task, kept by a
unique index) and a NOTIFY ``approval_overdue`` that the approver's client turns into a refresh of
My approvals (where the task is already red).  Sending it by mail or SMS is the reminder module's.
"""

from __future__ import annotations

import psycopg

DEFAULT_HOURS = 24


class ApprovalReminderJob:
    name = "approval-reminders"

    def __init__(self, hours: float = DEFAULT_HOURS, interval: float = 600.0):
        self.hours = hours
        self.interval = interval

    def run(self, url: str) -> str | None:
        with psycopg.connect(url, autocommit=True) as conn:
            with conn.transaction():
                rows = conn.execute("""
                    insert into crm.approval_event (instance_id, task_id, action, step_no, detail)
                    select t.instance_id, t.id, 'remind', t.step_no,
                           jsonb_build_object('approver', t.approver_id, 'waiting_hours', %s::numeric)
                      from crm.approval_task t join crm.approval_instance i on i.id = t.instance_id
                     where t.status = 'open' and i.status = 'pending'
                       and t.created_at < now() - make_interval(secs => %s::numeric * 3600)
                       and not exists (select from crm.approval_event e where e.task_id = t.id and e.action = 'remind')
                    on conflict do nothing
                    returning task_id""", (self.hours, self.hours)).fetchall()
                for (task,) in rows:
                    conn.execute("select pg_notify('crm_changes', json_build_object('table', 'approval_overdue', "
                                 "'op', 'insert', 'id', %s::bigint)::text)", (task,))
        return f"{len(rows)} approval reminder(s)" if rows else None
