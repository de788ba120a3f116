"""批量导入客户: the customer import as an ImportSpec on the shared framework (excel/importer.py).

Every row is checked before anything is written: required name, known type / category / source /
industry / region, phone and e-mail format, duplicates within the file (name, mobile) and against
the customers the importing account can see (name, phone, mobile), hand-typed numbers against the
customer numbering rule, and the private customer limit.
``commit`` writes all valid rows and their contacts in one transaction; PostgreSQL's policies and
the private-limit trigger check again, so a file that races another workstation fails whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from crm_desktop import validators
from crm_desktop.excel.cells import choice, field
from crm_desktop.excel.cells import text as text_cell
from crm_desktop.excel.importer import ImportColumn, ImportRow, ImportSpec, cancellable, copy_rows, insert_in_chunks
from crm_desktop.services import numbering
from crm_desktop.services.customer import (archive_duplicate, customers_in_archive, name_initials, name_pinyin,
                                           private_customer_status, user_errors)
from crm_desktop.services.customer_settings import LISTS, list_choices, list_regions

KINDS = {"企业": "company", "个人": "individual"}
SCOPES = {"私有": True, "公共": False}

_COPY_COLUMNS = [("line", "integer"), ("kind", "text"), ("is_private", "boolean"), ("number", "text"),
                 ("name", "text"), ("name_initials", "text"), ("name_pinyin", "text"), ("type_id", "bigint"), ("category_id", "bigint"),
                 ("region_id", "bigint"), ("source_id", "bigint"), ("industry_id", "bigint"), ("phone", "text"),
                 ("mobile", "text"), ("fax", "text"), ("email", "text"), ("website", "text"), ("address", "text"),
                 ("postcode", "text"), ("notes", "text"), ("contact_name", "text"), ("contact_title", "text"),
                 ("contact_mobile", "text"), ("customer_id", "bigint")]
_CUSTOMER_COLUMNS = [n for n, _t in _COPY_COLUMNS
                     if n not in ("line", "customer_id") and not n.startswith("contact_")]


@dataclass
class _Context:
    choices: dict[str, dict[str, int]]  # list kind -> name -> id
    regions: dict[str, int]  # full path and unambiguous leaf name -> id


def _col(header: str, field: str, **kw: Any) -> ImportColumn:
    return ImportColumn(header, field, **kw)


def customer_columns(lists: dict[str, tuple[str, ...]]) -> tuple[ImportColumn, ...]:
    return (
        _col("客户名称", "name", required=True, parse=text_cell(200), example="北斗广告有限公司", width=28),
        _col("客户性质", "kind", parse=choice(tuple(KINDS)), choices=tuple(KINDS), example="企业",
             note="企业或个人，空白为企业"),
        _col("私有/公共", "scope", parse=choice(tuple(SCOPES)), choices=tuple(SCOPES), example="私有", aliases=("类型",),
             note="空白为私有：私有客户计入您的私有客户上限"),
        _col("客户编号", "number", example="", note="空白则按客户编号规则生成；编号规则不允许手工编号时必须空白"),
        _col("客户类型", "type", choices=lists.get("type", ()), note="须是客户档案基础信息中已有的客户类型"),
        _col("客户类别", "category", choices=lists.get("category", ()), note="须是已有的客户类别"),
        _col("所在地区", "region", choices=lists.get("region", ()), example="中国.广东省.广州",
             note="完整路径，或唯一的地区名称", width=22),
        _col("客户来源", "source", choices=lists.get("source", ())),
        _col("行业", "industry", choices=lists.get("industry", ())),
        _col("电话", "phone", parse=field(validators.clean_phone), example="020-88886666",
             note="带区号，如 020-88886666 或 (021)58889999；分机写“转 123”"),
        _col("手机", "mobile", parse=field(validators.clean_mobile), example="13800138000", note="11 位手机号码"),
        _col("传真", "fax", parse=field(validators.clean_phone)),
        _col("电子邮件", "email", parse=field(validators.clean_email), aliases=("邮箱", "E-mail")),
        _col("网址", "website"),
        _col("地址", "address", width=30),
        _col("邮编", "postcode", parse=field(validators.clean_postcode), note="6 位数字"),
        _col("联系人", "contact_name"),
        _col("联系人职务", "contact_title"),
        _col("联系人手机", "contact_mobile", parse=field(validators.clean_mobile)),
        _col("备注", "notes", parse=text_cell(2000), width=30),
    )


def load_spec(db) -> "CustomerImportSpec":
    """Worker thread: the spec with today's lists, so the template offers them as drop-downs."""
    lists = {kind: tuple(r["name"] for r in list_choices(db, kind)) for kind in LISTS}
    lists["region"] = tuple(r["path"] for r in list_regions(db))
    return CustomerImportSpec(lists)


