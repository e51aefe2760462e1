"""Stored text is data, never markup (DESIGN §11): every screen and dialog,
filled with hostile names, titles and reasons, renders at 80×24 and 160×50
without a crash and shows the text as it was typed.

The data set is built through the services (markup-like text is legitimate
input) and then, for what input validation now refuses (right-to-left
overrides, over-long names), written straight into the rows, as an old
database or another tool could have left them."""
from __future__ import annotations

import pytest

from tests.conftest import make_admin
from tests.helpers import write
from tests.ui_support import make

UNBALANCED = "[b]标题[/b]闭合[/]"
CLOSER = "闭合[/]"
CLICK = "[@click=app.quit]退出[/]"
RTL = "\u202e右到左\u202c名字"
LONG = "很长的名字" * 60
HOSTILE = (UNBALANCED, CLOSER, CLICK)

SCHEME = f"""name = "{UNBALANCED}"
kind = "shuangding"
[[indicator]]
key = "perf"
name = "评绩[/]"
max = 50
[[indicator]]
key = "clean"
name = "[red]评廉"
max = 50
[grades]
"好" = 1.0
"差" = 0.5
[[group]]
key = "masses"
name = "{CLOSER}"
weight = 0.6
[[group]]
key = "npc"
name = "{CLICK}"
weight = 0.4
[rules]
trim = 0
bottom_n = 1
streak = 2
"""

ROSTER = f"""编号,姓名,单位,职务,类别,分管领导
H01,{CLOSER},{UNBALANCED},{CLICK},大会,[/]分管
H02,王伟,[b,职务[/],大会,副局长
H03,李娜,正常单位,股长,大会,副局长
"""


def _ballots(tmp, name: str, low: str) -> object:
    rows = [f"S{i},masses,{p},{45 if p != low else 10},{45 if p != low else 10}"
            for i in range(1, 4) for p in ("H01", "H02", "H03")]
    return write(tmp, name, "ballot,group,person,perf,clean\n" + "\n".join(rows) + "\n")


def build_hostile(actor, tmp) -> dict[str, str]:
    """Two closed rounds (H01 last twice: a streak proposal), a draft warning,
    a ledger entry, an open room with codes; returns ids and one code."""
    from pingyi.db import models as m
    from pingyi.db.connection import session, transaction

    from pingyi.desk import alerts, ledger
    from pingyi.people import roster
    from pingyi.proposals import list_proposals
    from pingyi.voting import ballots, rooms, schemes

    roster.import_roster(actor, write(tmp, "roster.csv", ROSTER))
    scheme = schemes.import_scheme(actor, write(tmp, "scheme.toml", SCHEME))
    for n in (1, 2):
        rooms.create_room(actor, scheme, f"{UNBALANCED}{n}", f"HR{n}", series=CLICK, round=n)
        rooms.open_room(actor, f"HR{n}")
        ballots.import_csv(actor, f"HR{n}", _ballots(tmp, f"b{n}.csv", "H01"))
        rooms.close_room(actor, f"HR{n}")
    rooms.create_room(actor, scheme, CLICK, "HOPEN", quotas={"masses": 3, "npc": 1})
    rooms.open_room(actor, "HOPEN")
    code = rooms.issue_codes(actor, "HOPEN")[0][1]
    ledger.deduct(actor, "H01", "2", reason=UNBALANCED, source=CLOSER)
    proposal = list_proposals()[0]
    alerts.draft(actor, proposal=proposal.id, reason=CLICK, recipient=CLOSER)
    alerts.draft(actor, target="H02", level="blue", reason=UNBALANCED, recipient=CLICK)
    with session(), transaction():
        # what input checks refuse today, as an older database may hold it
        m.Person.update(name=LONG).where(m.Person.code == "H02").execute()
        m.Person.update(post=RTL).where(m.Person.code == "H03").execute()
    return {"code": code}


