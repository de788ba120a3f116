"""The one Excel exporter: a header row, data rows, readable column widths, frozen header.

The sheet's XML is streamed straight into the zip (openpyxl's write-only mode took ~30 s for the
200,000-row error report; benchmarks/excel_import_bench.py): inline strings, numbers as numbers,
dates as dates, Decimal never through float.

Text is always written as text: a customer named ``=HYPERLINK(…)`` (or anything beginning with
= + - @, a tab or a carriage return) is a string cell with Excel's quote prefix, so neither the
export nor a later edit of the cell makes it a live formula.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# styles (cellXfs): 0 plain, 1 header, 2 text with quote prefix, 3 date, 4 date and time
_HEADER, _QUOTED, _DATE, _DATETIME = 1, 2, 3, 4
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
{sheets}\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets>{sheets}</sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
{sheets}\
<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
</Relationships>"""
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'worksheet" Target="worksheets/sheet{n}.xml"/>')
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyNumberFormat="1"/>\
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
_SHEET_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
</sheetView></sheetViews><cols>{cols}</cols><sheetData>"""


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value).translate(_ESCAPES)


def _cell(ref: str, value: object, style: int = 0) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            style = _QUOTED
        styled = f' s="{style}"' if style else ""
        return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if isinstance(value, (int, Decimal)):
        return f'<c r="{ref}"><v>{value if isinstance(value, int) else format(value, "f")}</v></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{_DATETIME}"><v>{to_excel(value.replace(tzinfo=None))}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{_DATE}"><v>{to_excel(value)}</v></c>'
    return _cell(ref, str(value), style)


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[object]],
                title: str = "Sheet1") -> int:
    """Write rows to ``path`` (streamed, so memory stays flat); returns the row count."""
    return write_sheets(path, [(title, headers, rows)])


def write_sheets(path: Path | str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> int:
    """Several tables in one workbook, one sheet each (title, headers, rows), each streamed;
    returns the number of data rows written."""
    count = 0
    titles: list[str] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n, (title, headers, rows) in enumerate(sheets, start=1):
            titles.append(title[:31])
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as sheet:
                count += _write_sheet(sheet, headers, rows)
        numbers = range(1, len(titles) + 1)
        archive.writestr("[Content_Types].xml",
                         _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        names = "".join(f'<sheet name="{_text(t).replace(chr(34), "&quot;")}" sheetId="{n}" r:id="rId{n}"/>'
                        for n, t in zip(numbers, titles))
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=names))
        archive.writestr("xl/_rels/workbook.xml.rels",
                         _WORKBOOK_RELS.format(sheets="".join(_SHEET_REL.format(n=n) for n in numbers)))
        archive.writestr("xl/styles.xml", _STYLES)
    return count


def _write_sheet(sheet, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    letters = [get_column_letter(i) for i in range(1, len(headers) + 1)]
    widths = "".join(f'<col min="{i}" max="{i}" width="{min(max(8, len(h) * 2 + 2), 40)}" customWidth="1"/>'
                     for i, h in enumerate(headers, start=1))
    sheet.write(_SHEET_START.format(cols=widths).encode())
    cells = "".join(_cell(f"{letter}1", h, _HEADER) for letter, h in zip(letters, headers))
    sheet.write(f'<row r="1">{cells}</row>'.encode())
    buffer = []
    count = 0
    for count, row in enumerate(rows, start=1):
        number = count + 1
        cells = "".join(_cell(f"{letters[i] if i < len(letters) else get_column_letter(i + 1)}{number}", v)
                        for i, v in enumerate(row))
        buffer.append(f'<row r="{number}">{cells}</row>')
        if len(buffer) >= 1000:
            sheet.write("".join(buffer).encode())
            buffer.clear()
    sheet.write(("".join(buffer) + "</sheetData></worksheet>").encode())
    return count
