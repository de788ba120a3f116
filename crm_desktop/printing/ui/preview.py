"""The print preview (打印预览): the documents' pages as they will print, then 打印 / 另存为 PDF,
for the one shown or for all of them, with progress and cancel for the long ones."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QListWidget, QScrollArea, QSplitter,
                               QToolBar, QVBoxLayout, QWidget)

from crm_desktop.ui.common import file_dialogs
from crm_desktop.printing import batch, pages
from crm_desktop.printing.batch import PrintSetup
from crm_desktop.printing.document import PrintDocument
from crm_desktop.printing.render import KIND_TITLES
from crm_desktop.printing.ui import output
from crm_desktop.ui.common.forms import error_sentence, show_message
from crm_desktop.ui.common.tasks import ProgressDialog, Task, run_in_background

SCREEN_DPI = 96
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def _render_pages(setup: PrintSetup, document: PrintDocument, dpi: float) -> tuple[bytes, list]:
    """Worker thread: the PDF and its pages as QImages."""
    pdf = setup.render(document)
    return pdf, [output.to_qimage(image) for image in pages.page_images(pdf, dpi)]


def _save_one(setup: PrintSetup, document: PrintDocument, path: Path) -> list[Path]:
    """Worker thread: the document under the name the user chose."""
    return [batch.write_pdf(path, setup.render(document))]


class PreviewDialog(QDialog):
    sig_pages_shown = Signal(int)
    """The current document's pages are on screen. Parameters: how many."""
    sig_printed = Signal(int)
    """A print job went to the printer. Parameters: pages printed."""
    sig_saved = Signal(list)
    """PDFs were written. Parameters: their paths."""
    sig_failed = Signal(str)
    """Something could not be done. Parameters: the sentence shown."""

    def __init__(self, setup: PrintSetup, documents: list[PrintDocument], parent: QWidget | None = None):
        super().__init__(parent)
        if not documents:
            raise ValueError("nothing to preview")
        self.setup, self.documents = setup, list(documents)
        self.current = 0
        self.zoom = 1.0
        self.pdf: bytes | None = None
        self.page_labels: list[QLabel] = []
        self.message_box = None
        self.setWindowTitle(self.tr("Print preview"))
        self._build()
        self.resize(980, 860)
        self.show_document(0)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_action = toolbar.addAction(self.tr("Print…"), self.print_current)
        self.save_action = toolbar.addAction(self.tr("Save as PDF…"), self.save_current)
        many = len(self.documents) > 1
        self.print_all_action = toolbar.addAction(self.tr("Print all (%1)…").replace("%1", str(len(self.documents))),
                                                  self.print_all)
        self.save_all_action = toolbar.addAction(self.tr("Save all as PDF…"), self.save_all)
        self.print_all_action.setVisible(many)
        self.save_all_action.setVisible(many)
        toolbar.addSeparator()
        toolbar.addAction(self.tr("Zoom out"), lambda: self.set_zoom(-1))
        toolbar.addAction(self.tr("Zoom in"), lambda: self.set_zoom(+1))
        self.status = QLabel()
        toolbar.addWidget(self.status)
        self.list = QListWidget()
        self.list.addItems([f"{KIND_TITLES.get(d.kind, d.kind)} {d.number}  {d.party.name}" for d in self.documents])
        self.list.setVisible(many)
        self.list.currentRowChanged.connect(lambda row: row >= 0 and row != self.current and self.show_document(row))
        self.pages_widget = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages_widget)
        self.scroll.setStyleSheet("QScrollArea { background: #6b7480; }")
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.scroll)
        splitter.setSizes([220, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(splitter)

    # -- showing pages -----------------------------------------------------------------------
    def show_document(self, index: int) -> Task:
        self.current = index
        self.list.setCurrentRow(index)
        self.pdf = None
        self.status.setText(self.tr("Preparing the preview…"))
        for action in (self.print_action, self.save_action):
            action.setEnabled(False)
        task = run_in_background(_render_pages, self.setup, self.documents[index], SCREEN_DPI * self.zoom)
        return task.on_success(lambda result, i=index: self._show_pages(i, *result)).on_failure(self._failed)

    def _show_pages(self, index: int, pdf: bytes, images: list) -> None:
        if index != self.current:
            return  # the user moved on while this one rendered
        self.pdf = pdf
        while self.pages_layout.count():
            self.pages_layout.takeAt(0).widget().deleteLater()
        self.page_labels = []
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid #444; background: white;")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        document = self.documents[index]
        self.status.setText(self.tr("  %1 %2 · %3 page(s)").replace("%1", KIND_TITLES.get(document.kind, ""))
                            .replace("%2", document.number).replace("%3", str(len(images))))
        for action in (self.print_action, self.save_action):
            action.setEnabled(True)
        self.sig_pages_shown.emit(len(images))

    def set_zoom(self, step: int) -> None:
        position = ZOOMS.index(self.zoom) + step
        if 0 <= position < len(ZOOMS):
            self.zoom = ZOOMS[position]
            self.show_document(self.current)

    # -- printing ----------------------------------------------------------------------------
    def print_current(self) -> QPrintDialog:
        return self.ask_printer([self.documents[self.current]])

    def print_all(self) -> QPrintDialog:
        return self.ask_printer(self.documents)

    def ask_printer(self, documents: list[PrintDocument]) -> QPrintDialog:
        """Qt's print dialog (window-modal, not blocking); printing starts when it is accepted."""
        printer = output.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(printer, documents))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # QPrintDialog.open() wants a receiver in PySide
        self.print_dialog = dialog
        self._printer = printer  # kept alive with the dialog's choice
        return dialog

    def print_to(self, printer, documents: list[PrintDocument]) -> Task:
        """Print ``documents`` on ``printer`` in the background, with progress and cancel."""
        task = run_in_background(output.print_documents, printer, self.setup, documents)
        self.progress = ProgressDialog(task, self.tr("Printing…"), self)
        self._printing = printer
        return task.on_success(self.sig_printed.emit).on_failure(self._failed)

    # -- saving ------------------------------------------------------------------------------
    def ask_save_path(self, suggested: str) -> str:
        return file_dialogs.save_file_name(self, "print_pdf", self.tr("Save as PDF"), Path(suggested).name,
                                           "PDF (*.pdf)")

    def ask_folder(self) -> str:
        return file_dialogs.folder_name(self, "print_pdfs", self.tr("Save the PDFs in"))

    def save_current(self) -> Task | None:
        document = self.documents[self.current]
        path = self.ask_save_path(batch.file_name(document, self.setup.template(document.kind)))
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        task = run_in_background(_save_one, self.setup, document, Path(path))
        return task.on_success(self.sig_saved.emit).on_failure(self._failed)

    def save_all(self) -> Task | None:
        folder = self.ask_folder()
        if not folder:
            return None
        task = run_in_background(batch.save_all, self.setup, self.documents, Path(folder))
        self.progress = ProgressDialog(task, self.tr("Saving PDFs…"), self)
        return task.on_success(self.sig_saved.emit).on_failure(self._failed)

    def _failed(self, error: BaseException) -> None:
        sentence = error_sentence(error)
        self.message_box = show_message(self, sentence)
        self.sig_failed.emit(sentence)
