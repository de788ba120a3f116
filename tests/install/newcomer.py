"""What the tests of the README's two commands share."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def display_env(display: str | None) -> dict[str, str]:
    """This environment as a desktop session has it: Qt picks its platform itself."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    if display:
        env["DISPLAY"] = display
    return env
