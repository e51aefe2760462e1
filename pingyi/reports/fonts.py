"""The Chinese font policy of DESIGN §10.

Embed (subset) a TrueType Chinese font whenever one can be found: the
``PINGYI_FONT`` environment variable first (``path`` or ``path#N`` for the
N-th font of a TrueType collection), then the usual Windows, Linux and macOS
places. Only when none loads do we fall back to reportlab's built-in
``STSong-Light`` CID font, which is not embedded: viewers without Chinese
support files then show blank text or boxes, so the CLI and the TUI say so
once (:func:`fallback_warning`, :func:`warn_once`).

reportlab reads only TrueType outlines; CFF/OTF fonts (Noto CJK, Source Han)
are detected by their header and skipped.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont  # no stubs: Any to mypy

FALLBACK = "STSong-Light"
REGISTERED_NAME = "PingyiCJK"

# (path, subfont index) in order of preference; the first that loads and has Chinese glyphs wins.
CANDIDATES: tuple[tuple[str, int], ...] = (
    # Windows
    (r"C:\Windows\Fonts\simsun.ttc", 0),
    (r"C:\Windows\Fonts\simhei.ttf", 0),
    (r"C:\Windows\Fonts\simfang.ttf", 0),
    (r"C:\Windows\Fonts\msyh.ttc", 0),
    (r"C:\Windows\Fonts\msyh.ttf", 0),
    # Linux (Debian/Ubuntu, Fedora, Arch)
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/TTF/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/TTF/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    # macOS
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
)


@dataclass(frozen=True)
class FontChoice:
    """The font reports use: ``name`` to pass to reportlab styles."""
    name: str
    embedded: bool
    path: str | None = None
    index: int = 0


# 仿宋 for the body of official documents (GB/T 9704: 3号仿宋); the first that loads wins, else the
# report font. Kaiti/Ming collections are the closest free faces on Linux.
OFFICIAL_NAME = "PingyiFangSong"
OFFICIAL_CANDIDATES: tuple[tuple[str, int], ...] = (
    (r"C:\Windows\Fonts\simfang.ttf", 0),
    (r"C:\Windows\Fonts\STFANGSO.TTF", 0),
    ("/Library/Fonts/Microsoft/FangSong.ttf", 0),
    ("/Library/Fonts/simfang.ttf", 0),
    ("/usr/share/fonts/truetype/simfang.ttf", 0),
    ("/usr/share/fonts/truetype/windows/simfang.ttf", 0),
    ("/usr/share/fonts/TTF/simfang.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    ("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/arphic-ukai/ukai.ttc", 0),
    ("/usr/share/fonts/TTF/ukai.ttc", 0),
)

# Characters the STSong-Light fallback has no glyph for (Adobe-GB1 via UniGB-UCS2-H), and what to print.
FALLBACK_SUBSTITUTES = {"\u00b7": "\u30fb", "\u2022": "\u30fb", "\u2027": "\u30fb", "\u2713": "\u221a",
                        "\u2717": "\u00d7", "\u2212": "-"}


_lock = threading.Lock()
_choice: FontChoice | None = None
_official: FontChoice | None = None
_warned = False
_env_rejected: str | None = None
_env_reason: str = ""


def parse_spec(spec: str) -> tuple[str, int]:
    """``path`` or ``path#N`` → (path, subfont index)."""
    path, sep, idx = spec.rpartition("#")
    if sep and idx.isdigit():
        return path, int(idx)
    return spec, 0


def is_truetype(path: str, index: int = 0) -> bool:
    """True for TrueType outlines (``glyf``); False for CFF/OTF and unreadable files."""
    import struct

    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if index >= count:
                    return False
                f.seek(12 + 4 * index)
                f.seek(struct.unpack(">I", f.read(4))[0])
                head = f.read(12)
            if head[:4] == b"OTTO":
                return False
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False
            tables = struct.unpack(">H", head[4:6])[0]
            tags = {f.read(16)[:4] for _ in range(tables)}
            return b"glyf" in tags
    except (OSError, struct.error):
        return False


def candidates() -> list[tuple[str, int]]:
    env = os.environ.get("PINGYI_FONT")
    out = [parse_spec(env)] if env else []
    return out + list(CANDIDATES)


