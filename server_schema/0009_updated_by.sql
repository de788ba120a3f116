-- Who saved a row last, on the row itself.
-- depends: 0008_faster_writes
--
-- A form whose save is refused because someone saved the row meanwhile names that person.  The
-- audit log knows, but only auditors may read it; the row's own updated_by is read by whoever may
-- read the row.  Kept by the version triggers, so no client can forge it.  No foreign key: accounts
-- are never removed (deleted accounts keep their row), and a key would cost every update a check.
-- Every table with a version column gets it; a new versioned table must add it too
-- (tests/db/test_schema_conventions.py checks).

do $$
declare
    t text;
begin
    for t in select c.table_name from information_schema.columns c
              where c.table_schema = 'crm' and c.column_name = 'version' order by c.table_name loop
        execute format('alter table crm.%I add column updated_by bigint', t);
    end loop;
end
$$;

create or replace function crm.bump_version() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    new.version := old.version + 1;
    new.updated_at := now();
    new.updated_by := crm.current_account();
    return new;
end
$$;

-- A contact or a contact record changes the customer's search text or last-contact time, which
-- must not make an open customer form stale: only the archive's own fields bump the version.
create or replace function crm.customer_bump_version() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if (to_jsonb(new) - array['contact_search', 'last_contact_at', 'search_key', 'version', 'updated_at', 'updated_by'])
       is distinct from (to_jsonb(old) - array['contact_search', 'last_contact_at', 'search_key', 'version', 'updated_at', 'updated_by']) then
        new.version := old.version + 1;
        new.updated_at := now();
        new.updated_by := crm.current_account();
    end if;
    return new;
end
$$;

-- the audit diff leaves out what the triggers keep
create or replace function crm.audit_row() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
    old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
    new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
    diff    jsonb;
begin
    if tg_op = 'UPDATE' then
        select coalesce(jsonb_object_agg(key, jsonb_build_array(old_row->key, value)), '{}')
          into diff
          from jsonb_each(new_row)
         where old_row->key is distinct from value and key not in ('version', 'updated_at', 'updated_by');
        if diff = '{}' then
            return null;
        end if;
    else
        diff := coalesce(new_row, old_row);
    end if;
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values (tg_table_name, coalesce(new_row, old_row)->>'id', lower(tg_op), diff);
    return null;
end
$$;

call crm_meta.finish_migration();
