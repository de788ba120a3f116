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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable, Sequence

Parser = Callable[[Any], Any]

_BLANKS = " \t\r\n\u3000\u00a0"
_NUMBER_NOISE = re.compile(r"[,，\s\u3000¥￥$]")  # thousands separators, currency signs


class CellError(Exception):
    """The cell cannot be read: the row becomes an error row with this catalogue sentence."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Noted:
    """A value read leniently (e.g. a malformed price read as 0): imported, but shown in the preview."""

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


def text(max_length: int = 200) -> Parser:
    def parse(value: Any) -> str:
        result = as_text(value)
        if len(result) > max_length:
            raise CellError("import_text_too_long", max=max_length)
        return result
    return parse


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    number = Decimal(_NUMBER_NOISE.sub("", str(value)))
    if not number.is_finite():
        raise InvalidOperation
    return number


def decimal(places: int = 2, max_digits: int = 14, zero_when_invalid: bool = False,
            minimum: Decimal | None = Decimal(0)) -> Parser:
    """A numeric(max_digits, places) value, rounded half-up to ``places``.

    ``zero_when_invalid``: empty or malformed cells are read as 0 and noted (the seed's prices).
    """
    limit = Decimal(10) ** (max_digits - places)
    quantum = Decimal(1).scaleb(-places)

    def parse(value: Any) -> Any:
        if value is None:
            return Noted(Decimal(0).quantize(quantum), "import_empty_read_as_zero") if zero_when_invalid else None
        try:
            number = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
            if abs(number) >= limit or (minimum is not None and number < minimum):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            if zero_when_invalid:
                return Noted(Decimal(0).quantize(quantum), "import_invalid_read_as_zero")
            raise CellError("import_number_invalid") from None
        return number
    return parse


def integer(minimum: int = 0, maximum: int = 2_000_000_000) -> Parser:
    def parse(value: Any) -> int | None:
        if value is None:
            return None
        try:
            number = _to_decimal(value)
        except (InvalidOperation, ValueError):
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
    return parse


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def date_value() -> Parser:
    def parse(value: Any) -> date | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(as_text(value), fmt).date()
            except ValueError:
                continue
        raise CellError("import_date_invalid")
    return parse
