"""What this PC remembers on its own, in the user's data folder: the server certificates it
trusts (``db.tls``) and which UKey it saw bound to which login (``services.ukey``).

No Qt here, services use it.  ``CRM_DESKTOP_DATA`` moves the folder (tests, portable installs).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

DATA_ENV = "CRM_DESKTOP_DATA"


def data_root() -> Path:
    """The user's data folder (platformdirs ``user_data_dir('crm-desktop')``), created on demand."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        root = Path(configured)
    else:
        from platformdirs import user_data_dir

        root = Path(user_data_dir("crm-desktop", appauthor=False))
    root.mkdir(parents=True, exist_ok=True)
    return root


def read_json(name: str) -> dict:
    """The JSON object stored as ``name`` ({} when missing or unreadable)."""
    try:
        data = json.loads((data_root() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_file(path: Path, text: str) -> None:
    """Replace ``path`` in one step (a crash leaves the old file or the new one, never half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def write_json(name: str, data: dict) -> None:
    write_file(data_root() / name, json.dumps(data, indent=1, sort_keys=True))
