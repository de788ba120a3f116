"""销售分析 (sales analysis): the funnel, won amount by month and by salesperson, win rate and
conversion time, drawn with QPainter (no Qt Charts), every figure computed by the server under the
caller's row-level security; 导出 Excel writes the same figures, one sheet each."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPolygonF
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from crm_desktop.ui.common import file_dialogs
from crm_desktop.services import pipeline as svc
from crm_desktop.ui.common.forms import BackgroundCalls, announce, fill_combo
from crm_desktop.ui.followup.opportunities import money

PALETTE = ["#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#e53935", "#3949ab", "#6d4c41"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("SalesAnalysis", text)


def period_names() -> dict[str, str]:
    return {"all": _tr("All opportunities"), "year": _tr("Started this year"), "quarter": _tr("Started this quarter"),
            "month": _tr("Started this month")}


def _ratio(value: Decimal, largest: Decimal) -> float:
    """A bar's share of the widest (pixels only; the figures themselves stay Decimal)."""
    return float(value / largest) if largest > 0 else 0.0


class BarChart(QWidget):
    """Horizontal bars with a label on the left and the figure after each bar."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, Decimal, str]] = []  # label, value, text shown
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_items(self, items: Sequence[tuple[str, Decimal, str]]) -> None:
        self.items = list(items)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        line = self.fontMetrics().height()
        return QSize(420, line * 2 + max(1, len(self.items)) * (line + 10) + 16)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = p.fontMetrics()
        line = fm.height()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#202124"))
        p.drawText(QRectF(8, 4, self.width() - 16, line + 4), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        if not self.items:
            p.setPen(QColor("#5f6368"))
            p.drawText(QRectF(8, line + 12, self.width() - 16, line + 4), Qt.AlignmentFlag.AlignLeft, _tr("No data"))
            return
        label_w = min(max(fm.horizontalAdvance(label) for label, _v, _t in self.items) + 12, self.width() // 3)
        text_w = max(fm.horizontalAdvance(t) for _l, _v, t in self.items) + 12
        bar_room = max(10, self.width() - label_w - text_w - 24)
        largest = max(v for _l, v, _t in self.items)
        y = line * 2 + 4
        for i, (label, value, shown) in enumerate(self.items):
            p.setPen(QColor("#202124"))
            p.drawText(QRectF(8, y, label_w - 8, line + 6), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8))
            width = max(2.0, bar_room * _ratio(value, largest))
            p.fillRect(QRectF(8 + label_w, y + 2, width, line + 2), QColor(PALETTE[i % len(PALETTE)]))
            p.drawText(QRectF(12 + label_w + width, y, text_w, line + 6),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            y += line + 10


class FunnelChart(QWidget):
    """The sales funnel: one band per stage, its width by count, with count and amount inside."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.stages: list[tuple[str, int, Decimal]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_stages(self, stages: Sequence[tuple[str, int, Decimal]]) -> None:
        self.stages = list(stages)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        line = self.fontMetrics().height()
        return QSize(480, line * 2 + max(1, len(self.stages)) * (line * 2 + 6) + 16)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        line = p.fontMetrics().height()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#202124"))
        p.drawText(QRectF(8, 4, self.width() - 16, line + 4), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        if not self.stages:
            return
        largest = max(n for _s, n, _a in self.stages) or 1
        band = line * 2
        room = self.width() - 32
        centre = self.width() / 2
        y = line * 2 + 4
        labels = [f"{stage}  {_tr('%1 opportunities').replace('%1', str(n))}  ¥{money(a)}" for stage, n, a in self.stages]
        fm = p.fontMetrics()
        widths = [min(room, max(n / largest * room, fm.horizontalAdvance(t) + 40))
                  for (_s, n, _a), t in zip(self.stages, labels)]
        for i, label in enumerate(labels):
            top, bottom = widths[i], widths[i] - 24  # a band narrowing a little: a funnel, whatever the counts
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(PALETTE[i % len(PALETTE)]))
            p.drawPolygon(QPolygonF([QPointF(centre - top / 2, y), QPointF(centre + top / 2, y),
                                     QPointF(centre + bottom / 2, y + band), QPointF(centre - bottom / 2, y + band)]))
            p.setPen(QColor("#ffffff"))
            p.drawText(QRectF(0, y, self.width(), band), Qt.AlignmentFlag.AlignCenter, label)
            y += band + 6


