"""PDF pages as pictures (PDFium through pypdfium2), for the preview and for printers.

PDFium is not thread-safe: every call goes through one lock, so the preview and a batch printing
in the background never use it at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pypdfium2

_PDFIUM = threading.Lock()
POINTS_PER_INCH = 72


def page_count(pdf: bytes) -> int:
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_image(pdf: bytes, index: int, dpi: float):
    """Page ``index`` (0-based) as an RGB PIL image at ``dpi``."""
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[index]
            image = page.render(scale=dpi / POINTS_PER_INCH, draw_annots=False).to_pil().convert("RGB")
            page.close()
            return image
        finally:
            document.close()


def page_images(pdf: bytes, dpi: float) -> Iterator:
    """Every page as an RGB PIL image at ``dpi``, one at a time (a 300 dpi A4 page is 25 MB)."""
    for index in range(page_count(pdf)):
        yield page_image(pdf, index, dpi)
