"""The last resort before 「意外故障」: database and driver refusals of input
reach users as clear Chinese lines, in the CLI and on screens (DESIGN §11)."""
from __future__ import annotations

import peewee
import pytest


@pytest.mark.parametrize("exc, words", [
    (peewee.IntegrityError("UNIQUE constraint failed: person.code"), "冲突"),
    (peewee.DataError("value too long for type character varying(64)"), "超出数据库允许的长度"),
    (ValueError("A string literal cannot contain NUL (0x00) characters."), "空字符"),
])
def test_database_refusals_have_words(exc, words):
    from pingyi.screens.work import error_text

    from pingyi.common.errors import InputError, as_refusal

    refusal = as_refusal(exc)
    assert isinstance(refusal, InputError) and words in refusal.message
    assert "意外故障" not in error_text(exc) and words in error_text(exc)


def test_other_faults_stay_faults():
    from pingyi.screens.work import error_text

    from pingyi.common.errors import as_refusal

    assert as_refusal(KeyError("x")) is None
    assert error_text(KeyError("x")).startswith("意外故障")
