"""Import and tally 300 persons × 1,000 ballots × 2 indicators (300,000 entries).

Measures `pingyi ballots import` and `pingyi tally --format json` as whole
processes, against the floor of plain sqlite3 doing the same insert and one
GROUP BY on the same CSV, in the same run. Also `pingyi --help` start-up.

    python benchmarks/tally.py [--persons 300 --ballots 1000]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_data import make_files


def run(args: list[str], env: dict) -> tuple[float, int]:
    """Wall time and peak RSS (KB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def floor(csv_path: Path, db_path: Path) -> tuple[float, float]:
    """Plain sqlite3: parse the CSV, insert the rows, one GROUP BY (as a child process)."""
    code = f"""
import csv, sqlite3, time, sys
t = time.perf_counter()
con = sqlite3.connect({str(db_path)!r})
con.execute("PRAGMA journal_mode=wal")
con.execute("CREATE TABLE e (ballot TEXT, grp TEXT, person TEXT, total INTEGER)")
with open({str(csv_path)!r}, encoding="utf-8", newline="") as f:
    r = csv.reader(f); next(r)
    rows = [(b, g, p, round(float(x) * 10) + round(float(y) * 10)) for b, g, p, x, y in r]
with con:
    con.executemany("INSERT INTO e VALUES (?, ?, ?, ?)", rows)
print(time.perf_counter() - t)
"""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    insert = time.perf_counter() - t
    code2 = f"""
import sqlite3
con = sqlite3.connect({str(db_path)!r})
rows = con.execute(
    "SELECT person, grp, COUNT(*), SUM(total), MIN(total), MAX(total) FROM e GROUP BY person, grp"
).fetchall()
"""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code2], check=True)
    return insert, time.perf_counter() - t


def pg_schema(url: str) -> str:
    import psycopg2

    schema = f"bench_{os.getpid()}"
    con = psycopg2.connect(url)
    con.autocommit = True
    con.cursor().execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    con.close()
    return f"{url}?schema={schema}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=300)
    ap.add_argument("--ballots", type=int, default=1000)
    ap.add_argument("--pg", metavar="URL", help="also run on PostgreSQL (a fresh schema), e.g. postgresql://postgres@127.0.0.1/test")
    a = ap.parse_args()
    exe = str(Path(sys.executable).with_name("pingyi"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        roster, scheme, ballots = make_files(work, a.persons, a.ballots)
        env = {**os.environ, "PINGYI_DB": pg_schema(a.pg) if a.pg else str(work / "bench.db"), "PINGYI_USER": "admin",
               "PINGYI_PASSWORD": "bench-pass-1"}
        subprocess.run([exe, "init", "--admin", "admin"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([exe, "roster", "import", str(roster)], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([exe, "scheme", "import", str(scheme)], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([exe, "room", "create", "--scheme", "基准方案", "--title", "基准", "--id", "B1"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([exe, "room", "open", "B1"], env=env, check=True, stdout=subprocess.DEVNULL)
        imp, imp_rss = run([exe, "ballots", "import", "B1", str(ballots)], env)
        tal, tal_rss = run([exe, "tally", "B1", "--format", "json"], env)
        subprocess.run([exe, "room", "close", "B1"], env=env, check=True, stdout=subprocess.DEVNULL)
        closed, _ = run([exe, "tally", "B1", "--format", "json"], env)
        f_ins, f_grp = floor(ballots, work / "floor.db")
        helps = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run([exe, "--help"], check=True, stdout=subprocess.DEVNULL)
            helps.append(time.perf_counter() - t)
    entries = a.persons * a.ballots
    print(f"entries: {entries:,}   database: {'PostgreSQL' if a.pg else 'SQLite'}")
    print(f"ballots import : {imp:6.2f} s   floor {f_ins:5.2f} s   ratio {imp / f_ins:4.1f}×"
          f"   peak {imp_rss / 1024:5.0f} MB")
    print(f"tally (open)   : {tal:6.2f} s   floor {f_grp:5.2f} s   ratio {tal / f_grp:4.1f}×"
          f"   peak {tal_rss / 1024:5.0f} MB")
    print(f"tally (closed) : {closed:6.2f} s   (reads the stored result)")
    print(f"pingyi --help  : {min(helps):6.3f} s (best of 5)")


if __name__ == "__main__":
    main()
