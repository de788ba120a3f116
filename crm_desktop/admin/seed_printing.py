"""Demo letterhead: the demo company's header, logo and bank details, as the sample printouts show.

Written only while the letterhead is still blank, so running the seed again changes nothing and
never overwrites what an administrator typed.
"""

from __future__ import annotations

from sqlalchemy import text

from crm_desktop.db.connection import Database
from crm_desktop.printing import samples
from crm_desktop.services import print_settings


def seed_printing(db: Database) -> None:
    with db.session() as s:
        if s.scalar(text("select to_regclass('crm.print_letterhead')")) is None:
            return  # a database older than 0024 (the upgrade test seeds one): nothing to fill yet
    current = print_settings.load_letterhead(db)
    if current["name"].strip():
        return
    demo = samples.LETTERHEAD
    values = {field: getattr(demo, field) for field in print_settings.LETTERHEAD_FIELDS}
    print_settings.save_letterhead(db, {**values, "logo": samples.demo_logo_png()}, current)
