"""Approval and quote benchmark (issues 11 and 12): My approvals with 100,000 open tasks in the
system, the approve call, and the quote list as a rep and as the top manager — each next to the
same query without row-level security (a superuser, the policy's arrays written out).

    .venv/bin/python benchmarks/approval_bench.py --quotes 100000 --out benchmarks/results/approval.json

Data: the demo company; N quotes (2 lines each on average is not needed for the list: 1 line each)
for demo customers, every quote pending with one open task; wangfang holds 2 % of the tasks, the
rest are spread over the other managers.  Rows arrive by INSERT … SELECT with triggers off
(superuser, session_replication_role = replica); the approve call runs the real engine.
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
from crm_desktop.admin.seed import seed_demo  # noqa: E402
from crm_desktop.admin.server import EmbeddedServer  # noqa: E402
from crm_desktop.db.connection import ServerAddress  # noqa: E402

RUNS = 25
PASSWORD = "demo1234"


def timed(conn, sql: str, params=(), runs: int = RUNS) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


def build(su: psycopg.Connection, quotes: int) -> None:
    ids = dict(su.execute("select login, id from crm.account").fetchall())
    approvers = [ids[x] for x in ("wangfang", "huangmin", "lihua", "liangyu", "songjia", "sunli", "hugang", "luobin")]
    reps = [ids[x] for x in ("chenjing", "liuyang", "yexin", "shenbo", "zhouqiang")]
    flow = su.execute("select v.id from crm.approval_flow f join crm.approval_flow_version v on v.flow_id = f.id "
                      "and v.number = f.current_version where f.name = '普通报价'").fetchone()[0]
    product, unit = su.execute("select id, base_unit_id from crm.product order by id limit 1").fetchone()
    with su.transaction():
        su.execute("set local session_replication_role = replica")
        su.execute("""insert into crm.customer (name, is_private, owner_id, department_id, number, name_initials)
                      select '基准客户' || g, true, (%s::bigint[])[1 + g %% 5], crm.main_department_of((%s::bigint[])[1 + g %% 5]),
                             'BK' || g, 'jzkh' from generate_series(1, 2000) g""", (reps, reps))
        customers = [r[0] for r in su.execute("select id from crm.customer where number like 'BK%%' order by id")]
        su.execute("""insert into crm.quote (number, handler_id, customer_id, quoted_on, valid_until, discount, line_count,
                                             total_quantity, total_amount, net_amount, discounted_total, approval_status)
                      select 'BQ-' || g, c.owner_id, c.id, date '2026-01-01' + (g %% 300), date '2027-01-01', 1, 1, 2,
                             2000, 2000, 2000, 'pending'
                        from generate_series(1, %s) g
                        join crm.customer c on c.id = (%s::bigint[])[1 + g %% 2000]""", (quotes, customers))
        su.execute("""insert into crm.quote_line (quote_id, line_no, product_id, unit_id, quantity, base_quantity,
                                                  unit_price, amount, net_amount, discounted_amount, product_name)
                      select id, 1, %s, %s, 2, 2, 1000, 2000, 2000, 2000, '基准产品' from crm.quote where number like 'BQ-%%'""",
                   (product, unit))
        su.execute("""insert into crm.approval_instance (document_type, document_id, flow_version_id, submitter_id,
                                                         owner_id, submitted_at, status, current_step, required, fingerprint)
                      select 'quote', q.id, %s, q.handler_id, q.handler_id, now() - (q.id %% 1000) * interval '1 minute',
                             'pending', 1, 1, 'x'
                        from crm.quote q where q.number like 'BQ-%%'""", (flow,))
        # 2 % of the tasks for wangfang, the rest for the other managers
        su.execute("""insert into crm.approval_task (instance_id, step_no, step_name, approver_id, created_at)
                      select i.id, 1, '销售经理审批',
                             case when i.id %% 50 = 0 then %s else (%s::bigint[])[1 + i.id %% 7] end, i.submitted_at
                        from crm.approval_instance i join crm.quote q on q.id = i.document_id and q.number like 'BQ-%%'""",
                   (approvers[0], approvers[1:]))
        su.execute("""update crm.quote q set approval_instance_id = i.id from crm.approval_instance i
                       where i.document_id = q.id and i.document_type = 'quote' and q.number like 'BQ-%%'""")
    su.execute("analyze")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/approval.json"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="approval-bench-"))
    server = EmbeddedServer(folder / "server")
    info = server.start()
    try:
        url = info.url()
        migrate(url)
        db = database_from_url(url)
        seed_demo(db)
        db.close()
        address = ServerAddress.from_url(url)
        started = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as su:
            build(su, args.quotes)
            built = time.perf_counter() - started
            open_tasks = su.execute("select count(*) from crm.approval_task where status = 'open'").fetchone()[0]
            ids = dict(su.execute("select login, id from crm.account").fetchall())
            results: dict = {"quotes": args.quotes, "open_tasks": open_tasks, "build_s": round(built, 1), "runs": RUNS}

            from crm_desktop.services import approval, quote
            # as services.approval.my_tasks sends it for an approver without delegations today
            waiting_sql = (f"select {approval._TASK_COLUMNS} {approval._TASK_JOINS} "
                           f"where t.status = 'open' and t.approver_id = {ids['wangfang']} "
                           "order by t.created_at desc, t.id desc limit 200")
            plain_waiting = waiting_sql
            with psycopg.connect(**address.connect_args("wangfang", PASSWORD), autocommit=True) as wang:
                mine = wang.execute("select crm.approval_my_open_task_count()").fetchone()[0]
                results["my_approvals"] = {"approver_open_tasks": mine,
                                           "acting_for": timed(wang, "select crm.approval_acting_for()"),
                                           "rls": timed(wang, waiting_sql),
                                           "plain": timed(su, plain_waiting),
                                           "plan": [r[0] for r in wang.execute("explain (analyze, buffers) " + waiting_sql)][-12:]}
                # the approve call: real engine, one fresh task each run (fingerprints made real first)
                tasks = [r[0] for r in su.execute(
                    "select t.id from crm.approval_task t where t.approver_id = %s and t.status = 'open' order by t.id limit %s",
                    (ids["wangfang"], RUNS))]
                with su.transaction():
                    su.execute("set local session_replication_role = replica")
                    su.execute("""update crm.approval_instance i set fingerprint = crm.quote_fingerprint(i.document_id)
                                   where i.id in (select instance_id from crm.approval_task where id = any (%s))""", (tasks,))
                times = []
                for task in tasks:
                    start = time.perf_counter()
                    wang.execute("select crm.approval_approve(%s, '')", (task,)).fetchone()
                    times.append((time.perf_counter() - start) * 1000)
                times.sort()
                results["approve_call"] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[-2], 2)}
            # the quote list (services.quote.QuotePageSource), first page and a filtered search
            wang_db = __import__("crm_desktop.db.connection", fromlist=["open_database"]).open_database(
                address, "chenjing", PASSWORD)
            src = quote.QuotePageSource(wang_db)
            first_sql, first_params = src._query([], {}, 200)
            search = quote.QuotePageSource(wang_db, quote.QuoteFilter(customer_name="基准客户12", approval_status="pending"))
            search_sql, search_params = search._query([], {}, 200)
            wang_db.close()

            def as_psycopg(sql: str, params: dict) -> tuple[str, dict]:
                import re
                return re.sub(r":([a-z_0-9]+)", r"%(\1)s", sql), params

            out = {}
            for login in ("chenjing", "zhangmc"):
                with psycopg.connect(**address.connect_args(login, PASSWORD), autocommit=True) as conn:
                    row = {}
                    for name, (sql, params) in (("first_page", (first_sql, first_params)),
                                                ("search", (search_sql, search_params))):
                        q, p = as_psycopg(sql, params)
                        row[name] = {"rls": timed(conn, q, p)}
                        owners = conn.execute("select crm.customer_owner_ids()").fetchone()[0]
                        visible = [r[0] for r in conn.execute("select id from crm.customer")]
                        plain = q.replace("from crm.quote q join crm.customer c on c.id = q.customer_id",
                                          "from crm.quote q join crm.customer c on c.id = q.customer_id "
                                          "and (q.handler_id = any (%(owners)s) or q.customer_id = any (%(visible)s))")
                        row[name]["plain"] = timed(su, plain, {**p, "owners": owners, "visible": visible})
                        row[name]["rows"] = len(conn.execute(q, p).fetchall())
                    out[login] = row
            results["quote_list"] = out
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps({k: v for k, v in results.items() if k != "my_approvals"} | {
            "my_approvals": {k: v for k, v in results["my_approvals"].items() if k != "plan"}}, ensure_ascii=False, indent=1))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
