-- Price memory answers only for customers the caller may see.
-- depends: 0009_updated_by
--
-- crm.proposed_price is a definer function (accounts have no policy on crm.price_history), and it
-- returned the last price used with any customer id: a rep could learn what another rep's
-- customer paid.  The remembered sale price now counts only where the caller sees the customer;
-- otherwise the product's list price is proposed, as for a first sale.  Purchase prices belong to
-- suppliers (chapter 七), whose rules come with them.
--
-- crm.may_see_customer(id) is the select policy of crm.customer (0006) evaluated inside definer
-- code, where the policy itself does not apply; tests/db/test_customer_visibility.py checks that
-- both agree for every demo account.

create function crm.may_see_customer(p_customer bigint) returns boolean
language sql stable security definer set search_path = pg_catalog as $$
    select coalesce((
        select (c.owner_id = any (crm.customer_owner_ids()) or c.id = any (crm.shared_customer_ids())
                or c.department_id = any (crm.scope_department_ids())
                or (not c.is_private and c.department_id = any (crm.public_department_ids()))
                or (c.department_id is null and crm.sees_all_customers()))
               and (c.owner_id = crm.customer_viewer() or crm.permitted_customer_type_ids() is null
                    or c.type_id = any (crm.permitted_customer_type_ids()))
          from crm.customer c where c.id = p_customer), false)
$$;

create or replace function crm.proposed_price(p_customer bigint, p_product bigint, p_kind text default 'sale')
returns numeric
language plpgsql stable security definer set search_path = pg_catalog as $$
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
$$;

grant execute on function crm.may_see_customer(bigint) to crm_user;

call crm_meta.finish_migration();
