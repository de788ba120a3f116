"""销售机会 (chapter 五.2, figure 17): opportunities over configurable stages.  The server keeps the
status of won/lost stages, the stage's probability as default, the reason a lost one needs and the
stage history (a trigger, so a raw UPDATE is recorded too)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.model.customer import Customer
from crm_desktop.model.followup import OPPORTUNITY_FIELDS, Opportunity, OpportunityStage, OpportunityStageChange
from crm_desktop.model.org import Account
from crm_desktop.services.customer import user_errors
from crm_desktop.services.records import as_dict, update_versioned

STATUSES = ("open", "won", "lost", "on_hold")


def stages(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [as_dict(r) for r in s.scalars(select(OpportunityStage)
                                               .order_by(OpportunityStage.sort_order, OpportunityStage.id))]


def _values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in OPPORTUNITY_FIELDS}
    if "expected_amount" in out:
        out["expected_amount"] = Decimal(str(out["expected_amount"] or 0))
    if out.get("status") == "lost" and not (out.get("lost_reason") or "").strip():
        raise UserError("opportunity_lost_needs_reason")
    return out


def create_opportunity(db: Database, customer_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """A new opportunity; 负责人 defaults to me, the stage to the first one."""
    row = _values(values)
    row.setdefault("owner_id", db.account_id)
    with user_errors(), db.session() as s:
        if "stage_id" not in row:
            row["stage_id"] = s.scalar(select(OpportunityStage.id).order_by(OpportunityStage.sort_order).limit(1))
        new_id = s.scalar(insert(Opportunity).values(customer_id=customer_id, **row).returning(Opportunity.id))
        return as_dict(s.get(Opportunity, new_id))


def get_opportunity(db: Database, opportunity_id: int) -> dict[str, Any]:
    with db.session() as s:
        obj = s.get(Opportunity, opportunity_id, populate_existing=True)
        if obj is None:
            raise UserError("row_deleted")
        return as_dict(obj)


def update_opportunity(db: Database, original: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Save what changed; refused (StaleRow) over someone else's newer save."""
    changes = {k: v for k, v in _values({**original, **values}).items() if original.get(k) != v}
    with user_errors(), db.session() as s:
        obj = update_versioned(s, Opportunity, original["id"], original, changes)
        s.refresh(obj)
        return as_dict(obj)


def move_to_stage(db: Database, original: dict[str, Any], stage_id: int, lost_reason: str = "") -> dict[str, Any]:
    """What dragging a card does: change the stage (a lost stage needs the reason)."""
    values: dict[str, Any] = {"stage_id": stage_id}
    if lost_reason:
        values["lost_reason"] = lost_reason.strip()
    return update_opportunity(db, original, values)


def opportunities(db: Database, limit: int = 1000) -> list[dict[str, Any]]:
    """The list view: visible opportunities with customer, stage and owner names, newest first."""
    query = (select(Opportunity, Customer.name.label("customer_name"), OpportunityStage.name.label("stage_name"),
                    Account.name.label("owner_name"))
             .join(Customer, Customer.id == Opportunity.customer_id)
             .join(OpportunityStage, OpportunityStage.id == Opportunity.stage_id)
             .join(Account, Account.id == Opportunity.owner_id)
             .order_by(Opportunity.id.desc()).limit(limit))
    with db.session() as s:
        return [{**as_dict(r[0]), "customer_name": r[1], "stage_name": r[2], "owner_name": r[3]} for r in s.execute(query)]


def stage_history(db: Database, opportunity_id: int) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.scalars(select(OpportunityStageChange).where(OpportunityStageChange.opportunity_id == opportunity_id)
                         .order_by(OpportunityStageChange.at, OpportunityStageChange.id))
        return [as_dict(r) for r in rows]
