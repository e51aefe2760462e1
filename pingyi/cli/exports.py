"""Year-end export commands."""
from __future__ import annotations

COMMANDS: list = []
