"""批量导入产品: the product import as an ImportSpec on the shared framework (excel/importer.py).

The seed's 温馨提示: category, code, name and base unit are required; codes repeat neither in the
file nor in the database; the category must exist and be unique (a full path "A/B/C" settles two
categories of the same name); 重点监控 is 是/否 and anything else 否; empty prices are zero (the preview
lists the rows read that way) and a price that is not a clean number refuses its row.  Custom fields are columns of their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from crm_desktop import messages
from crm_desktop.excel import cells
from crm_desktop.excel.importer import ImportColumn, ImportRow, ImportSpec, cancellable, copy_rows, insert_in_chunks
from crm_desktop.services.customer import name_pinyin
from crm_desktop.services import numbering
from crm_desktop.services import product_settings as settings

SERIAL_MODES = {"不启用": "none", "启用": "always", "入库不启用，出库启用": "outbound"}
SERVICE_BASES = {"按销售时间": "sale", "按出库时间": "outbound"}
STOCK_BASES = {"按入库时间": "inbound", "按生产时间": "production"}

_COPY = [("line", "integer"), ("category_id", "bigint"), ("type_id", "bigint"), ("name", "text"),
         ("name_pinyin", "text"),
         ("number", "text"), ("model", "text"), ("item_code", "text"), ("base_unit_id", "bigint"),
         ("monitored", "boolean"), ("serial_mode", "text"), ("notes", "text"), ("sale_price", "numeric(14,2)"),
         ("purchase_price", "numeric(14,2)"), ("service_basis", "text"), ("service_days", "integer"),
         ("maintenance_basis", "text"), ("maintenance_days", "integer"), ("scrap_basis", "text"),
         ("scrap_days", "integer"), ("custom_fields", "jsonb")]
_PRODUCT_COLUMNS = ", ".join(name for name, _t in _COPY if name != "line")


def _named(names: dict[str, str]):
    """A choice by its Chinese name; commas and blanks don't matter (入库不启用,出库启用)."""
    loose = {k.replace("，", "").replace(",", ""): v for k, v in names.items()}
    def parse(value: Any) -> str | None:
        if value is None:
            return None
        word = cells.as_text(value).replace("，", "").replace(",", "").replace(" ", "")
        if word not in loose:
            raise cells.CellError("import_choice_invalid", choices="、".join(names))
        return loose[word]
    return parse


def _custom_column(field: dict) -> ImportColumn:
    parse = {"number": cells.decimal(places=6, max_digits=21, minimum=None), "date": cells.date_value(),
             "choice": cells.choice(tuple(field["choices"]))}.get(field["kind"], cells.text(500))
    return ImportColumn(field["name"], f"custom:{field['id']}", required=field["required"], parse=parse,
                        choices=tuple(field["choices"]) if field["kind"] == "choice" else ())


def product_columns(categories: list[dict], units: list[dict], types: list[dict],
                    fields: list[dict], manual_numbers: bool = True) -> tuple[ImportColumn, ...]:
    """``manual_numbers``: the product rule's allows_manual; without it the codes are the rule's."""
    days = cells.integer(0, 36500)
    return (
        ImportColumn("产品类别", "category", required=True, choices=tuple(c["path"] for c in categories),
                     example="电子产品/电脑/笔记本", note="已有的类别名称；重名时填写完整路径（用 / 分隔）", width=24),
        ImportColumn("产品编码", "number", required=manual_numbers, parse=cells.text(60),
                     example="BJB-X1-01" if manual_numbers else "", aliases=("产品编号", "编号"),
                     note=("不能重复，也不能与编号规则自动生成的编号（如 FH-BJB-001）格式相同" if manual_numbers
                           else "编号规则不允许手工编号：请留空，导入时自动编号")),
        ImportColumn("产品名称", "name", required=True, example="ThinkPad X1 笔记本", aliases=("名称",), width=24),
        ImportColumn("标准单位", "unit", required=True, choices=tuple(u["name"] for u in units), example="台"),
        ImportColumn("产品类型", "type", choices=tuple(t["name"] for t in types), aliases=("类型",)),
        ImportColumn("规格型号", "model", example="X1 Carbon Gen 11"),
        ImportColumn("货号", "item_code"),
        ImportColumn("重点监控", "monitored", parse=cells.yes_no(), choices=("是", "否"), example="否",
                     aliases=("监控",), note="是或否；不填或填错为否"),
        ImportColumn("SN管理模式", "serial_mode", parse=_named(SERIAL_MODES), choices=tuple(SERIAL_MODES),
                     aliases=("SN 管理模式",), note="不填为不启用", width=20),
        ImportColumn("标准销售价格", "sale_price", parse=cells.decimal(zero_when_empty=True),
                     example="8999.00", note="数字，可带“元”“¥”和千位分隔符；不填为 0，不是数字的行不导入"),
        ImportColumn("标准采购价格", "purchase_price", parse=cells.decimal(zero_when_empty=True),
                     note="数字，可带“元”“¥”和千位分隔符；不填为 0，不是数字的行不导入"),
        ImportColumn("服务周期依据", "service_basis", parse=_named(SERVICE_BASES), choices=tuple(SERVICE_BASES)),
        ImportColumn("服务周期(天)", "service_days", parse=days, aliases=("服务周期",)),
        ImportColumn("保养周期依据", "maintenance_basis", parse=_named(STOCK_BASES), choices=tuple(STOCK_BASES)),
        ImportColumn("保养周期(天)", "maintenance_days", parse=days, aliases=("保养周期", "产品维护周期")),
        ImportColumn("报废周期依据", "scrap_basis", parse=_named(STOCK_BASES), choices=tuple(STOCK_BASES)),
        ImportColumn("报废周期(天)", "scrap_days", parse=days, aliases=("报废周期",)),
        ImportColumn("备注", "notes", parse=cells.text(2000), width=30),
        *(_custom_column(f) for f in fields),
    )


