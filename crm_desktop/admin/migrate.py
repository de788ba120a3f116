"""Bring a PostgreSQL database to the current schema with yoyo-migrations.

The migrations are the ordered SQL files in ``server_schema/`` (shipped inside the package as
``crm_desktop/server_schema`` when installed from a wheel).  Applying twice changes nothing.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

MIN_SERVER_VERSION = 140000


def schema_dir() -> Path:
    here = Path(__file__).resolve()
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle carries the folder beside the code
    candidates = [Path(bundle) / "server_schema"] if bundle else []
    for candidate in (*candidates, here.parents[2] / "server_schema", here.parents[1] / "server_schema"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("server_schema/ not found")


# A migration over a large database may take minutes: the accounts' timeouts are not for it.
_NO_TIMEOUTS = "options=-c%20statement_timeout%3D0%20-c%20lock_timeout%3D0%20-c%20idle_in_transaction_session_timeout%3D0"


def _yoyo_url(url: str) -> str:
    scheme, rest = url.split("://", 1)
    if scheme not in ("postgresql", "postgres"):
        return url
    return f"postgresql+psycopg://{rest}{'&' if '?' in rest else '?'}{_NO_TIMEOUTS}"


def pending(url: str) -> list[str]:
    """Ids of migrations not yet applied."""
    from yoyo import get_backend, read_migrations

    backend = get_backend(_yoyo_url(url))
    return [m.id for m in backend.to_apply(read_migrations(str(schema_dir())))]


def migrate(url: str) -> list[str]:
    """Apply every pending migration, each in its own transaction, then every definitions file that
    changed (``crm_desktop.admin.definitions``); returns the ids of the migrations applied."""
    import psycopg
    from yoyo import get_backend, read_migrations

    with psycopg.connect(url) as conn:
        if conn.info.server_version < MIN_SERVER_VERSION:
            raise RuntimeError(f"PostgreSQL 14 or newer is needed (found {conn.info.server_version})")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        backend = get_backend(_yoyo_url(url))
        migrations = read_migrations(str(schema_dir()))
        with backend.lock():
            todo = backend.to_apply(migrations)
            backend.apply_migrations(todo)
            from crm_desktop.admin import definitions
            definitions.apply(url, force=bool(todo))
    return [m.id for m in todo]
