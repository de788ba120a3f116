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
    if tg_op = 'UPDATE' and current_setting('is_superuser') <> 'on'
       and old.created_by is distinct from crm.current_account() and not crm.can_edit_customer(old.customer_id) then
        raise exception using errcode = 'insufficient_privilege', message = 'contact_record_not_editable',
                              constraint = 'contact_record_not_editable';
    end if;
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

CREATE OR REPLACE FUNCTION crm.opportunity_prepare()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- 负责人 must see the customer; the status follows a won/lost stage; the probability defaults to
-- the stage's; a visible opportunity the caller may not change is refused, not silently skipped.
declare
    st crm.opportunity_stage;
    me bigint := crm.current_account();
begin
    if current_setting('is_superuser') <> 'on' then
        if tg_op = 'UPDATE' and old.owner_id is distinct from me and old.created_by is distinct from me
           and not crm.can_edit_customer(old.customer_id) then
            raise exception using errcode = 'insufficient_privilege', message = 'opportunity_not_editable',
                                  constraint = 'opportunity_not_editable';
        end if;
        if (tg_op = 'INSERT' or new.owner_id is distinct from old.owner_id)
           and not crm.account_sees_customer(new.owner_id, new.customer_id) then
            raise exception using errcode = 'insufficient_privilege', message = 'opportunity_owner_cannot_see',
                                  constraint = 'opportunity_owner_cannot_see';
        end if;
    end if;
    select * into st from crm.opportunity_stage where id = new.stage_id;
    if tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id then
        new.stage_entered_at := now();
        if new.probability is null or (tg_op = 'UPDATE' and new.probability is not distinct from old.probability) then
            new.probability := st.probability;
        end if;
        if st.is_won then
            new.status := 'won';
        elsif st.is_lost then
            new.status := 'lost';
        elsif tg_op = 'UPDATE' and new.status in ('won', 'lost') and new.status = old.status then
            new.status := 'open';
        end if;
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.opportunity_record_stage()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- the stage history, whatever client changed the stage (a raw UPDATE included)
begin
    insert into crm.opportunity_stage_history (opportunity_id, from_stage_id, to_stage_id, actor_id, seconds_in_stage)
    values (new.id, case when tg_op = 'UPDATE' then old.stage_id end, new.stage_id, crm.current_account(),
            case when tg_op = 'UPDATE' then round(extract(epoch from now() - old.stage_entered_at)::numeric, 1) end);
    return null;
end
$function$;

