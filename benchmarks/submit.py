"""Ballot submit under concurrent kiosk writers, against plain-driver floors (issue 14).

W spawned processes (separate kiosk terminals) each submit B ballots of P
persons back to back on one database, started together:

- pingyi: ``pingyi.voting.ballots.submit`` — exactly what the kiosk's worker
  and the web server call — with codes typed as on the slip;
- floor: the same transaction written by hand on a kept connection of the
  plain driver (sqlite3 / psycopg2), with no validation at all: BEGIN
  (IMMEDIATE on SQLite); bump the room's version while it is open; mark the
  code used (RETURNING its group); check the group's code places; insert the
  ballot; its entries with ``executemany`` (SQLite) or one ``execute_values``
  statement (psycopg2, whose ``executemany`` is a round trip per row); add one
  to the group's ballot count (where the schema has it); COMMIT;
  then on SQLite the same passive WAL checkpoint that pingyi runs after each
  ballot (DESIGN §6).

Each configuration runs on a fresh copy of one prepared database; pingyi
and floor runs alternate, ``--runs`` of each, and the figures are medians
over runs of each run's p50/p99 latency, throughput and CPU per ballot (the
writer processes' CPU time divided by the ballots they stored).

    python benchmarks/submit.py [--writers 1,4,8] [--ballots 100] [--persons 120] [--runs 5] [--pg URL]
"""
from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import SCHEME  # noqa: E402

ROOM = "BENCH"


