-- Approval flows (审批流程, issue 11): one engine for every document that needs 审核.
-- definitions: approval
-- depends: 0019_customer_delete_by_function
--
-- A document type registers here (crm.approval_document_type: its table, the functions that
-- fingerprint its content, list the facts a flow condition may test, say whether the current
-- account sees it and may submit it).  The document table carries four engine-kept columns
-- (approval_status, last_approver_id, last_approved_at, approval_instance_id) that no account is
-- granted; the shared trigger crm.approval_guard_document() (definitions/approval.sql) refuses any
-- other change to them, any insert that arrives approved, and content changes while pending or
-- approved.  Flows are versioned: saving a flow adds a version with its own steps, and an instance
-- keeps the version it started with.  Tasks are frozen when their step becomes active; events are
-- append-only.  Every write goes through the definer functions of definitions/approval.sql: the
-- tables are granted SELECT only.

create table crm.approval_document_type (
    code               text primary key,
    name_zh            text not null,
    name_en            text not null,
    table_name         text not null,   -- crm.quote
    owner_column       text not null,   -- the document's handler: never its approver
    fingerprint_fn     text not null,   -- crm.f(bigint) → text, a hash of the content
    facts_fn           text not null,   -- crm.f(bigint) → jsonb, the facts a condition may test
    visible_fn         text not null,   -- crm.f(bigint) → boolean, may the current account see it
    submit_fn          text not null,   -- crm.f(bigint) → boolean, may the current account submit it
    -- [{"key": "total", "label": "总金额", "kind": "money"}, …]: what the flow editor offers
    facts              jsonb not null default '[]',
    requires_flow      boolean not null default false,
    -- a content change after approval: refused, or the document goes back to draft
    after_approval     text not null default 'refuse',
    approve_permission text,            -- shown in the role grid; approvers are named by the flow
    sort_order         integer not null default 0,
    constraint approval_document_type_functions_named check (
        fingerprint_fn ~ '^crm\.[a-z_]+$' and facts_fn ~ '^crm\.[a-z_]+$'
        and visible_fn ~ '^crm\.[a-z_]+$' and submit_fn ~ '^crm\.[a-z_]+$'
        and table_name ~ '^crm\.[a-z_]+$' and owner_column ~ '^[a-z_]+$'),
    constraint approval_document_type_after_approval_valid check (after_approval in ('refuse', 'reset'))
);

create table crm.approval_flow (
    id             bigint generated always as identity primary key,
    document_type  text not null references crm.approval_document_type on delete restrict,
    name           text not null,
    active         boolean not null default true,
    priority       integer not null default 100,  -- lower is tried first when a flow is chosen automatically
    current_version integer not null default 1,
    version        integer not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    updated_by     bigint references crm.account on delete set null,
    constraint approval_flow_name_required check (btrim(name) <> ''),
    constraint approval_flow_name_unique unique (document_type, name)
);

create table crm.approval_flow_version (
    id               bigint generated always as identity primary key,
    flow_id          bigint not null references crm.approval_flow on delete restrict,
    number           integer not null,
    -- [{"fact": "total", "op": ">", "value": "50000"}, …]; empty: always applies
    conditions       jsonb not null default '[]',
    condition_match  text not null default 'all',
    created_at       timestamptz not null default now(),
    created_by       bigint references crm.account on delete set null,
    constraint approval_flow_version_unique unique (flow_id, number),
    constraint approval_flow_version_match_valid check (condition_match in ('all', 'any')),
    constraint approval_flow_version_conditions_array check (jsonb_typeof(conditions) = 'array')
);

create table crm.approval_flow_step (
    id               bigint generated always as identity primary key,
    flow_version_id  bigint not null references crm.approval_flow_version on delete restrict,
    step_no          integer not null,
    name             text not null,
    approver_kind    text not null,     -- account | role | position | leader
    approver_ids     bigint[] not null default '{}',
    leader_levels    integer not null default 1,
    mode             text not null default 'any',   -- any 或签 | all 会签 | k_of_n
    k                integer,
    constraint approval_flow_step_unique unique (flow_version_id, step_no),
    constraint approval_flow_step_name_required check (btrim(name) <> ''),
    constraint approval_flow_step_kind_valid check (approver_kind in ('account', 'role', 'position', 'leader')),
    constraint approval_flow_step_mode_valid check (mode in ('any', 'all', 'k_of_n')),
    constraint approval_flow_step_k_valid check ((mode = 'k_of_n') = (k is not null) and coalesce(k, 1) >= 1),
    constraint approval_flow_step_levels_valid check (leader_levels between 1 and 10),
    constraint approval_flow_step_approvers_named check (approver_kind = 'leader' or cardinality(approver_ids) > 0)
);

