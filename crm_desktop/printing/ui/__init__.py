"""What a module calls to print (Qt side of crm_desktop.printing):

    from crm_desktop.printing import ui as printing_ui
    printing_ui.preview(self, [document], db)       # 打印预览 → 打印 / 另存为 PDF, one or many
    printing_ui.print_documents(self, documents, db)  # straight to the print dialog, many at once
    printing_ui.save_documents(self, documents, db)   # one PDF per document into a folder

``db`` is the logged-in Database (the letterhead and the templates are read with it, in the
background); left out, the first ``db`` attribute up the parent chain is used.  Every call returns
at once; failures appear as the catalogue's sentence.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QWidget

from crm_desktop.ui.common import file_dialogs

from crm_desktop.printing.batch import PrintSetup, load_setup, save_all
from crm_desktop.printing.document import PrintDocument
from crm_desktop.printing.ui import output
from crm_desktop.printing.ui.preview import PreviewDialog
from crm_desktop.ui.common.forms import error_sentence, show_message
from crm_desktop.ui.common.tasks import ProgressDialog, Task, run_in_background

__all__ = ["PreviewDialog", "preview", "print_documents", "save_documents", "with_setup"]


def _db_of(parent: QWidget, db):
    widget = parent
    while db is None and widget is not None:
        db = getattr(widget, "db", None)
        widget = widget.parentWidget()
    if db is None:
        raise ValueError("printing needs the logged-in database")
    return db


def with_setup(parent: QWidget, db, then) -> Task:
    """Load the letterhead and templates in the background, then call ``then(setup)``."""
    task = run_in_background(load_setup, _db_of(parent, db)).on_success(then)
    return task.on_failure(lambda error: show_message(parent, error_sentence(error)))


def preview(parent: QWidget, documents: list[PrintDocument], db=None) -> Task:
    """Open the preview of ``documents``; the task's result is the PreviewDialog."""
    def show(setup: PrintSetup) -> PreviewDialog:
        dialog = PreviewDialog(setup, documents, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        parent.print_preview = dialog
        return dialog

    return with_setup(parent, db, show)


def print_documents(parent: QWidget, documents: list[PrintDocument], db=None) -> Task:
    """Qt's print dialog, then every document as one print job with progress and cancel."""
    def ask(setup: PrintSetup) -> None:
        printer = output.new_printer()
        dialog = QPrintDialog(printer, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: _print(parent, printer, setup, documents))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # QPrintDialog.open() wants a receiver in PySide
        parent.print_dialog, parent._printer = dialog, printer

    return with_setup(parent, db, ask)


def _print(parent: QWidget, printer, setup: PrintSetup, documents: list[PrintDocument]) -> Task:
    task = run_in_background(output.print_documents, printer, setup, documents)
    parent.print_progress = ProgressDialog(task, QCoreApplication.translate("Printing", "Printing…"), parent)
    parent.print_task = task
    return task.on_failure(lambda error: show_message(parent, error_sentence(error)))


def save_documents(parent: QWidget, documents: list[PrintDocument], db=None, folder: str | None = None) -> Task:
    """One PDF per document into ``folder`` (asked for when not given), with progress and cancel."""
    folder = folder or file_dialogs.folder_name(parent, "print_pdfs",
                                                QCoreApplication.translate("Printing", "Save the PDFs in"))

    def save(setup: PrintSetup) -> None:
        task = run_in_background(save_all, setup, documents, Path(folder))
        parent.print_progress = ProgressDialog(task, QCoreApplication.translate("Printing", "Saving PDFs…"), parent)
        task.on_failure(lambda error: show_message(parent, error_sentence(error)))

    if not folder:
        return None
    return with_setup(parent, db, save)
