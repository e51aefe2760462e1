"""What the kiosk's screens tell the app (which owns the screen stack): typed, handled with ``@on``."""
from __future__ import annotations

from pingyi.screens.work import Done
from textual.message import Message


class Submitted(Done[str]):
    """The ballot's transaction has committed (its status): only now may the terminal say 已提交."""


class BackToPrompt(Message):
    """Drop the ballot in progress and return to the code prompt, saying ``text``."""

    def __init__(self, text: str = "", kind: str = "error") -> None:
        super().__init__()
        self.text = text
        self.kind = kind
