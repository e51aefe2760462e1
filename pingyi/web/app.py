"""The phone and browser ballot and the projector page (DESIGN §13) as one aiohttp application.

Plain HTML forms and redirects carry the whole vote, so it works with
JavaScript off; the page script only improves it (no double submit, Enter
moves on, a draft saved as it is typed, a live projector). Everything is
served from this package: templates, one stylesheet, one script.

Database work runs in threads, each keeping its own connection: reads
(code checks, turnout) in a small pool, ballots in a pool of their own
(two threads on SQLite: one commits while the other waits for the disk in
the WAL checkpoint that follows every ballot; four on PostgreSQL). Ballots
go through ``pingyi.voting.ballots.submit``, exactly as at the kiosk.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gzip
import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar

import jinja2
from aiohttp import web
from markupsafe import Markup

from pingyi.common.errors import InputError, PingyiError
from pingyi.common.vocab import RoomStatus
from pingyi.voting.draft import STATE_NAMES, Draft, ballot_status, points
from pingyi.web import state
from pingyi.web.state import Clock, FormData, Full, Throttles, Voter, Voters

log = logging.getLogger("pingyi.web")
T = TypeVar("T")

COOKIE = "pingyi"
MAX_BODY = 256 * 1024  # a form of 500 persons × 4 indicators is about 60 KB
MAX_FIELDS = 20_000
REFRESH_SECONDS = 0.5  # the projector polls every second: it shows a ballot within 1.5 s
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                "base-uri 'none'; object-src 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
NOTICES = {  # messages carried across a redirect by a fixed word in the query string
    "abandoned": ("本票已放弃，票码仍可使用。", "info"),
    "expired": ("长时间没有操作，未提交的选票已清除；票码仍可使用，请重新输入。", "info"),
    "next": ("请下一位评议代表输入票码。", "info"),
}
EXPIRED = "/?m=expired"
KEY = web.RequestKey("key", str)  # this browser's random key (cookie)
HAD_KEY = web.RequestKey("had_key", bool)  # the browser sent a well-formed key
SET_KEY = web.RequestKey("set_key", bool)  # the response must (re)set the cookie
FLASHES_KEPT = 10_000
GZIP_FROM = 16 * 1024
_BETWEEN_TAGS = re.compile(r">\s+<")
ROOM_CLOSED_WORDS = {"draft": "会场尚未开启，暂不能投票。", "closed": "会场已结束，不能再投票。"}


def see(url: str) -> web.Response:
    """303 See Other: after a form, the browser loads the next page with GET (reload never re-posts)."""
    return web.Response(status=303, headers={"Location": url})


@dataclass
class Config:
    """How one ``pingyi serve`` behaves; tests shrink the caps and inject clocks."""

    room_id: str
    show_results: bool = False
    public_url: str | None = None  # the address shown on the projector page and in its QR
    per_address: int = state.MAX_PER_ADDRESS
    total: int = state.MAX_TOTAL
    idle: float = state.IDLE_SECONDS
    clock: Clock | None = None
    read_threads: int = 3
    write_threads: int | None = None  # None: two on SQLite, four on PostgreSQL
    refresh_seconds: float = REFRESH_SECONDS
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))


class Pool:
    """Threads that each keep one database connection open for their life."""

    def __init__(self, threads: int, name: str):
        from pingyi.db.connection import database

        self.threads = threads
        self._db = database
        self._executor = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix=name,
                                                               initializer=self._connect)

    def _connect(self) -> None:
        """Open this thread's connection now; if the server is away, each call's session() retries."""
        try:
            self._db.connect(reuse_if_open=True)
        except Exception:  # an initializer that raises would break the pool for good
            log.exception("opening a database connection")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def close(self) -> None:
        """Close every thread's connection (each thread takes one closing task), then stop the threads."""
        barrier = threading.Barrier(self.threads, timeout=5)

        def close_here() -> None:
            if not self._db.is_closed():
                self._db.close()
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

        try:
            await asyncio.gather(*(self.run(close_here) for _ in range(self.threads)))
        except Exception:  # closing must not stop the shutdown
            log.exception("closing database connections")
        self._executor.shutdown(wait=True)


