"""The README's two commands in a clean clone, as a newcomer meets them: they install what they
need from Debian themselves (as root, or through sudo without a password), or say in one sentence
which packages to install and how, before doing anything else."""

from __future__ import annotations

import os
import subprocess

import pytest
from newcomer import calls, display_env

ABSENT = "hello"  # a small Debian package that no machine of this project needs


def installed(package: str) -> bool:
    return subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True,
                          text=True).stdout.endswith(" installed")


def also_needs(clone, package: str, who: str = "run") -> None:
    with open(clone / "installers" / "debian-packages.txt", "a") as listing:
        listing.write(f"{package}  {who}\n")


@pytest.mark.parametrize("command", [["./test", "--setup-only"], ["./run", "--check-display"]])
def test_without_root_a_missing_package_is_one_sentence_and_a_failure(clone, command):
    assert os.geteuid() == 0, "runs as root, to become an unprivileged user"
    assert not installed(ABSENT), f"the test needs Debian's {ABSENT!r} not installed"
    also_needs(clone, ABSENT)
    done = subprocess.run(["runuser", "-u", "nobody", "--", "env", f"PATH={os.environ['PATH']}", *command],
                          cwd=clone, env=display_env(None), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{command[0]} needs Debian packages that are not installed ({ABSENT}): ")
    assert f"apt-get install -y {ABSENT}" in lines[0]
    assert not (clone / ".venv").exists()  # it stopped before anything else


def test_root_installs_only_the_missing_packages_after_one_update(clone, fake_apt):
    path, log = fake_apt
    assert os.geteuid() == 0
    check = ["installers/debian-packages", "test"]
    subprocess.run(check, cwd=clone, env={**os.environ, "PATH": path}, check=True, timeout=60)
    assert calls(log) == [], "every package of installers/debian-packages.txt is installed: no apt-get update"
    also_needs(clone, ABSENT, "test")
    done = subprocess.run(check, cwd=clone, env={**os.environ, "PATH": path}, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    assert calls(log) == ["update -qq", f"install -y -qq --no-install-recommends {ABSENT}"]
    assert done.stderr.splitlines()[0] == f"./test: installing Debian packages: {ABSENT}"


def test_run_only_needs_the_packages_of_the_desktop(clone, fake_apt):
    path, log = fake_apt
    also_needs(clone, ABSENT, "test")
    subprocess.run(["installers/debian-packages", "run"], cwd=clone, env={**os.environ, "PATH": path},
                   check=True, timeout=60)
    assert calls(log) == []


@pytest.mark.slow
def test_a_clean_clone_sets_itself_up_and_opens_the_display(clone, fake_apt, x_display):
    path, log = fake_apt
    env = {**display_env(x_display), "PATH": path}
    subprocess.run(["./test", "--setup-only"], cwd=clone, env=env, check=True, timeout=1200)
    assert calls(log) == []
    probe = "import PySide6, smartcard, crm_desktop; print(crm_desktop.__file__)"
    where = subprocess.run([".venv/bin/python", "-c", probe], cwd=clone, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert where == str(clone / "crm_desktop" / "__init__.py")
    shown = subprocess.run(["./run", "--check-display"], cwd=clone, env=env, capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Qt platform xcb, screen 1280x800")
