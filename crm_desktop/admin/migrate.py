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
    backfill_pinyin(url)
    return [m.id for m in todo]


def backfill_pinyin(url: str, batch: int = 5000) -> int:
    """Names written before 0027 (or by a client that does not know the key) get their pinyin sort
    key, so an upgraded office's lists sort by pinyin at once.  Triggers are off for these rows (a sort
    key is no change anyone needs in the history); a connection that is no superuser leaves it to the
    next save.  Returns the number of rows filled."""
    import psycopg

    from crm_desktop.services.customer import name_pinyin

    filled = 0
    with psycopg.connect(url) as conn:
        if conn.execute("select current_setting('is_superuser')").fetchone()[0] != "on":
            return 0
        for table in ("customer", "product"):
            if not conn.execute("""select 1 from information_schema.columns where table_schema = 'crm'
                                   and table_name = %s and column_name = 'name_pinyin'""", (table,)).fetchone():
                continue
            last = 0
            while True:
                rows = conn.execute(f"""select id, name from crm.{table} where name_pinyin = '' and name <> ''
                                        and id > %s order by id limit %s""", (last, batch)).fetchall()
                if not rows:
                    break
                conn.execute("set local session_replication_role = replica")
                with conn.cursor() as cur:
                    cur.executemany(f"update crm.{table} set name_pinyin = %s where id = %s",
                                    [(name_pinyin(name), key) for key, name in rows])
                conn.commit()
                filled += len(rows)
                last = rows[-1][0]
    return filled
