"""Time, in one place so tests can pin "today" (PINGYI_TODAY=YYYY-MM-DD)."""
from __future__ import annotations

import datetime as dt
import os


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def today() -> dt.date:
    pinned = os.environ.get("PINGYI_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def parse_date(text: str, what: str = "日期") -> dt.date:
    from pingyi.common.errors import InputError

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what}格式不对：{text}（应为 YYYY-MM-DD）") from None
