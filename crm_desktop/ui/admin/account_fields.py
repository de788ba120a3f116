"""The account form's fields, laid out as figure 4: two columns of label/field pairs, then status,
positions, roles (figure 7) and the password pair."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from crm_desktop.ui.admin.account_positions import PositionTable
from crm_desktop.ui.common.forms import required

STATUSES = ("active", "resigned", "retired")


class AccountFields(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.login, self.name, self.number = QLineEdit(), QLineEdit(), QLineEdit()
        self.mobile, self.email = QLineEdit(), QLineEdit()
        self.office_phone, self.home_phone = QLineEdit(), QLineEdit()
        self.gender = QComboBox()
        self.gender.addItem(self.tr("Male"), "male")
        self.gender.addItem(self.tr("Female"), "female")
        self.mailbox_quota, self.email_quota = self._quota(), self._quota()
        self.has_expiry = QCheckBox()
        self.valid_until = QDateEdit(QDate.currentDate().addYears(1))
        self.valid_until.setCalendarPopup(True)
        self.valid_until.setDisplayFormat("yyyy-MM-dd")
        self.valid_until.setEnabled(False)
        self.has_expiry.toggled.connect(self.valid_until.setEnabled)
        self.status_buttons = QButtonGroup(self)
        self.status = {s: QRadioButton(t) for s, t in zip(STATUSES, (self.tr("Active"), self.tr("Resigned"),
                                                                     self.tr("Retired")))}
        for button in self.status.values():
            self.status_buttons.addButton(button)
        self.status["active"].setChecked(True)
        self.ukey, self.locked = QCheckBox(self.tr("UKey")), QCheckBox(self.tr("Locked"))
        self.choose_position = QPushButton(self.tr("Choose…"))
        self.positions = PositionTable()
        self.positions.setMinimumHeight(110)
        self.positions.setMaximumHeight(170)
        self.roles = QListWidget()
        self.roles.setMaximumHeight(90)
        self.roles.setFlow(QListWidget.Flow.LeftToRight)
        self.roles.setWrapping(True)
        self.roles.setSpacing(2)
        self.password, self.confirm = QLineEdit(), QLineEdit()
        for edit in (self.password, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel(self.tr("Password:"))
        self.confirm_label = QLabel(self.tr("Confirm password:"))
        self._lay_out()

    @staticmethod
    def _quota() -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 1_000_000)
        box.setSuffix(" MB")
        return box

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setHorizontalSpacing(10)
        pairs = [(required(self.tr("Login:")), self.login, required(self.tr("Name:")), self.name),
                 (QLabel(self.tr("Gender:")), self.gender, QLabel(self.tr("Number:")), self.number),
                 (QLabel(self.tr("Mobile:")), self.mobile, QLabel(self.tr("E-mail:")), self.email),
                 (QLabel(self.tr("Office phone:")), self.office_phone, QLabel(self.tr("Home phone:")), self.home_phone),
                 (QLabel(self.tr("Internal mail & folders:")), self.mailbox_quota,
                  QLabel(self.tr("E-mail quota:")), self.email_quota)]
        for row, widgets in enumerate(pairs):
            for column, widget in enumerate(widgets):
                grid.addWidget(widget, row, column)
        row = len(pairs)
        expiry = QHBoxLayout()
        expiry.addWidget(self.has_expiry)
        expiry.addWidget(self.valid_until)
        expiry.addWidget(QLabel(self.tr("(blank: no limit)")))
        expiry.addStretch(1)
        grid.addWidget(QLabel(self.tr("Valid until:")), row, 0)
        grid.addLayout(expiry, row, 1, 1, 3)
        flags = QHBoxLayout()
        for widget in (*self.status.values(), self.ukey, self.locked):
            flags.addWidget(widget)
            flags.addSpacing(6)
        flags.addStretch(1)
        grid.addWidget(QLabel(self.tr("Status:")), row + 1, 0)
        grid.addLayout(flags, row + 1, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Positions:")), row + 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.choose_position, row + 2, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.positions, row + 3, 0, 1, 4)
        grid.addWidget(QLabel(self.tr("Roles:")), row + 4, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.roles, row + 4, 1, 1, 3)
        grid.addWidget(self.password_label, row + 5, 0)
        grid.addWidget(self.password, row + 5, 1)
        grid.addWidget(self.confirm_label, row + 5, 2)
        grid.addWidget(self.confirm, row + 5, 3)
        grid.setRowStretch(row + 6, 1)  # spare height goes below the form, not between its rows

    # -- roles -----------------------------------------------------------------------------------
    def set_roles(self, roles: list[dict], organizations: dict[int, str], ticked: set[int]) -> None:
        self.roles.clear()
        for role in roles:
            text = role["name"]
            if role["organization_id"]:
                text += f"（{organizations.get(role['organization_id'], '')}）"
            item = QListWidgetItem(text, self.roles)
            item.setData(Qt.ItemDataRole.UserRole, role["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if role["id"] in ticked else Qt.CheckState.Unchecked)

    def role_ids(self) -> list[int]:
        return [self.roles.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.roles.count())
                if self.roles.item(i).checkState() == Qt.CheckState.Checked]

    def tick_role(self, role_id: int, ticked: bool = True) -> None:
        for i in range(self.roles.count()):
            if self.roles.item(i).data(Qt.ItemDataRole.UserRole) == role_id:
                self.roles.item(i).setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    # -- values ----------------------------------------------------------------------------------
    def fill(self, data: dict[str, Any]) -> None:
        for name in ("login", "name", "number", "mobile", "email", "office_phone", "home_phone"):
            getattr(self, name).setText(data.get(name) or "")
        self.gender.setCurrentIndex(max(self.gender.findData(data.get("gender", "male")), 0))
        self.mailbox_quota.setValue(data.get("mailbox_quota_mb") or 0)
        self.email_quota.setValue(data.get("email_quota_mb") or 0)
        valid_until: date | None = data.get("valid_until")
        self.has_expiry.setChecked(valid_until is not None)
        if valid_until:
            self.valid_until.setDate(QDate(valid_until))
        self.status[data.get("status", "active")].setChecked(True)
        self.ukey.setChecked(bool(data.get("ukey")))
        self.locked.setChecked(bool(data.get("locked")))
        self.password.clear()
        self.confirm.clear()

    def values(self) -> dict[str, Any]:
        status = next(s for s, button in self.status.items() if button.isChecked())
        return {"login": self.login.text().strip(), "name": self.name.text().strip(),
                "gender": self.gender.currentData(), "number": self.number.text().strip(),
                "mobile": self.mobile.text().strip(), "email": self.email.text().strip(),
                "office_phone": self.office_phone.text().strip(), "home_phone": self.home_phone.text().strip(),
                "mailbox_quota_mb": self.mailbox_quota.value(), "email_quota_mb": self.email_quota.value(),
                "valid_until": self.valid_until.date().toPython() if self.has_expiry.isChecked() else None,
                "status": status, "ukey": self.ukey.isChecked(), "locked": self.locked.isChecked()}

    def field_labels(self) -> dict[str, str]:
        """Field name → the label the user sees (for the stale-save dialog)."""
        return {"login": self.tr("Login"), "name": self.tr("Name"), "gender": self.tr("Gender"),
                "number": self.tr("Number"), "mobile": self.tr("Mobile"), "email": self.tr("E-mail"),
                "office_phone": self.tr("Office phone"), "home_phone": self.tr("Home phone"),
                "mailbox_quota_mb": self.tr("Internal mail & folders"), "email_quota_mb": self.tr("E-mail quota"),
                "valid_until": self.tr("Valid until"), "status": self.tr("Status"), "locked": self.tr("Locked"),
                "ukey": self.tr("UKey"), "deleted_at": self.tr("Deleted")}

    def value_text(self, field: str, value: Any) -> str | None:
        """Readable value of a coded field, None for the default formatting."""
        if field == "status":
            return self.status[value].text() if value in self.status else None
        if field == "gender":
            index = self.gender.findData(value)
            return self.gender.itemText(index) if index >= 0 else None
        return None
