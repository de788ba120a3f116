"""The application icon (resources/icons/, drawn in crm-desktop.svg): the window icon of every
window, the tray icon and the menu entry's.  ``app_icon()`` is what a tray icon or a dialog uses."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from crm_desktop.ui.common.fonts import _resources_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_dir():
    return _resources_dir() / "icons"


def app_icon() -> QIcon:
    """Every rendered size (Qt picks the nearest for the title bar, the task bar and the tray);
    an empty QIcon when the installation lacks the files."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_dir() / f"crm-desktop-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon


def install_app_icon(app) -> bool:
    """Make the icon every window's (QApplication.setWindowIcon); False when it is missing."""
    icon = app_icon()
    if icon.isNull():
        return False
    app.setWindowIcon(icon)
    return True
