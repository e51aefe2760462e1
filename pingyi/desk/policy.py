"""The desk policy (TOML): point table, levels, cycle start, deadlines, notice
header and the integrity index. Admin imports new versions; the newest is in
force and its hash is frozen into every deduction and index computed under it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from pingyi.common import clock
from pingyi.common.errors import InputError
from pingyi.common.tomlcheck import Problems, load, number
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit
from pingyi.rules.integrity import GRADES, KINDS, Component, IndexPolicy
from pingyi.rules.ledger import LEVELS, MAX_POINTS, Levels, parse_start

DEFAULT_TOML = """\
# pingyi 预警与廉洁指数政策
name = "默认政策"
cycle_start = "01-01"        # 记分周期起始日（月-日），默认自然年
excellent_bar = 6            # 周期内扣分达到此分值，当年不得评为优秀
deadline_days = 0            # 起草时未给整改期限则默认几天后到期；0 表示不设默认期限
organ = ""                   # 发文机关全称，如 "中共某某县纪律检查委员会"；未设置时不能生成通知书
issuer = ""                  # 印发机关，默认为 发文机关 + "办公室"
cc = "县委组织部"             # 通知书抄送机关（多个用顿号分隔）
number_prefix = "预警"        # 编号：预警〔2026〕7号

[levels]                     # 周期内累计扣分达到即为该级预警
blue = 3
yellow = 6
red = 12

[points]                     # 预设扣分标准
"通报批评" = 1
"约谈" = 1
"书面检查" = 1.5
"警示提醒" = 2
"诫勉" = 2.5
"责令纠错" = 3
"警告" = 6
"记过" = 6
"严重警告" = 10
"记大过" = 10
"降级" = 10
"撤职及以上" = 12

[integrity]
threshold = 80               # 低于此分值进行廉政谈话
ledger_factor = 5            # 扣分折算：100 − 扣分 × 系数
veto_ledger_at = 6           # 本年度扣分达到此分值一票否决（受到处分）；0 表示不设
proposal_level = "blue"      # 低于阈值时提出的预警等级

[[integrity.component]]
key = "room"
name = "民主评廉"
kind = "room"
weight = 0.4

[[integrity.component]]
key = "report"
name = "述职述廉"
kind = "manual"
weight = 0.2

[[integrity.component]]
key = "assessment"
name = "年度考核"
kind = "grade"
weight = 0.2

[[integrity.component]]
key = "ledger"
name = "扣分情况"
kind = "ledger"
weight = 0.2

