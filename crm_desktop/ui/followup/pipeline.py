"""销售漏斗看板 (the sales pipeline dock): a kanban board, one column per sales stage, whose header
shows the count, total and weighted total (computed by the server), and cards with customer,
amount, owner, expected close, days in stage and the next contact (red when overdue).

Dragging a card onto another column is ``StageModel.dropMimeData`` → ``PipelineBoard.move_card``:
the card moves at once, the service changes the stage in the database (a lost stage first asks
the reason), and a refusal puts the card back and shows the sentence.  A NOTIFY on opportunities
(a colleague moved a card) reloads the board.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import (QAbstractListModel, QByteArray, QCoreApplication, QMimeData, QModelIndex, QRect, QSize,
                            Qt, QTimer, Signal)
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDockWidget, QFrame, QHBoxLayout, QInputDialog, QLabel,
                               QListView, QPushButton, QScrollArea, QStyle, QStyledItemDelegate, QVBoxLayout, QWidget)

from crm_desktop.services import pipeline as svc
from crm_desktop.ui.common.forms import BackgroundCalls, error_sentence, fill_combo, show_message
from crm_desktop.ui.common.tasks import run_in_background
from crm_desktop.ui.followup.opportunities import money

MIME = "application/x-crm-opportunity"
CARD_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#c62828")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Pipeline", text)


def period_names() -> dict[str, str]:
    return {"all": _tr("Any time"), "month": _tr("Closing this month"), "quarter": _tr("Closing this quarter"),
            "year": _tr("Closing this year"), "overdue": _tr("Close date passed")}


def period_range(key: str, today: date | None = None) -> tuple[date | None, date | None]:
    """The dates a period key stands for (inclusive)."""
    today = today or date.today()
    if key == "month":
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    elif key == "quarter":
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        end = (start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    elif key == "year":
        start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    elif key == "overdue":
        start, end = None, today - timedelta(days=1)
    else:
        start = end = None
    return start, end


def header_text(column: svc.StageColumn) -> str:
    return (f"{column.name}  ({column.count})\n{_tr('Total')} {money(column.total)}\n"
            f"{_tr('Weighted')} {money(column.weighted)}")


class StageModel(QAbstractListModel):
    """The cards of one stage; a drop from another column asks the board to move the card."""

    def __init__(self, board: "PipelineBoard", column: svc.StageColumn):
        super().__init__(board)
        self.board, self.column = board, column
        self.cards: list[dict[str, Any]] = list(column.cards)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.cards):
            return None
        card = self.cards[index.row()]
        if role == CARD_ROLE:
            return card
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return f"{card['customer_name']} {money(card['expected_amount'])} {card['owner_name']}"
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsDropEnabled
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def supportedDropActions(self):  # noqa: N802 - Qt's name
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [MIME]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802 - Qt's name
        mime = QMimeData()
        ids = [self.cards[i.row()]["id"] for i in indexes if i.isValid()]
        mime.setData(MIME, QByteArray(json.dumps({"ids": ids, "from": self.column.stage_id}).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802 - Qt's name
        if not data.hasFormat(MIME):
            return False
        return json.loads(bytes(data.data(MIME)).decode())["from"] != self.column.stage_id

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802 - Qt's name
        """What a real drop calls (QListView.dropEvent): move the dragged card to this stage."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        payload = json.loads(bytes(data.data(MIME)).decode())
        return any([self.board.move_card(card_id, payload["from"], self.column.stage_id) for card_id in payload["ids"]])

    def removeRows(self, row, count, parent=QModelIndex()) -> bool:  # noqa: N802 - Qt's name
        return False  # the board moves cards itself; the view's "remove after move" must not

    def take(self, card_id: int) -> tuple[int, dict[str, Any]] | None:
        for row, card in enumerate(self.cards):
            if card["id"] == card_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.cards[row]
                self.endRemoveRows()
                return row, card
        return None

    def put(self, row: int, card: dict[str, Any]) -> None:
        row = max(0, min(row, len(self.cards)))
        self.beginInsertRows(QModelIndex(), row, row)
        self.cards.insert(row, card)
        self.endInsertRows()


