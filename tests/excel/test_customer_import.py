"""批量导入客户 with real .xlsx files: every row checked first, all valid rows or nothing written."""

from __future__ import annotations

import hashlib

import threading
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from crm_desktop.excel.importer import ImportFileError, commit_import, validate_file
from crm_desktop.excel.report import write_error_report
from crm_desktop.excel.template import write_template
from crm_desktop.messages import UserError
from crm_desktop.services import account as accounts
from crm_desktop.services import customer as svc
from crm_desktop.services import customer_settings as cs
from crm_desktop.services.customer_import import CustomerImportSpec

HEADERS = ["客户名称*", "客户性质", "私有/公共", "客户类型", "所在地区", "电话", "手机", "联系人", "联系人手机"]


@pytest.fixture(scope="module")
def base(admin_db):
    from crm_desktop.admin.seed_customers import ensure_choices

    ensure_choices(admin_db)


@pytest.fixture
def importer(admin_db, login, unique, base):
    """A fresh 销售一部 account allowed to import, logged in."""
    from crm_desktop.admin.seed import role_id
    from crm_desktop.services import org

    dept = next(d["id"] for d in org.list_departments(admin_db) if d["name"] == "销售一部")
    pos = next(p["id"] for p in org.list_positions(admin_db) if p["department_id"] == dept and p["name"] == "销售代表")
    name = f"imp{unique}"
    accounts.create_account(admin_db, {"login": name, "name": f"导入{unique[:4]}"}, "demo1234",
                            [accounts.PositionAssignment(pos, True)], [role_id(admin_db, "销售经理")])
    return login(name)


def xlsx(path, rows, headers=HEADERS, title_rows=()):
    wb = Workbook()
    ws = wb.active
    for line in title_rows:
        ws.append(line)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def counts(db):
    with db.session() as s:
        return (s.scalar(text("select count(*) from crm.customer")), s.scalar(text("select count(*) from crm.contact")))


def test_the_template_is_importable_as_it_is(tmp_path, importer):
    path = write_template(CustomerImportSpec(), tmp_path / "template.xlsx")
    headers = [c.value for c in next(load_workbook(path).active.iter_rows(max_row=1))]
    assert headers[0] == "客户名称*" and "所在地区" in headers
    with pytest.raises((ImportFileError, UserError)):
        commit_import(importer, validate_file(importer, CustomerImportSpec(), path))  # example row only


def test_valid_rows_are_imported_with_numbers_initials_and_contacts(tmp_path, importer, unique):
    # phones of this run only: 撞单 would (rightly) refuse a phone another test already gave a customer
    digits = f"{int(hashlib.sha256(unique.encode()).hexdigest(), 16) % 10**7:07d}"
    path = xlsx(tmp_path / "ok.xlsx", [
        [f"北斗导入{unique}", "企业", "私有", "重要客户", "中国.广东省.广州", f"020-8{digits}", f"138{digits}0",
         "张三", "13900139000"],
        [f"个人导入{unique}", "个人", "公共", None, "广州", None, None, None, None],
    ], title_rows=[["客户导入"], []])
    preview = validate_file(importer, CustomerImportSpec(), path)
    assert [r.errors for r in preview.rows] == [[], []]
    assert commit_import(importer, preview) == 2
    rows = {r["name"]: r for r in svc.find_duplicates(importer, f"北斗导入{unique}")}
    assert rows and svc.find_duplicates(importer, f"个人导入{unique}")
    mine = svc.get_customer(importer, next(iter(rows.values()))["id"])
    assert mine["number"].startswith("KH") and mine["name_initials"].startswith("bddr")
    assert mine["owner_id"] == importer.account_id and mine["is_private"]
    assert [c["mobile"] for c in svc.list_contacts(importer, mine["id"])] == ["13900139000"]


def test_every_bad_row_is_reported_and_only_valid_rows_are_written(tmp_path, importer, login, unique):
    visible = svc.create_customer(login("wangfang"), {"name": f"已有公共{unique}", "is_private": False})
    hidden = svc.create_customer(login("zhouqiang"), {"name": f"别人私有{unique}"})
    path = xlsx(tmp_path / "bad.xlsx", [
        [f"好的{unique}", None, None, None, None, None, None, None, None],
        [None, None, None, None, None, "020-1", None, None, None],                      # no name
        [f"类型错{unique}", None, None, "不存在的类型", None, None, None, None, None],
        [f"地区错{unique}", None, None, None, "火星.奥林匹斯山", None, None, None, None],
        [f"电话错{unique}", None, None, None, None, "abc", "12345", None, None],
        [f"重复{unique}", None, None, None, None, None, "13511112222", None, None],
        [f"重复{unique}", None, None, None, None, None, "13511112222", None, None],
        [visible["name"], None, None, None, None, None, None, None, None],               # a visible duplicate
        [hidden["name"], None, None, None, None, None, None, None, None],                # invisible: 撞单
    ])
    preview = validate_file(importer, CustomerImportSpec(), path)
    errors = {r.number: [m.key for m in r.errors] for r in preview.rows}
    assert errors[2] == [] and errors[10] == ["customer_in_archive"] and errors[3]
    assert errors[4] == errors[5] == ["customer_import_unknown_value"]
    assert errors[6] == ["field_phone_invalid", "field_mobile_invalid"]
    assert errors[7] == [] and errors[8] == ["import_duplicate_in_file"] * 2  # name and mobile repeat row 7
    assert errors[9] == ["customer_import_duplicate"]
    report = write_error_report(preview, tmp_path / "errors.xlsx")
    assert report == len(preview.error_rows) == 7
    before = counts(importer)
    assert commit_import(importer, preview) == 2
    assert counts(importer)[0] == before[0] + 2


