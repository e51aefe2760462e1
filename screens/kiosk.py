"""The evaluator terminal (DESIGN §6, §9, §11): a locked ballot flow.

Code prompt → rating grid (one row per rated person, one cell per
indicator) → review of exactly what will be sent → submit off the UI thread
→ "已提交" only after the commit returns → the prompt again. The app inherits
no bindings and has no command palette, footer or screen switching; the only
way out is a hidden organizer unlock with an account password (not offered
when served to browsers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from pingyi.throttle import Throttle
from screens.work import call

UNLOCK_KEY = "ctrl+o"
DONE_SECONDS = 4.0
IDLE_SECONDS = 300.0  # a ballot left half-typed goes away before the next evaluator sees it


@dataclass
class Ballot:
    """What one evaluator has typed so far; ``entries()`` is what gets submitted."""

    code: str
    group: str
    persons: Sequence  # PersonInfo
    spec: object  # SchemeSpec
    cells: dict[str, list[str]] = field(default_factory=dict)
    abstain: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        from pingyi.ballots import EntryParser

        self.parser = EntryParser(self.spec)
        for p in self.persons:
            self.cells.setdefault(p.code, [""] * len(self.spec.indicators))

    def row(self, code: str) -> tuple[str, list[int] | None, list[str]]:
        """(state, values in tenths, problems) of one person's row.

        state: 'empty' (nothing typed, counts as abstain), 'abstain',
        'complete', 'partial' (some cells still blank) or 'bad' (a value out
        of range or not a grade).
        """
        if code in self.abstain:
            return "abstain", None, []
        cells = self.cells[code]
        if not any(c.strip() for c in cells):
            return "empty", None, []
        vals, problems = self.parser.entry(cells)
        if not problems:
            return "complete", vals, []
        typed_ok = all(self.parser.value(i, c) is not None for i, c in enumerate(cells) if c.strip())
        return ("partial" if typed_ok else "bad"), None, problems

    def problems(self) -> list[str]:
        out = []
        for p in self.persons:
            state, _, problems = self.row(p.code)
            if state in ("bad", "partial"):
                out.extend(f"{p.name}：{msg}" for msg in problems)
        return out

    def entries(self) -> dict[str, list[str] | None]:
        """The mapping handed to ``ballots.submit``: values as typed, None = abstain."""
        out: dict[str, list[str] | None] = {}
        for p in self.persons:
            state, _, _ = self.row(p.code)
            out[p.code] = list(self.cells[p.code]) if state == "complete" else None
        return out


def points(tenths: int | None) -> str:
    from pingyi.rules.numbers import tenths_str

    return "" if tenths is None else tenths_str(tenths)


def person_cells(n: int, p, unit_only: bool = False) -> list[Text]:
    """序号, 姓名, 单位·职务 as plain text: roster data is never read as markup."""
    where = p.unit if unit_only else " ".join(x for x in (p.unit, p.post) if x)
    return [Text(str(n), justify="right"), Text(p.name), Text(where)]


def cell_text(spec, parser, i: int, text: str) -> Text:
    """A typed cell as shown: a grade with its points, a number, or a flagged error."""
    text = text.strip()
    if not text:
        return Text("·", style="dim")
    value = parser.value(i, text)
    if value is None:
        return Text(f"{text}!", style="bold red")
    if any(label == text for label, _ in spec.grades):
        return Text(f"{text}({points(value)})")
    return Text(text)


def ballot_status(spec, ballot: Ballot) -> tuple[str, str]:
    """(status, words) the ballot will get, so the evaluator is told before submitting."""
    from pingyi.rules.numbers import tenths_str
    from pingyi.rules.tally import classify

    totals = [None if v is None else sum(v) for v in (ballot.row(p.code)[1] for p in ballot.persons)]
    status = classify(spec.rules, totals)
    if status == "blank":
        return status, "全部弃权：本票将记为空白票。"
    if status == "invalid":
        ratio = spec.rules.max_excellent_ratio
        return status, (f"注意：合计 {tenths_str(spec.rules.excellent_at)} 分以上的人数超过已评人数的 "
                        f"{float(ratio) * 100:g}%，按规则本票将记为无效票。可返回修改。")
    return status, "本票有效。"


# ---- screens --------------------------------------------------------------------

class CodeScreen(Screen):
    """The resting state of the terminal: waiting for a ballot code."""

    _last_refusal = ""

    def compose(self) -> ComposeResult:
        with Center(id="code-box"):
            with Vertical(id="code-panel"):
                yield Label("评议投票", id="code-heading")
                yield Static("正在载入会场…", id="room-title", markup=False)
                yield Static("请输入票码条上的票码（10位字母和数字，\n不分大小写，短横线可不输入），然后按回车。",
                             id="code-help")
                yield Input(placeholder="XXXXX-XXXXX", id="code", max_length=13,
                            restrict=r"[A-Za-z0-9 \-]*", disabled=True)
                yield Static("", id="code-msg", markup=False)

    def on_mount(self) -> None:
        self._tick = self.set_interval(0.5, self._refresh_wait, pause=True)
        call(self, _load_room, self.app.room_id, done=self._loaded, failed=self._load_failed, group="load")

    def _loaded(self, loaded) -> None:
        """The room is loaded (once: its persons are frozen while it is open): accept codes."""
        app = self.app
        app.room, app.persons = loaded
        app.title = f"评议投票 · {app.room.title}"
        self.query_one("#room-title", Static).update(f"{app.room.title}（会场 {app.room.id}，{len(app.persons)} 人参评）")
        self._enable()
        if app.room.status != "open":
            self.say({"draft": "会场尚未开启，暂不能投票。", "closed": "会场已结束，不能再投票。"}[app.room.status])

    def _load_failed(self, exc: BaseException) -> None:
        from screens.work import error_text

        self.say(f"无法载入会场 {self.app.room_id}：{error_text(exc)}\n请联系会务人员。")

    def say(self, message: str, kind: str = "error") -> None:
        msg = self.query_one("#code-msg", Static)
        msg.update(message)
        msg.set_classes(kind)

    def _enable(self) -> None:
        box = self.query_one("#code", Input)
        if self.app.throttle.remaining() > 0:
            box.disabled = True
            self._tick.resume()
            self._refresh_wait()
            return
        box.disabled = False
        box.focus()

    def _refresh_wait(self) -> None:
        left = self.app.throttle.remaining()
        if left <= 0:
            self._tick.pause()
            self.say(self._last_refusal, "error")
            self._enable()
            return
        self.say(f"{self._last_refusal}\n票码错误次数较多，请等待 {int(left) + 1} 秒后再输入。", "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from pingyi.ballots import check_code

        typed = event.value.strip()
        if not typed or self.app.room is None:
            return
        if self.app.throttle.remaining() > 0:  # e.g. another session from the same browser address
            self._enable()
            return
        box = self.query_one("#code", Input)
        box.disabled = True
        self.say("正在核对票码…", "info")
        call(self, check_code, self.app.room.id, typed,
             done=lambda group: self._accepted(typed, group), failed=self._refused)

    def _accepted(self, code: str, group: str) -> None:
        self.app.throttle.accepted()
        self._last_refusal = ""
        box = self.query_one("#code", Input)
        box.value = ""
        self.say("")
        box.disabled = False
        self.app.push_screen(RatingScreen(Ballot(code, group, self.app.persons, self.app.room.spec)))

    def _refused(self, exc: BaseException) -> None:
        from pingyi.ballots import CodeRefused
        from screens.work import error_text

        box = self.query_one("#code", Input)
        box.value = ""
        if isinstance(exc, CodeRefused):
            self.app.throttle.refused()
            self._last_refusal = exc.message
        else:
            self._last_refusal = error_text(exc)
        self.say(self._last_refusal)
        self._enable()


class BallotTable(DataTable):
    """The rating grid. The cursor cell takes digits and '.', a grade letter,
    Backspace/Delete; Space marks the row abstain; Enter moves on."""

    def on_key(self, event: events.Key) -> None:
        screen = self.screen
        if isinstance(screen, RatingScreen) and screen.key(event.key, event.character):
            event.stop()
            event.prevent_default()


class RatingScreen(Screen):
    """One row per rated person, one cell per indicator; the draft lives only in memory."""

    def __init__(self, ballot: Ballot):
        super().__init__()
        self.ballot = ballot
        spec = ballot.spec
        self.spec = spec
        self.first_col = 3  # 序号, 姓名, 单位·职务
        self.grade_keys = {chr(ord("a") + i): label for i, (label, _) in enumerate(spec.grades)}
        self._fresh = True
        self._abandon_armed = False
        self._complained = False  # after a refused 下一步, unfinished rows explain themselves too

    def compose(self) -> ComposeResult:
        group = self.spec.group(self.ballot.group)
        with Horizontal(id="rate-top"):
            yield Static(f"{self.app.room.title} · {group.name if group else self.ballot.group}", id="rate-title",
                         markup=False)
            yield Static("", id="progress", markup=False)
        yield Static(self._help(), id="rate-help", markup=False)
        yield BallotTable(id="grid", cursor_type="cell", zebra_stripes=True, fixed_columns=2)
        yield Static("", id="rate-msg", markup=False)
        with Horizontal(id="rate-buttons"):
            yield Button("下一步：核对", id="review", variant="primary")
            yield Button("放弃本票", id="abandon", variant="error")

    def _help(self) -> str:
        ranges = "，".join(f"{i.name}0–{points(i.max)}" for i in self.spec.indicators)
        grades = " ".join(f"{k.upper()}{label}" for k, label in self.grade_keys.items())
        first = f"数字键打分：{ranges}" + (f"；字母键选等次：{grades}" if grades else "")
        return first + "\n空格：本人弃权　回车/方向键：移动　Tab：到按钮　未评的人记为弃权"

    def on_mount(self) -> None:
        table = self.query_one(BallotTable)
        table.add_column("序号", key="n")
        table.add_column("姓名", key="name")
        narrow = self.app.size.width < 72  # a phone: the unit alone, so the scores stay in view
        table.add_column("单位" if narrow else "单位·职务", key="unit")
        for i, ind in enumerate(self.spec.indicators):
            table.add_column(Text(f"{ind.name}(≤{points(ind.max)})"), key=f"i{i}", width=max(9, len(ind.name) * 2 + 6))
        table.add_column("合计", key="total", width=5)
        table.add_column("状态", key="state", width=6)
        for n, p in enumerate(self.ballot.persons, 1):
            table.add_row(*person_cells(n, p, narrow), *self._row_cells(p.code), key=p.code)
        table.move_cursor(row=0, column=self.first_col)
        table.focus()
        self._update_progress()

    # -- model → grid

    def _row_cells(self, code: str) -> list:
        state, vals, _ = self.ballot.row(code)
        if state == "abstain":
            cells = [Text("弃权", style="dim") for _ in self.spec.indicators]
        else:
            cells = [cell_text(self.spec, self.ballot.parser, i, c) for i, c in enumerate(self.ballot.cells[code])]
        total = Text(points(sum(vals)), justify="right") if vals is not None else Text("")
        label = {"empty": Text("未评", style="dim"), "abstain": Text("弃权", style="yellow"),
                 "complete": Text("已评", style="green"), "partial": Text("未填完", style="yellow"),
                 "bad": Text("有误", style="bold red")}[state]
        return [*cells, total, label]

    def _refresh_row(self, code: str) -> None:
        table = self.query_one(BallotTable)
        keys = [f"i{i}" for i in range(len(self.spec.indicators))] + ["total", "state"]
        for key, value in zip(keys, self._row_cells(code)):
            table.update_cell(code, key, value)
        self._update_progress()

    def _update_progress(self) -> None:
        states = [self.ballot.row(p.code)[0] for p in self.ballot.persons]
        done = states.count("complete")
        text = f"已评 {done}/{len(states)}"
        if states.count("abstain"):
            text += f"，弃权 {states.count('abstain')}"
        if states.count("partial"):
            text += f"，未填完 {states.count('partial')}"
        if states.count("bad"):
            text += f"，有误 {states.count('bad')}"
        self.query_one("#progress", Static).update(text)

    def say(self, message: str, kind: str = "error") -> None:
        msg = self.query_one("#rate-msg", Static)
        msg.update(message)
        msg.set_classes(kind)

    # -- keys on the grid

    def _cursor(self) -> tuple[str, int] | None:
        table = self.query_one(BallotTable)
        if table.row_count == 0:
            return None
        row, col = table.cursor_coordinate
        i = col - self.first_col
        if not 0 <= i < len(self.spec.indicators):
            return None
        return self.ballot.persons[row].code, i

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        """Keep the cursor on indicator cells; a fresh cell is overwritten by the first key."""
        last = self.first_col + len(self.spec.indicators) - 1
        col = event.coordinate.column
        if col < self.first_col or col > last:
            self.query_one(BallotTable).move_cursor(column=min(max(col, self.first_col), last))
            return
        self._fresh = True
        self._show_row_problem()

    def _show_row_problem(self) -> None:
        at = self._cursor()
        if at is None:
            return
        state, _, problems = self.ballot.row(at[0])
        if state == "bad" or (state == "partial" and self._complained):
            name = next(p.name for p in self.ballot.persons if p.code == at[0])
            self.say(f"{name}：{problems[0]}")
        else:
            self.say("")

    def key(self, key: str, char: str | None) -> bool:
        """Edit the cursor cell; True when the key was used."""
        at = self._cursor()
        if at is None:
            return False
        code, i = at
        cells = self.ballot.cells[code]
        if key == "space":
            if code in self.ballot.abstain:
                self.ballot.abstain.discard(code)
            else:
                self.ballot.abstain.add(code)
                self.ballot.cells[code] = [""] * len(cells)
            self._refresh_row(code)
            self._show_row_problem()
            return True
        if key == "enter":
            self._advance()
            return True
        if key in ("backspace", "delete"):
            self.ballot.abstain.discard(code)
            cells[i] = "" if key == "delete" or self._fresh else cells[i][:-1]
        elif char and (char.isdigit() or char == "."):
            self.ballot.abstain.discard(code)
            base = "" if self._fresh or not _is_number(cells[i]) else cells[i]
            candidate = base + char
            if not _number_shape(candidate):
                self.say("分数最多一位小数。")
                return True
            cells[i] = candidate
        elif char and char.lower() in self.grade_keys:
            self.ballot.abstain.discard(code)
            cells[i] = self.grade_keys[char.lower()]
        else:
            return False
        self._fresh = False
        self._refresh_row(code)
        self._explain_cell(code, i)
        return True

    def _explain_cell(self, code: str, i: int) -> None:
        text = self.ballot.cells[code][i].strip()
        if text and self.ballot.parser.value(i, text) is None:
            self.say(self.ballot.parser.explain(self.spec.indicators[i], text))
        else:
            self.say("")

    def _advance(self) -> None:
        table = self.query_one(BallotTable)
        row, col = table.cursor_coordinate
        last = self.first_col + len(self.spec.indicators) - 1
        if col < last:
            table.move_cursor(column=col + 1)
        elif row + 1 < table.row_count:
            table.move_cursor(row=row + 1, column=self.first_col)

    # -- buttons

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "review":
            problems = self.ballot.problems()
            if problems:
                self._complained = True
                more = f"（共 {len(problems)} 处）" if len(problems) > 1 else ""
                self.say(f"还有填写不完整或有误的行{more}：{problems[0]}")
                self._goto_first_problem()
                return
            self.app.push_screen(ReviewScreen(self.ballot))
        elif event.button.id == "abandon":
            if self._abandon_armed:
                self.app.back_to_prompt("本票已放弃，票码仍可使用。", "info")
                return
            self._abandon_armed = True
            event.button.label = "再按一次确认放弃"
            self.set_timer(5, self._disarm)

    def _disarm(self) -> None:
        self._abandon_armed = False
        if self.is_mounted:
            self.query_one("#abandon", Button).label = "放弃本票"

    def _goto_first_problem(self) -> None:
        table = self.query_one(BallotTable)
        for n, p in enumerate(self.ballot.persons):
            if self.ballot.row(p.code)[0] in ("bad", "partial"):
                table.move_cursor(row=n, column=self.first_col)
                table.focus()
                return


def _is_number(text: str) -> bool:
    return bool(text) and all(ch.isdigit() or ch == "." for ch in text)


def _number_shape(text: str) -> bool:
    """What a score can look like while typed: up to 3 digits, at most one '.', one decimal."""
    whole, dot, frac = text.partition(".")
    if (whole and not whole.isdigit()) or (frac and not frac.isdigit()):
        return False
    return len(whole) <= 3 and len(frac) <= 1 and bool(whole or dot)


class ReviewScreen(Screen):
    """Shows exactly the mapping that will be submitted; submits it off the UI thread."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def __init__(self, ballot: Ballot):
        super().__init__()
        self.ballot = ballot
        self.entries = ballot.entries()  # the very object handed to submit
        self._sending = False

    def compose(self) -> ComposeResult:
        spec = self.ballot.spec
        rated = sum(1 for v in self.entries.values() if v is not None)
        _, words = ballot_status(spec, self.ballot)
        yield Static(f"请核对：评分 {rated} 人，弃权 {len(self.entries) - rated} 人。{words}", id="review-title",
                     markup=False)
        yield DataTable(id="review-grid", cursor_type="row", zebra_stripes=True)
        yield Static("提交后不能修改。确认无误请按「确认提交」；需要修改请按「返回修改」或 Esc。", id="review-msg",
                     markup=False)
        with Horizontal(id="review-buttons"):
            yield Button("返回修改", id="back")
            yield Button("确认提交", id="submit", variant="success")

    def on_mount(self) -> None:
        spec = self.ballot.spec
        table = self.query_one("#review-grid", DataTable)
        table.add_column("序号")
        table.add_column("姓名")
        table.add_column("单位·职务")
        for ind in spec.indicators:
            table.add_column(Text(ind.name))
        table.add_column("合计")
        parser = self.ballot.parser
        for n, p in enumerate(self.ballot.persons, 1):
            values = self.entries[p.code]
            head = person_cells(n, p)
            if values is None:
                cells = [Text("弃权", style="dim")] * len(spec.indicators) + [Text("")]
            else:
                vals = [parser.value(i, v) for i, v in enumerate(values)]
                cells = [cell_text(spec, parser, i, v) for i, v in enumerate(values)]
                cells.append(Text(points(sum(vals)), justify="right"))
            table.add_row(*head, *cells)
        table.focus()

    def action_back(self) -> None:
        if not self._sending:
            self.app.pop_screen()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "back":
            self.action_back()
        elif event.button.id == "submit" and not self._sending:
            self._send()

    def _send(self) -> None:
        from pingyi.ballots import submit

        self._sending = True
        for b in self.query(Button):
            b.disabled = True
        self._say("正在提交，请稍候…", "info")
        call(self, submit, self.app.room.id, self.ballot.code, self.entries,
             done=lambda status: self.app.submitted(), failed=self._failed, group="submit")

    def _say(self, message: str, kind: str) -> None:
        msg = self.query_one("#review-msg", Static)
        msg.update(message)
        msg.set_classes(kind)

    def _failed(self, exc: BaseException) -> None:
        from pingyi.ballots import CodeRefused
        from pingyi.errors import InputError
        from screens.work import error_text

        self._sending = False
        if isinstance(exc, CodeRefused):
            self.app.back_to_prompt(f"未提交：{exc.message}")
            return
        if isinstance(exc, InputError) and exc.errors:
            self.app.pop_screen()
            self.app.screen.say(f"未提交：{error_text(exc)}")
            return
        for b in self.query(Button):
            b.disabled = False
        self._say(f"提交失败，选票没有记录，请再按「确认提交」重试。\n{error_text(exc)}", "error")


