"""UI tests run without a display unless the caller chose a platform."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def drop_file():
    """drop_file(widget, path) → True when ``widget`` accepted a file dragged in and dropped, as
    from the file manager (Qt delivers a drop only where the drag entered)."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    def _drop(widget, path) -> bool:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, buttons, keys)
        QApplication.sendEvent(widget, enter)
        if not enter.isAccepted():
            return False
        drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, buttons, keys)
        QApplication.sendEvent(widget, drop)
        return drop.isAccepted()
    return _drop
