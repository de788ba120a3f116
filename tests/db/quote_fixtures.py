"""Helpers shared by the approval and quote database tests: raw psycopg, as real accounts."""

from __future__ import annotations

import json
from decimal import Decimal

import psycopg


def account_id(su: psycopg.Connection, login: str) -> int:
    return su.execute("select id from crm.account where login = %s", (login,)).fetchone()[0]


def a_product(su: psycopg.Connection, offset: int = 0) -> tuple[int, int]:
    """(product id, its base unit id) of a demo product."""
    return su.execute("select id, base_unit_id from crm.product order by id offset %s limit 1", (offset,)).fetchone()


def new_customer(conn: psycopg.Connection, name: str, private: bool = True) -> int:
    return conn.execute("insert into crm.customer (name, is_private) values (%s, %s) returning id",
                        (name, private)).fetchone()[0]


def new_quote(conn: psycopg.Connection, customer: int, lines: list[tuple], discount: str = "1",
              su: psycopg.Connection | None = None) -> int:
    """lines: (product id, unit id, quantity, unit price[, line rate])."""
    with conn.transaction():
        qid = conn.execute("""insert into crm.quote (customer_id, valid_until, discount)
                              values (%s, current_date + 30, %s) returning id""",
                           (customer, Decimal(discount))).fetchone()[0]
        for n, line in enumerate(lines, 1):
            product, unit, qty, price, *rate = line
            conn.execute("""insert into crm.quote_line (quote_id, line_no, product_id, unit_id, quantity, unit_price, discount)
                            values (%s, %s, %s, %s, %s, %s, %s)""",
                         (qid, n, product, unit, Decimal(str(qty)), Decimal(str(price)),
                          Decimal(str(rate[0])) if rate else Decimal(1)))
    return qid


def save_flow(conn: psycopg.Connection, name: str, steps: list[dict], conditions: list | None = None,
              match: str = "all", priority: int = 1000, flow_id: int | None = None, version: int | None = None,
              active: bool = True) -> int:
    return conn.execute("select crm.save_approval_flow(%s, %s, 'quote', %s, %s, %s, %s, %s, %s)",
                        (flow_id, version, name, active, priority, json.dumps(conditions or []), match,
                         json.dumps(steps))).fetchone()[0]


def open_task(conn: psycopg.Connection, instance: int, approver: int) -> int | None:
    row = conn.execute("select id from crm.approval_task where instance_id = %s and approver_id = %s and status = 'open'",
                       (instance, approver)).fetchone()
    return row[0] if row else None


def constraint_of(exc: BaseException) -> str | None:
    return getattr(getattr(exc, "diag", None), "constraint_name", None)
