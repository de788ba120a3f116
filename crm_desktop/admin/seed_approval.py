"""Demo approval flows (issue 11): defined by the demo administrator through the engine's own
function, so they are versioned and audited like any flow an office defines.

Quotes over 50,000 or below a 90 % discount go to the submitter's manager, then to 总经理; every
other quote to the submitter's manager.  The other document types (contracts, sales orders, bad
debts, transfers, complaints) get their flows when their modules register their types.
"""

from __future__ import annotations

from sqlalchemy import text

from crm_desktop.db.connection import Database, open_database

DEMO_PASSWORD = "demo1234"

QUOTE_FLOWS = [
    {"name": "大额或低折扣报价", "priority": 10, "condition_match": "any",
     "conditions": [{"fact": "total", "op": ">", "value": "50000"}, {"fact": "discount", "op": "<", "value": "0.9"}],
     "steps": [{"name": "销售经理审批", "approver_kind": "leader", "leader_levels": 1, "mode": "any"},
               {"name": "总经理审批", "approver_kind": "position", "position": "总经理", "mode": "any"}]},
    {"name": "普通报价", "priority": 100, "condition_match": "all", "conditions": [],
     "steps": [{"name": "销售经理审批", "approver_kind": "leader", "leader_levels": 1, "mode": "any"}]},
]


def as_demo_account(db: Database, login: str) -> Database:
    """A demo account's own connection (the engine acts for the logged-in account, never a superuser)."""
    return open_database(db.address, login, DEMO_PASSWORD)


def seed_approval_flows(db: Database) -> None:
    from crm_desktop.services import approval

    with db.session() as s:
        if s.execute(text("select to_regclass('crm.approval_flow')")).scalar() is None:
            return  # a schema from before the engine (an upgrade test seeds the old release's tables)
        have = set(s.execute(text("select name from crm.approval_flow where document_type = 'quote'")).scalars())
        positions = dict(s.execute(text("select name, id from crm.position")).all())
    missing = [f for f in QUOTE_FLOWS if f["name"] not in have]
    if not missing:
        return
    admin = as_demo_account(db, "admin")
    try:
        for flow in missing:
            steps = [{**st, "approver_ids": [positions[st["position"]]] if st.get("position") else []}
                     for st in flow["steps"]]
            approval.save_flow(admin, {**flow, "document_type": "quote", "steps": steps, "active": True})
    finally:
        admin.close()
