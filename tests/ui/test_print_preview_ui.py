"""打印预览, 打印 and 另存为 PDF in the app (pytest-qt, offscreen): the pages shown are the PDF's,
a print job to a file holds every page, many documents print with progress and can be cancelled."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QLineEdit

from crm_desktop.printing import samples
from crm_desktop.printing.batch import PrintSetup
from crm_desktop.printing.document import PrintTemplate
from crm_desktop.printing.ui import PreviewDialog, output
from crm_desktop.ui.common.screenshot import save_screenshot
from admin_screens import WAIT, no_task_outlives_its_test  # noqa: F401 (an autouse fixture)
from pdf_reading import pdf_pages, pdf_text

SETUP = PrintSetup(dataclasses.replace(samples.LETTERHEAD, logo_png=samples.demo_logo_png()),
                   {"quote": PrintTemplate("quote", footer="全程软件 · 服务热线 400-820-1234")})


def _documents():
    return [samples.sample_quote(), samples.sample_order(), samples.sample_contract()]


@pytest.fixture
def preview(qtbot):
    """preview(documents) → the PreviewDialog, once its first pages are on screen."""
    def _open(documents, setup=SETUP):
        dialog = PreviewDialog(setup, documents)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=WAIT)
        dialog.show()
        return dialog
    return _open


def _pdf_printer(path: Path) -> QPrinter:
    printer = output.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(96)  # the pages as pictures at 96 dpi: enough to count and read them back
    return printer


def test_the_preview_shows_every_page_of_the_document(qtbot, preview, tmp_path):
    dialog = preview([samples.sample_quote(60)])
    pages = pdf_pages(dialog.pdf, tmp_path)
    assert len(dialog.page_labels) == pages >= 3
    assert not dialog.list.isVisible() and not dialog.print_all_action.isVisible()
    assert dialog.print_action.isEnabled() and dialog.save_action.isEnabled()
    assert "NO-0001" in dialog.status.text()


def test_many_documents_are_listed_and_each_is_shown(qtbot, chinese_ui, preview, images, tmp_path):
    dialog = preview(_documents())
    assert dialog.list.count() == 3 and dialog.print_all_action.isVisible()
    with qtbot.waitSignal(dialog.sig_pages_shown, timeout=WAIT):
        dialog.list.setCurrentRow(2)
    assert dialog.current == 2 and "HT20261202001" in dialog.status.text()
    assert "合同" in pdf_text(dialog.pdf, tmp_path)
    save_screenshot(dialog, images / "printing-preview.png")


def test_zoom_renders_larger_pages(qtbot, preview):
    dialog = preview([samples.sample_order()])
    width = dialog.page_labels[0].pixmap().width()
    with qtbot.waitSignal(dialog.sig_pages_shown, timeout=WAIT):
        dialog.set_zoom(+1)
    assert dialog.page_labels[0].pixmap().width() > width * 1.2


def test_printing_to_a_file_prints_every_page_as_drawn(qtbot, preview, tmp_path):
    dialog = preview(_documents())
    target = tmp_path / "job.pdf"
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT * 3) as printed:
        dialog.print_to(_pdf_printer(target), dialog.documents)
    expected = sum(pdf_pages(SETUP.render(d), tmp_path) for d in dialog.documents)
    assert printed.args == [expected] and pdf_pages(target.read_bytes(), tmp_path) == expected


def test_the_print_dialog_prints_what_the_user_accepts(qtbot, preview, tmp_path):
    dialog = preview([samples.sample_order()])
    print_dialog = dialog.print_current()
    assert isinstance(print_dialog, QPrintDialog) and print_dialog.isVisible()
    target = tmp_path / "dialog.pdf"
    # what the user does in Qt's dialog here (no printer installed): 打印到文件 (PDF) and a file name
    assert print_dialog.findChild(QComboBox, "printers").currentText() == "Print to File (PDF)"
    print_dialog.findChild(QLineEdit, "filename").setText(str(target))
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT * 3):
        print_dialog.accept()
    assert pdf_pages(target.read_bytes(), tmp_path) == 1


def test_a_batch_print_can_be_cancelled(qtbot, preview, tmp_path):
    dialog = preview([samples.sample_order()])
    many = [dataclasses.replace(samples.sample_quote(40), number=f"NO-{n:04d}") for n in range(1, 31)]
    cancelled = []
    task = dialog.print_to(_pdf_printer(tmp_path / "many.pdf"), many)
    task.on_cancelled(lambda: cancelled.append(True))
    qtbot.waitUntil(lambda: dialog.progress is not None, timeout=WAIT)
    dialog.progress._cancel()  # the dialog's Cancel button
    qtbot.waitUntil(lambda: task.done, timeout=WAIT * 3)
    assert cancelled == [True]


def test_save_as_pdf_writes_the_document_under_the_chosen_name(qtbot, preview, tmp_path, monkeypatch):
    dialog = preview([samples.sample_quote()])
    target = tmp_path / "我的报价"
    monkeypatch.setattr(dialog, "ask_save_path", lambda suggested: str(target))
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT) as saved:
        dialog.save_current()
    assert saved.args == [[tmp_path / "我的报价.pdf"]]
    text = "".join(pdf_text((tmp_path / "我的报价.pdf").read_bytes(), tmp_path).split())
    assert "NO-0001" in text and "全程软件·服务热线400-820-1234" in text


def test_save_all_writes_one_pdf_per_document(qtbot, preview, tmp_path, monkeypatch):
    dialog = preview(_documents())
    monkeypatch.setattr(dialog, "ask_folder", lambda: str(tmp_path))
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT * 2) as saved:
        dialog.save_all()
    assert sorted(p.name for p in saved.args[0]) == ["合同-HT20261202001.pdf", "报价单-NO-0001.pdf",
                                                      "销售订单-XS201205230003.pdf"]


def test_a_document_that_cannot_print_says_which(qtbot, tmp_path):
    broken = dataclasses.replace(samples.sample_quote(), discounted_total=Decimal("1.001"))
    dialog = PreviewDialog(SETUP, [broken])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        pass
    assert failed.args[0].startswith("单据 NO-0001 无法打印")
    dialog.message_box.close()


def test_a_module_opens_the_preview_with_one_call(qtbot, login, tmp_path):
    from PySide6.QtWidgets import QWidget

    from crm_desktop.printing import ui as printing_ui

    window = QWidget()
    window.db = login("chenjing")  # found up the parent chain: the module passes no db
    qtbot.addWidget(window)
    task = printing_ui.preview(window, [samples.sample_quote()])
    qtbot.waitUntil(lambda: task.done and getattr(window, "print_preview", None) is not None
                    and window.print_preview.pdf is not None, timeout=WAIT * 2)
    dialog = window.print_preview
    assert dialog.setup.letterhead.name == "全程软件" and dialog.setup.letterhead.logo_png
    assert "全程软件" in pdf_text(dialog.pdf, tmp_path)
    dialog.close()


def test_a_module_saves_and_prints_many_without_the_preview(qtbot, login, tmp_path):
    from PySide6.QtWidgets import QWidget

    from crm_desktop.printing import ui as printing_ui

    window = QWidget()
    window.db = login("chenjing")
    qtbot.addWidget(window)
    task = printing_ui.save_documents(window, _documents(), folder=str(tmp_path))
    qtbot.waitUntil(lambda: task.done and len(list(tmp_path.glob("*.pdf"))) == 3, timeout=WAIT * 2)
    assert "全程软件" in pdf_text((tmp_path / "销售订单-XS201205230003.pdf").read_bytes(), tmp_path)

    task = printing_ui.print_documents(window, _documents())
    qtbot.waitUntil(lambda: task.done and getattr(window, "print_dialog", None) is not None, timeout=WAIT)
    target = tmp_path / "job.pdf"
    window.print_dialog.findChild(QLineEdit, "filename").setText(str(target))
    window._printer.setResolution(96)
    window.print_dialog.accept()
    qtbot.waitUntil(lambda: window.print_task.done, timeout=WAIT * 3)
    assert window.print_task.result == 3 and pdf_pages(target.read_bytes(), tmp_path) == 3