def _load(path: str, index: int, name: str = REGISTERED_NAME) -> TTFont | None:
    """A reportlab TTFont with Chinese glyphs, or None."""
    return _try(path, index, name)[0]


def _try(path: str, index: int, name: str = REGISTERED_NAME) -> tuple[TTFont | None, str]:
    """(TTFont or None, why not in words) for one candidate."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if not Path(path).is_file():
        return None, "文件不存在"
    if not is_truetype(path, index):
        return None, "不是 TrueType 字体（reportlab 不能使用 CFF/OTF 字体，如思源、Noto CJK）"
    try:
        font = TTFont(name, path, subfontIndex=index)
    except (TTFError, OSError, ValueError) as exc:
        return None, f"无法读取（{exc}）"
    if 0x4E2D not in font.face.charToGlyph:  # 中
        return None, "没有中文字形"
    return font, ""


def choose() -> FontChoice:
    """Register and return the report font (once per process; thread-safe)."""
    global _choice, _env_rejected
    with _lock:
        if _choice is not None:
            return _choice
        from reportlab.pdfbase import pdfmetrics

        global _env_reason
        env = os.environ.get("PINGYI_FONT")
        _env_rejected, _env_reason = None, ""
        for i, (path, index) in enumerate(candidates()):
            font, why = _try(path, index)
            if font is not None:
                pdfmetrics.registerFont(font)
                _family(REGISTERED_NAME)
                _choice = FontChoice(REGISTERED_NAME, True, path, index)
                return _choice
            if env and i == 0:
                _env_rejected, _env_reason = env, why
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
        _family(FALLBACK)
        _choice = FontChoice(FALLBACK, False)
        return _choice


def _family(name: str) -> None:
    """One face for every style, so <b>/<i> in Paragraphs map to the same font instead of failing."""
    from reportlab.lib.fonts import addMapping

    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


def official() -> FontChoice:
    """The 仿宋 (or closest) face for official-document bodies; the report font when none is found."""
    global _official
    base = choose()
    with _lock:
        if _official is not None:
            return _official
        from reportlab.pdfbase import pdfmetrics

        env = os.environ.get("PINGYI_FANGSONG")
        for path, index in ([parse_spec(env)] if env else []) + list(OFFICIAL_CANDIDATES):
            font = _load(path, index, OFFICIAL_NAME)
            if font is not None:
                pdfmetrics.registerFont(font)
                _family(OFFICIAL_NAME)
                _official = FontChoice(OFFICIAL_NAME, True, path, index)
                return _official
        _official = base
        return _official


def printable(text: str) -> str:
    """``text`` with the characters the STSong fallback lacks replaced (「·」 → 「・」)."""
    choice = _choice
    if choice is not None and choice.embedded:
        return text
    return "".join(FALLBACK_SUBSTITUTES.get(ch, ch) for ch in text)


def reset() -> None:
    """Forget the choice (tests switch PINGYI_FONT between runs)."""
    global _choice, _official, _warned, _env_rejected, _env_reason
    with _lock:
        _choice, _official, _warned, _env_rejected, _env_reason = None, None, False, None, ""


def fallback_warning() -> str | None:
    """The one-line notice for users when no TrueType Chinese font was found, else None."""
    choice = choose()
    bad = (f"环境变量 PINGYI_FONT 指定的字体不能用：{_env_rejected}（{_env_reason}）。"
           if _env_rejected else "")
    if choice.embedded:
        return f"提示：{bad}PDF 改用 {choice.path}。" if bad else None
    return ("提示：" + bad + "未找到可嵌入的中文 TrueType 字体，PDF 使用内置字体 STSong-Light（未嵌入），"
            "缺少中文字体支持的阅读器可能显示空白或方框。可安装文泉驿字体（fonts-wqy-microhei）"
            "或用环境变量 PINGYI_FONT 指定 .ttf/.ttc 字体文件。")


def warn_once() -> str | None:
    """:func:`fallback_warning` the first time it applies in this process, then None."""
    global _warned
    text = fallback_warning()
    if text is None or _warned:
        return None
    _warned = True
    return text
