"""The first connection to a server on the network: its certificate's fingerprint, to be compared
with the one the server's administrator reads from ``crm-admin server status``, and trusted once."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


def fingerprint_lines(fingerprint: str, per_line: int = 8) -> str:
    """``AB:CD:…`` in lines of ``per_line`` bytes, easy to read aloud and compare."""
    parts = fingerprint.split(":")
    return "\n".join(":".join(parts[i:i + per_line]) for i in range(0, len(parts), per_line))


class ServerTrustDialog(QDialog):
    """Trust this server?  Accepting pins its certificate (the login dialog does that)."""

    def __init__(self, server: str, fingerprint: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.server, self.fingerprint = server, fingerprint
        self.setWindowTitle(self.tr("New server"))
        self.intro = QLabel(self.tr("First connection to this server ({server}). "
                                    "Its certificate fingerprint (SHA-256) is:").format(server=server))
        self.intro.setWordWrap(True)
        self.fingerprint_label = QLabel(fingerprint_lines(fingerprint))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.fingerprint_label.setFont(mono)
        self.question = QLabel(self.tr("Compare it with the fingerprint that \"crm-admin server status\" shows "
                                       "on the server. Trust this server?"))
        self.question.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.trust_button = self.buttons.addButton(self.tr("Trust"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Do not connect"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.trust_button.setAutoDefault(False)  # Enter alone never trusts a server
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.fingerprint_label, self.question, self.buttons):
            layout.addWidget(widget)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
