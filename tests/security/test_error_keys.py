"""Every error key the database raises (``message = '<key>'`` in server_schema/, and every named
CHECK / UNIQUE constraint) is triggered here by an ordinary demo account, logged in with its own
password, and the key itself is checked — not "some psycopg.Error".  Each case runs in a transaction
that is rolled back.

``test_every_key_raised_in_server_schema_is_named_by_a_test`` is the convention: a key raised in
server_schema/ that no test file names fails it, except the few no account can reach (UNREACHABLE,
each with the reason).  A new module's keys: add a row to CASES (or test them in the module's own
tests, naming the key).
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from crm_desktop.db.scram import scram_verifier

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = scram_verifier("an0ther-pass")

MINE = "(select min(id) from crm.customer where owner_id = crm.current_account())"
ROW = "(select min(id) from {})"
PRODUCT = ROW.format("crm.product")

# key → (login, statements); the last statement must raise with that key
CASES: dict[str, tuple[str, list[str]]] = {
    # accounts and the organisation, as the HR administrator (人事管理员)
    "account_email_format": ("heping", ["update crm.account set email = 'no-at-sign' where login = 'heping'"]),
    "account_gender_valid": ("heping", ["update crm.account set gender = 'x' where login = 'heping'"]),
    "account_status_valid": ("heping", ["update crm.account set status = 'x' where login = 'heping'"]),
    "account_quota_positive": ("heping", ["update crm.account set email_quota_mb = -1 where login = 'heping'"]),
    "account_name_required": ("heping", ["update crm.account set name = ' ' where login = 'heping'"]),
    "account_login_format": ("heping", ["update crm.account set login = '1heping' where login = 'heping'"]),
    "account_login_reserved": ("heping", ["update crm.account set login = 'pg_heping' where login = 'heping'"]),
    "account_not_found": ("heping", [f"select crm.set_account_password(-1, '{VERIFIER}')"]),
    "password_not_a_verifier": ("chenjing", ["select crm.set_account_password(crm.current_account(), 'demo1234')"]),
    "ukey_card_id_invalid": ("zhangmc", [f"select crm.bind_ukey((select id from crm.account where login = 'shenbo'), "
                                         f"'not-a-card', '{VERIFIER}')"]),
    "department_name_required": ("heping", ["update crm.department set name = ' ' where name = '财务部'"]),
    "department_organization_fixed": ("heping", [
        "update crm.department set (organization_id, parent_id) = (select organization_id, id from crm.department "
        "where name = '广州分公司') where name = '财务部'"]),
    "role_name_required": ("zhangmc", ["update crm.role set name = ' ' where name = '销售经理'"]),
    # numbering rules, as an administrator (the only holders of the numbering permission)
    "numbering_rule_digits_range": ("zhangmc", ["update crm.numbering_rule set digits = 0 where code = 'customer'"]),
    "numbering_rule_date_format_valid": ("zhangmc", [
        "update crm.numbering_rule set date_format = 'DD' where code = 'customer'"]),
    "numbering_rule_prefix_format": ("zhangmc", ["update crm.numbering_rule set prefix = 'K-H' where code = 'customer'"]),
    "numbering_rule_separator_format": ("zhangmc", [
        "update crm.numbering_rule set separator = '#' where code = 'customer'"]),
    "customer_number_unique": ("zhangmc", [
        "update crm.numbering_rule set allows_manual = true where code = 'customer'",
        "insert into crm.customer (name, number) values ('编号甲', 'SAME-1')",
        "insert into crm.customer (name, number) values ('编号乙', 'SAME-1')"]),
    # the customer archive, as a rep and as a sales manager
    "customer_kind_valid": ("chenjing", ["insert into crm.customer (name, kind) values ('类型不对', 'robot')"]),
    "customer_email_format": ("chenjing", ["insert into crm.customer (name, email) values ('邮箱不对', 'a@b')"]),
    "contact_name_required": ("chenjing", [f"insert into crm.contact (customer_id, name) values ({MINE}, ' ')"]),
    "contact_email_format": ("chenjing", [
        f"insert into crm.contact (customer_id, name, email) values ({MINE}, '张三', 'zhang@')"]),
    "management_scope_one_target": ("wangfang", [
        "insert into crm.management_scope (account_id) select id from crm.account where login = 'chenjing'"]),
    "private_customer_limit_not_negative": ("wangfang", [
        "update crm.private_customer_limit set max_private = -1 "
        "where account_id = (select id from crm.account where login = 'tangwei')"]),
    "region_name_required": ("wangfang", ["insert into crm.region (name) values ('华南.广东')"]),
    "region_path_unique": ("wangfang", ["insert into crm.region (name) values ('同名地区'), ('同名地区')"]),
    "region_parent_cycle": ("wangfang", [
        "insert into crm.region (name) values ('环甲')",
        "insert into crm.region (name, parent_id) select '环乙', id from crm.region where name = '环甲'",
        "update crm.region set parent_id = (select id from crm.region where name = '环乙') where name = '环甲'"]),
    # products, as an administrator (no demo role but 系统管理员 holds product.manage / product.settings)
    "product_category_name_required": ("zhangmc", ["insert into crm.product_category (name, code) values ('硬件/软件', 'HS')"]),
    "product_type_name_required": ("zhangmc", ["insert into crm.product_type (name) values (' ')"]),
    "product_type_name_unique": ("zhangmc", ["insert into crm.product_type (name) values ('同名类型'), ('同名类型')"]),
    "unit_name_required": ("zhangmc", ["insert into crm.unit (name) values (' ')"]),
    "unit_name_unique": ("zhangmc", ["insert into crm.unit (name) values ('同名单位'), ('同名单位')"]),
    "unit_conversion_not_self": ("zhangmc", [
        f"insert into crm.unit_conversion (from_unit_id, to_unit_id, factor) "
        f"values ({ROW.format('crm.unit')}, {ROW.format('crm.unit')}, 1)"]),
    "product_custom_field_name_required": ("zhangmc", ["insert into crm.product_custom_field (name) values (' ')"]),
    "product_custom_field_kind_valid": ("zhangmc", [
        "insert into crm.product_custom_field (name, kind) values ('颜色', 'colour')"]),
    "product_custom_field_choices_needed": ("zhangmc", [
        "insert into crm.product_custom_field (name, kind) values ('颜色', 'choice')"]),
    "product_custom_field_name_unique": ("zhangmc", [
        "insert into crm.product_custom_field (name) values ('同名字段'), ('同名字段')"]),
    "product_custom_field_required": ("zhangmc", [
        "insert into crm.product_custom_field (name, required) values ('必填字段', true)",
        f"update crm.product set custom_fields = '{{\"x\": 1}}' where id = {PRODUCT}"]),
    "product_name_required": ("zhangmc", [f"update crm.product set name = ' ' where id = {PRODUCT}"]),
    "product_serial_mode_valid": ("zhangmc", [f"update crm.product set serial_mode = 'x' where id = {PRODUCT}"]),
    "product_price_nonnegative": ("zhangmc", [f"update crm.product set sale_price = -1 where id = {PRODUCT}"]),
    "product_basis_valid": ("zhangmc", [f"update crm.product set service_basis = 'x' where id = {PRODUCT}"]),
    "product_interval_nonnegative": ("zhangmc", [f"update crm.product set service_days = -1 where id = {PRODUCT}"]),
    "product_custom_fields_object": ("zhangmc", [f"update crm.product set custom_fields = '[]' where id = {PRODUCT}"]),
    "product_picture_type_valid": ("zhangmc", [
        f"insert into crm.product_picture (product_id, mime_type, content) values ({PRODUCT}, 'text/plain', 'x')"]),
    "product_due_basis_invalid": ("chenjing", [f"select * from crm.product_due_dates({PRODUCT}, 'x', current_date)"]),
    # contact plans (issue 17: a plan one sees but may not change raises)
    "contact_plan_not_changeable": ("sunli", [
        "update crm.contact_plan set subject = subject where id = (select min(p.id) from crm.contact_plan p "
        "join crm.customer c on c.id = p.customer_id where p.account_id <> crm.current_account() "
        "and not crm.can_edit_customer(c.id))"]),
}

# keys no account can reach: the reason each cannot matter to an account
UNREACHABLE = {
    "account_delete_is_soft": "accounts hold no DELETE on crm.account (42501 comes first); the trigger guards "
                              "superuser sessions",
    "department_not_own_parent": "the cycle check (department_parent_cycle, tested) refuses a department as its "
                                 "own parent first",
    "position_not_own_superior": "the cycle check (position_superior_cycle, tested) refuses it first",
    "product_category_not_own_parent": "the cycle check (product_category_parent_cycle, tested) refuses it first",
    "account_ukey_bound": "ukey and ukey_card_id are written together only by crm.bind_ukey/crm.unbind_ukey "
                          "(accounts hold no UPDATE on either column)",
    "audit_log_append_only": "accounts hold no UPDATE, DELETE or TRUNCATE on crm.audit_log (42501 comes first); "
                             "the trigger guards superuser sessions",
    "customer_history_action_valid": "accounts cannot write crm.customer_history (no INSERT grant); "
                                     "only the definer functions do, with fixed actions",
    "customer_private_needs_owner": "crm.customer_fill_defaults makes the writer the owner of a private customer "
                                    "without one before the check runs",
    "numbering_rule_missing": "accounts cannot insert or delete numbering rules (no grant); the rule rows come "
                              "with the migrations",
    "price_history_kind_valid": "price memory is written only by definer functions (no grant to accounts)",
    "price_history_price_nonnegative": "price memory is written only by definer functions (no grant to accounts)",
    "private_customer_tally_not_negative": "the tally is kept by the server's statement triggers; accounts "
                                           "cannot write it",
    "reminder_delivery_channel_valid": "accounts may not insert outbox rows or write channel; the only writer is "
                                       "crm.contact_plan_sync_reminders, with the literals 'email' and 'sms'",
    "reminder_delivery_one_per_channel": "accounts may not insert outbox rows or write plan_id/channel; the sync "
                                         "trigger inserts with on conflict (plan_id, channel) do update",
    "reminder_setting_one_row": "accounts may neither insert into crm.reminder_setting nor update its id (42501 "
                                "comes first); the one row comes with migration 0025",
}


@pytest.fixture(scope="module")
def demo_customers(admin_db):
    from crm_desktop.admin.seed_customers import seed_demo_customers

    seed_demo_customers(admin_db, 400)


@pytest.mark.parametrize("key", sorted(CASES))
def test_the_database_raises_the_key_itself(key, demo_customers, raw_connect):
    login, statements = CASES[key]
    conn = raw_connect(login)
    with pytest.raises(psycopg.Error) as err:
        with conn.transaction(force_rollback=True):
            for sql in statements:
                conn.execute(sql)
    assert err.value.diag.constraint_name == key, (err.value.sqlstate, str(err.value))


def _keys_raised_in_server_schema() -> set[str]:
    keys = set()
    for path in (ROOT / "server_schema").rglob("*.sql"):
        text = path.read_text()
        keys |= set(re.findall(r"message\s*=\s*'([a-z_]+)'", text))
        keys |= set(re.findall(r"constraint\s+([a-z_]+)\s+(?:check|unique|exclude)\b", text, re.IGNORECASE))
    return keys


def test_every_key_raised_in_server_schema_is_named_by_a_test():
    from crm_desktop import messages

    here = Path(__file__).resolve()
    named = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("*.py") if p != here)
    named += "\n".join(f"'{k}'" for k in CASES)  # the cases above, not the lists below
    keys = _keys_raised_in_server_schema()
    assert len(keys) > 90
    missing = sorted(k for k in keys - set(UNREACHABLE) if not re.search(rf"['\"]{k}['\"]", named))
    assert not missing, f"keys raised in server_schema/ that no test triggers: {missing}"
    assert set(UNREACHABLE) <= keys, "an unreachable key that is no longer raised"
    uncatalogued = sorted(k for k in keys - set(UNREACHABLE) if k not in messages.CATALOGUE
                          and not k.endswith(("_pkey", "_fkey")))
    assert not uncatalogued, f"raised in server_schema/ without a sentence in crm_desktop/messages.py: {uncatalogued}"
