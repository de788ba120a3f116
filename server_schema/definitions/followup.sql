-- followup: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.contact_record_prepare()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- The handler is whoever writes the record (crm-admin's seed keeps what it writes).  Executing a
-- plan: the plan is locked, must be open, of the same customer, and the writer's own or of a
-- customer the writer may change.
declare
    p crm.contact_plan;
begin
    if tg_op = 'INSERT' and (current_setting('is_superuser') <> 'on' or new.account_id is null) then
        new.account_id := crm.current_account();
    end if;
    if new.contact_id is not null
       and not exists (select from crm.contact k where k.id = new.contact_id and k.customer_id = new.customer_id) then
        raise exception using errcode = 'check_violation', message = 'contact_not_of_customer',
                              constraint = 'contact_not_of_customer';
    end if;
    if tg_op = 'INSERT' and new.plan_id is not null then
        select * into p from crm.contact_plan where id = new.plan_id for update;
        if not found or p.customer_id <> new.customer_id then
            raise exception using errcode = 'check_violation', message = 'contact_plan_not_of_customer',
                                  constraint = 'contact_plan_not_of_customer';
        end if;
        if p.done then
            raise exception using errcode = 'check_violation', message = 'contact_plan_already_done',
                                  constraint = 'contact_plan_already_done';
        end if;
        if current_setting('is_superuser') <> 'on' and p.account_id is distinct from new.account_id
           and not crm.can_edit_customer(p.customer_id) then
            raise exception using errcode = 'insufficient_privilege', message = 'contact_plan_not_yours',
                                  constraint = 'contact_plan_not_yours';
        end if;
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.contact_record_written()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- 最后联系时间 follows the records, whoever wrote them (a sharee may not change the customer, the
-- trigger may); an executed plan is done and its reminders go.
begin
    if tg_op = 'INSERT' and new.plan_id is not null then
        update crm.contact_plan set done = true, done_at = now() where id = new.plan_id;
    end if;
    update crm.customer c
       set last_contact_at = (select max(r.contacted_at) from crm.contact_record r where r.customer_id = c.id)
     where c.id = new.customer_id
       and c.last_contact_at is distinct from (select max(r.contacted_at) from crm.contact_record r
                                                where r.customer_id = c.id);
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.my_reminders(p_until timestamp with time zone)
 RETURNS TABLE(plan_id bigint, customer_id bigint, customer_name text, contact_name text, planned_at timestamp with time zone, way text, subject text, author_name text)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- 联系提醒: the caller's own open plans up to a time (overdue ones included), through the
    -- plan and customer policies like any query of the caller's
    select p.id, p.customer_id, c.name, coalesce(k.name, ''), p.planned_at, p.way, p.subject, coalesce(a.name, '')
      from crm.contact_plan p
      join crm.customer c on c.id = p.customer_id
      left join crm.contact k on k.id = p.contact_id
      left join crm.account a on a.id = p.created_by
     where p.account_id = (select crm.customer_viewer()) and not p.done and p.planned_at < p_until
     order by p.planned_at, p.id
$function$;
grant execute on function crm.my_reminders(timestamp with time zone) to crm_user;

drop policy if exists "accounts without a role see and change nothing" on crm.contact_record;
create policy "accounts without a role see and change nothing" on crm.contact_record as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "authors and whoever may change the customer change contact reco" on crm.contact_record;
create policy "authors and whoever may change the customer change contact reco" on crm.contact_record as permissive for update to crm_user
    using (((created_by = ( SELECT crm.customer_viewer() AS customer_viewer)) OR crm.can_edit_customer(customer_id)));

drop policy if exists "handlers, authors, their leaders and whoever sees the customer " on crm.contact_record;
create policy "handlers, authors, their leaders and whoever sees the customer " on crm.contact_record as permissive for select to crm_user
    using (((account_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (created_by = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR crm.can_see_customer(customer_id)));

drop policy if exists "whoever sees a customer records contact with it, as themselves" on crm.contact_record;
create policy "whoever sees a customer records contact with it, as themselves" on crm.contact_record as permissive for insert to crm_user
    with check ((crm.can_see_customer(customer_id) AND (account_id = ( SELECT crm.customer_viewer() AS customer_viewer))));

drop policy if exists "accounts without a role see and change nothing" on crm.reminder_delivery;
create policy "accounts without a role see and change nothing" on crm.reminder_delivery as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "reminder administrators retry deliveries" on crm.reminder_delivery;
create policy "reminder administrators retry deliveries" on crm.reminder_delivery as permissive for update to crm_user
    using (( SELECT crm.has_permission('reminder.agent'::text) AS has_permission));

drop policy if exists "reminder administrators see the outbox" on crm.reminder_delivery;
create policy "reminder administrators see the outbox" on crm.reminder_delivery as permissive for select to crm_user
    using (( SELECT crm.has_permission('reminder.agent'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.reminder_setting;
create policy "accounts without a role see and change nothing" on crm.reminder_setting as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "reminder administrators change the settings" on crm.reminder_setting;
create policy "reminder administrators change the settings" on crm.reminder_setting as permissive for update to crm_user
    using (( SELECT crm.has_permission('reminder.agent'::text) AS has_permission));

drop policy if exists "reminder administrators read the settings" on crm.reminder_setting;
create policy "reminder administrators read the settings" on crm.reminder_setting as permissive for select to crm_user
    using (( SELECT crm.has_permission('reminder.agent'::text) AS has_permission));

drop trigger if exists contact_record_audit on crm.contact_record;
CREATE TRIGGER contact_record_audit AFTER UPDATE ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists contact_record_audit_insert on crm.contact_record;
CREATE TRIGGER contact_record_audit_insert AFTER INSERT ON crm.contact_record REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists contact_record_notify_insert on crm.contact_record;
CREATE TRIGGER contact_record_notify_insert AFTER INSERT ON crm.contact_record REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_record_notify_update on crm.contact_record;
CREATE TRIGGER contact_record_notify_update AFTER UPDATE ON crm.contact_record REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists contact_record_permission on crm.contact_record;
CREATE TRIGGER contact_record_permission BEFORE INSERT OR UPDATE ON crm.contact_record FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('contact.record');

drop trigger if exists contact_record_prepare on crm.contact_record;
CREATE TRIGGER contact_record_prepare BEFORE INSERT OR UPDATE OF contact_id ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.contact_record_prepare();

drop trigger if exists contact_record_stamp_new_row on crm.contact_record;
CREATE TRIGGER contact_record_stamp_new_row BEFORE INSERT ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by', 'updated_at', 'updated_by', 'version');

drop trigger if exists contact_record_version on crm.contact_record;
CREATE TRIGGER contact_record_version BEFORE UPDATE ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists contact_record_written on crm.contact_record;
CREATE TRIGGER contact_record_written AFTER INSERT OR UPDATE OF contacted_at ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.contact_record_written();

drop trigger if exists reminder_setting_stamp_new_row on crm.reminder_setting;
CREATE TRIGGER reminder_setting_stamp_new_row BEFORE INSERT ON crm.reminder_setting FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists reminder_setting_version on crm.reminder_setting;
CREATE TRIGGER reminder_setting_version BEFORE UPDATE ON crm.reminder_setting FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

call crm_meta.finish_migration();
