"""Validating the TOML files users write (schemes, policy): parse once, collect
every problem with the key it concerns, refuse the whole file if any."""
from __future__ import annotations

import tomllib
from fractions import Fraction

from pingyi.common.errors import InputError


def load(text: str, origin: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{origin}：TOML 格式错误：{exc}") from None


def number(value) -> Fraction | None:
    """A TOML int or float as an exact Fraction (0.3 → 3/10); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Fraction(str(value))


class Problems:
    """Call with (key, what) for each problem; :meth:`check` refuses if there were any."""

    def __init__(self, origin: str):
        self.origin = origin
        self.items: list[str] = []

    def __call__(self, key: str, what: str) -> None:
        self.items.append(f"{self.origin}：{key}：{what}")

    def check(self, what: str) -> None:
        if self.items:
            raise InputError(f"{what}有 {len(self.items)} 处错误，未导入。", self.items)
