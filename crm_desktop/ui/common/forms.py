"""What every form and settings screen shares: background calls whose failures become catalogue
sentences, the 保存 / 保存退出 / 关闭 buttons with the form habits office users expect
(``FormHabits``), a row of action buttons, combo boxes over the organisation structure, and
``announce`` (a success said in the main window's status bar).

Form habits, given to every dialog with ``FormButtons``: the cursor starts in the first field; Tab
leaves a multi-line field (Ctrl+Tab types a tab); Enter in a single-line field moves to the next
field instead of pressing a button; Esc, 关闭 or the window's × with unsaved changes asks before
discarding them; ``set_allowed(False)`` makes every field read-only, not only the buttons."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QDialog, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTextEdit, QWidget)

from shiboken6 import isValid

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


def announce(widget: QWidget, text: str, link_path: str | None = None) -> bool:
    """Say in the main window's status bar what an action did (with a link that opens
    ``link_path``); False when ``widget`` is not inside a window that has a status line."""
    window = widget.window() if widget is not None else None
    while window is not None and not hasattr(window, "show_status"):
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    if window is None:
        return False
    window.show_status(text, link_path)
    return True


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
        """An answer that arrives after the widget was closed and deleted is dropped."""
        task = run_in_background(fn, self.db, *args, **kwargs)
        if then is not None:
            task.on_success(lambda result: then(result) if alive(self) else None)
        return task.on_failure(lambda error: self.report_failure(error) if alive(self) else None)

    def report_failure(self, error: BaseException) -> None:
        sentence = error_sentence(error)
        self.message_box = show_message(self, sentence)
        self.sig_failed.emit(sentence)

    def report_user_error(self, key: str, **params: Any) -> None:
        self.report_failure(UserError(key, **params))


def alive(widget: Any) -> bool:
    """The Qt object behind ``widget`` still exists (a background answer may outlive its window)."""
    import shiboken6

    return shiboken6.isValid(widget)


def required(label: str) -> QLabel:
    """A form label with the red required mark (*)."""
    widget = QLabel(label + REQUIRED_MARK)
    widget.setTextFormat(Qt.TextFormat.RichText)
    return widget


_TEXT_AREAS = (QPlainTextEdit, QTextEdit)
_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)


def _is_field(widget: QWidget) -> bool:
    if isinstance(widget, QPushButton) or not isinstance(widget, _FIELDS):
        return False
    if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
        return False  # the editor inside a combo box or spin box: the box itself is the field
    return True


def _editable(widget: QWidget) -> bool:
    return (widget.isEnabled() and widget.isVisibleTo(widget.window())
            and not (hasattr(widget, "isReadOnly") and widget.isReadOnly())
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


class FormHabits(QObject):
    """The form habits of one dialog (see the module's docstring); made by ``FormButtons``."""

    def __init__(self, dialog: QDialog, buttons: "FormButtons"):
        super().__init__(dialog)
        self.dialog, self.buttons = dialog, buttons
        self.dirty = False
        self.asking: QMessageBox | None = None
        self._discarding = False
        self._watched: set[int] = set()
        dialog.installEventFilter(self)
        saved = getattr(dialog, "sig_saved", None)
        if saved is not None:
            saved.connect(lambda *_: self.mark_clean())
        loaded = getattr(dialog, "sig_loaded", None)  # a form that fills itself in the background
        if loaded is not None:
            loaded.connect(self._loaded)

    # -- fields ---------------------------------------------------------------------------------
    def fields(self) -> list[QWidget]:
        """The dialog's input fields as the eye reads them: by row, then left to right (the focus
        chain follows the order widgets were parented, which forms do not control)."""
        found = [w for w in self.dialog.findChildren(QWidget) if _is_field(w) and not self.buttons.isAncestorOf(w)]

        def place(widget: QWidget) -> tuple[int, int]:
            point = widget.mapTo(self.dialog, QPoint(0, 0))
            return (point.y() + widget.height() // 2) // 12, point.x()  # one row within a few pixels
        return sorted(found, key=place)

    def next_field(self, current: QWidget) -> QWidget | None:
        editable = [w for w in self.fields() if _editable(w)]
        if current not in editable:
            return None
        index = editable.index(current)
        return editable[index + 1] if index + 1 < len(editable) else None

    def first_field(self) -> QWidget | None:
        """The first field one can type into (a choice only when the form has no text field)."""
        editable = [w for w in self.fields() if _editable(w)]
        return next((w for w in editable if isinstance(w, (QLineEdit, *_TEXT_AREAS))), editable[0] if editable else None)

    def watch_fields(self) -> None:
        """Follow the user's own edits (signals that programmatic filling does not send)."""
        for widget in self.fields() + self.dialog.findChildren(QLineEdit):
            if id(widget) in self._watched:
                continue
            self._watched.add(id(widget))
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self.mark_dirty)
            elif isinstance(widget, _TEXT_AREAS):
                widget.setTabChangesFocus(True)
                widget.installEventFilter(self)
                widget.undoAvailable.connect(lambda available: available and self.mark_dirty())
            elif isinstance(widget, QComboBox):
                widget.activated.connect(self.mark_dirty)
            elif isinstance(widget, QAbstractButton):
                widget.clicked.connect(self.mark_dirty)

    def mark_dirty(self, *_args) -> None:
        if self.buttons.save.isEnabled() or self.buttons.allowed:
            self.dirty = True

    def mark_clean(self) -> None:
        self.dirty = False

    def make_read_only(self) -> None:
        for widget in self.fields():
            if isinstance(widget, (QLineEdit, *_TEXT_AREAS, QAbstractSpinBox)):
                widget.setReadOnly(True)
            else:
                widget.setEnabled(False)

    # -- closing --------------------------------------------------------------------------------
    def request_close(self) -> None:
        """关闭 / Esc / ×: close, or ask first when there are unsaved changes."""
        if not self.dirty or self._discarding:
            self._discard()
            return
        if self.asking is not None:
            self.asking.raise_()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.dialog.windowTitle(),
                          self.tr("The changes are not saved. Close and discard them?"),
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self.dialog)
        box.setObjectName("discard_changes_box")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        discard = box.button(QMessageBox.StandardButton.Discard)
        box.buttonClicked.connect(lambda button: self._discard() if button is discard else None)
        box.destroyed.connect(lambda *_: setattr(self, "asking", None))
        box.open()
        self.asking = box

    def _discard(self) -> None:
        self._discarding = True
        self.dirty = False
        self.dialog.reject()
        self._discarding = False

    # -- events ---------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if watched is self.dialog:
            if kind == QEvent.Type.Show:
                if not self.buttons.allowed:  # fields added to the dialog after set_allowed
                    self.make_read_only()
                self.watch_fields()
                QTimer.singleShot(0, self._focus_first)
            elif kind == QEvent.Type.Close and self.dirty and not self._discarding:
                event.ignore()
                self.request_close()
                return True
            elif kind == QEvent.Type.KeyPress:
                return self._key(event)
        elif isinstance(watched, _TEXT_AREAS) and kind == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                watched.insertPlainText("\t")  # Ctrl+Tab types a tab; Tab alone moves on
                return True
        return super().eventFilter(watched, event)

    def _key(self, event) -> bool:
        key, focus = event.key(), self.dialog.focusWidget()
        if key == Qt.Key.Key_Escape:
            self.request_close()
            return True
        if (key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focus, QLineEdit)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            following = self.next_field(focus)  # the next field, never an unexpected button
            if following is not None:
                following.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False

    def _loaded(self, *_args) -> None:
        self.watch_fields()
        QTimer.singleShot(0, self._focus_first)

    def _focus_first(self) -> None:
        if not isValid(self.dialog) or not self.dialog.isVisible():
            return
        focus = QApplication.focusWidget()
        if (focus is not None and self.dialog.isAncestorOf(focus) and isinstance(focus, (QLineEdit, *_TEXT_AREAS))
                and _editable(focus)):
            return  # the form chose its own field already
        first = self.first_field()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)


