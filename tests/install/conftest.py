"""A clean clone of the repository and a real X display, for testing the README's two commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from newcomer import ROOT


@pytest.fixture
def clone():
    """What a newcomer gets from ``git clone``: the committed tree, without this worktree's
    uncommitted edits, its .venv or anything else left lying around."""
    parent = Path(tempfile.mkdtemp(prefix="crm-clone-"))
    parent.chmod(0o755)  # an unprivileged user can reach it
    subprocess.run(["git", "clone", "-q", str(ROOT), str(parent / "crm")], check=True, timeout=120)
    yield parent / "crm"
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def fake_apt(tmp_path):
    """(PATH with an apt-get in front that only writes down how it was called, its log)."""
    bin_dir, log = tmp_path / "bin", tmp_path / "apt-get.log"
    bin_dir.mkdir()
    apt = bin_dir / "apt-get"
    apt.write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    apt.chmod(0o755)
    return f"{bin_dir}:{os.environ['PATH']}", log


@pytest.fixture
def x_display():
    """A real X server (Xvfb, from installers/debian-packages.txt) on a free display number."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: ./test installs it (installers/debian-packages.txt), or apt-get install xvfb")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
                              pass_fds=[write_end], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    try:
        assert number.isdigit(), f"Xvfb did not start (exit {server.poll()})"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
