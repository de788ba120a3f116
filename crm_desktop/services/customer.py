"""Customers: read, create, change (stale-safe), delete, duplicate warning, contacts, sharing and
assigning.  Every rule is PostgreSQL's; these functions only shape calls and turn refusals into
catalogue sentences (the private-limit refusal carries the limit and the count).

The list, its filter and export are in ``customer_list``; base settings and permission settings in
``customer_settings``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from datetime import datetime
from typing import Any, Iterable, Iterator, Sequence

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from sqlalchemy import delete, insert, or_, select, text
from sqlalchemy.exc import DBAPIError

from crm_desktop import validators
from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError, translate_error
from crm_desktop.messages import text as text_of
from crm_desktop.model.customer import (CONTACT_FIELDS, CUSTOMER_FIELDS, CUSTOMER_INSERT_FIELDS, Contact,
                                        ContactPlan, Customer, CustomerHistory, CustomerShare)
from crm_desktop.model.org import Account
from crm_desktop.services.records import as_dict, require_text, update_versioned

_NOT_INITIAL = re.compile(r"[^0-9a-z]")


def name_initials(name: str) -> str:
    """Pinyin initials for search: 北斗广告有限公司 → 'bdggyxgs'; latin letters and digits kept.

    pypinyin's own segmentation costs ~100 µs a name (ten seconds for a 100,000-row import), so
    phrases from its dictionary are matched longest-first here (重庆 → cq, 银行 → yh) and other
    characters take their usual reading from a cache.  Service, import and seed all use this."""
    return _readings(name, lambda syllable: unicodedata.normalize("NFD", syllable)[0], _char_initial)


def name_pinyin(name: str) -> str:
    """The sort and search key: toneless full pinyin, 北斗广告有限公司 → 'beidouguanggaoyouxiangongsi',
    重庆 → 'chongqing'; latin letters and digits kept, lower-cased.  Written with the initials
    wherever a name is written (service, import, seed) for customers and products."""
    return _readings(name, _toneless, _char_pinyin)


def _readings(name: str, of_syllable, of_char) -> str:
    """The name read phrase by phrase (longest dictionary phrase first), then character by character."""
    out: list[str] = []
    i, name = 0, name or ""
    while i < len(name):
        size = _phrase_length(name, i)
        if size:
            out += [of_syllable(r[0]) for r in PHRASES_DICT[name[i:i + size]]]
            i += size
        else:
            out.append(of_char(name[i]))
            i += 1
    return _NOT_INITIAL.sub("", "".join(out).lower())


def _toneless(syllable: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c)).replace("ü", "v")


@lru_cache(maxsize=None)
def _char_pinyin(ch: str) -> str:
    return "".join(lazy_pinyin(ch, style=Style.NORMAL, errors="default", v_to_u=False))


def _phrase_length(name: str, i: int) -> int:
    """The longest dictionary phrase (4, 3 or 2 characters) starting at ``i``; 0 if none."""
    if name[i:i + 2] not in _phrase_heads():  # most positions start no phrase: one set lookup
        return 0
    return next((size for size in (4, 3, 2) if i + size <= len(name) and name[i:i + size] in PHRASES_DICT), 0)


@lru_cache(maxsize=1)
def _phrase_heads() -> frozenset[str]:
    """The first two characters of every dictionary phrase of two to four characters."""
    return frozenset(p[:2] for p in PHRASES_DICT if 2 <= len(p) <= 4)


@lru_cache(maxsize=None)
def _char_initial(ch: str) -> str:
    return "".join(lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="default"))


def limit_error(exc: BaseException) -> UserError:
    """A database refusal as a sentence; the private-limit one names the owner, limit and count."""
    error = translate_error(exc)
    if error.key == "customer_private_limit_exceeded":
        diag = getattr(getattr(exc, "orig", exc), "diag", None)
        try:
            params = json.loads(diag.message_detail)
        except (AttributeError, TypeError, ValueError):
            params = {}
        return UserError(error.key, **params)
    return error


@contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        raise limit_error(exc) from None


def _clean(values: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in allowed}
    if "name" in out:
        out["name"] = require_text(out["name"], "客户名称")
        out["name_initials"] = name_initials(out["name"])
        out["name_pinyin"] = name_pinyin(out["name"])
    for key in ("phone", "mobile", "fax", "email", "website", "address", "postcode", "notes"):
        if key in out:
            out[key] = (out[key] or "").strip()
    return _validated(out, _CUSTOMER_CHECKS)


FIELD_NAMES = {"phone": "电话", "mobile": "手机", "fax": "传真", "email": "电子邮件", "postcode": "邮编"}
_CUSTOMER_CHECKS = {"phone": validators.clean_phone, "fax": validators.clean_phone, "mobile": validators.clean_mobile,
                    "email": validators.clean_email, "postcode": validators.clean_postcode}
_CONTACT_CHECKS = {"phone": validators.clean_phone, "mobile": validators.clean_mobile, "email": validators.clean_email}


def _validated(values: dict[str, Any], checks: dict) -> dict[str, Any]:
    """The field kinds' one validator each (validators.py), as the import and the constraints apply them."""
    for key, clean in checks.items():
        if values.get(key):
            try:
                values[key] = clean(values[key])
            except validators.FieldError as error:
                raise UserError(error.key, **{"column": FIELD_NAMES[key], "value": values[key], **error.params}) from None
    return values


