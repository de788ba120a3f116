"""Products and their base settings (server_schema/0004_products.sql). Money is Decimal, never float."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Identity, LargeBinary, Numeric
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TEXT
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.model.base import Base, Versioned

MONEY = Numeric(14, 2, asdecimal=True)

SERIAL_MODES = ("none", "always", "outbound")  # 不启用 / 启用 / 入库不启用，出库启用
SERVICE_BASES = ("sale", "outbound")  # 按销售时间 / 按出库时间
STOCK_BASES = ("inbound", "production")  # 按入库时间 / 按生产时间
FIELD_KINDS = ("text", "number", "date", "choice")


class ProductCategory(Versioned, Base):
    __tablename__ = "product_category"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("product_category.id"))
    name: Mapped[str]
    code: Mapped[str]
    path: Mapped[str] = mapped_column(server_default="")  # kept by trigger: 电子产品/电脑/笔记本
    sort_order: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(default="")


class ProductType(Versioned, Base):
    __tablename__ = "product_type"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str]
    sort_order: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(default="")


class Unit(Versioned, Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str]
    sort_order: Mapped[int] = mapped_column(default=0)


class UnitConversion(Versioned, Base):
    """1 from_unit = factor to_unit; product_id None is the office-wide rule."""

    __tablename__ = "unit_conversion"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    factor: Mapped[Decimal] = mapped_column(Numeric(18, 6, asdecimal=True))


class ProductCustomField(Versioned, Base):
    __tablename__ = "product_custom_field"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str]
    kind: Mapped[str] = mapped_column(default="text")
    choices: Mapped[list[str]] = mapped_column(ARRAY(TEXT), default=list)
    required: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)


class Product(Versioned, Base):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("product_category.id"))
    type_id: Mapped[int | None] = mapped_column(ForeignKey("product_type.id"))
    name: Mapped[str]
    name_pinyin: Mapped[str] = mapped_column(default="")  # the sort key (0027)
    number: Mapped[str] = mapped_column(default="")  # empty: the database draws FH-<category code>-001
    model: Mapped[str] = mapped_column(default="")
    item_code: Mapped[str] = mapped_column(default="")
    base_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    monitored: Mapped[bool] = mapped_column(default=False)
    serial_mode: Mapped[str] = mapped_column(default="none")
    notes: Mapped[str] = mapped_column(default="")
    sale_price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    purchase_price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    service_basis: Mapped[str] = mapped_column(default="sale")
    service_days: Mapped[int | None]
    maintenance_basis: Mapped[str] = mapped_column(default="inbound")
    maintenance_days: Mapped[int | None]
    scrap_basis: Mapped[str] = mapped_column(default="inbound")
    scrap_days: Mapped[int | None]
    custom_fields: Mapped[dict] = mapped_column(JSONB, default=dict)  # field id (str) → value as text


class ProductPicture(Versioned, Base):
    __tablename__ = "product_picture"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    mime_type: Mapped[str]
    content: Mapped[bytes] = mapped_column(LargeBinary)
