-- Following customers up (chapter 五.1, figure 16): contact plans with a way and reminders,
-- contact records, the reminder outbox the agent sends from and the agent's settings.
-- definitions: followup
-- depends: 0019_customer_delete_by_function
--
-- Functions, policies and triggers are in definitions/followup.sql (those on crm.contact_plan,
-- a customers table, in definitions/customers.sql).

-- ---------------------------------------------------------------------------------------------
-- 联系计划: the way, the contact person, reminders by e-mail and/or SMS at a lead time
-- ---------------------------------------------------------------------------------------------

alter table crm.contact_plan
    add column contact_id     bigint references crm.contact on delete set null,
    add column way            text not null default 'phone',
    add column remind_email   boolean not null default false,
    add column remind_sms     boolean not null default false,
    add column remind_minutes integer not null default 0,
    add column done_at        timestamptz,
    add constraint contact_plan_way_valid check (way in ('phone', 'visit', 'email', 'sms', 'im', 'other')),
    add constraint contact_plan_remind_minutes_valid check (remind_minutes between 0 and 43200);

grant insert (contact_id, way, remind_email, remind_sms, remind_minutes),
      update (contact_id, way, remind_email, remind_sms, remind_minutes)
    on crm.contact_plan to crm_user;

-- the reminders query: one follower's open plans by time (the 0003 index has no follower order
-- beyond planned_at; this one serves "today / overdue / this week" for one account)
create index contact_plan_author on crm.contact_plan (created_by);

-- ---------------------------------------------------------------------------------------------
-- 联系记录: what happened; executing a plan writes one (plan_id) and marks the plan done
-- ---------------------------------------------------------------------------------------------

create table crm.contact_record (
    id           bigint generated always as identity primary key,
    customer_id  bigint not null references crm.customer on delete cascade,
    contact_id   bigint references crm.contact on delete set null,
    account_id   bigint not null references crm.account on delete restrict,
    contacted_at timestamptz not null,
    way          text not null default 'phone',
    subject      text not null default '',
    content      text not null default '',
    plan_id      bigint references crm.contact_plan on delete set null,
    created_by   bigint references crm.account on delete set null,
    version      integer not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    updated_by   bigint references crm.account on delete set null,
    constraint contact_record_way_valid check (way in ('phone', 'visit', 'email', 'sms', 'im', 'other')),
    constraint contact_record_subject_required check (btrim(subject) <> ''),
    constraint contact_record_one_per_plan unique (plan_id)
);
create index contact_record_customer on crm.contact_record (customer_id, contacted_at);
create index contact_record_account on crm.contact_record (account_id, contacted_at);
create index contact_record_author on crm.contact_record (created_by);

alter table crm.contact_record enable row level security;
alter table crm.contact_record force row level security;
grant select, insert (customer_id, contact_id, contacted_at, way, subject, content, plan_id),
      update (contact_id, contacted_at, way, subject, content)
    on crm.contact_record to crm_user;

-- ---------------------------------------------------------------------------------------------
-- The reminder outbox: one row per plan and channel, kept by the plan's triggers, sent by
-- `crm-admin agent` (FOR UPDATE SKIP LOCKED: two agents never send one twice)
-- ---------------------------------------------------------------------------------------------

create table crm.reminder_delivery (
    id              bigint generated always as identity primary key,
    plan_id         bigint not null references crm.contact_plan on delete cascade,
    channel         text not null,
    due_at          timestamptz not null,
    status          text not null default 'pending',
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null,
    last_error      text not null default '',
    recipient       text not null default '',
    sent_at         timestamptz,
    constraint reminder_delivery_channel_valid check (channel in ('email', 'sms')),
    constraint reminder_delivery_status_valid check (status in ('pending', 'sent', 'failed')),
    constraint reminder_delivery_one_per_channel unique (plan_id, channel)
);
create index reminder_delivery_due on crm.reminder_delivery (next_attempt_at) where status = 'pending';
create index reminder_delivery_failed on crm.reminder_delivery (id) where status = 'failed';

alter table crm.reminder_delivery enable row level security;
alter table crm.reminder_delivery force row level security;
grant select on crm.reminder_delivery to crm_user;
grant update (status, attempts, next_attempt_at) on crm.reminder_delivery to crm_user;

-- ---------------------------------------------------------------------------------------------
-- The agent's settings (邮件短信提醒设置, permission reminder.agent): one row.  The SMTP password
-- and the gateway token are written by the administrator and read by nobody but the agent (a
-- superuser connection): accounts have no SELECT on those two columns.
-- ---------------------------------------------------------------------------------------------

create table crm.reminder_setting (
    id                boolean primary key default true,
    email_enabled     boolean not null default false,
    smtp_host         text not null default '',
    smtp_port         integer not null default 587,
    smtp_security     text not null default 'starttls',
    smtp_login        text not null default '',
    smtp_password     text not null default '',
    smtp_password_set boolean generated always as (smtp_password <> '') stored,
    sender            text not null default '',
    sms_enabled       boolean not null default false,
    sms_url           text not null default '',
    sms_token         text not null default '',
    sms_token_set     boolean generated always as (sms_token <> '') stored,
    max_attempts      integer not null default 5,
    retry_seconds     integer not null default 60,
    version           integer not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    updated_by        bigint references crm.account on delete set null,
    constraint reminder_setting_one_row check (id),
    constraint reminder_setting_security_valid check (smtp_security in ('starttls', 'ssl', 'none')),
    constraint reminder_setting_port_valid check (smtp_port between 1 and 65535),
    constraint reminder_setting_attempts_valid check (max_attempts between 1 and 50),
    constraint reminder_setting_retry_valid check (retry_seconds between 1 and 86400)
);
insert into crm.reminder_setting default values;

alter table crm.reminder_setting enable row level security;
alter table crm.reminder_setting force row level security;
grant select (id, email_enabled, smtp_host, smtp_port, smtp_security, smtp_login, smtp_password_set, sender,
              sms_enabled, sms_url, sms_token_set, max_attempts, retry_seconds, version, created_at,
              updated_at, updated_by),
      update (email_enabled, smtp_host, smtp_port, smtp_security, smtp_login, smtp_password, sender,
              sms_enabled, sms_url, sms_token, max_attempts, retry_seconds)
    on crm.reminder_setting to crm_user;

call crm_meta.finish_migration();
