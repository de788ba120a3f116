"""Many documents at once, without Qt: render them, save them as files, with progress and cancel.

``progress`` is the task runner's (ui/common/tasks.py) or anything with ``report(done, total)``
and ``raise_if_cancelled()``; a cancelled batch stops between two documents and keeps what it
finished.  A document that cannot be printed faithfully stops the batch with ``print_failed``,
naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from crm_desktop.messages import UserError
from crm_desktop.printing.document import Letterhead, PrintDocument, PrintTemplate
from crm_desktop.printing.render import KIND_TITLES, render_pdf


class PrintSetup:
    """The letterhead and the templates a batch prints with (from services.print_settings)."""

    def __init__(self, letterhead: Letterhead, templates: Mapping[str, PrintTemplate] | None = None):
        self.letterhead = letterhead
        self.templates = dict(templates or {})

    def template(self, kind: str) -> PrintTemplate:
        return self.templates.get(kind) or PrintTemplate(kind)

    def render(self, document: PrintDocument) -> bytes:
        try:
            return render_pdf(document, self.letterhead, self.template(document.kind))
        except ValueError as error:
            raise UserError("print_failed", number=document.number, detail=str(error)) from error


def load_setup(db) -> PrintSetup:
    """Worker thread: the letterhead and every template, in one go."""
    from crm_desktop.services import print_settings

    templates = {kind: print_settings.as_template(row) for kind, row in print_settings.load_templates(db).items()}
    return PrintSetup(print_settings.letterhead(db), templates)


def file_name(document: PrintDocument, template: PrintTemplate | None = None) -> str:
    """报价单-NO-0001.pdf: the title and number, with characters no file system takes replaced."""
    title = (template.title if template and template.title else KIND_TITLES.get(document.kind, document.kind))
    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{title}-{document.number}") + ".pdf"


def rendered(setup: PrintSetup, documents: Iterable[PrintDocument], progress=None) -> Iterator[tuple[PrintDocument, bytes]]:
    documents = list(documents)
    for done, document in enumerate(documents):
        if progress is not None:
            progress.raise_if_cancelled()
            progress.report(done, len(documents))
        yield document, setup.render(document)
    if progress is not None:
        progress.report(len(documents), len(documents))


def save_all(setup: PrintSetup, documents: Iterable[PrintDocument], folder: Path, progress=None) -> list[Path]:
    """Write each document as ``folder/<file_name>``; returns the paths written."""
    written = []
    for document, pdf in rendered(setup, documents, progress):
        path = Path(folder) / file_name(document, setup.template(document.kind))
        write_pdf(path, pdf)
        written.append(path)
    return written


def write_pdf(path: Path, pdf: bytes) -> Path:
    """Write through a temporary file, so a failed write never leaves half a PDF under the name."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(pdf)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserError("print_file_unwritable", path=str(path), detail=error.strerror or str(error)) from error
    return path
