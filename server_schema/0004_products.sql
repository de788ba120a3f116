-- Products (产品信息, the seed's chapter 四): categories (a tree whose codes feed product numbers),
-- types, units and conversions, custom fields, products with pictures, price memory and cycle dates.
-- depends: 0002_numbering
--
-- Every account reads the catalogue; base settings need product.settings, products need
-- product.manage (adding also with product.import), all enforced here.  Money and quantities are
-- numeric; intervals are whole days.  Price memory has no foreign key to crm.customer on purpose:
-- the customer module is another migration, and the sales documents write the memory.

-- ---------------------------------------------------------------------------------------------
-- Shared trigger function: refuse a statement unless the caller holds ANY of the named permissions
-- ---------------------------------------------------------------------------------------------

create function crm.require_any_permission() returns trigger
language plpgsql set search_path = pg_catalog as $$
declare
    code text;
begin
    foreach code in array tg_argv loop
        if crm.has_permission(code) then
            return null;
        end if;
    end loop;
    raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                          detail = tg_argv[0], constraint = 'permission_denied';
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Base settings (产品基础信息)
-- ---------------------------------------------------------------------------------------------

-- The category tree; path ("电子产品/电脑/笔记本") is kept by trigger, so the import can name a
-- category by its path and the list can filter a subtree with one prefix match.
create table crm.product_category (
    id          bigint generated always as identity primary key,
    parent_id   bigint references crm.product_category on delete restrict,
    name        text not null,
    code        text not null,
    path        text not null default '',
    sort_order  integer not null default 0,
    notes       text not null default '',
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint product_category_name_required check (btrim(name) <> '' and position('/' in name) = 0),
    -- the code becomes a segment of product numbers (FH-SVSHF-081)
    constraint product_category_code_format check (code ~ '^[A-Za-z0-9]{1,10}$'),
    constraint product_category_code_unique unique (code),
    constraint product_category_not_own_parent check (parent_id <> id)
);
create unique index product_category_name_unique_in_parent
    on crm.product_category (coalesce(parent_id, 0), name);
create index product_category_parent on crm.product_category (parent_id);
create index product_category_path on crm.product_category (path text_pattern_ops);

create function crm.product_category_set_path() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
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
$$;
create trigger product_category_set_path before insert or update of name, parent_id
    on crm.product_category for each row execute function crm.product_category_set_path();

-- renaming or moving a category renames its subtree (each child's own trigger recomputes its path)
create function crm.product_category_cascade_path() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if new.path <> old.path then
        update crm.product_category set parent_id = parent_id where parent_id = new.id;
    end if;
    return null;
end
$$;
create trigger product_category_cascade_path after update of name, parent_id on crm.product_category
    for each row execute function crm.product_category_cascade_path();

create table crm.product_type (
    id          bigint generated always as identity primary key,
    name        text not null,
    sort_order  integer not null default 0,
    notes       text not null default '',
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint product_type_name_unique unique (name),
    constraint product_type_name_required check (btrim(name) <> '')
);

create table crm.unit (
    id          bigint generated always as identity primary key,
    name        text not null,
    sort_order  integer not null default 0,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint unit_name_unique unique (name),
    constraint unit_name_required check (btrim(name) <> '')
);

-- 1 from_unit = factor to_unit (1 打 = 12 个).  product_id null: the office-wide rule; a product's
-- own rule (1 箱 of this product = 24 个) wins over it.
create table crm.unit_conversion (
    id           bigint generated always as identity primary key,
    product_id   bigint,  -- references crm.product, added below
    from_unit_id bigint not null references crm.unit on delete cascade,
    to_unit_id   bigint not null references crm.unit on delete cascade,
    factor       numeric(18, 6) not null,
    version      integer not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint unit_conversion_factor_positive check (factor > 0),
    constraint unit_conversion_not_self check (from_unit_id <> to_unit_id)
);
create unique index unit_conversion_unique
    on crm.unit_conversion (coalesce(product_id, 0), from_unit_id, to_unit_id);
create index unit_conversion_to on crm.unit_conversion (to_unit_id);

create table crm.product_custom_field (
    id          bigint generated always as identity primary key,
    name        text not null,
    kind        text not null default 'text',
    choices     text[] not null default '{}',
    required    boolean not null default false,
    sort_order  integer not null default 0,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint product_custom_field_name_unique unique (name),
    constraint product_custom_field_name_required check (btrim(name) <> ''),
    constraint product_custom_field_kind_valid check (kind in ('text', 'number', 'date', 'choice')),
    constraint product_custom_field_choices_needed check (kind <> 'choice' or cardinality(choices) > 0)
);

-- ---------------------------------------------------------------------------------------------
-- Products (figure 15)
-- ---------------------------------------------------------------------------------------------

create table crm.product (
    id                bigint generated always as identity primary key,
    category_id       bigint not null references crm.product_category on delete restrict,
    type_id           bigint references crm.product_type on delete restrict,
    name              text not null,
    number            text not null default '',
    model             text not null default '',
    item_code         text not null default '',
    base_unit_id      bigint not null references crm.unit on delete restrict,
    monitored         boolean not null default false,
    serial_mode       text not null default 'none',
    notes             text not null default '',
    sale_price        numeric(14, 2) not null default 0,
    purchase_price    numeric(14, 2) not null default 0,
    service_basis     text not null default 'sale',
    service_days      integer,
    maintenance_basis text not null default 'inbound',
    maintenance_days  integer,
    scrap_basis       text not null default 'inbound',
    scrap_days        integer,
    -- custom field id (as text) → value as a JSON string ("12.50", "2013-03-08"): never a JSON
    -- number, which clients would read as float
    custom_fields     jsonb not null default '{}',
    version           integer not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    constraint product_name_required check (btrim(name) <> ''),
    constraint product_number_unique unique (number),
    constraint product_serial_mode_valid check (serial_mode in ('none', 'always', 'outbound')),
    constraint product_price_nonnegative check (sale_price >= 0 and purchase_price >= 0),
    constraint product_basis_valid check (service_basis in ('sale', 'outbound')
                                          and maintenance_basis in ('inbound', 'production')
                                          and scrap_basis in ('inbound', 'production')),
    constraint product_interval_nonnegative check (coalesce(service_days, 0) >= 0
                                                   and coalesce(maintenance_days, 0) >= 0
                                                   and coalesce(scrap_days, 0) >= 0),
    constraint product_custom_fields_object check (jsonb_typeof(custom_fields) = 'object')
);
create index product_category_id on crm.product (category_id, number, id);
create index product_type_id on crm.product (type_id);
create index product_name_order on crm.product (name, id);
create index product_item_code on crm.product (item_code) where item_code <> '';

alter table crm.unit_conversion add constraint unit_conversion_product_fk
    foreign key (product_id) references crm.product on delete cascade;

create table crm.product_picture (
    product_id  bigint primary key references crm.product on delete cascade,
    mime_type   text not null,
    content     bytea not null,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint product_picture_type_valid check (mime_type in ('image/png', 'image/jpeg', 'image/gif', 'image/bmp')),
    constraint product_picture_too_large check (octet_length(content) <= 2 * 1024 * 1024)
);

-- An empty number is drawn from rule 'product' with the category's code as segment, inside the
-- insert's transaction: a failed insert gives its number back.
create function crm.product_assign_number() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    new.number := crm.next_number('product', (select code from crm.product_category where id = new.category_id));
    return new;
end
$$;
create trigger product_assign_number before insert on crm.product
    for each row when (btrim(new.number) = '') execute function crm.product_assign_number();

-- '2013-02-30' matches the pattern but is no date; only date fields pay for the sub-transaction
create function crm.is_date(p text) returns boolean
language plpgsql immutable set search_path = pg_catalog as $$
begin
    return p ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' and p::date is not null;
exception when others then
    return false;
end
$$;

create function crm.product_check_custom_fields() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    f crm.product_custom_field;
    v jsonb;
begin
    if new.custom_fields = '{}' and not exists (select from crm.product_custom_field where required) then
        return new;  -- the common case, and every row of a plain import
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
$$;
create trigger product_check_custom_fields before insert or update of custom_fields on crm.product
    for each row execute function crm.product_check_custom_fields();

-- ---------------------------------------------------------------------------------------------
-- Price memory (标准价格 the first time, the last price after that)
-- ---------------------------------------------------------------------------------------------

-- Written by the sales and purchase documents' functions (crm.remember_price); nobody reads it
-- directly: crm.proposed_price answers the only question it serves.
create table crm.price_history (
    id          bigint generated always as identity primary key,
    customer_id bigint not null,
    product_id  bigint not null references crm.product on delete cascade,
    kind        text not null,
    price       numeric(14, 2) not null,
    at          timestamptz not null default now(),
    document    text not null default '',
    constraint price_history_kind_valid check (kind in ('sale', 'purchase')),
    constraint price_history_price_nonnegative check (price >= 0)
);
create index price_history_latest on crm.price_history (customer_id, product_id, kind, at desc, id desc);
create index price_history_product on crm.price_history (product_id);

-- ---------------------------------------------------------------------------------------------
-- Triggers: permissions, versions, audit, notifications
-- ---------------------------------------------------------------------------------------------

do $$
declare
    t text;
begin
    foreach t in array array['product_category', 'product_type', 'unit', 'product_custom_field'] loop
        execute format('create trigger %1$s_require_permission before insert or update or delete on crm.%1$I
                        for each statement execute function crm.require_permission(''product.settings'')', t);
    end loop;
    foreach t in array array['product_category', 'product_type', 'unit', 'unit_conversion',
                             'product_custom_field', 'product', 'product_picture'] loop
        execute format('create trigger %1$s_version before update on crm.%1$I
                        for each row execute function crm.bump_version()', t);
        execute format('create trigger %1$s_notify after insert or update or delete on crm.%1$I
                        for each row execute function crm.notify_change()', t);
    end loop;
    foreach t in array array['product_category', 'product_type', 'unit', 'unit_conversion',
                             'product_custom_field', 'product'] loop
        execute format('create trigger %1$s_audit after insert or update or delete on crm.%1$I
                        for each row execute function crm.audit_row()', t);
    end loop;
end
$$;

-- a product's own conversions are product maintenance; the office-wide ones are base settings
create trigger unit_conversion_require_permission before insert or update or delete on crm.unit_conversion
    for each statement execute function crm.require_any_permission('product.settings', 'product.manage');
create trigger product_insert_require_permission before insert on crm.product
    for each statement execute function crm.require_any_permission('product.manage', 'product.import');
create trigger product_change_require_permission before update or delete on crm.product
    for each statement execute function crm.require_permission('product.manage');
create trigger product_picture_require_permission before insert or update or delete on crm.product_picture
    for each statement execute function crm.require_permission('product.manage');

-- the picture's bytes stay out of the audit log: who changed it, when, and its size are enough
create function crm.product_picture_audit() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    r crm.product_picture := coalesce(new, old);
begin
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values (tg_table_name, r.product_id::text, lower(tg_op),
            jsonb_build_object('mime_type', r.mime_type, 'bytes', octet_length(r.content)));
    return null;
end
$$;
create trigger product_picture_audit after insert or update or delete on crm.product_picture
    for each row execute function crm.product_picture_audit();

-- ---------------------------------------------------------------------------------------------
-- Row-level security: every account reads the catalogue; writes need the module's permissions
-- ---------------------------------------------------------------------------------------------

do $$
declare
    t text;
begin
    foreach t in array array['product_category', 'product_type', 'unit', 'unit_conversion',
                             'product_custom_field', 'product', 'product_picture', 'price_history'] loop
        execute format('alter table crm.%I enable row level security', t);
        execute format('alter table crm.%I force row level security', t);
    end loop;
end
$$;

create policy "every account reads product categories" on crm.product_category for select to crm_user using (true);
create policy "product settings managers add categories" on crm.product_category for insert to crm_user
    with check ((select crm.has_permission('product.settings')));
create policy "product settings managers change categories" on crm.product_category for update to crm_user
    using ((select crm.has_permission('product.settings')));
create policy "product settings managers remove categories" on crm.product_category for delete to crm_user
    using ((select crm.has_permission('product.settings')));

create policy "every account reads product types" on crm.product_type for select to crm_user using (true);
create policy "product settings managers add types" on crm.product_type for insert to crm_user
    with check ((select crm.has_permission('product.settings')));
create policy "product settings managers change types" on crm.product_type for update to crm_user
    using ((select crm.has_permission('product.settings')));
create policy "product settings managers remove types" on crm.product_type for delete to crm_user
    using ((select crm.has_permission('product.settings')));

create policy "every account reads units" on crm.unit for select to crm_user using (true);
create policy "product settings managers add units" on crm.unit for insert to crm_user
    with check ((select crm.has_permission('product.settings')));
create policy "product settings managers change units" on crm.unit for update to crm_user
    using ((select crm.has_permission('product.settings')));
create policy "product settings managers remove units" on crm.unit for delete to crm_user
    using ((select crm.has_permission('product.settings')));

create policy "every account reads unit conversions" on crm.unit_conversion for select to crm_user using (true);
create policy "settings managers add office rules, product maintainers a product's own" on crm.unit_conversion
    for insert to crm_user
    with check (case when product_id is null then (select crm.has_permission('product.settings'))
                     else (select crm.has_permission('product.manage')) end);
create policy "settings managers change office rules, product maintainers a product's own" on crm.unit_conversion
    for update to crm_user
    using (case when product_id is null then (select crm.has_permission('product.settings'))
                else (select crm.has_permission('product.manage')) end);
create policy "settings managers remove office rules, product maintainers a product's own" on crm.unit_conversion
    for delete to crm_user
    using (case when product_id is null then (select crm.has_permission('product.settings'))
                else (select crm.has_permission('product.manage')) end);

create policy "every account reads custom product fields" on crm.product_custom_field for select to crm_user
    using (true);
create policy "product settings managers add custom fields" on crm.product_custom_field for insert to crm_user
    with check ((select crm.has_permission('product.settings')));
create policy "product settings managers change custom fields" on crm.product_custom_field for update to crm_user
    using ((select crm.has_permission('product.settings')));
create policy "product settings managers remove custom fields" on crm.product_custom_field for delete to crm_user
    using ((select crm.has_permission('product.settings')));

create policy "every account reads products" on crm.product for select to crm_user using (true);
create policy "product maintainers and importers add products" on crm.product for insert to crm_user
    with check ((select crm.has_permission('product.manage')) or (select crm.has_permission('product.import')));
create policy "product maintainers change products" on crm.product for update to crm_user
    using ((select crm.has_permission('product.manage')));
create policy "product maintainers remove products" on crm.product for delete to crm_user
    using ((select crm.has_permission('product.manage')));

create policy "every account reads product pictures" on crm.product_picture for select to crm_user using (true);
create policy "product maintainers add pictures" on crm.product_picture for insert to crm_user
    with check ((select crm.has_permission('product.manage')));
create policy "product maintainers change pictures" on crm.product_picture for update to crm_user
    using ((select crm.has_permission('product.manage')));
create policy "product maintainers remove pictures" on crm.product_picture for delete to crm_user
    using ((select crm.has_permission('product.manage')));

-- crm.price_history has no policy for accounts: only the definer functions below touch it

-- Foreign-key cascades (a product's conversions and picture go with it) run as the table owner,
-- and the permission triggers they fire call has_permission, which still asks about the session's
-- account: the owner needs EXECUTE on it.  (Deleting a role in 0001 has the same need.)
grant execute on function crm.has_permission(text) to crm_owner;

grant select, insert, update, delete on crm.product_category, crm.product_type, crm.unit,
    crm.unit_conversion, crm.product_custom_field, crm.product, crm.product_picture to crm_user;

-- ---------------------------------------------------------------------------------------------
-- Callable functions
-- ---------------------------------------------------------------------------------------------

-- 1 p_from = num / den p_to: same unit, a direct rule, its inverse, or through one unit in between
-- (半打 → 打 via 个).  A product's own rules win over the office-wide ones.  Kept as a fraction so
-- a conversion divides once, at the end.
create function crm.unit_ratio(p_from bigint, p_to bigint, p_product bigint default null,
                               out num numeric, out den numeric)
language sql stable set search_path = pg_catalog as $$
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
$$;

-- p_quantity of p_from expressed in p_to, to 6 decimal places (3 个 = 0.25 打)
create function crm.convert_quantity(p_quantity numeric, p_from bigint, p_to bigint,
                                     p_product bigint default null) returns numeric
language plpgsql stable set search_path = pg_catalog as $$
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
$$;

-- a quantity in any unit as the product's base unit (标准单位)
create function crm.to_base_quantity(p_product bigint, p_quantity numeric, p_unit bigint) returns numeric
language sql stable set search_path = pg_catalog as $$
    select crm.convert_quantity(p_quantity, p_unit, p.base_unit_id, p.id) from crm.product p where p.id = p_product
$$;

-- the first date of the cycle start + k·days (k ≥ 1) that is on or after p_after
create function crm.next_cycle_date(p_start date, p_days integer, p_after date default null) returns date
language sql immutable set search_path = pg_catalog as $$
    select p_start + p_days * greatest(1, ceil((coalesce(p_after, p_start) - p_start)::numeric / p_days)::integer)
$$;

-- For a product and the date of its sale / outbound / inbound / production: the next service,
-- maintenance and scrap dates whose cycle counts from that kind of date (others are null).
-- Service and maintenance repeat (the next one on or after p_after); scrapping happens once.
create function crm.product_due_dates(p_product bigint, p_basis text, p_date date, p_after date default null)
returns table (service_date date, maintenance_date date, scrap_date date)
language plpgsql stable set search_path = pg_catalog as $$
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
$$;

-- The price a sales (or purchase) document proposes: the last one used with this customer
-- (or supplier), the product's list price the first time.
create function crm.proposed_price(p_customer bigint, p_product bigint, p_kind text default 'sale')
returns numeric
language plpgsql stable security definer set search_path = pg_catalog as $$
declare
    remembered numeric;
begin
    if p_kind is null or p_kind not in ('sale', 'purchase') then
        raise exception using errcode = 'invalid_parameter_value', message = 'price_history_kind_valid',
                              constraint = 'price_history_kind_valid';
    end if;
    select h.price into remembered from crm.price_history h
     where h.customer_id = p_customer and h.product_id = p_product and h.kind = p_kind
     order by h.at desc, h.id desc limit 1;
    if found then
        return remembered;
    end if;
    return (select case p_kind when 'sale' then p.sale_price else p.purchase_price end
            from crm.product p where p.id = p_product);
end
$$;

-- Called by the sales and purchase documents' own functions when a document is saved or
-- approved; not granted to accounts, so nobody can plant a price by hand.
create function crm.remember_price(p_customer bigint, p_product bigint, p_kind text, p_price numeric,
                                   p_at timestamptz default now(), p_document text default '')
returns void
language sql volatile security definer set search_path = pg_catalog as $$
    insert into crm.price_history (customer_id, product_id, kind, price, at, document)
    values (p_customer, p_product, p_kind, p_price, p_at, coalesce(p_document, ''))
$$;

grant execute on function crm.unit_ratio(bigint, bigint, bigint), crm.convert_quantity(numeric, bigint, bigint, bigint),
    crm.to_base_quantity(bigint, numeric, bigint), crm.next_cycle_date(date, integer, date),
    crm.product_due_dates(bigint, text, date, date), crm.proposed_price(bigint, bigint, text) to crm_user;

call crm_meta.finish_migration();
