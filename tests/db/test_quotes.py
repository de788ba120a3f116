"""Quotes in the database (issue 12 items 1–3, 8): amounts computed by the server with the one
rounding rule, numbers from the rule, parties checked, visibility like customers (the oracle)."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import psycopg
import pytest
from quote_fixtures import a_product, account_id, constraint_of, new_customer, new_quote
from visibility_oracle import Oracle, read_world

from crm_desktop.admin.seed import ACCOUNTS
from crm_desktop.services import document_math

LOGINS = [a[0] for a in ACCOUNTS]


@pytest.fixture(scope="module")
def su(superuser_url):
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        yield conn


def refused(conn, sql, params=()):
    with pytest.raises(psycopg.Error) as info:
        conn.execute(sql, params)
    return constraint_of(info.value) or info.value.sqlstate


def _reference(lines, rate):
    """The rule computed independently here, with plain Decimal arithmetic."""
    cent = Decimal("0.01")
    amounts = [(q * p).quantize(cent, ROUND_HALF_UP) for q, p, _d in lines]
    nets = [(a * d).quantize(cent, ROUND_HALF_UP) for a, (_q, _p, d) in zip(amounts, lines)]
    total = (sum(nets) * rate).quantize(cent, ROUND_HALF_UP)
    finals = [(n * rate).quantize(cent, ROUND_HALF_UP) for n in nets]
    biggest = max(range(len(nets)), key=lambda i: (nets[i], -i))
    finals[biggest] += total - sum(finals)
    return amounts, nets, finals, total


def test_the_server_computes_every_amount_with_the_one_rule(su, raw_connect, unique):
    chen = raw_connect("chenjing")
    customer = new_customer(chen, f"金额客户{unique}")
    products = [a_product(su, i) for i in range(6)]
    rng = random.Random(20261202)
    for _round in range(12):
        count = rng.randint(1, 6)
        lines = [(Decimal(rng.randint(1, 5000)) / Decimal(rng.choice([1, 10, 100, 1000])),
                  Decimal(rng.randint(0, 2_000_000)) / Decimal(rng.choice([1, 100, 10000])),
                  Decimal(rng.randint(50, 100)) / Decimal(100)) for _ in range(count)]
        rate = Decimal(rng.randint(5000, 10000)) / Decimal(10000)
        quote = new_quote(chen, customer, [(*products[i], q, p, d) for i, (q, p, d) in enumerate(lines)],
                          discount=str(rate))
        stored = chen.execute("""select amount, net_amount, discounted_amount from crm.quote_line
                                 where quote_id = %s order by line_no""", (quote,)).fetchall()
        head = chen.execute("""select total_quantity, total_amount, net_amount, discounted_total, line_count
                               from crm.quote where id = %s""", (quote,)).fetchone()
        amounts, nets, finals, total = _reference(lines, rate)
        assert [r[0] for r in stored] == amounts
        assert [r[1] for r in stored] == nets
        assert [r[2] for r in stored] == finals
        assert head == (sum(q for q, _p, _d in lines), sum(amounts), sum(nets), total, count)
        assert sum(finals) == total
        # the form's Python mirror agrees to the cent
        figures = document_math.document_figures(lines, rate)
        assert [(f.amount, f.net_amount, f.discounted_amount) for f in figures.lines] == [tuple(r) for r in stored]
        assert figures.discounted_total == head[3]
    # changing the document discount respreads; deleting a line recomputes
    chen.execute("update crm.quote set discount = 0.9 where id = %s", (quote,))
    lines_now = chen.execute("select net_amount, discounted_amount from crm.quote_line where quote_id = %s "
                             "order by line_no", (quote,)).fetchall()
    total = chen.execute("select discounted_total from crm.quote where id = %s", (quote,)).fetchone()[0]
    assert sum(r[1] for r in lines_now) == total == (sum(r[0] for r in lines_now) * Decimal("0.9")).quantize(
        Decimal("0.01"), ROUND_HALF_UP)


def test_a_client_cannot_send_amounts_or_totals(su, raw_connect, unique):
    chen = raw_connect("chenjing")
    customer = new_customer(chen, f"总额客户{unique}")
    product, unit = a_product(su)
    quote = new_quote(chen, customer, [(product, unit, 3, "33.335")])
    for sql in ("update crm.quote set discounted_total = 1 where id = %s",
                "update crm.quote set total_amount = 1 where id = %s",
                "update crm.quote_line set amount = 1 where quote_id = %s",
                "update crm.quote_line set discounted_amount = 1 where quote_id = %s"):
        assert refused(chen, sql, (quote,)) == "42501"
    assert refused(chen, "insert into crm.quote_line (quote_id, line_no, product_id, unit_id, quantity, unit_price, amount) "
                         "values (%s, 9, %s, %s, 1, 1, 99)", (quote, product, unit)) == "42501"
    # 3 × 33.335 = 100.005 → 100.01 (half up)
    assert chen.execute("select total_amount from crm.quote where id = %s", (quote,)).fetchone()[0] == Decimal("100.01")


def test_numbers_come_from_the_rule_and_hand_typed_ones_are_refused(su, raw_connect, unique):
    chen = raw_connect("chenjing")
    customer = new_customer(chen, f"编号客户{unique}")
    product, unit = a_product(su)
    first = new_quote(chen, customer, [(product, unit, 1, "1")])
    second = new_quote(chen, customer, [(product, unit, 1, "1")])
    a, b = (chen.execute("select number from crm.quote where id = %s", (q,)).fetchone()[0] for q in (first, second))
    assert a.startswith("NO-") and len(a) == 7 and int(b[3:]) == int(a[3:]) + 1
    assert refused(chen, "insert into crm.quote (number, customer_id, valid_until) values ('NO-9999', %s, current_date)",
                   (customer,)) == "number_manual_not_allowed"


def test_parties_are_checked(su, raw_connect, unique):
    chen, liu = raw_connect("chenjing"), raw_connect("liuyang")
    mine = new_customer(chen, f"陈的客户{unique}")
    theirs = new_customer(liu, f"刘的客户{unique}")
    contact = liu.execute("insert into crm.contact (customer_id, name) values (%s, '张义') returning id",
                          (theirs,)).fetchone()[0]
    assert refused(chen, "insert into crm.quote (customer_id, valid_until) values (%s, current_date)", (theirs,)) \
        == "quote_customer_not_visible"
    assert refused(chen, "insert into crm.quote (customer_id, contact_id, valid_until) values (%s, %s, current_date)",
                   (mine, contact)) == "quote_contact_of_customer"
    liu_id = account_id(su, "liuyang")
    assert refused(chen, "insert into crm.quote (customer_id, handler_id, valid_until) values (%s, %s, current_date)",
                   (mine, liu_id)) in ("quote_handler_not_allowed", "42501")
    assert refused(chen, "insert into crm.quote (customer_id, valid_until, quoted_on) values (%s, '2020-01-01', "
                         "'2020-02-01')", (mine,)) == "quote_valid_after_quoted"
    # a quote the account sees but may not change raises instead of updating nothing
    product, unit = a_product(su)
    quote = new_quote(liu, theirs, [(product, unit, 1, "1")])
    raw_connect("admin").execute("select crm.share_customers(%s, %s)", ([theirs], [account_id(su, "chenjing")]))
    assert chen.execute("select count(*) from crm.quote where id = %s", (quote,)).fetchone()[0] == 1
    assert refused(chen, "update crm.quote set notes = 'x' where id = %s", (quote,)) == "quote_not_editable"
    assert refused(chen, "update crm.quote_line set quantity = 5 where quote_id = %s", (quote,)) == "quote_not_editable"
    assert refused(chen, "delete from crm.quote_line where quote_id = %s", (quote,)) == "quote_not_editable"
    assert refused(chen, "select crm.approval_submit('quote', %s)", (quote,)) == "approval_submit_not_allowed"
    # no lines, no submission
    empty = chen.execute("insert into crm.quote (customer_id, valid_until) values (%s, current_date) returning id",
                         (mine,)).fetchone()[0]
    assert refused(chen, "select crm.approval_submit('quote', %s)", (empty,)) == "quote_needs_lines"


@pytest.fixture(scope="module")
def demo_quotes(admin_db, su):
    from crm_desktop.admin.seed_customers import seed_demo_customers
    from crm_desktop.admin.seed_quotes import seed_demo_quotes

    seed_demo_customers(admin_db, 400)
    seed_demo_quotes(admin_db)


@pytest.fixture(scope="module")
def oracle(superuser_url, demo_quotes):
    return Oracle(read_world(superuser_url))


def test_the_demo_quotes_cover_the_rules(oracle):
    w = oracle.w
    handlers = {h for h, _c in w.quotes.values()}
    assert len(w.quotes) >= 20 and len(handlers) >= 4
    assert w.quote_participants, "some quotes are in approval"


@pytest.mark.parametrize("login", LOGINS)
def test_every_account_sees_exactly_the_quotes_the_rules_say(login, oracle, raw_connect):
    if not oracle.w.can_log_in[login]:
        return
    conn = raw_connect(login)
    seen = {r[0] for r in conn.execute("select id from crm.quote")}
    expected = oracle.quotes(login)
    assert seen == expected, f"{login}: extra {sorted(seen - expected)[:5]}, missing {sorted(expected - seen)[:5]}"
    lines = {r[0] for r in conn.execute("select distinct quote_id from crm.quote_line")}
    assert lines <= seen
