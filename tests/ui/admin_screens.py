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
