"""Figure 8: choose a role's accounts. Every account in the same role has the same permissions."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.services import account, role
from crm_desktop.ui.common.forms import BackgroundCalls, FormButtons

ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class RoleMembers:
    accounts: list[account.AccountRow]
    member_ids: set[int]


def load_members(db, role_id: int) -> RoleMembers:
    return RoleMembers(account.list_accounts(db), role.role_account_ids(db, role_id))


class RoleAccountsDialog(QDialog, BackgroundCalls):
    sig_loaded = Signal()
    """The accounts are listed."""
    sig_saved = Signal(int)
    """The role's accounts were saved. Parameters: role id."""
    sig_failed = Signal(str)
    """Loading or saving failed. Parameters: the sentence shown."""

    def __init__(self, db, role_row: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.role = db, role_row
        self.setWindowTitle(self.tr("Accounts of role %1").replace("%1", role_row["name"]))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("name or login"))
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.count = QLabel()
        all_button, none_button = QPushButton(self.tr("Select all")), QPushButton(self.tr("Select none"))
        all_button.clicked.connect(lambda: self._tick_visible(True))
        none_button.clicked.connect(lambda: self._tick_visible(False))
        self.buttons = FormButtons(self, on_save=self.save)
        self.buttons.set_writable(db.can("system.role.manage"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Find:")))
        top.addWidget(self.search, 1)
        top.addWidget(all_button)
        top.addWidget(none_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.list.itemChanged.connect(lambda _item: self._count())
        self.resize(460, 560)
        self.call(load_members, role_row["id"], then=self._loaded)

    def _loaded(self, members: RoleMembers) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for a in members.accounts:
            where = " / ".join(x for x in (a.department, a.position) if x)
            item = QListWidgetItem(f"{a.name}（{a.login}）  {where}", self.list)
            item.setData(ID_ROLE, a.id)
            item.setData(ID_ROLE + 1, a.login)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if a.id in members.member_ids else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._count()
        self.sig_loaded.emit()

    def _filter(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(text) and text.lower() not in item.text().lower())

    def _tick_visible(self, ticked: bool) -> None:
        for i in range(self.list.count()):
            if not self.list.item(i).isHidden():
                self.list.item(i).setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def _count(self) -> None:
        self.count.setText(self.tr("%n account(s) chosen", "", len(self.account_ids())))

    def tick_login(self, login: str, ticked: bool = True) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE + 1) == login:
                self.list.item(i).setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def account_ids(self) -> set[int]:
        return {self.list.item(i).data(ID_ROLE) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked}

    def save(self, close: bool) -> None:
        self.call(role.set_role_accounts, self.role["id"], self.account_ids(),
                  then=lambda _r: self._saved(close))

    def _saved(self, close: bool) -> None:
        self.sig_saved.emit(self.role["id"])
        if close:
            self.accept()
