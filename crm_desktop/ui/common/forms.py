"""What every form and settings screen shares: background calls whose failures become catalogue
sentences, the 保存 / 保存退出 / 关闭 buttons, a row of action buttons, and combo boxes over the
organisation structure."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from crm_desktop.messages import UserError, translate_error
from crm_desktop.ui.common.tasks import Task, run_in_background

log = logging.getLogger(__name__)

REQUIRED_MARK = ' <span style="color:#c0392b">*</span>'


def error_sentence(error: BaseException) -> str:
    """The user's sentence for any failure of a service call."""
    translated = translate_error(error)
    if translated.key == "unexpected":
        log.error("service call failed", exc_info=error)
    return str(translated)


def show_message(parent: QWidget, text: str, title: str = "", icon=QMessageBox.Icon.Warning) -> QMessageBox:
    """A window-modal message that does not block the caller (tests read and close it)."""
    box = QMessageBox(icon, title or parent.window().windowTitle(), text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm(parent: QWidget, text: str, on_yes: Callable[[], None]) -> QMessageBox:
    """Ask Yes/No without blocking; ``on_yes`` runs only if the user agrees."""
    box = QMessageBox(QMessageBox.Icon.Question, parent.window().windowTitle(), text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    yes = box.button(QMessageBox.StandardButton.Yes)
    box.buttonClicked.connect(lambda button: on_yes() if button is yes else None)
    box.open()
    parent.confirm_box = box
    return box


class BackgroundCalls:
    """Mixin for screens and dialogs that have ``db``, ``sig_failed`` and ``sig_busy``.

    ``call(fn, *args, then=…)`` runs ``fn(db, *args)`` on the task runner; a failure is shown as
    the catalogue's sentence and emitted as ``sig_failed``.
    """

    db: Any
    message_box: QMessageBox | None = None

    def call(self, fn: Callable, *args: Any, then: Callable | None = None, **kwargs: Any) -> Task:
        task = run_in_background(fn, self.db, *args, **kwargs)
        if then is not None:
            task.on_success(then)
        return task.on_failure(self.report_failure)

    def report_failure(self, error: BaseException) -> None:
        sentence = error_sentence(error)
        self.message_box = show_message(self, sentence)
        self.sig_failed.emit(sentence)

    def report_user_error(self, key: str, **params: Any) -> None:
        self.report_failure(UserError(key, **params))


def required(label: str) -> QLabel:
    """A form label with the red required mark (*)."""
    widget = QLabel(label + REQUIRED_MARK)
    widget.setTextFormat(Qt.TextFormat.RichText)
    return widget


class FormButtons(QWidget):
    """保存 / 保存退出 / 关闭 on the right, as every form of the specification has them."""

    def __init__(self, parent: QDialog, on_save: Callable[[bool], None] | None = None):
        """``on_save(close)`` runs for 保存 (close False) and 保存退出 (close True)."""
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        self.save = QPushButton(self.tr("Save"))
        self.save_close = QPushButton(self.tr("Save and close"))
        self.close_button = QPushButton(self.tr("Close"))
        self.save.setDefault(True)
        for button in (self.save, self.save_close, self.close_button):
            layout.addWidget(button)
        self.close_button.clicked.connect(parent.reject)
        if on_save is not None:
            self.save.clicked.connect(lambda: on_save(False))
            self.save_close.clicked.connect(lambda: on_save(True))

    def set_writable(self, writable: bool) -> None:
        self.save.setEnabled(writable)
        self.save_close.setEnabled(writable)


# -- combo boxes over the structure ----------------------------------------------------------------
def fill_combo(combo: QComboBox, items: Iterable[tuple[str, Any]], placeholder: str | None = None,
               keep: Any = None) -> None:
    """Replace the items (text, data); select ``keep`` if still present."""
    combo.blockSignals(True)
    combo.clear()
    if placeholder is not None:
        combo.addItem(placeholder, None)
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(keep) if keep is not None else -1
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def select_data(combo: QComboBox, data: Any) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


def organization_items(organizations: list[dict]) -> list[tuple[str, int]]:
    return [(o["name"], o["id"]) for o in organizations]


def department_items(departments: list[dict], organization_id: int | None) -> list[tuple[str, int]]:
    """Departments of one organisation (all when None), depth-first, indented by level."""
    wanted = [d for d in departments if organization_id is None or d["organization_id"] == organization_id]
    children: dict[int | None, list[dict]] = {}
    ids = {d["id"] for d in wanted}
    for d in wanted:
        children.setdefault(d["parent_id"] if d["parent_id"] in ids else None, []).append(d)
    items: list[tuple[str, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for d in children.get(parent, []):
            items.append(("\u3000" * depth + d["name"], d["id"]))
            walk(d["id"], depth + 1)

    walk(None, 0)
    return items


def position_items(positions: list[dict], department_id: int | None) -> list[tuple[str, int]]:
    return [(p["name"], p["id"]) for p in positions
            if department_id is None or p["department_id"] == department_id]


def button_row(owner: QWidget, *buttons: tuple[str, Callable]) -> QHBoxLayout:
    """Buttons (text, slot) left-aligned in a row, enabled when ``owner.writable``."""
    row = QHBoxLayout()
    for text, slot in buttons:
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setEnabled(owner.writable)
        row.addWidget(button)
    row.addStretch(1)
    return row
