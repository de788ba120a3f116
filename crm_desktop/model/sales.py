"""Sales documents (server_schema/0023_quotes.sql): quotes and their lines.

Amounts are kept by the server (definitions/sales_documents.sql); they are mapped read-only here
(``FetchedValue``) so an ORM flush never sends them.  Approval columns belong to the engine.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, FetchedValue, ForeignKey, Identity, Numeric
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.model.base import Base, Versioned

MONEY = Numeric(18, 2, asdecimal=True)
QUANTITY = Numeric(18, 4, asdecimal=True)
RATE = Numeric(7, 4, asdecimal=True)

APPROVAL_STATES = ("draft", "pending", "approved", "rejected")

# what a form writes; everything else is the server's
QUOTE_FIELDS = ("handler_id", "customer_id", "contact_id", "quoted_on", "valid_until", "opportunity_id", "flow_id",
                "template", "notes", "discount")
LINE_FIELDS = ("line_no", "product_id", "product_name", "category", "kind", "spec", "quantity", "unit_id",
               "unit_price", "discount", "note")


def _server() -> dict:
    return {"server_default": FetchedValue(), "server_onupdate": FetchedValue()}


class Quote(Versioned, Base):
    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    number: Mapped[str] = mapped_column(server_default="")
    handler_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    customer_id: Mapped[int] = mapped_column(BigInteger)
    contact_id: Mapped[int | None] = mapped_column(BigInteger)
    quoted_on: Mapped[date] = mapped_column(server_default=FetchedValue())
    valid_until: Mapped[date]
    opportunity_id: Mapped[int | None] = mapped_column(BigInteger)
    flow_id: Mapped[int | None] = mapped_column(BigInteger)
    template: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    discount: Mapped[Decimal] = mapped_column(RATE, default=Decimal(1))
    line_count: Mapped[int] = mapped_column(**_server())
    total_quantity: Mapped[Decimal] = mapped_column(QUANTITY, **_server())
    total_amount: Mapped[Decimal] = mapped_column(MONEY, **_server())
    net_amount: Mapped[Decimal] = mapped_column(MONEY, **_server())
    discounted_total: Mapped[Decimal] = mapped_column(MONEY, **_server())
    approval_status: Mapped[str] = mapped_column(**_server())
    last_approver_id: Mapped[int | None] = mapped_column(BigInteger, **_server())
    last_approved_at: Mapped[datetime | None] = mapped_column(**_server())
    approval_instance_id: Mapped[int | None] = mapped_column(BigInteger, **_server())
    converted_order_id: Mapped[int | None] = mapped_column(BigInteger, **_server())
    created_by: Mapped[int | None] = mapped_column(BigInteger, **_server())


class QuoteLine(Versioned, Base):
    __tablename__ = "quote_line"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id"))
    line_no: Mapped[int]
    product_id: Mapped[int] = mapped_column(BigInteger)
    product_name: Mapped[str] = mapped_column(default="")
    category: Mapped[str] = mapped_column(default="")
    kind: Mapped[str] = mapped_column(default="")
    spec: Mapped[str] = mapped_column(default="")
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_id: Mapped[int] = mapped_column(BigInteger)
    base_quantity: Mapped[Decimal] = mapped_column(Numeric(18, 6, asdecimal=True), **_server())
    unit_price: Mapped[Decimal] = mapped_column(QUANTITY)
    discount: Mapped[Decimal] = mapped_column(RATE, default=Decimal(1))
    amount: Mapped[Decimal] = mapped_column(MONEY, **_server())
    net_amount: Mapped[Decimal] = mapped_column(MONEY, **_server())
    discounted_amount: Mapped[Decimal] = mapped_column(MONEY, **_server())
    note: Mapped[str] = mapped_column(default="")
