"""The one import wizard: download template → choose file → validate (off the GUI thread, with
progress and cancel) → preview with the errors highlighted → commit every valid row in one
transaction → save the error report.  Parameterised by an ``ImportSpec``; nothing module-specific.

    wizard = open_import_wizard(self, db, product_import.load_spec)   # or an ImportSpec instance
    wizard.sig_imported.connect(self.model.reload)
    accept_excel_drops(self.table, lambda path: open_import_wizard(self, db, spec, path))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QAbstractScrollArea, QCheckBox, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget, QWizard,
                               QWizardPage)

from crm_desktop import messages
from crm_desktop.excel.importer import ImportPreview, ImportSpec, commit_import, validate_file
from crm_desktop.excel.report import write_error_report
from crm_desktop.excel.template import write_template
from crm_desktop.messages import translate_error
from crm_desktop.ui.common.file_dialogs import open_file_name, save_file_name
from crm_desktop.ui.common.import_preview import PreviewModel
from crm_desktop.ui.common.tasks import ProgressDialog, Task, run_in_background

SpecSource = ImportSpec | Callable[[Any], ImportSpec]  # a spec, or spec_loader(db) run off the GUI thread
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
# accepted on a drop only to be told what they are and what to do (excel/source.py)
OTHER_SPREADSHEET_SUFFIXES = (".csv", ".ods", ".et", ".xlsb", ".numbers")


def _load_spec(source: SpecSource, db) -> ImportSpec:
    return source if isinstance(source, ImportSpec) else source(db)


class ChooseFilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.setTitle(self.tr("Import: choose the file"))
        self.rules = QLabel(wordWrap=True)
        self.template_button = QPushButton(self.tr("Download template…"))
        self.template_button.clicked.connect(wizard.ask_template_path)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("An Excel workbook (.xlsx) filled in from the template"))
        self.path_edit.textChanged.connect(lambda _t: self.completeChanged.emit())
        browse = QPushButton(self.tr("Choose file…"))
        browse.clicked.connect(wizard.ask_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules)
        layout.addWidget(self.template_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_rules(self, spec: ImportSpec) -> None:
        lines = "".join(f"<li>{rule}</li>" for rule in spec.rules)
        self.rules.setText(f"<b>{self.tr('Before you import:')}</b><ol>{lines}</ol>")

    def isComplete(self) -> bool:
        return Path(self.path_edit.text().strip()).is_file()


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Import: check the rows"))
        self.summary = QLabel(wordWrap=True)
        self.notes = QLabel(wordWrap=True)
        self.problems_only = QCheckBox(self.tr("Show only rows with errors or notes"))
        self.problems_only.toggled.connect(self._filter)
        self.report_button = QPushButton(self.tr("Save error report…"))
        self.report_button.setAutoDefault(False)
        self.report_button.clicked.connect(wizard.ask_report_path)
        self.table = QTableView()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        bar = QHBoxLayout()
        bar.addWidget(self.problems_only)
        bar.addStretch(1)
        bar.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.notes):
            layout.addWidget(widget)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        self._wizard.start_validation()

    def cleanupPage(self) -> None:  # Back: forget the file's preview
        self._wizard.forget_preview()

    def isComplete(self) -> bool:
        preview = self._wizard.preview
        return preview is not None and bool(preview.valid_rows) and self._wizard.busy is None

    def validatePage(self) -> bool:
        """Next = commit; the page is left only when the commit succeeded."""
        if self._wizard.imported is None:
            self._wizard.start_commit()
            return False
        return True

    def _filter(self, only: bool) -> None:
        model = self.table.model()
        if isinstance(model, PreviewModel):
            model.show_problems_only(only)


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.setTitle(self.tr("Import: done"))
        self.result = QLabel(wordWrap=True)
        self.report_button = QPushButton(self.tr("Save error report…"))
        self.report_button.setAutoDefault(False)  # Enter on the last page is 完成
        self.report_button.clicked.connect(wizard.ask_report_path)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result)
        layout.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)


class ImportWizard(QWizard):
    """One import, start to finish. Work runs on the task runner; the pages only show results."""

    sig_validated = Signal(object)
    """The file was read and every row checked. Parameters: preview (ImportPreview)."""
    sig_imported = Signal(int)
    """The valid rows were written in one transaction. Parameters: count."""
    sig_failed = Signal(str)
    """The file was refused or the commit failed; the sentence is on the page. Parameters: sentence."""
    sig_saved = Signal(str)
    """A template or an error report was written. Parameters: path."""

    def __init__(self, db, spec: SpecSource, parent: QWidget | None = None, path: str | Path | None = None):
        super().__init__(parent)
        self.db, self._source = db, spec
        self.spec: ImportSpec | None = None
        self.preview: ImportPreview | None = None
        self.imported: int | None = None
        self.busy: Task | None = None
        self.setWindowTitle(self.tr("Import"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.choose_page, self.preview_page, self.done_page = ChooseFilePage(self), PreviewPage(self), DonePage(self)
        for page in (self.choose_page, self.preview_page, self.done_page):
            self.addPage(page)
        self.resize(900, 600)
        self.currentIdChanged.connect(self._page_changed)
        if path is not None:
            self.choose_file(path)
        run_in_background(_load_spec, spec, db).on_success(self._spec_loaded).on_failure(self._failed)

    def _page_changed(self, _page_id: int) -> None:
        if self.currentPage() is self.done_page:
            finish = self.button(QWizard.WizardButton.FinishButton)
            finish.setDefault(True)
            finish.setFocus()

    def _spec_loaded(self, spec: ImportSpec) -> None:
        self.spec = spec
        self.setWindowTitle(self.tr("Import {title}").format(title=spec.title))
        self.choose_page.show_rules(spec)

    # -- files ----------------------------------------------------------------------------------
    def choose_file(self, path: str | Path) -> None:
        self.choose_page.path_edit.setText(str(path))

    def ask_file(self) -> None:
        path = open_file_name(self, "import_file", self.tr("Choose the file to import"),
                              self.tr("Excel workbooks (*.xlsx *.xlsm);;All files (*)"))
        if path:
            self.choose_file(path)

    def ask_template_path(self) -> None:
        name = self.spec.template_file_name if self.spec else "template.xlsx"
        path = save_file_name(self, "import_template", self.tr("Save the template"), name, "Excel (*.xlsx)")
        if path:
            self.download_template(path)

    def download_template(self, path: str | Path) -> Task:
        source = self._source
        task = run_in_background(lambda db: write_template(_load_spec(source, db), path), self.db)
        return task.on_success(lambda written: self.sig_saved.emit(str(written))).on_failure(self._failed)

    def ask_report_path(self) -> None:
        if self.preview is None:
            return
        name = messages.text("import_report_file_name", title=self.preview.spec.title)
        path = save_file_name(self, "import_report", self.tr("Save the error report"), name, "Excel (*.xlsx)")
        if path:
            self.save_error_report(path)

    def save_error_report(self, path: str | Path) -> Task:
        task = run_in_background(write_error_report, self.preview, path)
        return task.on_success(lambda _n: self.sig_saved.emit(str(path))).on_failure(self._failed)

    # -- validation and commit -------------------------------------------------------------------
    def _validate(self, path: Path, progress=None) -> ImportPreview:
        """Worker thread."""
        return validate_file(self.db, _load_spec(self._source, self.db), path, progress)

    def start_validation(self) -> None:
        self.forget_preview()
        path = Path(self.choose_page.path_edit.text().strip())
        self.preview_page.summary.setText(self.tr("Reading and checking {name}…").format(name=path.name))
        task = self._track(run_in_background(self._validate, path), self.tr("Checking the rows…"))
        task.on_success(self._show_preview).on_failure(self._failed)
        task.on_cancelled(lambda: self.preview_page.summary.setText(self.tr("Checking was cancelled.")))

    def forget_preview(self) -> None:
        self.preview = None
        self.preview_page.table.setModel(None)
        self.preview_page.notes.clear()
        self.preview_page.report_button.setEnabled(False)

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview, self.spec = preview, preview.spec
        page = self.preview_page
        page.table.setModel(PreviewModel(preview, page.table))
        page.problems_only.setChecked(False)
        page.table.resizeColumnsToContents()
        valid, errors = len(preview.valid_rows), len(preview.error_rows)
        page.summary.setText(self.tr("{total} rows read: {valid} can be imported, {errors} have errors "
                                     "(red), {notes} were read with notes (yellow).").format(
            total=len(preview.rows), valid=valid, errors=errors, notes=len(preview.noted_rows)))
        page.notes.setText("\n".join(str(note) for note in preview.notes))
        page.report_button.setEnabled(errors > 0)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Import {count} valid rows").format(count=valid))
        self.sig_validated.emit(preview)

    def start_commit(self) -> None:
        task = self._track(run_in_background(commit_import, self.db, self.preview), self.tr("Importing…"))
        task.on_success(self._committed).on_failure(self._failed)
        task.on_cancelled(lambda: self.preview_page.summary.setText(messages.text("import_cancelled")))

    def _committed(self, count: int) -> None:
        self.imported = count
        lines = [messages.text("import_done", count=count)]
        errors = len(self.preview.error_rows)
        if errors:
            lines.append(self.tr("{errors} rows with errors were not imported; save the error report, "
                                 "correct it and import it again.").format(errors=errors))
        self.done_page.result.setText("\n".join(lines))
        self.done_page.report_button.setVisible(errors > 0)
        self.sig_imported.emit(count)
        self.next()

    def _track(self, task: Task, label: str) -> Task:
        self.busy = task
        ProgressDialog(task, label, self)
        self.preview_page.completeChanged.emit()
        return task.on_finished(self._idle)

    def _idle(self) -> None:
        self.busy = None
        self.preview_page.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        sentence = str(translate_error(error))
        label = self.preview_page.summary if self.currentPage() is self.preview_page else self.choose_page.rules
        label.setText(f'<span style="color:#c0392b">{sentence}</span>')
        self.sig_failed.emit(sentence)

    def reject(self) -> None:
        """Cancel during work stops the work first (a commit rolls back), then closes."""
        if self.busy is not None:
            self.busy.cancel()
            self.busy.on_finished(super().reject)
            return
        super().reject()


def open_import_wizard(parent: QWidget, db, spec: SpecSource, path: str | Path | None = None) -> ImportWizard:
    """Show a wizard for ``spec``; with ``path`` (a dropped file) it starts checking at once."""
    wizard = ImportWizard(db, spec, parent, path)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.show()
    if path is not None:
        wizard.next()
    return wizard


class _ExcelDropFilter(QObject):
    def __init__(self, target: QWidget, callback: Callable[[Path], None]):
        super().__init__(target)
        self._callback = callback

    def eventFilter(self, watched: QObject, event) -> bool:
        kind = event.type()
        if kind in (event.Type.DragEnter, event.Type.DragMove, event.Type.Drop):
            path = dropped_excel_path(event.mimeData())
            if path is None:
                return False
            event.acceptProposedAction()
            if kind == event.Type.Drop:
                self._callback(path)
            return True
        return False


def dropped_excel_path(mime) -> Path | None:
    """The one local Excel file (or another spreadsheet, to be told why not) being dragged."""
    urls = mime.urls() if mime is not None and mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in (*EXCEL_SUFFIXES, *OTHER_SPREADSHEET_SUFFIXES) else None


def accept_excel_drops(widget: QWidget, callback: Callable[[Path], None]) -> QObject:
    """Let the user drop one Excel file on ``widget`` (a list): ``callback(path)`` gets it."""
    target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
    widget.setAcceptDrops(True)
    target.setAcceptDrops(True)
    drop_filter = _ExcelDropFilter(target, callback)
    target.installEventFilter(drop_filter)
    return drop_filter