class CardDelegate(QStyledItemDelegate):
    HEIGHT = 92

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt's name
        return QSize(200, self.HEIGHT)

    def paint(self, painter: QPainter, option, index) -> None:
        card = index.data(CARD_ROLE)
        if card is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor("#1e88e5") if selected else QColor("#c5cbd3"), 1.5 if selected else 1))
        painter.setBrush(QColor("#e8f1fb") if selected else QColor("#ffffff"))
        painter.drawRoundedRect(rect, 5, 5)
        inner = rect.adjusted(8, 5, -8, -5)
        line = painter.fontMetrics().height() + 1
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#202124"))
        top = QRect(inner.left(), inner.top(), inner.width(), line)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(card["customer_name"], Qt.TextElideMode.ElideRight,
                                                          inner.width()))
        painter.setFont(option.font)
        ends = card["ends_on"].isoformat() if card.get("ends_on") else "—"
        lines = [(f"¥ {money(card['expected_amount'])}    {card['owner_name']}", QColor("#202124")),
                 (f"{_tr('Expected close')} {ends}    {_tr('%1 days in stage').replace('%1', str(card['days_in_stage']))}",
                  QColor("#5f6368"))]
        nxt = card.get("next_contact_at")
        if nxt is None:
            lines.append((f"{_tr('Next contact')} —", QColor("#5f6368")))
        else:
            overdue = nxt < datetime.now(nxt.tzinfo)
            lines.append((f"{_tr('Next contact')} {nxt.astimezone():%Y-%m-%d %H:%M}",
                          OVERDUE if overdue else QColor("#5f6368")))
        for i, (text, colour) in enumerate(lines, start=1):
            painter.setPen(colour)
            painter.drawText(QRect(inner.left(), inner.top() + i * line, inner.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, inner.width()))
        painter.restore()


