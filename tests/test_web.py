"""The browser ballot server's logic through aiohttp's test server: the vote
end to end, CSRF, caps, expiry, size limits, idempotent submits, refused
codes and their slow-down, error pages and the projector data."""
from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tests.test_kiosk import FakeClock
from tests.ui_support import ui_admin  # noqa: F401
from tests.web_support import (
    WebRoom,
    csrf_of,
    make_web_room,
    person_codes,
    stored,
    totals,
)


class Browser:
    """One browser: its own cookies, its own client address."""

    def __init__(self, server: TestServer, address: str = "127.0.0.1"):
        self.session = aiohttp.ClientSession(
            base_url=str(server.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True),
            connector=aiohttp.TCPConnector(local_addr=(address, 0), force_close=True))
        self.html = ""
        self.status = 0
        self.url = ""

    async def get(self, path: str, follow: bool = True) -> str:
        async with self.session.get(path, allow_redirects=follow) as r:
            self.status, self.url, self.html = r.status, str(r.url.path), await r.text()
            self.headers = r.headers
        return self.html

    async def post(self, path: str, data: dict | list | None = None, follow: bool = True,
                   csrf: bool = True) -> str:
        pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
        if csrf:
            pairs.append(("csrf", csrf_of(self.html)))
        async with self.session.post(path, data=pairs, allow_redirects=follow) as r:
            self.status, self.url, self.html = r.status, str(r.url.path), await r.text()
            self.headers = r.headers
        return self.html

    async def code(self, code: str) -> str:
        await self.get("/")
        return await self.post("/", {"code": code})

    async def rate(self, values: dict[str, str], abstain: tuple[str, ...] = (), grades: dict | None = None) -> str:
        pairs = [("full", "1"), *values.items(), *(("abstain", c) for c in abstain),
                 *((f"grade.{k}", v) for k, v in (grades or {}).items()), ("action", "review")]
        return await self.post("/ballot", pairs)

    async def close(self) -> None:
        await self.session.close()


@pytest.fixture
def web_room(ui_admin) -> WebRoom:  # noqa: F811 - the fixture imported above
    return make_web_room(ui_admin)


@pytest.fixture
async def web(web_room):
    """(start, room): start(**config) → (server object, browser factory)."""
    from pingyi.web.app import SERVER, Config, create_app

    servers: list[TestServer] = []
    browsers: list[Browser] = []

    async def start(**config):
        config.setdefault("refresh_seconds", 3600)  # tests refresh the projector themselves
        app = create_app(Config(web_room.id, **config))
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)

        def browser(address: str = "127.0.0.1") -> Browser:
            b = Browser(server, address)
            browsers.append(b)
            return b

        return app[SERVER], browser

    yield start, web_room
    for b in browsers:
        await b.close()
    for s in servers:
        await s.close()


def _values(persons: list[str], perf: str = "40", clean: str = "45") -> dict[str, str]:
    return {**{f"{p}.perf": perf for p in persons}, **{f"{p}.clean": clean for p in persons}}


