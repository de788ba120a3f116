-- The cluster roles every CRM database relies on, and the migration tooling schema.
--
-- crm_owner    NOLOGIN  owns every table, view and ordinary function.
-- crm_user     NOLOGIN  carries the grants; every account's login role is a member of it and of nothing else.
-- crm_definer  NOLOGIN  owns the security-definer functions: BYPASSRLS so helpers see the rows a
--                       policy needs, CREATEROLE so account functions can create and alter login roles.
--                       Nobody is a member of it.
-- crm_login_probe LOGIN may only ask why a login was refused (locked, resigned, expired ...).
-- Roles are cluster-wide, so each is created only when missing.

do $$
begin
    if not exists (select from pg_roles where rolname = 'crm_owner') then
        create role crm_owner nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'crm_user') then
        create role crm_user nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'crm_definer') then
        create role crm_definer nologin bypassrls createrole;
    end if;
    if not exists (select from pg_roles where rolname = 'crm_login_probe') then
        create role crm_login_probe login password 'crm_login_probe' connection limit 20;
    end if;
end
$$;

grant crm_user to crm_definer with admin option;
grant pg_signal_backend to crm_definer;

create schema if not exists crm authorization crm_owner;
revoke all on schema crm from public;
grant usage on schema crm to crm_user, crm_definer, crm_login_probe;

-- functions are executable by PUBLIC unless revoked; in this schema nothing is, by default
alter default privileges in schema crm revoke execute on functions from public;
alter default privileges for role crm_owner in schema crm revoke execute on functions from public;
alter default privileges for role crm_definer in schema crm revoke execute on functions from public;

-- Every migration ends with crm_meta.finish_migration(): ownership to crm_owner (definer functions
-- to crm_definer), so objects created by the migrating superuser never stay owned by it.
create schema if not exists crm_meta;
revoke all on schema crm_meta from public;

create or replace procedure crm_meta.finish_migration()
language plpgsql
set search_path = pg_catalog
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
    -- the definer role bypasses policies, not grants: it gets the rows' privileges here
    grant select, insert, update, delete on all tables in schema crm to crm_definer;
    grant usage on all sequences in schema crm to crm_definer;
    grant execute on all functions in schema crm to crm_definer;
end
$$;
revoke all on procedure crm_meta.finish_migration() from public;
