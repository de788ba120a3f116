-- sessions: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.account_set_session_timeouts()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    execute format('alter role %I set idle_in_transaction_session_timeout = %L', new.login, '30s');
    execute format('alter role %I set lock_timeout = %L', new.login, '45s');
    execute format('alter role %I set statement_timeout = %L', new.login, '2min');
    return null;
end
$function$;

CREATE OR REPLACE FUNCTION crm.blocking_bound()
 RETURNS interval
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select interval '30 seconds'
$function$;

CREATE OR REPLACE FUNCTION crm.blocking_sessions()
 RETURNS TABLE(pid integer, role_oid oid, state text, idle_since timestamp with time zone, longest_wait interval)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select b.pid, b.usesysid, b.state,
           case when b.state like 'idle in transaction%' then b.state_change end,
           max(clock_timestamp() - wl.waitstart)
    from pg_stat_activity w
    cross join lateral unnest(pg_blocking_pids(w.pid)) as blocker(pid)
    join pg_stat_activity b on b.pid = blocker.pid
    left join lateral (select min(l.waitstart) as waitstart from pg_locks l
                       where l.pid = w.pid and not l.granted) wl on true
    where w.datname = current_database() and b.datname = current_database()
      and not exists (select from pg_locks own where own.pid = b.pid and not own.granted)
    group by b.pid, b.usesysid, b.state, b.state_change
$function$;

CREATE OR REPLACE FUNCTION crm.end_blocking_sessions()
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    s record;
    ended integer := 0;
begin
    for s in
        select b.pid from crm.blocking_sessions() b
        where crm.is_account_session(b.role_oid)
          and b.pid <> pg_backend_pid()
          and (b.longest_wait > crm.blocking_bound()
               or b.idle_since < clock_timestamp() - crm.blocking_bound())
    loop
        if pg_terminate_backend(s.pid) then
            ended := ended + 1;
        end if;
    end loop;
    return ended;
end
$function$;
grant execute on function crm.end_blocking_sessions() to crm_user;

CREATE OR REPLACE FUNCTION crm.end_session(p_pid integer)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    target record;
begin
    perform crm.require_sessions_permission();
    select a.pid, a.usesysid into target from pg_stat_activity a
    where a.pid = p_pid and a.datname = current_database() and a.backend_type = 'client backend';
    if not found then
        raise exception using errcode = 'undefined_object', message = 'session_not_found',
                              constraint = 'session_not_found';
    end if;
    if not crm.is_account_session(target.usesysid) or p_pid = pg_backend_pid() then
        raise exception using errcode = 'insufficient_privilege', message = 'session_protected',
                              constraint = 'session_protected';
    end if;
    perform pg_terminate_backend(p_pid);
end
$function$;
grant execute on function crm.end_session(integer) to crm_user;

CREATE OR REPLACE FUNCTION crm.is_account_session(p_role oid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select coalesce((select not r.rolsuper and r.rolname !~ '^(crm_|pg_)'
                            and pg_has_role(r.oid, 'crm_user', 'member')
                     from pg_roles r where r.oid = p_role), false)
$function$;

CREATE OR REPLACE FUNCTION crm.list_sessions()
 RETURNS TABLE(pid integer, login text, account_id bigint, account_name text, application_name text, client_address text, connected_at timestamp with time zone, transaction_since timestamp with time zone, state text, state_since timestamp with time zone, waiting boolean, blocked_by integer[], blocking integer[], may_end boolean, is_mine boolean)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.require_sessions_permission();
    return query
    with s as (
        select a.pid, a.usename::text as login, a.usesysid, a.application_name, a.client_addr,
               a.client_hostname, a.backend_start, a.xact_start, a.state, a.state_change,
               a.wait_event_type, pg_blocking_pids(a.pid) as blockers
        from pg_stat_activity a
        where a.datname = current_database() and a.backend_type = 'client backend'
    )
    select s.pid, s.login, acc.id, acc.name, s.application_name,
           coalesce(s.client_hostname, host(s.client_addr), 'local'),
           s.backend_start, s.xact_start, coalesce(s.state, 'unknown'), s.state_change,
           s.wait_event_type = 'Lock', s.blockers,
           coalesce((select array_agg(o.pid order by o.pid) from s o where s.pid = any (o.blockers)),
                    '{}'::integer[]),
           crm.is_account_session(s.usesysid) and s.pid <> pg_backend_pid(),
           s.pid = pg_backend_pid()
    from s left join crm.account acc on acc.login = s.login
    order by s.backend_start, s.pid;
end
$function$;
grant execute on function crm.list_sessions() to crm_user;

CREATE OR REPLACE FUNCTION crm.require_sessions_permission()
 RETURNS void
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not crm.has_permission('system.sessions') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'system.sessions', constraint = 'permission_denied';
    end if;
end
$function$;

call crm_meta.finish_migration();
