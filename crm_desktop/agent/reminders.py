"""The reminder jobs: due contact-plan reminders (crm.reminder_delivery, kept by the plans'
triggers) sent by e-mail through the office's SMTP server and by SMS through an HTTP gateway.

Exactly once, even with two agents: each reminder is claimed ``FOR UPDATE SKIP LOCKED`` in its own
transaction, sent, and marked sent in that same transaction; another agent skips the locked row
and, once committed, no longer finds it pending.  (An agent killed between the server accepting a
message and the commit sends that one again on restart: at-least-once at a crash, never twice
otherwise.)  A failed send is retried after ``retry_seconds * 2**(attempts-1)``; after
``max_attempts`` it is 'failed' with the error, which the administrator's screen lists.  The
agent connects with the superuser URL it was given: only it reads the SMTP password.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Callable

import psycopg
from psycopg.rows import dict_row

WAY_NAMES = {"phone": "电话", "visit": "拜访", "email": "邮件", "sms": "短信", "im": "QQ/微信", "other": "其他"}

_CLAIM = """
select d.id, d.attempts, p.planned_at, p.subject, p.way, c.name as customer, coalesce(k.name, '') as contact,
       coalesce(nullif(k.mobile, ''), k.phone, '') as contact_phone, a.name as follower, a.email, a.mobile
  from crm.reminder_delivery d
  join crm.contact_plan p on p.id = d.plan_id
  join crm.customer c on c.id = p.customer_id
  join crm.account a on a.id = p.account_id
  left join crm.contact k on k.id = p.contact_id
 where d.status = 'pending' and d.channel = %s and d.next_attempt_at <= now()
 order by d.next_attempt_at, d.id
 limit 1
 for update of d skip locked
"""

_SENT = "update crm.reminder_delivery set status = 'sent', sent_at = now(), recipient = %s, last_error = '' where id = %s"
_FAILED = """update crm.reminder_delivery
                set attempts = attempts + 1, last_error = %(error)s, recipient = %(recipient)s,
                    status = case when %(final)s or attempts + 1 >= %(max)s then 'failed' else 'pending' end,
                    next_attempt_at = now() + make_interval(secs => %(retry)s * power(2, attempts))
              where id = %(id)s"""


class RecipientMissing(Exception):
    """The follower's record has no address for this channel: retrying will not help."""


