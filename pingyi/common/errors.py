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


def as_refusal(exc: BaseException) -> PingyiError | None:
    """The last resort before 「意外故障」: a database or driver refusal of what
    input checks should have caught (a constraint, a value the engine cannot
    hold) as a clear Chinese refusal; None for anything else.

    Matched by class name and module so that callers (the CLI's first lines,
    the screens) need not import peewee or a driver."""
    module = type(exc).__module__.split(".")[0]
    name = type(exc).__name__
    if module in ("peewee", "psycopg2", "sqlite3"):
        if name == "IntegrityError":
            return InputError("数据库拒绝了这项修改：与已有记录冲突（编号或名称重复，或引用的记录不存在），未保存。")
        if name == "DataError":
            return InputError("数据库拒绝了这项修改：某个值超出数据库允许的长度或格式，未保存。")
    if isinstance(exc, ValueError) and "NUL" in str(exc):
        return InputError("输入含空字符（NUL），不允许，未保存。")
    return None
