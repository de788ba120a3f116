"""Quotes (报价单): read, save (header and lines in one transaction, stale-safe), the list and the
line list with the seed's filters, export, submit for approval, print.  No Qt.

The server computes every amount (definitions/sales_documents.sql); ``document_math`` is its mirror
for the form's preview.  What an account sees is what the policies show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from crm_desktop.db.connection import Database
from crm_desktop.excel.export import write_table
from crm_desktop.messages import UserError, language, permission_name, translate_error
from crm_desktop.model.sales import LINE_FIELDS, QUOTE_FIELDS
from crm_desktop.printing.document import Party, PrintDocument, PrintLine
from crm_desktop.services import approval
from crm_desktop.services.customer import name_initials
from crm_desktop.services.customer_list import _local  # Excel has no time zones: local time

DEFAULT_VALIDITY_DAYS = 30


@dataclass
class QuoteLineInput:
    product_id: int
    unit_id: int
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal = Decimal(1)
    product_name: str = ""
    category: str = ""
    kind: str = ""
    spec: str = ""
    note: str = ""
    id: int | None = None  # an existing line


def _user_errors(exc: DBAPIError) -> UserError:
    return translate_error(exc)


# -- one quote --------------------------------------------------------------------------------

def get_quote(db: Database, quote_id: int) -> dict[str, Any]:
    """Header (with the customer, contact, handler and approver names) and lines; row_deleted when
    gone or not visible."""
    with db.session() as s:
        head = s.execute(text("""
            select q.*, c.name as customer_name, c.number as customer_number, c.owner_id as customer_owner_id,
                   c.address as customer_address, h.name as handler_name, a.name as last_approver_name,
                   k.name as contact_name, k.phone as contact_phone, k.mobile as contact_mobile,
                   k.email as contact_email, k.title as contact_title, k.qq as contact_qq
              from crm.quote q
              left join crm.customer c on c.id = q.customer_id
              left join crm.account h on h.id = q.handler_id
              left join crm.account a on a.id = q.last_approver_id
              left join crm.contact k on k.id = q.contact_id
             where q.id = :id"""), {"id": quote_id}).mappings().first()
        if head is None:
            raise UserError("row_deleted")
        lines = [dict(r._mapping) for r in s.execute(text("""
            select l.*, u.name as unit_name, p.number as product_number
              from crm.quote_line l join crm.unit u on u.id = l.unit_id join crm.product p on p.id = l.product_id
             where l.quote_id = :id order by l.line_no, l.id"""), {"id": quote_id})]
    out = dict(head)
    out["lines"] = lines
    out["expired"] = out["valid_until"] < date.today()
    return out


def new_quote_defaults(db: Database) -> dict[str, Any]:
    today = date.today()
    return {"id": None, "version": None, "handler_id": db.account_id, "customer_id": None, "contact_id": None,
            "quoted_on": today, "valid_until": today + timedelta(days=DEFAULT_VALIDITY_DAYS), "flow_id": None,
            "template": "", "notes": "", "discount": Decimal(1), "approval_status": "draft", "lines": []}


def save_quote(db: Database, values: dict[str, Any], lines: Sequence[QuoteLineInput],
               original: dict[str, Any] | None = None) -> int:
    """Header and lines in one transaction.  A quote someone saved since ``original`` was read is
    refused (stale_row); lines not in ``lines`` are removed.  Returns the quote's id."""
    header = {k: values.get(k) for k in QUOTE_FIELDS if k in values}
    if not header.get("customer_id"):
        raise UserError("required_field", field="客户名称" if language() != "en" else "Customer")
    if not header.get("valid_until"):
        raise UserError("required_field", field="有效期至" if language() != "en" else "Valid until")
    header["template"] = (header.get("template") or "").strip()
    header["notes"] = header.get("notes") or ""
    header["discount"] = Decimal(header.get("discount") or 1)
    try:
        with db.session() as s:
            if original and original.get("id"):
                qid = original["id"]
                sets = ", ".join(f"{k} = :{k}" for k in header)
                done = s.execute(text(f"update crm.quote set {sets} where id = :id and version = :version returning id"),
                                 {**header, "id": qid, "version": original["version"]}).scalar()
                if done is None:
                    now = s.execute(text("select q.version, a.name from crm.quote q left join crm.account a "
                                         "on a.id = q.updated_by where q.id = :id"), {"id": qid}).first()
                    if now is None:
                        raise UserError("row_deleted")
                    raise UserError("stale_row", actor=now[1] or "?")
            else:
                header.setdefault("handler_id", db.account_id)
                cols = ", ".join(header)
                qid = s.execute(text(f"insert into crm.quote ({cols}) values ({', '.join(':' + k for k in header)}) "
                                     "returning id"), header).scalar()
            keep = [ln.id for ln in lines if ln.id]
            s.execute(text("delete from crm.quote_line where quote_id = :q and not (id = any (:keep))"),
                      {"q": qid, "keep": keep})
            # line numbers are unique per quote (checked at commit): renumber in order
            for n, ln in enumerate(lines, start=1):
                row = {"line_no": n, "product_id": ln.product_id, "product_name": ln.product_name or "",
                       "category": ln.category or "", "kind": ln.kind or "", "spec": ln.spec or "",
                       "quantity": Decimal(ln.quantity), "unit_id": ln.unit_id, "unit_price": Decimal(ln.unit_price),
                       "discount": Decimal(ln.discount), "note": ln.note or ""}
                if ln.id:
                    sets = ", ".join(f"{k} = :{k}" for k in LINE_FIELDS)
                    s.execute(text(f"update crm.quote_line set {sets} where id = :id and quote_id = :q"),
                              {**row, "id": ln.id, "q": qid})
                else:
                    cols = ", ".join(("quote_id",) + LINE_FIELDS)
                    s.execute(text(f"insert into crm.quote_line ({cols}) values (:q, "
                                   + ", ".join(":" + k for k in LINE_FIELDS) + ")"), {**row, "q": qid})
            return qid
    except DBAPIError as exc:
        raise _user_errors(exc) from None