class CustomerImportSpec(ImportSpec):
    title = "客户档案"
    permission = "customer.import"
    unique_groups = (("name",), ("phone", "mobile"), ("number",))

    def __init__(self, lists: dict[str, tuple[str, ...]] | None = None):
        """``lists``: the choices of 客户类型, 类别, 来源, 行业 and 地区 for the template's drop-downs
        (``load_spec`` reads them); without them the template offers none (the importer checks anyway)."""
        self.columns = customer_columns(lists or {})

    rules = ("带 * 的列必须填写；客户类型、类别、来源、行业、地区须是基础信息中已有的值。",
             "同一文件中客户名称、电话或手机重复时只导入第一行；与客户档案中已有客户（包括您看不到的客户）"
             "同名或同电话的行不会导入，并告诉您该客户的跟进人。",
             "所有行检查通过后才一次性导入；任何一行失败都不会写入任何数据。")

    def load_context(self, db) -> _Context:
        choices = {kind: {r["name"]: r["id"] for r in list_choices(db, kind)} for kind in LISTS}
        regions: dict[str, int] = {}
        leaves: dict[str, list[int]] = {}
        for r in list_regions(db):
            regions[r["path"]] = r["id"]
            leaves.setdefault(r["name"], []).append(r["id"])
        for name, ids in leaves.items():
            if len(ids) == 1:
                regions.setdefault(name, ids[0])
        return _Context(choices, regions)

    def validate_row(self, row: ImportRow, context: _Context) -> None:
        v = row.values
        kind, scope = v.get("kind") or "企业", v.pop("scope", None) or "私有"
        v["kind"], v["is_private"] = KINDS[kind], SCOPES[scope]
        for kind, header in (("type", "客户类型"), ("category", "客户类别"), ("source", "客户来源"),
                             ("industry", "行业")):
            name = v.pop(kind, None)
            v[f"{kind}_id"] = context.choices[kind].get(name) if name else None
            if name and v[f"{kind}_id"] is None:
                row.add_error("customer_import_unknown_value", column=header, value=name)
        region = v.pop("region", None)
        v["region_id"] = context.regions.get(region) if region else None
        if region and v["region_id"] is None:
            row.add_error("customer_import_unknown_value", column="所在地区", value=region)
        if v.get("name"):
            v["name_initials"] = name_initials(v["name"])
            v["name_pinyin"] = name_pinyin(v["name"])

    def check_against_database(self, rows: list[ImportRow], db) -> None:
        """Duplicates among the customers the account may see, then the private limit."""
        names = sorted({r.values["name"] for r in rows})
        phones = sorted({p for r in rows for p in (r.values.get("phone"), r.values.get("mobile")) if p})
        with db.session() as s:
            found = s.execute(text("""
                select c.name, c.phone, c.mobile, c.number from crm.customer c
                 where c.name = any(:names) or c.phone = any(:phones) or c.mobile = any(:phones)"""),
                {"names": names, "phones": phones}).all()
        by_value: dict[str, str] = {}
        for name, phone, mobile, number in found:
            for value in (name, phone, mobile):
                if value:
                    by_value.setdefault(value, number)
        for row in rows:
            for field in ("name", "phone", "mobile"):
                value = row.values.get(field)
                if value and value in by_value:
                    row.add_error("customer_import_duplicate", value=value, number=by_value[value])
        self._check_archive([r for r in rows if r.ok], db)
        refused = numbering.manual_number_refusals(db, "customer", (r.values.get("number") or "" for r in rows))
        for row in rows:
            if row.values.get("number") in refused:
                row.add_error(refused[row.values["number"]])
        self._check_private_limit([r for r in rows if r.ok], db)

    @staticmethod
    def _check_archive(rows: list[ImportRow], db) -> None:
        """撞单: the same company name or phone anywhere in the archive, also among customers the
        account cannot see (a person's name repeats too often to count)."""
        names = [r.values["name"] for r in rows if r.values.get("kind") == "company"]
        phones = [p for r in rows for p in (r.values.get("phone"), r.values.get("mobile")) if p]
        found = customers_in_archive(db, names, phones)
        for row in rows:
            keys = ((row.values["name"],) if row.values.get("kind") == "company" else ()) + tuple(
                p for p in (row.values.get("phone"), row.values.get("mobile")) if p)
            hit = next((k for k in keys if k in found), None)
            if hit is not None:
                error = archive_duplicate(hit, found[hit])
                row.add_error(error.key, **error.params)

    def _check_private_limit(self, rows: list[ImportRow], db) -> None:
        owned, limit = private_customer_status(db)
        if limit is None:
            return
        private = [r for r in rows if r.values.get("is_private")]
        room = max(limit - owned, 0)
        for row in private[room:]:
            row.add_error("customer_import_private_limit", limit=limit, count=owned, adding=len(private))

    def commit(self, db, rows: list[ImportRow], progress=None) -> int:
        lines = [tuple(_cell(r, name) for name, _t in _COPY_COLUMNS) for r in rows]
        last_line, total = max(r.number for r in rows), 2 * len(rows)
        with user_errors(), db.session() as s, cancellable(s, progress):
            copy_rows(s, "customer_import_rows", _COPY_COLUMNS, lines, progress, total)
            # statistics for the temporary table: without them the id read-back below is planned
            # as a nested loop over 100,000 × 100,000 names (the benchmark's import took 325 s)
            # each chunk's id read-back finds its rows by name: without an index it is planned as a
            # nested loop over the whole temporary table (10,000 × 200,000 comparisons a chunk)
            s.execute(text("create index on customer_import_rows (name)"))
            s.execute(text("create index on customer_import_rows (line)"))
            s.execute(text("analyze customer_import_rows"))
            count = insert_in_chunks(s, _INSERT_CUSTOMERS, last_line, progress, len(rows), total)
            s.execute(text("""
                insert into crm.contact (customer_id, name, title, mobile, is_primary)
                select t.customer_id, t.contact_name, coalesce(t.contact_title, ''), coalesce(t.contact_mobile, ''), true
                  from customer_import_rows t
                 where coalesce(t.contact_name, '') <> ''"""))
        return count


