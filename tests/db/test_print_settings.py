"""The letterhead and print templates against PostgreSQL, as ordinary demo accounts: everyone
reads, only system.print_settings changes, nobody deletes, locks, forges or leaks the logo."""

from __future__ import annotations

import io

import psycopg
import pytest

from crm_desktop.messages import UserError, translate_error
from crm_desktop.printing import samples
from crm_desktop.printing.document import PrintTemplate
from crm_desktop.services import print_settings, role
from crm_desktop.services.records import StaleRow


def _png(colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _refused(conn, sql, params=()):
    with pytest.raises(psycopg.Error) as raised:
        conn.execute(sql, params)
    return raised.value.sqlstate, raised.value.diag.constraint_name


@pytest.fixture
def restore_letterhead(admin_db):
    before = print_settings.load_letterhead(admin_db)
    templates = print_settings.load_templates(admin_db)
    yield
    now = print_settings.load_letterhead(admin_db)
    print_settings.save_letterhead(admin_db, {**{f: before[f] for f in print_settings.LETTERHEAD_FIELDS},
                                              "logo": before["logo"]}, now)
    current = print_settings.load_templates(admin_db)
    for kind, row in templates.items():
        print_settings.save_template(admin_db, row, current[kind])


def test_the_demo_seed_fills_the_letterhead_once(admin_db):
    head = print_settings.letterhead(admin_db)
    assert head.name == "全程软件" and head.tax_number == samples.LETTERHEAD.tax_number
    assert head.logo_png.startswith(b"\x89PNG")
    from crm_desktop.admin.seed_printing import seed_printing

    version = print_settings.load_letterhead(admin_db)["version"]
    seed_printing(admin_db)
    assert print_settings.load_letterhead(admin_db)["version"] == version


def test_every_account_with_a_role_reads_letterhead_and_templates(raw_connect):
    for account in ("chenjing", "sunli", "songjia"):
        conn = raw_connect(account)
        assert conn.execute("select name from crm.print_letterhead").fetchall() == [("全程软件",)]
        kinds = {k for (k,) in conn.execute("select kind from crm.print_template")}
        assert kinds == {"quote", "sales_order", "contract"}


def test_an_account_without_a_role_sees_nothing(raw_connect, login):
    conn = raw_connect("dengchao")
    assert conn.execute("select count(*) from crm.print_letterhead").fetchone() == (0,)
    assert conn.execute("select count(*) from crm.print_template").fetchone() == (0,)
    with pytest.raises(UserError) as raised:
        print_settings.letterhead(login("dengchao"))
    assert raised.value.key == "print_letterhead_missing"


def test_accounts_without_the_permission_are_refused_not_ignored(raw_connect):
    conn = raw_connect("chenjing")
    for sql in ("update crm.print_letterhead set name = 'x'",
                "update crm.print_letterhead set logo = null, logo_mime = null",
                "update crm.print_template set footer = 'x'",
                "insert into crm.print_template (kind) values ('quote')"):
        assert _refused(conn, sql)[0] == "42501", sql
    assert conn.execute("select name from crm.print_letterhead").fetchone() == ("全程软件",)


def test_not_even_an_administrator_deletes_locks_or_forges(raw_connect):
    conn = raw_connect("zhangmc", autocommit=False)
    for sql in ("delete from crm.print_letterhead", "delete from crm.print_template",
                "update crm.print_letterhead set version = 99", "update crm.print_letterhead set updated_by = 1",
                "update crm.print_letterhead set id = 2", "update crm.print_template set kind = 'quote'",
                "lock table crm.print_letterhead in access exclusive mode",
                "lock table crm.print_template in share mode", "truncate crm.print_template"):
        assert _refused(conn, sql)[0] == "42501", sql
        conn.rollback()


def test_temp_tables_shadowing_catalog_names_do_not_grant_the_permission(raw_connect):
    conn = raw_connect("chenjing", autocommit=False)
    conn.execute("create temp table permission (code text)")
    conn.execute("create temp table pg_roles (rolname text, rolsuper boolean)")
    conn.execute("insert into pg_roles values (session_user, true)")
    conn.execute("set search_path = pg_temp, crm, pg_catalog")
    assert _refused(conn, "update crm.print_letterhead set name = 'x'")[0] == "42501"
    conn.rollback()


def test_a_role_granted_the_permission_in_the_grid_may_edit(admin_db, login, raw_connect, restore_letterhead, unique):
    helper = role.save_role(admin_db, {"name": f"打印设置员{unique}"})
    role.set_role_permissions(admin_db, helper["id"], {print_settings.PERMISSION})
    heping = next(a for a in __import__("crm_desktop.services.account", fromlist=["x"]).list_accounts(admin_db)
                  if a.login == "heping")
    before = role.account_role_ids(admin_db, heping.id)
    role.set_account_roles(admin_db, heping.id, before | {helper["id"]})
    try:
        db = login("heping")
        saved = print_settings.save_letterhead(db, {"phone": "021-1111 2222"}, print_settings.load_letterhead(db))
        assert saved["phone"] == "021-1111 2222" and saved["updated_by"] == heping.id
        row = print_settings.load_templates(db)["quote"]
        saved = print_settings.save_template(db, {"title": "报价确认单", "hidden_columns": ["spec", "code"]}, row)
        assert saved["hidden_columns"] == ["code", "spec"]
        assert print_settings.template(login("chenjing"), "quote") == PrintTemplate(
            "quote", title="报价确认单", hidden_columns=frozenset({"code", "spec"}))
    finally:
        role.set_account_roles(admin_db, heping.id, before)
        role.delete_role(admin_db, helper["id"])
    conn = raw_connect("heping")
    assert _refused(conn, "update crm.print_letterhead set phone = 'x'")[0] == "42501"


def test_the_logo_is_checked_and_kept_out_of_the_audit_log(login, raw_connect, restore_letterhead):
    db = login("zhangmc")
    with pytest.raises(UserError) as raised:
        print_settings.save_letterhead(db, {"logo": b"GIF89a" + b"\0" * 20}, print_settings.load_letterhead(db))
    assert raised.value.key == "print_letterhead_logo_type"
    with pytest.raises(UserError) as raised:
        print_settings.save_letterhead(db, {"logo": b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024)},
                                       print_settings.load_letterhead(db))
    assert raised.value.key == "print_letterhead_logo_too_large"
    logo = _png()
    saved = print_settings.save_letterhead(db, {"logo": logo}, print_settings.load_letterhead(db))
    assert saved["logo"] == logo and saved["logo_mime"] == "image/png"
    assert print_settings.letterhead(login("chenjing")).logo_png == logo
    conn = raw_connect("zhangmc")
    changes = conn.execute("select changes::text from crm.audit_log where table_name = 'print_letterhead' "
                           "order by id desc limit 1").fetchone()[0]
    assert "logo_bytes" in changes and logo.hex() not in changes and len(changes) < 500


