"""The app's file dialogs: they start in the user's Documents folder and remember, per purpose
("customer_export", "import_file", "product_picture"…), the folder last used.

    path = save_file_name(self, "customer_export", self.tr("Export customers"), "客户档案.xlsx", "Excel (*.xlsx)")
    path = open_file_name(self, "import_file", self.tr("Choose the file to import"), "Excel (*.xlsx)")

Both return "" when the user cancels.  Qt's own texts of the dialog come from qtbase_zh_CN
(``ui/i18n.py``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

SETTINGS_PREFIX = "file_dialogs/"


def documents_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def start_dir(purpose: str, settings: QSettings | None = None) -> str:
    """The folder last used for ``purpose`` when it still exists, else Documents."""
    saved = str((settings or QSettings()).value(SETTINGS_PREFIX + purpose, "") or "")
    return saved if saved and Path(saved).is_dir() else documents_dir()


def remember(purpose: str, path: str, settings: QSettings | None = None) -> None:
    if path:
        (settings or QSettings()).setValue(SETTINGS_PREFIX + purpose, str(Path(path).parent))


def save_file_name(parent: QWidget, purpose: str, title: str, default_name: str, file_filter: str,
                   settings: QSettings | None = None) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(start_dir(purpose, settings)) / default_name),
                                          file_filter)
    remember(purpose, path, settings)
    return path


def open_file_name(parent: QWidget, purpose: str, title: str, file_filter: str,
                   settings: QSettings | None = None) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, start_dir(purpose, settings), file_filter)
    remember(purpose, path, settings)
    return path
