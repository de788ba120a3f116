"""Following customers up (chapter 五.1, figure 16): contact plans for oneself or a colleague,
contact records, executing a plan into a record, the next plan written with the record, and the
reminders (联系提醒).  PostgreSQL decides who may plan, record and see what
(definitions/followup.sql); these functions shape the calls and keep each action one transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.model.customer import Contact, ContactPlan
from crm_desktop.model.followup import PLAN_FIELDS, RECORD_FIELDS, WAYS, ContactRecord
from crm_desktop.model.org import Account
from crm_desktop.services.customer import user_errors
from crm_desktop.services.records import as_dict, require_text, update_versioned


def _plan_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in PLAN_FIELDS}
    if "planned_at" in out and out["planned_at"] is None:
        raise UserError("contact_plan_time_required")
    if "way" in out and out["way"] not in WAYS:
        raise UserError("contact_plan_way_valid")
    if "subject" in out:
        out["subject"] = (out["subject"] or "").strip()
    return out


def _record_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in RECORD_FIELDS}
    out["subject"] = require_text(out.get("subject"), "联系主题")
    if out.get("way", "phone") not in WAYS:
        raise UserError("contact_record_way_valid")
    out.setdefault("contacted_at", datetime.now().astimezone())
    out["content"] = (out.get("content") or "").strip()
    return out


# -- plans (联系计划) -----------------------------------------------------------------------------

def plan_contact(db: Database, customer_id: int, values: dict[str, Any], follower_id: int | None = None) -> int:
    """Plan a contact for oneself or for ``follower_id``, who must see the customer (else
    ``contact_plan_follower_cannot_see``); with reminders by e-mail and/or SMS."""
    row = _plan_values({"way": "phone", **values})
    if "planned_at" not in row:
        raise UserError("contact_plan_time_required")
    with user_errors(), db.session() as s:
        return s.scalar(insert(ContactPlan).values(customer_id=customer_id, account_id=follower_id or db.account_id,
                                                   **row).returning(ContactPlan.id))


def get_plan(db: Database, plan_id: int) -> dict[str, Any]:
    with db.session() as s:
        obj = s.get(ContactPlan, plan_id)
        if obj is None:
            raise UserError("row_deleted")
        return as_dict(obj)


def update_plan(db: Database, original: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Move or change a plan; refused (StaleRow) if someone saved it meanwhile."""
    changes = {k: v for k, v in _plan_values(values).items() if original.get(k) != v}
    with user_errors(), db.session() as s:
        return as_dict(update_versioned(s, ContactPlan, original["id"], original, changes))


def plans(db: Database, customer_id: int | None = None, open_only: bool = False,
          limit: int = 500) -> list[dict[str, Any]]:
    """Plans the account sees (of one customer, or all), newest first, with names for a list."""
    follower, author = Account.__table__.alias("follower"), Account.__table__.alias("author")
    query = (select(ContactPlan, follower.c.name.label("follower_name"), author.c.name.label("author_name"),
                    Contact.name.label("contact_name"))
             .outerjoin(follower, follower.c.id == ContactPlan.account_id)
             .outerjoin(author, author.c.id == ContactPlan.created_by)
             .outerjoin(Contact, Contact.id == ContactPlan.contact_id)
             .order_by(ContactPlan.planned_at.desc(), ContactPlan.id.desc()).limit(limit))
    if customer_id is not None:
        query = query.where(ContactPlan.customer_id == customer_id)
    if open_only:
        query = query.where(ContactPlan.done.is_(False))
    with db.session() as s:
        return [{**as_dict(r[0]), "follower_name": r[1] or "", "author_name": r[2] or "", "contact_name": r[3] or ""}
                for r in s.execute(query)]


def possible_followers(db: Database, customer_id: int) -> list[dict[str, Any]]:
    """Accounts a plan for this customer may be made for: those who see it (the server's rule)."""
    with db.session() as s:
        rows = s.execute(text("""select a.id, a.name from crm.account a
                                  where a.deleted_at is null and a.status = 'active'
                                    and crm.follower_sees_customer(a.id, :customer) order by a.name, a.id"""),
                         {"customer": customer_id})
        return [dict(r._mapping) for r in rows]


