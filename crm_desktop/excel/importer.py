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

import itertools
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from openpyxl.utils import get_column_letter
from sqlalchemy import text as sql

from crm_desktop import messages
from crm_desktop.excel.cells import CellError, Noted, Parser, as_text, normalise
from crm_desktop.excel.cells import text as text_parser
from crm_desktop.excel.source import ImportFileError, SheetRows, open_workbook

__all__ = ["ImportColumn", "ImportSpec", "ImportRow", "ImportPreview", "ImportFileError", "Message",
           "read_workbook", "validate_file", "commit_import", "copy_rows", "cancellable", "insert_in_chunks"]

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


def sentences(messages_: Iterable[Message], separator: str = "；") -> str:
    """Several catalogue sentences as one: each one's own full stop dropped before the separator
    (never "请先在基础信息中添加。；"), one full stop at the end."""
    parts = [str(m).rstrip("。.；; ") for m in messages_]
    parts = [p for p in parts if p]
    return separator.join(parts) + ("。" if parts else "")


class ImportRow:
    """One data row: its number in the sheet, the cells as read, the parsed values, errors and notes."""

    __slots__ = ("number", "raw", "values", "errors", "notes", "hidden")

    def __init__(self, number: int, raw: tuple):
        self.number, self.raw, self.hidden = number, raw, False
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
    mapping: dict = field(default_factory=dict)  # file column index → ImportColumn

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
    unique_groups: Sequence[Sequence[str]] = ()  # or: fields that share one set of values (phone, mobile)
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


def _match_headers(spec: ImportSpec, cells: Sequence[Any], hidden: set[int] = frozenset()
                   ) -> tuple[dict[int, ImportColumn], list[str]]:
    """Which file column is which spec column; the file's other headers (ignored).  Hidden columns
    are not read: a visible column may repeat a hidden one's header.  Two visible columns for the
    same spec column are refused, naming both."""
    by_text = {header_key(t): c for c in spec.columns for t in (c.header, *c.aliases)}
    mapping: dict[int, ImportColumn] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        if index in hidden:
            continue
        column = by_text.get(header_key(cell))
        if column is not None:
            first = next((i for i, c in mapping.items() if c is column), None)
            if first is not None:
                raise ImportFileError("import_duplicate_headers", first=as_text(normalise(cells[first])),
                                      first_column=get_column_letter(first + 1), second=as_text(normalise(cell)),
                                      second_column=get_column_letter(index + 1))
            mapping[index] = column
        elif cell is not None and as_text(normalise(cell)):
            ignored.append(as_text(normalise(cell)))
    return mapping, ignored


class _Sheet(NamedTuple):
    """A worksheet's header as found, and the stream positioned after it."""

    sheet: Any
    rows: SheetRows
    stream: Iterator
    header_row: int
    headers: list
    matched: int  # how many spec columns the header names


def _find_header(spec: ImportSpec, sheet) -> _Sheet | None:
    """The row among the first few that names the most of the spec's columns (a title above is fine)."""
    rows = SheetRows(sheet)
    stream = iter(rows)
    best, buffered = None, []
    for number, cells, hidden in itertools.islice(stream, _HEADER_SEARCH_ROWS):
        buffered.append((number, cells, hidden))
        if number > _HEADER_SEARCH_ROWS:
            break
        names = {header_key(c) for c in cells} & {header_key(t) for c in spec.columns for t in (c.header, *c.aliases)}
        if names and (best is None or len(names) > best[2]):
            best = (number, cells, len(names))
    if best is None:
        if not any(any(v is not None for v in cells) for _n, cells, _h in buffered):
            return None
        return _Sheet(sheet, rows, stream, 0, [], 0)
    after = [line for line in buffered if line[0] > best[0]]
    return _Sheet(sheet, rows, itertools.chain(after, stream), best[0], list(best[1]), best[2])


def _read_cells(row: ImportRow, mapping: dict[int, ImportColumn]) -> None:
    for index, column in mapping.items():
        value = row.raw[index] if index < len(row.raw) else None
        if value is None and column.required:
            row.add_error("import_required_empty", column=column.header)
            continue
        try:
            parsed = column.parse(value)
        except CellError as error:
            row.add_error(error.key, **{"column": column.header, "value": as_text(value), **error.params})
            continue
        if isinstance(parsed, Noted):
            row.add_note(parsed.key, **{"column": column.header, "value": as_text(value), **parsed.params})
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
    """The first row with a value is kept; later rows repeating it are refused, naming the first.
    Fields of one ``unique_groups`` entry share their values (a phone repeated as another row's mobile)."""
    for group in spec.unique_groups or tuple((f,) for f in spec.unique_fields):
        first: dict[Any, ImportRow] = {}
        for row in rows:
            for field_name in group:
                value = row.values.get(field_name)
                if value in (None, ""):
                    continue
                kept = first.setdefault(value, row)
                if kept is not row:
                    row.add_error("import_duplicate_in_file", column=spec.column(field_name).header,
                                  value=as_text(value), row=kept.number)
                    break


def _data_sheet(workbook, spec: ImportSpec, name: str) -> _Sheet:
    """The sheet whose header names the most of the spec's columns."""
    best, any_cells = None, False
    for sheet in workbook.worksheets:
        found = _find_header(spec, sheet)
        any_cells = any_cells or found is not None
        if found is not None and found.matched and (best is None or found.matched > best.matched):
            best = found
    if best is not None:
        return best
    if not any_cells:
        raise ImportFileError("import_file_empty", name=name)
    missing = "、".join(c.header for c in spec.columns if c.required) or spec.columns[0].header
    raise ImportFileError("import_missing_columns", columns=missing)


