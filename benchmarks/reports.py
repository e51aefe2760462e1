"""What pingyi prints or exports, timed: the result sheet of a 300-person room
(goal < 2 s), 300 code slips (goal < 2 s) and the year-end export for 3,000
persons × 4 rooms with ledger entries and warnings (goal < 10 s, < 400 MB).

The year export runs as a whole `pingyi export year` process (XLSX + PDF +
CSV), so its peak RSS is the command's own; the rooms' tallies are written
straight into the database (the export only reads stored tallies).

    python benchmarks/reports.py [--persons 3000 --rooms 4]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-pass-123"
UNITS = ["财政局", "民政局", "教育局", "卫健局", "住建局", "交通运输局", "自然资源局", "市场监管局", "人社局",
         "农业农村局", "水利局", "林业局", "文旅局", "应急管理局", "生态环境局", "审计局", "统计局", "医保局",
         "税务局", "公安局"]


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def bench_sheet_and_slips() -> None:
    from pingyi.reports import base, sheet, slips
    from pingyi.voting.codes import new_code
    from pingyi.voting.rooms import RoomInfo
    from tests.reports_util import spec, synthetic_report

    work = Path(tempfile.mkdtemp(prefix="pingyi-bench-"))
    _, font = timed(base.styles)
    print(f"font: {base.styles().font} (embedded={base.styles().embedded}), load {font:.2f} s")
    report = synthetic_report(300, groups=3)
    pages, cold = timed(sheet.write_sheet, work / "sheet.pdf", report, streaks={"P00300": 2})
    _, warm = timed(sheet.write_sheet, work / "sheet2.pdf", report)
    size = (work / "sheet.pdf").stat().st_size
    print(f"result sheet, 300 persons: {pages} pages, {cold:.2f} s first, {warm:.2f} s again, {size / 1024:.0f} KB")
    room = RoomInfo(id="RBENCH", title="基准测评会", scheme="s", kind="shuangding", status="open", series=None,
                    round=None, spec=spec(2), spec_hash="a" * 64, persons=300)
    issued = [("g0" if i % 2 else "g1", new_code()) for i in range(300)]
    pages, t = timed(slips.write_slips, work / "slips.pdf", room, issued, url="http://192.168.1.20:8000/")
    size = (work / "slips.pdf").stat().st_size
    print(f"code slips, 300 with QR: {pages} pages, {t:.2f} s, {size / 1024:.0f} KB")


def seed_year(db: Path, persons: int, rooms: int) -> None:
    from pingyi.db import models as m
    from pingyi.db.connection import open_database, session, transaction

    from pingyi.desk import alerts, ledger
    from pingyi.people import accounts, roster
    from pingyi.voting import rooms as room_service
    from pingyi.voting import schemes

    os.environ["PINGYI_TODAY"] = "2026-11-20"
    open_database(str(db))
    admin = accounts.init_admin("admin", PASSWORD)
    rnd = random.Random(11)
    roster_csv = db.parent / "roster.csv"
    with roster_csv.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "姓名", "单位", "职务", "类别", "分管领导"])
        for i in range(persons):
            unit = UNITS[i % len(UNITS)]
            w.writerow([f"P{i:05d}", f"测{i:05d}", unit, f"第{i % 9 + 1}股股长", "服务类", f"{unit}副局长"])
    roster.import_roster(admin, roster_csv)
    scheme = db.parent / "scheme.toml"
    scheme.write_text("""name = "基准方案"\nkind = "shuangding"\n[[indicator]]\nkey = "perf"\nname = "评绩"
