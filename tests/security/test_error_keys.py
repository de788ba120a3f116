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

# approval flows are saved through crm.save_approval_flow, as 系统管理员 (admin holds approval.flow)
STEP = '{"name": "部门经理", "approver_kind": "leader"}'


def _flow(name: str = "键测试流程", steps: str = f"[{STEP}]", conditions: str = "[]", match: str = "all",
          flow: str = "null", version: str = "null", kind: str = "quote") -> str:
    return (f"select crm.save_approval_flow({flow}, {version}, '{kind}', '{name}', true, 1000, '{conditions}', "
            f"'{match}', '{steps}')")


def _step(**fields: object) -> str:
    import json

    return _flow(steps=json.dumps([{"name": "一步", "approver_kind": "leader", **fields}], ensure_ascii=False))


# a quote of chenjing's own, for a private customer she creates in the same transaction
QCUSTOMER = "(select max(id) from crm.customer where name = '键测试客户')"
QUOTE_FOR = [f"insert into crm.customer (name, is_private) values ('键测试客户', true)",
             f"insert into crm.quote (customer_id, valid_until) values ({QCUSTOMER}, current_date + 30)"]


def _line(quantity: str = "1", price: str = "10", rate: str = "1", line_no: int = 1) -> str:
    return (f"insert into crm.quote_line (quote_id, line_no, product_id, unit_id, quantity, unit_price, discount) "
            f"select (select max(id) from crm.quote where customer_id = {QCUSTOMER}), {line_no}, id, base_unit_id, "
            f"{quantity}, {price}, {rate} from crm.product order by id limit 1")


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
    "contact_phone_format": ("chenjing", [f"insert into crm.contact (customer_id, name, phone) values ({MINE}, '电话不对', 'abc123')"]),
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
    # approval flows (issue 11), saved by an administrator through the definer function
    "approval_type_unknown": ("admin", [_flow(kind="no_such_type")]),
    "approval_flow_needs_steps": ("admin", [_flow(steps="[]")]),
    "approval_condition_invalid": ("admin", [_flow(conditions='[{"fact": "colour", "op": ">", "value": "1"}]')]),
    "approval_flow_unknown": ("admin", [_flow(flow="-1", version="1")]),
    "approval_flow_name_required": ("admin", [_flow(name=" ")]),
    "approval_flow_name_unique": ("admin", [_flow(name="同名流程"), _flow(name="同名流程")]),
    "approval_flow_version_match_valid": ("admin", [_flow(match="most")]),
    "approval_flow_step_name_required": ("admin", [_step(name=" ")]),
    "approval_flow_step_kind_valid": ("admin", [_step(approver_kind="robot", approver_ids=[1])]),
    "approval_flow_step_mode_valid": ("admin", [_step(mode="most")]),
    "approval_flow_step_k_valid": ("admin", [_step(mode="k_of_n")]),
    "approval_flow_step_levels_valid": ("admin", [_step(leader_levels=11)]),
    "approval_flow_step_approvers_named": ("admin", [_step(approver_kind="account")]),
    "approval_delegation_dates": ("wangfang", [
        "select crm.approval_set_delegation((select id from crm.account where login = 'huangmin'), "
        "current_date, current_date - 1)"]),
    # quotes (issue 12), as a rep on her own quote, and numbers as an administrator
    "quote_discount_range": ("chenjing", [*QUOTE_FOR, f"update crm.quote set discount = 0 where customer_id = {QCUSTOMER}"]),
    "quote_line_quantity_positive": ("chenjing", [*QUOTE_FOR, _line(quantity="0")]),
    "quote_line_price_nonnegative": ("chenjing", [*QUOTE_FOR, _line(price="-0.01")]),
    "quote_line_discount_range": ("chenjing", [*QUOTE_FOR, _line(rate="1.01")]),
    "quote_line_no_unique": ("chenjing", [*QUOTE_FOR, "set constraints crm.quote_line_no_unique immediate",
                                          _line(line_no=1), _line(line_no=1)]),
    "quote_number_unique": ("zhangmc", [
        "update crm.numbering_rule set allows_manual = true where code = 'quote'",
        "insert into crm.customer (name, is_private) values ('键测试客户', true)",
        f"insert into crm.quote (number, customer_id, valid_until) values ('SAME-Q1', {QCUSTOMER}, current_date)",
        f"insert into crm.quote (number, customer_id, valid_until) values ('SAME-Q1', {QCUSTOMER}, current_date)"]),
    # printing settings, as an administrator (系统管理员 holds system.print_settings)
    "print_letterhead_text_length": ("zhangmc", ["update crm.print_letterhead set phone = repeat('1', 101)"]),
    "print_template_text_length": ("zhangmc", ["update crm.print_template set title = repeat('报', 101) "
                                               "where kind = 'quote'"]),
}

