"""The one Excel import framework: template → validate every row → preview → commit all or nothing.

A module describes its import as an ``ImportSpec`` (columns and hooks); everything else is here:

    spec = ProductImportSpec(...)                     # columns, rules, hooks
    write_template(spec, path)                        # excel/template.py
    preview = validate_file(db, spec, path, progress) # reads and checks every row, changes nothing
    count = commit_import(db, preview, progress)      # spec.commit: all valid rows, one transaction
    write_error_report(preview, path)                 # excel/report.py

Reading streams the sheet (openpyxl read-only), so memory holds the rows' values, not the workbook.
Sentences are catalogue keys (messages.py) rendered when shown, so they follow the UI language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

from sqlalchemy import text as sql

from crm_desktop import messages
from crm_desktop.excel.cells import CellError, Noted, Parser, as_text, normalise
from crm_desktop.excel.cells import text as text_parser
from crm_desktop.excel.source import ImportFileError, open_workbook

__all__ = ["ImportColumn", "ImportSpec", "ImportRow", "ImportPreview", "ImportFileError", "Message",
           "read_workbook", "validate_file", "commit_import", "copy_rows"]

_HEADER_SEARCH_ROWS = 20  # a title or blank lines above the header are tolerated
_CHECK_EVERY = 500  # rows between progress reports / cancellation checks


@dataclass(frozen=True)
class ImportColumn:
    header: str  # the template's header text (without the * the template adds to required ones)
    field: str  # key in ImportRow.values
    required: bool = False
    parse: Parser = field(default_factory=text_parser)
    choices: Sequence[str] = ()  # the template offers them as a drop-down list
    example: Any = ""  # the template's example row
    note: str = ""  # the rule, shown on the template's notes sheet
    aliases: Sequence[str] = ()  # other header texts accepted for this column
    width: int = 14


class Message(NamedTuple):
    """A catalogue sentence with its parameters; str() renders it in the current language."""

    key: str
    params: dict

    def __str__(self) -> str:
        return messages.text(self.key, **self.params)


class ImportRow:
    """One data row: its number in the sheet, the cells as read, the parsed values, errors and notes."""

    __slots__ = ("number", "raw", "values", "errors", "notes")

    def __init__(self, number: int, raw: tuple):
        self.number, self.raw = number, raw
        self.values: dict[str, Any] = {}
        self.errors: list[Message] = []
        self.notes: list[Message] = []

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, key: str, **params: Any) -> None:
        self.errors.append(Message(key, params))

    def add_note(self, key: str, **params: Any) -> None:
        self.notes.append(Message(key, params))


@dataclass
class ImportPreview:
    spec: "ImportSpec"
    path: Path
    sheet: str
    headers: list[str]  # the file's header texts, in the file's order
    rows: list[ImportRow]
    notes: list[Message] = field(default_factory=list)  # about the file: ignored columns, …

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def noted_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok and r.notes]


class ImportSpec:
    """What one module imports. Subclasses set the class attributes and override the hooks."""

    title = ""  # sheet and template name, e.g. "产品"
    columns: Sequence[ImportColumn] = ()
    unique_fields: Sequence[str] = ()  # values that may not repeat within the file
    rules: Sequence[str] = ()  # sentences for the template's notes sheet and the wizard (温馨提示)
    permission = ""  # the permission the import needs (the database enforces it on commit)

    def column(self, field_name: str) -> ImportColumn:
        return next(c for c in self.columns if c.field == field_name)

    def load_context(self, db) -> Any:
        """Worker thread, before reading: look-ups the row checks need (e.g. category names → ids)."""
        return None

    def validate_row(self, row: ImportRow, context: Any) -> None:
        """Cross-field and look-up checks of one row; ``row.values`` lacks cells that failed to parse."""

    def check_against_database(self, rows: list[ImportRow], db) -> None:
        """After reading: checks against existing data (duplicates in the database) → row.add_error."""

    def commit(self, db, rows: list[ImportRow], progress=None) -> int:
        """Write every row in ONE transaction (``copy_rows`` helps); returns the count written."""
        raise NotImplementedError

    @property
    def template_file_name(self) -> str:
        return messages.text("import_template_file_name", title=self.title)


# -- reading ------------------------------------------------------------------------------------
def header_key(value: Any) -> str:
    """Header text as compared: blanks, the required mark (* or ＊) and (必填) ignored, any case."""
    text = as_text(normalise(value))
    for mark in ("(必填)", "（必填）"):
        text = text.replace(mark, "")
    return text.strip(" \u3000*＊").strip().casefold()


def _match_headers(spec: ImportSpec, cells: Sequence[Any]) -> tuple[dict[int, ImportColumn], list[str]]:
    by_text = {header_key(t): c for c in spec.columns for t in (c.header, *c.aliases)}
    mapping: dict[int, ImportColumn] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        column = by_text.get(header_key(cell))
        if column is not None and column not in mapping.values():
            mapping[index] = column
        elif cell is not None and as_text(normalise(cell)):
            ignored.append(as_text(normalise(cell)))
    return mapping, ignored


def _best_header(spec: ImportSpec, sheet) -> tuple[int, list, dict[int, ImportColumn], list[str]] | None:
    """The row among the first few that names the most of the spec's columns (a title above is fine)."""
    best = None
    for number, cells in enumerate(sheet.iter_rows(min_row=1, max_row=_HEADER_SEARCH_ROWS, values_only=True), 1):
        mapping, ignored = _match_headers(spec, cells)
        if mapping and (best is None or len(mapping) > len(best[2])):
            best = (number, list(cells), mapping, ignored)
    return best


