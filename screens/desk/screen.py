"""The warnings desk screen with its tabs."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
from pingyi.screens.text import LiteralTable
from pingyi.screens.work import call
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from pingyi.common.vocab import AlertStatus

TABS = [("tab-proposals", "预警建议"), ("tab-approve", "待审批"), ("tab-rectify", "整改跟踪"),
        ("tab-ledger", "扣分台账"), ("tab-integrity", "廉洁指数")]

# which actions apply on which tab (the footer shows only those)
TAB_ACTIONS = {
    "tab-proposals": {"draft", "dismiss", "new", "overdue"},
    "tab-approve": {"approve", "notice", "new", "edit_deadline"},
    "tab-rectify": {"notice", "feedback", "verify", "send_back", "close", "overdue"},
    "tab-ledger": {"deduct", "reverse"},
    "tab-integrity": {"talk", "talk_pdf", "score", "compute"},
}

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor



class DeskScreen(MenuScreen):
    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("escape", "app.go('h')", "返回"),
        Binding("f5", "refresh", "刷新", show=False),
        *[Binding(str(i), f"tab('{tab}')", name, show=False) for i, (tab, name) in enumerate(TABS, 1)],
        Binding("d", "draft", "起草"),
        Binding("x", "dismiss", "不予预警"),
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
        Binding("p", "talk_pdf", "谈话记录PDF", show=False),
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
            with TabPane("2 待审批", id="tab-approve"):
                yield LiteralTable(id="drafts", cursor_type="row", zebra_stripes=True)
            with TabPane("3 整改跟踪", id="tab-rectify"):
                yield LiteralTable(id="issued", cursor_type="row", zebra_stripes=True)
                yield Static("", id="issued-detail", classes="panel")
            with TabPane("4 扣分台账", id="tab-ledger"):
                yield LiteralTable(id="ledger", cursor_type="row", zebra_stripes=True)
                yield Static("", id="ledger-detail", classes="panel")
            with TabPane("5 廉洁指数", id="tab-integrity"):
                with VerticalScroll():
                    yield LiteralTable(id="indexes", cursor_type="row", zebra_stripes=True)
                    yield Static("待办廉政谈话", classes="hint")
                    yield LiteralTable(id="talks", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#desk-counts").border_title = "预警工作台"
        cols = {
            "proposals": [("编号", 4), ("来源", 10), ("等级", 4), ("对象", 10), ("送达", 12), ("事由", None)],
            "drafts": [("编号", 4), ("等级", 4), ("对象", 14), ("送达", 14), ("措施", 8), ("整改期限", 10),
                       ("起草人", 8), ("起草时间", 19)],
            "issued": [("文号", 16), ("等级", 4), ("对象", 14), ("送达", 14), ("整改期限", 10), ("状态", 6),
                       ("反馈", 6), ("追责", 4)],
            "ledger": [("对象", 10), ("名称", 14), ("单位", 12), ("累计扣分", 8), ("预警等级", 8), ("评优", 8),
                       ("追责", 4)],
            "indexes": [("编号", 8), ("姓名", 8), ("单位", 12), ("廉洁指数", 8), ("结果", 8), ("谈话", 6)],
            "talks": [("序号", 4), ("编号", 8), ("姓名", 8), ("单位", 12), ("事由", None)],
        }
        for table_id, columns in cols.items():
            table = self.query_one(f"#{table_id}", DataTable)
            for label, width in columns:
                table.add_column(label, width=width)
        self.action_refresh()

    # --- data -----------------------------------------------------------------

    def action_refresh(self) -> None:
        call(self, load_desk, done=self.show, group="desk-load", exclusive=True)

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
        self._fill("proposals", [(str(p.id), SOURCE_NAMES.get(p.source, p.source), level_text(p.level), p.target,
                                  p.recipient, p.reason) for p in data.proposals], [p.id for p in data.proposals])
        drafts = [a for a in data.alerts if a.status == AlertStatus.DRAFT]
        self._fill("drafts", [(str(a.id), level_text(a.level), a.target_name, a.recipient, a.measure_name,
                               a.deadline or "", a.drafted_by, a.drafted_at.replace("T", " ")[:19]) for a in drafts],
                   [a.id for a in drafts])
        issued = [a for a in data.alerts if a.status != AlertStatus.DRAFT]
        self._fill("issued", [self._issued_row(a) for a in issued], [a.id for a in issued])
        self._fill("ledger", [(t.target, t.name, t.unit, Text(t.points_text, justify="right"), level_text(t.level),
                               "" if t.excellent_eligible else Text("不得评优", style="red"),
                               Text("追责", style="bold red") if t.accountability else "") for t in data.ledgers],
                   [t.target for t in data.ledgers])
        self._fill("indexes", [(i.person, i.name, i.unit, Text(fmt2(i.value), justify="right"),
                                Text(i.result_name, style="" if i.passed is not False else "bold red"),
                                {"pending": "待谈话", "done": "已谈话"}.get(i.talk, "")) for i in data.indexes],
                   [i.person for i in data.indexes])
        self._fill("talks", [(str(t.id), t.person, t.name, t.unit, t.reason) for t in data.talks],
                   [t.id for t in data.talks])
        self._detail()

    @staticmethod
    def _issued_row(a) -> tuple:
        overdue = a.status == AlertStatus.OVERDUE
        style = "bold red" if overdue else ("green" if a.status in (AlertStatus.RECTIFIED, AlertStatus.CLOSED) else "")
        fb_text = a.feedback[-1].outcome_name if a.feedback else ""
        return (a.number or "", level_text(a.level), a.target_name, a.recipient,
                Text(a.deadline or "无", style="bold red" if overdue else ""), Text(a.status_name, style=style),
                fb_text, Text("追责", style="bold red") if a.accountability else "")

    def _fill(self, table_id: str, rows: list[tuple], keys: list) -> None:
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

    def _alert(self, table_id: str):
        key = self._selected(table_id)
        if key is None or self.data is None:
            return None
        return next((a for a in self.data.alerts if str(a.id) == key), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "issued":
            self._detail()
        elif event.data_table.id == "ledger" and event.row_key is not None and self.data is not None:
            from pingyi.desk import ledger

            call(self, ledger.show, event.row_key.value, self.data.year, done=self._entries,
                 group="desk-ledger", exclusive=True)

    def _entries(self, items) -> None:
        from pingyi.common.textfmt import table

        rows = [[e.id, e.date, f"{e.points / 10:g}", e.item, e.reason, e.source, e.entered_by,
                 f"冲销第{e.reverses}条" if e.reverses else (f"已被第{e.reversed_by}条冲销" if e.reversed_by else "")]
                for t in items for e in t.entries]
        self.query_one("#ledger-detail", Static).update(
            Text(table(["序号", "日期", "分值", "标准", "事由", "来源", "录入", "备注"], rows, right={2})))

    def _detail(self) -> None:
        if self.data is None:
            return
        table = self.query_one("#issued", DataTable)
        detail = self.query_one("#issued-detail", Static)
        if not table.row_count:
            detail.update("没有已签发的预警。")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        a = next((x for x in self.data.alerts if str(x.id) == key), None)
        if a is None:
            return
        lines = [f"{a.number}  {a.level_name}  {a.measure_name}  起草 {a.drafted_by}，审批 {a.approved_by}",
                 f"事实：{a.facts}"]
        for f in a.feedback:
            lines.append(f"反馈（{f.date}）：{f.text} —— {f.outcome_name}" + (f"：{f.note}" if f.note else ""))
        detail.update(Text("\n".join(lines)))

    # --- bindings per tab ----------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one("#desk-tabs", TabbedContent)
        tabs.active = tab
        table = {"tab-proposals": "#proposals", "tab-approve": "#drafts", "tab-rectify": "#issued",
                 "tab-ledger": "#ledger", "tab-integrity": "#talks"}[tab]
        self.query_one(table, DataTable).focus()

    def _tab(self) -> str:
        return self.query_one("#desk-tabs", TabbedContent).active

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        for actions in TAB_ACTIONS.values():
            if action in actions:
                return action in TAB_ACTIONS.get(self._tab(), set())
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def _run(self, fn, *args, message: str = "", **kwargs) -> None:
        """Call a service as the signed-in account, then say so and reload."""
        def done(result):
            if message:
                self.app.notify(message.format(r=result), timeout=6)
            self.action_refresh()

        call(self, fn, self.actor, *args, done=done, **kwargs)

    def action_overdue(self) -> None:
        """Record escalation proposals for overdue warnings: a visible step, never a side effect of loading."""
        from pingyi.desk import alerts

        self._run(alerts.refresh_overdue, message="逾期升级：新增预警建议 {r} 条。")

    # --- proposals ----------------------------------------------------------------

    def action_draft(self) -> None:
        key = self._selected("proposals")
        if key is None:
            return
        p = next(x for x in self.data.proposals if str(x.id) == key)
        self._draft_form(p)

    def action_new(self) -> None:
        self._draft_form(None)

    def _draft_form(self, proposal) -> None:
        from pingyi.desk import alerts

        def drafted(info):
            if info:
                self.app.notify(f"已起草预警 {info.id}，请另一位纪委人员审批。", timeout=6)
                self.action_refresh()

        call(self, alerts.default_deadline,
             done=lambda default: self.app.push_screen(DraftForm(self.actor, proposal, default or ""), drafted))

    def action_dismiss(self) -> None:
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
        self.app.push_screen(Confirm(f"审批签发预警 {a.id}", body, ok="签发"),
                             lambda ok: ok and self._run(alerts.approve, a.id, message="已签发：{r.number}"))

    def action_edit_deadline(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.desk import alerts

        a = self._alert("drafts")
        if a is not None:
            actor = self.actor
            self.app.push_screen(Ask(f"修改整改期限：预警草稿 {a.id}", "新的整改期限（YYYY-MM-DD，仅起草人可改）：",
                                     a.deadline or "", ok="修改",
                                     run=lambda d: alerts.edit(actor, a.id, deadline=d)),
                                 self._done("已修改整改期限。"))

    def action_notice(self) -> None:
        from pingyi.screens.dialogs import ask_save_path

        a = self._alert("drafts" if self._tab() == "tab-approve" else "issued")
        if a is None:
            return
        name = (a.number or f"预警草稿{a.id}").replace("〔", "(").replace("〕", ")")
        default = str(Path.cwd() / f"{name}.pdf")
        ask_save_path(self.app, "预警通知书 PDF", default,
                      lambda p: call(self, write_notice_pdf, a.id, p, done=self._pdf_made), ok="生成")

    def _pdf_made(self, result: tuple[Path, str | None]) -> None:
        """Say where the PDF went, and the font notice when the fallback font was used."""
        path, notice = result
        self.app.notify(f"已生成：{path}", timeout=8)
        if notice:
            self.app.notify(notice, severity="warning", timeout=15)

    # --- rectification ----------------------------------------------------------------

    def action_feedback(self) -> None:
        from pingyi.screens.desk.forms import FeedbackForm

        a = self._alert("issued")
        if a is not None:
            self.app.push_screen(FeedbackForm(self.actor, a.id, a.number), self._done("已登记整改反馈，待验收。"))

    def action_verify(self) -> None:
        from pingyi.screens.dialogs import Confirm

        from pingyi.desk import alerts

        a = self._alert("issued")
        if a is not None:
            self.app.push_screen(Confirm(f"验收整改：{a.number}", "确认整改到位？", ok="验收"),
                                 lambda ok: ok and self._run(alerts.verify, a.id, message="整改已验收。"))

    def action_send_back(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.desk import alerts

        a = self._alert("issued")
        if a is not None:
            actor = self.actor
            self.app.push_screen(Ask(f"退回整改反馈：{a.number}", "退回理由：", ok="退回",
                                     run=lambda reason: alerts.send_back(actor, a.id, reason)),
                                 self._done("已退回整改反馈。"))

    def action_close(self) -> None:
        from pingyi.desk import alerts

        a = self._alert("issued")
        if a is not None:
            self._run(alerts.close, a.id, message="预警已办结。")

    # --- ledger -------------------------------------------------------------------------

    def action_deduct(self) -> None:
        from pingyi.screens.desk.forms import DeductForm

        from pingyi.desk.policy import current

        def deducted(r):
            if r:
                self.app.notify(f"已扣分：{r.total.name} 累计 {r.total.points_text} 分", timeout=6)
                self.action_refresh()

        call(self, current, done=lambda pol: self.app.push_screen(DeductForm(self.actor, dict(pol.points)), deducted))

    def action_reverse(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.common.errors import InputError
        from pingyi.desk import ledger

        actor = self.actor

        def run(line: str):
            number, _, reason = line.partition(" ")
            if not number.isdigit() or not reason.strip():
                raise InputError("请按“序号 理由”输入，如：12 查明不属实")
            return ledger.reverse(actor, int(number), reason.strip())

        self.app.push_screen(Ask("冲销扣分（原记录不改，另记一条负分）", "序号 理由：", placeholder="12 查明不属实",
                                 ok="冲销", run=run), self._done("已冲销扣分。"))

    # --- integrity and talks ------------------------------------------------------------

    def action_score(self) -> None:
        from pingyi.screens.desk.forms import IntegrityForm

        from pingyi.desk.policy import current

        year = self.data.year if self.data else None
        if year is None:
            return
        person, shown = "", ""
        table = self.query_one("#indexes", DataTable)
        if table.row_count and self.data is not None and table.has_focus:
            i = self.data.indexes[table.cursor_row]
            person, shown = i.person, f"{i.name}（{i.unit}）"
        call(self, current, done=lambda pol: self.app.push_screen(
            IntegrityForm(self.actor, year, list(pol.index.grades), person, shown), self._done("已录入廉洁指数数据。")))

    def action_compute(self) -> None:
        from pingyi.screens.dialogs import Ask

        from pingyi.desk import integrity

        actor = self.actor
        year = str(self.data.year) if self.data else ""

        def run(text: str):
            from pingyi.common.errors import InputError

            if not text.isdigit():
                raise InputError(f"年度应为四位数字：{text}")
            return integrity.compute(actor, int(text))

        self.app.push_screen(Ask("计算廉洁指数", "年度（低于阈值或被否决者列入廉政谈话并提出预警建议）：", year,
                                 ok="计算", run=run),
                             lambda items: items is not None and (
                                 self.app.notify(f"已计算 {len(items)} 人的廉洁指数。", timeout=6),
                                 self.action_refresh()))

    def _done(self, message: str):
        """After a form that ran its own service call: say so and reload."""
        def then(result) -> None:
            if result is not None and result is not False:
                self.app.notify(message, timeout=6)
                self.action_refresh()
        return then

    def action_talk(self) -> None:
        from pingyi.common.clock import today
        from pingyi.desk import talks

        key = self._selected("talks")
        if key is None:
            return
        t = next(x for x in self.data.talks if str(x.id) == key)
        self.app.push_screen(TalkForm(t, today().isoformat()),
                             lambda f: f and self._run(talks.record, t.id, message="已记录廉政谈话。", **f))

    def action_talk_pdf(self) -> None:
        from pingyi.screens.dialogs import ask_save_path

        key = self._selected("talks")
        if key is None:
            return
        default = str(Path.cwd() / f"廉政谈话记录-{key}.pdf")
        ask_save_path(self.app, "廉政谈话记录 PDF", default,
                      lambda p: call(self, write_talk_pdf, int(key), p, done=self._pdf_made), ok="生成")
