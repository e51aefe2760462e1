"""The rules against an independent oracle (tests/oracle.py, written from DESIGN §5 and §7 alone):
every count, score, group mean, rank and bottom mark; streak proposals; ledger levels; the
integrity index. The SQL path is compared with the same oracle in tests/test_tally_sql.py."""
from __future__ import annotations

import ast
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.rules import integrity as I
from pingyi.rules import ledger as L
from pingyi.rules.spec import Group, Indicator, Rules, SchemeSpec
from pingyi.rules.streaks import Round, streaks
from pingyi.rules.tally import PersonRef, RawBallot, aggregate, tally
from tests import oracle

# Fewer examples under mutation testing, where every surviving mutant runs these again.
EXAMPLES = int(os.environ.get("PINGYI_EXAMPLES", "300"))

# Totals cluster on a few values too, so that ties, equal means and equal scores happen often.
total = st.one_of(st.none(), st.integers(0, 1000), st.sampled_from([0, 600, 850, 899, 900, 1000]))
weight = st.sampled_from(["0.1", "0.3", "0.5", "0.7", "1", "1.5", "2"]).map(Fraction)


@st.composite
def rooms(draw: st.DrawFn) -> oracle.Room:
    persons = [f"P{i}" for i in range(draw(st.integers(1, 6)))]
    groups = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    ballots = draw(st.lists(
        st.tuples(st.sampled_from(groups), st.lists(total, min_size=len(persons), max_size=len(persons))),
        max_size=14))
    return oracle.Room(
        weights={g: draw(weight) for g in groups},
        persons=persons,
        ballots=[(g, dict(zip(persons, vals, strict=True))) for g, vals in ballots],
        trim=draw(st.integers(0, 2)),
        bottom_n=draw(st.integers(1, 3)),
        max_excellent_ratio=draw(st.one_of(st.none(), st.sampled_from(["0", "0.3", "0.5", "1"]).map(Fraction))),
        excellent_at=draw(st.sampled_from([600, 850, 900, 1000])),
    )


def spec_of(room: oracle.Room) -> SchemeSpec:
    return SchemeSpec(
        name="t", kind="shuangding",
        indicators=(Indicator("x", "X", 500), Indicator("y", "Y", 500)),
        groups=tuple(Group(g, g.upper(), w) for g, w in room.weights.items()),
        rules=Rules(trim=room.trim, bottom_n=room.bottom_n, max_excellent_ratio=room.max_excellent_ratio,
                    excellent_at=room.excellent_at),
    )


def pure(room: oracle.Room) -> oracle.Result:
    """The rules' answer, in the oracle's shape."""
    sp = spec_of(room)
    counts, stats = aggregate(sp, [RawBallot(g, e) for g, e in room.ballots])
    results = tally(sp, [PersonRef(p) for p in room.persons], stats)
    persons = {r.person: oracle.Person(r.score, r.rank, r.bottom,
                                       {g: oracle.Group(x.n, x.counted, x.mean) for g, x in r.groups.items()})
               for r in results}
    return oracle.Result(counts.cast, counts.valid, counts.invalid, counts.blank, persons)


@settings(max_examples=EXAMPLES, deadline=None)
@given(rooms())
def test_pure_tally_equals_oracle(room: oracle.Room) -> None:
    assert pure(room) == oracle.tally(room)


def test_oracle_on_the_worked_example() -> None:
    """The oracle itself on hand-computed numbers: weights 0.3/0.7, trim 1, absent group."""
    room = oracle.Room(
        weights={"m": Fraction(3, 10), "n": Fraction(7, 10)}, persons=["A", "B", "C"], trim=1,
        ballots=[("m", {"A": 800, "B": 700, "C": None}), ("m", {"A": 900, "B": 705, "C": None}),
                 ("m", {"A": 1000, "B": 710, "C": None}), ("n", {"A": 850, "B": 901, "C": None})])
    r = oracle.tally(room)
    assert (r.cast, r.valid) == (4, 4)
    # A: m = 90 (trimmed to the middle value), n = 85 → 0.3·90 + 0.7·85 = 86.5
    assert r.persons["A"] == oracle.Person(Decimal("86.50"), 1, False,
                                           {"m": oracle.Group(3, 1, Decimal("90.00")),
                                            "n": oracle.Group(1, 1, Decimal("85.00"))})
    # B: m = 70.5, n = 90.1 → 21.15 + 63.07 = 84.22
    assert r.persons["B"].score == Decimal("84.22") and r.persons["B"].bottom
    assert r.persons["C"] == oracle.Person(None, None, False, {})
    assert oracle.half_up(Fraction(87345, 1000)) == Decimal("87.35")
    assert oracle.half_up(Fraction(87344, 1000)) == Decimal("87.34")


def test_results_carry_the_person_details() -> None:
    room = oracle.Room(weights={"a": Fraction(1)}, persons=["X"], ballots=[("a", {"X": 800})])
    sp = spec_of(room)
    _, stats = aggregate(sp, [RawBallot(g, e) for g, e in room.ballots])
    (r,) = tally(sp, [PersonRef("X", "王伟", "财政局", "股长")], stats)
    assert (r.person, r.name, r.unit, r.post, r.rated) == ("X", "王伟", "财政局", "股长", True)