def test_the_private_limit_is_checked_before_and_during_the_commit(tmp_path, admin_db, importer, unique):
    cs.set_private_limit(admin_db, importer.account_id, 2)
    rows = [[f"限额{i}{unique}", None, "私有", None, None, None, None, f"联系人{i}", None] for i in range(3)]
    preview = validate_file(importer, CustomerImportSpec(), xlsx(tmp_path / "limit.xlsx", rows))
    assert [m.key for m in preview.rows[2].errors] == ["customer_import_private_limit"]
    cs.set_private_limit(admin_db, importer.account_id, 1)  # another workstation lowers it meanwhile
    before = counts(admin_db)
    with pytest.raises(UserError) as err:
        commit_import(importer, preview)
    assert err.value.key == "customer_private_limit_exceeded"
    assert counts(admin_db) == before  # nothing partial: no customer, no contact


@pytest.mark.parametrize("content", [b"name,phone\nabc,123\n", b"", b"PK\x03\x04broken zip"])
def test_malformed_files_are_refused_and_write_nothing(tmp_path, importer, content):
    path = tmp_path / "malformed.xlsx"
    path.write_bytes(content)
    before = counts(importer)
    with pytest.raises(ImportFileError):
        validate_file(importer, CustomerImportSpec(), path)
    assert counts(importer) == before


def test_files_without_the_required_column_or_rows_are_refused(tmp_path, importer):
    with pytest.raises(ImportFileError) as err:
        validate_file(importer, CustomerImportSpec(), xlsx(tmp_path / "cols.xlsx", [["x"]], headers=["电话", "手机"]))
    assert err.value.key == "import_missing_columns"
    with pytest.raises(ImportFileError):
        validate_file(importer, CustomerImportSpec(), xlsx(tmp_path / "empty.xlsx", []))
    truncated = tmp_path / "truncated.xlsx"
    xlsx(truncated, [["甲"]])
    truncated.write_bytes(truncated.read_bytes()[:300])
    with pytest.raises(ImportFileError):
        validate_file(importer, CustomerImportSpec(), truncated)
    assert zipfile.is_zipfile(tmp_path / "cols.xlsx")


class _CancelDuringInsert:
    """Cancels a second after the commit reached its INSERT phase (the copy reported every row)."""

    def __init__(self, rows: int):
        self.rows, self.inserting_since, self.reports = rows, None, []

    @property
    def cancelled(self) -> bool:
        return self.inserting_since is not None and time.monotonic() - self.inserting_since > 1.0

    def raise_if_cancelled(self):
        from crm_desktop.ui.common.tasks import TaskCancelled

        if self.cancelled:
            raise TaskCancelled()

    def report(self, done, total=0):
        self.reports.append((done, total))
        if done >= self.rows and self.inserting_since is None:
            self.inserting_since = time.monotonic()


def test_cancel_while_the_insert_runs_stops_it_and_writes_nothing(tmp_path, importer, superuser_url, unique):
    """Issue 15 item 2: the INSERT after the copy ran on with no cancel (199,988 rows committed)."""
    import psycopg

    from crm_desktop.ui.common.tasks import TaskCancelled

    rows = [[f"取消{i}{unique}", None, "公共", None, None, None, None, None, None] for i in range(300)]
    preview = validate_file(importer, CustomerImportSpec(), xlsx(tmp_path / "cancel.xlsx", rows))
    before = counts(importer)
    progress, outcome = _CancelDuringInsert(len(rows)), {}

    def commit():
        try:
            outcome["count"] = commit_import(importer, preview, progress)
        except BaseException as error:  # noqa: BLE001 - the thread reports what happened
            outcome["error"] = error

    # a superuser holds SHARE on the table: the import's INSERT waits, as a long INSERT would run
    with psycopg.connect(superuser_url, autocommit=False) as locker:
        locker.execute("lock table crm.customer in share mode")
        worker = threading.Thread(target=commit)
        worker.start()
        worker.join(timeout=8)
    worker.join(timeout=30)
    assert isinstance(outcome.get("error"), TaskCancelled), outcome
    assert counts(importer) == before
    assert [done for done, _t in progress.reports][-1] == len(rows)  # progress moved into the insert phase


def test_the_template_offers_the_lists_as_drop_downs_and_explains_every_column(tmp_path, importer):
    """Issue 15 item 10: only 客户性质 and 私有/公共 had drop-downs."""
    from crm_desktop.excel.template import LISTS_SHEET
    from crm_desktop.services.customer_import import load_spec

    wb = load_workbook(write_template(load_spec(importer), tmp_path / "template.xlsx"))
    sheet = wb.active
    letters = {c.value.rstrip("*"): c.column_letter for c in sheet[1]}
    listed = {str(v.sqref).split(":")[0][:-1] for v in sheet.data_validations.dataValidation}
    for header in ("客户类型", "客户类别", "客户来源", "行业", "所在地区", "私有/公共", "客户性质"):
        assert letters[header] in listed, header
    types = [wb[LISTS_SHEET][f"{letters['客户类型']}{i}"].value for i in (1, 2)]
    assert all(types) and set(types) <= {c["name"] for c in cs.list_choices(importer, "type")}
    notes = [[c.value for c in row] for row in wb["说明"].iter_rows()]
    assert any(row[0] == "电话" and "区号" in (row[2] or "") for row in notes)