def submit_quote(db: Database, quote_id: int, flow_id: int | None = None, comment: str = "") -> int:
    return approval.submit(db, "quote", quote_id, flow_id, comment)


def proposed_price(db: Database, customer_id: int | None, product_id: int) -> Decimal:
    """The product's price memory: the last price this customer paid, else the standard price."""
    with db.session() as s:
        value = s.execute(text("select crm.proposed_price(:c, :p, 'sale')"), {"c": customer_id, "p": product_id}).scalar()
    if value is None:
        raise UserError("row_deleted")
    return Decimal(value)


def product_units(db: Database, product_id: int) -> list[dict]:
    """The product's base unit first, then every unit a conversion reaches (its own or office-wide)."""
    with db.session() as s:
        rows = s.execute(text("""
            select u.id, u.name, u.id = p.base_unit_id as is_base
              from crm.product p join crm.unit u on u.id = p.base_unit_id where p.id = :p
            union
            select u.id, u.name, false from crm.product p join crm.unit_conversion c
                on (c.product_id = p.id or c.product_id is null) and (c.to_unit_id = p.base_unit_id
                                                                     or c.from_unit_id = p.base_unit_id)
              join crm.unit u on u.id in (c.from_unit_id, c.to_unit_id) and u.id <> p.base_unit_id
             where p.id = :p
             order by 3 desc, 2"""), {"p": product_id})
        return [dict(r._mapping) for r in rows]


def unit_price_in(db: Database, product_id: int, base_price: Decimal, unit_id: int) -> Decimal:
    """A base-unit price expressed per ``unit_id`` (1 箱 = 24 个 → 24 × the price of 个)."""
    with db.session() as s:
        factor = s.execute(text("select crm.to_base_quantity(:p, 1, :u)"), {"p": product_id, "u": unit_id}).scalar()
    return (Decimal(base_price) * Decimal(factor)).quantize(Decimal("0.0001"))


