-- Approval reminders: the agent records a reminder for a task that waits too long.
-- definitions: approval
-- depends: 0022_approval
--
-- crm-admin agent's ApprovalReminderJob (crm_desktop/agent/approval_reminders.py) appends one
-- 'remind' event per task that has waited longer than the threshold, once, and sends NOTIFY
-- approval_overdue; clients show it, the reminder module may mail it.

alter table crm.approval_event drop constraint approval_event_action_valid;
alter table crm.approval_event add constraint approval_event_action_valid check (action in (
    'submit', 'step_started', 'step_stalled', 'approve', 'reject', 'withdraw', 'reassign', 'assign',
    'approved', 'rejected', 'remind'));
alter table crm.approval_event add column task_id bigint references crm.approval_task on delete restrict;
create unique index approval_event_one_reminder on crm.approval_event (task_id) where action = 'remind';

call crm_meta.finish_migration();
