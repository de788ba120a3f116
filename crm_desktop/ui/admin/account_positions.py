"""分配职位: the account form's table of positions (机构 部门 职位 任职时间 职位类型 操作) and the
position chooser (organisation → departments → positions). One main position, many concurrent."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.services import org
from crm_desktop.services.account import PositionAssignment
from crm_desktop.ui.common.forms import department_items

POSITION_ROLE = Qt.ItemDataRole.UserRole
ORG, DEPT, POS, START, KIND, REMOVE = range(6)


class PositionChooser(QDialog):
    """Pick one position from the organisation tree."""

    sig_chosen = Signal(int, bool)
    """A position was chosen. Parameters: position id, main (True) or concurrent (False)."""

    def __init__(self, structure: org.Structure, parent: QWidget | None = None, ask_main: bool = False):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose a position"))
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._accept_item(item))
        self._fill(structure)
        self.main = QRadioButton(self.tr("Main position"))
        self.concurrent = QRadioButton(self.tr("Concurrent position"))
        self.main.setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self._accept_item(self.tree.currentItem()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        if ask_main:
            kinds = QHBoxLayout()
            kinds.addWidget(self.main)
            kinds.addWidget(self.concurrent)
            kinds.addStretch(1)
            layout.addLayout(kinds)
        layout.addWidget(buttons)
        self.resize(380, 460)

    def _fill(self, structure: org.Structure) -> None:
        for o in structure.organizations:
            top = QTreeWidgetItem(self.tree, [o["name"]])
            for text, dept_id in department_items(structure.departments, o["id"]):
                dept = QTreeWidgetItem(top, [text.strip("\u3000")])
                dept.setFlags(dept.flags() & ~Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                for p in structure.positions:
                    if p["department_id"] == dept_id:
                        item = QTreeWidgetItem(dept, [p["name"]])
                        item.setData(0, POSITION_ROLE, p["id"])
        self.tree.expandAll()

    def choose(self, position_id: int, main: bool = True) -> None:
        self.sig_chosen.emit(position_id, main)
        self.accept()

    def _accept_item(self, item: QTreeWidgetItem | None) -> None:
        position_id = item.data(0, POSITION_ROLE) if item else None
        if position_id:
            self.choose(position_id, self.main.isChecked())


class PositionTable(QTableWidget):
    """The positions assigned in the form; the first one added becomes the main position."""

    sig_edited = Signal()
    """A row was added, removed or changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 6, parent)
        self.setHorizontalHeaderLabels([self.tr("Organisation"), self.tr("Department"), self.tr("Position"),
                                        self.tr("Since"), self.tr("Type"), self.tr("Action")])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (START, KIND, REMOVE):
            self.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.structure = org.Structure([], [], [])
        self.position_ids: list[int] = []

    def set_assignments(self, structure: org.Structure, assignments: list[PositionAssignment]) -> None:
        self.structure = structure
        self.setRowCount(0)
        self.position_ids = []
        for a in sorted(assignments, key=lambda a: not a.is_main):
            self.add(a.position_id, a.is_main, a.start_date)

    def add(self, position_id: int, main: bool | None = None, start: date | None = None) -> bool:
        """Add a position (main when it is the first one); False if it is already listed."""
        if position_id in self.position_ids:
            return False
        position = next(p for p in self.structure.positions if p["id"] == position_id)
        dept = next(d for d in self.structure.departments if d["id"] == position["department_id"])
        organization = next(o for o in self.structure.organizations if o["id"] == dept["organization_id"])
        row = self.rowCount()
        self.insertRow(row)
        self.position_ids.append(position_id)
        for column, text in ((ORG, organization["name"]), (DEPT, dept["name"]), (POS, position["name"])):
            self.setItem(row, column, QTableWidgetItem(text))
        since = QDateEdit(QDate(start) if start else QDate.currentDate())
        since.setCalendarPopup(True)
        since.setDisplayFormat("yyyy-MM-dd")
        kind = QComboBox()
        kind.addItem(self.tr("Main"), True)
        kind.addItem(self.tr("Concurrent"), False)
        kind.setCurrentIndex(0 if (main if main is not None else row == 0) else 1)
        kind.currentIndexChanged.connect(lambda _i, combo=kind: self._kind_changed(combo))
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(lambda: self.remove(position_id))
        self.setCellWidget(row, START, since)
        self.setCellWidget(row, KIND, kind)
        self.setCellWidget(row, REMOVE, remove)
        self.sig_edited.emit()
        return True

    def _kind_changed(self, combo: QComboBox) -> None:
        if combo.currentData():  # one main position: the others become concurrent
            for row in range(self.rowCount()):
                other = self.cellWidget(row, KIND)
                if other is not combo and other.currentData():
                    other.blockSignals(True)
                    other.setCurrentIndex(1)
                    other.blockSignals(False)
        self.sig_edited.emit()

    def remove(self, position_id: int) -> None:
        if position_id in self.position_ids:
            self.removeRow(self.position_ids.index(position_id))
            self.position_ids.remove(position_id)
            self.sig_edited.emit()

    def set_main(self, position_id: int) -> None:
        self.cellWidget(self.position_ids.index(position_id), KIND).setCurrentIndex(0)

    def assignments(self) -> list[PositionAssignment]:
        return [PositionAssignment(pid, bool(self.cellWidget(row, KIND).currentData()),
                                   self.cellWidget(row, START).date().toPython())
                for row, pid in enumerate(self.position_ids)]
