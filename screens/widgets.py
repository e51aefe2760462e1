"""Small display helpers shared by screens: text bars, histograms, aligned cells."""
from __future__ import annotations

BLOCKS = " ▏▎▍▌▋▊▉█"


def text_bar(value: int, total: int, width: int) -> str:
    """A bar of ``width`` cells filled value/total (eighth-cell resolution, rounded half to even
    in integers: no float between a count and the screen)."""
    if total <= 0 or width <= 0:
        return " " * width
    eighths, rest = divmod(value * width * 8, total)
    if 2 * rest > total or (2 * rest == total and eighths % 2):
        eighths += 1
    full, part = divmod(min(width * 8, eighths), 8)
    return ("█" * full + (BLOCKS[part] if part else "")).ljust(width)


def histogram(values: list[int], lo: int, hi: int, bins: int) -> list[int]:
    """Counts of ``values`` in ``bins`` equal bins over [lo, hi] (hi included in the last), in integer
    arithmetic: give exact numbers in whole units (scores as hundredths), never floats."""
    counts = [0] * bins
    span = (hi - lo) or 1
    for v in values:
        i = (v - lo) * bins // span
        counts[min(bins - 1, max(0, i))] += 1
    return counts


def count_value(text: str, what: str) -> int:
    """A typed whole number (quota, round); InputError in Chinese otherwise."""
    from pingyi.common.errors import InputError

    text = text.strip()
    if not text:
        return 0
    if not text.isdigit():
        raise InputError(f"{what}应为不小于 0 的整数：{text}")
    return int(text)


PAGE = 100  # rows per page in paged tables: a screenful at 160×50 with room to scroll, fast to draw


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE))


def turn_page(page: int, delta: int, total: int) -> int:
    """The page ``delta`` pages away from ``page``, kept within the table."""
    return min(page_count(total) - 1, max(0, page + delta))


def chinese_select_keys() -> None:
    """Textual's Select popup puts 「esc Dismiss menu」 in the footer: the same key, in Chinese, app-wide."""
    from textual.binding import Binding
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "收起列表")]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()