# -- customers ----------------------------------------------------------------------------------

def get_customer(db: Database, customer_id: int) -> dict[str, Any]:
    """The form's row (``original`` for a later save); UserError row_deleted if gone or not visible."""
    with db.session() as s:
        obj = s.get(Customer, customer_id)
        if obj is None:
            raise UserError("row_deleted")
        return as_dict(obj)


def create_customer(db: Database, values: dict[str, Any],
                    contacts: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """Add a customer (number from the rule when empty) with its contacts, in one transaction."""
    row = _clean(values, CUSTOMER_INSERT_FIELDS)
    with user_errors(), db.session() as s:
        customer_id = s.scalar(insert(Customer).values(**row).returning(Customer.id))
        for contact in contacts:
            s.execute(insert(Contact).values(customer_id=customer_id, **_contact_values(contact)))
        return as_dict(s.get(Customer, customer_id))


def can_edit_customer(db: Database, customer_id: int) -> bool:
    """Whether the account may change this customer: the server's own rule (owner, leader, scope or
    department — not a sharee) and the customer.edit permission."""
    if not db.can("customer.edit"):
        return False
    with db.session() as s:
        return bool(s.scalar(text("select crm.can_edit_customer(:id)"), {"id": customer_id}))


def update_customer(db: Database, original: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Save a form: refused (StaleRow, listing what changed) if someone saved the row meanwhile."""
    changes = {k: v for k, v in _clean(values, CUSTOMER_FIELDS).items() if original.get(k) != v}
    with user_errors(), db.session() as s:
        return as_dict(update_versioned(s, Customer, original["id"], original, changes))


def delete_customers(db: Database, ids: Sequence[int]) -> int:
    """Delete customers (with their contacts, shares and plans); all or nothing."""
    with user_errors(), db.session() as s:
        return s.scalar(text("select crm.delete_customers(:ids)"), {"ids": list(ids)})


def find_duplicates(db: Database, name: str, phones: Iterable[str] = (),
                    exclude_id: int | None = None) -> list[dict[str, Any]]:
    """Visible customers with the same name or one of the same phone numbers: the form's warning.

    Only customers the account may see are searched (a deliberate, documented disclosure)."""
    phones = sorted({p.strip() for p in phones if p and p.strip()})
    conditions = [Customer.name == name.strip()]
    if phones:
        conditions += [Customer.phone.in_(phones), Customer.mobile.in_(phones)]
    query = (select(Customer.id, Customer.number, Customer.name, Customer.phone, Customer.mobile,
                    Account.name.label("owner_name"))
             .outerjoin(Account, Account.id == Customer.owner_id).where(or_(*conditions)).limit(20))
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    with db.session() as s:
        return [dict(r._mapping) for r in s.execute(query)]


def customers_in_archive(db: Database, names: Iterable[str] = (), phones: Iterable[str] = (),
                         exclude_id: int | None = None) -> dict[str, dict[str, Any]]:
    """撞单: which names or phones the whole archive holds — also customers the account cannot see —
    by value: {"kind": "name"|"phone", "owner_name": follower or None, "disclosed": switch on}.
    Names are compared normalised (full-width, blanks, punctuation, case); phones by their digits."""
    with user_errors(), db.session() as s:
        rows = s.execute(text("select value, kind, owner_name, disclosed "
                              "from crm.customers_in_archive(:names, :phones, :exclude)"),
                         {"names": sorted(set(names)), "phones": sorted(set(phones)), "exclude": exclude_id})
        return {r.value: {"kind": r.kind, "owner_name": r.owner_name, "disclosed": r.disclosed} for r in rows}


def check_new_values(db: Database, name: str, phones: Iterable[str], exclude_id: int | None = None,
                     company: bool = True) -> tuple[list[dict[str, Any]], UserError | None]:
    """The form's duplicate check: (visible customers with the same name or phone — asked about —,
    the 撞单 refusal for a customer elsewhere in the archive, or None).  A person's name repeats
    too often to count; a company's does."""
    visible = find_duplicates(db, name, phones, exclude_id)
    shown = {v for d in visible for v in (d["name"], d["phone"], d["mobile"]) if v}
    phones = [p for p in phones if p and p not in shown]
    names = [name] if company and name not in shown else []
    found = customers_in_archive(db, names, phones, exclude_id) if (names or phones) else {}
    hit = next((v for v in (*names, *phones) if v in found), None)
    return visible, None if hit is None else archive_duplicate(hit, found[hit])


def archive_duplicate(value: str, found: dict[str, Any]) -> UserError:
    """The sentence for one 撞单 hit: "already in the archive, followed by 张三" (or without the name)."""
    what = text_of(f"customer_in_archive_{found['kind']}")
    if found["disclosed"]:
        owner = found["owner_name"] or text_of("customer_in_archive_public")
        return UserError("customer_in_archive", value=value, what=what, owner=owner)
    return UserError("customer_in_archive_hidden_owner", value=value, what=what)


def private_customer_status(db: Database, account_id: int | None = None) -> tuple[int, int | None]:
    """(private customers owned, limit or None) — for telling the user before they hit the limit.

    Counted by the server over all customers (``crm.private_customer_status``), so an assigner
    sees the receiver's true count; only the account itself and those who assign customers or set
    limits may ask about an account."""
    with user_errors(), db.session() as s:
        owned, limit = s.execute(text("select owned, max_private from crm.private_customer_status(cast(:account as bigint))"),
                                 {"account": account_id or db.account_id}).one()
    return owned, limit


def private_customer_counts(db: Database) -> dict[int, int]:
    """Account id → private customers owned, over all customers (客户资源设置; assigners and
    permission managers only)."""
    with user_errors(), db.session() as s:
        return dict(s.execute(text("select account_id, owned from crm.private_customer_counts()")).all())


# -- contacts (联系人) ----------------------------------------------------------------------------

def _contact_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in CONTACT_FIELDS}
    out["name"] = require_text(out.get("name"), "联系人")
    return _validated(out, _CONTACT_CHECKS)


