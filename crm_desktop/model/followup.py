"""Following customers up (server_schema/0025_followup.sql): contact records and the reminder outbox.

The contact plan itself is ``model.customer.ContactPlan`` (the customer archive made it first)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, FetchedValue, ForeignKey, Identity, Numeric
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.model.base import Base, Versioned

# 联系方式, in the order the dialogs offer them
WAYS = ("phone", "visit", "email", "sms", "im", "other")


class ContactRecord(Versioned, Base):
    """联系记录: ``account_id`` (the handler) is whoever wrote it, kept by the server."""

    __tablename__ = "contact_record"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), server_default=FetchedValue())
    contacted_at: Mapped[datetime]
    way: Mapped[str] = mapped_column(default="phone")
    subject: Mapped[str]
    content: Mapped[str] = mapped_column(default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("contact_plan.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"), server_default=FetchedValue())


RECORD_FIELDS = ("contact_id", "contacted_at", "way", "subject", "content")
PLAN_FIELDS = ("contact_id", "planned_at", "way", "subject", "remind_email", "remind_sms", "remind_minutes")


class ReminderDelivery(Base):
    """One reminder by one channel, sent by the agent; visible to reminder administrators."""

    __tablename__ = "reminder_delivery"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("contact_plan.id"))
    channel: Mapped[str]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str] = mapped_column(default="")
    recipient: Mapped[str] = mapped_column(default="")
    sent_at: Mapped[datetime | None]


class OpportunityStage(Versioned, Base):
    """销售阶段 (base settings): a probability each, won / lost flags."""

    __tablename__ = "opportunity_stage"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str]
    sort_order: Mapped[int] = mapped_column(default=0)
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    is_won: Mapped[bool] = mapped_column(default=False)
    is_lost: Mapped[bool] = mapped_column(default=False)


class Opportunity(Versioned, Base):
    """销售机会 (figure 17).  Status follows a won/lost stage; the stage history is the server's."""

    __tablename__ = "opportunity"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    title: Mapped[str] = mapped_column(default="")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("customer_source.id"))
    starts_on: Mapped[date] = mapped_column(server_default=FetchedValue())
    ends_on: Mapped[date | None]
    kind: Mapped[str] = mapped_column(default="")
    stage_id: Mapped[int] = mapped_column(ForeignKey("opportunity_stage.id"))
    importance: Mapped[str] = mapped_column(default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    expected_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))
    probability: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), server_default=FetchedValue())
    status: Mapped[str] = mapped_column(default="open")
    lost_reason: Mapped[str] = mapped_column(default="")
    details: Mapped[str] = mapped_column(default="")
    analysis: Mapped[str] = mapped_column(default="")
    stage_entered_at: Mapped[datetime] = mapped_column(server_default=FetchedValue())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"), server_default=FetchedValue())


OPPORTUNITY_FIELDS = ("title", "source_id", "starts_on", "ends_on", "kind", "stage_id", "importance", "owner_id",
                      "team_id", "expected_amount", "probability", "status", "lost_reason", "details", "analysis")


class OpportunityStageChange(Base):
    __tablename__ = "opportunity_stage_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id"))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("opportunity_stage.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("opportunity_stage.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    at: Mapped[datetime]
    seconds_in_stage: Mapped[Decimal | None] = mapped_column(Numeric(14, 1))