def search_products(db: Database, needle: str, limit: int = 50) -> list[dict]:
    """The product picker: part of the name, number or model, or the name's pinyin initials
    ('hpsh' finds HP四核服务器), with category, type, unit and standard price.  Every account reads
    every product; the catalogue is matched here because products keep no initials column."""
    needle = (needle or "").strip().lower()
    with db.session() as s:
        rows = [dict(r._mapping) for r in s.execute(text("""
            select p.id, p.number, p.name, p.model, p.sale_price, p.base_unit_id, u.name as unit_name,
                   c.path as category, coalesce(t.name, '') as kind
              from crm.product p join crm.unit u on u.id = p.base_unit_id
              join crm.product_category c on c.id = p.category_id left join crm.product_type t on t.id = p.type_id
             order by p.number, p.id"""))]
    if not needle:
        return rows[:limit]
    out = []
    for r in rows:
        hay = (r["name"] or "").lower(), (r["number"] or "").lower(), (r["model"] or "").lower()
        if any(needle in h for h in hay) or name_initials(r["name"]).startswith(needle) \
                or needle in name_initials(r["name"]):
            out.append(r)
            if len(out) >= limit:
                break
    return out


def search_customers(db: Database, needle: str, limit: int = 50) -> list[dict]:
    """The customer picker: only customers the account may see (the policy decides)."""
    like = "%" + (needle or "").strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with db.session() as s:
        return [dict(r._mapping) for r in s.execute(text("""
            select id, number, name, is_private from crm.customer
             where name ilike :like or number ilike :like or name_initials like lower(:like)
             order by name, id limit :limit"""), {"like": like, "limit": limit})]


def customer_contacts(db: Database, customer_id: int) -> list[dict]:
    with db.session() as s:
        return [dict(r._mapping) for r in s.execute(text("""
            select id, name, title, phone, mobile, email, qq, is_primary from crm.contact
             where customer_id = :c order by is_primary desc, name, id"""), {"c": customer_id})]


def flows_for_quotes(db: Database) -> list[dict]:
    return approval.list_flows(db, "quote", active_only=True)


# -- lists --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteFilter:
    """报价单管理's search bar.  ``scope_accounts`` (授权范围 --默认自己--): None for everything the
    account sees, else quotes whose 报价人 (by_handler) or customer's owner (by_customer_owner) is one
    of them; 私有 / 公共 narrow by the customer's kind."""

    scope_accounts: tuple[int, ...] | None = None
    by_handler: bool = True
    by_customer_owner: bool = False
    private: bool = True
    public: bool = True
    customer_type_id: int | None = None
    approval_status: str | None = None
    number: str = ""
    quoted_from: date | None = None
    quoted_to: date | None = None
    customer_name: str = ""
    handler_name: str = ""


def _conditions(f: QuoteFilter) -> tuple[list[str], dict[str, Any]]:
    where, params = [], {}
    if f.scope_accounts is not None:
        parts = []
        params["scope"] = list(f.scope_accounts)
        if f.by_handler or not f.by_customer_owner:
            parts.append("q.handler_id = any (:scope)")
        if f.by_customer_owner:
            parts.append("c.owner_id = any (:scope)")
        where.append("(" + " or ".join(parts) + ")")
    if not (f.private and f.public):
        where.append("c.is_private" if f.private else ("not c.is_private" if f.public else "false"))
    if f.customer_type_id is not None:
        where.append("c.type_id = :type")
        params["type"] = f.customer_type_id
    if f.approval_status:
        where.append("q.approval_status = :status")
        params["status"] = f.approval_status
    for key, column, value in (("number", "q.number", f.number), ("customer", "c.name", f.customer_name),
                               ("handler", "h.name", f.handler_name)):
        if value.strip():
            where.append(f"{column} ilike :{key}")
            params[key] = "%" + value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if f.quoted_from:
        where.append("q.quoted_on >= :date_from")
        params["date_from"] = f.quoted_from
    if f.quoted_to:
        where.append("q.quoted_on <= :date_to")
        params["date_to"] = f.quoted_to
    return where, params