def list_contacts(db: Database, customer_id: int) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.scalars(select(Contact).where(Contact.customer_id == customer_id)
                         .order_by(Contact.is_primary.desc(), Contact.id))
        return [as_dict(r) for r in rows]


def save_contact(db: Database, customer_id: int, original: dict[str, Any] | None,
                 values: dict[str, Any]) -> dict[str, Any]:
    """Add (``original`` None) or change a contact; stale-safe like customers."""
    with user_errors(), db.session() as s:
        if original is None:
            new_id = s.scalar(insert(Contact).values(customer_id=customer_id, **_contact_values(values))
                              .returning(Contact.id))
            return as_dict(s.get(Contact, new_id))
        changes = {k: v for k, v in _contact_values({**original, **values}).items() if original.get(k) != v}
        return as_dict(update_versioned(s, Contact, original["id"], original, changes))


def delete_contact(db: Database, contact_id: int) -> None:
    with user_errors(), db.session() as s:
        s.execute(delete(Contact).where(Contact.id == contact_id))


# -- sharing and assigning (figures 12–13) ------------------------------------------------------

def share_customers(db: Database, ids: Sequence[int], receivers: Sequence[int],
                    plan_at: datetime | None = None, plan_subject: str = "") -> int:
    """Give ``receivers`` read access and follow-up rights; with ``plan_at`` each gets a contact plan."""
    with user_errors(), db.session() as s:
        return s.scalar(text("select crm.share_customers(:ids, :receivers, :plan_at, :subject)"),
                        {"ids": list(ids), "receivers": list(receivers), "plan_at": plan_at,
                         "subject": plan_subject})


def unshare_customers(db: Database, ids: Sequence[int], receivers: Sequence[int]) -> int:
    with user_errors(), db.session() as s:
        return s.scalar(text("select crm.unshare_customers(:ids, :receivers)"),
                        {"ids": list(ids), "receivers": list(receivers)})


def assign_customers(db: Database, ids: Sequence[int], receiver: int, reason: str = "",
                     new_type_id: int | None = None, plan_at: datetime | None = None,
                     plan_subject: str = "") -> int:
    """Make ``receiver`` the owner (their private customers), within their private limit."""
    with user_errors(), db.session() as s:
        return s.scalar(text("select crm.assign_customers(:ids, :receiver, :reason, :new_type, :plan_at, :subject)"),
                        {"ids": list(ids), "receiver": receiver, "reason": reason or "",
                         "new_type": new_type_id, "plan_at": plan_at, "subject": plan_subject})


def list_shares(db: Database, customer_id: int) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.execute(select(CustomerShare.account_id, Account.name, CustomerShare.shared_at)
                         .join(Account, Account.id == CustomerShare.account_id)
                         .where(CustomerShare.customer_id == customer_id).order_by(Account.name))
        return [dict(r._mapping) for r in rows]


def history(db: Database, customer_id: int) -> list[dict[str, Any]]:
    """Share, unshare, assign and type-change records, oldest first."""
    with db.session() as s:
        rows = s.scalars(select(CustomerHistory).where(CustomerHistory.customer_id == customer_id)
                         .order_by(CustomerHistory.at, CustomerHistory.id))
        return [as_dict(r) for r in rows]


def add_contact_plan(db: Database, customer_id: int, planned_at: datetime, subject: str = "",
                     account_id: int | None = None) -> int:
    """Plan contact with a visible customer (a sharee may); the follower defaults to oneself."""
    with user_errors(), db.session() as s:
        return s.scalar(insert(ContactPlan).values(customer_id=customer_id, planned_at=planned_at,
                                                   account_id=account_id or db.account_id, subject=subject)
                        .returning(ContactPlan.id))


def contact_plans(db: Database, customer_id: int) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.scalars(select(ContactPlan).where(ContactPlan.customer_id == customer_id)
                         .order_by(ContactPlan.planned_at))
        return [as_dict(r) for r in rows]
