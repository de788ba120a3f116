"""Default dock arrangements per kind of user, decided from the account's permissions.

A kind is never read from a login or a role's name: ``user_kind(db)`` looks at what the account may
do.  Each arrangement names docks by objectName, including docks of modules not built yet; a dock
that does not exist is skipped, and a dock no arrangement names is left hidden (视图 shows it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

LEFT, RIGHT, BOTTOM = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                       Qt.DockWidgetArea.BottomDockWidgetArea)

ADMIN, MANAGER, FINANCE, SERVICE, REP, NO_ROLE = "admin", "manager", "finance", "service", "rep", "none"

# kind → groups (area, share of the window's width, docks tabified together; the first is raised)
DEFAULT_LAYOUTS: dict[str, list[tuple[Qt.DockWidgetArea, float, list[str]]]] = {
    ADMIN: [(LEFT, 0.20, ["dock_org_tree", "dock_navigation"]),
            (RIGHT, 0.52, ["dock_customers", "dock_quotes", "dock_products", "dock_approvals"])],
    MANAGER: [(LEFT, 0.17, ["dock_navigation", "dock_org_tree"]),
              (RIGHT, 0.58, ["dock_customers", "dock_pipeline", "dock_approvals", "dock_reminders",
                             "dock_quotes", "dock_products"])],
    FINANCE: [(LEFT, 0.15, ["dock_navigation"]),
              (RIGHT, 0.58, ["dock_ledger", "dock_approvals", "dock_customers", "dock_products"])],
    SERVICE: [(LEFT, 0.15, ["dock_navigation"]),
              (RIGHT, 0.58, ["dock_customers", "dock_reminders", "dock_products"])],
    REP: [(LEFT, 0.15, ["dock_navigation"]),
          (RIGHT, 0.58, ["dock_customers", "dock_pipeline", "dock_reminders", "dock_quotes",
                         "dock_approvals", "dock_products"])],
    NO_ROLE: [(LEFT, 0.15, ["dock_navigation"])],
}


def _holds_any(db, prefix: str) -> bool:
    """The account holds ``prefix`` or any permission under it."""
    return db.can(prefix) or any(p.startswith(prefix + ".") for p in db.permissions)


def user_kind(db) -> str:
    """admin (sets the system up), finance, manager (assigns customers), rep (adds customers),
    service (service work without adding customers), or none (no permission at all)."""
    if not db.permissions:
        return NO_ROLE
    if db.can("system.admin") or any(_holds_any(db, p) for p in ("system.org.manage", "system.account.manage",
                                                                 "system.role.manage")):
        return ADMIN
    if _holds_any(db, "finance"):
        return FINANCE
    if db.can("customer.assign"):
        return MANAGER
    if db.can("customer.create"):
        return REP
    if _holds_any(db, "service"):
        return SERVICE
    return REP


def apply_default_layout(window: QMainWindow, kind: str) -> list[str]:
    """Arrange the window's docks for ``kind``; returns the names of the docks shown."""
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget) if d.parent() is window}
    shown: list[str] = []
    for dock in docks.values():
        dock.hide()
    for area, share, names in DEFAULT_LAYOUTS.get(kind, DEFAULT_LAYOUTS[REP]):
        present = [docks[n] for n in names if n in docks]
        if not present:
            continue
        first = present[0]
        window.addDockWidget(area, first)
        first.setFloating(False)
        first.show()
        for other in present[1:]:
            other.setFloating(False)
            window.tabifyDockWidget(first, other)
            other.show()
        first.raise_()
        if area in (LEFT, RIGHT):
            window.resizeDocks([first], [max(180, int(window.width() * share))], Qt.Orientation.Horizontal)
        shown += [d.objectName() for d in present]
    return shown
