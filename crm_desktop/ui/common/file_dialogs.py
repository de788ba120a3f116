"""The app's file dialogs: Qt's own dialog in the UI's language (labels and dates too), starting in
the user's Documents folder and remembering, per purpose ("customer_export", "import_file",
"product_picture"…), the folder last used.

    path = save_file_name(self, "customer_export", self.tr("Export customers"), "客户档案.xlsx", "Excel (*.xlsx)")
    path = open_file_name(self, "import_file", self.tr("Choose the file to import"), "Excel (*.xlsx)")

Both return "" when the user cancels.  Qt's own translation (qtbase_zh_CN, ``ui/i18n.py``) lacks
"&Look in:" and "Files of &type:" and the file list shows modification times in the system
locale's format, so ``make_dialog`` sets those labels and a date column of its own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QIdentityProxyModel, QLocale, QModelIndex, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QWidget

SETTINGS_PREFIX = "file_dialogs/"
DATE_COLUMN = 3  # QFileSystemModel: name, size, type, date modified


def _tr(text: str) -> str:
    return QCoreApplication.translate("FileDialogs", text)


def documents_dir() -> str:
    """The user's Documents folder (the home folder where there is none)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def start_dir(purpose: str, settings: QSettings | None = None) -> str:
    """The folder last used for ``purpose`` when it still exists, else Documents."""
    saved = str((settings or QSettings()).value(SETTINGS_PREFIX + purpose, "") or "")
    return saved if saved and Path(saved).is_dir() else documents_dir()


def remember(purpose: str, path: str, settings: QSettings | None = None) -> None:
    if path:
        (settings or QSettings()).setValue(SETTINGS_PREFIX + purpose, str(Path(path).parent))


class LocalDates(QIdentityProxyModel):
    """The file list's 修改日期 as yyyy-MM-dd HH:mm in the UI's locale, not the system's."""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if index.column() == DATE_COLUMN and role == Qt.ItemDataRole.DisplayRole:
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                when = source.lastModified(self.mapToSource(index))
                return QLocale().toString(when, "yyyy-MM-dd HH:mm")
        return super().data(index, role)


def make_dialog(parent: QWidget | None, title: str, start: str, file_filter: str, save: bool) -> QFileDialog:
    dialog = QFileDialog(parent, title, start, file_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same, translated dialog everywhere
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if save:
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, False)
    labels = {QFileDialog.DialogLabel.LookIn: _tr("Look in:"), QFileDialog.DialogLabel.FileName: _tr("File name:"),
              QFileDialog.DialogLabel.FileType: _tr("Files of type:"),
              QFileDialog.DialogLabel.Accept: _tr("Save") if save else _tr("Open"),
              QFileDialog.DialogLabel.Reject: _tr("Cancel")}
    for label, text in labels.items():
        dialog.setLabelText(label, text)
    dialog.dates = LocalDates(dialog)
    dialog.setProxyModel(dialog.dates)
    if save and not Path(start).is_dir():
        dialog.selectFile(Path(start).name)
    return dialog


def run_dialog(dialog: QFileDialog) -> str:
    """Show the dialog until the user chooses (tests replace this)."""
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def save_file_name(parent: QWidget, purpose: str, title: str, default_name: str, file_filter: str,
                   settings: QSettings | None = None) -> str:
    start = str(Path(start_dir(purpose, settings)) / default_name)
    path = run_dialog(make_dialog(parent, title, start, file_filter, save=True))
    remember(purpose, path, settings)
    return path


def folder_name(parent: QWidget, purpose: str, title: str, settings: QSettings | None = None) -> str:
    """A folder chosen in the same translated dialog (remembered as the folder itself)."""
    dialog = make_dialog(parent, title, start_dir(purpose, settings), "", save=False)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    path = run_dialog(dialog)
    if path:
        (settings or QSettings()).setValue(SETTINGS_PREFIX + purpose, path)
    return path


def open_file_name(parent: QWidget, purpose: str, title: str, file_filter: str,
                   settings: QSettings | None = None) -> str:
    path = run_dialog(make_dialog(parent, title, start_dir(purpose, settings), file_filter, save=False))
    remember(purpose, path, settings)
    return path