def _read_cells(row: ImportRow, mapping: dict[int, ImportColumn]) -> None:
    for index, column in mapping.items():
        value = row.raw[index] if index < len(row.raw) else None
        if value is None and column.required:
            row.add_error("import_required_empty", column=column.header)
            continue
        try:
            parsed = column.parse(value)
        except CellError as error:
            row.add_error(error.key, column=column.header, value=as_text(value), **error.params)
            continue
        if isinstance(parsed, Noted):
            row.add_note(parsed.key, column=column.header, value=as_text(value), **parsed.params)
            parsed = parsed.value
        row.values[column.field] = parsed


def _same(value: Any, example: Any) -> bool:
    example = normalise(example)
    if isinstance(value, (int, Decimal)) and isinstance(example, (int, Decimal)):
        return Decimal(value) == Decimal(example)  # 12.5 in the sheet is the example's 12.50
    return as_text(value) == as_text(example)


def _is_example(raw: tuple, mapping: dict[int, ImportColumn]) -> bool:
    pairs = [(raw[i] if i < len(raw) else None, c.example) for i, c in mapping.items() if c.example != ""]
    return bool(pairs) and all(_same(v, e) for v, e in pairs)


def _mark_duplicates(spec: ImportSpec, rows: list[ImportRow]) -> None:
    for field_name in spec.unique_fields:
        seen: dict[Any, list[ImportRow]] = {}
        for row in rows:
            value = row.values.get(field_name)
            if value not in (None, ""):
                seen.setdefault(value, []).append(row)
        header = spec.column(field_name).header
        for value, same in seen.items():
            if len(same) > 1:
                numbers = "、".join(str(r.number) for r in same)
                for row in same:
                    row.add_error("import_duplicate_in_file", column=header, value=as_text(value), rows=numbers)


def _data_sheet(workbook, spec: ImportSpec, name: str):
    """(worksheet, header info) of the sheet whose header names the most of the spec's columns."""
    best, any_cells = None, False
    for sheet in workbook.worksheets:
        if (sheet.max_row or 0) <= 1 or (sheet.max_column or 0) <= 1:
            sheet.reset_dimensions()  # some writers declare A1:A1; then trust the cells, not the claim
        found = _best_header(spec, sheet)
        if found is not None and (best is None or len(found[2]) > len(best[1][2])):
            best = (sheet, found)
        any_cells = any_cells or found is not None or _has_cells(sheet)
    if best is not None:
        return best
    if not any_cells:
        raise ImportFileError("import_file_empty", name=name)
    missing = "、".join(c.header for c in spec.columns if c.required) or spec.columns[0].header
    raise ImportFileError("import_missing_columns", columns=missing)