class FormButtons(QWidget):
    """保存 / 保存退出 / 关闭 on the right, as every form of the specification has them, and the
    dialog's ``FormHabits`` (``self.habits``).  Ctrl+Enter saves."""

    def __init__(self, parent: QDialog, on_save: Callable[[bool], None] | None = None):
        """``on_save(close)`` runs for 保存 (close False) and 保存退出 (close True)."""
        super().__init__(parent)
        self.allowed = True
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        self.save = QPushButton(self.tr("Save"))
        self.save_close = QPushButton(self.tr("Save and close"))
        self.close_button = QPushButton(self.tr("Close"))
        for button in (self.save, self.save_close, self.close_button):
            button.setAutoDefault(False)  # Enter in a field never presses a button
            layout.addWidget(button)
        self.save.setShortcut("Ctrl+Return")
        self.habits = FormHabits(parent, self)
        self.close_button.clicked.connect(self.habits.request_close)
        if on_save is not None:
            self.save.clicked.connect(lambda: on_save(False))
            self.save_close.clicked.connect(lambda: on_save(True))

    def set_writable(self, writable: bool) -> None:
        """保存 enabled or not (e.g. while a save runs); see ``set_allowed`` for the permission."""
        self.save.setEnabled(writable and self.allowed)
        self.save_close.setEnabled(writable and self.allowed)

    def set_allowed(self, allowed: bool) -> None:
        """The account may save this form or not: without it the fields are read-only too."""
        self.allowed = allowed
        self.set_writable(allowed)
        if not allowed:
            self.habits.make_read_only()


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
