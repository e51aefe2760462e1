"""Small builders for service tests."""
from __future__ import annotations

from pathlib import Path

SCHEME = """name = "{name}"
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
trim = {trim}
bottom_n = 1
streak = 2
"""

ROSTER = """编号,姓名,单位,职务,类别,分管领导
A01,王伟,财政局,预算股股长,服务类,副局长赵某
A02,李娜,财政局,国库股股长,服务类,副局长赵某
A03,张强,民政局,救助股股长,服务类,副局长钱某
A04,刘某,文化稽查大队,队长,执法类,分管副局长孙某
"""


def write(tmp: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp / name
    p.write_bytes(text.encode(encoding))
    return p


def setup_scheme(actor, tmp: Path, name: str = "测试方案", trim: int = 0) -> str:
    from pingyi.people import roster
    from pingyi.voting import schemes

    roster.import_roster(actor, write(tmp, "roster.csv", ROSTER))
    return schemes.import_scheme(actor, write(tmp, f"{name}.toml", SCHEME.format(name=name, trim=trim)))


def ballots_csv(tmp: Path, rows: list[str], name: str = "ballots.csv") -> Path:
    return write(tmp, name, "ballot,group,person,perf,clean\n" + "\n".join(rows) + "\n")


def open_room(actor, scheme: str, room_id: str, **kw) -> str:
    from pingyi.voting import rooms

    rooms.create_room(actor, scheme, f"会场{room_id}", room_id, **kw)
    rooms.open_room(actor, room_id)
    return room_id
