"""大写金额: an amount of money written in Chinese capital numerals, as cheques and contracts need it.

    amount_in_words(Decimal("12345.67")) == "人民币壹万贰仟叁佰肆拾伍元陆角柒分"
    amount_in_words(Decimal("100"))      == "人民币壹佰元整"

The rules are those of the People's Bank's 支付结算办法 (正确填写票据和结算凭证的基本规定):

* 整 after 元 or 角 when there are no 分; never after 分.
* One 零 for any run of zeros inside the number; none for trailing zeros of a section.
* A zero 元 digit (or a zero 角 between 元 and 分) is written 零 before the 角/分 that follows
  (壹拾元零伍角整, 壹元零伍分): the rules allow leaving it out, writing it leaves no gap to fill in.
* Tens start with 壹 (壹拾元整, never 拾元整), as banks require.
* Zero is 零元整; a negative amount has 负 after the currency (人民币负壹佰元整).

Nothing is rounded: an amount with more than two decimal places (or not a finite number) is a
``ValueError`` — the printout writes what the document holds, or nothing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SECTION_UNITS = ("仟", "佰", "拾", "")
LIMIT = 10 ** 16  # numeric(18, 2): sixteen digits before the point (up to 玖仟玖佰…万亿)


def amount_in_words(amount: Decimal | int | str, currency: str = "人民币") -> str:
    """The amount in capitals, prefixed by ``currency`` ("" for none)."""
    cents = _cents(amount)
    sign = "负" if cents < 0 else ""
    yuan, rest = divmod(abs(cents), 100)
    jiao, fen = divmod(rest, 10)
    if yuan == 0 and rest == 0:
        return f"{currency}零元整"
    text = _integer(yuan) + "元" if yuan else ""
    if jiao:
        text += ("零" if yuan and yuan % 10 == 0 else "") + DIGITS[jiao] + "角"
    elif yuan and fen:
        text += "零"
    text += DIGITS[fen] + "分" if fen else "整"
    return f"{currency}{sign}{text}"


def _cents(amount: Decimal | int | str) -> int:
    if isinstance(amount, float):
        raise ValueError("amounts are Decimal, never float")
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError) as error:
        raise ValueError(f"not an amount: {amount!r}") from error
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"more than two decimal places: {amount!r}")
    if abs(cents) >= LIMIT * 100:
        raise ValueError(f"too large for 大写金额: {amount!r}")
    return int(cents)


def _integer(n: int) -> str:
    """1 ≤ n < 10**16 in capitals without a unit: 亿 and 万 split it, 零 marks a gap after a split."""
    for size, unit in ((10 ** 8, "亿"), (10 ** 4, "万")):
        if n >= size:
            high, rest = divmod(n, size)
            text = _integer(high) + unit
            if rest:
                text += ("零" if rest < size // 10 else "") + _integer(rest)
            return text
    return _section(n)


def _section(n: int) -> str:
    """1 ≤ n < 10,000: 仟佰拾 and one 零 for inner zeros, trailing zeros silent."""
    text, started, zero = "", False, False
    for digit, unit in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), _SECTION_UNITS):
        if digit == 0:
            zero = started
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + unit
        started = True
    return text
