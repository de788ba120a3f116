"""Accounts (人员帐号): each is a PostgreSQL login role kept in step by the database itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, text
from sqlalchemy.orm import aliased

from crm_desktop.db.connection import Database
from crm_desktop.db.scram import scram_verifier
from crm_desktop.messages import UserError
from crm_desktop.model.org import (Account, AccountPosition, AccountRole, Department,
                                   DepartmentClosure, Organization, Position, Role)
from crm_desktop.services.records import as_dict, require_text, update_versioned

MIN_PASSWORD = 6
STATUS_NAMES = {"active": "在职", "resigned": "离职", "retired": "退休"}
GENDER_NAMES = {"male": "男", "female": "女"}


@dataclass
class AccountFilter:
    """The account list's filters (figure 4)."""

    organization_id: int | None = None
    department_id: int | None = None
    direct_only: bool = False
    position_id: int | None = None
    status: str | None = None
    no_position: bool = False
    no_role: bool = False
    locked: bool | None = None
    text: str = ""
    deleted: bool = False


@dataclass
class AccountRow:
    id: int
    login: str
    name: str
    gender: str
    number: str
    mobile: str
    email: str
    status: str
    locked: bool
    ukey: bool
    valid_until: date | None
    organization: str
    department: str
    position: str
    roles: str
    version: int


def _filtered(f: AccountFilter):
    main = aliased(AccountPosition)
    pos, dept, org = aliased(Position), aliased(Department), aliased(Organization)
    roles = (select(func.string_agg(Role.name, "、")).join(AccountRole, AccountRole.role_id == Role.id)
             .where(AccountRole.account_id == Account.id).scalar_subquery())
    query = (select(Account, org.name, dept.name, pos.name, roles)
             .outerjoin(main, and_(main.account_id == Account.id, main.is_main))
             .outerjoin(pos, pos.id == main.position_id)
             .outerjoin(dept, dept.id == pos.department_id)
             .outerjoin(org, org.id == dept.organization_id))
    query = query.where(Account.deleted_at.is_not(None) if f.deleted else Account.deleted_at.is_(None))
    held = select(AccountPosition.account_id).join(Position, Position.id == AccountPosition.position_id)
    if f.position_id:
        query = query.where(Account.id.in_(held.where(Position.id == f.position_id)))
    if f.department_id:
        if f.direct_only:
            depts = select(func.cast(f.department_id, Department.id.type))
        else:
            depts = select(DepartmentClosure.descendant_id).where(DepartmentClosure.ancestor_id == f.department_id)
        query = query.where(Account.id.in_(held.where(Position.department_id.in_(depts))))
    elif f.organization_id:
        org_depts = select(Department.id).where(Department.organization_id == f.organization_id)
        query = query.where(Account.id.in_(held.where(Position.department_id.in_(org_depts))))
    if f.status:
        query = query.where(Account.status == f.status)
    if f.no_position:
        query = query.where(~exists().where(AccountPosition.account_id == Account.id))
    if f.no_role:
        query = query.where(~exists().where(AccountRole.account_id == Account.id))
    if f.locked is not None:
        query = query.where(Account.locked.is_(f.locked))
    if f.text.strip():
        pattern = f"%{f.text.strip()}%"
        query = query.where(or_(Account.name.ilike(pattern), Account.login.ilike(pattern)))
    return query.order_by(Account.login)


def list_accounts(db: Database, f: AccountFilter | None = None) -> list[AccountRow]:
    with db.session() as s:
        rows = s.execute(_filtered(f or AccountFilter())).all()
    return [AccountRow(a.id, a.login, a.name, a.gender, a.number, a.mobile, a.email, a.status, a.locked,
                       a.ukey, a.valid_until, org or "", dept or "", pos or "", roles or "", a.version)
            for a, org, dept, pos, roles in rows]


EXPORT_HEADERS = ["帐号", "姓名", "性别", "编号", "手机", "电子邮件", "机构", "部门", "主要职位",
                  "状态", "已锁定", "UKey", "有效期至", "权限角色"]


