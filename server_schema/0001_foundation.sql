-- The foundation: organisations, departments, positions, accounts (each a PostgreSQL login role),
-- roles and the permission catalogue, the audit trail, versions and change notifications.
-- depends: 0000_roles
--
-- Order (basejump): shared trigger functions, tables with their constraints and triggers, RLS,
-- security-definer helpers, policies, callable functions each with its grant.

-- ---------------------------------------------------------------------------------------------
-- Shared trigger functions used by every module
-- ---------------------------------------------------------------------------------------------

-- Rows carry a version: each update bumps it, so a client that saves over a newer row
-- (UPDATE ... WHERE version = <what it read>) updates nothing and knows it was stale.
create function crm.bump_version() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    new.version := old.version + 1;
    new.updated_at := now();
    return new;
end
$$;

-- Every client LISTENs on crm_changes and refreshes what it shows.
create function crm.notify_change() returns trigger
language plpgsql set search_path = pg_catalog as $$
declare
    r jsonb := to_jsonb(coalesce(new, old));
begin
    perform pg_notify('crm_changes', json_build_object(
        'table', tg_table_name, 'op', lower(tg_op), 'id', r->'id')::text);
    return null;
end
$$;

create table crm.audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default clock_timestamp(),
    actor       text not null default session_user,
    table_name  text not null,
    row_id      text,
    operation   text not null check (operation in ('insert', 'update', 'delete')),
    changes     jsonb not null
);
create index audit_log_row on crm.audit_log (table_name, row_id);

-- Runs as crm_definer so the write lands whatever the caller may see; the log itself has no
-- update or delete path for anyone.
create function crm.audit_row() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
    new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
    diff    jsonb;
begin
    if tg_op = 'UPDATE' then
        select coalesce(jsonb_object_agg(key, jsonb_build_array(old_row->key, value)), '{}')
          into diff
          from jsonb_each(new_row)
         where old_row->key is distinct from value and key not in ('version', 'updated_at');
        if diff = '{}' then
            return null;
        end if;
    else
        diff := coalesce(new_row, old_row);
    end if;
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values (tg_table_name, coalesce(new_row, old_row)->>'id', lower(tg_op), diff);
    return null;
end
$$;

create function crm.audit_log_is_append_only() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    raise exception using errcode = 'insufficient_privilege', message = 'audit_log_append_only',
                          constraint = 'audit_log_append_only';
end
$$;
create trigger audit_log_append_only before update or delete or truncate on crm.audit_log
    for each statement execute function crm.audit_log_is_append_only();

-- ---------------------------------------------------------------------------------------------
-- Organisation structure
-- ---------------------------------------------------------------------------------------------

create table crm.organization (
    id          bigint generated always as identity primary key,
    name        text not null,
    short_name  text not null default '',
    phone       text not null default '',
    address     text not null default '',
    notes       text not null default '',
    sort_order  integer not null default 0,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint organization_name_unique unique (name),
    constraint organization_name_required check (btrim(name) <> '')
);

create table crm.department (
    id              bigint generated always as identity primary key,
    organization_id bigint not null references crm.organization on delete restrict,
    parent_id       bigint references crm.department on delete restrict,
    name            text not null,
    phone           text not null default '',
    notes           text not null default '',
    sort_order      integer not null default 0,
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint department_name_required check (btrim(name) <> ''),
    constraint department_not_own_parent check (parent_id <> id)
);
create unique index department_one_top_per_organization on crm.department (organization_id)
    where parent_id is null;
create unique index department_name_unique_in_parent
    on crm.department (organization_id, coalesce(parent_id, 0), name);
create index department_parent on crm.department (parent_id);

-- ancestor/descendant pairs (a department is its own ancestor at depth 0), kept by trigger,
-- so "this department and everything under it" is one indexed lookup, never a recursive query
create table crm.department_closure (
    ancestor_id   bigint not null references crm.department on delete cascade,
    descendant_id bigint not null references crm.department on delete cascade,
    depth         integer not null,
    primary key (ancestor_id, descendant_id)
);
create index department_closure_descendant on crm.department_closure (descendant_id);