class DoneScreen(Screen):
    """Shown only after the ballot's transaction has committed; any key or a few seconds move on."""

    def compose(self) -> ComposeResult:
        with Center(id="done-box"):
            with Vertical(id="done-panel"):
                yield Label("已提交", id="done-heading")
                yield Static("您的选票已记录，谢谢！\n下一位评议代表请按任意键开始。", id="done-text")

    def on_mount(self) -> None:
        self.set_timer(DONE_SECONDS, self.action_next)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.action_next()

    def action_next(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()


class UnlockScreen(ModalScreen):
    """Organizer unlock: an account password ends the kiosk."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-panel"):
            yield Label("会务人员解锁（退出投票终端）")
            yield Input(placeholder="账号", id="unlock-user")
            yield Input(placeholder="密码", password=True, id="unlock-password")
            yield Static("回车确认，Esc 返回投票。", id="unlock-msg", markup=False)

    def on_mount(self) -> None:
        self.query_one("#unlock-user", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from pingyi.accounts import authenticate

        event.stop()
        if event.input.id == "unlock-user":
            self.query_one("#unlock-password", Input).focus()
            return
        throttle = self.app.unlock_throttle
        if throttle.remaining() > 0:
            self._say(f"请等待 {int(throttle.remaining()) + 1} 秒后再试。")
            return
        name = self.query_one("#unlock-user", Input).value.strip()
        password = event.value
        event.input.value = ""
        call(self, authenticate, name, password, done=self._signed_in, failed=self._refused)

    def _say(self, text: str) -> None:
        self.query_one("#unlock-msg", Static).update(text)

    def _signed_in(self, actor) -> None:
        if not actor.can("organizer"):
            self._say(f"账号 {actor.name} 不是会务人员账号，不能解锁。")
            return
        self.app.unlock_throttle.accepted()
        self.dismiss(actor)

    def _refused(self, exc: BaseException) -> None:
        from screens.work import error_text

        self.app.unlock_throttle.refused()
        self._say(error_text(exc))


# ---- the app --------------------------------------------------------------------

class KioskApp(App, inherit_bindings=False):
    """Nothing but the ballot flow: no inherited bindings, palette, footer or modes."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "评议投票"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(UNLOCK_KEY, "unlock", show=False, priority=True)]

    def __init__(self, room_id: str, *, served: bool = False, throttle: Throttle | None = None,
                 idle_seconds: float = IDLE_SECONDS):
        import time

        super().__init__()
        self.room_id = room_id
        self.served = served
        self.room = None
        self.persons: list = []
        self.throttle = throttle or Throttle()
        self.unlock_throttle = Throttle(free=3)
        self.idle_seconds = idle_seconds
        self._clock = time.monotonic
        self._last_input = self._clock()

    def on_mount(self) -> None:
        self.set_interval(min(5.0, self.idle_seconds / 2), self._check_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self._last_input = self._clock()
        await super().on_event(event)

    def _check_idle(self) -> None:
        """An abandoned half-typed ballot is dropped (its code stays unused)."""
        screen = self.screen
        if isinstance(screen, ReviewScreen) and screen._sending:
            return
        if isinstance(screen, (RatingScreen, ReviewScreen)) and self._clock() - self._last_input > self.idle_seconds:
            self.back_to_prompt("长时间没有操作，未提交的选票已清除；票码仍可使用，请重新输入。", "info")

    def get_default_screen(self) -> Screen:
        return CodeScreen()

    def _code_screen(self) -> CodeScreen:
        return self.screen_stack[0]

    def back_to_prompt(self, message: str = "", kind: str = "error") -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._code_screen().say(message, kind)

    def submitted(self) -> None:
        """The commit has returned: only now say 已提交."""
        self.back_to_prompt("")
        self.push_screen(DoneScreen())

    async def action_unlock(self) -> None:
        if self.served or isinstance(self.screen, UnlockScreen):
            return
        self.push_screen(UnlockScreen(), self._unlocked)

    def _unlocked(self, actor) -> None:
        if actor is not None:
            self.exit()

    # Nothing else leads anywhere: neutralise the actions Textual offers by name.
    async def action_quit(self) -> None:
        return

    def action_command_palette(self) -> None:
        return

    def action_suspend_process(self) -> None:
        return

    def action_help_quit(self) -> None:
        return


def _load_room(room_id: str):
    from pingyi import rooms

    return rooms.get_room(room_id), rooms.room_persons(room_id)
