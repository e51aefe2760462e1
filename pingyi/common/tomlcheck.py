"""Validating the TOML files users write (schemes, policy): parse once, collect
every problem with the key it concerns, refuse the whole file if any."""
from __future__ import annotations

import math
import re
import tomllib
from fractions import Fraction
from typing import Any

from pingyi.common.errors import InputError

_TOML_WORDS: tuple[tuple[str, str], ...] = (
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot declare", "同一个表或键声明了两次"),
    ("Cannot mutate immutable namespace", "不能给已写完的内联表再加键"),
    ("Cannot redefine namespace", "同一个表声明了两次"),
    ("Duplicate inline table key", "内联表中键重复"),
    ("Escaped character is not a Unicode scalar value", "转义字符无效"),
    ("Expected '=' after a key", "键的后面应有等号「=」"),
    ("Expected ']]'", "[[表数组]] 的声明缺少「]]」"),
    ("Expected ']'", "[表] 的声明缺少「]」"),
    ("Expected newline or end of document", "一行只能写一个「键 = 值」，后面应换行"),
    ("Invalid date or datetime", "日期或时间写法不对"),
    ("Invalid hex value", "十六进制数写法不对"),
    ("Invalid initial character for a key part", "键名的第一个字符不对（中文键名请加引号）"),
    ("Invalid statement", "无法识别的一行"),
    ("Invalid value", "值的写法不对（文字要加英文双引号，数字不加）"),
    ("Unclosed array", "数组缺少「]」"),
    ("Unclosed inline table", "内联表缺少「}」"),
    ("Unescaped '\\' in a string", "字符串中的「\\」要写成「\\\\」"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Found invalid character", "出现了不允许的字符"),
    ("Illegal character", "出现了不允许的字符"),
    ("Expected", "缺少应有的符号"),
)


def toml_error_words(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's English message in Chinese, with the line and column it names."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)", text)
    at = f"第 {where.group(1)} 行第 {where.group(2)} 列：" if where else ""
    if "(at end of document)" in text:
        at = "文件末尾："
    words = next((zh for en, zh in _TOML_WORDS if text.startswith(en)), "格式不对")
    return at + words


def load(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{origin}：TOML 格式错误：{toml_error_words(exc)}") from None


def number(value: object) -> Fraction | None:
    """A TOML int or float as an exact Fraction (0.3 → 3/10); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None   # nan and inf are TOML floats, never a number of points, weight or ratio
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
