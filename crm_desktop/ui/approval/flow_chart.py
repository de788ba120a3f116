"""流程图: the steps of a document's flow, who acted, when and with what comment, and where it is now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from crm_desktop.services import approval
from crm_desktop.ui.common.lazy_model import format_value

STATE_COLOURS = {"done": "#2e7d32", "active": "#1565c0", "waiting": "#757575", "rejected": "#c62828",
                 "stalled": "#ef6c00"}


class StepBox(QFrame):
    def __init__(self, step: approval.ChartStep, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"step_{step.step_no}")
        self.setFrameShape(QFrame.Shape.Box)
        colour = STATE_COLOURS[step.state]
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ border: 2px solid {colour}; border-radius: 6px; }}")
        layout = QVBoxLayout(self)
        mode = approval.name_of(approval.MODES, step.mode)
        if step.mode == "k_of_n":
            mode = mode.replace("k", str(step.k))
        states = {"done": self.tr("Done"), "active": self.tr("Now here"), "waiting": self.tr("Not yet"),
                  "rejected": self.tr("Rejected"), "stalled": self.tr("No approver: the administrator is told")}
        title = QLabel(f"<b>{step.step_no}. {step.name}</b><br>{mode}<br>"
                       f"<span style='color:{colour}'>{states[step.state]}</span>")
        layout.addWidget(title)
        for task in step.tasks:
            text = f"{task['approver_name']}：{approval.name_of(approval.TASK_STATUS_NAMES, task['status'])}"
            if task["decided_at"] is not None and task["status"] in ("approved", "rejected"):
                text += f"\n{format_value(task['decided_at'])}"
                if task["decided_by"] != task["approver_id"] and task.get("decided_by_name"):
                    text += self.tr(" (by %1)").replace("%1", task["decided_by_name"])
            if task["comment"] and task["status"] in ("approved", "rejected"):
                text += f"\n“{task['comment']}”"
            layout.addWidget(QLabel(text))
        layout.addStretch(1)


class FlowChartDialog(QDialog):
    """Read-only: anyone who may see the document may see its flow."""

    def __init__(self, chart: approval.FlowChart, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("flow_chart")
        self.chart = chart
        inst = chart.instance
        self.setWindowTitle(self.tr("Flow chart"))
        layout = QVBoxLayout(self)
        header = self.tr("Flow: %1 (version %2) · submitted by %3 at %4 · %5")
        header = (header.replace("%1", inst.get("flow_name") or self.tr("(no flow)"))
                  .replace("%2", str(inst.get("flow_version") or "-")).replace("%3", inst["submitter_name"])
                  .replace("%4", format_value(inst["submitted_at"]))
                  .replace("%5", approval.name_of(approval.STATUS_NAMES, inst["status"])))
        layout.addWidget(QLabel(header))
        row = QHBoxLayout()
        start = QLabel(self.tr("Submit"))
        start.setStyleSheet("border: 2px solid #2e7d32; border-radius: 12px; padding: 6px;")
        row.addWidget(start)
        self.step_boxes = []
        for step in chart.steps:
            row.addWidget(QLabel("→"))
            box = StepBox(step)
            self.step_boxes.append(box)
            row.addWidget(box, 1)
        row.addWidget(QLabel("→"))
        end = QLabel(approval.name_of(approval.STATUS_NAMES, "approved") if inst["status"] == "approved"
                     else self.tr("End"))
        end.setStyleSheet("border: 2px solid %s; border-radius: 12px; padding: 6px;"
                          % ("#2e7d32" if inst["status"] == "approved" else "#757575"))
        row.addWidget(end)
        layout.addLayout(row)
        self.history = QTableWidget(len(chart.events), 5)
        self.history.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Who"), self.tr("Action"), self.tr("Step"),
                                                self.tr("Comment")])
        for r, e in enumerate(chart.events):
            who = e.get("actor_name") or ""
            if e.get("on_behalf_of_name"):
                who += self.tr(" for %1").replace("%1", e["on_behalf_of_name"])
            cells = (format_value(e["at"]), who, approval.name_of(approval.ACTION_NAMES, e["action"]),
                     "" if e["step_no"] is None else str(e["step_no"]), e["comment"])
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if e["action"] in ("reject", "step_stalled"):
                    item.setForeground(QColor("#c62828"))
                self.history.setItem(r, c, item)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.resizeColumnsToContents()
        layout.addWidget(self.history, 1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(900, 520)
