"""Mutation testing of the schema: break each rule on purpose and see whether a test notices.

    python benchmarks/schema_mutations.py --out benchmarks/results/schema_mutations.json
    python benchmarks/schema_mutations.py --tables customer,contact --before tests/security/test_write_oracle.py

Starts a private embedded PostgreSQL (or reuses --keep DIR), migrates it and seeds the demo company
(with 400 demo customers) into a template database, then for each mutant

* a policy expression (USING or WITH CHECK) replaced by ``true`` and by ``false``,
* a CHECK constraint dropped,
* a guard of a function removed (its n-th ``raise exception …;`` replaced by ``null;``),

clones the template (``CREATE DATABASE … TEMPLATE``, a second or so; the database-level grants and
settings are copied, as CREATE DATABASE does not), applies the mutation as the superuser and runs
pytest with ``-x`` on the tests of tests/db and tests/security that name the mutated table, function
or constraint, pointed at the clone (``CRM_TEST_DATABASE_URL``, tests/conftest.py).  A failing test
kills the mutant; a mutant whose tests all pass survived.  ``--before FILES`` also runs each mutant
without those test files (the tests added by issue 17), so the JSON shows killed/survived before and
after them.  Survivors that cannot matter are explained in SURVIVORS_EXPLAINED and counted apart.

Not in the suite (it takes hours for every object); ``--tables`` narrows the objects, ``--limit`` the
number of mutants.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crm_desktop.admin.cli import database_from_url  # noqa: E402
from crm_desktop.admin.migrate import migrate  # noqa: E402
from crm_desktop.admin.seed import seed_demo  # noqa: E402
from crm_desktop.admin.seed_customers import seed_demo_customers  # noqa: E402
from crm_desktop.admin.server import EmbeddedServer  # noqa: E402

TEMPLATE = "crm"
TEST_POOL = sorted(str(p.relative_to(ROOT)) for d in ("tests/db", "tests/security")
                   for p in (ROOT / d).glob("test_*.py"))
# files that start their own servers or measure time: no use against a mutant
NOT_AGAINST_A_CLONE = {"tests/db/test_migrations.py", "tests/db/test_definitions.py",
                       "tests/security/test_lan_tls.py", "tests/security/test_login_probe.py",
                       "tests/security/test_locks.py"}

# mutant id → why its survival cannot matter
SURVIVORS_EXPLAINED = {
    "policy:crm.contact_plan:followers and whoever may change the customer change contact pl:using:true":
        "an UPDATE with a WHERE clause reads its rows through the SELECT policy as well, so USING (true) exposes "
        "no hidden plan; a visible plan one may not change is refused by crm.contact_plan_refuse_foreign_write",
    "policy:crm.customer:accounts add customers they may change:check:true":
        "crm.customer_guard_owner (a BEFORE INSERT trigger) makes the filer the owner of every new customer, "
        "and the policy's clause 'owner_id = the viewer' is then always true: the guard is the rule",
}


@dataclass
class Mutant:
    id: str
    kind: str  # policy / check / guard
    table: str  # the table it concerns (a guard: the function's name)
    sql: str  # what turns the clone into the mutant
    keywords: tuple[str, ...]  # a test file naming one of these touches the object


def policy_mutants(su: psycopg.Connection) -> list[Mutant]:
    out = []
    rows = su.execute("""select c.relname, p.polname, p.polqual is not null, p.polwithcheck is not null
                           from pg_policy p join pg_class c on c.oid = p.polrelid
                           join pg_namespace n on n.oid = c.relnamespace
                          where n.nspname = 'crm' order by c.relname, p.polname""").fetchall()
    for table, name, has_using, has_check in rows:
        for clause, present in (("using", has_using), ("check", has_check)):
            if not present:
                continue
            for value in ("true", "false"):
                sql = (f'alter policy "{name}" on crm."{table}" '
                       f'{"using" if clause == "using" else "with check"} ({value})')
                out.append(Mutant(f"policy:crm.{table}:{name}:{clause}:{value}", "policy", table, sql, (table,)))
    return out


def check_mutants(su: psycopg.Connection) -> list[Mutant]:
    rows = su.execute("""select c.relname, k.conname from pg_constraint k join pg_class c on c.oid = k.conrelid
                          join pg_namespace n on n.oid = c.relnamespace
                         where n.nspname = 'crm' and k.contype = 'c' order by 1, 2""").fetchall()
    return [Mutant(f"check:crm.{t}:{name}", "check", t, f'alter table crm."{t}" drop constraint "{name}"',
                   (t, name)) for t, name in rows]


RAISE = re.compile(r"raise\s+exception\b.*?;", re.IGNORECASE | re.DOTALL)


def guard_mutants(su: psycopg.Connection) -> list[Mutant]:
    out = []
    rows = su.execute("""select p.oid, p.proname, pg_get_functiondef(p.oid) from pg_proc p
                           join pg_namespace n on n.oid = p.pronamespace
                          where n.nspname in ('crm', 'crm_meta') and p.prokind = 'f'
                            and p.prosrc ~* 'raise\\s+exception' order by p.proname, p.oid""").fetchall()
    for _oid, name, text in rows:
        tables = {r[0] for r in su.execute(
            """select distinct c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid
                where t.tgfoid = %s and not t.tgisinternal""", (_oid,))}
        for n, match in enumerate(RAISE.finditer(text)):
            key = re.search(r"message\s*=\s*'([a-z_]+)'", match.group(0))
            mutated = text[:match.start()] + "null;" + text[match.end():]
            label = key.group(1) if key else f"raise {n}"
            out.append(Mutant(f"guard:crm.{name}:{n}:{label}", "guard", name, mutated,
                              (name, *(tables or ()), *((key.group(1),) if key else ()))))
    return out


def tests_for(mutant: Mutant, pool: list[str]) -> list[str]:
    """The test files naming a keyword, themselves or in a helper module of tests/ they import (the
    write oracle's rules live in tests/write_oracle.py, not in its test file)."""
    chosen = []
    for path in pool:
        text = (ROOT / path).read_text()
        for helper in re.findall(r"^from (\w+) import", text, re.MULTILINE):
            if (ROOT / "tests" / f"{helper}.py").exists():
                text += (ROOT / "tests" / f"{helper}.py").read_text()
        if any(re.search(rf"\b{re.escape(k)}\b", text) for k in mutant.keywords):
            chosen.append(path)
    return chosen


def clone(su: psycopg.Connection, name: str) -> None:
    su.execute(f'drop database if exists "{name}" with (force)')
    su.execute(f'create database "{name}" template "{TEMPLATE}"')
    # what CREATE DATABASE does not copy: the database's grants and its per-database settings
    su.execute(f'revoke all on database "{name}" from public')
    su.execute(f'grant connect, temporary on database "{name}" to crm_user')
    for (setting,) in su.execute("""select unnest(s.setconfig) from pg_db_role_setting s
                                     join pg_database d on d.oid = s.setdatabase
                                    where d.datname = %s and s.setrole = 0""", (TEMPLATE,)).fetchall():
        key, value = setting.split("=", 1)
        su.execute(sql.SQL("alter database {} set {} = {}").format(
            sql.Identifier(name), sql.Identifier(key), sql.Literal(value)))


def run_tests(url: str, files: list[str], timeout: int) -> tuple[str, str, float]:
    """('killed'|'survived'|'timeout', the first failing test, seconds)."""
    if not files:
        return "survived", "no test names it", 0.0
    env = dict(os.environ, CRM_TEST_DATABASE_URL=url, QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                               "-p", "no:randomly", "--timeout", "300", *files],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed", "timeout (a mutant that hangs a test is noticed)", time.monotonic() - started
    took = time.monotonic() - started
    failed = re.search(r"^(FAILED|ERROR) (\S+)", done.stdout, re.MULTILINE)
    if done.returncode == 0:
        return "survived", "", took
    if done.returncode == 5:
        return "survived", "no test collected", took
    if done.returncode not in (1,):  # 2-4: interrupted, internal or usage error — not a verdict
        return "error", done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:], took
    return "killed", failed.group(2) if failed else done.stdout.strip().splitlines()[-1], took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/schema_mutations.json"))
    ap.add_argument("--keep", help="reuse the embedded server in this folder")
    ap.add_argument("--tables", help="only mutants of these tables / functions (comma-separated)")
    ap.add_argument("--kinds", default="policy,check,guard")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--ids", help="only mutants whose id contains one of these (separated by '|')")
    ap.add_argument("--tests", help="the test files to choose from (comma-separated; default tests/db, tests/security)")
    ap.add_argument("--before", help="test files added by issue 17: each mutant also runs without them")
    ap.add_argument("--timeout", type=int, default=900, help="seconds for one mutant's tests")
    args = ap.parse_args()

    server = EmbeddedServer(args.keep or Path(tempfile.mkdtemp(prefix="crm-mutants-")) / "server")
    info = server.start()
    url = info.url(TEMPLATE)
    migrate(url)
    db = database_from_url(url)
    try:
        seed_demo(db)
        seed_demo_customers(db, 400)
    finally:
        db.close()
    with psycopg.connect(url, autocommit=True) as su:
        kinds = set(args.kinds.split(","))
        mutants = ((policy_mutants(su) if "policy" in kinds else []) + (check_mutants(su) if "check" in kinds else [])
                   + (guard_mutants(su) if "guard" in kinds else []))
    if args.tables:
        wanted = set(args.tables.split(","))
        mutants = [m for m in mutants if m.table in wanted]
    if args.ids:
        mutants = [m for m in mutants if any(part in m.id for part in args.ids.split("|"))]
    if args.limit:
        mutants = mutants[:args.limit]
    pool = args.tests.split(",") if args.tests else [p for p in TEST_POOL if p not in NOT_AGAINST_A_CLONE]
    new_files = set(args.before.split(",")) if args.before else set()
    results: list[dict] = []
    started = time.monotonic()

    def tally(phase):
        rows = [r for r in results if phase in r]
        return {"killed": sum(r[phase]["verdict"] == "killed" for r in rows),
                "survived": sum(r[phase]["verdict"] == "survived" for r in rows),
                "survived_explained": sum(r[phase]["verdict"] == "survived" and bool(r["explained"]) for r in rows)}

    def write(complete: bool) -> dict:
        out = {"what": "schema mutants (policy expression → true/false, CHECK dropped, guard removed) against "
                       "the tests of tests/db and tests/security that name the mutated object",
               "selection": {"tables": args.tables or "all", "kinds": sorted(kinds), "limit": args.limit or None,
                             "ids": args.ids, "tests": pool if args.tests else "tests/db + tests/security",
                             "new_tests": sorted(new_files)},
               "complete": complete, "mutants_selected": len(mutants),
               "seconds": round(time.monotonic() - started),
               "before": tally("before") if new_files else None, "after": tally("after"),
               "survivors": [r["id"] for r in results if r["after"]["verdict"] == "survived"],
               "mutants": results}
        Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return out

    with psycopg.connect(info.url("postgres"), autocommit=True) as su_main:
        for i, m in enumerate(mutants, 1):
            # the new tests first: with -x a killed mutant then stops early
            files = sorted(tests_for(m, pool), key=lambda f: f not in new_files)
            row = {**asdict(m), "tests": files}
            row.pop("sql")
            for phase, chosen in (("before", [f for f in files if f not in new_files]), ("after", files)):
                if phase == "before" and not new_files:
                    continue
                clone(su_main, "crm_mutant")
                mutant_url = info.url("crm_mutant")
                with psycopg.connect(mutant_url, autocommit=True) as mc:
                    mc.execute(m.sql)
                verdict, why, took = run_tests(mutant_url, chosen, args.timeout)
                row[phase] = {"verdict": verdict, "by": why, "seconds": round(took, 1)}
            row["explained"] = SURVIVORS_EXPLAINED.get(m.id, "")
            results.append(row)
            write(complete=False)  # a long run can be read while it goes on
            print(f"[{i}/{len(mutants)}] {m.id}: " + ", ".join(f"{p} {row[p]['verdict']} {row[p]['by']}"
                                                                 for p in ("before", "after") if p in row), flush=True)
        su_main.execute('drop database if exists "crm_mutant" with (force)')
    out = write(complete=True)
    print(json.dumps({k: out[k] for k in ("before", "after", "survivors")}, ensure_ascii=False, indent=1))
    if not args.keep:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
