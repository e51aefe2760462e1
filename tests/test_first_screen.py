"""The first screen (issue 14): login paints before the database is touched,
which happens in a worker; the modules it needs load without peewee."""
from __future__ import annotations

import subprocess
import sys
import threading

from tests.ui_support import make, ui_admin  # noqa: F401


def test_first_screen_imports_no_database_layer():
    code = ("import sys\nimport pingyi.cli, pingyi.cli.app, pingyi.screens.app, pingyi.screens.login\n"
            "from pingyi.cli.context import Context\nContext(None, None).db_url\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('peewee', 'psycopg2', 'reportlab', 'openpyxl')"
            " or m.startswith(('pingyi.db.connection', 'pingyi.db.models', 'pingyi.reports', 'pingyi.desk'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


async def test_database_opens_in_a_worker_after_the_login_screen(sqlite_url, ui_admin, monkeypatch):
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.work import settle

    from pingyi.common import store

    threads: list[threading.Thread] = []
    real = store.open_store

    def spy(url: str | None = None) -> str:
        threads.append(threading.current_thread())
        return real(url)

    monkeypatch.setattr(store, "open_store", spy)
    app = make(sqlite_url)
    assert not threads  # making the app touches nothing
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await settle(pilot)
        assert app.store_ready
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        assert str(app.screen.query_one("#login-message").render()) == ""  # accounts exist


async def test_unusable_database_leaves_with_a_message(tmp_path):
    from pingyi.screens.work import settle

    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    app = make(str(bad))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 4
