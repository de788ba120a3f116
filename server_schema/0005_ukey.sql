-- UKey (the seed's chapter 一, step 4, point 5): an account bound to a USB key can only log in
-- with that key, because its database password is computed on the card from login + password.
-- depends: 0002_numbering
--
-- The server never sees the card: binding stores the card's id (a hash of a card answer, which
-- opens nothing) and the SCRAM verifier of the card-derived password, in one transaction.  From
-- then on the ordinary password of that login is simply not the database password.
--
-- Order (basejump): helpers, trigger functions, constraints and triggers, callable functions each
-- followed by its grant.

-- ---------------------------------------------------------------------------------------------
-- Accounts marked UKey before this migration had no card, and logged in with an ordinary
-- password: mark them as what they were, so the invariant below holds from the start.
-- ---------------------------------------------------------------------------------------------

update crm.account set ukey = false where ukey and ukey_card_id is null;
update crm.account set ukey_card_id = null where not ukey and ukey_card_id is not null;

alter table crm.account
    add constraint account_ukey_bound check (ukey = (ukey_card_id is not null)),
    add constraint ukey_card_id_invalid check (ukey_card_id ~ '^[0-9a-f]{64}$');

-- ---------------------------------------------------------------------------------------------
-- "Inside crm.bind_ukey / crm.unbind_ukey": the functions set a transaction-local marker, and
-- the statement runs as crm_definer, which no client can become.  The setting alone would be
-- forgeable (any client can SET it), so it only tells which definer function is running; it is
-- never identity.
-- ---------------------------------------------------------------------------------------------

create function crm.inside_ukey_binding() returns boolean
language sql stable set search_path = pg_catalog as $$
    select current_user = 'crm_definer' and coalesce(current_setting('crm.ukey_binding', true), '') = 'on'
$$;
-- triggers fired by an account's own statements call it as that account
grant execute on function crm.inside_ukey_binding() to crm_user;

-- Direct writes cannot desynchronise the flag, the card and the password: the flag and the card
-- change only through the functions, and a bound account keeps its login (the login is part of
-- what the card derives the password from).
create function crm.account_ukey_guard() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if crm.inside_ukey_binding() then
        return new;
    end if;
    if (tg_op = 'INSERT' and (new.ukey or new.ukey_card_id is not null))
       or (tg_op = 'UPDATE' and (new.ukey is distinct from old.ukey
                                 or new.ukey_card_id is distinct from old.ukey_card_id)) then
        raise exception using errcode = 'insufficient_privilege', message = 'account_ukey_needs_binding',
                              constraint = 'account_ukey_needs_binding';
    end if;
    if tg_op = 'UPDATE' and old.ukey and new.login is distinct from old.login then
        raise exception using errcode = 'check_violation', message = 'account_ukey_login_fixed',
                              constraint = 'account_ukey_login_fixed';
    end if;
    return new;
end
$$;

-- Replaces 0001's statement check on crm.account: binding needs system.account.ukey OR
-- system.account.manage, and the binding functions' own UPDATE must pass with either.
create function crm.account_require_permission() returns trigger
language plpgsql set search_path = pg_catalog as $$
begin
    if crm.inside_ukey_binding() or crm.has_permission('system.account.manage') then
        return null;
    end if;
    raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                          detail = 'system.account.manage', constraint = 'permission_denied';
end
$$;

drop trigger account_require_permission on crm.account;
create trigger account_require_permission before insert or update on crm.account
    for each statement execute function crm.account_require_permission();
create trigger account_ukey_guard before insert or update on crm.account
    for each row execute function crm.account_ukey_guard();

-- ---------------------------------------------------------------------------------------------
-- Helpers of the callable functions
-- ---------------------------------------------------------------------------------------------

create function crm.require_ukey_permission() returns void
language plpgsql stable security definer set search_path = pg_catalog as $$
begin
    if not (crm.has_permission('system.account.ukey') or crm.has_permission('system.account.manage')) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'system.account.ukey', constraint = 'permission_denied';
    end if;
end
$$;

