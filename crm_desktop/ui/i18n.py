"""The UI language: Chinese (zh_CN) by default, English (the source strings) as the second.

Widgets write English with ``self.tr()`` / ``QCoreApplication.translate``; the Chinese lives in
``resources/translations/crm_zh_CN.ts``, compiled to ``crm_zh_CN.qm`` by
``resources/translations/update.sh``.  Qt's own dialogs (buttons of QMessageBox, QDialogButtonBox)
are translated from Qt's ``qtbase_zh_CN.qm`` when PySide6 ships it.  Error sentences come from
``crm_desktop.messages``, whose language follows the one chosen here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from crm_desktop import messages
from crm_desktop.ui.common.fonts import _resources_dir

log = logging.getLogger(__name__)

CHINESE, ENGLISH = "zh_CN", "en"
LANGUAGES = {CHINESE: "中文", ENGLISH: "English"}
_installed: list[QTranslator] = []


def normalise(language: str | None) -> str:
    """``en``, ``en_US``, ``English`` → ``en``; anything else is Chinese, the default."""
    return ENGLISH if (language or "").lower().startswith("en") else CHINESE


def translations_dir() -> Path:
    return _resources_dir() / "translations"


def qm_path(language: str = CHINESE) -> Path:
    return translations_dir() / f"crm_{language}.qm"


def install_translations(app: QCoreApplication, language: str | None = CHINESE) -> str:
    """Switch the app to ``language`` (replacing translators installed earlier); returns it."""
    language = normalise(language)
    remove_translations(app)
    messages.set_language(language)
    QLocale.setDefault(QLocale("zh_CN" if language == CHINESE else "en_US"))  # dates and numbers too
    if language == ENGLISH:
        return language  # the source strings are English
    _load(app, str(qm_path(language)))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    _load(app, str(Path(qt_dir) / "qtbase_zh_CN.qm"))
    return language


def remove_translations(app: QCoreApplication) -> None:
    """Back to the English source strings (tests that render one language and leave)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()


def _load(app: QCoreApplication, path: str) -> None:
    translator = QTranslator(app)
    if translator.load(path):
        app.installTranslator(translator)
        _installed.append(translator)
    else:
        log.warning("no translations in %s", path)
