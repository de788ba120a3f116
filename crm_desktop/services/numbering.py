"""Numbering rules: the database draws every number inside the document's own insert (a cancelled
insert leaves no gap); accounts cannot draw numbers themselves.  A rule either allows hand-typed
numbers (``allows_manual``; never in the rule's own shape) or does not."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.sql import column, table

from crm_desktop.db.connection import Database

_RULE_COLUMNS = ("code", "name_zh", "name_en", "prefix", "separator", "date_format", "digits",
                 "allows_manual", "permission_code", "version")
_rule = table("numbering_rule", *(column(c) for c in _RULE_COLUMNS), schema="crm")


def preview(db: Database, rule: str, segment: str = "") -> str:
    """What the next number would look like; reserves nothing."""
    with db.session() as s:
        return s.execute(text("select crm.preview_number(:r, :s)"), {"r": rule, "s": segment}).scalar_one()


def allows_manual(db: Database, rule: str) -> bool:
    """Whether the rule lets a form or an import supply its own number."""
    with db.session() as s:
        return bool(s.scalar(select(_rule.c.allows_manual).where(_rule.c.code == rule)))


def manual_number_refusals(db: Database, rule: str, numbers: Iterable[str]) -> dict[str, str]:
    """Each hand-typed number the rule would refuse, with the catalogue key of why (the server's
    own check, ``crm.manual_number_refusal``, which the insert triggers apply again)."""
    wanted = sorted({n for n in numbers if n and n.strip()})
    if not wanted:
        return {}
    with db.session() as s:
        rows = s.execute(text("select n, crm.manual_number_refusal(:r, n) from unnest(cast(:n as text[])) n"),
                         {"r": rule, "n": wanted})
        return {number: key for number, key in rows if key}


def list_rules(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [dict(r._mapping) for r in s.execute(select(_rule).order_by(_rule.c.code))]


def save_rule(db: Database, original: dict[str, Any], values: dict[str, Any]) -> None:
    """Change a rule's format; refused (stale) if someone changed it after ``original`` was read."""
    allowed = {k: values[k] for k in ("prefix", "separator", "date_format", "digits", "allows_manual")
               if k in values}
    with db.session() as s:
        result = s.execute(_rule.update().where(_rule.c.code == original["code"],
                                                _rule.c.version == original["version"]).values(**allowed))
        if result.rowcount == 0:
            from crm_desktop.messages import UserError
            raise UserError("stale_row", actor="?")
