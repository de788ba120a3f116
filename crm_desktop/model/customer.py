"""The customer archive (server_schema/0003_customers.sql … 0003c_customer_actions.sql)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Computed, FetchedValue, ForeignKey, Identity
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.model.base import Base, Versioned


class _Choice(Versioned):
    """A base-settings list entry (客户类型, 客户类别, 客户来源, 行业)."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str]
    sort_order: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(default="")


class CustomerType(_Choice, Base):
    __tablename__ = "customer_type"


class CustomerCategory(_Choice, Base):
    __tablename__ = "customer_category"


class CustomerSource(_Choice, Base):
    __tablename__ = "customer_source"


class Industry(_Choice, Base):
    __tablename__ = "industry"


class Region(Versioned, Base):
    """所在地区: a tree; ``path`` ("中国.广东省.广州") is kept by the server."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    name: Mapped[str]
    path: Mapped[str] = mapped_column(server_default=FetchedValue())
    sort_order: Mapped[int] = mapped_column(default=0)


class Customer(Versioned, Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    kind: Mapped[str] = mapped_column(default="company")
    is_private: Mapped[bool] = mapped_column(default=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    number: Mapped[str] = mapped_column(default="")
    name: Mapped[str]
    name_initials: Mapped[str] = mapped_column(default="")
    name_pinyin: Mapped[str] = mapped_column(default="")  # the sort key (0027), written like the initials
    type_id: Mapped[int | None] = mapped_column(ForeignKey("customer_type.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("customer_category.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("customer_source.id"))
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industry.id"))
    phone: Mapped[str] = mapped_column(default="")
    mobile: Mapped[str] = mapped_column(default="")
    fax: Mapped[str] = mapped_column(default="")
    email: Mapped[str] = mapped_column(default="")
    website: Mapped[str] = mapped_column(default="")
    address: Mapped[str] = mapped_column(default="")
    postcode: Mapped[str] = mapped_column(default="")
    last_contact_at: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"), server_default=FetchedValue())
    search_key: Mapped[str] = mapped_column(Computed("lower(name)"), deferred=True)
    contact_search: Mapped[str] = mapped_column(server_default=FetchedValue(), deferred=True)


# columns the client writes (grants in 0003b); the rest is kept by the server
CUSTOMER_FIELDS = ("kind", "is_private", "name", "name_initials", "name_pinyin", "type_id", "category_id", "region_id",
                   "source_id", "industry_id", "phone", "mobile", "fax", "email", "website", "address",
                   "postcode", "notes")
CUSTOMER_INSERT_FIELDS = CUSTOMER_FIELDS + ("owner_id", "department_id", "number", "last_contact_at")


class Contact(Versioned, Base):
    """联系人."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    name: Mapped[str]
    gender: Mapped[str] = mapped_column(default="")
    title: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    mobile: Mapped[str] = mapped_column(default="")
    email: Mapped[str] = mapped_column(default="")
    qq: Mapped[str] = mapped_column(default="")
    wechat: Mapped[str] = mapped_column(default="")
    is_primary: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(default="")


CONTACT_FIELDS = ("name", "gender", "title", "phone", "mobile", "email", "qq", "wechat", "is_primary", "notes")


class CustomerShare(Base):
    __tablename__ = "customer_share"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    shared_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    shared_at: Mapped[datetime] = mapped_column(server_default="now()")


class CustomerHistory(Base):
    __tablename__ = "customer_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    at: Mapped[datetime] = mapped_column(server_default="now()")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    action: Mapped[str]
    from_owner: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    to_owner: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    receivers: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")
    old_type_id: Mapped[int | None] = mapped_column(ForeignKey("customer_type.id"))
    new_type_id: Mapped[int | None] = mapped_column(ForeignKey("customer_type.id"))
    reason: Mapped[str] = mapped_column(default="")


class ContactPlan(Versioned, Base):
    """联系计划 (chapter 五 builds on it)."""

    __tablename__ = "contact_plan"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    planned_at: Mapped[datetime]
    subject: Mapped[str] = mapped_column(default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"), server_default=FetchedValue())
    done: Mapped[bool] = mapped_column(default=False)
    # 0025_followup: the way, the contact person and the reminders (services/followup)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    way: Mapped[str] = mapped_column(default="phone")
    remind_email: Mapped[bool] = mapped_column(default=False)
    remind_sms: Mapped[bool] = mapped_column(default=False)
    remind_minutes: Mapped[int] = mapped_column(default=0)
    done_at: Mapped[datetime | None] = mapped_column(server_default=FetchedValue())


class AccountCategoryPermission(Base):
    """客户分类权限: the account sees only customers of these types (and its own)."""

    __tablename__ = "account_category_permission"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("customer_type.id"), primary_key=True)


class ManagementScope(Base):
    """人员管理层次权限: a leader sees the customers of an organisation or a department subtree."""

    __tablename__ = "management_scope"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))


class PrivateCustomerLimit(Base):
    """客户资源设置: no row, no limit."""

    __tablename__ = "private_customer_limit"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    max_private: Mapped[int]
