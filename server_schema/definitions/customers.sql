-- customers: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.account_position_moves_customers()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.account_sees_customer(p_account bigint, p_customer bigint)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.assign_customers(p_ids bigint[], p_receiver bigint, p_reason text DEFAULT ''::text, p_new_type bigint DEFAULT NULL::bigint, p_plan_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_plan_subject text DEFAULT NULL::text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
grant execute on function crm.assign_customers(bigint[],bigint,text,bigint,timestamp with time zone,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.audit_rows()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if tg_op = 'INSERT' then
        insert into crm.audit_log (table_name, row_id, operation, changes)
        select tg_table_name, r->>'id', 'insert', r from (select to_jsonb(n) as r from new_rows n) rows;
    else
        insert into crm.audit_log (table_name, row_id, operation, changes)
        select tg_table_name, r->>'id', 'delete', r from (select to_jsonb(o) as r from old_rows o) rows;
    end if;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.bigrams(p text)
 RETURNS text[]
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE LEAKPROOF
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    s text := regexp_replace(coalesce(p, ''), '\s', ' ', 'g');
    grams text[] := '{}';
    g text;
begin
    for i in 1 .. length(s) - 1 loop
        g := substr(s, i, 2);
        if strpos(g, ' ') = 0 then
            grams := grams || g;
        end if;
    end loop;
    return grams;
end
$function$;
grant execute on function crm.bigrams(text) to crm_user;

CREATE OR REPLACE FUNCTION crm.bigrams_contain(text[], text[])
 RETURNS boolean
 LANGUAGE internal
 IMMUTABLE PARALLEL SAFE STRICT LEAKPROOF
AS $function$arraycontains$function$;
grant execute on function crm.bigrams_contain(text[],text[]) to crm_user;

CREATE OR REPLACE FUNCTION crm.can_edit_customer(p_customer bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select coalesce((select crm.may_edit_customer(owner_id, department_id, is_private, type_id)
                     from crm.customer where id = p_customer), false)
$function$;
grant execute on function crm.can_edit_customer(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.can_see_customer(p_customer bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select exists (select from crm.customer where id = p_customer)
$function$;
grant execute on function crm.can_see_customer(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.contact_plan_contact_of_customer()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if new.contact_id is not null
       and not exists (select from crm.contact k where k.id = new.contact_id and k.customer_id = new.customer_id) then
        raise exception using errcode = 'check_violation', message = 'contact_not_of_customer',
                              constraint = 'contact_not_of_customer';
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_plan_fill_author()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    new.created_by := crm.current_account();
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_plan_follower_sees_customer()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if current_setting('is_superuser') <> 'on' and crm.may_see_customer(new.customer_id)
       and not crm.follower_sees_customer(new.account_id, new.customer_id) then
        raise exception using errcode = 'insufficient_privilege', message = 'contact_plan_follower_cannot_see',
                              constraint = 'contact_plan_follower_cannot_see';
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_plan_keep_executed()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    -- a plan a record executed stays done: reopened, its reminders would come back and executing it
    -- again would fail (a definer, so that a record the account cannot see still counts)
    if old.done and not new.done and exists (select from crm.contact_record r where r.plan_id = old.id) then
        raise exception using errcode = 'check_violation', message = 'contact_plan_executed',
                              constraint = 'contact_plan_executed';
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_plan_refuse_foreign_write()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    -- a plan one sees (as its author, a leader, or through the customer) but is neither the
    -- follower of nor may change the customer of: refused, not silently left alone
    if current_user in ('crm_definer', 'crm_owner') or current_setting('is_superuser') = 'on' then
        return new;
    end if;
    if old.account_id is distinct from crm.customer_viewer()
       and not crm.can_edit_customer(old.customer_id) then
        raise exception using errcode = 'insufficient_privilege', message = 'contact_plan_not_changeable',
                              constraint = 'contact_plan_not_changeable';
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_plan_sync_reminders()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- The agent's outbox follows the plan: a done plan or a reminder switched off takes its unsent
-- rows away; a moved time makes a sent one due again.
declare
    v_due timestamptz := new.planned_at - make_interval(mins => new.remind_minutes);
begin
    delete from crm.reminder_delivery d
     where d.plan_id = new.id and d.status <> 'sent'
       and (new.done or (d.channel = 'email' and not new.remind_email) or (d.channel = 'sms' and not new.remind_sms));
    if new.done then
        return null;
    end if;
    insert into crm.reminder_delivery as d (plan_id, channel, due_at, next_attempt_at)
    select new.id, ch, v_due, v_due
      from unnest(array['email', 'sms']) ch
     where (ch = 'email' and new.remind_email) or (ch = 'sms' and new.remind_sms)
    on conflict (plan_id, channel) do update
       set due_at = excluded.due_at, next_attempt_at = excluded.next_attempt_at, status = 'pending',
           attempts = 0, last_error = '', sent_at = null
     where d.due_at is distinct from excluded.due_at;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_refresh_search()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    update crm.customer c
       set contact_search = t.text
      from (select i.id, coalesce((select string_agg(concat_ws(' ', k.name, k.phone, k.mobile), ' ' order by k.id)
                                     from crm.contact k where k.customer_id = i.id), '') as text
              from (select distinct customer_id as id from changed) i) t
     where c.id = t.id and c.contact_search is distinct from t.text;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_refuse_foreign_write()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    -- crm_owner: the cascade of a customer deleted by crm.delete_customers (referential actions run
    -- as the table owner), which checked the customer itself.  A separate IF: EXECUTE on
    -- crm.can_edit_customer is checked when the condition is prepared, whatever AND would skip.
    if current_user in ('crm_definer', 'crm_owner') or current_setting('is_superuser') = 'on' then
        return case when tg_op = 'DELETE' then old else new end;
    end if;
    if (not crm.can_edit_customer(old.customer_id)
            or (tg_op = 'UPDATE' and new.customer_id is distinct from old.customer_id
                and not crm.can_edit_customer(new.customer_id))) then
        raise exception using errcode = 'insufficient_privilege', message = 'customer_not_editable',
                              constraint = 'customer_not_editable';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$function$;

CREATE OR REPLACE FUNCTION crm.customer_bump_version()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if (to_jsonb(new) - array['contact_search', 'last_contact_at', 'search_key', 'version', 'updated_at', 'updated_by'])
       is distinct from (to_jsonb(old) - array['contact_search', 'last_contact_at', 'search_key', 'version', 'updated_at', 'updated_by']) then
        new.version := old.version + 1;
        new.updated_at := now();
        new.updated_by := crm.current_account();
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.customer_check_private_department()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.customer_fill_defaults()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.customer_guard_owner()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    me bigint;
begin
    if current_user = 'crm_definer' or current_setting('is_superuser') = 'on' then
        null;  -- the assign function and crm-admin
    elsif tg_op = 'INSERT' then
        -- public customers too are owned by whoever files them (an import runs this per row:
        -- the identity is looked up once)
        me := crm.current_account();
        new.owner_id := coalesce(new.owner_id, me);
        if new.owner_id is distinct from me then
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
$function$;

CREATE OR REPLACE FUNCTION crm.customer_owner_ids()
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    v bigint := crm.customer_viewer();
begin
    if crm.sees_all_customers() then
        return array(select id from crm.account);
    end if;
    if v is null then
        return '{}';
    end if;
    return array[v] || coalesce((select led_account_ids from crm.viewer_reach where account_id = v), '{}');
end
$function$;
grant execute on function crm.customer_owner_ids() to crm_user;

CREATE OR REPLACE FUNCTION crm.customer_record_type_change()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    insert into crm.customer_history (customer_id, actor_id, action, old_type_id, new_type_id)
    values (new.id, crm.current_account(), 'type_change', old.type_id, new.type_id);
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.customer_refuse_foreign_write()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.customer_viewer()
 RETURNS bigint
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    v bigint := crm.current_account();
begin
    if v is not null and exists (select from crm.account_role ar where ar.account_id = v) then
        return v;
    end if;
    return null;
end
$function$;
grant execute on function crm.customer_viewer() to crm_user;

CREATE OR REPLACE FUNCTION crm.customers_in_archive(p_names text[], p_phones text[], p_exclude bigint DEFAULT NULL::bigint)
 RETURNS TABLE(value text, kind text, owner_name text, disclosed boolean)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- 撞单 (duplicate protection): which of these names or phones the whole archive already holds,
-- including customers the caller cannot see.  It reveals that the name or phone exists and, while
-- the administrator's switch crm.customer_archive_setting.disclose_duplicate_owner is on, the name
-- of the customer's follower (owner) — never the customer's number, contacts or anything else.
-- Only accounts that may add or import customers ask (docs/admin-guide.md).
declare
    v_disclose boolean := (select s.disclose_duplicate_owner from crm.customer_archive_setting s);
begin
    if not (crm.has_permission('customer.create') or crm.has_permission('customer.import')) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              constraint = 'permission_denied';
    end if;
    return query
    with names as (
        select distinct n.v, lower(regexp_replace(normalize(n.v, NFKC), '[[:space:][:punct:]、，。·]', '', 'g')) as k
          from unnest(p_names) as n(v)
         where coalesce(n.v, '') <> ''),
    phones as (
        select distinct p.v, regexp_replace(normalize(p.v, NFKC), '[^0-9]', '', 'g') as k
          from unnest(p_phones) as p(v)
         where coalesce(p.v, '') <> ''),
    found as (
        select n.v, 'name'::text as kind, c.owner_id
          from names n
          join crm.customer c
            on lower(regexp_replace(normalize(c.name, NFKC), '[[:space:][:punct:]、，。·]', '', 'g')) = n.k
         where n.k <> '' and c.id is distinct from p_exclude
        union all
        select p.v, 'phone', c.owner_id
          from phones p
          join crm.customer c on regexp_replace(c.phone, '[^0-9]', '', 'g') = p.k and c.phone <> ''
         where length(p.k) >= 7 and c.id is distinct from p_exclude
        union all
        select p.v, 'phone', c.owner_id
          from phones p
          join crm.customer c on c.mobile = right(p.k, 11) and c.mobile <> ''
         where length(p.k) >= 11 and c.id is distinct from p_exclude)
    select distinct on (f.v) f.v, f.kind, case when v_disclose then a.name end, v_disclose
      from found f
      left join crm.account a on a.id = f.owner_id
     order by f.v, f.kind, a.name;
end
$function$;
grant execute on function crm.customers_in_archive(text[],text[],bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.delete_customers(p_ids bigint[])
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- Deleting customers is a function: accounts hold no DELETE on crm.customer, which would let any of
-- them LOCK TABLE crm.customer IN ACCESS EXCLUSIVE MODE.  All or nothing: one customer the caller
-- may not change (or cannot see, or that does not exist: the same answer) refuses the whole call.
declare
    v_count integer;
begin
    perform crm.require_customer_permission('customer.delete');
    perform crm.lock_changeable_customers(p_ids);
    delete from crm.customer where id = any (p_ids);
    get diagnostics v_count = row_count;
    return v_count;
end
$function$;
grant execute on function crm.delete_customers(bigint[]) to crm_user;

CREATE OR REPLACE FUNCTION crm.follower_sees_customer(p_account bigint, p_customer bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select crm.may_see_customer(p_customer) and crm.account_sees_customer(p_account, p_customer)
$function$;
grant execute on function crm.follower_sees_customer(bigint,bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.lock_changeable_customers(p_ids bigint[])
 RETURNS SETOF crm.customer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.main_department_of(p_account bigint)
 RETURNS bigint
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select p.department_id from crm.account_position ap join crm.position p on p.id = ap.position_id
     where ap.account_id = p_account and ap.is_main
$function$;
grant execute on function crm.main_department_of(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.may_edit_customer(p_owner bigint, p_department bigint, p_private boolean, p_type bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select coalesce(
        ((p_private and p_owner = any (crm.customer_owner_ids())) or p_owner = v.id
         or (not p_private and p_department = any (crm.public_department_ids()))
         or (p_department is null and crm.sees_all_customers()))
        and (p_owner = v.id or t.ids is null or p_type = any (t.ids)), false)
      from (select crm.customer_viewer() as id) v, (select crm.permitted_customer_type_ids() as ids) t
$function$;
grant execute on function crm.may_edit_customer(bigint,bigint,boolean,bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.may_see_customer(p_customer bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
grant execute on function crm.may_see_customer(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.move_private_customers(p_accounts bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    update crm.customer c
       set department_id = d.department_id
      from (select a.id, crm.main_department_of(a.id) as department_id
              from crm.account a where a.id = any (p_accounts)) d
     where c.owner_id = d.id and c.is_private and c.department_id is distinct from d.department_id;
end
$function$;

CREATE OR REPLACE FUNCTION crm.next_numbers(p_rule text, p_count integer)
 RETURNS text[]
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    r        crm.numbering_rule;
    v_period text;
    v_last   bigint;
begin
    select * into r from crm.numbering_rule where code = p_rule;
    if not found then
        raise exception using errcode = 'no_data_found', message = 'numbering_rule_missing',
                              constraint = 'numbering_rule_missing';
    end if;
    if p_count < 1 then
        return '{}';
    end if;
    v_period := case when r.date_format = '' then '' else to_char(current_date, r.date_format) end;
    insert into crm.numbering_counter as c (rule_code, segment, period, last_value)
    values (p_rule, '', v_period, p_count)
    on conflict (rule_code, segment, period) do update set last_value = c.last_value + p_count
    returning c.last_value into v_last;
    return array(select crm.format_number(r, '', v_period, v)
                 from generate_series(v_last - p_count + 1, v_last) v order by v);
end
$function$;

CREATE OR REPLACE FUNCTION crm.notify_changes_in_bulk()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.permitted_customer_type_ids()
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if crm.sees_all_customers() then
        return null;
    end if;
    return crm.permitted_customer_type_ids_of(crm.customer_viewer());
end
$function$;
grant execute on function crm.permitted_customer_type_ids() to crm_user;

CREATE OR REPLACE FUNCTION crm.permitted_customer_type_ids_of(p_account bigint)
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if crm.account_has_permission(p_account, 'system.admin')
       or not exists (select from crm.account_category_permission where account_id = p_account) then
        return null;
    end if;
    return array(select type_id from crm.account_category_permission where account_id = p_account);
end
$function$;

CREATE OR REPLACE FUNCTION crm.plan_contacts(p_ids bigint[], p_receivers bigint[], p_planned_at timestamp with time zone, p_subject text)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    insert into crm.contact_plan (customer_id, account_id, planned_at, subject, created_by)
    select c, r, p_planned_at, coalesce(p_subject, ''), crm.current_account()
      from unnest(p_ids) c, unnest(p_receivers) r
     where p_planned_at is not null
$function$;

CREATE OR REPLACE FUNCTION crm.position_move_customers()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.move_private_customers(array(
        select ap.account_id from new_rows n join old_rows o on o.id = n.id
          join crm.account_position ap on ap.position_id = n.id and ap.is_main
         where n.department_id is distinct from o.department_id));
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.private_customer_counts()
 RETURNS TABLE(account_id bigint, owned bigint)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not crm.has_permission('customer.assign') and not crm.has_permission('customer.permission') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'customer.permission', constraint = 'permission_denied';
    end if;
    return query select c.owner_id, count(*) from crm.customer c
                  where c.is_private and c.owner_id is not null group by c.owner_id;
end
$function$;
grant execute on function crm.private_customer_counts() to crm_user;

CREATE OR REPLACE FUNCTION crm.private_customer_status(p_account bigint, OUT owned bigint, OUT max_private integer)
 RETURNS record
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if p_account is distinct from crm.current_account()
       and not crm.has_permission('customer.assign') and not crm.has_permission('customer.permission') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'customer.assign', constraint = 'permission_denied';
    end if;
    select count(*) into owned from crm.customer c where c.owner_id = p_account and c.is_private;
    select l.max_private into max_private from crm.private_customer_limit l where l.account_id = p_account;
end
$function$;
grant execute on function crm.private_customer_status(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.public_department_ids()
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if crm.sees_all_customers() then
        return array(select id from crm.department);
    end if;
    return coalesce((select public_department_ids from crm.viewer_reach where account_id = crm.customer_viewer()), '{}');
end
$function$;
grant execute on function crm.public_department_ids() to crm_user;

CREATE OR REPLACE FUNCTION crm.rebuild_position_chart()
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
    perform crm.rebuild_viewer_reach();
end
$function$;

CREATE OR REPLACE FUNCTION crm.rebuild_viewer_reach()
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    lock table crm.viewer_reach in exclusive mode;
    delete from crm.viewer_reach;
    insert into crm.viewer_reach (account_id, led_account_ids, public_department_ids)
    select a.id,
           array(select distinct m.account_id
                   from crm.account_position l
                   join crm.position_lead pl on pl.leader_position_id = l.position_id
                   join crm.account_position m on m.position_id = pl.position_id
                  where l.account_id = a.id and m.account_id <> a.id order by 1),
           array(select distinct r.department_id
                   from crm.account_position ap join crm.position_reach r on r.position_id = ap.position_id
                  where ap.account_id = a.id order by 1)
      from crm.account a
     where exists (select from crm.account_position ap where ap.account_id = a.id);
end
$function$;

CREATE OR REPLACE FUNCTION crm.refresh_position_chart()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.rebuild_position_chart();
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.refresh_viewer_reach()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.rebuild_viewer_reach();
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.region_cascade_path()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if new.path <> old.path then
        update crm.region set parent_id = parent_id where parent_id = new.id;
    end if;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.region_set_path()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    parent_path text;
begin
    if new.parent_id is not null then
        select path into parent_path from crm.region where id = new.parent_id;
        if parent_path = new.path or parent_path like new.path || '.%' then
            raise exception using errcode = 'check_violation', message = 'region_parent_cycle',
                                  constraint = 'region_parent_cycle';
        end if;
    end if;
    new.path := coalesce(parent_path || '.', '') || btrim(new.name);
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.require_active_receivers(p_receivers bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if coalesce(cardinality(p_receivers), 0) = 0
       or exists (select from unnest(p_receivers) r(id) left join crm.account a on a.id = r.id
                  where a.id is null or a.status <> 'active' or a.locked or a.deleted_at is not null
                     or a.valid_until < current_date) then
        raise exception using errcode = 'invalid_parameter_value', message = 'customer_receiver_inactive',
                              constraint = 'customer_receiver_inactive';
    end if;
end
$function$;

CREATE OR REPLACE FUNCTION crm.require_customer_permission(p_code text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not crm.has_permission(p_code) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = p_code, constraint = 'permission_denied';
    end if;
end
$function$;

CREATE OR REPLACE FUNCTION crm.require_permission_outside_actions()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if current_user = 'crm_definer' or exists (select from unnest(tg_argv) code where crm.has_permission(code)) then
        return null;
    end if;
    raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                          detail = tg_argv[0], constraint = 'permission_denied';
end
$function$;

CREATE OR REPLACE FUNCTION crm.scope_department_ids()
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    v bigint := crm.customer_viewer();
begin
    if v is null then
        return '{}';
    end if;
    return crm.scope_department_ids_of(v);
end
$function$;
grant execute on function crm.scope_department_ids() to crm_user;

CREATE OR REPLACE FUNCTION crm.scope_department_ids_of(p_account bigint)
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    return array(select d.id from crm.management_scope s join crm.department d on d.organization_id = s.organization_id
                  where s.account_id = p_account
                 union
                 select c.descendant_id from crm.management_scope s
                   join crm.department_closure c on c.ancestor_id = s.department_id
                  where s.account_id = p_account);
end
$function$;

CREATE OR REPLACE FUNCTION crm.sees_all_customers()
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    return crm.has_permission('system.admin');
end
$function$;
grant execute on function crm.sees_all_customers() to crm_user;

CREATE OR REPLACE FUNCTION crm.set_duplicate_owner_disclosure(p_disclose boolean)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- The administrator's 撞单 switch: whether crm.customers_in_archive names the follower.
begin
    if not crm.has_permission('customer.settings') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              constraint = 'permission_denied';
    end if;
    update crm.customer_archive_setting set disclose_duplicate_owner = p_disclose where id;
end
$function$;
grant execute on function crm.set_duplicate_owner_disclosure(boolean) to crm_user;

CREATE OR REPLACE FUNCTION crm.share_customers(p_ids bigint[], p_receivers bigint[], p_plan_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_plan_subject text DEFAULT NULL::text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
grant execute on function crm.share_customers(bigint[],bigint[],timestamp with time zone,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.shared_customer_ids()
 RETURNS bigint[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    v bigint := crm.customer_viewer();
begin
    if v is null then
        return '{}';
    end if;
    return array(select customer_id from crm.customer_share where account_id = v);
end
$function$;
grant execute on function crm.shared_customer_ids() to crm_user;

CREATE OR REPLACE FUNCTION crm.unshare_customers(p_ids bigint[], p_receivers bigint[])
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
grant execute on function crm.unshare_customers(bigint[],bigint[]) to crm_user;

drop policy if exists "accounts read their own account_category_permission, permission" on crm.account_category_permission;
create policy "accounts read their own account_category_permission, permission" on crm.account_category_permission as permissive for select to crm_user
    using (((account_id = ( SELECT crm.current_account() AS current_account)) OR ( SELECT crm.has_permission('customer.permission'::text) AS has_permission)));

drop policy if exists "accounts without a role see and change nothing" on crm.account_category_permission;
create policy "accounts without a role see and change nothing" on crm.account_category_permission as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer permission managers add account_category_permission" on crm.account_category_permission;
create policy "customer permission managers add account_category_permission" on crm.account_category_permission as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "customer permission managers change account_category_permission" on crm.account_category_permission;
create policy "customer permission managers change account_category_permission" on crm.account_category_permission as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "customer permission managers remove account_category_permission" on crm.account_category_permission;
create policy "customer permission managers remove account_category_permission" on crm.account_category_permission as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.contact_plan;
create policy "accounts without a role see and change nothing" on crm.contact_plan as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "authors and whoever may change the customer remove contact plan" on crm.contact_plan;
create policy "authors and whoever may change the customer remove contact plan" on crm.contact_plan as permissive for delete to crm_user
    using (((created_by = ( SELECT crm.customer_viewer() AS customer_viewer)) OR crm.can_edit_customer(customer_id)));

drop policy if exists "followers and whoever may change the customer change contact pl" on crm.contact_plan;
create policy "followers and whoever may change the customer change contact pl" on crm.contact_plan as permissive for update to crm_user
    using (((account_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (created_by = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR crm.can_see_customer(customer_id)));

drop policy if exists "followers, authors, their leaders and whoever sees the customer" on crm.contact_plan;
create policy "followers, authors, their leaders and whoever sees the customer" on crm.contact_plan as permissive for select to crm_user
    using (((account_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (created_by = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR crm.can_see_customer(customer_id)));

drop policy if exists "whoever sees a customer plans contact with it for someone who s" on crm.contact_plan;
create policy "whoever sees a customer plans contact with it for someone who s" on crm.contact_plan as permissive for insert to crm_user
    with check ((crm.can_see_customer(customer_id) AND crm.follower_sees_customer(account_id, customer_id)));

drop policy if exists "accounts without a role see and change nothing" on crm.customer_archive_setting;
create policy "accounts without a role see and change nothing" on crm.customer_archive_setting as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the archive settings" on crm.customer_archive_setting;
create policy "every account reads the archive settings" on crm.customer_archive_setting as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.customer_category;
create policy "accounts without a role see and change nothing" on crm.customer_category as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer settings managers add to the customer_category list" on crm.customer_category;
create policy "customer settings managers add to the customer_category list" on crm.customer_category as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers change the customer_category list" on crm.customer_category;
create policy "customer settings managers change the customer_category list" on crm.customer_category as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers remove from the customer_category li" on crm.customer_category;
create policy "customer settings managers remove from the customer_category li" on crm.customer_category as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "every account reads the customer_category list" on crm.customer_category;
create policy "every account reads the customer_category list" on crm.customer_category as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.customer_history;
create policy "accounts without a role see and change nothing" on crm.customer_history as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "whoever sees a customer reads its history" on crm.customer_history;
create policy "whoever sees a customer reads its history" on crm.customer_history as permissive for select to crm_user
    using (crm.can_see_customer(customer_id));

drop policy if exists "accounts without a role see and change nothing" on crm.customer_share;
create policy "accounts without a role see and change nothing" on crm.customer_share as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "receivers and whoever sees the customer see its shares" on crm.customer_share;
create policy "receivers and whoever sees the customer see its shares" on crm.customer_share as permissive for select to crm_user
    using (((account_id = ( SELECT crm.customer_viewer() AS customer_viewer)) OR crm.can_see_customer(customer_id)));

drop policy if exists "whoever may change a customer stops its shares" on crm.customer_share;
create policy "whoever may change a customer stops its shares" on crm.customer_share as permissive for delete to crm_user
    using (crm.can_edit_customer(customer_id));

drop policy if exists "accounts without a role see and change nothing" on crm.customer_source;
create policy "accounts without a role see and change nothing" on crm.customer_source as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer settings managers add to the customer_source list" on crm.customer_source;
create policy "customer settings managers add to the customer_source list" on crm.customer_source as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers change the customer_source list" on crm.customer_source;
create policy "customer settings managers change the customer_source list" on crm.customer_source as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers remove from the customer_source list" on crm.customer_source;
create policy "customer settings managers remove from the customer_source list" on crm.customer_source as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "every account reads the customer_source list" on crm.customer_source;
create policy "every account reads the customer_source list" on crm.customer_source as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.customer_type;
create policy "accounts without a role see and change nothing" on crm.customer_type as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer settings managers add to the customer_type list" on crm.customer_type;
create policy "customer settings managers add to the customer_type list" on crm.customer_type as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers change the customer_type list" on crm.customer_type;
create policy "customer settings managers change the customer_type list" on crm.customer_type as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers remove from the customer_type list" on crm.customer_type;
create policy "customer settings managers remove from the customer_type list" on crm.customer_type as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "every account reads the customer_type list" on crm.customer_type;
create policy "every account reads the customer_type list" on crm.customer_type as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.industry;
create policy "accounts without a role see and change nothing" on crm.industry as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer settings managers add to the industry list" on crm.industry;
create policy "customer settings managers add to the industry list" on crm.industry as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers change the industry list" on crm.industry;
create policy "customer settings managers change the industry list" on crm.industry as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers remove from the industry list" on crm.industry;
create policy "customer settings managers remove from the industry list" on crm.industry as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "every account reads the industry list" on crm.industry;
create policy "every account reads the industry list" on crm.industry as permissive for select to crm_user
    using (true);

drop policy if exists "accounts read their own management_scope, permission managers a" on crm.management_scope;
create policy "accounts read their own management_scope, permission managers a" on crm.management_scope as permissive for select to crm_user
    using (((account_id = ( SELECT crm.current_account() AS current_account)) OR ( SELECT crm.has_permission('customer.permission'::text) AS has_permission)));

drop policy if exists "accounts without a role see and change nothing" on crm.management_scope;
create policy "accounts without a role see and change nothing" on crm.management_scope as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer permission managers add management_scope" on crm.management_scope;
create policy "customer permission managers add management_scope" on crm.management_scope as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "customer permission managers change management_scope" on crm.management_scope;
create policy "customer permission managers change management_scope" on crm.management_scope as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "customer permission managers remove management_scope" on crm.management_scope;
create policy "customer permission managers remove management_scope" on crm.management_scope as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.position_lead;
create policy "accounts without a role see and change nothing" on crm.position_lead as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the position chart" on crm.position_lead;
create policy "every account reads the position chart" on crm.position_lead as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.position_reach;
create policy "accounts without a role see and change nothing" on crm.position_reach as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads what positions reach" on crm.position_reach;
create policy "every account reads what positions reach" on crm.position_reach as permissive for select to crm_user
    using (true);

drop policy if exists "accounts read their own private_customer_limit, permission mana" on crm.private_customer_limit;
create policy "accounts read their own private_customer_limit, permission mana" on crm.private_customer_limit as permissive for select to crm_user
    using (((account_id = ( SELECT crm.current_account() AS current_account)) OR ( SELECT crm.has_permission('customer.permission'::text) AS has_permission)));

drop policy if exists "accounts without a role see and change nothing" on crm.private_customer_limit;
create policy "accounts without a role see and change nothing" on crm.private_customer_limit as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer permission managers add private_customer_limit" on crm.private_customer_limit;
create policy "customer permission managers add private_customer_limit" on crm.private_customer_limit as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "customer permission managers change private_customer_limit" on crm.private_customer_limit;
create policy "customer permission managers change private_customer_limit" on crm.private_customer_limit as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "customer permission managers remove private_customer_limit" on crm.private_customer_limit;
create policy "customer permission managers remove private_customer_limit" on crm.private_customer_limit as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.permission'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.region;
create policy "accounts without a role see and change nothing" on crm.region as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer settings managers add to the region list" on crm.region;
create policy "customer settings managers add to the region list" on crm.region as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers change the region list" on crm.region;
create policy "customer settings managers change the region list" on crm.region as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers remove from the region list" on crm.region;
create policy "customer settings managers remove from the region list" on crm.region as permissive for delete to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "every account reads the region list" on crm.region;
create policy "every account reads the region list" on crm.region as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.viewer_reach;
create policy "accounts without a role see and change nothing" on crm.viewer_reach as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop trigger if exists account_category_permission_audit on crm.account_category_permission;
CREATE TRIGGER account_category_permission_audit AFTER UPDATE ON crm.account_category_permission FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists account_category_permission_audit_delete on crm.account_category_permission;
CREATE TRIGGER account_category_permission_audit_delete AFTER DELETE ON crm.account_category_permission REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_category_permission_audit_insert on crm.account_category_permission;
CREATE TRIGGER account_category_permission_audit_insert AFTER INSERT ON crm.account_category_permission REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists account_category_permission_permission on crm.account_category_permission;
CREATE TRIGGER account_category_permission_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.account_category_permission FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.permission');

drop trigger if exists contact_plan_audit on crm.contact_plan;
CREATE TRIGGER contact_plan_audit AFTER UPDATE ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists contact_plan_audit_delete on crm.contact_plan;
CREATE TRIGGER contact_plan_audit_delete AFTER DELETE ON crm.contact_plan REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists contact_plan_audit_insert on crm.contact_plan;
CREATE TRIGGER contact_plan_audit_insert AFTER INSERT ON crm.contact_plan REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists contact_plan_contact_of_customer on crm.contact_plan;
CREATE TRIGGER contact_plan_contact_of_customer BEFORE INSERT OR UPDATE OF contact_id, customer_id ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.contact_plan_contact_of_customer();

drop trigger if exists contact_plan_fill_author on crm.contact_plan;
CREATE TRIGGER contact_plan_fill_author BEFORE INSERT ON crm.contact_plan FOR EACH ROW WHEN ((new.created_by IS NULL)) EXECUTE FUNCTION crm.contact_plan_fill_author();

drop trigger if exists contact_plan_follower_sees_customer on crm.contact_plan;
CREATE TRIGGER contact_plan_follower_sees_customer BEFORE INSERT OR UPDATE OF account_id, customer_id ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.contact_plan_follower_sees_customer();

drop trigger if exists contact_plan_keep_executed on crm.contact_plan;
CREATE TRIGGER contact_plan_keep_executed BEFORE UPDATE OF done ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.contact_plan_keep_executed();

drop trigger if exists contact_plan_notify_delete on crm.contact_plan;
CREATE TRIGGER contact_plan_notify_delete AFTER DELETE ON crm.contact_plan REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_plan_notify_insert on crm.contact_plan;
CREATE TRIGGER contact_plan_notify_insert AFTER INSERT ON crm.contact_plan REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_plan_notify_update on crm.contact_plan;
CREATE TRIGGER contact_plan_notify_update AFTER UPDATE ON crm.contact_plan REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_plan_refuse_foreign_write on crm.contact_plan;
CREATE TRIGGER contact_plan_refuse_foreign_write BEFORE UPDATE ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.contact_plan_refuse_foreign_write();

drop trigger if exists contact_plan_stamp_new_row on crm.contact_plan;
CREATE TRIGGER contact_plan_stamp_new_row BEFORE INSERT ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by', 'updated_at', 'updated_by', 'version');

drop trigger if exists contact_plan_sync_reminders on crm.contact_plan;
CREATE TRIGGER contact_plan_sync_reminders AFTER INSERT OR UPDATE OF planned_at, remind_email, remind_sms, remind_minutes, done ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.contact_plan_sync_reminders();

drop trigger if exists contact_plan_version on crm.contact_plan;
CREATE TRIGGER contact_plan_version BEFORE UPDATE ON crm.contact_plan FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists customer_category_audit on crm.customer_category;
CREATE TRIGGER customer_category_audit AFTER UPDATE ON crm.customer_category FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists customer_category_audit_delete on crm.customer_category;
CREATE TRIGGER customer_category_audit_delete AFTER DELETE ON crm.customer_category REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_category_audit_insert on crm.customer_category;
CREATE TRIGGER customer_category_audit_insert AFTER INSERT ON crm.customer_category REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_category_notify on crm.customer_category;
CREATE TRIGGER customer_category_notify AFTER INSERT OR DELETE OR UPDATE ON crm.customer_category FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists customer_category_permission on crm.customer_category;
CREATE TRIGGER customer_category_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.customer_category FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.settings');

drop trigger if exists customer_category_stamp_new_row on crm.customer_category;
CREATE TRIGGER customer_category_stamp_new_row BEFORE INSERT ON crm.customer_category FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists customer_category_version on crm.customer_category;
CREATE TRIGGER customer_category_version BEFORE UPDATE ON crm.customer_category FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists customer_share_audit on crm.customer_share;
CREATE TRIGGER customer_share_audit AFTER UPDATE ON crm.customer_share FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists customer_share_audit_delete on crm.customer_share;
CREATE TRIGGER customer_share_audit_delete AFTER DELETE ON crm.customer_share REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_share_audit_insert on crm.customer_share;
CREATE TRIGGER customer_share_audit_insert AFTER INSERT ON crm.customer_share REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_share_notify_delete on crm.customer_share;
CREATE TRIGGER customer_share_notify_delete AFTER DELETE ON crm.customer_share REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists customer_share_notify_insert on crm.customer_share;
CREATE TRIGGER customer_share_notify_insert AFTER INSERT ON crm.customer_share REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists customer_share_notify_update on crm.customer_share;
CREATE TRIGGER customer_share_notify_update AFTER UPDATE ON crm.customer_share REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists customer_source_audit on crm.customer_source;
CREATE TRIGGER customer_source_audit AFTER UPDATE ON crm.customer_source FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists customer_source_audit_delete on crm.customer_source;
CREATE TRIGGER customer_source_audit_delete AFTER DELETE ON crm.customer_source REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_source_audit_insert on crm.customer_source;
CREATE TRIGGER customer_source_audit_insert AFTER INSERT ON crm.customer_source REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_source_notify on crm.customer_source;
CREATE TRIGGER customer_source_notify AFTER INSERT OR DELETE OR UPDATE ON crm.customer_source FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists customer_source_permission on crm.customer_source;
CREATE TRIGGER customer_source_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.customer_source FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.settings');

drop trigger if exists customer_source_stamp_new_row on crm.customer_source;
CREATE TRIGGER customer_source_stamp_new_row BEFORE INSERT ON crm.customer_source FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists customer_source_version on crm.customer_source;
CREATE TRIGGER customer_source_version BEFORE UPDATE ON crm.customer_source FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists customer_type_audit on crm.customer_type;
CREATE TRIGGER customer_type_audit AFTER UPDATE ON crm.customer_type FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists customer_type_audit_delete on crm.customer_type;
CREATE TRIGGER customer_type_audit_delete AFTER DELETE ON crm.customer_type REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_type_audit_insert on crm.customer_type;
CREATE TRIGGER customer_type_audit_insert AFTER INSERT ON crm.customer_type REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists customer_type_notify on crm.customer_type;
CREATE TRIGGER customer_type_notify AFTER INSERT OR DELETE OR UPDATE ON crm.customer_type FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists customer_type_permission on crm.customer_type;
CREATE TRIGGER customer_type_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.customer_type FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.settings');

drop trigger if exists customer_type_stamp_new_row on crm.customer_type;
CREATE TRIGGER customer_type_stamp_new_row BEFORE INSERT ON crm.customer_type FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists customer_type_version on crm.customer_type;
CREATE TRIGGER customer_type_version BEFORE UPDATE ON crm.customer_type FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists industry_audit on crm.industry;
CREATE TRIGGER industry_audit AFTER UPDATE ON crm.industry FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists industry_audit_delete on crm.industry;
CREATE TRIGGER industry_audit_delete AFTER DELETE ON crm.industry REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists industry_audit_insert on crm.industry;
CREATE TRIGGER industry_audit_insert AFTER INSERT ON crm.industry REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists industry_notify on crm.industry;
CREATE TRIGGER industry_notify AFTER INSERT OR DELETE OR UPDATE ON crm.industry FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists industry_permission on crm.industry;
CREATE TRIGGER industry_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.industry FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.settings');

drop trigger if exists industry_stamp_new_row on crm.industry;
CREATE TRIGGER industry_stamp_new_row BEFORE INSERT ON crm.industry FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists industry_version on crm.industry;
CREATE TRIGGER industry_version BEFORE UPDATE ON crm.industry FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists management_scope_audit on crm.management_scope;
CREATE TRIGGER management_scope_audit AFTER UPDATE ON crm.management_scope FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists management_scope_audit_delete on crm.management_scope;
CREATE TRIGGER management_scope_audit_delete AFTER DELETE ON crm.management_scope REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists management_scope_audit_insert on crm.management_scope;
CREATE TRIGGER management_scope_audit_insert AFTER INSERT ON crm.management_scope REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists management_scope_permission on crm.management_scope;
CREATE TRIGGER management_scope_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.management_scope FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.permission');

drop trigger if exists private_customer_limit_audit on crm.private_customer_limit;
CREATE TRIGGER private_customer_limit_audit AFTER UPDATE ON crm.private_customer_limit FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists private_customer_limit_audit_delete on crm.private_customer_limit;
CREATE TRIGGER private_customer_limit_audit_delete AFTER DELETE ON crm.private_customer_limit REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists private_customer_limit_audit_insert on crm.private_customer_limit;
CREATE TRIGGER private_customer_limit_audit_insert AFTER INSERT ON crm.private_customer_limit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists private_customer_limit_permission on crm.private_customer_limit;
CREATE TRIGGER private_customer_limit_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.private_customer_limit FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.permission');

drop trigger if exists region_audit on crm.region;
CREATE TRIGGER region_audit AFTER UPDATE ON crm.region FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists region_audit_delete on crm.region;
CREATE TRIGGER region_audit_delete AFTER DELETE ON crm.region REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists region_audit_insert on crm.region;
CREATE TRIGGER region_audit_insert AFTER INSERT ON crm.region REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists region_cascade_path on crm.region;
CREATE TRIGGER region_cascade_path AFTER UPDATE OF name, parent_id ON crm.region FOR EACH ROW EXECUTE FUNCTION crm.region_cascade_path();

drop trigger if exists region_notify on crm.region;
CREATE TRIGGER region_notify AFTER INSERT OR DELETE OR UPDATE ON crm.region FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists region_permission on crm.region;
CREATE TRIGGER region_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.region FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.settings');

drop trigger if exists region_set_path on crm.region;
CREATE TRIGGER region_set_path BEFORE INSERT OR UPDATE OF name, parent_id ON crm.region FOR EACH ROW EXECUTE FUNCTION crm.region_set_path();

drop trigger if exists region_stamp_new_row on crm.region;
CREATE TRIGGER region_stamp_new_row BEFORE INSERT ON crm.region FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists region_version on crm.region;
CREATE TRIGGER region_version BEFORE UPDATE ON crm.region FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

call crm_meta.finish_migration();
