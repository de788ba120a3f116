"""Following customers up (server_schema/0025_followup.sql): contact records and the reminder outbox.

The contact plan itself is ``model.customer.ContactPlan`` (the customer archive made it first)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, FetchedValue, ForeignKey, Identity
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
