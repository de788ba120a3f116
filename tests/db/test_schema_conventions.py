"""Catalogue checks from SECURITY.md: the conventions every migration must keep."""

import psycopg
import pytest


@pytest.fixture(scope="module")
def su(superuser_url):
    with psycopg.connect(superuser_url) as conn:
        yield conn


def test_every_table_has_row_level_security_enabled_and_forced(su):
    rows = su.execute("""select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                         where n.nspname = 'crm' and c.relkind in ('r', 'p')
                           and not (c.relrowsecurity and c.relforcerowsecurity)""").fetchall()
    assert rows == []


def test_every_table_is_owned_by_the_nologin_owner(su):
    rows = su.execute("""select c.relname, pg_get_userbyid(c.relowner) from pg_class c
                         join pg_namespace n on n.oid = c.relnamespace
                         where n.nspname = 'crm' and c.relkind in ('r', 'p', 'v', 'm')
                           and pg_get_userbyid(c.relowner) <> 'crm_owner'""").fetchall()
    assert rows == []
    assert su.execute("select rolcanlogin from pg_roles where rolname = 'crm_owner'").fetchone() == (False,)


def test_every_view_is_security_invoker(su):
    rows = su.execute("""select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                         where n.nspname = 'crm' and c.relkind = 'v'
                           and not coalesce('security_invoker=true' = any(c.reloptions), false)""").fetchall()
    assert rows == []


def test_every_definer_function_pins_its_search_path_and_is_not_public(su):
    rows = su.execute("""select p.oid::regprocedure::text, p.proconfig, p.proacl::text from pg_proc p
                         join pg_namespace n on n.oid = p.pronamespace
                         where n.nspname = 'crm' and p.prosecdef""").fetchall()
    assert rows, "the schema has definer functions"
    for name, config, acl in rows:
        assert config and any(c.startswith("search_path=") for c in config), name
        path = next(c for c in config if c.startswith("search_path="))
        # pg_temp not named is searched first: a temp table named pg_roles would shadow the catalog
        assert path.replace(" ", "").endswith(",pg_temp"), (name, path)
        # an ACL entry "=X/..." is an EXECUTE grant to PUBLIC
        assert acl is not None and not any(entry.startswith("=") for entry in acl.strip("{}").split(",")), name


def test_no_account_role_is_privileged_or_owns_anything(su):
    rows = su.execute("""select r.rolname from pg_roles r join crm.account a on a.login = r.rolname
                         where r.rolsuper or r.rolbypassrls or r.rolcreaterole or r.rolcreatedb
                            or r.rolreplication""").fetchall()
    assert rows == []
    owners = su.execute("""select distinct pg_get_userbyid(c.relowner) from pg_class c
                           where pg_get_userbyid(c.relowner) in (select login from crm.account)""").fetchall()
    assert owners == []
    functions = su.execute("""select p.proname from pg_proc p
                              where pg_get_userbyid(p.proowner) in (select login from crm.account)""").fetchall()
    assert functions == []


def test_account_roles_are_members_of_crm_user_only(su):
    rows = su.execute("""select a.login, array_agg(g.rolname order by g.rolname)
                         from crm.account a join pg_roles m on m.rolname = a.login
                         join pg_auth_members am on am.member = m.oid join pg_roles g on g.oid = am.roleid
                         group by a.login""").fetchall()
    assert rows
    assert all(groups == ["crm_user"] for _login, groups in rows)


def test_accounts_never_get_truncate_references_or_trigger(su):
    rows = su.execute("""select table_name, privilege_type from information_schema.role_table_grants
                         where table_schema = 'crm' and grantee = 'crm_user'
                           and privilege_type in ('TRUNCATE', 'REFERENCES', 'TRIGGER')""").fetchall()
    assert rows == []


def test_definer_role_is_nologin_and_nobody_is_a_member(su):
    assert su.execute("select rolcanlogin from pg_roles where rolname = 'crm_definer'").fetchone() == (False,)
    members = su.execute("""select count(*) from pg_auth_members am join pg_roles r on r.oid = am.roleid
                            where r.rolname in ('crm_definer', 'crm_owner')""").fetchone()[0]
    assert members == 0


