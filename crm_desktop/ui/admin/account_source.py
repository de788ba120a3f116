"""The account list's page source for the app's lazy table model: one filter, keyset pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace

from PySide6.QtCore import QCoreApplication

from crm_desktop.services import account
from crm_desktop.services.account import AccountFilter
from crm_desktop.ui.common.lazy_model import CENTER, Column, Row

ORDER_COLUMNS = {"login", "name", "number"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountSource", text)


def account_columns() -> list[Column]:
    genders = {"male": _tr("Male"), "female": _tr("Female")}
    statuses = {"active": _tr("Active"), "resigned": _tr("Resigned"), "retired": _tr("Retired")}
    yes = _tr("Yes")

    def flag(value: bool) -> str:
        return yes if value else ""

    return [Column("login", _tr("Login")), Column("name", _tr("Name")),
            Column("gender", _tr("Gender"), CENTER, lambda g: genders.get(g, g)),
            Column("number", _tr("Number")), Column("organization", _tr("Organisation")),
            Column("department", _tr("Department")), Column("position", _tr("Main position")),
            Column("mobile", _tr("Mobile")), Column("email", _tr("E-mail"), visible=False),
            Column("status", _tr("Status"), CENTER, lambda s: statuses.get(s, s)),
            Column("locked", _tr("Locked"), CENTER, flag), Column("ukey", _tr("UKey"), CENTER, flag),
            Column("valid_until", _tr("Valid until"), CENTER), Column("roles", _tr("Roles"))]


class AccountSource:
    """Accounts matching ``filter``, in ``order`` (login, name or number) then id."""

    sortable_columns = ORDER_COLUMNS

    def __init__(self, db, filter: AccountFilter, order: str = "login", descending: bool = False):
        self.db, self.filter, self.order, self.descending = db, filter, order, descending
        self.columns = account_columns()

    def key(self, row: Row) -> int:
        return row["id"]

    def sort_key(self, row: Row) -> tuple:
        return (row[self.order], row["id"])

    def fetch_page(self, after: tuple | None, limit: int) -> list[Row]:
        rows = account.account_page(self.db, self.filter, after, limit, self.order, self.descending)
        return [asdict(r) for r in rows]

    def fetch_rows(self, keys: Sequence[int]) -> list[Row]:
        return [asdict(r) for r in account.accounts_by_ids(self.db, self.filter, list(keys))]

    def sorted_by(self, column: str, descending: bool) -> AccountSource:
        return AccountSource(self.db, replace(self.filter), column, descending)
