-- The customer archive (客户档案): base settings, customers, contacts, shares, history, contact
-- plans, and the permission settings of 客户档案权限分配.  Visibility is in 0003a, actions in 0003b.
-- depends: 0002_numbering
--
-- Search: PostgreSQL has no pinyin and pg_trgm ignores CJK characters under the C locale the
-- embedded server uses, so customers carry a lower-cased search_key (name, number, phones, pinyin
-- initials computed by the client, contact names and phones) indexed by its character bigrams.

-- ---------------------------------------------------------------------------------------------
-- Base settings (客户档案基础信息): the lists the forms offer as choices
-- ---------------------------------------------------------------------------------------------

do $$
declare
    t text;
begin
    foreach t in array array['customer_type', 'customer_category', 'customer_source', 'industry'] loop
        execute format($f$
            create table crm.%1$I (
                id          bigint generated always as identity primary key,
                name        text not null,
                sort_order  integer not null default 0,
                notes       text not null default '',
                version     integer not null default 1,
                created_at  timestamptz not null default now(),
                updated_at  timestamptz not null default now(),
                constraint %1$s_name_unique unique (name),
                constraint %1$s_name_required check (btrim(name) <> ''))$f$, t);
    end loop;
end
$$;

-- 所在地区 is a tree; path ("中国.广东省.广州") is kept by trigger so a subtree is one prefix match
create table crm.region (
    id          bigint generated always as identity primary key,
    parent_id   bigint references crm.region on delete restrict,
    name        text not null,
    path        text not null default '',
    sort_order  integer not null default 0,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint region_name_required check (btrim(name) <> '' and position('.' in name) = 0),
    constraint region_path_unique unique (path)
);
create index region_parent on crm.region (parent_id);

create function crm.region_set_path() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    parent_path text;
begin
    if new.parent_id is not null then
        select path into parent_path from crm.region where id = new.parent_id;
        if parent_path = new.path or parent_path like new.path || '.%' then
            raise exception using errcode = 'check_violation', message = 'region_parent_cycle',
                                  constraint = 'region_parent_cycle';
        end if;
    end if;
    new.path := coalesce(parent_path || '.', '') || btrim(new.name);
    return new;
end
$$;
create trigger region_set_path before insert or update of name, parent_id on crm.region
    for each row execute function crm.region_set_path();

