"""Closing a 1,000-ballot room (issue 9): the tally, re-storing every ballot and
entry in random order under fresh ids, dropping the code hashes, and compacting
(SQLite: truncating checkpoint, VACUUM; PostgreSQL: VACUUM FULL of the ballot,
entry and code tables).

Each run builds a fresh database with a room of P persons and B kiosk ballots
cast through ``ballots.submit``, then times ``rooms.close_room`` and, separately,
its two steps. Medians over ``--runs``.

    python benchmarks/close.py [--ballots 1000] [--persons 60] [--runs 3] [--pg URL]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import SCHEME  # noqa: E402

ROOM = "CLOSE"


def build(url: str, work: Path, ballots_n: int, persons: int) -> object:
    """A fresh open room with ``ballots_n`` kiosk ballots; returns the admin actor."""
    from pingyi.db.connection import open_database

    from pingyi.people import accounts, roster
    from pingyi.voting import ballots, rooms, schemes

    open_database(url)
    admin = accounts.init_admin("admin", "bench-pass-123")
    (work / "roster.csv").write_text(
        "编号,姓名,单位,职务\n" + "".join(f"P{i:04d},人员{i},单位{i % 10},股长\n" for i in range(persons)),
        encoding="utf-8")
    (work / "scheme.toml").write_text(SCHEME, encoding="utf-8")
    roster.import_roster(admin, work / "roster.csv")
    name = schemes.import_scheme(admin, work / "scheme.toml")
    half = ballots_n // 2
    rooms.create_room(admin, name, "基准会场", ROOM, quotas={"masses": half, "npc": ballots_n - half})
    rooms.open_room(admin, ROOM)
    people = [p.code for p in rooms.room_persons(ROOM)]
    rnd = random.Random(7)
    cells = [str(v) for v in range(20, 51)] + ["好", "较好", "一般", "差"]
    for _, code in rooms.issue_codes(admin, ROOM):
        ballots.submit(ROOM, code, {p: [rnd.choice(cells), rnd.choice(cells)] for p in people})
    return admin


def fresh_pg(base: str) -> tuple[str, str]:
    import secrets

    import psycopg2

    schema = "bench_" + secrets.token_hex(4)
    conn = psycopg2.connect(base)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE SCHEMA {schema}")
    conn.close()
    return f"{base}{'&' if '?' in base else '?'}schema={schema}", schema


def drop_pg(base: str, schema: str) -> None:
    import psycopg2

    conn = psycopg2.connect(base)
    conn.autocommit = True
    conn.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
    conn.close()


def one_run(backend: str, pg: str | None, ballots_n: int, persons: int) -> dict[str, float]:
    from pingyi.db.connection import close_database, close_kept

    from pingyi.voting import rooms

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        schema = None
        if backend == "sqlite":
            url = str(work / "close.db")
        else:
            assert pg
            url, schema = fresh_pg(pg)
        try:
            admin = build(url, work, ballots_n, persons)
            size_before = (work / "close.db").stat().st_size if backend == "sqlite" else 0
            t0 = time.perf_counter()
            rooms._close(admin, ROOM)          # tally, re-store, drop hashes: one transaction
            t1 = time.perf_counter()
            rooms.compact()                    # VACUUM / VACUUM FULL, outside it
            t2 = time.perf_counter()
            size_after = (work / "close.db").stat().st_size if backend == "sqlite" else 0
        finally:
            close_kept()
            close_database()
            if schema:
                drop_pg(pg or "", schema)
    return {"close": t1 - t0, "compact": t2 - t1, "total": t2 - t0,
            "mb_before": size_before / 1e6, "mb_after": size_after / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", type=int, default=1000)
    ap.add_argument("--persons", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", default=None, help="postgresql://… (a database to create schemas in)")
    args = ap.parse_args()
    backends = ["sqlite"] + (["postgresql"] if args.pg else [])
    print(f"close of a room with {args.ballots} kiosk ballots × {args.persons} persons "
          f"({args.ballots * args.persons} entries), median of {args.runs} runs")
    for backend in backends:
        runs = [one_run(backend, args.pg, args.ballots, args.persons) for _ in range(args.runs)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        size = (f", file {med['mb_before']:.1f} MB → {med['mb_after']:.1f} MB" if backend == "sqlite" else "")
        print(f"{backend:10s} total {med['total'] * 1000:7.0f} ms  (tally + re-store + drop hashes "
              f"{med['close'] * 1000:.0f} ms, compaction {med['compact'] * 1000:.0f} ms){size}")


if __name__ == "__main__":
    main()
