"""What the UKey verifier check costs inside crm.current_account() (0017_account_management).

    python benchmarks/ukey_identity_bench.py --out benchmarks/results/ukey_identity.json

Starts a private embedded PostgreSQL, migrates and seeds the demo company, adds two ordinary reps
of 销售二部 — one with a plain password, one bound to a UKey — and 2,000 customers owned by each (interleaved),
then measures, logged in as each rep with its own password:

* one call of ``crm.current_account()`` and of ``crm.has_permission('customer.create')`` (which
  calls it), timed as 20,000 calls inside one statement, next to 0008's definition without the check;
* the customer list's first page (200 rows, newest first) and one customer by id: the policy's
  helpers call the identity a few times per statement (InitPlans), which is where a user would
  notice.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm_desktop.admin.cli import database_from_url  # noqa: E402
from crm_desktop.admin.migrate import migrate  # noqa: E402
from crm_desktop.admin.seed import role_id, seed_demo  # noqa: E402
from crm_desktop.admin.server import EmbeddedServer  # noqa: E402
from crm_desktop.db.scram import scram_verifier  # noqa: E402
from crm_desktop.services import account as accounts  # noqa: E402

CALLS = 20_000
RUNS = 100
PASSWORD = "bench-pass-1"
DERIVED = "bench-card-derived-1"

# 0008's definition, for comparison: the same lookup without the UKey condition
OLD_IDENTITY = """
create function crm.bench_current_account_0008() returns bigint
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
    select id from crm.account where login = session_user collate "default" and deleted_at is null
$$;
alter function crm.bench_current_account_0008() owner to crm_definer;
grant execute on function crm.bench_current_account_0008() to crm_user;
"""


def per_call_us(conn, expression: str) -> float:
    sql = f"select count({expression}) from generate_series(1, {CALLS})"
    conn.execute(sql).fetchall()  # warm the plan caches
    best = min(_seconds(conn, sql) for _ in range(5))
    return round(best / CALLS * 1e6, 2)


def _seconds(conn, sql: str) -> float:
    start = time.perf_counter()
    conn.execute(sql).fetchall()
    return time.perf_counter() - start


def statement_ms(conn, sql: str) -> dict:
    conn.execute(sql).fetchall()
    times = sorted(_seconds(conn, sql) * 1000 for _ in range(RUNS))
    return {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(RUNS * 0.95)], 3),
            "rows": len(conn.execute(sql).fetchall())}


def arrange(url: str) -> dict[str, tuple[str, int, str]]:
    db = database_from_url(url)
    try:
        seed_demo(db)
        with psycopg.connect(url) as su:
            position = su.execute("""select p.id from crm.position p join crm.department d on d.id = p.department_id
                                     where d.name = '销售二部' and p.name = '销售代表'""").fetchone()[0]
        made = {}
        for kind, login in (("plain", "benchplain"), ("ukey", "benchukey")):
            account_id = accounts.create_account(db, {"login": login, "name": kind}, PASSWORD,
                                                 [accounts.PositionAssignment(position, True)],
                                                 [role_id(db, "普通用户")])
            made[kind] = (login, account_id, PASSWORD)
    finally:
        db.close()
    with psycopg.connect(url, autocommit=True) as su:
        su.execute(OLD_IDENTITY)
        login, account_id, _ = made["ukey"]
        su.execute("select crm.bind_ukey(%s, %s, %s)", (account_id, "ab" * 32, scram_verifier(DERIVED)))
        made["ukey"] = (login, account_id, DERIVED)
        # interleaved, so both accounts' first pages read the same index stretch
        su.execute("""insert into crm.customer (name, owner_id, is_private)
                      select 'bench ' || g, case when g %% 2 = 0 then %s else %s end, true
                        from generate_series(1, 4000) g""", (made["plain"][1], made["ukey"][1]))
        su.execute("analyze")
    return made


def measure(conn) -> dict:
    return {
        "current_account_us": per_call_us(conn, "crm.current_account()"),
        "current_account_0008_us": per_call_us(conn, "crm.bench_current_account_0008()"),
        "has_permission_us": per_call_us(conn, "crm.has_permission('customer.create')"),
        "customer_first_page": statement_ms(conn, "select id, name from crm.customer order by id desc limit 200"),
        "one_customer_by_id": statement_ms(conn, "select name from crm.customer where id = "
                                                 "(select min(id) from crm.customer)"),
    }


def best_of(samples: list[dict]) -> dict:
    first = samples[0]
    return {key: (best_of([s[key] for s in samples]) if isinstance(first[key], dict) else min(s[key] for s in samples))
            for key in first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="benchmarks/results/ukey_identity.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedServer(Path(folder) / "server")
        info = server.start()
        try:
            url = info.url()
            migrate(url)
            made = arrange(url)
            result = {"calls_per_sample": CALLS, "statement_runs": RUNS}
            with psycopg.connect(url) as su:
                result["server_version"] = su.execute("show server_version").fetchone()[0]
            address = info.url().split("@", 1)[1]
            host, rest = address.split(":", 1)
            port, database = rest.split("/", 1)
            rounds = []
            for _round in range(3):  # alternate the two accounts; the best of each figure counts
                for kind, (login, _id, password) in made.items():
                    with psycopg.connect(host=host, port=int(port), dbname=database, user=login,
                                         password=password) as conn:
                        assert conn.execute("select crm.current_account()").fetchone()[0] is not None
                        rounds.append((kind, measure(conn)))
            for kind in made:
                result[kind] = best_of([m for k, m in rounds if k == kind])
        finally:
            server.stop()
    plain, ukey = result["plain"], result["ukey"]
    result["ukey_extra_per_identity_call_us"] = round(ukey["current_account_us"] - plain["current_account_us"], 2)
    result["ukey_first_page_ratio_p50"] = round(ukey["customer_first_page"]["p50_ms"]
                                                / plain["customer_first_page"]["p50_ms"], 3)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