@dataclass
class Snapshot:
    """What the projector shows, refreshed by one task for every viewer."""

    version: int = -1
    status: str = "draft"
    groups: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] | None = None
    results: list[dict[str, Any]] | None = None

    def public(self) -> dict[str, Any]:
        returned = sum(g["returned"] for g in self.groups)
        issued = sum(g["issued"] for g in self.groups)
        return {"version": self.version, "status": self.status, "groups": self.groups,
                "returned": returned, "issued": issued, "counts": self.counts, "results": self.results}


def _load_room(room_id: str) -> tuple[Any, list[Any]]:
    from pingyi.voting import rooms

    return rooms.get_room(room_id), rooms.room_persons(room_id)


def _poll_state(room_id: str) -> tuple[int, str] | None:
    from pingyi.dashboard import versions

    return versions().get(room_id)


def _snapshot(room_id: str, show_results: bool) -> Snapshot:
    """Turnout per group (发出 = places, 收回 = ballots), and after close the counts and maybe the ranking."""
    from pingyi.voting import rooms, tally

    room = rooms.get_room(room_id)
    t = rooms.turnout(room_id)
    names = {g.key: g.name for g in room.spec.groups}
    groups = [{"key": k, "name": names.get(k, k), "returned": cast, "issued": quota,
               "percent": min(100, round(100 * cast / quota)) if quota else 0}
              for k, (cast, quota) in t.groups.items() if quota or cast]
    snap = Snapshot(version=t.version, status=t.status, groups=groups)
    if t.status == RoomStatus.CLOSED:
        report = tally.get_tally(room_id)
        c = report.counts
        snap.counts = {"cast": c.cast, "valid": c.valid, "invalid": c.invalid, "blank": c.blank}
        if show_results:
            snap.results = [{"rank": r.rank, "name": r.name, "unit": r.unit, "post": r.post,
                             "score": None if r.score is None else f"{r.score:.2f}", "bottom": r.bottom}
                            for r in report.results]
    return snap


