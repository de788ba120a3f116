"""Render a widget to PNG without a display (tests use it to produce the images in docs/)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def save_screenshot(widget: QWidget, path: str | Path) -> Path:
    """Save ``widget`` as a PNG at ``path`` (folders are created); returns the path.

    A widget never shown and never resized gets its preferred size first, so it is not grabbed
    at Qt's arbitrary 640x480 default.
    """
    path = Path(path)
    widget.ensurePolished()
    if not widget.isVisible() and not widget.testAttribute(Qt.WidgetAttribute.WA_Resized):
        widget.adjustSize()
    if widget.layout() is not None:
        widget.layout().activate()
    QApplication.processEvents()  # let queued updates (e.g. rows that just arrived) paint
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"could not write screenshot {path}")
    return path
