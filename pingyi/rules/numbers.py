"""Exact numbers: points as integer tenths, rounding half up once."""
from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

_NUMBER = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?")  # ASCII digits; longer is never a score


def parse_tenths(text: str) -> int | None:
    """'42.5' → 425; None when the text is not a plain non-negative number with ≤ 1 decimal."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0") if len(frac) > 1 else frac
    if len(frac) > 1:
        return None
    return int(whole) * 10 + (int(frac) if frac else 0)


def decimal_tenths(value: int | Fraction | Decimal | float | str) -> int | None:
    """An exact number (int, Fraction, Decimal, or a float's shortest repr) as tenths,
    None unless it has at most one decimal."""
    f = value if isinstance(value, Fraction) else Fraction(str(value))
    t = f * 10
    return int(t) if t.denominator == 1 else None


def round_half_up(x: Fraction, places: int = 2) -> Decimal:
    """Round a non-negative exact number half up (87.345 → 87.35)."""
    scale: int = 10 ** places
    n: int = math.floor(x * scale + Fraction(1, 2))
    return (Decimal(n) / scale).quantize(Decimal(1).scaleb(-places))


def tenths_str(tenths: int) -> str:
    """425 → '42.5', 400 → '40'."""
    whole, frac = divmod(tenths, 10)
    return f"{whole}.{frac}" if frac else str(whole)


def fmt2(d: Decimal | None) -> str:
    return "" if d is None else f"{d:.2f}"


def json_number(d: Decimal | None) -> float | None:
    """A rounded Decimal as a JSON number with no trailing zeros (87.60 → 87.6)."""
    if d is None:
        return None
    return float(d)
