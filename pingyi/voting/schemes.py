"""Scheme files (TOML, DESIGN §4): validation, import and lookup."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from pingyi.common import clock
from pingyi.common.errors import InputError, NotFound
from pingyi.common.limits import LIMITS, MAX_ITEMS, MAX_RULE, MAX_WEIGHT, problem, shown
from pingyi.common.tomlcheck import Problems, load, number
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.people.accounts import Actor, require
from pingyi.records import audit
from pingyi.rules.numbers import decimal_tenths, tenths_str
from pingyi.rules.spec import Group, Indicator, Rules, SchemeSpec

KINDS = {"shuangding": "双定双评", "integrity": "廉洁指数"}
_KEY = re.compile(r"^[a-z0-9_]+$")


def number_like(label: str) -> bool:
    """A label a ballot cell could not tell from a score ("40", "4.5", "１０")."""
    try:
        float(label)
    except ValueError:
        return False
    return True


def parse(text: str, origin: str = "方案") -> SchemeSpec:
    """Validate a scheme's TOML; every problem names the key (InputError lists them all)."""
    data = load(text, origin)
    err = Problems(origin)

    def named(key: str, value: object, field: str) -> str | None:
        """A checked and normalised name from the file, or None (the problem is recorded)."""
        if not isinstance(value, str) or not value.strip():
            return None
        cleaned, wrong = problem(value, field)
        if wrong:
            err(key, wrong)
            return None
        return cleaned

    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        err("name", "缺少方案名称")
        name = ""
    else:
        name = named("name", name, "scheme_name") or ""
    description = data.get("description")
    if description is not None:
        if not isinstance(description, str):
            err("description", "应为文字")
        else:
            named("description", description, "description")
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:   # a TOML array or table is unhashable
        err("kind", f"应为 shuangding 或 integrity，而不是 {kind!r}")
        kind = ""

    indicators: list[Indicator] = []
    raw_ind = data.get("indicator")
    if not isinstance(raw_ind, list) or not raw_ind:
        err("indicator", "至少要有一个 [[indicator]] 指标")
        raw_ind = []
    if len(raw_ind) > MAX_ITEMS:
        err("indicator", f"指标太多：{len(raw_ind)} 个，最多 {MAX_ITEMS} 个")
        raw_ind = []
    seen: set[str] = set()
    for i, ind in enumerate(raw_ind, 1):
        where = f"indicator[{i}]"
        if not isinstance(ind, dict):
            err(where, "应为表")
            continue
        key = ind.get("key")
        if not isinstance(key, str) or not _KEY.fullmatch(key) or len(key) > LIMITS["scheme_key"].max_len:
            err(f"{where}.key", f"应为小写字母、数字或下划线（最多 {LIMITS['scheme_key'].max_len} 个）")
            continue
        if key in seen:
            err(f"{where}.key", f"重复的指标 {key}")
        seen.add(key)
        iname = ind.get("name")
        if not isinstance(iname, str) or not iname.strip():
            err(f"{where}.name", "缺少指标名称")
        else:
            iname = named(f"{where}.name", iname, "indicator_name")
            if iname is None:
                continue
        mx = number(ind.get("max"))
        tenths = decimal_tenths(mx) if mx is not None and 0 < mx <= 100 else None
        if mx is None or mx <= 0 or tenths is None:
            err(f"{where}.max", f"应为大于 0、不超过 100、最多一位小数的分值，而不是 {shown(repr(ind.get('max')))}")
            continue
        indicators.append(Indicator(key, str(iname or key).strip(), tenths))
    if indicators and len(indicators) == len(raw_ind) and sum(i.max for i in indicators) != 1000:
        total = sum(i.max for i in indicators) / 10
        err("indicator.max", f"各指标满分之和应恰为 100，现为 {total:g}")

    grades: list[tuple[str, Fraction]] = []
    raw_grades = data.get("grades", {})
    if not isinstance(raw_grades, dict):
        err("grades", "应为表：等次 = 满分的比例")
        raw_grades = {}
    if len(raw_grades) > MAX_ITEMS:
        err("grades", f"等次太多：{len(raw_grades)} 个，最多 {MAX_ITEMS} 个")
        raw_grades = {}
    labels: set[str] = set()
    for raw_label, frac in raw_grades.items():
        key = f"grades.{shown(raw_label)}"
        if not raw_label.strip():
            err(key, "等次名称不能为空")
            continue
        label = named(key, raw_label, "grade_label")
        if label is None:
            continue
        if number_like(label):
            err(key, f"等次名称不能是数字（「{label}」会与分数混淆）")
            continue
        if label in labels:
            err(key, f"重复的等次 {label}")
            continue
        labels.add(label)
        f = number(frac)
        if f is None or not (0 <= f <= 1):
            err(key, f"应为 0 到 1 之间的比例，而不是 {shown(repr(frac))}")
            continue
        for ind in indicators:
            if (f * ind.max).denominator != 1:
                err(key, f"在指标「{ind.name}」（满分 {tenths_str(ind.max)}）上得不到 0.1 分的整数倍")
                break
        else:
            grades.append((label, f))

    groups: list[Group] = []
    raw_groups = data.get("group")
    if not isinstance(raw_groups, list) or not raw_groups:
        err("group", "至少要有一个 [[group]] 代表类别")
        raw_groups = []
    if len(raw_groups) > MAX_ITEMS:
        err("group", f"代表类别太多：{len(raw_groups)} 个，最多 {MAX_ITEMS} 个")
        raw_groups = []
    gseen: set[str] = set()
    for i, grp in enumerate(raw_groups, 1):
        where = f"group[{i}]"
        if not isinstance(grp, dict):
            err(where, "应为表")
            continue
        key = grp.get("key")
        if not isinstance(key, str) or not _KEY.fullmatch(key) or len(key) > LIMITS["scheme_key"].max_len:
            err(f"{where}.key", f"应为小写字母、数字或下划线（最多 {LIMITS['scheme_key'].max_len} 个）")
            continue
        gname = grp.get("name")
        if not isinstance(gname, str) or not gname.strip():
            err(f"{where}.name", "缺少类别名称")
            gname = key
        else:
            gname = named(f"{where}.name", gname, "group_name")
            if gname is None:
                continue
        for ident in (key, gname.strip()):
            if ident in gseen:
                err(f"{where}", f"重复的代表类别 {ident}")
            gseen.add(ident)
        w = number(grp.get("weight"))
        if w is None or w <= 0 or w > MAX_WEIGHT:
            err(f"{where}.weight", f"权重应为大于 0、不超过 {MAX_WEIGHT} 的数，而不是 {shown(repr(grp.get('weight')))}")
            continue
        groups.append(Group(key, gname.strip(), w))

    raw_rules = data.get("rules", {})
    if not isinstance(raw_rules, dict):
        err("rules", "应为表")
        raw_rules = {}
    unknown = set(raw_rules) - {"trim", "bottom_n", "streak", "max_excellent_ratio", "excellent_at"}
    for key in sorted(unknown):
        err(f"rules.{key}", "未知的规则")

    def int_rule(key: str, default: int, low: int) -> int:
        v = raw_rules.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= MAX_RULE:
            err(f"rules.{key}", f"应为 {low} 到 {MAX_RULE} 之间的整数，而不是 {shown(repr(v))}")
            return default
        return v

    trim = int_rule("trim", 0, 0)
    bottom_n = int_rule("bottom_n", 1, 1)
    streak = int_rule("streak", 2, 1)
    ratio = None
    if "max_excellent_ratio" in raw_rules:
        ratio = number(raw_rules["max_excellent_ratio"])
        if ratio is None or not (0 <= ratio <= 1):
            err("rules.max_excellent_ratio",
                f"应为 0 到 1 之间的比例，而不是 {shown(repr(raw_rules['max_excellent_ratio']))}")
            ratio = None
    exc = number(raw_rules.get("excellent_at", 90))
    exc_t = decimal_tenths(exc) if exc is not None else None
    if exc_t is None or not (0 < exc_t <= 1000):
        err("rules.excellent_at",
            f"应为 0 到 100 之间、最多一位小数的分数，而不是 {shown(repr(raw_rules.get('excellent_at')))}")
        exc_t = 900
    for key in sorted(set(data) - {"name", "kind", "indicator", "grades", "group", "rules", "description"}):
        err(key, "未知的字段")
    err.check("方案")
    return SchemeSpec(
        name=name.strip(), kind=kind, indicators=tuple(indicators), groups=tuple(groups),
        rules=Rules(trim, bottom_n, streak, ratio, exc_t), grades=tuple(grades),
    )


