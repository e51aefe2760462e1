"""Audit events in Chinese words: what an action is called and a one-line
summary of its detail, for people reading the log (TUI, `pingyi audit log`).
Pure text, no I/O: names that live in the database (a scheme's group names)
come in as arguments; unknown actions, keys and codes are shown as they are."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from pingyi.common.vocab import Level, Measure, ProposalSource, Role
from pingyi.rules.numbers import tenths_str

ACTION_NAMES = {
    "init": "初始化", "user.add": "新增账号", "user.password": "修改密码",
    "user.disable": "停用账号", "user.enable": "启用账号", "user.rename": "修改姓名",
    "login": "登录", "login.failed": "登录失败",
    "roster.import": "导入名单", "roster.disable": "停用人员", "roster.enable": "启用人员",
    "scheme.import": "导入方案", "scheme.update": "更新方案",
    "room.create": "新建会场", "room.persons": "设定人员", "room.quotas": "设定票数",
    "room.open": "开启会场", "room.codes": "发放票码", "room.close": "结束会场",
    "room.delete": "删除草稿会场",
    "ballots.import": "导入选票", "paper.void": "作废纸质票", "tally.provisional": "查看临时结果",
    "proposal.streak": "连续倒数建议", "proposal.ledger": "扣分达线建议", "proposal.integrity": "廉洁指数建议",
    "proposal.yellow_twice": "两次黄色建议", "proposal.overdue": "逾期整改建议", "proposal.dismiss": "不予预警",
    "warning.draft": "起草预警", "warning.edit": "修改预警", "warning.discard": "撤销草稿",
    "warning.approve": "签发预警", "warning.feedback": "整改反馈", "warning.verify": "核实整改",
    "warning.return": "退回整改", "warning.close": "办结预警",
    "ledger.deduct": "台账扣分", "ledger.reverse": "冲销扣分", "policy.import": "导入政策",
    "integrity.input": "录入廉洁指数", "integrity.compute": "计算廉洁指数",
    "talk.due": "需廉政谈话", "talk.record": "记录谈话", "talk.withdrawn": "撤销谈话",
    "audit.baseline": "审计基线",
}

KEY_NAMES = {
    "admin": "管理员", "user": "账号", "role": "角色", "file": "文件", "added": "新增", "updated": "更新",
    "new_units": "新单位", "scheme": "方案", "room": "会场", "title": "名称", "series": "系列", "round": "轮次",
    "persons": "人数", "quotas": "票数", "paper": "纸质票数",
    "issued": "发放", "voided": "作废", "voided_codes": "作废票码",
    "cast": "收回", "valid": "有效", "invalid": "无效", "blank": "空白", "serial": "序号", "reason": "理由",
    "made": "新建议", "proposal": "建议", "source": "来源", "target": "对象", "level": "等级",
    "recipient": "接收人", "measure": "措施", "deadline": "期限", "number": "文号", "drafted_by": "起草人",
    "feedback": "反馈", "date": "日期", "note": "说明", "cycle": "周期", "points": "分值", "item": "事项",
    "reverses": "冲销", "name": "名称", "year": "年度", "manual": "述职述廉", "grade": "等次", "veto": "否决",
    "person": "人员", "rooms": "会场", "talked_by": "谈话人", "pledge": "承诺书", "id": "编号",
    "hash": "哈希", "scheme_hash": "方案哈希", "frozen_hash": "配置哈希", "tally_hash": "计票哈希",
    "digests": "数据摘要", "ballots": "选票摘要", "codes": "人员编号", "inactive": "停用人员",
    "display_name": "姓名", "failures": "连续错误次数", "forms": "送达方式", "facts": "事实与理由",
    "place": "地点", "recorder": "记录人",
}

FIRST = ("room", "title", "target", "person", "user", "scheme", "file", "year", "level", "number", "points",
         "item", "reason")   # the keys a reader looks for first; the rest follow in stored order

HIDDEN = {"hash", "scheme_hash", "frozen_hash", "tally_hash", "digests", "ballots"}
# long digests: in the full detail only, shortened (row and ballot digests as counts)

VALUE_NAMES: dict[str, dict[str, str]] = {   # keyed by the logged JSON value
    "role": dict(Role.labels()), "level": dict(Level.labels()), "measure": dict(Measure.labels()),
}

ACTION_VALUE_NAMES: dict[str, dict[str, dict[str, str]]] = {   # codes under keys that elsewhere hold typed text
    "login.failed": {"reason": {"unknown": "无此账号", "wait": "锁定期间再试", "password": "密码错误",
                                "disabled": "账号已停用"}},
    "proposal.dismiss": {"source": dict(ProposalSource.labels())},   # a deduction's source is typed text
}

GROUPED = {"quotas", "paper"}   # {group key: count}: shown with the scheme's group names

TENTHS = {"manual"}             # logged as an int of tenths of a point (integrity.input): 800 is 80 分


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action)


def _forms(value: str) -> str:
    """A warning's delivery forms as logged by an edit (a JSON list in a string), joined."""
    try:
        forms = json.loads(value)
    except ValueError:
        return value
    return "、".join(str(f) for f in forms) if isinstance(forms, list) else value


def _value(key: str, value: object, names: Mapping[str, str], codes: Mapping[str, str]) -> str:
    if key == "digests" and isinstance(value, dict):
        return f"{sum(len(v) for v in value.values() if isinstance(v, dict))} 行"
    if key == "ballots" and isinstance(value, dict):
        return f"{len(value)} 项"
    if key in HIDDEN and isinstance(value, str) and len(value) > 16:
        return value[:16] + "…"
    if key == "forms" and isinstance(value, str):
        return _forms(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in TENTHS and isinstance(value, int):
        return tenths_str(value)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        named = names if key in GROUPED else {}
        return "，".join(f"{named.get(k, k)} {v}" for k, v in value.items())
    return codes.get(value, value) if isinstance(value, str) else str(value)


def summary(detail: Mapping[str, object], full: bool = False, names: Mapping[str, str] | None = None,
            action: str = "") -> str:
    """``键 值`` pairs in Chinese, empty values left out; digests only when ``full``.

    ``names`` maps a group key to its name (the room's scheme, looked up by the caller's service:
    ``audit.Event.names``), for the per-group counts of ``quotas`` and ``paper``; a key it lacks is
    shown as it is. ``action`` names the codes only that action logs (why a login failed)."""
    names = names or {}
    special = ACTION_VALUE_NAMES.get(action, {})
    keys = sorted(detail, key=lambda k: FIRST.index(k) if k in FIRST else len(FIRST))
    parts = [f"{KEY_NAMES.get(k, k)} {_value(k, detail[k], names, special.get(k) or VALUE_NAMES.get(k, {}))}"
             for k in keys if detail[k] not in (None, "", [], {}) and (full or k not in HIDDEN)]
    return "；".join(parts)


def local_time(at: str) -> str:
    """An event's UTC timestamp as local wall time, to the second."""
    try:
        return dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return at
