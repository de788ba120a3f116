"""Opening the file a user chose for an import, with a clear sentence for every way it can be wrong.

The first bytes decide: an .xlsx is a zip archive; an OLE compound file is either a password-protected
.xlsx (Office wraps it in an "EncryptedPackage" stream) or a legacy .xls; anything else (a CSV, a
text file renamed .xlsx, an image) is not Excel at all.  openpyxl is only asked to read real zips.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from crm_desktop.messages import UserError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


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
        key = "import_file_encrypted" if _is_encrypted_ole(path) else "import_file_xls_unsupported"
        raise ImportFileError(key, name=path.name)
    if not head.startswith(ZIP_MAGIC):
        raise ImportFileError("import_file_not_excel", name=path.name)


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
