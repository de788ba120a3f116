-- What each account's customer policy needs, precomputed: the owners it leads and the departments
-- whose public customers it sees.
-- depends: 0011_one_permission_trigger
--
-- Every customer query computes these arrays once (InitPlans); for a top manager leading 500
-- accounts that took 0.5 ms of joins over the position chart, most of the cost of row-level
-- security on a 2 ms query.  Like the position chart (0003a) they change only when positions,
-- departments or who holds which position change, so statement triggers rebuild them (a few
-- thousand rows) and the policy helpers read one row.  An account missing from the table (no
-- position) leads nobody and belongs nowhere, which is what the helpers then answer.

create table crm.viewer_reach (
    account_id        bigint primary key references crm.account on delete cascade,
    led_account_ids   bigint[] not null,  -- itself excluded: crm.customer_owner_ids adds it
    public_department_ids bigint[] not null
);
alter table crm.viewer_reach enable row level security;
alter table crm.viewer_reach force row level security;
-- no policy for accounts: only the definer helpers below read it

create function crm.rebuild_viewer_reach() returns void
language plpgsql security definer set search_path = pg_catalog as $$
begin
    lock table crm.viewer_reach in exclusive mode;
    delete from crm.viewer_reach;
    insert into crm.viewer_reach (account_id, led_account_ids, public_department_ids)
    select a.id,
           array(select distinct m.account_id
                   from crm.account_position l
                   join crm.position_lead pl on pl.leader_position_id = l.position_id
                   join crm.account_position m on m.position_id = pl.position_id
                  where l.account_id = a.id and m.account_id <> a.id order by 1),
           array(select distinct r.department_id
                   from crm.account_position ap join crm.position_reach r on r.position_id = ap.position_id
                  where ap.account_id = a.id order by 1)
      from crm.account a
     where exists (select from crm.account_position ap where ap.account_id = a.id);
end
$$;

create or replace function crm.rebuild_position_chart() returns void
language plpgsql security definer set search_path = pg_catalog as $$
begin
    -- two concurrent chart edits must not both rebuild from stale snapshots
    lock table crm.position_lead, crm.position_reach in exclusive mode;
    delete from crm.position_lead;
    insert into crm.position_lead (leader_position_id, position_id)
    with recursive direct(leader, led) as (
        select p.id, r.id
          from crm.position p
          join crm.department_closure c on c.ancestor_id = p.department_id
          join crm.position r on r.department_id = c.descendant_id
         where p.is_manager
        union
        select p.id, r.id from crm.position r join crm.position p on p.id = r.superior_id where p.is_manager
    ), chart(leader, led) as (
        select leader, led from direct
        union
        select chart.leader, direct.led from chart join direct on direct.leader = chart.led
    )
    select leader, led from chart where leader <> led;
    delete from crm.position_reach;
    insert into crm.position_reach (position_id, department_id)
    select p.id, c.descendant_id
      from crm.position p join crm.department_closure c on c.ancestor_id = p.department_id
     where c.depth = 0 or p.is_manager
    union
    select pl.leader_position_id, c.descendant_id
      from crm.position_lead pl
      join crm.position r on r.id = pl.position_id
      join crm.department_closure c on c.ancestor_id = r.department_id
     where c.depth = 0 or r.is_manager;
    perform crm.rebuild_viewer_reach();
end
$$;

create function crm.refresh_viewer_reach() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
begin
    perform crm.rebuild_viewer_reach();
    return null;
end
$$;
create trigger account_position_refresh_reach after insert or update or delete on crm.account_position
    for each statement execute function crm.refresh_viewer_reach();

create or replace function crm.customer_owner_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog as $$
declare
    v bigint := crm.customer_viewer();
begin
    if crm.sees_all_customers() then
        return array(select id from crm.account);
    end if;
    if v is null then
        return '{}';
    end if;
    return array[v] || coalesce((select led_account_ids from crm.viewer_reach where account_id = v), '{}');
end
$$;

create or replace function crm.public_department_ids() returns bigint[]
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    if crm.sees_all_customers() then
        return array(select id from crm.department);
    end if;
    return coalesce((select public_department_ids from crm.viewer_reach where account_id = crm.customer_viewer()), '{}');
end
$$;

select crm.rebuild_viewer_reach();

call crm_meta.finish_migration();
