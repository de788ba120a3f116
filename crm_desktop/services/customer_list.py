"""The customer list: a filter, a keyset page source over it, a count estimate and the export.

PostgreSQL's row-level security decides which customers exist for the account; the filter only
narrows them.  Pages are keyset queries (``(sort value, id) > last row's``), so page 5,000 costs
what page 1 costs.  No Qt here: ``ui/customer`` wraps ``CustomerPageSource`` in the one lazy model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import Select, func, literal_column, or_, select, text, tuple_
from sqlalchemy.orm import aliased

from crm_desktop.db.connection import Database
from crm_desktop.excel.export import write_table
from crm_desktop.messages import UserError, language
from crm_desktop.model.customer import Customer, CustomerCategory, CustomerType, Region
from crm_desktop.model.org import Account, Department

SCOPES = ("all", "private", "public")
EXACT_COUNT_LIMIT = 20_000  # up to this many visible rows the list's count is exact


@dataclass(frozen=True)
class CustomerFilter:
    """What the dock's filter bar narrows the visible customers to (empty fields: no condition)."""

    text: str = ""  # name, number, phone, mobile, pinyin initials, contact name or phone; substring
    scope: str = "all"  # 授权范围: all / private / public
    owner_ids: tuple[int, ...] = ()  # 按客户所属人
    department_ids: tuple[int, ...] = ()  # 所属部门 (a department clicked in the org tree, with its sub-departments)
    kind: str | None = None  # individual / company
    type_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    region_id: int | None = None  # this region and everything under it
    last_contact_from: datetime | None = None
    last_contact_to: datetime | None = None  # exclusive


@dataclass(frozen=True)
class ListColumn:
    name: str
    title_zh: str
    title_en: str
    sortable: bool = False

    @property
    def title(self) -> str:
        return self.title_en if language() == "en" else self.title_zh


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("number", "客户编号", "Number", True),
    ListColumn("name", "客户名称", "Name", True),
    ListColumn("kind_name", "客户性质", "Kind"),
    ListColumn("scope_name", "私有/公共", "Private/public"),
    ListColumn("owner_name", "所属人", "Owner"),
    ListColumn("department_name", "所属部门", "Department"),
    ListColumn("type_name", "客户类型", "Type"),
    ListColumn("category_name", "客户类别", "Category"),
    ListColumn("region_path", "所在地区", "Region"),
    ListColumn("phone", "电话", "Phone"),
    ListColumn("mobile", "手机", "Mobile"),
    ListColumn("last_contact_at", "最后联系时间", "Last contact", True),
    ListColumn("created_at", "建档时间", "Created", True),
)
SORTABLE = frozenset(c.name for c in COLUMNS if c.sortable)

_owner, _dept = aliased(Account), aliased(Department)
_ctype, _ccat, _region = aliased(CustomerType), aliased(CustomerCategory), aliased(Region)


def _sort_expression(column: str):
    if column == "name":
        return Customer.name_pinyin  # pinyin order (0027): 北京… before 上海…
    if column == "number":
        return Customer.number
    if column == "last_contact_at":
        # never-contacted customers sort first; the same expression is indexed (0003_customers)
        return func.coalesce(Customer.last_contact_at, literal_column("'1900-01-01 00:00:00+00'::timestamptz"))
    return None  # created_at: id order is creation order


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_conditions(f: CustomerFilter) -> list:
    """The WHERE conditions of ``f`` (policies add theirs)."""
    c = Customer
    out: list = []
    needle = " ".join(f.text.split()).lower()
    if needle:
        out.append(c.search_key.like(f"%{_like_escape(needle)}%"))
        if len(needle) >= 2:  # the bigram index needs at least one bigram
            out.append(func.crm.bigrams(c.search_key).op("OPERATOR(crm.@>)")(func.crm.bigrams(needle)))
    if f.scope == "private":
        out.append(c.is_private.is_(True))
    elif f.scope == "public":
        out.append(c.is_private.is_(False))
    if f.owner_ids:
        out.append(c.owner_id.in_(f.owner_ids))
    if f.department_ids:
        out.append(c.department_id.in_(f.department_ids))
    if f.kind:
        out.append(c.kind == f.kind)
    if f.type_ids:
        out.append(c.type_id.in_(f.type_ids))
    if f.category_ids:
        out.append(c.category_id.in_(f.category_ids))
    if f.region_id is not None:
        top, sub = aliased(Region), aliased(Region)
        subtree = (select(sub.id).join(top, or_(sub.path == top.path, sub.path.like(top.path + ".%")))
                   .where(top.id == f.region_id))
        out.append(c.region_id.in_(subtree))
    if f.last_contact_from:
        out.append(c.last_contact_at >= f.last_contact_from)
    if f.last_contact_to:
        out.append(c.last_contact_at < f.last_contact_to)
    return out


