"""Standby failover benchmark: replication lag under load, time from the primary's death to a
working client, and commits lost — with and without ``--sync``.

    python benchmarks/failover_bench.py --rounds 3 --writers 4 --out benchmarks/results/failover.json

Each round builds two embedded servers on 127.0.0.1 (a migrated primary and a standby made by
``crm-admin server standby``), streams commits on the primary from ``--writers`` connections for
``--seconds`` while sampling ``pg_stat_replication``, kills the primary with SIGKILL (postmaster and
backends), promotes the standby and times a client whose profile lists both hosts until its pool
works again (tests/failover_drill.py).  The floor of "time to a working client" is the promote
itself (``pg_ctl promote -w``), reported beside it.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from failover_drill import ACCOUNT, PASSWORD, drill, make_pair  # noqa: E402


def one_round(sync: bool, seconds: float, writers: int, backup_file: Path | None) -> dict:
    from crm_desktop.services.auth import log_in

    root = Path(tempfile.mkdtemp(prefix="crm-failover-bench-"))
    pair = make_pair(root, sync=sync, backup_file=backup_file)
    try:
        client = log_in(pair.both_hosts, ACCOUNT, PASSWORD)
        try:
            return drill(pair, client, load_seconds=seconds, writers=writers)
        finally:
            client.close()
    finally:
        pair.stop()
        shutil.rmtree(root, ignore_errors=True)


def summary(rounds: list[dict]) -> dict:
    def med(key):
        return round(statistics.median(r[key] for r in rounds), 3)

    return {"rounds": len(rounds), "commits_acknowledged_total": sum(r["commits_acknowledged"] for r in rounds),
            "acknowledged_but_lost_total": sum(r["acknowledged_but_lost"] for r in rounds),
            "acknowledged_but_lost_max": max(r["acknowledged_but_lost"] for r in rounds),
            "commits_per_second_median": med("commits_per_second"),
            "replay_lag_ms_median": med("replay_lag_ms_median"), "replay_lag_ms_max": max(r["replay_lag_ms_max"] for r in rounds),
            "bytes_behind_max": max(r["bytes_behind_max"] for r in rounds),
            "promote_seconds_median": med("promote_seconds"),
            "kill_to_working_client_seconds_median": med("kill_to_working_client_seconds"),
            "kill_to_working_client_seconds_max": max(r["kill_to_working_client_seconds"] for r in rounds)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="commit stream before the kill")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--from-backup", type=Path, help="build each primary by restoring this backup (faster)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "failover.json")
    args = parser.parse_args()
    started = time.time()
    results = {}
    for mode, sync in (("sync", True), ("async", False)):
        rounds = []
        for n in range(args.rounds):
            figures = one_round(sync, args.seconds, args.writers, args.from_backup)
            print(mode, n + 1, json.dumps(figures), flush=True)
            rounds.append(figures)
        results[mode] = {"summary": summary(rounds), "rounds": rounds}
    report = {"benchmark": "failover", "date": time.strftime("%Y-%m-%d"), "machine": platform.platform(),
              "cpus": __import__("os").cpu_count(), "writers": args.writers, "stream_seconds": args.seconds,
              "note": "two embedded PostgreSQL servers on 127.0.0.1; SIGKILL of the primary's postmaster and backends "
                      "mid-stream; floor of the client's return = promote_seconds",
              **results, "wall_seconds": round(time.time() - started, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps({k: v["summary"] for k, v in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
