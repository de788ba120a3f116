"""邮件短信提醒设置 (permission reminder.agent): the reminder agent's SMTP server and SMS gateway,
and the reminders it could not send, with 重试.  The password and token are write-only: the screen
shows whether one is set and sends a new one only when typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGroupBox, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from crm_desktop.services import reminder_settings as rs
from crm_desktop.ui.common.forms import BackgroundCalls, fill_combo, select_data


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReminderSettings", text)


def _load(db) -> dict[str, Any]:
    return {"settings": rs.get_settings(db), "failed": rs.deliveries(db, "failed")}


class ReminderSettingsDialog(QDialog, BackgroundCalls):
    sig_loaded = Signal()
    """Settings and failed reminders are on screen."""
    sig_saved = Signal()
    """The settings were saved."""
    sig_failed = Signal(str)
    """Refused. Parameters: the sentence shown."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.original: dict[str, Any] | None = None
        self.setObjectName("reminder_settings")
        self.setWindowTitle(_tr("E-mail and SMS reminders"))
        self.email_enabled = QCheckBox(_tr("Send e-mail reminders"), self)
        self.smtp_host, self.smtp_login, self.sender = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.smtp_port = QSpinBox(self)
        self.smtp_port.setRange(1, 65535)
        self.smtp_security = QComboBox(self)
        fill_combo(self.smtp_security, [(_tr("STARTTLS"), "starttls"), (_tr("SSL/TLS"), "ssl"),
                                        (_tr("None (not recommended)"), "none")])
        self.smtp_password = QLineEdit(self)
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sms_enabled = QCheckBox(_tr("Send SMS reminders"), self)
        self.sms_url = QLineEdit(self)
        self.sms_token = QLineEdit(self)
        self.sms_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.max_attempts, self.retry_seconds = QSpinBox(self), QSpinBox(self)
        self.max_attempts.setRange(1, 50)
        self.retry_seconds.setRange(1, 86400)
        self.retry_seconds.setSuffix(_tr(" s"))
        for name in ("email_enabled", "smtp_host", "smtp_port", "smtp_security", "smtp_login", "smtp_password",
                     "sender", "sms_enabled", "sms_url", "sms_token", "max_attempts", "retry_seconds"):
            getattr(self, name).setObjectName(name)
        mail = QGroupBox(_tr("E-mail (the office's SMTP server)"), self)
        form = QFormLayout(mail)
        form.addRow(self.email_enabled)
        form.addRow(_tr("Server"), self.smtp_host)
        form.addRow(_tr("Port"), self.smtp_port)
        form.addRow(_tr("Encryption"), self.smtp_security)
        form.addRow(_tr("Login"), self.smtp_login)
        form.addRow(_tr("Password"), self.smtp_password)
        form.addRow(_tr("Sender address"), self.sender)
        sms = QGroupBox(_tr("SMS (HTTP gateway)"), self)
        form = QFormLayout(sms)
        form.addRow(self.sms_enabled)
        form.addRow(_tr("Gateway URL"), self.sms_url)
        form.addRow(_tr("Token"), self.sms_token)
        retry = QGroupBox(_tr("Retries"), self)
        form = QFormLayout(retry)
        form.addRow(_tr("Attempts"), self.max_attempts)
        form.addRow(_tr("First retry after"), self.retry_seconds)
        self.failed = QTableWidget(0, 6, self)
        self.failed.setObjectName("failed_reminders")
        self.failed.setHorizontalHeaderLabels([_tr("Due"), _tr("Channel"), _tr("Follower"), _tr("Customer"),
                                               _tr("Attempts"), _tr("Error")])
        self.failed.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.failed.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.failed.horizontalHeader().setStretchLastSection(True)
        self.retry = QPushButton(_tr("Send the selected again"), self)
        self.retry.setObjectName("retry_reminders")
        self.retry.clicked.connect(self.retry_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        for widget in (mail, sms, retry, QLabel(_tr("Reminders that could not be sent"), self), self.failed,
                       self.retry, buttons):
            layout.addWidget(widget)
        self.resize(720, 760)
        self.refresh()

    def refresh(self) -> None:
        self.call(_load, then=self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        s = self.original = data["settings"]
        self.email_enabled.setChecked(s["email_enabled"])
        self.sms_enabled.setChecked(s["sms_enabled"])
        for name in ("smtp_host", "smtp_login", "sender", "sms_url"):
            getattr(self, name).setText(s[name])
        self.smtp_port.setValue(s["smtp_port"])
        select_data(self.smtp_security, s["smtp_security"])
        self.max_attempts.setValue(s["max_attempts"])
        self.retry_seconds.setValue(s["retry_seconds"])
        for edit, is_set in ((self.smtp_password, s["smtp_password_set"]), (self.sms_token, s["sms_token_set"])):
            edit.clear()
            edit.setPlaceholderText(_tr("set — leave empty to keep") if is_set else _tr("not set"))
        self.failed_rows = data["failed"]
        self.failed.setRowCount(len(self.failed_rows))
        for r, row in enumerate(self.failed_rows):
            cells = [row["due_at"].astimezone().strftime("%Y-%m-%d %H:%M"),
                     _tr("E-mail") if row["channel"] == "email" else _tr("SMS"), row["follower"] or "",
                     row["customer"] or "", str(row["attempts"]), row["last_error"]]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                self.failed.setItem(r, c, item)
        self.failed.resizeColumnsToContents()
        self.sig_loaded.emit()

    def values(self) -> dict[str, Any]:
        return {"email_enabled": self.email_enabled.isChecked(), "smtp_host": self.smtp_host.text(),
                "smtp_port": self.smtp_port.value(), "smtp_security": self.smtp_security.currentData(),
                "smtp_login": self.smtp_login.text(), "sender": self.sender.text(),
                "sms_enabled": self.sms_enabled.isChecked(), "sms_url": self.sms_url.text(),
                "max_attempts": self.max_attempts.value(), "retry_seconds": self.retry_seconds.value()}

    def save(self) -> None:
        if self.original is None:
            return
        self.call(rs.save_settings, self.original, self.values(), smtp_password=self.smtp_password.text() or None,
                  sms_token=self.sms_token.text() or None, then=self._saved)

    def _saved(self, settings: dict[str, Any]) -> None:
        self.sig_saved.emit()
        self.refresh()

    def retry_selected(self) -> None:
        ids = sorted({self.failed_rows[i.row()]["id"] for i in self.failed.selectionModel().selectedRows()})
        if ids:
            self.call(rs.retry_deliveries, ids, then=lambda _n: self.refresh())
