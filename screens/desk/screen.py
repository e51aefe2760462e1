"""The warnings desk screen with its tabs."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pingyi.screens.desk.data import (
    DeskData,
    level_text,
    load_desk,
    write_notice_pdf,
    write_talk_pdf,
)
from pingyi.screens.desk.draft_form import DraftForm
from pingyi.screens.desk.talk_form import TalkForm
from pingyi.screens.nav import MenuScreen
from pingyi.screens.text import LiteralTable, Prose
from pingyi.screens.work import Done, request
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from pingyi.common.vocab import AlertStatus, FeedbackOutcome, Level, TalkStatus, TargetKind
from pingyi.rules.numbers import tenths_str

Cell = str | Text

TABS = [("tab-proposals", "预警建议"), ("tab-approve", "待审批"), ("tab-rectify", "整改跟踪"),
        ("tab-ledger", "扣分台账"), ("tab-integrity", "廉洁指数")]

# which actions apply on which tab (the footer shows only those)
TAB_ACTIONS = {
    "tab-proposals": {"draft", "reject", "new", "overdue"},
    "tab-approve": {"approve", "notice", "new", "edit_deadline"},
    "tab-rectify": {"notice", "feedback", "verify", "send_back", "close", "overdue"},
    "tab-ledger": {"deduct", "reverse"},
    "tab-integrity": {"talk", "talk_pdf", "score", "compute"},
}
# on the rectify tab these follow the highlighted warning's state (DeskScreen._rectify_steps)
RECTIFY_STEPS = {"notice", "feedback", "verify", "send_back", "close"}

if TYPE_CHECKING:  # strings in the base classes below: checked by mypy, not imported before the first paint
    from pingyi.desk.alerts import AlertInfo  # noqa: F401
    from pingyi.desk.ledger import DeductResult, TargetLedger  # noqa: F401
    from pingyi.desk.policy import DeskPolicy  # noqa: F401
    from pingyi.desk.talks import TalkInfo  # noqa: F401
    from pingyi.people.accounts import Actor
    from pingyi.proposals import ProposalInfo


class DeskLoaded(Done[DeskData]):
    """Everything the desk shows (a newer load wins)."""
    exclusive = True


class EntriesLoaded(Done["list[TargetLedger]"]):
    """The highlighted ledger row's entries (a newer highlight wins)."""
    exclusive = True


class DraftDefaults(Done["tuple[ProposalInfo | None, str, str | None]"]):
    """The proposal to draft from (None: by hand), its target in words, and the policy's default deadline."""


class DeductPolicy(Done["DeskPolicy"]):
    """The policy in force, for the deduction form's preset items."""


class ScorePolicy(Done["tuple[DeskPolicy, int, str, str]"]):
    """The policy in force, the year, and the person (code, words) for the integrity form."""


class PdfWritten(Done[tuple[Path, str | None]]):
    """A notice or talk-record PDF: where it went, and the font notice (None: embedded font)."""


class OverdueRecorded(Done[int]):
    """How many escalation proposals the overdue step added."""


class Approved(Done["AlertInfo"]):
    """A draft approved and issued (it has its number now)."""


class Verified(Done["AlertInfo"]):
    """Rectification accepted."""


class Closed(Done["AlertInfo"]):
    """A warning closed."""


class TalkRecorded(Done["TalkInfo"]):
    """A held talk recorded."""


Changed = OverdueRecorded | Approved | Verified | Closed | TalkRecorded


def _draft_defaults(proposal: ProposalInfo | None, shown: str = "") -> tuple[ProposalInfo | None, str, str | None]:
    from pingyi.desk import alerts

    return proposal, shown, alerts.default_deadline()


def _score_policy(year: int, person: str, shown: str) -> tuple[DeskPolicy, int, str, str]:
    from pingyi.desk.policy import current

    return current(), year, person, shown


