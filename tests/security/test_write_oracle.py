"""Writes, both directions: for every demo account × table × insert/update/delete, the write oracle
(tests/write_oracle.py) says what the rules allow, and the account — logged in with its own password
on a raw psycopg connection — must succeed at the allowed write and be refused, *with an error*, at
the forbidden one on a row it can see.  Each case runs in a transaction that is rolled back."""

from __future__ import annotations

import psycopg
import pytest
from write_oracle import OK, REFUSED, RULES, WriteOracle, judge, run_case

from crm_desktop.admin.seed import ACCOUNTS

LOGINS = [a[0] for a in ACCOUNTS]


@pytest.fixture(scope="module")
def oracle(superuser_url, admin_db):
    from crm_desktop.admin.seed_customers import seed_demo_customers

    seed_demo_customers(admin_db, 400)
    return WriteOracle(superuser_url)


@pytest.mark.parametrize("login", LOGINS)
def test_every_write_of_every_account_is_allowed_or_refused_as_the_rules_say(login, oracle, raw_connect):
    if login not in {oracle.login_of(a) for a in oracle.active}:
        with pytest.raises(psycopg.OperationalError):
            raw_connect(login)
        return
    conn = raw_connect(login)
    complaints = [m for case in oracle.cases(login)
                  if (m := judge(case, *run_case(conn, case))) is not None]
    assert not complaints, f"{login}:\n" + "\n".join(complaints)


def test_the_cases_cover_both_directions_of_every_table_and_command(oracle):
    seen = {(c.table, c.op, c.expect) for login in LOGINS if login != "dengchao" for c in oracle.cases(login)}
    for table in RULES:
        ops = {op for t, op, _e in seen if t == table}
        assert ops, table
        for op in ops:
            if table in ("crm.customer_history",) or (table, op) in (("crm.contact_plan", "delete"),
                                                                     ("crm.customer_share", "update")):
                assert (table, op, REFUSED) in seen  # nobody may: refused for everyone
                continue
            assert {(table, op, OK), (table, op, REFUSED)} <= seen, (table, op)

