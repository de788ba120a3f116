"""Pipeline benchmark: the sales pipeline board's two queries (per-stage count / sum / weighted sum,
and the first cards of every stage) on many opportunities, for the demo company's top manager
(zhangmc, sees everything) and a rep (chenjing), under RLS beside the plain query.

    python benchmarks/pipeline_bench.py --customers 20000 --opportunities 200000 \
        --out benchmarks/results/pipeline.json

Starts a private embedded PostgreSQL, migrates, seeds the demo company, adds N customers owned by
the demo accounts that hold a position (by COPY, crm_desktop.admin.seed_customers) and M
opportunities spread over them and over every stage (owner = the customer's owner), then times
exactly the SQL ``services/pipeline.board`` sends (its planner hint included).  The floor is the same SQL as the superuser
(no row-level security): unfiltered for the top manager, ``owner_id = me`` for the rep (the rows
a rep sees are essentially their own).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from crm_desktop.admin.cli import database_from_url  # noqa: E402
from crm_desktop.admin.migrate import migrate  # noqa: E402
from crm_desktop.admin.seed import DEMO_PASSWORD, seed_demo  # noqa: E402
from crm_desktop.admin.seed_customers import Owner, ensure_choices, insert_customers  # noqa: E402
from crm_desktop.admin.server import EmbeddedServer  # noqa: E402
from crm_desktop.db.connection import ServerAddress  # noqa: E402
from crm_desktop.services.pipeline import CARDS_SQL, HINT_LIMIT, HINT_SQL, PER_STAGE, TOTALS_SQL  # noqa: E402

_OPPORTUNITIES = """
insert into crm.opportunity (customer_id, title, stage_id, owner_id, expected_amount, starts_on, ends_on, lost_reason)
select c.id, '基准机会', st.id, c.owner_id, ((g * 7919) %% 500000 + 1000)::numeric(18,2),
       current_date - (g %% 300)::int, current_date - (g %% 300)::int + ((g * 31) %% 240)::int,
       case when st.is_lost then '基准' else '' end
  from generate_series(1::bigint, %(n)s) g
  join crm.customer c on c.id = (select min(id) from crm.customer) + (g * 104729) %% (select count(*) from crm.customer)
  join crm.opportunity_stage st on st.sort_order = (select array_agg(sort_order order by sort_order)
                                                     from crm.opportunity_stage)[1 + (g * 13) %% 6]
 where c.owner_id is not null
"""


def psycopg_sql(sql: str) -> str:
    return re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)


def params(owner_id=None) -> dict:
    return {"owner_id": owner_id, "team_id": None, "department_ids": [], "closes_from": None, "closes_to": None,
            "per_stage": PER_STAGE, "hint_owners": None, "hint_customers": None}


def hint(conn) -> dict:
    """services/pipeline.planner_hint, over psycopg."""
    owners, customers, accounts = conn.execute(psycopg_sql(HINT_SQL), {"limit": HINT_LIMIT + 1}).fetchone()
    customers = customers or []
    if len(customers) > HINT_LIMIT or len(owners or []) * 2 > accounts:
        return {}
    return {"hint_owners": list(owners or []), "hint_customers": customers}


def timed_params(conn, sql: str, p: dict, runs: int = 30) -> dict:
    conn.execute(sql, p).fetchall()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        conn.execute(sql, p).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(times[len(times) // 2], 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


def bench(url: str, address: ServerAddress, login: str, plain_own: bool) -> dict:
    totals, cards = psycopg_sql(TOTALS_SQL), psycopg_sql(CARDS_SQL)
    with psycopg.connect(**address.connect_args(login, DEMO_PASSWORD)) as conn:
        me = conn.execute("select crm.current_account()").fetchone()[0]
        hinted = {**params(), **hint(conn)}
        visible = sum(r[5] for r in conn.execute(totals, hinted).fetchall())
        shown = len(conn.execute(cards, hinted).fetchall())
        rls = {"hint": timed_params(conn, psycopg_sql(HINT_SQL), {"limit": HINT_LIMIT + 1}),
               "totals": timed_params(conn, totals, hinted), "cards": timed_params(conn, cards, hinted)}
    with psycopg.connect(url) as su:
        p = params(me if plain_own else None)
        plain = {"totals": timed_params(su, totals, p), "cards": timed_params(su, cards, p)}
    both = lambda r: round(sum(q["p50_ms"] for q in r.values()), 2)  # noqa: E731
    return {"account": login, "hinted": "hint_owners" in hinted and hinted["hint_owners"] is not None,
            "visible_opportunities": visible, "cards_shown": shown, "rls": rls, "plain": plain,
            "board_p50_ms_rls": both(rls), "board_p50_ms_plain": both(plain),
            "ratio_p50": round(both(rls) / max(both(plain), 0.001), 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--opportunities", type=int, default=200_000)
    parser.add_argument("--out", default="benchmarks/results/pipeline.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-pipeline-bench-") as folder:
        server = EmbeddedServer(Path(folder) / "server")
        info = server.start()
        try:
            url = info.url()
            migrate(url)
            db = database_from_url(url)
            seed_demo(db)
            with psycopg.connect(url, autocommit=True) as su:
                owners = [Owner(a, d) for a, d in su.execute(
                    """select ap.account_id, p.department_id from crm.account_position ap
                         join crm.position p on p.id = ap.position_id where ap.is_main""")]
            insert_customers(db, 0, args.customers, owners, ensure_choices(db))
            db.close()
            with psycopg.connect(url, autocommit=True) as su:
                su.execute("set statement_timeout = 0")
                started = time.perf_counter()
                su.execute(_OPPORTUNITIES, {"n": args.opportunities})
                insert_seconds = time.perf_counter() - started
                su.execute("vacuum analyze crm.customer")
                su.execute("vacuum analyze crm.opportunity")
                su.execute("vacuum analyze crm.contact_plan")
                total = su.execute("select count(*) from crm.opportunity").fetchone()[0]
            address = ServerAddress.from_url(url)
            result = {"customers": args.customers, "opportunities": total,
                      "insert_seconds": round(insert_seconds, 1), "per_stage": PER_STAGE,
                      "top_manager": bench(url, address, "zhangmc", plain_own=False),
                      "rep": bench(url, address, "chenjing", plain_own=True)}
        finally:
            server.stop()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
