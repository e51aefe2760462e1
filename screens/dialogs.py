"""Modal dialogs shared by screens: confirm, ask for a line, pick a file."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pingyi.screens.text import Prose, literal
from pingyi.screens.work import Done, Failed, request
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, SelectionList, Static

if TYPE_CHECKING:  # a string in a base class: checked by mypy, not imported at run time
    from textual.app import App

    from pingyi.people.roster import PersonInfo  # noqa: F401

ResultT = TypeVar("ResultT")


class Submitted(Done[Any]):
    """A dialog's own service call succeeded; the dialog closes with the result."""


class PersonsFound(Done["list[PersonInfo]"]):
    """Roster persons matching the picker's search (a newer search wins)."""
    exclusive = True


class Dialog(ModalScreen[ResultT]):
    """What every dialog shares: Escape or 取消 dismisses ``CANCELLED``; the
    button with id ``ok`` calls :meth:`finish`, which may refuse and stay open.

    A refused value never closes the dialog: :meth:`refuse` shows the reason
    inside it (above the buttons) and the typed values stay for correcting.
    :meth:`submit` runs the service call itself and dismisses with its result
    only when it succeeds.
    """

    BINDINGS = [Binding("escape", "cancel", "取消")]
    CANCELLED: ClassVar[Any] = None   # what Escape and 取消 dismiss with (a ResultT)

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def refuse(self, problem: BaseException | str) -> None:
        """Show why the input was refused, inside the dialog; keep the input."""
        from pingyi.screens.work import error_text

        text = problem if isinstance(problem, str) else error_text(problem)
        try:
            box = self.query_one("#dialog-error", Prose)
        except Exception:  # noqa: BLE001 - first refusal: add the message line
            box = Prose("", id="dialog-error")
            frame = self.query(".dialog").first()
            buttons = frame.query(".dialog-buttons")
            frame.mount(box, before=buttons.first() if buttons else None)
        box.update(text)
        for button in self.query("#ok"):
            button.disabled = False

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run a service call for this dialog: dismiss with its result, or refuse."""
        for button in self.query("#ok"):
            button.disabled = True
        request(self, Submitted, fn, *args, **kwargs)

    @on(Submitted)
    def _submitted(self, event: Submitted) -> None:
        event.stop()
        self.dismiss(event.result)

    @on(Failed)
    def _refused(self, event: Failed) -> None:
        if event.call is Submitted:
            event.stop()
            self.refuse(event.error)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.finish()
        else:
            self.action_cancel()

    def finish(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(self.CANCELLED)


class Confirm(Dialog[bool]):
    """Yes/no with a body text; dismisses True only on the confirm button.

    The one focus rule for every confirmation: a destructive action
    (``danger=True``: it voids, ends, deletes or discards something) starts on
    取消, anything else on the confirm button.
    """

    CANCELLED = False

    def __init__(self, title: str, body: str, ok: str = "确定", danger: bool = False) -> None:
        super().__init__()
        self._title, self._body, self._ok, self._danger = title, body, ok, danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Prose(self._body, id="confirm-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button(self._ok, id="ok", variant="error" if self._danger else "primary")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self._danger else "#ok", Button).focus()

    def finish(self) -> None:
        self.dismiss(True)


class Ask(Dialog[str | None]):
    """One line of input (a path, a reason); None when cancelled."""

    def __init__(self, title: str, prompt: str, value: str = "", placeholder: str = "", ok: str = "确定",
                 allow_empty: bool = False, run: Callable[[str], Any] | None = None) -> None:
        """``run(value)``, when given, is the service call: it runs in a worker,
        the dialog closes with its result and stays open with the message on failure."""
        super().__init__()
        self._title, self._prompt, self._value, self._placeholder, self._ok = title, prompt, value, placeholder, ok
        self._allow_empty = allow_empty
        self._run = run

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Label(self._prompt, markup=False)
            yield Input(self._value, placeholder=self._placeholder, id="ask-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button(self._ok, id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.finish()

    def finish(self) -> None:
        value = self.query_one("#ask-input", Input).value.strip()
        if not value and not self._allow_empty:
            self.refuse("请填写后再确定。")
        elif self._run is not None:
            self.submit(self._run, value)
        else:
            self.dismiss(value)


class _Files(DirectoryTree):
    def __init__(self, path: str | Path, suffixes: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self._suffixes = suffixes

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.is_dir() or p.suffix.lower() in self._suffixes)]


class PickFile(Dialog[Path | None]):
    """Browse for a file (or type its path); only ``suffixes`` are listed."""

    def __init__(self, title: str, suffixes: tuple[str, ...], start: str | Path | None = None) -> None:
        super().__init__()
        self._title, self._suffixes = title, suffixes
        self._start = Path(start or Path.cwd()).expanduser()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pick"):
            yield Static(f"{self._title}（{'、'.join(self._suffixes)}）", classes="dialog-title", markup=False)
            yield _Files(self._start, self._suffixes, id="pick-tree")
            yield Input(placeholder="或直接输入文件路径后回车", id="pick-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("选定", id="ok", variant="primary")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#pick-path", Input).value = str(event.path)
        self.finish()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.finish()

    def finish(self) -> None:
        text = self.query_one("#pick-path", Input).value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self.refuse(f"找不到文件：{path}")
            return
        self.dismiss(path)


def pick_candidates(search: str, limit: int, chosen: list[str]) -> list[PersonInfo]:
    """Persons in use matching ``search``; before them, any already chosen person who has been
    deactivated since (shown 「已停用」, ticked, so that the clerk can untick them: a room
    refuses a deactivated person, and one not listed could not be taken off)."""
    from pingyi.common.vocab import PersonStatus
    from pingyi.people.roster import list_persons

    wanted = set(chosen)
    stopped = [p for p in list_persons(search, status=PersonStatus.INACTIVE) if p.code in wanted] if wanted else []
    return stopped + list_persons(search, limit=limit, status=PersonStatus.ACTIVE)


class PickPersons(Dialog[list[str] | None]):
    """Hand-pick persons from the roster: search, tick, the choice survives new searches."""

    SHOWN = 300

    def __init__(self, chosen: list[str] | None = None) -> None:
        super().__init__()
        self.chosen: dict[str, None] = dict.fromkeys(chosen or [])   # ordered set of codes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pick-persons"):
            yield Static("选择被测评人员", classes="dialog-title")
            yield Input(placeholder="搜索：编号、姓名、单位或职务", id="pp-search")
            yield SelectionList[str](id="pp-list")
            yield Prose("", id="pp-status", classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("确定", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.load("")
        self.query_one("#pp-search", Input).focus()

    def load(self, search: str) -> None:
        # persons in use only (a deactivated person joins no new room), and chosen ones since deactivated
        request(self, PersonsFound, pick_candidates, search, self.SHOWN, list(self.chosen))

    @on(PersonsFound)
    def _found(self, event: PersonsFound) -> None:
        self.show(event.result)

    def show(self, persons: list[PersonInfo]) -> None:
        box: SelectionList[str] = self.query_one("#pp-list", SelectionList)
        box.clear_options()
        stopped = "  （已停用，请去掉）"
        box.add_options([(literal(f"{p.code}  {p.name}  {p.unit}  {p.post}" + ("" if p.active else stopped)),
                          p.code, p.code in self.chosen) for p in persons])
        if persons:
            box.highlighted = 0
        self._status(sum(1 for p in persons if p.active))

    def _status(self, shown: int | None = None) -> None:
        more = f"（只显示前 {self.SHOWN} 条，请搜索缩小范围）" if shown == self.SHOWN else ""
        self.query_one("#pp-status", Prose).update(f"已选 {len(self.chosen)} 人{more}  空格勾选")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.load(event.value.strip())

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        code = event.selection.value
        if code in self.chosen:
            del self.chosen[code]
        else:
            self.chosen[code] = None
        self._status()

    def finish(self) -> None:
        self.dismiss(list(self.chosen))


class EditQuotas(Dialog[tuple[dict[str, int], dict[str, int]] | None]):
    """Places per evaluator group while the room is a draft: ballot codes and paper forms."""

    def __init__(self, groups: list[tuple[str, str, int, int]]) -> None:
        super().__init__()
        self._groups = groups        # (key, name, codes, paper forms)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("各代表类别名额：票码 / 纸质选票", classes="dialog-title")
            for key, name, count, paper in self._groups:
                with Horizontal(classes="form-row"):
                    yield Label(name, markup=False)
                    yield Input(str(count), id=f"eq-{key}", type="integer", tooltip="票码")
                    yield Label("纸质", classes="paper-label")
                    yield Input(str(paper), id=f"ep-{key}", type="integer", tooltip="纸质选票")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消", id="cancel")
                yield Button("保存", id="ok", variant="primary")

    def finish(self) -> None:
        from pingyi.screens.widgets import count_value

        from pingyi.common.errors import PingyiError

        try:
            quotas = {key: count_value(self.query_one(f"#eq-{key}", Input).value, f"{name}的票码名额")
                      for key, name, _, _ in self._groups}
            paper = {key: count_value(self.query_one(f"#ep-{key}", Input).value, f"{name}的纸质选票名额")
                     for key, name, _, _ in self._groups}
        except PingyiError as exc:
            self.refuse(exc)
            return
        self.dismiss((quotas, paper))


class Problems(Dialog[None]):
    """A refused import: the message and every problem (with its line number)
    in a scrollable panel that stays until closed, instead of a toast."""

    def __init__(self, title: str, problem: BaseException | str) -> None:
        super().__init__()
        self._title = title
        self._problem = problem

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll

        from pingyi.common.errors import PingyiError

        p = self._problem
        if isinstance(p, PingyiError):
            head, lines = p.message, list(p.errors)
        else:
            from pingyi.screens.work import error_text

            head, lines = (p if isinstance(p, str) else error_text(p)), []
        with Vertical(classes="dialog", id="problems"):
            yield Static(self._title, classes="dialog-title", markup=False)   # quotes a file name
            yield Prose(head, id="problems-head")
            with VerticalScroll(id="problems-list"):
                yield Prose("\n".join(lines) or "（没有更多说明）", id="problems-lines")
            with Horizontal(classes="dialog-buttons"):
                yield Button("关闭", id="cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#problems-list").focus()


def ask_save_path(app: App[Any], title: str, default: str, then: Callable[[Path], object], ok: str = "保存") -> None:
    """Ask where to write a file; an existing file is overwritten only after a
    confirmation (destructive: 取消 has the focus). ``then`` gets the path."""
    def chosen(text: str | None) -> None:
        if not text:
            return
        path = Path(text).expanduser()
        if path.exists():
            def overwrite(yes: bool | None) -> None:
                if yes:
                    then(path)

            app.push_screen(Confirm("覆盖文件", f"文件已存在：{path}\n覆盖后原文件无法恢复。确定覆盖？",
                                    ok="覆盖", danger=True), overwrite)
        else:
            then(path)

    app.push_screen(Ask(title, "保存到：", default, ok=ok), chosen)