async def test_a_whole_vote_and_every_way_back_to_it(web):
    start, room = web
    _, browser = await start()
    b = browser()
    persons = person_codes(room.id)
    html = await b.get("/")
    assert b.status == 200 and room.id and "第一次双定双评测评会" in html
    assert re.search(r'<label for="code"[^>]*>票码</label>', html)
    code_input = re.search(r'<input id="code"[^>]*>', html, re.DOTALL).group(0)
    assert 'name="code"' in code_input and 'autocapitalize="characters"' in code_input
    assert 'autocomplete="off"' in code_input
    assert "Content-Security-Policy" in b.headers and b.headers["Cache-Control"] == "no-store"

    code = room.take()
    html = await b.code(code.lower()[:5] + "-" + code.lower()[5:])  # as typed on a phone
    assert b.url == "/ballot" and b.status == 200
    for p in persons:
        for ind in ("perf", "clean"):
            field = re.search(rf'<input [^>]*name="{p}\.{ind}"[^>]*>', html, re.DOTALL)
            assert field and 'inputmode="decimal"' in field.group(0)
    label = re.search(r'<label for="p0-0"[^>]*>(.*?)</label>', html, re.DOTALL).group(1)
    assert "王伟" in label and "评绩" in label
    assert html.count('name="abstain"') == len(persons)
    assert re.search(r"<button[^>]*>核对</button>", html)

    values = _values(persons[1:])
    values[f"{persons[1]}.perf"] = "４２"  # full-width digits from a Chinese keyboard
    await b.rate(values, abstain=(persons[0],))
    assert b.url == "/review"
    assert "弃权" in b.html and "42" in b.html and "87" in b.html  # 42 + 45
    assert "本票有效。" in b.html
    assert re.search(r"<button[^>]*>返回修改</button>", b.html) and re.search(r"<button[^>]*>确认提交</button>", b.html)

    await b.get("/ballot")  # 返回修改 keeps everything
    assert re.search(rf'name="{persons[1]}\.perf"[^>]*value="42"', b.html, re.DOTALL)
    await b.get("/review")
    await b.post("/submit", {"rev": re.search(r'name="rev" value="(\d+)"', b.html).group(1)})
    assert b.url == "/done" and "已提交" in b.html
    assert stored(room.id) == [("masses", "valid")]
    assert totals(room.id)[persons[1]] == 870 and totals(room.id)[persons[0]] is None

    for path in ("/", "/ballot", "/review", "/done"):  # reload, back: 已提交 again, nothing cast
        await b.get(path)
        assert b.url == "/done" and "已提交" in b.html, path
    await b.post("/submit", {"rev": "1"})
    assert b.url == "/done"
    assert len(stored(room.id)) == 1

    await b.post("/next")  # the device goes to the next evaluator
    assert b.url == "/" and "请下一位评议代表输入票码" in b.html
    await b.post("/", {"code": code})
    assert "这个票码已经投过票，不能重复使用。" in b.html


async def test_double_tap_stores_one_ballot_and_both_taps_see_it(web, monkeypatch):
    from pingyi.voting import ballots

    start, room = web
    _, browser = await start()
    b = browser()
    calls = []
    real = ballots.submit

    def counted(*args):
        calls.append(args[1])
        return real(*args)

    monkeypatch.setattr(ballots, "submit", counted)
    await b.code(room.take())
    await b.rate(_values(person_codes(room.id)))
    token, rev = csrf_of(b.html), re.search(r'name="rev" value="(\d+)"', b.html).group(1)

    async def tap() -> tuple[int, str]:
        async with b.session.post("/submit", data={"csrf": token, "rev": rev}, allow_redirects=False) as r:
            return r.status, r.headers.get("Location", "")

    assert await asyncio.gather(tap(), tap(), tap()) == [(303, "/done")] * 3
    assert len(calls) == 1 and len(stored(room.id)) == 1


async def test_forms_need_their_token_and_cookie(web):
    start, room = web
    _, browser = await start()
    b = browser()
    await b.get("/")
    await b.post("/", {"code": room.take(), "csrf": "0" * 32}, csrf=False)
    assert b.status == 403 and "页面已失效" in b.html
    fresh = browser()
    await fresh.post("/", {"code": room.take(), "csrf": "x"}, csrf=False)  # never loaded a page: no cookie
    assert fresh.status == 403 and "Cookie" in fresh.html
    await b.get("/")
    await b.post("/", {"code": room.codes["masses"][0]})
    assert b.url == "/ballot"
    old_token = csrf_of(b.html)
    other = browser()
    await other.get("/")
    await other.post("/submit", {"csrf": old_token}, csrf=False)  # a token from another browser
    assert other.status == 403
    assert stored(room.id) == []


