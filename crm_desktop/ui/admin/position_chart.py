"""职位关系图: the positions drawn as a tree from their superior links — a box per position with
its name, department and holders, lines down to its subordinates; zoom and export to PNG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.services import org
from crm_desktop.services.org import ChartNode
from crm_desktop.ui.common.file_dialogs import save_file_name
from crm_desktop.ui.common.forms import BackgroundCalls, fill_combo, organization_items

BOX_W, BOX_H, GAP_X, GAP_Y = 168, 74, 18, 46
MANAGER_FILL, STAFF_FILL, BORDER = QColor("#e8f1fb"), QColor("#ffffff"), QColor("#4a78a8")


class PositionBox(QGraphicsRectItem):
    """One position: name (bold), department, holders."""

    def __init__(self, node: ChartNode, x: float, y: float, vacant: str, more: str):
        super().__init__(0, 0, BOX_W, BOX_H)
        self.node = node
        self.setPos(x, y)
        self.setBrush(QBrush(MANAGER_FILL if node.is_manager else STAFF_FILL))
        self.setPen(QPen(BORDER, 1.4))
        self.setToolTip("\n".join([node.name, node.department, "、".join(node.holders) or vacant]))
        base = QFont()
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() + 1)
        holders = "、".join(node.holders[:3]) or vacant
        if len(node.holders) > 3:
            holders = more.replace("%1", holders).replace("%2", str(len(node.holders)))
        lines = [(node.name, title, QColor("#1b3a5c")), (node.department, base, QColor("#555555")),
                 (holders, base, QColor("#222222") if node.holders else QColor("#999999"))]
        y_text = 6.0
        for text, font, color in lines:
            item = QGraphicsSimpleTextItem(self._elided(text, font), self)
            item.setFont(font)
            item.setBrush(color)
            width = item.boundingRect().width()
            item.setPos((BOX_W - width) / 2, y_text)
            y_text += item.boundingRect().height() + 2

    @staticmethod
    def _elided(text: str, font: QFont) -> str:
        from PySide6.QtGui import QFontMetricsF

        return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, BOX_W - 12)


def _width(node: ChartNode) -> float:
    if not node.subordinates:
        return BOX_W
    return max(BOX_W, sum(_width(c) for c in node.subordinates) + GAP_X * (len(node.subordinates) - 1))


class PositionChartView(QGraphicsView):
    """The chart itself; ``boxes`` maps position id → box, ``edges`` lists (superior, subordinate)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#fafbfc"))
        self.boxes: dict[int, PositionBox] = {}
        self.edges: list[tuple[int, int]] = []
        self.vacant_text, self.more_text = "—", "%1 … (%2)"  # the screen sets translated texts

    def show_chart(self, roots: list[ChartNode]) -> None:
        self.scene().clear()
        self.boxes, self.edges = {}, []
        x = 0.0
        for root in roots:
            self._place(root, x, 0.0)
            x += _width(root) + GAP_X * 2
        self.scene().setSceneRect(self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20))

    def _place(self, node: ChartNode, left: float, top: float) -> PositionBox:
        width = _width(node)
        box = PositionBox(node, left + (width - BOX_W) / 2, top, self.vacant_text, self.more_text)
        self.scene().addItem(box)
        self.boxes[node.position_id] = box
        child_left = left + (width - (sum(_width(c) for c in node.subordinates)
                                      + GAP_X * max(len(node.subordinates) - 1, 0))) / 2
        for child in node.subordinates:
            child_box = self._place(child, child_left, top + BOX_H + GAP_Y)
            self._connect(box, child_box)
            self.edges.append((node.position_id, child.position_id))
            child_left += _width(child) + GAP_X
        return box

    def _connect(self, upper: PositionBox, lower: PositionBox) -> None:
        start = upper.pos() + upper.rect().center()
        start.setY(upper.pos().y() + BOX_H)
        end = lower.pos() + lower.rect().center()
        end.setY(lower.pos().y())
        middle = start.y() + GAP_Y / 2
        path = QPainterPath(start)
        path.lineTo(start.x(), middle)
        path.lineTo(end.x(), middle)
        path.lineTo(end.x(), end.y())
        line = QGraphicsPathItem(path)
        line.setPen(QPen(QColor("#7f8c99"), 1.2))
        line.setZValue(-1)
        self.scene().addItem(line)

    # -- zoom ------------------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 4:
            self.scale(factor, factor)

    def fit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
        else:
            super().wheelEvent(event)

    def render_image(self, scale: float = 2.0) -> QImage:
        rect = self.scene().sceneRect()
        image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.scene().render(painter, QRectF(image.rect()), rect)
        painter.end()
        return image


class PositionChartScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal(int)
    """The chart was drawn. Parameters: number of positions."""
    sig_failed = Signal(str)
    """Loading or exporting failed. Parameters: the sentence shown."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Position chart"))
        self.organization = QComboBox()
        self.organization.addItem(self.tr("All organisations"), None)
        self.organization.currentIndexChanged.connect(self.refresh)
        self.view = PositionChartView()
        self.view.vacant_text = self.tr("(vacant)")
        self.view.more_text = self.tr("%1 and others (%2)")
        toolbar = QToolBar()
        toolbar.addWidget(QLabel(self.tr("Organisation:") + " "))
        toolbar.addWidget(self.organization)
        toolbar.addSeparator()
        toolbar.addAction(self.tr("Zoom in"), lambda: self.view.zoom(1.25))
        toolbar.addAction(self.tr("Zoom out"), lambda: self.view.zoom(0.8))
        toolbar.addAction(self.tr("Fit"), self.view.fit)
        toolbar.addSeparator()
        toolbar.addAction(self.tr("Export PNG…"), self.ask_export)
        toolbar.addAction(self.tr("Refresh"), self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.view)
        self.resize(1000, 600)
        self.call(org.list_organizations, then=self._show_organizations)

    def _show_organizations(self, organizations: list[dict]) -> None:
        fill_combo(self.organization, organization_items(organizations), placeholder=self.tr("All organisations"),
                   keep=self.organization.currentData())
        self.refresh()

    def refresh(self) -> None:
        self.call(org.position_chart, self.organization.currentData(), then=self._show)

    def _show(self, roots: list[ChartNode]) -> None:
        self.view.show_chart(roots)
        self.sig_loaded.emit(len(self.view.boxes))

    def ask_export(self) -> None:
        path = save_file_name(self, "position_chart_export", self.tr("Export position chart"),
                              self.tr("position chart") + ".png", "PNG (*.png)")
        if path:
            self.export_png(path)

    def export_png(self, path: str | Path) -> Path:
        path = Path(path)
        if not self.view.render_image().save(str(path), "PNG"):
            self.report_failure(OSError(str(path)))
        return path