class StageColumnWidget(QFrame):
    def __init__(self, board: "PipelineBoard", column: svc.StageColumn):
        super().__init__(board)
        self.setObjectName(f"pipeline_column_{column.stage_id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(230)
        self.header = QLabel(header_text(column), self)
        self.header.setObjectName(f"pipeline_header_{column.stage_id}")
        colour = "#e8f5e9" if column.is_won else "#fdecea" if column.is_lost else "#eef2f7"
        self.header.setStyleSheet(f"background: {colour}; padding: 4px; font-weight: bold;")
        self.model = StageModel(board, column)
        self.view = QListView(self)
        self.view.setObjectName(f"pipeline_cards_{column.stage_id}")
        self.view.setModel(self.model)
        self.view.setItemDelegate(CardDelegate(self.view))
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.doubleClicked.connect(lambda index: board.open_card(index.data(CARD_ROLE)))
        self.more = QLabel(self)
        self.more.setStyleSheet("color: #5f6368;")
        hidden = column.count - len(column.cards)
        self.more.setText(_tr("%1 more not shown").replace("%1", str(hidden)) if hidden > 0 else "")
        self.more.setVisible(hidden > 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.more)


class PipelineBoard(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """The board shows what the server returned."""
    sig_moved = Signal(dict)
    """A card's move was saved. Parameters: the opportunity as the server keeps it."""
    sig_move_refused = Signal(str)
    """A move was refused and the card put back. Parameters: the sentence shown."""
    sig_failed = Signal(str)
    """Loading failed. Parameters: the sentence shown."""

    def __init__(self, db, parent: QWidget | None = None, per_stage: int = svc.PER_STAGE):
        super().__init__(parent)
        self.db, self.per_stage = db, per_stage
        self.setObjectName("pipeline_board")
        self.columns: dict[int, StageColumnWidget] = {}
        self.stage_columns: list[svc.StageColumn] = []
        self.department_ids: tuple[int, ...] = ()
        self.ask_reason = self._ask_reason  # replaced in tests; returns "" to cancel
        self.owner, self.team, self.department, self.period = (QComboBox(self) for _ in range(4))
        for name in ("owner", "team", "department", "period"):
            getattr(self, name).setObjectName(f"pipeline_{name}")
        fill_combo(self.owner, [], placeholder=_tr("All owners"))
        fill_combo(self.team, [], placeholder=_tr("All teams"))
        fill_combo(self.department, [], placeholder=_tr("All departments"))
        fill_combo(self.period, [(v, k) for k, v in period_names().items()])
        refresh = QPushButton(_tr("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        for label, combo in ((_tr("Owner"), self.owner), (_tr("Sales team"), self.team),
                             (_tr("Department"), self.department), (_tr("Period"), self.period)):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(combo)
        bar.addStretch(1)
        bar.addWidget(refresh)
        self.strip = QWidget(self)
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.strip)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(250)
        self._pending.timeout.connect(self.refresh)
        for combo in (self.owner, self.team, self.period):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.department.currentIndexChanged.connect(lambda _i: self._department_changed())
        self.call(svc.filter_choices, then=self._choices)

    # -- filters -------------------------------------------------------------------------------
    def _choices(self, choices: dict[str, list]) -> None:
        fill_combo(self.owner, choices["owners"], placeholder=_tr("All owners"), keep=self.owner.currentData())
        fill_combo(self.team, choices["departments"], placeholder=_tr("All teams"), keep=self.team.currentData())
        fill_combo(self.department, choices["departments"], placeholder=_tr("All departments"),
                   keep=self.department.currentData())

    def _department_changed(self) -> None:
        department_id = self.department.currentData()
        if department_id is None:
            self.department_ids = ()
            self.refresh()
        else:
            self.call(svc.departments_below, department_id,
                      then=lambda ids: (setattr(self, "department_ids", ids), self.refresh()))

    def current_filter(self) -> svc.PipelineFilter:
        closes_from, closes_to = period_range(self.period.currentData() or "all")
        return svc.PipelineFilter(owner_id=self.owner.currentData(), team_id=self.team.currentData(),
                                  department_ids=self.department_ids, closes_from=closes_from, closes_to=closes_to)

    # -- loading -------------------------------------------------------------------------------
    def connect_changes(self, bridge) -> None:
        bridge.sig_changed.connect(self.on_changed)
        bridge.sig_listening.connect(self._pending.start)

    def on_changed(self, table: str, _op: str, _row_id) -> None:
        if table in ("opportunity", "opportunity_stage", "contact_plan"):
            self._pending.start()  # several changes at once: one reload

    def refresh(self) -> None:
        self.call(svc.board, self.current_filter(), self.per_stage, then=self.show_board)

    def show_board(self, columns: list[svc.StageColumn]) -> None:
        self.stage_columns = columns
        while self.strip_layout.count():
            item = self.strip_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.columns = {}
        for column in columns:
            widget = StageColumnWidget(self, column)
            self.columns[column.stage_id] = widget
            self.strip_layout.addWidget(widget)
        self.sig_loaded.emit()

    def column(self, stage_id: int) -> StageColumnWidget:
        return self.columns[stage_id]

    def card_stage(self, card_id: int) -> int | None:
        for stage_id, widget in self.columns.items():
            if any(c["id"] == card_id for c in widget.model.cards):
                return stage_id
        return None

    # -- moving --------------------------------------------------------------------------------
    def _ask_reason(self, card: dict[str, Any]) -> str:
        reason, ok = QInputDialog.getText(self, _tr("Lost opportunity"),
                                          _tr("Why was %1 lost?").replace("%1", card["customer_name"]))
        return reason.strip() if ok else ""

    def move_card(self, card_id: int, from_stage: int, to_stage: int) -> bool:
        """Move the card now, save in the background; a refusal puts it back. False: not moved."""
        source, target = self.columns.get(from_stage), self.columns.get(to_stage)
        if source is None or target is None or from_stage == to_stage:
            return False
        found = source.model.take(card_id)
        if found is None:
            return False
        row, card = found
        reason = ""
        if next(c for c in self.stage_columns if c.stage_id == to_stage).is_lost:
            reason = self.ask_reason(card)
            if not reason:
                source.model.put(row, card)
                return False
        target.model.put(0, {**card, "stage_id": to_stage})
        run_in_background(svc.move_card, self.db, card, to_stage, reason).on_success(self._saved).on_failure(
            lambda error: self._refused(error, card_id, to_stage, from_stage, row, card))
        return True

    def _saved(self, row: dict[str, Any]) -> None:
        self.sig_moved.emit(row)
        self.refresh()  # the totals and the card's version as the server now has them

    def _refused(self, error: BaseException, card_id: int, to_stage: int, from_stage: int, row: int,
                 card: dict[str, Any]) -> None:
        target, source = self.columns.get(to_stage), self.columns.get(from_stage)
        if target is not None:
            target.model.take(card_id)
        if source is not None:
            source.model.put(row, card)
        sentence = error_sentence(error)
        self.message_box = show_message(self, sentence)
        self.sig_move_refused.emit(sentence)
        self.refresh()

    def open_card(self, card: dict[str, Any] | None):
        if card is None:
            return None
        from crm_desktop.ui.followup.opportunities import OpportunityForm

        form = OpportunityForm(self.db, card["customer_id"], card["id"], self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.sig_saved.connect(lambda _row: self.refresh())
        form.show()
        self.form = form
        return form


class PipelineDock(QDockWidget):
    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(_tr("Sales pipeline"), parent)
        self.setObjectName("dock_pipeline")
        self.board = PipelineBoard(db, self)
        self.setWidget(self.board)


class PipelineSummary(QLabel, BackgroundCalls):
    """The workbench card: my open opportunities, their total and weighted total."""

    sig_loaded = Signal()
    sig_failed = Signal(str)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setObjectName("pipeline_summary")
        self.setWordWrap(False)  # three short lines: the panel grows to them when the figures arrive

    def connect_changes(self, bridge) -> None:
        bridge.sig_changed.connect(lambda table, _op, _id: self.refresh() if table == "opportunity" else None)

    def refresh(self) -> None:
        self.call(svc.my_totals, then=self._show)

    def _show(self, totals: dict[str, Any]) -> None:
        self.setText(_tr("My open opportunities: %1\nTotal: %2\nWeighted: %3")
                     .replace("%1", str(totals["count"])).replace("%2", money(totals["total"]))
                     .replace("%3", money(totals["weighted"])))
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.sig_loaded.emit()
