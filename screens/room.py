"""One room: open it, issue code slips, watch turnout live, close it.

Turnout refreshes only when the room's ballot counter (``rooms.version``)
moves, so a tick costs one tiny query. Provisional scores stay hidden
unless the organizer explicitly reveals them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pingyi.screens.text import LiteralTable, literal, styled
from pingyi.screens.work import Done, Failed, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ProgressBar, Static

from pingyi.common.vocab import RoomStatus

POLL_SECONDS = 1.0

if TYPE_CHECKING:  # strings in base classes: checked by mypy, not imported at run time
    from pingyi.people.accounts import Actor
    from pingyi.people.roster import PersonInfo  # noqa: F401
    from pingyi.voting.ballots import ImportResult  # noqa: F401
    from pingyi.voting.rooms import RoomInfo, Turnout
    from pingyi.voting.tally import TallyReport  # noqa: F401

CodeCounts = dict[str, dict[str, int]]
"""group key -> {unused, used, void} ballot-code counts (``rooms.code_counts``)."""


def load_room(room_id: str) -> tuple[RoomInfo, Turnout, CodeCounts]:
    """(RoomInfo, Turnout, code counts): one worker call."""
    from pingyi.voting import rooms

    return rooms.get_room(room_id), rooms.turnout(room_id), rooms.code_counts(room_id)


def load_turnout(room_id: str) -> tuple[Turnout, CodeCounts]:
    from pingyi.voting import rooms

    return rooms.turnout(room_id), rooms.code_counts(room_id)


def save_persons(actor: Actor, room_id: str, codes: list[str]) -> int:
    """Set the room's rated persons; returns how many."""
    from pingyi.voting.rooms import set_persons

    set_persons(actor, room_id, codes)
    return len(codes)


def issue_and_print(actor: Actor, room_id: str, path: Path, url: str | None = None) -> tuple[int, Path, str | None]:
    """Issue fresh codes and write their slips (PDF, QR of ``url`` when serving) in the same worker.

    Returns (codes issued, path, the one-time font notice or None)."""
    from pingyi.common.errors import InputError
    from pingyi.reports.fonts import warn_once
    from pingyi.reports.slips import write_slips
    from pingyi.voting import rooms

    if not path.parent.is_dir():
        raise InputError(f"目录不存在：{path.parent}")
    issued = rooms.issue_codes(actor, room_id)
    write_slips(path, rooms.get_room(room_id), issued, url=url)
    return len(issued), path, warn_once()


class RoomLoaded(Done["tuple[RoomInfo, Turnout, CodeCounts]"]):
    """The room, its turnout and code counts (a newer load wins)."""
    exclusive = True


class VersionPolled(Done[int]):
    """The room's ballot counter: turnout is reloaded only when it moved."""
    exclusive = True


class TurnoutLoaded(Done["tuple[Turnout, CodeCounts]"]):
    """Turnout and code counts after the counter moved."""
    exclusive = True


class QuotasSaved(Done[None]):
    """The draft room's places were saved."""


class PersonsListed(Done["list[PersonInfo]"]):
    """The room's rated persons, to preselect in the picker."""


class PersonsSaved(Done[int]):
    """The draft room's rated persons were replaced (how many now)."""


class RoomOpened(Done["RoomInfo"]):
    """The room was opened: scheme, persons and places frozen."""


class CodesIssued(Done["tuple[int, Path, str | None]"]):
    """Codes issued and their slips written: (count, PDF path, font notice)."""


class ProvisionalLoaded(Done["TallyReport"]):
    """The provisional tally of the open room (a newer load wins)."""
    exclusive = True


class CloseChecked(Done["tuple[Turnout, CodeCounts]"]):
    """Turnout read afresh to ask before closing."""


class RoomClosed(Done["RoomInfo"]):
    """The room was closed and its result frozen."""


class BallotsImported(Done["ImportResult"]):
    """A ballot CSV went in (all or nothing)."""


