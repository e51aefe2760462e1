"""One vocabulary: codes are compared and labelled only through pingyi.common.vocab."""
from __future__ import annotations

import ast
from pathlib import Path

from pingyi.common import vocab

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [ROOT / "pingyi", ROOT / "screens", ROOT / "db"]
ENUMS = [vocab.RoomStatus, vocab.CodeStatus, vocab.BallotStatus, vocab.PaperStatus, vocab.ProposalStatus,
         vocab.AlertStatus, vocab.FeedbackOutcome, vocab.TalkStatus, vocab.Level, vocab.Measure, vocab.Role,
         vocab.Rectification, vocab.ProposalSource, vocab.PersonStatus]
CODES = {m.value for e in ENUMS for m in e}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for elt in node.elts for s in _strings(elt)]
    return []


FIELDS = ("status", "outcome", "level", "measure", "role", "source", "stored", "lv", "kind", "state")


def _is_field(node: ast.AST) -> bool:
    """``room.status``, ``m.Alert.level``, ``status``, ``kind``: something that holds a code."""
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return name.lower().endswith(FIELDS)


def _compared_codes(path: Path) -> list[str]:
    """``x.status == "open"``, ``status in ("draft", "open")``, ``level != "red"``: a code as a bare string."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_field(side) for side in sides):
                for side in sides:
                    found += [f"{path.relative_to(ROOT)}:{node.lineno}: {s!r}" for s in _strings(side) if s in CODES]
    return found


def test_no_status_string_is_compared_outside_the_vocabulary() -> None:
    hits = [hit for base in CHECKED for path in sorted(base.rglob("*.py")) if path.name != "vocab.py"
            for hit in _compared_codes(path)]
    assert hits == [], "compare with pingyi.common.vocab members instead:\n" + "\n".join(hits)


def test_the_test_sees_a_bare_comparison(tmp_path: Path) -> None:
    sample = ROOT / "pingyi" / "_vocab_probe.py"
    try:
        probe = 'def f(r, level):\n    return r.status == "open" or level in ("red", "x")\n'
        sample.write_text(probe, encoding="utf-8")
        assert len(_compared_codes(sample)) == 2
    finally:
        sample.unlink()


def test_each_code_has_one_label() -> None:
    assert vocab.AlertStatus.CLOSED.label == vocab.Rectification.CLOSED.label == "已办结"
    assert vocab.FeedbackOutcome.labels() == {"pending": "待验收", "verified": "已验收", "returned": "已退回"}
    for enum in ENUMS:
        labels = [m.label for m in enum]
        assert len(set(labels)) == len(labels), enum
    assert vocab.RoomStatus.OPEN == "open" and f"{vocab.RoomStatus.OPEN}" == "open"
    assert vocab.Level.label_of("purple") == "purple"
