"""Convention: every string the UI shows has its Chinese, and the shipped .qm is the .ts compiled.

When this fails after adding screens, run ``resources/translations/update.sh`` (it names every
string still missing a translation; add them to a *.tsv list or the .ts) and commit both files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from crm_desktop import messages
from crm_desktop.ui.i18n import (CHINESE, ENGLISH, install_translations, qm_path, remove_translations,
                                  translations_dir)

ROOT = Path(__file__).resolve().parents[2]
TS = translations_dir() / "crm_zh_CN.ts"


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        pytest.skip(f"{name} is not installed")
    return found


def messages_of(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {(c.findtext("name"), m.findtext("source")): m.find("translation")
            for c in root.iter("context") for m in c.iter("message")}


def test_every_string_has_a_finished_translation():
    unfinished = [key for key, translation in messages_of(TS).items()
                  if translation.get("type") in ("unfinished", "vanished", "obsolete") or not translation.text]
    assert unfinished == []


def test_every_tr_string_in_the_sources_is_in_the_ts(tmp_path):
    extracted = tmp_path / "extracted.ts"
    sources = sorted(str(p) for p in [*(ROOT / "crm_desktop" / "ui").rglob("*.py"),
                                      *(ROOT / "crm_desktop" / "printing" / "ui").rglob("*.py"),
                                      ROOT / "crm_desktop" / "app.py"])
    subprocess.run([tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(extracted)],
                   check=True, capture_output=True)
    missing = sorted(set(messages_of(extracted)) - set(messages_of(TS)))
    assert missing == [], "run resources/translations/update.sh"


def test_the_shipped_qm_is_the_ts_compiled(tmp_path):
    compiled = tmp_path / "crm_zh_CN.qm"
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(compiled)], check=True)
    assert compiled.read_bytes() == qm_path(CHINESE).read_bytes(), "run resources/translations/update.sh"


def test_chinese_is_loaded_and_english_is_the_source(qapp):
    try:
        install_translations(qapp, CHINESE)
        assert QCoreApplication.translate("MainWindow", "&Help") == "帮助(&H)"
        assert QCoreApplication.translate("LoginDialog", "Remember me") == "记住我"
        assert messages.language() == CHINESE
        install_translations(qapp, "en_US")
        assert QCoreApplication.translate("MainWindow", "&Help") == "&Help"
        assert messages.language() == ENGLISH
    finally:
        remove_translations(qapp)
        messages.set_language(CHINESE)
