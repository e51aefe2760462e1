"""First impressions at 80×24: the demo login lists its accounts and what each may do;
a 纪委 account starts at the desk; F1 and ? list the screen's keys in Chinese; Ctrl+U
switches the account without restarting; one focus rule for confirmations."""
from __future__ import annotations

import pytest

from tests.ui_support import demo_db, make  # noqa: F401

SIZE = (80, 24)


async def test_demo_login_lists_accounts_and_commission_starts_at_desk(demo_db):
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.work import settle
    from textual.widgets import OptionList

    url, result = demo_db
    app = make(url, demo_accounts=result.accounts)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        login = app.screen
        assert isinstance(login, LoginScreen)
        options = login.query_one("#demo-accounts", OptionList)
        text = "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
        for name, password, _ in result.accounts:
            assert name in text and password in text
        assert "预警起草与审批" in text and "管理账号" in text
        assert options.region.right <= SIZE[0] and options.region.bottom <= SIZE[1]
        commission = next(i for i, (_, _, role) in enumerate(result.accounts) if role == "commission")
        options.highlighted = commission
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)


async def test_demo_login_typed_name_is_not_the_highlighted_account(demo_db):
    """The demo list has focus: typing a name goes to 账号 and signs in as that name, not as the
    account highlighted in the list (admin)."""
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.work import settle

    url, result = demo_db
    name, password, _ = next(acc for acc in result.accounts if acc[2] == "commission")
    app = make(url, demo_accounts=result.accounts)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        login = app.screen
        assert isinstance(login, LoginScreen) and login.focused.id == "demo-accounts"
        await pilot.press(*name, "enter")
        await settle(pilot)
        assert app.actor is None and login.query_one("#login-user").value == name
        assert login.focused.id == "login-password"
        await pilot.press(*password, "enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.name == name
        assert isinstance(app.screen, DeskScreen)


async def test_demo_login_name_typed_fast_on_the_list_is_kept_whole(demo_db):
    """Keys that arrive in one burst (a fast typist, a terminal paste) before the focus has moved
    from the demo list to 账号 all land in the field, in order."""
    from pingyi.screens.work import settle
    from textual import events

    url, result = demo_db
    app = make(url, demo_accounts=result.accounts)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        login = app.screen
        for char in "jiwei1":
            app.post_message(events.Key(char, char))
        await settle(pilot)
        assert login.query_one("#login-user").value == "jiwei1"
        assert login.focused.id == "login-user"



async def test_name_tab_password_enter_in_one_burst_signs_in(demo_db):
    """tmux send-keys or a paste delivers 「huiwu⇥password⏎」 at once: Tab must move the focus before
    the password's keys are routed (they went into 账号, and Enter tried 「huiwudemo-…」)."""
    from pingyi.screens.home import HomeScreen
    from pingyi.screens.work import settle
    from textual import events

    url, result = demo_db
    app = make(url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        password = next(pw for name, pw, _ in result.accounts if name == "huiwu")
        for key in ["h", "u", "i", "w", "u", "tab", *password, "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert app.actor is not None and app.actor.name == "huiwu"
        assert isinstance(app.screen, HomeScreen)


async def test_demo_list_name_tab_password_enter_in_one_burst_signs_in(demo_db):
    """The same burst with the demo list focused, as `pingyi demo` opens: the name goes to 账号,
    Tab to 密码, Enter signs in (the password had ended up in 账号)."""
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.work import settle
    from textual import events

    url, result = demo_db
    app = make(url, demo_accounts=result.accounts)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        password = next(pw for name, pw, _ in result.accounts if name == "jiwei2")
        for key in ["j", "i", "w", "e", "i", "2", "tab", *password, "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert app.actor is not None and app.actor.name == "jiwei2"
        assert isinstance(app.screen, DeskScreen)

async def test_organizer_starts_at_home(demo_db):
    from pingyi.screens.home import HomeScreen
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_help_lists_the_screens_keys_in_chinese(demo_db):
    import re

    from pingyi.screens.help import HelpScreen
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"), start="s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "帮助：方案" in text and "新建方案" in text and "导入文件" in text and "切换账号" in text
        assert not re.search(r"\b(Cursor|Scroll|Dismiss|Select|Toggle)\b", text)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        # in a text field ? is a character, not help
        app.go("r")
        await settle(pilot)
        await pilot.press("ctrl+f", "a", "question_mark")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#roster-search").value == "a?"


async def test_switch_user_without_restarting(demo_db):
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.work import settle

    url, result = demo_db
    (a, pa, _), (b, pb, _) = [acc for acc in result.accounts if acc[2] == "commission"][:2]
    app = make(url, user=a, password=pa)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen) and app.actor.name == a
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert app.screen.focused.id == "ok"          # not destructive: the primary choice
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.actor is None
        assert f"{a} 已退出" in str(app.screen.query_one("#login-message").render())
        app.screen.query_one("#login-user").value = b
        app.screen.query_one("#login-password").value = pb
        await pilot.click("#login-go")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen) and app.actor.name == b
        assert f"{b}（" in app.sub_title


async def test_switch_user_is_in_the_palette(demo_db):
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "切换账号" in titles and "帮助：本页按键" in titles


async def test_confirm_focus_rule(demo_db):
    """Destructive confirmations start on 取消, every other one on the confirm button."""
    from pingyi.screens.dialogs import Confirm
    from pingyi.screens.work import settle

    from pingyi.people.accounts import Actor

    url, _ = demo_db
    app = make(url, actor=Actor("huiwu", "organizer"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for danger, focused in ((True, "cancel"), (False, "ok")):
            app.push_screen(Confirm("标题", "内容", danger=danger))
            await settle(pilot)
            assert app.screen.focused.id == focused
            await pilot.press("escape")
            await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_login_lines_never_start_with_a_closing_mark(demo_db, size):
    """Textual wraps Chinese by cell: the demo hint and the login messages break by the Chinese
    rules instead, so no line starts with 「。」「，」「）」… (at 80 and at 160 columns)."""
    from pingyi.screens.login import LoginScreen
    from pingyi.screens.work import settle

    from pingyi.common.linebreak import NO_START

    url, result = demo_db
    sample = result.codes[0][1] if result.codes else "无"
    note = f"进行中的会场：{result.open_room}（未用票码 {len(result.codes)} 张，示例票码：{sample}）"  # as pingyi demo
    app = make(url, demo_accounts=result.accounts, demo_note=note)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        login = app.screen
        assert isinstance(login, LoginScreen)
        hint = str(login.query_one("#demo-box .hint").render())
        assert "或直接输入账号名" in hint and "一人起草预警，一人审批" in hint and note in hint
        for message in ["", "这个数据库还没有账号：请先在命令行运行 pingyi init 创建管理员，或运行 pingyi demo 试用。",
                        "jiwei1 已退出，请以另一个账号登录。", "正在打开数据库，请稍候再试。"]:
            login.show(message)
            await pilot.pause()
            shown = []
            for widget in login.query("Static, OptionList"):
                lines = [widget.render_line(y).text.strip() for y in range(widget.size.height)]
                shown += [line for line in lines if line]
                bad = [line for line in lines if line and line[0] in NO_START]
                assert not bad, (widget.id, lines)
            assert message.replace(" ", "") in "".join(shown).replace(" ", "")   # whole, nothing lost
