-- meta: the current definition of every function, policy and trigger of this domain.
-- Re-applied by `crm-admin migrate` whenever this file changes; edit here, not in a migration.
-- Written by `crm-admin definitions dump` and kept by hand from then on.

CREATE OR REPLACE PROCEDURE crm_meta.audit_table(IN p_table regclass)
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
declare
    t text := (select relname from pg_class where oid = p_table);
begin
    execute format('drop trigger if exists %I on %s', t || '_audit', p_table);
    execute format('create trigger %I after update on %s for each row execute function crm.audit_row()',
                   t || '_audit', p_table);
    execute format('create trigger %I after insert on %s referencing new table as new_rows
                    for each statement execute function crm.audit_rows()', t || '_audit_insert', p_table);
    execute format('create trigger %I after delete on %s referencing old table as old_rows
                    for each statement execute function crm.audit_rows()', t || '_audit_delete', p_table);
end
$procedure$;

CREATE OR REPLACE PROCEDURE crm_meta.finish_migration()
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
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
    -- no role, no rows; the server's columns on insert (tables added later get both)
    call crm_meta.no_role_no_rows();
    call crm_meta.stamp_new_rows();
    -- the definer role bypasses policies, not grants: it gets the rows' privileges here
    grant select, insert, update, delete on all tables in schema crm to crm_definer;
    grant usage on all sequences in schema crm to crm_definer;
    grant execute on all functions in schema crm to crm_definer;
    -- a foreign key's cascade runs as the owner of the referencing table: its triggers and checks
    -- call the identity functions too (deleting a contact a plan names, a plan with reminders).
    -- No account is a member of crm_owner.
    grant execute on all functions in schema crm to crm_owner;
end
$procedure$;

CREATE OR REPLACE PROCEDURE crm_meta.no_role_no_rows()
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
declare
    t record;
begin
    for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'crm' and c.relkind in ('r', 'p')
                and not exists (select from pg_policy p where p.polrelid = c.oid
                                and p.polname = 'accounts without a role see and change nothing') loop
        execute format('alter table crm.%I enable row level security', t.relname);
        execute format('alter table crm.%I force row level security', t.relname);
        execute format('create policy "accounts without a role see and change nothing" on crm.%I
                        as restrictive for all to crm_user using ((select crm.customer_viewer()) is not null)
                        with check ((select crm.customer_viewer()) is not null)', t.relname);
    end loop;
end
$procedure$;

CREATE OR REPLACE FUNCTION crm_meta.refuse_ukey_login_without_key()
 RETURNS event_trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
        declare
            refuse boolean := false;
        begin
            begin
                if not exists (select from pg_catalog.pg_roles where rolname = session_user and rolsuper) then
                    select true into refuse
                      from crm.account a
                      join pg_catalog.pg_authid r on r.rolname = a.login
                     where a.login = session_user collate "default" and a.ukey and a.deleted_at is null
                       and not exists (select from crm.ukey_verifier v
                                        where v.account_id = a.id and v.verifier = r.rolpassword);
                end if;
            exception when others then
                -- the full check failed: refuse this role only if it is plainly a UKey account
                begin
                    refuse := exists (select from crm.account a
                                       where a.login = session_user collate "default" and a.ukey);
                exception when others then
                    refuse := false;
                end;
            end;
            if coalesce(refuse, false) then
                raise exception using errcode = 'invalid_authorization_specification',
                                      message = 'account_ukey_required',
                                      detail = 'this account logs in only with its UKey';
            end if;
        end
        $function$;

CREATE OR REPLACE FUNCTION crm_meta.session_password_verifier()
 RETURNS text
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
        begin
            return (select rolpassword from pg_catalog.pg_authid where rolname = session_user);
        end
        $function$;

CREATE OR REPLACE PROCEDURE crm_meta.stamp_new_rows()
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
declare
    t record;
begin
    for t in select c.relname, array_agg(quote_literal(a.attname) order by a.attname) as cols
               from pg_class c join pg_namespace n on n.oid = c.relnamespace
               join pg_attribute a on a.attrelid = c.oid and not a.attisdropped
              where n.nspname = 'crm' and c.relkind = 'r'
                and a.attname in ('version', 'created_at', 'updated_at', 'updated_by', 'created_by')
                and not exists (select from pg_trigger g where g.tgrelid = c.oid and g.tgname = c.relname || '_stamp_new_row')
              group by c.relname loop
        execute format('create trigger %I before insert on crm.%I for each row execute function crm.stamp_new_row(%s)',
                       t.relname || '_stamp_new_row', t.relname, array_to_string(t.cols, ', '));
    end loop;
end
$procedure$;

call crm_meta.finish_migration();
