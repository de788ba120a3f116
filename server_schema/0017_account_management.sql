-- Account management cannot lift anyone above the manager, and a UKey account cannot drop its card.
-- depends: 0013_pg_temp_last
--
-- 1. A UKey account's password is the card-derived one, but PostgreSQL lets every role run
--    `alter role itself password 'x'`; from then on the plain password logged in without the card.
--    Binding now registers the SCRAM verifier it set (crm.ukey_verifier, read only by definer
--    functions) and crm.current_account() — the identity every policy and permission check uses —
--    is NULL for a UKey account whose verifier in pg_authid is no longer the registered one: such a
--    session sees nothing and may do nothing.  pg_authid is readable by superusers only, so a tiny
--    definer function owned by the migrating superuser (crm_meta.session_password_verifier, no
--    argument: it reads session_user's verifier only) is the one way in; a server migrated by a
--    non-superuser cannot check and refuses to bind UKeys (ukey_unenforceable).  On PostgreSQL 17
--    and newer a login event trigger also refuses the connection itself.
-- 2. No one may change an account that holds a permission they do not hold (password, lock,
--    status, expiry, login, deletion, UKey, positions, roles), grant a role or a permission they do
--    not hold, or change positions and the chart so that someone leads a department the granter
--    does not lead (or so that the granter itself sees departments it did not see).  Superuser
--    sessions and administrators (system.admin, through the permission tree) are not limited.
--
-- Order (basejump): tables, helpers, trigger functions and triggers, callable functions each
-- followed by its grant, the superuser-only part last.

-- ---------------------------------------------------------------------------------------------
-- Tables (no policy: only definer functions read them; crm_definer bypasses RLS)
-- ---------------------------------------------------------------------------------------------

create table crm.ukey_verifier (
    account_id    bigint primary key references crm.account on delete cascade,
    verifier      text not null,
    registered_at timestamptz not null default now()
);
alter table crm.ukey_verifier enable row level security;
alter table crm.ukey_verifier force row level security;

-- What the position chart gave each account when it was last changed: the departments it leads
-- (through manager positions) and the departments whose public customers it sees.  The next change
-- is compared with it, so "more than before" is known without re-deriving the old chart.
create table crm.chart_reach_checked (
    account_id            bigint primary key references crm.account on delete cascade,
    lead_department_ids   bigint[] not null,
    public_department_ids bigint[] not null
);
alter table crm.chart_reach_checked enable row level security;
alter table crm.chart_reach_checked force row level security;

-- Departments created after the last check are new: leading an empty new department is no gain.
create table crm.chart_reach_state (
    singleton          boolean primary key default true check (singleton),
    last_department_id bigint not null
);
alter table crm.chart_reach_state enable row level security;
alter table crm.chart_reach_state force row level security;

grant usage on schema crm_meta to crm_definer;

-- ---------------------------------------------------------------------------------------------
-- UKey: the verifier check behind crm.current_account()
-- ---------------------------------------------------------------------------------------------

-- True when crm_meta.session_password_verifier exists and belongs to a superuser (so it can read
-- pg_authid); the bind dialog asks before offering to bind.
-- PL/pgSQL throughout: a definer SQL function is planned again on every call, and these run inside
-- every identity lookup of a UKey account (benchmarks/ukey_identity_bench.py).
create function crm.ukey_logins_enforceable() returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
    return coalesce((select r.rolsuper from pg_catalog.pg_proc p join pg_catalog.pg_roles r on r.oid = p.proowner
                      where p.oid = pg_catalog.to_regprocedure('crm_meta.session_password_verifier()')), false);
end
$$;
grant execute on function crm.ukey_logins_enforceable() to crm_user;

-- 0008's lookup plus the UKey condition: a bound account whose password is not the one its card
-- produced is nobody.  PL/pgSQL now (its plan is kept for the session; the SQL version was planned
-- on each of the several calls every statement makes).
create or replace function crm.current_account() returns bigint
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
    me    bigint;
    bound boolean;
begin
    select a.id, a.ukey into me, bound from crm.account a
     where a.login = session_user collate "default" and a.deleted_at is null;
    if bound is not true then  -- no account (NULL) or no UKey
        return me;
    end if;
    -- inline rather than through a helper: each definer call with its own search
    -- path costs ~10 µs, and this runs several times per statement
    if not coalesce((select r.rolsuper from pg_catalog.pg_proc p join pg_catalog.pg_roles r on r.oid = p.proowner
                      where p.oid = pg_catalog.to_regprocedure('crm_meta.session_password_verifier()')), false) then
        return null;
    end if;
    return (select me from crm.ukey_verifier v
             where v.account_id = me and v.verifier = crm_meta.session_password_verifier());
end
$$;

-- 0008's two customer helpers looked the login up themselves, past the UKey check; they now go
-- through the identity.  Word for word the definitions of main's 0014_visibility_and_authorship
-- (tree-aware administrator, no role no rows), so either order of the two migrations ends the same.
create or replace function crm.sees_all_customers() returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
    return crm.has_permission('system.admin');
end
$$;

-- The current account if it has a role (an account with no role sees nothing).
create or replace function crm.customer_viewer() returns bigint
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
    v bigint := crm.current_account();
begin
    if v is not null and exists (select from crm.account_role ar where ar.account_id = v) then
        return v;
    end if;
    return null;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Account management: the manager must hold everything the account holds
-- ---------------------------------------------------------------------------------------------

-- Every permission the account's roles grant is one the caller has (crm.has_permission is
-- tree-aware: a role holding `system` needs a caller holding `system` or system.admin).  Itself it
-- may always manage; about others it answers only to those who manage accounts, UKeys or roles
-- (who else holds roles is theirs to know), and "no" to everyone else.
create function crm.may_manage_account(p_account bigint) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select crm.is_superuser_session() or coalesce(p_account = crm.current_account(), false) or (
        (crm.has_permission('system.account.manage') or crm.has_permission('system.account.ukey')
         or crm.has_permission('system.role.manage'))
        and not exists (
            select from crm.account_role ar join crm.role_permission rp on rp.role_id = ar.role_id
             where ar.account_id = p_account and not crm.has_permission(rp.permission_code)))
