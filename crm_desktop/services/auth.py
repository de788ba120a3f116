"""Logging in: open the account's own connection, and when PostgreSQL refuses, say why."""

from __future__ import annotations

import psycopg

from crm_desktop.db.connection import Database, ServerAddress, open_database
from crm_desktop.messages import UserError

PROBE_ROLE = "crm_login_probe"
PROBE_PASSWORD = "crm_login_probe"

_REFUSAL_KEYS = {
    "locked": "account_locked",
    "resigned": "account_resigned",
    "retired": "account_retired",
    "expired": "account_expired",
    "deleted": "account_deleted",
}


def refusal_reason(address: ServerAddress, login: str) -> str | None:
    """Ask the probe role why ``login`` may not log in (None when nothing is known)."""
    try:
        with psycopg.connect(**address.connect_args(PROBE_ROLE, PROBE_PASSWORD)) as conn:
            return conn.execute("select crm.login_refusal(%s)", (login,)).fetchone()[0]
    except psycopg.Error:
        return None


def classify_refusal(address: ServerAddress, login: str, error: psycopg.OperationalError) -> UserError:
    message = str(error)
    if "account_ukey_required" in message:  # the login trigger (PostgreSQL 17+): a password not made by the card
        return UserError("account_ukey_required")
    if "password authentication failed" not in message and "not permitted to log in" not in message:
        if "does not exist" in message and "database" in message:
            return UserError("server_unreachable", server=address.label())
        return UserError("server_unreachable", server=address.label())
    reason = refusal_reason(address, login)
    if reason in _REFUSAL_KEYS:
        return UserError(_REFUSAL_KEYS[reason])
    if reason == "ukey":
        return UserError("account_ukey_required")
    return UserError("wrong_password")


def log_in(address: ServerAddress, login: str, password: str) -> Database:
    """Open ``login``'s connection pool; raises UserError with the reason PostgreSQL refused."""
    login = login.strip()
    if not login:
        raise UserError("login_required")
    try:
        db = open_database(address, login, password)
    except psycopg.OperationalError as exc:
        raise classify_refusal(address, login, exc) from None
    except Exception as exc:  # SQLAlchemy wraps driver errors
        orig = getattr(exc, "orig", None)
        if isinstance(orig, psycopg.OperationalError):
            raise classify_refusal(address, login, orig) from None
        raise
    if db.account_id is None:
        db.close()
        raise UserError("not_a_crm_account")
    return db
