-- No public door: the login probe goes, accounts reach only the CRM database, and who is online
-- is not for accounts to list.
--
-- crm_login_probe had a published password: anyone on the LAN could log in with it, list every
-- login role, see who was online in pg_stat_activity, connect to database postgres and send forged
-- crm_changes notifications. The login dialog no longer needs it: PostgreSQL checks the password
-- before it refuses a NOLOGIN role, so "not permitted to log in" is heard only by someone who typed
-- the right password, and the client tells the account's state from that alone.
--
-- Roles are cluster-wide and another CRM database of the same cluster may still grant the probe
-- something: then the role stays, but NOLOGIN and without a password, and the migration of that
-- database drops it.

drop function crm.login_refusal(text);
drop function crm.ukey_card_of(text);

do $$
begin
    if exists (select from pg_roles where rolname = 'crm_login_probe') then
        execute 'alter role crm_login_probe nologin password null connection limit 0';
        execute 'drop owned by crm_login_probe';  -- its grants in this database
        begin
            execute 'drop role crm_login_probe';
        exception when dependent_objects_still_exist then
            raise notice 'crm_login_probe is still used by another database of this cluster; it can no longer log in';
        end;
    end if;
end
$$;

-- CONNECT: only accounts (members of crm_user) reach this database, and nobody but superusers
-- reaches the maintenance databases. Changing another database needs a superuser or its owner;
-- a migration run by the CRM database's owner alone leaves them as they are.
do $$
declare
    maintenance text;
begin
    execute format('revoke connect on database %I from public', current_database());
    execute format('grant connect on database %I to crm_user', current_database());
    foreach maintenance in array array['postgres', 'template1'] loop
        continue when maintenance = current_database()
                   or not exists (select from pg_database where datname = maintenance);
        if (select rolsuper from pg_roles where rolname = current_user) then
            execute format('revoke connect on database %I from public', maintenance);
        end if;
    end loop;
end
$$;

-- Who is online, from which PC: superusers (crm-admin) and the definer role, which ends the
-- sessions of a locked account. The functions behind the views are revoked too, or
-- pg_stat_get_backend_userid(pg_stat_get_backend_idset()) would list the same.
do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        revoke select on pg_catalog.pg_stat_activity, pg_catalog.pg_stat_ssl, pg_catalog.pg_stat_gssapi
            from public;
        revoke execute on function pg_catalog.pg_stat_get_activity(integer),
                                   pg_catalog.pg_stat_get_backend_idset(),
                                   pg_catalog.pg_stat_get_backend_pid(integer),
                                   pg_catalog.pg_stat_get_backend_userid(integer),
                                   pg_catalog.pg_stat_get_backend_dbid(integer),
                                   pg_catalog.pg_stat_get_backend_client_addr(integer),
                                   pg_catalog.pg_stat_get_backend_client_port(integer),
                                   pg_catalog.pg_stat_get_backend_activity(integer),
                                   pg_catalog.pg_stat_get_backend_activity_start(integer),
                                   pg_catalog.pg_stat_get_backend_start(integer),
                                   pg_catalog.pg_stat_get_backend_xact_start(integer),
                                   pg_catalog.pg_stat_get_backend_wait_event(integer),
                                   pg_catalog.pg_stat_get_backend_wait_event_type(integer)
            from public;
        -- a view calls its functions with the caller's rights: the definer role needs both
        grant select on pg_catalog.pg_stat_activity to crm_definer;
        grant execute on function pg_catalog.pg_stat_get_activity(integer) to crm_definer;
    end if;
end
$$;

call crm_meta.finish_migration();
