"""What the browser ballot server remembers between requests, with no I/O.

A *voter* is one ballot in progress in one browser: the code (kept in memory
only, never on a page), the draft, when it was last touched. A browser is
known by a random key in a cookie; the key of a voter whose ballot was
stored stays marked as done for a while, so reloading, going back or
tapping 确认提交 twice shows 已提交 again instead of casting or losing a
ballot. The number of voters is capped per client address and in all, idle
voters expire, and wrong codes slow down each address as they do the kiosk.
Clocks are injected so that tests never sleep.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pingyi.voting.draft import Draft
from pingyi.voting.throttle import Throttle

Clock = Callable[[], float]

IDLE_SECONDS = 60 * 60  # a ballot untouched this long is dropped; its code stays unused
LIFETIME_SECONDS = 4 * 3600  # no ballot session outlives a meeting
DONE_SECONDS = 4 * 3600  # how long a browser that voted keeps seeing 已提交
MAX_PER_ADDRESS = 20
MAX_TOTAL = 1000
MAX_CELL = 16  # characters kept of one typed value


@dataclass
class Voter:
    """One ballot in progress in one browser."""

    key: str
    address: str
    draft: Draft
    created: float
    touched: float
    revision: int = 0  # bumped by every change, so a stale review cannot be confirmed
    checked: bool = False  # 核对 was refused once: unfinished persons now say what is missing


class Full(Exception):
    """No room for another voter: ``scope`` is 'address' or 'total'."""

    def __init__(self, scope: str):
        super().__init__(scope)
        self.scope = scope


@dataclass
class Voters:
    """Ballots in progress by browser key, with caps, expiry and done markers."""

    clock: Clock = time.monotonic
    idle: float = IDLE_SECONDS
    lifetime: float = LIFETIME_SECONDS
    done_for: float = DONE_SECONDS
    per_address: int = MAX_PER_ADDRESS
    total: int = MAX_TOTAL
    _voters: dict[str, Voter] = field(default_factory=dict)
    _by_address: dict[str, int] = field(default_factory=dict)
    _done: OrderedDict[str, tuple[str, float]] = field(default_factory=OrderedDict)

    def __len__(self) -> int:
        return len(self._voters)

    def _expired(self, v: Voter, now: float) -> bool:
        return now - v.touched > self.idle or now - v.created > self.lifetime

    def get(self, key: str | None) -> Voter | None:
        """The live voter of this browser (touched now), or None."""
        if not key:
            return None
        v = self._voters.get(key)
        if v is None:
            return None
        now = self.clock()
        if self._expired(v, now):
            self.drop(key)
            return None
        v.touched = now
        return v

    def start(self, key: str, address: str, draft: Draft) -> Voter:
        """A new ballot for ``key`` (replacing any it had); Full when a cap is reached."""
        self.drop(key)
        self.sweep()
        if self._by_address.get(address, 0) >= self.per_address:
            raise Full("address")
        if len(self._voters) >= self.total:
            raise Full("total")
        now = self.clock()
        v = self._voters[key] = Voter(key, address, draft, now, now)
        self._by_address[address] = self._by_address.get(address, 0) + 1
        return v

    def drop(self, key: str) -> None:
        v = self._voters.pop(key, None)
        if v is not None:
            left = self._by_address[v.address] - 1
            if left:
                self._by_address[v.address] = left
            else:
                del self._by_address[v.address]

    def finish(self, key: str, status: str) -> None:
        """The ballot of ``key`` is stored: forget the draft and the code, remember that it is done."""
        self.drop(key)
        self._done[key] = (status, self.clock())
        self._done.move_to_end(key)
        while len(self._done) > max(self.total * 20, 1000):
            self._done.popitem(last=False)

    def done(self, key: str | None) -> str | None:
        """The status of the ballot this browser stored, if it stored one lately."""
        if not key:
            return None
        hit = self._done.get(key)
        if hit is None:
            return None
        if self.clock() - hit[1] > self.done_for:
            del self._done[key]
            return None
        return hit[0]

    def forget(self, key: str) -> None:
        """The browser is handed to the next evaluator: no draft, no done marker."""
        self.drop(key)
        self._done.pop(key, None)

    def sweep(self) -> int:
        """Drop expired voters; returns how many."""
        now = self.clock()
        stale = [k for k, v in self._voters.items() if self._expired(v, now)]
        for k in stale:
            self.drop(k)
        while self._done:
            key, (_, at) = next(iter(self._done.items()))
            if now - at <= self.done_for:
                break
            del self._done[key]
        return len(stale)


@dataclass
class Throttles:
    """The kiosk's growing wait after wrong codes, one per client address."""

    clock: Clock = time.monotonic
    keep: int = 4096
    _by_address: OrderedDict[str, Throttle] = field(default_factory=OrderedDict)
    last_refusal: dict[str, str] = field(default_factory=dict)

    def of(self, address: str) -> Throttle:
        t = self._by_address.get(address)
        if t is None:
            t = self._by_address[address] = Throttle(clock=self.clock)
            while len(self._by_address) > self.keep:
                old, _ = self._by_address.popitem(last=False)
                self.last_refusal.pop(old, None)
        self._by_address.move_to_end(address)
        return t

    def refused(self, address: str, message: str) -> float:
        self.last_refusal[address] = message
        return self.of(address).refused()

    def accepted(self, address: str) -> None:
        self.of(address).accepted()
        self.last_refusal.pop(address, None)

    def wait_words(self, address: str) -> str | None:
        """The kiosk's words while this address must wait, or None when it may try a code."""
        left = self.of(address).remaining()
        if left <= 0:
            return None
        last = self.last_refusal.get(address, "")
        return f"{last}\n票码错误次数较多，请等待 {int(left) + 1} 秒后再输入。".strip()