def _customer_rows(sort_value=None) -> Select:
    """The list's own columns of the customer table (policies apply here, once)."""
    c = Customer
    return select(c.id, c.number, c.name, c.kind, c.is_private, c.owner_id, c.department_id, c.type_id,
                  c.category_id, c.region_id, c.phone, c.mobile, c.last_contact_at, c.created_at, c.version,
                  (sort_value if sort_value is not None else c.id).label("sort_value"))


def _with_lookups(rows) -> Select:
    """``rows`` (a subquery of ``_customer_rows``) with the names of owner, department, type,
    category and region: joined to those few rows only, without reading crm.customer again."""
    return (select(rows, _owner.name.label("owner_name"), _dept.name.label("department_name"),
                   _ctype.name.label("type_name"), _ccat.name.label("category_name"),
                   _region.path.label("region_path"))
            .select_from(rows)
            .outerjoin(_owner, _owner.id == rows.c.owner_id).outerjoin(_dept, _dept.id == rows.c.department_id)
            .outerjoin(_ctype, _ctype.id == rows.c.type_id).outerjoin(_ccat, _ccat.id == rows.c.category_id)
            .outerjoin(_region, _region.id == rows.c.region_id))


def planner_hint(session) -> list:
    """The select policy's arrays for this account, repeated as plain conditions.

    PostgreSQL cannot know a policy's arrays when it plans, so it guesses that many rows pass and
    walks the sort order's index, which for a sales rep who sees 0.3 % of a million customers reads
    most of the table.  Repeating the arrays as constants lets it estimate and pick the owner and
    department indexes.  It is a hint only: the policy still decides, so a wrong hint can hide
    rows but never show one.  Administrators and wide viewers get no hint (the order's index is right).
    """
    row = session.execute(text("""select crm.sees_all_customers(), crm.customer_owner_ids(), crm.shared_customer_ids(),
                                         crm.scope_department_ids(), crm.public_department_ids()""")).one()
    sees_all, owners, shared, scope, public = row
    if sees_all or len(owners) + len(scope) + len(public) > 200:
        return []
    c = Customer
    as_array = lambda ids: literal_column("'{%s}'::bigint[]" % ",".join(str(int(i)) for i in ids if i is not None))  # noqa: E731
    return [or_(c.owner_id == func.any(as_array(owners)), c.id == func.any(as_array(shared)),
                c.department_id == func.any(as_array(scope)),
                ~c.is_private & (c.department_id == func.any(as_array(public))))]  # the partial index's own predicate


_KIND_NAMES = {"individual": ("个人", "Individual"), "company": ("企业", "Company")}
_SCOPE_NAMES = {True: ("私有", "Private"), False: ("公共", "Public")}