class SalesAnalysis(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """The charts show the server's figures."""
    sig_failed = Signal(str)
    """Loading or exporting failed. Parameters: the sentence shown."""
    sig_exported = Signal(str)
    """The workbook was written. Parameters: its path."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.result: svc.Analysis | None = None
        self.setObjectName("sales_analysis")
        self.setWindowTitle(_tr("Sales analysis"))
        self.period = QComboBox(self)
        self.period.setObjectName("analysis_period")
        fill_combo(self.period, [(v, k) for k, v in period_names().items()])
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        refresh, export = QPushButton(_tr("Refresh"), self), QPushButton(_tr("Export to Excel"), self)
        export.setObjectName("analysis_export")
        refresh.clicked.connect(self.refresh)
        export.clicked.connect(self._choose_export)
        self.summary = QLabel(self)
        self.summary.setObjectName("analysis_summary")
        self.summary.setStyleSheet("font-size: 11pt; padding: 6px; background: #eef2f7;")
        self.funnel = FunnelChart(_tr("Sales funnel (count and amount per stage)"), self)
        self.by_month = BarChart(_tr("Won amount by month"), self)
        self.by_owner = BarChart(_tr("Won amount by salesperson"), self)
        self.stage_days = BarChart(_tr("Average days in stage"), self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Period"), self))
        bar.addWidget(self.period)
        bar.addStretch(1)
        bar.addWidget(refresh)
        bar.addWidget(export)
        charts = QWidget(self)
        grid = QGridLayout(charts)
        grid.addWidget(self.funnel, 0, 0)
        grid.addWidget(self.stage_days, 0, 1)
        grid.addWidget(self.by_month, 1, 0)
        grid.addWidget(self.by_owner, 1, 1)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)

    def period_range(self):
        from crm_desktop.ui.followup.pipeline import period_range

        key = self.period.currentData() or "all"
        return period_range(key) if key != "all" else (None, None)

    def refresh(self) -> None:
        self.call(svc.analysis, *self.period_range(), then=self.show_analysis)

    def show_analysis(self, result: svc.Analysis) -> None:
        self.result = result
        rate = "—" if result.win_rate is None else f"{result.win_rate}%"
        days = "—" if result.average_days_to_win is None else str(result.average_days_to_win)
        self.summary.setText(_tr("Won %1, lost %2, win rate %3; average %4 days from creation to won")
                             .replace("%1", str(result.won)).replace("%2", str(result.lost))
                             .replace("%3", rate).replace("%4", days))
        self.funnel.set_stages([(r["stage"], r["count"], r["amount"]) for r in result.funnel])
        self.by_month.set_items([(r["month"], r["amount"], f"¥{money(r['amount'])}") for r in result.won_by_month])
        self.by_owner.set_items([(r["owner"], r["amount"], f"¥{money(r['amount'])}") for r in result.won_by_owner])
        self.stage_days.set_items([(r["stage"], r["days"] or Decimal(0),
                                    _tr("%1 days").replace("%1", "—" if r["days"] is None else str(r["days"])))
                                   for r in result.stage_days])
        self.sig_loaded.emit()

    def export_labels(self) -> dict[str, str]:
        return {"funnel": _tr("Funnel"), "by_month": _tr("Won by month"), "by_owner": _tr("Won by salesperson"),
                "summary": _tr("Summary"), "stage": _tr("Stage"), "count": _tr("Count"), "amount": _tr("Amount"),
                "month": _tr("Month"), "owner": _tr("Salesperson"), "figure": _tr("Figure"), "value": _tr("Value"),
                "won": _tr("Won"), "lost": _tr("Lost"), "win_rate": _tr("Win rate (%)"),
                "days_to_win": _tr("Average days to win"), "stage_days": _tr("Average days in stage")}

    def _choose_export(self) -> None:
        path = file_dialogs.save_file_name(self, "export_sales_analysis", _tr("Export to Excel"),
                                           _tr("Sales analysis") + ".xlsx", "Excel (*.xlsx)")
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        if self.result is None:
            return
        self.call(lambda _db: svc.export_analysis(self.result, path, self.export_labels()),
                  then=lambda _r: (announce(self, _tr("Sales analysis exported"), str(path)),
                                   self.sig_exported.emit(str(path))))