QUOTE_LIST_SQL = """select q.id, q.number, q.quoted_on, q.valid_until, q.approval_status, q.line_count, q.total_quantity,
       q.total_amount, q.discounted_total, q.notes, q.last_approved_at, c.name as customer_name,
       h.name as handler_name, a.name as last_approver_name, q.converted_order_id
  from crm.quote q join crm.customer c on c.id = q.customer_id join crm.account h on h.id = q.handler_id
  left join crm.account a on a.id = q.last_approver_id"""

LINE_LIST_SQL = """select l.id, q.id as quote_id, q.number, c.name as customer_name, l.product_name, l.kind, l.spec,
       l.quantity, u.name as unit_name, l.unit_price, l.amount, l.discounted_amount, q.quoted_on, l.note,
       q.approval_status
  from crm.quote_line l join crm.quote q on q.id = l.quote_id join crm.customer c on c.id = q.customer_id
  join crm.account h on h.id = q.handler_id join crm.unit u on u.id = l.unit_id"""


@dataclass(frozen=True)
class ListColumn:
    name: str
    title_zh: str
    title_en: str
    numeric: bool = False

    @property
    def title(self) -> str:
        return self.title_en if language() == "en" else self.title_zh


QUOTE_COLUMNS = (ListColumn("number", "单据号", "Number"), ListColumn("customer_name", "客户名称", "Customer"),
                 ListColumn("quoted_on", "报价时间", "Quoted"), ListColumn("valid_until", "有效期至", "Valid until"),
                 ListColumn("handler_name", "报价人", "Handler"),
                 ListColumn("total_quantity", "数量", "Quantity", True),
                 ListColumn("total_amount", "总金额", "Amount", True),
                 ListColumn("discounted_total", "折后总额", "After discount", True),
                 ListColumn("status_name", "审核状态", "Approval"),
                 ListColumn("last_approver_name", "审核人", "Approved by"),
                 ListColumn("last_approved_at", "审核时间", "Approved at"), ListColumn("notes", "备注", "Notes"))
LINE_COLUMNS = (ListColumn("number", "单据号", "Number"), ListColumn("customer_name", "客户名称", "Customer"),
                ListColumn("product_name", "产品名称", "Product"), ListColumn("kind", "产品类型", "Type"),
                ListColumn("spec", "规格型号", "Model"), ListColumn("quantity", "数量", "Quantity", True),
                ListColumn("unit_name", "单位", "Unit"), ListColumn("unit_price", "单价", "Unit price", True),
                ListColumn("amount", "金额", "Amount", True), ListColumn("quoted_on", "报价时间", "Quoted"),
                ListColumn("note", "备注", "Notes"))


