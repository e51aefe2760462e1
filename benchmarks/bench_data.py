"""Data the benchmarks share: one two-indicator, two-group scheme and the files of a meeting."""
import csv
import random
from pathlib import Path

SCHEME = """name = "基准方案"
kind = "shuangding"
[[indicator]]
key = "perf"
name = "评绩"
max = 50
[[indicator]]
key = "clean"
name = "评廉"
max = 50
[grades]
"好" = 1.0
"较好" = 0.85
"一般" = 0.7
"差" = 0.5
[[group]]
key = "masses"
name = "群众代表"
weight = 0.6
[[group]]
key = "npc"
name = "人大代表"
weight = 0.4
[rules]
trim = 1
"""


def make_files(work: Path, persons: int, ballots: int) -> tuple[Path, Path, Path]:
    """Roster, scheme and a ballot CSV of `ballots` ballots rating every person (fixed seed)."""
    rnd = random.Random(7)
    roster = work / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "姓名", "单位", "职务"])
        for i in range(persons):
            w.writerow([f"P{i:04d}", f"人员{i}", f"单位{i % 10}", "股长"])
    scheme = work / "scheme.toml"
    scheme.write_text(SCHEME, encoding="utf-8")
    path = work / f"ballots-{persons * ballots}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ballot", "group", "person", "perf", "clean"])
        for b in range(ballots):
            group = "masses" if b % 4 else "npc"
            for i in range(persons):
                w.writerow([f"B{b:05d}", group, f"P{i:04d}", rnd.randint(300, 500) / 10, rnd.randint(300, 500) / 10])
    return roster, scheme, path
