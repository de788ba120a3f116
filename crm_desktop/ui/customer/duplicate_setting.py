"""The administrator's 撞单 switch: whether the duplicate check across the whole archive names the
follower of a customer the user cannot see (docs/admin-guide.md).  A tab of 客户档案基础信息设置."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from crm_desktop.services import customer_settings as settings
from crm_desktop.ui.common.forms import BackgroundCalls


class DuplicateCheckSetting(QWidget, BackgroundCalls):
    sig_saved = Signal(bool)
    """The switch was stored. Parameters: whether the follower is named."""
    sig_failed = Signal(str)
    """Loading or saving failed. Parameters: the sentence."""
    sig_busy = Signal(bool)
    """Unused; BackgroundCalls expects it. Parameters: busy."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        intro = QLabel(self.tr("When someone adds or imports a customer, the whole archive is checked for the "
                               "same company name or phone, including customers they cannot see. They are "
                               "told that it exists; this setting decides whether they are also told who "
                               "follows it."))
        intro.setWordWrap(True)
        self.disclose = QCheckBox(self.tr("Name the follower of a duplicate the user cannot see"))
        self.disclose.setEnabled(False)
        self._writable = db.can("customer.settings")
        self.disclose.toggled.connect(self._toggled)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.disclose)
        layout.addStretch(1)
        self.call(settings.duplicate_owner_disclosed, then=self._show)

    def _show(self, disclosed: bool) -> None:
        self.disclose.blockSignals(True)
        self.disclose.setChecked(disclosed)
        self.disclose.blockSignals(False)
        self.disclose.setEnabled(self._writable)

    def _toggled(self, disclose: bool) -> None:
        self.call(settings.set_duplicate_owner_disclosure, disclose, then=lambda _r: self.sig_saved.emit(disclose))
