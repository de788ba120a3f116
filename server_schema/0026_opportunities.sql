-- 销售机会 (chapter 五.2, figure 17): configurable sales stages with a probability and a won/lost
-- flag, opportunities, and their stage history written by trigger.
-- definitions: followup
-- depends: 0025_followup
--
-- Functions, policies and triggers are in definitions/followup.sql.

create table crm.opportunity_stage (
    id          bigint generated always as identity primary key,
    name        text not null,
    sort_order  integer not null default 0,
    probability numeric(5,2) not null default 0,
    is_won      boolean not null default false,
    is_lost     boolean not null default false,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    updated_by  bigint references crm.account on delete set null,
    constraint opportunity_stage_name_required check (btrim(name) <> ''),
    constraint opportunity_stage_name_unique unique (name),
    constraint opportunity_stage_probability_valid check (probability between 0 and 100),
    constraint opportunity_stage_won_or_lost check (not (is_won and is_lost))
);

insert into crm.opportunity_stage (name, sort_order, probability, is_won, is_lost) values
    ('线索收集', 10, 10, false, false),
    ('需求确认', 20, 30, false, false),
    ('方案报价', 30, 50, false, false),
    ('商务谈判', 40, 70, false, false),
    ('赢单', 50, 100, true, false),
    ('输单', 60, 0, false, true);

create table crm.opportunity (
    id               bigint generated always as identity primary key,
    customer_id      bigint not null references crm.customer on delete cascade,
    title            text not null default '',
    source_id        bigint references crm.customer_source on delete restrict,
    starts_on        date not null default current_date,
    ends_on          date,
    kind             text not null default '',
    stage_id         bigint not null references crm.opportunity_stage on delete restrict,
    importance       text not null default '',
    owner_id         bigint not null references crm.account on delete restrict,
    team_id          bigint references crm.department on delete set null,
    expected_amount  numeric(18,2) not null default 0,
    probability      numeric(5,2),
    status           text not null default 'open',
    lost_reason      text not null default '',
    details          text not null default '',
    analysis         text not null default '',
    stage_entered_at timestamptz not null default now(),
    created_by       bigint references crm.account on delete set null,
    version          integer not null default 1,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    updated_by       bigint references crm.account on delete set null,
    constraint opportunity_amount_valid check (expected_amount >= 0),
    constraint opportunity_probability_valid check (probability is null or probability between 0 and 100),
    constraint opportunity_status_valid check (status in ('open', 'won', 'lost', 'on_hold')),
    constraint opportunity_importance_valid check (importance in ('', 'low', 'normal', 'high')),
    constraint opportunity_lost_needs_reason check (status <> 'lost' or btrim(lost_reason) <> ''),
    constraint opportunity_dates_valid check (ends_on is null or ends_on >= starts_on)
);
create index opportunity_customer on crm.opportunity (customer_id);
create index opportunity_owner on crm.opportunity (owner_id, stage_id);
create index opportunity_author on crm.opportunity (created_by);
create index opportunity_stage_order on crm.opportunity (stage_id, ends_on, id);

create table crm.opportunity_stage_history (
    id               bigint generated always as identity primary key,
    opportunity_id   bigint not null references crm.opportunity on delete cascade,
    from_stage_id    bigint references crm.opportunity_stage on delete restrict,
    to_stage_id      bigint not null references crm.opportunity_stage on delete restrict,
    actor_id         bigint references crm.account on delete set null,
    at               timestamptz not null default now(),
    seconds_in_stage numeric(14,1)
);
create index opportunity_stage_history_opportunity on crm.opportunity_stage_history (opportunity_id, at);

alter table crm.opportunity_stage enable row level security;
alter table crm.opportunity_stage force row level security;
alter table crm.opportunity enable row level security;
alter table crm.opportunity force row level security;
alter table crm.opportunity_stage_history enable row level security;
alter table crm.opportunity_stage_history force row level security;

grant select, insert (name, sort_order, probability, is_won, is_lost),
      update (name, sort_order, probability, is_won, is_lost)
    on crm.opportunity_stage to crm_user;
grant select, insert (customer_id, title, source_id, starts_on, ends_on, kind, stage_id, importance, owner_id, team_id,
                      expected_amount, probability, status, lost_reason, details, analysis),
      update (title, source_id, starts_on, ends_on, kind, stage_id, importance, owner_id, team_id, expected_amount,
              probability, status, lost_reason, details, analysis)
    on crm.opportunity to crm_user;
grant select on crm.opportunity_stage_history to crm_user;

call crm_meta.finish_migration();
