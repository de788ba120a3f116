"""The pieces of the installers that run without freezing anything: the frozen entry point's
dispatch, the server watch's decisions, the child processes' environment, the secret files, the
icon, and the Inno Setup script naming what the admin guide names."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crm_desktop import frozen
from crm_desktop.admin import server, server_watch
from crm_desktop.admin.server import EmbeddedServer

REPO = Path(__file__).resolve().parents[2]


def test_the_executables_name_picks_the_program():
    assert frozen.program_name("/opt/crm-desktop/crm-admin") == "crm-admin"
    assert frozen.program_name(r"C:\Program Files\CRM desktop\CRM-ADMIN.EXE".replace("\\", "/")) == "crm-admin"
    assert frozen.program_name("/opt/crm-desktop/crm-desktop") == "crm-desktop"


def test_dash_m_runs_only_the_bundles_own_modules(capsys):
    assert frozen.main(["crm-desktop", "-m", "http.server"]) == 2
    assert "crm_desktop.*" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        frozen.main(["crm-desktop", "-m", "crm_desktop.admin.server_watch", "--help"])
    assert exited.value.code == 0
    assert "no crm-desktop uses it" in capsys.readouterr().out


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_desktops(data: Path, **desktops) -> None:
    data.mkdir(parents=True, exist_ok=True)
    (data / "desktops.json").write_text(json.dumps(desktops))


def test_the_watch_stops_a_server_whose_desktops_are_all_dead(tmp_path):
    write_desktops(tmp_path, pids=[dead_pid()], started_by_desktop=True, watch_pid=os.getpid())
    assert server_watch.watch(str(tmp_path), interval=0.01) == 0
    assert not (tmp_path / "desktops.json").exists()  # stopped: the next desktop to start owns it


def test_a_zombie_desktop_is_a_dead_one():
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert server._process_alive(child.pid)
        child.kill()
        deadline = time.monotonic() + 10
        while server._process_alive(child.pid):  # killed, never reaped
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        child.wait()


def test_the_watch_leaves_a_server_a_live_desktop_uses(tmp_path):
    write_desktops(tmp_path, pids=[os.getpid()], started_by_desktop=True, watch_pid=os.getpid())
    assert not EmbeddedServer(tmp_path).stop_if_abandoned()
    watching = threading.Thread(target=server_watch.watch, args=(str(tmp_path), 0.01), daemon=True)
    watching.start()
    watching.join(0.5)
    assert watching.is_alive() and (tmp_path / "desktops.json").exists()
    write_desktops(tmp_path, pids=[os.getpid()], started_by_desktop=True, watch_pid=1)  # another watch took over
    watching.join(5)
    assert not watching.is_alive() and (tmp_path / "desktops.json").exists()


def test_the_watch_ends_when_a_desktop_did_not_start_the_server(tmp_path):
    write_desktops(tmp_path, pids=[dead_pid()], watch_pid=os.getpid())  # crm-admin server start did
    assert server_watch.watch(str(tmp_path), interval=0.01) == 0
    assert not EmbeddedServer(tmp_path).stop_if_abandoned()


def test_frozen_children_get_the_users_library_path(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/crm-desktop/_internal:/usr/local/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/usr/local/lib")
    assert server.child_process_options()["env"]["LD_LIBRARY_PATH"] == "/usr/local/lib"
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG")
    assert "LD_LIBRARY_PATH" not in server.child_process_options()["env"]
    assert server.detached_process_options()["start_new_session"] is True
    monkeypatch.delattr(sys, "frozen")
    assert "env" not in server.child_process_options()  # from a venv: the environment as it is


def test_a_secret_is_never_readable_by_others(tmp_path):
    secret = tmp_path / "superuser.secret"
    secret.write_text("old")
    secret.chmod(0o644)
    server.write_private(secret, "s3cret\n")
    assert secret.read_text() == "s3cret\n"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_the_icon_is_every_size_and_the_windows_ico(qapp):
    from crm_desktop.ui.common.icon import ICON_SIZES, app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {size.width() for size in icon.availableSizes()} == set(ICON_SIZES)
    ico = (REPO / "resources" / "icons" / "crm-desktop.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0" and int.from_bytes(ico[4:6], "little") == 7


def test_the_windows_installer_and_the_guide_name_the_same_data_folder():
    guide = (REPO / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    assert r"%LOCALAPPDATA%\crm-desktop\server" in guide
    script = (REPO / "installers" / "windows" / "crm-desktop.iss").read_text(encoding="utf-8")
    assert r"%LOCALAPPDATA%\crm-desktop\server" in script
    assert "crm-admin.exe" in script and "advfirewall firewall add rule" in script
    assert "advfirewall firewall delete rule" in script and "{uninstallexe}" in script
