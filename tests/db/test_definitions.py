"""One place for each definition: server_schema/definitions/<domain>.sql is the truth."""

import re

import psycopg

from crm_desktop.admin import definitions
from crm_desktop.admin.migrate import migrate, schema_dir
from crm_desktop.admin.server import create_database

# migrations up to this one wrote functions, policies and triggers themselves (the history); later
# ones change tables and data only, and leave definitions to the definitions files
LAST_MIGRATION_WITH_DEFINITIONS = "0018"


def test_the_files_are_exactly_what_the_migrated_database_has(superuser_url):
    files = {p.stem: p.read_text(encoding="utf-8") for p in definitions.definitions_dir().glob("*.sql")}
    dumped = definitions.dump(superuser_url)
    assert sorted(dumped) == sorted(files)
    for domain, text in dumped.items():
        assert text == files[domain], (
            f"definitions/{domain}.sql differs from the database: edit the file, run `crm-admin migrate`, "
            f"then `crm-admin definitions dump` to write it in canonical form")


def test_every_function_policy_and_trigger_is_in_exactly_one_file(superuser_url):
    text = "\n".join(p.read_text(encoding="utf-8") for p in definitions.definitions_dir().glob("*.sql"))
    with psycopg.connect(superuser_url) as conn:
        functions = [r[0] for r in conn.execute("""select p.oid::regprocedure::text from pg_proc p
                                                     join pg_namespace n on n.oid = p.pronamespace
                                                    where n.nspname in ('crm', 'crm_meta')""")]
        policies = conn.execute("select tablename, policyname from pg_policies where schemaname = 'crm'").fetchall()
    assert functions and policies
    for signature in functions:
        name = signature.split("(")[0]
        assert re.search(rf"CREATE OR REPLACE (FUNCTION|PROCEDURE) {re.escape(name)}\(", text), signature
    for table, name in policies:
        assert text.count(f'create policy "{name}" on crm.{table} ') == 1, (table, name)


def test_a_changed_file_is_applied_again_and_only_then(pg_server, superuser_url):
    create_database(superuser_url, "definitions_again")
    url = pg_server.url(database="definitions_again")
    migrate(url)
    assert definitions.apply(url) == []  # nothing changed since migrate applied them
    with psycopg.connect(url, autocommit=True) as conn:
        # someone edits a function by hand on the server
        conn.execute("create or replace function crm.sees_all_customers() returns boolean language sql "
                     "security definer set search_path = pg_catalog, pg_temp as 'select true'")
        conn.execute("update crm_meta.definition set sha256 = 'changed' where file = 'customers.sql'")
    assert definitions.apply(url) == ["customers.sql"]
    with psycopg.connect(url) as conn:
        body = conn.execute("select prosrc from pg_proc where oid = 'crm.sees_all_customers()'::regprocedure").fetchone()[0]
    assert "has_permission('system.admin')" in body


def test_new_migrations_leave_definitions_to_the_files():
    pattern = re.compile(r"^\s*create\s+(or\s+replace\s+)?(function|procedure|policy|trigger)\b", re.I | re.M)
    late = [p.name for p in sorted(schema_dir().glob("*.sql"))
            if p.stem[:4] > LAST_MIGRATION_WITH_DEFINITIONS and pattern.search(p.read_text(encoding="utf-8"))]
    assert late == []
