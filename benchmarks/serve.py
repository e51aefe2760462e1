"""The phone ballot under a meeting's rush: N voters start at once.

A fresh SQLite database gets a room of P persons and N codes; `pingyi serve`
runs as its own process, as at a meeting; N voters (aiohttp clients in this
process, each from its own loopback address like phones on the Wi-Fi) all
start together and go code → rating page → 核对 → review → 确认提交 → 已提交
with no pause (harsher than people). Timed per voter: code→rating (POST of
the code until the rating page has arrived) and confirm→已提交 (POST of
确认提交 until the answer page has arrived). The server's peak RSS is read
from /proc. Target on 2 cores: 150 voters, p99 < 1 s for both, RSS < 200 MB.

    python benchmarks/serve.py [--voters 150 --persons 60 --think 0] [--db URL]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_data import SCHEME  # noqa: E402

PASSWORD = "bench-pass-123"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REV = re.compile(r'name="rev" value="(\d+)"')


def setup(url: str, work: Path, persons: int, voters: int) -> tuple[str, list[str], list[str]]:
    from pingyi.db.connection import close_database, open_database

    from pingyi.people import accounts, roster
    from pingyi.voting import rooms, schemes

    open_database(url)
    admin = accounts.init_admin("admin", PASSWORD)
    (work / "roster.csv").write_text(
        "编号,姓名,单位,职务\n" + "".join(f"P{i:04d},人员{i},单位{i % 10},股长\n" for i in range(persons)),
        encoding="utf-8")
    (work / "scheme.toml").write_text(SCHEME, encoding="utf-8")
    roster.import_roster(admin, work / "roster.csv")
    name = schemes.import_scheme(admin, work / "scheme.toml")
    rooms.create_room(admin, name, "基准会场", "BENCH", quotas={"masses": voters - voters // 3, "npc": voters // 3})
    codes = [c for _, c in rooms.issue_codes(admin, "BENCH")]
    rooms.open_room(admin, "BENCH")
    people = [p.code for p in rooms.room_persons("BENCH")]
    close_database()
    return "BENCH", codes, people


def stored(url: str, room: str) -> int:
    from pingyi.db.connection import close_database, open_database

    from pingyi.voting import rooms

    open_database(url, migrate=False)
    try:
        return rooms.turnout(room).cast
    finally:
        close_database()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident set size of ``pid`` in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def voter(base: str, n: int, code: str, people: list[str], go: asyncio.Event, think: float,
                out: dict[str, list[float]]) -> None:
    import aiohttp

    rnd = random.Random(n)
    cells = [str(v) for v in range(20, 51)] + ["45.5"]
    form: list[tuple[str, str]] = [("full", "1"), ("action", "review")]
    for p in people:
        if rnd.random() < 0.05:
            form.append(("abstain", p))
        elif rnd.random() < 0.2:
            form += [(f"grade.{p}.perf", "好"), (f"{p}.perf", ""), (f"{p}.clean", rnd.choice(cells))]
        else:
            form += [(f"{p}.perf", rnd.choice(cells)), (f"{p}.clean", rnd.choice(cells))]
    address = f"127.0.{1 + n // 250}.{2 + n % 250}"  # one address per phone, as on the meeting Wi-Fi
    connector = aiohttp.TCPConnector(local_addr=(address, 0), limit=2)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        await go.wait()

        async def pause() -> None:
            if think:
                await asyncio.sleep(rnd.uniform(0, think))

        async with s.get("/") as r:
            page = await r.text()
        await pause()
        t0 = time.perf_counter()
        async with s.post("/", data={"csrf": CSRF.search(page).group(1), "code": code}) as r:  # type: ignore[union-attr]
            page = await r.text()
            assert r.url.path == "/ballot", (r.status, page[:500])
        out["code→rating"].append(time.perf_counter() - t0)
        await pause()
        t0 = time.perf_counter()
        async with s.post("/ballot", data=[("csrf", CSRF.search(page).group(1)), *form]) as r:  # type: ignore[union-attr]
            page = await r.text()
            assert r.url.path == "/review", (r.status, page[:500])
        out["核对→review"].append(time.perf_counter() - t0)
        await pause()
        t0 = time.perf_counter()
        data = {"csrf": CSRF.search(page).group(1), "rev": REV.search(page).group(1)}  # type: ignore[union-attr]
        async with s.post("/submit", data=data) as r:
            page = await r.text()
            assert r.url.path == "/done" and "已提交" in page, (r.status, page[:500])
        out["confirm→已提交"].append(time.perf_counter() - t0)


async def crowd(base: str, codes: list[str], people: list[str], think: float) -> tuple[dict[str, list[float]], float]:
    out: dict[str, list[float]] = {"code→rating": [], "核对→review": [], "confirm→已提交": []}
    go = asyncio.Event()
    tasks = [asyncio.create_task(voter(base, n, code, people, go, think, out)) for n, code in enumerate(codes)]
    await asyncio.sleep(0.5)  # every session is set up before the start
    t0 = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    return out, time.perf_counter() - t0


def quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(q * len(xs))) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--voters", type=int, default=150)
    ap.add_argument("--persons", type=int, default=60)
    ap.add_argument("--think", type=float, default=0.0, help="random pause up to this many seconds between steps")
    ap.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    ap.add_argument("--profile", metavar="FILE", help="run the server under cProfile, statistics into FILE")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = args.db or str(work / "bench.db")
        room, codes, people = setup(url, work, args.persons, args.voters)
        port = free_port()
        env = {**os.environ, "PINGYI_USER": "admin", "PINGYI_PASSWORD": PASSWORD}
        load_before = os.getloadavg()
        (work / "serve_main.py").write_text("from pingyi.cli import main\nmain()\n")
        python = [sys.executable, "-m", "cProfile", "-o", args.profile] if args.profile else [sys.executable]
        proc = subprocess.Popen([*python, str(work / "serve_main.py"), "--db", url, "serve",
                                 room, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if "Ctrl+C" in line:
                    break
            idle_rss, _ = rss_mb(proc.pid)
            cpu0 = cpu_seconds(proc.pid)
            out, wall = asyncio.run(crowd(f"http://127.0.0.1:{port}", codes, people, args.think))
            cpu = cpu_seconds(proc.pid) - cpu0
            rss, peak = rss_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        cast = stored(url, room)
    load_after = os.getloadavg()
    print(f"{args.voters} voters at once, {args.persons} persons × 2 indicators, think ≤ {args.think} s; "
          f"all done in {wall:.2f} s; ballots stored: {cast}/{args.voters}")
    for name, xs in out.items():
        print(f"  {name:<14} p50 {statistics.median(xs) * 1000:6.0f} ms   p95 {quantile(xs, .95) * 1000:6.0f} ms"
              f"   p99 {quantile(xs, .99) * 1000:6.0f} ms   max {max(xs) * 1000:6.0f} ms")
    print(f"  server CPU: {cpu:.2f} s in all, {cpu / args.voters * 1000:.1f} ms per voter "
          f"(wall {wall:.2f} s: the server had {cpu / wall:.2f} of a core)")
    print(f"  server RSS: idle {idle_rss:.0f} MB, after {rss:.0f} MB, peak {peak:.0f} MB")
    print(f"  load average (1/5/15 min) before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
          f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f} on {os.cpu_count()} cores")
    if cast != args.voters:
        sys.exit("some ballots were not stored")


if __name__ == "__main__":
    main()
