"""Organisations, departments, positions, the organisation tree and the position chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.model.org import (Account, AccountPosition, Department, DepartmentClosure,
                                   Organization, Position)
from crm_desktop.services.records import as_dict, require_text, update_versioned


# -- organisations ------------------------------------------------------------------------------
def list_organizations(db: Database) -> list[dict]:
    with db.session() as s:
        return [as_dict(o) for o in s.scalars(select(Organization).order_by(Organization.sort_order,
                                                                             Organization.id))]


def save_organization(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    values = {**values, "name": require_text(values.get("name"), "机构名称")}
    with db.session() as s:
        if original is None:
            org = Organization(**values)
            s.add(org)
            s.flush()
        else:
            org = update_versioned(s, Organization, original["id"], original, values)
        return as_dict(org)


def delete_organization(db: Database, org_id: int) -> None:
    with db.session() as s:
        s.execute(delete(Organization).where(Organization.id == org_id))


# -- departments ----------------------------------------------------------------------------------
def list_departments(db: Database, organization_id: int | None = None) -> list[dict]:
    query = select(Department).order_by(Department.organization_id, Department.sort_order, Department.id)
    if organization_id is not None:
        query = query.where(Department.organization_id == organization_id)
    with db.session() as s:
        return [as_dict(d) for d in s.scalars(query)]


def add_departments(db: Database, organization_id: int, rows: list[dict[str, Any]]) -> list[dict]:
    """Add several departments at once (figure 2): all are saved or none.

    Each row has ``name`` and ``parent_id`` (None only for the organisation's top department);
    a row may name a parent added earlier in the same batch by ``parent_index``.
    """
    with db.session() as s:
        added: list[Department] = []
        for row in rows:
            parent_id = row.get("parent_id")
            if row.get("parent_index") is not None:
                parent_id = added[row["parent_index"]].id
            dept = Department(organization_id=organization_id, parent_id=parent_id,
                              name=require_text(row.get("name"), "部门名称"),
                              phone=row.get("phone", ""), notes=row.get("notes", ""),
                              sort_order=row.get("sort_order", 0))
            s.add(dept)
            s.flush()
            added.append(dept)
        return [as_dict(d) for d in added]


def save_department(db: Database, values: dict[str, Any], original: dict) -> dict:
    values = {**values, "name": require_text(values.get("name"), "部门名称")}
    with db.session() as s:
        return as_dict(update_versioned(s, Department, original["id"], original, values))


def delete_department(db: Database, department_id: int) -> None:
    with db.session() as s:
        s.execute(delete(Department).where(Department.id == department_id))


def department_and_below(db: Database, department_id: int) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(DepartmentClosure.descendant_id)
                              .where(DepartmentClosure.ancestor_id == department_id)))


# -- positions ------------------------------------------------------------------------------------
def list_positions(db: Database, department_id: int | None = None) -> list[dict]:
    query = select(Position).order_by(Position.department_id, Position.sort_order, Position.id)
    if department_id is not None:
        query = query.where(Position.department_id == department_id)
    with db.session() as s:
        return [as_dict(p) for p in s.scalars(query)]


def save_position(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    values = {**values, "name": require_text(values.get("name"), "职位名称")}
    if not values.get("department_id"):
        raise UserError("required_field", field="部门")
    with db.session() as s:
        if original is None:
            pos = Position(**values)
            s.add(pos)
            s.flush()
        else:
            pos = update_versioned(s, Position, original["id"], original, values)
        return as_dict(pos)


def delete_position(db: Database, position_id: int) -> None:
    with db.session() as s:
        s.execute(delete(Position).where(Position.id == position_id))


# -- the organisation tree (dock) -------------------------------------------------------------------
@dataclass
class TreeNode:
    kind: str  # organization | department | position | account
    id: int
    name: str
    children: list["TreeNode"] = field(default_factory=list)
    detail: str = ""


def organization_tree(db: Database) -> list[TreeNode]:
    """Organisations → departments (nested) → positions → the accounts holding them."""
    with db.session() as s:
        orgs = s.scalars(select(Organization).order_by(Organization.sort_order, Organization.id)).all()
        depts = s.scalars(select(Department).order_by(Department.sort_order, Department.id)).all()
        positions = s.scalars(select(Position).order_by(Position.sort_order, Position.id)).all()
        holders = s.execute(select(AccountPosition.position_id, Account.id, Account.name, Account.login,
                                   AccountPosition.is_main)
                            .join(Account, Account.id == AccountPosition.account_id)
                            .where(Account.deleted_at.is_(None))
                            .order_by(Account.name)).all()
    dept_nodes = {d.id: TreeNode("department", d.id, d.name) for d in depts}
    pos_nodes = {p.id: TreeNode("position", p.id, p.name, detail="manager" if p.is_manager else "")
                 for p in positions}
    for position_id, account_id, name, login, is_main in holders:
        pos_nodes[position_id].children.append(
            TreeNode("account", account_id, name, detail=login if is_main else f"{login} (兼)"))
    for p in positions:
        dept_nodes[p.department_id].children.append(pos_nodes[p.id])
    roots: list[TreeNode] = []
    org_nodes = {o.id: TreeNode("organization", o.id, o.name) for o in orgs}
    for d in depts:
        parent = dept_nodes[d.parent_id] if d.parent_id else org_nodes[d.organization_id]
        parent.children.append(dept_nodes[d.id])
    roots.extend(org_nodes.values())
    return roots


@dataclass
class ChartNode:
    position_id: int
    name: str
    department: str
    is_manager: bool
    holders: list[str]
    subordinates: list["ChartNode"] = field(default_factory=list)


def position_chart(db: Database, organization_id: int | None = None) -> list[ChartNode]:
    """职位关系图: positions linked by their superiors, roots first."""
    query = (select(Position, Department.name).join(Department, Department.id == Position.department_id)
             .order_by(Position.sort_order, Position.id))
    if organization_id is not None:
        query = query.where(Department.organization_id == organization_id)
    with db.session() as s:
        rows = s.execute(query).all()
        holders = s.execute(select(AccountPosition.position_id, Account.name)
                            .join(Account, Account.id == AccountPosition.account_id)
                            .where(Account.deleted_at.is_(None)).order_by(Account.name)).all()
    names: dict[int, list[str]] = {}
    for position_id, name in holders:
        names.setdefault(position_id, []).append(name)
    nodes = {p.id: ChartNode(p.id, p.name, dept, p.is_manager, names.get(p.id, [])) for p, dept in rows}
    roots = []
    for p, _ in rows:
        if p.superior_id in nodes:
            nodes[p.superior_id].subordinates.append(nodes[p.id])
        else:
            roots.append(nodes[p.id])
    return roots


# -- appended for the admin screens -----------------------------------------------------------------
def add_department_rows(db: Database, rows: list[dict[str, Any]]) -> list[dict]:
    """Figure 2's grid: each row names its own organisation; all rows are saved or none.

    Each row has ``organization_id``, ``name`` and ``parent_id`` (None: the organisation's top
    department) or ``parent_index`` (a row earlier in the same batch).
    """
    with db.session() as s:
        added: list[Department] = []
        for row in rows:
            parent_id = row.get("parent_id")
            if row.get("parent_index") is not None:
                parent_id = added[row["parent_index"]].id
            dept = Department(organization_id=row["organization_id"], parent_id=parent_id,
                              name=require_text(row.get("name"), "部门名称"),
                              phone=row.get("phone", ""), notes=row.get("notes", ""),
                              sort_order=row.get("sort_order", 0))
            s.add(dept)
            s.flush()
            added.append(dept)
        return [as_dict(d) for d in added]


@dataclass
class Structure:
    """Everything the admin forms choose from: organisations, departments, positions."""

    organizations: list[dict]
    departments: list[dict]
    positions: list[dict]


def load_structure(db: Database) -> Structure:
    return Structure(list_organizations(db), list_departments(db), list_positions(db))