$$;
grant execute on function crm.may_manage_account(bigint) to crm_user;

create function crm.require_manageable_account(p_account bigint) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
    if not crm.may_manage_account(p_account) then
        raise exception using errcode = 'insufficient_privilege', message = 'account_holds_more_permissions',
                              detail = (select login from crm.account where id = p_account),
                              constraint = 'account_holds_more_permissions';
    end if;
end
$$;

-- The caller holds every permission of the role (before giving it to anyone, itself included).
create function crm.require_grantable_role(p_role bigint) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
    missing text;
begin
    select rp.permission_code into missing from crm.role_permission rp
     where rp.role_id = p_role and not crm.has_permission(rp.permission_code)
     order by rp.permission_code limit 1;
    if missing is not null then
        raise exception using errcode = 'insufficient_privilege', message = 'grant_exceeds_own_permissions',
                              detail = missing, constraint = 'grant_exceeds_own_permissions';
    end if;
end
$$;

create function crm.account_guard_manager() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    perform crm.require_manageable_account(old.id);
    return new;
end
$$;
create trigger account_editor_holds_its_permissions before update on crm.account
    for each row execute function crm.account_guard_manager();

create function crm.account_role_guard_grant() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform crm.require_manageable_account(old.account_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform crm.require_manageable_account(new.account_id);
        perform crm.require_grantable_role(new.role_id);
    end if;
    return coalesce(new, old);
end
$$;
create trigger account_role_grants_no_more before insert or update or delete on crm.account_role
    for each row execute function crm.account_role_guard_grant();

-- A role's permissions change for all its holders at once: only what the caller holds, and only
-- for roles whose holders the caller may manage.
create function crm.role_permission_guard_grant() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    changed crm.role_permission := coalesce(new, old);
    holder bigint;
begin
    if not crm.has_permission(changed.permission_code) then
        raise exception using errcode = 'insufficient_privilege', message = 'grant_exceeds_own_permissions',
                              detail = changed.permission_code, constraint = 'grant_exceeds_own_permissions';
    end if;
    for holder in select account_id from crm.account_role where role_id = changed.role_id loop
        perform crm.require_manageable_account(holder);
    end loop;
    return changed;
end
$$;
create trigger role_permission_grants_no_more before insert or update or delete on crm.role_permission
    for each row execute function crm.role_permission_guard_grant();

create function crm.account_position_guard_manager() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform crm.require_manageable_account(old.account_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform crm.require_manageable_account(new.account_id);
    end if;
    return coalesce(new, old);
end
$$;
create trigger account_position_editor_holds_its_permissions
    before insert or update or delete on crm.account_position
    for each row execute function crm.account_position_guard_manager();

-- ---------------------------------------------------------------------------------------------
-- Positions and the chart: nobody comes to lead a department the granter does not lead
-- ---------------------------------------------------------------------------------------------

-- From the chart as it is now (crm.position_reach is rebuilt by 0003a's statement triggers, which
-- fire before the checks below: same events, earlier trigger names).
create function crm.chart_reach_now() returns table (account_id bigint, lead_department_ids bigint[],
                                                     public_department_ids bigint[])
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select ap.account_id,
           coalesce(array_agg(distinct r.department_id) filter (where p.is_manager), '{}'),
           array_agg(distinct r.department_id)
      from crm.account_position ap
      join crm.position p on p.id = ap.position_id
      join crm.position_reach r on r.position_id = ap.position_id
     group by ap.account_id
$$;

create function crm.check_chart_reach() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    granter  bigint := crm.current_account();
    newest   bigint;
    led      bigint[];
    offender text;
begin
    lock table crm.chart_reach_checked, crm.chart_reach_state in exclusive mode;
    if not (crm.is_superuser_session() or crm.has_permission('system.admin')) then
        select last_department_id into newest from crm.chart_reach_state;
        led := coalesce((select lead_department_ids from crm.chart_reach_checked where account_id = granter), '{}');
        select a.login into offender
          from crm.chart_reach_now() n
          join crm.account a on a.id = n.account_id
          left join crm.chart_reach_checked o on o.account_id = n.account_id
         where exists (select from unnest(n.lead_department_ids) d
                        where d <= newest and d <> all (coalesce(o.lead_department_ids, '{}')) and d <> all (led))
            or (n.account_id = granter
                and exists (select from unnest(n.public_department_ids) d
                             where d <= newest and d <> all (coalesce(o.public_department_ids, '{}'))))
         order by a.login limit 1;
        if offender is not null then
            raise exception using errcode = 'insufficient_privilege', message = 'position_exceeds_own_reach',
                                  detail = offender, constraint = 'position_exceeds_own_reach';
        end if;
    end if;
    delete from crm.chart_reach_checked;
    insert into crm.chart_reach_checked select * from crm.chart_reach_now();
    update crm.chart_reach_state set last_department_id = coalesce((select max(id) from crm.department), 0);
    return null;
end
$$;

-- Named to sort after position_refresh_chart, department_closure_refresh_chart and
-- account_position_refresh_reach: statement triggers of one event fire in name order.
create trigger position_yields_no_more_reach after insert or update of department_id, superior_id, is_manager
    or delete on crm.position for each statement execute function crm.check_chart_reach();
create trigger department_closure_yields_no_more_reach after insert or update or delete on crm.department_closure
    for each statement execute function crm.check_chart_reach();
create trigger account_position_yields_no_more_reach after insert or update or delete on crm.account_position
    for each statement execute function crm.check_chart_reach();

insert into crm.chart_reach_checked select * from crm.chart_reach_now();
insert into crm.chart_reach_state (last_department_id) values (coalesce((select max(id) from crm.department), 0));

-- ---------------------------------------------------------------------------------------------
-- Callable functions (0005's, with the manager rule and the verifier registration)
-- ---------------------------------------------------------------------------------------------

create or replace function crm.set_account_password(p_account bigint, p_verifier text) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    target text;
    bound  boolean;
begin
    if p_account is distinct from crm.current_account() and not crm.has_permission('system.account.manage') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'system.account.manage', constraint = 'permission_denied';
    end if;
    perform crm.require_verifier(p_verifier);
    select login, ukey into target, bound from crm.account where id = p_account and deleted_at is null;
    if target is null then
        raise exception using errcode = 'no_data_found', message = 'account_not_found',
                              constraint = 'account_not_found';
    end if;
    perform crm.require_manageable_account(p_account);
    if bound then
        raise exception using errcode = 'insufficient_privilege', message = 'account_ukey_password_needs_key',
                              constraint = 'account_ukey_password_needs_key';
    end if;
    execute format('alter role %I password %L', target, p_verifier);
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values ('account', p_account::text, 'update', '{"password": "changed"}');
end
$$;

-- Binding registers the verifier it sets (unbinding forgets it); both need a manageable account,
-- and binding needs a server that can check the verifier later.
create or replace function crm.write_ukey_binding(p_account bigint, p_card_id text, p_verifier text) returns text
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
    target text;
begin
    select login into target from crm.account where id = p_account and deleted_at is null for update;
    if target is null then
        raise exception using errcode = 'no_data_found', message = 'account_not_found',
                              constraint = 'account_not_found';
    end if;
    perform crm.require_manageable_account(p_account);
    if p_card_id is not null and not crm.ukey_logins_enforceable() then
        raise exception using errcode = 'feature_not_supported', message = 'ukey_unenforceable',
                              constraint = 'ukey_unenforceable';
    end if;
    perform set_config('crm.ukey_binding', 'on', true);
    update crm.account set ukey = p_card_id is not null, ukey_card_id = p_card_id where id = p_account;
    perform set_config('crm.ukey_binding', '', true);
    execute format('alter role %I password %L', target, p_verifier);
    if p_card_id is null then
        delete from crm.ukey_verifier where account_id = p_account;
    else
        insert into crm.ukey_verifier (account_id, verifier) values (p_account, p_verifier)
        on conflict (account_id) do update set verifier = excluded.verifier, registered_at = now();
    end if;
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values ('account', p_account::text, 'update', '{"password": "changed"}');
    return target;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Superuser only: the verifier reader, the verifiers of accounts bound before this migration, and
-- (PostgreSQL 17+) the login trigger.  Owned by the migrating superuser (crm_meta is not handed to
-- crm_definer by finish_migration), executable by crm_definer alone.
-- ---------------------------------------------------------------------------------------------

do $superuser$
begin
    if not coalesce((select rolsuper from pg_catalog.pg_roles where rolname = current_user), false) then
        raise notice 'not migrated by a superuser: UKey logins cannot be enforced and binding UKeys is refused';
        return;
    end if;
    execute $fn$
        create or replace function crm_meta.session_password_verifier() returns text
        language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $body$
        begin
            return (select rolpassword from pg_catalog.pg_authid where rolname = session_user);
        end
        $body$
    $fn$;
    revoke all on function crm_meta.session_password_verifier() from public;
    grant execute on function crm_meta.session_password_verifier() to crm_definer;

    -- accounts bound before: their password now is the only one known to be the card's
    insert into crm.ukey_verifier (account_id, verifier)
    select a.id, r.rolpassword from crm.account a join pg_catalog.pg_authid r on r.rolname = a.login
     where a.ukey and r.rolpassword is not null
    on conflict (account_id) do nothing;

    if current_setting('server_version_num')::int < 170000 then
        return;
    end if;
    -- Refuses only a UKey-bound role whose verifier is not the registered one.  Superusers and
    -- other roles always get through, and an error inside is caught: then only a role that is
    -- plainly a UKey account is refused, and if even that cannot be read the connection goes on
    -- (crm.current_account() still answers NULL for it), so a bug here never locks the office out.
    execute $fn$
        create or replace function crm_meta.refuse_ukey_login_without_key() returns event_trigger
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $body$
        declare
            refuse boolean := false;
        begin
            begin
                if not exists (select from pg_catalog.pg_roles where rolname = session_user and rolsuper) then
                    select true into refuse
                      from crm.account a
                      join pg_catalog.pg_authid r on r.rolname = a.login
                     where a.login = session_user collate "default" and a.ukey and a.deleted_at is null
                       and not exists (select from crm.ukey_verifier v
                                        where v.account_id = a.id and v.verifier = r.rolpassword);
                end if;
            exception when others then
                -- the full check failed: refuse this role only if it is plainly a UKey account
                begin
                    refuse := exists (select from crm.account a
                                       where a.login = session_user collate "default" and a.ukey);
                exception when others then
                    refuse := false;
                end;
            end;
            if coalesce(refuse, false) then
                raise exception using errcode = 'invalid_authorization_specification',
                                      message = 'account_ukey_required',
                                      detail = 'this account logs in only with its UKey';
            end if;
        end
        $body$
    $fn$;
    revoke all on function crm_meta.refuse_ukey_login_without_key() from public;
    if not exists (select from pg_catalog.pg_event_trigger where evtname = 'crm_ukey_login') then
        execute 'create event trigger crm_ukey_login on login
                 execute function crm_meta.refuse_ukey_login_without_key()';
    end if;
end
$superuser$;

call crm_meta.finish_migration();