def setup(url: str, work: Path, persons: int, total: int) -> tuple[list[str], list[str]]:
    """A room open with ``total`` codes; returns (codes in clear, person codes)."""
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
    rooms.create_room(admin, name, "基准会场", ROOM, quotas={"masses": total // 2, "npc": total - total // 2})
    rooms.open_room(admin, ROOM)
    codes = [c for _, c in rooms.issue_codes(admin, ROOM)]
    people = [p.code for p in rooms.room_persons(ROOM)]
    close_database()
    return codes, people


def ballots_for(people: list[str], n: int, seed: int) -> list[dict[str, list[str] | None]]:
    rnd = random.Random(seed)
    cells = [str(v) for v in range(20, 51)] + ["好", "较好", "一般", "差", "45.5"]
    return [{p: None if rnd.random() < 0.05 else [rnd.choice(cells), rnd.choice(cells)] for p in people}
            for _ in range(n)]


def pingyi_writer(url: str, codes: list[str], people: list[str], seed: int, start_at: float):
    from pingyi.db.connection import open_database

    from pingyi.voting import ballots

    open_database(url, migrate=False)
    work = ballots_for(people, len(codes), seed)
    while time.time() < start_at:  # start together, after every process has imported
        time.sleep(0.001)
    latencies, errors = [], 0
    cpu = time.process_time()
    for code, entries in zip(codes, work, strict=True):
        t0 = time.perf_counter()
        try:
            ballots.submit(ROOM, code[:5] + "-" + code[5:], entries)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors += 1
            print("error:", exc, file=sys.stderr)
        latencies.append(time.perf_counter() - t0)
    return latencies, errors, time.process_time() - cpu, time.time()


def floor_writer(url: str, codes: list[str], people: list[str], seed: int, start_at: float):
    """The same transaction on a kept plain-driver connection, values already in tenths."""
    sqlite = "://" not in url or url.startswith("sqlite:///")
    if sqlite:
        import sqlite3

        con = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
        con.execute("PRAGMA synchronous=normal")
        q = "?"
    else:
        import psycopg2
        from pingyi.db.connection import make_database

        db = make_database(url)
        con = psycopg2.connect(database=db.database, **db.connect_params)
        q = "%s"
    cur = con.cursor()
    cur.execute(f"SELECT salt FROM room WHERE id = {q}", (ROOM,))
    salt = cur.fetchone()[0]
    cur.execute(f"SELECT p.code, p.id FROM person p JOIN room_person rp ON rp.person_id = p.id WHERE rp.room_id = {q}",
                (ROOM,))
    pid = dict(cur.fetchall())
    try:
        cur.execute("SELECT 1 FROM ballot_count WHERE 1 = 0")
        counted = True
    except Exception:  # noqa: BLE001 - an older schema without the count
        counted = False
        if not sqlite:
            con.rollback()
    rnd = random.Random(seed)
    work = [[(pid[p], t, f"{t // 2},{t - t // 2}") for p in people for t in [rnd.randint(400, 1000)]] for _ in codes]
    while time.time() < start_at:
        time.sleep(0.001)
    latencies, errors = [], 0
    cpu = time.process_time()
    for code, entries in zip(codes, work, strict=True):
        t0 = time.perf_counter()
        digest = hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()
        if sqlite:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(f"UPDATE room SET version = version + 1 WHERE id = {q} AND status = 'open'", (ROOM,))
        cur.execute(f"UPDATE ballot_code SET status = 'used' WHERE hash = {q} AND room_id = {q} AND status = 'unused' "
                    f'RETURNING "group"', (digest, ROOM))
        group = cur.fetchone()[0]
        cur.execute(f'SELECT (SELECT count FROM quota WHERE room_id = {q} AND "group" = {q}), '
                    f'(SELECT COUNT(*) FROM ballot_code WHERE room_id = {q} AND "group" = {q} AND status = \'used\')',
                    (ROOM, group, ROOM, group))
        limit, used = cur.fetchone()
        bid = random.getrandbits(62) + 1
        cur.execute(f'INSERT INTO ballot (id, room_id, "group", status, serial) VALUES ({q}, {q}, {q}, {q}, NULL)',
                    (bid, ROOM, group, "valid"))
        if sqlite:
            cur.executemany("INSERT INTO entry (ballot_id, person, total, vals) VALUES (?, ?, ?, ?)",
                            [(bid, p, t, v) for p, t, v in entries])
        else:
            from psycopg2.extras import execute_values

            execute_values(cur, "INSERT INTO entry (ballot_id, person, total, vals) VALUES %s",
                           [(bid, p, t, v) for p, t, v in entries], page_size=1000)
        if counted:  # the per-group count that audit verify holds an open room's ballots to
            cur.execute(f'INSERT INTO ballot_count (room_id, "group", n) VALUES ({q}, {q}, 1) '
                        f'ON CONFLICT (room_id, "group") DO UPDATE SET n = ballot_count.n + 1', (ROOM, group))
        if sqlite:
            cur.execute("COMMIT")
            cur.execute("PRAGMA wal_checkpoint(PASSIVE)")
        else:
            con.commit()
        latencies.append(time.perf_counter() - t0)
    return latencies, errors, time.process_time() - cpu, time.time()


def pct(sorted_ms: list[float], p: float) -> float:
    i = min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[i]


def one_run(kind: str, url: str, writers: int, ballots: int, codes: list[str], people: list[str]) -> dict:
    chunks = [codes[i * ballots:(i + 1) * ballots] for i in range(writers)]
    ctx = multiprocessing.get_context("spawn")
    fn = pingyi_writer if kind == "pingyi" else floor_writer
    start_at = time.time() + 1.5 + 0.25 * writers
    with ctx.Pool(writers) as pool:
        results = pool.starmap(fn, [(url, chunk, people, n, start_at) for n, chunk in enumerate(chunks)])
    wall = max(end for *_, end in results) - start_at
    lat = sorted(s * 1000 for lats, *_ in results for s in lats)
    total = writers * ballots
    return {"p50": statistics.median(lat), "p99": pct(lat, 99), "max": lat[-1], "rate": total / wall,
            "cpu": sum(c for _, _, c, _ in results) / total * 1000, "errors": sum(e for _, e, _, _ in results)}


def fresh_pg(url: str) -> str:
    import psycopg2

    schema = f"bench_{os.getpid()}_{random.getrandbits(24)}"
    con = psycopg2.connect(url)
    con.autocommit = True
    con.cursor().execute(f"CREATE SCHEMA {schema}")
    con.close()
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


def drop_pg(url: str, scheme_url: str) -> None:
    import psycopg2

    schema = scheme_url.rsplit("schema=", 1)[1]
    con = psycopg2.connect(url)
    con.autocommit = True
    con.cursor().execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", default="1,4,8")
    ap.add_argument("--ballots", type=int, default=100, help="per writer")
    ap.add_argument("--persons", type=int, default=120)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pg", metavar="URL", help="PostgreSQL instead of SQLite, e.g. postgresql://postgres@127.0.0.1/test")
    a = ap.parse_args()
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1]), quiet=1, rx=__import__("re").compile(r"tests"))
    print(f"{'PostgreSQL' if a.pg else 'SQLite (WAL)'}; {a.ballots} ballots per writer × {a.persons} persons; "
          f"{a.runs} alternating runs each; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for writers in (int(w) for w in a.writers.split(",")):
            total = writers * a.ballots
            if a.pg:
                template = None
            else:
                template = work / f"template-{writers}.db"
                codes, people = setup(str(template), work, a.persons, total)
            res: dict[str, list[dict]] = {"pingyi": [], "floor": []}
            load = os.getloadavg()[0]
            for _ in range(a.runs):
                for kind in ("pingyi", "floor"):
                    if a.pg:
                        url = fresh_pg(a.pg)
                        codes, people = setup(url, work, a.persons, total)
                    else:
                        url = str(work / "run.db")
                        for suffix in ("", "-wal", "-shm"):
                            Path(f"{url}{suffix}").unlink(missing_ok=True)
                        shutil.copyfile(template, url)
                    res[kind].append(one_run(kind, url, writers, a.ballots, codes, people))
                    if a.pg:
                        drop_pg(a.pg, url)
            med = {k: {f: statistics.median(r[f] for r in runs) for f in runs[0]} for k, runs in res.items()}
            p, f = med["pingyi"], med["floor"]
            print(f"{writers} writer(s), load {load:.2f} → {os.getloadavg()[0]:.2f}:")
            for k, r in (("pingyi", p), ("floor", f)):
                print(f"  {k:6s} p50 {r['p50']:6.2f} ms  p99 {r['p99']:7.2f} ms  max {r['max']:7.1f} ms  "
                      f"{r['rate']:5.0f}/s  CPU {r['cpu']:5.2f} ms/ballot  errors {r['errors']:.0f}")
            print(f"  ratio  p50 {p['p50'] / f['p50']:.2f}×  p99 {p['p99'] / f['p99']:.2f}×  "
                  f"throughput {f['rate'] / p['rate']:.2f}× slower  CPU {p['cpu'] / f['cpu']:.2f}×")


if __name__ == "__main__":
    main()
