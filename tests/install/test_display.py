"""./run on a real X display (Xvfb): Qt's xcb plugin finds every library the Debian packages of
installers/debian-packages.txt give it, and a window opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from newcomer import ROOT, display_env


def test_qt_display_plugins_find_every_library():
    done = subprocess.run([str(ROOT / "installers" / "debian-packages"), "qt", sys.prefix],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_run_opens_a_window_on_the_x_display(x_display):
    assert (ROOT / ".venv" / "bin" / "crm-desktop").exists(), "./test makes .venv"
    shown = subprocess.run([str(ROOT / "run"), "--check-display"], env=display_env(x_display),
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["Qt platform xcb, screen 1280x800"]


def test_the_display_check_fails_where_qt_cannot_open_the_display(tmp_path):
    lost = subprocess.run([str(Path(sys.prefix) / "bin" / "crm-desktop"), "--check-display"],
                          env=display_env(":4242"), cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert lost.returncode != 0
    assert "could not connect to display" in lost.stderr


def test_run_without_a_display_says_so():
    done = subprocess.run([str(ROOT / "run"), "--check-display"], env=display_env(None), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["./run: there is no display here (DISPLAY and WAYLAND_DISPLAY are not set): "
                                        "start it in a desktop session."]
