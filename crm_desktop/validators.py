"""One validator per field kind — phone, mobile, e-mail, postcode, amount, date — for the forms, the
Excel import and (the patterns below, copied into migration 0021) the database's check constraints.

Each ``clean_<kind>(text)`` returns the value as stored or raises ``FieldError(key, **params)``
with a catalogue key.  What people type is normalised first: full-width forms (１３８, ＠, （）) become
ASCII, and common phone punctuation is understood (``(021)58889999`` → ``021-58889999``,
``138-0013-8000`` → ``13800138000``).  The patterns use only syntax that Python's ``re`` and
PostgreSQL's ``~`` read alike; tests/db/test_field_checks.py compares them with the constraints.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PHONE_PATTERN = r"^[+]?[0-9][0-9 -]{5,24}(转[0-9]{1,6})?$"
MOBILE_PATTERN = r"^([+]?86)?1[3-9][0-9]{9}$"  # as typed; stored without the +86
MOBILE_STORED_PATTERN = r"^1[3-9][0-9]{9}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
POSTCODE_PATTERN = r"^[0-9]{6}$"

_PHONE, _MOBILE = re.compile(PHONE_PATTERN), re.compile(MOBILE_PATTERN)
_EMAIL, _POSTCODE = re.compile(EMAIL_PATTERN), re.compile(POSTCODE_PATTERN)
_AREA_IN_PARENS = re.compile(r"^\(([0-9]{3,4})\)\s*")
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x)\s*([0-9]{1,6})$", re.IGNORECASE)
_SERVICE_PREFIXES = ("400", "800", "95", "96", "10", "11", "12")  # national numbers without an area code
_MONEY_NOISE = re.compile(r"[,\s]")  # thousands separators and blanks
_CURRENCY = ("元", "¥", "￥", "RMB", "CNY")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class FieldError(ValueError):
    """The value is not of its kind; ``key`` is the catalogue sentence, ``params`` fill it in."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def ascii_forms(text: str) -> str:
    """Full-width digits, letters and signs as ASCII (NFKC), the ideographic space as a blank."""
    return unicodedata.normalize("NFKC", text).strip()


def clean_phone(text: str) -> str:
    """A landline or fax: digits with - or blanks, an optional + and extension (转 123)."""
    value = ascii_forms(text or "")
    if not value:
        return ""
    value = _AREA_IN_PARENS.sub(r"\1-", value)
    value = _EXTENSION.sub(r"转\1", value).replace(".", "-")
    digits = re.sub(r"[^0-9]", "", value.split("转")[0])
    if _lost_area_zero(value, digits):
        raise FieldError("field_phone_lost_zero", value=text, fixed="0" + digits)
    if not _PHONE.match(value):
        raise FieldError("field_phone_invalid", value=text)
    return value


def _lost_area_zero(value: str, digits: str) -> bool:
    """10 or 11 digits not beginning with 0: an area code whose 0 a spreadsheet dropped (2083334444)."""
    return (not value.startswith("+") and len(digits) in (10, 11) and digits[0] != "0"
            and not _MOBILE.match(digits) and not digits.startswith(_SERVICE_PREFIXES))


def clean_mobile(text: str) -> str:
    """A mainland mobile number: 11 digits from 13…19, blanks, - and a +86 prefix allowed as typed."""
    value = re.sub(r"[\s().-]", "", ascii_forms(text or ""))
    if not value:
        return ""
    if not _MOBILE.match(value):
        raise FieldError("field_mobile_invalid", value=text)
    return value[-11:]


def clean_email(text: str) -> str:
    value = ascii_forms(text or "")
    if value and not _EMAIL.match(value):
        raise FieldError("field_email_invalid", value=text)
    return value


def clean_postcode(text: str) -> str:
    value = ascii_forms(text or "")
    if not value:
        return ""
    if value.isdigit() and len(value) < 6:
        raise FieldError("field_postcode_lost_zero", value=text, fixed=value.zfill(6))
    if not _POSTCODE.match(value):
        raise FieldError("field_postcode_invalid", value=text)
    return value


def parse_amount(value, places: int = 2, max_digits: int = 14, minimum: Decimal | None = Decimal(0)):
    """(Decimal, rounded) for money or a quantity: 8,999元, ￥1,000.5 and full-width digits are read;
    约5000 or 100-200 are not numbers; ``rounded`` says the value had more decimals than ``places``."""
    number = to_decimal(value)
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if minimum is not None and rounded < minimum:
        raise FieldError("field_amount_negative" if minimum == 0 else "field_amount_too_small", minimum=minimum)
    if abs(rounded) >= Decimal(10) ** (max_digits - places):
        raise FieldError("field_amount_too_large", digits=max_digits - places)
    return rounded, rounded != number


def to_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise FieldError("field_amount_invalid")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = ascii_forms(str(value))
    for sign in _CURRENCY:
        text = text.replace(sign, "")
    text = _MONEY_NOISE.sub("", text)
    if not re.fullmatch(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)", text):
        raise FieldError("field_amount_invalid")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise FieldError("field_amount_invalid") from None


def parse_date(value) -> date:
    """A date cell, or text as 2013-03-08, 2013/3/8, 2013.3.8, 2013年3月8日 or 20130308."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = ascii_forms(str(value))
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FieldError("field_date_invalid")
