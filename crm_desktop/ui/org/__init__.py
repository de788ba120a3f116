"""The organisation tree dock (left of the main window): see ``tree_dock.OrgTreeDock``."""

from crm_desktop.ui.org.tree_dock import OrgTreeDock

__all__ = ["OrgTreeDock"]