def export_accounts(db: Database, f: AccountFilter, path: Path | str) -> int:
    from crm_desktop.excel.export import write_table

    rows = ([r.login, r.name, GENDER_NAMES.get(r.gender, r.gender), r.number, r.mobile, r.email,
             r.organization, r.department, r.position, STATUS_NAMES.get(r.status, r.status), r.locked,
             r.ukey, r.valid_until, r.roles] for r in list_accounts(db, f))
    return write_table(path, EXPORT_HEADERS, rows, title="人员帐号")


@dataclass
class PositionAssignment:
    position_id: int
    is_main: bool
    start_date: date | None = None


def get_account(db: Database, account_id: int) -> dict[str, Any]:
    """The form's data: the row, its positions and its role ids."""
    with db.session() as s:
        account = s.get(Account, account_id)
        if account is None:
            raise UserError("account_not_found")
        data = as_dict(account)
        data["positions"] = [PositionAssignment(p.position_id, p.is_main, p.start_date)
                             for p in account.positions]
        data["role_ids"] = list(s.scalars(select(AccountRole.role_id).where(AccountRole.account_id == account_id)))
        return data


def check_password(password: str, confirm: str | None = None) -> None:
    if confirm is not None and password != confirm:
        raise UserError("password_mismatch")
    if len(password) < MIN_PASSWORD:
        raise UserError("password_too_short", min=MIN_PASSWORD)


def _replace_positions(s, account_id: int, positions: list[PositionAssignment]) -> None:
    if sum(1 for p in positions if p.is_main) > 1:
        raise UserError("account_position_one_main")
    current = {p.position_id: p for p in s.scalars(select(AccountPosition).where(
        AccountPosition.account_id == account_id))}
    wanted = {p.position_id: p for p in positions}
    for pid in set(current) - set(wanted):
        s.delete(current[pid])
    s.flush()
    # the main flag is cleared before it is set, so the one-main index never sees two at once
    for pid, p in wanted.items():
        if pid in current and current[pid].is_main and not p.is_main:
            current[pid].is_main = False
    s.flush()
    for pid, p in wanted.items():
        row = current.get(pid)
        if row is None:
            row = AccountPosition(account_id=account_id, position_id=pid)
            s.add(row)
        row.is_main = p.is_main
        if p.start_date:
            row.start_date = p.start_date
    s.flush()


def _replace_roles(s, account_id: int, role_ids: list[int]) -> None:
    current = set(s.scalars(select(AccountRole.role_id).where(AccountRole.account_id == account_id)))
    wanted = set(role_ids)
    if current - wanted:
        s.execute(delete(AccountRole).where(AccountRole.account_id == account_id,
                                            AccountRole.role_id.in_(current - wanted)))
    s.add_all(AccountRole(account_id=account_id, role_id=r) for r in wanted - current)
    s.flush()


_FIELDS = ("login", "name", "gender", "number", "mobile", "email", "office_phone", "home_phone",
           "mailbox_quota_mb", "email_quota_mb", "valid_until", "status", "locked")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    clean = {k: values[k] for k in _FIELDS if k in values}
    if "login" in clean:
        clean["login"] = require_text(clean["login"], "帐号")
    if "name" in clean:
        clean["name"] = require_text(clean["name"], "姓名")
    return clean


def create_account(db: Database, values: dict[str, Any], password: str,
                   positions: list[PositionAssignment] = (), role_ids: list[int] = (),
                   password_is_verifier: bool = False) -> int:
    """Create the account, its login role, employee record, positions and roles in one transaction."""
    if not password_is_verifier:
        check_password(password)
    verifier = password if password_is_verifier else scram_verifier(password)
    with db.session() as s:
        account = Account(**_clean(values))
        s.add(account)
        s.flush()
        _replace_positions(s, account.id, list(positions))
        if role_ids:
            _replace_roles(s, account.id, list(role_ids))
        s.execute(text("select crm.set_account_password(:id, :v)"), {"id": account.id, "v": verifier})
        return account.id


def update_account(db: Database, original: dict[str, Any], values: dict[str, Any],
                   positions: list[PositionAssignment] | None = None, role_ids: list[int] | None = None,
                   password: str | None = None) -> dict:
    """Save the form; refused if someone saved the account after ``original`` was read."""
    with db.session() as s:
        account = update_versioned(s, Account, original["id"], original, _clean(values))
        if positions is not None:
            _replace_positions(s, account.id, positions)
        if role_ids is not None:
            _replace_roles(s, account.id, role_ids)
        if password:
            check_password(password)
            s.execute(text("select crm.set_account_password(:id, :v)"),
                      {"id": account.id, "v": scram_verifier(password)})
        return as_dict(account)


