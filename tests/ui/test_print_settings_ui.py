"""打印抬头与模板: an administrator edits the letterhead, the logo and a template and the database
has them; a rep may look but not save; the preview shows the sample as typed."""

from __future__ import annotations

import io

import pytest
from PySide6.QtWidgets import QWidget

from pdf_reading import pdf_text

from crm_desktop.printing import samples
from crm_desktop.services import print_settings
from crm_desktop.ui.common.screenshot import save_screenshot
from crm_desktop.ui.printing.settings_screen import PrintSettingsScreen
from admin_screens import WAIT, no_task_outlives_its_test, opened  # noqa: F401 (an autouse fixture)


@pytest.fixture
def restore(admin_db):
    before = print_settings.load_letterhead(admin_db)
    templates = print_settings.load_templates(admin_db)
    yield
    now = print_settings.load_letterhead(admin_db)
    print_settings.save_letterhead(admin_db, {**{f: before[f] for f in print_settings.LETTERHEAD_FIELDS},
                                              "logo": before["logo"]}, now)
    current = print_settings.load_templates(admin_db)
    for kind, row in templates.items():
        print_settings.save_template(admin_db, row, current[kind])


def test_an_administrator_edits_letterhead_logo_and_template(qtbot, chinese_ui, login, restore, tmp_path, images):
    screen = opened(qtbot, PrintSettingsScreen(login("zhangmc")))
    assert screen.fields["name"].text() == "全程软件" and screen.logo is not None
    save_screenshot(screen, images / "printing-letterhead-settings.png")
    screen.fields["phone"].setText("021-6000 8888")
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (90, 30), (10, 120, 60)).save(buffer, "PNG")
    logo = tmp_path / "logo.png"
    logo.write_bytes(buffer.getvalue())
    screen.load_logo(logo)
    with qtbot.waitSignal(screen.sig_saved, timeout=WAIT):
        screen.save_letterhead_button.click()
    reader = login("chenjing")
    head = print_settings.letterhead(reader)
    assert head.phone == "021-6000 8888" and head.logo_png == buffer.getvalue()

    screen.tabs.setCurrentIndex(1)
    screen.kind.setCurrentIndex(screen.kind.findData("contract"))
    screen.title_edit.setText("设备买卖合同")
    screen.footer_edit.setPlainText("本合同一式两份，双方各执一份。")
    screen.column_boxes["spec"].setChecked(False)
    screen.column_boxes["note"].setChecked(True)
    save_screenshot(screen, images / "printing-template-settings.png")
    with qtbot.waitSignal(screen.sig_saved, timeout=WAIT) as saved:
        screen.save_template_button.click()
    assert saved.args == ["contract"]
    template = print_settings.template(reader, "contract")
    assert template.title == "设备买卖合同" and template.footer == "本合同一式两份，双方各执一份。"
    assert "spec" in template.hidden_columns and "note" not in template.hidden_columns


def test_a_logo_that_is_no_picture_is_refused_with_a_sentence(qtbot, login, tmp_path):
    screen = opened(qtbot, PrintSettingsScreen(login("zhangmc")))
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"not a picture")
    with qtbot.waitSignal(screen.sig_failed, timeout=WAIT) as failed:
        screen.load_logo(bad)
    assert failed.args == ["标志图片只能是 PNG 或 JPEG 格式。"]
    screen.message_box.close()


def test_a_rep_reads_but_cannot_save(qtbot, login):
    screen = opened(qtbot, PrintSettingsScreen(login("chenjing")))
    assert screen.fields["name"].text() == "全程软件" and screen.fields["name"].isReadOnly()
    assert not screen.save_letterhead_button.isEnabled() and not screen.save_template_button.isEnabled()
    assert not screen.notice.isHidden()
    # forced past the read-only field and the disabled button, the server refuses and the screen says so
    screen.fields["phone"].setText("021-0000 0000")
    with qtbot.waitSignal(screen.sig_failed, timeout=WAIT) as failed:
        screen.save_letterhead()
    assert "权限" in failed.args[0]
    screen.message_box.close()


def test_the_preview_shows_the_sample_with_what_is_typed(qtbot, login, tmp_path):
    screen = opened(qtbot, PrintSettingsScreen(login("chenjing")))
    screen.kind.setCurrentIndex(screen.kind.findData("quote"))
    screen.title_edit.setText("试印标题")
    dialog = screen.preview("quote")
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=WAIT)
    text = pdf_text(dialog.pdf, tmp_path)
    assert "试印标题" in text and samples.sample_quote().number in text
    dialog.close()


def test_the_system_menu_offers_the_screen(qtbot, login):
    from crm_desktop.ui.printing import register

    class Window(QWidget):
        def __init__(self):
            super().__init__()
            self.added = []

        def add_module_action(self, key, action, permission=None):
            self.added.append((key, action.objectName(), permission))

    window = Window()
    qtbot.addWidget(window)
    action = register(window, login("chenjing"))
    assert window.added == [("system", "action_admin_print_settings", None)]
    action.trigger()
    screen = window.print_settings_screens.open_screens["print_settings"]
    qtbot.waitSignal(screen.sig_loaded, timeout=WAIT)
    screen.close()