create function crm.department_check_parent() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    parent_org bigint;
begin
    if new.parent_id is not null then
        select organization_id into parent_org from crm.department where id = new.parent_id;
        if parent_org is distinct from new.organization_id then
            raise exception using errcode = 'check_violation', message = 'department_parent_other_organization',
                                  constraint = 'department_parent_other_organization';
        end if;
        if tg_op = 'UPDATE' and exists (select from crm.department_closure
                                         where ancestor_id = new.id and descendant_id = new.parent_id) then
            raise exception using errcode = 'check_violation', message = 'department_parent_cycle',
                                  constraint = 'department_parent_cycle';
        end if;
    elsif exists (select from crm.department
                   where organization_id = new.organization_id and parent_id is null and id <> new.id) then
        raise exception using errcode = 'unique_violation', message = 'department_one_top_per_organization',
                              constraint = 'department_one_top_per_organization';
    end if;
    if tg_op = 'UPDATE' and new.organization_id <> old.organization_id then
        raise exception using errcode = 'check_violation', message = 'department_organization_fixed',
                              constraint = 'department_organization_fixed';
    end if;
    return new;
end
$$;
create trigger department_check_parent before insert or update of parent_id, organization_id
    on crm.department for each row execute function crm.department_check_parent();

create function crm.department_maintain_closure() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if tg_op = 'INSERT' then
        insert into crm.department_closure (ancestor_id, descendant_id, depth)
        select ancestor_id, new.id, depth + 1 from crm.department_closure where descendant_id = new.parent_id
        union all select new.id, new.id, 0;
    elsif new.parent_id is distinct from old.parent_id then
        -- detach the moved subtree from its old ancestors, attach it under the new parent
        delete from crm.department_closure c
         using crm.department_closure sub, crm.department_closure up
         where sub.ancestor_id = new.id and c.descendant_id = sub.descendant_id
           and up.descendant_id = new.id and up.ancestor_id <> new.id and c.ancestor_id = up.ancestor_id;
        insert into crm.department_closure (ancestor_id, descendant_id, depth)
        select up.ancestor_id, sub.descendant_id, up.depth + sub.depth + 1
          from crm.department_closure up, crm.department_closure sub
         where up.descendant_id = new.parent_id and sub.ancestor_id = new.id;
    end if;
    return null;
end
$$;
create trigger department_maintain_closure after insert or update of parent_id on crm.department
    for each row execute function crm.department_maintain_closure();

create table crm.position (
    id            bigint generated always as identity primary key,
    department_id bigint not null references crm.department on delete restrict,
    superior_id   bigint references crm.position on delete set null,
    name          text not null,
    is_manager    boolean not null default false,
    notes         text not null default '',
    sort_order    integer not null default 0,
    version       integer not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint position_name_required check (btrim(name) <> ''),
    constraint position_name_unique_in_department unique (department_id, name),
    constraint position_not_own_superior check (superior_id <> id)
);
create index position_department on crm.position (department_id);
create index position_superior on crm.position (superior_id);

create function crm.position_check_superior() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if new.superior_id is not null and exists (
        with recursive chain(id) as (
            select new.superior_id
            union
            select p.superior_id from crm.position p join chain on p.id = chain.id where p.superior_id is not null)
        select from chain where id = new.id) then
        raise exception using errcode = 'check_violation', message = 'position_superior_cycle',
                              constraint = 'position_superior_cycle';
    end if;
    return new;
end
$$;
create trigger position_check_superior before insert or update of superior_id on crm.position
    for each row execute function crm.position_check_superior();

-- ---------------------------------------------------------------------------------------------
-- Accounts: every row is a PostgreSQL login role of the same name
-- ---------------------------------------------------------------------------------------------

