"""My own account from the main window: change my password, and 关于 (versions)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from crm_desktop.services.my_account import change_my_password
from crm_desktop.ui.common.forms import error_sentence
from crm_desktop.ui.common.tasks import run_in_background


class ChangePasswordDialog(QDialog):
    """Current password, new password twice; PostgreSQL checks the current one."""

    sig_changed = Signal()
    """The server took the new password."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Change my password"))
        self.current, self.new, self.confirm = QLineEdit(), QLineEdit(), QLineEdit()
        for edit, name in ((self.current, "current"), (self.new, "new"), (self.confirm, "confirm")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setObjectName(f"password_{name}")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.confirm)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.current.setFocus()

    def submit(self) -> None:
        self.buttons.setEnabled(False)
        self.error.clear()
        (run_in_background(change_my_password, self.db, self.current.text(), self.new.text(), self.confirm.text())
         .on_success(lambda _r: self._done()).on_failure(self._failed))

    def _done(self) -> None:
        self.sig_changed.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_sentence(error))
