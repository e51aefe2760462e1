"""Opening the database for front ends that must not import db/ (the TUI)."""
from __future__ import annotations


def open_store(url: str | None = None) -> str:
    """Open (and upgrade) the database at ``url`` or the default place; returns the URL used."""
    from pingyi.db.connection import default_url, open_database

    url = url or default_url()
    open_database(url)
    return url


def close_store() -> None:
    from pingyi.db.connection import close_database

    close_database()