def _set(db: Database, account_id: int, **values: Any) -> None:
    with db.session() as s:
        account = s.get(Account, account_id)
        if account is None:
            raise UserError("account_not_found")
        for key, value in values.items():
            setattr(account, key, value)


def set_locked(db: Database, account_id: int, locked: bool) -> None:
    _set(db, account_id, locked=locked)


def set_status(db: Database, account_id: int, status: str) -> None:
    _set(db, account_id, status=status)


def set_expiry(db: Database, account_id: int, valid_until: date | None) -> None:
    _set(db, account_id, valid_until=valid_until)


def delete_account(db: Database, account_id: int) -> None:
    """Move to 已删除人员: the login role stays but can no longer log in."""
    _set(db, account_id, deleted_at=datetime.now(timezone.utc))


def restore_account(db: Database, account_id: int) -> None:
    _set(db, account_id, deleted_at=None)


def set_password(db: Database, account_id: int, password: str, confirm: str | None = None) -> None:
    check_password(password, confirm)
    with db.session() as s:
        s.execute(text("select crm.set_account_password(:id, :v)"),
                  {"id": account_id, "v": scram_verifier(password)})


def may_manage(db: Database, account_id: int) -> bool:
    """Whether the caller holds every permission the account holds: only then may it change the
    account's password, state, login, UKey, positions or roles (account_holds_more_permissions)."""
    with db.session() as s:
        return bool(s.execute(text("select crm.may_manage_account(:id)"), {"id": account_id}).scalar())


def assign_position(db: Database, account_id: int, position_id: int, main: bool = True) -> None:
    """Drag an account onto a position: it becomes the main position (the old main one is kept as
    concurrent) or an additional concurrent one."""
    with db.session() as s:
        rows = {p.position_id: p for p in s.scalars(select(AccountPosition).where(
            AccountPosition.account_id == account_id))}
        if main:
            for row in rows.values():
                if row.is_main and row.position_id != position_id:
                    row.is_main = False
            s.flush()
        row = rows.get(position_id)
        if row is None:
            s.add(AccountPosition(account_id=account_id, position_id=position_id,
                                  is_main=main or not any(r.is_main for r in rows.values())))
        elif main:
            row.is_main = True
        s.flush()


def account_id_by_login(db: Database, login: str) -> int:
    with db.session() as s:
        account_id = s.scalar(select(Account.id).where(Account.login == login))
    if account_id is None:
        raise UserError("account_not_found")
    return account_id


# -- appended for the account list (keyset pages for the lazy table model) ------------------------
_PAGE_ORDERS = {"login": Account.login, "name": Account.name, "number": Account.number}


def _account_rows(result) -> list[AccountRow]:
    return [AccountRow(a.id, a.login, a.name, a.gender, a.number, a.mobile, a.email, a.status, a.locked,
                       a.ukey, a.valid_until, org or "", dept or "", pos or "", roles or "", a.version)
            for a, org, dept, pos, roles in result]


def account_page(db: Database, f: AccountFilter, after: tuple | None = None, limit: int = 200,
                 order: str = "login", descending: bool = False) -> list[AccountRow]:
    """Up to ``limit`` accounts after the sort key ``after`` = (value of ``order``, id)."""
    from sqlalchemy import tuple_

    column = _PAGE_ORDERS[order]
    query = _filtered(f).order_by(None)
    if after is not None:
        bound = tuple_(column, Account.id)
        query = query.where(bound < tuple_(*after) if descending else bound > tuple_(*after))
    query = query.order_by(*((column.desc(), Account.id.desc()) if descending else (column, Account.id)))
    with db.session() as s:
        return _account_rows(s.execute(query.limit(limit)).all())


def accounts_by_ids(db: Database, f: AccountFilter, ids: list[int]) -> list[AccountRow]:
    """The rows of ``ids`` that still match ``f``."""
    with db.session() as s:
        return _account_rows(s.execute(_filtered(f).where(Account.id.in_(list(ids)))).all())