[integrity.grades]
"优秀" = 100
"称职" = 90
"基本称职" = 70
"不称职" = 50
"""


@dataclass(frozen=True)
class DeskPolicy:
    name: str
    cycle_start: tuple[int, int]
    levels: Levels
    excellent_bar: int                      # tenths
    deadline_days: int
    organ: str
    number_prefix: str
    points: dict[str, int]                  # preset item -> tenths
    index: IndexPolicy
    proposal_level: str = "blue"
    hash: str = field(default="", compare=False)
    cc: str = ""
    issuer: str = ""

    @property
    def printed_by(self) -> str:
        """印发机关: the policy's, else the organ's office."""
        return self.issuer or (f"{self.organ}办公室" if self.organ else "")

    def to_json(self) -> dict[str, Any]:
        ix = self.index
        return {
            "name": self.name, "cycle_start": "{:02d}-{:02d}".format(*self.cycle_start),
            "levels": {lv: self.levels.threshold(lv) for lv in LEVELS},
            "excellent_bar": self.excellent_bar, "deadline_days": self.deadline_days,
            "organ": self.organ, "number_prefix": self.number_prefix, "points": self.points,
            "cc": self.cc, "issuer": self.issuer,
            "integrity": {
                "threshold": str(ix.threshold), "ledger_factor": str(ix.factor),
                "veto_ledger_at": ix.veto_ledger_at, "proposal_level": self.proposal_level,
                "components": [{"key": c.key, "name": c.name, "kind": c.kind, "weight": str(c.weight)}
                               for c in ix.components],
                "grades": {k: str(v) for k, v in ix.grades.items()},
            },
        }

    @classmethod
    def from_json(cls, d: dict[str, Any], hash: str = "") -> DeskPolicy:
        ig = d["integrity"]
        index = IndexPolicy(
            components=tuple(Component(c["key"], c["name"], c["kind"], Fraction(c["weight"]))
                             for c in ig["components"]),
            grades={k: Fraction(v) for k, v in ig["grades"].items()},
            factor=Fraction(ig["ledger_factor"]), threshold=Fraction(ig["threshold"]),
            veto_ledger_at=ig["veto_ledger_at"],
        )
        return cls(d["name"], parse_start(d["cycle_start"]), Levels(**d["levels"]), d["excellent_bar"],
                   d["deadline_days"], d["organ"], d["number_prefix"], dict(d["points"]), index,
                   ig["proposal_level"], hash, d.get("cc", ""), d.get("issuer", ""))


def canonical(p: DeskPolicy) -> tuple[str, str]:
    text = json.dumps(p.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tenths(value: object) -> int | None:
    n = number(value)
    if n is None or (n * 10).denominator != 1:
        return None
    return int(n * 10)


def parse(text: str, origin: str = "政策") -> DeskPolicy:
    """Validate a policy TOML; every problem names its key (InputError lists them all)."""
    data = load(text, origin)
    err = Problems(origin)

    name = data.get("name", "政策")
    if not isinstance(name, str) or not name.strip():
        err("name", "应为非空文字")
    try:
        start = parse_start(data.get("cycle_start", "01-01"))
        if start == (2, 29):
            raise ValueError
    except (ValueError, TypeError):
        err("cycle_start", f"应为 月-日，如 01-01，而不是 {data.get('cycle_start')!r}")
        start = (1, 1)

    raw_levels = data.get("levels", {})
    levels = {}
    for lv in LEVELS:
        t = _tenths(raw_levels.get(lv, Levels().threshold(lv) / 10))
        if t is None or t <= 0 or t > MAX_POINTS:
            err(f"levels.{lv}", "应为大于 0、不超过 12、最多一位小数的分值")
            t = Levels().threshold(lv)
        levels[lv] = t
    if not levels["blue"] < levels["yellow"] < levels["red"]:
        err("levels", "应满足 蓝色 < 黄色 < 红色")

    bar = _tenths(data.get("excellent_bar", 6))
    if bar is None or bar <= 0:
        err("excellent_bar", "应为大于 0、最多一位小数的分值")
        bar = 60
    days = data.get("deadline_days", 0)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
        err("deadline_days", "应为 0 到 366 之间的整数（0 表示不设默认期限）")
        days = 0
    organ = data.get("organ", "")
    prefix = data.get("number_prefix", "预警")
    issuer = data.get("issuer", "")
    cc = data.get("cc", "")
    if not isinstance(prefix, str) or not prefix.strip():
        err("number_prefix", "应为非空文字")
        prefix = "预警"
    for key, val in (("organ", organ), ("issuer", issuer), ("cc", cc)):
        if not isinstance(val, str) or len(val) > 60 or any(ord(c) < 32 for c in val):
            err(key, "应为不超过 60 字的文字")
    organ, issuer, cc = (v if isinstance(v, str) else "" for v in (organ, issuer, cc))

    points: dict[str, int] = {}
    raw_points = data.get("points", {})
    if not isinstance(raw_points, dict) or not raw_points:
        err("points", "至少要有一项扣分标准")
        raw_points = {}
    for item, val in raw_points.items():
        t = _tenths(val)
        if t is None or t <= 0 or t > MAX_POINTS:
            err(f"points.{item}", f"应为大于 0、不超过 12、最多一位小数的分值，而不是 {val!r}")
            continue
        points[item] = t

    ig = data.get("integrity", {})
    threshold = number(ig.get("threshold", 80))
    if threshold is None or not 0 < threshold <= 100:
        err("integrity.threshold", "应为 0 到 100 之间的分值")
        threshold = Fraction(80)
    factor = number(ig.get("ledger_factor", 5))
    if factor is None or factor < 0:
        err("integrity.ledger_factor", "应为不小于 0 的数")
        factor = Fraction(5)
    veto = _tenths(ig.get("veto_ledger_at", 6))
    if veto is None or veto < 0:
        err("integrity.veto_ledger_at", "应为不小于 0 的分值（0 表示不设）")
        veto = 60
    plevel = ig.get("proposal_level", "blue")
    if plevel not in LEVELS:
        err("integrity.proposal_level", "应为 blue、yellow 或 red")
        plevel = "blue"
    grades: dict[str, Fraction] = {}
    for g, val in ig.get("grades", {"优秀": 100, "称职": 90, "基本称职": 70, "不称职": 50}).items():
        v = number(val)
        if g not in GRADES:
            err(f"integrity.grades.{g}", f"未知等次（可用：{'、'.join(GRADES)}）")
        elif v is None or not 0 <= v <= 100:
            err(f"integrity.grades.{g}", "应为 0 到 100 之间的分值")
        else:
            grades[g] = v
    comps: list[Component] = []
    raw_comps = ig.get("component", [])
    if not raw_comps:
        err("integrity.component", "至少要有一个 [[integrity.component]]")
    seen: set[str] = set()
    for i, c in enumerate(raw_comps, 1):
        where = f"integrity.component[{i}]"
        key, cname, kind, w = c.get("key"), c.get("name"), c.get("kind"), number(c.get("weight"))
        if not isinstance(key, str) or not key or key in seen:
            err(f"{where}.key", "缺少或重复")
            continue
        seen.add(key)
        if kind not in KINDS:
            err(f"{where}.kind", f"应为 {'、'.join(KINDS)} 之一")
            continue
        if w is None or w <= 0:
            err(f"{where}.weight", "应为大于 0 的数")
            continue
        if kind == "grade" and not grades:
            err("integrity.grades", "有 grade 类成分时需要等次分值")
        comps.append(Component(key, str(cname or key), kind, w))
    if comps and len(comps) == len(raw_comps) and sum(c.weight for c in comps) != 1:
        err("integrity.component.weight", f"权重之和应恰为 1，现为 {float(sum(c.weight for c in comps)):g}")

    err.check(f"{origin}：")
    p = DeskPolicy(name.strip(), start, Levels(**levels), bar, days, organ.strip(), prefix.strip(), points,
                   IndexPolicy(tuple(comps), grades, factor, threshold, veto or None), plevel, "", cc.strip(),
                   issuer.strip())
    return DeskPolicy.from_json(p.to_json(), canonical(p)[1])


_DEFAULT: DeskPolicy | None = None


def default() -> DeskPolicy:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = parse(DEFAULT_TOML, "默认政策")
    return _DEFAULT


def in_force() -> DeskPolicy:
    """The newest imported policy, or the default; call with a connection open."""
    row = m.Policy.select().order_by(m.Policy.id.desc()).first()
    if row is None:
        return default()
    return DeskPolicy.from_json(json.loads(row.spec), row.spec_hash)


@read
def current() -> DeskPolicy:
    return in_force()


@read
def current_source() -> str:
    row = m.Policy.select().order_by(m.Policy.id.desc()).first()
    return row.source if row else DEFAULT_TOML


ORGAN_UNSET = ("尚未设置发文机关名称，不能生成公文。请管理员运行 pingyi policy organ \"中共某某县纪律检查委员会\""
               "（或在 pingyi init 时用 --organ 给出）。")


def require_organ(p: DeskPolicy) -> str:
    """The issuing organ, or a clear refusal when the county has not set it yet."""
    if not p.organ.strip():
        raise InputError(ORGAN_UNSET)
    return p.organ


def with_keys(source: str, values: dict[str, str]) -> str:
    """``source`` (policy TOML) with top-level string keys set: replaced in place, else added before
    the first table, so the rest of the file and its comments stay as the admin wrote them."""
    import re

    lines = source.splitlines()
    first_table = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("[")), len(lines))
    for key, value in values.items():
        line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
        pat = re.compile(rf"^\s*{re.escape(key)}\s*=")
        hit = next((i for i in range(first_table) if pat.match(lines[i])), None)
        if hit is None:
            lines.insert(first_table, line)
            first_table += 1
        else:
            note = re.match(r'^\s*[\w-]+\s*=\s*"(?:[^"\\]|\\.)*"(\s*#.*)$', lines[hit])
            lines[hit] = line + (note.group(1) if note else "")
    return "\n".join(lines) + "\n"


@write
def set_header(actor: Actor, *, organ: str | None = None, issuer: str | None = None,
               cc: str | None = None) -> DeskPolicy:
    """Admin: a new policy version with the notice header (发文机关, 印发机关, 抄送) changed."""
    require(actor, "admin")
    values = {k: v.strip() for k, v in (("organ", organ), ("issuer", issuer), ("cc", cc)) if v is not None}
    if "organ" in values and not values["organ"]:
        raise InputError("发文机关名称不能为空。")
    row = m.Policy.select().order_by(m.Policy.id.desc()).first()
    text = with_keys(row.source if row else DEFAULT_TOML, values)
    pol = parse(text, "政策")
    spec, h = canonical(pol)
    new = m.Policy.create(source=text, spec=spec, spec_hash=h, created_by=actor.name, created_at=clock.now())
    audit.append(actor.name, "policy.import", touched=[(m.Policy, new.id)], name=pol.name, hash=h)
    return pol


@write
def import_policy(actor: Actor, path: str | Path) -> DeskPolicy:
    """Admin only; the new version applies to entries made from now on."""
    require(actor, "admin")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"无法读取 {p}：{exc.strerror}") from None
    pol = parse(text, p.name)
    spec, h = canonical(pol)
    row = m.Policy.create(source=text, spec=spec, spec_hash=h, created_by=actor.name, created_at=clock.now())
    audit.append(actor.name, "policy.import", touched=[(m.Policy, row.id)], name=pol.name, hash=h)
    return pol