def visible_text(screen) -> str:
    """What the screen's widgets hold as plain text: cells, statics, labels, options."""
    from textual.widgets import DataTable, Label, OptionList, Static

    parts: list[str] = []
    for w in screen.query("*"):
        if isinstance(w, DataTable):
            for i in range(w.row_count):
                parts.extend(getattr(c, "plain", str(c)) for c in w.get_row_at(i))
        elif isinstance(w, (Static, Label)):
            parts.append(str(w.render()))
        elif isinstance(w, OptionList):
            parts.extend(str(getattr(o.prompt, "plain", o.prompt)) for o in w.options)
        if w.border_title:
            parts.append(w.border_title)
    return "\n".join(parts)


async def assert_literal(pilot, *expected: str, timeout: float | None = None) -> None:
    """Wait (on the condition, not a clock) until the screen shows every string as typed."""
    import time

    from pingyi.screens.work import TEST_WAIT, settle

    end = time.monotonic() + (TEST_WAIT if timeout is None else timeout)
    while True:
        await settle(pilot)
        text = visible_text(pilot.app.screen)
        missing = [e for e in expected if e not in text]
        if not missing:
            return
        assert time.monotonic() < end, f"{missing!r} not shown literally on {pilot.app.screen.__class__.__name__}"
        await pilot.pause(0.05)


SIZES = [(80, 24), (160, 50)]


@pytest.fixture
def admin_ui(sqlite_db):
    return make_admin()


@pytest.fixture
def hostile(admin_ui, tmp_path):
    return build_hostile(admin_ui, tmp_path)


@pytest.mark.parametrize("size", SIZES)
async def test_every_screen_shows_hostile_text_literally(sqlite_db, admin_ui, hostile, size):
    from pingyi.screens.desk.screen import DeskScreen
    from pingyi.screens.paper import PaperScreen
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.room import RoomScreen
    from pingyi.screens.rooms import CreateRoomScreen
    from pingyi.screens.work import settle

    app = make(sqlite_db, actor=admin_ui)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await assert_literal(pilot, UNBALANCED + "1", CLICK)        # home: room titles
        for key, expected in [("m", (UNBALANCED + "1", UNBALANCED)), ("r", HOSTILE), ("s", (UNBALANCED,)),
                              ("w", (CLICK, UNBALANCED, CLOSER)), ("x", ()), ("a", ()), ("u", ("admin",))]:
            app.go(key)
            await settle(pilot)
            await pilot.pause()
            await assert_literal(pilot, *expected)
            if key == "w":
                for tab in "2345":
                    await pilot.press(tab)
                    await settle(pilot)
                assert isinstance(app.screen, DeskScreen)
        app.go("h")
        for screen, expected in [(RoomScreen("HOPEN", actor=admin_ui), (CLICK, CLOSER)),
                                 (RoomScreen("HR2", actor=admin_ui), (UNBALANCED + "2",)),
                                 (ResultsScreen("HR2"), (UNBALANCED + "2", CLOSER)),
                                 (ResultsScreen("HOPEN"), (CLICK,)),    # not closed: the turnout-only header
                                 (PaperScreen("HOPEN", actor=admin_ui), (CLOSER,)),
                                 (CreateRoomScreen(admin_ui), ())]:
            app.push_screen(screen)
            await settle(pilot)
            await pilot.pause()
            await assert_literal(pilot, *expected)
            if isinstance(screen, ResultsScreen):
                await pilot.press("h")            # one person's history across the series
                await settle(pilot)
            app.pop_screen()
            await settle(pilot)
        app.notify(f"{UNBALANCED}{CLICK}", title=CLOSER)
        await pilot.pause()


async def test_results_header_of_an_unclosed_room_is_literal(sqlite_db, admin_ui, hostile):
    """Rich's escape() is not Textual's markup: a backslash before a bracket came out doubled."""
    from pingyi.screens.results import ResultsScreen
    from pingyi.screens.work import settle

    from pingyi.voting import rooms

    title = "反斜杠\\[b]标题\\"
    rooms.create_room(admin_ui, UNBALANCED, title, "HBS")
    app = make(sqlite_db, actor=admin_ui)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ResultsScreen("HBS"))
        await assert_literal(pilot, title)
        assert str(app.screen.query_one("#results-head").render()).startswith(title + "  ")


