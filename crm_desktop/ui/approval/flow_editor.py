"""审批流程设置 (administrators, permission approval.flow): flows per document type, their conditions
and ordered steps.  Saving makes a new version; documents in approval keep theirs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSpinBox,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crm_desktop.services import approval
from crm_desktop.ui.common.forms import BackgroundCalls, fill_combo, select_data


def _load(db) -> dict:
    return {"types": approval.document_types(db), "flows": approval.list_flows(db),
            "choices": {k: approval.approver_choices(db, k) for k in ("account", "role", "position")}}


class ApproverPicker(QDialog):
    def __init__(self, choices: list[tuple[int, str]], chosen: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Approvers"))
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        for i, name in choices:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setCheckState(Qt.CheckState.Checked if i in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class FlowEditor(QDialog, BackgroundCalls):
    sig_failed = Signal(str)
    sig_loaded = Signal()
    sig_saved = Signal(int)
    """A flow was saved (a new version). Parameters: the flow's id."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setObjectName("approval_flow_editor")
        self.setWindowTitle(self.tr("Approval flows"))
        self.types: list[dict] = []
        self.flows: list[dict] = []
        self.choices: dict[str, list[tuple[int, str]]] = {}
        self.current: dict | None = None
        self.type_combo = QComboBox()
        self.type_combo.currentIndexChanged.connect(self._show_flows)
        self.flow_list = QListWidget()
        self.flow_list.currentRowChanged.connect(self._show_flow)
        new = QPushButton(self.tr("New flow"))
        new.clicked.connect(self.new_flow)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(QLabel(self.tr("Document type")))
        lv.addWidget(self.type_combo)
        lv.addWidget(self.flow_list, 1)
        lv.addWidget(new)
        self.name, self.active, self.priority = QLineEdit(), QCheckBox(self.tr("In use")), QSpinBox()
        self.priority.setRange(1, 9999)
        self.match = QComboBox()
        fill_combo(self.match, [(self.tr("all conditions"), "all"), (self.tr("any condition"), "any")])
        self.conditions = QTableWidget(0, 3)
        self.conditions.setHorizontalHeaderLabels([self.tr("Fact"), self.tr("Compare"), self.tr("Value")])
        self.steps = QTableWidget(0, 6)
        self.steps.setObjectName("flow_steps")
        self.steps.setHorizontalHeaderLabels([self.tr("Step"), self.tr("Approvers by"), self.tr("Who"),
                                              self.tr("Levels up"), self.tr("Mode"), self.tr("k")])
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for table in (self.conditions, self.steps):
            table.horizontalHeader().setStretchLastSection(True)
        self.version_label = QLabel()
        right = QWidget()
        form = QFormLayout(right)
        form.addRow(self.tr("Name"), self.name)
        form.addRow("", self.active)
        form.addRow(self.tr("Priority (lower is tried first)"), self.priority)
        form.addRow(self.tr("Applies when"), self.match)
        form.addRow(self.conditions)
        form.addRow(self._row_buttons(self.add_condition, self.conditions))
        form.addRow(QLabel(self.tr("Steps, in order")))
        form.addRow(self.steps)
        form.addRow(self._row_buttons(self.add_step, self.steps))
        form.addRow(self.version_label)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([240, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1100, 640)
        self.call(_load, then=self._loaded)

    def _row_buttons(self, add, table) -> QHBoxLayout:
        row = QHBoxLayout()
        plus, minus = QPushButton(self.tr("Add")), QPushButton(self.tr("Remove"))
        plus.clicked.connect(lambda: add())
        minus.clicked.connect(lambda: table.removeRow(table.currentRow()) if table.currentRow() >= 0 else None)
        row.addWidget(plus)
        row.addWidget(minus)
        row.addStretch(1)
        return row

    # -- data ------------------------------------------------------------------------------------
    def _loaded(self, data: dict) -> None:
        self.types, self.flows, self.choices = data["types"], data["flows"], data["choices"]
        keep = self.type_combo.currentData()
        fill_combo(self.type_combo, [(t["name_zh"], t["code"]) for t in self.types], keep=keep)
        self._show_flows()
        self.sig_loaded.emit()

    def _type(self) -> dict:
        return next(t for t in self.types if t["code"] == self.type_combo.currentData())

    def _show_flows(self) -> None:
        self.flow_list.clear()
        for f in self._of_type():
            self.flow_list.addItem(f["name"] + ("" if f["active"] else self.tr(" (not in use)")))
        if self.flow_list.count():
            self.flow_list.setCurrentRow(0)
        else:
            self.new_flow()

    def _of_type(self) -> list[dict]:
        return [f for f in self.flows if f["document_type"] == self.type_combo.currentData()]

    def _show_flow(self, row: int) -> None:
        flows = self._of_type()
        if not 0 <= row < len(flows):
            return
        self._fill(flows[row])

    def new_flow(self) -> None:
        self._fill({"id": None, "version": None, "name": "", "active": True, "priority": 100, "conditions": [],
                    "condition_match": "all", "steps": [], "current_version": 0})

    def _fill(self, flow: dict) -> None:
        self.current = flow
        self.name.setText(flow["name"])
        self.active.setChecked(flow["active"])
        self.priority.setValue(flow["priority"])
        select_data(self.match, flow["condition_match"])
        self.conditions.setRowCount(0)
        for c in flow["conditions"]:
            self.add_condition(c)
        self.steps.setRowCount(0)
        for st in flow["steps"]:
            self.add_step(st)
        self.version_label.setText(self.tr("Version %1; saving makes version %2").replace(
            "%1", str(flow.get("current_version") or 0)).replace("%2", str((flow.get("current_version") or 0) + 1)))

    def add_condition(self, c: dict | None = None) -> None:
        c = c or {"fact": None, "op": ">", "value": "0"}
        r = self.conditions.rowCount()
        self.conditions.insertRow(r)
        fact, op = QComboBox(), QComboBox()
        fill_combo(fact, [(f["label"], f["key"]) for f in self._type()["facts"]], keep=c["fact"])
        fill_combo(op, [(o, o) for o in approval.OPERATORS], keep=c["op"])
        self.conditions.setCellWidget(r, 0, fact)
        self.conditions.setCellWidget(r, 1, op)
        self.conditions.setItem(r, 2, QTableWidgetItem(str(c["value"])))

    def add_step(self, st: dict | None = None) -> None:
        st = st or {"name": self.tr("Manager"), "approver_kind": "leader", "approver_ids": [], "leader_levels": 1,
                    "mode": "any", "k": None}
        r = self.steps.rowCount()
        self.steps.insertRow(r)
        self.steps.setItem(r, 0, QTableWidgetItem(st["name"]))
        kind = QComboBox()
        fill_combo(kind, [(approval.name_of(approval.KINDS, k), k) for k in approval.KINDS], keep=st["approver_kind"])
        who = QPushButton()
        who.setProperty("ids", list(st.get("approver_ids") or []))
        levels, k = QSpinBox(), QSpinBox()
        levels.setRange(1, 10)
        levels.setValue(st.get("leader_levels") or 1)
        k.setRange(1, 99)
        k.setValue(st.get("k") or 1)
        mode = QComboBox()
        fill_combo(mode, [(approval.name_of(approval.MODES, m), m) for m in approval.MODES], keep=st["mode"])
        for c, w in ((1, kind), (2, who), (3, levels), (4, mode), (5, k)):
            self.steps.setCellWidget(r, c, w)
        who.clicked.connect(lambda: self._pick(kind, who))
        kind.currentIndexChanged.connect(lambda: self._label_who(kind, who))
        self._label_who(kind, who)

    def _label_who(self, kind: QComboBox, who: QPushButton) -> None:
        code = kind.currentData()
        if code == "leader":
            who.setText(self.tr("(the submitter's leader)"))
            who.setEnabled(False)
            return
        who.setEnabled(True)
        names = dict(self.choices.get(code, []))
        chosen = [names.get(i, str(i)) for i in who.property("ids") or []]
        who.setText("、".join(chosen) if chosen else self.tr("Choose…"))

    def _pick(self, kind: QComboBox, who: QPushButton) -> None:
        picker = ApproverPicker(self.choices.get(kind.currentData(), []), who.property("ids") or [], self)
        if picker.exec():
            who.setProperty("ids", picker.chosen())
            self._label_who(kind, who)

    def flow_values(self) -> dict:
        conditions = [{"fact": self.conditions.cellWidget(r, 0).currentData(),
                       "op": self.conditions.cellWidget(r, 1).currentData(),
                       "value": (self.conditions.item(r, 2).text() if self.conditions.item(r, 2) else "").strip()}
                      for r in range(self.conditions.rowCount())]
        steps = []
        for r in range(self.steps.rowCount()):
            kind = self.steps.cellWidget(r, 1).currentData()
            steps.append({"name": (self.steps.item(r, 0).text() if self.steps.item(r, 0) else "").strip(),
                          "approver_kind": kind,
                          "approver_ids": [] if kind == "leader" else list(self.steps.cellWidget(r, 2).property("ids") or []),
                          "leader_levels": self.steps.cellWidget(r, 3).value(),
                          "mode": self.steps.cellWidget(r, 4).currentData(), "k": self.steps.cellWidget(r, 5).value()})
        return {"id": self.current.get("id") if self.current else None,
                "version": self.current.get("version") if self.current else None,
                "document_type": self.type_combo.currentData(), "name": self.name.text(),
                "active": self.active.isChecked(), "priority": self.priority.value(),
                "condition_match": self.match.currentData(), "conditions": conditions, "steps": steps}

    def save(self) -> None:
        values = self.flow_values()

        def saved(flow_id):
            self.sig_saved.emit(flow_id)
            self.call(_load, then=self._loaded)
        self.call(approval.save_flow, values, then=saved)
