-- sales_documents: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.line_amount(p_quantity numeric, p_unit_price numeric)
 RETURNS numeric
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    return crm.money_round(p_quantity * p_unit_price);
end
$function$;
grant execute on function crm.line_amount(numeric,numeric) to crm_user;

CREATE OR REPLACE FUNCTION crm.line_net_amount(p_amount numeric, p_discount numeric)
 RETURNS numeric
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    return crm.money_round(p_amount * p_discount);
end
$function$;
grant execute on function crm.line_net_amount(numeric,numeric) to crm_user;

CREATE OR REPLACE FUNCTION crm.money_round(p numeric)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- THE rounding rule of every document (quote, order, contract, bill): to the cent, half up
    -- (amounts are never negative; numeric round() rounds half away from zero).
    -- Mirrored in crm_desktop/services/document_math.py.
    select round(p, 2)
$function$;
grant execute on function crm.money_round(numeric) to crm_user;

CREATE OR REPLACE FUNCTION crm.quote_check_parties()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- 报价人 is the author or someone the author leads; the customer is one the caller may see; the
-- contact is one of the customer's
begin
    if current_setting('is_superuser') = 'on' then
        return new;
    end if;
    if tg_op = 'INSERT' then
        new.handler_id := coalesce(new.handler_id, crm.customer_viewer());
    end if;
    if current_user <> 'crm_definer' then
        if tg_op = 'UPDATE' and not (old.handler_id = any (crm.customer_owner_ids())) then
            raise exception using errcode = 'insufficient_privilege', message = 'quote_not_editable',
                                  constraint = 'quote_not_editable';
        end if;
        if (tg_op = 'INSERT' or new.handler_id is distinct from old.handler_id)
           and not (new.handler_id = any (crm.customer_owner_ids())) then
            raise exception using errcode = 'insufficient_privilege', message = 'quote_handler_not_allowed',
                                  constraint = 'quote_handler_not_allowed';
        end if;
        if (tg_op = 'INSERT' or new.customer_id is distinct from old.customer_id)
           and not crm.may_see_customer(new.customer_id) then
            raise exception using errcode = 'insufficient_privilege', message = 'quote_customer_not_visible',
                                  constraint = 'quote_customer_not_visible';
        end if;
    end if;
    if new.contact_id is not null
       and not exists (select from crm.contact c where c.id = new.contact_id and c.customer_id = new.customer_id) then
        raise exception using errcode = 'check_violation', message = 'quote_contact_of_customer',
                              constraint = 'quote_contact_of_customer';
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_discount_changed()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.quote_recompute(new.id);
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_editable(p_quote bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- the 报价人, their leaders, administrators
    select coalesce((select q.handler_id = any (crm.customer_owner_ids()) from crm.quote q where q.id = p_quote), false)
$function$;
grant execute on function crm.quote_editable(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.quote_facts(p_quote bigint)
 RETURNS jsonb
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- what a flow condition may test, as strings (numeric, never float): discount is the whole
    -- quote's effective rate, 折后总额 ÷ 总金额
    select jsonb_build_object(
               'total', q.discounted_total::text,
               'amount', q.total_amount::text,
               'discount', case when q.total_amount = 0 then '1'
                                else round(q.discounted_total / q.total_amount, 4)::text end,
               'lines', q.line_count::text)
      from crm.quote q where q.id = p_quote
$function$;

CREATE OR REPLACE FUNCTION crm.quote_fingerprint(p_quote bigint)
 RETURNS text
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- the content an approver approves: the header without the engine's and the server's columns,
    -- and every line
    select encode(sha256(convert_to(
               (to_jsonb(q) - array['approval_status', 'last_approver_id', 'last_approved_at', 'approval_instance_id',
                                    'converted_order_id', 'version', 'updated_at', 'updated_by'])::text
               || coalesce((select jsonb_agg(to_jsonb(l) - array['version', 'updated_at', 'updated_by']
                                             order by l.line_no, l.id)::text
                              from crm.quote_line l where l.quote_id = q.id), '[]'), 'UTF8')), 'hex')
      from crm.quote q where q.id = p_quote
$function$;

CREATE OR REPLACE FUNCTION crm.quote_line_compute()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- the line's amounts from its quantity, price and rate (whatever the client sent); the product's
-- name, category, type and model when the client left them empty; the quantity in the base unit
declare
    p crm.product;
begin
    if current_user <> 'crm_definer' and not crm.quote_editable(new.quote_id) then
        raise exception using errcode = 'insufficient_privilege', message = 'quote_not_editable',
                              constraint = 'quote_not_editable';
    end if;
    select * into p from crm.product where id = new.product_id;
    if btrim(new.product_name) = '' then
        new.product_name := p.name;
    end if;
    if tg_op = 'INSERT' or new.product_id is distinct from old.product_id then
        if btrim(new.category) = '' then
            new.category := coalesce((select c.path from crm.product_category c where c.id = p.category_id), '');
        end if;
        if btrim(new.kind) = '' then
            new.kind := coalesce((select t.name from crm.product_type t where t.id = p.type_id), '');
        end if;
        if btrim(new.spec) = '' then
            new.spec := p.model;
        end if;
    end if;
    new.base_quantity := crm.to_base_quantity(new.product_id, new.quantity, new.unit_id);
    new.amount := crm.line_amount(new.quantity, new.unit_price);
    new.net_amount := crm.line_net_amount(new.amount, new.discount);
    if tg_op = 'INSERT' then
        new.discounted_amount := new.net_amount;  -- the statement's end spreads the document discount
    end if;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_line_refuse_foreign_delete()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if current_user <> 'crm_definer' and not crm.quote_editable(old.quote_id)
       and exists (select from crm.quote where id = old.quote_id) then
        raise exception using errcode = 'insufficient_privilege', message = 'quote_not_editable',
                              constraint = 'quote_not_editable';
    end if;
    return old;
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_lines_changed()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    q bigint;
begin
    if tg_op = 'INSERT' then
        for q in select distinct quote_id from new_rows order by 1 loop
            perform crm.quote_recompute(q);
        end loop;
    elsif tg_op = 'DELETE' then
        for q in select distinct quote_id from old_rows order by 1 loop
            perform crm.quote_recompute(q);
        end loop;
    else
        for q in select quote_id from new_rows union select quote_id from old_rows order by 1 loop
            perform crm.quote_recompute(q);
        end loop;
    end if;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_may_submit(p_quote bigint)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not crm.has_permission('sales.quote') or not crm.quote_editable(p_quote) then
        return false;
    end if;
    if not exists (select from crm.quote_line l where l.quote_id = p_quote) then
        raise exception using errcode = 'check_violation', message = 'quote_needs_lines',
                              constraint = 'quote_needs_lines';
    end if;
    return true;
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_recompute(p_quote bigint)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- the lines' final amounts and the header's totals, from the lines as they are now
declare
    rate   numeric;
    ids    bigint[];
    nets   numeric[];
    finals numeric[];
begin
    select discount into rate from crm.quote where id = p_quote;
    if rate is null then
        return;  -- the quote itself is being deleted
    end if;
    select array_agg(id order by line_no, id), array_agg(net_amount order by line_no, id)
      into ids, nets from crm.quote_line where quote_id = p_quote;
    finals := crm.spread_discount(coalesce(nets, '{}'), rate);
    update crm.quote_line l set discounted_amount = u.final
      from unnest(ids, finals) u(id, final)
     where l.id = u.id and l.discounted_amount is distinct from u.final;
    update crm.quote q
       set line_count = s.n, total_quantity = s.qty, total_amount = s.amount, net_amount = s.net,
           discounted_total = s.final
      from (select count(*)::integer as n, coalesce(sum(quantity), 0) as qty, coalesce(sum(amount), 0) as amount,
                   coalesce(sum(net_amount), 0) as net, coalesce(sum(discounted_amount), 0) as final
              from crm.quote_line where quote_id = p_quote) s
     where q.id = p_quote
       and (q.line_count, q.total_quantity, q.total_amount, q.net_amount, q.discounted_total)
           is distinct from (s.n, s.qty, s.amount, s.net, s.final);
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_take_number()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if btrim(coalesce(new.number, '')) <> '' then
        if current_setting('is_superuser') <> 'on' then
            perform crm.refuse_manual_number('quote', new.number);
        end if;
        return new;
    end if;
    loop
        new.number := crm.draw_number('quote', '');
        exit when not exists (select from crm.quote where number = new.number);
    end loop;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.quote_visible(p_quote bigint)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    -- the same rule as the policy: who handles it and their leaders, whoever may see its customer,
    -- and the approval's participants (submitter, approvers, delegates)
    select coalesce((select q.handler_id = any (crm.customer_owner_ids()) or crm.may_see_customer(q.customer_id)
                            or crm.approval_is_participant('quote', q.id)
                       from crm.quote q where q.id = p_quote), false)
$function$;
grant execute on function crm.quote_visible(bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.spread_discount(p_nets numeric[], p_rate numeric)
 RETURNS numeric[]
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
-- the whole-document discount over the lines: the document's total is round(Σ nets × rate); each
-- line gets round(net × rate), and what that leaves over (a few cents, either sign) goes to the
-- largest line (the first of equals), so the lines add up to the total to the cent.
declare
    target  numeric;
    result  numeric[];
    largest integer := 1;
begin
    if coalesce(cardinality(p_nets), 0) = 0 then
        return '{}';
    end if;
    target := crm.money_round((select sum(x) from unnest(p_nets) x) * p_rate);
    result := array(select crm.money_round(x * p_rate) from unnest(p_nets) with ordinality u(x, o) order by o);
    for i in 2 .. cardinality(p_nets) loop
        if p_nets[i] > p_nets[largest] then
            largest := i;
        end if;
    end loop;
    result[largest] := result[largest] + (target - (select sum(x) from unnest(result) x));
    return result;
end
$function$;
grant execute on function crm.spread_discount(numeric[],numeric) to crm_user;

drop policy if exists "accounts without a role see and change nothing" on crm.quote;
create policy "accounts without a role see and change nothing" on crm.quote as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "handlers and their leaders change quotes" on crm.quote;
create policy "handlers and their leaders change quotes" on crm.quote as permissive for update to crm_user
    using ((((handler_id + 0) = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR crm.may_see_customer(customer_id) OR crm.approval_is_participant('quote'::text, id)))
    with check ((( SELECT crm.has_permission('sales.quote'::text) AS has_permission) AND (handler_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[]))));

drop policy if exists "handlers, leaders, the customer's viewers and approvers see" on crm.quote;
create policy "handlers, leaders, the customer's viewers and approvers see" on crm.quote as permissive for select to crm_user
    using ((((handler_id + 0) = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[])) OR crm.may_see_customer(customer_id) OR crm.approval_is_participant('quote'::text, id)));

drop policy if exists "quote writers add quotes for themselves and those they lead" on crm.quote;
create policy "quote writers add quotes for themselves and those they lead" on crm.quote as permissive for insert to crm_user
    with check ((( SELECT crm.has_permission('sales.quote'::text) AS has_permission) AND (handler_id = ANY (( SELECT crm.customer_owner_ids() AS customer_owner_ids)::bigint[]))));

drop policy if exists "accounts without a role see and change nothing" on crm.quote_line;
create policy "accounts without a role see and change nothing" on crm.quote_line as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "whoever may change a quote adds its lines" on crm.quote_line;
create policy "whoever may change a quote adds its lines" on crm.quote_line as permissive for insert to crm_user
    with check ((( SELECT crm.has_permission('sales.quote'::text) AS has_permission) AND crm.quote_editable(quote_id)));

drop policy if exists "whoever may change a quote changes its lines" on crm.quote_line;
create policy "whoever may change a quote changes its lines" on crm.quote_line as permissive for update to crm_user
    using (crm.quote_visible(quote_id))
    with check ((( SELECT crm.has_permission('sales.quote'::text) AS has_permission) AND crm.quote_editable(quote_id)));

drop policy if exists "whoever may change a quote removes its lines" on crm.quote_line;
create policy "whoever may change a quote removes its lines" on crm.quote_line as permissive for delete to crm_user
    using (crm.quote_visible(quote_id));

drop policy if exists "whoever sees a quote sees its lines" on crm.quote_line;
create policy "whoever sees a quote sees its lines" on crm.quote_line as permissive for select to crm_user
    using (crm.quote_visible(quote_id));

drop trigger if exists quote_approval_guard on crm.quote;
CREATE TRIGGER quote_approval_guard BEFORE INSERT OR DELETE OR UPDATE ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.approval_guard_document('quote', 'converted_order_id');

drop trigger if exists quote_audit on crm.quote;
CREATE TRIGGER quote_audit AFTER UPDATE ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists quote_audit_delete on crm.quote;
CREATE TRIGGER quote_audit_delete AFTER DELETE ON crm.quote REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists quote_audit_insert on crm.quote;
CREATE TRIGGER quote_audit_insert AFTER INSERT ON crm.quote REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists quote_check_parties on crm.quote;
CREATE TRIGGER quote_check_parties BEFORE INSERT OR UPDATE ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.quote_check_parties();

drop trigger if exists quote_discount_changed on crm.quote;
CREATE TRIGGER quote_discount_changed AFTER UPDATE OF discount ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.quote_discount_changed();

drop trigger if exists quote_notify on crm.quote;
CREATE TRIGGER quote_notify AFTER INSERT OR DELETE OR UPDATE ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists quote_stamp_new_row on crm.quote;
CREATE TRIGGER quote_stamp_new_row BEFORE INSERT ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'created_by', 'updated_at', 'updated_by', 'version');

drop trigger if exists quote_take_number on crm.quote;
CREATE TRIGGER quote_take_number BEFORE INSERT ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.quote_take_number();

drop trigger if exists quote_version on crm.quote;
CREATE TRIGGER quote_version BEFORE UPDATE ON crm.quote FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists quote_line_approval_guard on crm.quote_line;
CREATE TRIGGER quote_line_approval_guard BEFORE INSERT OR DELETE OR UPDATE ON crm.quote_line FOR EACH ROW EXECUTE FUNCTION crm.approval_guard_lines('quote', 'quote_id');

drop trigger if exists quote_line_audit on crm.quote_line;
CREATE TRIGGER quote_line_audit AFTER UPDATE ON crm.quote_line FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists quote_line_audit_delete on crm.quote_line;
CREATE TRIGGER quote_line_audit_delete AFTER DELETE ON crm.quote_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists quote_line_audit_insert on crm.quote_line;
CREATE TRIGGER quote_line_audit_insert AFTER INSERT ON crm.quote_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists quote_line_compute on crm.quote_line;
CREATE TRIGGER quote_line_compute BEFORE INSERT OR UPDATE OF product_id, quantity, unit_id, unit_price, discount, product_name, category, kind, spec, quote_id ON crm.quote_line FOR EACH ROW EXECUTE FUNCTION crm.quote_line_compute();

drop trigger if exists quote_line_notify on crm.quote_line;
CREATE TRIGGER quote_line_notify AFTER INSERT OR DELETE OR UPDATE ON crm.quote_line FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists quote_line_refuse_foreign_delete on crm.quote_line;
CREATE TRIGGER quote_line_refuse_foreign_delete BEFORE DELETE ON crm.quote_line FOR EACH ROW EXECUTE FUNCTION crm.quote_line_refuse_foreign_delete();

drop trigger if exists quote_line_stamp_new_row on crm.quote_line;
CREATE TRIGGER quote_line_stamp_new_row BEFORE INSERT ON crm.quote_line FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists quote_line_version on crm.quote_line;
CREATE TRIGGER quote_line_version BEFORE UPDATE ON crm.quote_line FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists quote_lines_changed_delete on crm.quote_line;
CREATE TRIGGER quote_lines_changed_delete AFTER DELETE ON crm.quote_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.quote_lines_changed();

drop trigger if exists quote_lines_changed_insert on crm.quote_line;
CREATE TRIGGER quote_lines_changed_insert AFTER INSERT ON crm.quote_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.quote_lines_changed();

drop trigger if exists quote_lines_changed_update on crm.quote_line;
CREATE TRIGGER quote_lines_changed_update AFTER UPDATE ON crm.quote_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.quote_lines_changed();

call crm_meta.finish_migration();
