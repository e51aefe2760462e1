"""Every click command an organizer, a commission clerk or an admin uses has a TUI path.

The table maps each command to the screen and the action that does the same through
the same service; the test lists the click commands, so a new command without a TUI
path (or a path that no longer exists) fails here."""
from __future__ import annotations

import importlib

import click

DESK = "pingyi.screens.desk.screen:DeskScreen"
ROOM = "pingyi.screens.room:RoomScreen"

# command -> (screen "module:Class", action or None for a view the screen shows)
PARITY: dict[str, tuple[str, str | None]] = {
    "roster import": ("pingyi.screens.roster:RosterScreen", "import"),
    "roster list": ("pingyi.screens.roster:RosterScreen", None),
    "roster disable": ("pingyi.screens.roster:RosterScreen", "switch"),
    "roster enable": ("pingyi.screens.roster:RosterScreen", "switch"),
    "scheme import": ("pingyi.screens.schemes:SchemesScreen", "import"),
    "scheme example": ("pingyi.screens.schemes:SchemesScreen", "new"),
    "scheme list": ("pingyi.screens.schemes:SchemesScreen", None),
    "scheme show": ("pingyi.screens.schemes:SchemesScreen", None),
    "room create": ("pingyi.screens.rooms:RoomsScreen", "create"),
    "room open": (ROOM, "open"),
    "room close": (ROOM, "close"),
    "room list": ("pingyi.screens.rooms:RoomsScreen", None),
    "room delete": ("pingyi.screens.rooms:RoomsScreen", "delete"),
    "room show": (ROOM, None),
    "room codes": (ROOM, "codes"),
    "ballots import": (ROOM, "import_ballots"),
    "tally": ("pingyi.screens.results:ResultsScreen", "pdf"),
    "series show": ("pingyi.screens.series:SeriesScreen", None),
    "series list": ("pingyi.screens.series:SeriesScreen", None),
    "audit verify": ("pingyi.screens.audit:AuditScreen", "verify"),
    "audit head": ("pingyi.screens.audit:AuditScreen", "verify"),
    "audit log": ("pingyi.screens.audit:AuditScreen", None),
    "backup": ("pingyi.screens.app:PingyiApp", "backup"),
    "warnings proposals": (DESK, None),
    "warnings refresh": (DESK, "overdue"),
    "warnings dismiss": (DESK, "reject"),
    "warnings draft": (DESK, "draft"),
    "warnings edit": (DESK, "edit_deadline"),
    "warnings approve": (DESK, "approve"),
    "warnings notice": (DESK, "notice"),
    "warnings feedback": (DESK, "feedback"),
    "warnings verify": (DESK, "verify"),
    "warnings return": (DESK, "send_back"),
    "warnings close": (DESK, "close"),
    "warnings list": (DESK, None),
    "warnings show": (DESK, None),
    "ledger deduct": (DESK, "deduct"),
    "ledger reverse": (DESK, "reverse"),
    "ledger show": (DESK, None),
    "policy import": ("pingyi.screens.policy:PolicyScreen", "import"),
    "policy organ": ("pingyi.screens.policy:PolicyScreen", "organ"),
    "policy show": ("pingyi.screens.policy:PolicyScreen", None),
    "integrity score": (DESK, "score"),
    "integrity compute": (DESK, "compute"),
    "integrity list": (DESK, None),
    "talks list": (DESK, None),
    "talks record": (DESK, "talk"),
    "talks pdf": (DESK, "talk_pdf"),
    "export year": ("pingyi.screens.export:ExportScreen", "export"),
    "ui": ("pingyi.screens.app:PingyiApp", None),
    "demo": ("pingyi.screens.login:LoginScreen", None),
}

# commands with no TUI path, and why
NOT_IN_TUI: dict[str, str] = {
    "init": "creates the database and its first admin before anyone can sign in",
    "kiosk": "the evaluator terminal is its own locked app",
    "serve": "the browser ballot is a web server",
}
# account management belongs to the accounts screen (another helper's issue)
ACCOUNTS = {"user add", "user passwd", "user list", "user disable", "user enable"}


def _commands() -> set[str]:
    from pingyi.cli import cli

    out: set[str] = set()

    def walk(group: click.Group, prefix: str) -> None:
        for name, sub in group.commands.items():
            if isinstance(sub, click.Group):
                walk(sub, f"{prefix}{name} ")
            else:
                out.add(prefix + name)

    walk(cli, "")
    return out


def test_every_command_has_a_tui_path_or_a_reason():
    commands = _commands()
    missing = commands - set(PARITY) - set(NOT_IN_TUI) - ACCOUNTS
    assert not missing, f"click commands without a TUI path: {sorted(missing)}"
    stale = (set(PARITY) | set(NOT_IN_TUI)) - commands
    assert not stale, f"table rows for commands that no longer exist: {sorted(stale)}"


def test_every_tui_path_exists():
    for command, (target, action) in PARITY.items():
        module, _, name = target.partition(":")
        cls = getattr(importlib.import_module(module), name)
        if action is not None:
            assert callable(getattr(cls, f"action_{action}", None)), f"{command}: {name} has no action {action}"
            keys = [b.action for b in getattr(cls, "BINDINGS", [])]
            palette = name == "PingyiApp"
            assert palette or any(k == action or k.startswith(f"{action}(") for k in keys), \
                f"{command}: no key for {name}.{action}"