def read_workbook(path: Path | str, spec: ImportSpec, progress=None, context: Any = None) -> ImportPreview:
    """Read and check every row of ``path``; raises ImportFileError when the file is unusable."""
    path = Path(path)
    workbook = open_workbook(path)
    try:
        found = _data_sheet(workbook, spec, path.name)
        mapping, ignored = _match_headers(spec, found.headers, found.rows.hidden_columns)
        missing = [c.header for c in spec.columns if c.required and c not in mapping.values()]
        if missing:
            raise ImportFileError("import_missing_columns", columns="、".join(missing))
        preview = ImportPreview(spec, path, found.sheet.title, [as_text(normalise(h)) for h in found.headers], [])
        preview.mapping = mapping
        hidden = [as_text(normalise(h)) or get_column_letter(i + 1) for i, h in enumerate(found.headers)
                  if i in found.rows.hidden_columns]
        if hidden:
            preview.notes.append(Message("import_hidden_columns_ignored", {"columns": "、".join(hidden)}))
        if ignored:
            preview.notes.append(Message("import_columns_ignored", {"columns": "、".join(ignored)}))
        total = max((found.sheet.max_row or 0) - found.header_row, 0)
        _read_rows(preview, found.stream, mapping, context, progress, total)
    finally:
        workbook.close()
    if not preview.rows:
        raise ImportFileError("import_no_rows", name=path.name)
    _mark_duplicates(spec, preview.rows)
    hidden_rows = sum(1 for r in preview.rows if r.hidden)
    if hidden_rows:
        preview.notes.append(Message("import_hidden_rows_read", {"count": hidden_rows}))
    return preview


def _read_rows(preview: ImportPreview, stream, mapping, context, progress, total) -> None:
    spec = preview.spec
    for count, (number, cells, hidden) in enumerate(stream, start=1):
        if progress is not None and count % _CHECK_EVERY == 0:
            progress.raise_if_cancelled()
            progress.report(count, max(total, count))
        raw = tuple(normalise(v) for v in cells)
        if all(v is None for v in raw):
            continue  # Excel keeps formatted but empty rows
        if _is_example(raw, mapping):
            preview.notes.append(Message("import_example_row_skipped", {"row": number}))
            continue
        row = ImportRow(number, raw)
        if hidden:
            row.hidden = True
            row.add_note("import_row_hidden")
        _read_cells(row, mapping)
        spec.validate_row(row, context)
        preview.rows.append(row)
    if progress is not None:
        progress.report(total, total)


def validate_file(db, spec: ImportSpec, path: Path | str, progress=None) -> ImportPreview:
    """Worker thread: read ``path`` and check every row, in the file and against the database.

    The permission is asked first: an account that may not import learns it before a long read."""
    require_import_permission(db, spec)
    context = spec.load_context(db)
    preview = read_workbook(path, spec, progress, context)
    if progress is not None:
        progress.raise_if_cancelled()
    spec.check_against_database(preview.valid_rows, db)
    return preview


def require_import_permission(db, spec: ImportSpec) -> None:
    """UserError naming the permission when the account lacks it (the database refuses the commit
    anyway; this only saves the user a preview that cannot be imported)."""
    if spec.permission and not db.can(spec.permission):
        raise messages.UserError("import_needs_permission", permission=messages.permission_name(spec.permission))


def commit_import(db, preview: ImportPreview, progress=None) -> int:
    """Worker thread: write the preview's valid rows, all or nothing; returns the count."""
    rows = preview.valid_rows
    if not rows:
        raise messages.UserError("import_nothing_valid")
    return preview.spec.commit(db, rows, progress)


@contextmanager
def cancellable(session, progress=None, poll_seconds: float = 0.1) -> Iterator[None]:
    """Let a cancel stop the statement running in ``session`` (a long INSERT … SELECT): a watcher
    thread sends PostgreSQL's cancel request when ``progress.cancelled`` becomes true; the statement
    fails, the transaction rolls back and the caller sees the progress's own cancellation error."""
    if progress is None:
        yield
        return
    driver = session.connection().connection.driver_connection
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(poll_seconds):
            if progress.cancelled:
                driver.cancel_safe()
                return

    watcher = threading.Thread(target=watch, name="import-cancel", daemon=True)
    watcher.start()
    try:
        yield
    except Exception as error:  # SQLAlchemy wraps the driver's QueryCanceled; COPY raises it bare
        if getattr(getattr(error, "orig", error), "sqlstate", None) == "57014" and progress.cancelled:
            progress.raise_if_cancelled()
        raise
    finally:
        finished.set()
        watcher.join()


def insert_in_chunks(session, statement: str, lines: int, progress=None, done: int = 0, total: int = 0,
                     chunk: int = 10_000) -> int:
    """Run ``statement`` (an INSERT … SELECT over the copied rows, filtered by ``line > :lo and
    line <= :hi``) chunk by chunk in the caller's transaction, so progress moves and a cancel is
    seen between chunks (and within one, through ``cancellable``); returns the rows inserted."""
    count = 0
    for lo in range(0, lines, chunk):
        if progress is not None:
            progress.raise_if_cancelled()
            progress.report(done + lo, total)
        count += session.execute(sql(statement), {"lo": lo, "hi": lo + chunk}).rowcount
    if progress is not None:
        progress.report(done + lines, total)
    return count


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
