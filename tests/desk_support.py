"""Shared setup for the warnings desk tests: roster and two commission users."""
from __future__ import annotations

from tests.conftest import PASSWORD


def people(admin, tmp_path):
    """Import the small roster; return (admin, wang, li): two commission users besides admin."""
    from pingyi.people import accounts, roster
    from tests.helpers import ROSTER, write

    roster.import_roster(admin, write(tmp_path, "roster.csv", ROSTER))
    wang = accounts.add_user(admin, "wang", "commission", PASSWORD)
    li = accounts.add_user(admin, "li", "commission", PASSWORD)
    return admin, wang, li


def approve_many(url: str, user: str, ids: list[int]) -> tuple[list[str], list[str]]:
    """In a worker process: approve the warnings as ``user``; (numbers got, refusals)."""
    from pingyi.db.connection import close_database, open_database

    from pingyi.common.errors import PingyiError
    from pingyi.desk import alerts
    from pingyi.people.accounts import Actor

    open_database(url, migrate=False)
    got, refused = [], []
    try:
        for wid in ids:
            try:
                got.append(alerts.approve(Actor(user, "commission"), wid).number)
            except PingyiError as exc:
                refused.append(exc.message)
    finally:
        close_database()
    return got, refused
