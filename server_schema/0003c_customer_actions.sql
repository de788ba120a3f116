-- 客户共享 and 客户资源分派 (figures 12–13): each one function, one transaction, recorded in the
-- customers' history, optionally with a contact-plan reminder for the receivers.
-- depends: 0003b_customer_rules

-- The customers the caller may change among p_ids, locked in id order (two managers working on
-- overlapping selections queue instead of deadlocking); refuses the whole call if any is missing.
create function crm.lock_changeable_customers(p_ids bigint[]) returns setof crm.customer
language plpgsql security definer set search_path = pg_catalog as $$
declare
    v_found integer;
begin
    if coalesce(cardinality(p_ids), 0) = 0 then
        raise exception using errcode = 'invalid_parameter_value', message = 'customer_selection_empty',
                              constraint = 'customer_selection_empty';
    end if;
    return query select * from crm.customer where id = any (p_ids) order by id for update;
    get diagnostics v_found = row_count;
    if v_found <> (select count(distinct x) from unnest(p_ids) x)
       or exists (select from crm.customer c where c.id = any (p_ids)
                  and not crm.may_edit_customer(c.owner_id, c.department_id, c.is_private, c.type_id)) then
        raise exception using errcode = 'insufficient_privilege', message = 'customer_not_editable',
                              constraint = 'customer_not_editable';
    end if;
end
$$;

create function crm.require_active_receivers(p_receivers bigint[]) returns void
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if coalesce(cardinality(p_receivers), 0) = 0
       or exists (select from unnest(p_receivers) r(id) left join crm.account a on a.id = r.id
                  where a.id is null or a.status <> 'active' or a.locked or a.deleted_at is not null) then
        raise exception using errcode = 'invalid_parameter_value', message = 'customer_receiver_inactive',
                              constraint = 'customer_receiver_inactive';
    end if;
end
$$;

create function crm.require_customer_permission(p_code text) returns void
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if not crm.has_permission(p_code) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = p_code, constraint = 'permission_denied';
    end if;
end
$$;

create function crm.plan_contacts(p_ids bigint[], p_receivers bigint[], p_planned_at timestamptz,
                                  p_subject text) returns void
language sql security definer set search_path = pg_catalog as $$
    insert into crm.contact_plan (customer_id, account_id, planned_at, subject, created_by)
    select c, r, p_planned_at, coalesce(p_subject, ''), crm.current_account()
      from unnest(p_ids) c, unnest(p_receivers) r
     where p_planned_at is not null
$$;

-- Sharing gives the receivers read access and the right to follow the customer up (contact plans
-- and records); it changes nothing else.  Returns the number of customers shared.
create function crm.share_customers(p_ids bigint[], p_receivers bigint[], p_plan_at timestamptz default null,
                                    p_plan_subject text default null) returns integer
language plpgsql security definer set search_path = pg_catalog as $$
declare
    v_count integer;
begin
    perform crm.require_customer_permission('customer.share');
    perform crm.require_active_receivers(p_receivers);
    select count(*) into v_count from crm.lock_changeable_customers(p_ids);
    insert into crm.customer_share (customer_id, account_id, shared_by)
    select c, r, crm.current_account() from unnest(p_ids) c, unnest(p_receivers) r
    on conflict (customer_id, account_id) do nothing;
    insert into crm.customer_history (customer_id, actor_id, action, receivers)
    select distinct c, crm.current_account(), 'share', p_receivers from unnest(p_ids) c;
    perform crm.plan_contacts(p_ids, p_receivers, p_plan_at, p_plan_subject);
    return v_count;
end
$$;

create function crm.unshare_customers(p_ids bigint[], p_receivers bigint[]) returns integer
language plpgsql security definer set search_path = pg_catalog as $$
declare
    v_count integer;
begin
    perform crm.require_customer_permission('customer.share');
    perform crm.lock_changeable_customers(p_ids);
    delete from crm.customer_share where customer_id = any (p_ids) and account_id = any (p_receivers);
    get diagnostics v_count = row_count;
    insert into crm.customer_history (customer_id, actor_id, action, receivers)
    select distinct c, crm.current_account(), 'unshare', p_receivers from unnest(p_ids) c;
    return v_count;
end
$$;

-- Assigning makes the receiver the owner: the customer becomes the receiver's private customer in
-- the receiver's main department, optionally of another type.  The private limit trigger refuses
-- the whole assignment if the receiver would hold more than their limit.
create function crm.assign_customers(p_ids bigint[], p_receiver bigint, p_reason text default '',
                                     p_new_type bigint default null, p_plan_at timestamptz default null,
                                     p_plan_subject text default null) returns integer
language plpgsql security definer set search_path = pg_catalog as $$
declare
    v_before     crm.customer[];
    v_department bigint;
    v_count      integer;
begin
    perform crm.require_customer_permission('customer.assign');
    perform crm.require_active_receivers(array[p_receiver]);
    select array_agg(c) into v_before from crm.lock_changeable_customers(p_ids) c;
    select p.department_id into v_department
      from crm.account_position ap join crm.position p on p.id = ap.position_id
     where ap.account_id = p_receiver and ap.is_main;
    update crm.customer c
       set owner_id = p_receiver, is_private = true, department_id = coalesce(v_department, c.department_id),
           type_id = coalesce(p_new_type, c.type_id)
     where c.id = any (p_ids);
    get diagnostics v_count = row_count;
    insert into crm.customer_history (customer_id, actor_id, action, from_owner, to_owner, old_type_id,
                                      new_type_id, reason)
    select b.id, crm.current_account(), 'assign', b.owner_id, p_receiver, b.type_id,
           coalesce(p_new_type, b.type_id), coalesce(p_reason, '')
      from unnest(v_before) b;
    perform crm.plan_contacts(p_ids, array[p_receiver], p_plan_at, p_plan_subject);
    return v_count;
end
$$;

grant execute on function crm.share_customers(bigint[], bigint[], timestamptz, text),
    crm.unshare_customers(bigint[], bigint[]),
    crm.assign_customers(bigint[], bigint, text, bigint, timestamptz, text) to crm_user;

call crm_meta.finish_migration();
