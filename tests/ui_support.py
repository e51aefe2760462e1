"""Fixtures and helpers shared by the screen tests (SQLite only: the UI is the
same on PostgreSQL, the services are tested on both elsewhere)."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import load_contract_room, make_admin


@pytest.fixture
def ui_admin(sqlite_db):
    return make_admin()


@pytest.fixture
def ui_contract(ui_admin):
    """The §5 worked example on SQLite, closed as DEMO1."""
    return load_contract_room(ui_admin)


_DEMO_TEMPLATE: dict = {}


@pytest.fixture
def demo_db(tmp_path, tmp_path_factory):
    """A copy of the demo database (built once per test session); returns (url, DemoResult)."""
    from pingyi import demo
    from pingyi.common.store import close_store, open_store

    if "result" not in _DEMO_TEMPLATE:
        base = tmp_path_factory.mktemp("demo-template")
        _DEMO_TEMPLATE["result"] = demo.build(str(base))
        close_store()
    result = _DEMO_TEMPLATE["result"]
    target = tmp_path / "demo.db"
    shutil.copyfile(result.db_path, target)
    url = open_store(str(target))
    yield url, result
    close_store()


def make(url, actor=None, **kw):
    from pingyi.screens.app import make_app

    return make_app(url, actor=actor, **kw)
