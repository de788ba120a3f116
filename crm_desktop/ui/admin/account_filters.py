"""The filters above the account list (figure 4): 机构 / 部门 / 仅直属 / 职位 / 状态 / 未分配职位 /
未分配角色 / 已锁定 / 姓名/帐号 and 查询."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from crm_desktop.services import org
from crm_desktop.services.account import AccountFilter
from crm_desktop.ui.common.forms import department_items, fill_combo, organization_items, position_items, select_data


class AccountFilterBar(QWidget):
    sig_search = Signal(object)
    """查询 was pressed (or Enter in the text box). Parameters: the AccountFilter."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.structure = org.Structure([], [], [])
        select = self.tr("--Select--")
        self.organization, self.department, self.position = QComboBox(), QComboBox(), QComboBox()
        for combo in (self.organization, self.department, self.position):
            combo.addItem(select, None)
            combo.setMinimumWidth(140)
        self.direct_only = QCheckBox(self.tr("Direct only"))
        self.status = QComboBox()
        for text, data in ((select, None), (self.tr("Active"), "active"), (self.tr("Resigned"), "resigned"),
                           (self.tr("Retired"), "retired")):
            self.status.addItem(text, data)
        self.no_position = QCheckBox(self.tr("No position"))
        self.no_role = QCheckBox(self.tr("No role"))
        self.locked = QComboBox()
        for text, data in ((select, None), (self.tr("Yes"), True), (self.tr("No"), False)):
            self.locked.addItem(text, data)
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("name or login"))
        self.text.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search)
        self.organization.currentIndexChanged.connect(self._fill_departments)
        self.department.currentIndexChanged.connect(self._fill_positions)
        self._lay_out()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        first = [(self.tr("Organisation:"), self.organization), (self.tr("Department:"), self.department),
                 (None, self.direct_only), (self.tr("Position:"), self.position)]
        second = [(self.tr("Status:"), self.status), (None, self.no_position), (None, self.no_role),
                  (self.tr("Locked:"), self.locked), (self.tr("Name/login:"), self.text)]
        for row, cells in enumerate((first, second)):
            line = QHBoxLayout()
            for label, widget in cells:
                if label:
                    line.addWidget(QLabel(label))
                line.addWidget(widget)
                line.addSpacing(8)
            if row == 1:
                line.addWidget(self.search_button)
            line.addStretch(1)
            grid.addLayout(line, row, 0)

    def set_structure(self, structure: org.Structure) -> None:
        self.structure = structure
        fill_combo(self.organization, organization_items(structure.organizations),
                   placeholder=self.tr("--Select--"), keep=self.organization.currentData())
        self._fill_departments()

    def _fill_departments(self) -> None:
        items = department_items(self.structure.departments, self.organization.currentData())
        fill_combo(self.department, items, placeholder=self.tr("--Select--"), keep=self.department.currentData())
        self._fill_positions()

    def _fill_positions(self) -> None:
        dept_id = self.department.currentData()
        org_id = self.organization.currentData()
        if dept_id:
            items = position_items(self.structure.positions, dept_id)
        elif org_id:
            depts = {d["id"]: d["name"] for d in self.structure.departments if d["organization_id"] == org_id}
            items = [(f"{depts[p['department_id']]} / {p['name']}", p["id"])
                     for p in self.structure.positions if p["department_id"] in depts]
        else:
            depts = {d["id"]: d["name"] for d in self.structure.departments}
            items = [(f"{depts[p['department_id']]} / {p['name']}", p["id"]) for p in self.structure.positions]
        fill_combo(self.position, items, placeholder=self.tr("--Select--"), keep=self.position.currentData())

    def set_filter(self, f: AccountFilter) -> None:
        """Show ``f`` in the widgets (the department and position lists follow the organisation)."""
        select_data(self.organization, f.organization_id)
        self._fill_departments()
        select_data(self.department, f.department_id)
        self._fill_positions()
        select_data(self.position, f.position_id)
        self.direct_only.setChecked(f.direct_only)
        select_data(self.status, f.status)
        self.no_position.setChecked(f.no_position)
        self.no_role.setChecked(f.no_role)
        select_data(self.locked, f.locked)
        self.text.setText(f.text)

    def current_filter(self) -> AccountFilter:
        return AccountFilter(organization_id=self.organization.currentData(),
                             department_id=self.department.currentData(),
                             direct_only=self.direct_only.isChecked(), position_id=self.position.currentData(),
                             status=self.status.currentData(), no_position=self.no_position.isChecked(),
                             no_role=self.no_role.isChecked(), locked=self.locked.currentData(),
                             text=self.text.text())

    def search(self) -> None:
        self.sig_search.emit(self.current_filter())
