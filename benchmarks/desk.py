"""The warnings desk, timed on SQLite (and PostgreSQL with --pg URL):
ledger deductions for 2,000 persons, 200 drafts approved by two processes at
once (gapless numbers checked), listing all warnings, the year summaries,
the integrity index for 2,000 leaders, and one notice PDF.

    python benchmarks/desk.py [--persons 2000 --warnings 200] [--pg postgresql://…/test]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-pass-123"


def timed(label, fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    print(f"{label:<44} {time.perf_counter() - t:7.2f} s")
    return out


def _roster(path: Path, n: int) -> Path:
    lines = ["编号,姓名,单位,职务,类别,分管领导"]
    lines += [f"P{i:05d},张{i:05d},单位{i % 20:02d},股长,服务类,副局长{i % 20:02d}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _approve(url: str, user: str, ids: list[int]) -> int:
    from pingyi.db.connection import open_database

    from pingyi.desk import alerts
    from pingyi.people.accounts import Actor

    open_database(url, migrate=False)
    for wid in ids:
        alerts.approve(Actor(user, "commission"), wid)
    return len(ids)


def run(url: str, persons: int, warnings: int, tmp: Path) -> None:
    from pingyi.db.connection import open_database

    from pingyi.desk import alerts, integrity, ledger, talks
    from pingyi.people import accounts, roster
    from pingyi.reports.notice import write_notice

    print(f"-- {url.split('?')[0]}: {persons} persons, {warnings} warnings")
    open_database(url)
    admin = accounts.init_admin("admin", PASSWORD)
    roster.import_roster(admin, _roster(tmp / "roster.csv", persons))
    wang = accounts.add_user(admin, "wang", "commission", PASSWORD)
    accounts.add_user(admin, "li", "commission", PASSWORD)
    codes = [f"P{i:05d}" for i in range(persons)]

    def deduct_all():
        for i, c in enumerate(codes):
            ledger.deduct(wang, c, "1.5" if i % 3 else "6", "测试扣分")
    timed(f"ledger deduct × {persons}", deduct_all)
    ids = timed(f"warnings draft × {warnings}",
                lambda: [alerts.draft(wang, target=codes[i], level="blue", reason="x").id for i in range(warnings)])
    ctx = multiprocessing.get_context("spawn")

    def approve_two():
        with ctx.Pool(2) as pool:
            parts = [pool.apply_async(_approve, (url, u, ids[k::2])) for k, u in enumerate(("li", "admin"))]
            return sum(p.get(300) for p in parts)
    timed(f"approve × {warnings}, two processes at once", approve_two)
    numbers = sorted(int(a.number.split("〕")[1][:-1]) for a in alerts.list_alerts())
    assert numbers == list(range(1, warnings + 1)), "numbering not gapless"
    timed("warnings list (all)", alerts.list_alerts)
    year = ledger.current_cycle()
    timed("ledger.year_summary", ledger.year_summary, year)
    timed("alerts.year_summary", alerts.year_summary, year)
    from pingyi.db import models as m
    from pingyi.db.connection import write

    @write
    def inputs():
        m.IntegrityInput.insert_many([dict(person=c, year=year, manual=900, grade="称职", entered_by="bench",
                                           updated_at="") for c in codes]).execute()
    inputs()
    from pingyi.desk import policy
    p = tmp / "policy.toml"
    # no room in this benchmark: the democratic component becomes a manual one
    p.write_text(policy.DEFAULT_TOML.replace('kind = "room"', 'kind = "manual"'), encoding="utf-8")
    policy.import_policy(admin, p)
    res = timed(f"integrity compute × {persons}", integrity.compute, wang, year, [])
    print(f"   {sum(1 for r in res if r.passed is False)} below threshold or vetoed, "
          f"{len(talks.list_talks(year, 'pending'))} talks due")
    timed("notice PDF", write_notice, tmp / "n.pdf", alerts.get(ids[0]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--warnings", type=int, default=200)
    ap.add_argument("--pg", help="PostgreSQL URL (a private schema is created)")
    a = ap.parse_args()
    os.environ.setdefault("PINGYI_TODAY", "2026-06-01")
    with tempfile.TemporaryDirectory() as d:
        run(str(Path(d) / "desk.db"), a.persons, a.warnings, Path(d))
        if a.pg:
            import secrets

            import psycopg2

            schema = "bench_" + secrets.token_hex(4)
            conn = psycopg2.connect(a.pg)
            conn.autocommit = True
            conn.cursor().execute(f"CREATE SCHEMA {schema}")
            try:
                run(f"{a.pg}?schema={schema}", a.persons, a.warnings, Path(d))
            finally:
                from pingyi.db.connection import close_database

                close_database()
                conn.cursor().execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
