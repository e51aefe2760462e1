"""Where the app can go: one registry read by the home screen, the bindings
and the command palette. Other screens join by adding a NavItem here.

``target`` is "module:ClassName" imported on first use, so the app starts
without importing every screen.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    from pingyi.people.accounts import Actor


class MenuScreen(Screen[None]):
    """A screen opened from the menu: it is handed the signed-in account, never reads it off the app."""

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def rebuild(self, actor: Actor) -> MenuScreen | None:
        """This page afresh for ``actor`` (None if it is not a menu page ``actor`` may open): the app
        puts it back under a screen that comes back after a switch of account."""
        cls = type(self)
        item = next((i for i in NAV if i.target == f"{cls.__module__}:{cls.__name__}"), None)
        return item.make(actor) if item is not None and actor.can(item.role) else None


class Go(Message):
    """Ask the app to open the menu item ``key`` (the app owns the screen stack)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


@dataclass(frozen=True)
class NavItem:
    key: str        # the binding on the home screen, e.g. "r"
    label: str      # shown in the footer, home menu and palette
    target: str     # "pingyi.screens.roster:RosterScreen", a MenuScreen
    role: str = "organizer"   # least role that may open it (pingyi.accounts roles)
    help: str = ""
    # in the home footer; the rarely used pages are left to their key, F1 and the palette, so
    # that an admin's footer holds the rest and ^q 退出 in 80 columns
    footer: bool = True

    def make(self, actor: Actor) -> MenuScreen:
        module, _, name = self.target.partition(":")
        cls: type[MenuScreen] = getattr(importlib.import_module(module), name)
        return cls(actor)


NAV: list[NavItem] = [
    NavItem("h", "首页", "pingyi.screens.home:HomeScreen", help="会场、投票进度与待办事项"),
    NavItem("m", "会场", "pingyi.screens.rooms:RoomsScreen", help="新建、开启、发票码、看进度、结束、删除草稿"),
    NavItem("r", "名单", "pingyi.screens.roster:RosterScreen", help="被测评人员：浏览、搜索、导入、停用或启用"),
    NavItem("s", "方案", "pingyi.screens.schemes:SchemesScreen", help="测评方案：指标、等次、类别、权重、规则"),
    NavItem("w", "预警", "pingyi.screens.desk.screen:DeskScreen", role="commission",
            help="预警建议、起草、审批、通知书、整改跟踪；扣分台账；廉洁指数与廉政谈话"),
    NavItem("x", "导出", "pingyi.screens.export:ExportScreen", role="commission",
            help="年终考核导出：工作簿（XLSX），可同时输出汇总 PDF 和 CSV"),
    NavItem("l", "系列", "pingyi.screens.series:SeriesScreen", help="多轮测评的系列：各轮倒数第一与连续次数"),
    NavItem("p", "政策", "pingyi.screens.policy:PolicyScreen", role="commission",
            help="现行预警与廉洁指数政策：发文机关、扣分标准、预警线、阈值；管理员导入新版本", footer=False),
    NavItem("a", "审计", "pingyi.screens.audit:AuditScreen", help="审计日志：操作记录逐条查看，校验哈希链是否完整"),
    NavItem("u", "账号", "pingyi.screens.accounts:AccountsScreen", role="admin",
            help="账号管理：新增、停用或启用、重设密码（管理员）", footer=False),
]


def allowed(actor: Any) -> list[NavItem]:
    """The items ``actor`` may open (all of them for an admin)."""
    return [item for item in NAV if actor is not None and actor.can(item.role)]


def find(key: str) -> NavItem:
    return next(item for item in NAV if item.key == key)