def test_a_hand_typed_logo_of_the_wrong_type_or_size_is_refused_by_the_database(raw_connect):
    conn = raw_connect("zhangmc", autocommit=False)
    assert _refused(conn, "update crm.print_letterhead set logo = '\\x00'::bytea, logo_mime = 'image/gif'") == \
        ("23514", "print_letterhead_logo_type")
    conn.rollback()
    assert _refused(conn, "update crm.print_letterhead set logo = '\\x00'::bytea, logo_mime = null") == \
        ("23514", "print_letterhead_logo_type")
    conn.rollback()
    assert _refused(conn, "update crm.print_letterhead set logo = decode(repeat('00', 1048577), 'hex'), "
                          "logo_mime = 'image/png'") == ("23514", "print_letterhead_logo_too_large")
    conn.rollback()
    assert _refused(conn, "update crm.print_template set hidden_columns = '{product}'") == \
        ("23514", "print_template_columns_valid")
    conn.rollback()


def test_a_stale_save_is_refused_and_says_who_saved(login, restore_letterhead):
    mine, theirs = login("zhangmc"), login("admin")
    read = print_settings.load_letterhead(mine)
    print_settings.save_letterhead(theirs, {"fax": "021-0000 0000"}, print_settings.load_letterhead(theirs))
    with pytest.raises(StaleRow) as raised:
        print_settings.save_letterhead(mine, {"fax": "021-9999 9999"}, read)
    assert raised.value.changes["fax"][1] == "021-0000 0000"
    assert "系统管理员" in str(raised.value)


def test_database_refusals_read_as_sentences(raw_connect):
    conn = raw_connect("chenjing")
    with pytest.raises(psycopg.Error) as raised:
        conn.execute("update crm.print_template set title = 'x'")
    assert "权限" in str(translate_error(raised.value))
    conn = raw_connect("zhangmc")
    with pytest.raises(psycopg.Error) as raised:
        conn.execute("update crm.print_template set hidden_columns = '{amount}'")
    assert str(translate_error(raised.value)) == \
        "只能隐藏产品编号、类别、类型、规格型号、单价、折扣、折后金额和备注列。"


def test_a_blank_name_prints_the_first_organisations(login, restore_letterhead):
    db = login("zhangmc")
    print_settings.save_letterhead(db, {"name": ""}, print_settings.load_letterhead(db))
    assert print_settings.letterhead(login("chenjing")).name == "全程软件"
