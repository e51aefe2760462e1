"""The one vocabulary: every stored status, level, source, outcome, measure and role, each with
its one Chinese label.

Services, screens, the CLI, reports and exports compare and label these codes only through
the enums below (a test fails on a bare status string compared anywhere else), so a word
users read is the same on every surface. Each member is its stored string
(``RoomStatus.OPEN == "open"``), so database values and JSON stay as they are.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Self


class Vocab(StrEnum):
    """A stored code with its Chinese label (``member.label``)."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code → label, for tables that are keyed by the stored string."""
        return {m.value: m.label for m in cls}

    @classmethod
    def label_of(cls, code: str) -> str:
        """The label of a stored code; an unknown code is shown as it is."""
        return next((m.label for m in cls if m.value == code), code)


class Role(Vocab):
    ORGANIZER = "organizer", "会务"
    COMMISSION = "commission", "纪委"
    ADMIN = "admin", "管理员"


class PersonStatus(Vocab):
    """A roster person: in use, or taken off new rooms and pickers (kept in history)."""
    ACTIVE = "active", "启用"
    INACTIVE = "inactive", "停用"


class SchemeKind(Vocab):
    SHUANGDING = "shuangding", "双定双评"
    INTEGRITY = "integrity", "廉洁指数"


class RoomStatus(Vocab):
    DRAFT = "draft", "草稿"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class CodeStatus(Vocab):
    """A ballot code (票码)."""
    UNUSED = "unused", "未用"
    USED = "used", "已用"
    VOID = "void", "作废"


class BallotStatus(Vocab):
    """A counted ballot (DESIGN §5.3)."""
    VALID = "valid", "有效"
    INVALID = "invalid", "无效"
    BLANK = "blank", "空白"


class PaperStatus(Vocab):
    """One clerk's typing of a paper ballot."""
    PENDING = "pending", "待核对"
    VOID = "void", "作废"


class TargetKind(Vocab):
    PERSON = "person", "个人"
    UNIT = "unit", "单位"


class Level(Vocab):
    """Warning and ledger levels, in rising order."""
    BLUE = "blue", "蓝色"
    YELLOW = "yellow", "黄色"
    RED = "red", "红色"


class Measure(Vocab):
    REMIND = "remind", "警示提醒"
    ADMONISH = "admonish", "诫勉纠错"
    RECTIFY = "rectify", "责令整改"


class ProposalSource(Vocab):
    STREAK = "streak", "连续倒数第一"
    LEDGER = "ledger", "扣分达线"
    INTEGRITY = "integrity", "廉洁指数偏低"
    OVERDUE = "overdue", "整改逾期"
    YELLOW_TWICE = "yellow_twice", "两次黄色预警"


class ProposalStatus(Vocab):
    PENDING = "pending", "待处理"
    DISMISSED = "dismissed", "不予预警"
    DRAFTED = "drafted", "已起草"


class AlertStatus(Vocab):
    """A warning as stored, plus ``overdue``, which is computed on read (never stored)."""
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已签发"
    RECTIFIED = "rectified", "已整改"
    OVERDUE = "overdue", "逾期"
    CLOSED = "closed", "已办结"


class FeedbackOutcome(Vocab):
    """A rectification feedback, judged by the commission."""
    PENDING = "pending", "待验收"
    VERIFIED = "verified", "已验收"
    RETURNED = "returned", "已退回"


class Rectification(Vocab):
    """Where a warning's rectification stands, in the order that needs attention first."""
    OVERDUE = "overdue", "已逾期"
    RETURNED = "returned", FeedbackOutcome.RETURNED.label
    PENDING = "pending", FeedbackOutcome.PENDING.label
    AWAITING = "awaiting", "待反馈"
    VERIFIED = "verified", FeedbackOutcome.VERIFIED.label
    CLOSED = "closed", AlertStatus.CLOSED.label


class TalkStatus(Vocab):
    PENDING = "pending", "待谈话"
    DONE = "done", "已谈话"
