"""Cell parsers for Excel imports: each turns one cell's value into what the database stores.

A parser is ``parse(value) -> value``.  It receives the cell already normalised (text stripped,
empty text as None, floats as Decimal) and either returns the value, returns ``Noted(value, key)``
when it read the cell leniently (the preview tells the user), or raises ``CellError(key)``.
Messages are catalogue keys; ``{column}`` and ``{value}`` are filled in by the importer.

Money and quantities never pass through float: openpyxl's floats become ``Decimal(str(value))``
(the shortest repr, i.e. what Excel showed) before any parser sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Sequence

from crm_desktop.validators import FieldError, parse_amount, parse_date, to_decimal

Parser = Callable[[Any], Any]

_BLANKS = " \t\r\n\u3000\u00a0"


class CellError(Exception):
    """The cell cannot be read: the row becomes an error row with this catalogue sentence."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Noted:
    """A value read with a warning (an empty price read as 0, rounding): imported, shown in the preview."""

    value: Any
    key: str
    params: dict = field(default_factory=dict)


def normalise(value: Any) -> Any:
    """The cell as parsers see it: text stripped (full-width blanks too), '' → None, float → Decimal."""
    if isinstance(value, str):
        value = value.strip(_BLANKS)
        return value or None
    if isinstance(value, float):
        return Decimal(str(value))  # str() gives the shortest repr: 0.1 stays 0.1
    return value


def as_text(value: Any) -> str:
    """How a cell reads as text (Excel turns codes like 001 into numbers: 1.0 reads as '1')."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits: an 18-digit ID number typed as a number is changed


def text(max_length: int = 200) -> Parser:
    """Text as the user typed it.  A number in a text column is read as text, with a warning when
    Excel has already changed it (more than 15 digits: the ID number 440106199001011234 is stored
    as 440106199001011000); zero-width and control characters are refused."""
    def parse(value: Any) -> Any:
        result = as_text(value)
        if _CONTROL.search(result):
            raise CellError("import_text_control_characters")
        if _INVISIBLE.search(result) and not _INVISIBLE.sub("", result).strip(_BLANKS):
            raise CellError("import_text_invisible")
        if len(result) > max_length:
            raise CellError("import_text_too_long", max=max_length)
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            # a number where text belongs: the spreadsheet may have changed what was typed
            key = "import_number_precision_lost" if _digits(value) > _EXCEL_DIGITS else "import_number_in_text_column"
            return Noted(result, key)
        return result
    parse.is_text = True  # the template formats the column as Text (@)
    return parse


def _digits(value: int | Decimal) -> int:
    """Significant digits as typed: 4.40106199001011E+17 has 18 (Excel kept 15 of them)."""
    number = Decimal(value)
    if number == number.to_integral():
        return len(str(abs(int(number))))
    return len(number.normalize().as_tuple().digits)


def field(clean: Callable[[str], str], max_length: int = 100) -> Parser:
    """A text of one field kind (validators.clean_phone, clean_mobile, …): refused as the validator says."""
    plain = text(max_length)

    def parse(value: Any) -> Any:
        if value is None:
            return None
        typed = plain(value)
        typed = typed.value if isinstance(typed, Noted) else typed
        try:
            return clean(typed)
        except FieldError as error:
            raise CellError(error.key, **error.params) from None
    parse.is_text = True
    return parse


def decimal(places: int = 2, max_digits: int = 14, zero_when_empty: bool = False,
            minimum: Decimal | None = Decimal(0)) -> Parser:
    """A numeric(max_digits, places) value.  8999元, ￥1,000 and full-width digits are read; a cell
    that is not a clean number (约5000, 100-200) is an error, never a zero; more decimals than
    ``places`` are rounded half-up with a warning.  ``zero_when_empty``: an empty cell is 0 (noted)."""
    quantum = Decimal(1).scaleb(-places)

    def parse(value: Any) -> Any:
        if value is None:
            return Noted(Decimal(0).quantize(quantum), "import_empty_read_as_zero") if zero_when_empty else None
        try:
            number, rounded = parse_amount(value, places, max_digits, minimum)
        except FieldError as error:
            raise CellError(error.key, **error.params) from None
        return Noted(number, "import_number_rounded", {"places": places}) if rounded else number
    return parse


def integer(minimum: int = 0, maximum: int = 2_000_000_000) -> Parser:
    def parse(value: Any) -> int | None:
        if value is None:
            return None
        try:
            number = to_decimal(value)
        except FieldError:
            raise CellError("import_integer_invalid") from None
        if number != number.to_integral() or not minimum <= number <= maximum:
            raise CellError("import_integer_invalid")
        return int(number)
    return parse


def yes_no(default: bool = False, yes: Sequence[str] = ("是", "Y", "YES", "TRUE", "1"),
           no: Sequence[str] = ("否", "N", "NO", "FALSE", "0")) -> Parser:
    """是/否; empty means ``default``, anything else also means ``default`` and is noted."""
    def parse(value: Any) -> Any:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        word = as_text(value).upper()
        if word in yes or word in no:
            return word in yes
        return Noted(default, "import_invalid_read_as_default", {"default": "是" if default else "否"})
    return parse


def choice(options: Sequence[str] | Callable[[], Sequence[str]]) -> Parser:
    """One of ``options`` (or of what the callable returns when the row is read)."""
    def parse(value: Any) -> str | None:
        if value is None:
            return None
        allowed = options() if callable(options) else options
        word = as_text(value)
        if word not in allowed:
            raise CellError("import_choice_invalid", choices="、".join(allowed))
        return word
    parse.is_text = True
    return parse


def date_value() -> Parser:
    def parse(value: Any) -> date | None:
        if value is None:
            return None
        try:
            return parse_date(value)
        except FieldError:
            raise CellError("import_date_invalid") from None
    return parse
