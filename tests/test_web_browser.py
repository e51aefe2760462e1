"""The browser ballot in real Chromium (Debian's package, driven by playwright):
a whole vote on a phone with only taps and the numeric keypad, the same with
JavaScript off, a desktop vote, refused codes, back and reload, touch-target
sizes, no request leaving 127.0.0.1, and the projector following the room.

One `pingyi serve` process and one browser serve the whole module; the
tests run in file order (the last one closes the room). Set
PINGYI_SCREENSHOTS=DIR to keep phone-size screenshots of every page.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, make_admin
from tests.web_support import make_web_room, stored, totals

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "has_touch": True,
         "is_mobile": True, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1, "locale": "zh-CN"}
SHOTS = os.environ.get("PINGYI_SCREENSHOTS")

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@contextmanager
def opened(url: str) -> Iterator[None]:
    """The test process's own connection to the served database, for checks and organizer steps."""
    from pingyi.db.connection import close_database, open_database

    open_database(url)
    try:
        yield
    finally:
        close_database()


@dataclass
class Site:
    base: str
    db: str
    room: str
    codes: dict[str, list[str]]
    admin_name: str = "admin"
    foreign: list[str] = field(default_factory=list)  # requests that tried to leave 127.0.0.1

    def take(self, group: str = "masses") -> str:
        return self.codes[group].pop()

    def ballots(self) -> list[tuple[str, str]]:
        with opened(self.db):
            return stored(self.room)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    db = str(tmp_path_factory.mktemp("web-browser") / "pingyi.db")
    with opened(db):
        room = make_web_room(make_admin(), masses=30, npc=10)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PINGYI_USER": "admin", "PINGYI_PASSWORD": PASSWORD}
    env.pop("PINGYI_DB", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from pingyi.cli import main; main()", "--db", db, "serve", room.id, "--port",
         str(port), "--show-results", "--url", base + "/"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any("Ctrl+C" in x for x in lines) and proc.poll() is None:
        time.sleep(0.05)
    assert any("Ctrl+C" in x for x in lines), (lines, proc.poll())
    try:
        yield Site(base, db, room.id, room.codes)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(chromium: Any, site: Site) -> Iterator[Any]:
    """new(**options) → a browser context whose every request to anywhere but 127.0.0.1 is refused and noted."""
    contexts = []

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            site.foreign.append(route.request.url)
            route.abort()

    def new(**options: Any) -> Any:
        ctx = chromium.new_context(**options)
        ctx.set_default_timeout(60_000)  # a loaded CI machine is slow; a real hang still fails
        ctx.route("**/*", guard)
        contexts.append(ctx)
        return ctx

    yield new
    for ctx in contexts:
        ctx.close()
    assert site.foreign == []


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


# Radio buttons and check boxes are hidden behind their big labels, which are measured instead.
SMALL_TARGETS = """() => {
  const small = [];
  const sel = 'button, a, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), label.btn';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.height < 44 || r.width < 44) {
      small.push(`${el.tagName}.${el.className} "${el.textContent.trim()}" ${r.width}x${r.height}`);
    }
  }
  return small;
}"""


def assert_big_targets(page: Any) -> None:
    assert page.evaluate(SMALL_TARGETS) == [], page.url


def no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def type_code(page: Any, code: str, tap: bool = True) -> None:
    (page.tap if tap else page.click)("#code")
    page.keyboard.type(f"{code[:5].lower()}-{code[5:].lower()}", delay=20)


def test_phone_vote_with_taps_and_the_numeric_keypad(site: Site, open_context: Any) -> None:
    page = open_context(**PHONE).new_page()
    page.goto(site.base + "/")
    assert page.get_by_label("票码").get_attribute("autocapitalize") == "characters"
    assert_big_targets(page)
    no_horizontal_scroll(page)
    shot(page, "phone-1-code")
    code = site.take()
    type_code(page, code)
    page.tap("button:has-text('开始评议')")
    page.wait_for_url("**/ballot")
    assert page.get_by_label("王伟 评绩").get_attribute("inputmode") == "decimal"
    assert_big_targets(page)
    no_horizontal_scroll(page)
    shot(page, "phone-2-rating")

    page.tap("[name='A01.perf']")
    page.keyboard.type("42", delay=60)  # a person's pace: every digit must land
    page.keyboard.press("Enter")  # 下一项 on the keypad moves on, it does not submit
    assert page.evaluate("document.activeElement.name") == "A01.clean"
    page.keyboard.type("45", delay=60)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "A02.perf"
    page.tap("label[for='p1-0-g0']")  # 李娜 评绩: the grade 好
    page.tap("[name='A02.clean']")
    page.keyboard.type("38.5", delay=60)
    page.tap("label[for='p2-abstain']")  # 张强: 弃权
    assert page.locator("#p0 [data-state]").inner_text() == "已评"
    assert page.locator("#p2 [data-state]").inner_text() == "弃权"
    shot(page, "phone-3-rating-filled")
    page.tap("button:has-text('核对')")
    page.wait_for_url("**/review")
    text = page.inner_text("main")
    assert "评分 2 人，弃权 3 人。" in text and "本票有效。" in text
    rows = page.locator(".review-row")
    assert "42" in rows.nth(0).inner_text() and "87" in rows.nth(0).inner_text()
    assert "好（50 分）" in rows.nth(1).inner_text() and "88.5" in rows.nth(1).inner_text()
    assert [rows.nth(i).locator(".abstained").count() for i in range(5)] == [0, 0, 1, 1, 1]
    assert_big_targets(page)
    no_horizontal_scroll(page)
    shot(page, "phone-4-review")
    page.tap("button:has-text('确认提交')")
    page.wait_for_url("**/done")
    assert page.locator("h1").inner_text() == "已提交"
    assert_big_targets(page)
    shot(page, "phone-5-done")
    with opened(site.db):
        assert totals(site.room)["A01"] == 870 and totals(site.room)["A02"] == 885
    assert len(site.ballots()) == 1


def test_phone_vote_with_javascript_off_back_and_reload(site: Site, open_context: Any) -> None:
    page = open_context(**PHONE, java_script_enabled=False).new_page()
    page.goto(site.base + "/")
    type_code(page, site.take("npc"))
    page.tap("button:has-text('开始评议')")
    page.wait_for_url("**/ballot")
    page.tap("[name='A01.perf']")
    page.keyboard.type("40", delay=60)
    page.tap("button:has-text('核对')")  # a half-filled person: back with the reason
    assert "还有填写不完整或有误的内容" in page.inner_text("#problems")
    assert page.input_value("[name='A01.perf']") == "40"
    page.tap("[name='A01.clean']")
    page.keyboard.type("41", delay=60)
    page.tap("label[for='p1-1-g3']")  # 李娜 评廉 差 without a score: incomplete until 评绩 too
    page.tap("label[for='p1-0-g1']")
    page.tap("button:has-text('核对')")
    page.wait_for_url("**/review")
    assert "较好（42.5 分）" in page.inner_text(".review-row >> nth=1")
    page.go_back()  # the browser's back: the rating page, values kept
    assert page.input_value("[name='A01.clean']") == "41"
    assert page.is_checked("#p1-1-g3")
    page.tap("button:has-text('核对')")
    page.wait_for_url("**/review")
    page.reload()
    assert "请核对" in page.inner_text("h1")
    before = len(site.ballots())
    page.tap("button:has-text('确认提交')")
    page.wait_for_url("**/done")
    page.go_back()
    assert page.locator("h1").inner_text() == "已提交"
    page.reload()
    assert page.locator("h1").inner_text() == "已提交"
    assert page.url.endswith("/done")
    assert len(site.ballots()) == before + 1


def test_the_narrowest_phone_at_pixel_ratio_one(site: Site, open_context: Any) -> None:
    page = open_context(viewport={"width": 320, "height": 568}, device_scale_factor=1, has_touch=True,
                        is_mobile=True, locale="zh-CN").new_page()
    page.goto(site.base + "/")
    no_horizontal_scroll(page)
    type_code(page, site.take())
    page.tap("button:has-text('开始评议')")
    page.wait_for_url("**/ballot")
    no_horizontal_scroll(page)
    assert_big_targets(page)
    shot(page, "phone-320-rating")
    with page.expect_response(lambda r: r.url.endswith("/ballot") and r.request.method == "POST"):
        page.tap("[name='A02.perf']")
        page.keyboard.type("33", delay=60)  # the page saves the draft as it is typed
    page.reload()  # a reload, even with nothing posted by hand, keeps what was typed
    assert page.input_value("[name='A02.perf']") == "33"
    page.tap("[name='A02.clean']")
    page.keyboard.type("34", delay=60)
    page.tap("label[for='p0-abstain']")
    page.tap("button:has-text('核对')")
    page.wait_for_url("**/review")
    no_horizontal_scroll(page)
    assert_big_targets(page)


def test_desktop_vote_with_mouse_and_keyboard(site: Site, open_context: Any) -> None:
    page = open_context(**DESKTOP).new_page()
    page.goto(site.base + "/")
    type_code(page, site.take(), tap=False)
    page.keyboard.press("Enter")
    page.wait_for_url("**/ballot")
    no_horizontal_scroll(page)
    shot(page, "desktop-rating")
    page.click("[name='A01.perf']")
    for value in ("44", "46", "30", "31", "20", "21", "45", "45", "40", "41"):
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "核对"
    page.keyboard.press("Enter")
    page.wait_for_url("**/review")
    assert "评分 5 人，弃权 0 人。" in page.inner_text("main")
    page.click("button:has-text('确认提交')")
    page.wait_for_url("**/done")
    page.click("button:has-text('下一位评议代表使用本设备')")
    page.wait_for_url("**/?m=next")
    assert "请下一位评议代表输入票码。" in page.inner_text("main")


def test_wrong_used_and_void_codes(site: Site, open_context: Any) -> None:
    from pingyi.voting import ballots, rooms

    page = open_context(**PHONE).new_page()
    page.goto(site.base + "/")

    def enter(code: str) -> str:
        type_code(page, code)
        with page.expect_navigation():
            page.tap("button:has-text('开始评议')")
        return str(page.inner_text("#code-msg")) if page.locator("#code-msg").count() else ""

    assert enter("ACDEF-GHJKM") == "票码无效：本会场没有这个票码。"
    used = site.take()
    with opened(site.db):
        ballots.submit(site.room, used, {})
    assert enter(used) == "这个票码已经投过票，不能重复使用。"
    good = site.take()
    type_code(page, good)
    page.tap("button:has-text('开始评议')")
    page.wait_for_url("**/ballot")  # a good code resets the slow-down
    page.goto(site.base + "/abandon")
    page.tap("button:has-text('确认放弃')")
    page.wait_for_url("**/?m=abandoned")
    assert "本票已放弃，票码仍可使用。" in page.inner_text("main")

    with opened(site.db):  # reprint: every unused code is void, fresh ones are issued
        fresh = rooms.issue_codes(rooms_actor(), site.room)
    site.codes = {}
    for group, code in fresh:
        site.codes.setdefault(group, []).append(code)
    assert enter(good) == "这个票码已作废，请向会务人员领取新票码。"
    assert enter("ACDEF-GHJKM") == "票码无效：本会场没有这个票码。"
    words = enter("ACDEF-GHJKN")  # the third refusal in a row: the kiosk's wait, here too
    assert re.search(r"票码错误次数较多，请等待 [1-3] 秒后再输入。", words), words
    assert page.is_disabled("#code")
    shot(page, "phone-code-wait")
    sync_api.expect(page.locator("#code")).to_be_enabled(timeout=60_000)
    type_code(page, site.take())
    page.tap("button:has-text('开始评议')")
    page.wait_for_url("**/ballot")


def rooms_actor() -> Any:
    from pingyi.people import accounts

    return accounts.authenticate("admin", PASSWORD)


def test_projector_follows_the_room_without_reload(site: Site, open_context: Any) -> None:
    from pingyi.voting import ballots, rooms

    page = open_context(**DESKTOP).new_page()
    page.goto(site.base + "/screen")
    assert "投票进行中" in page.inner_text(".screen-state")
    assert page.locator("img[src='/qr.svg']").evaluate("img => img.naturalWidth > 0")
    shot(page, "projector-open")
    page.evaluate("window.__same_page = true")
    returned = int(page.inner_text("#returned"))
    with opened(site.db):
        ballots.submit(site.room, site.take("npc"), {})
    sync_api.expect(page.locator("#returned")).to_have_text(str(returned + 1), timeout=60_000)
    assert page.evaluate("window.__same_page") is True  # updated in place, not reloaded
    npc = page.locator("[data-group='npc'] progress")
    assert npc.evaluate("p => p.value") >= 1 and npc.evaluate("p => p.max") == 10
    with opened(site.db):
        rooms.close_room(rooms_actor(), site.room)
    sync_api.expect(page.locator(".screen-state")).to_have_text("投票结束", timeout=60_000)
    text = page.inner_text("main")
    assert f"共收回 {returned + 1} 张" in text and "测评结果" in text and "王伟" in text
    assert page.locator("img[src='/qr.svg']").count() == 0
    shot(page, "projector-closed")
    if SHOTS:
        shutil.copy(site.db, Path(SHOTS) / "served.db")
