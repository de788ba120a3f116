"""Customer archive benchmark: RLS cost, import cost and list memory on generated data.

    python benchmarks/customers_bench.py --customers 1000000 --out benchmarks/results/customers.json

Starts a private embedded PostgreSQL in a temporary folder (or uses --keep DIR to reuse one), builds
a 5-level company of 500 accounts and N customers (customers_setup.py), then measures:

* list queries (first page by newest and by name, a text search, a filtered page) as a sales rep and
  as the top manager, each next to the same query run with row-level security bypassed and the
  policy's conditions written out as literal arrays; the ratio is the cost of RLS;
* importing 100,000 rows from .xlsx through the import framework, next to the floor of parsing the
  same file with openpyxl plus a COPY of the rows;
* peak Python memory (tracemalloc) of a lazy list model scrolling the whole list: keys of every row,
  at most 2,000 decoded rows, as ui/common/lazy_model.py keeps them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import OrderedDict
from pathlib import Path

import psycopg
from sqlalchemy.dialects import postgresql

sys.path.insert(0, str(Path(__file__).resolve().parent))

from customers_setup import PASSWORD, build  # noqa: E402

from crm_desktop.admin.cli import database_from_url  # noqa: E402
from crm_desktop.admin.migrate import migrate  # noqa: E402
from crm_desktop.admin.seed import seed_demo  # noqa: E402
from crm_desktop.admin.server import EmbeddedServer  # noqa: E402
from crm_desktop.db.connection import ServerAddress, open_database  # noqa: E402
from crm_desktop.services.customer_list import CustomerFilter, CustomerPageSource  # noqa: E402

RUNS = 25
# the policy with its arrays written out for one account (what a hand-written query would say)
_EQUIVALENT = """((c.is_private and c.owner_id = any('{owners}'::bigint[])) or c.owner_id = {me}
  or c.id = any('{shared}'::bigint[]) or c.department_id = any('{scope}'::bigint[])
  or (not c.is_private and c.department_id = any('{public}'::bigint[])))"""


def sql_of(query) -> str:
    return str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def timed(conn, sql: str, runs: int = RUNS) -> dict:
    conn.execute(sql).fetchall()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


def arrays_for(address: ServerAddress, login: str) -> dict:
    with psycopg.connect(**address.connect_args(login, PASSWORD)) as conn:
        row = conn.execute("""select crm.customer_viewer(), crm.shared_customer_ids(), crm.customer_owner_ids(),
                                     crm.scope_department_ids(), crm.public_department_ids()""").fetchone()
    fmt = lambda ids: "{" + ",".join(map(str, ids)) + "}"  # noqa: E731
    return {"me": row[0], "shared": fmt(row[1]), "owners": fmt(row[2]), "scope": fmt(row[3]), "public": fmt(row[4])}


def list_queries(db) -> dict[str, str]:
    """The service's first-page queries exactly as it sends them (planner hint included)."""
    from crm_desktop.services.customer_list import planner_hint

    with db.session() as s:
        hint = planner_hint(s)
    base = CustomerPageSource(db)
    search = CustomerPageSource(db, CustomerFilter(text="北斗广告")).sorted_by("name", False)
    filtered = CustomerPageSource(db, CustomerFilter(scope="private", last_contact_from=None)).sorted_by(
        "last_contact_at", True)
    return {"first_page_newest": sql_of(base.page_query(None, 200, hint)),
            "first_page_by_name": sql_of(base.sorted_by("name", False).page_query(None, 200, hint)),
            "search_text": sql_of(search.page_query(None, 200, hint)),
            "private_by_last_contact": sql_of(filtered.page_query(None, 200, hint))}


def bypass_sql(sql: str, where: str) -> str:
    """The same query with the policy's conditions inlined, for a role that bypasses RLS: they go
    into the inner (ids) query, the only place customers are filtered."""
    sql = " ".join(sql.split()).replace("crm.customer.", "cu.").replace("FROM crm.customer ", "FROM crm.customer AS cu ")
    where = where.replace("c.", "cu.")
    inner = sql.index("(SELECT cu.id")
    w, o = sql.find(" WHERE ", inner), sql.find(" ORDER BY ", inner)
    if w != -1 and w < o:
        return sql[:w] + f" WHERE {where} AND " + sql[w + 7:]
    return sql[:o] + f" WHERE {where}" + sql[o:]


def measure_queries(address: ServerAddress, su_url: str, login: str) -> dict:
    db = open_database(address, login, PASSWORD)
    where = _EQUIVALENT.format(**arrays_for(address, login))
    out = {}
    with psycopg.connect(**address.connect_args(login, PASSWORD)) as user, psycopg.connect(su_url) as su:
        for name, sql in list_queries(db).items():
            rls = timed(user, sql)
            plain = timed(su, bypass_sql(sql, where))
            plan = user.execute(f"explain (analyze, buffers, format text) {sql}").fetchall()
            out[name] = {"rls": rls, "bypass_equivalent": plain,
                         "ratio_p50": round(rls["p50_ms"] / max(plain["p50_ms"], 0.01), 2),
                         "rows": len(user.execute(sql).fetchall()),
                         "plan": [r[0] for r in plan][-12:]}
    db.close()
    return out


