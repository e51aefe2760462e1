"""Evaluator terminal commands: the kiosk and the browser kiosk."""
from __future__ import annotations

COMMANDS: list = []
