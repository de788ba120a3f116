-- Receivers of shares and assignments, and what an assigner may know about them.
-- depends: 0006_customer_search_plan
--
-- * An account past its valid-until date cannot log in, so it cannot receive customers either
--   (the picker left it out; now the server does too).
-- * crm.private_customer_status(account): the receiver's private customers and limit, counted over
--   all customers, not only those the caller may see, so the assign dialog can say "16 / 20, after
--   this 19" truthfully.  Only the account itself and those who may assign customers or set the
--   limits may ask; crm.private_customer_counts() gives every account's count to the latter.

create or replace function crm.require_active_receivers(p_receivers bigint[]) returns void
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if coalesce(cardinality(p_receivers), 0) = 0
       or exists (select from unnest(p_receivers) r(id) left join crm.account a on a.id = r.id
                  where a.id is null or a.status <> 'active' or a.locked or a.deleted_at is not null
                     or a.valid_until < current_date) then
        raise exception using errcode = 'invalid_parameter_value', message = 'customer_receiver_inactive',
                              constraint = 'customer_receiver_inactive';
    end if;
end
$$;

create function crm.private_customer_status(p_account bigint, out owned bigint, out max_private integer)
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    if p_account is distinct from crm.current_account()
       and not crm.has_permission('customer.assign') and not crm.has_permission('customer.permission') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'customer.assign', constraint = 'permission_denied';
    end if;
    select count(*) into owned from crm.customer c where c.owner_id = p_account and c.is_private;
    select l.max_private into max_private from crm.private_customer_limit l where l.account_id = p_account;
end
$$;

-- 客户资源设置 shows every account's count beside its limit: one grouped query, same rule.
create function crm.private_customer_counts() returns table (account_id bigint, owned bigint)
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    if not crm.has_permission('customer.assign') and not crm.has_permission('customer.permission') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'customer.permission', constraint = 'permission_denied';
    end if;
    return query select c.owner_id, count(*) from crm.customer c
                  where c.is_private and c.owner_id is not null group by c.owner_id;
end
$$;
grant execute on function crm.private_customer_status(bigint), crm.private_customer_counts() to crm_user;

call crm_meta.finish_migration();
