"""The shipped example scheme: commented, imports as is, from the CLI and from the
TUI editor; editor problems name the key and keep the text."""
from __future__ import annotations

import re

import pytest

from tests.ui_support import make, ui_admin  # noqa: F401


def test_example_imports_as_is_and_comments_every_key(admin, tmp_path):
    from pingyi.voting import schemes

    text = schemes.example_text()
    spec = schemes.parse(text, "示例")
    assert spec.kind == "shuangding" and sum(i.max for i in spec.indicators) == 1000
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(r'^\s*("[^"]+"|[a-z_]+)\s*=', line):
            assert "#" in line and re.search(r"#.*[\u4e00-\u9fff]", line), f"第 {n} 行没有中文注释：{line}"
    path = tmp_path / "ex.toml"
    path.write_text(text, encoding="utf-8")
    assert schemes.import_scheme(admin, path) == spec.name
    assert schemes.get(spec.name).source == text


def test_cli_example_imports_and_refuses_overwrite(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pingyi.cli import cli

    db = tmp_path / "c.db"
    monkeypatch.setenv("PINGYI_PASSWORD", "correct horse")
    run = CliRunner()
    assert run.invoke(cli, ["--db", str(db), "init", "--admin", "boss"]).exit_code == 0
    out = run.invoke(cli, ["scheme", "example"])
    assert out.exit_code == 0 and out.output.startswith("# pingyi 测评方案示例")
    target = tmp_path / "我的方案.toml"
    assert run.invoke(cli, ["scheme", "example", "--out", str(target)]).exit_code == 0
    again = run.invoke(cli, ["scheme", "example", "--out", str(target)])
    assert again.exit_code != 0 and "--force" in again.output
    assert run.invoke(cli, ["scheme", "example", "--out", str(target), "--force"]).exit_code == 0
    done = run.invoke(cli, ["--db", str(db), "--user", "boss", "scheme", "import", str(target)])
    assert done.exit_code == 0, done.output
    assert done.output.strip().splitlines()[-1] == "示例-双定双评"
    assert "pingyi scheme example" in run.invoke(cli, ["scheme", "import", "--help"]).output


@pytest.mark.parametrize("bad, words", [
    ('max = 50              # 满分', "第 "),          # a TOML syntax error, in Chinese with its line
])
def test_toml_errors_in_chinese(bad, words):
    from pingyi.common.errors import InputError
    from pingyi.voting import schemes

    text = schemes.example_text().replace('name = "评绩"', 'name = 评绩', 1)
    with pytest.raises(InputError) as err:
        schemes.parse(text, "f.toml")
    assert words in err.value.message and "Invalid" not in err.value.message
    assert re.search(r"第 \d+ 行", err.value.message)


async def test_tui_new_scheme_from_example(sqlite_db, ui_admin):
    from pingyi.screens.scheme_editor import SchemeEditor
    from pingyi.screens.schemes import SchemesScreen
    from pingyi.screens.work import settle
    from textual.widgets import TextArea

    from pingyi.voting.schemes import list_schemes

    app = make(sqlite_db, actor=ui_admin, start="s")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SchemesScreen)
        assert "pingyi scheme example" in str(app.screen.query_one("#scheme-text").render())
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, SchemeEditor)
        area = editor.query_one(TextArea)
        assert area.language == "toml"
        # a wrong value: the problem names the key, the text stays for fixing
        area.text = area.text.replace("max = 50 ", "max = 60 ", 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        message = str(editor.query_one("#scheme-message").render())
        assert "indicator.max" in message and "100" in message
        assert "max = 60" in area.text and list_schemes() == []
        # Escape with unsaved edits asks first
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not editor
        await pilot.press("escape")      # the confirm's safe choice: stay
        await settle(pilot)
        assert app.screen is editor
        area.text = area.text.replace("max = 60 ", "max = 50 ", 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SchemesScreen)
        assert [s.name for s in list_schemes()] == ["示例-双定双评"]
        assert "评绩" in str(app.screen.query_one("#scheme-text").render())


async def test_tui_editor_moves_to_syntax_error_line(sqlite_db, ui_admin):
    from pingyi.screens.scheme_editor import SchemeEditor
    from pingyi.screens.work import settle
    from textual.widgets import TextArea

    app = make(sqlite_db, actor=ui_admin, start="s")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(SchemeEditor('name = "x"\nkind = shuangding\n', actor=app.actor))
        await settle(pilot)
        await pilot.press("ctrl+k")
        await settle(pilot)
        message = str(app.screen.query_one("#scheme-message").render())
        assert "第 2 行" in message
        assert app.screen.query_one(TextArea).cursor_location[0] == 1


async def test_tui_scheme_file_import_and_refusal(sqlite_db, ui_admin, tmp_path):
    """Ctrl+O: a good file imports and is selected; a bad one lists its problems in a panel
    titled with the file's name, and the list stays as it was."""
    from pingyi.screens.dialogs import PickFile, Problems
    from pingyi.screens.schemes import SchemesScreen
    from pingyi.screens.work import settle
    from textual.widgets import OptionList

    from pingyi.voting.schemes import example_text, list_schemes

    good = tmp_path / "好方案.toml"
    good.write_text(example_text(), encoding="utf-8")
    bad = tmp_path / "坏方案.toml"
    bad.write_text(example_text().replace("max = 50 ", "max = 60 ", 1), encoding="utf-8")
    app = make(sqlite_db, actor=ui_admin, start="s")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SchemesScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PickFile)
        app.screen.dismiss(bad)
        await settle(pilot)
        assert isinstance(app.screen, Problems)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "坏方案.toml" in text and "indicator.max" in text
        assert list_schemes() == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("ctrl+o")
        await settle(pilot)
        app.screen.dismiss(good)
        await settle(pilot)
        assert app.screen is screen and [s.name for s in list_schemes()] == ["示例-双定双评"]
        options = screen.query_one("#scheme-list", OptionList)
        assert options.get_option_at_index(options.highlighted).id == "示例-双定双评"
        assert "评绩" in str(screen.query_one("#scheme-text").render())


async def test_tui_editor_problems_break_by_the_chinese_rules(sqlite_db, ui_admin):
    """Textual breaks the problems panel at any space and by cell: at 80 columns the TOML error read
    「…第 1 行第 10」 / 「列：…」. It breaks by the Chinese rules: the place 「第 1 行第 10 列」 stays on one
    line, and no line starts with a closing mark."""
    from pingyi.screens.scheme_editor import SchemeEditor
    from pingyi.screens.work import settle

    from pingyi.common.linebreak import NO_START

    app = make(sqlite_db, actor=ui_admin, start="s")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(SchemeEditor("name   = 评绩\n", actor=app.actor))
        await settle(pilot)
        await pilot.press("ctrl+k")
        await settle(pilot)
        panel = app.screen.query_one("#scheme-message")
        assert str(panel.render()) == ("新方案：TOML 格式错误：第 1 行第 10 列："
                                       "值的写法不对（文字要加英文双引号，数字不加）")
        lines = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
        lines = [line for line in lines if line]
        assert len(lines) == 2, lines          # it wraps at 80 columns
        assert any("第 1 行第 10 列" in line for line in lines), lines
        assert not [line for line in lines if line[0] in NO_START], lines
