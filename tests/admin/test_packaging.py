"""A wheel (what `pip install crm-desktop` installs) carries the migrations, the font and the
translations, and the program finds them inside the installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_and_finds_the_schema_font_and_translations(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(tmp_path)],
                   check=True, cwd=tmp_path, timeout=600)
    wheel = next(tmp_path.glob("crm_desktop-*.whl"))
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(unpacked)
    migrations = sorted(p.name for p in (ROOT / "server_schema").glob("*.sql"))
    assert sorted(p.name for p in (unpacked / "crm_desktop" / "server_schema").glob("*.sql")) == migrations
    probe = ("from crm_desktop.admin.migrate import schema_dir; from crm_desktop.ui.common.fonts import _resources_dir;"
             "print(schema_dir()); print(_resources_dir())")
    found = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(unpacked)},
                           capture_output=True, text=True, check=True).stdout.split()
    assert [Path(p) for p in found] == [unpacked / "crm_desktop" / "server_schema", unpacked / "crm_desktop" / "resources"]
    assert (unpacked / "crm_desktop" / "resources" / "translations" / "crm_zh_CN.qm").is_file()
    assert (unpacked / "crm_desktop" / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