drop policy if exists "accounts without a role see and change nothing" on crm.contact_record;
create policy "accounts without a role see and change nothing" on crm.contact_record as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "handlers, authors, their leaders and whoever sees the customer " on crm.contact_record;
create policy "handlers, authors, their leaders and whoever sees the customer " on crm.contact_record as permissive for select to crm_user
    using (((account_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (created_by = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR crm.can_see_customer(customer_id)));

drop policy if exists "whoever sees a contact record may try to change it (the trigger" on crm.contact_record;
create policy "whoever sees a contact record may try to change it (the trigger" on crm.contact_record as permissive for update to crm_user
    using (((account_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (created_by = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR crm.can_see_customer(customer_id)));

drop policy if exists "whoever sees a customer records contact with it, as themselves" on crm.contact_record;
create policy "whoever sees a customer records contact with it, as themselves" on crm.contact_record as permissive for insert to crm_user
    with check ((crm.can_see_customer(customer_id) AND (account_id = ( SELECT crm.customer_viewer() AS customer_viewer))));

drop policy if exists "accounts without a role see and change nothing" on crm.opportunity;
create policy "accounts without a role see and change nothing" on crm.opportunity as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "owners, authors, their leaders and whoever sees the customer se" on crm.opportunity;
create policy "owners, authors, their leaders and whoever sees the customer se" on crm.opportunity as permissive for select to crm_user
    using (((owner_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (created_by = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (customer_id IN ( SELECT customer.id
   FROM crm.customer))));

drop policy if exists "whoever sees a customer records its opportunities" on crm.opportunity;
create policy "whoever sees a customer records its opportunities" on crm.opportunity as permissive for insert to crm_user
    with check (crm.can_see_customer(customer_id));

drop policy if exists "whoever sees an opportunity may try to change it (the trigger d" on crm.opportunity;
create policy "whoever sees an opportunity may try to change it (the trigger d" on crm.opportunity as permissive for update to crm_user
    using (((owner_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (created_by = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR (customer_id IN ( SELECT customer.id
   FROM crm.customer))));

drop policy if exists "accounts without a role see and change nothing" on crm.opportunity_stage;
create policy "accounts without a role see and change nothing" on crm.opportunity_stage as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "customer settings managers add sales stages" on crm.opportunity_stage;
create policy "customer settings managers add sales stages" on crm.opportunity_stage as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "customer settings managers change sales stages" on crm.opportunity_stage;
create policy "customer settings managers change sales stages" on crm.opportunity_stage as permissive for update to crm_user
    using (( SELECT crm.has_permission('customer.settings'::text) AS has_permission));

drop policy if exists "every account reads the sales stages" on crm.opportunity_stage;
create policy "every account reads the sales stages" on crm.opportunity_stage as permissive for select to crm_user
    using (true);

drop policy if exists "accounts without a role see and change nothing" on crm.opportunity_stage_history;
create policy "accounts without a role see and change nothing" on crm.opportunity_stage_history as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "whoever sees the opportunity reads its stage history" on crm.opportunity_stage_history;
create policy "whoever sees the opportunity reads its stage history" on crm.opportunity_stage_history as permissive for select to crm_user
    using ((opportunity_id IN ( SELECT opportunity.id
   FROM crm.opportunity)));

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
CREATE TRIGGER contact_record_prepare BEFORE INSERT OR UPDATE ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.contact_record_prepare();

drop trigger if exists contact_record_stamp_new_row on crm.contact_record;
CREATE TRIGGER contact_record_stamp_new_row BEFORE INSERT ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by', 'updated_at', 'updated_by', 'version');

drop trigger if exists contact_record_version on crm.contact_record;
CREATE TRIGGER contact_record_version BEFORE UPDATE ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists contact_record_written on crm.contact_record;
CREATE TRIGGER contact_record_written AFTER INSERT OR UPDATE OF contacted_at ON crm.contact_record FOR EACH ROW EXECUTE FUNCTION crm.contact_record_written();

drop trigger if exists opportunity_audit on crm.opportunity;
CREATE TRIGGER opportunity_audit AFTER UPDATE ON crm.opportunity FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists opportunity_audit_insert on crm.opportunity;
CREATE TRIGGER opportunity_audit_insert AFTER INSERT ON crm.opportunity REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists opportunity_notify_insert on crm.opportunity;
CREATE TRIGGER opportunity_notify_insert AFTER INSERT ON crm.opportunity REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists opportunity_notify_update on crm.opportunity;
CREATE TRIGGER opportunity_notify_update AFTER UPDATE ON crm.opportunity REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION crm.notify_changes_in_bulk();

drop trigger if exists opportunity_permission on crm.opportunity;
CREATE TRIGGER opportunity_permission BEFORE INSERT OR UPDATE ON crm.opportunity FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('sales.opportunity');

drop trigger if exists opportunity_prepare on crm.opportunity;
CREATE TRIGGER opportunity_prepare BEFORE INSERT OR UPDATE ON crm.opportunity FOR EACH ROW EXECUTE FUNCTION crm.opportunity_prepare();

drop trigger if exists opportunity_record_stage on crm.opportunity;
CREATE TRIGGER opportunity_record_stage AFTER INSERT OR UPDATE OF stage_id ON crm.opportunity FOR EACH ROW EXECUTE FUNCTION crm.opportunity_record_stage();

drop trigger if exists opportunity_stamp_new_row on crm.opportunity;
CREATE TRIGGER opportunity_stamp_new_row BEFORE INSERT ON crm.opportunity FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by', 'updated_at', 'updated_by', 'version');

drop trigger if exists opportunity_version on crm.opportunity;
CREATE TRIGGER opportunity_version BEFORE UPDATE ON crm.opportunity FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists opportunity_stage_audit on crm.opportunity_stage;
CREATE TRIGGER opportunity_stage_audit AFTER UPDATE ON crm.opportunity_stage FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists opportunity_stage_permission on crm.opportunity_stage;
CREATE TRIGGER opportunity_stage_permission BEFORE INSERT OR UPDATE ON crm.opportunity_stage FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission_outside_actions('customer.settings');

drop trigger if exists opportunity_stage_stamp_new_row on crm.opportunity_stage;
CREATE TRIGGER opportunity_stage_stamp_new_row BEFORE INSERT ON crm.opportunity_stage FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists opportunity_stage_version on crm.opportunity_stage;
CREATE TRIGGER opportunity_stage_version BEFORE UPDATE ON crm.opportunity_stage FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists reminder_setting_stamp_new_row on crm.reminder_setting;
CREATE TRIGGER reminder_setting_stamp_new_row BEFORE INSERT ON crm.reminder_setting FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists reminder_setting_version on crm.reminder_setting;
CREATE TRIGGER reminder_setting_version BEFORE UPDATE ON crm.reminder_setting FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

call crm_meta.finish_migration();
