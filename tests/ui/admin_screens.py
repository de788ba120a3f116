"""What the administration screen tests share: the wait, a screen opened once its first load
arrived, and the check that no background task outlives its test."""

import pytest

from crm_desktop.ui.common.tasks import cancel_all_and_wait

WAIT = 10_000


@pytest.fixture(autouse=True)
def no_task_outlives_its_test():
    yield
    assert cancel_all_and_wait(WAIT)


def opened(qtbot, screen):
    """The screen, once its first load arrived."""
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.sig_loaded, timeout=WAIT):
        pass
    return screen


def assert_picture_shows(path, window, *texts: str) -> None:
    """What a screenshot must show, not only its size (issue 17): each of ``texts`` is the text of a
    visible, enabled-as-expected widget of ``window`` (label, button, line edit, window title), and
    every visible labelled widget is drawn in the picture — its area of the image holds more than
    one colour (a blank or unpainted region is one colour)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    image = QImage(str(path))
    assert not image.isNull(), path
    scale = image.width() / max(1, window.width())
    shown = {window.windowTitle()}
    # visibleRegion: what Qt itself paints of the widget (a dock behind another dock's tab paints nothing)
    labelled = [w for kind in (QLabel, QAbstractButton, QLineEdit) for w in window.findChildren(kind)
                if w.isVisibleTo(window) and w.text().strip() and not w.visibleRegion().isEmpty()]
    for widget in labelled:
        shown.add(widget.text())
        corner = widget.mapTo(window, QPoint(0, 0))
        x0, y0 = int(corner.x() * scale), int(corner.y() * scale)
        x1 = min(image.width(), int((corner.x() + widget.width()) * scale))
        y1 = min(image.height(), int((corner.y() + widget.height()) * scale))
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue  # scrolled out of the picture
        colours = {image.pixel(x, y) for x in range(x0, x1, max(1, (x1 - x0) // 40))
                   for y in range(y0, y1, max(1, (y1 - y0) // 10))}
        assert len(colours) > 1, f"{widget.text()!r} is not drawn in {path}"
    missing = [t for t in texts if t not in shown]
    assert not missing, f"{path} lacks {missing}; it shows {sorted(shown)[:20]}"
