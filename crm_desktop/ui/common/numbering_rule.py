"""One editor for a numbering rule (services/numbering.py): prefix, separator, the date part where the
module's numbers have one, sequence digits, whether numbers may also be typed by hand, an example
built as crm.format_number builds numbers, and the number the server would hand out next."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from crm_desktop.services import numbering
from crm_desktop.ui.common.forms import BackgroundCalls, button_row, fill_combo, select_data

PYTHON_DATE_FORMATS = {"": "", "YYYY": "%Y", "YYYYMM": "%Y%m", "YYYYMMDD": "%Y%m%d"}  # the rule's → strftime


def _load(db, rule: str, with_preview: bool) -> tuple[dict, str]:
    """Worker thread: the rule and (when asked) the number it would give next."""
    found = next(r for r in numbering.list_rules(db) if r["code"] == rule)
    return found, numbering.preview(db, rule) if with_preview else ""


class NumberingRuleEditor(QWidget, BackgroundCalls):
    sig_loaded = Signal(str)
    """The rule arrived. Parameters: the number the server would give next."""
    sig_saved = Signal(str)
    """The rule was saved. Parameters: the number the server would now give next."""
    sig_failed = Signal(str)
    """A call failed and its sentence was shown. Parameters: the sentence."""

    def __init__(self, db, rule: str, permission: str, intro: str, next_label: str | None = None,
                 segment: str = "", sequence: int = 1, with_date: bool = False, parent: QWidget | None = None):
        """``segment`` and ``sequence`` make the example (a product number has the category code in
        the middle); ``with_date`` offers the date part (customer numbers restart each period);
        ``next_label`` shows the server's next number (not for rules counted per segment)."""
        super().__init__(parent)
        self.db, self.writable = db, db.can(permission)
        self.code, self.segment, self.sequence, self.with_preview = rule, segment, sequence, next_label is not None
        self.rule: dict | None = None
        self._saving = False
        self.prefix, self.separator, self.date_format = QLineEdit(), QComboBox(), QComboBox()
        self.digits = QSpinBox(minimum=1, maximum=12)
        self.allows_manual = QCheckBox(self.tr("Numbers may also be typed by hand"))
        self.allows_manual.setToolTip(self.tr("Not in the rule's own format; typing one tells if a hidden row has it"))
        self.prefix.setMaxLength(10)
        fill_combo(self.separator, [(s or self.tr("(none)"), s) for s in ("-", "_", ".", "/", "")])
        fill_combo(self.date_format, [(self._date_text(f), f) for f in PYTHON_DATE_FORMATS])
        self.example, self.next_number = QLabel(), QLabel()
        for signal in (self.prefix.textChanged, self.separator.currentIndexChanged,
                       self.date_format.currentIndexChanged, self.digits.valueChanged):
            signal.connect(lambda *_: self._show_example())
        self.prefix.setReadOnly(not self.writable)
        self.digits.setReadOnly(not self.writable)
        for widget in (self.separator, self.date_format, self.allows_manual):
            widget.setEnabled(self.writable)
        form = QFormLayout()
        form.addRow(self.tr("Prefix"), self.prefix)
        form.addRow(self.tr("Separator"), self.separator)
        if with_date:
            form.addRow(self.tr("Date part"), self.date_format)
        form.addRow(self.tr("Sequence digits"), self.digits)
        form.addRow("", self.allows_manual)
        form.addRow(self.tr("Example"), self.example)
        if next_label is not None:
            form.addRow(next_label, self.next_number)
        note = QLabel(intro)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(button_row(self, (self.tr("Save"), self.save)))
        layout.addStretch(1)
        self.reload()

    def _date_text(self, date_format: str) -> str:
        return {"": self.tr("(none)"), "YYYY": self.tr("Year (YYYY)"), "YYYYMM": self.tr("Year and month (YYYYMM)"),
                "YYYYMMDD": self.tr("Date (YYYYMMDD)")}[date_format]

    def reload(self) -> None:
        self.call(_load, self.code, self.with_preview, then=self._show)

    def _show(self, loaded: tuple[dict, str]) -> None:
        self.rule, preview = loaded
        self.prefix.setText(self.rule["prefix"])
        select_data(self.separator, self.rule["separator"])
        select_data(self.date_format, self.rule["date_format"])
        self.digits.setValue(self.rule["digits"])
        self.allows_manual.setChecked(bool(self.rule["allows_manual"]))
        self.next_number.setText(preview)
        if self._saving:
            self._saving = False
            self.sig_saved.emit(preview)
        self.sig_loaded.emit(preview)

    def _show_example(self) -> None:
        """As crm.format_number: prefix, separator, segment and separator, date part, sequence."""
        sep = self.separator.currentData() or ""
        period = date.today().strftime(PYTHON_DATE_FORMATS[self.date_format.currentData() or ""])
        prefix = self.prefix.text().strip()
        head = prefix + sep if prefix and (self.segment or sep) else prefix
        middle = self.segment + sep if self.segment else ""
        self.example.setText(f"{head}{middle}{period}{str(self.sequence).rjust(self.digits.value(), '0')}")

    def values(self) -> dict:
        return {"prefix": self.prefix.text().strip(), "separator": self.separator.currentData() or "",
                "date_format": self.date_format.currentData() or "", "digits": self.digits.value(),
                "allows_manual": self.allows_manual.isChecked()}

    def save(self) -> None:
        if self.rule is not None:
            self.call(numbering.save_rule, self.rule, self.values(), then=lambda _r: self._saved())

    def _saved(self) -> None:
        self._saving = True
        self.reload()