class DeskScreen(MenuScreen):
    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("f5", "refresh", "刷新", show=False),
        *[Binding(str(i), f"tab('{tab}')", name, show=False) for i, (tab, name) in enumerate(TABS, 1)],
        Binding("d", "draft", "起草"),
        Binding("x", "reject", "不予预警"),
        Binding("n", "new", "手工起草"),
        Binding("a", "approve", "审批签发"),
        Binding("e", "edit_deadline", "改期限"),
        Binding("p", "notice", "通知书PDF"),
        Binding("f", "feedback", "整改反馈"),
        Binding("v", "verify", "验收"),
        Binding("b", "send_back", "退回"),
        Binding("c", "close", "办结"),
        Binding("k", "deduct", "扣分"),
        Binding("r", "reverse", "冲销"),
        Binding("s", "score", "录入指数"),
        Binding("g", "compute", "计算指数"),
        Binding("t", "talk", "记录谈话"),
        Binding("o", "overdue", "逾期升级"),
        Binding("p", "talk_pdf", "谈话记录PDF"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.data: DeskData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="desk-counts", classes="panel")
        with TabbedContent(id="desk-tabs", initial="tab-proposals"):
            with TabPane("1 预警建议", id="tab-proposals"):
                yield LiteralTable(id="proposals", cursor_type="row", zebra_stripes=True)
                yield Prose("", id="proposal-detail", classes="panel")
            with TabPane("2 待审批", id="tab-approve"):
                yield LiteralTable(id="drafts", cursor_type="row", zebra_stripes=True)
                yield Prose("", id="draft-detail", classes="panel")
            with TabPane("3 整改跟踪", id="tab-rectify"):
                yield LiteralTable(id="issued", cursor_type="row", zebra_stripes=True)
                yield Prose("", id="issued-detail", classes="panel")
            with TabPane("4 扣分台账", id="tab-ledger"):
                yield LiteralTable(id="ledger", cursor_type="row", zebra_stripes=True)
                yield Prose("", id="ledger-detail", classes="panel")
            with TabPane("5 廉洁指数", id="tab-integrity"):
                # the index list takes the room left; the pending talks (what t and p act on) stay in view
                yield LiteralTable(id="indexes", cursor_type="row", zebra_stripes=True)
                yield Prose("", id="indexes-empty", classes="hint")
                with Vertical(id="talks-panel", classes="panel"):
                    yield LiteralTable(id="talks", cursor_type="row", zebra_stripes=True)
                    yield Prose("没有待办的廉政谈话。", id="talks-empty", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#desk-counts").border_title = "预警工作台"
        self.query_one("#talks-panel").border_title = "待办廉政谈话"
        cols: dict[str, list[tuple[str, int | None]]] = {
            "proposals": [("编号", 4), ("来源", 12), ("等级", 4), ("对象", 12), ("送达", 12), ("事由", None)],
            # when drafted, and to whom an issued warning went: in the panel below (fits 80 columns)
            "drafts": [("编号", 4), ("等级", 4), ("对象", 12), ("送达", 12), ("措施", 8), ("整改期限", 10),
                       ("起草人", 8)],
            "issued": [("文号", 16), ("等级", 4), ("对象", 12), ("整改期限", 10), ("状态", 6), ("反馈", 6),
                       ("追责", 4)],
            "ledger": [("对象", 14), ("单位", 14), ("累计扣分", 8), ("预警等级", 8), ("评优", 8), ("追责", 4)],
            "indexes": [("姓名", 12), ("单位", 14), ("廉洁指数", 8), ("结果", 8), ("谈话", 6)],
            "talks": [("序号", 4), ("姓名", 12), ("单位", 14), ("事由", None)],
        }
        for table_id, columns in cols.items():
            table = self.query_one(f"#{table_id}", DataTable)
            for label, width in columns:
                table.add_column(label, width=width)
        self.action_refresh()

    # --- data -----------------------------------------------------------------

    def action_refresh(self) -> None:
        request(self, DeskLoaded, load_desk)

    @on(DeskLoaded)
    def _loaded(self, event: DeskLoaded) -> None:
        self.show(event.result)

    def show(self, data: DeskData) -> None:
        from pingyi.proposals import SOURCE_NAMES
        from pingyi.rules.numbers import fmt2

        self.data = data
        c = data.counts
        self.query_one("#desk-counts", Static).update(
            f"{data.year}年度  待审建议 [b]{c.pending_proposals}[/b]  待审批 [b]{c.awaiting_approval}[/b]  "
            f"待验收 [b]{c.feedback_to_verify}[/b]  逾期整改 [b red]{c.overdue}[/b red]  "
            f"待办谈话 [b]{c.talks_due}[/b]"
            + (f"  [b red]{c.overdue_unproposed}[/b red] 份逾期待升级（按 o）" if c.overdue_unproposed else ""))
        who = data.who
        self._fill("proposals", [(str(p.id), SOURCE_NAMES.get(p.source, p.source), level_text(p.level),
                                  who(p.target_kind, p.target), p.recipient, p.reason) for p in data.proposals],
                   [p.id for p in data.proposals])
        drafts = [a for a in data.alerts if a.status == AlertStatus.DRAFT]
        self._fill("drafts", [(str(a.id), level_text(a.level), who(a.target_kind, a.target), a.recipient,
                               a.measure_name, a.deadline or "", a.drafted_by) for a in drafts], [a.id for a in drafts])
        issued = [a for a in data.alerts if a.status != AlertStatus.DRAFT]
        self._fill("issued", [self._issued_row(a, who(a.target_kind, a.target)) for a in issued],
                   [a.id for a in issued])
        self._fill("ledger", [(who(t.target_kind, t.target), t.unit, Text(t.points_text, justify="right"),
                               level_text(t.level), "" if t.excellent_eligible else Text("不得评优", style="red"),
                               Text("追责", style="bold red") if t.accountability else "") for t in data.ledgers],
                   [t.target for t in data.ledgers])
        self._fill("indexes", [(who(TargetKind.PERSON, i.person), i.unit, Text(fmt2(i.value), justify="right"),
                                Text(i.result_name, style="" if i.passed is not False else "bold red"),
                                TalkStatus.label_of(i.talk) if i.talk else "") for i in data.indexes],
                   [i.person for i in data.indexes])
        self._fill("talks", [(str(t.id), who(TargetKind.PERSON, t.person), t.unit, t.reason) for t in data.talks],
                   [t.id for t in data.talks])
        self._empty_states(data)
        self._detail()
        self.refresh_bindings()

    def _empty_states(self, data: DeskData) -> None:
        """An empty list says so, and what fills it (a bare header row says nothing)."""
        self.query_one("#indexes", DataTable).display = bool(data.indexes)
        empty = self.query_one("#indexes-empty", Prose)
        empty.display = not data.indexes
        empty.update(f"{data.year} 年度还没有计算廉洁指数：按 s 录入述职述廉得分、考核等次，再按 g 计算。")
        self.query_one("#talks", DataTable).display = bool(data.talks)
        self.query_one("#talks-empty", Prose).display = not data.talks
        if not data.ledgers:
            self.query_one("#ledger-detail", Prose).update(f"{data.year} 年度台账还没有扣分记录；按 k 扣分。")

    @staticmethod
    def _issued_row(a: AlertInfo, who: str) -> tuple[Cell, ...]:
        overdue = a.status == AlertStatus.OVERDUE
        style = "bold red" if overdue else ("green" if a.status in (AlertStatus.RECTIFIED, AlertStatus.CLOSED) else "")
        fb_text = a.feedback[-1].outcome_name if a.feedback else ""
        return (a.number or "", level_text(a.level), who,
                Text(a.deadline or "无", style="bold red" if overdue else ""), Text(a.status_name, style=style),
                fb_text, Text("追责", style="bold red") if a.accountability else "")

    def _fill(self, table_id: str, rows: list[tuple[Cell, ...]], keys: list[int] | list[str]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        row = table.cursor_row
        table.clear()
        for key, r in zip(keys, rows, strict=True):
            table.add_row(*r, key=str(key))
        if rows:
            table.move_cursor(row=min(row, len(rows) - 1))

    def _selected(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            self.app.notify("没有可操作的行。", severity="warning")
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _alert(self, table_id: str) -> AlertInfo | None:
        key = self._selected(table_id)
        if key is None or self.data is None:
            return None
        return next((a for a in self.data.alerts if str(a.id) == key), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id in ("proposals", "drafts", "issued"):
            self._detail()
            self.refresh_bindings()   # the rectify steps follow the highlighted warning
        elif event.data_table.id == "ledger" and event.row_key.value is not None and self.data is not None:
            from pingyi.desk import ledger

            request(self, EntriesLoaded, ledger.show, event.row_key.value, self.data.year)

    @on(EntriesLoaded)
    def _entries(self, event: EntriesLoaded) -> None:
        from pingyi.common.textfmt import table

        rows = [[e.id, e.date, tenths_str(e.points), e.item, e.reason, e.source, e.entered_by,
                 f"冲销第{e.reverses}条" if e.reverses else (f"已被第{e.reversed_by}条冲销" if e.reversed_by else "")]
                for t in event.result for e in t.entries]
        self.query_one("#ledger-detail", Prose).update(   # a table: drawn as it is, not re-broken
            Text(table(["序号", "日期", "分值", "标准", "事由", "来源", "录入", "备注"], rows, right={2})))

    def _highlighted(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _detail(self) -> None:
        """The highlighted row of each list in full below it (the table cuts long reasons at 80 columns)."""
        from pingyi.proposals import SOURCE_NAMES

        data = self.data
        if data is None:
            return
        key = self._highlighted("proposals")
        p = next((x for x in data.proposals if str(x.id) == key), None)
        self.query_one("#proposal-detail", Prose).update(
            f"{SOURCE_NAMES.get(p.source, p.source)}  {Level.label_of(p.level)}预警  "
            f"对象：{data.who_in_unit(p.target_kind, p.target)}  送达：{p.recipient}\n事由：{p.reason}"
            if p else "没有待处理的预警建议。")
        key = self._highlighted("drafts")
        a = next((x for x in data.alerts if str(x.id) == key and x.status == AlertStatus.DRAFT), None)
        self.query_one("#draft-detail", Prose).update(
            f"{a.level_name}：{data.who_in_unit(a.target_kind, a.target)}，送达 {a.recipient}  "
            f"措施：{a.measure_name}  整改期限：{a.deadline or '无'}\n事实：{a.facts}\n"
            f"起草：{a.drafted_by}（{a.drafted_at.replace('T', ' ')[:16]}）"
            if a else "没有待审批的预警草稿。")
        key = self._highlighted("issued")
        a = next((x for x in data.alerts if str(x.id) == key and x.status != AlertStatus.DRAFT), None)
        if a is None:
            self.query_one("#issued-detail", Prose).update("没有已签发的预警。")
            return
        lines = [f"{a.number}  {a.level_name}：{data.who_in_unit(a.target_kind, a.target)}，送达 {a.recipient}  "
                 f"措施：{a.measure_name}", f"起草 {a.drafted_by}，审批 {a.approved_by}", f"事实：{a.facts}"]
        for f in a.feedback:
            lines.append(f"反馈（{f.date}）：{f.text} —— {f.outcome_name}" + (f"：{f.note}" if f.note else ""))
        self.query_one("#issued-detail", Prose).update("\n".join(lines))

    # --- bindings per tab ----------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one("#desk-tabs", TabbedContent)
        tabs.active = tab
        table = {"tab-proposals": "#proposals", "tab-approve": "#drafts", "tab-rectify": "#issued",
                 "tab-ledger": "#ledger", "tab-integrity": "#talks"}[tab]
        self.query_one(table, DataTable).focus()

    def _tab(self) -> str:
        return self.query_one("#desk-tabs", TabbedContent).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        for actions in TAB_ACTIONS.values():
            if action in actions:
                tab = self._tab()
                if tab == "tab-rectify" and action in RECTIFY_STEPS:
                    return action in self._rectify_steps()
                return action in TAB_ACTIONS.get(tab, set())
        return True

    def _rectify_steps(self) -> set[str]:
        """What can be done to the highlighted issued warning now (the rectify tab's footer would
        not fit 80 columns with every step): a report while none waits, then verify or send back,
        close once rectified (or when it has no deadline)."""
        key = self._highlighted("issued")
        a = next((x for x in self.data.alerts if str(x.id) == key), None) if self.data and key else None
        if a is None:
            return set()
        steps = {"notice"}
        if a.status in (AlertStatus.ISSUED, AlertStatus.OVERDUE):
            pending = bool(a.feedback) and a.feedback[-1].outcome == FeedbackOutcome.PENDING
            steps |= {"verify", "send_back"} if pending else {"feedback"}
        if a.status == AlertStatus.RECTIFIED or (a.status == AlertStatus.ISSUED and not a.deadline):
            steps.add("close")
        return steps

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    @on(OverdueRecorded)
    @on(Approved)
    @on(Verified)
    @on(Closed)
    @on(TalkRecorded)
    def _changed(self, event: Changed) -> None:
        """A desk service call went through: say so and reload."""
        if isinstance(event, OverdueRecorded):
            message = f"逾期升级：新增预警建议 {event.result} 条。"
        elif isinstance(event, Approved):
            message = f"已签发：{event.result.number}"
        elif isinstance(event, Verified):
            message = "整改已验收。"
        elif isinstance(event, Closed):
            message = "预警已办结。"
        else:
            message = "已记录廉政谈话。"
        self.app.notify(message, timeout=6)
        self.action_refresh()

    def action_overdue(self) -> None:
        """Record escalation proposals for overdue warnings: a visible step, never a side effect of loading."""
        from pingyi.desk import alerts

        request(self, OverdueRecorded, alerts.refresh_overdue, self.actor)

    # --- proposals ----------------------------------------------------------------

    def action_draft(self) -> None:
        key = self._selected("proposals")
        if key is None or self.data is None:
            return
        p = next(x for x in self.data.proposals if str(x.id) == key)
        request(self, DraftDefaults, _draft_defaults, p, self.data.who_in_unit(p.target_kind, p.target))

    def action_new(self) -> None:
        request(self, DraftDefaults, _draft_defaults, None)

    @on(DraftDefaults)
    def _draft_form(self, event: DraftDefaults) -> None:
        proposal, shown, default = event.result

        def drafted(info: object) -> None:
            if info:
                self.app.notify(f"已起草预警 {getattr(info, 'id', '')}，请另一位纪委人员审批。", timeout=6)
                self.action_refresh()

        self.app.push_screen(DraftForm(self.actor, proposal, default or "", shown), drafted)

    def action_reject(self) -> None:
        """不予预警 (not Screen.action_dismiss, which closes a screen)."""
        from pingyi.screens.dialogs import Ask

        from pingyi import proposals

        key = self._selected("proposals")
        if key is None:
            return
        actor = self.actor
        self.app.push_screen(Ask(f"不予预警：建议 {key}", "理由（写入审计日志）：", ok="驳回",
                                 run=lambda reason: proposals.dismiss(actor, int(key), reason)),
                             self._done(f"已驳回建议 {key}。"))

    # --- approval and notices ---------------------------------------------------------

    def action_approve(self) -> None:
        from pingyi.screens.dialogs import Confirm

        from pingyi.desk import alerts

        a = self._alert("drafts")
        if a is None:
            return
        body = (f"{a.level_name}：{a.target_name}，送达 {a.recipient}\n"
                f"措施：{a.measure_name}  整改期限：{a.deadline or '无'}\n"
                f"事实：{a.facts}\n\n起草人：{a.drafted_by}；审批人须为另一位纪委人员（当前：{self.actor.name}）。")

        def confirmed(ok: bool | None) -> None:
            if ok:
                request(self, Approved, alerts.approve, self.actor, a.id)

        self.app.push_screen(Confirm(f"审批签发预警 {a.id}", body, ok="签发"), confirmed)

    def action_edit_deadline(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.desk import alerts

        a = self._alert("drafts")
        if a is not None:
            actor, wid = self.actor, a.id
            self.app.push_screen(Ask(f"修改整改期限：预警草稿 {a.id}", "新的整改期限（YYYY-MM-DD，仅起草人可改）：",
                                     a.deadline or "", ok="修改",
                                     run=lambda d: alerts.edit(actor, wid, deadline=d)),
                                 self._done("已修改整改期限。"))

    def action_notice(self) -> None:
        from pingyi.screens.dialogs import ask_save_path

        a = self._alert("drafts" if self._tab() == "tab-approve" else "issued")
        if a is None:
            return
        wid = a.id
        name = (a.number or f"预警草稿{a.id}").replace("〔", "(").replace("〕", ")")
        default = str(Path.cwd() / f"{name}.pdf")
        ask_save_path(self.app, "预警通知书 PDF", default,
                      lambda p: request(self, PdfWritten, write_notice_pdf, wid, p), ok="生成")

    @on(PdfWritten)
    def _pdf_made(self, event: PdfWritten) -> None:
        """Say where the PDF went, and the font notice when the fallback font was used."""
        path, notice = event.result
        self.app.notify(f"已生成：{path}", timeout=8)
        if notice:
            self.app.notify(notice, severity="warning", timeout=15)

    # --- rectification ----------------------------------------------------------------

    def action_feedback(self) -> None:
        from pingyi.screens.desk.forms import FeedbackForm

        a = self._alert("issued")
        if a is not None:
            self.app.push_screen(FeedbackForm(self.actor, a.id, a.number or ""),
                                 self._done("已登记整改反馈，待验收。"))

    def action_verify(self) -> None:
        from pingyi.screens.dialogs import Confirm

        from pingyi.desk import alerts

        a = self._alert("issued")
        if a is None:
            return
        wid = a.id

        def confirmed(ok: bool | None) -> None:
            if ok:
                request(self, Verified, alerts.verify, self.actor, wid)

        self.app.push_screen(Confirm(f"验收整改：{a.number}", "确认整改到位？", ok="验收"), confirmed)

    def action_send_back(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.desk import alerts

        a = self._alert("issued")
        if a is not None:
            actor, wid = self.actor, a.id
            self.app.push_screen(Ask(f"退回整改反馈：{a.number}", "退回理由：", ok="退回",
                                     run=lambda reason: alerts.send_back(actor, wid, reason)),
                                 self._done("已退回整改反馈。"))

    def action_close(self) -> None:
        from pingyi.desk import alerts

        a = self._alert("issued")
        if a is not None:
            request(self, Closed, alerts.close, self.actor, a.id)

    # --- ledger -------------------------------------------------------------------------

    def action_deduct(self) -> None:
        from pingyi.desk.policy import current

        request(self, DeductPolicy, current)

    @on(DeductPolicy)
    def _deduct_form(self, event: DeductPolicy) -> None:
        from pingyi.screens.desk.forms import DeductForm

        def deducted(r: DeductResult | None) -> None:
            if r:
                self.app.notify(f"已扣分：{r.total.name} 累计 {r.total.points_text} 分", timeout=6)
                self.action_refresh()

        self.app.push_screen(DeductForm(self.actor, dict(event.result.points)), deducted)

    def action_reverse(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.common.errors import InputError
        from pingyi.desk import ledger

        actor = self.actor

        def run(line: str) -> object:
            number, _, reason = line.partition(" ")
            if not number.isdigit() or not reason.strip():
                raise InputError("请按“序号 理由”输入，如：12 查明不属实")
            return ledger.reverse(actor, int(number), reason.strip())

        self.app.push_screen(Ask("冲销扣分（原记录不改，另记一条负分）", "序号 理由：", placeholder="12 查明不属实",
                                 ok="冲销", run=run), self._done("已冲销扣分。"))

    # --- integrity and talks ------------------------------------------------------------

    def action_score(self) -> None:
        if self.data is None:
            return
        person, shown = "", ""
        table = self.query_one("#indexes", DataTable)
        if table.row_count and table.has_focus:
            i = self.data.indexes[table.cursor_row]
            person, shown = i.person, self.data.who_in_unit(TargetKind.PERSON, i.person)
        request(self, ScorePolicy, _score_policy, self.data.year, person, shown)

    @on(ScorePolicy)
    def _score_form(self, event: ScorePolicy) -> None:
        from pingyi.screens.desk.forms import IntegrityForm

        pol, year, person, shown = event.result
        self.app.push_screen(IntegrityForm(self.actor, year, list(pol.index.grades), person, shown),
                             self._done("已录入廉洁指数数据。"))

    def action_compute(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.desk import integrity

        actor = self.actor
        year = str(self.data.year) if self.data else ""

        def run(text: str) -> object:
            from pingyi.common.errors import InputError

            if not text.isdigit():
                raise InputError(f"年度应为四位数字：{text}")
            return integrity.compute(actor, int(text))

        def computed(items: Any) -> None:
            if items is not None:
                self.app.notify(f"已计算 {len(items)} 人的廉洁指数。", timeout=6)
                self.action_refresh()

        self.app.push_screen(Ask("计算廉洁指数", "年度（低于阈值或被否决者列入廉政谈话并提出预警建议）：", year,
                                 ok="计算", run=run), computed)

    def _done(self, message: str) -> Callable[[object], None]:
        """After a form that ran its own service call: say so and reload."""
        def then(result: object) -> None:
            if result is not None and result is not False:
                self.app.notify(message, timeout=6)
                self.action_refresh()
        return then

    def action_talk(self) -> None:
        from pingyi.common.clock import today
        from pingyi.desk import talks

        key = self._selected("talks")
        if key is None or self.data is None:
            return
        t = next(x for x in self.data.talks if str(x.id) == key)

        def filled(fields: dict[str, Any] | None) -> None:
            if fields:
                request(self, TalkRecorded, talks.record, self.actor, t.id, **fields)

        self.app.push_screen(TalkForm(t, today().isoformat()), filled)

    def action_talk_pdf(self) -> None:
        from pingyi.screens.dialogs import ask_save_path

        key = self._selected("talks")
        if key is None:
            return
        tid = int(key)
        default = str(Path.cwd() / f"廉政谈话记录-{key}.pdf")
        ask_save_path(self.app, "廉政谈话记录 PDF", default,
                      lambda p: request(self, PdfWritten, write_talk_pdf, tid, p), ok="生成")
