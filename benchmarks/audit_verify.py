"""`audit verify` on a year's worth of data, and what the digests add to close (issue 9).

Builds a database with a roster of ``--persons``, ``--rooms`` closed rooms of
``--ballots`` paper ballots each rating 30 persons (CSV import), ``--deductions``
ledger entries and one open room, then times: closing one room (which records
the digest of its ballots), ``audit.verify()`` (chain, every audited row, every
closed room's tally recomputed, ballots, places, codes) and ``audit.head()``.
Medians of ``--runs``.

    python benchmarks/audit_verify.py [--persons 1000 --rooms 4 --ballots 1000 --deductions 500] [--pg URL]
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench_data import SCHEME


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=1000)
    ap.add_argument("--rooms", type=int, default=4)
    ap.add_argument("--ballots", type=int, default=1000)
    ap.add_argument("--deductions", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", default=None, help="a PostgreSQL URL (an empty database or schema)")
    args = ap.parse_args()

    from pingyi.db.connection import open_database

    from pingyi.desk import ledger
    from pingyi.people import accounts, roster
    from pingyi.records import audit
    from pingyi.voting import ballots, rooms, schemes

    tmp = Path(tempfile.mkdtemp())
    open_database(args.pg or str(tmp / "bench.db"))
    admin = accounts.init_admin("admin", "bench-pass-123")
    lines = ["编号,姓名,单位,职务"] + [f"P{i:05d},人员{i},单位{i % 20},科长" for i in range(args.persons)]
    (tmp / "roster.csv").write_text("\n".join(lines), encoding="utf-8")
    roster.import_roster(admin, tmp / "roster.csv")
    (tmp / "scheme.toml").write_text(SCHEME, encoding="utf-8")
    schemes.import_scheme(admin, tmp / "scheme.toml")
    rng = random.Random(7)
    closes = []
    for r in range(args.rooms):
        rid = f"B{r}"
        codes = ",".join(f"P{i:05d}" for i in rng.sample(range(args.persons), 30))
        rooms.create_room(admin, "基准方案", f"基准会场{r}", rid, persons=f"codes:{codes}")
        rooms.open_room(admin, rid)
        rows = ["ballot,group,person,perf,clean"]
        for b in range(args.ballots):
            g = "masses" if b % 4 else "npc"
            rows += [f"S{b},{g},{p},{rng.randint(20, 50)},{rng.randint(20, 50)}" for p in codes.split(",")]
        (tmp / f"{rid}.csv").write_text("\n".join(rows), encoding="utf-8")
        ballots.import_csv(admin, rid, tmp / f"{rid}.csv")
        t = time.perf_counter()
        rooms.close_room(admin, rid)
        closes.append(time.perf_counter() - t)
    for i in range(args.deductions):
        ledger.deduct(admin, f"P{i % args.persons:05d}", "1", "基准扣分")
    rooms.create_room(admin, "基准方案", "进行中", "OPEN", persons="codes:P00000,P00001")
    rooms.open_room(admin, "OPEN")

    verify, head = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        problems = audit.verify()
        verify.append(time.perf_counter() - t)
        assert problems == [], problems
        t = time.perf_counter()
        audit.head()
        head.append(time.perf_counter() - t)
    print(f"{'PostgreSQL' if args.pg else 'SQLite'}: {args.persons} persons, {args.rooms} closed rooms × "
          f"{args.ballots} ballots × 30 persons, {args.deductions} deductions, {audit.count()} audit records")
    print(f"close (tally, re-store, digest, compact): median {statistics.median(closes):.2f} s")
    print(f"audit verify: median {statistics.median(verify):.2f} s (runs {', '.join(f'{v:.2f}' for v in verify)})")
    print(f"audit head: median {statistics.median(head) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
