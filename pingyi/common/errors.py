"""Errors whose message is for users (Simplified Chinese)."""
from __future__ import annotations


class PingyiError(Exception):
    """A refusal: ``message`` is one line; ``errors`` lists details (e.g. per file line)."""

    exit_code = 1

    def __init__(self, message: str, errors: list[str] | None = None, fields: tuple[str, ...] = ()):
        """``fields`` names the parameters concerned (``reason``, ``by``): the
        message names them in words for every front end; the CLI adds its flags."""
        super().__init__(message)
        self.message = message
        self.errors = list(errors or [])
        self.fields = tuple(fields)

    def __str__(self) -> str:
        return self.message


class NotFound(PingyiError):
    pass


class AuthError(PingyiError):
    exit_code = 3


class InputError(PingyiError):
    """Bad input (a file, a field, a code); nothing was stored."""
    exit_code = 2
