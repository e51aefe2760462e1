"""Accounts and roles. Passwords are scrypt hashes (hashlib)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from pingyi.common import clock
from pingyi.common.errors import AuthError, InputError, NotFound, PingyiError
from pingyi.common.limits import LIMITS, clean, shown
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
def add_user(actor: Actor, name: str, role: str, password: str) -> Actor:
    require(actor, "admin")
    _check_new(name, password, role)
    if m.User.select().where(m.User.name == name).exists():
        raise InputError(f"账号已存在：{name}")
    row = m.User.create(name=name, role=role, password_hash=hash_password(password), created_at=clock.now())
    audit.append(actor.name, "user.add", touched=[(m.User, row.id)], user=name, role=role)
    return Actor(name, role)


@write
def set_password(actor: Actor, name: str, password: str) -> None:
    if actor.name != name:
        require(actor, "admin")
    _check_new(name, password, "admin")
    if not m.User.update(password_hash=hash_password(password)).where(m.User.name == name).execute():
        raise NotFound(f"没有这个账号：{name}")
    uid = m.User.select(m.User.id).where(m.User.name == name).scalar()
    audit.append(actor.name, "user.password", touched=[(m.User, uid)], user=name)


@read
def authenticate(name: str, password: str) -> Actor:
    user = m.User.get_or_none((m.User.name == name) & (m.User.active == True))  # noqa: E712
    # Hash even for unknown names so timing does not tell which names exist.
    stored = user.password_hash if user else hash_password("x" * 12)
    if not check_password(password, stored) or user is None:
        raise AuthError("账号或密码不对。")
    return Actor(user.name, user.role)


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
        shown = (getattr(u, "display_name", None) or "").strip()
        if shown:
            out[u.name] = shown
    return out
