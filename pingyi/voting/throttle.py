"""A growing delay after repeated wrong ballot codes on one terminal (DESIGN §6).

A couple of typos cost nothing; from then on every refused code doubles the
wait before the terminal accepts the next one, up to a cap. A good code
resets it. Pure state with an injectable clock, so tests need no sleeping.
"""
from __future__ import annotations

import time
from collections.abc import Callable


class Throttle:
    def __init__(self, free: int = 2, base: float = 2.0, factor: float = 2.0, cap: float = 300.0,
                 clock: Callable[[], float] = time.monotonic):
        self.free = free
        self.base = base
        self.factor = factor
        self.cap = cap
        self.clock = clock
        self.failures = 0
        self._until = 0.0

    def delay_for(self, failures: int) -> float:
        """Seconds of wait imposed after the ``failures``-th refusal in a row."""
        if failures <= self.free:
            return 0.0
        return min(self.cap, self.base * self.factor ** (failures - self.free - 1))

    def refused(self) -> float:
        """Record a refused code; returns the wait (seconds) now imposed."""
        self.failures += 1
        delay = self.delay_for(self.failures)
        self._until = max(self._until, self.clock() + delay)
        return delay

    def accepted(self) -> None:
        self.failures = 0
        self._until = 0.0

    def remaining(self) -> float:
        """Seconds before the terminal takes another code (0 = now)."""
        return max(0.0, self._until - self.clock())
