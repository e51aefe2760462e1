"""A realistic demo county, built through the services (``pingyi demo``).

Ten county units, 120 section chiefs with their supervisors, a 双定双评
scheme with five evaluator groups, a series of two closed rounds in which
刘某 of 文化稽查大队 is last both times (so a blue streak proposal exists),
and a third round open with quotas, issued codes and some ballots in.
Seeded: the same seed gives the same people, scores and rankings.
"""
from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERIES = "2026年度科股长双定双评"
SCHEME = "2026年双定双评"
LIU_CODE = "WHJC05"
OPEN_ROOM = "R2603"

UNITS = [
    ("CZ", "财政局", ["预算股", "国库股", "综合股", "农财股", "经建股", "行政政法股", "社保股", "会计股", "采购办", "绩效股", "金融股", "债务股"]),
    ("MZ", "民政局", ["社会救助股", "社会事务股", "基层政权股", "养老服务股", "婚姻登记处", "区划地名股", "慈善股", "办公室", "社会组织股", "殡葬管理所", "救助站", "福利院"]),
    ("WHJC", "文化稽查大队", ["一中队", "二中队", "三中队", "综合股", "刘某所在中队", "法制股", "网吧监管股", "出版物监管股", "演出监管股", "文物执法股", "旅游执法股", "办公室"]),
    ("GT", "国土资源局", ["耕保股", "地籍股", "规划股", "矿管股", "执法监察大队", "利用股", "登记中心", "测绘股", "地环股", "办公室", "财务股", "信访股"]),
    ("ZJ", "住建局", ["建管股", "质监站", "安监站", "房管股", "城建股", "村镇股", "招投标办", "人防办", "法规股", "办公室", "财务股", "物业股"]),
    ("JT", "交通运输局", ["运管所", "路政大队", "公路段", "海事处", "规划股", "建设股", "安全股", "法规股", "办公室", "财务股", "养护股", "客运股"]),
    ("RS", "人社局", ["就业局", "社保局", "医保股", "劳动监察大队", "仲裁院", "人才股", "工资股", "职称股", "办公室", "培训股", "信息中心", "基金股"]),
    ("WJ", "卫健局", ["医政股", "疾控中心", "卫生监督所", "妇幼股", "基层股", "药政股", "计生股", "规划股", "办公室", "财务股", "中医股", "应急股"]),
    ("JY", "教育局", ["基教股", "职成股", "人事股", "计财股", "督导室", "招生办", "安全股", "勤工俭学办", "办公室", "教研室", "装备站", "资助中心"]),
    ("LY", "林业局", ["资源林政股", "造林股", "林业站", "森林公安", "林权股", "防火办", "种苗站", "林检站", "办公室", "财务股", "林业执法大队", "野保站"]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文斌志红玉兰海燕鹏飞晓东"
CATEGORIES = {"执法": "执法类", "监察": "执法类", "大队": "执法类", "中队": "执法类", "公安": "执法类",
              "所": "服务类", "站": "服务类", "中心": "服务类", "处": "服务类", "院": "服务类"}

SCHEME_TOML = f'''name = "{SCHEME}"
kind = "shuangding"
description = "定岗定人、评绩评廉：群众代表、企业业主、人大代表、政协委员、服务对象评议科股长"

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
weight = 0.3

[[group]]
key = "owners"
name = "企业业主"
weight = 0.2

[[group]]
key = "npc"
name = "人大代表"
weight = 0.2

[[group]]
key = "cppcc"
name = "政协委员"
weight = 0.15

[[group]]
key = "clients"
name = "服务对象"
weight = 0.15

[rules]
trim = 1
bottom_n = 1
streak = 2
max_excellent_ratio = 0.7
excellent_at = 90
'''

QUOTAS = {"masses": 12, "owners": 6, "npc": 5, "cppcc": 4, "clients": 8}
DEMO_ORGAN = "中共示范县纪律检查委员会"
ACCOUNTS = [
    ("admin", "demo-admin-2026", "admin"),
    ("huiwu", "demo-huiwu-2026", "organizer"),
    ("jiwei1", "demo-jiwei1-2026", "commission"),
    ("jiwei2", "demo-jiwei2-2026", "commission"),
]


@dataclass(frozen=True)
class DemoResult:
    db_path: str
    accounts: list[tuple[str, str, str]]     # (name, password, role)
    series: str
    closed_rooms: list[str]
    open_room: str
    codes: list[tuple[str, str]]             # unused (group key, code) of the open room
    liu: str                                  # 刘某's person code


def _roster(rng: random.Random) -> list[dict[str, str]]:
    """Roster rows keyed by the CSV headers."""
    rows: list[dict[str, str]] = []
    used: set[str] = set()
    for prefix, unit, sections in UNITS:
        deputies: list[str] = []
        while len(deputies) < 3:
            d = f"副局长{rng.choice(SURNAMES)}某" if unit != "文化稽查大队" else f"副大队长{rng.choice(SURNAMES)}某"
            if d not in deputies:
                deputies.append(d)
        for i, section in enumerate(sections, 1):
            code = f"{prefix}{i:02d}"
            if code == LIU_CODE:
                name, section = "刘某", "四中队"
            else:
                while True:
                    surname = rng.choice(SURNAMES.replace("刘", ""))
                    name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                    if name not in used:
                        break
            used.add(name)
            post = section + ("长" if section.endswith(("股", "室", "办", "队")) else "负责人")
            category = next((v for k, v in CATEGORIES.items() if k in section), "管理类")
            rows.append({"编号": code, "姓名": name, "单位": unit, "职务": post, "类别": category,
                         "分管领导": deputies[(i - 1) % 3]})
    return rows


def _ballots_csv(path: Path, rng: random.Random, standing: dict[str, float], round_no: int) -> None:
    """A meeting's paper ballots around each person's standing (which drifts a little per round)."""
    standing = {c: v + rng.uniform(-1.5, 1.5) for c, v in standing.items()}
    standing[LIU_CODE] = 31.0 + round_no
    codes = list(standing)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ballot", "group", "person", "perf", "clean"])
        serial = 0
        for group, count in QUOTAS.items():
            for _ in range(count):
                serial += 1
                blank = rng.random() < 0.02
                for code in codes:
                    if blank or rng.random() < 0.02:
                        w.writerow([f"P{round_no}-{serial:03d}", group, code, "", ""])
                        continue
                    base = standing[code]
                    perf = min(50.0, max(20.0, rng.gauss(base, 2.5)))
                    clean = min(50.0, max(20.0, rng.gauss(base + 1.5, 2.0)))
                    w.writerow([f"P{round_no}-{serial:03d}", group, code, f"{perf:.1f}", f"{clean:.1f}"])


def build(path: str | None = None, seed: int = 2026) -> DemoResult:
    """Build the demo database in directory ``path`` (a new temporary one if None)."""
    from pingyi.common.store import open_store
    from pingyi.desk import policy
    from pingyi.people import accounts, roster
    from pingyi.voting import ballots, rooms, schemes

    folder = Path(path) if path else Path(tempfile.mkdtemp(prefix="pingyi-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "pingyi-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    open_store(str(db_path))
    rng = random.Random(seed)

    admin = accounts.init_admin(*ACCOUNTS[0][:2])
    for name, password, role in ACCOUNTS[1:]:
        accounts.add_user(admin, name, role, password)
    policy.set_header(admin, organ=DEMO_ORGAN)  # notices name an organ; a real county sets its own
    organizer = accounts.Actor("huiwu", "organizer")

    files = folder / "demo-files"
    files.mkdir(exist_ok=True)
    people = _roster(rng)
    roster_file = files / "县直单位科股长名单.csv"
    with roster_file.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(people[0]))
        w.writeheader()
        w.writerows(people)
    roster.import_roster(organizer, roster_file)
    scheme_file = files / "双定双评方案.toml"
    scheme_file.write_text(SCHEME_TOML, encoding="utf-8")
    schemes.import_scheme(organizer, scheme_file)

    codes = [p["编号"] for p in people]
    standing = {c: rng.uniform(36, 46) for c in codes}   # per indicator, out of 50
    closed = []
    for round_no, title in ((1, "2026年上半年科股长双定双评"), (2, "2026年第三季度科股长双定双评")):
        room_id = f"R260{round_no}"
        rooms.create_room(organizer, SCHEME, title, room_id, series=SERIES, round=round_no, paper=QUOTAS)
        rooms.open_room(organizer, room_id)
        ballot_file = files / f"第{round_no}轮纸质选票.csv"
        _ballots_csv(ballot_file, rng, standing, round_no)
        ballots.import_csv(organizer, room_id, ballot_file)
        rooms.close_room(organizer, room_id)
        closed.append(room_id)

    rooms.create_room(organizer, SCHEME, "2026年第四季度科股长双定双评", OPEN_ROOM, series=SERIES, round=3,
                      quotas=QUOTAS)
    rooms.open_room(organizer, OPEN_ROOM)
    issued = rooms.issue_codes(organizer, OPEN_ROOM)
    # Some evaluators have voted already: the first codes of each group, in a seeded order.
    cast_per_group = {"masses": 7, "owners": 3, "npc": 5, "cppcc": 1, "clients": 4}
    left: list[tuple[str, str]] = []
    taken = {g: 0 for g in QUOTAS}
    for group, code in issued:
        if taken[group] < cast_per_group[group]:
            taken[group] += 1
            entries: dict[str, list[str] | None] = {}
            for person in codes:
                if rng.random() < 0.03:
                    entries[person] = None
                else:
                    entries[person] = [rng.choice(("好", "较好", "较好", "一般")), rng.choice(("好", "好", "较好"))]
            ballots.submit(OPEN_ROOM, code, entries)
        else:
            left.append((group, code))
    return DemoResult(str(db_path), list(ACCOUNTS), SERIES, closed, OPEN_ROOM, left, LIU_CODE)