def _local(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def email_text(r: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of the reminder e-mail, in Chinese."""
    subject = f"联系提醒：{r['customer']} {_local(r['planned_at'])}"
    lines = [f"{r['follower']}，您好：", "", "您有一项联系计划：",
             f"客户：{r['customer']}", f"时间：{_local(r['planned_at'])}",
             f"方式：{WAY_NAMES.get(r['way'], r['way'])}"]
    if r["contact"]:
        lines.append(f"联系人：{r['contact']} {r['contact_phone']}".rstrip())
    if r["subject"]:
        lines.append(f"主题：{r['subject']}")
    lines += ["", "联系完成后请在 CRM 中“执行”该计划。", "—— CRM 销售提醒"]
    return subject, "\n".join(lines)


def sms_text(r: dict[str, Any]) -> str:
    contact = f" 联系人{r['contact']}" if r["contact"] else ""
    return (f"【CRM提醒】{_local(r['planned_at'])} {r['customer']}{contact} "
            f"{WAY_NAMES.get(r['way'], r['way'])} {r['subject']}").strip()


def read_settings(conn: psycopg.Connection) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("select * from crm.reminder_setting").fetchone()


@dataclass
class _ReminderJob:
    """One channel's job; ``run`` sends every due reminder of the channel, one transaction each."""

    name: str
    interval: float
    channel: str
    batch: int = 10_000  # at most per round, so a stop request is honoured between rounds

    def run(self, url: str) -> str | None:
        with psycopg.connect(url, autocommit=True) as conn:
            # a reminder stays claimed while the mail server answers (up to its 30 s timeout): more
            # than the database's 30 s idle-in-transaction bound for accounts
            conn.execute("set idle_in_transaction_session_timeout = '2min'")
            settings = read_settings(conn)
            if not settings[f"{self.channel}_enabled"]:
                return None
            sender = self.open_sender(settings)
            sent = failed = 0
            try:
                for _ in range(self.batch):
                    outcome = self._one(conn, settings, sender)
                    if outcome is None:
                        break
                    sent, failed = sent + outcome, failed + (not outcome)
            finally:
                sender.close()
        return f"{sent} sent, {failed} failed" if sent or failed else None

    def _one(self, conn: psycopg.Connection, settings: dict[str, Any], sender) -> bool | None:
        """Claim, send and mark one reminder; None when nothing is due.  A server outage is recorded
        on the reminder (committed) and then raised: the round ends, the runner backs off."""
        outage = None
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(_CLAIM, (self.channel,)).fetchone()
            if row is None:
                return None
            recipient = (row["email"] if self.channel == "email" else row["mobile"]).strip()
            try:
                if not recipient:
                    raise RecipientMissing("reminder_recipient_missing")
                sender.send(recipient, row)
            except Exception as exc:  # noqa: BLE001 - recorded on the row, retried, shown to the administrator
                cur.execute(_FAILED, {"id": row["id"], "error": f"{type(exc).__name__}: {exc}"[:500],
                                      "recipient": recipient, "final": isinstance(exc, RecipientMissing),
                                      "max": settings["max_attempts"], "retry": settings["retry_seconds"]})
                if not isinstance(exc, RecipientMissing) and sender.broken(exc):
                    outage = exc
            else:
                cur.execute(_SENT, (recipient, row["id"]))
                return True
        if outage is not None:
            raise outage
        return False


class _SmtpSender:
    """One SMTP connection per round, opened at the first message."""

    def __init__(self, settings: dict[str, Any], context_factory: Callable[[], ssl.SSLContext]):
        self.settings, self.context_factory = settings, context_factory
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if not s["smtp_host"] or not s["sender"]:
            raise smtplib.SMTPException("reminder_not_configured")
        if s["smtp_security"] == "ssl":
            smtp = smtplib.SMTP_SSL(s["smtp_host"], s["smtp_port"], timeout=30, context=self.context_factory())
        else:
            smtp = smtplib.SMTP(s["smtp_host"], s["smtp_port"], timeout=30)
            if s["smtp_security"] == "starttls":
                smtp.starttls(context=self.context_factory())
        if s["smtp_login"]:
            smtp.login(s["smtp_login"], s["smtp_password"])
        return smtp

    def send(self, recipient: str, row: dict[str, Any]) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        subject, body = email_text(row)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.settings["sender"], recipient, subject
        message.set_content(body)
        self.smtp.send_message(message)

    def broken(self, exc: BaseException) -> bool:
        """A connection-level failure (not one refused recipient): the rest of the round would fail too."""
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            return False
        self.close()
        return True

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


class _HttpSmsSender:
    """POST {"to": mobile, "text": message} as JSON to the gateway, with the token as a bearer."""

    def __init__(self, settings: dict[str, Any], timeout: float = 15.0):
        self.settings, self.timeout = settings, timeout

    def send(self, recipient: str, row: dict[str, Any]) -> None:
        if not self.settings["sms_url"]:
            raise OSError("reminder_not_configured")
        request = urllib.request.Request(
            self.settings["sms_url"], method="POST",
            data=json.dumps({"to": recipient, "text": sms_text(row)}, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8",
                     **({"Authorization": f"Bearer {self.settings['sms_token']}"} if self.settings["sms_token"] else {})})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the configured gateway
            if not 200 <= response.status < 300:
                raise OSError(f"HTTP {response.status}")

    def broken(self, exc: BaseException) -> bool:
        import urllib.error

        return not isinstance(exc, urllib.error.HTTPError)  # a refused message is not a gateway outage

    def close(self) -> None:
        pass


class EmailReminderJob(_ReminderJob):
    def __init__(self, interval: float = 30.0, ssl_context: Callable[[], ssl.SSLContext] = ssl.create_default_context):
        super().__init__(name="reminder-email", interval=interval, channel="email")
        self.ssl_context = ssl_context

    def open_sender(self, settings: dict[str, Any]) -> _SmtpSender:
        return _SmtpSender(settings, self.ssl_context)


class SmsReminderJob(_ReminderJob):
    def __init__(self, interval: float = 30.0):
        super().__init__(name="reminder-sms", interval=interval, channel="sms")

    def open_sender(self, settings: dict[str, Any]) -> _HttpSmsSender:
        return _HttpSmsSender(settings)


def reminder_jobs(interval: float = 30.0) -> list:
    """The jobs ``crm-admin agent`` runs for reminders (the coordinator adds others beside them)."""
    return [EmailReminderJob(interval), SmsReminderJob(interval)]