def _decorate(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    out["status_name"] = approval.name_of(approval.STATUS_NAMES, out.get("approval_status"))
    return out


@dataclass
class QuotePageSource:
    """Quotes (lines=False) or quote lines (lines=True), newest first, keyset-paged."""

    db: Database
    filter: QuoteFilter = field(default_factory=QuoteFilter)
    lines: bool = False

    sortable_columns: frozenset[str] = frozenset()  # newest first: the keyset order of the seed's list

    @property
    def columns(self) -> tuple[ListColumn, ...]:
        return LINE_COLUMNS if self.lines else QUOTE_COLUMNS

    @property
    def column_specs(self) -> tuple[ListColumn, ...]:
        return self.columns

    def key(self, row: dict[str, Any]) -> int:
        return row["id"]

    def sort_key(self, row: dict[str, Any]) -> tuple:
        return (row["quoted_on"], row["quote_id"] if self.lines else row["id"], row["id"])

    def sorted_by(self, column: str, descending: bool) -> "QuotePageSource":
        raise ValueError(f"not sortable: {column}")

    def filtered(self, new_filter: QuoteFilter) -> "QuotePageSource":
        return replace(self, filter=new_filter)

    def _query(self, extra: list[str], params: dict, limit: int | None) -> tuple[str, dict]:
        where, p = _conditions(self.filter)
        where += extra
        sql = (LINE_LIST_SQL if self.lines else QUOTE_LIST_SQL) + (" where " + " and ".join(where) if where else "")
        sql += (" order by q.quoted_on desc, q.id desc, l.id desc" if self.lines else " order by q.quoted_on desc, q.id desc")
        if limit is not None:
            sql += " limit :limit"
            p["limit"] = limit
        return sql, {**p, **params}

    def fetch_page(self, after: tuple | None, limit: int) -> list[dict[str, Any]]:
        extra, params = [], {}
        if after is not None:
            if self.lines:
                extra.append("(q.quoted_on, q.id, l.id) < (:a0, :a1, :a2)")
                params.update(a0=after[0], a1=after[1], a2=after[2])
            else:
                extra.append("(q.quoted_on, q.id) < (:a0, :a1)")
                params.update(a0=after[0], a1=after[1])
        sql, p = self._query(extra, params, limit)
        with self.db.session() as s:
            return [_decorate(r) for r in s.execute(text(sql), p)]

    def fetch_rows(self, keys: Sequence[int]) -> list[dict[str, Any]]:
        if not keys:
            return []
        sql, p = self._query([("l.id" if self.lines else "q.id") + " = any (:keys)"], {"keys": list(keys)}, None)
        with self.db.session() as s:
            return [_decorate(r) for r in s.execute(text(sql), p)]

    def iter_rows(self, batch: int = 2000) -> Iterator[dict[str, Any]]:
        after = None
        while True:
            page = self.fetch_page(after, batch)
            yield from page
            if len(page) < batch:
                return
            last = page[-1]
            after = (last["quoted_on"], last["quote_id"], last["id"]) if self.lines else (last["quoted_on"], last["id"])


def export_quotes(source: QuotePageSource, path: Path | str, progress=None) -> int:
    """The filtered list (or line list) as .xlsx, amounts as numbers; needs the quote permission."""
    if not source.db.can("sales.quote"):
        raise UserError("permission_denied", detail=permission_name("sales.quote"))
    specs = source.columns

    def rows():
        for count, row in enumerate(source.iter_rows(), start=1):
            if progress is not None and count % 1000 == 0:
                progress.raise_if_cancelled()
                progress.report(count, 0)
            yield [_local(row.get(c.name)) for c in specs]

    return write_table(path, [c.title for c in specs], rows(), title="报价单明细" if source.lines else "报价单")


# -- printing -----------------------------------------------------------------------------------

def quote_print_document(db: Database, quote_id: int) -> PrintDocument:
    """What the printout of the quote shows: the stored values, nothing recomputed."""
    q = get_quote(db, quote_id)
    party = Party(name=q["customer_name"] or "", address=q.get("customer_address") or "",
                  contact=q.get("contact_name") or "", phone=q.get("contact_phone") or "",
                  mobile=q.get("contact_mobile") or "", email=q.get("contact_email") or "")
    lines = tuple(PrintLine(product=ln["product_name"], quantity=ln["quantity"], unit=ln["unit_name"],
                            unit_price=ln["unit_price"], amount=ln["amount"], discount=ln["discount"],
                            discounted_amount=ln["discounted_amount"], code=ln.get("product_number") or "",
                            category=ln["category"], kind=ln["kind"], spec=ln["spec"], note=ln["note"])
                  for ln in q["lines"])
    return PrintDocument(kind="quote", number=q["number"], issued=q["quoted_on"], party=party,
                         handler=q["handler_name"] or "", lines=lines, total_quantity=q["total_quantity"],
                         total_amount=q["total_amount"], discount=q["discount"],
                         discounted_total=q["discounted_total"], approval_status=q["approval_status"],
                         approved_by=q.get("last_approver_name") or "" if q["approval_status"] == "approved" else "",
                         approved_at=q["last_approved_at"] if q["approval_status"] == "approved" else None,
                         valid_until=q["valid_until"], notes=q["notes"] or "",
                         fields=(("模板", q["template"]),) if q["template"] else (), version=q["version"])
