"""The console script (issue 14): a command line that only starts the app starts
it without click; every other one goes to the click CLI unchanged."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pingyi import launch
from pingyi.launch import UiArgs, ui_args

ROOT = Path(__file__).resolve().parents[1]

FAST = [
    ([], UiArgs(None, None)),
    (["ui"], UiArgs(None, None)),
    (["--db", "a.db"], UiArgs("a.db", None)),
    (["--db=a.db"], UiArgs("a.db", None)),
    (["--db", "postgresql://u@h/d?x=1"], UiArgs("postgresql://u@h/d?x=1", None)),
    (["--user", "zhang"], UiArgs(None, "zhang")),
    (["--user=zhang", "--db", "评议.db"], UiArgs("评议.db", "zhang")),
    (["--db", "a.db", "--user", "zhang", "ui"], UiArgs("a.db", "zhang")),
    (["--db", "ui", "ui"], UiArgs("ui", None)),
    (["--db="], UiArgs("", None)),
]

TO_CLICK = [
    ["--help"], ["-h"], ["--version"], ["ui", "--help"], ["--db", "a.db", "--help"],
    ["--db"], ["--db", "ui"], ["--user"], ["--db", "a.db", "--db", "b.db"], ["--db", "-x"],
    ["--bogus"], ["-d", "a.db"], ["--db", "a\x00.db"], ["room", "list"], ["--db", "a.db", "room", "list"],
    ["ui", "ui"], ["demo"], ["--"], [""],
]


def test_console_script_is_the_launcher():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"pingyi": "pingyi.launch:main"}


@pytest.mark.parametrize(("argv", "expected"), FAST)
def test_app_invocations_take_the_fast_path_with_what_click_would_pass(argv, expected, monkeypatch):
    assert ui_args(argv) == expected
    # click, given the same words, starts the app with the same database and account
    from pingyi.cli import cli

    seen = []
    monkeypatch.setattr(launch, "run_ui", lambda db, user, start=None: seen.append(UiArgs(db, user)) or 0)
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen == [expected]


@pytest.mark.parametrize("argv", TO_CLICK)
def test_everything_else_goes_to_click(argv):
    assert ui_args(argv) is None


def test_fast_path_options_are_the_click_groups():
    from pingyi.cli import cli

    group = {opt: p for p in cli.params for opt in p.opts}
    for opt in launch.UI_OPTIONS:
        assert opt in group and not group[opt].is_flag and group[opt].nargs == 1 and not group[opt].multiple


def test_fast_path_imports_no_click_before_the_app_runs(tmp_path):
    """The app (stopped before it runs) is made without click, peewee or the other screens."""
    code = (
        "import sys, textual.app\n"
        "def run(self, *a, **k):\n"
        "    heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'peewee', 'psycopg2', 'reportlab',"
        " 'openpyxl') or m.startswith(('pingyi.cli', 'pingyi.db.models', 'pingyi.db.connection', 'pingyi.reports',"
        " 'pingyi.desk', 'pingyi.people', 'pingyi.screens.home', 'pingyi.screens.desk')))\n"
        "    print(type(self).__name__, self.db_url, heavy)\n"
        "textual.app.App.run = run\n"
        "from pingyi.launch import main\n"
        f"main(['--db', {str(tmp_path / 'x.db')!r}])\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"PingyiApp {tmp_path / 'x.db'} []"


def _both(argv, capsys):
    """(exit code, stdout, stderr) of the console script and of the click CLI itself."""
    from pingyi.cli import main as cli_main

    out = []
    for entry in (launch.main, cli_main):
        with pytest.raises(SystemExit) as exit_:
            entry(list(argv))
        captured = capsys.readouterr()
        out.append((exit_.value.code, captured.out, captured.err))
    return out


@pytest.mark.parametrize("argv", [["--help"], ["--db", "a.db", "--help"], ["--db"], ["--db", "a.db", "--db"],
                                  ["--bogus"], ["--db", "a\x01.db"], ["ui", "--help"]])
def test_click_path_is_unchanged(argv, capsys):
    (code, out, err), click_said = _both(argv, capsys)
    assert (code, out, err) == click_said
    assert out or err


def test_help_is_clicks(capsys):
    (code, out, _), _ = _both(["--help"], capsys)
    assert code == 0 and "不带子命令运行时打开终端界面" in out and "--db URL" in out


def test_refusals_keep_the_cli_words():
    from pingyi.db.errors import DatabaseError

    from pingyi.common.errors import InputError

    assert launch.failure(InputError("不行", fields=("by",))) == (["错误：不行（--by）"], 2)
    assert launch.failure(DatabaseError("打不开")) == (["错误：打不开"], 4)
    assert launch.failure(KeyboardInterrupt()) == (["已中断。"], 130)
