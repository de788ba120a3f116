"""Issue 9, items 7 and 8, attacked as the demo accounts over raw psycopg connections.

7. The private-customer limit cannot be raced: two sessions of tangwei (each under READ COMMITTED,
   REPEATABLE READ or SERIALIZABLE) that each fill his last places cannot both commit — on create,
   on assign and on public→private conversion.
8. Numbers are drawn only by the document's own insert: no account can draw (and burn) numbers, a
   hand-typed number is refused when the rule does not allow manual numbers and, when it does, it may
   not have the rule's shape (squatting the previewed number), and numbers stay gap-free after
   rollbacks.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import text

from crm_desktop.services import account as accounts
from crm_desktop.services import customer as svc
from crm_desktop.services import customer_settings as cs
from crm_desktop.services import numbering

ISOLATION_LEVELS = ["read committed", "repeatable read", "serializable"]
# what the second of two racing sessions meets: the limit's own key, or "try again"
REFUSAL = {"read committed": ("23514", "customer_private_limit_exceeded"),
           "repeatable read": ("40001", None), "serializable": ("40001", None)}
WAIT = 15_000


# -- helpers ------------------------------------------------------------------------------------
@pytest.fixture
def tangwei(admin_db):
    """(tangwei's account id, room(n)): room(n) sets his limit to what he owns now plus n."""
    tid = accounts.account_id_by_login(admin_db, "tangwei")

    def room(n: int) -> int:
        owned, _limit = svc.private_customer_status(admin_db, tid)
        cs.set_private_limit(admin_db, tid, owned + n)
        return owned + n

    yield tid, room
    cs.set_private_limit(admin_db, tid, None)


def private_count(admin_db, account: int) -> tuple[int, int]:
    """(private customers counted, the tally the trigger keeps): always equal."""
    with admin_db.session() as s:
        counted = s.scalar(text("select count(*) from crm.customer where owner_id = :a and is_private"),
                           {"a": account})
        tally = s.scalar(text("select coalesce((select private_count from crm.private_customer_tally"
                              " where account_id = :a), 0)"), {"a": account})
    return counted, tally


def sessions(raw_connect, login: str, isolation: str) -> tuple[psycopg.Connection, psycopg.Connection]:
    """Two transactions of ``login`` whose snapshots are both taken before either writes."""
    pair = raw_connect(login, autocommit=False), raw_connect(login, autocommit=False)
    for conn in pair:
        conn.execute(f"set transaction isolation level {isolation}")
        conn.execute("select count(*) from crm.customer").fetchone()
    return pair


def outcome_of(conn: psycopg.Connection, sql: str, params=()) -> object:
    """'committed', or the refusal as (SQLSTATE, constraint name); the transaction is ended."""
    try:
        conn.execute(sql, params)
        conn.commit()
        return "committed"
    except psycopg.Error as exc:
        conn.rollback()
        return exc.sqlstate, exc.diag.constraint_name


def wait_until_blocked(admin_db, conn: psycopg.Connection, timeout: float = 10.0) -> None:
    pid = conn.info.backend_pid
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with admin_db.session() as s:
            if s.scalar(text("select wait_event_type from pg_stat_activity where pid = :p"), {"p": pid}) == "Lock":
                return
        time.sleep(0.02)
    raise AssertionError("the second session never waited for the first")


INSERT_FIVE = "insert into crm.customer (name) select %s || g from generate_series(1, 5) g"


# -- 7. the private-customer limit ----------------------------------------------------------------
@pytest.mark.parametrize("isolation", ISOLATION_LEVELS)
def test_two_sessions_filling_the_last_places_one_after_the_other_cannot_both_commit(
        isolation, admin_db, raw_connect, tangwei, unique):
    """The issue's attack: both sessions took their snapshot first, the first commits its five."""
    tid, room = tangwei
    limit = room(5)
    first, second = sessions(raw_connect, "tangwei", isolation)
    assert outcome_of(first, INSERT_FIVE, (f"甲{unique}-",)) == "committed"
    assert outcome_of(second, INSERT_FIVE, (f"乙{unique}-",)) == REFUSAL[isolation]
    assert private_count(admin_db, tid) == (limit, limit)


@pytest.mark.parametrize("isolation", ISOLATION_LEVELS)
def test_two_sessions_filling_the_last_places_at_the_same_time_cannot_both_commit(
        isolation, admin_db, raw_connect, tangwei, unique):
    """Interleaved: the second inserts while the first has inserted and not yet committed."""
    tid, room = tangwei
    limit = room(5)
    first, second = sessions(raw_connect, "tangwei", isolation)
    first.execute(INSERT_FIVE, (f"甲{unique}-",))
    result = {}
    thread = threading.Thread(target=lambda: result.update(second=outcome_of(second, INSERT_FIVE, (f"乙{unique}-",))))
    thread.start()
    wait_until_blocked(admin_db, second)  # queued on his tally row
    first.commit()
    thread.join(10)
    assert result["second"] == REFUSAL[isolation]
    assert private_count(admin_db, tid) == (limit, limit)


def test_a_refused_first_session_lets_the_second_through(admin_db, raw_connect, tangwei, unique):
    tid, room = tangwei
    limit = room(5)
    first, second = sessions(raw_connect, "tangwei", "repeatable read")
    first.execute(INSERT_FIVE, (f"甲{unique}-",))
    result = {}
    thread = threading.Thread(target=lambda: result.update(second=outcome_of(second, INSERT_FIVE, (f"乙{unique}-",))))
    thread.start()
    wait_until_blocked(admin_db, second)
    first.rollback()
    thread.join(10)
    assert result["second"] == "committed"
    assert private_count(admin_db, tid) == (limit, limit)


@pytest.mark.parametrize("isolation", ISOLATION_LEVELS)
def test_two_managers_assigning_to_the_same_receiver_cannot_both_pass(isolation, admin_db, raw_connect, login,
                                                                      tangwei, unique):
    tid, room = tangwei
    manager = login("liangyu")  # 广州 sales manager: may assign
    a, b = (svc.create_customer(manager, {"name": f"分派{i}{unique}"})["id"] for i in range(2))
    limit = room(1)
    first, second = sessions(raw_connect, "liangyu", isolation)
    assign = "select crm.assign_customers(%s, %s, 'race')"
    assert outcome_of(first, assign, ([a], tid)) == "committed"
    assert outcome_of(second, assign, ([b], tid)) == REFUSAL[isolation]
    assert private_count(admin_db, tid) == (limit, limit)
    assert svc.get_customer(manager, b)["owner_id"] == manager.account_id


@pytest.mark.parametrize("isolation", ISOLATION_LEVELS)
def test_two_sessions_making_public_customers_private_cannot_both_pass(isolation, admin_db, raw_connect, login,
                                                                       tangwei, unique):
    tid, room = tangwei
    db = login("tangwei")
    a, b = (svc.create_customer(db, {"name": f"公共{i}{unique}", "is_private": False})["id"] for i in range(2))
    limit = room(1)
    first, second = sessions(raw_connect, "tangwei", isolation)
    convert = "update crm.customer set is_private = true where id = %s"
    assert outcome_of(first, convert, (a,)) == "committed"
    assert outcome_of(second, convert, (b,)) == REFUSAL[isolation]
    assert private_count(admin_db, tid) == (limit, limit)


def test_one_statement_over_the_limit_is_refused_with_the_numbers(raw_connect, admin_db, tangwei, unique):
    tid, room = tangwei
    limit = room(2)
    conn = raw_connect("tangwei")
    with pytest.raises(errors.CheckViolation) as refused:
        conn.execute(INSERT_FIVE, (f"超额{unique}-",))
    assert refused.value.diag.constraint_name == "customer_private_limit_exceeded"
    assert '"limit" : %d' % limit in refused.value.diag.message_detail
    assert '"adding" : 5' in refused.value.diag.message_detail
    assert private_count(admin_db, tid) == (limit - 2, limit - 2)


def test_deleting_and_giving_away_customers_frees_places(raw_connect, admin_db, login, tangwei, unique):
    tid, room = tangwei
    conn = raw_connect("tangwei")
    conn.execute(INSERT_FIVE, (f"腾位{unique}-",))
    room(0)
    with pytest.raises(errors.CheckViolation):
        conn.execute("insert into crm.customer (name) values (%s)", (f"满了{unique}",))
    raw_connect("zhangmc").execute("select crm.delete_customers(array(select id from crm.customer where name = %s))",
                                   (f"腾位{unique}-1",))
    conn.execute("insert into crm.customer (name) values (%s)", (f"又有位置{unique}",))
    conn.execute("update crm.customer set is_private = false where name = %s", (f"腾位{unique}-2",))
    conn.execute("insert into crm.customer (name) values (%s)", (f"再有位置{unique}",))
    counted, tally = private_count(admin_db, tid)
    assert counted == tally and svc.private_customer_status(admin_db, tid) == (counted, counted)


def test_a_concurrent_change_reads_as_try_again():
    from crm_desktop.messages import translate_error

    class Serialization(Exception):
        sqlstate = "40001"

    error = translate_error(Serialization("could not serialize access due to concurrent update"))
    assert error.key == "concurrent_change" and "重试" in str(error)


def test_accounts_cannot_read_or_write_the_tally(raw_connect):
    conn = raw_connect("chenjing")
    for sql in ("select * from crm.private_customer_tally",
                "update crm.private_customer_tally set private_count = 0",
                "select crm.recount_private_customers()"):
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(sql)


# -- 8. numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize("login_name", ["dengchao", "chenjing", "zhangmc"])
@pytest.mark.parametrize("call", ["select crm.next_number('customer')", "select crm.next_numbers('customer', 5)",
                                  "select crm.draw_number('customer')", "select crm.draw_number('product', 'X')"])
def test_no_account_can_draw_numbers(raw_connect, login_name, call):
    """Not even an administrator (zhangmc) or one without any role (dengchao): drawing and
    committing would leave a gap forever."""
    conn = raw_connect(login_name)
    before = conn.execute("select crm.preview_number('customer')").fetchone()[0]
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(call)
    assert conn.execute("select crm.preview_number('customer')").fetchone()[0] == before


@pytest.fixture
def customer_rule(admin_db):
    """set(allows_manual) changes the customer rule; the rule comes back as it was."""
    def _set(allowed: bool) -> None:
        with admin_db.session() as s:
            s.execute(text("update crm.numbering_rule set allows_manual = :a where code = 'customer'"), {"a": allowed})

    before = numbering.allows_manual(admin_db, "customer")
    yield _set
    _set(before)


def refusal(conn: psycopg.Connection, sql: str, params=()) -> str | None:
    try:
        conn.execute(sql, params)
    except psycopg.Error as exc:
        return exc.diag.constraint_name
    return None


def test_squatting_the_previewed_number_is_refused_and_the_colleague_gets_it(raw_connect, admin_db, customer_rule,
                                                                              unique):
    assert not numbering.allows_manual(admin_db, "customer")  # the customer rule allows none by default …
    squatter, colleague = raw_connect("chenjing"), raw_connect("liuyang")
    preview = squatter.execute("select crm.preview_number('customer')").fetchone()[0]
    insert = "insert into crm.customer (name, number) values (%s, %s)"
    assert refusal(squatter, insert, (f"占号{unique}", preview)) == "number_manual_not_allowed"
    customer_rule(True)  # … and where it does, never one in the rule's own shape, of any period
    for shaped in (preview, "KH2099120001", "KH20261200001"):
        assert refusal(squatter, insert, (f"占号{unique}", shaped)) == "number_reserved_by_rule"
    assert refusal(squatter, insert, (f"手工{unique}", f"VIP-{unique}")) is None
    got = colleague.execute("insert into crm.customer (name) values (%s) returning number",
                            (f"同事{unique}",)).fetchone()[0]
    assert got == preview


def test_without_manual_numbers_a_typed_number_reveals_nothing(raw_connect, login, customer_rule, unique):
    """A colleague's private customer (invisible to chenjing): its number, typed, is refused exactly
    like a free one — not with customer_number_unique, which would tell that it exists."""
    customer_rule(False)
    hidden = svc.create_customer(login("liuyang"), {"name": f"别人的{unique}"})["number"]
    conn = raw_connect("chenjing")
    insert = "insert into crm.customer (name, number) values (%s, %s)"
    assert refusal(conn, insert, (f"试探{unique}", hidden)) == "number_manual_not_allowed"
    assert refusal(conn, insert, (f"试探{unique}", f"FREE-{unique}")) == "number_manual_not_allowed"


def test_a_drawn_number_already_taken_by_hand_is_skipped(raw_connect, admin_db, customer_rule, unique):
    """A number typed before the rule took its shape (old data, a changed prefix) never blocks a save."""
    conn = raw_connect("chenjing")
    preview = conn.execute("select crm.preview_number('customer')").fetchone()[0]
    with admin_db.session() as s:  # as old data would have it
        s.execute(text("set local session_replication_role = replica"))
        s.execute(text("insert into crm.customer (name, number, is_private, owner_id) values (:n, :num, false, null)"),
                  {"n": f"旧数据{unique}", "num": preview})
    got = conn.execute("insert into crm.customer (name) values (%s) returning number", (f"新{unique}",)).fetchone()[0]
    assert got != preview and got[-4:] == f"{int(preview[-4:]) + 1:04d}"


def test_numbers_are_gap_free_after_rollbacks(raw_connect, unique):
    conn = raw_connect("chenjing", autocommit=False)
    preview = conn.execute("select crm.preview_number('customer')").fetchone()[0]
    insert = "insert into crm.customer (name) select %s || g from generate_series(1, %s) g returning number"
    assert [r[0] for r in conn.execute(insert, (f"回滚{unique}-", 3))][0] == preview
    conn.rollback()
    conn.execute("savepoint s")
    conn.execute(insert, (f"存档点{unique}-", 2))
    conn.execute("rollback to savepoint s")
    with pytest.raises(errors.CheckViolation):  # a failing insert gives its number back too
        conn.execute("insert into crm.customer (name, email) values (%s, 'not-an-address')", (f"坏{unique}",))
    conn.rollback()
    kept = [r[0] for r in conn.execute(insert, (f"保留{unique}-", 2))]
    conn.commit()
    assert kept[0] == preview and int(kept[1][-4:]) == int(preview[-4:]) + 1


def test_a_large_insert_draws_consecutive_numbers(raw_connect, login, tangwei, unique):
    """The import's path: thousands of rows in one statement, numbered in order without gaps."""
    conn = raw_connect("tangwei")
    preview = conn.execute("select crm.preview_number('customer')").fetchone()[0]
    numbers = [r[0] for r in conn.execute(
        "insert into crm.customer (name, is_private) select %s || g, false from generate_series(1, 3000) g"
        " returning number", (f"批量{unique}-",))]
    start = int(preview[-4:])
    assert sorted(numbers) == [preview[:-4] + f"{v:04d}" for v in range(start, start + 3000)]


@pytest.fixture
def product_catalogue(admin_db, unique):
    from crm_desktop.services import product_settings as settings

    category = settings.save_category(admin_db, {"name": f"号段{unique}", "code": f"N{unique[:6].upper()}"})
    unit = settings.save_unit(admin_db, {"name": f"件{unique}"})
    return category, unit


def test_product_numbers_typed_by_hand_may_not_take_the_rules_shape(raw_connect, admin_db, product_catalogue,
                                                                    unique):
    category, unit = product_catalogue
    conn = raw_connect("zhangmc")
    assert numbering.allows_manual(admin_db, "product")
    insert = "insert into crm.product (category_id, base_unit_id, name, number) values (%s, %s, %s, %s) returning id"
    preview = conn.execute("select crm.preview_number('product', %s)", (category["code"],)).fetchone()[0]
    assert refusal(conn, insert, (category["id"], unit["id"], "占号", preview)) == "number_reserved_by_rule"
    assert refusal(conn, insert, (category["id"], unit["id"], "无段", "FH-123")) == "number_reserved_by_rule"
    own = conn.execute(insert, (category["id"], unit["id"], "自编", f"MY-{unique}")).fetchone()[0]
    drawn = conn.execute(insert, (category["id"], unit["id"], "自动", "")).fetchone()[0]
    assert conn.execute("select number from crm.product where id = %s", (drawn,)).fetchone()[0] == preview
    update = "update crm.product set number = %s where id = %s"
    assert refusal(conn, update, (f"FH-{category['code']}-999", own)) == "number_reserved_by_rule"
    assert refusal(conn, update, (" ", own)) == "number_required"
    assert refusal(conn, update, (f"MY2-{unique}", own)) is None
    with admin_db.session() as s:
        s.execute(text("update crm.numbering_rule set allows_manual = false where code = 'product'"))
    try:
        assert refusal(conn, insert, (category["id"], unit["id"], "手工", f"MY3-{unique}")) == "number_manual_not_allowed"
        assert refusal(conn, update, (f"MY4-{unique}", own)) == "number_manual_not_allowed"
        assert refusal(conn, insert, (category["id"], unit["id"], "自动", "")) is None
    finally:
        with admin_db.session() as s:
            s.execute(text("update crm.numbering_rule set allows_manual = true where code = 'product'"))


@pytest.mark.parametrize("login_name", ["dengchao", "chenjing"])
def test_only_the_modules_settings_permission_changes_the_manual_setting(raw_connect, login_name, superuser_url):
    conn = raw_connect(login_name)
    if login_name == "dengchao":  # no role: the rule is not even visible to him, so nothing changes
        assert conn.execute("update crm.numbering_rule set allows_manual = true where code = 'customer'").rowcount == 0
    else:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("update crm.numbering_rule set allows_manual = true where code = 'customer'")
    with psycopg.connect(superuser_url) as su:
        assert su.execute("select allows_manual from crm.numbering_rule where code = 'customer'").fetchone() == (False,)


def test_the_server_says_why_before_saving(login, customer_rule):
    db = login("chenjing")
    customer_rule(True)
    preview = numbering.preview(db, "customer")
    assert numbering.manual_number_refusals(db, "customer", [preview, "A-1", ""]) == {
        preview: "number_reserved_by_rule"}
    customer_rule(False)
    assert numbering.manual_number_refusals(db, "customer", ["A-1"]) == {"A-1": "number_manual_not_allowed"}


# -- the screens ----------------------------------------------------------------------------------
def test_the_rule_editor_saves_whether_numbers_may_be_typed(qtbot, login, admin_db, customer_rule):
    from crm_desktop.ui.common.numbering_rule import NumberingRuleEditor

    customer_rule(False)
    editor = NumberingRuleEditor(login("zhangmc"), "customer", "customer.settings", "客户编号", "下一个编号",
                                 with_date=True)
    qtbot.addWidget(editor)
    qtbot.waitSignal(editor.sig_loaded, timeout=WAIT).wait()
    assert editor.allows_manual.isEnabled() and not editor.allows_manual.isChecked()
    editor.allows_manual.click()
    with qtbot.waitSignal(editor.sig_saved, timeout=WAIT):
        editor.save()
    assert numbering.allows_manual(admin_db, "customer") and editor.allows_manual.isChecked()

    rep = NumberingRuleEditor(login("chenjing"), "customer", "customer.settings", "客户编号")
    qtbot.addWidget(rep)
    qtbot.waitSignal(rep.sig_loaded, timeout=WAIT).wait()
    assert rep.allows_manual.isChecked() and not rep.allows_manual.isEnabled()


def test_the_customer_form_offers_the_number_field_only_where_the_rule_allows_it(qtbot, login, customer_rule):
    from crm_desktop.ui.common.tasks import cancel_all_and_wait
    from crm_desktop.ui.customer.customer_form import CustomerForm

    for allowed in (False, True):
        customer_rule(allowed)
        form = CustomerForm(login("chenjing"), None)
        qtbot.addWidget(form)
        qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
        assert form.number.isReadOnly() is not allowed
        assert form.number.placeholderText().startswith("KH")
    assert cancel_all_and_wait(WAIT)


@pytest.fixture
def product_rule(admin_db):
    def _set(allowed: bool) -> None:
        with admin_db.session() as s:
            s.execute(text("update crm.numbering_rule set allows_manual = :a where code = 'product'"), {"a": allowed})

    yield _set
    _set(True)


def test_the_product_form_and_import_follow_the_rule(qtbot, login, product_rule):
    from crm_desktop.services import product_import
    from crm_desktop.ui.common.tasks import cancel_all_and_wait
    from crm_desktop.ui.product.product_form import ProductForm

    db = login("zhangmc")
    for allowed in (True, False):
        product_rule(allowed)
        form = ProductForm(db)
        qtbot.addWidget(form)
        qtbot.waitSignal(form.sig_loaded, timeout=WAIT).wait()
        assert form.number.isReadOnly() is not allowed
        assert product_import.load_spec(db).column("number").required is allowed
    assert cancel_all_and_wait(WAIT)


def test_the_customer_import_reports_numbers_the_rule_refuses(tmp_path, login, customer_rule, unique):
    from openpyxl import Workbook

    from crm_desktop.excel.importer import validate_file
    from crm_desktop.services.customer_import import CustomerImportSpec

    db = login("wangfang")  # 销售经理: may import customers
    preview_number = numbering.preview(db, "customer")

    def errors_of(rows):
        wb = Workbook()
        wb.active.append(["客户名称*", "客户编号"])
        for row in rows:
            wb.active.append(row)
        path = tmp_path / f"numbers{len(rows)}.xlsx"
        wb.save(path)
        return [[e.key for e in r.errors] for r in validate_file(db, CustomerImportSpec(), path).rows]

    customer_rule(False)
    assert errors_of([[f"有号{unique}", f"OWN-{unique}"], [f"无号{unique}", None]]) == [
        ["number_manual_not_allowed"], []]
    customer_rule(True)
    assert errors_of([[f"占号{unique}", preview_number], [f"自编{unique}", f"OWN-{unique}"], [f"空{unique}", None]]) == [
        ["number_reserved_by_rule"], [], []]
