-- Definer functions search pg_temp last, and accounts lose the TEMP privilege they did not need.
--
-- A function pinned to `search_path = pg_catalog` still searches the session's temporary schema
-- *first* for tables and views: any account could `create temp table pg_roles (...)` and change what
-- crm.is_superuser_session() read, which made a no-role account administrator. Every function that
-- sets a search path now ends it with pg_temp (PostgreSQL never looks for functions or operators in
-- pg_temp), and crm_meta.finish_migration() appends it to any function a later migration forgets.
--
-- TEMP goes from PUBLIC to crm_user only: the Excel import COPYs its rows into a temporary table
-- (dropped at commit). The login probe and any other role of the cluster get none.

create or replace procedure crm_meta.finish_migration()
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
    obj record;
begin
    for obj in
        select c.oid::regclass as name, c.relkind
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'crm' and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and pg_get_userbyid(c.relowner) <> 'crm_owner'
          and not exists (select from pg_depend d          -- identity sequences follow their table
                          where d.objid = c.oid and d.deptype in ('a', 'i') and c.relkind = 'S')
    loop
        execute format('alter %s %s owner to crm_owner',
                       case obj.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                        when 'S' then 'sequence' else 'table' end, obj.name);
    end loop;
    for obj in
        select p.oid::regprocedure as name, p.prosecdef, p.prokind
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'crm'
          and pg_get_userbyid(p.proowner) <> case when p.prosecdef then 'crm_definer' else 'crm_owner' end
    loop
        execute format('alter %s %s owner to %I',
                       case obj.prokind when 'p' then 'procedure' else 'function' end, obj.name,
                       case when obj.prosecdef then 'crm_definer' else 'crm_owner' end);
        execute format('revoke all on %s %s from public',
                       case obj.prokind when 'p' then 'procedure' else 'function' end, obj.name);
    end loop;
    -- pg_temp last on every function that sets a path, and on every definer function
    for obj in
        select p.oid::regprocedure as name, p.prokind,
               (select substr(c, length('search_path=') + 1) from unnest(p.proconfig) c
                where c like 'search_path=%') as path
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('crm', 'crm_meta')
    loop
        continue when obj.path is null and not exists (select from pg_proc where oid = obj.name::oid and prosecdef);
        continue when obj.path is not null and obj.path ~ '(^|,\s*)"?pg_temp"?\s*$';
        execute format('alter %s %s set search_path = %s',
                       case obj.prokind when 'p' then 'procedure' else 'function' end, obj.name,
                       (select string_agg(part, ', ' order by ord)
                        from (select btrim(e) as part, o as ord
                              from unnest(string_to_array(coalesce(nullif(obj.path, '""'), 'pg_catalog'), ','))
                                   with ordinality as t(e, o)
                              where btrim(e, ' "') not in ('pg_temp', '')
                              union all select 'pg_temp', 1000000) parts));
    end loop;
    -- the definer role bypasses policies, not grants: it gets the rows' privileges here
    grant select, insert, update, delete on all tables in schema crm to crm_definer;
    grant usage on all sequences in schema crm to crm_definer;
    grant execute on all functions in schema crm to crm_definer;
end
$$;
revoke all on procedure crm_meta.finish_migration() from public;

do $$
begin
    execute format('revoke temporary on database %I from public', current_database());
    execute format('grant temporary on database %I to crm_user', current_database());
end
$$;

call crm_meta.finish_migration();
