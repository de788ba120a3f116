"""部门 (figure 2): the departments of every organisation as a tree; 新增 opens the grid that adds
several at once, 修改 changes one department."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.services import org
from crm_desktop.ui.common.forms import (
    BackgroundCalls,
    FormButtons,
    confirm,
    department_items,
    fill_combo,
    required,
    select_data,
    show_message,
)
from crm_desktop.ui.admin.department_grid import TOP, DepartmentGridDialog

PERMISSION = "system.org.manage"
ID_ROLE = Qt.ItemDataRole.UserRole


class DepartmentDialog(QDialog, BackgroundCalls):
    """修改部门: name, parent (same organisation), phone, notes."""

    sig_saved = Signal(dict)
    """The department was saved. Parameters: its row."""
    sig_failed = Signal(str)
    """Saving failed. Parameters: the sentence shown."""

    def __init__(self, db, structure: org.Structure, original: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.original = db, original
        self.setWindowTitle(self.tr("Edit department"))
        organization = next(o["name"] for o in structure.organizations if o["id"] == original["organization_id"])
        self.parent_combo = QComboBox()
        items = [i for i in department_items(structure.departments, original["organization_id"])
                 if i[1] != original["id"]]
        fill_combo(self.parent_combo, items, placeholder=self.tr("(top department)"))
        self.parent_combo.setItemData(0, TOP)
        select_data(self.parent_combo, original["parent_id"] or TOP)
        self.name = QLineEdit(original["name"])
        self.phone = QLineEdit(original["phone"])
        self.notes = QLineEdit(original["notes"])
        form = QFormLayout()
        form.addRow(self.tr("Organisation:"), QLabel(organization))
        form.addRow(self.tr("Parent department:"), self.parent_combo)
        form.addRow(required(self.tr("Department name:")), self.name)
        form.addRow(self.tr("Phone:"), self.phone)
        form.addRow(self.tr("Notes:"), self.notes)
        self.buttons = FormButtons(self, on_save=self.save)
        self.buttons.set_allowed(db.can(PERMISSION))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(420, 220)

    def save(self, close: bool) -> None:
        parent = self.parent_combo.currentData()
        values = {"name": self.name.text().strip(), "phone": self.phone.text().strip(),
                  "notes": self.notes.text().strip(), "parent_id": None if parent == TOP else parent}
        if not values["name"]:
            self.report_user_error("department_name_required")
            return
        self.call(org.save_department, values, self.original, then=lambda row: self._saved(row, close))

    def _saved(self, row: dict, close: bool) -> None:
        self.original = row
        self.sig_saved.emit(row)
        if close:
            self.accept()


class DepartmentsScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """The tree was (re)built."""
    sig_failed = Signal(str)
    """A call failed. Parameters: the sentence shown."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.structure = org.Structure([], [], [])
        self.dialog: QDialog | None = None
        self.setWindowTitle(self.tr("Departments"))
        writable = db.can(PERMISSION)
        self.toolbar = QToolBar()
        for text, slot, write in ((self.tr("New"), self.new, True), (self.tr("Edit"), self.edit, False),
                                  (self.tr("Delete"), self.delete, True), (self.tr("Refresh"), self.refresh, False)):
            self.toolbar.addAction(text, slot).setEnabled(writable or not write)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Department"), self.tr("Phone"), self.tr("Notes")])
        self.tree.setColumnWidth(0, 280)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tree)
        self.resize(700, 480)
        self.refresh()

    def refresh(self) -> None:
        self.call(org.load_structure, then=self._show)

    def _show(self, structure: org.Structure) -> None:
        self.structure = structure
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for o in structure.organizations:
            top = QTreeWidgetItem(self.tree, [o["name"]])
            top.setData(0, ID_ROLE, None)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            parents = {None: top}
            for _text, dept_id in department_items(structure.departments, o["id"]):
                d = next(x for x in structure.departments if x["id"] == dept_id)
                item = QTreeWidgetItem(items.get(d["parent_id"], parents[None]), [d["name"], d["phone"], d["notes"]])
                item.setData(0, ID_ROLE, d["id"])
                items[d["id"]] = item
        self.tree.expandAll()
        self.sig_loaded.emit()

    def selected_department(self) -> dict | None:
        item = self.tree.currentItem()
        dept_id = item.data(0, ID_ROLE) if item else None
        return next((d for d in self.structure.departments if d["id"] == dept_id), None)

    def _selected_organization(self) -> int | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is None:
            return None
        return next((o["id"] for o in self.structure.organizations if o["name"] == item.text(0)), None)

    def new(self) -> DepartmentGridDialog:
        self.dialog = DepartmentGridDialog(self.db, self.structure, self._selected_organization(), self)
        self.dialog.sig_saved.connect(lambda _rows: self.refresh())
        self.dialog.open()
        return self.dialog

    def edit(self) -> DepartmentDialog | None:
        dept = self.selected_department()
        if dept is None:
            return None
        self.dialog = DepartmentDialog(self.db, self.structure, dept, self)
        self.dialog.sig_saved.connect(lambda _row: self.refresh())
        self.dialog.open()
        return self.dialog

    def delete(self) -> None:
        dept = self.selected_department()
        if dept is None:
            show_message(self, self.tr("Select a department first."))
            return
        confirm(self, self.tr("Delete the department %1?").replace("%1", dept["name"]),
                lambda: self.call(org.delete_department, dept["id"], then=lambda _r: self.refresh()))
