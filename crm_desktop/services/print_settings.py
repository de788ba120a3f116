"""打印抬头与模板: the company letterhead and the print template of each document kind.

Every account reads both (every account prints); PostgreSQL refuses a change without
``system.print_settings``.  The letterhead is one row that always exists; an empty company name
prints the first organisation's name.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from crm_desktop.db.connection import Database
from crm_desktop.messages import UserError
from crm_desktop.model.org import Organization
from crm_desktop.model.printing import PrintLetterhead, PrintTemplateRow
from crm_desktop.printing.document import HIDEABLE_COLUMNS, KINDS, Letterhead, PrintTemplate
from crm_desktop.services.records import as_dict, update_versioned

PERMISSION = "system.print_settings"
LETTERHEAD_FIELDS = ("name", "address", "phone", "fax", "email", "website", "bank", "tax_number")
LOGO_LIMIT = 1024 * 1024
_LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def load_letterhead(db: Database) -> dict[str, Any]:
    """The letterhead row as the settings form edits it (``original`` for the save)."""
    with db.session() as s:
        row = s.get(PrintLetterhead, 1)
        if row is None:  # an account without a role sees no row at all
            raise UserError("print_letterhead_missing")
        return as_dict(row)


def letterhead(db: Database) -> Letterhead:
    """The letterhead a printout carries."""
    row = load_letterhead(db)
    name = row["name"]
    if not name.strip():
        with db.session() as s:
            name = s.scalar(select(Organization.name).order_by(Organization.id).limit(1)) or ""
    return Letterhead(name=name, logo_png=row["logo"], **{f: row[f] for f in LETTERHEAD_FIELDS if f != "name"})


def logo_mime(data: bytes) -> str:
    """The logo's type from its first bytes: PNG or JPEG, at most 1 MB; anything else is refused."""
    if len(data) > LOGO_LIMIT:
        raise UserError("print_letterhead_logo_too_large")
    for magic, mime in _LOGO_TYPES.items():
        if data.startswith(magic):
            return mime
    raise UserError("print_letterhead_logo_type")


def save_letterhead(db: Database, values: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """Save the fields given (``logo``: bytes, or None to remove it) over the version read."""
    changes = {f: (values[f] or "").strip() for f in LETTERHEAD_FIELDS if f in values}
    if "logo" in values:
        logo = values["logo"]
        changes["logo"] = logo or None
        changes["logo_mime"] = logo_mime(logo) if logo else None
    with db.session() as s:
        return as_dict(update_versioned(s, PrintLetterhead, 1, original, changes))


def load_templates(db: Database) -> dict[str, dict[str, Any]]:
    """kind → template row, for the settings form."""
    with db.session() as s:
        return {row.kind: as_dict(row) for row in s.scalars(select(PrintTemplateRow))}


def template(db: Database, kind: str) -> PrintTemplate:
    """How documents of ``kind`` print; the built-in defaults where the row is not readable."""
    row = load_templates(db).get(kind)
    if row is None:
        return PrintTemplate(kind)
    return as_template(row)


def as_template(row: dict[str, Any]) -> PrintTemplate:
    return PrintTemplate(row["kind"], title=row["title"], footer=row["footer"],
                         hidden_columns=frozenset(row["hidden_columns"]))


def save_template(db: Database, values: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """Save a template's title, footer and hidden columns over the version read."""
    if original.get("kind") not in KINDS:
        raise UserError("print_template_kind_valid")
    changes: dict[str, Any] = {f: (values[f] or "").strip() for f in ("title", "footer") if f in values}
    if "hidden_columns" in values:
        hidden = list(values["hidden_columns"])
        if not set(hidden) <= set(HIDEABLE_COLUMNS):
            raise UserError("print_template_columns_valid")
        changes["hidden_columns"] = [c for c in HIDEABLE_COLUMNS if c in hidden]
    with db.session() as s:
        return as_dict(update_versioned(s, PrintTemplateRow, original["id"], original, changes))


def print_setup(db: Database, kind: str) -> tuple[Letterhead, PrintTemplate]:
    """What a printout of ``kind`` needs from the settings, in one call."""
    return letterhead(db), template(db, kind)