async def test_refused_codes_say_why_and_slow_down_per_address(web):
    from pingyi.voting import rooms

    start, room = web
    clock = FakeClock()
    _, browser = await start(clock=clock)
    b = browser()
    await b.code("ABCDE-FGHJK")
    assert b.url == "/" and "票码无效：本会场没有这个票码。" in b.html
    await b.post("/", {"code": "12"})
    assert "票码格式不对" in b.html
    await b.post("/", {"code": "ACDEF-GHJKM"})  # the third refusal in a row: the kiosk's wait begins
    assert "票码错误次数较多，请等待 3 秒后再输入。" in b.html and 'data-wait="3"' in b.html
    good = room.take()
    await b.post("/", {"code": good})  # not even checked while the address waits
    assert b.status == 429 and b.headers["Retry-After"] == "3" and "请等待" in b.html
    neighbour = browser("127.0.0.2")  # another address is not slowed down
    await neighbour.code(room.take())
    assert neighbour.url == "/ballot"
    same_address = browser()  # a new browser on the waiting address waits too
    await same_address.get("/")
    assert "请等待" in same_address.html
    clock.now += 3
    await b.post("/", {"code": good})
    assert b.url == "/ballot"  # a good code resets the wait

    used = browser("127.0.0.3")
    await used.code(room.take())
    await used.rate(_values(person_codes(room.id)))
    await used.post("/submit", {"rev": "1"})
    await used.post("/next")
    voided = rooms.issue_codes(room.admin, room.id)  # reprint: the unused codes are void
    await used.post("/", {"code": room.take()})
    assert "这个票码已作废，请向会务人员领取新票码。" in used.html
    assert voided


async def test_old_alphabet_codes_are_still_accepted(web):
    from pingyi.voting import codes

    assert {"2", "5", "8", "B", "S", "Z"} <= set(codes.ACCEPTED)
    assert codes.normalise("zz2s5-8b8b8") == "ZZ2S58B8B8"


async def test_caps_per_address_and_overall_and_expiry(web):
    start, room = web
    clock = FakeClock()
    _, browser = await start(clock=clock, per_address=1, total=2, idle=600)
    a1, a2 = browser(), browser()
    await a1.code(room.take())
    assert a1.url == "/ballot"
    await a2.code(room.take())
    assert a2.status == 503 and "请稍候再试" in a2.html and "票码仍可使用" in a2.html
    b1, c1 = browser("127.0.0.2"), browser("127.0.0.3")
    await b1.code(room.take())
    assert b1.url == "/ballot"
    await c1.code(room.take())
    assert c1.status == 503 and "同时投票的人数已满" in c1.html
    clock.now += 601  # a1 and b1 left their ballots: they expire, their codes stay unused
    await c1.code(room.codes["masses"][0])
    assert c1.url == "/ballot"
    await a1.rate(_values(person_codes(room.id)))
    assert a1.url == "/" and "长时间没有操作" in a1.html


async def test_body_size_and_error_pages_hold_no_trace(web, monkeypatch):
    from pingyi.voting import ballots

    start, room = web
    _, browser = await start()
    b = browser()
    await b.get("/")
    await b.post("/", {"code": "A" * 300_000})
    assert b.status == 413 and "内容过大" in b.html
    await b.get("/nothing-here")
    assert b.status == 404 and "没有这个页面" in b.html
    async with b.session.put("/") as r:
        assert r.status == 405 and "请求有误" in await r.text()

    def broken(*args):
        raise RuntimeError("disk on fire")

    await b.code(room.take())
    await b.rate(_values(person_codes(room.id)))
    monkeypatch.setattr(ballots, "submit", broken)
    await b.post("/submit", {"rev": "1"})
    assert b.url == "/review" and "提交失败，选票没有记录" in b.html
    assert "disk on fire" not in b.html and "Traceback" not in b.html
    monkeypatch.setattr(ballots, "check_code", broken)
    other = browser("127.0.0.2")
    await other.code(room.take())
    assert other.status == 500 and "出错了" in other.html and "Traceback" not in other.html
    monkeypatch.undo()
    await b.post("/submit", {"rev": "1"})  # the retry the page asks for
    assert b.url == "/done" and len(stored(room.id)) == 1