class Ballots:
    """The server: the room, the voters, the throttles, the projector snapshot."""

    def __init__(self, config: Config):
        self.config = config
        clock = config.clock or time.monotonic
        self.voters = Voters(clock=clock, idle=config.idle, per_address=config.per_address, total=config.total)
        self.throttles = Throttles(clock=clock)
        self.inflight: dict[str, asyncio.Task[str]] = {}
        self.flashes: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self.room: Any = None
        self.persons: list[Any] = []
        self.status = "draft"
        self.snapshot = Snapshot()
        self.reads: Pool | None = None
        self.writes: Pool | None = None
        self._refresher: asyncio.Task[None] | None = None
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("pingyi.web", "templates"),
            autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.static = {name: (resources.files("pingyi.web").joinpath("static", name).read_bytes(), kind)
                       for name, kind in (("style.css", "text/css"), ("app.js", "text/javascript"))}
        self.asset_version = hashlib.sha256(b"".join(b for b, _ in self.static.values())).hexdigest()[:10]
        self._qr: bytes | None = None
        self._card = self.env.get_template("card.html").module.card  # type: ignore[attr-defined]
        self._empty_cards: dict[int, str] = {}

    # -- life cycle

    async def start(self, app: web.Application) -> None:
        self.reads = Pool(self.config.read_threads, "pingyi-read")
        from pingyi.db.connection import is_sqlite

        writers = self.config.write_threads or (2 if is_sqlite() else 4)
        self.writes = Pool(writers, "pingyi-write")
        self.room, self.persons = await self.reads.run(_load_room, self.config.room_id)
        self.status = self.room.status
        await self.refresh()
        self._refresher = asyncio.create_task(self._refresh_loop())

    async def stop(self, app: web.Application) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        # a ballot being stored is stored before we stop
        await asyncio.gather(*self.inflight.values(), return_exceptions=True)
        for pool in (self.reads, self.writes):
            if pool is not None:
                await pool.close()

    async def _refresh_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.refresh_seconds)
            try:
                await self.refresh()
            except Exception:
                log.exception("refreshing the turnout")
            self.voters.sweep()

    async def refresh(self) -> None:
        """Re-read the turnout when the room's ballot counter or status moved."""
        assert self.reads is not None
        polled = await self.reads.run(_poll_state, self.config.room_id)
        if polled is None:
            return
        version, status = polled
        if status == RoomStatus.OPEN and self.status != RoomStatus.OPEN:
            # opened while we served: persons and scheme were still editable until now
            self.room, self.persons = await self.reads.run(_load_room, self.config.room_id)
            self._empty_cards.clear()
        self.status = status
        if (version, status) != (self.snapshot.version, self.snapshot.status):
            self.snapshot = await self.reads.run(_snapshot, self.config.room_id, self.config.show_results)

    # -- helpers

    def render(self, request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
        html = self.env.get_template(template).render(
            room=self.room, csrf=state.csrf_token(self.config.secret, request[KEY]), v=self.asset_version,
            **context)
        headers = {"Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8"}
        return web.Response(body=html.encode(), status=status, headers=headers)

    def message(self, request: web.Request, title: str, text: str, status: int = 200,
                link: tuple[str, str] | None = ("/", "返回首页")) -> web.Response:
        return self.render(request, "message.html", status=status, title=title, text=text, link=link)

    async def form(self, request: web.Request) -> FormData | web.Response:
        """The posted form once its CSRF token checks out; otherwise the page to show instead."""
        try:
            posted = await request.post()
        except web.HTTPRequestEntityTooLarge:
            return self.message(request, "内容过大", "提交的内容超出了允许的大小，请返回重试。", status=413)
        if len(posted) > MAX_FIELDS:
            return self.message(request, "内容过大", "提交的内容超出了允许的大小，请返回重试。", status=413)
        pairs = [(k, v) for k, v in posted.items() if isinstance(v, str)]
        data = FormData(pairs)
        if not request[HAD_KEY]:
            return self.message(request, "请允许 Cookie", "浏览器没有带上本页面的 Cookie：请在浏览器设置中"
                                "允许本网站使用 Cookie，然后从首页重新开始。", status=403)
        if not state.csrf_ok(self.config.secret, request[KEY], data.get("csrf")):
            return self.message(request, "页面已失效", "这个页面已经失效（可能打开太久或来自别的页面），"
                                "请从首页重新开始。", status=403)
        return data

    def voter(self, request: web.Request) -> Voter | None:
        return self.voters.get(request[KEY])

    def group_name(self, group: str) -> str:
        g = self.room.spec.group(group)
        return g.name if g else group

    # -- flash messages: every form answers with a redirect, so back and reload never post again

    def tell(self, key: str, message: str, kind: str = "error") -> None:
        self.flashes[key] = (message, kind)
        self.flashes.move_to_end(key)
        while len(self.flashes) > FLASHES_KEPT:
            self.flashes.popitem(last=False)

    def told(self, key: str) -> tuple[str, str]:
        return self.flashes.pop(key, ("", ""))

    # -- the code page

    async def code_page(self, request: web.Request) -> web.StreamResponse:
        key = request[KEY]
        if self.voters.done(key):
            return see("/done")
        if self.voters.get(key) is not None:
            return see("/ballot")
        message, kind = self.told(key)
        if not message:
            message, kind = NOTICES.get(request.query.get("m", ""), ("", ""))
        return self.code_form(request, message, kind)

    def code_form(self, request: web.Request, message: str = "", kind: str = "error",
                  status: int = 200) -> web.Response:
        """The code page; while this address must wait, the kiosk's words and the seconds left."""
        address = request.remote or "?"
        left = self.throttles.of(address).remaining()
        wait = int(left) + 1 if left > 0 else 0
        words = self.throttles.wait_words(address)
        if words and (not message or kind != "error"):
            message, kind = words, "error"
        elif words and "请等待" not in message:
            message = words
        if not message and self.status != RoomStatus.OPEN:
            message, kind = ROOM_CLOSED_WORDS.get(self.status, ""), "error"
        return self.render(request, "code.html", status=status, message=message, kind=kind, wait=wait)

    async def code_post(self, request: web.Request) -> web.StreamResponse:
        from pingyi.voting.ballots import CodeRefused, check_code

        data = await self.form(request)
        if isinstance(data, web.Response):
            return data
        key = request[KEY]
        if self.voters.done(key):
            return see("/done")
        address = request.remote or "?"
        left = self.throttles.of(address).remaining()
        if left > 0:  # not checked, not counted: the address must wait first
            resp = self.code_form(request, status=429)
            resp.headers["Retry-After"] = str(int(left) + 1)
            return resp
        if self.status != RoomStatus.OPEN:
            return see("/")
        typed = data.get("code", "")[:64].strip()
        if not typed:
            self.tell(key, "请输入票码。")
            return see("/")
        assert self.reads is not None
        try:
            group = await self.reads.run(check_code, self.room.id, typed)
        except CodeRefused as exc:
            self.throttles.refused(address, exc.message)
            self.tell(key, exc.message)
            return see("/")
        except PingyiError as exc:
            self.tell(key, exc.message)
            return see("/")
        self.throttles.accepted(address)
        fresh = state.new_key()  # a new key once the code is accepted: nothing set before can ride along
        try:
            self.voters.start(fresh, address, Draft(typed, group, self.persons, self.room.spec))
        except Full as full:
            return self.full_page(request, full.scope)
        self.voters.forget(key)
        request[KEY] = fresh
        request[SET_KEY] = True
        return see("/ballot")

    def full_page(self, request: web.Request, scope: str) -> web.Response:
        if scope == "address":
            text = ("这台设备（或同一网络出口）上同时进行中的选票太多了。请先完成或放弃已开始的选票，"
                    "稍候再输入票码；票码仍可使用。")
        else:
            text = "同时投票的人数已满，请稍等一两分钟再输入票码；票码仍可使用。"
        resp = self.message(request, "请稍候再试", text, status=503)
        resp.headers["Retry-After"] = "30"
        return resp

    # -- the rating page

    def gone(self, request: web.Request) -> web.Response:
        """Where a browser without a live ballot belongs: 已提交, or the code page saying why."""
        if self.voters.done(request[KEY]):
            return see("/done")
        return see(EXPIRED if request.method == "POST" else "/")

    async def ballot_page(self, request: web.Request) -> web.StreamResponse:
        voter = self.voter(request)
        if voter is None:
            return self.gone(request)
        message, _ = self.told(request[KEY])
        return self.rating(request, voter, message)

    def rating(self, request: web.Request, voter: Voter, message: str = "") -> web.Response:
        """The rating page; after a refused 核对 every unfinished person says why, linked from the top."""
        d = voter.draft
        spec = d.spec
        grades = {label for label, _ in spec.grades}
        maxes = [points(i.max) for i in spec.indicators]
        cards = []
        problems: list[tuple[str, str]] = [("", line) for line in message.splitlines() if line]
        for n, p in enumerate(d.persons):
            row_state, _, row_problems = d.row(p.code)
            problem = row_problems[0] if voter.checked and row_problems else ""
            problems += [(f"#p{n}", f"{p.name}：{text}") for text in (row_problems if problem else [])]
            if row_state == "empty" and not problem:  # most cards, always the same: made once
                cached = self._empty_cards.get(n)
                if cached is None:
                    cached = self._empty_cards[n] = self.card(self._card_row(n, p, "empty", "", d), spec, maxes)
                cards.append(cached)
            else:
                cards.append(self.card(self._card_row(n, p, row_state, problem, d, grades), spec, maxes))
        ranges = "，".join(f"{i.name} 0–{points(i.max)} 分" for i in spec.indicators)
        return self.render(request, "rating.html", cards=Markup("".join(cards)), rows=d.persons, spec=spec,
                           group=self.group_name(d.group), problems=problems, ranges=ranges, rev=voter.revision)

    def card(self, row: dict[str, Any], spec: Any, maxes: list[str]) -> str:
        """One person's card, without the whitespace between tags (a page has hundreds of them)."""
        return _BETWEEN_TAGS.sub("><", str(self._card(row, spec, maxes)))

    @staticmethod
    def _card_row(n: int, p: Any, row_state: str, problem: str, d: Draft,
                  grades: set[str] | None = None) -> dict[str, Any]:
        cells = d.cells[p.code]
        grades = grades or set()
        return {"n": n, "p": p, "state": row_state, "state_name": STATE_NAMES[row_state],
                "abstain": row_state == "abstain", "problem": problem,
                "typed": [c if c not in grades else "" for c in cells],
                "grade": [c if c in grades else "" for c in cells]}

    async def ballot_post(self, request: web.Request) -> web.StreamResponse:
        data = await self.form(request)
        if isinstance(data, web.Response):
            return data
        voter = self.voter(request)
        if voter is None:
            if data.get("action") == "save":
                return web.json_response({"gone": True}, status=409)
            return self.gone(request)
        if state.read_rating(voter.draft, data):
            voter.revision += 1
        if data.get("action") == "save":  # the page script keeping the draft as it is typed
            return web.json_response({"revision": voter.revision}, headers={"Cache-Control": "no-store"})
        if voter.draft.problems():
            voter.checked = True  # from now on unfinished persons explain themselves, as on the kiosk
            return see("/ballot#problems")
        return see("/review")

    # -- the review page

    async def review_page(self, request: web.Request) -> web.StreamResponse:
        voter = self.voter(request)
        if voter is None:
            return self.gone(request)
        d = voter.draft
        if d.problems():
            return see("/ballot")
        message, _ = self.told(request[KEY])
        spec = d.spec
        entries = d.entries()
        rows: list[dict[str, Any]] = []
        for p in d.persons:
            values = entries[p.code]
            if values is None:
                rows.append({"p": p, "abstain": True})
                continue
            vals = [d.parser.value(i, v) for i, v in enumerate(values)]
            cells = []
            for ind, text, tenths in zip(spec.indicators, values, vals, strict=True):
                is_grade = any(label == text.strip() for label, _ in spec.grades)
                cells.append({"name": ind.name, "text": text.strip(),
                              "points": points(tenths) if is_grade else ""})
            rows.append({"p": p, "abstain": False, "cells": cells,
                         "total": points(sum(v for v in vals if v is not None))})
        verdict, words = ballot_status(spec, d)
        rated = sum(1 for v in entries.values() if v is not None)
        return self.render(request, "review.html", rows=rows, verdict=verdict, words=words,
                           rated=rated, abstained=len(entries) - rated, rev=voter.revision,
                           group=self.group_name(d.group), message=message)

    async def submit_post(self, request: web.Request) -> web.StreamResponse:
        data = await self.form(request)
        if isinstance(data, web.Response):
            return data
        key = request[KEY]
        if self.voters.done(key):
            return see("/done")
        task = self.inflight.get(key)
        if task is None:  # not a second tap while the first is being stored
            voter = self.voter(request)
            if voter is None:
                return self.gone(request)
            if data.get("rev") != str(voter.revision):  # changed in another tab since this review
                self.tell(key, "选票在核对之后又有改动，请再核对一遍。")
                return see("/review")
            if voter.draft.problems():
                return see("/ballot")
            task = self.inflight[key] = asyncio.create_task(self._store(voter))
            task.add_done_callback(lambda _t: self.inflight.pop(key, None))
        try:
            await asyncio.shield(task)
        except Exception as exc:  # noqa: BLE001 - every failure gets its page; refused() logs the unknown ones
            return self.refused(request, exc)
        return see("/done")

    async def _store(self, voter: Voter) -> str:
        """Submit through the kiosk's service; only a committed ballot marks the browser done."""
        from pingyi.voting.ballots import submit

        assert self.writes is not None
        status = await self.writes.run(submit, self.room.id, voter.draft.code, voter.draft.entries())
        self.voters.finish(voter.key, status)
        return status

    def refused(self, request: web.Request, exc: BaseException) -> web.Response:
        """A ballot that was not stored: say why, and keep it where it can still be saved."""
        from pingyi.voting.ballots import CodeRefused

        key = request[KEY]
        if self.voters.done(key):  # stored by a tap that came first
            return see("/done")
        voter = self.voter(request)
        if isinstance(exc, CodeRefused):
            self.voters.drop(key)
            self.tell(key, f"未提交：{exc.message}")
            return see("/")
        if isinstance(exc, InputError) and exc.errors and voter is not None:
            voter.checked = True
            self.tell(key, f"未提交：{exc.message}" + "".join(f"\n{e}" for e in exc.errors[:5]))
            return see("/ballot#problems")
        if isinstance(exc, PingyiError):
            self.voters.drop(key)
            self.tell(key, f"未提交：{exc.message}")
            return see("/")
        log.error("storing a ballot failed", exc_info=exc)
        if voter is None:
            return see(EXPIRED)
        self.tell(key, "提交失败，选票没有记录，请再按「确认提交」重试。")
        return see("/review")

    # -- after

    async def done_page(self, request: web.Request) -> web.StreamResponse:
        if not self.voters.done(request[KEY]):
            return see("/ballot" if self.voter(request) else "/")
        return self.render(request, "done.html")

    async def next_post(self, request: web.Request) -> web.StreamResponse:
        """The device is handed to the next evaluator: a fresh key, nothing of the last ballot."""
        data = await self.form(request)
        if isinstance(data, web.Response):
            return data
        if self.inflight.get(request[KEY]):
            return see("/done")
        self.voters.forget(request[KEY])
        request[KEY] = state.new_key()
        request[SET_KEY] = True
        return see("/?m=next")

    async def abandon_page(self, request: web.Request) -> web.StreamResponse:
        if self.voter(request) is None:
            return see("/")
        return self.render(request, "abandon.html")

    async def abandon_post(self, request: web.Request) -> web.StreamResponse:
        data = await self.form(request)
        if isinstance(data, web.Response):
            return data
        if self.inflight.get(request[KEY]):
            return see("/done")
        self.voters.drop(request[KEY])
        return see("/?m=abandoned")

    # -- the projector

    async def screen_page(self, request: web.Request) -> web.StreamResponse:
        snap = self.snapshot.public()
        return self.render(request, "screen.html", snap=snap, url=self.config.public_url,
                           refresh=max(1, int(self.config.refresh_seconds * 2)))

    async def screen_json(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.snapshot.public(), headers={"Cache-Control": "no-store"})

    async def qr(self, request: web.Request) -> web.StreamResponse:
        if not self.config.public_url:
            raise web.HTTPNotFound()
        if self._qr is None:
            from pingyi.web.qr import qr_svg

            self._qr = qr_svg(self.config.public_url).encode()
        return web.Response(body=self._qr, content_type="image/svg+xml", headers={"Cache-Control": "no-cache"})

    async def asset(self, request: web.Request) -> web.StreamResponse:
        hit = self.static.get(request.match_info["name"])
        if hit is None:
            raise web.HTTPNotFound()
        body, kind = hit
        return web.Response(body=body, content_type=kind, charset="utf-8",
                            headers={"Cache-Control": "public, max-age=3600"})


# ---- middlewares ------------------------------------------------------------------

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ERROR_PAGES = {
    400: ("请求有误", "浏览器发来的请求无法识别，请从首页重新开始。"),
    403: ("无法访问", "这个页面不能访问。"),
    404: ("没有这个页面", "没有这个页面，请从首页开始。"),
    405: ("请求有误", "这个页面不能这样打开，请从首页开始。"),
    413: ("内容过大", "提交的内容超出了允许的大小，请返回重试。"),
}


def _middlewares(server: Ballots) -> list[Any]:
    @web.middleware
    async def keyed(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Every browser gets a random key in a cookie: its voter and its CSRF tokens hang on it."""
        given = request.cookies.get(COOKIE, "")
        ok = 16 <= len(given) <= 64 and given.isascii() and given.replace("-", "").replace("_", "").isalnum()
        request[HAD_KEY] = ok
        request[KEY] = given if ok else state.new_key()
        request[SET_KEY] = not ok
        resp = await handler(request)
        if request[SET_KEY]:
            resp.set_cookie(COOKIE, request[KEY], httponly=True, samesite="Lax", path="/")
        return resp

    @web.middleware
    async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Chinese pages for every error; a stack trace goes to the console, never to a page."""
        try:
            resp = await handler(request)
        except web.HTTPException as exc:
            if KEY not in request:
                request[KEY] = state.new_key()
            title, text = ERROR_PAGES.get(exc.status, ("出错了", "这个请求没有完成，请从首页重新开始。"))
            resp = server.message(request, title, text, status=exc.status)
        except Exception:  # the last resort: a Chinese page, the trace in the console
            log.exception("%s %s", request.method, request.path)
            if KEY not in request:
                request[KEY] = state.new_key()
            resp = server.message(request, "出错了", "服务器出了故障，这个请求没有完成（选票没有因此提交）。"
                                  "请稍后从首页重试；如果一再出现，请告诉会务人员。", status=500)
        resp.headers.update(SECURITY_HEADERS)
        body = resp.body if isinstance(resp, web.Response) else None
        if (isinstance(resp, web.Response) and isinstance(body, bytes) and len(body) > GZIP_FROM
                and "Content-Encoding" not in resp.headers and "gzip" in request.headers.get("Accept-Encoding", "")):
            # A rating page of 60 persons is ~150 KB of very repetitive HTML, ~12 KB gzipped at level 1:
            # it spares the meeting's Wi-Fi, and zlib works in a thread beside the event loop.
            resp.body = await asyncio.to_thread(gzip.compress, body, 1, mtime=0)
            resp.headers["Content-Encoding"] = "gzip"
            resp.headers["Vary"] = "Accept-Encoding"
        return resp

    return [guarded, keyed]


SERVER = web.AppKey("server", Ballots)


def create_app(config: Config) -> web.Application:
    """The application; the database must already be open (``open_database``)."""
    server = Ballots(config)
    app = web.Application(client_max_size=MAX_BODY, middlewares=_middlewares(server))
    app[SERVER] = server
    app.on_startup.append(server.start)
    app.on_cleanup.append(server.stop)
    r = app.router
    r.add_get("/", server.code_page)
    r.add_post("/", server.code_post)
    r.add_get("/ballot", server.ballot_page)
    r.add_post("/ballot", server.ballot_post)
    r.add_get("/review", server.review_page)
    r.add_post("/submit", server.submit_post)
    r.add_get("/done", server.done_page)
    r.add_post("/next", server.next_post)
    r.add_get("/abandon", server.abandon_page)
    r.add_post("/abandon", server.abandon_post)
    r.add_get("/screen", server.screen_page)
    r.add_get("/screen.json", server.screen_json)
    r.add_get("/qr.svg", server.qr)
    r.add_get("/static/{name}", server.asset)
    return app

