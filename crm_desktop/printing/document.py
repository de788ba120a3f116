"""What a printout needs to know of a document: plain values, no database, no Qt.

The modules fill it (quotes: ``services/quote.py``), ``printing`` renders it. Money and quantities are
``Decimal`` exactly as the database holds them; nothing here rounds or computes a total — the printout
shows the totals the document carries, so paper and screen can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

KINDS = ("quote", "sales_order", "contract")
APPROVAL_STATES = ("draft", "pending", "approved", "rejected")


@dataclass(frozen=True)
class Party:
    """The customer side of a document: the company and the person we deal with."""

    name: str
    address: str = ""
    contact: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class PrintLine:
    """One product line, as the document holds it."""

    product: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal                      # quantity × unit price, as stored
    discount: Decimal = Decimal("1")     # the line's rate: 0.95 is 95 % (九五折)
    discounted_amount: Decimal | None = None  # None: same as amount
    code: str = ""
    category: str = ""
    kind: str = ""                       # 类型
    spec: str = ""                       # 规格型号
    note: str = ""


@dataclass(frozen=True)
class Instalment:
    """One row of a payment plan (contracts, orders)."""

    due: date
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class PrintDocument:
    kind: str                            # one of KINDS
    number: str
    issued: date                         # 报价时间 / 订单日期 / 签约日期
    party: Party
    handler: str                         # 报价人 / 业务员 / 公司签约人
    lines: tuple[PrintLine, ...] = ()
    total_quantity: Decimal = Decimal("0")
    total_amount: Decimal = Decimal("0")
    discount: Decimal = Decimal("1")     # whole-document rate
    discounted_total: Decimal = Decimal("0")  # the amount payable: 大写金额 prints this one
    approval_status: str = "draft"       # one of APPROVAL_STATES: anything but approved prints a watermark
    approved_by: str = ""
    approved_at: datetime | None = None
    valid_until: date | None = None      # quotes
    title: str = ""                      # the document's own title or subject, if it has one
    notes: str = ""
    fields: tuple[tuple[str, str], ...] = ()   # further labelled values, in order (收支类型, 支付方式 …)
    payment_plan: tuple[Instalment, ...] = ()
    version: int = 0


@dataclass(frozen=True)
class Letterhead:
    """The company printing the document (from the settings)."""

    name: str
    logo_png: bytes | None = None
    address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""
    bank: str = ""                       # 开户行及账号
    tax_number: str = ""                 # 税号
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# the line columns a template may leave out (crm.print_template.hidden_columns allows these only)
HIDEABLE_COLUMNS = ("code", "category", "kind", "spec", "unit_price", "discount", "discounted_amount", "note")
DEFAULT_HIDDEN_COLUMNS = frozenset({"category", "kind", "note"})  # as migration 0024 seeds the templates


@dataclass(frozen=True)
class PrintTemplate:
    """How one kind of document prints (from the settings): title, footer, columns left out."""

    kind: str
    title: str = ""                      # "" prints the kind's own name (报价单, 销售订单, 合同)
    footer: str = ""                     # printed at the foot of every page
    hidden_columns: frozenset[str] = DEFAULT_HIDDEN_COLUMNS
