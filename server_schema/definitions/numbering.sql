-- numbering: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.customer_take_number()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if btrim(coalesce(new.number, '')) <> '' then
        perform crm.refuse_manual_number('customer', new.number);
        return new;
    end if;
    loop
        new.number := crm.draw_number('customer', '');
        exit when not exists (select from crm.customer where number = new.number);
    end loop;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.customer_tally_private()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    v_owners bigint[];
    v_deltas integer[];
    v        record;
begin
    if tg_op = 'INSERT' then
        select array_agg(owner_id order by owner_id), array_agg(n order by owner_id) into v_owners, v_deltas
          from (select owner_id, count(*)::integer as n from new_rows where is_private group by owner_id) d;
    elsif tg_op = 'DELETE' then
        select array_agg(owner_id order by owner_id), array_agg(n order by owner_id) into v_owners, v_deltas
          from (select owner_id, -count(*)::integer as n from old_rows where is_private group by owner_id) d;
    else
        select array_agg(owner_id order by owner_id), array_agg(n order by owner_id) into v_owners, v_deltas
          from (select owner_id, sum(d)::integer as n
                  from (select owner_id, 1 as d from new_rows where is_private
                        union all
                        select owner_id, -1 from old_rows where is_private) moved
                 group by owner_id having sum(d) <> 0) d;
    end if;
    if v_owners is null then
        return null;
    end if;
    with changed as (
        insert into crm.private_customer_tally as t (account_id, private_count)
        select o, greatest(d, 0) from unnest(v_owners, v_deltas) u(o, d) order by o
        on conflict (account_id) do update
            set private_count = t.private_count + v_deltas[array_position(v_owners, t.account_id)]
        returning t.account_id, t.private_count)
    select c.account_id, c.private_count, u.d as adding, l.max_private, a.name into v
      from changed c
      join unnest(v_owners, v_deltas) u(o, d) on u.o = c.account_id
      join crm.private_customer_limit l on l.account_id = c.account_id
      join crm.account a on a.id = c.account_id
     where u.d > 0 and c.private_count > l.max_private
     order by c.account_id
     limit 1;
    if found then
        raise exception using errcode = 'check_violation', message = 'customer_private_limit_exceeded',
            constraint = 'customer_private_limit_exceeded',
            detail = json_build_object('name', v.name, 'limit', v.max_private,
                                       'count', v.private_count - v.adding, 'adding', v.adding)::text;
    end if;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.draw_number(p_rule text, p_segment text DEFAULT ''::text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    r        crm.numbering_rule;
    v_period text;
    v_hint   text;
    v_key    text;
    v_value  bigint;
    v_tid    tid;
begin
    select * into r from crm.numbering_rule where code = p_rule;
    if not found then
        raise exception using errcode = 'no_data_found', message = 'numbering_rule_missing',
                              constraint = 'numbering_rule_missing';
    end if;
    p_segment := coalesce(p_segment, '');
    v_period := case when r.date_format = '' then '' else to_char(current_date, r.date_format) end;
    v_key := 'crm_numbering.k' || md5(p_rule || '|' || p_segment || '|' || v_period);
    v_hint := current_setting(v_key, true);
    if v_hint ~ '^\([0-9]{1,10},[0-9]{1,5}\)$' then
        update crm.numbering_counter c set last_value = c.last_value + 1
         where c.ctid = v_hint::tid and c.rule_code = p_rule and c.segment = p_segment and c.period = v_period
        returning c.last_value, c.ctid into v_value, v_tid;
    end if;
    if v_value is null then
        insert into crm.numbering_counter as c (rule_code, segment, period, last_value)
        values (p_rule, p_segment, v_period, 1)
        on conflict (rule_code, segment, period) do update set last_value = c.last_value + 1
        returning c.last_value, c.ctid into v_value, v_tid;
    end if;
    perform set_config(v_key, v_tid::text, true);
    return crm.format_number(r, p_segment, v_period, v_value);
end
$function$;

CREATE OR REPLACE FUNCTION crm.format_number(r crm.numbering_rule, p_segment text, p_period text, p_value bigint)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select r.prefix
        || case when r.prefix <> '' and (p_segment <> '' or r.separator <> '') then r.separator else '' end
        || case when p_segment <> '' then p_segment || r.separator else '' end
        || p_period
        || lpad(p_value::text, greatest(r.digits, length(p_value::text)), '0')
$function$;

CREATE OR REPLACE FUNCTION crm.manual_number_refusal(p_rule text, p_number text)
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select case when r.code is null then 'numbering_rule_missing'
                when btrim(coalesce(p_number, '')) = '' then null
                when not r.allows_manual then 'number_manual_not_allowed'
                when p_number ~ crm.numbering_pattern(r) then 'number_reserved_by_rule' end
    from (select 1) one left join crm.numbering_rule r on r.code = p_rule
$function$;
grant execute on function crm.manual_number_refusal(text,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.next_number(p_rule text, p_segment text DEFAULT ''::text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    r      crm.numbering_rule;
    v_period text;
    v_value  bigint;
begin
    select * into r from crm.numbering_rule where code = p_rule;
    if not found then
        raise exception using errcode = 'no_data_found', message = 'numbering_rule_missing',
                              constraint = 'numbering_rule_missing';
    end if;
    v_period := case when r.date_format = '' then '' else to_char(current_date, r.date_format) end;
    insert into crm.numbering_counter as c (rule_code, segment, period, last_value)
    values (p_rule, coalesce(p_segment, ''), v_period, 1)
    on conflict (rule_code, segment, period) do update set last_value = c.last_value + 1
    returning c.last_value into v_value;
    return crm.format_number(r, coalesce(p_segment, ''), v_period, v_value);
end
$function$;

CREATE OR REPLACE FUNCTION crm.numbering_pattern(r crm.numbering_rule)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select '^' || r.prefix
        || case when r.prefix <> '' then '(' || s.sep || '|' || s.sep || '.+' || s.sep || ')'
                else '(|.+' || s.sep || ')' end
        || case r.date_format when 'YYYY' then '[0-9]{4}' when 'YYYYMM' then '[0-9]{6}'
                              when 'YYYYMMDD' then '[0-9]{8}' else '' end
        || '[0-9]{' || r.digits || ',}$'
    from (select case when r.separator = '' then '' else '\' || r.separator end as sep) s
$function$;
grant execute on function crm.numbering_pattern(crm.numbering_rule) to crm_user;

CREATE OR REPLACE FUNCTION crm.numbering_rule_require_permission()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not crm.has_permission(old.permission_code) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = old.permission_code, constraint = 'permission_denied';
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.preview_number(p_rule text, p_segment text DEFAULT ''::text)
 RETURNS text
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select crm.format_number(r, coalesce(p_segment, ''), p.period,
                             coalesce((select last_value from crm.numbering_counter c
                                       where c.rule_code = r.code and c.segment = coalesce(p_segment, '')
                                         and c.period = p.period), 0) + 1)
    from crm.numbering_rule r,
         lateral (select case when r.date_format = '' then '' else to_char(current_date, r.date_format) end
                  as period) p
    where r.code = p_rule
$function$;
grant execute on function crm.preview_number(text,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.product_take_number()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    v_segment text;
begin
    if tg_op = 'UPDATE' then
        if new.number is distinct from old.number then
            if btrim(coalesce(new.number, '')) = '' then
                raise exception using errcode = 'check_violation', message = 'number_required',
                                      constraint = 'number_required';
            end if;
            perform crm.refuse_manual_number('product', new.number);
        end if;
        return new;
    end if;
    if btrim(coalesce(new.number, '')) <> '' then
        perform crm.refuse_manual_number('product', new.number);
        return new;
    end if;
    select code into v_segment from crm.product_category where id = new.category_id;
    loop
        new.number := crm.draw_number('product', coalesce(v_segment, ''));
        exit when not exists (select from crm.product where number = new.number);
    end loop;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.recount_private_customers()
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    lock table crm.customer in share mode;
    delete from crm.private_customer_tally;
    insert into crm.private_customer_tally (account_id, private_count)
    select owner_id, count(*) from crm.customer where is_private and owner_id is not null group by owner_id;
end
$function$;

CREATE OR REPLACE FUNCTION crm.refuse_manual_number(p_rule text, p_number text)
 RETURNS void
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    v_key text := crm.manual_number_refusal(p_rule, p_number);
begin
    if v_key is not null then
        raise exception using errcode = 'check_violation', message = v_key, constraint = v_key,
                              detail = p_number;
    end if;
end
$function$;

drop policy if exists "accounts without a role see and change nothing" on crm.numbering_counter;
create policy "accounts without a role see and change nothing" on crm.numbering_counter as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "accounts without a role see and change nothing" on crm.numbering_rule;
create policy "accounts without a role see and change nothing" on crm.numbering_rule as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads numbering rules" on crm.numbering_rule;
create policy "every account reads numbering rules" on crm.numbering_rule as permissive for select to crm_user
    using (true);

drop policy if exists "the module's settings permission changes its rule" on crm.numbering_rule;
create policy "the module's settings permission changes its rule" on crm.numbering_rule as permissive for update to crm_user
    using (true)
    with check (crm.has_permission(permission_code));

drop policy if exists "accounts without a role see and change nothing" on crm.private_customer_tally;
create policy "accounts without a role see and change nothing" on crm.private_customer_tally as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop trigger if exists numbering_rule_audit on crm.numbering_rule;
CREATE TRIGGER numbering_rule_audit AFTER UPDATE ON crm.numbering_rule FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists numbering_rule_audit_delete on crm.numbering_rule;
CREATE TRIGGER numbering_rule_audit_delete AFTER DELETE ON crm.numbering_rule REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists numbering_rule_audit_insert on crm.numbering_rule;
CREATE TRIGGER numbering_rule_audit_insert AFTER INSERT ON crm.numbering_rule REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists numbering_rule_require_permission on crm.numbering_rule;
CREATE TRIGGER numbering_rule_require_permission BEFORE UPDATE ON crm.numbering_rule FOR EACH ROW EXECUTE FUNCTION crm.numbering_rule_require_permission();

drop trigger if exists numbering_rule_stamp_new_row on crm.numbering_rule;
CREATE TRIGGER numbering_rule_stamp_new_row BEFORE INSERT ON crm.numbering_rule FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists numbering_rule_version on crm.numbering_rule;
CREATE TRIGGER numbering_rule_version BEFORE UPDATE ON crm.numbering_rule FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

call crm_meta.finish_migration();
