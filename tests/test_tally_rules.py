"""The pure tally rules of DESIGN §5 with hand-computed answers and properties."""
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.rules.numbers import parse_tenths, round_half_up
from pingyi.rules.spec import Group, Indicator, Rules, SchemeSpec
from pingyi.rules.tally import (
    BLANK,
    INVALID,
    VALID,
    GroupStats,
    PersonRef,
    RawBallot,
    aggregate,
    bottoms,
    classify,
    ranks,
    tally,
)


def spec(groups=(("a", 1), ("b", 1)), **rules) -> SchemeSpec:
    return SchemeSpec(
        name="t", kind="shuangding",
        indicators=(Indicator("x", "X", 500), Indicator("y", "Y", 500)),
        groups=tuple(Group(k, k.upper(), Fraction(str(w))) for k, w in groups),
        rules=Rules(**rules),
    )


def run(sp, ballots, persons=None):
    counts, stats = aggregate(sp, ballots)
    codes = persons or sorted({p for b in ballots for p in b.entries})
    return counts, {r.person: r for r in tally(sp, [PersonRef(c) for c in codes], stats)}


def test_round_half_up_once():
    assert round_half_up(Fraction("87.345")) == Decimal("87.35")
    assert round_half_up(Fraction("87.344999")) == Decimal("87.34")
    assert round_half_up(Fraction(1, 3) * 100) == Decimal("33.33")
    assert round_half_up(Fraction(2, 3) * 100) == Decimal("66.67")
    assert str(round_half_up(Fraction(876, 10))) == "87.60"


def test_parse_tenths():
    assert parse_tenths("42.5") == 425
    assert parse_tenths(" 40 ") == 400
    assert parse_tenths("40.0") == 400
    assert parse_tenths("40.25") is None
    assert parse_tenths("-1") is None
    assert parse_tenths("1e2") is None
    assert parse_tenths("") is None


def test_classify():
    r = Rules(max_excellent_ratio=Fraction("0.5"), excellent_at=900)
    assert classify(r, [None, None]) == BLANK
    assert classify(r, [950, 800]) == VALID          # 1/2 = 0.5, not above
    assert classify(r, [950, 900, 800]) == INVALID   # 2/3 > 0.5
    assert classify(r, [950, None, 800]) == VALID    # abstentions do not count in c
    assert classify(Rules(), [1000, 1000]) == VALID  # no ratio rule


def test_trim_needs_2k_plus_1_values():
    assert GroupStats.of([700, 800, 900], 1).mean() == (1, Fraction(80))
    assert GroupStats.of([700, 900], 1).mean() == (2, Fraction(80))
    assert GroupStats.of([600, 700, 800, 900, 1000], 2).mean() == (1, Fraction(80))
    assert GroupStats.of([600, 700, 800, 900], 2).mean() == (4, Fraction(75))


def test_weights_over_present_groups_only():
    sp = spec(groups=(("a", "0.6"), ("b", "0.4")))
    _, res = run(sp, [
        RawBallot("a", {"P1": 900, "P2": 700}),
        RawBallot("b", {"P1": 800}),
    ])
    assert res["P1"].score == Decimal("86.00")   # 0.6*90 + 0.4*80
    assert res["P2"].score == Decimal("70.00")   # only group a present
    assert set(res["P2"].groups) == {"a"}


def test_abstain_blank_and_invalid_ballots():
    sp = spec(max_excellent_ratio=Fraction("0.5"))
    counts, res = run(sp, [
        RawBallot("a", {"P1": 950, "P2": 950, "P3": 800}),  # 2/3 excellent → invalid
        RawBallot("a", {"P1": None, "P2": None}),            # blank
        RawBallot("a", {"P1": 600, "P2": None, "P3": 700}),  # P2 abstains
    ], persons=["P1", "P2", "P3"])
    assert (counts.cast, counts.valid, counts.invalid, counts.blank) == (3, 1, 1, 1)
    assert res["P1"].score == Decimal("60.00")
    assert res["P2"].score is None and res["P2"].rank is None and not res["P2"].bottom
    assert res["P3"].rank == 1 and res["P1"].bottom


