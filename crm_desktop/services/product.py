"""Products (figure 15): reading and saving with custom fields and the picture, the number a new
product will get, the price a sales document proposes, and the service / maintenance / scrap dates.

Numbers are drawn by the database's insert trigger (rule 'product', the category code as segment) when
left empty;
the price memory and the due dates are database functions, so every module gets the same answer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, Sequence

from sqlalchemy import delete, select, text

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.model.product import Product, ProductCategory, ProductPicture
from crm_desktop.services import numbering
from crm_desktop.services.customer import name_pinyin
from crm_desktop.services.records import as_dict, require_text, update_versioned

MAX_PICTURE_BYTES = 2 * 1024 * 1024
_PICTURE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                  (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"), (b"BM", "image/bmp"))
PRICE_KINDS = ("sale", "purchase")
DUE_BASES = ("sale", "outbound", "inbound", "production")


class DueDates(NamedTuple):
    service: date | None
    maintenance: date | None
    scrap: date | None


# -- custom field values ------------------------------------------------------------------------
def encode_custom_values(fields: Sequence[dict], values: dict[int, Any]) -> dict[str, str]:
    """Typed values (str, Decimal, date) by field id → what the database stores (text by id)."""
    out: dict[str, str] = {}
    for f in fields:
        value = values.get(f["id"])
        if value is None or value == "":
            if f["required"]:
                raise UserError("required_field", field=f["name"])
            continue
        if f["kind"] == "number":
            out[str(f["id"])] = format(Decimal(value), "f")
        elif f["kind"] == "date":
            out[str(f["id"])] = value.isoformat()
        else:
            out[str(f["id"])] = str(value).strip()
    return out


def decode_custom_values(fields: Sequence[dict], stored: dict[str, str]) -> dict[int, Any]:
    """The database's text values as typed values by field id (fields deleted since are skipped)."""
    out: dict[int, Any] = {}
    for f in fields:
        raw = (stored or {}).get(str(f["id"]))
        if raw in (None, ""):
            continue
        out[f["id"]] = (Decimal(raw) if f["kind"] == "number" else
                        date.fromisoformat(raw) if f["kind"] == "date" else raw)
    return out


# -- products -----------------------------------------------------------------------------------
def get_product(db: Database, product_id: int) -> dict:
    with db.session() as s:
        product = s.get(Product, product_id)
        if product is None:
            raise UserError("row_deleted")
        return as_dict(product)


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    values["name"] = require_text(values.get("name"), "名称")
    values["name_pinyin"] = name_pinyin(values["name"])
    values["number"] = (values.get("number") or "").strip()
    if not values.get("category_id"):
        raise UserError("product_category_required")
    if not values.get("base_unit_id"):
        raise UserError("product_unit_required")
    for key in ("sale_price", "purchase_price"):
        price = values.get(key, Decimal(0))
        if not isinstance(price, (Decimal, int)) or isinstance(price, bool):
            raise TypeError(f"{key} must be Decimal, never float")  # a programming error, not the user's
        values[key] = Decimal(price).quantize(Decimal("0.01"))
    return values


def save_product(db: Database, values: dict[str, Any], original: dict | None = None,
                 picture: bytes | None = None) -> dict:
    """Add (``original`` None) or change a product, and its picture in the same transaction.

    ``picture``: None leaves it, b"" removes it, bytes (PNG/JPEG/GIF/BMP) replace it.
    """
    values = _checked(values)
    with db.session() as s:
        if original is None:
            product = Product(**values)
            s.add(product)
            s.flush()
            s.refresh(product)  # the number drawn by the database
        else:
            product = update_versioned(s, Product, original["id"], original, values)
            s.refresh(product)
        if picture is not None:
            _store_picture(s, product.id, picture)
        return as_dict(product)


def delete_products(db: Database, product_ids: Sequence[int]) -> int:
    with db.session() as s:
        return s.execute(delete(Product).where(Product.id.in_(list(product_ids)))).rowcount


def preview_number(db: Database, category_id: int) -> str:
    """The number a new product of this category would get now (reserves nothing)."""
    with db.session() as s:
        code = s.scalar(select(ProductCategory.code).where(ProductCategory.id == category_id))
    return numbering.preview(db, "product", code or "")


# -- pictures -----------------------------------------------------------------------------------
def picture_mime(content: bytes) -> str:
    for magic, mime in _PICTURE_MAGIC:
        if content.startswith(magic):
            return mime
    raise UserError("product_picture_unreadable")


def _store_picture(session, product_id: int, content: bytes) -> None:
    existing = session.get(ProductPicture, product_id)
    if not content:
        if existing is not None:
            session.delete(existing)
        return
    if len(content) > MAX_PICTURE_BYTES:
        raise UserError("product_picture_too_large")
    mime = picture_mime(content)
    if existing is None:
        session.add(ProductPicture(product_id=product_id, mime_type=mime, content=content))
    else:
        existing.mime_type, existing.content = mime, content
    session.flush()


def get_picture(db: Database, product_id: int) -> bytes | None:
    with db.session() as s:
        return s.scalar(select(ProductPicture.content).where(ProductPicture.product_id == product_id))


# -- prices and cycles --------------------------------------------------------------------------
def proposed_price(db: Database, customer_id: int | None, product_id: int, kind: str = "sale") -> Decimal | None:
    """The price to propose: the last one used with this customer, the list price the first time."""
    if kind not in PRICE_KINDS:
        raise UserError("price_history_kind_valid")
    with db.session() as s:
        return s.execute(text("select crm.proposed_price(:c, :p, :k)"),
                         {"c": customer_id, "p": product_id, "k": kind}).scalar_one()


def due_dates(db: Database, product_id: int, basis: str, on: date, after: date | None = None) -> DueDates:
    """Service / maintenance / scrap dates of a product sold, shipped, received or produced ``on``.

    ``basis``: sale / outbound / inbound / production; a cycle counted from another kind of date is
    None.  ``after``: the next repeating date on or after it (default: the first cycle).
    """
    if basis not in DUE_BASES:
        raise UserError("product_due_basis_invalid")
    with db.session() as s:
        row = s.execute(text("select * from crm.product_due_dates(:p, :b, :d, :a)"),
                        {"p": product_id, "b": basis, "d": on, "a": after}).first()
    return DueDates(*row) if row else DueDates(None, None, None)