max = 50\n[[indicator]]\nkey = "clean"\nname = "评廉"\nmax = 50\n[[group]]\nkey = "masses"\nname = "群众代表"
weight = 0.6\n[[group]]\nkey = "npc"\nname = "人大代表"\nweight = 0.4\n[rules]\ntrim = 1\n""", encoding="utf-8")
    schemes.import_scheme(admin, scheme)
    names = {f"P{i:05d}": (f"测{i:05d}", UNITS[i % len(UNITS)]) for i in range(persons)}
    for r in range(1, rooms + 1):
        rid = f"Y{r}"
        room_service.create_room(admin, "基准方案", f"2026年第{r}季度双定双评", rid, series="基准系列", round=r)
        room_service.open_room(admin, rid)
        scores = {code: rnd.randint(6000, 9800) for code in names}
        ordered = sorted(scores.values(), reverse=True)
        first = {}
        for i, s in enumerate(ordered):
            first.setdefault(s, i + 1)
        low = ordered[-1]
        results = []
        for code in sorted(names, key=lambda c: (-scores[c], c)):
            s = scores[code]
            results.append({"person": code, "name": names[code][0], "unit": names[code][1], "post": "股长",
                            "score": s / 100, "rank": first[s], "bottom": s == low,
                            "groups": {"masses": {"n": 30, "counted": 28, "mean": s / 100}}})
        tally = {"room": rid, "title": f"2026年第{r}季度双定双评", "status": "closed", "provisional": False,
                 "scheme": "基准方案", "series": "基准系列", "round": r,
                 "ballots": {"cast": 60, "valid": 60, "invalid": 0, "blank": 0}, "results": results,
                 "spec_hash": "", "frozen_hash": "", "tally_hash": None, "closed_at": f"2026-{3 * r:02d}-15"}
        with session(), transaction():
            m.Room.update(status="closed", closed_at=f"2026-{3 * r:02d}-15T09:00:00+00:00",
                          tally=json.dumps(tally, ensure_ascii=False), tally_hash="c" * 64).where(
                m.Room.id == rid).execute()
    c1 = accounts.add_user(admin, "jw1", "commission", PASSWORD)
    c2 = accounts.add_user(admin, "jw2", "commission", PASSWORD)
    codes = sorted(names)
    for code in rnd.sample(codes, max(1, persons // 10)):
        ledger.deduct(c1, code, rnd.choice(["1", "2", "3", "6"]), "基准扣分", date="2026-05-01")
    for unit in UNITS[:5]:
        ledger.deduct(c1, unit, "3", "基准单位扣分", date="2026-05-02")
    for code in rnd.sample(codes, max(1, persons // 50)):
        for level in ("blue", "yellow"):
            w = alerts.draft(c1, target=code, level=level, reason="基准预警", deadline="2026-12-31")
            alerts.approve(c2, w.id)


def bench_year(persons: int, rooms: int) -> None:
    from pingyi.db.connection import close_database

    work = Path(tempfile.mkdtemp(prefix="pingyi-bench-year-"))
    db = work / "year.db"
    _, t = timed(seed_year, db, persons, rooms)
    close_database()
    print(f"year fixture: {persons} persons × {rooms} rooms, ledger and warnings seeded in {t:.1f} s")
    env = dict(os.environ, PINGYI_DB=str(db), PINGYI_USER="jw1", PINGYI_PASSWORD=PASSWORD)
    cmd = [str(Path(sys.executable).parent / "pingyi"), "export", "year", "2026", "--xlsx", str(work / "y.xlsx"),
           "--pdf", str(work / "y.pdf"), "--csv", str(work / "csv")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    t = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if res.returncode:
        print(res.stdout, res.stderr)
        raise SystemExit(1)
    print(f"pingyi export year (xlsx + pdf + csv): {t:.2f} s, peak RSS {max(rss, before) / 1024:.0f} MB")
    print("  " + res.stdout.strip().replace("\n", "\n  "))
    # the parts, in process
    from pingyi.db.connection import open_database

    from pingyi.people import accounts
    from pingyi.reports import year_pdf, yearbook, yearend

    open_database(str(db))
    actor = accounts.authenticate("jw1", PASSWORD)
    data, tg = timed(yearend.gather, actor, 2026)
    _, tx = timed(yearbook.write_xlsx, work / "y2.xlsx", data)
    _, tp = timed(year_pdf.write_year_pdf, work / "y2.pdf", data)
    _, tc = timed(yearbook.write_csv, work / "csv2", data)
    print(f"  parts: gather {tg:.2f} s, xlsx {tx:.2f} s, pdf {tp:.2f} s, csv {tc:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=3000)
    ap.add_argument("--rooms", type=int, default=4)
    args = ap.parse_args()
    bench_sheet_and_slips()
    bench_year(args.persons, args.rooms)


if __name__ == "__main__":
    main()