class RoomScreen(Screen[None]):
    AUTO_FOCUS = "#room-body"
    HELP_TITLE = "会场"
    HELP = "草稿时设名额和被测评人员、开启；进行中发票码、录入或导入纸质选票、看进度、结束；结束后看结果。"
    # Short words: the open room's keys and ^q 退出 fit an 80-column footer. The
    # tooltip is the full description (hovering the footer, and the F1 help).
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回"),
        Binding("o", "open", "开启", tooltip="开启会场：方案、人员和名额冻结"),
        Binding("e", "quotas", "名额", tooltip="各代表类别的票码与纸质选票名额"),
        Binding("u", "persons", "人员", tooltip="选择被测评人员"),
        Binding("c", "codes", "发票码", tooltip="发放票码并打印票码条（PDF）"),
        Binding("p", "paper", "纸质录入", tooltip="纸质选票录入（两名录入员各录一遍）"),
        Binding("i", "import_ballots", "导入", tooltip="导入纸质选票 CSV（有错则整批不导入）"),
        Binding("v", "reveal", "临时得分", tooltip="显示或隐藏临时得分（仅供会务参考）"),
        Binding("x", "close", "结束", tooltip="结束会场：计票并冻结结果"),
        Binding("t", "results", "结果", tooltip="测评结果：排名、分布、个人历史、导出"),
    ]

    def __init__(self, room_id: str, *, actor: Actor) -> None:
        super().__init__()
        self.room_id = room_id
        self.actor = actor
        self.room: RoomInfo | None = None
        self.turnout: Turnout | None = None
        self.codes: CodeCounts = {}
        self.version: int | None = None
        self.revealed = False
        self._ballot_path: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="room-body"):
            yield Static("", id="room-info", classes="panel")
            with Vertical(id="turnout", classes="panel"):
                yield Vertical(id="bars")
                yield Static("", id="turnout-total")
            with Vertical(id="provisional", classes="panel"):
                yield LiteralTable(id="provisional-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def rebuild(self, actor: Actor) -> RoomScreen | None:
        """This room afresh for ``actor`` (provisional scores hidden again): put back under the
        paper form when it comes back after a switch of account."""
        return RoomScreen(self.room_id, actor=actor) if actor.can("organizer") else None

    def on_mount(self) -> None:
        self.query_one("#room-info").border_title = literal(f"会场 {self.room_id}")
        self.query_one("#turnout").border_title = "投票进度"
        self.query_one("#provisional").border_title = "临时得分（仅供会务参考，勿公开）"
        self.reload()
        self.set_interval(POLL_SECONDS, self.poll)

    def on_screen_resume(self) -> None:
        if self.room is not None:
            self.reload()

    def reload(self) -> None:
        request(self, RoomLoaded, load_room, self.room_id)

    @on(RoomLoaded)
    def _loaded(self, event: RoomLoaded) -> None:
        room, turnout, codes = event.result
        first = self.room is None or [g.key for g in self.room.spec.groups] != [g.key for g in room.spec.groups]
        self.room = room
        self._info(room)
        if first:
            rows = []
            for g in room.spec.groups:
                rows.append(Horizontal(Label(g.name, classes="bar-label", markup=False),
                                       ProgressBar(total=1, show_eta=False, id=f"bar-{g.key}"),
                                       Label("", classes="bar-count", id=f"count-{g.key}"), classes="bar-row"))
            bars = self.query_one("#bars", Vertical)
            bars.remove_children()
            bars.mount_all(rows)
            self.call_after_refresh(self._turnout, turnout, codes)
        else:
            self._turnout(turnout, codes)
        self.refresh_bindings()

    def _info(self, r: RoomInfo) -> None:
        series = f"    系列：{r.series} 第 {r.round} 轮" if r.series else ""
        self.query_one("#room-info", Static).update(
            styled("[b]$title[/b]\n状态：$status    方案：$scheme    被测评人员：$persons 人$series",
                   title=r.title, status=r.status_name, scheme=r.scheme, persons=r.persons, series=series))

    def _turnout(self, turnout: Turnout, codes: CodeCounts) -> None:
        self.turnout, self.codes, self.version = turnout, codes, turnout.version
        names = {g.key: g.name for g in self.room.spec.groups} if self.room else {}
        for key, (cast, quota) in turnout.groups.items():
            try:
                bar = self.query_one(f"#bar-{key}", ProgressBar)
            except Exception:  # bars not mounted yet (group list changed)
                continue
            bar.update(total=max(quota, cast, 1), progress=cast)
            unused = codes.get(key, {}).get("unused", 0)
            ch = turnout.channels[key]
            parts = []
            if ch.codes_issued or ch.codes_returned:
                parts.append(f"码{ch.codes_returned}/{ch.codes_issued}")
            if ch.paper_issued or ch.paper_returned or not turnout.limited:
                parts.append(f"纸{ch.paper_returned}/{ch.paper_issued or '不限'}")
            self.query_one(f"#count-{key}", Label).update(" ".join(parts) or "无名额")
            bar.tooltip = literal(f"{names.get(key, key)}：票码 发出 {ch.codes_issued} 收回 {ch.codes_returned}"
                                  f"（未用 {unused}），纸质 发出 {ch.paper_issued or '不限'} 收回 {ch.paper_returned}")
        unused = sum(c.get("unused", 0) for c in codes.values())
        paper = f"    纸质待核对 {turnout.pending_paper} 张" if turnout.pending_paper else ""
        places = f" / {turnout.places}" if turnout.limited else "（未设名额）"
        self.query_one("#turnout-total", Static).update(
            f"合计收回 [b]{turnout.cast}[/b]{places}    未用票码 {unused} 张{paper}")
        if self.revealed:
            self._load_provisional()

    def poll(self) -> None:
        if self.room is None or self.room.status != RoomStatus.OPEN or not self.is_current:
            return
        from pingyi.voting.rooms import version

        request(self, VersionPolled, version, self.room_id)

    @on(VersionPolled)
    def _polled(self, event: VersionPolled) -> None:
        if event.result != self.version:
            self.version = event.result
            request(self, TurnoutLoaded, load_turnout, self.room_id)

    @on(TurnoutLoaded)
    def _turnout_loaded(self, event: TurnoutLoaded) -> None:
        self._turnout(*event.result)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.room.status if self.room else None
        allowed = {
            "open": status == RoomStatus.DRAFT,
            "quotas": status == RoomStatus.DRAFT,
            "persons": status == RoomStatus.DRAFT,
            "codes": status in (RoomStatus.DRAFT, RoomStatus.OPEN),
            "paper": status == RoomStatus.OPEN,
            "import_ballots": status == RoomStatus.OPEN,
            "reveal": status == RoomStatus.OPEN,
            "close": status == RoomStatus.OPEN,
            "results": status == RoomStatus.CLOSED,
        }
        return allowed.get(action, True)

    # ---- actions ---------------------------------------------------------------

    def action_open(self) -> None:
        from pingyi.screens.dialogs import Confirm

        r = self.room
        if r is None:
            return
        quota = "、".join(f"{g.name} 票码{r.quotas.get(g.key, 0)} 纸质{r.paper.get(g.key, 0)}" for g in r.spec.groups)
        if not r.places:
            quota = "未设名额，纸质选票不限"
        body = (f"开启后方案、被测评人员（{r.persons} 人）和名额（{quota}）即冻结，不能再改。\n"
                "开启后即可发放票码、投票。")
        self.app.push_screen(Confirm(f"开启会场 {r.id}", body, ok="开启"), self._open_confirmed)

    def _open_confirmed(self, ok: bool | None) -> None:
        if ok:
            from pingyi.voting.rooms import open_room

            request(self, RoomOpened, open_room, self.actor, self.room_id)

    @on(RoomOpened)
    def _opened(self) -> None:
        self.app.notify("会场已开启。")
        self.reload()

    def action_quotas(self) -> None:
        from pingyi.screens.dialogs import EditQuotas

        r = self.room
        if r is None:
            return
        self.app.push_screen(EditQuotas([(g.key, g.name, r.quotas.get(g.key, 0), r.paper.get(g.key, 0))
                                         for g in r.spec.groups]), self._set_quotas)

    def _set_quotas(self, places: tuple[dict[str, int], dict[str, int]] | None) -> None:
        from pingyi.voting.rooms import set_quotas

        if places is not None:
            request(self, QuotasSaved, set_quotas, self.actor, self.room_id, places[0], places[1])

    @on(QuotasSaved)
    def _quotas_saved(self) -> None:
        self.app.notify("名额已保存。")
        self.reload()

    def action_persons(self) -> None:
        from pingyi.voting.rooms import room_persons

        request(self, PersonsListed, room_persons, self.room_id)

    @on(PersonsListed)
    def _pick_persons(self, event: PersonsListed) -> None:
        from pingyi.screens.dialogs import PickPersons

        self.app.push_screen(PickPersons([p.code for p in event.result]), self._set_persons)

    def _set_persons(self, codes: list[str] | None) -> None:
        if codes:
            request(self, PersonsSaved, save_persons, self.actor, self.room_id, codes)

    @on(PersonsSaved)
    def _persons_saved(self, event: PersonsSaved) -> None:
        self.app.notify(f"被测评人员已改为 {event.result} 人。")
        self.reload()

    def action_codes(self) -> None:
        from pingyi.screens.dialogs import Ask, Confirm

        from pingyi.web.addresses import default_vote_url

        unused = sum(c.get("unused", 0) for c in self.codes.values())
        default = str(Path.cwd() / f"票码-{self.room_id}.pdf")

        def ask_path(ok: bool | None = True) -> None:
            if ok:
                self.app.push_screen(
                    Ask("发放票码并打印票码条", "票码只显示这一次，请保存并打印此 PDF：", default, ok="下一步"),
                    ask_url)

        def ask_url(path: str | None) -> None:
            if path:
                def issue(url: str | None) -> None:
                    if url is not None:
                        self._issue(path, url or None)

                self.app.push_screen(
                    Ask("票码条上的二维码", "手机投票地址（pingyi serve 显示的地址；不用手机投票可清空）：",
                        default_vote_url() or "", placeholder="如 http://192.168.1.10:8000/", ok="发放并生成 PDF",
                        allow_empty=True),
                    issue)

        if unused:
            self.app.push_screen(Confirm("重新发放票码", f"现有 {unused} 张未用票码将作废，按名额补发新票码。确定？",
                                         ok="作废并重发", danger=True), ask_path)
        else:
            ask_path()

    def _issue(self, path: str, url: str | None) -> None:
        request(self, CodesIssued, issue_and_print, self.actor, self.room_id, Path(path).expanduser(), url)

    @on(CodesIssued)
    def _issued(self, event: CodesIssued) -> None:
        count, path, font_notice = event.result
        self.app.notify(f"已发放 {count} 张票码，票码条已写入 {path}", timeout=10)
        if font_notice:
            self.app.notify(font_notice, severity="warning", timeout=15)
        self.reload()

    def action_paper(self) -> None:
        from pingyi.screens.paper import PaperScreen

        self.app.push_screen(PaperScreen(self.room_id, actor=self.actor))

    def action_reveal(self) -> None:
        from pingyi.screens.dialogs import Confirm

        if self.revealed:
            self.revealed = False
            self.query_one("#provisional").display = False
            return
        question = "会场仍在进行中，临时得分可能影响评议。\n只在会务需要时查看，不要投屏或公开。确定显示？"
        self.app.push_screen(Confirm("显示临时得分", question, ok="显示"), self._reveal)

    def _reveal(self, ok: bool | None) -> None:
        if ok:
            self.revealed = True
            self.query_one("#provisional").display = True
            self._load_provisional(record=True)  # audited once per reveal, not per refresh

    def _load_provisional(self, record: bool = False) -> None:
        from pingyi.voting.tally import provisional

        request(self, ProvisionalLoaded, provisional, self.actor, self.room_id, record)

    @on(ProvisionalLoaded)
    def _provisional(self, event: ProvisionalLoaded) -> None:
        from pingyi.screens.results import fill_ranking

        fill_ranking(self.query_one("#provisional-table", LiteralTable), event.result, {})

    def action_close(self) -> None:
        request(self, CloseChecked, load_turnout, self.room_id)

    @on(CloseChecked)
    def _confirm_close(self, event: CloseChecked) -> None:
        from pingyi.screens.dialogs import Confirm

        from pingyi.voting.describe import turnout_lines

        turnout, codes = event.result
        if self.room is None:
            return
        lines = [f"  {line}" for line in turnout_lines(self.room.spec, turnout)]
        unused = sum(c.get("unused", 0) for c in codes.values())
        body = "\n".join([f"收回选票共 {turnout.cast} 张：", *lines, "",
                          f"未用票码 {unused} 张将作废。结束后不能再投票，结果即计算并冻结。"])
        if turnout.pending_paper:
            body += f"\n\n注意：还有 {turnout.pending_paper} 张纸质选票待核对，须先核对或作废才能结束。"
        self.app.push_screen(Confirm(f"结束会场 {self.room_id}", body, ok="结束并计票", danger=True),
                             self._close_confirmed)

    def _close_confirmed(self, ok: bool | None) -> None:
        if ok:
            from pingyi.voting.rooms import close_room

            request(self, RoomClosed, close_room, self.actor, self.room_id)

    @on(RoomClosed)
    def _room_closed(self, event: RoomClosed) -> None:
        self.app.notify(f"会场 {event.result.id} 已结束，结果已冻结。")
        self.reload()
        self.action_results()

    def action_results(self) -> None:
        from pingyi.screens.results import ResultsScreen

        self.app.push_screen(ResultsScreen(self.room_id))

    def action_import_ballots(self) -> None:
        """Paper ballots typed into a CSV elsewhere (the same as ``pingyi ballots import``)."""
        from pingyi.screens.dialogs import PickFile

        self.app.push_screen(PickFile("导入纸质选票（CSV：ballot,group,person,各指标代码）", (".csv",)),
                             self._ballot_file)

    def _ballot_file(self, path: Path | None) -> None:
        if path is not None:
            from pingyi.voting.ballots import import_csv

            self._ballot_path = path
            request(self, BallotsImported, import_csv, self.actor, self.room_id, path)

    @on(BallotsImported)
    def _ballots_imported(self, event: BallotsImported) -> None:
        r = event.result
        self.app.notify(f"已导入选票 {r.cast} 张：有效 {r.valid}，无效 {r.invalid}，空白 {r.blank}。")
        self.reload()

    @on(Failed)
    def _import_refused(self, event: Failed) -> None:
        if event.call is BallotsImported:
            from pingyi.screens.dialogs import Problems

            event.stop()
            name = self._ballot_path.name if self._ballot_path else ""
            self.app.push_screen(Problems(f"选票未导入：{name}", event.error))
