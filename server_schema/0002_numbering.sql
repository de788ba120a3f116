-- Numbering rules (客户编号, 产品编号, NO-0001, XS201205230003, AB20130308000001, FH-SVSHF-081):
-- generated in the database, gap-free per rule, segment and period, safe under concurrent inserts.
-- depends: 0001_foundation
--
-- A number is  prefix [sep] [segment sep] [period] sequence  where the period is the date in the
-- rule's date format (the counter restarts with each period) and the segment is what the caller
-- passes (a product category's code, say).  The counter row is updated inside the caller's
-- transaction: a rolled-back insert gives its number back, so numbers have no gaps, and two
-- concurrent inserts queue on the counter row's lock.

create table crm.numbering_rule (
    code            text primary key,
    name_zh         text not null,
    name_en         text not null,
    prefix          text not null default '',
    separator       text not null default '',
    date_format     text not null default '',
    digits          integer not null default 4,
    permission_code text not null references crm.permission,
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint numbering_rule_digits_range check (digits between 1 and 12),
    constraint numbering_rule_date_format_valid check (date_format in ('', 'YYYY', 'YYYYMM', 'YYYYMMDD')),
    constraint numbering_rule_prefix_format check (prefix ~ '^[A-Za-z0-9]{0,10}$'),
    constraint numbering_rule_separator_format check (separator in ('', '-', '_', '.', '/'))
);

create table crm.numbering_counter (
    rule_code  text not null references crm.numbering_rule on delete cascade,
    segment    text not null default '',
    period     text not null default '',
    last_value bigint not null,
    primary key (rule_code, segment, period)
);

create trigger numbering_rule_version before update on crm.numbering_rule
    for each row execute function crm.bump_version();
create trigger numbering_rule_audit after insert or update or delete on crm.numbering_rule
    for each row execute function crm.audit_row();

alter table crm.numbering_rule enable row level security;
alter table crm.numbering_rule force row level security;
alter table crm.numbering_counter enable row level security;
alter table crm.numbering_counter force row level security;

create function crm.format_number(r crm.numbering_rule, p_segment text, p_period text, p_value bigint)
returns text
language sql immutable set search_path = pg_catalog as $$
    select r.prefix
        || case when r.prefix <> '' and (p_segment <> '' or r.separator <> '') then r.separator else '' end
        || case when p_segment <> '' then p_segment || r.separator else '' end
        || p_period
        || lpad(p_value::text, greatest(r.digits, length(p_value::text)), '0')
$$;

create function crm.next_number(p_rule text, p_segment text default '') returns text
language plpgsql volatile security definer set search_path = pg_catalog as $$
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
$$;

-- What the next number would be, for a form's placeholder; it reserves nothing.
create function crm.preview_number(p_rule text, p_segment text default '') returns text
language sql stable security definer set search_path = pg_catalog as $$
    select crm.format_number(r, coalesce(p_segment, ''), p.period,
                             coalesce((select last_value from crm.numbering_counter c
                                       where c.rule_code = r.code and c.segment = coalesce(p_segment, '')
                                         and c.period = p.period), 0) + 1)
    from crm.numbering_rule r,
         lateral (select case when r.date_format = '' then '' else to_char(current_date, r.date_format) end
                  as period) p
    where r.code = p_rule
$$;

create policy "every account reads numbering rules" on crm.numbering_rule for select to crm_user
    using (true);
create policy "the module's settings permission changes its rule" on crm.numbering_rule for update to crm_user
    using (true) with check (crm.has_permission(permission_code));

-- an explicit refusal rather than the policy's silent "0 rows"
create function crm.numbering_rule_require_permission() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if not crm.has_permission(old.permission_code) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = old.permission_code, constraint = 'permission_denied';
    end if;
    return new;
end
$$;
create trigger numbering_rule_require_permission before update on crm.numbering_rule
    for each row execute function crm.numbering_rule_require_permission();

grant select, update (prefix, separator, date_format, digits) on crm.numbering_rule to crm_user;
grant execute on function crm.next_number(text, text), crm.preview_number(text, text) to crm_user;

-- the rules of every module of the specification; each module uses its own
insert into crm.numbering_rule (code, name_zh, name_en, prefix, separator, date_format, digits, permission_code) values
    ('customer', '客户编号', 'Customer number', 'KH', '', 'YYYYMM', 4, 'customer.settings'),
    ('product', '产品编号', 'Product number', 'FH', '-', '', 3, 'product.settings'),
    ('quote', '报价单号', 'Quote number', 'NO', '-', '', 4, 'sales.quote'),
    ('sales_order', '销售订单号', 'Sales order number', 'XS', '', 'YYYYMMDD', 4, 'contract.order'),
    ('contract', '合同编号', 'Contract number', 'HT', '', 'YYYYMMDD', 4, 'contract.manage'),
    ('bill', '帐单号', 'Bill number', 'AB', '', 'YYYYMMDD', 6, 'finance.bill'),
    ('service_ticket', '服务单号', 'Service ticket number', 'FW', '', 'YYYYMMDD', 4, 'service.ticket');

call crm_meta.finish_migration();
