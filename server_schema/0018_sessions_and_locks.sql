-- One account must not freeze the office: lock modes, timeouts, and ending sessions that block.
--
-- LOCK TABLE in any mode stronger than ROW EXCLUSIVE needs table-level UPDATE, DELETE, TRUNCATE
-- (or MAINTAIN) privilege; INSERT allows up to ROW EXCLUSIVE, SELECT up to ACCESS SHARE, and
-- column-level UPDATE allows no more than those.  Accounts held table-wide UPDATE on most tables,
-- so any account, even one with no role, could `lock table crm.account in access exclusive mode`
-- and every colleague's list waited.  Table-wide UPDATE becomes UPDATE of the columns accounts
-- write (every column but the ones the server keeps).  DELETE stays table-wide where the client
-- deletes rows (see the allow-list in tests/db/test_schema_conventions.py): there a strong lock is
-- still possible, and crm.end_blocking_sessions() ends it after the bound.
--
-- Timeouts (idle in transaction, lock, statement) are defaults every account can SET off, so they
-- are no bound by themselves.  The bound is crm.end_blocking_sessions(): any account may call it,
-- and it ends only ordinary account sessions that provably block someone past 30 seconds.  The
-- client calls it while one of its statements waits and when a statement hits lock_timeout.
--
-- Administrators see who is connected and who blocks whom (crm.list_sessions) and end a session
-- (crm.end_session) with the permission system.sessions.

-- ---------------------------------------------------------------------------------------------
-- Grants: UPDATE of columns, never of whole tables
-- ---------------------------------------------------------------------------------------------

do $$
declare
    t record;
    cols text;
begin
    for t in
        select c.oid::regclass as name, c.oid
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'crm' and c.relkind in ('r', 'p')
          and has_table_privilege('crm_user', c.oid, 'UPDATE')
          and exists (select from aclexplode(c.relacl) a
                      where a.grantee = 'crm_user'::regrole and a.privilege_type = 'UPDATE')
    loop
        -- the server keeps ids, versions and authorship; the UKey flag changes only through
        -- crm.bind_ukey, a category's path and a role's built-in mark only by trigger, and an
        -- employee record stays with the account it was created for
        select string_agg(quote_ident(a.attname), ', ' order by a.attnum) into cols
        from pg_attribute a
        where a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
          and a.attname not in ('id', 'version', 'created_at', 'updated_at', 'updated_by')
          and a.attidentity = '' and a.attgenerated = ''
          and (t.name::text, a.attname::text) not in (('crm.account', 'ukey'), ('crm.account', 'ukey_card_id'),
                                                      ('crm.product_category', 'path'), ('crm.role', 'builtin'),
                                                      ('crm.employee', 'account_id'));
        execute format('revoke update on %s from crm_user', t.name);
        if cols is not null then
            execute format('grant update (%s) on %s to crm_user', cols, t.name);
        end if;
    end loop;
end
$$;

-- shares end only through crm.unshare_customers, and no client path deletes contact plans
revoke delete on crm.customer_share, crm.contact_plan from crm_user;

-- the definer role reads every session's state and query times (pg_stat_activity hides them
-- from other roles otherwise); it already may signal backends
grant pg_read_all_stats to crm_definer;

-- ---------------------------------------------------------------------------------------------
-- Timeouts for every account (defaults: an account can SET them, the bound is below)
-- ---------------------------------------------------------------------------------------------

do $$
declare
    acc record;
begin
    execute format('alter database %I set idle_in_transaction_session_timeout = %L', current_database(), '30s');
    execute format('alter database %I set lock_timeout = %L', current_database(), '45s');
    execute format('alter database %I set statement_timeout = %L', current_database(), '2min');
    for acc in select a.login from crm.account a join pg_roles r on r.rolname = a.login loop
        execute format('alter role %I set idle_in_transaction_session_timeout = %L', acc.login, '30s');
        execute format('alter role %I set lock_timeout = %L', acc.login, '45s');
        execute format('alter role %I set statement_timeout = %L', acc.login, '2min');
    end loop;
end
$$;

-- New accounts get the same defaults on their login role (so they hold in every database of the
-- cluster).  Named to fire after account_sync_role, which creates the role.
create function crm.account_set_session_timeouts() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
    execute format('alter role %I set idle_in_transaction_session_timeout = %L', new.login, '30s');
    execute format('alter role %I set lock_timeout = %L', new.login, '45s');
    execute format('alter role %I set statement_timeout = %L', new.login, '2min');
    return null;
end
$$;

create trigger account_timeouts_set after insert on crm.account
    for each row execute function crm.account_set_session_timeouts();

-- ---------------------------------------------------------------------------------------------
-- Sessions: which are accounts', who blocks whom
-- ---------------------------------------------------------------------------------------------

-- An ordinary account's session: a login role that is a member of crm_user, not a superuser and
-- not one of the crm_* roles.  Only these are ever ended.
create function crm.is_account_session(p_role oid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select coalesce((select not r.rolsuper and r.rolname !~ '^(crm_|pg_)'
                            and pg_has_role(r.oid, 'crm_user', 'member')
                     from pg_roles r where r.oid = p_role), false)
$$;

-- The bound, in one place.
create function crm.blocking_bound() returns interval
language sql immutable set search_path = pg_catalog, pg_temp as $$
    select interval '30 seconds'
$$;

-- Sessions (of this database) that hold a lock another session waits for, and are not waiting
-- for a lock themselves (the head of a queue, not someone queued in it), with how long the
-- longest of their waiters has waited.
create function crm.blocking_sessions()
returns table (pid integer, role_oid oid, state text, idle_since timestamptz, longest_wait interval)
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
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
$$;

-- Ends every ordinary account session that has blocked another session for more than the bound,
-- or has sat idle in transaction for more than the bound while someone waits for its locks.
-- Any account may call it: it ends nothing that is not provably blocking others past the bound.
-- Returns how many sessions it ended.
create function crm.end_blocking_sessions() returns integer
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
$$;

create function crm.require_sessions_permission() returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
    if not crm.has_permission('system.sessions') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'system.sessions', constraint = 'permission_denied';
    end if;
end
$$;

-- The sessions screen: every client session of this database, whose account it is, from where
-- (application_name carries the PC's name), since when, its state and who blocks it.  Query
-- texts are not shown: they can hold data of customers the viewer may not see.
create function crm.list_sessions()
returns table (pid integer, login text, account_id bigint, account_name text, application_name text,
               client_address text, connected_at timestamptz, transaction_since timestamptz,
               state text, state_since timestamptz, waiting boolean, blocked_by integer[],
               blocking integer[], may_end boolean, is_mine boolean)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
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
$$;

-- Ends one session of an ordinary account (never a superuser's, a crm_* role's or one's own).
create function crm.end_session(p_pid integer) returns void
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
$$;

insert into crm.permission (code, parent_code, name_zh, name_en, sort_order)
values ('system.sessions', 'system', '在线会话（查看、结束）', 'Sessions (view, end)', 22)
on conflict (code) do nothing;

revoke all on function crm.account_set_session_timeouts(), crm.is_account_session(oid), crm.blocking_bound(),
    crm.blocking_sessions(), crm.end_blocking_sessions(), crm.require_sessions_permission(),
    crm.list_sessions(), crm.end_session(integer) from public;
grant execute on function crm.end_blocking_sessions() to crm_user;
grant execute on function crm.list_sessions() to crm_user;
grant execute on function crm.end_session(integer) to crm_user;

call crm_meta.finish_migration();