create table crm.approval_instance (
    id               bigint generated always as identity primary key,
    document_type    text not null references crm.approval_document_type on delete restrict,
    document_id      bigint not null,
    flow_version_id  bigint references crm.approval_flow_version on delete restrict,
    submitter_id     bigint not null references crm.account on delete restrict,
    owner_id         bigint references crm.account on delete restrict,
    submitted_at     timestamptz not null default now(),
    status           text not null default 'pending',  -- pending | approved | rejected | withdrawn
    current_step     integer,
    required         integer,          -- approvals the active step needs
    stalled          boolean not null default false,  -- the active step has too few approvers
    fingerprint      text not null,
    facts            jsonb not null default '{}',
    finished_at      timestamptz,
    constraint approval_instance_status_valid check (status in ('pending', 'approved', 'rejected', 'withdrawn'))
);
create unique index approval_instance_one_pending on crm.approval_instance (document_type, document_id)
    where status = 'pending';
create index approval_instance_document on crm.approval_instance (document_type, document_id);
create index approval_instance_submitter on crm.approval_instance (submitter_id, submitted_at desc);
create index approval_instance_stalled on crm.approval_instance (id) where stalled and status = 'pending';

create table crm.approval_task (
    id               bigint generated always as identity primary key,
    instance_id      bigint not null references crm.approval_instance on delete restrict,
    step_no          integer not null,
    step_name        text not null,
    approver_id      bigint not null references crm.account on delete restrict,
    status           text not null default 'open',  -- open | approved | rejected | cancelled | reassigned
    created_at       timestamptz not null default now(),
    decided_by       bigint references crm.account on delete restrict,
    decided_at       timestamptz,
    comment          text not null default '',
    constraint approval_task_status_valid check (status in ('open', 'approved', 'rejected', 'cancelled', 'reassigned'))
);
create index approval_task_open on crm.approval_task (approver_id, created_at desc, id desc) where status = 'open';
create index approval_task_instance on crm.approval_task (instance_id, step_no);
create index approval_task_decided on crm.approval_task (decided_by, decided_at desc) where decided_by is not null;

create table crm.approval_event (
    id           bigint generated always as identity primary key,
    instance_id  bigint not null references crm.approval_instance on delete restrict,
    at           timestamptz not null default clock_timestamp(),
    actor_id     bigint references crm.account on delete restrict,
    on_behalf_of bigint references crm.account on delete restrict,
    action       text not null,
    step_no      integer,
    comment      text not null default '',
    detail       jsonb not null default '{}',
    constraint approval_event_action_valid check (action in (
        'submit', 'step_started', 'step_stalled', 'approve', 'reject', 'withdraw', 'reassign', 'assign',
        'approved', 'rejected'))
);
create index approval_event_instance on crm.approval_event (instance_id, id);

create table crm.approval_delegation (
    id           bigint generated always as identity primary key,
    account_id   bigint not null references crm.account on delete restrict,
    delegate_id  bigint not null references crm.account on delete restrict,
    starts_on    date not null,
    ends_on      date not null,
    reason       text not null default '',
    ended        boolean not null default false,
    created_at   timestamptz not null default now(),
    created_by   bigint references crm.account on delete set null,
    constraint approval_delegation_dates check (ends_on >= starts_on),
    constraint approval_delegation_not_self check (account_id <> delegate_id)
);
create index approval_delegation_delegate on crm.approval_delegation (delegate_id) where not ended;
create index approval_delegation_account on crm.approval_delegation (account_id) where not ended;

-- accounts read (through the policies); every write is a definer function
grant select on crm.approval_document_type, crm.approval_flow, crm.approval_flow_version, crm.approval_flow_step,
    crm.approval_instance, crm.approval_task, crm.approval_event, crm.approval_delegation to crm_user;

-- an administrator reassigns a stuck task, or names an approver for a stalled step
insert into crm.permission (code, parent_code, name_zh, name_en, sort_order)
values ('approval.reassign', 'approval', '审批任务转办（管理员）', 'Reassign approval tasks', 802)
on conflict (code) do nothing;

call crm_meta.finish_migration();
