"""One-time ballot codes: ≥ 40 bits from ``secrets`` in an alphabet without
0/O/1/I/L, shown once and stored only as a salted hash."""
from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: 10 of them carry 49 bits
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """'ABCDEFGHJK' → 'ABCDE-FGHJK' for slips and screens."""
    return f"{code[:5]}-{code[5:]}"


def normalise(typed: str) -> str | None:
    """What a person typed → the canonical code, or None if it cannot be one."""
    code = "".join(ch for ch in typed.upper() if ch not in " -_\t")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)
