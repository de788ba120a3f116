"""The product list (产品管理): the specification's filters, a keyset page source and the export.

Every account reads every product, so the filter is the only narrowing.  No Qt here:
``ui/product`` wraps ``ProductPageSource`` in the one lazy model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import Select, or_, select, tuple_
from sqlalchemy.orm import aliased

from crm_desktop.db.connection import Database
from crm_desktop.excel.export import write_table
from crm_desktop.messages import UserError, language, permission_name
from crm_desktop.model.product import Product, ProductCategory, ProductType, Unit

SERIAL_NAMES = {"none": ("不启用", "Off"), "always": ("启用", "Always"),
                "outbound": ("入库不启用，出库启用", "Outbound only")}


@dataclass(frozen=True)
class ProductFilter:
    """Figure 15's search bar: 类别 (with its sub-categories), 类型, 名称, 编号, 货号, 规格型号, 监控, SN 模式."""

    category_id: int | None = None
    type_id: int | None = None
    name: str = ""
    number: str = ""
    item_code: str = ""
    model: str = ""
    monitored: bool | None = None
    serial_mode: str | None = None


@dataclass(frozen=True)
class ListColumn:
    name: str
    title_zh: str
    title_en: str
    numeric: bool = False
    visible: bool = True

    @property
    def title(self) -> str:
        return self.title_en if language() == "en" else self.title_zh


BASE_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("number", "编号", "Number"), ListColumn("name", "名称", "Name"),
    ListColumn("category_path", "类别", "Category"), ListColumn("type_name", "类型", "Type"),
    ListColumn("model", "规格型号", "Model"), ListColumn("item_code", "货号", "Item code"),
    ListColumn("unit_name", "标准单位", "Unit"), ListColumn("monitored_name", "监控", "Monitored"),
    ListColumn("serial_name", "SN管理模式", "Serial tracking", visible=False),
    ListColumn("sale_price", "标准销售价格", "List sale price", numeric=True),
    ListColumn("purchase_price", "标准采购价格", "List purchase price", numeric=True),
    ListColumn("notes", "备注", "Notes", visible=False),
)
SORTABLE = frozenset({"number", "name"})
_SORT_KEYS = {"name": "name_pinyin"}  # names sort by their pinyin (0027): 北京… before 上海…


def columns_with_custom_fields(fields: Sequence[dict]) -> tuple[ListColumn, ...]:
    """The list's columns: the fixed ones, then one per custom field (hidden until chosen)."""
    return BASE_COLUMNS + tuple(ListColumn(f"custom:{f['id']}", f["name"], f["name"], numeric=f["kind"] == "number",
                                           visible=False) for f in fields)


def _like(value: str) -> str:
    return "%" + value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_conditions(f: ProductFilter) -> list:
    p, out = Product, []
    if f.name.strip():  # 名称, or its full pinyin (笔记本 for "bijiben")
        out.append(or_(p.name.ilike(_like(f.name)), p.name_pinyin.like(_like(f.name.replace(" ", "").lower()))))
    for column, needle in ((p.number, f.number), (p.item_code, f.item_code), (p.model, f.model)):
        if needle.strip():
            out.append(column.ilike(_like(needle)))
    if f.category_id is not None:
        top, sub = aliased(ProductCategory), aliased(ProductCategory)
        subtree = (select(sub.id).join(top, or_(sub.path == top.path, sub.path.like(top.path + "/%")))
                   .where(top.id == f.category_id))
        out.append(p.category_id.in_(subtree))
    if f.type_id is not None:
        out.append(p.type_id == f.type_id)
    if f.monitored is not None:
        out.append(p.monitored.is_(f.monitored))
    if f.serial_mode:
        out.append(p.serial_mode == f.serial_mode)
    return out


def _row_query() -> Select:
    p, c, t, u = Product, ProductCategory, ProductType, Unit
    return (select(p.id, p.number, p.name, p.model, p.item_code, p.monitored, p.serial_mode, p.sale_price,
                   p.purchase_price, p.notes, p.custom_fields, p.version, p.name_pinyin, c.path.label("category_path"),
                   t.name.label("type_name"), u.name.label("unit_name"))
            .join(c, c.id == p.category_id).outerjoin(t, t.id == p.type_id).join(u, u.id == p.base_unit_id))


def _decorate(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    en = language() == "en"
    out["monitored_name"] = ("Yes" if en else "是") if out["monitored"] else ("No" if en else "否")
    out["serial_name"] = SERIAL_NAMES[out["serial_mode"]][en]
    for key, value in (out.pop("custom_fields") or {}).items():
        out[f"custom:{key}"] = value
    return out


@dataclass
class ProductPageSource:
    """One filter in one order, paged by keyset; each fetch opens its own short session."""

    db: Database
    filter: ProductFilter = field(default_factory=ProductFilter)
    column_specs: Sequence[ListColumn] = BASE_COLUMNS
    sort_column: str = "number"
    descending: bool = False
    sortable_columns: frozenset[str] = SORTABLE

    def key(self, row: dict[str, Any]) -> int:
        return row["id"]

    def sort_key(self, row: dict[str, Any]) -> tuple:
        return (row[_SORT_KEYS.get(self.sort_column, self.sort_column)], row["id"])

    def sorted_by(self, column: str, descending: bool) -> "ProductPageSource":
        if column not in self.sortable_columns:
            raise ValueError(f"not sortable: {column}")
        return replace(self, sort_column=column, descending=descending)

    def filtered(self, new_filter: ProductFilter) -> "ProductPageSource":
        return replace(self, filter=new_filter)

    def fetch_page(self, after: tuple | None, limit: int) -> list[dict[str, Any]]:
        keys = (getattr(Product, _SORT_KEYS.get(self.sort_column, self.sort_column)), Product.id)
        query = _row_query().where(*filter_conditions(self.filter))
        if after is not None:
            query = query.where(tuple_(*keys) < tuple_(*after) if self.descending else tuple_(*keys) > tuple_(*after))
        query = query.order_by(*(k.desc() if self.descending else k.asc() for k in keys)).limit(limit)
        with self.db.session() as s:
            return [_decorate(r) for r in s.execute(query)]

    def fetch_rows(self, keys: Sequence[int]) -> list[dict[str, Any]]:
        if not keys:
            return []
        with self.db.session() as s:
            return [_decorate(r) for r in s.execute(_row_query().where(Product.id.in_(list(keys))))]

    def iter_rows(self, batch: int = 2000) -> Iterator[dict[str, Any]]:
        after = None
        while True:
            page = self.fetch_page(after, batch)
            yield from page
            if len(page) < batch:
                return
            after = self.sort_key(page[-1])


def export_products(source: ProductPageSource, path: Path | str, columns: Sequence[str] | None = None,
                    progress=None) -> int:
    """The filter, in its order, as .xlsx (the one exporter); returns the row count.

    Every account may read products, so the export permission is the client's rule: the rows are
    the ones the account reads anyway."""
    if not source.db.can("product.export"):
        raise UserError("permission_denied", detail=permission_name("product.export"))
    specs = [c for c in source.column_specs if columns is None or c.name in columns]

    def lines():
        for count, row in enumerate(source.iter_rows(), start=1):
            if progress is not None and count % 1000 == 0:
                progress.raise_if_cancelled()
                progress.report(count, 0)
            yield [_cell(row.get(c.name), c.numeric) for c in specs]

    return write_table(path, [c.title for c in specs], lines(), title="产品")


def _cell(value: Any, numeric: bool) -> Any:
    if numeric and isinstance(value, str) and value:
        return Decimal(value)  # a custom number field is stored as text, exported as a number
    return value