def test_absent_group_is_not_in_the_denominator() -> None:
    """The mutation that once passed every property test: an absent group's weight counted anyway."""
    room = oracle.Room(weights={"a": Fraction(1), "b": Fraction(1)}, persons=["X"],
                       ballots=[("a", {"X": 800})])
    assert oracle.tally(room).persons["X"].score == Decimal("80.00") == pure(room).persons["X"].score
    only_second = oracle.Room(weights={"a": Fraction(1), "b": Fraction(3)}, persons=["X"],
                              ballots=[("b", {"X": 700})])          # an absent group before a present one
    assert oracle.tally(only_second).persons["X"].score == Decimal("70.00") == pure(only_second).persons["X"].score


@st.composite
def series(draw: st.DrawFn) -> list[tuple[int, dict[str, bool]]]:
    people = ["A", "B", "C"]
    numbers = draw(st.lists(st.integers(1, 12), min_size=1, max_size=8, unique=True))
    return [(n, {p: draw(st.booleans()) for p in people if draw(st.booleans())}) for n in numbers]


@settings(max_examples=EXAMPLES, deadline=None)
@given(series(), st.integers(1, 4))
def test_streak_proposals_equal_oracle(rounds: list[tuple[int, dict[str, bool]]], rule: int) -> None:
    people, got = streaks([Round(n, bottoms, rule) for n, bottoms in rounds])
    assert sorted((p.person, p.round, p.streak, p.level) for p in got) == \
        sorted(oracle.streak_proposals(rounds, rule))
    for person, ps in people.items():
        assert ps.person == person
        rated = sorted((n, b[person]) for n, b in rounds if person in b)
        assert ps.bottoms == [n for n, bottom in rated if bottom]
        assert ps.history == {n: _streak_after(rated, n) for n, _ in rated}


def _streak_after(rated: list[tuple[int, bool]], n: int) -> int:
    upto = [bottom for m, bottom in rated if m <= n]
    count = 0
    for bottom in reversed(upto):
        if not bottom:
            break
        count += 1
    return count


thresholds = st.tuples(st.integers(1, 60), st.integers(1, 60), st.integers(1, 60)).map(
    lambda t: (t[0], t[0] + t[1], t[0] + t[1] + t[2]))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(-50, 250), st.integers(-50, 250), thresholds)
def test_ledger_levels_equal_oracle(before: int, after: int, th: tuple[int, int, int]) -> None:
    levels = L.Levels(*th)
    assert L.level_of(after, levels) == oracle.ledger_level(after, *th)
    assert L.crossed(before, after, levels) == oracle.ledger_crossing(before, after, *th)
    assert L.level_of(after) == oracle.ledger_level(after)
    assert L.crossed(before, after) == oracle.ledger_crossing(before, after)
    assert L.excellent_eligible(after) == oracle.excellent_eligible(after)


points = st.integers(0, 10000).map(lambda n: Fraction(n, 100))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=4), st.data())
def test_integrity_index_equals_oracle(raw_weights: list[int], data: st.DataObject) -> None:
    kinds = ["room", "manual", "grade", "ledger"][:len(raw_weights)]
    total_w = sum(raw_weights)
    comps = tuple(I.Component(k, k, k, Fraction(w, total_w)) for k, w in zip(kinds, raw_weights, strict=True))
    grades = {"优秀": Fraction(100), "称职": Fraction(85), "基本称职": Fraction(70), "不称职": Fraction(50)}
    factor = data.draw(st.sampled_from([Fraction(5), Fraction(10), Fraction(25, 10)]))
    threshold = data.draw(st.sampled_from([Fraction(80), Fraction(8550, 100), Fraction(60)]))
    veto_at = data.draw(st.one_of(st.none(), st.sampled_from([60, 120])))
    x = I.Inputs(room=data.draw(st.one_of(st.none(), points)), manual=data.draw(st.one_of(st.none(), points)),
                 grade=data.draw(st.one_of(st.none(), st.sampled_from(sorted(grades)))),
                 ledger=data.draw(st.integers(0, 300)), veto=data.draw(st.one_of(st.none(), st.just("处分"))))
    policy = I.IndexPolicy(comps, grades, factor=factor, threshold=threshold, veto_ledger_at=veto_at)
    got = I.compute(policy, x)
    values = {"room": x.room, "manual": x.manual, "grade": grades.get(x.grade) if x.grade else None,
              "ledger": oracle.ledger_component(x.ledger, factor)}
    vetoed = x.veto is not None or (veto_at is not None and x.ledger >= veto_at)
    want = oracle.integrity_index({c.key: c.weight for c in comps}, values, threshold=threshold, vetoed=vetoed)
    assert (got.value, got.passed) == (want.value, want.passed)
    assert (got.veto is not None) == vetoed
    assert got.talk_due == (want.passed is False)


def test_oracle_imports_nothing_from_the_rules() -> None:
    tree = ast.parse((Path(__file__).parent / "oracle.py").read_text(encoding="utf-8"))
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m.startswith("pingyi")], modules
