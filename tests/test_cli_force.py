"""Every CLI command that writes a file refuses to overwrite one without --force."""
from __future__ import annotations

import click

OUTPUTS = {"pdf", "xlsx", "out"}


def _commands():
    from pingyi.cli import cli

    def walk(group, prefix):
        for name, sub in group.commands.items():
            if isinstance(sub, click.Group):
                yield from walk(sub, f"{prefix}{name} ")
            else:
                yield prefix + name, sub

    yield from walk(cli, "")


def test_every_file_writing_command_has_force():
    writers = {name: cmd for name, cmd in _commands() if OUTPUTS & {p.name for p in cmd.params}}
    assert {"tally", "room codes", "warnings notice", "talks pdf", "export year", "scheme example"} <= set(writers)
    missing = [name for name, cmd in writers.items() if "force" not in {p.name for p in cmd.params}]
    assert not missing, f"writes a file without --force: {missing}"


def test_tally_pdf_refuses_an_existing_file(sqlite_url, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pingyi.cli import cli
    from tests.conftest import DATA, PASSWORD

    monkeypatch.setenv("PINGYI_DB", sqlite_url)
    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    run = CliRunner()

    def ok(*args):
        out = run.invoke(cli, [str(a) for a in args])
        assert out.exit_code == 0, out.output
        return out

    ok("init", "--admin", "admin")
    ok("roster", "import", DATA / "roster.csv")
    ok("scheme", "import", DATA / "scheme.toml")
    ok("room", "create", "--scheme", "示例双定双评", "--title", "示例", "--id", "DEMO1")
    ok("room", "open", "DEMO1")
    ok("ballots", "import", "DEMO1", DATA / "ballots.csv")
    ok("room", "close", "DEMO1")
    target = tmp_path / "结果.pdf"
    target.write_bytes(b"keep me")
    out = run.invoke(cli, ["tally", "DEMO1", "--pdf", str(target)])
    assert out.exit_code != 0 and "文件已存在" in out.output and "--force" in out.output
    assert target.read_bytes() == b"keep me"
    ok("tally", "DEMO1", "--pdf", str(target), "--force")
    assert target.read_bytes().startswith(b"%PDF")
