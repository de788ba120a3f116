"""Follow-up benchmark: the reminders query for one account on many contact plans, and the reminder
agent sending due e-mails to a local SMTP server.

    python benchmarks/followup_bench.py --customers 100000 --plans 1000000 --emails 10000 \
        --out benchmarks/results/followup.json

Starts a private embedded PostgreSQL, builds the 500-account company of customers_setup.py with N
customers, spreads the plans over the customers' owners (planned within ±60 days), then measures:

* ``crm.my_reminders`` (what the reminders dock runs) as a sales rep, next to the plain query on
  the same rows as the superuser without row-level security — the ratio is the cost of RLS;
* the agent's e-mail job sending E due reminders to an aiosmtpd server on 127.0.0.1 (plain SMTP,
  no TLS: the SMTP handshake is not what is measured), messages per second.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from customers_bench import timed  # noqa: E402
from customers_setup import PASSWORD, build  # noqa: E402

from crm_desktop.admin.cli import database_from_url  # noqa: E402
from crm_desktop.admin.migrate import migrate  # noqa: E402
from crm_desktop.admin.seed import seed_demo  # noqa: E402
from crm_desktop.admin.server import EmbeddedServer  # noqa: E402
from crm_desktop.db.connection import ServerAddress  # noqa: E402

_PLANS = """
insert into crm.contact_plan (customer_id, account_id, planned_at, subject, created_by)
select c.id, c.owner_id, now() + ((g * 7919) %% 120 - 60) * interval '1 day' + (g %% 24) * interval '1 hour',
       '电话回访', c.owner_id
  from generate_series(1::bigint, %(plans)s) g
  join crm.customer c on c.id = (select min(id) from crm.customer) + (g * 104729) %% %(customers)s
 where c.owner_id is not null
"""

_PLAIN = """select p.id, p.customer_id, c.name, coalesce(k.name, ''), p.planned_at, p.way, p.subject, coalesce(a.name, '')
  from crm.contact_plan p join crm.customer c on c.id = p.customer_id
  left join crm.contact k on k.id = p.contact_id left join crm.account a on a.id = p.created_by
 where p.account_id = {me} and not p.done and p.planned_at < now() + interval '7 days'
 order by p.planned_at, p.id"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_reminders(url: str, address: ServerAddress, rep: str) -> dict:
    with psycopg.connect(**address.connect_args(rep, PASSWORD)) as conn:
        me = conn.execute("select crm.customer_viewer()").fetchone()[0]
        rows = len(conn.execute("select * from crm.my_reminders(now() + interval '7 days')").fetchall())
        rls = timed(conn, "select * from crm.my_reminders(now() + interval '7 days')")
    with psycopg.connect(url) as su:
        plain = timed(su, _PLAIN.format(me=me))
    return {"account": rep, "rows": rows, "rls": rls, "plain": plain,
            "ratio_p50": round(rls["p50_ms"] / max(plain["p50_ms"], 0.001), 2)}


def bench_agent(url: str, emails: int) -> dict:
    from aiosmtpd.controller import Controller

    from crm_desktop.agent.reminders import EmailReminderJob

    class Count:
        n = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            Count.n += 1
            return "250 OK"

    port = _free_port()
    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with psycopg.connect(url, autocommit=True) as su:
            su.execute("update crm.account set email = login || '@bench.example'")
            su.execute("update crm.reminder_setting set email_enabled = true, smtp_host = '127.0.0.1', "
                       "smtp_port = %s, smtp_security = 'none', sender = 'crm@bench.example'", (port,))
            su.execute("delete from crm.reminder_delivery")
            su.execute("""update crm.contact_plan set remind_email = true, remind_minutes = 0
                           where id in (select id from crm.contact_plan where planned_at < now() and not done
                                        order by id limit %s)""", (emails,))
            due = su.execute("select count(*) from crm.reminder_delivery where status = 'pending' "
                             "and next_attempt_at <= now()").fetchone()[0]
        start = time.perf_counter()
        status = EmailReminderJob().run(url)
        seconds = time.perf_counter() - start
    finally:
        controller.stop()
    return {"due": due, "received": Count.n, "status": status, "seconds": round(seconds, 2),
            "per_second": round(Count.n / seconds, 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--plans", type=int, default=1_000_000)
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--out", default="benchmarks/results/followup.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-followup-bench-") as folder:
        server = EmbeddedServer(Path(folder) / "server")
        info = server.start()
        try:
            url = info.url()
            migrate(url)
            db = database_from_url(url)
            seed_demo(db)
            world = build(db, args.customers)
            db.close()
            with psycopg.connect(url, autocommit=True) as su:
                su.execute("set statement_timeout = 0")
                started = time.perf_counter()
                su.execute(_PLANS, {"plans": args.plans, "customers": args.customers})
                plans_seconds = time.perf_counter() - started
                su.execute("vacuum analyze crm.contact_plan")
                plans = su.execute("select count(*) from crm.contact_plan").fetchone()[0]
            address = ServerAddress.from_url(url)
            result = {"customers": args.customers, "plans": plans, "plans_insert_seconds": round(plans_seconds, 1),
                      "reminders_rep": bench_reminders(url, address, world.rep),
                      "reminders_top_manager": bench_reminders(url, address, world.top_manager),
                      "agent_email": bench_agent(url, args.emails)}
        finally:
            server.stop()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
