-- numbering: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

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
grant execute on function crm.next_number(text,text) to crm_user;

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