# ---- form tokens ------------------------------------------------------------------

def new_key() -> str:
    return secrets.token_urlsafe(18)


def csrf_token(secret: bytes, key: str) -> str:
    """The token every form of this browser carries: bound to its cookie key."""
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:32]


def csrf_ok(secret: bytes, key: str | None, token: str | None) -> bool:
    return bool(key and token) and hmac.compare_digest(csrf_token(secret, key or ""), token or "")


# ---- the rating form --------------------------------------------------------------

def field_name(person: str, indicator: str) -> str:
    """The rating field of one person and indicator (DESIGN §13): ``PERSON.INDICATOR``."""
    return f"{person}.{indicator}"


def grade_name(person: str, indicator: str) -> str:
    return f"grade.{person}.{indicator}"


ABSTAIN = "abstain"  # checkbox name; its value is the person's code


def clean(text: str) -> str:
    """A typed value as the parser wants it: full-width forms folded, a comma or 。 as the decimal point."""
    text = unicodedata.normalize("NFKC", text).strip()[:MAX_CELL]
    return text.replace("，", ".").replace(",", ".").replace("。", ".")


class FormData(Mapping[str, str]):
    """The part of a posted form the ballot reads: first values, and every value of a repeated name."""

    def __init__(self, pairs: Sequence[tuple[str, str]]):
        self._first: dict[str, str] = {}
        self._all: dict[str, list[str]] = {}
        for k, v in pairs:
            self._first.setdefault(k, v)
            self._all.setdefault(k, []).append(v)

    def __getitem__(self, key: str) -> str:
        return self._first[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)

    def getall(self, key: str) -> list[str]:
        return self._all.get(key, [])


def read_rating(draft: Draft, form: FormData) -> bool:
    """Copy a posted rating form into the draft; True when anything changed.

    Per indicator a typed number wins over a chosen grade (without script a
    chosen radio button cannot be cleared, a typed value can); a person
    marked 弃权 loses what was typed for them, as on the kiosk. A whole page
    (``full``) sets every person, a missing field being empty; otherwise
    only the persons the form names change.
    """
    spec = draft.spec
    grades = {label for label, _ in spec.grades}
    abstain = set(form.getall(ABSTAIN))
    full = "full" in form  # the whole page was posted: an unchecked box means "not abstaining"
    changed = False
    for p in draft.persons:
        names = [field_name(p.code, ind.key) for ind in spec.indicators]
        seen = any(n in form for n in names) or any(grade_name(p.code, i.key) in form for i in spec.indicators)
        if p.code in abstain:
            if p.code not in draft.abstain or any(draft.cells[p.code]):
                changed = True
            draft.abstain.add(p.code)
            draft.cells[p.code] = [""] * len(spec.indicators)
            continue
        if not (full or seen):
            continue
        if p.code in draft.abstain:
            draft.abstain.discard(p.code)
            changed = True
        cells = []
        for ind, name in zip(spec.indicators, names, strict=True):
            typed = clean(form.get(name, ""))
            grade = form.get(grade_name(p.code, ind.key), "")
            cells.append(typed or (grade if grade in grades else ""))
        if cells != draft.cells[p.code]:
            draft.cells[p.code] = cells
            changed = True
    return changed