def test_competition_ranks_and_ties_at_bottom():
    assert ranks([Decimal(90), Decimal(80), Decimal(80), Decimal(70)]) == [1, 2, 2, 4]
    assert bottoms([Decimal(90), Decimal(70), Decimal(70)], 1) == [False, True, True]
    assert bottoms([Decimal(80), Decimal(80)], 1) == [False, False]          # all tied: nobody
    assert bottoms([Decimal(90), Decimal(80), Decimal(70), Decimal(70)], 2) == [False, False, True, True]
    # b-th lowest counting ties one by one: lowest two are 70, 70 → threshold 70
    assert bottoms([Decimal(90), Decimal(80), Decimal(70), Decimal(60)], 2) == [False, False, True, True]
    assert bottoms([Decimal(50)], 1) == [False]                               # single person


def test_rank_uses_displayed_score():
    sp = spec(groups=(("a", 1),))
    # 2 ballots vs 3 ballots: means 80.333… and 80.33 both display 80.33
    _, res = run(sp, [RawBallot("a", {"P1": 800, "P2": 803}), RawBallot("a", {"P1": 801, "P2": 803}),
                      RawBallot("a", {"P1": 809, "P2": 804})])
    assert res["P1"].score == Decimal("80.33") and res["P2"].score == Decimal("80.33")
    assert res["P1"].rank == res["P2"].rank == 1
    assert not res["P1"].bottom and not res["P2"].bottom


def test_sorted_by_rank_then_code_unrated_last():
    sp = spec(groups=(("a", 1),))
    counts, stats = aggregate(sp, [RawBallot("a", {"B": 800, "A": 800, "C": 900})])
    out = tally(sp, [PersonRef(c) for c in ("Z", "C", "B", "A")], stats)
    assert [r.person for r in out] == ["C", "A", "B", "Z"]


totals = st.one_of(st.none(), st.integers(0, 1000))


@st.composite
def rooms(draw):
    persons = [f"P{i}" for i in range(draw(st.integers(1, 6)))]
    ballots = draw(st.lists(
        st.builds(lambda g, vals: RawBallot(g, dict(zip(persons, vals, strict=True))),
                  st.sampled_from(["a", "b"]), st.lists(totals, min_size=len(persons), max_size=len(persons))),
        max_size=12))
    trim = draw(st.integers(0, 2))
    ratio = draw(st.one_of(st.none(), st.sampled_from(["0.3", "0.5", "1"])))
    return persons, ballots, trim, ratio


@settings(max_examples=200, deadline=None)
@given(rooms(), st.randoms(use_true_random=False))
def test_ballot_order_does_not_matter(room, rnd):
    persons, ballots, trim, ratio = room
    sp = spec(trim=trim, max_excellent_ratio=None if ratio is None else Fraction(ratio))
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert run(sp, ballots, persons) == run(sp, shuffled, persons)


@settings(max_examples=200, deadline=None)
@given(rooms())
def test_scores_in_range_and_ranks_are_competition_ranks(room):
    persons, ballots, trim, _ = room
    _, res = run(spec(trim=trim), ballots, persons)
    rated = [r for r in res.values() if r.score is not None]
    for r in rated:
        assert Decimal(0) <= r.score <= Decimal(100)
        assert r.rank == 1 + sum(1 for o in rated if o.score > r.score)
        for g in r.groups.values():
            assert 1 <= g.counted <= g.n
    if rated and len({r.score for r in rated}) > 1:
        lowest = min(r.score for r in rated)
        assert all(r.bottom for r in rated if r.score == lowest)
        assert not any(r.bottom for r in rated if r.rank == 1)
    else:
        assert not any(r.bottom for r in res.values())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=15), st.integers(0, 3))
def test_trimmed_mean_matches_definition(values, k):
    counted, mean = GroupStats.of(values, k).mean()
    s = sorted(values)
    kept = s[k:len(s) - k] if len(s) >= 2 * k + 1 and k else s
    assert counted == len(kept)
    assert mean == Fraction(sum(kept), 10 * len(kept))
