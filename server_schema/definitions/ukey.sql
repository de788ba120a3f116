-- ukey: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE FUNCTION crm.account_ukey_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION crm.bind_ukey(p_account bigint, p_card_id text, p_verifier text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;
grant execute on function crm.bind_ukey(bigint,text,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.inside_ukey_binding()
 RETURNS boolean
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
    select current_user = 'crm_definer' and coalesce(current_setting('crm.ukey_binding', true), '') = 'on'
$function$;
grant execute on function crm.inside_ukey_binding() to crm_user;

CREATE OR REPLACE FUNCTION crm.require_ukey_permission()
 RETURNS void
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if not (crm.has_permission('system.account.ukey') or crm.has_permission('system.account.manage')) then
        raise exception using errcode = 'insufficient_privilege', message = 'permission_denied',
                              detail = 'system.account.ukey', constraint = 'permission_denied';
    end if;
end
$function$;

CREATE OR REPLACE FUNCTION crm.require_verifier(p_verifier text)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    if p_verifier is null
       or p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' then
        raise exception using errcode = 'invalid_parameter_value', message = 'password_not_a_verifier',
                              constraint = 'password_not_a_verifier';
    end if;
end
$function$;

CREATE OR REPLACE FUNCTION crm.unbind_ukey(p_account bigint, p_verifier text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
begin
    perform crm.require_ukey_permission();
    perform crm.require_verifier(p_verifier);
    perform crm.write_ukey_binding(p_account, null, p_verifier);
end
$function$;
grant execute on function crm.unbind_ukey(bigint,text) to crm_user;

CREATE OR REPLACE FUNCTION crm.write_ukey_binding(p_account bigint, p_card_id text, p_verifier text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
declare
    target text;
begin
    select login into target from crm.account where id = p_account and deleted_at is null for update;
    if target is null then
        raise exception using errcode = 'no_data_found', message = 'account_not_found',
                              constraint = 'account_not_found';
    end if;
    perform crm.require_manageable_account(p_account);
    if p_card_id is not null and not crm.ukey_logins_enforceable() then
        raise exception using errcode = 'feature_not_supported', message = 'ukey_unenforceable',
                              constraint = 'ukey_unenforceable';
    end if;
    perform set_config('crm.ukey_binding', 'on', true);
    update crm.account set ukey = p_card_id is not null, ukey_card_id = p_card_id where id = p_account;
    perform set_config('crm.ukey_binding', '', true);
    execute format('alter role %I password %L', target, p_verifier);
    if p_card_id is null then
        delete from crm.ukey_verifier where account_id = p_account;
    else
        insert into crm.ukey_verifier (account_id, verifier) values (p_account, p_verifier)
        on conflict (account_id) do update set verifier = excluded.verifier, registered_at = now();
    end if;
    insert into crm.audit_log (table_name, row_id, operation, changes)
    values ('account', p_account::text, 'update', '{"password": "changed"}');
    return target;
end
$function$;

call crm_meta.finish_migration();
