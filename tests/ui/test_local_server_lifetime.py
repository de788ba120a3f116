"""This PC's private PostgreSQL lives as long as the crm-desktop processes that use it: the last
one to quit — by cancelling the first-run set-up, or by SIGTERM as when the session ends — stops
it; a server started with ``crm-admin server start`` keeps running.  Real processes, real quits."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm_desktop.admin.server import EmbeddedServer

# crm-desktop's own main(), with a user who answers the first-run set-up with Cancel and the
# message that follows with OK.
CANCELLING_USER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from crm_desktop import app
from crm_desktop.ui.first_run import AdminSetupDialog

answered = []

def answer():
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and widget not in answered and isinstance(widget, (AdminSetupDialog, QMessageBox)):
            answered.append(widget)  # answered once, after this timer's slot returns
            QTimer.singleShot(0, widget.reject if isinstance(widget, AdminSetupDialog) else widget.accept)

class WithAUser(QApplication):
    def exec(self):
        timer = QTimer(self, interval=100)
        timer.timeout.connect(answer)
        timer.start()
        return super().exec()

app.QApplication = WithAUser
sys.exit(app.main(sys.argv[1:]))
"""
QUIET_USER = "import sys; from crm_desktop import app; sys.exit(app.main(sys.argv[1:]))"


@pytest.fixture
def desktop(tmp_path):
    """desktop(data, user) → a crm-desktop process on this PC's server in ``data``."""
    started = []

    def _desktop(data: Path, user: str) -> subprocess.Popen:
        process = start_desktop(tmp_path, data, user)
        started.append(process)
        return process

    yield _desktop
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def start_desktop(home: Path, data: Path, user: str) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "share")}
    log = open(home / f"desktop-{time.monotonic_ns()}.log", "w")
    process = subprocess.Popen([sys.executable, "-c", user, "--data", str(data), "--lang", "en"], env=env,
                               cwd=home, stdout=log, stderr=subprocess.STDOUT)
    process.log = Path(log.name)
    return process


def finished(process: subprocess.Popen, timeout: float = 300) -> int:
    code = process.wait(timeout=timeout)
    assert code == 0, process.log.read_text()[-3000:]
    return code


def desktops_using(data: Path) -> list[int]:
    try:
        return json.loads((data / "desktops.json").read_text())["pids"]
    except FileNotFoundError:
        return []


def wait_until_using(process: subprocess.Popen, data: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while process.pid not in desktops_using(data):
        assert process.poll() is None, process.log.read_text()[-3000:]
        assert time.monotonic() < deadline, "the desktop never started its server"
        time.sleep(0.2)


def postgres_processes(data: Path) -> list[int]:
    """The server's processes: the postmaster is started as ``postgres -D <data>/pgdata``."""
    pgdata = str(EmbeddedServer(data).pgdata).encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and pgdata in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def port_of(data: Path) -> int:
    return json.loads((data / "server.json").read_text())["port"]


def assert_running(data: Path) -> None:
    assert postgres_processes(data) and port_open(port_of(data))


def assert_stopped(data: Path) -> None:
    assert postgres_processes(data) == [] and not port_open(port_of(data))
    assert not (data / "desktops.json").exists()


def test_the_last_desktop_to_quit_stops_this_pcs_server(tmp_path, desktop):
    data = tmp_path / "this-pc"
    server = EmbeddedServer(data)
    try:
        # the first start on this PC, its set-up cancelled: the server it started goes with it
        finished(desktop(data, CANCELLING_USER))
        assert_stopped(data)

        # two desktops share the server: the first to quit leaves it to the other
        staying = desktop(data, QUIET_USER)
        wait_until_using(staying, data)
        assert_running(data)
        finished(desktop(data, CANCELLING_USER))
        assert_running(data)
        assert desktops_using(data) == [staying.pid]
        staying.send_signal(signal.SIGTERM)  # the session ends
        finished(staying)
        assert_stopped(data)

        # a server started with crm-admin is not the desktops' to stop
        server.start()
        assert server.start_for_desktop().port == port_of(data)
        assert desktops_using(data) == [os.getpid()]
        assert not server.release_for_desktop()
        assert_running(data)
        assert desktops_using(data) == []
    finally:
        server.stop()
    assert_stopped(data)
