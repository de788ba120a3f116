"""Excel import benchmark (issue 15): a 200,000-row customer file through the import framework,
side by side with the floor, its peak memory, and the 200,000-row error report.

    python benchmarks/excel_import_bench.py --rows 200000 --out benchmarks/results/excel_import.json

* **floor**: parsing the same file with the fastest reader available (python-calamine if
  installed, else openpyxl's streaming reader) plus one COPY of its rows into crm.customer itself,
  with its indexes (as the superuser, triggers off, rolled back afterwards).
* **import**: ``validate_file`` + ``commit_import`` as a sales manager (wangfang), in a child
  process so its peak resident memory (ru_maxrss) is the import's own.
* **error report**: the same file validated again (every row is now a duplicate), then
  ``write_error_report`` of its 200,000 error rows, timed alone.
Targets: import ≤ 1.5 × floor, peak memory ≤ 300 MB, error report ≤ 3 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_desktop.admin.cli import database_from_url  # noqa: E402
from crm_desktop.admin.migrate import migrate  # noqa: E402
from crm_desktop.admin.seed import DEMO_PASSWORD, seed_demo  # noqa: E402
from crm_desktop.admin.seed_customers import ensure_choices  # noqa: E402
from crm_desktop.admin.server import EmbeddedServer  # noqa: E402

HEADERS = ["客户名称*", "客户性质", "私有/公共", "客户类型", "所在地区", "电话", "手机", "电子邮件", "地址", "邮编",
           "联系人", "联系人手机", "备注"]
IMPORTER = "wangfang"


def write_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户档案")
    ws.append(HEADERS)
    for i in range(rows):
        ws.append([f"基准导入{i:06d}贸易有限公司", "企业", "公共", "普通客户", "中国.广东省.广州",
                   f"020-{30000000 + i}", f"19{i:09d}", f"sales{i}@example.cn", f"广州市天河路 {i} 号",
                   "510000", f"联系人{i}" if i % 3 == 0 else None, f"17{i:09d}" if i % 3 == 0 else None,
                   "批量导入基准"])
    wb.save(path)


def read_fastest(path: Path) -> tuple[str, list[tuple]]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        rows = [tuple(r) for r in book.active.iter_rows(min_row=2, values_only=True)]
        book.close()
        return "openpyxl read-only", rows
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return "python-calamine", [tuple(r) for r in sheet.to_python()[1:]]


def measure_floor(su_url: str, path: Path) -> dict:
    start = time.perf_counter()
    reader, rows = read_fastest(path)
    parsed = time.perf_counter() - start
    columns = "name, kind, is_private, phone, mobile, email, address, postcode, notes, number, name_initials"
    with psycopg.connect(su_url) as su:
        su.execute("set session_replication_role = replica")  # the table and its indexes, no triggers
        with su.cursor().copy(f"copy crm.customer ({columns}) from stdin") as copy:
            for i, r in enumerate(rows):
                copy.write_row((r[0], "company", False, r[5], r[6], r[7], r[8], str(r[9]), r[12],
                                f"FLOOR{i:07d}", ""))
        total = time.perf_counter() - start
        su.rollback()
    return {"reader": reader, "parse_s": round(parsed, 2), "parse_plus_copy_s": round(total, 2)}


def phase_import(url: str, path: Path) -> dict:
    from crm_desktop.db.connection import ServerAddress, open_database
    from crm_desktop.excel.importer import commit_import, validate_file
    from crm_desktop.services.customer_import import CustomerImportSpec

    db = open_database(ServerAddress.from_url(url), IMPORTER, DEMO_PASSWORD)
    start = time.perf_counter()
    preview = validate_file(db, CustomerImportSpec(), path)
    validated = time.perf_counter() - start
    written = commit_import(db, preview)
    total = time.perf_counter() - start
    db.close()
    return {"written": written, "errors": len(preview.error_rows), "validate_s": round(validated, 2),
            "commit_s": round(total - validated, 2), "import_total_s": round(total, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def phase_report(url: str, path: Path) -> dict:
    from crm_desktop.db.connection import ServerAddress, open_database
    from crm_desktop.excel.importer import validate_file
    from crm_desktop.excel.report import write_error_report
    from crm_desktop.services.customer_import import CustomerImportSpec

    db = open_database(ServerAddress.from_url(url), IMPORTER, DEMO_PASSWORD)
    preview = validate_file(db, CustomerImportSpec(), path)
    db.close()
    start = time.perf_counter()
    written = write_error_report(preview, path.with_name("errors.xlsx"))
    return {"error_rows": written, "report_s": round(time.perf_counter() - start, 2)}


def run_phase(name: str, url: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--url", url, "--file", str(path)],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--out", default="benchmarks/results/excel_import.json")
    parser.add_argument("--phase", choices=("import", "report"))
    parser.add_argument("--url")
    parser.add_argument("--file")
    args = parser.parse_args(argv)
    if args.phase:
        phase = phase_import if args.phase == "import" else phase_report
        print(json.dumps(phase(args.url, Path(args.file))))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="crm-excel-bench-"))
    server = EmbeddedServer(folder / "server")
    info = server.start()
    try:
        url = info.url()
        migrate(url)
        db = database_from_url(url)
        seed_demo(db)
        ensure_choices(db)
        db.close()
        path = folder / "customers.xlsx"
        start = time.perf_counter()
        write_file(path, args.rows)
        result = {"rows": args.rows, "file_mb": round(path.stat().st_size / 1e6, 1),
                  "write_file_s": round(time.perf_counter() - start, 1)}
        result["floor"] = measure_floor(url, path)
        result["import"] = run_phase("import", url, path)
        result["error_report"] = run_phase("report", url, path)
        floor = result["floor"]["parse_plus_copy_s"]
        result["ratio_import_to_floor"] = round(result["import"]["import_total_s"] / floor, 2)
        result["targets"] = {"ratio": 1.5, "peak_rss_mb": 300, "report_s": 3}
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps(result, ensure_ascii=False, indent=1))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