def _has_cells(sheet) -> bool:
    return any(v is not None for row in sheet.iter_rows(min_row=1, max_row=_HEADER_SEARCH_ROWS,
                                                         values_only=True) for v in row)


def read_workbook(path: Path | str, spec: ImportSpec, progress=None, context: Any = None) -> ImportPreview:
    """Read and check every row of ``path``; raises ImportFileError when the file is unusable."""
    path = Path(path)
    workbook = open_workbook(path)
    try:
        sheet, (header_row, headers, mapping, ignored) = _data_sheet(workbook, spec, path.name)
        missing = [c.header for c in spec.columns if c.required and c not in mapping.values()]
        if missing:
            raise ImportFileError("import_missing_columns", columns="、".join(missing))
        preview = ImportPreview(spec, path, sheet.title, [as_text(normalise(h)) for h in headers], [])
        if ignored:
            preview.notes.append(Message("import_columns_ignored", {"columns": "、".join(ignored)}))
        total = max((sheet.max_row or 0) - header_row, 0)
        rows_iter = sheet.iter_rows(min_row=header_row + 1, values_only=True)
        _read_rows(preview, rows_iter, header_row, mapping, context, progress, total)
    finally:
        workbook.close()
    if not preview.rows:
        raise ImportFileError("import_no_rows", name=path.name)
    _mark_duplicates(spec, preview.rows)
    return preview


def _read_rows(preview: ImportPreview, rows_iter, header_row: int, mapping, context, progress, total) -> None:
    spec = preview.spec
    for number, cells in enumerate(rows_iter, start=header_row + 1):
        if progress is not None and number % _CHECK_EVERY == 0:
            progress.raise_if_cancelled()
            progress.report(number - header_row, total)
        raw = tuple(normalise(v) for v in cells)
        if all(v is None for v in raw):
            continue  # Excel keeps formatted but empty rows
        if _is_example(raw, mapping):
            preview.notes.append(Message("import_example_row_skipped", {"row": number}))
            continue
        row = ImportRow(number, raw)
        _read_cells(row, mapping)
        spec.validate_row(row, context)
        preview.rows.append(row)
    if progress is not None:
        progress.report(total, total)


def validate_file(db, spec: ImportSpec, path: Path | str, progress=None) -> ImportPreview:
    """Worker thread: read ``path`` and check every row, in the file and against the database."""
    context = spec.load_context(db)
    preview = read_workbook(path, spec, progress, context)
    if progress is not None:
        progress.raise_if_cancelled()
    spec.check_against_database(preview.valid_rows, db)
    return preview


def commit_import(db, preview: ImportPreview, progress=None) -> int:
    """Worker thread: write the preview's valid rows, all or nothing; returns the count."""
    rows = preview.valid_rows
    if not rows:
        raise messages.UserError("import_nothing_valid")
    return preview.spec.commit(db, rows, progress)


def copy_rows(session, table: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence],
              progress=None, total: int = 0) -> int:
    """COPY ``rows`` into a new temporary ``table`` (dropped at commit) inside ``session``'s transaction.

    ``columns`` are (name, SQL type). The spec then moves them with one INSERT … SELECT, so 100,000
    rows are a few statements, not 100,000 round trips.
    """
    definition = ", ".join(f"{name} {kind}" for name, kind in columns)
    # A whole file is one transaction and may take minutes (100,000 customers): the session's
    # two-minute statement_timeout would cancel it.  Colleagues are protected by the server's
    # 30-second bound on making others wait (crm.end_blocking_sessions), not by this timeout.
    session.execute(sql("set local statement_timeout = 0"))
    session.execute(sql(f"create temp table {table} ({definition}) on commit drop"))
    driver = session.connection().connection.driver_connection
    count = 0
    with driver.cursor() as cursor:
        with cursor.copy(f"copy {table} ({', '.join(n for n, _ in columns)}) from stdin") as copy:
            for count, row in enumerate(rows, start=1):
                copy.write_row(row)
                if progress is not None and count % _CHECK_EVERY == 0:
                    progress.raise_if_cancelled()
                    progress.report(count, total)
    return count