async def test_rating_form_rules(web):
    start, room = web
    _, browser = await start()
    b = browser()
    persons = person_codes(room.id)
    await b.code(room.take())
    # partial and out of range: back to the page with the reasons and the values kept
    await b.rate({f"{persons[0]}.perf": "40", f"{persons[1]}.perf": "70", f"{persons[1]}.clean": "10"})
    assert b.url == "/ballot" and "还有填写不完整或有误的内容" in b.html
    assert "超出 0–50" in b.html and "为空" in b.html
    assert re.search(r'<a href="#p1">李娜：[^<]*超出 0–50', b.html)  # each reason leads to its card
    assert re.search(rf'name="{persons[1]}\.perf"[^>]*value="70"', b.html, re.DOTALL)
    # a grade alone counts; a typed score beats a grade; 弃权 beats both
    await b.rate({f"{persons[0]}.perf": "", f"{persons[0]}.clean": "44,5", f"{persons[2]}.perf": "30",
                  f"{persons[2]}.clean": "30"},
                 grades={f"{persons[0]}.perf": "好", f"{persons[2]}.perf": "差"}, abstain=(persons[3],))
    assert b.url == "/review"
    assert "好<small>（50 分）</small>" in b.html and "94.5" in b.html
    await b.get("/ballot")
    assert re.search(rf'name="grade\.{persons[0]}\.perf" value="好" checked', b.html)
    assert 'value="好" checked' in b.html


async def test_review_warns_of_blank_and_invalid_ballots(web):
    start, room = web
    _, browser = await start()
    b = browser()
    persons = person_codes(room.id)
    await b.code(room.take())
    await b.rate({})
    assert "全部弃权：本票将记为空白票。" in b.html
    await b.rate(_values(persons, "48", "48"))  # everyone ≥ 90: over the 60 % 优秀 quota
    assert "按规则本票将记为无效票" in b.html
    await b.post("/submit", {"rev": re.search(r'name="rev" value="(\d+)"', b.html).group(1)})
    assert stored(room.id) == [("masses", "invalid")]


async def test_stale_review_and_abandon(web):
    start, room = web
    _, browser = await start()
    b = browser()
    persons = person_codes(room.id)
    code = room.take()
    await b.code(code)
    await b.rate(_values(persons))
    rev = re.search(r'name="rev" value="(\d+)"', b.html).group(1)
    await b.post("/ballot", [("full", "1"), *_values(persons, "10").items(), ("action", "save")])
    assert b.status == 200 and b.headers["Content-Type"].startswith("application/json")
    await b.get("/review")
    await b.post("/submit", {"rev": rev})  # reviewed before the last change: review again
    assert b.url == "/review" and "请再核对一遍" in b.html and stored(room.id) == []
    await b.get("/abandon")
    await b.post("/abandon")
    assert b.url == "/" and "本票已放弃，票码仍可使用。" in b.html
    await b.post("/", {"code": code})
    assert b.url == "/ballot" and 'value="10"' not in b.html


async def test_room_closed_meanwhile(web):
    from pingyi.voting import rooms

    start, room = web
    server, browser = await start()
    b = browser()
    await b.code(room.take())
    await b.rate(_values(person_codes(room.id)))
    rooms.close_room(room.admin, room.id)
    await b.post("/submit", {"rev": "1"})
    assert b.url == "/" and "未提交：" in b.html and "已结束" in b.html and stored(room.id) == []
    await server.refresh()
    await b.get("/")
    assert "会场已结束，不能再投票。" in b.html


async def test_projector_data_follows_the_room(web):
    from pingyi.voting import rooms

    start, room = web
    server, browser = await start(public_url="http://192.0.2.2:8000/")
    screen, voter = browser(), browser("127.0.0.2")
    html = await screen.get("/screen")
    assert "第一次双定双评测评会" in html and "投票进行中" in html and "群众代表" in html
    assert '<meta http-equiv="refresh"' in html and 'src="/qr.svg"' in html and "http://192.0.2.2:8000/" in html
    assert re.search(r"https?://(?!192\.0\.2\.2:8000/)", html) is None  # nothing loaded from elsewhere
    async with screen.session.get("/qr.svg") as r:
        assert r.status == 200 and (await r.text()).startswith("<svg")
    await voter.code(room.take())
    await voter.rate(_values(person_codes(room.id)))
    await voter.post("/submit", {"rev": "1"})
    await server.refresh()
    async with screen.session.get("/screen.json") as r:
        data = await r.json()
    assert data["status"] == "open" and data["returned"] == 1 and data["issued"] == 9
    assert {g["key"]: (g["returned"], g["issued"]) for g in data["groups"]} == {"masses": (1, 6), "npc": (0, 3)}
    rooms.close_room(room.admin, room.id)
    await server.refresh()
    html = await screen.get("/screen")
    assert "投票结束" in html and "有效票 <b>1</b>" in html and "测评结果" not in html


