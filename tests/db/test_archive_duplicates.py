"""撞单 and the field checks of 0021: raw connections as demo accounts with their own passwords.

crm.customers_in_archive tells a rep that a name or phone is already in the archive — also for a
colleague's private customer the rep cannot see — and who follows it while the administrator's
switch is on; nothing else.  The check constraints hold the validators' patterns."""

from __future__ import annotations

import psycopg
import pytest

from crm_desktop import validators
from crm_desktop.services import customer as svc
from crm_desktop.services import customer_settings as cs


@pytest.fixture
def hidden_customer(login, unique):
    """周强's private customer, which 陈静 (another department's rep) cannot see."""
    return svc.create_customer(login("zhouqiang"), {"name": f"北斗（广州）广告{unique}", "kind": "company",
                                                    "phone": f"020-{int(unique, 16) % 90_000_000 + 10_000_000}"})


@pytest.fixture
def disclosure(admin_db):
    yield
    cs.set_duplicate_owner_disclosure(admin_db, True)


def _ask(conn, names, phones=()):
    return conn.execute("select value, kind, owner_name, disclosed from crm.customers_in_archive(%s, %s)",
                        (list(names), list(phones))).fetchall()


def test_a_rep_learns_that_an_invisible_customer_exists_and_who_follows_it(raw_connect, hidden_customer, unique):
    chenjing = raw_connect("chenjing")
    assert chenjing.execute("select count(*) from crm.customer where id = %s", (hidden_customer["id"],)).fetchone()[0] == 0
    typed = f" 北斗(广州)广告{unique} ".replace("北斗", "北斗 ")  # half-width brackets, blanks
    assert _ask(chenjing, [typed]) == [(typed, "name", "周强", True)]
    digits = hidden_customer["phone"].replace("-", "")
    assert _ask(chenjing, [], [f"({digits[:3]}){digits[3:]}"]) == [(f"({digits[:3]}){digits[3:]}", "phone", "周强", True)]
    assert _ask(chenjing, [f"没有的公司{unique}"]) == []


def test_with_the_switch_off_the_owner_is_not_named(raw_connect, admin_db, hidden_customer, disclosure, unique):
    cs.set_duplicate_owner_disclosure(admin_db, False)
    chenjing = raw_connect("chenjing")
    assert _ask(chenjing, [hidden_customer["name"]]) == [(hidden_customer["name"], "name", None, False)]
    error = svc.archive_duplicate(hidden_customer["name"], {"kind": "name", "owner_name": None, "disclosed": False})
    assert "周强" not in str(error) and "客户档案中已有" in str(error)


def test_only_customer_settings_turns_the_switch_and_a_refusal_raises(raw_connect):
    chenjing = raw_connect("chenjing")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        chenjing.execute("select crm.set_duplicate_owner_disclosure(false)")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        chenjing.execute("update crm.customer_archive_setting set disclose_duplicate_owner = false")
    assert chenjing.execute("select disclose_duplicate_owner from crm.customer_archive_setting").fetchone()[0] is True


def test_an_account_that_cannot_add_customers_cannot_probe_the_archive(raw_connect, hidden_customer):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _ask(raw_connect("sunli"), [hidden_customer["name"]])


def test_the_import_refuses_the_invisible_duplicate_naming_the_follower(tmp_path, login, hidden_customer, unique):
    from openpyxl import Workbook

    from crm_desktop.excel.importer import validate_file
    from crm_desktop.services.customer_import import CustomerImportSpec

    wb = Workbook()
    wb.active.append(["客户名称", "客户性质", "电话"])
    wb.active.append([hidden_customer["name"].replace("（", "(").replace("）", ")"), "企业", None])
    wb.active.append([f"新公司{unique}", "企业", hidden_customer["phone"]])
    wb.active.append([hidden_customer["name"] + "个人", "个人", None])
    wb.save(tmp_path / "dup.xlsx")
    db = login("wangfang")  # 销售一部's manager: may import, cannot see 销售二部's private customers
    by_name, by_phone, person = validate_file(db, CustomerImportSpec(), tmp_path / "dup.xlsx").rows
    assert [str(e) for e in by_name.errors] == [
        f"客户档案中已有“{by_name.values['name']}”（同名客户），跟进人：周强。请与跟进人联系，不要重复建档。"]
    assert [e.key for e in by_phone.errors] == ["customer_in_archive"] and person.ok


@pytest.mark.parametrize("column, pattern", [
    ("customer_phone_format", validators.PHONE_PATTERN), ("customer_fax_format", validators.PHONE_PATTERN),
    ("customer_mobile_format", validators.MOBILE_STORED_PATTERN),
    ("customer_postcode_format", validators.POSTCODE_PATTERN),
    ("customer_email_format", validators.EMAIL_PATTERN), ("contact_mobile_format", validators.MOBILE_STORED_PATTERN),
])
def test_the_check_constraints_hold_the_validators_patterns(admin_db, column, pattern):
    from sqlalchemy import text

    with admin_db.session() as s:
        definition = s.scalar(text("select pg_get_constraintdef(oid) from pg_constraint where conname = :n"),
                              {"n": column})
    assert f"'{pattern}'" in definition


def test_the_database_refuses_what_the_validators_refuse(raw_connect, unique):
    """Issue 14 item 10: the form saved 手机 = "abc123" that the import refuses."""
    chenjing = raw_connect("chenjing")
    for column, value in (("mobile", "abc123"), ("phone", "020-1"), ("postcode", "10010"), ("fax", "传真")):
        with pytest.raises(psycopg.errors.CheckViolation):
            chenjing.execute(f"insert into crm.customer (name, {column}) values (%s, %s)", (f"坏{column}{unique}", value))
    with pytest.raises(ValueError):
        validators.clean_mobile("abc123")