@dataclass
class _Context:
    categories: dict[str, int]  # full path → id
    leaves: dict[str, list[dict]]  # name → categories of that name
    units: dict[str, int]
    types: dict[str, int]


class ProductImportSpec(ImportSpec):
    title = "产品"
    permission = "product.import"
    unique_fields = ("number",)

    def __init__(self, columns: tuple[ImportColumn, ...]):
        self.columns = columns
        self.rules = tuple(messages.text(k) for k in ("product_import_rule_required", "product_import_rule_category",
                                                       "product_import_rule_monitored", "product_import_rule_prices"))

    def load_context(self, db) -> _Context:
        leaves: dict[str, list[dict]] = {}
        categories = settings.list_categories(db)
        for c in categories:
            leaves.setdefault(c["name"], []).append(c)
        return _Context({c["path"]: c["id"] for c in categories}, leaves,
                        {u["name"]: u["id"] for u in settings.list_units(db)},
                        {t["name"]: t["id"] for t in settings.list_types(db)})

    def validate_row(self, row: ImportRow, context: _Context) -> None:
        v = row.values
        v["category_id"] = self._category(row, v.pop("category", None), context)
        for key, lookup, error, target in (("unit", context.units, "product_unit_unknown", "base_unit_id"),
                                           ("type", context.types, "product_type_unknown", "type_id")):
            name = v.pop(key, None)
            v[target] = lookup.get(name) if name else None
            if name and v[target] is None:
                row.add_error(error, value=name)
        v["custom_fields"] = {k.split(":", 1)[1]: cells.as_text(v.pop(k)) for k in list(v)
                              if k.startswith("custom:") and v[k] not in (None, "")}

    @staticmethod
    def _category(row: ImportRow, name: str | None, context: _Context) -> int | None:
        if not name:
            return None
        path = "/".join(part.strip() for part in name.split("/"))
        if path in context.categories:
            return context.categories[path]
        same = context.leaves.get(path, [])
        if len(same) > 1:
            row.add_error("product_category_ambiguous", value=name, example=same[0]["path"])
        elif not same:
            row.add_error("product_category_unknown", value=name)
        return same[0]["id"] if len(same) == 1 else None

    def check_against_database(self, rows: list[ImportRow], db) -> None:
        numbers = [r.values.get("number") or "" for r in rows]
        with db.session() as s:
            taken = set(s.scalars(text("select number from crm.product where number = any(:n)"), {"n": numbers}))
        refused = numbering.manual_number_refusals(db, "product", numbers)
        for row in rows:
            number = row.values.get("number") or ""
            if number in taken:
                row.add_error("import_duplicate_in_database", column="产品编码", value=number)
            elif number in refused:
                row.add_error(refused[number])

    def commit(self, db, rows: list[ImportRow], progress=None) -> int:
        total = 2 * len(rows)
        with db.session() as s, cancellable(s, progress):
            copy_rows(s, "product_import_rows", _COPY, (_line(r) for r in rows), progress, total)
            return insert_in_chunks(s, f"insert into crm.product ({_PRODUCT_COLUMNS}) select {_PRODUCT_COLUMNS} "
                                       "from product_import_rows where line > :lo and line <= :hi order by line",
                                    max(r.number for r in rows), progress, len(rows), total)


# a column the file leaves out takes the product's default (a price column left out is 0)
_DEFAULTS = {"number": "", "model": "", "item_code": "", "notes": "", "monitored": False, "serial_mode": "none",
             "sale_price": Decimal("0.00"), "purchase_price": Decimal("0.00"),
             "service_basis": "sale", "maintenance_basis": "inbound", "scrap_basis": "inbound"}


def _line(row: ImportRow) -> tuple:
    v = row.values
    v["name_pinyin"] = name_pinyin(v.get("name") or "")
    values = [row.number] + [v.get(name) if v.get(name) is not None else _DEFAULTS.get(name)
                             for name, _t in _COPY[1:-1]]
    return (*values, json.dumps(v.get("custom_fields", {}), ensure_ascii=False))


def load_spec(db) -> ProductImportSpec:
    """Worker thread: the spec with today's categories, units, types and custom fields."""
    return ProductImportSpec(product_columns(settings.list_categories(db), settings.list_units(db),
                                             settings.list_types(db), settings.list_custom_fields(db),
                                             numbering.allows_manual(db, "product")))