def _decorate(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    en = language() == "en"
    out["kind_name"] = _KIND_NAMES[out["kind"]][en]
    out["scope_name"] = _SCOPE_NAMES[out["is_private"]][en]
    return out


@dataclass
class CustomerPageSource:
    """One filter in one order, paged by keyset (the lazy model's PageSource, minus Qt columns).

    Every fetch opens its own short session, so the methods may run on worker threads."""

    db: Database
    filter: CustomerFilter = field(default_factory=CustomerFilter)
    sort_column: str = "created_at"
    descending: bool = True
    column_specs: Sequence[ListColumn] = COLUMNS
    sortable_columns: frozenset[str] = SORTABLE
    _hint: list | None = field(default=None, repr=False, compare=False)

    def key(self, row: dict[str, Any]) -> int:
        return row["id"]

    def sort_key(self, row: dict[str, Any]) -> tuple:
        if _sort_expression(self.sort_column) is None:
            return (row["id"],)
        return (row["sort_value"], row["id"])

    def sorted_by(self, column: str, descending: bool) -> "CustomerPageSource":
        if column not in self.sortable_columns:
            raise ValueError(f"not sortable: {column}")
        return replace(self, sort_column=column, descending=descending)

    def filtered(self, new_filter: CustomerFilter) -> "CustomerPageSource":
        return replace(self, filter=new_filter)

    def _ordered(self, after: tuple | None, hint: list | None = None) -> Select:
        expr = _sort_expression(self.sort_column)
        keys = [Customer.id] if expr is None else [expr, Customer.id]
        query = _customer_rows(expr).where(*filter_conditions(self.filter), *(hint or ()))
        if after is not None:
            bound = tuple_(*keys) if len(keys) > 1 else keys[0]
            value = tuple_(*after) if len(keys) > 1 else after[0]
            query = query.where(bound < value if self.descending else bound > value)
        return query.order_by(*(k.desc() if self.descending else k.asc() for k in keys))

    def page_query(self, after: tuple | None, limit: int, hint: list | None = None) -> Select:
        """The page first (sort + limit on the customer table alone), then the look-ups for those
        rows only: a rep's 5,000 visible customers are not joined to five tables to keep 200, and
        the policy's arrays are computed once, not again for a second scan of crm.customer."""
        page = self._ordered(after, hint).limit(limit).subquery("page")
        keys = [page.c.sort_value, page.c.id]
        return _with_lookups(page).order_by(*(k.desc() if self.descending else k.asc() for k in keys))

    def fetch_page(self, after: tuple | None, limit: int) -> list[dict[str, Any]]:
        with self.db.session() as s:
            if after is None or self._hint is None:
                self._hint = planner_hint(s)
            return [_decorate(r) for r in s.execute(self.page_query(after, limit, self._hint))]

    def fetch_rows(self, keys: Sequence[int]) -> list[dict[str, Any]]:
        if not keys:
            return []
        with self.db.session() as s:
            rows = _customer_rows(_sort_expression(self.sort_column)).where(Customer.id.in_(list(keys)))
            return [_decorate(r) for r in s.execute(_with_lookups(rows.subquery("rows")))]

    def iter_rows(self, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Every row of the filter in order, a keyset batch at a time (memory stays flat)."""
        after = None
        while True:
            page = self.fetch_page(after, batch)
            yield from page
            if len(page) < batch:
                return
            after = self.sort_key(page[-1])

    def estimate_count(self) -> int:
        """The planner's row estimate for the filter: instant on a million rows, roughly right."""
        query = select(Customer.id).where(*filter_conditions(self.filter))
        with self.db.session() as s:
            compiled = query.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
            plan = s.execute(text(f"explain (format json) {compiled}")).scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    def count_or_estimate(self, exact_up_to: int = EXACT_COUNT_LIMIT) -> tuple[int, bool]:
        """(count, exact): exact when at most ``exact_up_to`` rows match (counting them is cheap),
        else at least that many and the planner's estimate when it is higher — never the
        planner's guess alone, which the policy's arrays throw off several times over."""
        query = select(Customer.id).where(*filter_conditions(self.filter))
        with self.db.session() as s:
            hint = planner_hint(s)
            counted = s.scalar(select(func.count()).select_from(query.where(*hint).limit(exact_up_to + 1).subquery()))
        if counted <= exact_up_to:
            return counted, True
        return max(counted, self.estimate_count()), False

    def count(self) -> int:
        """The exact count (a full scan of what the account sees; for small filters and tests)."""
        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(Customer).where(*filter_conditions(self.filter)))


def export_customers(source: CustomerPageSource, path: Path | str,
                     columns: Sequence[str] | None = None) -> int:
    """Write the source's filter, in its order, to an .xlsx file; returns the row count.

    The export permission is a client-side rule: the rows are the ones the account may read."""
    if not source.db.can("customer.export"):
        from crm_desktop.messages import permission_name
        raise UserError("permission_denied", detail=permission_name("customer.export"))
    specs = [c for c in source.column_specs if columns is None or c.name in columns]
    return write_table(path, [c.title for c in specs],
                       ([_local(row[c.name]) for c in specs] for row in source.iter_rows()), title="客户档案")


def _local(value: Any) -> Any:
    """Excel has no time zones: show the workstation's local time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value