def measure_import(address: ServerAddress, su_url: str, login: str, rows: int, folder: Path) -> dict:
    """100,000 rows through validate + commit, next to parse + COPY of the same file."""
    from openpyxl import Workbook, load_workbook

    from crm_desktop.excel.importer import commit_import, validate_file
    from crm_desktop.services.customer_import import CustomerImportSpec

    path = folder / "import.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户档案")
    ws.append(["客户名称*", "客户性质", "私有/公共", "客户类型", "所在地区", "电话", "手机", "联系人", "联系人手机"])
    for i in range(rows):
        ws.append([f"导入测试{i:06d}贸易有限公司", "企业", "私有" if i % 2 else "公共", "普通客户", "中国.广东省.广州",
                   f"020-{30000000 + i}", f"19{i:09d}", f"联系人{i}" if i % 3 == 0 else None,
                   f"17{i:09d}" if i % 3 == 0 else None])
    wb.save(path)
    start = time.perf_counter()
    book = load_workbook(path, read_only=True)
    parsed = [(tuple(r) + (None,) * 9)[:9] for r in book.active.iter_rows(min_row=2, values_only=True)]
    book.close()
    with psycopg.connect(su_url) as su:
        su.execute("create temp table floor_rows (name text, kind text, scope text, type text, region text, "
                   "phone text, mobile text, contact text, contact_mobile text)")
        with su.cursor().copy("copy floor_rows from stdin") as copy:
            for row in parsed:
                copy.write_row(row)
    floor = time.perf_counter() - start
    db = open_database(address, login, PASSWORD)
    start = time.perf_counter()
    preview = validate_file(db, CustomerImportSpec(), path)
    validated = time.perf_counter() - start
    written = commit_import(db, preview)
    total = time.perf_counter() - start
    db.close()
    return {"rows": rows, "written": written, "errors": len(preview.error_rows),
            "floor_parse_plus_copy_s": round(floor, 2), "validate_s": round(validated, 2),
            "import_total_s": round(total, 2), "ratio": round(total / floor, 2)}


def measure_scroll_memory(address: ServerAddress, login: str, page: int = 200, decoded: int = 2000) -> dict:
    """Scroll the whole list the way the lazy model does: all keys kept, an LRU of decoded rows."""
    db = open_database(address, login, PASSWORD)
    source = CustomerPageSource(db)
    keys: list[int] = []
    cache: OrderedDict[int, dict] = OrderedDict()
    tracemalloc.start()
    start, after = time.perf_counter(), None
    while rows := source.fetch_page(after, page):
        for row in rows:
            cache[len(keys)] = row
            keys.append(row["id"])
            if len(cache) > decoded:
                cache.popitem(last=False)
        after = source.sort_key(rows[-1])
        if len(rows) < page:
            break
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db.close()
    return {"rows": len(keys), "pages": -(-len(keys) // page), "seconds": round(time.perf_counter() - start, 1),
            "peak_mb": round(peak / 2**20, 1), "kept_mb": round(current / 2**20, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--out", default="benchmarks/results/customers.json")
    parser.add_argument("--keep", help="server folder to keep (default: a temporary one, removed)")
    parser.add_argument("--queries-only", action="store_true",
                        help="with --keep: re-measure the list queries into the existing --out file")
    args = parser.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="crm-bench-"))
    server = EmbeddedServer(folder / "server")
    info = server.start()
    try:
        url = info.url()
        address = ServerAddress.from_url(url)
        result = {"customers": args.customers, "accounts": 500, "levels": 5}
        migrate(url)
        db = database_from_url(url)
        if not _built(url):
            seed_demo(db)
            t = time.perf_counter()
            world = build(db, args.customers)
            result["generate_s"] = round(time.perf_counter() - t, 1)
        else:
            from customers_setup import World
            world = World("bm000", "br000", "bm010", args.customers)
        db.close()
        if args.queries_only:
            result = {**json.loads(Path(args.out).read_text(encoding="utf-8")), **result}
        for who, login in (("sales_rep", world.rep), ("top_manager", world.top_manager)):
            result[who] = measure_queries(address, url, login)
        if args.queries_only:
            Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
            return 0
        result["import"] = measure_import(address, url, world.importer, args.import_rows, folder)
        result["scroll_memory_top_manager"] = measure_scroll_memory(address, world.top_manager)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps({k: v for k, v in result.items()}, ensure_ascii=False, indent=1)[:4000])
    finally:
        if not args.keep:
            server.stop()
    return 0


def _built(url: str) -> bool:
    with psycopg.connect(url) as su:
        return su.execute("select to_regclass('crm.customer') is not null and "
                          "exists (select from crm.account where login = 'bm000')").fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
