"""Ballot submit latency with concurrent kiosk writers on one SQLite file.

N processes (spawned, like separate kiosk terminals) each submit B ballots of
P persons through ``pingyi.ballots.submit`` — the call the kiosk makes — as
fast as they can (a far harsher load than people typing). Every call is timed
end to end (connection, IMMEDIATE transaction, code update, inserts, commit).
Goal: p99 under 100 ms with 4 writers.

    python benchmarks/submit.py [--writers 4 --ballots 250 --persons 120] [--db URL]
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_data import SCHEME  # noqa: E402


def setup(url: str, work: Path, persons: int, ballots: int) -> tuple[str, list[str], list[str]]:
    from pingyi.db.connection import close_database, open_database

    from pingyi.people import accounts, roster
    from pingyi.voting import rooms, schemes

    open_database(url)
    admin = accounts.init_admin("admin", "bench-pass-123")
    (work / "roster.csv").write_text(
        "编号,姓名,单位,职务\n" + "".join(f"P{i:04d},人员{i},单位{i % 10},股长\n" for i in range(persons)),
        encoding="utf-8")
    (work / "scheme.toml").write_text(SCHEME, encoding="utf-8")
    roster.import_roster(admin, work / "roster.csv")
    name = schemes.import_scheme(admin, work / "scheme.toml")
    rooms.create_room(admin, name, "基准会场", "BENCH", quotas={"masses": ballots // 2, "npc": ballots - ballots // 2})
    rooms.open_room(admin, "BENCH")
    codes = [c for _, c in rooms.issue_codes(admin, "BENCH")]
    people = [p.code for p in rooms.room_persons("BENCH")]
    close_database()
    return "BENCH", codes, people


def writer(url: str, room: str, codes: list[str], people: list[str], seed: int,
           start_at: float) -> tuple[list[float], int]:
    from pingyi.db.connection import open_database

    from pingyi.voting import ballots

    open_database(url, migrate=False)
    rnd = random.Random(seed)
    cells = [str(v) for v in range(20, 51)] + ["好", "较好", "一般", "差", "45.5"]
    work = [{p: None if rnd.random() < 0.05 else [rnd.choice(cells), rnd.choice(cells)] for p in people}
            for _ in codes]
    while time.time() < start_at:  # start together, after every process has imported
        time.sleep(0.001)
    latencies, errors = [], 0
    for code, entries in zip(codes, work, strict=True):
        t0 = time.perf_counter()
        try:
            ballots.submit(room, code, entries)
        except Exception:  # noqa: BLE001 - counted and reported
            errors += 1
        latencies.append(time.perf_counter() - t0)
    return latencies, errors


def pct(sorted_ms: list[float], p: float) -> float:
    i = min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[i]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--ballots", type=int, default=250, help="per writer")
    ap.add_argument("--persons", type=int, default=120)
    ap.add_argument("--db", help="database URL (default: a fresh SQLite file in a temporary directory)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = args.db or str(work / "bench.db")
        total = args.writers * args.ballots
        room, codes, people = setup(url, work, args.persons, total)
        random.Random(1).shuffle(codes)
        chunks = [codes[i::args.writers] for i in range(args.writers)]
        ctx = multiprocessing.get_context("spawn")
        start_at = time.time() + 2.0
        with ctx.Pool(args.writers) as pool:
            results = pool.starmap(writer, [(url, room, chunk, people, n, start_at) for n, chunk in enumerate(chunks)])
        wall = time.time() - start_at  # from the common start to the last commit
        lat = sorted(ms * 1000 for lats, _ in results for ms in lats)
        errors = sum(e for _, e in results)
        busy = sum(sum(lats) for lats, _ in results)

        from pingyi.db import models as m
        from pingyi.db.connection import open_database

        open_database(url, migrate=False)
        stored = m.Ballot.select().where(m.Ballot.room == room).count()

        print(f"{args.writers} writers × {args.ballots} ballots × {args.persons} persons, SQLite (WAL), "
              f"Python {sys.version.split()[0]}")
        print(f"ballots stored {stored} / {total}, errors {errors}")
        print(f"latency ms: p50 {statistics.median(lat):.1f}  p90 {pct(lat, 90):.1f}  p99 {pct(lat, 99):.1f}  "
              f"max {lat[-1]:.1f}  mean {statistics.fmean(lat):.1f}")
        print(f"throughput: {total / wall:.0f} ballots/s ({total} ballots in {wall:.2f} s; "
              f"writers busy {busy / args.writers / wall:.0%} of it)")
        print("goal p99 < 100 ms:", "met" if pct(lat, 99) < 100 else "NOT met")


if __name__ == "__main__":
    main()
