-- Who sees which customer (DESIGN.md "Who sees what"), as row-level security.
-- depends: 0003_customers
--
-- An account V sees customer C when V is an administrator, or V has at least one role and
--   (C.owner = V  or C is shared with V  or V leads C.owner  or C.department is in V's management
--    scope  or (C is public and C.department is one V belongs to or leads))
--   and (V has no category permission  or C.type is one of V's types  or C.owner = V).
-- V may change (edit, delete, assign, share) C on the same terms without the share clause.
--
-- Leading is the position chart: a manager position leads every other position in its department's
-- subtree and every position whose superior it is, transitively.  V leads account X when a position
-- of V leads a position of X (main or concurrent).  Both are precomputed tables, recomputed by
-- statement triggers when positions or departments change (a few hundred rows), so a policy is a
-- handful of array look-ups computed once per statement.

create table crm.position_lead (
    leader_position_id bigint not null references crm.position on delete cascade,
    position_id        bigint not null references crm.position on delete cascade,
    primary key (leader_position_id, position_id)
);

-- departments whose public customers the holder of a position sees: its own, and what it leads
create table crm.position_reach (
    position_id   bigint not null references crm.position on delete cascade,
    department_id bigint not null references crm.department on delete cascade,
    primary key (position_id, department_id)
);

create function crm.rebuild_position_chart() returns void
language plpgsql security definer set search_path = pg_catalog as $$
begin
    -- two concurrent chart edits must not both rebuild from stale snapshots
    lock table crm.position_lead, crm.position_reach in exclusive mode;
    delete from crm.position_lead;
    insert into crm.position_lead (leader_position_id, position_id)
    with recursive direct(leader, led) as (
        select p.id, r.id
          from crm.position p
          join crm.department_closure c on c.ancestor_id = p.department_id
          join crm.position r on r.department_id = c.descendant_id
         where p.is_manager
        union
        select p.id, r.id from crm.position r join crm.position p on p.id = r.superior_id where p.is_manager
    ), chart(leader, led) as (
        select leader, led from direct
        union
        select chart.leader, direct.led from chart join direct on direct.leader = chart.led
    )
    select leader, led from chart where leader <> led;
    delete from crm.position_reach;
    insert into crm.position_reach (position_id, department_id)
    select p.id, c.descendant_id
      from crm.position p join crm.department_closure c on c.ancestor_id = p.department_id
     where c.depth = 0 or p.is_manager
    union
    select pl.leader_position_id, c.descendant_id
      from crm.position_lead pl
      join crm.position r on r.id = pl.position_id
      join crm.department_closure c on c.ancestor_id = r.department_id
     where c.depth = 0 or r.is_manager;
end
$$;

create function crm.refresh_position_chart() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    perform crm.rebuild_position_chart();
    return null;
end
$$;
create trigger position_refresh_chart after insert or update of department_id, superior_id, is_manager or delete
    on crm.position for each statement execute function crm.refresh_position_chart();
create trigger department_closure_refresh_chart after insert or update or delete on crm.department_closure
    for each statement execute function crm.refresh_position_chart();

-- the chart of positions created before this migration
select crm.rebuild_position_chart();

-- ---------------------------------------------------------------------------------------------
-- Security-definer helpers: each returns one value or array, called as (select …) by policies
-- ---------------------------------------------------------------------------------------------

-- PL/pgSQL, not SQL: a definer SQL function is planned again on every call, a PL/pgSQL one keeps
-- its plans for the session, and these run at the start of every customer query.

-- The current account if it may see customers at all: an account with no roles sees nothing.
create function crm.customer_viewer() returns bigint
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    return (select a.id from crm.account a
             where a.login = session_user and a.deleted_at is null
               and exists (select from crm.account_role ar where ar.account_id = a.id));
end
$$;

-- Administrators (system.admin) and superuser sessions see every customer.
create function crm.sees_all_customers() returns boolean
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    return exists (select from pg_roles where rolname = session_user and rolsuper)
        or exists (select from crm.account a
                     join crm.account_role ar on ar.account_id = a.id
                     join crm.role_permission rp on rp.role_id = ar.role_id
                    where a.login = session_user and a.deleted_at is null and rp.permission_code = 'system.admin');
end
$$;

-- Owners whose customers the viewer sees: itself and the accounts it leads (an administrator: all).
create function crm.customer_owner_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog as $$
declare
    v bigint := crm.customer_viewer();
begin
    if crm.sees_all_customers() then
        return array(select id from crm.account);
    end if;
    return array(select v where v is not null
                 union
                 select m.account_id
                   from crm.account_position l
                   join crm.position_lead pl on pl.leader_position_id = l.position_id
                   join crm.account_position m on m.position_id = pl.position_id
                  where l.account_id = v);
end
$$;

create function crm.public_department_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    if crm.sees_all_customers() then
        return array(select id from crm.department);
    end if;
    return array(select distinct r.department_id
                   from crm.account_position ap join crm.position_reach r on r.position_id = ap.position_id
                  where ap.account_id = crm.customer_viewer());
end
$$;

create function crm.scope_department_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog as $$
declare
    v bigint := crm.customer_viewer();
begin
    return array(select d.id from crm.management_scope s join crm.department d on d.organization_id = s.organization_id
                  where s.account_id = v
                 union
                 select c.descendant_id from crm.management_scope s
                   join crm.department_closure c on c.ancestor_id = s.department_id
                  where s.account_id = v);
end
$$;

create function crm.shared_customer_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    return array(select customer_id from crm.customer_share where account_id = crm.customer_viewer());
end
$$;

-- null: no category permission set (or an administrator), every type is allowed
create function crm.permitted_customer_type_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog as $$
declare
    v bigint := crm.customer_viewer();
begin
    if crm.sees_all_customers() or not exists (select from crm.account_category_permission where account_id = v) then
        return null;
    end if;
    return array(select type_id from crm.account_category_permission where account_id = v);
end
$$;

-- The "may change" rule for one row (update check, delete refusal, actions); select inlines it.
create function crm.may_edit_customer(p_owner bigint, p_department bigint, p_private boolean, p_type bigint)
returns boolean
language sql stable security definer set search_path = pg_catalog as $$
    select coalesce(
        (p_owner = any (crm.customer_owner_ids()) or p_department = any (crm.scope_department_ids())
         or (not p_private and p_department = any (crm.public_department_ids()))
         or (p_department is null and crm.sees_all_customers()))
        and (p_owner = v.id or t.ids is null or p_type = any (t.ids)), false)
      from (select crm.customer_viewer() as id) v, (select crm.permitted_customer_type_ids() as ids) t
$$;

-- Whether the caller sees a customer: runs the customer's own policy (security invoker).
create function crm.can_see_customer(p_customer bigint) returns boolean
language sql stable set search_path = pg_catalog as $$
    select exists (select from crm.customer where id = p_customer)
$$;

create function crm.can_edit_customer(p_customer bigint) returns boolean
language sql stable security definer set search_path = pg_catalog as $$
    select coalesce((select crm.may_edit_customer(owner_id, department_id, is_private, type_id)
                     from crm.customer where id = p_customer), false)
$$;

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------

do $$
declare
    t text;
begin
    foreach t in array array['customer_type', 'customer_category', 'customer_source', 'industry', 'region',
                             'customer', 'contact', 'customer_share', 'customer_history', 'contact_plan',
                             'account_category_permission', 'management_scope', 'private_customer_limit',
                             'position_lead', 'position_reach'] loop
        execute format('alter table crm.%I enable row level security', t);
        execute format('alter table crm.%I force row level security', t);
    end loop;
    foreach t in array array['customer_type', 'customer_category', 'customer_source', 'industry', 'region'] loop
        execute format('create policy "every account reads the %1$s list" on crm.%1$I for select to crm_user
                        using (true)', t);
        execute format('create policy "customer settings managers add to the %1$s list" on crm.%1$I
                        for insert to crm_user with check ((select crm.has_permission(''customer.settings'')))', t);
        execute format('create policy "customer settings managers change the %1$s list" on crm.%1$I
                        for update to crm_user using ((select crm.has_permission(''customer.settings'')))', t);
        execute format('create policy "customer settings managers remove from the %1$s list" on crm.%1$I
                        for delete to crm_user using ((select crm.has_permission(''customer.settings'')))', t);
    end loop;
    foreach t in array array['account_category_permission', 'management_scope', 'private_customer_limit'] loop
        execute format('create policy "accounts read their own %1$s, permission managers all" on crm.%1$I
                        for select to crm_user using (account_id = (select crm.current_account())
                                                      or (select crm.has_permission(''customer.permission'')))', t);
        execute format('create policy "customer permission managers add %1$s" on crm.%1$I for insert to crm_user
                        with check ((select crm.has_permission(''customer.permission'')))', t);
        execute format('create policy "customer permission managers change %1$s" on crm.%1$I for update to crm_user
                        using ((select crm.has_permission(''customer.permission'')))', t);
        execute format('create policy "customer permission managers remove %1$s" on crm.%1$I for delete to crm_user
                        using ((select crm.has_permission(''customer.permission'')))', t);
    end loop;
end
$$;

create policy "every account reads the position chart" on crm.position_lead for select to crm_user using (true);
create policy "every account reads what positions reach" on crm.position_reach for select to crm_user using (true);

-- the rule above, inlined so each array is computed once per statement and indexes apply
-- No top-level "or administrator": the planner would guess half the table passes and walk an
-- order's index instead of the policy's; administrators get every owner and department instead.
create policy "owners, sharees, leaders, scoped leaders and the department see customers"
    on crm.customer for select to crm_user using (
    (owner_id = any ((select crm.customer_owner_ids())::bigint[])
     or id = any ((select crm.shared_customer_ids())::bigint[])
     or department_id = any ((select crm.scope_department_ids())::bigint[])
     or (not is_private and department_id = any ((select crm.public_department_ids())::bigint[]))
     or (department_id is null and (select crm.sees_all_customers())))
    and (owner_id = (select crm.customer_viewer())
         or (select crm.permitted_customer_type_ids()) is null
         or type_id = any ((select crm.permitted_customer_type_ids())::bigint[])));
-- the "may change" rule inlined (not crm.may_edit_customer per row): an import of 100,000 rows
-- computes the arrays once
create policy "accounts add customers they may change" on crm.customer for insert to crm_user
    with check ((owner_id = any ((select crm.customer_owner_ids())::bigint[])
     or department_id = any ((select crm.scope_department_ids())::bigint[])
     or (not is_private and department_id = any ((select crm.public_department_ids())::bigint[]))
     or (department_id is null and (select crm.sees_all_customers())))
    and (owner_id = (select crm.customer_viewer())
         or (select crm.permitted_customer_type_ids()) is null
         or type_id = any ((select crm.permitted_customer_type_ids())::bigint[])));
create policy "owners, leaders and the department change customers" on crm.customer for update to crm_user
    using (crm.can_see_customer(id)) with check ((owner_id = any ((select crm.customer_owner_ids())::bigint[])
     or department_id = any ((select crm.scope_department_ids())::bigint[])
     or (not is_private and department_id = any ((select crm.public_department_ids())::bigint[]))
     or (department_id is null and (select crm.sees_all_customers())))
    and (owner_id = (select crm.customer_viewer())
         or (select crm.permitted_customer_type_ids()) is null
         or type_id = any ((select crm.permitted_customer_type_ids())::bigint[])));
create policy "owners, leaders and the department remove customers" on crm.customer for delete to crm_user
    using (crm.can_see_customer(id));
-- update and delete reach every visible row; crm.customer_refuse_foreign_write (0003b) turns
-- "visible but not yours to change" into an error instead of a silent "0 rows".

create policy "whoever sees a customer sees its contacts" on crm.contact for select to crm_user
    using (crm.can_see_customer(customer_id));
create policy "whoever may change a customer adds its contacts" on crm.contact for insert to crm_user
    with check (exists (select from crm.customer c where c.id = customer_id and (c.owner_id = any ((select crm.customer_owner_ids())::bigint[])
         or c.department_id = any ((select crm.scope_department_ids())::bigint[])
         or (not c.is_private and c.department_id = any ((select crm.public_department_ids())::bigint[]))
         or (c.department_id is null and (select crm.sees_all_customers())))
        and (c.owner_id = (select crm.customer_viewer())
             or (select crm.permitted_customer_type_ids()) is null
             or c.type_id = any ((select crm.permitted_customer_type_ids())::bigint[]))));
create policy "whoever may change a customer changes its contacts" on crm.contact for update to crm_user
    using (crm.can_edit_customer(customer_id));
create policy "whoever may change a customer removes its contacts" on crm.contact for delete to crm_user
    using (crm.can_edit_customer(customer_id));

create policy "receivers and whoever sees the customer see its shares" on crm.customer_share
    for select to crm_user using (account_id = (select crm.current_account()) or crm.can_see_customer(customer_id));
create policy "whoever may change a customer stops its shares" on crm.customer_share for delete to crm_user
    using (crm.can_edit_customer(customer_id));

create policy "whoever sees a customer reads its history" on crm.customer_history for select to crm_user
    using (crm.can_see_customer(customer_id));

create policy "followers, authors and whoever sees the customer see contact plans" on crm.contact_plan
    for select to crm_user using (account_id = (select crm.current_account())
                                  or created_by = (select crm.current_account()) or crm.can_see_customer(customer_id));
-- a sharee may follow a customer up: seeing it is enough to plan contact with it
create policy "whoever sees a customer plans contact with it" on crm.contact_plan for insert to crm_user
    with check (crm.can_see_customer(customer_id));
create policy "followers and whoever may change the customer change contact plans" on crm.contact_plan
    for update to crm_user using (account_id = (select crm.current_account()) or crm.can_edit_customer(customer_id));
create policy "authors and whoever may change the customer remove contact plans" on crm.contact_plan
    for delete to crm_user using (created_by = (select crm.current_account()) or crm.can_edit_customer(customer_id));

grant execute on function crm.customer_viewer(), crm.sees_all_customers(), crm.customer_owner_ids(),
    crm.public_department_ids(), crm.scope_department_ids(), crm.shared_customer_ids(),
    crm.permitted_customer_type_ids(), crm.may_edit_customer(bigint, bigint, boolean, bigint),
    crm.can_see_customer(bigint), crm.can_edit_customer(bigint), crm.bigrams(text),
    crm.bigrams_contain(text[], text[]) to crm_user;

call crm_meta.finish_migration();
