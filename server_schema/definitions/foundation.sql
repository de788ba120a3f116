-- foundation: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.account_forbid_delete()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    raise exception using errcode = 'restrict_violation', message = 'account_delete_is_soft',
                          constraint = 'account_delete_is_soft';
end
$function$;

CREATE OR REPLACE FUNCTION crm.account_guard_manager()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.require_manageable_account(old.id);
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.account_has_permission(p_account bigint, p_code text)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select exists (
        select from crm.account_role ar
        join crm.role_permission rp on rp.role_id = ar.role_id
        where ar.account_id = p_account
          and (rp.permission_code in (p_code, 'system.admin')
               or starts_with(p_code, rp.permission_code || '.')
               or starts_with('system.admin', rp.permission_code || '.')))
$function$;

CREATE OR REPLACE FUNCTION crm.account_may_log_in(a crm.account)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select a.status = 'active' and not a.locked and a.deleted_at is null
$function$;

CREATE OR REPLACE FUNCTION crm.account_position_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.account_position_guard_manager()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform crm.require_manageable_account(old.account_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform crm.require_manageable_account(new.account_id);
    end if;
    return coalesce(new, old);
end
$function$;

CREATE OR REPLACE FUNCTION crm.account_require_permission()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if crm.inside_ukey_binding() or crm.has_permission('system.account.manage') then
        return null;
    end if;
    raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                          detail = 'system.account.manage', constraint = 'permission_denied';
end
$function$;

CREATE OR REPLACE FUNCTION crm.account_role_guard_grant()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.account_sync_role()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
    -- an account past its 有效期 may no longer log in either (VALID UNTIL refuses new logins only)
    if not crm.account_may_log_in(new) or new.valid_until < current_date then
        perform pg_terminate_backend(pid) from pg_stat_activity where usename = new.login;
    end if;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.audit_log_is_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    raise exception using errcode = 'insufficient_privilege', message = 'audit_log_append_only',
                          constraint = 'audit_log_append_only';
end
$function$;

CREATE OR REPLACE FUNCTION crm.audit_row()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
    new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
    diff    jsonb;
begin
    if tg_op = 'UPDATE' then
        select coalesce(jsonb_object_agg(key, jsonb_build_array(old_row->key, value)), '{}')
          into diff
          from jsonb_each(new_row)
         where old_row->key is distinct from value and key not in ('version', 'updated_at', 'updated_by');
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
$function$;

CREATE OR REPLACE FUNCTION crm.bump_version()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    new.version := old.version + 1;
    new.updated_at := now();
    new.updated_by := crm.current_account();
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.chart_reach_now()
 RETURNS TABLE(account_id bigint, lead_department_ids bigint[], public_department_ids bigint[])
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select ap.account_id,
           coalesce(array_agg(distinct r.department_id) filter (where p.is_manager), '{}'),
           array_agg(distinct r.department_id)
      from crm.account_position ap
      join crm.position p on p.id = ap.position_id
      join crm.position_reach r on r.position_id = ap.position_id
     group by ap.account_id
$function$;

CREATE OR REPLACE FUNCTION crm.check_chart_reach()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.current_account()
 RETURNS bigint
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
grant execute on function crm.current_account() to crm_user;

CREATE OR REPLACE FUNCTION crm.department_check_parent()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.department_maintain_closure()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.has_permission(p_code text)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select crm.is_superuser_session() or crm.account_has_permission(crm.current_account(), p_code)
$function$;
grant execute on function crm.has_permission(text) to crm_user;

CREATE OR REPLACE FUNCTION crm.is_superuser_session()
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select coalesce((select rolsuper from pg_roles where rolname = session_user), false)
$function$;

CREATE OR REPLACE FUNCTION crm.manager_position_one_holder()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if exists (select from crm.position p join crm.account_position ap on ap.position_id = p.id
                where p.is_manager group by p.id having count(*) > 1) then
        raise exception using errcode = 'check_violation', message = 'position_manager_one_holder',
                              constraint = 'position_manager_one_holder';
    end if;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.may_manage_account(p_account bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select crm.is_superuser_session() or coalesce(p_account = crm.current_account(), false) or (
        (crm.has_permission('system.account.manage') or crm.has_permission('system.account.ukey')
         or crm.has_permission('system.role.manage'))
        and not exists (
            select from crm.account_role ar join crm.role_permission rp on rp.role_id = ar.role_id
             where ar.account_id = p_account and not crm.has_permission(rp.permission_code)))
$function$;
grant execute on function crm.may_manage_account(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.my_permissions()
 RETURNS SETOF text
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select p.code from crm.permission p where crm.has_permission(p.code)
$function$;
grant execute on function crm.my_permissions() to crm_user;

CREATE OR REPLACE FUNCTION crm.notify_change()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    r jsonb := to_jsonb(coalesce(new, old));
begin
    perform pg_notify('crm_changes', json_build_object(
        'table', tg_table_name, 'op', lower(tg_op), 'id', r->'id')::text);
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.position_check_superior()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.require_grantable_role(p_role bigint)
 RETURNS void
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.require_manageable_account(p_account bigint)
 RETURNS void
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not crm.may_manage_account(p_account) then
        raise exception using errcode = 'insufficient_privilege', message = 'account_holds_more_permissions',
                              detail = (select login from crm.account where id = p_account),
                              constraint = 'account_holds_more_permissions';
    end if;
end
$function$;

CREATE OR REPLACE FUNCTION crm.require_permission()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if exists (select from unnest(tg_argv) code where crm.has_permission(code)) then
        return null;
    end if;
    raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                          detail = tg_argv[0], constraint = 'permission_denied';
end
$function$;

CREATE OR REPLACE FUNCTION crm.role_forbid_builtin_delete()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if old.builtin is not null then
        raise exception using errcode = 'restrict_violation', message = 'role_builtin_kept',
                              constraint = 'role_builtin_kept';
    end if;
    return old;
end
$function$;

CREATE OR REPLACE FUNCTION crm.role_organization_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.role_permission_guard_grant()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.set_account_password(p_account bigint, p_verifier text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
grant execute on function crm.set_account_password(bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.stamp_new_row()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    me bigint;
begin
    if current_setting('is_superuser') = 'on' then
        return new;
    end if;
    if 'updated_by' = any (tg_argv) or 'created_by' = any (tg_argv) then
        me := crm.current_account();  -- once per row, not once per column
    end if;
    if 'version' = any (tg_argv) then new.version := 1; end if;
    if 'created_at' = any (tg_argv) then new.created_at := now(); end if;
    if 'updated_at' = any (tg_argv) then new.updated_at := now(); end if;
    if 'updated_by' = any (tg_argv) then new.updated_by := me; end if;
    if 'created_by' = any (tg_argv) then new.created_by := me; end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.ukey_logins_enforceable()
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    return coalesce((select r.rolsuper from pg_catalog.pg_proc p join pg_catalog.pg_roles r on r.oid = p.proowner
                      where p.oid = pg_catalog.to_regprocedure('crm_meta.session_password_verifier()')), false);
end
$function$;
grant execute on function crm.ukey_logins_enforceable() to crm_user;

drop policy if exists "account managers add accounts" on crm.account;
create policy "account managers add accounts" on crm.account as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.account.manage'::text) AS has_permission));

drop policy if exists "account managers change accounts" on crm.account;
create policy "account managers change accounts" on crm.account as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.account.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.account;
create policy "accounts without a role see and change nothing" on crm.account as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the staff directory" on crm.account;
create policy "every account reads the staff directory" on crm.account as permissive for select to crm_user
    using (true);

drop policy if exists "account managers assign positions" on crm.account_position;
create policy "account managers assign positions" on crm.account_position as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.account.manage'::text) AS has_permission));

drop policy if exists "account managers change position assignments" on crm.account_position;
create policy "account managers change position assignments" on crm.account_position as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.account.manage'::text) AS has_permission));

drop policy if exists "account managers remove position assignments" on crm.account_position;
create policy "account managers remove position assignments" on crm.account_position as permissive for delete to crm_user
    using (( SELECT crm.has_permission('system.account.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.account_position;
create policy "accounts without a role see and change nothing" on crm.account_position as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads position assignments" on crm.account_position;
create policy "every account reads position assignments" on crm.account_position as permissive for select to crm_user
    using (true);

drop policy if exists "accounts read their own roles, role managers all" on crm.account_role;
create policy "accounts read their own roles, role managers all" on crm.account_role as permissive for select to crm_user
    using (((account_id = ( SELECT crm.current_account() AS current_account)) OR ( SELECT crm.has_permission('system.role.manage'::text) AS has_permission)));

drop policy if exists "accounts without a role see and change nothing" on crm.account_role;
create policy "accounts without a role see and change nothing" on crm.account_role as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "role managers give roles" on crm.account_role;
create policy "role managers give roles" on crm.account_role as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.role.manage'::text) AS has_permission));

drop policy if exists "role managers take roles" on crm.account_role;
create policy "role managers take roles" on crm.account_role as permissive for delete to crm_user
    using (( SELECT crm.has_permission('system.role.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.audit_log;
create policy "accounts without a role see and change nothing" on crm.audit_log as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "auditors read the audit log" on crm.audit_log;
create policy "auditors read the audit log" on crm.audit_log as permissive for select to crm_user
    using (( SELECT crm.has_permission('system.audit'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.chart_reach_checked;
create policy "accounts without a role see and change nothing" on crm.chart_reach_checked as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "accounts without a role see and change nothing" on crm.chart_reach_state;
create policy "accounts without a role see and change nothing" on crm.chart_reach_state as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "accounts without a role see and change nothing" on crm.contact;
create policy "accounts without a role see and change nothing" on crm.contact as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "whoever may change a customer adds its contacts" on crm.contact;
create policy "whoever may change a customer adds its contacts" on crm.contact as permissive for insert to crm_user
    with check ((EXISTS ( SELECT
   FROM crm.customer c
  WHERE ((c.id = contact.customer_id) AND ((c.is_private AND (c.owner_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[]))) OR (c.owner_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR ((NOT c.is_private) AND (c.department_id = ANY (( SELECT crm.public_department_ids() AS public_department_ids)::bigint[]))) OR ((c.department_id IS NULL) AND ( SELECT crm.sees_all_customers() AS sees_all_customers))) AND ((c.owner_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids) IS NULL) OR (c.type_id = ANY (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids)::bigint[])))))));

drop policy if exists "whoever may change a customer changes its contacts" on crm.contact;
create policy "whoever may change a customer changes its contacts" on crm.contact as permissive for update to crm_user
    using (crm.can_see_customer(customer_id))
    with check (crm.can_edit_customer(customer_id));

drop policy if exists "whoever may change a customer removes its contacts" on crm.contact;
create policy "whoever may change a customer removes its contacts" on crm.contact as permissive for delete to crm_user
    using (crm.can_see_customer(customer_id));

drop policy if exists "whoever sees a customer sees its contacts" on crm.contact;
create policy "whoever sees a customer sees its contacts" on crm.contact as permissive for select to crm_user
    using (crm.can_see_customer(customer_id));

drop policy if exists "accounts add customers they may change" on crm.customer;
create policy "accounts add customers they may change" on crm.customer as permissive for insert to crm_user
    with check ((((is_private AND (owner_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[]))) OR (owner_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR ((NOT is_private) AND (department_id = ANY (( SELECT crm.public_department_ids() AS public_department_ids)::bigint[]))) OR ((department_id IS NULL) AND ( SELECT crm.sees_all_customers() AS sees_all_customers))) AND ((owner_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids) IS NULL) OR (type_id = ANY (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids)::bigint[])))));

drop policy if exists "accounts without a role see and change nothing" on crm.customer;
create policy "accounts without a role see and change nothing" on crm.customer as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "owners, leaders and the department change customers" on crm.customer;
create policy "owners, leaders and the department change customers" on crm.customer as permissive for update to crm_user
    using (crm.can_see_customer(id))
    with check ((((is_private AND (owner_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[]))) OR (owner_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR ((NOT is_private) AND (department_id = ANY (( SELECT crm.public_department_ids() AS public_department_ids)::bigint[]))) OR ((department_id IS NULL) AND ( SELECT crm.sees_all_customers() AS sees_all_customers))) AND ((owner_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids) IS NULL) OR (type_id = ANY (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids)::bigint[])))));

drop policy if exists "owners, leaders and the department remove customers" on crm.customer;
create policy "owners, leaders and the department remove customers" on crm.customer as permissive for delete to crm_user
    using (crm.can_see_customer(id));

drop policy if exists "owners, sharees, leaders, scoped leaders and the department see" on crm.customer;
create policy "owners, sharees, leaders, scoped leaders and the department see" on crm.customer as permissive for select to crm_user
    using ((((is_private AND ((owner_id + 0) = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[]))) OR ((owner_id + 0) = ( SELECT crm.customer_viewer() AS customer_viewer)) OR ((id + 0) = ANY (( SELECT crm.shared_customer_ids() AS shared_customer_ids)::bigint[])) OR ((department_id + 0) = ANY (( SELECT crm.scope_department_ids() AS scope_department_ids)::bigint[])) OR ((NOT is_private) AND ((department_id + 0) = ANY (( SELECT crm.public_department_ids() AS public_department_ids)::bigint[]))) OR ((department_id IS NULL) AND ( SELECT crm.sees_all_customers() AS sees_all_customers))) AND ((owner_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids) IS NULL) OR (type_id = ANY (( SELECT crm.permitted_customer_type_ids() AS permitted_customer_type_ids)::bigint[])))));

drop policy if exists "accounts without a role see and change nothing" on crm.department;
create policy "accounts without a role see and change nothing" on crm.department as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads departments" on crm.department;
create policy "every account reads departments" on crm.department as permissive for select to crm_user
    using (true);

drop policy if exists "org managers add departments" on crm.department;
create policy "org managers add departments" on crm.department as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "org managers change departments" on crm.department;
create policy "org managers change departments" on crm.department as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "org managers remove departments" on crm.department;
create policy "org managers remove departments" on crm.department as permissive for delete to crm_user
    using (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.department_closure;
create policy "accounts without a role see and change nothing" on crm.department_closure as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the department tree" on crm.department_closure;
create policy "every account reads the department tree" on crm.department_closure as permissive for select to crm_user
    using (true);

drop policy if exists "account managers change employee records" on crm.employee;
create policy "account managers change employee records" on crm.employee as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.account.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.employee;
create policy "accounts without a role see and change nothing" on crm.employee as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "employees read their own record, account managers all" on crm.employee;
create policy "employees read their own record, account managers all" on crm.employee as permissive for select to crm_user
    using (((account_id = ( SELECT crm.current_account() AS current_account)) OR ( SELECT crm.has_permission('system.account.manage'::text) AS has_permission)));

drop policy if exists "accounts without a role see and change nothing" on crm.organization;
create policy "accounts without a role see and change nothing" on crm.organization as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads organisations" on crm.organization;
create policy "every account reads organisations" on crm.organization as permissive for select to crm_user
    using (true);

drop policy if exists "org managers add organisations" on crm.organization;
create policy "org managers add organisations" on crm.organization as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "org managers change organisations" on crm.organization;
create policy "org managers change organisations" on crm.organization as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "org managers remove organisations" on crm.organization;
create policy "org managers remove organisations" on crm.organization as permissive for delete to crm_user
    using (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.permission;
create policy "accounts without a role see and change nothing" on crm.permission as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the permission catalogue" on crm.permission;
create policy "every account reads the permission catalogue" on crm.permission as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.position;
create policy "accounts without a role see and change nothing" on crm.position as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads positions" on crm.position;
create policy "every account reads positions" on crm.position as permissive for select to crm_user
    using (true);

drop policy if exists "org managers add positions" on crm.position;
create policy "org managers add positions" on crm.position as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "org managers change positions" on crm.position;
create policy "org managers change positions" on crm.position as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "org managers remove positions" on crm.position;
create policy "org managers remove positions" on crm.position as permissive for delete to crm_user
    using (( SELECT crm.has_permission('system.org.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.product;
create policy "accounts without a role see and change nothing" on crm.product as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads products" on crm.product;
create policy "every account reads products" on crm.product as permissive for select to crm_user
    using (true);

drop policy if exists "product maintainers and importers add products" on crm.product;
create policy "product maintainers and importers add products" on crm.product as permissive for insert to crm_user
    with check ((( SELECT crm.has_permission('product.manage'::text) AS has_permission) OR ( SELECT crm.has_permission('product.import'::text) AS has_permission)));

drop policy if exists "product maintainers change products" on crm.product;
create policy "product maintainers change products" on crm.product as permissive for update to crm_user
    using (( SELECT crm.has_permission('product.manage'::text) AS has_permission));

drop policy if exists "product maintainers remove products" on crm.product;
create policy "product maintainers remove products" on crm.product as permissive for delete to crm_user
    using (( SELECT crm.has_permission('product.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.role;
create policy "accounts without a role see and change nothing" on crm.role as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads roles" on crm.role;
create policy "every account reads roles" on crm.role as permissive for select to crm_user
    using (true);

drop policy if exists "role managers add roles" on crm.role;
create policy "role managers add roles" on crm.role as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.role.manage'::text) AS has_permission));

drop policy if exists "role managers change roles" on crm.role;
create policy "role managers change roles" on crm.role as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.role.manage'::text) AS has_permission));

drop policy if exists "role managers remove roles" on crm.role;
create policy "role managers remove roles" on crm.role as permissive for delete to crm_user
    using (( SELECT crm.has_permission('system.role.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.role_permission;
create policy "accounts without a role see and change nothing" on crm.role_permission as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads role permissions" on crm.role_permission;
create policy "every account reads role permissions" on crm.role_permission as permissive for select to crm_user
    using (true);

drop policy if exists "role managers grant permissions" on crm.role_permission;
create policy "role managers grant permissions" on crm.role_permission as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('system.role.manage'::text) AS has_permission));

drop policy if exists "role managers revoke permissions" on crm.role_permission;
create policy "role managers revoke permissions" on crm.role_permission as permissive for delete to crm_user
    using (( SELECT crm.has_permission('system.role.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.ukey_verifier;
create policy "accounts without a role see and change nothing" on crm.ukey_verifier as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop trigger if exists account_audit on crm.account;
CREATE TRIGGER account_audit AFTER UPDATE ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists account_audit_delete on crm.account;
CREATE TRIGGER account_audit_delete AFTER DELETE ON crm.account REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_audit_insert on crm.account;
CREATE TRIGGER account_audit_insert AFTER INSERT ON crm.account REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_editor_holds_its_permissions on crm.account;
CREATE TRIGGER account_editor_holds_its_permissions BEFORE UPDATE ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.account_guard_manager();

drop trigger if exists account_no_delete on crm.account;
CREATE TRIGGER account_no_delete BEFORE DELETE ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.account_forbid_delete();

drop trigger if exists account_notify on crm.account;
CREATE TRIGGER account_notify AFTER INSERT OR DELETE OR UPDATE ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists account_require_permission on crm.account;
CREATE TRIGGER account_require_permission BEFORE INSERT OR UPDATE ON crm.account FOR EACH STATEMENT EXECUTE FUNCTION crm.account_require_permission();

drop trigger if exists account_stamp_new_row on crm.account;
CREATE TRIGGER account_stamp_new_row BEFORE INSERT ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists account_sync_role on crm.account;
CREATE TRIGGER account_sync_role AFTER INSERT OR UPDATE OF login, status, locked, valid_until, deleted_at ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.account_sync_role();

drop trigger if exists account_timeouts_set on crm.account;
CREATE TRIGGER account_timeouts_set AFTER INSERT ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.account_set_session_timeouts();

drop trigger if exists account_ukey_guard on crm.account;
CREATE TRIGGER account_ukey_guard BEFORE INSERT OR UPDATE ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.account_ukey_guard();

drop trigger if exists account_version on crm.account;
CREATE TRIGGER account_version BEFORE UPDATE ON crm.account FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists account_position_audit on crm.account_position;
CREATE TRIGGER account_position_audit AFTER UPDATE ON crm.account_position FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists account_position_audit_delete on crm.account_position;
CREATE TRIGGER account_position_audit_delete AFTER DELETE ON crm.account_position REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_position_audit_insert on crm.account_position;
CREATE TRIGGER account_position_audit_insert AFTER INSERT ON crm.account_position REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_position_check on crm.account_position;
CREATE TRIGGER account_position_check BEFORE INSERT OR UPDATE ON crm.account_position FOR EACH ROW EXECUTE FUNCTION crm.account_position_check();

drop trigger if exists account_position_delete_moves_customers on crm.account_position;
CREATE TRIGGER account_position_delete_moves_customers AFTER DELETE ON crm.account_position REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.account_position_moves_customers();

drop trigger if exists account_position_editor_holds_its_permissions on crm.account_position;
CREATE TRIGGER account_position_editor_holds_its_permissions BEFORE INSERT OR DELETE OR UPDATE ON crm.account_position FOR EACH ROW EXECUTE FUNCTION crm.account_position_guard_manager();

drop trigger if exists account_position_insert_moves_customers on crm.account_position;
CREATE TRIGGER account_position_insert_moves_customers AFTER INSERT ON crm.account_position REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.account_position_moves_customers();

drop trigger if exists account_position_manager_one_holder on crm.account_position;
CREATE TRIGGER account_position_manager_one_holder AFTER INSERT OR UPDATE ON crm.account_position FOR EACH STATEMENT EXECUTE FUNCTION crm.manager_position_one_holder();

drop trigger if exists account_position_notify on crm.account_position;
CREATE TRIGGER account_position_notify AFTER INSERT OR DELETE OR UPDATE ON crm.account_position FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists account_position_refresh_reach on crm.account_position;
CREATE TRIGGER account_position_refresh_reach AFTER INSERT OR DELETE OR UPDATE ON crm.account_position FOR EACH STATEMENT EXECUTE FUNCTION crm.refresh_viewer_reach();

drop trigger if exists account_position_require_permission on crm.account_position;
CREATE TRIGGER account_position_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.account_position FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.account.manage');

drop trigger if exists account_position_update_moves_customers on crm.account_position;
CREATE TRIGGER account_position_update_moves_customers AFTER UPDATE ON crm.account_position REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.account_position_moves_customers();

drop trigger if exists account_position_yields_no_more_reach on crm.account_position;
CREATE TRIGGER account_position_yields_no_more_reach AFTER INSERT OR DELETE OR UPDATE ON crm.account_position FOR EACH STATEMENT EXECUTE FUNCTION crm.check_chart_reach();

drop trigger if exists account_role_audit on crm.account_role;
CREATE TRIGGER account_role_audit AFTER UPDATE ON crm.account_role FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists account_role_audit_delete on crm.account_role;
CREATE TRIGGER account_role_audit_delete AFTER DELETE ON crm.account_role REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_role_audit_insert on crm.account_role;
CREATE TRIGGER account_role_audit_insert AFTER INSERT ON crm.account_role REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_role_grants_no_more on crm.account_role;
CREATE TRIGGER account_role_grants_no_more BEFORE INSERT OR DELETE OR UPDATE ON crm.account_role FOR EACH ROW EXECUTE FUNCTION crm.account_role_guard_grant();

drop trigger if exists account_role_notify on crm.account_role;
CREATE TRIGGER account_role_notify AFTER INSERT OR DELETE OR UPDATE ON crm.account_role FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists account_role_organization_check on crm.account_role;
CREATE TRIGGER account_role_organization_check BEFORE INSERT OR UPDATE ON crm.account_role FOR EACH ROW EXECUTE FUNCTION crm.role_organization_check();

drop trigger if exists account_role_require_permission on crm.account_role;
CREATE TRIGGER account_role_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.account_role FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.role.manage');

drop trigger if exists audit_log_append_only on crm.audit_log;
CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON crm.audit_log FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_log_is_append_only();

drop trigger if exists contact_audit on crm.contact;
CREATE TRIGGER contact_audit AFTER UPDATE ON crm.contact FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists contact_audit_delete on crm.contact;
CREATE TRIGGER contact_audit_delete AFTER DELETE ON crm.contact REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists contact_audit_insert on crm.contact;
CREATE TRIGGER contact_audit_insert AFTER INSERT ON crm.contact REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists contact_delete_search on crm.contact;
CREATE TRIGGER contact_delete_search AFTER DELETE ON crm.contact REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.contact_refresh_search();

drop trigger if exists contact_insert_search on crm.contact;
CREATE TRIGGER contact_insert_search AFTER INSERT ON crm.contact REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.contact_refresh_search();

drop trigger if exists contact_notify_delete on crm.contact;
CREATE TRIGGER contact_notify_delete AFTER DELETE ON crm.contact REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_notify_insert on crm.contact;
CREATE TRIGGER contact_notify_insert AFTER INSERT ON crm.contact REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_notify_update on crm.contact;
CREATE TRIGGER contact_notify_update AFTER UPDATE ON crm.contact REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_permission on crm.contact;
CREATE TRIGGER contact_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.contact FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.edit', 'customer.create', 'contact.person');

drop trigger if exists contact_refuse_foreign_write on crm.contact;
CREATE TRIGGER contact_refuse_foreign_write BEFORE DELETE OR UPDATE ON crm.contact FOR EACH ROW EXECUTE FUNCTION crm.contact_refuse_foreign_write();

drop trigger if exists contact_stamp_new_row on crm.contact;
CREATE TRIGGER contact_stamp_new_row BEFORE INSERT ON crm.contact FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists contact_update_search on crm.contact;
CREATE TRIGGER contact_update_search AFTER UPDATE ON crm.contact REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.contact_refresh_search();

drop trigger if exists contact_version on crm.contact;
CREATE TRIGGER contact_version BEFORE UPDATE ON crm.contact FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists customer_assign_number on crm.customer;
CREATE TRIGGER customer_assign_number BEFORE INSERT ON crm.customer FOR EACH ROW EXECUTE FUNCTION crm.customer_take_number();

drop trigger if exists customer_audit on crm.customer;
CREATE TRIGGER customer_audit AFTER UPDATE ON crm.customer FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists customer_audit_delete on crm.customer;
CREATE TRIGGER customer_audit_delete AFTER DELETE ON crm.customer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_audit_insert on crm.customer;
CREATE TRIGGER customer_audit_insert AFTER INSERT ON crm.customer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_check_private_department on crm.customer;
CREATE TRIGGER customer_check_private_department AFTER INSERT ON crm.customer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.customer_check_private_department();

drop trigger if exists customer_delete_permission on crm.customer;
CREATE TRIGGER customer_delete_permission BEFORE DELETE ON crm.customer FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.delete');

drop trigger if exists customer_fill_defaults on crm.customer;
CREATE TRIGGER customer_fill_defaults BEFORE INSERT OR UPDATE OF is_private, owner_id ON crm.customer FOR EACH ROW EXECUTE FUNCTION crm.customer_fill_defaults();

drop trigger if exists customer_guard_owner on crm.customer;
CREATE TRIGGER customer_guard_owner BEFORE INSERT OR UPDATE OF is_private, owner_id ON crm.customer FOR EACH ROW EXECUTE FUNCTION crm.customer_guard_owner();

drop trigger if exists customer_insert_permission on crm.customer;
CREATE TRIGGER customer_insert_permission BEFORE INSERT ON crm.customer FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.create', 'customer.import');

drop trigger if exists customer_notify_delete on crm.customer;
CREATE TRIGGER customer_notify_delete AFTER DELETE ON crm.customer REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists customer_notify_insert on crm.customer;
CREATE TRIGGER customer_notify_insert AFTER INSERT ON crm.customer REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists customer_notify_update on crm.customer;
CREATE TRIGGER customer_notify_update AFTER UPDATE ON crm.customer REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists customer_record_type_change on crm.customer;
CREATE TRIGGER customer_record_type_change AFTER UPDATE OF type_id ON crm.customer FOR EACH ROW WHEN ((old.type_id IS DISTINCT FROM new.type_id)) EXECUTE FUNCTION crm.customer_record_type_change();

drop trigger if exists customer_refuse_foreign_write on crm.customer;
CREATE TRIGGER customer_refuse_foreign_write BEFORE DELETE OR UPDATE ON crm.customer FOR EACH ROW EXECUTE FUNCTION crm.customer_refuse_foreign_write();

drop trigger if exists customer_stamp_new_row on crm.customer;
CREATE TRIGGER customer_stamp_new_row BEFORE INSERT ON crm.customer FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by', 'updated_at', 'updated_by', 'version');

drop trigger if exists customer_tally_private_delete on crm.customer;
CREATE TRIGGER customer_tally_private_delete AFTER DELETE ON crm.customer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.customer_tally_private();

drop trigger if exists customer_tally_private_insert on crm.customer;
CREATE TRIGGER customer_tally_private_insert AFTER INSERT ON crm.customer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.customer_tally_private();

drop trigger if exists customer_tally_private_update on crm.customer;
CREATE TRIGGER customer_tally_private_update AFTER UPDATE ON crm.customer REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.customer_tally_private();

drop trigger if exists customer_update_permission on crm.customer;
CREATE TRIGGER customer_update_permission BEFORE UPDATE ON crm.customer FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.edit');

drop trigger if exists customer_version on crm.customer;
CREATE TRIGGER customer_version BEFORE UPDATE ON crm.customer FOR EACH ROW EXECUTE FUNCTION crm.customer_bump_version();

drop trigger if exists department_audit on crm.department;
CREATE TRIGGER department_audit AFTER UPDATE ON crm.department FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists department_audit_delete on crm.department;
CREATE TRIGGER department_audit_delete AFTER DELETE ON crm.department REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists department_audit_insert on crm.department;
CREATE TRIGGER department_audit_insert AFTER INSERT ON crm.department REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists department_check_parent on crm.department;
CREATE TRIGGER department_check_parent BEFORE INSERT OR UPDATE OF parent_id, organization_id ON crm.department FOR EACH ROW EXECUTE FUNCTION crm.department_check_parent();

drop trigger if exists department_maintain_closure on crm.department;
CREATE TRIGGER department_maintain_closure AFTER INSERT OR UPDATE OF parent_id ON crm.department FOR EACH ROW EXECUTE FUNCTION crm.department_maintain_closure();

drop trigger if exists department_notify on crm.department;
CREATE TRIGGER department_notify AFTER INSERT OR DELETE OR UPDATE ON crm.department FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists department_require_permission on crm.department;
CREATE TRIGGER department_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.department FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.org.manage');

drop trigger if exists department_stamp_new_row on crm.department;
CREATE TRIGGER department_stamp_new_row BEFORE INSERT ON crm.department FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists department_version on crm.department;
CREATE TRIGGER department_version BEFORE UPDATE ON crm.department FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists department_closure_refresh_chart on crm.department_closure;
CREATE TRIGGER department_closure_refresh_chart AFTER INSERT OR DELETE OR UPDATE ON crm.department_closure FOR EACH STATEMENT EXECUTE FUNCTION crm.refresh_position_chart();

drop trigger if exists department_closure_yields_no_more_reach on crm.department_closure;
CREATE TRIGGER department_closure_yields_no_more_reach AFTER INSERT OR DELETE OR UPDATE ON crm.department_closure FOR EACH STATEMENT EXECUTE FUNCTION crm.check_chart_reach();

drop trigger if exists employee_audit on crm.employee;
CREATE TRIGGER employee_audit AFTER UPDATE ON crm.employee FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists employee_audit_delete on crm.employee;
CREATE TRIGGER employee_audit_delete AFTER DELETE ON crm.employee REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists employee_audit_insert on crm.employee;
CREATE TRIGGER employee_audit_insert AFTER INSERT ON crm.employee REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists employee_notify on crm.employee;
CREATE TRIGGER employee_notify AFTER INSERT OR DELETE OR UPDATE ON crm.employee FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists employee_require_permission on crm.employee;
CREATE TRIGGER employee_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.employee FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.account.manage');

drop trigger if exists employee_stamp_new_row on crm.employee;
CREATE TRIGGER employee_stamp_new_row BEFORE INSERT ON crm.employee FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists employee_version on crm.employee;
CREATE TRIGGER employee_version BEFORE UPDATE ON crm.employee FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists organization_audit on crm.organization;
CREATE TRIGGER organization_audit AFTER UPDATE ON crm.organization FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists organization_audit_delete on crm.organization;
CREATE TRIGGER organization_audit_delete AFTER DELETE ON crm.organization REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists organization_audit_insert on crm.organization;
CREATE TRIGGER organization_audit_insert AFTER INSERT ON crm.organization REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists organization_notify on crm.organization;
CREATE TRIGGER organization_notify AFTER INSERT OR DELETE OR UPDATE ON crm.organization FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists organization_require_permission on crm.organization;
CREATE TRIGGER organization_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.organization FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.org.manage');

drop trigger if exists organization_stamp_new_row on crm.organization;
CREATE TRIGGER organization_stamp_new_row BEFORE INSERT ON crm.organization FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists organization_version on crm.organization;
CREATE TRIGGER organization_version BEFORE UPDATE ON crm.organization FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists permission_catalogue_fixed on crm.permission;
CREATE TRIGGER permission_catalogue_fixed BEFORE INSERT OR DELETE OR UPDATE ON crm.permission FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.schema');

drop trigger if exists position_audit on crm.position;
CREATE TRIGGER position_audit AFTER UPDATE ON crm."position" FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists position_audit_delete on crm.position;
CREATE TRIGGER position_audit_delete AFTER DELETE ON crm."position" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists position_audit_insert on crm.position;
CREATE TRIGGER position_audit_insert AFTER INSERT ON crm."position" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists position_check_superior on crm.position;
CREATE TRIGGER position_check_superior BEFORE INSERT OR UPDATE OF superior_id ON crm."position" FOR EACH ROW EXECUTE FUNCTION crm.position_check_superior();

drop trigger if exists position_manager_one_holder on crm.position;
CREATE TRIGGER position_manager_one_holder AFTER INSERT OR UPDATE OF is_manager ON crm."position" FOR EACH STATEMENT EXECUTE FUNCTION crm.manager_position_one_holder();

drop trigger if exists position_moves_customers on crm.position;
CREATE TRIGGER position_moves_customers AFTER UPDATE ON crm."position" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.position_move_customers();

drop trigger if exists position_notify on crm.position;
CREATE TRIGGER position_notify AFTER INSERT OR DELETE OR UPDATE ON crm."position" FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists position_refresh_chart on crm.position;
CREATE TRIGGER position_refresh_chart AFTER INSERT OR DELETE OR UPDATE OF department_id, superior_id, is_manager ON crm."position" FOR EACH STATEMENT EXECUTE FUNCTION crm.refresh_position_chart();

drop trigger if exists position_require_permission on crm.position;
CREATE TRIGGER position_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm."position" FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.org.manage');

drop trigger if exists position_stamp_new_row on crm.position;
CREATE TRIGGER position_stamp_new_row BEFORE INSERT ON crm."position" FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists position_version on crm.position;
CREATE TRIGGER position_version BEFORE UPDATE ON crm."position" FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists position_yields_no_more_reach on crm.position;
CREATE TRIGGER position_yields_no_more_reach AFTER INSERT OR DELETE OR UPDATE OF department_id, superior_id, is_manager ON crm."position" FOR EACH STATEMENT EXECUTE FUNCTION crm.check_chart_reach();

drop trigger if exists product_assign_number on crm.product;
CREATE TRIGGER product_assign_number BEFORE INSERT OR UPDATE OF number ON crm.product FOR EACH ROW EXECUTE FUNCTION crm.product_take_number();

drop trigger if exists product_audit on crm.product;
CREATE TRIGGER product_audit AFTER UPDATE ON crm.product FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists product_audit_delete on crm.product;
CREATE TRIGGER product_audit_delete AFTER DELETE ON crm.product REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_audit_insert on crm.product;
CREATE TRIGGER product_audit_insert AFTER INSERT ON crm.product REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_change_require_permission on crm.product;
CREATE TRIGGER product_change_require_permission BEFORE DELETE OR UPDATE ON crm.product FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.manage');

drop trigger if exists product_check_custom_fields on crm.product;
CREATE TRIGGER product_check_custom_fields BEFORE INSERT OR UPDATE OF custom_fields ON crm.product FOR EACH ROW EXECUTE FUNCTION crm.product_check_custom_fields();

drop trigger if exists product_insert_require_permission on crm.product;
CREATE TRIGGER product_insert_require_permission BEFORE INSERT ON crm.product FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.manage', 'product.import');

drop trigger if exists product_notify on crm.product;
CREATE TRIGGER product_notify AFTER INSERT OR DELETE OR UPDATE ON crm.product FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists product_stamp_new_row on crm.product;
CREATE TRIGGER product_stamp_new_row BEFORE INSERT ON crm.product FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists product_version on crm.product;
CREATE TRIGGER product_version BEFORE UPDATE ON crm.product FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists role_audit on crm.role;
CREATE TRIGGER role_audit AFTER UPDATE ON crm.role FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists role_audit_delete on crm.role;
CREATE TRIGGER role_audit_delete AFTER DELETE ON crm.role REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists role_audit_insert on crm.role;
CREATE TRIGGER role_audit_insert AFTER INSERT ON crm.role REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists role_builtin_kept on crm.role;
CREATE TRIGGER role_builtin_kept BEFORE DELETE ON crm.role FOR EACH ROW EXECUTE FUNCTION crm.role_forbid_builtin_delete();

drop trigger if exists role_notify on crm.role;
CREATE TRIGGER role_notify AFTER INSERT OR DELETE OR UPDATE ON crm.role FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists role_require_permission on crm.role;
CREATE TRIGGER role_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.role FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.role.manage');

drop trigger if exists role_stamp_new_row on crm.role;
CREATE TRIGGER role_stamp_new_row BEFORE INSERT ON crm.role FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists role_version on crm.role;
CREATE TRIGGER role_version BEFORE UPDATE ON crm.role FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists role_permission_audit on crm.role_permission;
CREATE TRIGGER role_permission_audit AFTER UPDATE ON crm.role_permission FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists role_permission_audit_delete on crm.role_permission;
CREATE TRIGGER role_permission_audit_delete AFTER DELETE ON crm.role_permission REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists role_permission_audit_insert on crm.role_permission;
CREATE TRIGGER role_permission_audit_insert AFTER INSERT ON crm.role_permission REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists role_permission_grants_no_more on crm.role_permission;
CREATE TRIGGER role_permission_grants_no_more BEFORE INSERT OR DELETE OR UPDATE ON crm.role_permission FOR EACH ROW EXECUTE FUNCTION crm.role_permission_guard_grant();

drop trigger if exists role_permission_notify on crm.role_permission;
CREATE TRIGGER role_permission_notify AFTER INSERT OR DELETE OR UPDATE ON crm.role_permission FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists role_permission_require_permission on crm.role_permission;
CREATE TRIGGER role_permission_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.role_permission FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.role.manage');

call crm_meta.finish_migration();