def canonical(spec: SchemeSpec) -> tuple[str, str]:
    text = json.dumps(spec.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode()).hexdigest()


def read_file(path: str | Path) -> tuple[str, SchemeSpec]:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取方案文件 {p}：{exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{p.name}：方案文件应为 UTF-8 编码。") from None
    return text, parse(text, p.name)


EXAMPLE = "scheme-example.toml"


def example_text() -> str:
    """The commented example scheme shipped with the package (imports as is)."""
    from importlib.resources import files

    return files("pingyi").joinpath("data", EXAMPLE).read_text(encoding="utf-8")


def check_text(text: str, origin: str = "方案") -> SchemeSpec:
    """Validate a scheme typed in an editor; InputError names every wrong key."""
    return parse(text, origin)


@write
def import_scheme(actor: Actor, path: str | Path) -> str:
    """Store a new scheme or a new version of one (rooms keep their frozen copy)."""
    require(actor, "organizer")
    text, spec = read_file(path)
    return _store(actor, text, spec)


@write
def import_scheme_text(actor: Actor, text: str, origin: str = "方案") -> str:
    """The same as :func:`import_scheme` for a scheme written in the TUI editor."""
    require(actor, "organizer")
    return _store(actor, text, parse(text, origin))


def _store(actor: Actor, text: str, spec: SchemeSpec) -> str:
    spec_json, spec_hash = canonical(spec)
    existing = m.Scheme.get_or_none(m.Scheme.name == spec.name)
    if existing is None:
        row = m.Scheme.create(name=spec.name, kind=spec.kind, spec=spec_json, spec_hash=spec_hash,
                              source=text, created_at=clock.now())
        audit.append(actor.name, "scheme.import", touched=[(m.Scheme, row.id)], scheme=spec.name, hash=spec_hash)
    elif existing.spec_hash != spec_hash:
        m.Scheme.update(kind=spec.kind, spec=spec_json, spec_hash=spec_hash, source=text).where(
            m.Scheme.id == existing.id).execute()
        audit.append(actor.name, "scheme.update", touched=[(m.Scheme, existing.id)], scheme=spec.name, hash=spec_hash)
    return spec.name


@dataclass(frozen=True)
class SchemeInfo:
    name: str
    kind: str
    spec: SchemeSpec
    spec_hash: str
    source: str


@read
def get(name: str) -> SchemeInfo:
    s = m.Scheme.get_or_none(m.Scheme.name == name)
    if s is None:
        raise NotFound(f"没有这个测评方案：{name}")
    return SchemeInfo(s.name, s.kind, SchemeSpec.from_json(json.loads(s.spec)), s.spec_hash, s.source)


@read
def list_schemes() -> list[SchemeInfo]:
    return [SchemeInfo(s.name, s.kind, SchemeSpec.from_json(json.loads(s.spec)), s.spec_hash, s.source)
            for s in m.Scheme.select().order_by(m.Scheme.name)]