# keys no account can reach: the reason each cannot matter to an account
UNREACHABLE = {
    "customer_archive_setting_one_row": "accounts hold SELECT only on crm.customer_archive_setting (the switch is "
                                        "changed by crm.set_duplicate_owner_disclosure); the one row comes with 0021",
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
    # the approval engine (issue 11): its tables are granted SELECT only, every write is a definer function
    "approval_document_type_functions_named": "accounts hold no INSERT or UPDATE on crm.approval_document_type; "
                                              "the types come with the migrations",
    "approval_document_type_after_approval_valid": "accounts hold no INSERT or UPDATE on "
                                                   "crm.approval_document_type; the types come with the migrations",
    "approval_flow_required": "the only registered document type (quote) does not require a flow, and accounts "
                              "cannot write crm.approval_document_type",
    "approval_document_missing": "crm.approval_submit asks the type's submit function first, and "
                                 "crm.quote_may_submit answers false for a missing quote (approval_submit_not_allowed, "
                                 "tested); accounts hold no DELETE on crm.quote, so it cannot vanish in between",
    "approval_flow_version_unique": "crm.save_approval_flow numbers a version current_version + 1 under the flow's "
                                    "row lock after the version check (concurrent_change, tested); accounts cannot "
                                    "write crm.approval_flow_version",
    "approval_flow_version_conditions_array": "crm.save_approval_flow walks the conditions with "
                                              "jsonb_array_elements before the insert, which refuses a non-array "
                                              "(22023) first; accounts cannot write crm.approval_flow_version",
    "approval_flow_step_unique": "crm.save_approval_flow numbers the steps 1..n itself; accounts cannot write "
                                 "crm.approval_flow_step",
    "approval_delegation_not_self": "crm.approval_set_delegation refuses oneself as delegate first "
                                    "(approval_delegate_invalid, tested) and always writes the caller as account_id; "
                                    "accounts cannot write crm.approval_delegation",
    "approval_instance_status_valid": "only the engine's definer functions write crm.approval_instance, with "
                                      "fixed statuses",
    "approval_task_status_valid": "only the engine's definer functions write crm.approval_task, with fixed statuses",
    "approval_event_action_valid": "only the engine's definer functions write crm.approval_event, with fixed "
                                   "actions (crm.approval_log is not executable by accounts)",
    "quote_approval_status_valid": "accounts hold no INSERT or UPDATE on crm.quote.approval_status; the engine "
                                   "writes only draft/pending/approved/rejected and crm.approval_guard_document "
                                   "refuses every other writer",
    # printing and backups
    "print_letterhead_single": "accounts hold no INSERT on crm.print_letterhead and no UPDATE on its id; the one "
                               "row comes with the migration",
    "print_template_kind_valid": "accounts hold no INSERT on crm.print_template and no UPDATE on kind; the three "
                                 "templates come with the migration",
    "backup_run_ok_has_file": "accounts hold SELECT only on crm.backup_run; crm-admin writes it as a superuser "
                              "and records file and size for every ok run",
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
