-- Who sees and changes customers, made exact; authorship the server's own.
-- depends: 0013_pg_temp_last
--
-- 1. One tree-aware permission check.  crm.account_has_permission(account, code) answers for any
--    account: holding a node holds everything under it, system.admin (or a node above it) holds
--    everything.  crm.has_permission is it for the session; crm.sees_all_customers is it for
--    'system.admin' (it compared the code literally, so a role holding the node `system` passed
--    has_permission('system.admin') but saw customers as a rep).
-- 2. No role, nothing: a restrictive policy on every table lets an account without a role read and
--    write no row at all, not even the shares and contact plans addressed to it.
-- 3. Public customers are seen by their owner, their department and that department's leaders,
--    scope holders and sharees: leading the owner (through some concurrent position) is no longer
--    enough.  Private customers are seen by the owner and the owner's leaders as before.
-- 4. Management scope (人员管理层次权限) is for viewing: it no longer lets its holder change
--    customers or their contacts.
-- 5. A private customer belongs to its owner's main department as it is now: the department is
--    written by the server on every ownership change and follows the owner when their main
--    position changes or their position moves, so scopes and department leaders follow the person.
-- 6. Ownership changes only through crm.assign_customers: whoever files a customer owns it (public
--    ones too), an update cannot change the owner — not even by turning an unowned public customer
--    (one an administrator filed) private.
-- 7. Contact plans: leaders see their subordinates' plans (the follower's and the author's); a plan
--    may only be made for someone who sees its customer.
-- 8. Authorship and time columns (version, created_at, updated_at, updated_by, created_by) are the
--    server's on insert as on update, whatever the client sends.
-- 9. A manager position (department head) has at most one holder.

-- ---------------------------------------------------------------------------------------------
-- 1. Permissions
-- ---------------------------------------------------------------------------------------------

