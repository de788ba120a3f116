"""大写金额: the bank's rules, case by case, and a reader that turns the words back into the number."""

from decimal import Decimal

import pytest

from crm_desktop.printing.capitals import DIGITS, amount_in_words


BANK_RULES = [
    ("12345.67", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("12345", "人民币壹万贰仟叁佰肆拾伍元整"),
    ("0", "人民币零元整"),
    ("0.00", "人民币零元整"),
    ("-0.00", "人民币零元整"),
    ("-100", "人民币负壹佰元整"),
    ("-12345.67", "人民币负壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("0.5", "人民币伍角整"),
    ("0.05", "人民币伍分"),
    ("0.55", "人民币伍角伍分"),
    ("1.05", "人民币壹元零伍分"),
    ("1.50", "人民币壹元伍角整"),
    ("10", "人民币壹拾元整"),
    ("10.50", "人民币壹拾元零伍角整"),
    ("10.05", "人民币壹拾元零伍分"),
    ("15", "人民币壹拾伍元整"),
    ("101", "人民币壹佰零壹元整"),
    ("110", "人民币壹佰壹拾元整"),
    ("1001", "人民币壹仟零壹元整"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
    ("10000", "人民币壹万元整"),
    ("10005", "人民币壹万零伍元整"),
    ("100000", "人民币壹拾万元整"),
    ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
    ("325000", "人民币叁拾贰万伍仟元整"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("100000000", "人民币壹亿元整"),
    ("100000005", "人民币壹亿零伍元整"),
    ("105000000", "人民币壹亿零伍佰万元整"),
    ("110000000", "人民币壹亿壹仟万元整"),
    ("200050000", "人民币贰亿零伍万元整"),
    ("1000000000000", "人民币壹万亿元整"),
    ("9999999999999999.99", "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("12.500", "人民币壹拾贰元伍角整"),
]


def test_the_bank_rules():
    wrong = [(amount, amount_in_words(Decimal(amount)), words) for amount, words in BANK_RULES
             if amount_in_words(Decimal(amount)) != words]
    assert wrong == []


def test_int_and_text_amounts_and_no_currency():
    assert amount_in_words(250) == "人民币贰佰伍拾元整"
    assert amount_in_words("3.2", currency="") == "叁元贰角整"


def test_what_cannot_be_written_faithfully_is_an_error():
    for bad in (Decimal("1.005"), Decimal("NaN"), Decimal("Infinity"), "abc", None, 1.5, Decimal("10000000000000000")):
        with pytest.raises(ValueError):
            amount_in_words(bad)


# -- a reader of capitals, written independently, proves thousands of amounts round-trip ----------
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read_section(text: str) -> int:
    total, digit = 0, 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        else:
            total += digit * _UNITS[ch]
            digit = 0
    return total + digit


def _read_integer(text: str) -> int:
    if "亿" in text:
        high, _, low = text.rpartition("亿")
        return _read_integer(high) * 10 ** 8 + _read_integer(low)
    if "万" in text:
        high, _, low = text.rpartition("万")
        return _read_section(high) * 10 ** 4 + _read_section(low)
    return _read_section(text)


def _read(words: str) -> Decimal:
    assert words.startswith("人民币")
    body = words[3:]
    sign = -1 if body.startswith("负") else 1
    body = body.lstrip("负")
    assert body.endswith("分") != body.endswith("整")
    yuan_text, _, small = body.rpartition("元") if "元" in body else ("", "", body)
    jiao = DIGITS.index(small[small.index("角") - 1]) if "角" in small else 0
    fen = DIGITS.index(small[small.index("分") - 1]) if "分" in small else 0
    return sign * (Decimal(_read_integer(yuan_text)) + Decimal(jiao) / 10 + Decimal(fen) / 100)


def test_thousands_of_amounts_read_back_exactly():
    import random

    rng = random.Random(12)
    for _ in range(5000):
        digits = rng.randint(0, 16)
        cents = rng.randrange(0, 10 ** digits * 100) * rng.choice((1, -1))
        amount = Decimal(cents).scaleb(-2)
        words = amount_in_words(amount)
        assert _read(words) == amount, (amount, words)
        assert "零零" not in words and not words.endswith("零整") and "分整" not in words, words
        assert not words[3:].lstrip("负").startswith("拾"), words