create function crm.require_verifier(p_verifier text) returns void
language plpgsql immutable set search_path = pg_catalog as $$
begin
    if p_verifier is null
       or p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' then
        raise exception using errcode = 'invalid_parameter_value', message = 'password_not_a_verifier',
                              constraint = 'password_not_a_verifier';
    end if;
end
$$;

-- Sets flag, card and password of one account as one change (the caller's transaction).
create function crm.write_ukey_binding(p_account bigint, p_card_id text, p_verifier text) returns text
language plpgsql security definer set search_path = pg_catalog as $$
declare
    target text;
begin
    select login into target from crm.account where id = p_account and deleted_at is null for update;
    if target is null then
        raise exception using errcode = 'no_data_found', message = 'account_not_found',
                              constraint = 'account_not_found';
    end if;
    perform set_config('crm.ukey_binding', 'on', true);
    update crm.account set ukey = p_card_id is not null, ukey_card_id = p_card_id where id = p_account;
    perform set_config('crm.ukey_binding', '', true);
    execute format('alter role %I password %L', target, p_verifier);
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values ('account', p_account::text, 'update', '{"password": "changed"}');
    return target;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Callable functions
-- ---------------------------------------------------------------------------------------------

-- Bind: the verifier is of the password the card derived; sessions opened without the key end.
create function crm.bind_ukey(p_account bigint, p_card_id text, p_verifier text) returns void
language plpgsql security definer set search_path = pg_catalog as $$
declare
    target text;
begin
    perform crm.require_ukey_permission();
    perform crm.require_verifier(p_verifier);
    if p_card_id is null or p_card_id !~ '^[0-9a-f]{64}$' then
        raise exception using errcode = 'invalid_parameter_value', message = 'ukey_card_id_invalid',
                              constraint = 'ukey_card_id_invalid';
    end if;
    target := crm.write_ukey_binding(p_account, p_card_id, p_verifier);
    perform pg_terminate_backend(pid) from pg_stat_activity
     where usename = target and pid <> pg_backend_pid();
end
$$;
grant execute on function crm.bind_ukey(bigint, text, text) to crm_user;

-- Unbind: back to an ordinary password (the verifier of the new one).
create function crm.unbind_ukey(p_account bigint, p_verifier text) returns void
language plpgsql security definer set search_path = pg_catalog as $$
begin
    perform crm.require_ukey_permission();
    perform crm.require_verifier(p_verifier);
    perform crm.write_ukey_binding(p_account, null, p_verifier);
end
$$;
grant execute on function crm.unbind_ukey(bigint, text) to crm_user;

-- 0001's function, now refusing UKey accounts: their password comes only from binding a key.
create or replace function crm.set_account_password(p_account bigint, p_verifier text) returns void
language plpgsql security definer set search_path = pg_catalog as $$
declare
    target text;
    bound  boolean;
begin
    if p_account is distinct from crm.current_account() and not crm.has_permission('system.account.manage') then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'system.account.manage', constraint = 'permission_denied';
    end if;
    perform crm.require_verifier(p_verifier);
    select login, ukey into target, bound from crm.account where id = p_account and deleted_at is null;
    if target is null then
        raise exception using errcode = 'no_data_found', message = 'account_not_found',
                              constraint = 'account_not_found';
    end if;
    if bound then
        raise exception using errcode = 'insufficient_privilege', message = 'account_ukey_password_needs_key',
                              constraint = 'account_ukey_password_needs_key';
    end if;
    execute format('alter role %I password %L', target, p_verifier);
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values ('account', p_account::text, 'update', '{"password": "changed"}');
end
$$;

-- The card a login is bound to, for the login dialog (before any login): it tells "wrong card"
-- from "wrong password".  A card id is a hash of one card answer and opens nothing.
create function crm.ukey_card_of(p_login text) returns text
language sql stable security definer set search_path = pg_catalog as $$
    select ukey_card_id from crm.account where login = p_login and ukey and deleted_at is null
$$;
grant execute on function crm.ukey_card_of(text) to crm_login_probe;

call crm_meta.finish_migration();