create table crm.account (
    id              bigint generated always as identity primary key,
    login           text not null,
    name            text not null,
    gender          text not null default 'male',
    number          text not null default '',
    mobile          text not null default '',
    email           text not null default '',
    office_phone    text not null default '',
    home_phone      text not null default '',
    mailbox_quota_mb integer not null default 0,
    email_quota_mb  integer not null default 0,
    valid_until     date,
    status          text not null default 'active',
    locked          boolean not null default false,
    ukey            boolean not null default false,
    ukey_card_id    text,
    deleted_at      timestamptz,
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint account_login_unique unique (login),
    constraint account_login_format check (login ~ '^[A-Za-z][A-Za-z0-9_.@-]{0,59}$'),
    constraint account_login_reserved check (lower(login) !~ '^(pg_|crm_)' and lower(login) not in ('postgres', 'public')),
    constraint account_name_required check (btrim(name) <> ''),
    constraint account_gender_valid check (gender in ('male', 'female')),
    constraint account_status_valid check (status in ('active', 'resigned', 'retired')),
    constraint account_quota_positive check (mailbox_quota_mb >= 0 and email_quota_mb >= 0),
    constraint account_email_format check (email = '' or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')
);
create index account_status on crm.account (status, locked) where deleted_at is null;

-- 人员档案: created with the account (HR keeps it afterwards)
create table crm.employee (
    id          bigint generated always as identity primary key,
    account_id  bigint not null unique references crm.account on delete cascade,
    name        text not null,
    gender      text not null,
    number      text not null default '',
    hired_on    date,
    notes       text not null default '',
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create table crm.account_position (
    account_id  bigint not null references crm.account on delete cascade,
    position_id bigint not null references crm.position on delete restrict,
    is_main     boolean not null default false,
    start_date  date not null default current_date,
    primary key (account_id, position_id)
);
create unique index account_position_one_main on crm.account_position (account_id) where is_main;
create index account_position_position on crm.account_position (position_id);

-- ---------------------------------------------------------------------------------------------
-- Roles and permissions
-- ---------------------------------------------------------------------------------------------

create table crm.permission (
    code        text primary key,
    parent_code text references crm.permission,
    name_zh     text not null,
    name_en     text not null,
    sort_order  integer not null default 0
);

create table crm.role (
    id              bigint generated always as identity primary key,
    name            text not null,
    organization_id bigint references crm.organization on delete restrict,
    builtin         text unique check (builtin in ('admin', 'user')),
    notes           text not null default '',
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint role_name_required check (btrim(name) <> '')
);
create unique index role_name_unique on crm.role (coalesce(organization_id, 0), name);

create table crm.role_permission (
    role_id         bigint not null references crm.role on delete cascade,
    permission_code text not null references crm.permission on delete cascade,
    primary key (role_id, permission_code)
);

create table crm.account_role (
    account_id bigint not null references crm.account on delete cascade,
    role_id    bigint not null references crm.role on delete cascade,
    primary key (account_id, role_id)
);
create index account_role_role on crm.account_role (role_id);

-- ---------------------------------------------------------------------------------------------
-- Security-definer helpers (policies call them wrapped as (select ...))
-- ---------------------------------------------------------------------------------------------

-- session_user, not current_user: inside definer functions current_user is the owner, and no
-- account can change its session user.
create function crm.current_account() returns bigint
language sql stable security definer set search_path = pg_catalog as $$
    select id from crm.account where login = session_user and deleted_at is null
$$;

create function crm.is_superuser_session() returns boolean
language sql stable security definer set search_path = pg_catalog as $$
    select coalesce((select rolsuper from pg_roles where rolname = session_user), false)
$$;

-- Granting a node grants everything under it; system.admin grants everything.
create function crm.has_permission(p_code text) returns boolean
language sql stable security definer set search_path = pg_catalog as $$
    select crm.is_superuser_session() or exists (
        select from crm.account_role ar
        join crm.role_permission rp on rp.role_id = ar.role_id
        where ar.account_id = crm.current_account()
          and (rp.permission_code in (p_code, 'system.admin') or p_code like rp.permission_code || '.%'))
$$;

create function crm.my_permissions() returns setof text
language sql stable security definer set search_path = pg_catalog as $$
    select p.code from crm.permission p where crm.has_permission(p.code)
$$;

-- Refuses a whole statement unless the caller holds the permission named in the trigger argument:
-- a denied UPDATE or DELETE is an error, not a silent "0 rows".
create function crm.require_permission() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if not crm.has_permission(tg_argv[0]) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = tg_argv[0], constraint = 'permission_denied';
    end if;
    return null;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Account ⇄ login role synchronisation (runs as crm_definer, which holds CREATEROLE)
-- ---------------------------------------------------------------------------------------------

create function crm.account_may_log_in(a crm.account) returns boolean
language sql immutable set search_path = pg_catalog as $$
    select a.status = 'active' and not a.locked and a.deleted_at is null
$$;

create function crm.account_sync_role() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    login_clause text := case when crm.account_may_log_in(new) then 'login' else 'nologin' end;
    valid_clause text := case when new.valid_until is null then 'infinity'
                              else (new.valid_until + 1)::timestamp::text end;
begin
    if tg_op = 'INSERT' then
        if exists (select from pg_roles where rolname = new.login) then
            raise exception using errcode = 'unique_violation', message = 'account_login_unique',
                                  constraint = 'account_login_unique';
        end if;
        execute format('create role %I %s valid until %L in role crm_user', new.login, login_clause, valid_clause);
        insert into crm.employee (account_id, name, gender, number) values (new.id, new.name, new.gender, new.number);
        return null;
    end if;
    if new.login <> old.login then
        if exists (select from pg_roles where rolname = new.login) then
            raise exception using errcode = 'unique_violation', message = 'account_login_unique',
                                  constraint = 'account_login_unique';
        end if;
        execute format('alter role %I rename to %I', old.login, new.login);
    end if;
    execute format('alter role %I %s valid until %L', new.login, login_clause, valid_clause);
    if not crm.account_may_log_in(new) then
        perform pg_terminate_backend(pid) from pg_stat_activity where usename = new.login;
    end if;
    return null;
end
$$;

create function crm.account_forbid_delete() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    raise exception using errcode = 'restrict_violation', message = 'account_delete_is_soft',
                          constraint = 'account_delete_is_soft';
end
$$;

create function crm.account_position_check() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    -- a manager position is the department head: only one holder at a time
    if exists (select from crm.position p where p.id = new.position_id and p.is_manager)
       and exists (select from crm.account_position ap join crm.account a on a.id = ap.account_id
                   where ap.position_id = new.position_id and ap.account_id <> new.account_id
                     and a.deleted_at is null) then
        raise exception using errcode = 'unique_violation', message = 'position_manager_taken',
                              constraint = 'position_manager_taken';
    end if;
    return new;
end
$$;

create function crm.role_organization_check() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    role_org bigint;
begin
    select organization_id into role_org from crm.role where id = new.role_id;
    if role_org is not null and not exists (
        select from crm.account_position ap join crm.position p on p.id = ap.position_id
        join crm.department d on d.id = p.department_id
        where ap.account_id = new.account_id and d.organization_id = role_org) then
        raise exception using errcode = 'check_violation', message = 'role_other_organization',
                              constraint = 'role_other_organization';
    end if;
    return new;
end
$$;

-- Accounts are never deleted (已删除人员 keeps them restorable) and never lose their last main
-- position silently; built-in roles stay.
create function crm.role_forbid_builtin_delete() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if old.builtin is not null then
        raise exception using errcode = 'restrict_violation', message = 'role_builtin_kept',
                              constraint = 'role_builtin_kept';
    end if;
    return old;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------------------------

create trigger organization_require_permission before insert or update or delete on crm.organization
    for each statement execute function crm.require_permission('system.org.manage');
create trigger department_require_permission before insert or update or delete on crm.department
    for each statement execute function crm.require_permission('system.org.manage');
create trigger position_require_permission before insert or update or delete on crm.position
    for each statement execute function crm.require_permission('system.org.manage');
create trigger account_require_permission before insert or update on crm.account
    for each statement execute function crm.require_permission('system.account.manage');
create trigger account_no_delete before delete on crm.account
    for each row execute function crm.account_forbid_delete();
create trigger employee_require_permission before insert or update or delete on crm.employee
    for each statement execute function crm.require_permission('system.account.manage');
create trigger account_position_require_permission before insert or update or delete on crm.account_position
    for each statement execute function crm.require_permission('system.account.manage');
create trigger role_require_permission before insert or update or delete on crm.role
    for each statement execute function crm.require_permission('system.role.manage');
create trigger role_permission_require_permission before insert or update or delete on crm.role_permission
    for each statement execute function crm.require_permission('system.role.manage');
create trigger account_role_require_permission before insert or update or delete on crm.account_role
    for each statement execute function crm.require_permission('system.role.manage');
create trigger permission_catalogue_fixed before insert or update or delete on crm.permission
    for each statement execute function crm.require_permission('system.schema');

create trigger account_sync_role after insert or update of login, status, locked, valid_until, deleted_at
    on crm.account for each row execute function crm.account_sync_role();
create trigger account_position_check before insert or update on crm.account_position
    for each row execute function crm.account_position_check();
create trigger account_role_organization_check before insert or update on crm.account_role
    for each row execute function crm.role_organization_check();
create trigger role_builtin_kept before delete on crm.role
    for each row execute function crm.role_forbid_builtin_delete();

do $$
declare
    t text;
begin
    foreach t in array array['organization', 'department', 'position', 'account', 'employee', 'role'] loop
        execute format('create trigger %1$s_version before update on crm.%1$I
                        for each row execute function crm.bump_version()', t);
    end loop;
    foreach t in array array['organization', 'department', 'position', 'account', 'employee',
                             'account_position', 'role', 'role_permission', 'account_role'] loop
        execute format('create trigger %1$s_audit after insert or update or delete on crm.%1$I
                        for each row execute function crm.audit_row()', t);
        execute format('create trigger %1$s_notify after insert or update or delete on crm.%1$I
                        for each row execute function crm.notify_change()', t);
    end loop;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Row-level security: enabled and forced everywhere
-- ---------------------------------------------------------------------------------------------

do $$
declare
    t text;
begin
    foreach t in array array['audit_log', 'organization', 'department', 'department_closure', 'position',
                             'account', 'employee', 'account_position', 'permission', 'role',
                             'role_permission', 'account_role'] loop
        execute format('alter table crm.%I enable row level security', t);
        execute format('alter table crm.%I force row level security', t);
    end loop;
end
$$;

-- The organisation chart is the company directory: every account reads it.
create policy "every account reads organisations" on crm.organization for select to crm_user using (true);
create policy "org managers add organisations" on crm.organization for insert to crm_user
    with check ((select crm.has_permission('system.org.manage')));
create policy "org managers change organisations" on crm.organization for update to crm_user
    using ((select crm.has_permission('system.org.manage')));
create policy "org managers remove organisations" on crm.organization for delete to crm_user
    using ((select crm.has_permission('system.org.manage')));

create policy "every account reads departments" on crm.department for select to crm_user using (true);
create policy "org managers add departments" on crm.department for insert to crm_user
    with check ((select crm.has_permission('system.org.manage')));
create policy "org managers change departments" on crm.department for update to crm_user
    using ((select crm.has_permission('system.org.manage')));
create policy "org managers remove departments" on crm.department for delete to crm_user
    using ((select crm.has_permission('system.org.manage')));

create policy "every account reads the department tree" on crm.department_closure for select to crm_user
    using (true);

create policy "every account reads positions" on crm.position for select to crm_user using (true);
create policy "org managers add positions" on crm.position for insert to crm_user
    with check ((select crm.has_permission('system.org.manage')));
create policy "org managers change positions" on crm.position for update to crm_user
    using ((select crm.has_permission('system.org.manage')));
create policy "org managers remove positions" on crm.position for delete to crm_user
    using ((select crm.has_permission('system.org.manage')));

create policy "every account reads the staff directory" on crm.account for select to crm_user using (true);
create policy "account managers add accounts" on crm.account for insert to crm_user
    with check ((select crm.has_permission('system.account.manage')));
create policy "account managers change accounts" on crm.account for update to crm_user
    using ((select crm.has_permission('system.account.manage')));

create policy "employees read their own record, account managers all" on crm.employee for select to crm_user
    using (account_id = (select crm.current_account()) or (select crm.has_permission('system.account.manage')));
create policy "account managers change employee records" on crm.employee for update to crm_user
    using ((select crm.has_permission('system.account.manage')));

create policy "every account reads position assignments" on crm.account_position for select to crm_user
    using (true);
create policy "account managers assign positions" on crm.account_position for insert to crm_user
    with check ((select crm.has_permission('system.account.manage')));
create policy "account managers change position assignments" on crm.account_position for update to crm_user
    using ((select crm.has_permission('system.account.manage')));
create policy "account managers remove position assignments" on crm.account_position for delete to crm_user
    using ((select crm.has_permission('system.account.manage')));

create policy "every account reads the permission catalogue" on crm.permission for select to crm_user
    using (true);

create policy "every account reads roles" on crm.role for select to crm_user using (true);
create policy "role managers add roles" on crm.role for insert to crm_user
    with check ((select crm.has_permission('system.role.manage')));
create policy "role managers change roles" on crm.role for update to crm_user
    using ((select crm.has_permission('system.role.manage')));
create policy "role managers remove roles" on crm.role for delete to crm_user
    using ((select crm.has_permission('system.role.manage')));

create policy "every account reads role permissions" on crm.role_permission for select to crm_user
    using (true);
create policy "role managers grant permissions" on crm.role_permission for insert to crm_user
    with check ((select crm.has_permission('system.role.manage')));
create policy "role managers revoke permissions" on crm.role_permission for delete to crm_user
    using ((select crm.has_permission('system.role.manage')));

create policy "accounts read their own roles, role managers all" on crm.account_role for select to crm_user
    using (account_id = (select crm.current_account()) or (select crm.has_permission('system.role.manage')));
create policy "role managers give roles" on crm.account_role for insert to crm_user
    with check ((select crm.has_permission('system.role.manage')));
create policy "role managers take roles" on crm.account_role for delete to crm_user
    using ((select crm.has_permission('system.role.manage')));

create policy "auditors read the audit log" on crm.audit_log for select to crm_user
    using ((select crm.has_permission('system.audit')));

-- ---------------------------------------------------------------------------------------------
-- Table grants (RLS decides the rows; TRUNCATE, REFERENCES and TRIGGER are never granted)
-- ---------------------------------------------------------------------------------------------

grant select, insert, update, delete on crm.organization, crm.department, crm.position,
    crm.account_position, crm.role to crm_user;
grant select, insert, update on crm.account to crm_user;
grant select, update on crm.employee to crm_user;
grant select, insert, delete on crm.role_permission, crm.account_role to crm_user;
grant select on crm.department_closure, crm.permission, crm.audit_log to crm_user;

-- ---------------------------------------------------------------------------------------------
-- Callable functions
-- ---------------------------------------------------------------------------------------------

-- Passwords arrive as SCRAM verifiers computed by the client: cleartext never reaches the server.
create function crm.set_account_password(p_account bigint, p_verifier text) returns void
language plpgsql security definer set search_path = pg_catalog as $$
declare
    target text;
begin
    if p_account is distinct from crm.current_account() and not crm.has_permission('system.account.manage') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'system.account.manage', constraint = 'permission_denied';
    end if;
    if p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' then
        raise exception using errcode = 'invalid_parameter_value', message = 'password_not_a_verifier',
                              constraint = 'password_not_a_verifier';
    end if;
    select login into target from crm.account where id = p_account and deleted_at is null;
    if target is null then
        raise exception using errcode = 'no_data_found', message = 'account_not_found',
                              constraint = 'account_not_found';
    end if;
    execute format('alter role %I password %L', target, p_verifier);
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values ('account', p_account::text, 'update', '{"password": "changed"}');
end
$$;
grant execute on function crm.set_account_password(bigint, text) to crm_user;

grant execute on function crm.current_account(), crm.has_permission(text), crm.my_permissions()
    to crm_user;

-- Why a login was refused; the only thing the public probe role may do.  The same facts
-- (can log in, valid until) are in pg_roles for any logged-in role, so little is disclosed.
create function crm.login_refusal(p_login text) returns text
language sql stable security definer set search_path = pg_catalog as $$
    select case
        when a.id is null then null
        when a.deleted_at is not null then 'deleted'
        when a.locked then 'locked'
        when a.status <> 'active' then a.status
        when a.valid_until < current_date then 'expired'
        when a.ukey then 'ukey'
    end
    from (select 1) one left join crm.account a on a.login = p_login
$$;
grant execute on function crm.login_refusal(text) to crm_login_probe;

-- ---------------------------------------------------------------------------------------------
-- The permission catalogue: every module of the specification, so later modules only add checks
-- ---------------------------------------------------------------------------------------------

insert into crm.permission (code, parent_code, name_zh, name_en, sort_order) values
    ('system',                   null,        '系统管理',           'System',                        10),
    ('system.admin',             'system',    '系统管理员（全部权限）', 'Administrator (everything)',    11),
    ('system.org',               'system',    '组织架构',           'Organisation',                  12),
    ('system.org.manage',        'system.org', '机构、部门、职位维护', 'Maintain organisations, departments, positions', 13),
    ('system.account',           'system',    '人员帐号',           'Accounts',                      14),
    ('system.account.manage',    'system.account', '帐号维护',       'Maintain accounts',             15),
    ('system.account.export',    'system.account', '帐号导出',       'Export accounts',               16),
    ('system.account.ukey',      'system.account', 'UKey 绑定',      'Bind UKeys',                    17),
    ('system.role',              'system',    '权限角色',           'Roles',                         18),
    ('system.role.manage',       'system.role', '角色维护与授权',    'Maintain roles and permissions', 19),
    ('system.audit',             'system',    '审计日志',           'Audit log',                     20),
    ('system.schema',            'system',    '数据库结构',         'Database schema',               21),
    ('customer',                 null,        '客户档案',           'Customers',                     100),
    ('customer.settings',        'customer',  '客户档案基础信息设置', 'Customer base settings',       101),
    ('customer.permission',      'customer',  '客户档案权限分配',    'Customer permissions',          102),
    ('customer.create',          'customer',  '新增客户',           'Add customers',                 103),
    ('customer.edit',            'customer',  '修改客户',           'Edit customers',                104),
    ('customer.delete',          'customer',  '删除客户',           'Delete customers',              105),
    ('customer.import',          'customer',  '批量导入客户',        'Import customers',              106),
    ('customer.export',          'customer',  '导出客户',           'Export customers',              107),
    ('customer.share',           'customer',  '客户共享',           'Share customers',               108),
    ('customer.assign',          'customer',  '客户分派',           'Assign customers',              109),
    ('contact',                  null,        '联系管理',           'Contact management',            200),
    ('contact.person',           'contact',   '联系人',             'Contact persons',               201),
    ('contact.plan',             'contact',   '联系计划',           'Contact plans',                 202),
    ('contact.record',           'contact',   '联系记录',           'Contact records',               203),
    ('sales',                    null,        '销售管理',           'Sales',                         300),
    ('sales.opportunity',        'sales',     '销售机会',           'Opportunities',                 301),
    ('sales.quote',              'sales',     '报价单',             'Quotes',                        302),
    ('sales.quote.approve',      'sales.quote', '报价单审核',        'Approve quotes',                303),
    ('sales.quote.convert',      'sales.quote', '报价单转销售订单',   'Convert quotes to orders',      304),
    ('sales.analysis',           'sales',     '销售分析',           'Sales analysis',                305),
    ('product',                  null,        '产品信息',           'Products',                      400),
    ('product.settings',         'product',   '产品基础信息设置',    'Product base settings',         401),
    ('product.manage',           'product',   '产品维护',           'Maintain products',             402),
    ('product.import',           'product',   '产品批量导入',        'Import products',               403),
    ('product.export',           'product',   '产品导出',           'Export products',               404),
    ('contract',                 null,        '合同订单',           'Contracts and orders',          500),
    ('contract.manage',          'contract',  '合同管理',           'Contracts',                     501),
    ('contract.approve',         'contract',  '合同审核',           'Approve contracts',             502),
    ('contract.order',           'contract',  '销售订单',           'Sales orders',                  503),
    ('contract.order.approve',   'contract.order', '订单审核',       'Approve orders',                504),
    ('finance',                  null,        '财务管理',           'Finance',                       600),
    ('finance.bill',             'finance',   '应收应付帐单',        'Receivables and payables',      601),
    ('finance.settle',           'finance',   '结算',               'Settle bills',                  602),
    ('finance.bad_debt',         'finance',   '坏账',               'Write off bad debt',            603),
    ('finance.bad_debt.approve', 'finance.bad_debt', '坏账审批',     'Approve bad debt',              604),
    ('finance.statement',        'finance',   '客户账务',           'Customer statements',           605),
    ('finance.bank_account',     'finance',   '单位账户',           'Bank accounts',                 606),
    ('finance.transfer',         'finance',   '转账',               'Transfers',                     607),
    ('finance.month_close',      'finance',   '月结',               'Month-end close',               608),
    ('service',                  null,        '客服跟踪',           'Customer service',              700),
    ('service.ticket',           'service',   '服务支持',           'Service tickets',               701),
    ('service.complaint',        'service',   '客户投诉',           'Complaints',                    702),
    ('service.repair',           'service',   '维修维护',           'Repair orders',                 703),
    ('service.care',             'service',   '客户关怀',           'Care plans',                    704),
    ('service.survey',           'service',   '客户调查',           'Surveys',                       705),
    ('approval',                 null,        '审批流程',           'Approval flows',                800),
    ('approval.flow',            'approval',  '审批流程设置',        'Configure approval flows',      801),
    ('reminder',                 null,        '提醒',               'Reminders',                     900),
    ('reminder.agent',           'reminder',  '邮件短信提醒设置',    'E-mail and SMS reminders',      901);

-- the two default roles of step 5
insert into crm.role (name, builtin, notes) values
    ('系统管理员', 'admin', '拥有全部权限'),
    ('普通用户', 'user', '日常业务权限');
insert into crm.role_permission (role_id, permission_code)
select id, 'system.admin' from crm.role where builtin = 'admin';
insert into crm.role_permission (role_id, permission_code)
select r.id, p.code from crm.role r, crm.permission p
where r.builtin = 'user'
  and p.code in ('customer.create', 'customer.edit', 'customer.share', 'customer.export',
                 'contact', 'sales.opportunity', 'sales.quote', 'contract.order',
                 'service.ticket', 'service.complaint');

call crm_meta.finish_migration();
