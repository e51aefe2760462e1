"""Bulk import time and peak memory against a plain-sqlite3 floor (issue 14).

For each size, ``pingyi ballots import`` runs as a whole process (start-up,
login with scrypt, validation of every cell, one transaction) on a fresh copy
of a database whose room is open, alternating with the floor: a child process
of plain ``sqlite3`` streaming the same CSV through ``csv.reader``, turning
the two values into tenths and inserting (ballot, group, person, total) rows
with one ``executemany`` in one transaction. Medians of ``--runs`` runs each;
peak RSS is each child's maximum resident set.

    python benchmarks/import_csv.py [--sizes 30000,300000,3000000] [--runs 5] [--pingyi PATH]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_data import make_files

FLOOR = r"""
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.execute("PRAGMA journal_mode=wal")
con.execute("CREATE TABLE e (ballot TEXT, grp TEXT, person TEXT, total INTEGER)")
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    r = csv.reader(f)
    next(r)
    with con:
        con.executemany("INSERT INTO e VALUES (?, ?, ?, ?)",
                        ((b, g, p, round(float(x) * 10) + round(float(y) * 10)) for b, g, p, x, y in r))
"""


def child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, measured by wait4."""
    t = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{args[:3]} failed with {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="30000,300000,3000000", help="entries per file (300 persons each)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pingyi", default=str(Path(sys.executable).with_name("pingyi")), help="the pingyi executable")
    a = ap.parse_args()
    exe = a.pingyi
    py = str(Path(exe).with_name("python"))
    subprocess.run([py, "-m", "compileall", "-q", "-x", "tests", str(Path(__file__).resolve().parents[1])],
                   check=False, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        persons = 300
        base = work / "base.db"
        env = {**os.environ, "PINGYI_DB": str(base), "PINGYI_USER": "admin", "PINGYI_PASSWORD": "bench-pass-1"}
        roster, scheme, _ = make_files(work, persons, 0)
        for cmd in (["init", "--admin", "admin"], ["roster", "import", str(roster)],
                    ["scheme", "import", str(scheme)],
                    ["room", "create", "--scheme", "基准方案", "--title", "基准", "--id", "B1"],
                    ["room", "open", "B1"]):
            subprocess.run([exe, *cmd], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"pingyi: {exe}; Python {sys.version.split()[0]}; {a.runs} alternating runs per size")
        for size in (int(s) for s in a.sizes.split(",")):
            _, _, path = make_files(work, persons, size // persons)
            mine, floor = [], []
            load = os.getloadavg()[0]
            for _ in range(a.runs):
                db = work / "run.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(base, db)
                mine.append(child([exe, "ballots", "import", "B1", str(path)], {**env, "PINGYI_DB": str(db)}))
                (work / "floor.db").unlink(missing_ok=True)
                (work / "floor.db-wal").unlink(missing_ok=True)
                floor.append(child([py, "-c", FLOOR, str(path), str(work / "floor.db")]))
            t, f = statistics.median(x for x, _ in mine), statistics.median(x for x, _ in floor)
            rss, frss = max(r for _, r in mine), max(r for _, r in floor)
            print(f"{size:>9,} entries: pingyi {t:6.2f} s, floor {f:6.2f} s, ratio {t / f:4.2f}×; "
                  f"peak RSS pingyi {rss:4.0f} MB, floor {frss:4.0f} MB; load {load:.2f} → {os.getloadavg()[0]:.2f}")
            path.unlink()


if __name__ == "__main__":
    main()
