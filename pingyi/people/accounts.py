"""Accounts and roles. Passwords are scrypt hashes (hashlib)."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pingyi.common import clock
from pingyi.common.errors import AuthError, InputError, NotFound, PingyiError
from pingyi.common.limits import LIMITS, clean, problem, shown
from pingyi.common.vocab import Role
from pingyi.db import models as m
from pingyi.db.connection import read, write
from pingyi.records import audit

ROLES = ("organizer", "commission", "admin")
ROLE_NAMES = Role.labels()
_RANK = {r: i for i, r in enumerate(ROLES)}
_N, _R, _P = 2 ** 14, 8, 1


@dataclass(frozen=True)
class Actor:
    name: str
    role: str

    def can(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


SYSTEM = Actor("system", "admin")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, key = stored.split("$")
        got = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(base64.b64decode(key)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(key))


def _check_new(name: str, password: str, role: str) -> None:
    clean(name, "account", "账号名")
    if not name or len(name) > LIMITS["account"].max_len or any(c.isspace() for c in name):
        most = LIMITS["account"].max_len
        raise InputError(f"账号名不合适：「{shown(name)}」（不能为空或含空格，最长 {most} 个字符）")
    if role not in ROLES:
        raise InputError(f"未知角色：{role}（可用：organizer 会务、commission 纪委、admin 管理员）")
    if len(password) < 8:
        raise InputError("密码至少 8 个字符。")


@read
def has_users() -> bool:
    return m.User.select().exists()


@write
def init_admin(name: str, password: str) -> Actor:
    """Create the first admin; refused once any account exists."""
    if m.User.select().exists():
        raise PingyiError("数据库已有账号，不再创建初始管理员；请用 pingyi user add 添加账号。")
    _check_new(name, password, "admin")
    row = m.User.create(name=name, role="admin", password_hash=hash_password(password), created_at=clock.now())
    audit.append(name, "init", touched=[(m.User, row.id)], admin=name)
    return Actor(name, "admin")


@write
def add_user(actor: Actor, name: str, role: str, password: str, display_name: str = "") -> Actor:
    """A new account; ``display_name`` (a person's name, e.g. 张三) is what documents print."""
    require(actor, "admin")
    _check_new(name, password, role)
    display_name = clean(display_name, "display_name", "姓名", param="display_name")
    if m.User.select().where(m.User.name == name).exists():
        raise InputError(f"账号已存在：{name}")
    row = m.User.create(name=name, role=role, password_hash=hash_password(password), created_at=clock.now(),
                        display_name=display_name)
    audit.append(actor.name, "user.add", touched=[(m.User, row.id)], user=name, role=role,
                 display_name=display_name)
    return Actor(name, role)


@dataclass(frozen=True)
class Account:
    """An account as the admin sees it (never the password hash)."""
    name: str
    role: str
    display_name: str
    active: bool
    failed_logins: int

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


@read
def list_accounts() -> list[Account]:
    return [Account(u.name, u.role, u.display_name, bool(u.active), u.failed_logins)
            for u in m.User.select().order_by(m.User.name)]


def _user(name: str) -> m.User:
    user = m.User.get_or_none(m.User.name == name)
    if user is None:
        raise NotFound(f"没有这个账号：{shown(name)}")
    return user


@write
def set_active(actor: Actor, name: str, active: bool) -> None:
    """Disable or enable an account (admin); an admin cannot disable their own account,
    nor the last active admin."""
    require(actor, "admin")
    user = _user(name)
    if not active:
        if name == actor.name:
            raise InputError("不能停用自己正在使用的账号。")
        if user.role == Role.ADMIN and m.User.select().where(
                (m.User.role == Role.ADMIN) & (m.User.active == True) & (m.User.id != user.id)).count() == 0:  # noqa: E712
            raise InputError("这是最后一个启用的管理员账号，不能停用。")
    if bool(user.active) == active:
        raise InputError(f"账号 {name} 已经是{'启用' if active else '停用'}状态。")
    m.User.update(active=active, failed_logins=0, locked_until=None).where(m.User.id == user.id).execute()
    audit.append(actor.name, "user.enable" if active else "user.disable", touched=[(m.User, user.id)], user=name)


@write
def set_display_name(actor: Actor, name: str, display_name: str) -> None:
    if actor.name != name:
        require(actor, "admin")
    user = _user(name)
    display_name = clean(display_name, "display_name", "姓名", param="display_name")
    m.User.update(display_name=display_name).where(m.User.id == user.id).execute()
    audit.append(actor.name, "user.rename", touched=[(m.User, user.id)], user=name, display_name=display_name)


@write
def set_password(actor: Actor, name: str, password: str) -> None:
    if actor.name != name:
        require(actor, "admin")
    _check_new(name, password, "admin")
    if not m.User.update(password_hash=hash_password(password), failed_logins=0, locked_until=None).where(
            m.User.name == name).execute():
        raise NotFound(f"没有这个账号：{name}")
    uid = m.User.select(m.User.id).where(m.User.name == name).scalar()
    audit.append(actor.name, "user.password", touched=[(m.User, uid)], user=name)


FREE_FAILURES = 3          # wrong passwords in a row before the account is slowed
MAX_WAIT_S = 15 * 60       # the longest wait between attempts


def wait_after(failures: int) -> int:
    """Seconds before the next attempt after ``failures`` wrong passwords in a row:
    none for the first few, then 5 s doubling each time, at most a quarter of an hour."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(MAX_WAIT_S, 5 * 2 ** (failures - FREE_FAILURES)))


def _at(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def authenticate(name: str, password: str, *, now: Callable[[], dt.datetime] | None = None) -> Actor:
    """The account, or AuthError. Wrong passwords are counted per account in the
    database, so the growing wait survives a restart; every attempt, failed or
    not, is an audit record (the name, never the password). ``now`` is for tests."""
    moment = (now or (lambda: dt.datetime.now(dt.UTC)))()
    outcome, actor, wait = _attempt(name, password, moment)
    if actor is not None:
        return actor
    if outcome == "wait":
        raise AuthError(f"账号 {shown(name)} 密码错误次数过多，请 {_duration(wait)}后再试。")
    if outcome == "disabled":
        raise AuthError(f"账号 {shown(name)} 已停用，请联系管理员。")
    if wait:
        raise AuthError(f"账号或密码不对。错误次数过多，请 {_duration(wait)}后再试。")
    raise AuthError("账号或密码不对。")


def _duration(seconds: int) -> str:
    return f"{seconds} 秒" if seconds < 120 else f"{-(-seconds // 60)} 分钟"


@write
def _attempt(name: str, password: str, moment: dt.datetime) -> tuple[str, Actor | None, int]:
    """One login attempt in one transaction (so a failure is counted and recorded even though
    the caller then refuses): (outcome, the actor on success, seconds to wait)."""
    name = name.strip()
    if problem(name, "account")[1] or len(name) > LIMITS["account"].max_len:
        hash_password("x" * 12)   # same time as a real check
        audit.append("system", "login.failed", user=shown(name), reason="unknown")
        return "unknown", None, 0
    user = m.User.get_or_none(m.User.name == name)
    if user is not None and user.locked_until and user.locked_until > _at(moment):
        left = math.ceil((dt.datetime.fromisoformat(user.locked_until) - moment).total_seconds())
        audit.append(name, "login.failed", user=name, reason="wait")
        return "wait", None, max(1, left)
    # Hash even for unknown names so timing does not tell which names exist.
    stored = user.password_hash if user else hash_password("x" * 12)
    if user is None or not check_password(password, stored):
        if user is None:
            audit.append("system", "login.failed", user=name, reason="unknown")
            return "unknown", None, 0
        failures = user.failed_logins + 1
        wait = wait_after(failures)
        until = _at(moment + dt.timedelta(seconds=wait)) if wait else None
        m.User.update(failed_logins=failures, locked_until=until).where(m.User.id == user.id).execute()
        audit.append(name, "login.failed", touched=[(m.User, user.id)], user=name, reason="password",
                     failures=failures)
        return "password", None, wait
    if not user.active:
        audit.append(name, "login.failed", user=name, reason="disabled")
        return "disabled", None, 0
    if user.failed_logins or user.locked_until:
        m.User.update(failed_logins=0, locked_until=None).where(m.User.id == user.id).execute()
    audit.append(name, "login", touched=[(m.User, user.id)], user=name)
    return "ok", Actor(user.name, user.role), 0


@read
def list_users() -> list[Actor]:
    return [Actor(u.name, u.role) for u in m.User.select().order_by(m.User.name)]


def require(actor: Actor, role: str) -> None:
    if not actor.can(role):
        raise AuthError(
            f"账号 {actor.name}（{ROLE_NAMES[actor.role]}）无权进行此操作，需要{ROLE_NAMES[role]}角色。"
        )


@read
def display_names(logins: Iterable[str | None]) -> dict[str, str]:
    """Login → the name documents print (the account's display name, else the login itself)."""
    wanted = {x for x in logins if x}
    if not wanted:
        return {}
    out = {x: x for x in wanted}
    for u in m.User.select().where(m.User.name.in_(wanted)):
        shown = (u.display_name or "").strip()
        if shown:
            out[u.name] = shown
    return out
