-- The customer archive's invariants and bookkeeping: defaults, explicit refusals, the private
-- customer limit, history, search text, versions, audit and change notifications, table grants.
-- depends: 0003a_customer_visibility

-- Definer functions check their own permission (crm.share_customers needs customer.share, not
-- customer.edit), so statement checks let writes made inside them (current_user crm_definer) pass.
create function crm.require_permission_outside_actions() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if current_user = 'crm_definer' or exists (select from unnest(tg_argv) code where crm.has_permission(code)) then
        return null;
    end if;
    raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                          detail = tg_argv[0], constraint = 'permission_denied';
end
$$;

create trigger customer_insert_permission before insert on crm.customer
    for each statement execute function crm.require_permission_outside_actions('customer.create', 'customer.import');
create trigger customer_update_permission before update on crm.customer
    for each statement execute function crm.require_permission_outside_actions('customer.edit');
create trigger customer_delete_permission before delete on crm.customer
    for each statement execute function crm.require_permission_outside_actions('customer.delete');
create trigger contact_permission before insert or update or delete on crm.contact
    for each statement execute function crm.require_permission_outside_actions('customer.edit', 'customer.create', 'contact.person');
do $$
declare
    t text;
begin
    foreach t in array array['customer_type', 'customer_category', 'customer_source', 'industry', 'region'] loop
        execute format('create trigger %1$s_permission before insert or update or delete on crm.%1$I
            for each statement execute function crm.require_permission_outside_actions(''customer.settings'')', t);
    end loop;
    foreach t in array array['account_category_permission', 'management_scope', 'private_customer_limit'] loop
        execute format('create trigger %1$s_permission before insert or update or delete on crm.%1$I
            for each statement execute function crm.require_permission_outside_actions(''customer.permission'')', t);
    end loop;
end
$$;

-- Defaults nobody can forge: the creator, the owner of a private customer, the owning department
-- (the owner's main department) and the number from the customer rule.
create function crm.customer_fill_defaults() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    me bigint := crm.current_account();  -- once per row: imports run this 100,000 times
begin
    if tg_op = 'INSERT' then
        new.created_by := me;
        if coalesce(new.number, '') = '' then
            new.number := crm.next_number('customer');
        end if;
    end if;
    if new.is_private and new.owner_id is null then
        new.owner_id := me;
    end if;
    if new.department_id is null then
        select p.department_id into new.department_id
          from crm.account_position ap join crm.position p on p.id = ap.position_id
         where ap.account_id = coalesce(new.owner_id, me) and ap.is_main;
    end if;
    return new;
end
$$;
create trigger customer_fill_defaults before insert or update of is_private, owner_id on crm.customer
    for each row execute function crm.customer_fill_defaults();

-- Visible but not the caller's to change: an error naming why, not the policy's generic refusal.
create function crm.customer_refuse_foreign_write() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if current_user <> 'crm_definer'
       and (not crm.may_edit_customer(old.owner_id, old.department_id, old.is_private, old.type_id)
            or (tg_op = 'UPDATE' and not crm.may_edit_customer(new.owner_id, new.department_id,
                                                                new.is_private, new.type_id))) then
        raise exception using errcode = 'insufficient_privilege', message = 'customer_not_editable',
                              constraint = 'customer_not_editable';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger customer_refuse_foreign_write before update or delete on crm.customer
    for each row execute function crm.customer_refuse_foreign_write();

-- A contact or a contact record changes the customer's search text or last-contact time, which
-- must not make an open customer form stale: only the archive's own fields bump the version.
create function crm.customer_bump_version() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if (to_jsonb(new) - array['contact_search', 'last_contact_at', 'search_key', 'version', 'updated_at'])
       is distinct from (to_jsonb(old) - array['contact_search', 'last_contact_at', 'search_key', 'version', 'updated_at']) then
        new.version := old.version + 1;
        new.updated_at := now();
    end if;
    return new;
end
$$;
create trigger customer_version before update on crm.customer
    for each row execute function crm.customer_bump_version();

create function crm.contact_refresh_search() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    update crm.customer c
       set contact_search = coalesce((select string_agg(concat_ws(' ', k.name, k.phone, k.mobile), ' ' order by k.id)
                                      from crm.contact k where k.customer_id = c.id), '')
     where c.id in (select customer_id from changed);
    return null;
end
$$;
create trigger contact_insert_search after insert on crm.contact referencing new table as changed
    for each statement execute function crm.contact_refresh_search();
create trigger contact_update_search after update on crm.contact referencing new table as changed
    for each statement execute function crm.contact_refresh_search();
create trigger contact_delete_search after delete on crm.contact referencing old table as changed
    for each statement execute function crm.contact_refresh_search();

-- ---------------------------------------------------------------------------------------------
-- 客户资源设置: nobody owns more private customers than their limit
-- ---------------------------------------------------------------------------------------------

-- Locks the owner's account row first, so two concurrent assignments to the same receiver queue
-- here and the second counts the first's customers (READ COMMITTED: each statement sees commits).
-- FOR NO KEY UPDATE does not conflict with the key-share locks of foreign-key checks.
create function crm.enforce_private_limit(p_owner bigint, p_adding bigint) returns void
language plpgsql security definer set search_path = pg_catalog as $$
declare
    v_limit integer;
    v_count bigint;
    v_name  text;
begin
    select max_private into v_limit from crm.private_customer_limit where account_id = p_owner;
    if v_limit is null then
        return;
    end if;
    select name into v_name from crm.account where id = p_owner for no key update;
    select max_private into v_limit from crm.private_customer_limit where account_id = p_owner;
    select count(*) into v_count from crm.customer where owner_id = p_owner and is_private;
    if v_count > v_limit then
        raise exception using errcode = 'check_violation', message = 'customer_private_limit_exceeded',
            constraint = 'customer_private_limit_exceeded',
            detail = json_build_object('name', v_name, 'limit', v_limit, 'count', v_count - p_adding,
                                       'adding', p_adding)::text;
    end if;
end
$$;

create function crm.customer_check_private_limit() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    r record;
begin
    if tg_op = 'INSERT' then
        for r in select owner_id, count(*) as adding from new_rows where is_private
                 group by owner_id order by owner_id loop
            perform crm.enforce_private_limit(r.owner_id, r.adding);
        end loop;
    else
        for r in select n.owner_id, count(*) as adding
                   from new_rows n join old_rows o on o.id = n.id
                  where n.is_private and (not o.is_private or o.owner_id is distinct from n.owner_id)
                  group by n.owner_id order by n.owner_id loop
            perform crm.enforce_private_limit(r.owner_id, r.adding);
        end loop;
    end if;
    return null;
end
$$;
create trigger customer_insert_private_limit after insert on crm.customer referencing new table as new_rows
    for each statement execute function crm.customer_check_private_limit();
create trigger customer_update_private_limit after update on crm.customer
    referencing old table as old_rows new table as new_rows
    for each statement execute function crm.customer_check_private_limit();

-- ---------------------------------------------------------------------------------------------
-- History, audit, notifications
-- ---------------------------------------------------------------------------------------------

create function crm.customer_record_type_change() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    insert into crm.customer_history (customer_id, actor_id, action, old_type_id, new_type_id)
    values (new.id, crm.current_account(), 'type_change', old.type_id, new.type_id);
    return null;
end
$$;
create trigger customer_record_type_change after update of type_id on crm.customer
    for each row when (old.type_id is distinct from new.type_id)
    execute function crm.customer_record_type_change();

-- One notification per row for small changes; an import or a bulk assignment sends one
-- "refresh everything" notice (id null) instead of flooding every client.
create function crm.notify_changes_in_bulk() returns trigger
language plpgsql set search_path = pg_catalog as $$
declare
    n bigint;
begin
    select count(*) into n from changed;
    if n > 50 then
        perform pg_notify('crm_changes', json_build_object('table', tg_table_name, 'op', lower(tg_op),
                                                           'id', null, 'count', n)::text);
    else
        -- shares have no id of their own: they name their customer
        perform pg_notify('crm_changes', json_build_object('table', tg_table_name, 'op', lower(tg_op),
                                                           'id', coalesce(r->'id', r->'customer_id'))::text)
           from (select to_jsonb(changed) as r from changed) rows;
    end if;
    return null;
end
$$;

do $$
declare
    t text;
begin
    foreach t in array array['customer_type', 'customer_category', 'customer_source', 'industry', 'region',
                             'contact', 'contact_plan'] loop
        execute format('create trigger %1$s_version before update on crm.%1$I
                        for each row execute function crm.bump_version()', t);
    end loop;
    foreach t in array array['customer_type', 'customer_category', 'customer_source', 'industry', 'region',
                             'customer', 'contact', 'customer_share', 'contact_plan', 'account_category_permission',
                             'management_scope', 'private_customer_limit'] loop
        execute format('create trigger %1$s_audit after insert or update or delete on crm.%1$I
                        for each row execute function crm.audit_row()', t);
    end loop;
    foreach t in array array['customer', 'contact', 'contact_plan', 'customer_share'] loop
        execute format('create trigger %1$s_notify_insert after insert on crm.%1$I referencing new table as changed
                        for each statement execute function crm.notify_changes_in_bulk()', t);
        execute format('create trigger %1$s_notify_update after update on crm.%1$I referencing new table as changed
                        for each statement execute function crm.notify_changes_in_bulk()', t);
        execute format('create trigger %1$s_notify_delete after delete on crm.%1$I referencing old table as changed
                        for each statement execute function crm.notify_changes_in_bulk()', t);
    end loop;
    foreach t in array array['customer_type', 'customer_category', 'customer_source', 'industry', 'region'] loop
        execute format('create trigger %1$s_notify after insert or update or delete on crm.%1$I
                        for each row execute function crm.notify_change()', t);
    end loop;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Table grants: the owner and department of a customer change only through crm.assign_customers
-- ---------------------------------------------------------------------------------------------

grant select, insert, update, delete on crm.customer_type, crm.customer_category, crm.customer_source,
    crm.industry, crm.account_category_permission, crm.management_scope, crm.private_customer_limit
    to crm_user;
grant select, insert (parent_id, name, sort_order), update (parent_id, name, sort_order), delete
    on crm.region to crm_user;
grant select, delete on crm.customer to crm_user;
grant insert (kind, is_private, owner_id, department_id, number, name, name_initials, type_id, category_id,
              region_id, source_id, industry_id, phone, mobile, fax, email, website, address, postcode,
              last_contact_at, notes) on crm.customer to crm_user;
grant update (kind, is_private, name, name_initials, type_id, category_id, region_id, source_id, industry_id,
              phone, mobile, fax, email, website, address, postcode, notes) on crm.customer to crm_user;
grant select, insert, update, delete on crm.contact to crm_user;
grant select, delete on crm.customer_share to crm_user;
grant select on crm.customer_history, crm.position_lead, crm.position_reach to crm_user;
grant select, insert (customer_id, account_id, planned_at, subject, done), update (planned_at, subject, done), delete
    on crm.contact_plan to crm_user;
grant execute on function crm.next_numbers(text, integer) to crm_user;

create function crm.contact_plan_fill_author() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    new.created_by := crm.current_account();
    return new;
end
$$;
create trigger contact_plan_fill_author before insert on crm.contact_plan
    for each row when (new.created_by is null) execute function crm.contact_plan_fill_author();

call crm_meta.finish_migration();