_COLUMN_LIST = ", ".join(_CUSTOMER_COLUMNS)
# The server draws the numbers as it inserts, so the new ids come back by name (unique in the file:
# validate_file refuses repeats) for the contacts.  Two values the server would fill row by row are
# given once: the contact's search text (what the contact trigger writes, so the contacts do not
# rewrite every customer) and the importer's main department (what crm.customer_fill_defaults looks
# up per row; the insert policy still checks it).
_INSERT_CUSTOMERS = f"""
    with added as (
        insert into crm.customer ({_COLUMN_LIST}, contact_search, department_id)
        select {_COLUMN_LIST},
               case when coalesce(contact_name, '') <> ''
                    then concat_ws(' ', contact_name, '', coalesce(contact_mobile, '')) else '' end,
               (select p.department_id from crm.account_position ap
                  join crm.position p on p.id = ap.position_id
                 where ap.account_id = crm.current_account() and ap.is_main)
          from customer_import_rows where line > :lo and line <= :hi order by line
        returning id, name)
    update customer_import_rows t set customer_id = added.id
      from added where added.name = t.name"""


_TEXT_DEFAULTS = {n for n, t in _COPY_COLUMNS if t == "text" and not n.startswith("contact_")}


def _cell(row: ImportRow, name: str) -> Any:
    if name == "line":
        return row.number
    value = row.values.get(name)
    if value is None and name in _TEXT_DEFAULTS:
        return ""
    return value
