"""Builds the customer benchmark's world: a 5-level company of 500 accounts and N customers.

Level 1 is the head office (one manager: the "top manager"), then 4 regions, 16 branches, 48 teams
and 96 groups; every department has a manager position whose superior is the parent's manager, and
the remaining accounts are sales reps spread over the groups.  Customers arrive by COPY
(crm_desktop.admin.seed_customers), owned by reps and managers, 60 % private, 1 in 20 shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm_desktop.admin.seed import role_id
from crm_desktop.admin.seed_customers import Owner, ensure_choices, insert_customers
from crm_desktop.db.connection import Database
from crm_desktop.db.scram import scram_verifier
from crm_desktop.services import account as accounts
from crm_desktop.services import org

BRANCHING = (1, 4, 4, 3, 2)  # departments per parent at each of the 5 levels
ACCOUNTS = 500
PASSWORD = "bench1234"


@dataclass
class World:
    top_manager: str
    rep: str
    importer: str
    customers: int


def build_company(db: Database) -> tuple[list[Owner], str, str]:
    """The departments, positions and 500 accounts; returns (owners, top manager login, a rep login)."""
    org_id = org.save_organization(db, {"name": "基准测试公司"})["id"]
    levels: list[list[tuple[int, int]]] = []  # per level: (department id, manager position id)
    parents: list[tuple[int | None, int | None]] = [(None, None)]
    for depth, fan in enumerate(BRANCHING, start=1):
        level = []
        for parent_dept, parent_pos in parents:
            for k in range(fan):
                name = f"L{depth}-{len(level) + 1}"
                dept = org.add_departments(db, org_id, [{"name": name, "parent_id": parent_dept}])[0]["id"]
                pos = org.save_position(db, {"department_id": dept, "name": f"{name}经理", "is_manager": True,
                                             "superior_id": parent_pos})["id"]
                level.append((dept, pos))
        levels.append(level)
        parents = level
    groups = levels[-1]
    rep_positions = [org.save_position(db, {"department_id": d, "name": "业务员", "superior_id": p})["id"]
                     for d, p in groups]
    verifier = scram_verifier(PASSWORD)
    manager_role, rep_role = role_id(db, "销售经理"), role_id(db, "普通用户")
    owners: list[Owner] = []
    managers = [pos for level in levels for pos in level]
    for i, (dept, pos) in enumerate(managers):
        aid = _account(db, f"bm{i:03d}", pos, manager_role, verifier)
        owners.append(Owner(aid, dept))
    for i in range(ACCOUNTS - len(managers)):
        dept, _manager = groups[i % len(groups)]
        aid = _account(db, f"br{i:03d}", rep_positions[i % len(groups)], rep_role, verifier)
        owners.append(Owner(aid, dept))
    return owners, "bm000", "br000"


def _account(db: Database, login: str, position: int, role: int, verifier: str) -> int:
    return accounts.create_account(db, {"login": login, "name": login}, verifier,
                                   [accounts.PositionAssignment(position, True, date(2024, 1, 1))], [role],
                                   password_is_verifier=True)


def build(db: Database, customers: int, batch: int = 200_000) -> World:
    owners, top, rep = build_company(db)
    choices = ensure_choices(db)
    for start in range(0, customers, batch):
        insert_customers(db, start, min(start + batch, customers), owners, choices)
    raw = db.engine.raw_connection()
    try:
        raw.driver_connection.autocommit = True
        raw.driver_connection.execute("vacuum analyze crm.customer")
        raw.driver_connection.execute("analyze crm.contact")
        raw.driver_connection.execute("analyze crm.customer_share")
    finally:
        raw.close()
    return World(top, rep, "bm010", customers)
