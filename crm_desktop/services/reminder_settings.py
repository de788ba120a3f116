"""邮件短信提醒设置 (permission reminder.agent): the agent's SMTP and SMS gateway settings and the
outbox of reminders it could not send.  The SMTP password and the gateway token are write-only for
accounts (no SELECT grant on those columns): the screen shows only whether one is set."""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import text

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.services.customer import user_errors

# the columns an account may read (0025_followup grants) and write
READABLE = ("email_enabled", "smtp_host", "smtp_port", "smtp_security", "smtp_login", "smtp_password_set", "sender",
            "sms_enabled", "sms_url", "sms_token_set", "max_attempts", "retry_seconds", "version")
WRITABLE = ("email_enabled", "smtp_host", "smtp_port", "smtp_security", "smtp_login", "sender", "sms_enabled",
            "sms_url", "max_attempts", "retry_seconds")


def get_settings(db: Database) -> dict[str, Any]:
    """The settings row; ``row_deleted`` (nothing visible) for an account without reminder.agent."""
    with user_errors(), db.session() as s:
        row = s.execute(text(f"select {', '.join(READABLE)} from crm.reminder_setting")).mappings().first()
    if row is None:
        raise UserError("permission_denied", detail="reminder.agent")
    return dict(row)


def save_settings(db: Database, original: dict[str, Any], values: dict[str, Any],
                  smtp_password: str | None = None, sms_token: str | None = None) -> dict[str, Any]:
    """Save what changed (a password/token only when given); refused if someone saved meanwhile."""
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()
               if k in WRITABLE and original.get(k) != v}
    if smtp_password is not None:
        changes["smtp_password"] = smtp_password
    if sms_token is not None:
        changes["sms_token"] = sms_token
    if changes:
        assignments = ", ".join(f"{k} = :{k}" for k in changes)
        with user_errors(), db.session() as s:
            updated = s.execute(text(f"update crm.reminder_setting set {assignments} where version = :version "
                                     "returning id"), {**changes, "version": original["version"]}).first()
            if updated is None:
                raise UserError("stale_row", actor="?")
    return get_settings(db)


def deliveries(db: Database, status: str = "failed", limit: int = 200) -> list[dict[str, Any]]:
    """Reminders of the outbox in ``status`` (newest due first), with the customer and follower."""
    with user_errors(), db.session() as s:
        rows = s.execute(text("""
            select d.id, d.channel, d.due_at, d.status, d.attempts, d.last_error, d.recipient, d.sent_at,
                   p.subject, a.name as follower, c.name as customer
              from crm.reminder_delivery d join crm.contact_plan p on p.id = d.plan_id
              left join crm.account a on a.id = p.account_id left join crm.customer c on c.id = p.customer_id
             where d.status = :status order by d.due_at desc, d.id desc limit :limit"""),
                         {"status": status, "limit": limit}).mappings()
        return [dict(r) for r in rows]


def retry_deliveries(db: Database, ids: Sequence[int]) -> int:
    """Send failed reminders again at the agent's next round."""
    with user_errors(), db.session() as s:
        return s.execute(text("""update crm.reminder_delivery set status = 'pending', attempts = 0, next_attempt_at = now()
                                  where id = any(:ids) and status = 'failed'"""), {"ids": list(ids)}).rowcount
