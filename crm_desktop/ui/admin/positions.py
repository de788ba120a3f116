"""职位 (figure 3): the positions list and the form — organisation, department, superior position,
name *, 管理职位. Superior links draw the position chart; a manager position heads its department."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from crm_desktop.services import org
from crm_desktop.ui.common.forms import (
    BackgroundCalls,
    FormButtons,
    confirm,
    department_items,
    fill_combo,
    organization_items,
    required,
    select_data,
    show_message,
)
from crm_desktop.ui.admin.list_screen import ListScreen

PERMISSION = "system.org.manage"


def superior_items(structure: org.Structure, exclude: int | None) -> list[tuple[str, int]]:
    """Every position as 'department / position' (a branch's head may report to head office)."""
    departments = {d["id"]: d["name"] for d in structure.departments}
    return [(f"{departments.get(p['department_id'], '')} / {p['name']}", p["id"])
            for p in structure.positions if p["id"] != exclude]


class PositionDialog(QDialog, BackgroundCalls):
    sig_saved = Signal(dict)
    """The position was saved. Parameters: its row."""
    sig_failed = Signal(str)
    """Saving failed. Parameters: the sentence shown."""

    def __init__(self, db, structure: org.Structure, original: dict | None = None,
                 department_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.structure, self.original = db, structure, original
        self.setWindowTitle(self.tr("Edit position") if original else self.tr("New position"))
        self.organization = QComboBox()
        self.department = QComboBox()
        self.superior = QComboBox()
        self.name = QLineEdit()
        self.is_manager = QCheckBox(self.tr("Manager position"))
        self.is_manager.setToolTip(self.tr("The holder of a manager position heads the department."))
        fill_combo(self.organization, organization_items(structure.organizations))
        self.organization.currentIndexChanged.connect(self._fill_departments)
        form = QFormLayout()
        form.addRow(self.tr("Organisation:"), self.organization)
        form.addRow(self.tr("Department:"), self.department)
        form.addRow(self.tr("Superior position:"), self.superior)
        form.addRow(required(self.tr("Position name:")), self.name)
        form.addRow("", self.is_manager)
        self.buttons = FormButtons(self, on_save=self.save)
        self.buttons.set_allowed(db.can(PERMISSION))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(460, 240)
        department_id = original["department_id"] if original else department_id
        self._select_department(department_id)
        fill_combo(self.superior, superior_items(structure, original["id"] if original else None),
                   placeholder=self.tr("--Select--"), keep=original["superior_id"] if original else None)
        if original:
            self.name.setText(original["name"])
            self.is_manager.setChecked(original["is_manager"])

    def _select_department(self, department_id: int | None) -> None:
        dept = next((d for d in self.structure.departments if d["id"] == department_id), None)
        if dept:
            select_data(self.organization, dept["organization_id"])
        self._fill_departments()
        if dept:
            select_data(self.department, department_id)

    def _fill_departments(self) -> None:
        fill_combo(self.department, department_items(self.structure.departments, self.organization.currentData()))

    def values(self) -> dict:
        return {"department_id": self.department.currentData(), "superior_id": self.superior.currentData(),
                "name": self.name.text().strip(), "is_manager": self.is_manager.isChecked()}

    def save(self, close: bool) -> None:
        values = self.values()
        if not values["department_id"]:
            self.report_user_error("required_field", field=self.tr("Department"))
            return
        if not values["name"]:
            self.name.setFocus()
            self.report_user_error("position_name_required")
            return
        self.call(org.save_position, values, self.original, then=lambda row: self._saved(row, close))

    def _saved(self, row: dict, close: bool) -> None:
        self.original = row
        self.setWindowTitle(self.tr("Edit position"))
        self.sig_saved.emit(row)
        if close:
            self.accept()


class PositionsScreen(ListScreen):
    write_permission = PERMISSION

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.structure = org.Structure([], [], [])
        self.dialog: PositionDialog | None = None
        self.setWindowTitle(self.tr("Positions"))
        self.add_action(self.tr("New"), self.new)
        self.add_action(self.tr("Edit"), self.open_selected, write=False)
        self.add_action(self.tr("Delete"), self.delete)
        self.finish_toolbar()
        self.resize(820, 480)
        self.refresh()

    def header_titles(self) -> list[str]:
        return [self.tr("Organisation"), self.tr("Department"), self.tr("Position"),
                self.tr("Superior position"), self.tr("Manager position")]

    def fetch(self, db) -> org.Structure:
        return org.load_structure(db)

    def take(self, structure: org.Structure) -> list[dict]:
        self.structure = structure
        orgs = {o["id"]: o["name"] for o in structure.organizations}
        depts = {d["id"]: d for d in structure.departments}
        names = {p["id"]: p["name"] for p in structure.positions}
        order = {dept_id: i for i, (_t, dept_id) in enumerate(department_items(structure.departments, None))}
        rows = [{**p, "organization": orgs.get(depts[p["department_id"]]["organization_id"], ""),
                 "department": depts[p["department_id"]]["name"], "superior": names.get(p["superior_id"], "")}
                for p in structure.positions]
        return sorted(rows, key=lambda r: (order.get(r["department_id"], 0), r["sort_order"], r["id"]))

    def cells(self, row: dict) -> list[str]:
        return [row["organization"], row["department"], row["name"], row["superior"],
                self.tr("Yes") if row["is_manager"] else ""]

    def _open(self, original: dict | None) -> PositionDialog:
        self.dialog = PositionDialog(self.db, self.structure, original, parent=self)
        self.dialog.sig_saved.connect(lambda _row: self.refresh())
        self.dialog.open()
        return self.dialog

    def new(self) -> PositionDialog:
        return self._open(None)

    def open_selected(self) -> PositionDialog | None:
        row = self.selected()
        return self._open(row) if row else None

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            show_message(self, self.tr("Select a position first."))
            return
        confirm(self, self.tr("Delete the position %1?").replace("%1", row["name"]),
                lambda: self.call(org.delete_position, row["id"], then=lambda _r: self.refresh()))
