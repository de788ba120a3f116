"""Saving versioned rows: a save over someone else's newer change is refused and says what changed."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crm_desktop.messages import UserError
from crm_desktop.model.org import Account, AuditEntry

T = TypeVar("T")


class StaleRow(UserError):
    """Someone saved the row after it was read. ``changes`` maps field → (what was read, what is there now)."""

    def __init__(self, actor: str, changes: dict[str, tuple[Any, Any]]):
        self.changes = changes
        super().__init__("stale_row", actor=actor)


def as_dict(obj: object) -> dict[str, Any]:
    """The row's column values, as a form reads them (and hands back as ``original``)."""
    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


def _last_actor(session: Session, obj: object) -> str:
    """Who saved the row last: the row's own updated_by (readable by whoever reads the row), else
    the audit log (auditors only), else "?"."""
    updated_by = getattr(obj, "updated_by", None)
    if updated_by is not None:
        name = session.scalar(select(Account.name).where(Account.id == updated_by))
        if name:
            return name
    actor = session.scalar(select(AuditEntry.actor).where(AuditEntry.table_name == obj.__tablename__,
                                                          AuditEntry.row_id == str(getattr(obj, "id", "")))
                           .order_by(AuditEntry.id.desc()).limit(1))
    return actor or "?"


def stale(session: Session, obj: object, original: dict[str, Any]) -> StaleRow:
    current = as_dict(obj)
    changes = {key: (value, current[key]) for key, value in original.items()
               if key in current and key not in ("version", "updated_at", "updated_by") and current[key] != value}
    return StaleRow(_last_actor(session, obj), changes)


def update_versioned(session: Session, model: type[T], row_id: int, original: dict[str, Any],
                     values: dict[str, Any]) -> T:
    """Apply ``values`` to the row if it still has the version the form read (``original['version']``)."""
    obj = session.get(model, row_id, populate_existing=True)
    if obj is None:
        raise UserError("row_deleted")
    if obj.version != original.get("version"):
        raise stale(session, obj, original)
    for key, value in values.items():
        setattr(obj, key, value)
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise UserError("stale_row", actor="?") from None
    return obj


def require_text(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise UserError("required_field", field=field)
    return value
