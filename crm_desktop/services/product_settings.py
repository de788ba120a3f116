"""产品基础信息: the category tree, product types, units and conversions, custom fields.

Every account reads them; PostgreSQL refuses changes without product.settings (a product's own unit
conversions need product.manage).  Quantities are Decimal and converted by the database, in numeric.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, text

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.model.product import (FIELD_KINDS, ProductCategory, ProductCustomField, ProductType, Unit,
                                       UnitConversion)
from crm_desktop.services.records import as_dict, require_text, update_versioned


def _list(db: Database, model, *order) -> list[dict]:
    with db.session() as s:
        return [as_dict(row) for row in s.scalars(select(model).order_by(*order, model.id))]


def _save(db: Database, model, values: dict[str, Any], original: dict | None) -> dict:
    with db.session() as s:
        if original is None:
            row = model(**values)
            s.add(row)
            s.flush()
            s.refresh(row)  # the server filled path / version
        else:
            row = update_versioned(s, model, original["id"], original, values)
            s.refresh(row)
        return as_dict(row)


def _delete(db: Database, model, row_id: int) -> None:
    with db.session() as s:
        s.execute(delete(model).where(model.id == row_id))


# -- categories ---------------------------------------------------------------------------------
def list_categories(db: Database) -> list[dict]:
    """Every category, parents before children (ordered by path)."""
    return _list(db, ProductCategory, ProductCategory.path)


def save_category(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    """Add or change a category; a change may carry only the fields it changes (a move: parent_id)."""
    values = {k: v for k, v in values.items() if k not in ("id", "path", "version", "created_at", "updated_at")}
    if original is None or "name" in values:
        values["name"] = require_text(values.get("name"), "类别名称")
    if original is None or "code" in values:
        values["code"] = require_text(values.get("code"), "类别编号").upper()
    return _save(db, ProductCategory, values, original)


def delete_category(db: Database, category_id: int) -> None:
    _delete(db, ProductCategory, category_id)


def subtree_ids(categories: list[dict], category_id: int) -> set[int]:
    """The category and everything under it, from a ``list_categories`` result."""
    top = next((c for c in categories if c["id"] == category_id), None)
    if top is None:
        return set()
    return {c["id"] for c in categories if c["path"] == top["path"] or c["path"].startswith(top["path"] + "/")}


# -- product types and units --------------------------------------------------------------------
def list_types(db: Database) -> list[dict]:
    return _list(db, ProductType, ProductType.sort_order, ProductType.name)


def save_type(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    values = {**values, "name": require_text(values.get("name"), "产品类型")}
    return _save(db, ProductType, values, original)


def delete_type(db: Database, type_id: int) -> None:
    _delete(db, ProductType, type_id)


def list_units(db: Database) -> list[dict]:
    return _list(db, Unit, Unit.sort_order, Unit.name)


def save_unit(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    values = {**values, "name": require_text(values.get("name"), "单位")}
    return _save(db, Unit, values, original)


def delete_unit(db: Database, unit_id: int) -> None:
    _delete(db, Unit, unit_id)


# -- conversions --------------------------------------------------------------------------------
def list_conversions(db: Database, product_id: int | None = None) -> list[dict]:
    """The office-wide rules (product_id None) or one product's own rules."""
    with db.session() as s:
        query = select(UnitConversion).where(UnitConversion.product_id.is_(None) if product_id is None
                                             else UnitConversion.product_id == product_id)
        return [as_dict(c) for c in s.scalars(query.order_by(UnitConversion.to_unit_id, UnitConversion.factor))]


def save_conversion(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    """``values``: from_unit_id, to_unit_id, factor (Decimal: 1 from_unit = factor to_unit)."""
    factor = values.get("factor")
    if not isinstance(factor, (Decimal, int)) or isinstance(factor, bool):
        raise UserError("unit_conversion_factor_positive")
    return _save(db, UnitConversion, {**values, "factor": Decimal(factor)}, original)


def delete_conversion(db: Database, conversion_id: int) -> None:
    _delete(db, UnitConversion, conversion_id)


def convert_quantity(db: Database, quantity: Decimal, from_unit: int, to_unit: int,
                     product_id: int | None = None) -> Decimal:
    """``quantity`` of ``from_unit`` in ``to_unit`` (6 decimal places), computed in numeric by PostgreSQL."""
    with db.session() as s:
        return s.execute(text("select crm.convert_quantity(:q, :f, :t, :p)"),
                         {"q": Decimal(quantity), "f": from_unit, "t": to_unit, "p": product_id}).scalar_one()


def to_base_quantity(db: Database, product_id: int, quantity: Decimal, unit_id: int) -> Decimal:
    """``quantity`` in ``unit_id`` as the product's base unit (标准单位)."""
    with db.session() as s:
        return s.execute(text("select crm.to_base_quantity(:p, :q, :u)"),
                         {"p": product_id, "q": Decimal(quantity), "u": unit_id}).scalar_one()


# -- custom fields ------------------------------------------------------------------------------
def list_custom_fields(db: Database) -> list[dict]:
    return _list(db, ProductCustomField, ProductCustomField.sort_order, ProductCustomField.name)


def save_custom_field(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    values = {**values, "name": require_text(values.get("name"), "字段名称")}
    if values.get("kind", "text") not in FIELD_KINDS:
        raise UserError("product_custom_field_kind_valid")
    values["choices"] = [c.strip() for c in values.get("choices") or [] if c and c.strip()]
    return _save(db, ProductCustomField, values, original)


def delete_custom_field(db: Database, field_id: int) -> None:
    """Products keep nothing of it: the database drops a deleted field's value on their next save."""
    _delete(db, ProductCustomField, field_id)