create function crm.account_has_permission(p_account bigint, p_code text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select exists (
        select from crm.account_role ar
        join crm.role_permission rp on rp.role_id = ar.role_id
        where ar.account_id = p_account
          and (rp.permission_code in (p_code, 'system.admin')
               or starts_with(p_code, rp.permission_code || '.')
               or starts_with('system.admin', rp.permission_code || '.')))
$$;

create or replace function crm.has_permission(p_code text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select crm.is_superuser_session() or crm.account_has_permission(crm.current_account(), p_code)
$$;

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
-- Visibility of any account (a contact plan's follower must see its customer), and the
-- session's helpers written in terms of the same pieces
-- ---------------------------------------------------------------------------------------------

create function crm.scope_department_ids_of(p_account bigint) returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
    return array(select d.id from crm.management_scope s join crm.department d on d.organization_id = s.organization_id
                  where s.account_id = p_account
                 union
                 select c.descendant_id from crm.management_scope s
                   join crm.department_closure c on c.ancestor_id = s.department_id
                  where s.account_id = p_account);
end
$$;

create function crm.permitted_customer_type_ids_of(p_account bigint) returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
    if crm.account_has_permission(p_account, 'system.admin')
       or not exists (select from crm.account_category_permission where account_id = p_account) then
        return null;
    end if;
    return array(select type_id from crm.account_category_permission where account_id = p_account);
end
$$;

create or replace function crm.scope_department_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
    v bigint := crm.customer_viewer();
begin
    if v is null then
        return '{}';
    end if;
    return crm.scope_department_ids_of(v);
end
$$;

create or replace function crm.shared_customer_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
    v bigint := crm.customer_viewer();
begin
    if v is null then
        return '{}';
    end if;
    return array(select customer_id from crm.customer_share where account_id = v);
end
$$;

create or replace function crm.permitted_customer_type_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
    if crm.sees_all_customers() then
        return null;
    end if;
    return crm.permitted_customer_type_ids_of(crm.customer_viewer());
end
$$;

-- Whether account p_account sees customer p_customer: the select policy below, for any account.
create function crm.account_sees_customer(p_account bigint, p_customer bigint) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
    c     crm.customer;
    led   bigint[];
    pub   bigint[];
    types bigint[];
begin
    select * into c from crm.customer where id = p_customer;
    if not found or p_account is null
       or not exists (select from crm.account a where a.id = p_account and a.deleted_at is null)
       or not exists (select from crm.account_role ar where ar.account_id = p_account) then
        return false;
    end if;
    if crm.account_has_permission(p_account, 'system.admin') then
        return true;
    end if;
    select r.led_account_ids, r.public_department_ids into led, pub from crm.viewer_reach r where r.account_id = p_account;
    types := crm.permitted_customer_type_ids_of(p_account);
    return ((c.is_private and c.owner_id = any (coalesce(led, '{}')))
            or c.owner_id = p_account
            or exists (select from crm.customer_share s where s.customer_id = c.id and s.account_id = p_account)
            or c.department_id = any (crm.scope_department_ids_of(p_account))
            or (not c.is_private and c.department_id = any (coalesce(pub, '{}'))))
       and (c.owner_id = p_account or types is null or c.type_id = any (types));
end
$$;

-- For policies and triggers that run as the caller: answers only about customers the caller sees.
create function crm.follower_sees_customer(p_account bigint, p_customer bigint) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select crm.may_see_customer(p_customer) and crm.account_sees_customer(p_account, p_customer)
$$;

-- The "may change" rule for one row: owner, the private customer's leaders, the public customer's
-- department and its leaders; not sharees, not scope holders (scope is for viewing).
create or replace function crm.may_edit_customer(p_owner bigint, p_department bigint, p_private boolean, p_type bigint)
returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select coalesce(
        ((p_private and p_owner = any (crm.customer_owner_ids())) or p_owner = v.id
         or (not p_private and p_department = any (crm.public_department_ids()))
         or (p_department is null and crm.sees_all_customers()))
        and (p_owner = v.id or t.ids is null or p_type = any (t.ids)), false)
      from (select crm.customer_viewer() as id) v, (select crm.permitted_customer_type_ids() as ids) t
$$;

-- The select policy evaluated inside definer code (price memory).
create or replace function crm.may_see_customer(p_customer bigint) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select coalesce((
        select ((c.is_private and c.owner_id = any (crm.customer_owner_ids()))
                or c.owner_id = crm.customer_viewer()
                or c.id = any (crm.shared_customer_ids())
                or c.department_id = any (crm.scope_department_ids())
                or (not c.is_private and c.department_id = any (crm.public_department_ids()))
                or (c.department_id is null and crm.sees_all_customers()))
               and (c.owner_id = crm.customer_viewer() or crm.permitted_customer_type_ids() is null
                    or c.type_id = any (crm.permitted_customer_type_ids()))
          from crm.customer c where c.id = p_customer), false)
$$;

-- ---------------------------------------------------------------------------------------------
-- 3, 4. The customer and contact policies
-- ---------------------------------------------------------------------------------------------

drop policy "owners, sharees, leaders, scoped leaders and the department see customers" on crm.customer;
create policy "owners, sharees, leaders, scoped leaders and the department see customers"
    on crm.customer for select to crm_user using (
    ((is_private and owner_id + 0 = any ((select crm.customer_owner_ids())::bigint[]))
     or owner_id + 0 = (select crm.customer_viewer())
     or id + 0 = any ((select crm.shared_customer_ids())::bigint[])
     or department_id + 0 = any ((select crm.scope_department_ids())::bigint[])
     or (not is_private and department_id + 0 = any ((select crm.public_department_ids())::bigint[]))
     or (department_id is null and (select crm.sees_all_customers())))
    and (owner_id = (select crm.customer_viewer())
         or (select crm.permitted_customer_type_ids()) is null
         or type_id = any ((select crm.permitted_customer_type_ids())::bigint[])));

drop policy "accounts add customers they may change" on crm.customer;
create policy "accounts add customers they may change" on crm.customer for insert to crm_user
    with check (((is_private and owner_id = any ((select crm.customer_owner_ids())::bigint[]))
     or owner_id = (select crm.customer_viewer())
     or (not is_private and department_id = any ((select crm.public_department_ids())::bigint[]))
     or (department_id is null and (select crm.sees_all_customers())))
    and (owner_id = (select crm.customer_viewer())
         or (select crm.permitted_customer_type_ids()) is null
         or type_id = any ((select crm.permitted_customer_type_ids())::bigint[])));

drop policy "owners, leaders and the department change customers" on crm.customer;
create policy "owners, leaders and the department change customers" on crm.customer for update to crm_user
    using (crm.can_see_customer(id)) with check (((is_private and owner_id = any ((select crm.customer_owner_ids())::bigint[]))
     or owner_id = (select crm.customer_viewer())
     or (not is_private and department_id = any ((select crm.public_department_ids())::bigint[]))
     or (department_id is null and (select crm.sees_all_customers())))
    and (owner_id = (select crm.customer_viewer())
         or (select crm.permitted_customer_type_ids()) is null
         or type_id = any ((select crm.permitted_customer_type_ids())::bigint[])));

drop policy "whoever may change a customer adds its contacts" on crm.contact;
create policy "whoever may change a customer adds its contacts" on crm.contact for insert to crm_user
    with check (exists (select from crm.customer c where c.id = customer_id
        and ((c.is_private and c.owner_id = any ((select crm.customer_owner_ids())::bigint[]))
             or c.owner_id = (select crm.customer_viewer())
             or (not c.is_private and c.department_id = any ((select crm.public_department_ids())::bigint[]))
             or (c.department_id is null and (select crm.sees_all_customers())))
        and (c.owner_id = (select crm.customer_viewer())
             or (select crm.permitted_customer_type_ids()) is null
             or c.type_id = any ((select crm.permitted_customer_type_ids())::bigint[]))));
drop policy "whoever may change a customer changes its contacts" on crm.contact;
create policy "whoever may change a customer changes its contacts" on crm.contact for update to crm_user
    using (crm.can_see_customer(customer_id)) with check (crm.can_edit_customer(customer_id));
drop policy "whoever may change a customer removes its contacts" on crm.contact;
create policy "whoever may change a customer removes its contacts" on crm.contact for delete to crm_user
    using (crm.can_see_customer(customer_id));

-- A visible contact the caller may not change: an error, not a silent "0 rows".
create function crm.contact_refuse_foreign_write() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    if current_user <> 'crm_definer' and current_setting('is_superuser') <> 'on'
       and (not crm.can_edit_customer(old.customer_id)
            or (tg_op = 'UPDATE' and new.customer_id is distinct from old.customer_id
                and not crm.can_edit_customer(new.customer_id))) then
        raise exception using errcode = 'insufficient_privilege', message = 'customer_not_editable',
                              constraint = 'customer_not_editable';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger contact_refuse_foreign_write before update or delete on crm.contact
    for each row execute function crm.contact_refuse_foreign_write();

drop policy "receivers and whoever sees the customer see its shares" on crm.customer_share;
create policy "receivers and whoever sees the customer see its shares" on crm.customer_share
    for select to crm_user using (account_id = (select crm.customer_viewer()) or crm.can_see_customer(customer_id));

-- ---------------------------------------------------------------------------------------------
-- 7. Contact plans
-- ---------------------------------------------------------------------------------------------

drop policy "followers, authors and whoever sees the customer see contact plans" on crm.contact_plan;
create policy "followers, authors, their leaders and whoever sees the customer see contact plans" on crm.contact_plan
    for select to crm_user using (account_id = any ((select crm.customer_owner_ids())::bigint[])
                                  or created_by = any ((select crm.customer_owner_ids())::bigint[])
                                  or crm.can_see_customer(customer_id));
drop policy "whoever sees a customer plans contact with it" on crm.contact_plan;
create policy "whoever sees a customer plans contact with it for someone who sees it too" on crm.contact_plan
    for insert to crm_user
    with check (crm.can_see_customer(customer_id) and crm.follower_sees_customer(account_id, customer_id));
drop policy "followers and whoever may change the customer change contact plans" on crm.contact_plan;
create policy "followers and whoever may change the customer change contact plans" on crm.contact_plan
    for update to crm_user using (account_id = (select crm.customer_viewer()) or crm.can_edit_customer(customer_id));
drop policy "authors and whoever may change the customer remove contact plans" on crm.contact_plan;
create policy "authors and whoever may change the customer remove contact plans" on crm.contact_plan
    for delete to crm_user using (created_by = (select crm.customer_viewer()) or crm.can_edit_customer(customer_id));

-- the follower must see the customer: a clear refusal, not the policy's generic one
create function crm.contact_plan_follower_sees_customer() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    if current_setting('is_superuser') <> 'on' and crm.may_see_customer(new.customer_id)
       and not crm.follower_sees_customer(new.account_id, new.customer_id) then
        raise exception using errcode = 'insufficient_privilege', message = 'contact_plan_follower_cannot_see',
                              constraint = 'contact_plan_follower_cannot_see';
    end if;
    return new;
end
$$;
create trigger contact_plan_follower_sees_customer before insert or update of account_id, customer_id
    on crm.contact_plan for each row execute function crm.contact_plan_follower_sees_customer();

-- ---------------------------------------------------------------------------------------------
-- 5, 6. Ownership and the private customer's department
-- ---------------------------------------------------------------------------------------------

create function crm.main_department_of(p_account bigint) returns bigint
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select p.department_id from crm.account_position ap join crm.position p on p.id = ap.position_id
     where ap.account_id = p_account and ap.is_main
$$;

-- Runs after crm.customer_fill_defaults (triggers fire in name order).
create function crm.customer_guard_owner() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    if current_user = 'crm_definer' or current_setting('is_superuser') = 'on' then
        null;  -- the assign function and crm-admin
    elsif tg_op = 'INSERT' then
        -- public customers too are owned by whoever files them
        new.owner_id := coalesce(new.owner_id, crm.current_account());
        if new.owner_id is distinct from crm.current_account() then
            raise exception using errcode = 'insufficient_privilege', message = 'customer_owner_is_creator',
                                  constraint = 'customer_owner_is_creator';
        end if;
    elsif new.owner_id is distinct from old.owner_id then
        raise exception using errcode = 'insufficient_privilege', message = 'customer_owner_changes_by_assignment',
                              constraint = 'customer_owner_changes_by_assignment';
    end if;
    if tg_op = 'UPDATE' and new.is_private then
        new.department_id := crm.main_department_of(new.owner_id);
    end if;
    return new;
end
$$;
create trigger customer_guard_owner before insert or update of is_private, owner_id on crm.customer
    for each row execute function crm.customer_guard_owner();

-- An insert (an import of 100,000 rows too) is checked once per statement.
create function crm.customer_check_private_department() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    if exists (select from new_rows n
                 left join crm.account_position ap on ap.account_id = n.owner_id and ap.is_main
                 left join crm.position p on p.id = ap.position_id
                where n.is_private and n.department_id is distinct from p.department_id) then
        raise exception using errcode = 'check_violation', message = 'customer_private_department_is_owners',
                              constraint = 'customer_private_department_is_owners';
    end if;
    return null;
end
$$;
create trigger customer_check_private_department after insert on crm.customer referencing new table as new_rows
    for each statement execute function crm.customer_check_private_department();

-- Private customers follow their owner's main department.
create function crm.move_private_customers(p_accounts bigint[]) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    update crm.customer c
       set department_id = d.department_id
      from (select a.id, crm.main_department_of(a.id) as department_id
              from crm.account a where a.id = any (p_accounts)) d
     where c.owner_id = d.id and c.is_private and c.department_id is distinct from d.department_id;
end
$$;

create function crm.account_position_moves_customers() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    if tg_op = 'INSERT' then
        perform crm.move_private_customers(array(select distinct account_id from new_rows where is_main));
    elsif tg_op = 'DELETE' then
        perform crm.move_private_customers(array(select distinct account_id from old_rows where is_main));
    else
        perform crm.move_private_customers(array(
            select account_id from new_rows where is_main union select account_id from old_rows where is_main));
    end if;
    return null;
end
$$;
create trigger account_position_insert_moves_customers after insert on crm.account_position
    referencing new table as new_rows for each statement execute function crm.account_position_moves_customers();
create trigger account_position_update_moves_customers after update on crm.account_position
    referencing old table as old_rows new table as new_rows
    for each statement execute function crm.account_position_moves_customers();
create trigger account_position_delete_moves_customers after delete on crm.account_position
    referencing old table as old_rows for each statement execute function crm.account_position_moves_customers();

create function crm.position_move_customers() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    perform crm.move_private_customers(array(
        select ap.account_id from new_rows n join old_rows o on o.id = n.id
          join crm.account_position ap on ap.position_id = n.id and ap.is_main
         where n.department_id is distinct from o.department_id));
    return null;
end
$$;
create trigger position_moves_customers after update on crm.position
    referencing old table as old_rows new table as new_rows
    for each statement execute function crm.position_move_customers();

-- today's private customers in their owner's department
select crm.move_private_customers(array(select id from crm.account));

-- ---------------------------------------------------------------------------------------------
-- 9. A manager position has one holder
-- ---------------------------------------------------------------------------------------------

create function crm.manager_position_one_holder() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    if exists (select from crm.position p join crm.account_position ap on ap.position_id = p.id
                where p.is_manager group by p.id having count(*) > 1) then
        raise exception using errcode = 'check_violation', message = 'position_manager_one_holder',
                              constraint = 'position_manager_one_holder';
    end if;
    return null;
end
$$;
create trigger account_position_manager_one_holder after insert or update on crm.account_position
    for each statement execute function crm.manager_position_one_holder();
create trigger position_manager_one_holder after insert or update of is_manager on crm.position
    for each statement execute function crm.manager_position_one_holder();

-- ---------------------------------------------------------------------------------------------
-- 8. The server's columns on insert
-- ---------------------------------------------------------------------------------------------

-- The trigger's arguments name the table's server-kept columns.  crm-admin (a superuser: seeding,
-- restoring) keeps what it writes.
create function crm.stamp_new_row() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
    if current_setting('is_superuser') = 'on' then
        return new;
    end if;
    if 'version' = any (tg_argv) then new.version := 1; end if;
    if 'created_at' = any (tg_argv) then new.created_at := now(); end if;
    if 'updated_at' = any (tg_argv) then new.updated_at := now(); end if;
    if 'updated_by' = any (tg_argv) then new.updated_by := crm.current_account(); end if;
    if 'created_by' = any (tg_argv) then new.created_by := crm.current_account(); end if;
    return new;
end
$$;

create procedure crm_meta.stamp_new_rows()
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
    t record;
begin
    for t in select c.relname, array_agg(quote_literal(a.attname) order by a.attname) as cols
               from pg_class c join pg_namespace n on n.oid = c.relnamespace
               join pg_attribute a on a.attrelid = c.oid and not a.attisdropped
              where n.nspname = 'crm' and c.relkind = 'r'
                and a.attname in ('version', 'created_at', 'updated_at', 'updated_by', 'created_by')
                and not exists (select from pg_trigger g where g.tgrelid = c.oid and g.tgname = c.relname || '_stamp_new_row')
              group by c.relname loop
        execute format('create trigger %I before insert on crm.%I for each row execute function crm.stamp_new_row(%s)',
                       t.relname || '_stamp_new_row', t.relname, array_to_string(t.cols, ', '));
    end loop;
end
$$;
revoke all on procedure crm_meta.stamp_new_rows() from public;
call crm_meta.stamp_new_rows();

-- ---------------------------------------------------------------------------------------------
-- 2. No role, no rows: a restrictive policy on every table, kept by finish_migration for new ones
-- ---------------------------------------------------------------------------------------------

create procedure crm_meta.no_role_no_rows()
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
    t record;
begin
    for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'crm' and c.relkind in ('r', 'p')
                and not exists (select from pg_policy p where p.polrelid = c.oid
                                and p.polname = 'accounts without a role see and change nothing') loop
        execute format('alter table crm.%I enable row level security', t.relname);
        execute format('alter table crm.%I force row level security', t.relname);
        execute format('create policy "accounts without a role see and change nothing" on crm.%I
                        as restrictive for all to crm_user using ((select crm.customer_viewer()) is not null)
                        with check ((select crm.customer_viewer()) is not null)', t.relname);
    end loop;
end
$$;
revoke all on procedure crm_meta.no_role_no_rows() from public;

create or replace procedure crm_meta.finish_migration()
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
    obj record;
begin
    for obj in
        select c.oid::regclass as name, c.relkind
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'crm' and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and pg_get_userbyid(c.relowner) <> 'crm_owner'
          and not exists (select from pg_depend d          -- identity sequences follow their table
                          where d.objid = c.oid and d.deptype in ('a', 'i') and c.relkind = 'S')
    loop
        execute format('alter %s %s owner to crm_owner',
                       case obj.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                        when 'S' then 'sequence' else 'table' end, obj.name);
    end loop;
    for obj in
        select p.oid::regprocedure as name, p.prosecdef, p.prokind
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'crm'
          and pg_get_userbyid(p.proowner) <> case when p.prosecdef then 'crm_definer' else 'crm_owner' end
    loop
        execute format('alter %s %s owner to %I',
                       case obj.prokind when 'p' then 'procedure' else 'function' end, obj.name,
                       case when obj.prosecdef then 'crm_definer' else 'crm_owner' end);
        execute format('revoke all on %s %s from public',
                       case obj.prokind when 'p' then 'procedure' else 'function' end, obj.name);
    end loop;
    -- pg_temp last on every function that sets a path, and on every definer function
    for obj in
        select p.oid::regprocedure as name, p.prokind,
               (select substr(c, length('search_path=') + 1) from unnest(p.proconfig) c
                where c like 'search_path=%') as path
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('crm', 'crm_meta')
    loop
        continue when obj.path is null and not exists (select from pg_proc where oid = obj.name::oid and prosecdef);
        continue when obj.path is not null and obj.path ~ '(^|,\s*)"?pg_temp"?\s*$';
        execute format('alter %s %s set search_path = %s',
                       case obj.prokind when 'p' then 'procedure' else 'function' end, obj.name,
                       (select string_agg(part, ', ' order by ord)
                        from (select btrim(e) as part, o as ord
                              from unnest(string_to_array(coalesce(nullif(obj.path, '""'), 'pg_catalog'), ','))
                                   with ordinality as t(e, o)
                              where btrim(e, ' "') not in ('pg_temp', '')
                              union all select 'pg_temp', 1000000) parts));
    end loop;
    -- no role, no rows; the server's columns on insert (tables added later get both)
    call crm_meta.no_role_no_rows();
    call crm_meta.stamp_new_rows();
    -- the definer role bypasses policies, not grants: it gets the rows' privileges here
    grant select, insert, update, delete on all tables in schema crm to crm_definer;
    grant usage on all sequences in schema crm to crm_definer;
    grant execute on all functions in schema crm to crm_definer;
end
$$;
revoke all on procedure crm_meta.finish_migration() from public;

-- the *_of helpers answer about other accounts: only definer code calls them
grant execute on function crm.follower_sees_customer(bigint, bigint), crm.main_department_of(bigint) to crm_user;

call crm_meta.finish_migration();
