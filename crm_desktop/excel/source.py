"""Opening the file a user chose for an import, with a clear sentence for every way it can be wrong,
and streaming its rows.

The first bytes decide: an .xlsx is a zip archive (an .ods or .xlsb is a zip too, told apart by its
parts); an OLE compound file is a password-protected .xlsx (Office wraps it in an "EncryptedPackage"
stream), a WPS .et or a legacy .xls; anything else (a CSV, a text file renamed .xlsx, an image) is
not Excel at all.  openpyxl is only asked to read real workbooks, and only after the parts' inflated
sizes are within the bounds below: a 1 MB file can inflate to gigabytes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Iterator

from crm_desktop.messages import UserError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# Bounds on the inflated XML (docs/customers.md, 导入): a 200,000-row customer file is ~150 MB of
# sheet XML and ~40 MB of shared strings.  The shared strings are held in memory whole.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class ImportFileError(UserError):
    """The file cannot be imported at all; nothing was read and nothing changed."""


def _is_encrypted_ole(path: Path) -> bool:
    # The stream names sit in the compound file's directory sectors as UTF-16 text; a plain scan
    # is enough to tell an encrypted .xlsx from an .xls without an OLE parser.
    with path.open("rb") as f:
        return _ENCRYPTED_STREAM in f.read()


def check_file(path: Path) -> None:
    """Raise ImportFileError unless ``path`` looks like an .xlsx workbook."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        raise ImportFileError("import_file_unreadable", name=path.name) from None
    if size == 0:
        raise ImportFileError("import_file_empty", name=path.name)
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_ole(path):
            raise ImportFileError("import_file_encrypted", name=path.name)
        key = "import_file_et_unsupported" if path.suffix.lower() == ".et" else "import_file_xls_unsupported"
        raise ImportFileError(key, name=path.name)
    if not head.startswith(ZIP_MAGIC):
        raise ImportFileError("import_file_not_excel", name=path.name)
    check_parts(path)


def check_parts(path: Path) -> None:
    """Refuse an .ods, an .xlsb or a workbook whose XML inflates past the bounds, before parsing."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {p.filename for p in parts}
            if "mimetype" in names and archive.read("mimetype")[:len(_ODS_MIMETYPE)] == _ODS_MIMETYPE:
                raise ImportFileError("import_file_ods_unsupported", name=path.name)
    except zipfile.BadZipFile:
        raise ImportFileError("import_file_unreadable", name=path.name) from None
    if "xl/workbook.bin" in names:
        raise ImportFileError("import_file_xlsb_unsupported", name=path.name)
    xml = [p for p in parts if p.filename.endswith((".xml", ".rels"))]
    shared = sum(p.file_size for p in xml if p.filename.endswith("sharedStrings.xml"))
    if sum(p.file_size for p in xml) > MAX_UNPACKED_BYTES or shared > MAX_SHARED_STRINGS_BYTES:
        raise ImportFileError("import_file_too_large_unpacked", name=path.name,
                              limit=MAX_UNPACKED_BYTES // (1024 * 1024))


def open_workbook(path: Path | str):
    """The workbook in openpyxl's streaming (read-only) mode; the caller closes it."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    check_file(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError):
        # a zip that is not a workbook (a .docx, a truncated download) or a damaged one
        raise ImportFileError("import_file_unreadable", name=path.name) from None


_PADDED = re.compile(r"^0+$")  # a number format like 000000 shows 777 as 000777


def _padded_styles(workbook) -> dict[int, int]:
    """style id → width, for the cell styles whose number format pads with zeros."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    widths = {}
    for style_id, style in enumerate(workbook._cell_styles):
        fmt_id = style.numFmtId
        code = (BUILTIN_FORMATS.get(fmt_id) if fmt_id < BUILTIN_FORMATS_MAX_SIZE
                else workbook._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE])
        if code and _PADDED.match(code):
            widths[style_id] = len(code)
    return widths


class SheetRows:
    """A worksheet streamed row by row as (row number, values, hidden), hidden columns known once
    the first row is read.  openpyxl's own parser, read directly: its read-only sheets drop the
    rows' and columns' hidden flags and the number formats.  A number shown zero-padded (format
    000000) is read as the text the user saw (000777)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.hidden_columns: set[int] = set()  # 0-based

    def __iter__(self) -> Iterator[tuple[int, list, bool]]:
        from openpyxl.worksheet._reader import WorkSheetParser

        workbook = self.sheet.parent
        padded = _padded_styles(workbook)
        with self.sheet._get_source() as source:
            parser = WorkSheetParser(source, self.sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                                     date_formats=workbook._date_formats,
                                     timedelta_formats=workbook._timedelta_formats)
            first = True
            for number, cells in parser.parse():
                if first:
                    self.hidden_columns = _hidden_columns(parser.column_dimensions)
                    first = False
                attributes = parser.row_dimensions.pop(str(number), None)
                hidden = attributes is not None and attributes.get("hidden") in ("1", "true")
                yield number, _values(cells, padded), hidden


def _hidden_columns(dimensions: dict) -> set[int]:
    hidden = set()
    for attributes in dimensions.values():
        if attributes.get("hidden") in ("1", "true"):
            hidden.update(range(int(attributes["min"]) - 1, int(attributes.get("max", attributes["min"]))))
    return hidden


def _values(cells: list[dict], padded: dict[int, int]) -> list:
    if not cells:
        return []
    values = [None] * max(c["column"] for c in cells)
    for cell in cells:
        value = cell["value"]
        if cell["style_id"] in padded and cell["data_type"] == "n" and isinstance(value, int):
            value = str(value).zfill(padded[cell["style_id"]])
        values[cell["column"] - 1] = value
    return values
