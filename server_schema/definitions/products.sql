-- products: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.convert_quantity(p_quantity numeric, p_from bigint, p_to bigint, p_product bigint DEFAULT NULL::bigint)
 RETURNS numeric
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    r record;
begin
    select * into r from crm.unit_ratio(p_from, p_to, p_product);
    if r.num is null then
        raise exception using errcode = 'no_data_found', message = 'unit_conversion_missing',
                              constraint = 'unit_conversion_missing';
    end if;
    return round(p_quantity * r.num / r.den, 6);
end
$function$;
grant execute on function crm.convert_quantity(numeric,bigint,bigint,bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.is_date(p text)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    return p ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' and p::date is not null;
exception when others then
    return false;
end
$function$;

CREATE OR REPLACE FUNCTION crm.next_cycle_date(p_start date, p_days integer, p_after date DEFAULT NULL::date)
 RETURNS date
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select p_start + p_days * greatest(1, ceil((coalesce(p_after, p_start) - p_start)::numeric / p_days)::integer)
$function$;
grant execute on function crm.next_cycle_date(date,integer,date) to crm_user;

CREATE OR REPLACE FUNCTION crm.product_category_cascade_path()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if new.path <> old.path then
        update crm.product_category set parent_id = parent_id where parent_id = new.id;
    end if;
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.product_category_set_path()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    parent_path text;
begin
    if new.parent_id is not null then
        select path into parent_path from crm.product_category where id = new.parent_id;
        if tg_op = 'UPDATE' and (parent_path = old.path or parent_path like old.path || '/%') then
            raise exception using errcode = 'check_violation', message = 'product_category_parent_cycle',
                                  constraint = 'product_category_parent_cycle';
        end if;
    end if;
    new.name := btrim(new.name);
    new.path := coalesce(parent_path || '/', '') || new.name;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.product_check_custom_fields()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    f crm.product_custom_field;
    v jsonb;
begin
    if new.custom_fields = '{}' and not exists (select from crm.product_custom_field where required) then
        return new;  -- the common case, and every row of a plain import
    end if;
    if jsonb_typeof(new.custom_fields) is distinct from 'object' then  -- jsonb_each below would fail unnamed
        raise exception using errcode = 'check_violation', message = 'product_custom_fields_object',
                              constraint = 'product_custom_fields_object';
    end if;
    -- values of fields deleted meanwhile are dropped, so deleting a field never touches products
    new.custom_fields := coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(new.custom_fields) e
                                   join crm.product_custom_field d on d.id::text = e.key), '{}');
    for f in select * from crm.product_custom_field loop
        v := new.custom_fields -> f.id::text;
        if v is null or v = '""' then
            if f.required then
                raise exception using errcode = 'check_violation', message = 'product_custom_field_required',
                                      detail = f.name, constraint = 'product_custom_field_required';
            end if;
        elsif jsonb_typeof(v) <> 'string'
              or (f.kind = 'number' and v #>> '{}' !~ '^-?[0-9]{1,15}(\.[0-9]{1,6})?$')
              or (f.kind = 'date' and not crm.is_date(v #>> '{}'))
              or (f.kind = 'choice' and not (v #>> '{}' = any (f.choices))) then
            raise exception using errcode = 'check_violation', message = 'product_custom_field_invalid',
                                  detail = f.name, constraint = 'product_custom_field_invalid';
        end if;
    end loop;
    return new;
end
$function$;

CREATE OR REPLACE FUNCTION crm.product_due_dates(p_product bigint, p_basis text, p_date date, p_after date DEFAULT NULL::date)
 RETURNS TABLE(service_date date, maintenance_date date, scrap_date date)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if p_basis is null or p_basis not in ('sale', 'outbound', 'inbound', 'production') then
        raise exception using errcode = 'invalid_parameter_value', message = 'product_due_basis_invalid',
                              constraint = 'product_due_basis_invalid';
    end if;
    return query
    select case when p.service_basis = p_basis and p.service_days > 0
                then crm.next_cycle_date(p_date, p.service_days, p_after) end,
           case when p.maintenance_basis = p_basis and p.maintenance_days > 0
                then crm.next_cycle_date(p_date, p.maintenance_days, p_after) end,
           case when p.scrap_basis = p_basis and p.scrap_days > 0 then p_date + p.scrap_days end
    from crm.product p where p.id = p_product;
end
$function$;
grant execute on function crm.product_due_dates(bigint,text,date,date) to crm_user;

CREATE OR REPLACE FUNCTION crm.product_picture_audit()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    r crm.product_picture := coalesce(new, old);
begin
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values (tg_table_name, r.product_id::text, lower(tg_op),
            jsonb_build_object('mime_type', r.mime_type, 'bytes', octet_length(r.content)));
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.proposed_price(p_customer bigint, p_product bigint, p_kind text DEFAULT 'sale'::text)
 RETURNS numeric
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    remembered numeric;
begin
    if p_kind is null or p_kind not in ('sale', 'purchase') then
        raise exception using errcode = 'invalid_parameter_value', message = 'price_history_kind_valid',
                              constraint = 'price_history_kind_valid';
    end if;
    if p_kind = 'purchase' or crm.may_see_customer(p_customer) then
        select h.price into remembered from crm.price_history h
         where h.customer_id = p_customer and h.product_id = p_product and h.kind = p_kind
         order by h.at desc, h.id desc limit 1;
        if found then
            return remembered;
        end if;
    end if;
    return (select case p_kind when 'sale' then p.sale_price else p.purchase_price end
            from crm.product p where p.id = p_product);
end
$function$;
grant execute on function crm.proposed_price(bigint,bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.remember_price(p_customer bigint, p_product bigint, p_kind text, p_price numeric, p_at timestamp with time zone DEFAULT now(), p_document text DEFAULT ''::text)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    insert into crm.price_history (customer_id, product_id, kind, price, at, document)
    values (p_customer, p_product, p_kind, p_price, p_at, coalesce(p_document, ''))
$function$;

CREATE OR REPLACE FUNCTION crm.to_base_quantity(p_product bigint, p_quantity numeric, p_unit bigint)
 RETURNS numeric
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select crm.convert_quantity(p_quantity, p_unit, p.base_unit_id, p.id) from crm.product p where p.id = p_product
$function$;
grant execute on function crm.to_base_quantity(bigint,numeric,bigint) to crm_user;

CREATE OR REPLACE FUNCTION crm.unit_ratio(p_from bigint, p_to bigint, p_product bigint DEFAULT NULL::bigint, OUT num numeric, OUT den numeric)
 RETURNS record
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    with rules as (
        select distinct on (from_unit_id, to_unit_id) from_unit_id, to_unit_id, factor
        from crm.unit_conversion
        where product_id is null or product_id = p_product
        order by from_unit_id, to_unit_id, product_id nulls last
    ), edges(a, b, num, den) as (
        select from_unit_id, to_unit_id, factor, 1::numeric from rules
        union all
        select to_unit_id, from_unit_id, 1::numeric, factor from rules
    ), candidates(rank, num, den) as (
        select 0, 1::numeric, 1::numeric where p_from = p_to
        union all
        select 1, e.num, e.den from edges e where e.a = p_from and e.b = p_to
        union all
        select 2, e1.num * e2.num, e1.den * e2.den
        from edges e1 join edges e2 on e2.a = e1.b where e1.a = p_from and e2.b = p_to
    )
    select num, den from candidates order by rank limit 1
$function$;
grant execute on function crm.unit_ratio(bigint,bigint,bigint) to crm_user;

drop policy if exists "accounts without a role see and change nothing" on crm.price_history;
create policy "accounts without a role see and change nothing" on crm.price_history as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "accounts without a role see and change nothing" on crm.product_category;
create policy "accounts without a role see and change nothing" on crm.product_category as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads product categories" on crm.product_category;
create policy "every account reads product categories" on crm.product_category as permissive for select to crm_user
    using (true);

drop policy if exists "product settings managers add categories" on crm.product_category;
create policy "product settings managers add categories" on crm.product_category as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers change categories" on crm.product_category;
create policy "product settings managers change categories" on crm.product_category as permissive for update to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers remove categories" on crm.product_category;
create policy "product settings managers remove categories" on crm.product_category as permissive for delete to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.product_custom_field;
create policy "accounts without a role see and change nothing" on crm.product_custom_field as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads custom product fields" on crm.product_custom_field;
create policy "every account reads custom product fields" on crm.product_custom_field as permissive for select to crm_user
    using (true);

drop policy if exists "product settings managers add custom fields" on crm.product_custom_field;
create policy "product settings managers add custom fields" on crm.product_custom_field as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers change custom fields" on crm.product_custom_field;
create policy "product settings managers change custom fields" on crm.product_custom_field as permissive for update to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers remove custom fields" on crm.product_custom_field;
create policy "product settings managers remove custom fields" on crm.product_custom_field as permissive for delete to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.product_picture;
create policy "accounts without a role see and change nothing" on crm.product_picture as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads product pictures" on crm.product_picture;
create policy "every account reads product pictures" on crm.product_picture as permissive for select to crm_user
    using (true);

drop policy if exists "product maintainers add pictures" on crm.product_picture;
create policy "product maintainers add pictures" on crm.product_picture as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('product.manage'::text) AS has_permission));

drop policy if exists "product maintainers change pictures" on crm.product_picture;
create policy "product maintainers change pictures" on crm.product_picture as permissive for update to crm_user
    using (( SELECT crm.has_permission('product.manage'::text) AS has_permission));

drop policy if exists "product maintainers remove pictures" on crm.product_picture;
create policy "product maintainers remove pictures" on crm.product_picture as permissive for delete to crm_user
    using (( SELECT crm.has_permission('product.manage'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.product_type;
create policy "accounts without a role see and change nothing" on crm.product_type as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads product types" on crm.product_type;
create policy "every account reads product types" on crm.product_type as permissive for select to crm_user
    using (true);

drop policy if exists "product settings managers add types" on crm.product_type;
create policy "product settings managers add types" on crm.product_type as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers change types" on crm.product_type;
create policy "product settings managers change types" on crm.product_type as permissive for update to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers remove types" on crm.product_type;
create policy "product settings managers remove types" on crm.product_type as permissive for delete to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.unit;
create policy "accounts without a role see and change nothing" on crm.unit as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads units" on crm.unit;
create policy "every account reads units" on crm.unit as permissive for select to crm_user
    using (true);

drop policy if exists "product settings managers add units" on crm.unit;
create policy "product settings managers add units" on crm.unit as permissive for insert to crm_user
    with check (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers change units" on crm.unit;
create policy "product settings managers change units" on crm.unit as permissive for update to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "product settings managers remove units" on crm.unit;
create policy "product settings managers remove units" on crm.unit as permissive for delete to crm_user
    using (( SELECT crm.has_permission('product.settings'::text) AS has_permission));

drop policy if exists "accounts without a role see and change nothing" on crm.unit_conversion;
create policy "accounts without a role see and change nothing" on crm.unit_conversion as restrictive for all to crm_user
    using ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL))
    with check ((( SELECT crm.customer_viewer() AS customer_viewer) IS NOT NULL));

drop policy if exists "every account reads unit conversions" on crm.unit_conversion;
create policy "every account reads unit conversions" on crm.unit_conversion as permissive for select to crm_user
    using (true);

drop policy if exists "settings managers add office rules, product maintainers a produ" on crm.unit_conversion;
create policy "settings managers add office rules, product maintainers a produ" on crm.unit_conversion as permissive for insert to crm_user
    with check (
CASE
    WHEN (product_id IS NULL) THEN ( SELECT crm.has_permission('product.settings'::text) AS has_permission)
    ELSE ( SELECT crm.has_permission('product.manage'::text) AS has_permission)
END);

drop policy if exists "settings managers change office rules, product maintainers a pr" on crm.unit_conversion;
create policy "settings managers change office rules, product maintainers a pr" on crm.unit_conversion as permissive for update to crm_user
    using (
CASE
    WHEN (product_id IS NULL) THEN ( SELECT crm.has_permission('product.settings'::text) AS has_permission)
    ELSE ( SELECT crm.has_permission('product.manage'::text) AS has_permission)
END);

drop policy if exists "settings managers remove office rules, product maintainers a pr" on crm.unit_conversion;
create policy "settings managers remove office rules, product maintainers a pr" on crm.unit_conversion as permissive for delete to crm_user
    using (
CASE
    WHEN (product_id IS NULL) THEN ( SELECT crm.has_permission('product.settings'::text) AS has_permission)
    ELSE ( SELECT crm.has_permission('product.manage'::text) AS has_permission)
END);

drop trigger if exists product_category_audit on crm.product_category;
CREATE TRIGGER product_category_audit AFTER UPDATE ON crm.product_category FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists product_category_audit_delete on crm.product_category;
CREATE TRIGGER product_category_audit_delete AFTER DELETE ON crm.product_category REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_category_audit_insert on crm.product_category;
CREATE TRIGGER product_category_audit_insert AFTER INSERT ON crm.product_category REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_category_cascade_path on crm.product_category;
CREATE TRIGGER product_category_cascade_path AFTER UPDATE OF name, parent_id ON crm.product_category FOR EACH ROW EXECUTE FUNCTION crm.product_category_cascade_path();

drop trigger if exists product_category_notify on crm.product_category;
CREATE TRIGGER product_category_notify AFTER INSERT OR DELETE OR UPDATE ON crm.product_category FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists product_category_require_permission on crm.product_category;
CREATE TRIGGER product_category_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.product_category FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.settings');

drop trigger if exists product_category_set_path on crm.product_category;
CREATE TRIGGER product_category_set_path BEFORE INSERT OR UPDATE OF name, parent_id ON crm.product_category FOR EACH ROW EXECUTE FUNCTION crm.product_category_set_path();

drop trigger if exists product_category_stamp_new_row on crm.product_category;
CREATE TRIGGER product_category_stamp_new_row BEFORE INSERT ON crm.product_category FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists product_category_version on crm.product_category;
CREATE TRIGGER product_category_version BEFORE UPDATE ON crm.product_category FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists product_custom_field_audit on crm.product_custom_field;
CREATE TRIGGER product_custom_field_audit AFTER UPDATE ON crm.product_custom_field FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists product_custom_field_audit_delete on crm.product_custom_field;
CREATE TRIGGER product_custom_field_audit_delete AFTER DELETE ON crm.product_custom_field REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_custom_field_audit_insert on crm.product_custom_field;
CREATE TRIGGER product_custom_field_audit_insert AFTER INSERT ON crm.product_custom_field REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_custom_field_notify on crm.product_custom_field;
CREATE TRIGGER product_custom_field_notify AFTER INSERT OR DELETE OR UPDATE ON crm.product_custom_field FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists product_custom_field_require_permission on crm.product_custom_field;
CREATE TRIGGER product_custom_field_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.product_custom_field FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.settings');

drop trigger if exists product_custom_field_stamp_new_row on crm.product_custom_field;
CREATE TRIGGER product_custom_field_stamp_new_row BEFORE INSERT ON crm.product_custom_field FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists product_custom_field_version on crm.product_custom_field;
CREATE TRIGGER product_custom_field_version BEFORE UPDATE ON crm.product_custom_field FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists product_picture_audit on crm.product_picture;
CREATE TRIGGER product_picture_audit AFTER INSERT OR DELETE OR UPDATE ON crm.product_picture FOR EACH ROW EXECUTE FUNCTION crm.product_picture_audit();

drop trigger if exists product_picture_notify on crm.product_picture;
CREATE TRIGGER product_picture_notify AFTER INSERT OR DELETE OR UPDATE ON crm.product_picture FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists product_picture_require_permission on crm.product_picture;
CREATE TRIGGER product_picture_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.product_picture FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.manage');

drop trigger if exists product_picture_stamp_new_row on crm.product_picture;
CREATE TRIGGER product_picture_stamp_new_row BEFORE INSERT ON crm.product_picture FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists product_picture_version on crm.product_picture;
CREATE TRIGGER product_picture_version BEFORE UPDATE ON crm.product_picture FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists product_type_audit on crm.product_type;
CREATE TRIGGER product_type_audit AFTER UPDATE ON crm.product_type FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists product_type_audit_delete on crm.product_type;
CREATE TRIGGER product_type_audit_delete AFTER DELETE ON crm.product_type REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_type_audit_insert on crm.product_type;
CREATE TRIGGER product_type_audit_insert AFTER INSERT ON crm.product_type REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists product_type_notify on crm.product_type;
CREATE TRIGGER product_type_notify AFTER INSERT OR DELETE OR UPDATE ON crm.product_type FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists product_type_require_permission on crm.product_type;
CREATE TRIGGER product_type_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.product_type FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.settings');

drop trigger if exists product_type_stamp_new_row on crm.product_type;
CREATE TRIGGER product_type_stamp_new_row BEFORE INSERT ON crm.product_type FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists product_type_version on crm.product_type;
CREATE TRIGGER product_type_version BEFORE UPDATE ON crm.product_type FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists unit_audit on crm.unit;
CREATE TRIGGER unit_audit AFTER UPDATE ON crm.unit FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists unit_audit_delete on crm.unit;
CREATE TRIGGER unit_audit_delete AFTER DELETE ON crm.unit REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists unit_audit_insert on crm.unit;
CREATE TRIGGER unit_audit_insert AFTER INSERT ON crm.unit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists unit_notify on crm.unit;
CREATE TRIGGER unit_notify AFTER INSERT OR DELETE OR UPDATE ON crm.unit FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists unit_require_permission on crm.unit;
CREATE TRIGGER unit_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.unit FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.settings');

drop trigger if exists unit_stamp_new_row on crm.unit;
CREATE TRIGGER unit_stamp_new_row BEFORE INSERT ON crm.unit FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists unit_version on crm.unit;
CREATE TRIGGER unit_version BEFORE UPDATE ON crm.unit FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

drop trigger if exists unit_conversion_audit on crm.unit_conversion;
CREATE TRIGGER unit_conversion_audit AFTER UPDATE ON crm.unit_conversion FOR EACH ROW EXECUTE FUNCTION crm.audit_row();

drop trigger if exists unit_conversion_audit_delete on crm.unit_conversion;
CREATE TRIGGER unit_conversion_audit_delete AFTER DELETE ON crm.unit_conversion REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists unit_conversion_audit_insert on crm.unit_conversion;
CREATE TRIGGER unit_conversion_audit_insert AFTER INSERT ON crm.unit_conversion REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.audit_rows();

drop trigger if exists unit_conversion_notify on crm.unit_conversion;
CREATE TRIGGER unit_conversion_notify AFTER INSERT OR DELETE OR UPDATE ON crm.unit_conversion FOR EACH ROW EXECUTE FUNCTION crm.notify_change();

drop trigger if exists unit_conversion_require_permission on crm.unit_conversion;
CREATE TRIGGER unit_conversion_require_permission BEFORE INSERT OR DELETE OR UPDATE ON crm.unit_conversion FOR EACH STATEMENT EXECUTE FUNCTION crm.require_permission('product.settings', 'product.manage');

drop trigger if exists unit_conversion_stamp_new_row on crm.unit_conversion;
CREATE TRIGGER unit_conversion_stamp_new_row BEFORE INSERT ON crm.unit_conversion FOR EACH ROW EXECUTE FUNCTION crm.stamp_new_row('created_at', 'updated_at', 'updated_by', 'version');

drop trigger if exists unit_conversion_version on crm.unit_conversion;
CREATE TRIGGER unit_conversion_version BEFORE UPDATE ON crm.unit_conversion FOR EACH ROW EXECUTE FUNCTION crm.bump_version();

call crm_meta.finish_migration();
