"""Accounts (DESIGN §11): wrong passwords slowed per account with a growing
wait kept in the database (a restart does not reset it; the clock is
injected), every login attempt in the audit log without the password,
disable / enable / passwd / display names, in the services and the CLI."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from tests.conftest import PASSWORD


class Clock:
    def __init__(self) -> None:
        self.t = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += dt.timedelta(seconds=seconds)


def _events(action: str) -> list[dict]:
    import json

    from pingyi.db import models as m
    from pingyi.db.connection import session

    with session():
        return [json.loads(e.detail) | {"actor": e.actor} for e in
                m.AuditEvent.select().where(m.AuditEvent.action == action).order_by(m.AuditEvent.seq)]


def test_wrong_passwords_slow_the_account_down_and_survive_a_restart(db, admin):
    from pingyi.db.connection import close_database, open_database

    from pingyi.common.errors import AuthError
    from pingyi.people import accounts

    accounts.add_user(admin, "zhang", "organizer", PASSWORD)
    clock = Clock()
    waits = []
    for _ in range(6):
        with pytest.raises(AuthError) as refused:
            accounts.authenticate("zhang", "wrong-password", now=clock)
        assert "wrong-password" not in refused.value.message
        waits.append(accounts.wait_after(len(waits) + 1))
        clock.advance(waits[-1])           # wait out each delay: the password is then checked again
    assert waits == [0, 0, 5, 10, 20, 40]
    # still inside the last wait: even the right password is refused, with the time left
    clock.advance(-30)
    with pytest.raises(AuthError, match="错误次数过多，请 30 秒后再试"):
        accounts.authenticate("zhang", PASSWORD, now=clock)
    close_database()                       # a restart keeps the count and the wait
    open_database(db)
    with pytest.raises(AuthError, match="错误次数过多"):
        accounts.authenticate("zhang", PASSWORD, now=clock)
    clock.advance(30)
    assert accounts.authenticate("zhang", PASSWORD, now=clock).name == "zhang"
    assert [a.failed_logins for a in accounts.list_accounts() if a.name == "zhang"] == [0]
    # another account was never slowed by zhang's failures
    assert accounts.authenticate("admin", PASSWORD, now=clock).name == "admin"

    failed = _events("login.failed")
    assert [f["reason"] for f in failed] == ["password"] * 6 + ["wait", "wait"]
    assert {f["user"] for f in failed} == {"zhang"}
    assert [e["user"] for e in _events("login")] == ["zhang", "admin"]
    from pingyi.db import models as m
    from pingyi.db.connection import session

    with session():
        assert not any("wrong-password" in e.detail or PASSWORD in e.detail for e in m.AuditEvent.select())


def test_unknown_names_are_recorded_and_told_the_same(db, admin):
    from pingyi.common.errors import AuthError
    from pingyi.people import accounts

    for name in ("nobody", "x\u202ey", "n" * 500):
        with pytest.raises(AuthError, match="^账号或密码不对。$"):
            accounts.authenticate(name, "whatever")
    assert [e["reason"] for e in _events("login.failed")] == ["unknown"] * 3


def test_disable_enable_and_passwords(db, admin):
    from pingyi.common.errors import AuthError, InputError
    from pingyi.people import accounts

    accounts.add_user(admin, "li", "commission", PASSWORD, display_name="李  四")
    assert accounts.display_names(["li"]) == {"li": "李  四"}
    accounts.set_active(admin, "li", False)
    with pytest.raises(AuthError, match="已停用"):
        accounts.authenticate("li", PASSWORD)
    with pytest.raises(AuthError, match="^账号或密码不对。$"):   # a wrong password tells nothing more
        accounts.authenticate("li", "wrong-password")
    with pytest.raises(InputError, match="自己"):
        accounts.set_active(admin, "admin", False)
    accounts.set_active(admin, "li", True)
    li = accounts.authenticate("li", PASSWORD)
    accounts.set_password(li, "li", "new-pass-456")
    assert accounts.authenticate("li", "new-pass-456").name == "li"
    with pytest.raises(AuthError):
        accounts.set_password(li, "admin", "x" * 12)     # only an admin resets another's password
    with pytest.raises(AuthError):
        accounts.set_active(li, "admin", False)
    with pytest.raises(InputError, match="看不见"):
        accounts.add_user(admin, "wang", "organizer", PASSWORD, display_name="王\u200b五")
    actions = [e["action"] for e in _audit_actions()]
    assert {"user.disable", "user.enable", "user.password"} <= set(actions)


def _audit_actions() -> list[dict]:
    from pingyi.db import models as m
    from pingyi.db.connection import session

    with session():
        return [{"action": e.action} for e in m.AuditEvent.select().order_by(m.AuditEvent.seq)]


def test_user_commands(db_url, monkeypatch):
    from pingyi.cli import cli

    monkeypatch.setenv("PINGYI_DB", db_url)
    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    monkeypatch.setenv("PINGYI_NEW_PASSWORD", "new-pass-789")

    def run(*args: str, ok: bool = True, env: dict | None = None) -> str:
        r = CliRunner().invoke(cli, list(args), env=env)
        assert (r.exit_code == 0) == ok, r.output
        assert "意外故障" not in r.output and "Traceback" not in r.output
        return r.output

    run("init", "--admin", "admin")
    assert "姓名 张三" in run("user", "add", "zhang", "--role", "organizer", "--display-name", "张三")
    assert "张三" in run("user", "list")
    run("user", "disable", "zhang")
    assert "停用" in run("user", "list")
    out = run("tally", "X", ok=False, env={"PINGYI_USER": "zhang", "PINGYI_PASSWORD": "new-pass-789"})
    assert "已停用" in out
    run("user", "enable", "zhang")
    run("user", "passwd", ok=True, env={"PINGYI_USER": "zhang", "PINGYI_PASSWORD": "new-pass-789",
                                        "PINGYI_NEW_PASSWORD": "zhang-pass-1"})
    out = run("user", "passwd", "admin", ok=False, env={"PINGYI_USER": "zhang", "PINGYI_PASSWORD": "zhang-pass-1"})
    assert "无权" in out
    run("user", "passwd", "zhang")                     # an admin resets it
    assert "已停用" not in run("user", "list")
    run("user", "disable", "admin", ok=False)
    run("user", "disable", "nobody", ok=False)


async def test_accounts_screen_adds_disables_and_resets(sqlite_db):
    from pingyi.screens.accounts import AccountsScreen
    from pingyi.screens.work import settle

    from pingyi.people import accounts
    from tests.conftest import make_admin
    from tests.ui_support import make

    admin = make_admin()
    accounts.add_user(admin, "zhao", "organizer", PASSWORD, display_name="[b]赵[/]")
    app = make(sqlite_db, actor=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        table = screen.query_one("#accounts")
        assert [table.get_row_at(i)[:2] for i in range(table.row_count)] == [["admin", ""], ["zhao", "[b]赵[/]"]]
        await pilot.press("n")
        await settle(pilot)
        for wid, text in (("#acc-name", "qian"), ("#acc-display", "钱八"), ("#acc-pass", "qian-pass-1"),
                          ("#acc-pass2", "qian-pass-1")):
            app.screen.query_one(wid).value = text
        await pilot.click("#ok")
        await settle(pilot)
        assert app.screen is screen
        assert ("qian", "钱八", True) in [(a.name, a.display_name, a.active) for a in accounts.list_accounts()]
        screen.query_one("#accounts").move_cursor(row=2)                  # zhao
        await pilot.press("d")
        await settle(pilot)
        await pilot.click("#ok")
        await settle(pilot)
        assert [a.active for a in accounts.list_accounts() if a.name == "zhao"] == [False]
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#np-1").value = "short"
        app.screen.query_one("#np-2").value = "short"
        await pilot.click("#ok")
        await settle(pilot)
        assert "至少 8 个字符" in str(app.screen.query_one("#dialog-error").render())   # the refusal stays
        app.screen.query_one("#np-1").value = "zhao-pass-2"
        app.screen.query_one("#np-2").value = "zhao-pass-2"
        await pilot.click("#ok")
        await settle(pilot)
        assert app.screen is screen
    accounts.set_active(admin, "zhao", True)
    assert accounts.authenticate("zhao", "zhao-pass-2").name == "zhao"


async def test_accounts_screen_is_for_admins_only(sqlite_db):
    from pingyi.screens.work import settle

    from pingyi.people import accounts
    from tests.conftest import make_admin
    from tests.ui_support import make

    admin = make_admin()
    organizer = accounts.add_user(admin, "zhou", "organizer", PASSWORD)
    app = make(sqlite_db, actor=organizer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
