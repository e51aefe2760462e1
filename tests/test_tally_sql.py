"""The tally computed through the database (SQL aggregates, trimming extremes)
equals the pure reference on random rooms."""
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingyi.rules.tally import RawBallot, aggregate
from pingyi.rules.tally import tally as pure_tally
from pingyi.voting import ballots, rooms, tally
from tests import oracle
from tests.helpers import ballots_csv, setup_scheme

_ids = itertools.count()
PERSONS = ["A01", "A02", "A03", "A04"]
cell = st.one_of(st.none(), st.tuples(st.integers(0, 500), st.integers(0, 500)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    trim=st.integers(0, 3),
    rows=st.lists(st.tuples(st.sampled_from(["masses", "npc"]), st.lists(cell, min_size=4, max_size=4)),
                  min_size=1, max_size=14),
)
def test_sql_tally_equals_reference(admin, tmp_path, trim, rows):
    from pingyi.voting import schemes

    n = next(_ids)
    name = f"方案{trim}"
    if name not in [s.name for s in schemes.list_schemes()]:
        setup_scheme(admin, tmp_path, name, trim=trim)
    rid = f"H{n}"
    rooms.create_room(admin, name, "随机会场", rid)
    rooms.open_room(admin, rid)
    lines = []
    for b, (group, cells) in enumerate(rows):
        for person, c in zip(PERSONS, cells, strict=True):
            lines.append(f"{b},{group},{person}," + ("," if c is None else f"{c[0] / 10:g},{c[1] / 10:g}"))
    ballots.import_csv(admin, rid, ballots_csv(tmp_path, lines, f"{rid}.csv"))
    report = tally.provisional(admin, rid)
    raw = [RawBallot(g, {p: None if c is None else c[0] + c[1] for p, c in zip(PERSONS, cells, strict=True)})
           for g, cells in rows]
    counts, stats = aggregate(report.spec, raw)
    assert report.counts == counts
    want = pure_tally(report.spec, [r for r in _refs(report)], stats)
    assert [(r.person, r.score, r.rank, r.bottom, r.groups) for r in report.results] == \
           [(r.person, r.score, r.rank, r.bottom, r.groups) for r in want]
    # and the independent oracle, which shares no code with either path
    sp = report.spec
    truth = oracle.tally(oracle.Room(
        weights={g.key: g.weight for g in sp.groups}, persons=[r.person for r in report.results],
        ballots=[(b.group, dict(b.entries)) for b in raw], trim=sp.rules.trim, bottom_n=sp.rules.bottom_n,
        max_excellent_ratio=sp.rules.max_excellent_ratio, excellent_at=sp.rules.excellent_at))
    assert (report.counts.cast, report.counts.valid, report.counts.invalid, report.counts.blank) == \
           (truth.cast, truth.valid, truth.invalid, truth.blank)
    assert {r.person: oracle.Person(r.score, r.rank, r.bottom,
                                    {g: oracle.Group(x.n, x.counted, x.mean) for g, x in r.groups.items()})
            for r in report.results} == truth.persons


def _refs(report):
    from pingyi.rules.tally import PersonRef

    return [PersonRef(r.person, r.name, r.unit, r.post) for r in sorted(report.results, key=lambda r: r.person)]
