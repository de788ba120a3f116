"""Issue 14, forms (FormButtons' habits, so every form has them): the cursor in the first field, Tab
leaving 备注, Esc / 关闭 asking before unsaved changes are lost, Enter in a single-line field not
closing the dialog, fields read-only without the permission."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from crm_desktop import messages
from crm_desktop.ui.admin.organizations import OrganizationDialog
from crm_desktop.ui.common.tasks import cancel_all_and_wait
from crm_desktop.ui.customer.customer_form import CustomerForm

WAIT = 10_000


@pytest.fixture(autouse=True)
def settle(qapp):
    messages.set_language("zh_CN")
    yield
    assert cancel_all_and_wait(WAIT)


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def discard_box(dialog) -> QMessageBox | None:
    return dialog.findChild(QMessageBox, "discard_changes_box")


def test_a_new_form_puts_the_cursor_in_its_first_field(qtbot, login):
    form = CustomerForm(login("chenjing"), None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.edits["name"], timeout=WAIT)
    dialog = shown(qtbot, OrganizationDialog(login("admin")))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name, timeout=WAIT)


def test_tab_leaves_the_notes_and_ctrl_tab_types_a_tab(qtbot, login):
    dialog = shown(qtbot, OrganizationDialog(login("admin")))
    dialog.notes.setFocus()
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.notes.toPlainText() == "\t"
    assert dialog.notes.tabChangesFocus()


def test_esc_and_close_ask_before_discarding_changes(qtbot, login):
    dialog = shown(qtbot, OrganizationDialog(login("admin")))
    qtbot.keyClicks(dialog.name, "NewOrg")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    box = discard_box(dialog)
    assert box is not None and dialog.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible() and dialog.name.text() == "NewOrg"
    dialog.buttons.close_button.click()
    discard_box(dialog).button(QMessageBox.StandardButton.Discard).click()
    assert not dialog.isVisible()

    untouched = shown(qtbot, OrganizationDialog(login("admin")))
    qtbot.keyClick(untouched.name, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and discard_box(untouched) is None


def test_enter_in_a_single_line_field_moves_on_and_closes_nothing(qtbot, login):
    saved = []
    dialog = shown(qtbot, OrganizationDialog(login("admin")))
    dialog.sig_saved.connect(saved.append)
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "Enter")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible() and not saved
    names = {id(w): n for n, w in vars(dialog).items() if hasattr(w, "hasFocus")}
    assert names.get(id(dialog.focusWidget())) == "short_name"


def test_fields_are_read_only_without_the_permission(qtbot, login):
    dialog = shown(qtbot, OrganizationDialog(login("wangfang")))
    assert dialog.name.isReadOnly() and dialog.notes.isReadOnly()
    assert not dialog.buttons.save.isEnabled()
    assert not OrganizationDialog(login("admin")).name.isReadOnly()
