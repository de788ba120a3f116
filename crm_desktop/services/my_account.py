"""The logged-in person's own account: change my password, the server's version.  No Qt here."""

from __future__ import annotations

import psycopg
from sqlalchemy import event, text

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.services.account import set_password


def check_current_password(db: Database, password: str) -> None:
    """A fresh connection with ``password``: PostgreSQL itself says whether it is the account's."""
    try:
        psycopg.connect(**db.address.connect_args(db.login, password)).close()
    except psycopg.OperationalError as exc:
        if "password authentication failed" in str(exc):
            raise UserError("current_password_wrong") from None
        raise


def change_my_password(db: Database, current: str, new: str, confirm: str) -> None:
    """Check the current password, set the new one (the server refuses a UKey account), and let the
    pool's next connections log in with it."""
    if getattr(db, "ukey_session", None) is not None:
        raise UserError("account_ukey_password_needs_key")
    check_current_password(db, current)
    set_password(db, db.account_id, new, confirm)
    use_password(db, new)


def use_password(db: Database, password: str) -> None:
    """New pool connections use ``password`` (the open ones stay logged in)."""
    def _connect(_dialect, _record, _cargs, cparams):
        cparams["password"] = password

    if getattr(db, "_password_listener", None) is not None:
        event.remove(db.engine, "do_connect", db._password_listener)
    event.listen(db.engine, "do_connect", _connect)
    object.__setattr__(db, "_password_listener", _connect)


def server_version(db: Database) -> str:
    """PostgreSQL's version as the server reports it."""
    with db.session() as s:
        return "PostgreSQL " + s.execute(text("show server_version")).scalar_one()
