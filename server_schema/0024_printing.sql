-- Printing: the company letterhead every printout carries, and a print template per document kind.
-- definitions: printing
-- depends: 0019_customer_delete_by_function
--
-- One letterhead for the office (公司抬头: name, logo, address, phone, fax, e-mail, website, bank
-- account, tax number): every account reads it, because every account prints; only an account
-- with 打印抬头与模板 (system.print_settings) changes it.  The row exists from this migration on
-- and is never deleted, so a printout never lacks one.
-- A template per kind (quote, sales_order, contract): the title, the footer text, and which line
-- columns are left out.  Policies and triggers: definitions/printing.sql.

create table crm.print_letterhead (
    id          smallint primary key default 1,
    name        text not null default '',
    logo        bytea,
    logo_mime   text,
    address     text not null default '',
    phone       text not null default '',
    fax         text not null default '',
    email       text not null default '',
    website     text not null default '',
    bank        text not null default '',
    tax_number  text not null default '',
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    updated_by  bigint references crm.account,
    constraint print_letterhead_single check (id = 1),
    constraint print_letterhead_logo_type check ((logo is null) = (logo_mime is null)
                                                 and (logo_mime is null or logo_mime in ('image/png', 'image/jpeg'))),
    constraint print_letterhead_logo_too_large check (octet_length(logo) <= 1024 * 1024),
    constraint print_letterhead_text_length check (length(name) <= 200 and length(address) <= 500
                                                   and length(phone) <= 100 and length(fax) <= 100
                                                   and length(email) <= 200 and length(website) <= 200
                                                   and length(bank) <= 300 and length(tax_number) <= 100)
);
alter table crm.print_letterhead enable row level security;
alter table crm.print_letterhead force row level security;
insert into crm.print_letterhead (id, name)
select 1, coalesce((select name from crm.organization order by id limit 1), '');

create table crm.print_template (
    id             bigint generated always as identity primary key,
    kind           text not null unique,
    title          text not null default '',
    footer         text not null default '',
    hidden_columns text[] not null default '{}',
    version        integer not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    updated_by     bigint references crm.account,
    constraint print_template_kind_valid check (kind in ('quote', 'sales_order', 'contract')),
    constraint print_template_columns_valid check (
        hidden_columns <@ array['code', 'category', 'kind', 'spec', 'unit_price', 'discount',
                                'discounted_amount', 'note']),
    constraint print_template_text_length check (length(title) <= 100 and length(footer) <= 1000)
);
alter table crm.print_template enable row level security;
alter table crm.print_template force row level security;
insert into crm.print_template (kind, title, hidden_columns) values
    ('quote', '报价单', '{category,kind,note}'),
    ('sales_order', '销售订单', '{category,kind,note}'),
    ('contract', '合同', '{category,kind,note}');

grant select on crm.print_letterhead, crm.print_template to crm_user;
grant update (name, logo, logo_mime, address, phone, fax, email, website, bank, tax_number)
    on crm.print_letterhead to crm_user;
grant update (title, footer, hidden_columns) on crm.print_template to crm_user;

insert into crm.permission (code, parent_code, name_zh, name_en, sort_order)
values ('system.print_settings', 'system', '打印抬头与模板', 'Letterhead and print templates', 23)
on conflict (code) do nothing;

call crm_meta.finish_migration();
