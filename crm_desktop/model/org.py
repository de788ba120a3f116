"""Organisation structure, accounts, roles and permissions (server_schema/0001_foundation.sql)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Identity
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_desktop.model.base import Base, Versioned


class Organization(Versioned, Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str]
    short_name: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    address: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    sort_order: Mapped[int] = mapped_column(default=0)


class Department(Versioned, Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    name: Mapped[str]
    phone: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    sort_order: Mapped[int] = mapped_column(default=0)


class DepartmentClosure(Base):
    __tablename__ = "department_closure"

    ancestor_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    descendant_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    depth: Mapped[int]


class Position(Versioned, Base):
    __tablename__ = "position"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    superior_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    name: Mapped[str]
    is_manager: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(default="")
    sort_order: Mapped[int] = mapped_column(default=0)


class Account(Versioned, Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    login: Mapped[str]
    name: Mapped[str]
    gender: Mapped[str] = mapped_column(default="male")
    number: Mapped[str] = mapped_column(default="")
    mobile: Mapped[str] = mapped_column(default="")
    email: Mapped[str] = mapped_column(default="")
    office_phone: Mapped[str] = mapped_column(default="")
    home_phone: Mapped[str] = mapped_column(default="")
    mailbox_quota_mb: Mapped[int] = mapped_column(default=0)
    email_quota_mb: Mapped[int] = mapped_column(default=0)
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(default="active")
    locked: Mapped[bool] = mapped_column(default=False)
    ukey: Mapped[bool] = mapped_column(default=False)
    ukey_card_id: Mapped[str | None]
    deleted_at: Mapped[datetime | None]

    positions: Mapped[list["AccountPosition"]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="AccountPosition.is_main.desc()")


class Employee(Versioned, Base):
    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    name: Mapped[str]
    gender: Mapped[str]
    number: Mapped[str] = mapped_column(default="")
    hired_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(default="")


class AccountPosition(Base):
    __tablename__ = "account_position"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), primary_key=True)
    is_main: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date] = mapped_column(server_default="current_date")

    account: Mapped[Account] = relationship(back_populates="positions")


class Permission(Base):
    __tablename__ = "permission"

    code: Mapped[str] = mapped_column(primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("permission.code"))
    name_zh: Mapped[str]
    name_en: Mapped[str]
    sort_order: Mapped[int]


class Role(Versioned, Base):
    __tablename__ = "role"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str]
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    builtin: Mapped[str | None]
    notes: Mapped[str] = mapped_column(default="")


class RolePermission(Base):
    __tablename__ = "role_permission"

    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"), primary_key=True)
    permission_code: Mapped[str] = mapped_column(ForeignKey("permission.code"), primary_key=True)


class AccountRole(Base):
    __tablename__ = "account_role"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"), primary_key=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    table_name: Mapped[str]
    row_id: Mapped[str | None]
    operation: Mapped[str]
    changes: Mapped[dict] = mapped_column(JSONB)
