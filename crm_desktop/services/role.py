"""Roles (权限角色组), the permission catalogue as a tree, the role × permission grid, and
assigning roles from either side (figures 5–8)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from crm_desktop import messages
from crm_desktop.db.connection import Database
from crm_desktop.model.org import AccountRole, Permission, Role, RolePermission
from crm_desktop.services.records import as_dict, require_text, update_versioned


@dataclass
class PermissionNode:
    code: str
    name_zh: str
    name_en: str
    children: list["PermissionNode"] = field(default_factory=list)

    def name(self) -> str:
        return self.name_en if messages.language() == "en" else self.name_zh

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def permission_tree(db: Database) -> list[PermissionNode]:
    with db.session() as s:
        rows = s.scalars(select(Permission).order_by(Permission.sort_order)).all()
    nodes = {p.code: PermissionNode(p.code, p.name_zh, p.name_en) for p in rows}
    messages.PERMISSION_NAMES.update({p.code: (p.name_zh, p.name_en) for p in rows})
    roots = []
    for p in rows:
        (nodes[p.parent_code].children if p.parent_code else roots).append(nodes[p.code])
    return roots


def list_roles(db: Database) -> list[dict]:
    with db.session() as s:
        return [as_dict(r) for r in s.scalars(select(Role).order_by(Role.organization_id.nulls_first(), Role.id))]


def save_role(db: Database, values: dict[str, Any], original: dict | None = None) -> dict:
    values = {"name": require_text(values.get("name"), "角色名称"),
              "organization_id": values.get("organization_id"), "notes": values.get("notes", "")}
    with db.session() as s:
        if original is None:
            role = Role(**values)
            s.add(role)
            s.flush()
        else:
            role = update_versioned(s, Role, original["id"], original, values)
        return as_dict(role)


def delete_role(db: Database, role_id: int) -> None:
    with db.session() as s:
        s.execute(delete(Role).where(Role.id == role_id))


def permission_grid(db: Database) -> dict[int, set[str]]:
    """role id → the permission codes ticked for it."""
    grid: dict[int, set[str]] = {}
    with db.session() as s:
        for role_id, code in s.execute(select(RolePermission.role_id, RolePermission.permission_code)):
            grid.setdefault(role_id, set()).add(code)
    return grid


def set_role_permissions(db: Database, role_id: int, codes: set[str]) -> None:
    """Replace the role's ticked permissions in one transaction."""
    with db.session() as s:
        current = set(s.scalars(select(RolePermission.permission_code).where(RolePermission.role_id == role_id)))
        if current - codes:
            s.execute(delete(RolePermission).where(RolePermission.role_id == role_id,
                                                   RolePermission.permission_code.in_(current - codes)))
        s.add_all(RolePermission(role_id=role_id, permission_code=c) for c in codes - current)


def account_role_ids(db: Database, account_id: int) -> set[int]:
    with db.session() as s:
        return set(s.scalars(select(AccountRole.role_id).where(AccountRole.account_id == account_id)))


def role_account_ids(db: Database, role_id: int) -> set[int]:
    with db.session() as s:
        return set(s.scalars(select(AccountRole.account_id).where(AccountRole.role_id == role_id)))


def _replace(db: Database, key_column, key: int, other_column, wanted: set[int], make) -> None:
    with db.session() as s:
        current = set(s.scalars(select(other_column).where(key_column == key)))
        if current - wanted:
            s.execute(delete(AccountRole).where(key_column == key, other_column.in_(current - wanted)))
        s.add_all(make(other) for other in wanted - current)


def set_account_roles(db: Database, account_id: int, role_ids: set[int]) -> None:
    """Figure 7: choose an account's roles."""
    _replace(db, AccountRole.account_id, account_id, AccountRole.role_id, set(role_ids),
             lambda r: AccountRole(account_id=account_id, role_id=r))


def set_role_accounts(db: Database, role_id: int, account_ids: set[int]) -> None:
    """Figure 8: choose a role's accounts."""
    _replace(db, AccountRole.role_id, role_id, AccountRole.account_id, set(account_ids),
             lambda a: AccountRole(account_id=a, role_id=role_id))


# -- appended for the permission grid ---------------------------------------------------------------
def set_grid_permissions(db: Database, grid: dict[int, set[str]]) -> None:
    """Save the changed columns of figure 6 (role id → ticked codes) in one transaction."""
    with db.session() as s:
        for role_id, codes in grid.items():
            current = set(s.scalars(select(RolePermission.permission_code)
                                    .where(RolePermission.role_id == role_id)))
            if current - codes:
                s.execute(delete(RolePermission).where(RolePermission.role_id == role_id,
                                                       RolePermission.permission_code.in_(current - codes)))
            s.add_all(RolePermission(role_id=role_id, permission_code=c) for c in codes - current)
            s.flush()
