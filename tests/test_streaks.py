"""Streaks of bottom places (§5.9), pure and through closed rooms."""
from pingyi.rules.streaks import Round, level_for, streaks


def test_levels():
    assert [level_for(n, 2) for n in range(1, 6)] == [None, "blue", "yellow", "red", "red"]


def test_unrated_round_neither_counts_nor_breaks():
    people, props = streaks([
        Round(1, {"A": True, "B": False}),
        Round(2, {"B": True}),             # A not rated
        Round(3, {"A": True, "B": False}),
        Round(4, {"A": True, "B": True}),
    ])
    assert people["A"].bottoms == [1, 3, 4] and people["A"].streak == 3
    assert people["B"].bottoms == [2, 4] and people["B"].streak == 1
    assert [(p.person, p.round, p.level) for p in props] == [("A", 3, "blue"), ("A", 4, "yellow")]


def test_not_bottom_breaks():
    people, props = streaks([Round(1, {"A": True}), Round(2, {"A": False}), Round(3, {"A": True})])
    assert people["A"].streak == 1 and props == []
    assert people["A"].history == {1: 1, 2: 0, 3: 1}