def test_services_never_import_qt():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "crm_desktop"
    offenders = [str(p) for folder in ("services", "model") for p in (root / folder).rglob("*.py")
                 if "PySide6" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_every_versioned_table_records_who_saved_last(su):
    versioned = {r[0] for r in su.execute("select table_name from information_schema.columns "
                                          "where table_schema = 'crm' and column_name = 'version'")}
    recorded = {r[0] for r in su.execute("select table_name from information_schema.columns "
                                         "where table_schema = 'crm' and column_name = 'updated_by'")}
    assert versioned and versioned == recorded


def test_every_function_that_sets_a_path_searches_pg_temp_last(su):
    rows = su.execute("""select p.oid::regprocedure::text, c from pg_proc p
                         join pg_namespace n on n.oid = p.pronamespace, unnest(p.proconfig) c
                         where n.nspname in ('crm', 'crm_meta') and c like 'search_path=%'""").fetchall()
    assert rows
    assert [(name, c) for name, c in rows if not c.replace(" ", "").endswith(",pg_temp")] == []


def test_only_crm_user_may_create_temporary_tables(su):
    acl = su.execute("select datacl::text from pg_database where datname = current_database()").fetchone()[0]
    entries = acl.strip("{}").split(",")
    public = [e for e in entries if e.startswith("=")]
    assert all("T" not in e.split("/")[0] for e in public), acl
    assert su.execute("select count(*) from pg_roles where rolname = 'crm_login_probe'").fetchone() == (0,)


def test_every_table_shows_nothing_to_an_account_without_a_role(su):
    rows = su.execute("""select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                         where n.nspname = 'crm' and c.relkind in ('r', 'p')
                           and not exists (select from pg_policy p where p.polrelid = c.oid and not p.polpermissive
                                           and p.polcmd = '*'
                                           and p.polname = 'accounts without a role see and change nothing')""").fetchall()
    assert rows == []


def test_every_server_kept_column_is_stamped_on_insert(su):
    rows = su.execute("""select distinct c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                         join pg_attribute a on a.attrelid = c.oid and not a.attisdropped
                         where n.nspname = 'crm' and c.relkind = 'r'
                           and a.attname in ('version', 'created_at', 'updated_at', 'updated_by', 'created_by')
                           and not exists (select from pg_trigger t where t.tgrelid = c.oid
                                           and t.tgfoid = 'crm.stamp_new_row()'::regprocedure
                                           and t.tgtype & 4 = 4)""").fetchall()
    assert rows == []


# Table-wide privileges that let an account LOCK TABLE in modes stronger than ROW EXCLUSIVE
# (UPDATE, DELETE, TRUNCATE, MAINTAIN) or escape RLS (REFERENCES, TRIGGER).  Column-level UPDATE
# does not allow such locks.  DELETE is table-wide where the client deletes rows; there an account
# can still take a strong lock, and crm.end_blocking_sessions() ends it after 30 s
# (tests/security/test_locks.py proves it).  Each entry names the service that deletes.
TABLE_WIDE_GRANTS_ALLOWED = {
    ("account_category_permission", "DELETE"),  # customer_settings.set_category_permission
    ("account_position", "DELETE"),  # account.set_positions
    ("account_role", "DELETE"),  # account.set_roles, role.set_role_accounts
    ("contact", "DELETE"),  # customer.delete_contact
    ("customer_category", "DELETE"),  # customer_settings.delete_choice
    ("customer_source", "DELETE"),  # customer_settings.delete_choice
    ("customer_type", "DELETE"),  # customer_settings.delete_choice
    ("department", "DELETE"),  # org.delete_department
    ("industry", "DELETE"),  # customer_settings.delete_choice
    ("management_scope", "DELETE"),  # customer_settings.set_management_scope
    ("organization", "DELETE"),  # org.delete_organization
    ("position", "DELETE"),  # org.delete_position
    ("private_customer_limit", "DELETE"),  # customer_settings.set_private_limit(None)
    ("product", "DELETE"),  # product.delete_products
    ("product_category", "DELETE"),  # product_settings.delete_category
    ("product_custom_field", "DELETE"),  # product_settings.delete_custom_field
    ("product_picture", "DELETE"),  # product.save_picture(None)
    ("product_type", "DELETE"),  # product_settings.delete_type
    ("quote_line", "DELETE"),  # quote.save_quote (lines removed from a draft)
    ("region", "DELETE"),  # customer_settings.delete_region
    ("role", "DELETE"),  # role.delete_role
    ("role_permission", "DELETE"),  # role.set_permissions
    ("unit", "DELETE"),  # product_settings.delete_unit
    ("unit_conversion", "DELETE"),  # product_settings.delete_conversion
}


def test_no_table_wide_write_grant_to_accounts_beyond_the_allow_list(su):
    rows = su.execute("""select c.relname, a.privilege_type
                         from pg_class c join pg_namespace n on n.oid = c.relnamespace,
                              aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
                         where n.nspname = 'crm' and c.relkind in ('r', 'p', 'v', 'm', 'f')
                           and a.grantee in (0, 'crm_user'::regrole)
                           and a.privilege_type in ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES',
                                                    'TRIGGER', 'MAINTAIN')""").fetchall()
    assert rows, "crm_user deletes somewhere: the query must see grants"
    assert sorted(set(rows) - TABLE_WIDE_GRANTS_ALLOWED) == []
