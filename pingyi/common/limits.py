"""One set of input limits for every channel and both backends (DESIGN §11).

SQLite stores a 100,000-character serial or a NUL byte that PostgreSQL then
refuses with a driver error; a right-to-left override or a zero-width space
makes two names look alike. Every text that comes in from a file, a form or a
command goes through :func:`clean` against :data:`LIMITS` before anything is
stored, so the same file is accepted or refused identically by both engines,
with a Chinese line naming where and what. Numbers go through :func:`bounded`.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from pingyi.common.errors import InputError


@dataclass(frozen=True)
class Limit:
    label: str           # what users call the field
    max_len: int         # characters, after normalising
    name: bool = True    # a name (NFKC-normalised, one line); False: free text, newlines allowed


LIMITS: dict[str, Limit] = {
    # roster
    "code": Limit("编号", 32),
    "person_name": Limit("姓名", 50),
    "unit": Limit("单位", 60),
    "post": Limit("职务", 60),
    "category": Limit("类别", 30),
    "supervisor": Limit("分管领导", 60),
    # schemes
    "scheme_name": Limit("方案名称", 60),
    "scheme_key": Limit("键", 32),
    "indicator_name": Limit("指标名称", 30),
    "group_name": Limit("类别名称", 30),
    "grade_label": Limit("等次", 10),
    "description": Limit("说明", 500, name=False),
    # rooms and ballots
    "room_title": Limit("会场名称", 100),
    "room_id": Limit("会场编号", 16),
    "series": Limit("系列", 60),
    "serial": Limit("选票编号", 32),
    "cell": Limit("评分", 16),
    # accounts
    "account": Limit("账号", 32),
    "display_name": Limit("姓名", 30),
    # desk
    "reason": Limit("事由", 500, name=False),
    "recipient": Limit("送达对象", 60),
    "source": Limit("来源", 30),
    "text": Limit("内容", 2000, name=False),
}

MAX_ROUND = 10_000            # rounds of a series
MAX_QUOTA = 100_000           # ballot codes or paper forms per group
MAX_RULE = 1_000              # trim, bottom_n, streak
MAX_WEIGHT = Fraction(1_000)  # a group's weight
MAX_ITEMS = 200               # indicators, groups or grades in one scheme

# Zero-width characters and bidirectional controls: invisible, and used to make
# two different names look the same or to reverse what a line seems to say.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u061c\u180e]")
_CONTROL_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def problem(value: str, field: str) -> tuple[str, str | None]:
    """(normalised value, what is wrong or None)."""
    limit = LIMITS[field]
    if limit.name:
        value = unicodedata.normalize("NFKC", value)
    if (_CONTROL_NAME if limit.name else _CONTROL_TEXT).search(value):
        bad = (_CONTROL_NAME if limit.name else _CONTROL_TEXT).search(value)
        assert bad is not None
        what = "空字符（NUL）" if bad.group() == "\x00" else f"控制字符 U+{ord(bad.group()):04X}"
        return value, f"{limit.label}含{what}，不允许"
    hidden = _INVISIBLE.search(value)
    if hidden:
        return value, f"{limit.label}含看不见的字符 U+{ord(hidden.group()):04X}（零宽或文字方向控制符），不允许"
    value = value.strip()
    if len(value) > limit.max_len:
        return value, f"{limit.label}太长：{len(value)} 个字符，最多 {limit.max_len} 个"
    return value, None


def clean(value: str | None, field: str, where: str = "", param: str | None = None) -> str:
    """``value`` normalised, or an InputError naming ``where`` (file and line, or the field in words);
    ``param`` is the service parameter, which the CLI names as its option."""
    if value is None:
        return ""
    text, wrong = problem(str(value), field)
    if wrong:
        prefix = f"{where}：" if where and where != LIMITS[field].label else ""
        raise InputError(f"{prefix}{wrong}。", fields=(param,) if param else ())
    return text


def clean_optional(value: str | None, field: str, where: str = "", param: str | None = None) -> str | None:
    return None if value is None else clean(value, field, where, param)


def finite(value: object) -> bool:
    """False for NaN and infinities (a TOML float may be either)."""
    return not (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def bounded(value: int, low: int, high: int, label: str) -> int:
    """``value`` within [low, high], else an InputError naming ``label``."""
    if not low <= value <= high:
        raise InputError(f"{label}应在 {low} 到 {high} 之间：{value}")
    return value


def shown(value: str, width: int = 40) -> str:
    """``value`` quoted in a message: control and invisible characters as U+XXXX, cut to ``width``."""
    def mark(m: re.Match[str]) -> str:
        return f"<U+{ord(m.group()):04X}>"

    text = _INVISIBLE.sub(mark, _CONTROL_NAME.sub(mark, value))
    return text if len(text) <= width else text[:width] + f"…（共 {len(value)} 个字符）"
