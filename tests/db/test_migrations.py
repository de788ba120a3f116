"""Migrations apply from empty, twice changes nothing, and the schema knows its version."""

import psycopg
import pytest

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


def test_a_database_made_before_the_security_fixes_upgrades_with_its_data(tmp_path):
    """A database of the last release (migrations up to 0012, the demo company and customers in it)
    takes the newer migrations with its data, and the new rules hold over the old rows."""
    from crm_desktop.admin.server import EmbeddedServer

    # login roles are cluster-wide: the old database gets a cluster of its own
    server = EmbeddedServer(tmp_path / "old")
    try:
        _upgrade_from_0012(server.start().url(), tmp_path)
    finally:
        server.stop()


def _old_release(tmp_path):
    """The code of the last release before the security fixes (the parent of the commit that added
    0013), from this repository's history: its own migrations and its own seed made the old database,
    so no newer model or seed is asked to write into an older schema."""
    import shutil
    import subprocess

    root = schema_dir().parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("needs the repository's history (git)")
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", "server_schema/0013_pg_temp_last.sql"],
                           cwd=root, capture_output=True, text=True, check=True).stdout.split()
    if not added:
        pytest.skip("the history does not reach the release before 0013 (a shallow clone)")
    folder = tmp_path / "release"
    folder.mkdir()
    archive = subprocess.run(["git", "archive", f"{added[-1]}^", "crm_desktop", "server_schema"], cwd=root,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _upgrade_from_0012(url, tmp_path):
    import os
    import subprocess
    import sys

    release = _old_release(tmp_path)
    seed = ("import sys; from crm_desktop.admin.migrate import migrate; from crm_desktop.admin.cli import "
            "database_from_url; from crm_desktop.admin.seed import seed_demo; url = sys.argv[1]; "
            "applied = migrate(url); assert applied[-1] == '0012_viewer_reach', applied; db = database_from_url(url); "
            "seed_demo(db); db.close()")
    # the company and its accounts, as the old release's own migrations and services made them
    env = {**os.environ, "PYTHONPATH": str(release)}
    subprocess.run([sys.executable, "-c", seed, url], cwd=release, env=env, check=True, timeout=600)
    count = "select count(*) from crm.customer"
    with psycopg.connect(url, autocommit=True) as conn:
        # customers as the old schema filed them: each rep's, private and public, with contacts
        conn.execute("""insert into crm.customer (name, is_private, owner_id, department_id, number)
                        select a.login || '的客户' || g, g % 2 = 0, a.id, p.department_id, a.login || '-' || g
                          from crm.account a join crm.account_position ap on ap.account_id = a.id and ap.is_main
                          join crm.position p on p.id = ap.position_id, generate_series(1, 3) g""")
        conn.execute("insert into crm.contact (customer_id, name) select id, '联系人' from crm.customer")
        before = conn.execute(count).fetchone()[0]
        assert before > 50
        # the old rules let a private customer sit in another department than its owner's
        conn.execute("""update crm.customer set department_id = (select id from crm.department where name = '财务部')
                        where id = (select min(id) from crm.customer where is_private)""")
    applied = migrate(url)
    assert applied and applied[0] > "0012_viewer_reach"
    assert pending(url) == []
    with psycopg.connect(url) as conn:
        assert conn.execute(count).fetchone()[0] == before
        # names written before the pinyin sort key (0027) sort by pinyin at once, not first
        assert conn.execute("select count(*) from crm.customer where name_pinyin = ''").fetchone() == (0,)
        assert conn.execute("select name_pinyin from crm.customer where name = 'chenjing的客户1'").fetchone() == (
            "chenjingdekehu1",)
        assert conn.execute("""select count(*) from crm.customer c
                               left join crm.account_position ap on ap.account_id = c.owner_id and ap.is_main
                               left join crm.position p on p.id = ap.position_id
                               where c.is_private and c.department_id is distinct from p.department_id""").fetchone() == (0,)
        assert conn.execute("""select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace,
                               unnest(p.proconfig) c
                               where n.nspname = 'crm' and c like 'search_path=%' and c not like '%pg_temp'""").fetchone() == (0,)
