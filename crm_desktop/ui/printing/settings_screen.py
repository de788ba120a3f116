"""The letterhead (公司名称、标志、地址、电话、传真、E-mail、网址、开户行及账号、税号) and, per
document kind, the print template (标题、页脚、显示的列), with a preview of a sample document."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from crm_desktop.ui.common import file_dialogs
from crm_desktop.messages import UserError
from crm_desktop.printing import samples
from crm_desktop.printing.batch import PrintSetup
from crm_desktop.printing.document import HIDEABLE_COLUMNS, Letterhead, PrintTemplate
from crm_desktop.printing.render import COLUMNS, KIND_TITLES
from crm_desktop.printing.ui.preview import PreviewDialog
from crm_desktop.services import print_settings
from crm_desktop.ui.common.forms import BackgroundCalls

SAMPLES = {"quote": samples.sample_quote, "sales_order": samples.sample_order, "contract": samples.sample_contract}
_COLUMN_HEADERS = {key: header for key, header, _w, _a in COLUMNS}


def _load(db) -> tuple[dict, dict]:
    """Worker thread: the letterhead row and the template rows."""
    return print_settings.load_letterhead(db), print_settings.load_templates(db)


class PrintSettingsScreen(QWidget, BackgroundCalls):
    sig_loaded = Signal()
    """The letterhead and templates arrived and are shown."""
    sig_saved = Signal(str)
    """A save went through. Parameters: "letterhead" or the template's kind."""
    sig_failed = Signal(str)
    """A call failed. Parameters: the sentence shown."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.writable = db.can(print_settings.PERMISSION)
        self.letterhead_row: dict | None = None
        self.template_rows: dict[str, dict] = {}
        self.logo: bytes | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.setWindowTitle(self.tr("Letterhead and print templates"))
        tabs = QTabWidget()
        tabs.addTab(self._letterhead_tab(), self.tr("Letterhead"))
        tabs.addTab(self._template_tab(), self.tr("Print templates"))
        self.tabs = tabs
        self.notice = QLabel(self.tr("You may read these settings; changing them needs the permission "
                                     "“Letterhead and print templates”."))
        self.notice.setVisible(not self.writable)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(tabs)
        self.resize(760, 560)
        self.reload()

    # -- building ------------------------------------------------------------------------------
    def _letterhead_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        labels = {"name": self.tr("Company name"), "address": self.tr("Address"), "phone": self.tr("Phone"),
                  "fax": self.tr("Fax"), "email": self.tr("E-mail"), "website": self.tr("Website"),
                  "bank": self.tr("Bank and account"), "tax_number": self.tr("Tax number")}
        for field in print_settings.LETTERHEAD_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"letterhead_{field}")
            edit.setReadOnly(not self.writable)
            self.fields[field] = edit
            form.addRow(labels[field], edit)
        self.logo_label = QLabel(self.tr("(no logo)"))
        self.logo_label.setFixedSize(180, 90)
        self.logo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_label.setStyleSheet("border: 1px dashed #999;")
        self.choose_logo_button = QPushButton(self.tr("Choose logo…"))
        self.remove_logo_button = QPushButton(self.tr("Remove logo"))
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button.clicked.connect(lambda: self.set_logo(None))
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_label)
        logo_row.addLayout(logo_buttons)
        logo_row.addStretch(1)
        form.addRow(self.tr("Logo (PNG or JPEG, at most 1 MB)"), logo_row)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addStretch(1)
        self.save_letterhead_button = QPushButton(self.tr("Save letterhead"))
        self.save_letterhead_button.clicked.connect(self.save_letterhead)
        layout.addLayout(self._buttons(self.save_letterhead_button))
        for widget in (self.choose_logo_button, self.remove_logo_button, self.save_letterhead_button):
            widget.setEnabled(self.writable)
        return tab

    def _template_tab(self) -> QWidget:
        tab = QWidget()
        self.kind = QComboBox()
        for kind, title in KIND_TITLES.items():
            self.kind.addItem(title, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_template())
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("(the document's own name)"))
        self.footer_edit = QPlainTextEdit()
        self.footer_edit.setMaximumHeight(70)
        columns = QGroupBox(self.tr("Columns printed"))
        grid = QGridLayout(columns)
        self.column_boxes: dict[str, QCheckBox] = {}
        for i, key in enumerate(HIDEABLE_COLUMNS):
            box = QCheckBox(_COLUMN_HEADERS[key])
            box.setObjectName(f"column_{key}")
            box.setEnabled(self.writable)
            self.column_boxes[key] = box
            grid.addWidget(box, i // 4, i % 4)
        for edit in (self.title_edit, self.footer_edit):
            edit.setReadOnly(not self.writable)
        form = QFormLayout()
        form.addRow(self.tr("Document"), self.kind)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Footer text"), self.footer_edit)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(columns)
        layout.addStretch(1)
        self.save_template_button = QPushButton(self.tr("Save template"))
        self.save_template_button.setEnabled(self.writable)
        self.save_template_button.clicked.connect(self.save_template)
        layout.addLayout(self._buttons(self.save_template_button))
        return tab

    def _buttons(self, save: QPushButton) -> QHBoxLayout:
        """预览 (for everyone: it shows the sample document as typed) and the tab's save button."""
        preview = QPushButton(self.tr("Preview"))
        preview.clicked.connect(lambda: self.preview(self.kind.currentData()))
        row = QHBoxLayout()
        row.addWidget(preview)
        row.addStretch(1)
        row.addWidget(save)
        return row

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        self.call(_load, then=self._show)

    def _show(self, result: tuple[dict, dict]) -> None:
        self.letterhead_row, self.template_rows = result
        for field, edit in self.fields.items():
            edit.setText(self.letterhead_row[field])
        self.set_logo(self.letterhead_row["logo"])
        self._show_template()
        self.sig_loaded.emit()

    def set_logo(self, data: bytes | None) -> None:
        self.logo = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.logo_label.setPixmap(pixmap.scaled(self.logo_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                    Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_label.setPixmap(QPixmap())
            self.logo_label.setText(self.tr("(no logo)"))

    def choose_logo(self) -> None:
        path = self.ask_logo_path()
        if path:
            self.load_logo(Path(path))

    def ask_logo_path(self) -> str:
        return file_dialogs.open_file_name(self, "print_logo", self.tr("Choose logo"), "Images (*.png *.jpg *.jpeg)")

    def load_logo(self, path: Path) -> None:
        try:
            data = path.read_bytes()
            print_settings.logo_mime(data)
        except OSError:
            self.report_user_error("print_letterhead_logo_unreadable")
            return
        except UserError as error:
            self.report_failure(error)
            return
        self.set_logo(data)

    def _show_template(self) -> None:
        row = self.template_rows.get(self.kind.currentData())
        if row is None:
            return
        self.title_edit.setText(row["title"])
        self.footer_edit.setPlainText(row["footer"])
        for key, box in self.column_boxes.items():
            box.setChecked(key not in row["hidden_columns"])

    # -- what is on screen ---------------------------------------------------------------------
    def letterhead_values(self) -> dict:
        return {**{field: edit.text() for field, edit in self.fields.items()}, "logo": self.logo}

    def template_values(self) -> dict:
        return {"title": self.title_edit.text(), "footer": self.footer_edit.toPlainText(),
                "hidden_columns": [key for key, box in self.column_boxes.items() if not box.isChecked()]}

    def current_setup(self) -> PrintSetup:
        """The letterhead and template as typed, saved or not: the preview shows them."""
        values = self.letterhead_values()
        name = values["name"].strip() or (self.letterhead_row or {}).get("name", "")
        letterhead = Letterhead(name=name, logo_png=values["logo"],
                                **{f: values[f].strip() for f in print_settings.LETTERHEAD_FIELDS if f != "name"})
        kind = self.kind.currentData()
        template = self.template_values()
        return PrintSetup(letterhead, {kind: PrintTemplate(kind, title=template["title"].strip(),
                                                           footer=template["footer"].strip(),
                                                           hidden_columns=frozenset(template["hidden_columns"]))})

    def preview(self, kind: str) -> PreviewDialog:
        setup = self.current_setup()
        document = SAMPLES[kind]()
        if kind not in setup.templates:
            setup.templates[kind] = print_settings.as_template(self.template_rows[kind])
        self.preview_dialog = PreviewDialog(setup, [document], self)
        self.preview_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog.show()
        return self.preview_dialog

    # -- saving --------------------------------------------------------------------------------
    def save_letterhead(self) -> None:
        self.call(print_settings.save_letterhead, self.letterhead_values(), self.letterhead_row,
                  then=self._letterhead_saved)

    def _letterhead_saved(self, row: dict) -> None:
        self.letterhead_row = row
        self.sig_saved.emit("letterhead")

    def save_template(self) -> None:
        kind = self.kind.currentData()
        self.call(print_settings.save_template, self.template_values(), self.template_rows[kind],
                  then=self._template_saved)

    def _template_saved(self, row: dict) -> None:
        self.template_rows[row["kind"]] = row
        self.sig_saved.emit(row["kind"])