async def test_projector_ranking_only_when_asked(web):
    from pingyi.voting import rooms

    start, room = web
    server, browser = await start(show_results=True)
    voter = browser()
    await voter.code(room.take())
    await voter.rate(_values(person_codes(room.id)))
    await voter.post("/submit", {"rev": "1"})
    rooms.close_room(room.admin, room.id)
    await server.refresh()
    html = await browser().get("/screen")
    assert "测评结果" in html and "王伟" in html and "85.00" in html


async def test_forms_answer_with_redirects(web):
    start, room = web
    _, browser = await start()
    b = browser()
    await b.get("/")
    token = csrf_of(b.html)
    async with b.session.post("/", data={"csrf": token, "code": "ACDEF-GHJKM"}, allow_redirects=False) as r:
        assert r.status == 303 and r.headers["Location"] == "/"  # back and reload never post again
    async with b.session.post("/", data={"csrf": token, "code": room.take()}, allow_redirects=False) as r:
        assert r.status == 303 and r.headers["Location"] == "/ballot"
        assert "HttpOnly" in r.headers["Set-Cookie"]  # a fresh key once the code is accepted


async def test_big_rating_page_is_gzipped(web):
    import gzip

    start, room = web
    server, browser = await start()
    b = browser()
    server.persons = server.persons * 20  # as if the room rated 100 persons: a page well over 16 KB
    await b.code(room.take())
    async with b.session.get("/ballot", headers={"Accept-Encoding": "gzip"}, auto_decompress=False) as r:
        body = await r.read()
        assert r.headers["Content-Encoding"] == "gzip" and r.headers["Vary"] == "Accept-Encoding"
    assert "核对" in gzip.decompress(body).decode() and len(body) < 30_000


async def test_a_room_opened_while_served_takes_its_final_persons(ui_admin):
    from aiohttp.test_utils import TestServer

    from pingyi.voting import rooms
    from pingyi.web.app import SERVER, Config, create_app

    room = make_web_room(ui_admin, open_it=False)
    app = create_app(Config(room.id, refresh_seconds=3600))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    b = Browser(server)
    try:
        await b.get("/")
        assert "会场尚未开启，暂不能投票。" in b.html
        rooms.set_persons(ui_admin, room.id, ["A02", "A04"])
        rooms.open_room(ui_admin, room.id)
        await app[SERVER].refresh()
        await b.code(room.take())
        assert b.url == "/ballot" and b.html.count('class="card ') == 2 and "李娜" in b.html and "王伟" not in b.html
    finally:
        await b.close()
        await server.close()


async def test_a_whole_vote_on_each_backend(admin):
    """The server's threads keep their own connections on SQLite and on PostgreSQL alike."""
    from aiohttp.test_utils import TestServer

    from pingyi.web.app import SERVER, Config, create_app

    room = make_web_room(admin)
    app = create_app(Config(room.id, refresh_seconds=3600))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    voters = [Browser(server, f"127.0.0.{n + 2}") for n in range(4)]
    try:
        async def vote(b: Browser) -> None:
            await b.code(room.take())
            await b.rate(_values(person_codes(room.id), "41", "43"))
            await b.post("/submit", {"rev": re.search(r'name="rev" value="(\d+)"', b.html).group(1)})
            assert b.url == "/done", b.html[:500]

        await asyncio.gather(*(vote(b) for b in voters))
        await app[SERVER].refresh()
        assert app[SERVER].snapshot.public()["returned"] == 4
    finally:
        for b in voters:
            await b.close()
        await server.close()
    assert stored(room.id) == [("masses", "valid")] * 4
