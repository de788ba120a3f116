"""新增部门 (figure 2): several departments at once in a grid, one row each, with + / − buttons.

Each row chooses its organisation and parent department; the rows are saved in one transaction,
so if the database refuses one (a second top department, a duplicate name) none is saved.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.services import org
from crm_desktop.ui.common.forms import (
    BackgroundCalls,
    FormButtons,
    department_items,
    fill_combo,
    organization_items,
    select_data,
)

ORG, PARENT, NAME, PHONE, NOTES, BUTTONS = range(6)
TOP = "top"  # the parent combo's "no parent: the organisation's top department" entry


class DepartmentGridDialog(QDialog, BackgroundCalls):
    sig_saved = Signal(list)
    """The departments were added. Parameters: their rows."""
    sig_failed = Signal(str)
    """Saving failed (nothing was saved). Parameters: the sentence shown."""

    def __init__(self, db, structure: org.Structure, organization_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.structure = db, structure
        self.default_organization = organization_id
        self.setWindowTitle(self.tr("New departments"))
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Organisation"), self.tr("Parent department"), self.tr("Department name") + " *",
            self.tr("Phone"), self.tr("Notes"), self.tr("Rows")])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BUTTONS, QHeaderView.ResizeMode.ResizeToContents)
        self.buttons = FormButtons(self, on_save=self.save)
        self.buttons.set_writable(db.can("system.org.manage"))
        hint = QLabel(self.tr("Each organisation has one top department. Use + and − to add or remove rows."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(900, 320)
        self.add_row()

    # -- rows ------------------------------------------------------------------------------------
    def add_row(self, after: int | None = None) -> int:
        row = self.table.rowCount() if after is None else after + 1
        previous = self._combo(row - 1, ORG).currentData() if row > 0 else self.default_organization
        self.table.insertRow(row)
        organization = QComboBox()
        fill_combo(organization, organization_items(self.structure.organizations), keep=previous)
        parent = QComboBox()
        organization.currentIndexChanged.connect(lambda _i, c=organization, p=parent: self._fill_parents(c, p))
        self.table.setCellWidget(row, ORG, organization)
        self.table.setCellWidget(row, PARENT, parent)
        for column in (NAME, PHONE, NOTES):
            self.table.setCellWidget(row, column, QLineEdit())
        self.table.setCellWidget(row, BUTTONS, self._row_buttons())
        self._fill_parents(organization, parent)
        return row

    def _row_buttons(self) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(2, 0, 2, 0)
        plus, minus = QPushButton("+"), QPushButton("−")
        for button in (plus, minus):
            button.setFixedWidth(28)
            layout.addWidget(button)
        plus.setToolTip(self.tr("Add a row below"))
        minus.setToolTip(self.tr("Remove this row"))
        plus.clicked.connect(lambda: self.add_row(self._row_of(box)))
        minus.clicked.connect(lambda: self.remove_row(self._row_of(box)))
        return box

    def _row_of(self, widget: QWidget) -> int:
        for row in range(self.table.rowCount()):
            if self.table.cellWidget(row, BUTTONS) is widget:
                return row
        return -1

    def remove_row(self, row: int) -> None:
        if self.table.rowCount() > 1 and row >= 0:
            self.table.removeRow(row)

    def _fill_parents(self, organization: QComboBox, parent: QComboBox) -> None:
        org_id = organization.currentData()
        items = department_items(self.structure.departments, org_id) if org_id else []
        fill_combo(parent, items, placeholder=self.tr("(top department)"))
        parent.setItemData(0, TOP)
        if items:  # an organisation has one top department: default to below it
            select_data(parent, items[0][1])

    def _combo(self, row: int, column: int) -> QComboBox:
        return self.table.cellWidget(row, column)

    def _text(self, row: int, column: int) -> str:
        return self.table.cellWidget(row, column).text().strip()

    # -- filling and saving ----------------------------------------------------------------------
    def set_row(self, row: int, organization_id: int, parent_id: int | None, name: str,
                phone: str = "", notes: str = "") -> None:
        select_data(self._combo(row, ORG), organization_id)
        select_data(self._combo(row, PARENT), parent_id if parent_id is not None else TOP)
        self.table.cellWidget(row, NAME).setText(name)
        self.table.cellWidget(row, PHONE).setText(phone)
        self.table.cellWidget(row, NOTES).setText(notes)

    def rows(self) -> list[dict]:
        out = []
        for row in range(self.table.rowCount()):
            parent = self._combo(row, PARENT).currentData()
            out.append({"organization_id": self._combo(row, ORG).currentData(),
                        "parent_id": None if parent == TOP else parent,
                        "name": self._text(row, NAME), "phone": self._text(row, PHONE),
                        "notes": self._text(row, NOTES)})
        return out

    def save(self, close: bool = False) -> None:
        rows = self.rows()
        for i, row in enumerate(rows):
            if not row["organization_id"]:
                self.report_user_error("required_field", field=self.tr("Organisation"))
                return
            if not row["name"]:
                self.table.cellWidget(i, NAME).setFocus()
                self.report_user_error("department_name_required")
                return
        self.call(org.add_department_rows, rows, then=lambda added: self._saved(added, close))

    def _saved(self, added: list[dict], close: bool) -> None:
        self.structure.departments.extend(added)
        self.sig_saved.emit(added)
        if close:
            self.accept()
            return
        while self.table.rowCount() > 1:
            self.table.removeRow(1)
        for column in (NAME, PHONE, NOTES):
            self.table.cellWidget(0, column).clear()
        self._fill_parents(self._combo(0, ORG), self._combo(0, PARENT))
