"""UI benchmarks (issue 3): launch to first screen with data, a 3,000-person
roster opened and paged/scrolled, and the turnout poll cost per tick with
1,000 ballots in the room. Run: python benchmarks/ui.py  (figures on stdout)."""
from __future__ import annotations

import asyncio
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAUNCH = r"""
import asyncio, os, sys, time
t0 = float(os.environ["BENCH_T0"])
from pingyi.screens.app import make_app
from pingyi.screens.home import HomeScreen

async def main():
    app = make_app(os.environ["BENCH_DB"], user="huiwu", password="demo-huiwu-2026")
    async with app.run_test(size=(160, 50)) as pilot:
        while True:
            s = app.screen
            if isinstance(s, HomeScreen) and s.query("#rooms") and s.query_one("#rooms").row_count:
                break
            await asyncio.sleep(0.002)
        print(time.time() - t0)

asyncio.run(main())
"""


def bench_launch(db: str, runs: int = 5) -> list[float]:
    """Process start (interpreter, imports, open DB, login with scrypt) → home table filled."""
    out = []
    for _ in range(runs):
        env = {**os.environ, "BENCH_DB": db, "BENCH_T0": repr(time.time())}
        res = subprocess.run([sys.executable, "-c", LAUNCH], capture_output=True, text=True, env=env, cwd=ROOT)
        out.append(float(res.stdout.strip().splitlines()[-1]))
    return out


def make_roster(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "姓名", "单位", "职务", "类别", "分管领导"])
        for i in range(n):
            name = f"张{'伟芳娜秀英敏静丽强磊'[i % 10]}{i % 97}"
            w.writerow([f"P{i:05d}", name, f"第{i % 40}局", "某股股长", "服务类",
                        f"副局长{i % 7}某"])


async def bench_roster(db: str, actor) -> dict:
    from pingyi.screens.app import make_app
    from pingyi.screens.roster import RosterScreen
    from pingyi.screens.work import settle

    app = make_app(db, actor=actor, open_db=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        t0 = time.perf_counter()
        app.go("r")
        while True:
            s = app.screen
            if isinstance(s, RosterScreen) and s.query("#roster") and s.query_one("#roster").row_count:
                break
            await asyncio.sleep(0.001)
        await pilot.pause()
        opened = time.perf_counter() - t0
        table = s.query_one("#roster")
        t0 = time.perf_counter()
        for _ in range(3):
            table.action_scroll_bottom()
            await pilot.pause()
            table.action_scroll_top()
            await pilot.pause()
        scroll = (time.perf_counter() - t0) / 6
        pages = []
        for _ in range(10):
            before = table.get_row_at(0)[0]
            t0 = time.perf_counter()
            await pilot.press("pagedown")
            while table.row_count == 0 or table.get_row_at(0)[0] == before:
                await asyncio.sleep(0.001)
            await pilot.pause()
            pages.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        s.query_one("#roster-search").value = "P0299"
        while s.total != 10 and s.total != 1:
            await asyncio.sleep(0.001)
        await pilot.pause()
        search = time.perf_counter() - t0   # includes the 0.25 s typing debounce
    return {"open": opened, "scroll": scroll, "page": pages, "search": search, "total": s.total}


def bench_turnout(actor, room_id: str, ticks: int = 300) -> dict:
    from pingyi.screens.room import load_turnout

    from pingyi.voting import rooms

    def timed(fn, *args):
        out = []
        for _ in range(ticks):
            t0 = time.perf_counter()
            fn(*args)
            out.append(time.perf_counter() - t0)
        return out

    return {"version": timed(rooms.version, room_id), "turnout": timed(load_turnout, room_id)}


async def bench_turnout_ui(db: str, actor, room_id: str) -> float:
    """UI side of a moved counter: applying a fresh Turnout to the bars."""
    from pingyi.screens.app import make_app
    from pingyi.screens.room import RoomScreen, load_turnout
    from pingyi.screens.work import settle

    app = make_app(db, actor=actor, open_db=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.push_screen(RoomScreen(room_id, actor=actor))
        await settle(pilot)
        screen = app.screen
        data = load_turnout(room_id)
        t0 = time.perf_counter()
        for _ in range(100):
            screen._turnout(data)      # the widget updates; drawing happens on the next frame
        return (time.perf_counter() - t0) / 100


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def main() -> None:
    from pingyi import demo
    from pingyi.common.store import close_store, open_store
    from pingyi.people import accounts, roster
    from pingyi.voting import ballots, rooms, schemes

    tmp = Path(tempfile.mkdtemp(prefix="pingyi-bench-ui-"))
    result = demo.build(str(tmp / "demo"))
    close_store()
    launch = bench_launch(result.db_path)
    print(f"launch → home with data (fresh process, login incl. scrypt): median {ms(statistics.median(launch))}, "
          f"min {ms(min(launch))}, max {ms(max(launch))} over {len(launch)} runs")

    db = str(tmp / "big.db")
    open_store(db)
    admin = accounts.init_admin("admin", "bench-pass-123")
    rfile = tmp / "roster.csv"
    make_roster(rfile, 3000)
    roster.import_roster(admin, rfile)
    r = asyncio.run(bench_roster(db, admin))
    print(f"roster of {roster.count_persons()} persons: open to first page {ms(r['open'])}; "
          f"scroll top↔bottom {ms(r['scroll'])}; next page median {ms(statistics.median(r['page']))} "
          f"(max {ms(max(r['page']))}); search incl. 250 ms debounce {ms(r['search'])}")

    # a room with 1,000 ballots (10 persons, two groups)
    schemes.import_scheme(admin, ROOT / "tests" / "data" / "scheme.toml")
    rooms.create_room(admin, "示例双定双评", "基准会场", "B1",
                      persons="codes:" + ",".join(f"P{i:05d}" for i in range(10)))
    rooms.open_room(admin, "B1")
    bfile = tmp / "ballots.csv"
    with bfile.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ballot", "group", "person", "perf", "clean"])
        for b in range(1000):
            for i in range(10):
                w.writerow([f"S{b:04d}", "masses" if b % 3 else "npc", f"P{i:05d}", 40 + b % 10, 41 + i % 9])
    ballots.import_csv(admin, "B1", bfile)
    assert rooms.turnout("B1").cast == 1000
    t = bench_turnout(admin, "B1")
    ui = asyncio.run(bench_turnout_ui(db, admin, "B1"))
    print(f"turnout with 1,000 ballots: idle tick (rooms.version) median {ms(statistics.median(t['version']))}, "
          f"p99 {ms(sorted(t['version'])[int(len(t['version']) * 0.99)])}; refresh when it moves "
          f"(turnout + code counts) median {ms(statistics.median(t['turnout']))}, "
          f"p99 {ms(sorted(t['turnout'])[int(len(t['turnout']) * 0.99)])}; applying it to the bars {ms(ui)}")
    close_store()


if __name__ == "__main__":
    main()
