"""Numbering rules: every module draws its numbers from crm.next_number inside its own insert's
transaction, so a cancelled insert leaves no gap."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql import column, table

from crm_desktop.db.connection import Database

_RULE_COLUMNS = ("code", "name_zh", "name_en", "prefix", "separator", "date_format", "digits",
                 "permission_code", "version")
_rule = table("numbering_rule", *(column(c) for c in _RULE_COLUMNS), schema="crm")


def next_number(session: Session, rule: str, segment: str = "") -> str:
    """Draw the next number of ``rule`` within ``session``'s transaction."""
    return session.execute(text("select crm.next_number(:r, :s)"), {"r": rule, "s": segment}).scalar_one()


def preview(db: Database, rule: str, segment: str = "") -> str:
    """What the next number would look like; reserves nothing."""
    with db.session() as s:
        return s.execute(text("select crm.preview_number(:r, :s)"), {"r": rule, "s": segment}).scalar_one()


def list_rules(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [dict(r._mapping) for r in s.execute(select(_rule).order_by(_rule.c.code))]


def save_rule(db: Database, original: dict[str, Any], values: dict[str, Any]) -> None:
    """Change a rule's format; refused (stale) if someone changed it after ``original`` was read."""
    allowed = {k: values[k] for k in ("prefix", "separator", "date_format", "digits") if k in values}
    with db.session() as s:
        result = s.execute(_rule.update().where(_rule.c.code == original["code"],
                                                _rule.c.version == original["version"]).values(**allowed))
        if result.rowcount == 0:
            from crm_desktop.messages import UserError
            raise UserError("stale_row", actor="?")
