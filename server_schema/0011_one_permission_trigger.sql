-- One statement-trigger function for "needs one of these permissions".
-- depends: 0010_price_memory_visibility
--
-- crm.require_permission took one code and crm.require_any_permission (0004) several; the second
-- is folded into the first.  crm.require_permission_outside_actions (0003b) stays: it also lets
-- writes made inside the customer action functions pass, which check their own permission.

create or replace function crm.require_permission() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if exists (select from unnest(tg_argv) code where crm.has_permission(code)) then
        return null;
    end if;
    raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                          detail = tg_argv[0], constraint = 'permission_denied';
end
$$;

drop trigger unit_conversion_require_permission on crm.unit_conversion;
create trigger unit_conversion_require_permission before insert or update or delete on crm.unit_conversion
    for each statement execute function crm.require_permission('product.settings', 'product.manage');
drop trigger product_insert_require_permission on crm.product;
create trigger product_insert_require_permission before insert on crm.product
    for each statement execute function crm.require_permission('product.manage', 'product.import');
drop function crm.require_any_permission();

call crm_meta.finish_migration();
