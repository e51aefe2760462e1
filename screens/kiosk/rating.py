"""The rating grid: one row per rated person, one cell per indicator."""
from __future__ import annotations

from pingyi.screens.kiosk.ballot import cell_text, person_cells, where_of
from pingyi.screens.kiosk.messages import BackToPrompt
from pingyi.screens.kiosk.review import ReviewScreen
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Static

from pingyi.voting.draft import Draft, points

NAME_CELLS = 16  # 姓名 wider than this (8 Chinese characters) is cut in the grid, shown whole below it


class BallotTable(DataTable[Text]):
    """The rating grid. The cursor cell takes digits and '.', a grade letter,
    Backspace/Delete; Space marks the row abstain; Enter moves on."""

    def on_key(self, event: events.Key) -> None:
        screen = self.screen
        if isinstance(screen, RatingScreen) and screen.key(event.key, event.character):
            event.stop()
            event.prevent_default()


class RatingScreen(Screen[None]):
    """One row per rated person, one cell per indicator; the draft lives only in memory."""

    def __init__(self, ballot: Draft, *, room_id: str, room_title: str) -> None:
        super().__init__()
        self.ballot = ballot
        self.room_id = room_id
        self.room_title = room_title
        spec = ballot.spec
        self.spec = spec
        self.first_col = 3  # 序号, 姓名, 单位·职务
        self.grade_keys = {chr(ord("a") + i): label for i, (label, _) in enumerate(spec.grades)}
        self._fresh = True
        self._abandon_armed = False
        self._complained = False  # after a refused 下一步, unfinished rows explain themselves too
        self._cut: set[str] = set()  # rows whose name or 单位·职务 the grid cuts short

    def compose(self) -> ComposeResult:
        group = self.spec.group(self.ballot.group)
        with Horizontal(id="rate-top"):
            yield Static(f"{self.room_title} · {group.name if group else self.ballot.group}", id="rate-title",
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
        persons = self.ballot.persons
        narrow = self.app.size.width < 72  # a phone: the unit alone, so the scores stay in view
        scores = [max(9, len(ind.name) * 2 + 6) for ind in self.spec.indicators]
        name_width = min(NAME_CELLS, max([4, *(cell_len(p.name) for p in persons)]))
        fixed = [max(4, len(str(len(persons)))), name_width, *scores, 5, 6]
        pad = 2 * table.cell_padding
        # What is left of the screen for 单位·职务 (the vertical scrollbar takes 2 cells).
        unit_width = max(4, self.app.size.width - sum(w + pad for w in fixed) - pad - 2)
        self._cut = {p.code for p in persons
                     if cell_len(p.name) > name_width or cell_len(where_of(p, narrow)) > unit_width}
        table.add_column("序号", key="n")
        table.add_column("姓名", key="name")
        table.add_column("单位" if narrow or unit_width < 9 else "单位·职务", key="unit")
        for i, ind in enumerate(self.spec.indicators):
            table.add_column(Text(f"{ind.name}(≤{points(ind.max)})"), key=f"i{i}", width=scores[i])
        table.add_column("合计", key="total", width=5)
        table.add_column("状态", key="state", width=6)
        for n, p in enumerate(persons, 1):
            table.add_row(*person_cells(n, p, narrow, (name_width, unit_width)), *self._row_cells(p.code),
                          key=p.code)
        table.move_cursor(row=0, column=self.first_col)
        table.focus()
        self._update_progress()

    # -- model → grid

    def _row_cells(self, code: str) -> list[Text]:
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
        for key, value in zip(keys, self._row_cells(code), strict=True):
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
        person = next(p for p in self.ballot.persons if p.code == at[0])
        if state == "bad" or (state == "partial" and self._complained):
            self.say(f"{person.name}：{problems[0]}")
        elif at[0] in self._cut:  # the grid cut this row's name or 单位·职务: here it is in full
            self.say(f"{person.name} · {where_of(person)}", "info")
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
            self.app.push_screen(ReviewScreen(self.ballot, room_id=self.room_id), self._reviewed)
        elif event.button.id == "abandon":
            if self._abandon_armed:
                self.post_message(BackToPrompt("本票已放弃，票码仍可使用。", "info"))
                return
            self._abandon_armed = True
            event.button.label = "再按一次确认放弃"
            self.set_timer(5, self._disarm)

    def _reviewed(self, refusal: str | None) -> None:
        """Back from the review: with the reason, when the service refused an entry."""
        if refusal:
            self.say(refusal)

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