# -- records (联系记录) ---------------------------------------------------------------------------

def add_record(db: Database, customer_id: int, values: dict[str, Any], plan_id: int | None = None,
               next_plan: dict[str, Any] | None = None, next_follower_id: int | None = None) -> int:
    """Write a contact record — executing ``plan_id`` when given (the plan is done, its reminder
    gone) — and, with ``next_plan``, the next contact's plan: all in one transaction."""
    row = _record_values(values)
    next_row = _plan_values({"way": "phone", **next_plan}) if next_plan is not None else None
    if next_row is not None and next_row.get("planned_at") is None:
        raise UserError("contact_plan_time_required")
    with user_errors(), db.session() as s:
        record_id = s.scalar(insert(ContactRecord).values(customer_id=customer_id, plan_id=plan_id, **row)
                             .returning(ContactRecord.id))
        if next_row is not None:
            s.execute(insert(ContactPlan).values(customer_id=customer_id,
                                                 account_id=next_follower_id or db.account_id, **next_row))
        return record_id


def execute_plan(db: Database, plan_id: int, values: dict[str, Any], next_plan: dict[str, Any] | None = None,
                 next_follower_id: int | None = None) -> int:
    """执行: turn a plan into a record (the plan's customer, contact and way unless given)."""
    plan = get_plan(db, plan_id)
    values = {"contact_id": plan["contact_id"], "way": plan["way"], "subject": plan["subject"], **values}
    return add_record(db, plan["customer_id"], values, plan_id=plan_id, next_plan=next_plan,
                      next_follower_id=next_follower_id)


def update_record(db: Database, original: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    changes = {k: v for k, v in _record_values({**original, **values}).items() if original.get(k) != v}
    with user_errors(), db.session() as s:
        return as_dict(update_versioned(s, ContactRecord, original["id"], original, changes))


def records(db: Database, customer_id: int | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Records the account sees (of one customer, or all), newest first."""
    query = (select(ContactRecord, Account.name.label("handler_name"), Contact.name.label("contact_name"))
             .outerjoin(Account, Account.id == ContactRecord.account_id)
             .outerjoin(Contact, Contact.id == ContactRecord.contact_id)
             .order_by(ContactRecord.contacted_at.desc(), ContactRecord.id.desc()).limit(limit))
    if customer_id is not None:
        query = query.where(ContactRecord.customer_id == customer_id)
    with db.session() as s:
        return [{**as_dict(r[0]), "handler_name": r[1] or "", "contact_name": r[2] or ""} for r in s.execute(query)]


def contacts_of(db: Database, customer_id: int) -> list[tuple[str, int]]:
    """(name, id) of the customer's contact persons, for the dialogs' choice."""
    with db.session() as s:
        return [(r.name, r.id) for r in s.execute(select(Contact.id, Contact.name)
                                                  .where(Contact.customer_id == customer_id)
                                                  .order_by(Contact.is_primary.desc(), Contact.id))]


def customer_name(db: Database, customer_id: int) -> str:
    with db.session() as s:
        name = s.scalar(text("select name from crm.customer where id = :id"), {"id": customer_id})
    if name is None:
        raise UserError("row_deleted")
    return name


# -- reminders (联系提醒 / 销售提醒) --------------------------------------------------------------

BUCKETS = ("overdue", "today", "week")


def week_end(now: datetime) -> datetime:
    """Midnight after the coming Sunday (the end of "this week", local time)."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=7 - start.weekday())


def reminders(db: Database, now: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """The account's own open plans: overdue (before now), today (the rest of today), this week."""
    now = now or datetime.now().astimezone()
    today_end = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    with db.session() as s:
        rows = [dict(r._mapping) for r in s.execute(text("select * from crm.my_reminders(:until)"),
                                                    {"until": max(week_end(now), today_end)})]
    out: dict[str, list[dict[str, Any]]] = {b: [] for b in BUCKETS}
    for row in rows:
        at = row["planned_at"]
        out["overdue" if at < now else "today" if at < today_end else "week"].append(row)
    return out


def due_count(buckets: dict[str, list[dict[str, Any]]]) -> int:
    """What the status bar counts: overdue and today's."""
    return len(buckets["overdue"]) + len(buckets["today"])
