-- Backups: the record of every backup run (scheduled by the agent or started by hand), read by
-- the 数据备份 screen of administrators holding system.backup.
-- depends: 0019_customer_delete_by_function
-- definitions: operations
--
-- Backups are written by crm-admin as a superuser (pg_dump and the login roles' verifiers need
-- one), so only superuser sessions insert here; accounts with system.backup read the record
-- (policy in definitions/operations.sql).  The record of a backup is not inside that backup.

create table crm.backup_run (
    id          bigint generated always as identity primary key,
    started_at  timestamptz not null default now(),
    finished_at timestamptz not null default now(),
    trigger     text not null check (trigger in ('scheduled', 'manual')),
    outcome     text not null check (outcome in ('ok', 'failed')),
    file        text not null default '',
    size_bytes  bigint check (size_bytes >= 0),
    error       text not null default '',
    host        text not null default '',
    constraint backup_run_ok_has_file check (outcome = 'failed' or (file <> '' and size_bytes is not null))
);
create index backup_run_latest on crm.backup_run (finished_at desc);
alter table crm.backup_run enable row level security;
alter table crm.backup_run force row level security;
grant select on crm.backup_run to crm_user;

insert into crm.permission (code, parent_code, name_zh, name_en, sort_order)
values ('system.backup', 'system', '数据备份（查看备份记录）', 'Backups (view the backup record)', 23)
on conflict (code) do nothing;

call crm_meta.finish_migration();
