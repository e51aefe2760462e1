"""Every service that writes an audited table records the rows it touched (DESIGN §11).

`audit verify` compares each audited row with the digest of the newest audit
record about it, so a write whose record lacks ``touched=`` shows up as a
change made outside pingyi. This reads the sources: a function that creates,
updates or deletes rows of an audited model must pass ``touched=`` to
``audit.append`` (or be a helper listed here whose callers do).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDITED = {"User", "Unit", "Person", "Scheme", "Room", "RoomPerson", "Quota", "Deduction", "Alert", "Feedback",
           "Policy"}
WRITES = {"create", "update", "delete", "insert", "insert_many", "replace", "delete_instance", "save"}
# helpers whose callers record the touched rows
HELPERS = {
    "pingyi/people/roster.py:_apply",        # import_roster records every unit and person of the file
}


def _writes(fn: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(fn):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr in AUDITED
                and isinstance(node.func.value.value, ast.Name) and node.func.value.value.id == "m"):
            kw = {k.arg for k in node.keywords}
            if node.func.value.attr == "Room" and node.func.attr == "update" and kw == {"version"}:
                continue  # the turnout counter, left out of the room's digest
            found.append(f"m.{node.func.value.attr}.{node.func.attr}")
    return found


def _records_touched(fn: ast.AST) -> bool:
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
               and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"
               and any(k.arg == "touched" for k in node.keywords) for node in ast.walk(fn))


def test_writes_to_audited_tables_record_their_rows() -> None:
    missing = []
    for path in sorted((ROOT / "pingyi").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            name = f"{path.relative_to(ROOT)}:{fn.name}"
            writes = _writes(fn)
            if writes and name not in HELPERS and not _records_touched(fn):
                missing.append(f"{name} ({', '.join(sorted(set(writes)))})")
    assert missing == [], "audit.append(..., touched=[(m.Model, pk)]) missing in: " + "; ".join(missing)
