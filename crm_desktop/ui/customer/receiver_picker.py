"""接收人 (figures 12–13): three cascading combos 机构 → 部门 → 人员 offering only accounts that may
receive customers (in post, not locked, not expired).  Sharing picks several people into a list;
assigning picks one.  PostgreSQL checks the receivers again (customer_receiver_inactive).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QToolButton, QVBoxLayout, QWidget)

from crm_desktop.services import org
from crm_desktop.services.account import AccountFilter, AccountRow, list_accounts
from crm_desktop.ui.common.forms import BackgroundCalls, department_items, fill_combo, organization_items

ID_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = int(Qt.ItemDataRole.UserRole) + 1


@dataclass
class ReceiverStructure:
    organizations: list[dict]
    departments: list[dict]


def load_structure(db) -> ReceiverStructure:
    return ReceiverStructure(org.list_organizations(db), org.list_departments(db))


def eligible_receivers(db, organization_id: int | None, department_id: int | None) -> list[AccountRow]:
    """Accounts of the organisation or department (and its sub-departments) that may receive."""
    f = AccountFilter(organization_id=organization_id, department_id=department_id, status="active", locked=False)
    today = date.today()
    return [a for a in list_accounts(db, f) if a.valid_until is None or a.valid_until >= today]


def person_text(account: AccountRow) -> str:
    return f"{account.name} ({account.login})"


class ReceiverPicker(QWidget, BackgroundCalls):
    """机构 / 部门 / 人员 combos; with ``multiple`` an 添加 button and the list of chosen receivers."""

    sig_loaded = Signal()
    """Organisations and departments arrived."""
    sig_people_loaded = Signal()
    """The 人员 combo was filled for the chosen organisation and department."""
    sig_receiver_changed = Signal(object)
    """The person in the 人员 combo changed. Parameters: the account id, or None."""
    sig_receivers_changed = Signal(list)
    """(multiple) A receiver was added or removed. Parameters: the receivers' account ids."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, multiple: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.multiple = db, multiple
        self.structure = ReceiverStructure([], [])
        self.people: list[AccountRow] = []
        self._cache: dict[tuple, list[AccountRow]] = {}
        self._wanted: tuple = (None, None)
        self._build()
        self.call(load_structure, then=self._fill_structure)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.organization, self.department, self.person = QComboBox(), QComboBox(), QComboBox()
        for combo, width in ((self.organization, 170), (self.department, 130), (self.person, 150)):
            combo.setMinimumWidth(width)
            combo.addItem(self.placeholder(), None)
            row.addWidget(combo, 1)
        self.organization.currentIndexChanged.connect(lambda _i: self._organization_chosen())
        self.department.currentIndexChanged.connect(lambda _i: self._load_people())
        self.person.currentIndexChanged.connect(lambda _i: self.sig_receiver_changed.emit(self.receiver_id()))
        layout.addLayout(row)
        if self.multiple:
            self.add_button = QPushButton(self.tr("Add to receivers"))
            self.add_button.clicked.connect(self.add_current)
            row.addWidget(self.add_button)
            self.receiver_list = QListWidget()
            self.receiver_list.setMinimumHeight(96)
            layout.addWidget(self.receiver_list)

    def placeholder(self) -> str:
        return self.tr("-- Select --")

    # -- the cascade ------------------------------------------------------------------------------
    def _fill_structure(self, structure: ReceiverStructure) -> None:
        self.structure = structure
        fill_combo(self.organization, organization_items(structure.organizations), self.placeholder())
        self._organization_chosen()
        self.sig_loaded.emit()

    def _organization_chosen(self) -> None:
        organization_id = self.organization.currentData()
        items = department_items(self.structure.departments, organization_id) if organization_id else []
        fill_combo(self.department, items, self.placeholder())
        self._load_people()

    def _load_people(self) -> None:
        wanted = (self.organization.currentData(), self.department.currentData())
        self._wanted = wanted
        if wanted == (None, None):
            self._fill_people(wanted, [])
        elif wanted in self._cache:
            self._fill_people(wanted, self._cache[wanted])
        else:
            organization_id = None if wanted[1] else wanted[0]
            self.call(eligible_receivers, organization_id, wanted[1],
                      then=lambda people, key=wanted: self._fill_people(key, people))

    def _fill_people(self, key: tuple, people: list[AccountRow]) -> None:
        self._cache[key] = people
        if key != self._wanted:  # the user moved on while this list was loading
            return
        self.people = people
        fill_combo(self.person, [(person_text(a), a.id) for a in people], self.placeholder())
        self.sig_receiver_changed.emit(None)
        self.sig_people_loaded.emit()

    # -- what was chosen --------------------------------------------------------------------------
    def receiver_id(self) -> int | None:
        """The person in the 人员 combo."""
        return self.person.currentData()

    def receivers(self) -> list[int]:
        """The receivers: the list (multiple) or the person in the combo."""
        if not self.multiple:
            return [self.receiver_id()] if self.receiver_id() else []
        return [self.receiver_list.item(r).data(ID_ROLE) for r in range(self.receiver_list.count())]

    def receiver_names(self) -> list[str]:
        """What the user sees of each receiver, for the status bar's "shared with …"."""
        if not self.multiple:
            return [self.person.currentText()] if self.receiver_id() else []
        return [self.receiver_list.item(r).data(NAME_ROLE) for r in range(self.receiver_list.count())]

    def select_person(self, account_id: int) -> bool:
        """Choose ``account_id`` in the 人员 combo if it is offered."""
        index = self.person.findData(account_id)
        if index > 0:
            self.person.setCurrentIndex(index)
        return index > 0

    def add_current(self) -> None:
        account = next((a for a in self.people if a.id == self.receiver_id()), None)
        if account is not None and account.id not in self.receivers():
            self._add_row(account)
            self.sig_receivers_changed.emit(self.receivers())

    def _add_row(self, account: AccountRow) -> None:
        item = QListWidgetItem()
        item.setData(ID_ROLE, account.id)
        item.setData(NAME_ROLE, account.name)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(6, 1, 6, 1)
        where = " / ".join(part for part in (account.organization, account.department) if part)
        label = QLabel(f"{account.name}  <span style='color:#777'>{where}</span>")
        remove = QToolButton()
        remove.setText(self.tr("Remove receiver"))
        remove.setObjectName(f"remove_{account.id}")
        remove.clicked.connect(lambda _c=False, account_id=account.id: self.remove_receiver(account_id))
        layout.addWidget(label, 1)
        layout.addWidget(remove)
        item.setSizeHint(row.sizeHint())
        self.receiver_list.addItem(item)
        self.receiver_list.setItemWidget(item, row)

    def remove_receiver(self, account_id: int) -> None:
        for r in range(self.receiver_list.count()):
            if self.receiver_list.item(r).data(ID_ROLE) == account_id:
                self.receiver_list.takeItem(r)
                self.sig_receivers_changed.emit(self.receivers())
                return
