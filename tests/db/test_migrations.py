"""Migrations apply from empty, twice changes nothing, and the schema knows its version."""

import psycopg

from crm_desktop.admin.migrate import migrate, pending, schema_dir
from crm_desktop.admin.server import create_database


def test_migrations_apply_from_empty_and_again_change_nothing(pg_server, superuser_url):
    create_database(superuser_url, "migrate_twice")
    url = pg_server.url(database="migrate_twice")
    applied = migrate(url)
    assert applied == sorted(p.stem for p in schema_dir().glob("*.sql"))
    assert migrate(url) == []
    assert pending(url) == []
    with psycopg.connect(url) as conn:
        tables = conn.execute("select count(*) from pg_tables where schemaname = 'crm'").fetchone()[0]
        assert tables >= 12
        assert conn.execute("select count(*) from crm.permission").fetchone()[0] > 50
        assert conn.execute("select array_agg(builtin order by builtin) from crm.role").fetchone()[0] == ["admin", "user"]


def test_permission_catalogue_covers_every_module(admin_db):
    from crm_desktop.services.role import permission_tree

    roots = {node.code for node in permission_tree(admin_db)}
    assert {"system", "customer", "contact", "sales", "product", "contract", "finance", "service",
            "approval", "reminder"} <= roots
