"""客户档案基础信息 (the lists customer forms offer) and 客户档案权限分配 (category permission,
management scope, private customer limit).  Writes need customer.settings / customer.permission;
PostgreSQL refuses them otherwise.  The customer-number rule is ``services.numbering`` rule 'customer'.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import delete, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.model.customer import (AccountCategoryPermission, CustomerCategory, CustomerSource,
                                        CustomerType, Industry, ManagementScope, PrivateCustomerLimit, Region)
from crm_desktop.services.customer import user_errors
from crm_desktop.services.records import as_dict, require_text, update_versioned

LISTS = {"type": CustomerType, "category": CustomerCategory, "source": CustomerSource, "industry": Industry}
LIST_NAMES = {"type": "客户类型", "category": "客户类别", "source": "客户来源", "industry": "行业"}


# -- plain lists: type, category, source, industry ----------------------------------------------

def list_choices(db: Database, kind: str) -> list[dict[str, Any]]:
    model = LISTS[kind]
    with db.session() as s:
        return [as_dict(r) for r in s.scalars(select(model).order_by(model.sort_order, model.id))]


def save_choice(db: Database, kind: str, original: dict[str, Any] | None, values: dict[str, Any]) -> dict[str, Any]:
    """Add (``original`` None) or rename/reorder an entry."""
    model = LISTS[kind]
    row = {k: v for k, v in values.items() if k in ("name", "sort_order", "notes")}
    if "name" in row or original is None:
        row["name"] = require_text(row.get("name"), LIST_NAMES[kind])
    with user_errors(), db.session() as s:
        if original is None:
            return as_dict(s.get(model, s.scalar(insert(model).values(**row).returning(model.id))))
        return as_dict(update_versioned(s, model, original["id"], original, row))


def delete_choice(db: Database, kind: str, choice_id: int) -> None:
    """Refused (in_use) while a customer uses the entry."""
    model = LISTS[kind]
    with user_errors(), db.session() as s:
        s.execute(delete(model).where(model.id == choice_id))


def choice_ids_by_name(db: Database, kind: str) -> dict[str, int]:
    return {r["name"]: r["id"] for r in list_choices(db, kind)}


# -- regions: a tree, shown and searched by path (中国.广东省.广州) ------------------------------------

def list_regions(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [as_dict(r) for r in s.scalars(select(Region).order_by(Region.path))]


def save_region(db: Database, original: dict[str, Any] | None, values: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in values.items() if k in ("name", "parent_id", "sort_order")}
    if "name" in row or original is None:
        row["name"] = require_text(row.get("name"), "所在地区")
    with user_errors(), db.session() as s:
        if original is None:
            return as_dict(s.get(Region, s.scalar(insert(Region).values(**row).returning(Region.id))))
        return as_dict(update_versioned(s, Region, original["id"], original, row))


def ensure_region_path(db: Database, path: str) -> int:
    """The id of region ``path`` ("中国.广东省.广州"), adding the missing levels."""
    parent_id = None
    with user_errors(), db.session() as s:
        for depth, name in enumerate(path.split(".")):
            prefix = ".".join(path.split(".")[:depth + 1])
            found = s.scalar(select(Region.id).where(Region.path == prefix))
            if found is None:
                found = s.scalar(insert(Region).values(name=name, parent_id=parent_id).returning(Region.id))
            parent_id = found
    return parent_id


def delete_region(db: Database, region_id: int) -> None:
    with user_errors(), db.session() as s:
        s.execute(delete(Region).where(Region.id == region_id))


# -- 客户分类权限 ---------------------------------------------------------------------------------

def category_permissions(db: Database, account_id: int) -> set[int]:
    """The types the account is limited to; empty: no limit."""
    with db.session() as s:
        return set(s.scalars(select(AccountCategoryPermission.type_id)
                             .where(AccountCategoryPermission.account_id == account_id)))


def set_category_permissions(db: Database, account_id: int, type_ids: Iterable[int]) -> None:
    """Replace the account's types (an empty set lifts the limit)."""
    with user_errors(), db.session() as s:
        s.execute(delete(AccountCategoryPermission).where(AccountCategoryPermission.account_id == account_id))
        rows = [{"account_id": account_id, "type_id": t} for t in sorted(set(type_ids))]
        if rows:
            s.execute(insert(AccountCategoryPermission), rows)


# -- 人员管理层次权限 -------------------------------------------------------------------------------

def management_scopes(db: Database, account_id: int | None = None) -> list[dict[str, Any]]:
    with db.session() as s:
        query = select(ManagementScope).order_by(ManagementScope.account_id, ManagementScope.id)
        if account_id is not None:
            query = query.where(ManagementScope.account_id == account_id)
        return [as_dict(r) for r in s.scalars(query)]


def set_management_scope(db: Database, account_id: int, organization_ids: Iterable[int] = (),
                         department_ids: Iterable[int] = ()) -> None:
    """Replace what the leader is granted: whole organisations and/or department subtrees."""
    rows = ([{"account_id": account_id, "organization_id": o} for o in sorted(set(organization_ids))]
            + [{"account_id": account_id, "department_id": d} for d in sorted(set(department_ids))])
    with user_errors(), db.session() as s:
        s.execute(delete(ManagementScope).where(ManagementScope.account_id == account_id))
        for row in rows:
            s.execute(insert(ManagementScope).values(**row))


# -- 客户资源设置 ---------------------------------------------------------------------------------

def private_limits(db: Database) -> dict[int, int]:
    with db.session() as s:
        return {r.account_id: r.max_private for r in s.scalars(select(PrivateCustomerLimit))}


def set_private_limit(db: Database, account_id: int, max_private: int | None) -> None:
    """Set the account's limit; None removes it.  A limit below what they own already holds new
    additions back; it never takes customers away."""
    if max_private is not None and max_private < 0:
        raise UserError("private_customer_limit_not_negative")
    with user_errors(), db.session() as s:
        if max_private is None:
            s.execute(delete(PrivateCustomerLimit).where(PrivateCustomerLimit.account_id == account_id))
            return
        stmt = pg_insert(PrivateCustomerLimit).values(account_id=account_id, max_private=max_private)
        s.execute(stmt.on_conflict_do_update(index_elements=["account_id"],
                                             set_={"max_private": max_private}))


# -- 撞单: the administrator's switch ---------------------------------------------------------------

def duplicate_owner_disclosed(db: Database) -> bool:
    """Whether the archive-wide duplicate check names the follower of a customer one cannot see."""
    with db.session() as s:
        return bool(s.scalar(text("select disclose_duplicate_owner from crm.customer_archive_setting")))


def set_duplicate_owner_disclosure(db: Database, disclose: bool) -> None:
    """Needs customer.settings; the server refuses (permission_denied) otherwise."""
    with user_errors(), db.session() as s:
        s.execute(text("select crm.set_duplicate_owner_disclosure(:d)"), {"d": disclose})
