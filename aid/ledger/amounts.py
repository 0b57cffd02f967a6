"""Money as people type it and as the books keep it: integer cents, shown with Babel.

Typed amounts accept digits of any script, an optional currency sign and spaces. The decimal
separator is "." or ","; a "," followed by exactly three digits groups thousands (1,250 is
one thousand two hundred and fifty), and where both appear the last one is the decimal point
(1.250,75 and 1,250.75 alike). More than two decimals, a minus sign (unless allowed), letters
or nothing at all are refused, never guessed at.
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask import current_app
from flask_babel import format_currency, gettext

from aid.crypto import normalize_digits

MAX_CENTS = 10**13  # a hundred billion: anything larger is a typo

_SIGNS = "$€£¥₹₱₩₽"
_SPACES = " \u00a0\u202f\u2009"


class AmountError(ValueError):
    """Why a typed amount is refused: 'empty', 'format', 'decimals', 'negative', 'zero',
    'large'."""


def parse_cents(text: str | None, allow_negative: bool = False, allow_zero: bool = False) -> int:
    """'12.50', '12,50', '١٢٫٥٠', '$1,250.00' -> cents; refuse anything doubtful."""
    s = normalize_digits(text or "").strip()
    s = s.replace("\u066b", ".").replace("\u066c", ",")  # Arabic decimal and group marks
    for ch in _SIGNS + _SPACES:
        s = s.replace(ch, "")
    if not s:
        raise AmountError("empty")
    negative = s[0] in "-\u2212" or (s.startswith("(") and s.endswith(")"))
    s = s.strip("()").lstrip("+-\u2212")
    if not re.fullmatch(r"[0-9.,]+", s) or not re.search(r"\d", s):
        raise AmountError("format")
    last = max(s.rfind("."), s.rfind(","))
    if last >= 0 and s[last] == "," and "." not in s and re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        whole, frac = s.replace(",", ""), ""  # 1,250: thousands
    elif last >= 0:
        whole, frac = s[:last], s[last + 1:]
        if not re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d*", whole) or "," in whole and "." in whole:
            raise AmountError("format")
        whole = whole.replace(",", "").replace(".", "")
    else:
        whole, frac = s, ""
    if len(frac) > 2:
        raise AmountError("decimals")
    if not frac.isdigit() and frac:
        raise AmountError("format")
    cents = int(whole or "0") * 100 + int((frac + "00")[:2])
    if negative and cents and not allow_negative:
        raise AmountError("negative")
    if cents == 0 and not allow_zero:
        raise AmountError("zero")
    if cents >= MAX_CENTS:
        raise AmountError("large")
    return -cents if negative else cents


def amount_message(reason: str) -> str:
    """A typed or imported amount's refusal, in the treasurer's words."""
    return {"decimals": gettext("Use at most two decimals, for example 12.50."),
            "negative": gettext("Enter the amount without a minus sign."),
            "zero": gettext("Enter an amount greater than zero."),
            "large": gettext("That amount is too large."),
            }.get(reason, gettext("Enter an amount in numbers, for example 12.50."))


def currency() -> str:
    """The group's currency (AID_CURRENCY, USD by default)."""
    return current_app.config.get("AID_CURRENCY") or "USD"


def money(cents: int, code: str | None = None) -> str:
    """Cents as the viewer's locale writes money: $1,250.00, 1.250,00 US$, ١٬٢٥٠٫٠٠ US$."""
    return format_currency(Decimal(cents) / 100, code or currency())


def plain(cents: int) -> str:
    """Cents for a CSV file: 1250.00, -3.05 (a point, no grouping, whatever the locale)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