-- renaming or moving a region renames its subtree (each child's own trigger recomputes its path)
create function crm.region_cascade_path() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    if new.path <> old.path then
        update crm.region set parent_id = parent_id where parent_id = new.id;
    end if;
    return null;
end
$$;
create trigger region_cascade_path after update of name, parent_id on crm.region
    for each row execute function crm.region_cascade_path();

-- ---------------------------------------------------------------------------------------------
-- Customers and their contacts
-- ---------------------------------------------------------------------------------------------

create table crm.customer (
    id              bigint generated always as identity primary key,
    kind            text not null default 'company',
    is_private      boolean not null default true,
    owner_id        bigint references crm.account on delete restrict,
    department_id   bigint references crm.department on delete set null,
    number          text not null default '',
    name            text not null,
    name_initials   text not null default '',
    type_id         bigint references crm.customer_type on delete restrict,
    category_id     bigint references crm.customer_category on delete restrict,
    region_id       bigint references crm.region on delete restrict,
    source_id       bigint references crm.customer_source on delete restrict,
    industry_id     bigint references crm.industry on delete restrict,
    phone           text not null default '',
    mobile          text not null default '',
    fax             text not null default '',
    email           text not null default '',
    website         text not null default '',
    address         text not null default '',
    postcode        text not null default '',
    last_contact_at timestamptz,
    notes           text not null default '',
    contact_search  text not null default '',
    created_by      bigint references crm.account on delete set null,
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    search_key      text generated always as (lower(name || ' ' || number || ' ' || phone || ' ' || mobile
                                                    || ' ' || name_initials || ' ' || contact_search)) stored,
    constraint customer_kind_valid check (kind in ('individual', 'company')),
    constraint customer_name_required check (btrim(name) <> ''),
    constraint customer_private_needs_owner check (not is_private or owner_id is not null),
    constraint customer_number_unique unique (number),
    constraint customer_email_format check (email = '' or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')
);

-- Character bigrams of a text: the search index works for Chinese in any locale.
-- Under row-level security a user's condition may run before the policy, and so drive an index,
-- only if every function in it is LEAKPROOF; neither can fail on any text, so both are marked.
create function crm.bigrams(p text) returns text[]
language sql immutable leakproof parallel safe set search_path = pg_catalog as $$
    select coalesce(array_agg(distinct g), '{}')
    from (select substr(p, i, 2) as g from generate_series(1, length(p) - 1) i) grams
    where g !~ '\s'
$$;

-- "contains every bigram": arraycontains (which cannot fail on text[]) marked LEAKPROOF, with a
-- GIN operator class copied from array_ops, because the built-in @> is not leakproof
create function crm.bigrams_contain(text[], text[]) returns boolean
language internal immutable strict leakproof parallel safe as 'arraycontains';
create operator crm.@> (leftarg = text[], rightarg = text[], function = crm.bigrams_contain,
                        restrict = contsel, join = contjoinsel);
create operator class crm.bigram_ops for type text[] using gin as
    operator 2 crm.@> (text[], text[]),
    function 1 bttextcmp(text, text),
    function 2 ginarrayextract(anyarray, internal, internal),
    function 3 ginqueryarrayextract(anyarray, internal, int2, internal, internal, internal, internal),
    function 4 ginarrayconsistent(internal, int2, anyarray, int4, internal, internal, internal, internal),
    function 6 ginarraytriconsistent(internal, int2, anyarray, int4, internal, internal, internal),
    storage text;

-- policy columns, keyset orders (every order ends with id) and the search
create index customer_owner_private on crm.customer (owner_id) where is_private;
create index customer_owner on crm.customer (owner_id);
create index customer_department_public on crm.customer (department_id) where not is_private;
create index customer_department on crm.customer (department_id);
create index customer_type_id on crm.customer (type_id);
create index customer_region_id on crm.customer (region_id);
create index customer_name_order on crm.customer (name, id);
create index customer_number_order on crm.customer (number, id);
create index customer_last_contact_order on crm.customer (coalesce(last_contact_at, '1900-01-01 00:00:00+00'::timestamptz), id);
create index customer_phone on crm.customer (phone) where phone <> '';
create index customer_mobile on crm.customer (mobile) where mobile <> '';
create index customer_search on crm.customer using gin (crm.bigrams(search_key) crm.bigram_ops);

-- 联系人: the people at a customer
create table crm.contact (
    id          bigint generated always as identity primary key,
    customer_id bigint not null references crm.customer on delete cascade,
    name        text not null,
    gender      text not null default '',
    title       text not null default '',
    phone       text not null default '',
    mobile      text not null default '',
    email       text not null default '',
    qq          text not null default '',
    wechat      text not null default '',
    is_primary  boolean not null default false,
    notes       text not null default '',
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint contact_name_required check (btrim(name) <> ''),
    constraint contact_email_format check (email = '' or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')
);
create index contact_customer on crm.contact (customer_id);

create table crm.customer_share (
    customer_id bigint not null references crm.customer on delete cascade,
    account_id  bigint not null references crm.account on delete cascade,
    shared_by   bigint references crm.account on delete set null,
    shared_at   timestamptz not null default now(),
    primary key (customer_id, account_id)
);
create index customer_share_account on crm.customer_share (account_id, customer_id);

-- share / assign / type change, written only by the action functions and triggers
create table crm.customer_history (
    id          bigint generated always as identity primary key,
    customer_id bigint not null references crm.customer on delete cascade,
    at          timestamptz not null default now(),
    actor_id    bigint references crm.account on delete set null,
    action      text not null,
    from_owner  bigint references crm.account on delete set null,
    to_owner    bigint references crm.account on delete set null,
    receivers   bigint[] not null default '{}',
    old_type_id bigint references crm.customer_type on delete set null,
    new_type_id bigint references crm.customer_type on delete set null,
    reason      text not null default '',
    constraint customer_history_action_valid check (action in ('share', 'unshare', 'assign', 'type_change'))
);
create index customer_history_customer on crm.customer_history (customer_id, at);

-- 联系计划: chapter 五 builds on it; sharing and assigning create one for the receiver
create table crm.contact_plan (
    id          bigint generated always as identity primary key,
    customer_id bigint not null references crm.customer on delete cascade,
    account_id  bigint not null references crm.account on delete cascade,
    planned_at  timestamptz not null,
    subject     text not null default '',
    created_by  bigint references crm.account on delete set null,
    done        boolean not null default false,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index contact_plan_account on crm.contact_plan (account_id, planned_at) where not done;
create index contact_plan_customer on crm.contact_plan (customer_id);

-- ---------------------------------------------------------------------------------------------
-- 客户档案权限分配
-- ---------------------------------------------------------------------------------------------

-- 客户分类权限: where an account has rows, it sees only customers of those types (and its own)
create table crm.account_category_permission (
    account_id bigint not null references crm.account on delete cascade,
    type_id    bigint not null references crm.customer_type on delete cascade,
    primary key (account_id, type_id)
);

-- 人员管理层次权限: a leader sees the customers of whole organisations or department subtrees
create table crm.management_scope (
    id              bigint generated always as identity primary key,
    account_id      bigint not null references crm.account on delete cascade,
    organization_id bigint references crm.organization on delete cascade,
    department_id   bigint references crm.department on delete cascade,
    constraint management_scope_one_target check ((organization_id is null) <> (department_id is null))
);
create unique index management_scope_unique
    on crm.management_scope (account_id, coalesce(organization_id, 0), coalesce(department_id, 0));

-- 客户资源设置: no row means no limit
create table crm.private_customer_limit (
    account_id  bigint primary key references crm.account on delete cascade,
    max_private integer not null,
    constraint private_customer_limit_not_negative check (max_private >= 0)
);

-- A block of numbers in one counter update: an import of 100,000 rows must not update the
-- counter row 100,000 times in one transaction (each update lengthens the row's version chain).
create function crm.next_numbers(p_rule text, p_count integer) returns text[]
language plpgsql volatile security definer set search_path = pg_catalog as $$
declare
    r        crm.numbering_rule;
    v_period text;
    v_last   bigint;
begin
    select * into r from crm.numbering_rule where code = p_rule;
    if not found then
        raise exception using errcode = 'no_data_found', message = 'numbering_rule_missing',
                              constraint = 'numbering_rule_missing';
    end if;
    if p_count < 1 then
        return '{}';
    end if;
    v_period := case when r.date_format = '' then '' else to_char(current_date, r.date_format) end;
    insert into crm.numbering_counter as c (rule_code, segment, period, last_value)
    values (p_rule, '', v_period, p_count)
    on conflict (rule_code, segment, period) do update set last_value = c.last_value + p_count
    returning c.last_value into v_last;
    return array(select crm.format_number(r, '', v_period, v)
                 from generate_series(v_last - p_count + 1, v_last) v order by v);
end
$$;

call crm_meta.finish_migration();