@pytest.mark.parametrize("size", SIZES)
async def test_dialogs_show_hostile_text_literally(sqlite_db, admin_ui, hostile, size):
    from pingyi.screens.desk.draft_form import DraftForm
    from pingyi.screens.desk.talk_form import TalkForm
    from pingyi.screens.dialogs import Ask, Confirm, EditQuotas, PickPersons, Problems
    from pingyi.screens.work import settle

    from pingyi.desk.talks import TalkInfo
    from pingyi.proposals import list_proposals

    proposal = list_proposals(status=None)[0]
    talk = TalkInfo(**{**dict.fromkeys(TalkInfo.__dataclass_fields__),
                       "name": CLOSER, "unit": UNBALANCED, "reason": CLICK, "year": 2026})
    dialogs = [(Confirm(UNBALANCED, f"{CLOSER}\n{CLICK}"), (UNBALANCED, CLOSER, CLICK)),
               (Ask(CLOSER, CLICK, value=UNBALANCED), (CLOSER, CLICK)),
               (PickPersons(), (f"H01  {CLOSER}  {UNBALANCED}  {CLICK}",)),
               (EditQuotas([("masses", CLOSER, 1, 0), ("npc", CLICK, 2, 3)]), (CLOSER, CLICK)),
               (Problems(f"选票未导入：{CLICK}.csv", UNBALANCED), (f"选票未导入：{CLICK}.csv", UNBALANCED)),
               (DraftForm(admin_ui, proposal), (proposal.reason,)),
               (TalkForm(talk, "2026-11-26"), (CLOSER, CLICK))]
    app = make(sqlite_db, actor=admin_ui)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for dialog, expected in dialogs:
            app.push_screen(dialog)
            await settle(pilot)
            await pilot.pause()
            await assert_literal(pilot, *expected)
            app.pop_screen()
            await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_kiosk_shows_hostile_text_literally(sqlite_db, admin_ui, hostile, size):
    from pingyi.screens.kiosk.app import KioskApp
    from pingyi.screens.work import settle

    app = KioskApp("HOPEN")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await assert_literal(pilot, CLICK)
        app.screen.query_one("#code").value = hostile["code"]
        await pilot.press("enter")
        await settle(pilot)
        await assert_literal(pilot, CLOSER, UNBALANCED)
        assert app.is_running


def test_literal_helpers_never_parse_markup():
    from pingyi.screens.audit import verify_text
    from pingyi.screens.text import literal, literal_cells, styled

    for s in (*HOSTILE, RTL, "a\\", "[", "]"):
        assert literal(s).plain == s
        assert literal_cells([s, 3])[0].plain == s
        assert styled("[b]$v[/b]：$v", v=s).plain == f"{s}：{s}"
        assert f"· {s}" in verify_text([s]).plain and s in verify_text([], head=s).plain   # findings quote rows
    assert literal(None).plain == ""


BOLD = "[bold red]x[/]"
LINK = "[link=https://example.com/evil]点我[/link]"
FORMULA = "=cmd|' /C calc'!A0"
LONG_CJK = "很长的整改情况说明" * 40
CONTROL = "整改\x1b[31m完毕\x07"


def _refusal(screen) -> str:
    return str(screen.query_one("#dialog-error").render())


