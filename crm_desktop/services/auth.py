"""Logging in: open the account's own connection, and when PostgreSQL refuses, say why.

Nothing is asked before the login: PostgreSQL checks the password first and only then refuses a
NOLOGIN role (locked, resigned, retired, deleted), so "account disabled" is told only to someone
who typed the account's right password.  A wrong password, an unknown login and an expired
``VALID UNTIL`` all read "password authentication failed", and all say "wrong login or password".
"""

from __future__ import annotations

from dataclasses import replace

import psycopg

from crm_desktop.db.connection import Database, ServerAddress, open_database
from crm_desktop.messages import UserError

_WRONG_PASSWORD = "password authentication failed"
_NOT_PERMITTED = "not permitted to log in"
_NO_CHANNEL_BINDING = "channel binding"


def classify_refusal(address: ServerAddress, error: psycopg.OperationalError) -> UserError:
    """The catalogue key for a refused connection, from PostgreSQL's own answer."""
    message = str(error)
    if "account_ukey_required" in message:  # the login trigger (PostgreSQL 17+): a password not made by the card
        return UserError("account_ukey_required")
    if _NOT_PERMITTED in message:
        return UserError("account_disabled")
    if _WRONG_PASSWORD in message:
        return UserError("wrong_password")
    if _NO_CHANNEL_BINDING in message:  # a pinned server that does not authenticate with SCRAM
        return UserError("server_channel_binding", server=address.label())
    return UserError("server_unreachable", server=address.label())


def _open(address: ServerAddress, login: str, password: str) -> Database:
    try:
        return open_database(address, login, password)
    except psycopg.OperationalError as exc:
        if address.channel_binding != "require" or _NO_CHANNEL_BINDING not in str(exc):
            raise
    except Exception as exc:  # SQLAlchemy wraps driver errors
        orig = getattr(exc, "orig", None)
        if not isinstance(orig, psycopg.OperationalError):
            raise
        if address.channel_binding != "require" or _NO_CHANNEL_BINDING not in str(orig):
            raise orig from None
    # TLS ends in front of PostgreSQL (the embedded LAN server's TLS front), so SCRAM cannot bind
    # the channel; the pinned certificate, verified by libpq, still vouches for the server
    return _open(replace(address, channel_binding="prefer"), login, password)


def log_in(address: ServerAddress, login: str, password: str) -> Database:
    """Open ``login``'s connection pool; raises UserError with the reason PostgreSQL refused."""
    login = login.strip()
    if not login:
        raise UserError("login_required")
    try:
        db = _open(address, login, password)
    except psycopg.OperationalError as exc:
        raise classify_refusal(address, exc) from None
    if db.account_id is None:
        db.close()
        raise UserError("not_a_crm_account")
    return db
