-- The private-customer limit holds under every isolation level, and numbers come only from
-- inserting the document.
-- depends: 0013_pg_temp_last
--
-- Limit.  The old check locked the owner's account row and counted his customers; under
-- REPEATABLE READ or SERIALIZABLE the count read the transaction's snapshot, so two sessions that
-- each added 5 customers to an owner with room for 5 both committed.  Now every owner has a
-- counter row (crm.private_customer_tally) that statement-level triggers on crm.customer move by
-- the statement's net change (transition tables: an import of 100,000 rows is one update per
-- owner).  Two transactions changing the same owner's count serialise on that row: under READ
-- COMMITTED the second re-reads the first's committed count and is refused by the limit, under
-- REPEATABLE READ and SERIALIZABLE it fails with 40001 (the client says "changed at the same time,
-- try again").  Create, import, assign, public→private and owner changes all pass through it.
--
-- Numbers.  crm.next_number / crm.next_numbers were callable by every account: drawing numbers
-- and committing left permanent gaps.  They are no longer executable by accounts (the demo seed,
-- a superuser, still reserves blocks for its COPY); the BEFORE INSERT triggers of customers and
-- products draw the number (crm.draw_number).  A rule says whether manual numbers are allowed
-- (numbering_rule.allows_manual): if not, a supplied number is refused (number_manual_not_allowed);
-- if so, it must not have the shape of any number the rule itself makes (number_reserved_by_rule),
-- so typing crm.preview_number(...) can no longer make a colleague's next save fail.  A drawn
-- number already taken (a manual number from before a rule change, old data) is skipped.

-- ---------------------------------------------------------------------------------------------
-- Private customer tally
-- ---------------------------------------------------------------------------------------------

create table crm.private_customer_tally (
    account_id    bigint primary key references crm.account on delete cascade,
    private_count integer not null default 0,
    constraint private_customer_tally_not_negative check (private_count >= 0)
);
alter table crm.private_customer_tally enable row level security;
alter table crm.private_customer_tally force row level security;
-- no policy and no grant: only the definer functions below read or write it

-- Rebuilds every count from the customers (the migration's backfill; crm-admin's seed, which COPYs
-- customers with triggers off).  SHARE mode keeps writers out while it counts.  Not for accounts.
create function crm.recount_private_customers() returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    lock table crm.customer in share mode;
    delete from crm.private_customer_tally;
    insert into crm.private_customer_tally (account_id, private_count)
    select owner_id, count(*) from crm.customer where is_private and owner_id is not null group by owner_id;
end
$$;
revoke execute on function crm.recount_private_customers() from public;

-- The statement's net change per owner, applied in owner order (two statements touching the same
-- owners lock their rows in the same order), then the limit of every owner who gained customers.
-- The row to insert carries no negative count: its CHECK runs before the conflict is found.
create function crm.customer_tally_private() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
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
$$;

-- the count-after-the-fact triggers of 0003b are replaced by the tally
drop trigger customer_insert_private_limit on crm.customer;
drop trigger customer_update_private_limit on crm.customer;
drop function crm.customer_check_private_limit();
drop function crm.enforce_private_limit(bigint, bigint);

create trigger customer_tally_private_insert after insert on crm.customer referencing new table as new_rows
    for each statement execute function crm.customer_tally_private();
create trigger customer_tally_private_update after update on crm.customer
    referencing old table as old_rows new table as new_rows
    for each statement execute function crm.customer_tally_private();
create trigger customer_tally_private_delete after delete on crm.customer referencing old table as old_rows
    for each statement execute function crm.customer_tally_private();

select crm.recount_private_customers();

-- ---------------------------------------------------------------------------------------------
-- Numbers only from inserting the document
-- ---------------------------------------------------------------------------------------------

alter table crm.numbering_rule add column allows_manual boolean not null default false;
-- products: the import's 产品编码 column is the seed's own (codes from the old system); customers
-- and every other document: numbers from the rule only, so no number can reveal a hidden row
update crm.numbering_rule set allows_manual = true where code = 'product';
grant update (allows_manual) on crm.numbering_rule to crm_user;

revoke execute on function crm.next_number(text, text), crm.next_numbers(text, integer) from crm_user, public;

-- Every number the rule can make, for any segment, period and sequence value, as a regular
-- expression: prefix, its separator, an optional segment and separator, the period's digits and at
-- least `digits` digits (crm.format_number pads to `digits` and grows beyond).
create function crm.numbering_pattern(r crm.numbering_rule) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
    select '^' || r.prefix
        || case when r.prefix <> '' then '(' || s.sep || '|' || s.sep || '.+' || s.sep || ')'
                else '(|.+' || s.sep || ')' end
        || case r.date_format when 'YYYY' then '[0-9]{4}' when 'YYYYMM' then '[0-9]{6}'
                              when 'YYYYMMDD' then '[0-9]{8}' else '' end
        || '[0-9]{' || r.digits || ',}$'
    from (select case when r.separator = '' then '' else '\' || r.separator end as sep) s
$$;
grant execute on function crm.numbering_pattern(crm.numbering_rule) to crm_user;

-- Why a hand-typed number cannot be kept (its catalogue key), or null: the forms and the imports
-- ask before saving, the insert triggers refuse with the same key.  Rules are readable by every
-- account, so this tells nothing new.
create function crm.manual_number_refusal(p_rule text, p_number text) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
    select case when r.code is null then 'numbering_rule_missing'
                when btrim(coalesce(p_number, '')) = '' then null
                when not r.allows_manual then 'number_manual_not_allowed'
                when p_number ~ crm.numbering_pattern(r) then 'number_reserved_by_rule' end
    from (select 1) one left join crm.numbering_rule r on r.code = p_rule
$$;
grant execute on function crm.manual_number_refusal(text, text) to crm_user;

create function crm.refuse_manual_number(p_rule text, p_number text) returns void
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
declare
    v_key text := crm.manual_number_refusal(p_rule, p_number);
begin
    if v_key is not null then
        raise exception using errcode = 'check_violation', message = v_key, constraint = v_key,
                              detail = p_number;
    end if;
end
$$;

-- The next number of a rule inside the caller's transaction (a rolled-back insert gives it back).
-- The first draw of a transaction finds the counter row by its key; later draws update the row
-- version this transaction wrote last, found by its ctid (a hint kept in a transaction-local
-- setting): updating one row 100,000 times in one transaction by key walks the row's ever longer
-- version chain (quadratic), by ctid it does not.  The hint is only a hint: the key is checked
-- again, a stale or forged one finds nothing visible and falls back to the key.
create function crm.draw_number(p_rule text, p_segment text default '') returns text
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
$$;
revoke execute on function crm.draw_number(text, text) from public;

create function crm.customer_take_number() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
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
$$;
-- named to fire before customer_fill_defaults (alphabetical), which then finds the number set
create trigger customer_assign_number before insert on crm.customer
    for each row execute function crm.customer_take_number();

-- products: the number is drawn with the category's code as segment; a changed number is checked
-- like a typed one
create function crm.product_take_number() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
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
$$;
drop trigger product_assign_number on crm.product;
drop function crm.product_assign_number();
create trigger product_assign_number before insert or update of number on crm.product
    for each row execute function crm.product_take_number();

call crm_meta.finish_migration();