@pytest.mark.parametrize("size", SIZES)
async def test_desk_forms_and_help_show_hostile_text_literally(sqlite_db, admin_ui, hostile, size):
    """The ledger deduction, feedback and integrity forms, the target picker and the help screen
    show stored or configured text as it is (policy items, grades, a warning number, roster names)."""
    from pingyi.screens.desk.forms import DeductForm, FeedbackForm, IntegrityForm, PickTarget
    from pingyi.screens.help import HelpScreen
    from pingyi.screens.work import settle

    app = make(sqlite_db, actor=admin_ui)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for dialog, expected in [
            (DeductForm(admin_ui, {BOLD: 20, LINK: 10, FORMULA: 5}), (BOLD, LINK, FORMULA)),
            (FeedbackForm(admin_ui, 1, f"{BOLD}{LINK}"), (f"{BOLD}{LINK}",)),
            (IntegrityForm(admin_ui, 2026, [BOLD, LINK, UNBALANCED], "H01", CLOSER), (CLOSER,)),
            (PickTarget(), (f"{CLOSER}  {UNBALANCED}  {CLICK}", f"单位：{UNBALANCED}")),
            (HelpScreen(BOLD, LINK, [(FORMULA, LONG_CJK), (CLOSER, CLICK)]), (BOLD, LINK, FORMULA, CLOSER, CLICK)),
        ]:
            app.push_screen(dialog)
            await settle(pilot)
            await pilot.pause()
            await assert_literal(pilot, *expected)
            if isinstance(dialog, IntegrityForm):
                for grade in (BOLD, LINK, UNBALANCED):          # the chosen grade as the Select shows it
                    dialog.query_one("#i-grade").value = grade
                    await assert_literal(pilot, grade)
            app.pop_screen()
            await settle(pilot)
        app.go("w")                                               # F1 over the desk with hostile rows
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_desk_forms_submit_hostile_text_as_typed(sqlite_db, admin_ui, hostile, size):
    """Markup, a spreadsheet formula and long CJK text go in as typed and come back as typed;
    a control character is refused inside the form (no crash, no toast-and-close, the input kept)."""
    from pingyi.screens.desk.forms import DeductForm, FeedbackForm, IntegrityForm, TargetField
    from pingyi.screens.work import settle

    from pingyi.desk import alerts, integrity, ledger
    from pingyi.people import accounts
    from tests.conftest import PASSWORD

    li = accounts.add_user(admin_ui, "li", "commission", PASSWORD)
    draft = next(a for a in alerts.list_alerts() if a.target == "H02")
    issued = alerts.approve(li, draft.id)
    results: list[object] = []
    app = make(sqlite_db, actor=admin_ui)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)

        async def submit(form, **values):
            for wid, value in values.items():
                form.query_one(f"#{wid}").value = value
            await pilot.click("#ok")
            await settle(pilot)

        form = DeductForm(admin_ui, {BOLD: 20})
        app.push_screen(form, results.append)
        await settle(pilot)
        field = form.query_one(TargetField)
        field.value = "H02"
        await submit(form, **{"k-points": "1", "k-reason": CONTROL, "k-source": FORMULA})
        assert app.screen is form and "U+001B" in _refusal(form)              # refused inside, quoted safely
        assert form.query_one("#k-reason").value == CONTROL
        await assert_literal(pilot, "U+001B")
        await submit(form, **{"k-points": BOLD, "k-reason": f"{LINK}{LONG_CJK}"})
        assert app.screen is form                                            # not a number nor a policy item
        await assert_literal(pilot, f"：{BOLD}（")                           # the refusal quotes it as typed
        assert form.query_one("#k-reason").value == f"{LINK}{LONG_CJK}"
        await submit(form, **{"k-points": "2"})
        assert app.screen is not form, _refusal(form)

        form = FeedbackForm(admin_ui, issued.id, issued.number)
        app.push_screen(form, results.append)
        await settle(pilot)
        await submit(form, **{"fb-text": f"{BOLD}{FORMULA}{LONG_CJK}"})
        assert app.screen is not form, _refusal(form)

        form = IntegrityForm(admin_ui, 2026, ["称职"], "H01", CLOSER)
        app.push_screen(form, results.append)
        await settle(pilot)
        await submit(form, **{"i-veto": LINK})
        assert app.screen is not form, _refusal(form)

        app.go("w")                                 # the desk shows what was typed, as typed
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await assert_literal(pilot, f"{BOLD}{FORMULA}{LONG_CJK}")
        await pilot.press("4")
        await settle(pilot)
        app.screen.query_one("#ledger").move_cursor(row=0)
        await settle(pilot)
    (entry,) = [e for e in ledger.entries("H02")]
    assert (entry.reason, entry.source, entry.points) == (f"{LINK}{LONG_CJK}", FORMULA, 20)
    assert alerts.get(issued.id).feedback[-1].text == f"{BOLD}{FORMULA}{LONG_CJK}"
    assert integrity.get_inputs("H01", 2026).veto == LINK
    assert len(results) == 3 and all(results)
