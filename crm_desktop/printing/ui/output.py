"""Sending rendered PDFs to a Qt printer: each page drawn as a picture at the printer's resolution.

Runs on a worker thread (Qt paints on a QPrinter from any thread); the printer is made and set up
on the GUI thread and used only by the task until it finishes.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from crm_desktop.messages import UserError
from crm_desktop.printing import pages
from crm_desktop.printing.batch import PrintSetup, rendered

MAX_PRINT_DPI = 300  # finer than that only makes the print job larger


def new_printer() -> QPrinter:
    """A printer set to A4 portrait with the whole sheet ours (the PDF carries its own margins)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    return printer


def to_qimage(image) -> QImage:
    """A PIL RGB image as a QImage that owns its pixels."""
    data = image.tobytes("raw", "RGB")
    return QImage(data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888).copy()


def print_documents(printer: QPrinter, setup: PrintSetup, documents: list, progress=None) -> int:
    """Worker thread: render and print ``documents`` as one job; returns the pages printed."""
    documents = list(documents)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("print_no_printer")
    printed = 0
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        sheet = printer.pageLayout().fullRectPixels(printer.resolution())
        for _document, pdf in rendered(setup, documents, progress):
            for image in pages.page_images(pdf, dpi):
                if progress is not None:
                    progress.raise_if_cancelled()
                if printed:
                    printer.newPage()
                painter.drawImage(QRect(0, 0, sheet.width(), sheet.height()), to_qimage(image))
                printed += 1
    except BaseException:
        printer.abort()
        raise
    finally:
        painter.end()
    return printed
