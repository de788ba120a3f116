-- printing: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.print_letterhead_audit()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    old_row jsonb := to_jsonb(old) - 'logo' || jsonb_build_object('logo_bytes', octet_length(old.logo));
    new_row jsonb := to_jsonb(new) - 'logo' || jsonb_build_object('logo_bytes', octet_length(new.logo));
    diff    jsonb;
begin
    select coalesce(jsonb_object_agg(key, jsonb_build_array(old_row->key, value)), '{}')
      into diff
      from jsonb_each(new_row)
     where old_row->key is distinct from value and key not in ('version', 'updated_at', 'updated_by');
    if diff <> '{}' then
        insert into crm.audit_log (table_name, row_id, operation, changes)
        values (tg_table_name, new.id::text, 'update', diff);
    end if;
    return null;
end
$function$;

drop policy if exists "accounts without a role see and change nothing" on crm.print_letterhead;
create policy "accounts without a role see and change nothing" on crm.print_letterhead as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the letterhead" on crm.print_letterhead;
create policy "every account reads the letterhead" on crm.print_letterhead as permissive for select to crm_user
    using (true);

drop policy if exists "print settings managers change the letterhead" on crm.print_letterhead;
create policy "print settings managers change the letterhead" on crm.print_letterhead as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.print_settings'::text) AS has_permission))
    with check (( SELECT crm.has_permission('system.print_settings'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.print_template;
create policy "accounts without a role see and change nothing" on crm.print_template as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads the print templates" on crm.print_template;
create policy "every account reads the print templates" on crm.print_template as permissive for select to crm_user
    using (true);

drop policy if exists "print settings managers change the print templates" on crm.print_template;
create policy "print settings managers change the print templates" on crm.print_template as permissive for update to crm_user
    using (( SELECT crm.has_permission('system.print_settings'::text) AS has_permission))
    with check (( SELECT crm.has_permission('system.print_settings'::text) AS has_permission));

drop trigger if exists print_letterhead_audit on crm.print_letterhead;
CREATE TRIGGER print_letterhead_audit AFTER UPDATE ON crm.print_letterhead FOR EACH ROW EXECUTE FUNCTION crm.print_letterhead_audit();

drop trigger if exists print_letterhead_notify on crm.print_letterhead;
CREATE TRIGGER print_letterhead_notify AFTER INSERT OR DELETE OR UPDATE ON crm.print_letterhead FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists print_letterhead_require_permission on crm.print_letterhead;
CREATE TRIGGER print_letterhead_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.print_letterhead FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.print_settings');

drop trigger if exists print_letterhead_stamp_new_row on crm.print_letterhead;
CREATE TRIGGER print_letterhead_stamp_new_row BEFORE INSERT ON crm.print_letterhead FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists print_letterhead_version on crm.print_letterhead;
CREATE TRIGGER print_letterhead_version BEFORE UPDATE ON crm.print_letterhead FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists print_template_audit on crm.print_template;
CREATE TRIGGER print_template_audit AFTER UPDATE ON crm.print_template FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists print_template_notify on crm.print_template;
CREATE TRIGGER print_template_notify AFTER INSERT OR DELETE OR UPDATE ON crm.print_template FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists print_template_require_permission on crm.print_template;
CREATE TRIGGER print_template_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.print_template FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('system.print_settings');

drop trigger if exists print_template_stamp_new_row on crm.print_template;
CREATE TRIGGER print_template_stamp_new_row BEFORE INSERT ON crm.print_template FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists print_template_version on crm.print_template;
CREATE TRIGGER print_template_version BEFORE UPDATE ON crm.print_template FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

call crm_meta.finish_migration();
