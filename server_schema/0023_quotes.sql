-- Quotes (报价单, chapter 五.3, figure 18): header and lines, approved through the approval engine.
-- definitions: sales_documents
-- depends: 0022_approval
--
-- The database computes every amount (definitions/sales_documents.sql, the one rounding rule of
-- DESIGN "Documents, lines and money"): a line's amount, its amount after the line discount, the
-- whole-document discount spread over the lines to the cent with the remainder on the largest
-- line, and the header's totals.  Those columns are not granted to accounts: a client cannot send
-- a total.  The approval columns belong to the engine (0022).

create table crm.quote (
    id                   bigint generated always as identity primary key,
    number               text not null default '',
    handler_id           bigint not null references crm.account on delete restrict,  -- 报价人
    customer_id          bigint not null,
    contact_id           bigint,
    quoted_on            date not null default current_date,                        -- 报价时间
    valid_until          date not null,                                             -- 有效期至
    opportunity_id       bigint,                                                    -- the opportunity module adds its key
    flow_id              bigint references crm.approval_flow on delete restrict,    -- 审批流程 chosen, or automatic
    template             text not null default '',
    notes                text not null default '',
    discount             numeric(7, 4) not null default 1,   -- whole-document rate: 0.9500 is 95 %
    line_count           integer not null default 0,
    total_quantity       numeric(18, 4) not null default 0,
    total_amount         numeric(18, 2) not null default 0,  -- Σ quantity × price
    net_amount           numeric(18, 2) not null default 0,  -- Σ after the line discounts
    discounted_total     numeric(18, 2) not null default 0,  -- 折后总额, Σ of the lines' final amounts
    approval_status      text not null default 'draft',
    last_approver_id     bigint references crm.account on delete restrict,
    last_approved_at     timestamptz,
    approval_instance_id bigint references crm.approval_instance on delete restrict,
    converted_order_id   bigint,          -- the sales order made from it (issue 12 item 4)
    version              integer not null default 1,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    created_by           bigint references crm.account on delete set null,
    updated_by           bigint references crm.account on delete set null,
    constraint quote_number_unique unique (number),
    constraint quote_customer_fk foreign key (customer_id) references crm.customer on delete restrict,
    constraint quote_contact_fk foreign key (contact_id) references crm.contact on delete restrict,
    constraint quote_valid_after_quoted check (valid_until >= quoted_on),
    constraint quote_discount_range check (discount > 0 and discount <= 1),
    constraint quote_approval_status_valid check (approval_status in ('draft', 'pending', 'approved', 'rejected'))
);
create index quote_handler on crm.quote (handler_id, quoted_on desc, id desc);
create index quote_customer on crm.quote (customer_id);
create index quote_list_order on crm.quote (quoted_on desc, id desc);
create index quote_status on crm.quote (approval_status, quoted_on desc, id desc);

create table crm.quote_line (
    id                bigint generated always as identity primary key,
    quote_id          bigint not null references crm.quote on delete cascade,
    line_no           integer not null,
    product_id        bigint not null references crm.product on delete restrict,
    product_name      text not null default '',    -- as quoted, kept if the product is renamed
    category          text not null default '',
    kind              text not null default '',    -- 类型
    spec              text not null default '',    -- 规格型号
    quantity          numeric(18, 4) not null,
    unit_id           bigint not null references crm.unit on delete restrict,
    base_quantity     numeric(18, 6) not null default 0,   -- in the product's base unit (kept by trigger)
    unit_price        numeric(18, 4) not null,
    discount          numeric(7, 4) not null default 1,    -- the line's rate
    amount            numeric(18, 2) not null default 0,   -- kept: round(quantity × unit price, 2)
    net_amount        numeric(18, 2) not null default 0,   -- kept: round(amount × discount, 2)
    discounted_amount numeric(18, 2) not null default 0,   -- kept: after the document discount
    note              text not null default '',
    version           integer not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    updated_by        bigint references crm.account on delete set null,
    constraint quote_line_quantity_positive check (quantity > 0),
    constraint quote_line_price_nonnegative check (unit_price >= 0),
    constraint quote_line_discount_range check (discount > 0 and discount <= 1),
    constraint quote_line_no_unique unique (quote_id, line_no) deferrable initially deferred
);
create index quote_line_product on crm.quote_line (product_id);

grant select, insert (number, handler_id, customer_id, contact_id, quoted_on, valid_until, opportunity_id, flow_id,
                      template, notes, discount)
    on crm.quote to crm_user;
grant update (handler_id, customer_id, contact_id, quoted_on, valid_until, opportunity_id, flow_id, template,
              notes, discount)
    on crm.quote to crm_user;
grant select, insert (quote_id, line_no, product_id, product_name, category, kind, spec, quantity, unit_id,
                      unit_price, discount, note)
    on crm.quote_line to crm_user;
grant update (line_no, product_id, product_name, category, kind, spec, quantity, unit_id, unit_price, discount, note)
    on crm.quote_line to crm_user;
grant delete on crm.quote_line to crm_user;

insert into crm.approval_document_type (code, name_zh, name_en, table_name, owner_column, fingerprint_fn, facts_fn,
                                        visible_fn, submit_fn, facts, requires_flow, after_approval,
                                        approve_permission, sort_order)
values ('quote', '报价单', 'Quote', 'crm.quote', 'handler_id', 'crm.quote_fingerprint', 'crm.quote_facts',
        'crm.quote_visible', 'crm.quote_may_submit',
        '[{"key": "total", "label": "折后总额", "kind": "money"},
          {"key": "amount", "label": "总金额", "kind": "money"},
          {"key": "discount", "label": "折扣率", "kind": "rate"},
          {"key": "lines", "label": "明细行数", "kind": "count"}]',
        false, 'refuse', 'sales.quote.approve', 10);

-- 报价单号 NO-0001 (the rule exists since 0002)

call crm_meta.finish_migration();
